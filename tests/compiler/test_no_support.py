"""The no-support outcome end to end (issue 10 item 2): tests/support/gitlab.policy through
`policyc test` and `policyc eval`, its table, and the checks that leave unsupported
tickets out (E301 gaps, W304 comparisons, partial facts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policyc.compiler import compile_paths
from policyc.evaluator import Table

from .helpers import check_markers
from .test_diagnostics import policy

HERE = Path(__file__).resolve().parents[1] / "support"
WEDNESDAY_NOON = "2025-06-18T12:00:00Z"


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "policyc.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_the_cases_pass_through_policyc_test():
    proc = cli("test", "support/gitlab.policy", cwd=HERE.parent)
    assert (proc.returncode, proc.stdout.strip()) == (0, "policyc: 11 passed, 0 failed"), proc.stderr


def test_an_unsupported_decision_through_policyc_eval(tmp_path):
    proc = cli("compile", str(HERE / "gitlab.policy"), "--out", str(tmp_path), cwd=HERE.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    facts = {"received_at": WEDNESDAY_NOON, "plan": "trial", "category": "technical", "severity": "S2"}
    proc = cli("eval", str(tmp_path / "gitlab.json"), "--facts", json.dumps(facts), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    # the no-support rule is line 42; every aspect but severity is left empty
    assert (d["supported"], d["support"], d["severity"], d["escalation"], d["billing"], d["metrics"]) == (
        False, {"reason": {"en": "Community forum only", "fr": "Forum communautaire uniquement"},
                "see": "https://forum.gitlab.com"}, "S2", [], None, {"first_response": []})
    assert d["response"] == {"target": None, "due": None, "guaranteed": False, "calendar": None}
    assert d["source"]["support"] == [{"file": "support/gitlab.policy", "line": 42}]


def test_the_table_holds_one_row_per_unsupported_group():
    result = compile_paths([str(HERE / "gitlab.policy")])
    assert not result.errors
    rows = result.tables["gitlab"]["rules"]["support"]
    # free and trial, technical only: the licensing exception leaves no row (no row: supported)
    assert [(r["when"], r["supported"], r["see"]) for r in rows] == [
        ({"plan": ["free", "trial"], "category": ["technical"]}, False, "https://forum.gitlab.com")]


def test_a_table_without_no_support_rules_has_no_support_section(ws):
    files = {"policies/p.policy": policy("  respond on biz { target 4h }\n")}
    result = ws.compile(files)
    assert "support" not in result.tables["p"]["rules"]
    decision = Table(result.tables["p"]).decide({"received_at": WEDNESDAY_NOON, "plan": "standard",
                                                 "severity": "high"})
    assert (decision["supported"], decision["support"]) == (True, None)


def test_unsupported_tickets_need_no_target(ws):
    """Regression: before `no support`, the standard plan's tickets were a gap (E301)."""
    body = ('  when plan is standard: no support "Community forum only"\n'
            "  when plan is premier: respond on biz { target 4h }\n")
    files = {"policies/p.policy": policy(body)}
    result = ws.compile(files)
    check_markers(result, files)  # nothing to report
    gap = {"policies/p.policy": policy("  when plan is premier: respond on biz { target 4h }\n")}
    assert [d.code for d in ws.compile(gap).diagnostics] == ["E301", "E301"]  # target and calendar


def test_no_slower_check_skips_unsupported_severities(ws):
    """W304 compares what tickets are promised: an unsupported low severity promises nothing,
    so a slow target written for it (reached by no ticket: W303) is not compared."""
    body = ("  when severity is low: no support \"Ask your reseller\"\n"
            "  respond on biz {\n    severity high low\n    target:  8h   1h\n  }\n")
    files = {"policies/p.policy": policy(body)}
    codes = [d.code for d in ws.compile(files).diagnostics]
    assert codes == ["W303"]  # the `1h` cell; not W304 (high 8h slower than low 1h)
