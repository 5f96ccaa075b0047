"""The `policyc test` runner's timeline cases, on a stand-in table (no seed, no evaluator).

The stand-in records what the runner asks and answers a fixed ticket answer, so these
tests pin the runner alone: which call a case makes, how `expect` matches (lists by
length, occurrences partially, instants as instants, elapsed/paused by value), and the
one message the strict reader gives for each malformed new key.
"""

from __future__ import annotations

import copy

import pytest

from policyc import testfile
from policyc.evaluator import FactError
from policyc.testing import run_case
from policyc.testmatch import amount, compare

# An answer as the ticket contract shapes it (hand-written, not an evaluator's output).
ANSWER = {
    "severity": "L2",
    "status": "open",
    "now": "2025-06-23T12:00:00Z",
    "response": {"target": "PT4H", "due": "2025-06-23T10:00:00Z", "guaranteed": True},
    "metrics": {
        "first_response": [
            {"start": "2025-06-23T06:00:00Z", "target": "PT4H", "guaranteed": True,
             "due": "2025-06-23T10:00:00Z", "stop": "2025-06-23T07:00:00Z", "state": "met",
             "elapsed": "PT1H", "paused": "PT0S", "breached_at": None},
        ],
        "next_response": [
            {"start": "2025-06-23T08:00:00Z", "target": "PT4H", "guaranteed": True,
             "due": "2025-06-23T12:00:00Z", "stop": "2025-06-23T09:00:00Z", "state": "superseded",
             "elapsed": "PT1H", "paused": "PT0S", "breached_at": None},
            {"start": "2025-06-23T09:00:00Z", "target": "PT4H", "guaranteed": True,
             "due": "2025-06-23T13:00:00Z", "stop": None, "state": "running",
             "elapsed": "PT3H", "paused": "PT0S", "breached_at": None},
        ],
    },
}
EVENTS = [{"at": "2025-06-23T09:00:00+03:00", "type": "created"},
          {"at": "2025-06-23T10:00:00+03:00", "type": "agent_message"},
          {"at": "2025-06-23T11:00:00+03:00", "type": "customer_message"},
          {"at": "2025-06-23T12:00:00+03:00", "type": "customer_message"}]
FACTS = {"deployment": "on_premise", "severity": "L2"}


