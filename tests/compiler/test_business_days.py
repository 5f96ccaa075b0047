"""Targets in business days, from the policy text to the table and back (issue 9, item 1).

The policy of test_diagnostics.policy: calendar `biz` (Europe/Paris, Mon-Fri
09:00-17:00), plans standard/premier, severities high/low.
"""

from __future__ import annotations

from policyc.evaluator import Table

from .test_diagnostics import RESPOND, policy
from .test_metrics import compiled


def targets(table: dict, metric: str = "first_response") -> dict:
    return {tuple(r["when"].get("severity", ())) or tuple(r["when"].get("plan", ())): r["target"]
            for r in table["rules"]["targets"][metric]}


def test_each_form_in_a_respond_table(ws):
    t = compiled(ws, """
  respond on biz {
    plan \\ severity  high              low
    standard:        1 business day    2 business days start
    premier:         3 business days end  2 business days of 8h
  }
""")
    rows = {(r["when"]["plan"][0], r["when"]["severity"][0]): r["target"]
            for r in t["rules"]["targets"]["first_response"]}
    assert rows == {
        ("standard", "high"): {"kind": "business_days", "days": 1, "edge": "same_time"},
        ("standard", "low"): {"kind": "business_days", "days": 2, "edge": "start"},
        ("premier", "high"): {"kind": "business_days", "days": 3, "edge": "end"},
        # N days of 8h is a plain duration: 2 x 8h = 16h, whatever the calendar's day
        ("premier", "low"): {"kind": "duration", "duration": "PT16H", "minutes": 960},
    }


def test_a_target_statement_and_a_measure_table(ws):
    t = compiled(ws, RESPOND + """
  metric resolution { start on created stop on status to solved }
  measure resolution on biz { severity high low
    target: 5 business days start  10 business day }
  when plan is premier: respond { target 1 business days end }
""")
    assert targets(t, "resolution") == {("high",): {"kind": "business_days", "days": 5, "edge": "start"},
                                        ("low",): {"kind": "business_days", "days": 10, "edge": "same_time"}}
    assert targets(t)[("premier",)] == {"kind": "business_days", "days": 1, "edge": "end"}


def test_next_business_day_is_unchanged(ws):
    t = compiled(ws, "  respond on biz { target next business day start }\n")
    assert t["rules"]["targets"]["first_response"][0]["target"] == {"kind": "next_business_day", "edge": "start"}


def test_a_conflict_names_the_targets_as_written(ws):
    result = ws.compile({"policies/p.policy": policy("""
  respond on biz { target 4h }
  when plan is premier: respond { target 1 business day }
  when severity is high: respond { target 2 business days end }
""")})
    [conflict] = [d for d in result.diagnostics if d.code == "E302"]
    assert "1 business day" in conflict.message and "2 business days end" in conflict.message, conflict.message


def test_the_severity_check_compares_business_days_and_w405_leaves_them_alone(ws):
    # W304 compares due instants of every kind: `high` in 2 business days is due a day
    # after `low` in 1 (same time, the next business day), so it is warned about; in the
    # right order nothing is. W405 compares durations only: no finding, and no crash.
    body = """
  respond on biz { severity high low
    target: %s  %s }
  metric resolution { start on created stop on status to solved }
  measure resolution on biz { target 1 business day start }
"""
    slower = ws.compile({"policies/p.policy": policy(body % ("2 business days", "1 business day"))})
    assert [d.code for d in slower.diagnostics] == ["W304"]
    ordered = ws.compile({"policies/p.policy": policy(body % ("1 business day", "2 business days"))})
    assert [d.code for d in ordered.diagnostics] == []


def test_compiled_and_decided(ws):
    t = compiled(ws, "  respond on biz { target 2 business days }\n")
    # Thu 2025-06-05 11:00+02:00: Friday 06-06 and Monday 06-09 -> Monday 11:00+02:00 = 09:00Z
    answer = Table(t).decide({"severity": "high", "plan": "standard", "received_at": "2025-06-05T11:00:00+02:00"})
    assert answer["response"]["target"] == "2_business_days"
    assert answer["response"]["due"] == "2025-06-09T09:00:00Z"
