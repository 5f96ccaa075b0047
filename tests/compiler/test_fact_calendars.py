"""Calendars that follow the customer (issue 9, item 2): what the compiler writes.

Expected dates come from the regulations: New York's Lincoln's Birthday is 12 February
(General Construction Law s. 24), which the United States as a whole does not keep;
Bavaria keeps Epiphany, 6 January (Feiertagsgesetz, art. 1), Germany as a whole does not;
Columbus Day (13 October 2025) is a federal holiday that California does not observe.
"""

from __future__ import annotations

from policyc.evaluator import Table
from policyc.regions import all_codes

P = "policies/p.policy"


def policy(body: str, dims: str = "dimension country regions { US, US-NY, US-CA, DE, DE-BY }") -> str:
    return ('policy p {\n  version "1"\n  effective 2025-01-01..2025-12-31\n  severities { S1 }\n'
            f"  fact customer_zone zone\n  {dims}\n{body}\n  respond on local {{ target 4h }}\n}}\n")


LOCAL = """  calendar local {
    zone from customer_zone
    open mon..fri 09:00-17:00
    holidays from country years 2025..2025
    when country is US-CA: open mon..fri 08:00-18:00
  }"""


def compiled(ws, text: str) -> dict:
    result = ws.compile({P: text})
    assert [d.message for d in result.diagnostics] == []
    return result.tables["p"]


def test_a_subdivision_is_stored_as_its_difference_from_its_country(ws):
    regions = compiled(ws, policy(LOCAL))["calendars"]["local"]["holidays"]["regions"]
    assert "2025-02-12" in regions["US-NY"]["closed"] and regions["US-NY"]["of"] == "US"
    assert "2025-02-12" not in regions["US"]["closed"]
    assert regions["DE-BY"]["of"] == "DE" and "2025-01-06" in regions["DE-BY"]["closed"]
    assert "2025-10-13" in regions["US"]["closed"] and "2025-10-13" in regions["US-CA"]["open"]
    # no date of the country is repeated in the subdivision
    assert not set(regions["US-NY"]["closed"]) & set(regions["US"]["closed"])


def test_the_facts_have_kinds_and_the_calendar_reads_them(ws):
    table = compiled(ws, policy(LOCAL))
    assert table["facts"]["customer_zone"] == {"kind": "zone", "label": None}
    assert table["facts"]["country"]["kind"] == "regions"
    assert table["facts"]["country"]["values"] == ["US", "US-NY", "US-CA", "DE", "DE-BY"]
    local = table["calendars"]["local"]
    assert local["zone"] == {"fact": "customer_zone"}
    assert local["cases"] == [{"when": {"country": ["US-CA"]}, "dates": {},
                               "week": [[[480, 1080]]] * 5 + [[], []]}]
    assert local["valid"] == {"from": "2025-01-01", "until": "2025-12-31"}


def test_hours_given_only_by_cases_are_not_a_calendar_that_is_never_open(ws):
    body = """  calendar local {
    zone from customer_zone
    when country is US, US-NY, US-CA: open mon..fri 09:00-18:00
    when country is DE, DE-BY: open mon..fri 09:00-17:00
  }"""
    assert compiled(ws, policy(body))["calendars"]["local"]["week"] == [[]] * 7


def test_regions_all_admits_every_country_and_subdivision(ws):
    codes = all_codes()
    assert {"US", "US-NY", "DE-BY", "GB-ENG", "JP"} <= set(codes) and "GB-England" not in codes
    table = compiled(ws, policy(LOCAL, "dimension country regions all"))
    assert table["facts"]["country"]["values"] == list(codes)
    assert sorted(table["calendars"]["local"]["holidays"]["regions"]) == sorted(codes)
    Table(table)  # loads: the evaluator's cross-references agree


def test_a_plain_calendar_is_written_as_before(ws):
    text = policy("  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 }")
    local = compiled(ws, text)["calendars"]["local"]
    assert set(local) == {"zone", "week", "dates", "valid", "label", "members", "source"}
    assert local["zone"] == "Europe/Paris"
