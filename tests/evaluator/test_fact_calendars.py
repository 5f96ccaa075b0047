"""The evaluator's calendars that follow the customer: resolution and its cache.

The answers themselves are hand-worked in conformance/customer_local.json and
policies/redhat.tests.yaml, and checked against plain calendars written by hand in
test_fact_calendar_differential.py; this file pins what those cannot see.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from policyc.evaluator import FactError, Table
from policyc.evaluator.factcal import MAX_RESOLVED

LOCAL = json.loads((Path(__file__).resolve().parents[2] / "conformance" / "tables" / "local.json").read_text())


def offsets():
    for sign in "+-":
        for h in range(14):
            for m in range(60):
                yield f"UTC{sign}{h:02d}:{m:02d}"


def test_the_resolved_calendars_are_bounded_and_each_is_built_once():
    table = Table(LOCAL)
    following = table.fact_calendars["local"]
    keys = [(zone, region) for zone in list(offsets())[:300] for region in ("US", "US-NY", "DE", "DE-BY")]
    assert len(keys) > MAX_RESOLVED
    first = {}
    for zone, region in keys:
        first.setdefault((zone, region), table.calendar("local", {"customer_zone": zone, "country": region}))
        assert len(following._resolved) <= MAX_RESOLVED
    # the latest ones are kept: asked again, the same object
    zone, region = keys[-1]
    assert table.calendar("local", {"customer_zone": zone, "country": region}) is first[keys[-1]]


def test_a_plain_calendar_ignores_the_facts():
    table = Table(LOCAL)
    assert table.calendar("always", {}) is table.calendars["always"]


@pytest.mark.parametrize("facts, fact", [
    ({"country": "US"}, "customer_zone"),
    ({"customer_zone": "Europe/Berlin"}, "country"),
])
def test_a_missing_fact_the_calendar_reads_is_named(facts, fact):
    with pytest.raises(FactError, match=f"missing fact `{fact}`: calendar `local` needs it"):
        Table(LOCAL).calendar("local", facts)


def test_the_case_zone_wins_over_the_zone_the_ticket_gives():
    # DE-BY is served in Europe/Berlin (the table's second case): 08:30Z on Monday
    # 2025-03-03 is 09:30 in Berlin (open) but 03:30 in New York (closed)
    cal = Table(LOCAL).calendar("local", {"customer_zone": "America/New_York", "country": "DE-BY"})
    assert cal.is_open(datetime(2025, 3, 3, 8, 30, tzinfo=timezone.utc))
    assert str(cal.zone) == "Europe/Berlin"
