"""Metrics and statuses in the table (schema_version 2): what a small policy compiles to.

Expected values are written from the policy text: the events of each clause, the order
`after` imposes, the target kinds, and the steps timed on a metric.
"""

from __future__ import annotations

import json

import jsonschema

from policyc.emit.write import schema_bytes

from .test_diagnostics import P, RESPOND, policy


def compiled(ws, body: str) -> dict:
    result = ws.compile({P: policy(body)})
    assert [d for d in result.diagnostics if d.is_error] == [], result.diagnostics
    table = result.tables["p"]
    jsonschema.Draft7Validator(json.loads(schema_bytes())).validate(table)
    return table


def test_respond_alone_implies_first_response_and_the_default_statuses(ws):
    t = compiled(ws, RESPOND)
    assert t["schema_version"] == 2
    assert t["statuses"] == {"values": ["open", "solved"], "initial": "open",
                             "labels": {"open": None, "solved": None}, "source": None}
    assert t["metrics"] == {"first_response": {
        "label": None, "start": [{"event": "created"}], "stop": [{"event": "agent_message"}], "restart": [],
        "after": None, "pause": [], "repeat_while": [], "on_facts_change": "keep", "source": None}}
    assert t["metric_order"] == ["first_response"]
    [row] = t["rules"]["targets"]["first_response"]
    assert (row["target"], row["calendar"], row["guarantee"]) == (
        {"kind": "duration", "duration": "PT4H", "minutes": 240}, "biz", "always")
    assert "response" not in t["rules"]


METRICS = RESPOND + r"""
  statuses "Status" { open "Open", waiting "Waiting", solved, closed }
  metric update { start on status to open after resolution  stop on agent_message, status from open, waiting
    repeat while status open  pause in waiting }
  metric resolution "Resolution" { start on created  stop on status to solved, closed  on facts change restart }
  calendar never { zone UTC }
  measure resolution on biz { target best effort }
  when severity is high: measure resolution { target 40h }
  measure update on never { severity high low
    target: daily every 2 weeks }
  role desk
  escalate { email desk after 1h30min of resolution  phone desk at 75%  notify desk }
"""


def test_metrics_their_events_and_order(ws):
    t = compiled(ws, METRICS)
    assert t["statuses"]["values"] == ["open", "waiting", "solved", "closed"] and t["statuses"]["initial"] == "open"
    assert t["statuses"]["labels"] == {"open": {"en": "Open"}, "waiting": {"en": "Waiting"}, "solved": None,
                                       "closed": None}
    assert t["statuses"]["source"] == {"file": P, "line": 9}
    upd, res = t["metrics"]["update"], t["metrics"]["resolution"]
    assert upd["start"] == [{"event": "status", "to": ["open"]}] and upd["after"] == "resolution"
    assert upd["stop"] == [{"event": "agent_message"}, {"event": "status", "from": ["open", "waiting"]}]
    assert (upd["repeat_while"], upd["pause"], upd["on_facts_change"]) == (["open"], ["waiting"], "keep")
    assert res["stop"] == [{"event": "status", "to": ["solved", "closed"]}] and res["on_facts_change"] == "restart"
    assert res["label"] == {"en": "Resolution"} and res["source"] == {"file": P, "line": 12}
    # The implicit first response first, then `resolution` before `update`, which starts after it.
    assert t["metric_order"] == ["first_response", "resolution", "update"]


def test_new_target_kinds_and_timed_steps(ws):
    t = compiled(ws, METRICS)
    res = {tuple(r["when"].get("severity", ["any"])): r for r in t["rules"]["targets"]["resolution"]}
    assert res[("high",)]["target"] == {"kind": "duration", "duration": "PT40H", "minutes": 2400}
    assert res[("low",)]["target"] == {"kind": "best_effort"}
    # Best effort is promised (guaranteed), unlike `none`.
    assert res[("low",)]["guarantee"] == "always"
    upd = {r["when"]["severity"][0]: r["target"] for r in t["rules"]["targets"]["update"]}
    assert upd == {"high": {"kind": "period", "period": "P1D", "days": 1},
                   "low": {"kind": "period", "period": "P14D", "days": 14}}
    [row] = t["rules"]["escalation"]
    assert row["steps"] == [
        {"channel": "email", "to": ["desk"], "cc": [], "after": "PT1H30M", "after_minutes": 90, "metric": "resolution"},
        {"channel": "phone", "to": ["desk"], "cc": [], "at_share": 75, "metric": "first_response"},
        {"channel": "notify", "to": ["desk"], "cc": []}]


