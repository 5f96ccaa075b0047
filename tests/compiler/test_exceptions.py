"""Labelled rules and exceptions (issue 10 item 1): "Premium severity 1 and 2 are covered
24x7", one line over the per-region calendars of three regions."""

from __future__ import annotations

import itertools
import subprocess
import sys


POLICY = """policy p "P" {
  version "1"
  effective 2025-01-01..2025-12-31
  calendar emea_hours { zone Europe/Paris open mon..fri 09:00-17:00 }
  calendar amer_hours { zone America/New_York open mon..fri 09:00-17:00 }
  calendar apac_hours { zone Asia/Tokyo open mon..fri 09:00-17:00 }
  dimension plan { standard, premium }
  dimension region { emea, amer, apac }
  severities { S1, S2, S3 }
  respond { target 4h }
  rule regional: when region is emea: respond on emea_hours { }
  rule regional: when region is amer: respond on amer_hours { }
  rule regional: when region is apac: respond on apac_hours { }
%s
}
"""
PREMIUM_24X7 = "  exception to regional: when plan is premium and severity is S1, S2: respond on always { }"


def compile_one(ws, text: str):
    return ws.compile({"policies/p.policy": text})


def decided(rows: list, ticket: dict) -> list:
    """The rows whose `when` holds the ticket (a dimension left out: any value)."""
    return [r for r in rows if all(ticket[k] in v for k, v in r["when"].items())]


def test_one_exception_line_overrides_the_calendar_of_every_region(ws):
    result = compile_one(ws, POLICY % PREMIUM_24X7)
    assert [d.code for d in result.diagnostics] == []
    rows = result.tables["p"]["rules"]["targets"]["first_response"]
    for plan, region, sev in itertools.product(("standard", "premium"), ("emea", "amer", "apac"), ("S1", "S2", "S3")):
        (row,) = decided(rows, {"plan": plan, "region": region, "severity": sev})  # disjoint rows: exactly one
        # by hand: premium S1 and S2 are 24x7 whatever the region; every other ticket on its region's hours
        want = "always" if plan == "premium" and sev in ("S1", "S2") else region + "_hours"
        assert (row["calendar"], row["target"]["minutes"]) == (want, 240), (plan, region, sev)
    exception = [r for r in rows if r["calendar"] == "always"]
    assert [(r["when"], [s["line"] for s in r["source"]]) for r in exception] == [
        ({"plan": ["premium"], "severity": ["S1", "S2"]}, [10, 14])]  # the target of line 10, the calendar of 14


def test_without_the_label_the_same_line_conflicts_with_each_region(ws):
    plain = PREMIUM_24X7.replace("exception to regional: ", "")
    result = compile_one(ws, POLICY % plain)
    assert sorted(d.code for d in result.diagnostics) == ["E302"] * 3


def test_an_exception_wins_over_a_more_specific_rule_of_its_group(ws):
    narrow = "  rule regional: when region is emea and plan is premium and severity is S1: respond on emea_hours { }\n"
    result = compile_one(ws, POLICY % (narrow + PREMIUM_24X7))
    assert [d.code for d in result.diagnostics if d.code.startswith("E")] == []
    rows = result.tables["p"]["rules"]["targets"]["first_response"]
    (row,) = decided(rows, {"plan": "premium", "region": "emea", "severity": "S1"})
    assert row["calendar"] == "always"


def test_explain_rules_lists_who_overrides_whom(ws):
    compile_one(ws, POLICY % PREMIUM_24X7)
    proc = subprocess.run([sys.executable, "-m", "policyc.cli", "check", "--explain-rules", "policies"],
                          cwd=ws.root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # by hand: line 14 overrides the calendar of each regional rule; no rule is inside another that
    # sets the same attribute (line 10 sets the target only, the regional rules the calendar only)
    assert proc.stdout.splitlines() == ["policy `p`: which rule overrides which"] + [
        f"policies/p.policy:14: exception to `regional` overrides policies/p.policy:{line}" for line in (11, 12, 13)]


def test_explain_rules_names_a_more_specific_rule(ws):
    compile_one(ws, POLICY % "  when plan is premium: respond { target 1h }")
    proc = subprocess.run([sys.executable, "-m", "policyc.cli", "check", "--explain-rules", "policies"],
                          cwd=ws.root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[1:] == ["policies/p.policy:14: more specific than policies/p.policy:10"]
