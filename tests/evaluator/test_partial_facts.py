"""A fact is needed only when the answer depends on it (issue 6 item 2)."""

from __future__ import annotations


import pytest

from policyc.evaluator import FactError, load
from policyc.evaluator.table import Table
from seed_tables import seed_path, upgrade



@pytest.fixture(scope="module")
def hydra():
    return load(seed_path("hydra"))


@pytest.fixture(scope="module")
def navixy():
    return load(seed_path("navixy"))


@pytest.fixture(scope="module")
def irex():
    return load(seed_path("irex"))


def test_hydra_request_needs_no_priority(hydra):
    # "Priority can be set only to tickets of the Incident type ... For other types of
    # tickets, priorities are ignored": a request is Normal (policies/hydra.policy:40),
    # escalated by notification only, nothing guaranteed.
    d = hydra.decide({"received_at": "2025-06-18T12:00:00+03:00", "type": "request"})
    assert (d["severity"], d["severity_given"], d["facts_not_needed"]) == ("normal", None, ["severity"])
    assert d["source"]["severity"] == [{"file": "policies/hydra.policy", "line": 40}]
    assert d["escalation"] == [{"channel": "notify", "to": ["support"], "cc": []}]
    assert d["response"]["guaranteed"] is False
    assert d["within_hours"] is True  # Wednesday 12:00 Moscow


def test_hydra_incident_still_needs_its_priority(hydra):
    # "In case of an issue that can be classified as Urgent ... please urgently call":
    # an urgent incident is phoned, a high one is not, so the priority decides.
    with pytest.raises(FactError, match="missing fact `severity`: the policy needs it"):
        hydra.decide({"received_at": "2025-06-18T12:00:00+03:00", "type": "incident"})


def test_hydra_type_is_needed_when_the_priority_is_given(hydra):
    # A high incident stays high; a high request becomes normal.
    with pytest.raises(FactError, match="missing fact `type`"):
        hydra.decide({"received_at": "2025-06-18T12:00:00+03:00", "severity": "high"})


def test_navixy_saas_needs_no_severity_and_no_plan(navixy):
    # "For SaaS ... the guaranteed response time is 12 business hours", whatever the level
    # or plan. Wednesday 2025-06-18 10:00 MSK on the 24h working-days calendar: +12h.
    d = navixy.decide({"received_at": "2025-06-18T10:00:00+03:00", "deployment": "saas"})
    assert (d["severity"], d["severity_given"]) == (None, None)
    assert d["facts_not_needed"] == ["plan", "severity"]
    assert d["response"]["target"] == "PT12H" and d["response"]["guaranteed"] is True
    assert d["source"]["severity"] == []


def test_navixy_on_premise_needs_the_severity(navixy):
    # "Level 1 - 2 hours ... Level 4 - 8 hours": the level decides the target.
    with pytest.raises(FactError, match="missing fact `severity`"):
        navixy.decide({"received_at": "2025-06-18T06:00:00Z", "deployment": "on_premise"})


def test_irex_off_production_is_l4_whatever_the_level(irex):
    # "Les niveaux 1 et 2 sont définis uniquement sur le système de production": every
    # level becomes L4 off production (policies/irex.policy), so it is not needed.
    d = irex.decide({"received_at": "2025-06-18T10:00:00+02:00", "plan": "standard",
                     "environment": "non_production"})
    assert (d["severity"], d["severity_given"], d["facts_not_needed"]) == ("L4", None, ["severity"])
    assert d["response"]["target"] == "next_business_day"


def test_every_fact_needed_is_named(irex):
    with pytest.raises(FactError) as exc:
        irex.decide({"received_at": "2025-06-18T10:00:00+02:00"})
    assert str(exc.value) == ("missing fact `environment`: the policy needs it for this ticket; "
                              "it also needs `plan`, `severity`")


def test_a_full_ticket_lists_nothing(irex):
    d = irex.decide({"received_at": "2025-06-18T10:00:00+02:00", "plan": "premier",
                     "environment": "production", "severity": "L1"})
    assert d["facts_not_needed"] == [] and d["severity_given"] == "L1"


