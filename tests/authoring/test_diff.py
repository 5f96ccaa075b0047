"""`policyc diff OLD NEW`: what changes for tickets between two versions of a policy.

Every expected line below is worked out by hand from the policies (IREX: business is
Mon-Fri 08:00-16:00 Europe/Paris; Premier L1/L2 also run on the weekend window, Fri
16:00 - Mon 08:00; Standard L4 is due at the close of the next business day; CET is
UTC+1 until 2026-03-29, CEST UTC+2 after), never copied from the program's output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from policyc.difftickets import signed

REPO = Path(__file__).resolve().parents[2]


def run(*args, cwd=REPO, env=None):
    return subprocess.run([sys.executable, "-m", "policyc.cli", "diff", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


PREMIER_ROW = "    premier:          1h    2h    8h    1 business day"
BUSINESS_HOURS = "    zone Europe/Paris\n    open mon..fri 08:00-16:00\n  }"


def seed_change(root: Path) -> Path:
    """IREX with Premier L2 at 3h instead of 2h, and the business calendar closed on
    Friday 2026-05-01; the policy file of the copy."""
    shutil.copytree(REPO / "policies", root / "policies")
    policy = root / "policies" / "irex.policy"
    edit(policy, PREMIER_ROW, PREMIER_ROW.replace("2h", "3h"))
    edit(policy, BUSINESS_HOURS, BUSINESS_HOURS.replace("16:00\n", "16:00\n    closed 2026-05-01\n"))
    return policy


# The seed change, as a reviewer reads it:
#  - the Premier L2 row: 2h -> 3h, for Premier L2 tickets only (the weekend cover rule
#    changes the calendar of L1/L2, not the target);
#  - business: Friday 2026-05-01 closed instead of its usual 08:00-16:00;
#  - business+weekend (Premier L1/L2): that Friday keeps only the weekend window, which
#    opens at 16:00 and runs to midnight (and on over the weekend).
SEED_TEXT = """\
policy `irex`
`first_response` target:
  when plan is premier and severity is L2: 2h -> 3h
calendar `business`:
  2026-05-01: usual hours -> closed
calendar `business+weekend`:
  2026-05-01: usual hours -> open 16:00-24:00
