"""Fact defaults and restricted values, end to end: a policy as a new user writes it,
compiled, then asked about tickets (docs/language.md, "Defaults and restricted values").

The terms (a small vendor's, as such terms are commonly published): "Tickets opened in
the portal or by e-mail are Normal priority unless the customer chooses otherwise; calls
to the emergency line are Urgent. Premium customers may also open How-to requests. We
send status e-mails on every ticket unless the customer declines them."

Office hours are Mon-Fri 09:00-17:00 Europe/London (BST, UTC+1, in June). Every ticket
below is received Friday 2025-06-13 10:00Z = 11:00 BST, 6 office hours before closing.
"""

from __future__ import annotations

import pytest

from policyc.evaluator import FactError, Table

HELPDESK = r"""policy helpdesk "Helpdesk" {
  version "1"
  effective 2025-01-01
  languages en
  calendar office "Office hours" { zone Europe/London open mon..fri 09:00-17:00 }
  dimension plan "Plan" { standard "Standard", premium "Premium" }
  dimension channel "Channel" { portal "Portal", email "E-mail", emergency "Emergency line" } default portal
  dimension updates "Status e-mails" { on "On", declined "Declined" } default on
  severities {
    urgent "Urgent", high "High", normal "Normal",
    how_to "How-to" { only plan is premium }
  } default normal
  role customer "The customer"
  when channel is emergency: severity any becomes urgent
  respond on office {
    severity\plan standard premium
    urgent:       2h       1h
    high:         8h       4h
    normal:       16h      8h
    how_to:       -        16h
  }
  when updates is on: escalate { email customer }
}
"""
RECEIVED = "2025-06-13T10:00:00Z"
MAIL = [{"channel": "email", "to": ["customer"], "cc": []}]


@pytest.fixture
def table(ws) -> Table:
    result = ws.compile({"policies/helpdesk.policy": HELPDESK})
    assert [d.code for d in result.diagnostics] == []
    return Table(result.tables["helpdesk"])


def decide(table: Table, **facts) -> dict:
    return table.decide({"received_at": RECEIVED, **facts})


def test_the_table_records_defaults_and_the_restricted_level(table):
    facts = table.data["facts"]
    assert (facts["channel"]["default"], facts["updates"]["default"], facts["severity"]["default"]) == (
        "portal", "on", "normal")
    assert "default" not in facts["plan"]
    assert facts["severity"]["only"] == {"how_to": {"plan": ["premium"]}}


def test_a_ticket_that_says_only_its_plan_is_a_normal_portal_ticket_with_updates(table):
    got = decide(table, plan="standard")
    # Normal, standard: 16 office hours = Fri 6h + Mon 8h + Tue 09:00-11:00 BST = Tue 10:00Z.
    assert got["severity"] == "normal"
    assert got["response"]["target"] == "PT16H"
    assert got["response"]["due"] == "2025-06-17T10:00:00Z"
    assert got["escalation"] == MAIL  # status e-mails are on unless declined
    assert got["defaults_used"] == ["channel", "severity", "updates"]  # by name
    assert got["facts_not_needed"] == []  # a defaulted fact is never missing


def test_the_defaults_given_explicitly_give_the_same_answer_and_use_no_default(table):
    implicit = decide(table, plan="standard")
    explicit = decide(table, plan="standard", channel="portal", severity="normal", updates="on")
    assert explicit["defaults_used"] == []
    assert {k: v for k, v in explicit.items() if k != "defaults_used"} == {
        k: v for k, v in implicit.items() if k != "defaults_used"}


def test_the_emergency_line_overrides_the_default_priority(table):
    got = decide(table, plan="standard", channel="emergency")
    # Urgent, standard: 2 office hours from 11:00 BST = 13:00 BST = 12:00Z the same Friday.
    assert (got["severity"], got["severity_given"]) == ("urgent", "normal")
    assert got["response"]["due"] == "2025-06-13T12:00:00Z"
    assert got["defaults_used"] == ["severity", "updates"]


def test_a_customer_who_declines_updates_gets_no_status_mail(table):
    got = decide(table, plan="premium", updates="declined")
    # Normal, premium: 8 office hours = Fri 6h + Mon 09:00-11:00 BST = Mon 10:00Z.
    assert got["response"]["due"] == "2025-06-16T10:00:00Z"
    assert got["escalation"] == []
    assert got["defaults_used"] == ["channel", "severity"]