def _table(response_rows, severity_rows=()):
    """A minimal table over facts colour {red, blue} and severity {S1, S2}."""
    source = [{"file": "t.policy", "line": 1}]
    week = [[[0, 1440]]] * 7
    return Table(upgrade({
        "schema_version": 1, "generator": "policyc",
        "policy": {"id": "t", "title": None, "version": "1", "languages": ["en"], "support_languages": [],
                   "effective": {"from": "2025-01-01", "until": None}, "source": source[0]},
        "facts": {"severity": {"values": ["S1", "S2"], "label": None, "labels": {}},
                  "colour": {"values": ["red", "blue"], "label": None, "labels": {}}},
        "rules": {"severity": [dict(r, source=source) for r in severity_rows],
                  "response": [{"when": w, "source": [{"file": "t.policy", "line": line}], "calendar": "c",
                                "guarantee": "always", "target": {"kind": "duration", "duration": d, "minutes": m}}
                               for w, d, m, line in (r if len(r) == 4 else (*r, 1) for r in response_rows)],
                  "escalation": [], "billing": []},
        "calendars": {"c": {"zone": "UTC", "week": week, "dates": {}, "valid": None}},
        "holidays": {}, "roles": {}, "services": {},
    }))


def test_a_value_without_a_row_makes_the_fact_needed():
    # Only red tickets have a response rule: without the colour, the ticket may have none.
    t = _table([({"colour": ["red"]}, "PT1H", 60)])
    with pytest.raises(FactError, match="missing fact `colour`"):
        t.decide({"received_at": "2025-06-18T10:00:00Z", "severity": "S1"})


def test_rows_of_different_rules_with_the_same_target_still_need_the_fact():
    # Two rows with equal targets from different lines are different rules: still needed,
    # since the answer names the rule that decided it.
    t = _table([({"colour": ["red"]}, "PT1H", 60, 3), ({"colour": ["blue"]}, "PT1H", 60, 4)])
    with pytest.raises(FactError, match="missing fact `colour`"):
        t.decide({"received_at": "2025-06-18T10:00:00Z", "severity": "S1"})


def test_rows_equal_in_every_field_do_not_need_the_fact():
    # One table row's cells (`trial: none none none none`) are emitted one row per value,
    # equal in target, calendar, guarantee and source: the answer cannot depend on the
    # fact, so a ticket may leave it out (GitLab: "Trial licenses do not include support
    # at any level", whatever the severity).
    t = _table([({"colour": ["red"]}, "PT1H", 60, 3), ({"colour": ["blue"]}, "PT1H", 60, 3)])
    d = t.decide({"received_at": "2025-06-18T10:00:00Z", "severity": "S1"})
    assert (d["response"]["due"], d["facts_not_needed"]) == ("2025-06-18T11:00:00Z", ["colour"])


def test_a_severity_rule_for_some_levels_only():
    # S1 becomes S2 for red tickets; S2 stays S2; so a red ticket is S2 either way.
    t = _table([({}, "PT1H", 60)], [{"when": {"colour": ["red"], "severity": ["S1"]}, "becomes": "S2"}])
    d = t.decide({"received_at": "2025-06-18T10:00:00Z", "colour": "red"})
    assert (d["severity"], d["facts_not_needed"]) == ("S2", ["severity"])
    # a blue ticket keeps its own level, which nothing else depends on: unknown, not needed
    d = t.decide({"received_at": "2025-06-18T10:00:00Z", "colour": "blue"})
    assert (d["severity"], d["facts_not_needed"]) == (None, ["severity"])
    # without the colour, S1 may stay S1 (blue) or become S2 (red): the severity is needed
    with pytest.raises(FactError, match="missing fact `colour`"):
        t.decide({"received_at": "2025-06-18T10:00:00Z", "severity": "S1"})


def test_partial_facts_are_cached_per_combination(navixy):
    facts = {"received_at": "2025-06-18T10:00:00+03:00", "deployment": "saas"}
    navixy.decide(facts)
    assert (0, "saas", None, None) in navixy._rules_cache  # version 0, the only one
    assert navixy.decide(dict(facts, received_at="2025-06-19T10:00:00+03:00"))["facts_not_needed"] == \
        ["plan", "severity"]
