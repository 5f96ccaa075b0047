"""Contracts (issue 10 item 5): a customer's exceptions to a published policy, compiled into
a table of their own. Due times are worked out by hand from the calendars in the comments."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from policyc.compiler import compile_paths
from policyc.evaluator import PolicyError, Table

from .helpers import REPO, compile_repo

# ---- the example in the repository: ACME's contract on IREX ---------------------------------


@pytest.fixture(scope="module")
def seeds():
    result = compile_repo()
    assert not result.errors, [d.message for d in result.errors]
    return result.tables


def facts(at: str, plan: str, severity: str, environment: str = "production") -> dict:
    return {"received_at": at, "plan": plan, "environment": environment, "severity": severity}


def test_acme_premier_l3_is_due_by_the_contract_hours_not_irex(seeds):
    # Wed 2026-06-10 17:30 CEST (15:30Z), Premier L3.
    # IREX: 8h on business (Mon-Fri 08:00-16:00 Paris): closed at 17:30, so the clock starts
    #   Thu 08:00 and 8h later is Thu 16:00 CEST = 14:00Z; received outside hours.
    # ACME: 6h on acme_extended (Mon-Fri 07:00-19:00 Paris): 1h30 on Wednesday (17:30-19:00),
    #   4h30 from Thu 07:00, so Thu 11:30 CEST = 09:30Z; received inside ACME's hours.
    ticket = facts("2026-06-10T17:30:00+02:00", "premier", "L3")
    irex, acme = Table(seeds["irex"]).decide(ticket), Table(seeds["acme_irex"]).decide(ticket)
    assert (irex["response"]["due"], irex["response"]["target"], irex["within_hours"]) == (
        "2026-06-11T14:00:00Z", "PT8H", False)
    assert (acme["response"]["due"], acme["response"]["target"], acme["within_hours"]) == (
        "2026-06-11T09:30:00Z", "PT6H", True)


def test_acme_premier_l1_keeps_irex_weekend_coverage_with_the_agreed_target(seeds):
    # Wed 2026-06-10 15:50 CEST, Premier L1. The weekend rule of IREX (not negotiable) keeps
    # the clock on business + weekend (Wednesday: 08:00-16:00). IREX 1h: 10 min on Wednesday,
    # 50 min from Thu 08:00 -> 08:50 CEST = 06:50Z. ACME 30 min: 10 min, then 20 min from
    # Thu 08:00 -> 08:20 CEST = 06:20Z.
    ticket = facts("2026-06-10T15:50:00+02:00", "premier", "L1")
    irex, acme = Table(seeds["irex"]).decide(ticket), Table(seeds["acme_irex"]).decide(ticket)
    assert irex["response"]["due"] == "2026-06-11T06:50:00Z"
    assert acme["response"]["due"] == "2026-06-11T06:20:00Z"
    assert acme["escalation"] == irex["escalation"] == [
        {"channel": "notify", "to": ["senior_support"], "cc": []},
        {"channel": "phone", "to": ["senior_support"], "cc": []}]


def test_acme_standard_tickets_are_irex_ones(seeds):
    # Standard is not negotiable: Wed 2026-06-10 10:00 CEST, L2 8h on business: 6h on
    # Wednesday (to 16:00), 2h from Thu 08:00 -> Thu 10:00 CEST = 08:00Z, under both tables.
    ticket = facts("2026-06-10T10:00:00+02:00", "standard", "L2")
    irex, acme = Table(seeds["irex"]).decide(ticket), Table(seeds["acme_irex"]).decide(ticket)
    assert (irex.pop("policy"), acme.pop("policy")) == ("irex", "acme_irex")
    # each answers by its own period: the contract's dates, IREX's
    assert (acme.pop("in_force"), irex.pop("in_force")) == ({"from": "2026-03-01", "until": "2027-02-28"},
                                                             {"from": "2025-01-01", "until": "2027-12-31"})
    assert acme == irex and acme["response"]["due"] == "2026-06-11T08:00:00Z"


def test_acme_table_names_its_base_and_points_into_both_files(seeds):
    t = seeds["acme_irex"]
    assert t["policy"]["id"] == "acme_irex"
    assert t["policy"]["extends"] == {"id": "irex", "version": "2025.1"}
    assert t["policy"]["effective"] == {"from": "2026-03-01", "until": "2027-02-28"}
    assert "extends" not in seeds["irex"]["policy"]
    files = {s["file"] for r in t["rules"]["targets"]["first_response"] for s in r["source"]}
    assert files == {"policies/irex.policy", "policies/contracts/acme_irex.policy"}


def test_acme_table_refuses_tickets_before_the_contract(seeds):
    # effective 2026-03-01..2027-02-28: a ticket of 2025 is IREX's, not ACME's
    with pytest.raises(PolicyError, match="outside the dates policy `acme_irex` is effective"):
        Table(seeds["acme_irex"]).decide(facts("2025-06-10T10:00:00+02:00", "premier", "L3"))


# ---- small policies ----------------------------------------------------------------------

BASE = """policy p "P" {
  version "1"
  effective 2025-01-01..2025-12-31
  calendar late { zone UTC open mon..fri 12:00-20:00 }
  dimension plan { standard, premier }
  severities { high, low }
  respond on late { target 4h }
%s
}
"""
NEGOTIABLE = """  negotiable rule premier_hours: when plan is premier: respond { target 2h }
  negotiable calendar overtime { zone UTC open sat 10:00-14:00 }
  when plan is premier and severity is high: bill 2x outside overtime"""


def contract(body: str, effective: str = "") -> str:
    return f'contract c extends p "C" {{\n  version "2"\n{effective}{body}\n}}\n'


def compile_pc(ws, base_body: str, contract_body: str):
    return ws.compile({"policies/p.policy": BASE % base_body, "policies/c.policy": contract(contract_body)})


def due(table: dict, at: str, plan: str, severity: str) -> str:
    return Table(table).decide({"received_at": at, "plan": plan, "severity": severity})["response"]["due"]


def test_a_contract_that_overrides_nothing_is_its_base_under_another_id(ws):
    result = compile_pc(ws, NEGOTIABLE, "")
    assert result.diagnostics == []
    base, mine = result.tables["p"], result.tables["c"]
    assert mine["policy"]["extends"] == {"id": "p", "version": "1"}
    assert {k: v for k, v in mine.items() if k != "policy"} == {k: v for k, v in base.items() if k != "policy"}


def test_the_new_group_replaces_every_rule_of_the_old_one(ws):
    # The contract's group has two rules (by severity); the base's one rule is gone.
    # Mon 2025-06-02 13:00Z on `late` (12:00-20:00 UTC): 1h -> 14:00Z, 3h -> 16:00Z; the base: 2h -> 15:00Z.
    result = compile_pc(ws, NEGOTIABLE, """  rule premier_hours: when plan is premier and severity is high: respond { target 1h }
  rule premier_hours: when plan is premier and severity is low: respond { target 3h }""")
    assert result.diagnostics == []
    at = "2025-06-02T13:00:00Z"
    assert due(result.tables["p"], at, "premier", "high") == due(result.tables["p"], at, "premier", "low") \
        == "2025-06-02T15:00:00Z"
    assert due(result.tables["c"], at, "premier", "high") == "2025-06-02T14:00:00Z"
    assert due(result.tables["c"], at, "premier", "low") == "2025-06-02T16:00:00Z"
    assert due(result.tables["c"], at, "standard", "low") == "2025-06-02T17:00:00Z"  # the base's 4h


def test_a_negotiable_definition_is_replaced_where_the_base_uses_it(ws):
    # The base bills Premier high 2x outside `overtime` (Saturday 10:00-14:00 UTC); the contract
    # widens `overtime` to every day 08:00-20:00, so work on Monday 09:00 is inside it: 1x.
    result = compile_pc(ws, NEGOTIABLE, "  calendar overtime { zone UTC open mon..sun 08:00-20:00 }")
    assert result.diagnostics == []
    ticket = {"received_at": "2025-06-02T09:00:00Z", "plan": "premier", "severity": "high"}
    assert Table(result.tables["p"]).decide(ticket)["billing"]["multiplier"] == 2
    assert Table(result.tables["c"]).decide(ticket)["billing"]["multiplier"] == 1
    sources = result.tables["c"]["calendars"]["overtime"]["source"]
    assert sources["file"] == "policies/c.policy"


def test_an_exception_to_a_negotiable_group_keeps_the_group(ws):
    # Premier high 30min, Premier low keeps the base's 2h. Mon 2025-06-02 13:00Z on `late`.
    result = compile_pc(ws, NEGOTIABLE, "  exception to premier_hours: when plan is premier and severity is high: "
                                        "respond { target 30min }")
    assert result.diagnostics == []
    assert due(result.tables["c"], "2025-06-02T13:00:00Z", "premier", "high") == "2025-06-02T13:30:00Z"
    assert due(result.tables["c"], "2025-06-02T13:00:00Z", "premier", "low") == "2025-06-02T15:00:00Z"


def test_the_contract_may_define_a_calendar_its_overrides_use(ws):
    # A new calendar in the contract, used by the Premier group: Mon 2025-06-02 07:00Z on
    # 06:00-22:00 UTC, 2h -> 09:00Z (the base: `late` opens at 12:00, so 14:00Z).
    result = compile_pc(ws, "  negotiable rule premier_hours: when plan is premier: respond on late { target 2h }",
                        "  calendar long { zone UTC open mon..fri 06:00-22:00 }\n"
                        "  rule premier_hours: when plan is premier: respond on long { target 2h }")
    assert result.diagnostics == []
    assert due(result.tables["p"], "2025-06-02T07:00:00Z", "premier", "low") == "2025-06-02T14:00:00Z"
    assert due(result.tables["c"], "2025-06-02T07:00:00Z", "premier", "low") == "2025-06-02T09:00:00Z"


def test_the_contracts_expect_applies_to_its_table_and_a_replaced_one_goes(ws):
    # The base expects W304 on its Premier group (high 3h after low 2h); the contract replaces
    # the group with one that is never slower (no W013 about the base's expectation), and
    # accepts its own W304 on Standard (high 6h after the base's 4h for low) with an `expect`.
    base = """  expect W304 "as published"
  negotiable rule premier_hours: when plan is premier: respond {
    plan \\ severity  high  low
    premier:         3h    2h
  }
  negotiable rule standard_hours: when plan is standard and severity is high: respond { target 4h }"""
    mine = """  rule premier_hours: when plan is premier: respond { target 1h }
  expect W304 "agreed"
  rule standard_hours: when plan is standard and severity is high: respond { target 6h }"""
    result = compile_pc(ws, base, mine)
    assert [d.code for d in result.diagnostics] == []
    assert set(result.tables) == {"p", "c"}


def test_a_finding_on_the_contracts_table_is_located_in_the_contract(ws):
    mine = "  rule premier_hours: when plan is premier: respond on nowhere { target 1h }"
    result = compile_pc(ws, NEGOTIABLE.replace("respond {", "respond on late {"), mine)
    assert [(d.code, d.span.path) for d in result.diagnostics] == [("E101", "policies/c.policy")]
    assert result.tables == {}


def test_compiling_the_contract_alone_says_where_its_base_is(ws):
    ws.write({"policies/p.policy": BASE % NEGOTIABLE, "policies/contracts/c.policy": contract("")})
    result = compile_paths(["policies/contracts/c.policy"])
    assert [(d.code, d.help) for d in result.diagnostics] == [
        ("E330", "compile the base policy with its contracts, e.g. `policyc compile policies/`")]
    assert compile_paths(["policies"]).errors == []


def test_cli_compiles_contracts_with_the_policies(ws, tmp_path):
    ws.write({"policies/p.policy": BASE % NEGOTIABLE, "policies/c.policy": contract("")})
    run = subprocess.run([sys.executable, "-m", "policyc.cli", "compile", "policies", "--out", "generated"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    table = json.loads((tmp_path / "generated" / "c.json").read_text(encoding="utf-8"))
    assert table["policy"]["extends"] == {"id": "p", "version": "1"}


def test_a_group_rule_may_not_win_where_a_rule_not_negotiable_beat_the_group(ws):
    # IREX's weekend coverage (Premier L1/L2 on business + weekend) is more specific than the
    # negotiable Premier targets, and not negotiable. A contract rule of the group for Premier
    # L1 alone is inside the group's tickets, but more specific than the weekend rule: it
    # would take L1 off the weekend coverage. E334, with a note at the weekend rule.
    irex = (REPO / "policies/irex.policy").read_text(encoding="utf-8")
    weekend = 1 + irex.split("\n").index(
        "  when plan is premier and severity is L1, L2: respond on business + weekend { }")
    mine = """contract x extends irex "X" fr "X" {
  version "1"
  calendar long { zone Europe/Paris open mon..fri 07:00-19:00 }
  rule premier_targets: when plan is premier: respond on business { target 1h }
  rule premier_targets: when plan is premier and severity is L1: respond on long { }
}
"""
    result = ws.compile({"policies/irex.policy": irex, "policies/x.policy": mine})
    [d] = result.diagnostics
    assert (d.code, d.span.path, result.sources[d.span.path].line_col(d.span.start)) == ("E334", "policies/x.policy",
                                                                                       (5, 25))
    assert "plan `premier`, severity `L1`" in d.message
    [(_, note)] = d.notes
    assert (note.path, result.sources[note.path].line_col(note.start)[0]) == ("policies/irex.policy", weekend)
    # Without the L1 rule the contract is fine: the weekend rule still decides L1's calendar.
    fine = mine.replace("  rule premier_targets: when plan is premier and severity is L1: respond on long { }\n", "")
    fine = fine.replace("  calendar long { zone Europe/Paris open mon..fri 07:00-19:00 }\n", "")
    result = ws.compile({"policies/irex.policy": irex, "policies/x.policy": fine})
    assert result.diagnostics == []
    ticket = {"plan": "premier", "environment": "production", "severity": "L1"}
    row = [r for r in result.tables["x"]["rules"]["targets"]["first_response"]
           if all(ticket[k] in v for k, v in r["when"].items())]
    assert [(r["calendar"], r["target"]["minutes"]) for r in row] == [("business+weekend", 60)]


def test_the_contract_sees_the_base_imports_and_its_own(ws):
    # The base's group counts on `ext` (imported by the base's file: Mon-Fri 06:00-10:00 UTC);
    # the contract's file imports `more` (Mon-Fri 14:00-22:00 UTC) and the base's import too
    # (one definition, not two). Mon 2025-06-02 09:00Z, Premier, 2h:
    # base: 1h Monday (09:00-10:00), 1h from Tue 06:00 -> Tue 07:00Z; contract: Mon 14:00 -> 16:00Z.
    base = 'import "shared/h.policy"\n' + BASE % (
        "  negotiable rule premier_hours: when plan is premier: respond on ext { target 2h }")
    mine = ('import "../shared/more.policy"\nimport "../shared/h.policy"\n'
            + contract("  rule premier_hours: when plan is premier: respond on more { target 2h }"))
    result = ws.compile({"policies/p.policy": base, "policies/contracts/c.policy": mine,
                         "policies/shared/h.policy": "calendar ext { zone UTC open mon..fri 06:00-10:00 }\n",
                         "policies/shared/more.policy": "calendar more { zone UTC open mon..fri 14:00-22:00 }\n"})
    assert result.diagnostics == []
    assert due(result.tables["p"], "2025-06-02T09:00:00Z", "premier", "low") == "2025-06-03T07:00:00Z"
    assert due(result.tables["c"], "2025-06-02T09:00:00Z", "premier", "low") == "2025-06-02T16:00:00Z"
    assert set(result.tables["c"]["calendars"]) >= {"ext", "more", "late"}


def test_policyc_test_runs_a_contracts_cases_by_its_id(ws, tmp_path):
    # `<id>.tests.yaml` beside a contract named on the command line, as for a policy. Mon
    # 2025-06-02 13:00Z, Premier, the contract's 1h on `late` (12:00-20:00 UTC) -> 14:00Z.
    cases = ("policy: c\ncases:\n  - name: premier\n    facts: {received_at: \"2025-06-02T13:00:00Z\", plan: premier,"
             " severity: high}\n    expect:\n      response: {due: \"2025-06-02T14:00:00Z\"}\n")
    ws.write({"policies/p.policy": BASE % NEGOTIABLE,
              "policies/mine.policy": contract("  rule premier_hours: when plan is premier: respond { target 1h }"),
              "policies/c.tests.yaml": cases})
    run = subprocess.run([sys.executable, "-m", "policyc.cli", "test", "policies/p.policy", "policies/mine.policy"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert (run.returncode, run.stdout) == (0, "policyc: 1 passed, 0 failed\n"), run.stdout + run.stderr


def test_a_base_that_does_not_parse_is_not_called_unknown(ws):
    # The syntax error is the finding; "extends unknown policy `p`" would send the author looking
    # for a misspelt id. Once the base parses, the contract compiles.
    broken = (BASE % NEGOTIABLE).replace('version "1"', "version 1")
    result = ws.compile({"policies/p.policy": broken, "policies/c.policy": contract("")})
    assert [(d.code, d.span.path) for d in result.diagnostics] == [("E001", "policies/p.policy")]
    result = ws.compile({"policies/p.policy": BASE % NEGOTIABLE, "policies/c.policy": contract("")})
    assert result.diagnostics == [] and set(result.tables) == {"p", "c"}