def test_a_premium_how_to_request(table):
    got = decide(table, plan="premium", severity="how_to")
    # How-to, premium: 16 office hours, as a standard normal ticket: Tue 10:00Z.
    assert (got["severity"], got["response"]["due"]) == ("how_to", "2025-06-17T10:00:00Z")


def test_a_how_to_request_on_the_standard_plan_is_refused(table):
    with pytest.raises(FactError, match=r"severity `how_to` exists only for tickets with plan `premium`; "
                                         r"this ticket has plan `standard`"):
        decide(table, plan="standard", severity="how_to")


def test_a_fact_without_a_default_is_still_needed(table):
    with pytest.raises(FactError, match=r"missing fact `plan`"):
        decide(table)


def test_a_facts_event_changes_a_defaulted_fact_from_its_default(table):
    ticket = {"facts": {"plan": "standard"},
              "events": [{"at": RECEIVED, "type": "created"},
                         {"at": "2025-06-13T10:30:00Z", "type": "facts", "facts": {"channel": "emergency"}}],
              "now": "2025-06-13T10:45:00Z"}
    got = table.evaluate(ticket)
    # first_response keeps its start on a fact change: urgent 2h from 11:00 BST = 12:00Z.
    assert got["severity"] == "urgent"
    assert got["metrics"]["first_response"][0]["due"] == "2025-06-13T12:00:00Z"
    assert got["defaults_used"] == ["channel", "severity", "updates"]  # left out at creation


def test_a_facts_event_cannot_move_a_standard_ticket_to_how_to(table):
    ticket = {"facts": {"plan": "standard"},
              "events": [{"at": RECEIVED, "type": "created"},
                         {"at": "2025-06-13T10:30:00Z", "type": "facts", "facts": {"severity": "how_to"}}]}
    with pytest.raises(FactError, match=r"event 1 \(facts\): severity `how_to` exists only"):
        table.evaluate(ticket)


def test_without_the_empty_cell_the_how_to_row_is_an_error(ws):
    result = ws.compile({"policies/helpdesk.policy": HELPDESK.replace("how_to:       -  ", "how_to:       16h")})
    assert [d.code for d in result.diagnostics] == ["E324"]
    assert result.tables == {}


def test_a_rule_about_the_restricted_level_alone_needs_no_plan(ws):
    # Only premium tickets can be How-to, so a rule on How-to tickets that says nothing
    # of the plan is about premium tickets: no E324 (while `when plan is standard and
    # severity is how_to` is one, tests/compiler/test_diagnostics.py).
    result = ws.compile({"policies/helpdesk.policy": HELPDESK.replace(
        "  when updates is on:", "  when severity is how_to: bill 2x outside office\n  when updates is on:")})
    assert [d.code for d in result.diagnostics] == []
    got = Table(result.tables["helpdesk"]).decide(
        {"received_at": "2025-06-14T10:00:00Z", "plan": "premium", "severity": "how_to"})
    assert got["billing"]["multiplier"] == 2  # a Saturday: outside office hours


SAME_FOR_STANDARD = r"""policy p "P" {
  version "1"
  effective 2025-01-01
  calendar office { zone Europe/London open mon..fri 09:00-17:00 }
  dimension plan { standard, premium }
  severities { high, low, how_to { only plan is premium } }
  when plan is standard: respond on office { target 8h }
  when plan is premium: respond on office {
    severity high low how_to
    target:  2h   4h  8h
  }
}
"""


def test_a_ticket_that_cannot_be_how_to_does_not_need_its_severity(ws):
    # Standard tickets are high or low (How-to is premium's): one rule gives them 8 office
    # hours, so a standard ticket without a severity is answered. Fri 11:00 BST + 6h, Mon 09:00
    # + 2h = Mon 11:00 BST = 10:00Z.
    result = ws.compile({"policies/p.policy": SAME_FOR_STANDARD})
    assert [d.code for d in result.diagnostics] == []
    table = Table(result.tables["p"])
    got = table.decide({"received_at": RECEIVED, "plan": "standard"})
    assert (got["severity"], got["facts_not_needed"]) == (None, ["severity"])
    assert got["response"]["due"] == "2025-06-16T10:00:00Z"
    # A How-to ticket is a premium ticket: it needs no plan (premium How-to, 8h as above).
    got = table.decide({"received_at": RECEIVED, "severity": "how_to"})
    assert (got["severity"], got["facts_not_needed"]) == ("how_to", ["plan"])
    assert got["response"]["due"] == "2025-06-16T10:00:00Z"