class StandIn:
    """A table that records the calls a case makes."""

    def __init__(self, error: str | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.error = error

    def _answer(self, kind: str, arg: dict) -> dict:
        self.calls.append((kind, copy.deepcopy(arg)))
        if self.error:
            raise FactError(self.error)
        return copy.deepcopy(ANSWER)

    def decide(self, facts):
        return self._answer("decide", facts)

    def evaluate(self, ticket):
        return self._answer("evaluate", ticket)


def run(case: dict, table=None):
    table = table or StandIn()
    return run_case(table, case, "x.tests.yaml", 7), table


def timeline(**expect) -> dict:
    return {"name": "t", "facts": FACTS, "events": EVENTS, "now": "2025-06-23T15:00:00+03:00", "expect": expect}


# ---- which call a case makes ---------------------------------------------------------------------

def test_a_timeline_case_is_evaluated_as_a_ticket_with_its_facts_events_and_now():
    outcome, table = run(timeline())
    assert outcome.passed, outcome.problems
    assert table.calls == [("evaluate", {"facts": FACTS, "events": EVENTS, "now": "2025-06-23T15:00:00+03:00"})]


def test_a_timeline_without_now_leaves_now_to_the_evaluator():
    case = timeline()
    del case["now"]
    _, table = run(case)
    assert table.calls == [("evaluate", {"facts": FACTS, "events": EVENTS})]


def test_a_facts_case_is_still_decided():
    facts = {"received_at": "2025-06-23T09:00:00+03:00", **FACTS}
    _, table = run({"facts": facts, "expect": {}})
    assert table.calls == [("decide", facts)]


def test_a_timeline_case_can_expect_the_evaluators_error():
    table = StandIn(error="event 1 (status): unknown status `frozen`")
    outcome, _ = run({"facts": FACTS, "events": EVENTS, "error": "unknown status `frozen`"}, table)
    assert outcome.passed, outcome.problems
    outcome, _ = run({"facts": FACTS, "events": EVENTS, "error": "out of order"}, table)
    assert outcome.problems == ["error: expected a message containing 'out of order', "
                                "got 'event 1 (status): unknown status `frozen`'"]


# ---- how metrics match -----------------------------------------------------------------------------

def test_occurrences_match_partially_with_instants_in_any_offset_and_amounts_by_value():
    outcome, _ = run(timeline(metrics={
        "first_response": [{"stop": "2025-06-23T10:00:00+03:00", "state": "met", "elapsed": "PT60M"}],
        "next_response": [{"state": "superseded", "stop": "2025-06-23T12:00:00+03:00"},
                          {"state": "running", "elapsed": "PT180M", "stop": None, "paused": "PT0M"}]}))
    assert outcome.passed, outcome.problems


def test_an_occurrence_list_must_have_the_expected_length():
    outcome, _ = run(timeline(metrics={"next_response": [{"state": "running"}]}))
    assert len(outcome.problems) == 1
    assert outcome.problems[0].startswith("metrics.next_response: expected 1 item, got 2: [")


def test_a_wrong_field_of_an_occurrence_is_named_by_its_path():
    outcome, _ = run(timeline(metrics={"next_response": [
        {"state": "superseded"},
        {"due": "2025-06-23T15:00:00+03:00", "elapsed": "PT2H", "state": "breached"}]}))
    assert outcome.problems == [
        "metrics.next_response[1].due: expected 2025-06-23T15:00:00+03:00 (2025-06-23T12:00:00Z), "
        "got 2025-06-23T13:00:00Z",
        "metrics.next_response[1].elapsed: expected PT2H, got PT3H",
        'metrics.next_response[1].state: expected "breached", got "running"']


def test_a_metric_the_answer_lacks_is_reported():
    outcome, _ = run(timeline(metrics={"resolution": []}))
    assert outcome.problems == ["metrics.resolution: expected [], got nothing"]


def test_a_null_is_not_an_instant():
    outcome, _ = run(timeline(metrics={"first_response": [{"breached_at": "2025-06-23T10:00:00Z"}]}))
    assert outcome.problems == ['metrics.first_response[0].breached_at: expected "2025-06-23T10:00:00Z", got null']


@pytest.mark.parametrize(("a", "b", "same"), [
    ("PT60M", "PT1H", True), ("PT3600S", "PT1H", True), ("PT49H", "P2DT1H", True), ("PT0S", "PT0M", True),
    ("PT1H30M", "PT90M", True), ("PT0.5S", "PT0.500S", True), ("PT1H", "PT1H1S", False), ("PT0S", "PT1S", False),
])
def test_elapsed_compares_as_an_amount_of_time(a, b, same):
    assert (compare({"elapsed": a}, {"elapsed": b}) == []) is same


@pytest.mark.parametrize("text", ["P", "PT", "P1DT", "PT1.5H", "P1M", "P1Y", "-PT1H", "PT1H ", "1H",
                                  "PT" + "9" * 21 + "H"])
def test_what_is_not_an_amount_compares_as_written(text):
    assert amount(text) is None
    assert compare({"paused": text}, {"paused": "PT1H"}) == [f'paused: expected "{text}", got "PT1H"']


def test_a_stated_target_compares_as_written():
    # The contract gives the target "as stated": P7D (a week of wall time) is not 168 hours.
    assert compare({"target": "PT240M"}, {"target": "PT4H"}) == ['target: expected "PT240M", got "PT4H"']


def test_lists_other_than_metrics_match_item_by_item_too():
    got = {"escalation": [{"channel": "email", "to": ["support"], "cc": [], "at": "2025-06-23T08:00:00Z"}]}
    assert compare({"escalation": [{"channel": "email", "to": ["support"]}]}, got) == []
    assert compare({"escalation": [{"to": ["support", "head"]}]}, got) == [
        'escalation[0].to: expected 2 items, got 1: ["support"]']
    assert compare({"escalation": [{"at": "2025-06-23T11:00:00+03:00"}]}, got) == []


def test_a_bool_is_not_a_number():
    assert compare({"fired": 1}, {"fired": True}) == ["fired: expected 1, got true"]
    assert compare({"fired": True}, {"fired": 1}) == ["fired: expected true, got 1"]


# ---- the strict reader: one message per malformed new key -------------------------------------------

EXAMPLE = '`{at: "2025-06-23T09:00:00+03:00", type: created}`'


@pytest.mark.parametrize(("change", "message"), [
    ({"events": {"at": "x"}}, '`events` must be a list of the ticket\'s events in time order, such as '
                              '`- {at: "2025-06-23T09:00:00+03:00", type: created}`'),
    ({"events": ["created"]}, f"event 0 must be a mapping with text `at` and `type`, such as {EXAMPLE}"),
    ({"events": EVENTS + [{"type": "agent_message"}]},
     f"event 4 must be a mapping with text `at` and `type`, such as {EXAMPLE}"),
    ({"events": [{"at": 20250623, "type": "created"}]},
     f"event 0 must be a mapping with text `at` and `type`, such as {EXAMPLE}"),
    ({"events": [{"at": "2025-06-23T09:00:00Z", "type": None}]},
     f"event 0 must be a mapping with text `at` and `type`, such as {EXAMPLE}"),
    ({"now": 5}, '`now` must be text: the instant the clocks are read, such as `"2025-06-23T12:00:00+03:00"`'),
    ({"events": None}, '`events` must be a list of the ticket\'s events in time order, such as '
                       '`- {at: "2025-06-23T09:00:00+03:00", type: created}`'),
    ({"expect": {"metrics": [{"state": "met"}]}},
     "`expect.metrics` maps each metric to the list of its occurrences, such as `first_response: [{state: met}]`"),
    ({"expect": {"metrics": {"first_response": {"state": "met"}}}},
     "`expect.metrics` maps each metric to the list of its occurrences, such as `first_response: [{state: met}]`"),
    ({"expect": {"metrics": {"first_response": ["met"]}}},
     "`expect.metrics` maps each metric to the list of its occurrences, such as `first_response: [{state: met}]`"),
    ({"ticket": {}}, "unknown key `ticket`; a case has `name`, `source`, `facts`, `events`, `now` "
                     "and `expect` or `error`"),
])
def test_each_malformed_timeline_key_gets_one_message_and_no_call(change, message):
    outcome, table = run({**timeline(), **change})
    assert (outcome.problems, table.calls) == ([message], [])


def test_now_without_events_is_refused():
    case = {"facts": {"received_at": "2025-06-23T09:00:00Z"}, "now": "2025-06-23T12:00:00Z", "expect": {}}
    outcome, table = run(case)
    assert (outcome.problems, table.calls) == (
        ["`now` reads a timeline: give `events` too (a case without events is read at `received_at`)"], [])


def test_an_empty_timeline_reaches_the_evaluator_which_judges_it():
    # "no `created` event" is the evaluator's message to give, and a case may expect it.
    _, table = run({"facts": FACTS, "events": [], "error": "created"}, StandIn(error="no `created` event"))
    assert table.calls == [("evaluate", {"facts": FACTS, "events": []})]


def test_a_timeline_case_read_from_yaml_keeps_its_instants_as_text(tmp_path):
    path = tmp_path / "x.tests.yaml"
    path.write_text("policy: navixy\ncases:\n  - name: t\n    facts: {deployment: saas}\n"
                    "    events:\n      - {at: 2025-06-23T09:00:00+03:00, type: created}\n"
                    "    now: 2025-06-23T12:00:00Z\n"
                    "    expect:\n      metrics:\n        first_response: [{elapsed: PT3H}]\n", encoding="utf-8")
    [(case, line)] = testfile.read(path).cases
    assert line == 3 and testfile.case_problem(case) is None
    assert case["events"] == [{"at": "2025-06-23T09:00:00+03:00", "type": "created"}]
    assert case["now"] == "2025-06-23T12:00:00Z"