3 differences for tickets
"""


def test_a_target_and_a_holiday_changed(tmp_path):
    new = seed_change(tmp_path)
    proc = run("policies/irex.policy", str(new))
    assert (proc.returncode, proc.stderr, proc.stdout) == (1, "", SEED_TEXT)


def test_the_same_policy_has_no_difference():
    proc = run("policies/irex.policy", "policies/irex.policy")
    assert (proc.returncode, proc.stdout) == (0, "policy `irex`\nno difference for tickets\n")


def test_github_notices_point_at_the_new_policy_lines(tmp_path):
    new = seed_change(tmp_path)
    proc = run(str(REPO / "policies/irex.policy"), "policies/irex.policy", "--format", "github", cwd=tmp_path)
    row = line_of(new, "premier:          1h    3h")  # the edited row, not its rule's first line
    calendar = line_of(new, 'calendar business "Business day coverage"')
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"::notice file=policies/irex.policy,line={row},title=policyc diff::`first_response` target: "
        "when plan is premier and severity is L2: 2h -> 3h",
        f"::notice file=policies/irex.policy,line={calendar},title=policyc diff::calendar `business`: "
        "2026-05-01: usual hours -> closed",
        # a union of calendars has no line of its own: where its first part is defined
        f"::notice file=policies/irex.policy,line={calendar},title=policyc diff::calendar `business+weekend`: "
        "2026-05-01: usual hours -> open 16:00-24:00",
    ]


def test_json_is_a_stable_structure(tmp_path):
    new = seed_change(tmp_path)
    proc = run("policies/irex.policy", str(new), "--format", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and doc["schema_version"] == 1 and doc["differences"] == 3
    assert (doc["old"], doc["new"], doc["tickets"]) == ("irex", "irex", None)
    first = doc["changes"][0]
    assert first["conditions"] == {"plan": ["premier"], "severity": ["L2"]}
    assert (first["aspect"], first["old"], first["new"]) == ("`first_response` target", "2h", "3h")
    assert first["period"] is None
    assert [(c["aspect"], c["when"], c["new"]) for c in doc["changes"][1:]] == [
        ("calendar `business`", "2026-05-01", "closed"),
        ("calendar `business+weekend`", "2026-05-01", "open 16:00-24:00")]
    assert proc.stdout == json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# Tickets (one facts object a line; line 4 blank, numbered as `eval --batch` numbers it):
TICKETS = [
    # Wed 2026-03-04 10:00 CET (09:00Z), Premier L2, inside hours: 2h -> 11:00Z, 3h -> 12:00Z
    {"received_at": "2026-03-04T10:00:00+01:00", "plan": "premier", "severity": "L2", "environment": "production"},
    # Thu 2026-04-30 15:00 CEST, Standard L1 (4h on business): 1h on Thursday, then 3h from
    # the next opening: Fri 08:00 + 3h = 11:00 CEST (09:00Z); with Friday closed, Mon
    # 2026-05-04 11:00 CEST (09:00Z): three days later
    {"received_at": "2026-04-30T15:00:00+02:00", "plan": "standard", "severity": "L1", "environment": "production"},
    # Fri 2026-05-01 10:00 CEST, Premier L1 (1h): 11:00 CEST (09:00Z); with business closed
    # the clock waits for the weekend window at 16:00: 17:00 CEST (15:00Z), 6h later
    {"received_at": "2026-05-01T10:00:00+02:00", "plan": "premier", "severity": "L1", "environment": "production"},
    None,
    # the same for Premier L2: 2h -> 12:00 CEST (10:00Z); 3h from 16:00 -> 19:00 CEST (17:00Z)
    {"received_at": "2026-05-01T10:00:00+02:00", "plan": "premier", "severity": "L2", "environment": "production"},
    # Standard L2 on a Wednesday in March: nothing it depends on changed
    {"received_at": "2026-03-04T09:00:00+01:00", "plan": "standard", "severity": "L2", "environment": "production"},
    # received in 2030, after the policy's period: both tables refuse it
    {"received_at": "2030-03-04T09:00:00+01:00", "plan": "standard", "severity": "L2", "environment": "production"},
]


def write_tickets(path: Path, tickets=TICKETS) -> Path:
    path.write_text("".join((json.dumps(t) if t else "") + "\n" for t in tickets), encoding="utf-8")
    return path


def test_tickets_whose_due_instant_moves(tmp_path):
    new = seed_change(tmp_path)
    tickets = write_tickets(tmp_path / "tickets.jsonl")
    proc = run("policies/irex.policy", str(new), "--tickets", str(tickets))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == SEED_TEXT.replace("3 differences", """\
tickets: 4 of 6 move (1 refused by both tables)
  line 1: `first_response` due 2026-03-04T11:00:00Z -> 2026-03-04T12:00:00Z (+1h)
  line 2: `first_response` due 2026-05-01T09:00:00Z -> 2026-05-04T09:00:00Z (+3d)
  line 3: `first_response` due 2026-05-01T09:00:00Z -> 2026-05-01T15:00:00Z (+6h)
  line 5: `first_response` due 2026-05-01T10:00:00Z -> 2026-05-01T17:00:00Z (+7h)
3 differences""")
    back = run(str(new), "policies/irex.policy", "--tickets", str(tickets), "--format", "json")
    moves = [(t["line"], m["by"]) for t in json.loads(back.stdout)["tickets"]["moved"] for m in t["changes"]]
    assert moves == [(1, "-1h"), (2, "-3d"), (3, "-6h"), (5, "-7h")]


def test_severity_and_escalation_changes(tmp_path):
    """Non-production L3 no longer becomes L4; Premier L2 no longer gets the phone."""
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    new = tmp_path / "policies" / "irex.policy"
    edit(new, "severity L1, L2, L3 becomes L4", "severity L1, L2 becomes L4")
    edit(new, "when plan is premier and severity is L1, L2: escalate",
         "when plan is premier and severity is L1: escalate")
    # Standard non-production L3, Wed 2026-03-04 10:00 CET: before, L4, due at the close of
    # the next business day, Thu 16:00 CET (15:00Z); now L3, 16h of business time: 6h on
    # Wednesday, 8h on Thursday, 2h on Friday: Fri 10:00 CET (09:00Z), 18h later.
    tickets = write_tickets(tmp_path / "t.jsonl", [{"received_at": "2026-03-04T10:00:00+01:00", "plan": "standard",
                                                     "severity": "L3", "environment": "non_production"}])
    proc = run("policies/irex.policy", str(new), "--tickets", str(tickets))
    assert (proc.returncode, proc.stdout) == (1, """\
