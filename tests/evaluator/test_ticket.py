"""Tickets through the three ways in (Python, `--ticket`, `--batch`), one code path, and
the bad-ticket messages (the full list is in conformance/errors.json)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.evaluator import FactError, load
from policyc.evaluator.errors import TicketError
from seed_tables import seed_path

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "conformance" / "tables" / "support.json"
# Monday 2025-06-02, business hours 09:00-17:00 UTC; S2: first response PT4H
TICKET = {"facts": {"severity": "S2"},
          "events": [{"at": "2025-06-02T10:00:00Z", "type": "created"},
                     {"at": "2025-06-02T10:30:00Z", "type": "agent_message"},
                     {"at": "2025-06-02T11:00:00Z", "type": "customer_message"}],
          "now": "2025-06-02T11:15:00Z"}


@pytest.fixture(scope="module")
def support():
    return load(SUPPORT)


def _eval(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "policyc.cli", "eval", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT)


def test_evaluate_answers_the_contract_fields(support):
    answer = support.evaluate(copy.deepcopy(TICKET))
    # first response 10:00Z, answered 10:30Z (due 14:00Z: met); next response from the
    # customer's 11:00Z message, PT1H: due 12:00Z, running 15 minutes at `now`
    first, = answer["metrics"]["first_response"]
    assert (first["state"], first["elapsed"], first["due"]) == ("met", "PT30M", "2025-06-02T14:00:00Z")
    nxt, = answer["metrics"]["next_response"]
    assert {k: nxt[k] for k in ("start", "target", "guaranteed", "due", "stop", "state", "elapsed", "paused",
                                "breached_at")} == {
        "start": "2025-06-02T11:00:00Z", "target": "PT1H", "guaranteed": True, "due": "2025-06-02T12:00:00Z",
        "stop": None, "state": "running", "elapsed": "PT15M", "paused": "PT0S", "breached_at": None}
    assert answer["status"] == "open" and answer["now"] == "2025-06-02T11:15:00Z"
    assert answer["metrics"]["update"] == []


def test_decide_is_a_one_event_ticket(support):
    facts = {"received_at": "2025-06-02T10:00:00+02:00", "severity": "S1"}
    ticket = {"facts": {"severity": "S1"}, "events": [{"at": facts["received_at"], "type": "created"}],
              "now": facts["received_at"]}
    assert support.decide(facts) == support.evaluate(ticket)


def test_ticket_file_and_standard_input_give_the_python_answer(tmp_path, support):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(TICKET))
    from_file = _eval(str(SUPPORT), "--ticket", str(path))
    from_stdin = _eval(str(SUPPORT), "--ticket", "-", stdin=json.dumps(TICKET))
    assert from_file.returncode == from_stdin.returncode == 0
    assert json.loads(from_file.stdout) == json.loads(from_stdin.stdout) == support.evaluate(copy.deepcopy(TICKET))


def test_a_bad_ticket_file_is_one_message_and_exit_2(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(dict(TICKET, events=TICKET["events"][::-1])))
    out = _eval(str(SUPPORT), "--ticket", str(path))
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert out.stderr == "policyc: event 0 (customer_message) comes before the `created` event (event 2); " \
                         "`created` must be the first event\n"
    missing = _eval(str(SUPPORT), "--ticket", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    path.write_text("{")
    assert "ticket are not valid JSON" in _eval(str(SUPPORT), "--ticket", str(path)).stderr


def test_batch_mixes_tickets_and_facts_and_goes_on_after_a_bad_ticket(support):
    bad = dict(TICKET, events=[*TICKET["events"], {"at": "2025-06-02T12:00:00Z", "type": "status", "status": "gone"}])
    facts = {"received_at": "2025-06-02T10:00:00Z", "severity": "S1"}
    lines = "\n".join(json.dumps(x) for x in (TICKET, bad, facts)) + "\n"
    out = _eval(str(SUPPORT), "--batch", "-", stdin=lines)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert answers[0] == support.evaluate(copy.deepcopy(TICKET))
    assert answers[1] == {"line": 2, "error": "event 3 (status): unknown status `gone`; expected one of `open`, "
                                              "`waiting`, `in_progress`, `solved`"}
    assert answers[2] == support.decide(facts)


def test_seed_tables_answer_tickets_through_the_cli():
    # navixy (schema_version 1 upgraded until the compiler emits 2): first_response only
    ticket = {"facts": {"deployment": "saas"},
              "events": [{"at": "2025-06-23T09:00:00+03:00", "type": "created"},
                         {"at": "2025-06-23T10:00:00+03:00", "type": "agent_message"}]}
    out = _eval(str(seed_path("navixy")), "--ticket", "-", stdin=json.dumps(ticket))
    assert out.returncode == 0, out.stderr
    first, = json.loads(out.stdout)["metrics"]["first_response"]
    assert (first["state"], first["stop"]) == ("met", "2025-06-23T07:00:00Z")


@pytest.mark.parametrize("ticket, message", [
    ([], "a ticket must be a JSON object, not list"),
    ({"facts": [], "events": []}, "ticket `facts` must be a JSON object, not list"),
    ({"facts": {"severity": "S1"}, "events": [{"type": "created"}]}, "event 0 (created): missing key `at`"),
    ({"facts": {"severity": "S1"}, "events": [{"at": "2025-06-02T10:00:00Z"}]}, "event 0: missing key `type`"),
    ({"facts": {"severity": "S1"}, "events": [{"at": "2025-06-02T10:00:00Z", "type": 7}]},
     "event 0 (7): unknown event type `7`"),
    ({"facts": {"severity": "S1"}, "events": [{"at": "2025-06-02T10:00:00Z", "type": "created"},
                                              {"at": "2025-06-02T11:00:00Z", "type": "facts", "facts": {}}]},
     "event 1 (facts): `facts` must be a non-empty JSON object of the facts that change"),
    (dict(TICKET, now="2025-06-02T11:15:00"), "ticket key `now` `2025-06-02T11:15:00` has no UTC offset"),
])
def test_bad_tickets(support, ticket, message):
    with pytest.raises(TicketError if "offset" not in message else FactError) as info:
        support.evaluate(ticket)
    assert message in str(info.value)


def test_a_fact_change_the_rules_cannot_answer_names_its_event(support):
    # `support` has a first-response row per severity; a table with none for S4 cannot
    # answer a ticket moved to S4, and says which event moved it there
    data = json.loads(SUPPORT.read_text())
    data["rules"]["targets"]["first_response"].pop()  # the S4 row
    from policyc.evaluator import Table
    ticket = dict(copy.deepcopy(TICKET), facts={"severity": "S1"})
    ticket["events"].append({"at": "2025-06-02T11:10:00Z", "type": "facts", "facts": {"severity": "S4"}})
    with pytest.raises(TicketError, match=r"^event 3 \(facts\): the table has no response rule for this ticket"):
        Table(data).evaluate(ticket)
