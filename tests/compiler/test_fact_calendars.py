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


# ---- where issue 9's features meet ------------------------------------------------------

def two_zones(target: str, calendar: str = "local") -> str:
    return f"""policy p {{
  version "1"
  effective 2025-01-01..2025-12-31
  severities {{ S1 }}
  dimension plan {{ standard, premier }}
  order plan: standard < premier
  fact customer_zone zone
  dimension country regions {{ US, JP }}
  calendar local {{
    zone from customer_zone
    open mon..fri 09:00-17:00
    holidays from country years 2025..2025
    when country is US: open mon..fri 09:00-18:00
  }}
  calendar tokyo {{ zone Asia/Tokyo open mon..fri 09:00-17:00 }}
  respond on {calendar} {{
    plan     standard  premier
    target:  {target}
  }}
}}
"""


def test_business_days_count_the_days_of_the_calendar_resolved_for_the_ticket(ws):
    # Received Fri 2025-01-17 23:30Z, `1 business day`: from the clock's start (the next
    # opening, out of hours), the open time up to the same time on the next business day,
    # due when it has passed (the close before, when that time is an opening).
    # Tokyo (JP, 09:00-17:00): it is Sat 01-18 08:30 JST; the clock starts Mon 01-20
    # 09:00 (no Japanese holiday; Coming of Age Day was 01-13); up to Tue 09:00 lie
    # Monday's 8 hours: due Mon 17:00 JST = 08:00Z on 01-20.
    # New York (US, 09:00-18:00): it is Fri 01-17 18:30 EST; Mon 01-20 is Martin Luther
    # King Jr. Day, closed, so the clock starts Tue 01-21 09:00; up to Wed 09:00 lie
    # Tuesday's 9 hours: due Tue 18:00 EST = 23:00Z on 01-21.
    result = ws.compile({P: two_zones("1 business day  1 business day")})
    assert not [d for d in result.diagnostics if d.is_error]
    table = Table(result.tables["p"])
    facts = {"received_at": "2025-01-17T23:30:00Z", "plan": "standard", "severity": "S1"}
    tokyo = table.decide({**facts, "customer_zone": "Asia/Tokyo", "country": "JP"})["response"]
    new_york = table.decide({**facts, "customer_zone": "America/New_York", "country": "US"})["response"]
    assert (tokyo["target"], tokyo["due"]) == ("1_business_days", "2025-01-20T08:00:00Z")
    assert (new_york["target"], new_york["due"]) == ("1_business_days", "2025-01-21T23:00:00Z")


def test_the_never_slower_check_leaves_a_calendar_that_follows_the_customer_out(ws):
    # `premier` (the better plan) waits 8h against `standard`'s 4h: on a wall calendar
    # that is W315; on a calendar whose zone, holidays and hours the ticket chooses the
    # check does not compare (docs/language.md, "Ordered values"), and compiles cleanly
    slower = "4h  8h"
    plain = ws.compile({P: two_zones(slower, "tokyo")})
    assert "W315" in {d.code for d in plain.diagnostics}
    local = ws.compile({P: two_zones(slower)})
    assert [d.code for d in local.diagnostics] == [] and "p" in local.tables