policy `irex`
severity:
  when environment is non_production and severity is L3: becomes L4 -> as given
escalation:
  when plan is premier and severity is L2: notify senior_support; phone senior_support -> notify senior_support
tickets: 1 of 1 move
  line 1: `first_response` due 2026-03-05T15:00:00Z -> 2026-03-06T09:00:00Z (+18h)
  line 1: severity L4 -> L3
2 differences for tickets
""")


# tests/versions/acme.policy against its first version written undated: hours 09:00-17:00,
# Standard S1 4h / S2 8h, Premium S1 2h / S2 4h, S1 escalated to the lead after 1h.
ACME_FIRST = """\
policy acme "Acme support" {
  version "2026.1"
  effective 2026-01-01..2026-12-31
  calendar hours { zone Europe/Paris open mon..fri 09:00-17:00 }
  dimension plan { standard, premium }
  severities { S1, S2 }
  role lead "Support lead"
  rule targets: respond on hours {
    plan \\ severity  S1  S2
    standard:        4h  8h
    premium:         2h  4h
  }
  when severity is S1: escalate { notify lead after 1h }
}
"""

# Until 2026-06-30 the dated policy is the first version: nothing. From 07-01 the new
# targets (Standard S1 2h, Premium S1 1h; S2 unchanged) and the hours 08:00-18:00; from
# 10-01 Premium S1 also runs on `always` (its target stays the 1h of the July table).
ACME_TEXT = """\
policy `acme`
tickets created 2026-07-01 .. 2026-09-30:
  `first_response` target:
    when plan is standard and severity is S1: 4h -> 2h
    when plan is premium and severity is S1: 2h -> 1h
  calendar `hours`:
    mon..fri: 09:00-17:00 -> 08:00-18:00
tickets created 2026-10-01 .. 2026-12-31:
  `first_response` target:
    when plan is standard and severity is S1: 4h -> 2h
    when plan is premium and severity is S1: 2h -> 1h
  `first_response` calendar:
    when plan is premium and severity is S1: `hours` -> `always`
  calendar `hours`:
    mon..fri: 09:00-17:00 -> 08:00-18:00
7 differences for tickets
"""


def test_a_dated_policy_is_compared_per_period(tmp_path):
    first = tmp_path / "acme.policy"
    first.write_text(ACME_FIRST, encoding="utf-8")
    proc = run(str(first), "tests/versions/acme.policy")
    assert (proc.returncode, proc.stderr, proc.stdout) == (1, "", ACME_TEXT)
    same = run("tests/versions/acme.policy", "tests/versions/acme.policy")
    assert (same.returncode, same.stdout) == (0, "policy `acme`\nno difference for tickets\n")


def test_the_policy_period(tmp_path):
    first = tmp_path / "acme.policy"
    first.write_text(ACME_FIRST, encoding="utf-8")
    later = tmp_path / "later.policy"
    later.write_text(ACME_FIRST.replace("2026-12-31", "2027-06-30"), encoding="utf-8")
    proc = run(str(first), str(later))
    assert (proc.returncode, proc.stdout) == (1, """\
policy `acme`
policy effective:
  tickets created: 2026-01-01 .. 2026-12-31 -> 2026-01-01 .. 2027-06-30
