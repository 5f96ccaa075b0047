"""Holidays of a country's subdivision (issue 9, item 3): `national GB-ENG`, `DE-BY`, `US-NY`.

The expected days come from the regulations, not from the program: England's bank
holidays (Banking and Financial Dealings Act 1971, sch. 1) include Easter Monday and the
last Monday of August, which Scotland's do not, so the package's `GB` (the days common to
the whole kingdom) lacks them; Bavaria keeps Epiphany (Feiertagsgesetz, art. 1), which
is no nationwide German holiday; New York keeps Lincoln's Birthday, 12 February (General
Construction Law s. 24; the package's `_populate_subdiv_ny_public_holidays`).
"""

from __future__ import annotations

import datetime as dt

import pytest

from policyc.evaluator.table import load

P = "policies/p.policy"


def policy(region: str, zone: str) -> str:
    """A policy whose one calendar is open 09:00-17:00 on weekdays except `region`'s holidays."""
    return ('policy p {\n  version "1"\n  effective 2025-01-01..2025-12-31\n  severities { S1 }\n'
            f"  holidays h {{ national {region} years 2025..2025 }}\n"
            f"  calendar biz {{ zone {zone} open mon..fri 09:00-17:00 holidays h }}\n"
            "  respond on biz { target 4h }\n}\n")


def table(ws, tmp_path, region: str, zone: str):
    """The compiled table of `policy(region, zone)`, loaded by the evaluator."""
    result = ws.compile({P: policy(region, zone)})
    assert result.diagnostics == []
    path = tmp_path / "p.json"
    path.write_bytes(result.encoded["p"])
    return result.tables["p"], load(path)


@pytest.mark.parametrize("region, zone, day, in_region, in_country", [
    ("GB-ENG", "Europe/London", "2025-04-21", True, False),  # Easter Monday
    ("GB-ENG", "Europe/London", "2025-08-25", True, False),  # the Summer bank holiday (last Monday of August)
    ("DE-BY", "Europe/Berlin", "2025-01-06", True, False),  # Epiphany
    ("US-NY", "America/New_York", "2025-02-12", True, False),  # Lincoln's Birthday
    ("GB-ENG", "Europe/London", "2025-12-25", True, True),  # Christmas: the kingdom's and England's
])
def test_a_subdivision_adds_its_own_holidays_to_the_country(ws, tmp_path, region, zone, day, in_region, in_country):
    country = region.split("-")[0]
    sub, _ = table(ws, tmp_path, region, zone)
    whole, _ = table(ws, tmp_path, country, zone)
    assert (day in sub["holidays"]["h"]["closed"]) is in_region
    assert (day in whole["holidays"]["h"]["closed"]) is in_country
    assert sub["holidays"]["h"]["countries"] == [region]


def test_an_english_bank_holiday_is_closed_in_the_evaluator(ws, tmp_path):
    _, england = table(ws, tmp_path, "GB-ENG", "Europe/London")
    _, kingdom = table(ws, tmp_path, "GB", "Europe/London")
    noon = dt.datetime(2025, 8, 25, 12, 0, tzinfo=dt.timezone.utc)  # 13:00 BST, a Monday
    assert not england.calendars["biz"].is_open(noon)
    assert kingdom.calendars["biz"].is_open(noon)
    # Friday 22 August 16:00 BST plus 4 business hours: 1 h on Friday, Monday is the bank
    # holiday, so 3 h on Tuesday 26 August: 12:00 BST, 11:00 UTC (in the kingdom, Monday 12:00).
    facts = {"severity": "S1", "received_at": "2025-08-22T16:00:00+01:00"}
    assert england.decide(facts)["response"]["due"] == "2025-08-26T11:00:00Z"
    assert kingdom.decide(facts)["response"]["due"] == "2025-08-25T11:00:00Z"


def test_an_alias_is_written_as_the_package_code(ws, tmp_path):
    # The package names England `ENG` and accepts `England` as an alias of it.
    sub, _ = table(ws, tmp_path, "GB-England", "Europe/London")
    assert sub["holidays"]["h"]["countries"] == ["GB-ENG"]
    assert "2025-08-25" in sub["holidays"]["h"]["closed"]