def test_a_metric_may_come_before_the_one_it_waits_on_only_in_the_text(ws):
    t = compiled(ws, RESPOND + "  metric b { start on customer_message after a stop on agent_message }\n"
                               "  metric a { start on customer_message stop on agent_message }\n"
                               "  measure a, b on biz { target 8h }\n")
    assert t["metric_order"] == ["first_response", "a", "b"]
    # One `measure a, b` rule: the same rows, from the same line, for both.
    assert t["rules"]["targets"]["a"] == t["rules"]["targets"]["b"] != []


def test_a_long_after_chain_into_a_cycle(ws):
    # m0 waits on m1, ..., m2999 on m2998 ... and m2999 on m2000: a cycle of 1,000 with a
    # tail of 2,000 leading into it. Every one can never start; the cycle's members say so
    # with their loop, the tail with the metric it waits on. Findings are capped per code.
    n, loop_start = 3000, 2000
    body = "".join(f"  metric m{i} {{ start on customer_message after m{i + 1 if i < n - 1 else loop_start} "
                   "stop on agent_message }\n" for i in range(n))
    result = ws.compile({P: policy(RESPOND + body + "  measure " + ", ".join(f"m{i}" for i in range(n))
                                   + " on biz { target 8h }\n")})
    found = [d for d in result.diagnostics if d.code == "E403"]
    assert len(found) == 101 and found[-1].message == "... and 2900 more E403 findings in this file"
    assert found[0].message == "metric `m0` can never start: it starts after `m1`, which can never start"
    assert {d.code for d in result.diagnostics} == {"E403"}


def test_a_long_cycle_is_named_by_its_ends(ws):
    n = 10
    body = "".join(f"  metric m{i} {{ start on customer_message after m{(i + 1) % n} stop on agent_message }}\n"
                   for i in range(n))
    result = ws.compile({P: policy(RESPOND + body + "  measure " + ", ".join(f"m{i}" for i in range(n))
                                   + " on biz { target 8h }\n")})
    assert len(result.diagnostics) == n
    # m0 -> m1 -> ... -> m9 -> m0 is 11 names: the first four, the count of the five left out, the last two.
    assert result.diagnostics[0].message == ("metric `m0` can never start: it starts only after itself "
                                             "(`m0` -> `m1` -> `m2` -> `m3` -> ... 5 more -> `m9` -> `m0`)")


def test_a_shared_cell_overridden_for_one_metric_is_not_shadowed(ws):
    # `measure first_response, next_response` decides both; more specific rules take all of
    # next_response's premier tickets, but the shared 1h still serves first_response's.
    body = ("  metric next_response { start on customer_message after first_response stop on agent_message }\n"
            "  measure first_response, next_response on biz { target 4h }\n"
            "  when plan is premier: measure first_response, next_response { target 1h }\n"
            "  when plan is premier and severity is high: measure next_response { target 2h }\n"
            "  when plan is premier and severity is low: measure next_response { target 3h }\n")
    result = ws.compile({P: policy(body)})
    assert result.diagnostics == []
    # Where the cell serves no metric at all, it is still reported.
    result = ws.compile({P: policy(body + "  when plan is premier and severity is high: measure first_response"
                                          " { target 30min }\n"
                                          "  when plan is premier and severity is low: measure first_response"
                                          " { target 45min }\n")})
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("W303", "no ticket reaches this target: more specific rules decide every ticket it matches")]