1 difference for tickets
""")


# ---- git revisions ---------------------------------------------------------------------------

def git(cwd: Path, *args) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository of the seed policies: HEAD~1 as shipped, HEAD with the seed change."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "policies", root / "policies")
    git(root, "init", "-q")
    git(root, "config", "user.name", "policyc tests")
    git(root, "config", "user.email", "tests@policyc.invalid")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the seeds")
    shutil.rmtree(root / "policies")
    seed_change(root)
    git(root, "commit", "-qam", "the seed change")
    return root


def test_two_revisions_of_a_file(repo):
    proc = run("HEAD~1:policies/irex.policy", "HEAD:policies/irex.policy", cwd=repo)
    assert (proc.returncode, proc.stderr, proc.stdout) == (1, "", SEED_TEXT)
    notes = run("HEAD~1:policies/irex.policy", "HEAD:policies/irex.policy", "--format", "github", cwd=repo)
    row = line_of(repo / "policies/irex.policy", "premier:          1h    3h")
    assert notes.stdout.splitlines()[0].startswith(f"::notice file=policies/irex.policy,line={row},")
    # from a subfolder, `./` reads the path from there; a revision against the work tree
    sub = run("HEAD~1:./irex.policy", "irex.policy", cwd=repo / "policies")
    assert (sub.returncode, sub.stdout) == (1, SEED_TEXT)


def test_imports_are_read_at_the_same_revision(repo):
    """navixy imports shared/russia.policy; at HEAD~1 that file is read from HEAD~1 too."""
    shared = repo / "policies/shared/russia.policy"
    shared.write_text("this is not a policy\n", encoding="utf-8")  # the work tree's copy, broken
    proc = run("HEAD~1:policies/navixy.policy", "HEAD:policies/navixy.policy", cwd=repo)
    assert (proc.returncode, proc.stdout) == (0, "policy `navixy`\nno difference for tickets\n")


def test_a_broken_policy_at_a_revision(repo):
    (repo / "policies/irex.policy").write_text("policy irex {\n", encoding="utf-8")
    git(repo, "commit", "-qam", "broken")
    proc = run("HEAD~1:policies/irex.policy", "HEAD:policies/irex.policy", cwd=repo)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("HEAD:policies/irex.policy:"), proc.stdout
    assert "error[E" in proc.stdout


# ---- bad input: one message, exit 2 ----------------------------------------------------------

def bad(proc, message: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr == f"policyc: {message}\n" and proc.stdout == ""


def test_bad_revisions(repo, tmp_path):
    bad(run("nope:policies/irex.policy", "policies/irex.policy", cwd=repo),
        "`nope:policies/irex.policy`: unknown revision `nope`")
    bad(run("HEAD:policies/gone.policy", "policies/irex.policy", cwd=repo),
        "`HEAD:policies/gone.policy`: no file `policies/gone.policy` at revision `HEAD`")
    bad(run("HEAD:policies", "policies/irex.policy", cwd=repo),
        "`HEAD:policies`: `policies` is not a file at revision `HEAD`")
    outside = tmp_path / "plain"
    outside.mkdir()
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    bad(run("HEAD:irex.policy", str(REPO / "policies/irex.policy"), cwd=outside, env=env),
        "`HEAD:irex.policy`: not inside a git repository")


def test_bad_files(tmp_path):
    bad(run("policies/nope.policy", "policies/irex.policy"),
        "`policies/nope.policy` does not exist: give a policy file or REV:path")
    bad(run("policies", "policies/irex.policy"), "`policies` is not a file: name one policy file")
    broken = tmp_path / "broken.policy"
    broken.write_text((REPO / "policies/irex.policy").read_text(encoding="utf-8")
                      .replace("respond on business {", "respond on nowhere {"), encoding="utf-8")
    proc = run("policies/irex.policy", str(broken))
    assert proc.returncode == 2 and proc.stderr == ""
    assert "error[E101]: unknown calendar `nowhere`" in proc.stdout


def test_bad_tickets(tmp_path):
    args = ("policies/irex.policy", "policies/irex.policy", "--tickets")
    bad(run(*args, str(tmp_path / "none.jsonl")), f"cannot read `{tmp_path / 'none.jsonl'}`: No such file or directory")
    lines = tmp_path / "t.jsonl"
    lines.write_text(json.dumps(TICKETS[0]) + "\n{not json\n", encoding="utf-8")
    proc = run(*args, str(lines))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"policyc: `{lines}` line 2 is not a JSON object: ")
    lines.write_text("[1, 2]\n", encoding="utf-8")
    bad(run(*args, str(lines)), f"`{lines}` line 1 is not a JSON object (a ticket or its facts)")


def test_help_documents_the_exit_codes():
    proc = subprocess.run([sys.executable, "-m", "policyc.cli", "diff", "--help"], capture_output=True, text=True)
    text = " ".join(proc.stdout.split())
    assert "0 clean: no difference for tickets" in text and "1 differences found" in text
    assert "a policy that does not compile (its findings are printed)" in text and "REV:path" in text


def test_signed_durations():
    assert signed(timedelta(hours=2)) == "+2h"
    assert signed(-timedelta(days=1, hours=4)) == "-1d 4h"
    assert signed(timedelta(minutes=30)) == "+30m"
    assert signed(timedelta(days=1, minutes=5)) == "+1d 5m"


def test_the_readme_example(repo):
    """The README's `policyc diff` example, run in the repository of the seed change with
    two tickets: the Premier L2 one that moves and the Standard L2 one that does not."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ policyc diff ", 1)[1].split("```", 1)[0]
    command, expected = example.split("\n", 1)
    write_tickets(repo / "tickets.jsonl", [TICKETS[0], TICKETS[5]])
    proc = run(*command.split()[:2], "--tickets", "tickets.jsonl", cwd=repo)
    assert command.split()[2:] == ["--tickets", "tickets.jsonl"]
    assert (proc.returncode, proc.stdout) == (1, expected)


