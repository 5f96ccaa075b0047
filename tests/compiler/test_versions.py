"""Dated rules and definitions (issue 10 item 4): a policy holds every version of its
terms, and each ticket is answered by the version in force on the date it was created.

The policy (tests/versions/acme.policy, Europe/Paris) says:
  "Until 30 June 2026 support is available 09:00-17:00 CET, Monday to Friday; from 1 July
   2026, 08:00-18:00."
  targets until 30 June: standard S1 4h, S2 8h; premium S1 2h, S2 4h;
  from 1 July: standard S1 2h, S2 8h; premium S1 1h, S2 4h;
  "From 1 October 2026, Premium Severity 1 is answered around the clock."
Every expected instant below is worked out by hand from those sentences; Paris is UTC+2
in summer (until 25 October 2026), UTC+1 after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc.evaluator import CoverageError, Table

ACME = (Path(__file__).parent.parent / "versions" / "acme.policy").read_text(encoding="utf-8")


@pytest.fixture
def acme(ws):
    result = ws.compile({"policies/acme.policy": ACME})
    assert [d.code for d in result.diagnostics] == []  # the W344 of October is expected in the policy
    return result.tables["acme"]


def decide(table: dict, received: str, plan: str, severity: str) -> dict:
    return Table(table).decide({"received_at": received, "plan": plan, "severity": severity})


def test_the_table_records_three_versions_with_the_dated_lines_in_force(acme):
    assert "rules" not in acme  # a reader that knows no versions refuses the table
    got = [(v["from"], v["until"], [s["line"] for s in v["source"]]) for v in acme["versions"]]
    # cut on 1 July (calendar and targets change) and 1 October (the exception starts)
    assert got == [("2026-01-01", "2026-06-30", [8, 16]),
                   ("2026-07-01", "2026-09-30", [9, 22]),
                   ("2026-10-01", "2026-12-31", [9, 22, 29])]
    # the calendar differs across versions: one entry per content, named by its first day
    assert sorted(acme["calendars"]) == ["always", "hours@2026-01-01", "hours@2026-07-01"]
    assert acme["calendars"]["hours@2026-01-01"]["week"][0] == [[540, 1020]]  # 09:00-17:00
    assert acme["calendars"]["hours@2026-07-01"]["week"][0] == [[480, 1080]]  # 08:00-18:00


def test_a_june_ticket_keeps_june_terms_after_the_change(acme):
    # Tuesday 30 June 16:00 Paris, standard S1: "4h" on 09:00-17:00 (the June version, in
    # force when it was created): 1h on Tuesday, 3h on Wednesday 1 July from 09:00 ->
    # Wednesday 12:00 Paris = 10:00Z, although July's hours open at 08:00.
    d = decide(acme, "2026-06-30T16:00:00+02:00", "standard", "S1")
    assert (d["response"]["target"], d["response"]["due"]) == ("PT4H", "2026-07-01T10:00:00Z")
    assert d["response"]["calendar"] == "hours@2026-01-01"
    assert d["in_force"] == {"from": "2026-01-01", "until": "2026-06-30"}


def test_a_july_ticket_gets_july_hours_and_targets(acme):
    # Wednesday 1 July 07:30 Paris, standard S1: "2h" on 08:00-18:00 -> 10:00 Paris = 08:00Z.
    d = decide(acme, "2026-07-01T07:30:00+02:00", "standard", "S1")
    assert (d["response"]["target"], d["response"]["due"]) == ("PT2H", "2026-07-01T08:00:00Z")
    assert d["in_force"] == {"from": "2026-07-01", "until": "2026-09-30"}


@pytest.mark.parametrize("received, version, due", [
    # 23:30 Paris on 30 June (21:30Z): June's 8h on 09-17 -> Wednesday 09:00 + 8h = 17:00 Paris
    ("2026-06-30T21:30:00Z", "2026-01-01", "2026-07-01T15:00:00Z"),
    # 00:30 Paris on 1 July (22:30Z the day before): July's 8h on 08-18 -> 16:00 Paris
    ("2026-06-30T22:30:00Z", "2026-07-01", "2026-07-01T14:00:00Z"),
])
def test_the_change_happens_at_midnight_in_the_policys_zone_not_in_utc(acme, received, version, due):
    d = decide(acme, received, "standard", "S2")
    assert (d["in_force"]["from"], d["response"]["due"]) == (version, due)


def test_the_october_exception_is_around_the_clock_and_keeps_the_target(acme):
    # Saturday 3 October 10:00 Paris, premium S1: the exception (calendar `always`) with
    # July's 1h -> 11:00 Paris = 09:00Z, on a Saturday.
    d = decide(acme, "2026-10-03T10:00:00+02:00", "premium", "S1")
    assert (d["response"]["calendar"], d["response"]["due"]) == ("always", "2026-10-03T09:00:00Z")
    # A week before, no exception yet: Monday 28 September 08:00 + 1h = 09:00 Paris = 07:00Z.
    d = decide(acme, "2026-09-26T10:00:00+02:00", "premium", "S1")
    assert (d["response"]["calendar"], d["response"]["due"]) == ("hours@2026-07-01", "2026-09-28T07:00:00Z")


def test_an_undated_rule_applies_in_every_version(acme):
    # `when severity is S1: escalate { notify lead after 1h }` has no dates
    for received in ("2026-02-02T10:00:00+01:00", "2026-08-03T10:00:00+02:00", "2026-11-02T10:00:00+01:00"):
        (step,) = decide(acme, received, "standard", "S1")["escalation"]
        assert (step["to"], step["after"]) == (["lead"], "PT1H")


def test_a_ticket_is_read_by_its_creation_version_for_its_whole_life(acme):
    # Created Tuesday 30 June 16:00 Paris (June terms), read on 1 July at 11:00 Paris:
    # due at 12:00 Paris (first test), so still running.
    answer = Table(acme).evaluate({
        "facts": {"plan": "standard", "severity": "S1"},
        "events": [{"type": "created", "at": "2026-06-30T14:00:00Z"}], "now": "2026-07-01T09:00:00Z"})
    (occ,) = answer["metrics"]["first_response"]
    assert (occ["due"], occ["state"], answer["in_force"]["from"]) == ("2026-07-01T10:00:00Z", "running", "2026-01-01")


def test_the_period_ends_are_read_on_the_version_that_answers(acme):
    # 31 December 23:30 Paris is inside; 1 January 00:30 Paris (23:30Z) is not
    assert decide(acme, "2026-12-31T22:30:00Z", "standard", "S2")["in_force"]["until"] == "2026-12-31"
    with pytest.raises(CoverageError, match=r"hours@2026-07-01`, Europe/Paris, is 2027-01-01"):
        decide(acme, "2026-12-31T23:30:00Z", "standard", "S2")


def test_an_undated_policy_has_rules_and_answers_with_its_effective_period():
    from seed_tables import seed  # `tests/` is on sys.path

    data = seed("irex")
    assert "versions" not in data and "rules" in data
    irex = Table(data)
    d = irex.decide({"received_at": "2025-06-18T10:00:00+02:00", "plan": "standard", "severity": "L1",
                     "environment": "production"})
    assert d["in_force"] == {"from": "2025-01-01", "until": "2027-12-31"}  # `effective 2025-01-01..2027-12-31`


def test_invalid_versions_in_a_table_are_refused(acme):
    from policyc.evaluator import TableError

    broken = dict(acme, versions=[dict(acme["versions"][0], until="2026-06-29"), *acme["versions"][1:]])
    with pytest.raises(TableError, match="versions/1/from`: must be 2026-06-30"):
        Table(broken)
    with pytest.raises(TableError, match="rules"):
        Table({k: v for k, v in acme.items() if k != "versions"})


def test_explain_rules_names_each_version(ws):
    import subprocess
    import sys

    ws.write({"policies/acme.policy": ACME})
    out = subprocess.run([sys.executable, "-m", "policyc.cli", "check", "policies", "--explain-rules"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    # the October exception (line 29) overrides the July targets (line 22) in the last version only
    assert out == ["policy `acme`, tickets created 2026-01-01 .. 2026-06-30: which rule overrides which",
                   "policy `acme`, tickets created 2026-07-01 .. 2026-09-30: which rule overrides which",
                   "policy `acme`, tickets created 2026-10-01 .. 2026-12-31: which rule overrides which",
                   "policies/acme.policy:29: exception to `targets` overrides policies/acme.policy:22"]


def test_a_finding_of_some_versions_names_their_dates_and_a_witness_inside_them(ws):
    # premium S1 5h against S2 4h from July: S1 falls due later (W304 compares within a
    # version). In July-September both are on `hours`; from October S1 is on `always`.
    text = ACME.replace("    premium:          1h    4h", "    premium:          5h    4h")
    assert text != ACME
    found = [d.message for d in ws.compile({"policies/acme.policy": text}).diagnostics]
    assert len(found) == 2 and all(m.startswith("severity `S1` can fall due later") for m in found)
    july, october = found
    assert july.endswith("(tickets created 2026-07-01 .. 2026-09-30)")
    assert october.endswith("(tickets created 2026-10-01 .. 2026-12-31)")
    # each witness is a ticket the version answers: searched over the version's dates only
    assert "received Fri 2026-07-03" in july and "received Thu 2026-10-01" in october


def test_graph_shows_the_version_in_force_on_a_date(ws):
    import subprocess
    import sys

    ws.write({"policies/acme.policy": ACME})

    def graph(*extra):
        return subprocess.run([sys.executable, "-m", "policyc.cli", "graph", "policies/acme.policy", *extra],
                              capture_output=True, text=True)

    june, latest = graph("--on", "2026-06-15"), graph()
    assert "tickets created 2026-01-01 .. 2026-06-30" in june.stderr
    assert "tickets created 2026-10-01 .. 2026-12-31" in latest.stderr
    # June's rules are lines 16 (targets) and 31 (escalation); October's are 22, 29 and 31
    assert "acme.policy:16" in june.stdout and "acme.policy:22" not in june.stdout
    assert "acme.policy:29" in latest.stdout and "acme.policy:16" not in latest.stdout
    assert graph("--on", "June").returncode == 2


DATED_BASE = """policy base "Base" {
  version "1"
  effective 2026-01-01..2026-12-31
  calendar hours until 2026-06-30 { zone Europe/Paris open mon..fri 09:00-17:00 }
  calendar hours from 2026-07-01 { zone Europe/Paris open mon..fri 08:00-18:00 }
  dimension plan { standard, premium }
  severities { S1, S2 }
  respond on hours { target 8h }
  negotiable rule premium_targets until 2026-06-30: when plan is premium: respond { target 4h }
  negotiable rule premium_targets from 2026-07-01: when plan is premium: respond { target 2h }
}
"""


@pytest.mark.parametrize("period, versions", [
    ("2026-03-01..2026-12-31", [("2026-03-01", "2026-06-30"), ("2026-07-01", "2026-12-31")]),
    ("2026-09-01..2026-12-31", None),  # one version of the base in its dates: an undated table
])
def test_a_contract_on_a_dated_base_keeps_the_bases_versions_within_its_dates(ws, period, versions):
    contract = ('contract acme extends base "ACME" {\n  version "1"\n  effective ' + period + "\n"
                "  rule premium_targets: when plan is premium: respond { target 1h }\n}\n")
    result = ws.compile({"policies/base.policy": DATED_BASE, "policies/acme.policy": contract})
    assert [d.code for d in result.diagnostics] == []  # the base's dates outside the contract's are no finding
    table = result.tables["acme"]
    assert table["policy"]["effective"]["from"] == period[:10]
    assert (None if "rules" in table else [(v["from"], v["until"]) for v in table["versions"]]) == versions
    # ACME's premium 1h replaces both versions of the group, on the base's hours of the day:
    # Wednesday 2 September 2026 07:30 Paris -> opens 08:00 (July's hours) + 1h = 09:00 Paris = 07:00Z
    d = Table(table).decide({"received_at": "2026-09-02T07:30:00+02:00", "plan": "premium", "severity": "S1"})
    assert d["response"]["due"] == "2026-09-02T07:00:00Z"
    if versions:  # Tuesday 3 March 08:30 Paris -> opens 09:00 (June's hours) + 1h = 10:00 Paris (UTC+1) = 09:00Z
        d = Table(table).decide({"received_at": "2026-03-03T08:30:00+01:00", "plan": "premium", "severity": "S1"})
        assert d["response"]["due"] == "2026-03-03T09:00:00Z"
