"""Differential test: a calendar that follows the customer against the plain calendar
written out by hand for that customer.

For random zones, regions (a country, subdivisions stored as their difference from it),
hours cases and instants, the answer of a table whose calendar takes its zone, holidays
and hours from facts equals the answer of the same table whose calendar is the plain
entry a person would write for that customer: the zone the ticket gives (or the first
matching case's), the hours of the first matching case that sets hours (else the
default), the region's closed dates closed, its working dates with their weekday's
hours, and the calendar's own dates over them. The plain path is itself checked
against a brute-force oracle (test_business_time_differential.py), so this pins the
fact-chosen path to it.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings, strategies as st

from policyc.evaluator import Table
from policyc.evaluator.errors import PolicyError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "Australia/Lord_Howe", "Asia/Kathmandu",
         "America/Sao_Paulo", "UTC", "UTC+05:30", "UTC-09:30"]
REGIONS = ("AA", "AA-N", "AA-S", "BB")  # AA-N and AA-S are stored as differences from AA
FIRST = date(2025, 1, 1)
SOURCE = [{"file": "p.policy", "line": 1}]


def base_table(calendar: dict, guarantee) -> dict:
    """A one-rule table whose response and billing are on calendar `local`."""
    metric = {"after": None, "label": {"en": "First response"}, "on_facts_change": "keep", "pause": [],
              "repeat_while": [], "restart": [], "source": None, "start": [{"event": "created"}],
              "stop": [{"event": "agent_message"}]}
    return {
        "schema_version": 2, "generator": "policyc",
        "policy": {"id": "p", "title": {"en": "P"}, "version": "1", "languages": ["en"], "support_languages": [],
                   "effective": {"from": "2025-01-01", "until": "2026-12-31"}, "source": SOURCE[0]},
        "facts": {"severity": {"values": ["S1"], "label": {"en": "Severity"}, "labels": {}},
                  "region": {"kind": "regions", "values": list(REGIONS), "label": None, "labels": {}},
                  "tz": {"kind": "zone", "label": None}},
        "statuses": {"values": ["open", "solved"], "initial": "open", "labels": {}, "source": None},
        "metrics": {"first_response": metric}, "metric_order": ["first_response"],
        "rules": {"severity": [], "escalation": [],
                  "targets": {"first_response": [{"when": {}, "source": SOURCE, "calendar": "local",
                                                  "guarantee": guarantee, "target": calendar.pop("_target")}]},
                  "billing": [{"when": {}, "source": SOURCE, "outside": "local", "multiplier": 2}]},
        "calendars": {"local": calendar}, "holidays": {}, "roles": {}, "services": {},
    }


# ---- strategies -----------------------------------------------------------------------

@st.composite
def weeks(draw):
    """Seven days of sorted, disjoint intervals on a 15-minute grid (some open time)."""
    days = []
    for _ in range(7):
        cuts = sorted(set(draw(st.lists(st.integers(0, 96), max_size=4))))
        cuts = cuts[:len(cuts) // 2 * 2]
        days.append([[a * 15, b * 15] for a, b in zip(cuts[::2], cuts[1::2]) if a < b])
    if not any(days):
        days[draw(st.integers(0, 6))] = [[540, 1020]]
    return days


def days_near(start: date):
    return st.lists(st.integers(-3, 40).map(lambda n: (start + timedelta(days=n)).isoformat()),
                    max_size=6, unique=True)


@st.composite
def examples(draw):
    received = datetime(2025, 1, 10, tzinfo=timezone.utc) + timedelta(
        minutes=draw(st.integers(0, 600 * 24 * 60)))
    near = days_near(received.date())
    country = draw(near)
    regions = {"AA": {"closed": country}, "BB": {"closed": draw(near)}}
    for sub in ("AA-N", "AA-S"):
        entry = {"of": "AA", "closed": [d for d in draw(near) if d not in country]}
        opened = draw(st.lists(st.sampled_from(country), unique=True)) if country else []
        if opened:
            entry["open"] = opened
        regions[sub] = entry
    saturdays = [d for d in draw(near) if date.fromisoformat(d).weekday() == 5]
    if saturdays:
        regions["AA-S"]["working"] = {d: draw(st.sampled_from(WEEKDAYS[:5])) for d in saturdays}
    cases = []
    for _ in range(draw(st.integers(0, 3))):
        case = {"when": {"region": draw(st.lists(st.sampled_from(REGIONS), min_size=1, unique=True))}}
        if draw(st.booleans()):
            case["zone"] = draw(st.sampled_from(ZONES))
        if draw(st.booleans()) or "zone" not in case:
            case["week"] = draw(weeks())
            case["dates"] = {d: draw(st.sampled_from([[], [[600, 720]]])) for d in draw(near)}
        cases.append(case)
    calendar = {"zone": {"fact": "tz"}, "week": draw(weeks()),
                "dates": {d: draw(st.sampled_from([[], [[480, 600]]])) for d in draw(near)},
                "valid": {"from": "2025-01-01", "until": "2026-12-31"},
                "holidays": {"fact": "region", "years": [2025, 2026], "regions": regions}, "cases": cases,
                "_target": {"kind": "duration", "duration": f"PT{(m := draw(st.integers(1, 3000)))}M", "minutes": m}}
    facts = {"received_at": received.isoformat(), "severity": "S1", "tz": draw(st.sampled_from(ZONES)),
             "region": draw(st.sampled_from(REGIONS)),
             "work_at": (received + timedelta(minutes=draw(st.integers(0, 5000)))).isoformat()}
    guarantee = draw(st.sampled_from(["always", {"received_within": "local"}]))
    return calendar, facts, guarantee


# ---- the plain calendar a person would write for one customer --------------------------------

def closed_and_working(regions: dict, code: str) -> tuple[set, dict]:
    entry = regions[code]
    closed, working = set(), {}
    if "of" in entry:
        closed, working = closed_and_working(regions, entry["of"])
        closed = closed - set(entry.get("open", ()))
    closed |= set(entry["closed"])
    working = dict(working, **{d: WEEKDAYS.index(w) for d, w in entry.get("working", {}).items()})
    return closed - set(working), working


def by_hand(calendar: dict, facts: dict) -> dict:
    zone, week, own = facts["tz"], calendar["week"], calendar["dates"]
    zone_case = next((c for c in calendar["cases"] if "zone" in c and facts["region"] in c["when"]["region"]), None)
    hours_case = next((c for c in calendar["cases"] if "week" in c and facts["region"] in c["when"]["region"]), None)
    if zone_case:
        zone = zone_case["zone"]
    if hours_case:
        week, own = hours_case["week"], hours_case["dates"]
    closed, working = closed_and_working(calendar["holidays"]["regions"], facts["region"])
    dates = {d: [] for d in closed}
    dates.update({d: week[w] for d, w in working.items()})
    dates.update(own)
    return {"zone": zone, "week": week, "dates": dates, "valid": calendar["valid"]}


def outcome(table: Table, facts: dict):
    try:
        d = table.decide(facts)
    except PolicyError as exc:
        return type(exc).__name__, str(exc)
    return d["response"], d["within_hours"], d["billing"], d["facts_not_needed"]


@settings(max_examples=500, deadline=None)
@given(examples())
def test_the_calendar_for_the_facts_is_the_plain_calendar_written_for_them(example):
    calendar, facts, guarantee = example
    plain = dict(by_hand(calendar, facts), _target=calendar["_target"])
    following = Table(base_table(copy.deepcopy(calendar), guarantee))
    written = Table(base_table(plain, guarantee))
    assert outcome(following, facts) == outcome(written, facts)