def test_a_whole_ticket_is_answered_at_its_now(tmp_path):
    """A line with `events` is a ticket (as `eval --batch` reads it): Premier L2 created Wed
    2026-03-04 10:00 CET, answered at 10:30; due 11:00Z with 2h, 12:00Z with 3h."""
    new = seed_change(tmp_path)
    ticket = {"facts": {"plan": "premier", "severity": "L2", "environment": "production"},
              "events": [{"at": "2026-03-04T10:00:00+01:00", "type": "created"},
                         {"at": "2026-03-04T10:30:00+01:00", "type": "agent_message"}],
              "now": "2026-03-05T00:00:00Z"}
    proc = run("policies/irex.policy", str(new), "--tickets", str(write_tickets(tmp_path / "t.jsonl", [ticket])),
               "--format", "json")
    assert json.loads(proc.stdout)["tickets"] == {"total": 1, "refused": 0, "moved": [{"line": 1, "changes": [
        {"what": "`first_response` due", "old": "2026-03-04T11:00:00Z", "new": "2026-03-04T12:00:00Z", "by": "+1h"}]}]}


def test_a_new_plan_without_support(tmp_path):
    """A plan `basic` added with `no support`: the old policy has no such ticket; the rules
    that hold for every plan (notify support, non-production becomes L4) now reach it."""
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    new = tmp_path / "policies" / "irex.policy"
    edit(new, 'fr "Moyennant des frais supplémentaires convenus par les parties" }\n  }',
         'fr "Moyennant des frais supplémentaires convenus par les parties" },\n    basic "Basic"\n  }')
    edit(new, "  escalate { notify support }\n",
         '  escalate { notify support }\n  when plan is basic: no support "Not supported" see "https://example.com"\n')
    tickets = write_tickets(tmp_path / "t.jsonl", [{"received_at": "2026-03-04T10:00:00+01:00", "plan": "basic",
                                                     "severity": "L2", "environment": "production"}])
    proc = run("policies/irex.policy", str(new), "--tickets", str(tickets))
    assert (proc.returncode, proc.stdout) == (1, """\
policy `irex`
fact `plan`:
  values: standard, premier -> standard, premier, basic
severity:
  when plan is basic and environment is non_production and severity is L1, L2, L3: no such ticket -> becomes L4
escalation:
  when plan is basic: no such ticket -> notify support
support:
  when plan is basic: no such ticket -> no support (see https://example.com)
tickets: 1 of 1 move
  line 1: refused (unknown value `basic` for fact `plan`; expected one of `standard`, `premier`) -> answered
4 differences for tickets
""")


def test_a_calendar_that_follows_the_customer(tmp_path):
    """Red Hat's `local` calendar: Israel's week (sun..thu) now opens at 08:00. Weekdays
    are listed from Monday: sun..thu reads `mon..thu, sun`."""
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    new = tmp_path / "policies" / "redhat.policy"
    edit(new, "when country is IL: open sun..thu 09:00-17:00", "when country is IL: open sun..thu 08:00-17:00")
    proc = run("policies/redhat.policy", str(new), "--format", "github")
    assert (proc.returncode, proc.stdout) == (1, (
        f"::notice file={os.path.relpath(new, REPO)},line={line_of(new, 'calendar local')},title=policyc diff::"
        "calendar `local`: when country is IL: mon..thu, sun: 09:00-17:00 -> 08:00-17:00\n"))
