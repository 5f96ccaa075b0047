"""Instants: RFC 3339 only (issue 7 item 24), inside the supported years (item 19) and
the policy's effective period (issue 6 item 3), checked before any zone work (item 20)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from policyc.evaluator import CoverageError, FactError, load, zones
from policyc.evaluator.table import Table
from seed_tables import seed, seed_path, upgrade

GENERATED = Path(__file__).resolve().parents[2] / "generated"
IREX = {"received_at": "2025-06-13T18:30:00+02:00", "plan": "premier", "environment": "production",
        "severity": "L1"}


@pytest.fixture(scope="module")
def irex():
    return load(seed_path("irex"))


@pytest.fixture
def no_zone_work(monkeypatch):
    """Fail the test if anything asks a zone table or zoneinfo for an offset."""
    def refuse(*args, **kwargs):
        raise AssertionError("zone work before the range check")
    monkeypatch.setattr(zones.ZoneTable, "segment", refuse)
    monkeypatch.setattr(zones, "zone_table", refuse)


@pytest.mark.parametrize("text", [
    "2025-06-13T12:00+02:00",        # no seconds
    "20250613T120000+0200",          # ISO 8601 basic format
    "2025-W24-5T10:00:00+02:00",     # week date
    "2025-06-13T12:00:00+02",        # short offset
    "2025-06-13 12:00:00+02:00",     # space instead of T
    "2025-06-13T12:00:00+0200",      # offset without colon
    "2025-06-13T12:00:00.+02:00",    # empty fraction
    "２０２５-06-13T12:00:00+02:00",  # non-ASCII digits
])
def test_only_rfc_3339_is_accepted(irex, text):
    with pytest.raises(FactError) as exc:
        irex.decide(dict(IREX, received_at=text))
    assert "is not an RFC 3339 timestamp" in str(exc.value)
    assert "YYYY-MM-DDTHH:MM:SS[.fraction] with `Z` or `+HH:MM`" in str(exc.value)


@pytest.mark.parametrize("text, utc", [
    ("2025-06-13T16:30:00Z", "2025-06-13T16:30:00Z"),
    ("2025-06-13t18:30:00+02:00", "2025-06-13T16:30:00Z"),   # RFC 3339 allows lower case
    ("2025-06-13T16:30:00z", "2025-06-13T16:30:00Z"),
    ("2025-06-13T18:30:00.5+02:00", "2025-06-13T16:30:00.500000Z"),
    ("2025-06-13T16:30:00.123456789-00:00", "2025-06-13T16:30:00.123456Z"),
])
def test_rfc_3339_forms(irex, text, utc):
    assert irex.decide(dict(IREX, received_at=text, work_at=text))["billing"]["work_at"] == utc


@pytest.mark.parametrize("text, why", [
    ("2025-02-30T12:00:00Z", "day is out of range"),
    ("2025-06-13T12:00:00+24:00", "offset out of range"),
    ("2025-06-13T24:00:00Z", "hour must be in 0..23"),
])
def test_impossible_timestamps(irex, text, why):
    with pytest.raises(FactError, match=why):
        irex.decide(dict(IREX, received_at=text))


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+14:00", "9999-12-31T10:00:00+00:00",
                                  "1899-12-31T23:59:59Z", "2200-01-01T00:00:00Z"])
def test_instants_outside_the_supported_years(irex, no_zone_work, text):
    for fact in ("received_at", "work_at"):
        with pytest.raises(CoverageError) as exc:
            irex.decide(dict(IREX, **{fact: text}))
        assert "outside the supported instants 1900-01-01T00:00:00Z .. 2199-12-31T23:59:59Z" in str(exc.value)


def _always_open_irex(until="2027-12-31"):
    """irex.json with a 24/7 calendar for every response and an effective period 2025..until."""
    data = seed("irex")
    data = copy.deepcopy(data)
    data["calendars"]["business"]["week"] = [[[0, 1440]]] * 7
    data["policy"]["effective"] = {"from": "2025-01-01", "until": until}
    return Table(data)


def test_a_ticket_after_the_effective_period_is_refused(no_zone_work):
    # issue 6 item 3: received in 2031 on a 24/7 calendar of a policy effective 2025..2027
    table = _always_open_irex()
    facts = dict(IREX, received_at="2031-03-05T10:00:00Z", plan="standard")
    with pytest.raises(CoverageError) as exc:
        table.decide(facts)
    assert str(exc.value) == ("fact `received_at` `2031-03-05T10:00:00Z` is outside the dates policy "
                              "`irex` is effective, 2025-01-01 .. 2027-12-31")


def test_far_future_refusal_pays_no_zone_work(irex, no_zone_work):
    with pytest.raises(CoverageError, match="outside the dates policy `irex` is effective"):
        irex.decide(dict(IREX, received_at="2199-06-01T10:00:00Z"))


@pytest.mark.parametrize("received, inside", [
    ("2024-12-31T23:30:00Z", True),       # 00:30 on 2025-01-01 in Paris
    ("2024-12-31T22:59:59Z", False),      # 23:59:59 on 2024-12-31 in Paris
    ("2027-12-31T22:59:59Z", True),       # 23:59:59 on 2027-12-31 in Paris
    ("2027-12-31T23:00:00Z", False),      # midnight, 2028-01-01 in Paris
    ("2028-01-01T00:30:00+01:00", False),
])
def test_effective_dates_are_local_dates_of_the_response_calendar(received, inside):
    table = _always_open_irex()
    facts = dict(IREX, received_at=received, plan="standard")
    if inside:
        assert table.decide(facts)["response"]["calendar"] == "business"
    else:
        with pytest.raises(CoverageError) as exc:
            table.decide(facts)
        assert "(its local date on calendar `business`, Europe/Paris, is 202" in str(exc.value)


def test_an_open_ended_policy_has_no_upper_date():
    table = _always_open_irex(until=None)
    assert table.decide(dict(IREX, received_at="2150-03-05T10:00:00Z", plan="standard"))["response"]["due"] \
        == "2150-03-05T14:00:00Z"


def test_work_after_the_effective_period_is_billed():
    # The period is about which tickets the policy governs; work on a ticket received
    # on its last day may be done the next year.
    table = _always_open_irex()
    d = table.decide(dict(IREX, received_at="2027-12-31T10:00:00+01:00", work_at="2028-01-03T10:00:00+01:00"))
    assert d["billing"]["multiplier"] == 1


def test_a_due_time_past_the_supported_years_is_not_called_a_holiday_gap():
    """A ticket on the last supported day of an open-ended policy: its next business day
    would be in 2200, past the supported instants. The refusal says that, not "holiday data"."""
    data = seed("irex")
    data["policy"]["effective"] = {"from": "2025-01-01", "until": None}
    standard_l4 = {"received_at": "2199-12-31T15:00:00+01:00", "plan": "standard",
                   "environment": "production", "severity": "L4"}  # "jour ouvrable suivant"
    with pytest.raises(CoverageError) as exc:
        Table(data).decide(standard_l4)
    assert "outside the supported years 1900..2199" in str(exc.value)
    assert "holiday data" not in str(exc.value)
