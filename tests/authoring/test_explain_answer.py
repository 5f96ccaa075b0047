"""`policyc explain`: a decision part by part, traced to the policy lines that made it.

Every expected value below is worked by hand from the regulation quoted in the policy's
comments (the worked reasoning is beside each case), never copied from the program. The
golden files (tests/authoring/golden/explain_*.txt) hold the whole text output of each
case; they were read line by line against the policy file and the reasoning here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from policyc.explain_sources import comment_above
from policyc.explain_walk import counted

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMA = json.loads((REPO / "src/policyc/schema/explain.schema.json").read_text(encoding="utf-8"))


def run(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "policyc.cli", "explain", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def explained(*args, cwd=REPO) -> dict:
    """The JSON explanation, checked against the published schema."""
    proc = run(*args, "--format", "json", cwd=cwd)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    out = json.loads(proc.stdout)
    jsonschema.validate(out, SCHEMA, cls=jsonschema.Draft202012Validator)
    return out


def golden(name: str, *args, cwd=REPO) -> None:
    proc = run(*args, cwd=cwd)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (GOLDEN / name).read_text(encoding="utf-8"), (
        f"the explanation changed: review the difference, then write it to tests/authoring/golden/{name} "
        f"with `policyc explain {' '.join(args)}`")


def line(path: str, pattern: str) -> int:
    """The line of the policy file (from the repository) that matches `pattern`: the tests
    name lines by what they say, so a reformatted policy moves them without breaking them."""
    text = (REPO / path).read_text(encoding="utf-8").splitlines()
    [found] = [i for i, t in enumerate(text, 1) if re.search(pattern, t)]
    return found


def part(x: dict, name: str, metric: str | None = None, k: int = 0) -> dict:
    return next(p for p in x["parts"] if p["part"] == name and p.get("metric") == metric
                and p.get("occurrence", 0) == k)


def at(lines: list) -> list:
    return [(s["file"], s["line"]) for s in lines]


def wins(p: dict) -> list:
    return [(o["winner"]["line"], o["loser"]["line"], o["attribute"], o["why"]) for o in p["overrode"]]


IREX = "policies/irex.policy"
PREMIER_RULE, PREMIER_ROW = line(IREX, r"rule premier_targets:"), line(IREX, r"^\s*premier:\s+1h")
WEEKEND_RULE = line(IREX, r"respond on business \+ weekend")

# IREX, Premier L1 on production, received Friday 2025-06-13 23:30 Paris time (CEST,
# UTC+2: 21:30Z). "Temps de réponse: Support de premier ordre: 1 heure" (line 121's
# row); "Les clients de premier plan ... reçoivent un support de week-end pour les
# escalades L1 et L2" (line 142): the clock runs on business + weekend, and the weekend
# coverage "commence les vendredis à 16 h et se termine le lundi à 8 h 00". Friday
# 23:30 is inside it, so the hour counts 23:30 .. 00:30: due Saturday 00:30 CEST,
# 2025-06-13T22:30Z. Line 142 names the calendar for Premier L1/L2 only, inside the
# Premier rule of line 119: more specific, it overrides 119's `business`.
# Escalation: "les billets de support Premier sont réagis par les ingénieurs de soutien
# seniors", and Premier L1/L2 add the phone (line 162, chain premier_critical: notify
# senior_support, phone senior_support), more specific than the default (160) and the
# Premier chain (161).
PREMIER_L1 = json.dumps({"received_at": "2025-06-13T23:30:00+02:00", "plan": "premier",
                         "severity": "L1", "environment": "production"})


def test_irex_premier_l1_on_friday_evening_runs_on_the_weekend_coverage():
    x = explained("generated/irex.json", "--facts", PREMIER_L1)
    fr = part(x, "metric", "first_response")
    assert (fr["answer"]["target"], fr["answer"]["calendar"], fr["answer"]["due"]) == (
        "PT1H", "business+weekend", "2025-06-13T22:30:00Z")
    assert at(fr["source"]) == [(IREX, PREMIER_ROW), (IREX, WEEKEND_RULE)]
    assert fr["source"][1]["comment"][0].startswith('"Couverture du week-end - Les clients de premier plan')
    assert wins(fr) == [(WEEKEND_RULE, PREMIER_RULE, "calendar", "more specific")]
    walk = fr["walk"]
    assert [(o["local"], o["counted"]) for o in walk["open"]] == [
        ("Fri 2025-06-13 23:30 .. Sat 2025-06-14 00:30", "PT1H")]
    assert (walk["skipped"], walk["pauses"], walk["counted"]) == ([], [], "PT1H")
    # the union's members: the business day (line 21) and the weekend coverage (line 29)
    assert at(walk["source"]) == [(IREX, line(IREX, r"calendar business ")), (IREX, line(IREX, r"calendar weekend "))]
    esc = part(x, "escalation")
    assert [(s["channel"], s["to"]) for s in esc["answer"]["escalation"]] == [
        ("notify", ["senior_support"]), ("phone", ["senior_support"])]
    critical, default, premier = (line(IREX, r"escalate premier_critical\s*$"), line(IREX, r"^\s*escalate\s*\{\s*notify support"),
                                 line(IREX, r"plan is premier: escalate premier_ticket"))
    assert at(esc["source"]) == [(IREX, critical)]
    assert wins(esc) == [(critical, default, "steps", "more specific"), (critical, premier, "steps", "more specific")]
    # nothing lowers a production L1 (line 79 applies to non-production only)
    assert part(x, "severity")["source"] == [] and x["notes"] == []
    golden("explain_irex_premier_l1.txt", "generated/irex.json", "--facts", PREMIER_L1)


# IREX, Standard L1, received Friday 2025-06-13 15:00 CEST (13:00Z): "Support standard:
# 4 heures" on the business day coverage, "du lundi au vendredi, de 8h à 16h": one hour
# on Friday (15:00-16:00), Saturday and Sunday have no hours, three hours on Monday
# (08:00-11:00): due Monday 2025-06-16 11:00 CEST, 09:00Z.
def test_irex_standard_l1_waits_over_the_weekend():
    facts = json.dumps({"received_at": "2025-06-13T13:00:00Z", "plan": "standard", "severity": "L1",
                        "environment": "production"})
    x = explained("generated/irex.json", "--facts", facts)
    fr = part(x, "metric", "first_response")
    assert fr["answer"]["due"] == "2025-06-16T09:00:00Z"
    assert [(o["local"], o["counted"]) for o in fr["walk"]["open"]] == [
        ("Fri 2025-06-13 15:00 .. 16:00", "PT1H"), ("Mon 2025-06-16 08:00 .. 11:00", "PT3H")]
    assert [(s["date"], s["why"]) for s in fr["walk"]["skipped"]] == [
        ("2025-06-14", "no hours on Saturdays"), ("2025-06-15", "no hours on Sundays")]
    assert at(fr["source"]) == [(IREX, line(IREX, r"when plan is standard: respond on business")),
                                 (IREX, line(IREX, r"^\s*standard:\s+4h"))] and wins(fr) == []
    golden("explain_irex_standard_weekend.txt", "generated/irex.json", "--facts", facts)


# Navixy SaaS, L2, received Wednesday 2025-06-11 20:00 Moscow time (UTC+3: 17:00Z):
# "the guaranteed response time is 12 business hours", a business hour being any hour
# of a Russian working day (calendar working_days, line 22, `holidays russia`). Four
# hours on Wednesday (20:00-24:00); Thursday 12 June is Russia Day and Friday 13 June a
# transferred day off (both closed by the table's holiday data, named as it names
# them); Saturday and Sunday are not working days; eight hours on Monday 16 June
# (00:00-08:00): due Monday 08:00 Moscow, 2025-06-16T05:00Z. The ticket arrived on a
# working day, so the time is guaranteed ("guaranteed if received within working_days").
NAVIXY_HOLIDAY = json.dumps({"received_at": "2025-06-11T20:00:00+03:00", "deployment": "saas",
                             "severity": "L2"})


def test_navixy_saas_ticket_across_russia_day():
    x = explained("generated/navixy.json", "--facts", NAVIXY_HOLIDAY)
    fr = part(x, "metric", "first_response")
    assert (fr["answer"]["due"], fr["answer"]["guaranteed"]) == ("2025-06-16T05:00:00Z", True)
    assert fr["guarantee"] == {"rule": "received_within", "calendar": "working_days"}
    walk = fr["walk"]
    assert [(o["local"], o["counted"]) for o in walk["open"]] == [
        ("Wed 2025-06-11 20:00 .. 24:00", "PT4H"), ("Mon 2025-06-16 00:00 .. 08:00", "PT8H")]
    skipped = [(s["date"], s["why"]) for s in walk["skipped"]]
    assert skipped[0] == ("2025-06-12", "holiday: Russia Day")
    assert skipped[1][0] == "2025-06-13" and skipped[1][1].startswith("holiday: Day off")
    assert skipped[2:] == [("2025-06-14", "no hours on Saturdays"), ("2025-06-15", "no hours on Sundays")]
    assert at(walk["source"]) == [("policies/navixy.policy", line("policies/navixy.policy", r"calendar working_days "))]
    assert walk["source"][0]["comment"][0].startswith('"Technical support team works for you 24/7"')
    golden("explain_navixy_holiday.txt", "generated/navixy.json", "--facts", NAVIXY_HOLIDAY)


# Red Hat's own example (policies/redhat.tests.yaml, first case): Standard sev1, 1 hour on
# the customer's local business hours (New York: Mon-Fri 09:00-18:00), received Friday
# 2025-01-17 17:45 EST (22:45Z): 15 minutes on Friday; Monday 20 January is Martin
# Luther King Jr. Day, a public holiday of the US (the customer's region US-NY is `of`
# US); 45 minutes from Tuesday's opening: due 09:45 EST, 14:45Z.
def test_redhat_calendar_that_follows_the_customer_skips_the_region_s_holiday():
    facts = json.dumps({"received_at": "2025-01-17T17:45:00-05:00", "customer_zone": "America/New_York",
                        "country": "US-NY", "subscription": "standard", "severity": "sev1"})
    walk = part(explained("generated/redhat.json", "--facts", facts), "metric", "first_response")["walk"]
    assert (walk["until"], walk["zone"]) == ("2025-01-21T14:45:00Z", "America/New_York")
    assert [(o["local"], o["counted"]) for o in walk["open"]] == [
        ("Fri 2025-01-17 17:45 .. 18:00", "PT15M"), ("Tue 2025-01-21 09:00 .. 09:45", "PT45M")]
    assert [(s["date"], s["why"]) for s in walk["skipped"]] == [
        ("2025-01-18", "no hours on Saturdays"), ("2025-01-19", "no hours on Sundays"),
        ("2025-01-20", "holiday (a public holiday of `US`)")]


# ACME's IREX contract (policies/contracts/acme_irex.policy): Premier L1 is "30 min" on
# ACME's extended hours (line 26's row), but "IREX's weekend coverage still applies to
# Premier L1/L2 (a more specific rule of the base, not negotiable)": irex line 142
# overrides the contract rule's calendar (line 24). Received Friday 2026-06-12 23:30
# Paris (21:30Z), inside the weekend coverage: due 2026-06-12T22:00Z.
def test_a_contract_is_traced_to_its_own_lines_and_its_base_s():
    facts = json.dumps({"received_at": "2026-06-12T23:30:00+02:00", "plan": "premier", "severity": "L1",
                        "environment": "production"})
    fr = part(explained("generated/acme_irex.json", "--facts", facts), "metric", "first_response")
    assert (fr["answer"]["due"], fr["answer"]["calendar"]) == ("2026-06-12T22:00:00Z", "business+weekend")
    contract = "policies/contracts/acme_irex.policy"
    assert at(fr["source"]) == [(contract, line(contract, r"^\s*premier:\s+30min")), (IREX, WEEKEND_RULE)]
    assert [(o["winner"]["file"], o["winner"]["line"], o["loser"]["file"], o["loser"]["line"], o["attribute"])
            for o in fr["overrode"]] == [(IREX, WEEKEND_RULE, contract, line(contract, r"rule premier_targets:"), "calendar")]


def test_a_policy_that_no_longer_compiles_is_said_once(tmp_path):
    (tmp_path / "generated").mkdir()
    shutil.copy(REPO / "generated/irex.json", tmp_path / "generated/irex.json")
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    with open(tmp_path / "policies/irex.policy", "a", encoding="utf-8") as f:
        f.write("\npolicy broken {\n")
    x = explained("generated/irex.json", "--facts", PREMIER_L1, cwd=tmp_path)
    assert x["notes"] == ["what each rule overrode is not shown: the policy `policies/irex.policy` has errors "
                          "now; run `policyc check policies/irex.policy`"]
    fr = part(x, "metric", "first_response")
    assert fr["overrode"] == [] and fr["source"][1]["text"].startswith("when plan is premier and severity is L1")


@pytest.fixture(scope="module")
def acme(tmp_path_factory):
    """tests/versions/acme.policy compiled in a folder of its own: policies/ and generated/."""
    root = tmp_path_factory.mktemp("acme")
    (root / "policies").mkdir()
    shutil.copy(REPO / "tests/versions/acme.policy", root / "policies/acme.policy")
    proc = subprocess.run([sys.executable, "-m", "policyc.cli", "compile", "policies", "--out", "generated"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


ACME = "policies/acme.policy"  # as compiled in its own folder
ACME_FILE = "tests/versions/acme.policy"
HOURS_JULY, TARGETS_JULY = line(ACME_FILE, r"calendar hours from"), line(ACME_FILE, r"rule targets from")
EXCEPTION = line(ACME_FILE, r"exception to targets from")
# Acme, Premium S1, received Friday 2026-10-02 20:00 Paris (CEST: 18:00Z). Three
# versions: until 30 June (line 16's targets, hours 09-17), from 1 July (line 22's, hours
# 08-18), from 1 October the exception of line 29: "Premium Severity 1 is answered
# around the clock" (`respond on always`). The ticket is of the third version; line 25's
# row gives 1h ("New response targets from 1 July 2026": premium 1h), line 29's exception
# to `targets` overrides line 22's calendar. Around the clock, 1h: due 19:00Z. The
# escalation "notify lead after 1h" (line 31) is due when the clock has counted 1h, 19:00Z.
ACME_OCTOBER = json.dumps({"received_at": "2026-10-02T20:00:00+02:00", "plan": "premium", "severity": "S1"})


def test_dated_policy_names_the_version_that_answered(acme):
    x = explained("generated/acme.json", "--facts", ACME_OCTOBER, cwd=acme)
    assert [(v["from"], v["until"], v["answered"]) for v in x["in_force"]["versions"]] == [
        ("2026-01-01", "2026-06-30", False), ("2026-07-01", "2026-09-30", False), ("2026-10-01", "2026-12-31", True)]
    assert at(x["in_force"]["versions"][2]["source"]) == [(ACME, HOURS_JULY), (ACME, TARGETS_JULY), (ACME, EXCEPTION)]
    # on 1 October only the exception is new; it replaces no earlier line
    [change] = x["in_force"]["changed"]
    assert (change["line"]["line"], change["replaced"]) == (EXCEPTION, None)
    fr = part(x, "metric", "first_response")
    assert (fr["answer"]["calendar"], fr["answer"]["due"]) == ("always", "2026-10-02T19:00:00Z")
    assert at(fr["source"]) == [(ACME, line(ACME_FILE, r"^\s*premium:\s+1h")), (ACME, EXCEPTION)]
    assert fr["source"][1]["comment"] == ['"From 1 October 2026, Premium Severity 1 is answered around the clock."']
    assert wins(fr) == [(EXCEPTION, TARGETS_JULY, "calendar", "an exception to `targets`")]
    [step] = part(x, "escalation")["answer"]["escalation"]
    assert (step["at"], step["fired"]) == ("2026-10-02T19:00:00Z", False)
    golden("explain_acme_dated.txt", "generated/acme.json", "--facts", ACME_OCTOBER, cwd=acme)


# The same ticket on Friday 2026-08-07 17:30 Paris (15:30Z), in the second version: 1h on
# the hours of 1 July (08:00-18:00): half an hour on Friday, none on the weekend, half an
# hour from Monday's opening: due Monday 2026-08-10 08:30 Paris, 06:30Z.
def test_dated_policy_before_the_exception(acme):
    facts = json.dumps({"received_at": "2026-08-07T17:30:00+02:00", "plan": "premium", "severity": "S1"})
    x = explained("generated/acme.json", "--facts", facts, cwd=acme)
    assert (x["in_force"]["from"], x["in_force"]["until"]) == ("2026-07-01", "2026-09-30")
    fr = part(x, "metric", "first_response")
    assert (fr["answer"]["calendar"], fr["answer"]["due"]) == ("hours@2026-07-01", "2026-08-10T06:30:00Z")
    assert [o["local"] for o in fr["walk"]["open"]] == ["Fri 2026-08-07 17:30 .. 18:00", "Mon 2026-08-10 08:00 .. 08:30"]
    assert at(fr["walk"]["source"]) == [(ACME, HOURS_JULY)] and wins(fr) == []
    # from 1 July the hours (line 9) and the targets (line 22) replace those of line 8 and 16
    assert [(c["line"]["line"], c["replaced"]["line"]) for c in x["in_force"]["changed"]] == [
        (HOURS_JULY, line(ACME_FILE, r"calendar hours until")), (TARGETS_JULY, line(ACME_FILE, r"rule targets until"))]



def test_a_version_replaces_the_one_before_whatever_the_order_of_its_dates_and_label(tmp_path):
    # `calendar hours until D "Hours"` and `calendar hours "Hours" from D` are two versions of
    # one calendar (the language takes the dates before or after the label): the compiler
    # says so, not the text of the lines (which read `calendar hours` and `calendar hours "Hours"`)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/p.policy").write_text("""policy p "P" {
  version "1"
  effective 2026-01-01..2026-12-31
  calendar hours until 2026-06-30 "Hours" { zone Europe/Paris open mon..fri 09:00-17:00 }
  calendar hours "Hours" from 2026-07-01 { zone Europe/Paris open mon..fri 08:00-18:00 }
  severities { S1 }
  respond on hours { target 4h }
}
""", encoding="utf-8")
    compiled = subprocess.run([sys.executable, "-m", "policyc.cli", "compile", "policies", "--out", "generated"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    x = explained("generated/p.json", "--facts", json.dumps({"received_at": "2026-07-02T10:00:00+02:00",
                                                            "severity": "S1"}), cwd=tmp_path)
    assert [(c["line"]["line"], c["replaced"]["line"]) for c in x["in_force"]["changed"]] == [(5, 4)]


PAUSING = """\
policy p "P" {
  version "1"
  effective 2025-01-01..2025-12-31
  # "The office is open 09:00-17:00 UTC on weekdays."
  calendar office { zone UTC open mon..fri 09:00-17:00 }
  severities { S1, S2 }
  # "Severity 2 questions go to the community forum."
  when severity is S2: no support "Community forum only"
  statuses { open, waiting, solved }
  # "The clock stops while we wait on you."
  metric resolution { start on created  stop on status to solved  pause in waiting }
  # "Resolved within 8 business hours."
  measure resolution on office { target 8h }
  respond on office { target 4h }
}
"""


@pytest.fixture(scope="module")
def pausing(tmp_path_factory):
    root = tmp_path_factory.mktemp("pausing")
    (root / "policies").mkdir()
    (root / "policies/p.policy").write_text(PAUSING, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "policyc.cli", "compile", "policies", "--out", "generated"],
                   cwd=root, capture_output=True, check=True, timeout=120)
    return root


def test_a_ticket_without_support_says_why_and_where(pausing):
    facts = json.dumps({"received_at": "2025-06-02T10:00:00Z", "severity": "S2"})
    x = explained("generated/p.json", "--facts", facts, cwd=pausing)
    support = part(x, "support")
    assert support["answer"]["supported"] is False
    assert at(support["source"]) == [("policies/p.policy", 8)]
    assert support["source"][0]["comment"] == ['"Severity 2 questions go to the community forum."']
    assert not [p for p in x["parts"] if p["part"] == "metric"]  # no clock is kept
    text = run("generated/p.json", "--facts", facts, cwd=pausing).stdout
    assert "support: not entitled: Community forum only\n  policies/p.policy:8  when severity is S2" in text


def test_pauses_are_left_out_of_the_walk(pausing):
    """Created Monday 2025-06-02 10:00Z, waiting on the customer 12:00 .. Tuesday 10:00:
    2h counted on Monday, then the 6h left from Tuesday 10:00, due Tuesday 16:00Z."""
    tmp_path = pausing
    (tmp_path / "t.json").write_text(json.dumps({"facts": {"severity": "S1"}, "now": "2025-06-03T12:00:00Z", "events": [
        {"at": "2025-06-02T10:00:00Z", "type": "created"},
        {"at": "2025-06-02T12:00:00Z", "type": "status", "status": "waiting"},
        {"at": "2025-06-03T10:00:00Z", "type": "status", "status": "open"}]}), encoding="utf-8")
    x = explained("generated/p.json", "--ticket", "t.json", cwd=tmp_path)
    res = part(x, "metric", "resolution")
    assert res["answer"]["due"] == "2025-06-03T16:00:00Z"
    assert res["walk"]["pauses"] == [{"from": "2025-06-02T12:00:00Z", "until": "2025-06-03T10:00:00Z"}]
    assert [(o["local"], o["counted"]) for o in res["walk"]["open"]] == [
        ("Mon 2025-06-02 10:00 .. 12:00", "PT2H"), ("Tue 2025-06-03 10:00 .. 16:00", "PT6H")]
    assert res["source"][0]["comment"] == ['"Resolved within 8 business hours."']


def test_counted_leaves_out_pauses_and_clips_them():
    from datetime import datetime, timezone

    def t(h):
        return datetime(2025, 6, 2, h, tzinfo=timezone.utc)

    assert counted(t(1), t(9), [(t(2), t(3)), (t(5), None)]) == [(t(1), t(2)), (t(3), t(5))]
    # a pause that begins after the end counts nothing more
    assert counted(t(1), t(4), [(t(6), t(7)), (t(8), None)]) == [(t(1), t(4))]


def test_the_comment_above_is_the_statement_s_own():
    lines = ["policy p {", "  # quoted", "  # regulation", "  expect W304 \"why\"", "  rule r: respond on c {",
             "    plan \\ severity  S1", "    gold:            1h", "  }", "  escalate { notify x }",
             "  when plan is gold: escalate y"]
    assert comment_above(lines, 7) == ["quoted", "regulation"]  # a table row: its rule's comment
    assert comment_above(lines, 5) == ["quoted", "regulation"]  # `expect` passed over
    assert comment_above(lines, 10) == []  # the statement above has no comment: none, not its neighbour's


def test_without_the_policy_files_it_says_so_once_and_explains_from_the_table(tmp_path):
    shutil.copy(REPO / "generated/irex.json", tmp_path / "irex.json")
    x = explained("irex.json", "--facts", PREMIER_L1, cwd=tmp_path)
    assert len(x["notes"]) == 1 and "policy source not found: `policies/irex.policy`" in x["notes"][0]
    fr = part(x, "metric", "first_response")
    assert fr["answer"]["due"] == "2025-06-13T22:30:00Z" and fr["overrode"] == []
    assert fr["source"][0] == {"file": IREX, "line": 121, "text": None, "comment": None}
    text = run("irex.json", "--facts", PREMIER_L1, cwd=tmp_path).stdout
    assert text.count("policy source not found") == 1 and "policies/irex.policy:121" in text


@pytest.mark.parametrize("args, message", [
    (["generated/nope.json", "--facts", "{}"], "policyc: cannot read table `generated/nope.json`"),
    (["generated/irex.json", "--facts", "{\"plan\": "], "policyc: facts are not valid JSON"),
    (["generated/irex.json", "--facts", json.dumps({"received_at": "2025-06-13T21:30:00Z", "plan": "gold"})],
     "policyc: unknown value `gold` for fact `plan`"),
    (["generated/irex.json", "--facts", json.dumps({"received_at": "2025-06-13T21:30:00", "plan": "premier",
                                                    "severity": "L1", "environment": "production"})],
     "policyc: fact `received_at` `2025-06-13T21:30:00` has no UTC offset"),
    (["generated/irex.json", "--facts", json.dumps({"received_at": "2031-01-01T00:00:00Z", "plan": "premier",
                                                    "severity": "L1", "environment": "production"})],
     "policyc: fact `received_at` `2031-01-01T00:00:00Z` is outside the dates policy `irex` is effective"),
    (["generated/irex.json", "--ticket", "no-such-ticket.json"], "policyc: cannot read `no-such-ticket.json`"),
])
def test_bad_input_is_one_message_and_the_exit_code_of_eval(args, message):
    proc = run(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(message) and proc.stderr.count("\n") == 1, proc.stderr
    evaluated = subprocess.run([sys.executable, "-m", "policyc.cli", "eval", *args], cwd=REPO,
                               capture_output=True, text=True, timeout=120)
    assert (evaluated.returncode, evaluated.stderr) == (2, proc.stderr)


def test_the_answer_is_eval_s_answer():
    """`explain` adds to the decision and changes nothing in it."""
    x = explained("generated/navixy.json", "--ticket", "examples/ticket.json")
    proc = subprocess.run([sys.executable, "-m", "policyc.cli", "eval", "generated/navixy.json", "--ticket",
                           "examples/ticket.json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert x["decision"] == json.loads(proc.stdout)
    # the severity changed during the ticket (a `facts` event): the explanation says so
    assert x["facts"]["severity"] == "L2" and x["decision"]["severity"] == "L1"
    assert "L1 (as given at 2025-06-25T18:00:00Z; L2 when the ticket was created" in run(
        "generated/navixy.json", "--ticket", "examples/ticket.json").stdout


def test_the_schema_refuses_what_the_format_does_not_have():
    x = explained("generated/navixy.json", "--facts", NAVIXY_HOLIDAY)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    part(x, "metric", "first_response")["walk"]["open"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(x, SCHEMA, cls=jsonschema.Draft202012Validator)


ACROSS_ZONES = """\
policy z "Z" {
  version "1"
  effective 2025-01-01..2025-12-31
  calendar paris { zone Europe/Paris open mon..fri 09:00-17:00 }
  calendar ny { zone America/New_York open mon..fri 09:00-17:00 }
  severities { S1 }
  respond on paris + ny { target 10h }
}
"""


def test_a_union_across_zones_is_walked_in_real_time(tmp_path):
    """Friday 2025-06-13 12:00Z is 14:00 in Paris (CEST) and 08:00 in New York (EDT). Paris
    is open until 17:00 (15:00Z), New York from 09:00 EDT (13:00Z) to 17:00 EDT (21:00Z):
    together 12:00Z .. 21:00Z, 9 hours, read in the union's home zone (Paris, its first
    member) as 14:00 .. 23:00. The hour left is Monday's first, 09:00-10:00 Paris: due
    2025-06-16T08:00Z."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/z.policy").write_text(ACROSS_ZONES, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "policyc.cli", "compile", "policies", "--out", "generated"],
                   cwd=tmp_path, capture_output=True, check=True, timeout=120)
    facts = json.dumps({"received_at": "2025-06-13T12:00:00Z", "severity": "S1"})
    walk = part(explained("generated/z.json", "--facts", facts, cwd=tmp_path), "metric", "first_response")["walk"]
    assert (walk["until"], walk["zone"], walk["counted"]) == ("2025-06-16T08:00:00Z", "Europe/Paris", "PT10H")
    assert [(o["from"], o["until"], o["local"]) for o in walk["open"]] == [
        ("2025-06-13T12:00:00Z", "2025-06-13T21:00:00Z", "Fri 2025-06-13 14:00 .. 23:00"),
        ("2025-06-16T07:00:00Z", "2025-06-16T08:00:00Z", "Mon 2025-06-16 09:00 .. 10:00")]
    assert at(walk["source"]) == [("policies/z.policy", 4), ("policies/z.policy", 5)]


def test_output_is_utf_8_whatever_the_stream_s_encoding():
    """The policy lines quote Russian: an ASCII standard output still gets them, as UTF-8."""
    import os

    proc = subprocess.run([sys.executable, "-m", "policyc.cli", "explain", "generated/navixy.json", "--facts",
                           NAVIXY_HOLIDAY], cwd=REPO, capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0 and "Рабочие дни (МСК)" in proc.stdout.decode("utf-8")
