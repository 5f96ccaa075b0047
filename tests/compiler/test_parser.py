r"""The parser and the AST: each construct of grammar/policy.lark, by meaning.

ASTs compare without their spans (`span: Span = field(compare=False)`), so the expected
values below are hand-built `policyc.ast` nodes with no positions at all; positions are
tested on their own further down.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.budget import examples  # `tests/` is on sys.path (as in test_robustness.py)

from policyc import ast
from policyc.ast import Name as N
from policyc.ast import Text
from policyc.source import SourceFile, Span
from policyc.syntax import parse_text
from policyc.syntax.parse import MAX_SYNTAX_ERRORS

from .helpers import check_markers


def parse(text: str) -> ast.Module:
    module, diags = parse_text(SourceFile.of("t.policy", text))
    assert diags == [], diags
    return module


def only_policy(text: str) -> ast.Policy:
    [p] = parse(text).policies
    return p


def rules(body: str) -> tuple:
    return only_policy("policy p {\n" + body + "\n}\n").rules


def definitions(text: str) -> tuple:
    return parse(text).definitions


# ---- each construct -----------------------------------------------------------------------

def test_imports_and_shared_definitions():
    m = parse('import "shared/russia.policy"\n'
              'holidays h "Holidays" fr "Jours fériés" { national RU years 2024..2025  2025-05-01 "May Day" }\n')
    assert m == ast.Module(
        "t.policy",
        imports=(ast.Import("shared/russia.policy"),),
        definitions=(ast.Holidays(N("h"), Text("Holidays", ((N("fr"), "Jours fériés"),)),
                                  national=(ast.National(N("RU"), 2024, 2025),),
                                  dates=(ast.HolidayDate(dt.date(2025, 5, 1), Text("May Day")),)),),
        policies=(),
    )


def test_policy_header_and_metadata():
    p = only_policy('policy irex "IREX support policy" fr "Politique de support IREX" {\n'
                    '  version "2025.1"\n  effective 2025-01-01..2027-12-31\n'
                    '  languages en, fr\n  support languages en\n}\n')
    assert p == ast.Policy(N("irex"), Text("IREX support policy", ((N("fr"), "Politique de support IREX"),)),
                           "2025.1", (dt.date(2025, 1, 1), dt.date(2027, 12, 31)), (N("en"), N("fr")), (N("en"),),
                           definitions=(), rules=())


def test_effective_from_a_single_date_and_no_title():
    p = only_policy("policy p { effective 2025-06-01 }")
    assert (p.title, p.version, p.effective, p.languages) == (None, None, (dt.date(2025, 6, 1), None), ())


def test_calendar_statements():
    [cal] = definitions('calendar business "Business" { zone Europe/Paris\n'
                        '  open mon..fri, sun 08:00-16:00  open 2025-05-03 as mon  closed 2025-05-01  holidays h }')
    assert cal == ast.Calendar(N("business"), Text("Business"), body=(
        ast.Zone("Europe/Paris"),
        ast.OpenWindow((ast.DayItem(N("mon"), N("fri")), ast.DayItem(N("sun"))), ast.Time(480, "08:00"),
                       ast.Time(960, "16:00")),
        ast.OpenDate(dt.date(2025, 5, 3), N("mon")),
        ast.ClosedDate(dt.date(2025, 5, 1)),
        ast.Observe(N("h")),
    ))


def test_window_from_one_day_to_another():
    # IREX: "commence les vendredis à 16 h et se termine le lundi à 8 h 00"
    [cal] = definitions("calendar weekend { zone UTC+02:00 open fri 16:00 - mon 08:00 }")
    assert cal.body == (ast.Zone("UTC+02:00"),
                        ast.OpenWindow((ast.DayItem(N("fri")),), ast.Time(960, "16:00"), ast.Time(480, "08:00"),
                                       end_day=N("mon")))


def test_always_open_and_out_of_range_times_are_kept_for_the_checks():
    [a, b] = definitions("calendar a { zone UTC open always }\ncalendar b { zone UTC open mon 25:00-24:00 }")
    assert a.body == (ast.Zone("UTC"), ast.OpenAlways())
    # 25:00 is impossible, but it is the passes that say so (E202), with a span.
    assert b.body[1].start == ast.Time(1500, "25:00") and b.body[1].end == ast.Time(1440, "24:00")


def test_calendar_union():
    assert definitions('calendar both "Both" = business + weekend') == (
        ast.Calendar(N("both"), Text("Both"), body=(), union=(N("business"), N("weekend"))),)


def test_dimension_and_severities():
    d, s = definitions(
        'dimension plan "Plan" { basic "Basic" { description "Included" fr "Inclus" }, advanced, }\n'
        'severities "Severity" { L1 "Urgent" { impact "Down" }, L2 }')
    assert d == ast.Dimension(N("plan"), Text("Plan"), (
        ast.Value(N("basic"), Text("Basic"), description=Text("Included", ((N("fr"), "Inclus"),))),
        ast.Value(N("advanced"), None)))
    # `severities` is the dimension named `severity`, highest first.
    assert s == ast.Dimension(N("severity"), Text("Severity"), (
        ast.Value(N("L1"), Text("Urgent"), impact=Text("Down")), ast.Value(N("L2"), None)))


def test_defaults_and_restricted_values():
    d, s = definitions(
        'dimension channel { web, emergency } default web\n'
        'severities { S1, how_to "How-to" { only plan is premium and region is not apac } } default S1')
    assert d == ast.Dimension(N("channel"), None, (ast.Value(N("web"), None), ast.Value(N("emergency"), None)),
                              default=N("web"))
    assert s.default == N("S1")
    assert s.values[1] == ast.Value(N("how_to"), Text("How-to"), only=(
        ast.Test(N("plan"), (N("premium"),)), ast.Test(N("region"), (N("apac"),), True)))


VALUE_NAMES = st.sampled_from(["a", "b", "default", "only", "web", "S1"])


@st.composite
def dimensions(draw) -> tuple[str, ast.Dimension]:
    """A dimension with a default or none, some values restricted, and the AST it means."""
    names = draw(st.lists(VALUE_NAMES, min_size=1, max_size=4, unique=True))
    values, texts = [], []
    for n in names:
        tests = draw(st.lists(st.tuples(VALUE_NAMES, st.booleans(), st.lists(VALUE_NAMES, min_size=1, max_size=2)),
                              max_size=2))
        only = tuple(ast.Test(N(dim), tuple(N(v) for v in vals), neg) for dim, neg, vals in tests)
        values.append(ast.Value(N(n), None, only=only))
        texts.append(n + ("" if not tests else " { " + " ".join(
            f"only {dim} is {'not ' if neg else ''}{', '.join(vals)}" for dim, neg, vals in tests) + " }"))
    default = draw(st.one_of(st.none(), VALUE_NAMES))
    text = "dimension d { " + ", ".join(texts) + " }" + (f" default {default}" if default else "")
    return text, ast.Dimension(N("d"), None, tuple(values), default=N(default) if default else None)


@settings(max_examples=examples(200), deadline=None)
@given(dimensions())
def test_any_dimension_reads_as_it_is_written(case):
    # `default` and `only` are keywords only where no name can stand: as value names and
    # dimension names in a test they read as names.
    text, meant = case
    assert definitions(text + "\ncalendar c { zone UTC open always }")[0] == meant


def test_roles():
    assert definitions('role support "Support" { email "a@b.c" phone "+7 (499) 940-95-05, ext. 200" url "u" }\n'
                       "role head") == (
        ast.Role(N("support"), Text("Support"), (ast.Contact("email", "a@b.c"),
                                                 ast.Contact("phone", "+7 (499) 940-95-05, ext. 200"),
                                                 ast.Contact("url", "u"))),
        ast.Role(N("head"), None, ()))


def test_escalation_chain():
    [e] = definitions("escalation level1 { email support cc head, manager after 1h30min\n"
                      "  phone head at 50%\n  include base }")
    assert e == ast.Escalation(N("level1"), None, (
        ast.Step(N("email"), (N("support"),), (N("head"), N("manager")), after=ast.Duration(90)),
        ast.Step(N("phone"), (N("head"),), share=50),
        ast.Include(N("base"))))


def test_services():
    a, b, c = definitions(
        'service consulting "Consulting"\n'
        "service db { excluded }\n"
        'service updates { included  when plan is not basic: hourly "By the hour" estimate 1h..3h }')
    assert a == ast.Service(N("consulting"), Text("Consulting"), ())
    assert b == ast.Service(N("db"), None, (ast.ServiceTerm((), "excluded"),))
    assert c == ast.Service(N("updates"), None, (
        ast.ServiceTerm((), "included"),
        ast.ServiceTerm((ast.Test(N("plan"), (N("basic"),), negated=True),), "hourly", Text("By the hour"),
                        (ast.Duration(60), ast.Duration(180)))))


def test_severity_rules():
    assert rules("when plan is basic and severity is L1, L2: severity L1 becomes L2\n"
                 "when type is request: severity any becomes normal") == (
        ast.SeverityRule((ast.Test(N("plan"), (N("basic"),)), ast.Test(N("severity"), (N("L1"), N("L2")))),
                         (N("L1"),), N("L2")),
        ast.SeverityRule((ast.Test(N("type"), (N("request"),)),), None, N("normal")))


def test_respond_rules():
    assert rules("respond on business + weekend { target 1h }\n"
                 "when plan is premier: respond { on business guaranteed always target next business day start }\n"
                 "respond { guaranteed if received within business target none }\n"
                 "respond on business { }") == (
        ast.RespondRule((), (N("business"), N("weekend")), ast.Target("duration", 60)),
        ast.RespondRule((ast.Test(N("plan"), (N("premier"),)),), (N("business"),),
                        ast.Target("next_business_day", None, "start"), "always"),
        ast.RespondRule((), None, ast.Target("none"), (N("business"),)),
        ast.RespondRule((), (N("business"),)),
    )


def test_two_dimensional_table():
    [r] = rules(r"""respond on business {
    plan \ severity   L1    L2    L3     L4
    premier:          1h    2h    8h     24h
    standard:         4h    -     16h    next business day
  }""")
    nbd = ast.Target("next_business_day", None, "end")  # "jour ouvrable suivant": by the end of it
    assert r.tables == (ast.Table(N("plan"), N("severity"), (N("L1"), N("L2"), N("L3"), N("L4")), (
        (N("premier"), tuple(ast.Target("duration", h * 60) for h in (1, 2, 8, 24))),
        (N("standard"), (ast.Target("duration", 240), ast.Target("empty"), ast.Target("duration", 960), nbd)),
    )),)


def test_one_dimensional_table():
    [r] = rules("respond { severity L1 L2\n target: 45min next business day end }")
    assert r.tables == (ast.Table(None, N("severity"), (N("L1"), N("L2")), (
        (N("target"), (ast.Target("duration", 45), ast.Target("next_business_day", None, "end"))),)),)


def test_escalate_and_bill_rules():
    assert rules("escalate level1\n"
                 "when severity is urgent: escalate { notify support  phone support }\n"
                 "when plan is not premier: bill 1.5x outside business + weekend") == (
        ast.EscalateRule((), N("level1")),
        ast.EscalateRule((ast.Test(N("severity"), (N("urgent"),)),), None,
                         (ast.Step(N("notify"), (N("support"),)), ast.Step(N("phone"), (N("support"),)))),
        ast.BillRule((ast.Test(N("plan"), (N("premier"),), negated=True),), "1.5", (N("business"), N("weekend"))),
    )



def test_no_support_and_supported_rules():
    assert rules('when plan is free: no support "Forum only" fr "Forum seulement" see "https://forum.example.com"\n'
                 'no support "Ask your reseller"\n'
                 "when plan is free and type is billing: supported") == (
        ast.NoSupportRule((ast.Test(N("plan"), (N("free"),)),), Text("Forum only", ((N("fr"), "Forum seulement"),)),
                          "https://forum.example.com"),
        ast.NoSupportRule((), Text("Ask your reseller"), None),
        ast.SupportedRule((ast.Test(N("plan"), (N("free"),)), ast.Test(N("type"), (N("billing"),)))),
    )


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.sampled_from(["free", "trial", "x_1"]), min_size=1, max_size=3),
       st.sampled_from(["Forum", "", "say \\\"no\\\"", "été"]),
       st.one_of(st.none(), st.sampled_from(["u", "mailto:a@b"])),
       st.sampled_from([" ", "\n    ", "  # a note\n  "]))
def test_any_no_support_rule_reads_as_it_is_written(plans, reason, see, sep):
    # Any layout, escapes in the reason, with or without `see`; `support languages` right
    # after the rule still reads as metadata, not as a second rule.
    text = (f"when plan is {', '.join(plans)}:{sep}no{sep}support{sep}\"{reason}\""
            + (f"{sep}see{sep}\"{see}\"" if see is not None else "") + "\nsupport languages en\n")
    p = only_policy("policy p {\n" + text + "}")
    unescaped = reason.replace('\\"', '"').replace("\\\\", "\\")
    assert p.rules == (ast.NoSupportRule((ast.Test(N("plan"), tuple(N(x) for x in plans)),), Text(unescaped), see),)
    assert [n.value for n in p.support_languages] == ["en"]


def test_statuses_and_metrics():
    st, first, nxt, upd = definitions(
        'statuses "Ticket status" ru "Статус" { open "Open", waiting_on_customer, solved }\n'
        'metric first_response "First response" { start on created  stop on agent_message }\n'
        "metric next_response { start on customer_message after first_response\n"
        "  restart on customer_message  stop on agent_message }\n"
        "metric update { start on status to in_progress  stop on agent_message, status to solved, closed\n"
        "  repeat while status in_progress  pause in waiting_on_customer, on_hold  on facts change restart }")
    assert st == ast.Statuses(Text("Ticket status", ((N("ru"), "Статус"),)), (
        ast.Value(N("open"), Text("Open")), ast.Value(N("waiting_on_customer"), None), ast.Value(N("solved"), None)))
    assert first == ast.Metric(N("first_response"), Text("First response"), (ast.Event("created"),), None,
                               (ast.Event("agent_message"),))
    # What `respond` measures when a policy declares no `first_response` (the label aside).
    assert ast.Metric(first.name, None, first.start, first.after, first.stop) == ast.implicit_first_response()
    assert nxt == ast.Metric(N("next_response"), None, (ast.Event("customer_message"),), N("first_response"),
                             (ast.Event("agent_message"),), restart=(ast.Event("customer_message"),))
    # `closed` after `status to solved,` is one more status of that event, not an event.
    assert upd == ast.Metric(N("update"), None, (ast.Event("status", "to", (N("in_progress"),)),), None,
                             (ast.Event("agent_message"), ast.Event("status", "to", (N("solved"), N("closed")))),
                             pause=(N("waiting_on_customer"), N("on_hold")), repeat_while=(N("in_progress"),),
                             on_facts_change="restart")


STATUS_NAMES = st.sampled_from(["open", "waiting_on_customer", "solved", "closed", "in_progress"])


@st.composite
def event_lists(draw) -> list[ast.Event]:
    """Events of a clause: words, and `status to/from` with one or more statuses."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            out.append(ast.Event(draw(st.sampled_from(ast.EVENT_WORDS))))
        else:
            names = draw(st.lists(STATUS_NAMES, min_size=1, max_size=3))
            out.append(ast.Event("status", draw(st.sampled_from(["to", "from"])), tuple(N(n) for n in names)))
    return out


def written(events: list[ast.Event]) -> str:
    return ", ".join(e.kind if e.kind != "status" else f"status {e.move} " + ", ".join(n.value for n in e.statuses)
                     for e in events)


@st.composite
def metrics(draw) -> tuple[str, ast.Metric]:
    """A metric written with its clauses in a random order and layout, and the AST it means."""
    start, stop, restart = draw(event_lists()), draw(event_lists()), draw(st.one_of(st.just([]), event_lists()))
    after = draw(st.one_of(st.none(), st.sampled_from(["first_response", "next_response"])))
    pause = draw(st.lists(STATUS_NAMES, max_size=3))
    repeat = draw(st.lists(STATUS_NAMES, max_size=2))
    mode = draw(st.sampled_from([None, "keep", "restart"]))
    clauses = [f"start on {written(start)}" + (f" after {after}" if after else ""), f"stop on {written(stop)}"]
    clauses += [f"restart on {written(restart)}"] if restart else []
    clauses += [f"pause in {', '.join(pause)}"] if pause else []
    clauses += [f"repeat while status {', '.join(repeat)}"] if repeat else []
    clauses += [f"on facts change {mode}"] if mode else []
    clauses = draw(st.permutations(clauses))
    sep = draw(st.sampled_from([" ", "\n  ", "  # a note\n"]))
    text = "metric m {" + sep + sep.join(clauses) + sep + "}"
    meant = ast.Metric(N("m"), None, tuple(start), N(after) if after else None, tuple(stop), tuple(restart),
                       tuple(N(n) for n in pause), tuple(N(n) for n in repeat), mode or "keep")
    return text, meant


@settings(max_examples=examples(300), deadline=None)
@given(metrics())
def test_any_metric_reads_as_it_is_written(case):
    # The property: whatever the clauses' order, layout and events, the AST is what the
    # text says (a status list ends where an event word or the clause ends).
    text, meant = case
    assert definitions(text) == (meant,)


def test_clauses_in_any_order_and_status_from():
    [m] = definitions("metric m { stop on status from open, facts  start on created, customer_message }")
    assert m.start == (ast.Event("created"), ast.Event("customer_message"))
    # `facts` after a status list is the event word, not a status.
    assert m.stop == (ast.Event("status", "from", (N("open"),)), ast.Event("facts"))


def test_measure_rules_and_the_new_cells():
    a, b, c = rules("measure resolution on business { target best effort }\n"
                    "when plan is premier: measure first_response, next_response { target 4h }\n"
                    "measure update { severity L1 L2 L3\n target: daily weekly every 3 days }")
    assert a == ast.RespondRule((), (N("business"),), ast.Target("best_effort"), metrics=(N("resolution"),))
    assert b == ast.RespondRule((ast.Test(N("plan"), (N("premier"),)),), None, ast.Target("duration", 240),
                                metrics=(N("first_response"), N("next_response")))
    assert c.tables[0].rows[0][1] == (ast.Target("period", days=1), ast.Target("period", days=7),
                                      ast.Target("period", days=3))
    # `respond` is `measure first_response`: the same rule.
    assert rules("respond on business { target 1h }") == rules("measure first_response on business { target 1h }")


def test_steps_timed_on_a_metric():
    [e] = definitions("escalation e { email support after 2h of resolution\n  notify head at 75% of first_response\n"
                      "  phone head at 50% }")
    assert e.steps == (ast.Step(N("email"), (N("support"),), after=ast.Duration(120), metric=N("resolution")),
                       ast.Step(N("notify"), (N("head"),), share=75, metric=N("first_response")),
                       ast.Step(N("phone"), (N("head"),), share=50))


def test_metric_spans():
    text = "metric update {\n  start on created\n  stop on agent_message, status to solved, closed\n}\n"
    src = SourceFile.of("t.policy", text)
    module, diags = parse_text(src)
    assert diags == []
    [m] = module.definitions
    assert line_col(src, m.name.span) == (1, 8, 6)  # `update`
    assert line_col(src, m.clause_span("start")) == (2, 3, 16)  # `start on created`
    agent, status = m.stop
    assert line_col(src, agent.span) == (3, 11, 13)  # `agent_message`
    assert line_col(src, status.span) == (3, 26, 24)  # `status to solved, closed`
    assert line_col(src, status.statuses[1].span) == (3, 44, 6)  # `closed`
    assert m.clause_span("pause") == m.name.span  # no such clause: the metric's name


@pytest.mark.parametrize(("text", "minutes"), [("45min", 45), ("2h", 120), ("1h30min", 90), ("24h", 1440),
                                                ("0h", 0), ("1000h", 60000)])
def test_durations(text, minutes):
    [r] = rules(f"respond {{ target {text} }}")
    assert r.target == ast.Target("duration", minutes)


def test_string_escapes():
    [role] = definitions(r'role r "say \"hi\" \\ bye"')
    assert role.label == Text('say "hi" \\ bye')


def test_layout_and_comments_do_not_change_the_meaning():
    compact = parse('policy p "P" { version "1" severities { a, b } respond on c { target 1h } }')
    spread = parse('# a comment first\npolicy p\n  "P"   # the title\n{\n\tversion "1"\n'
                   '  severities {\n    a,   # highest\n    b\n  }\n  respond on c {\n    target 1h\n  }\n}\n')
    assert compact == spread
    assert compact.policies[0].id.span != spread.policies[0].id.span


def test_names_compare_by_value_only():
    assert N("x", Span("a.policy", 1, 2)) == N("x", Span("b.policy", 5, 6)) == N("x")
    assert N("x") != N("y")


# ---- keywords as names -----------------------------------------------------------------------

def test_severity_table_header_after_a_guarantee():
    # Navixy: the table's header `severity L1 ...` right after `guaranteed if received within
    # support_hours`; `severity` is a keyword of statements, but here only a name can stand.
    [r] = rules("when deployment is on_premise, cloud: respond on support_hours {\n"
                "  guaranteed if received within support_hours\n"
                "  severity   L1    L2    L3    L4\n"
                "  target:    2h    4h    5h    8h\n}")
    assert r.guarantee == (N("support_hours"),)
    assert r.tables == (ast.Table(None, N("severity"), (N("L1"), N("L2"), N("L3"), N("L4")), (
        (N("target"), tuple(ast.Target("duration", h * 60) for h in (2, 4, 5, 8))),)),)


def test_calendar_named_business_with_next_business_day():
    [cal] = definitions("calendar business { zone UTC open mon..fri 08:00-16:00 }")
    assert cal.name == N("business")
    [a, b] = rules("respond on business { target next business day }\n"
                   "respond { guaranteed if received within business + business\n"
                   "  severity L1 L2\n  target: next business day start - }")
    assert a == ast.RespondRule((), (N("business"),), ast.Target("next_business_day", None, "end"))
    assert b.guarantee == (N("business"), N("business"))
    assert b.tables[0].rows[0][1] == (ast.Target("next_business_day", None, "start"), ast.Target("empty"))


def test_severity_table_header_after_a_calendar_union_in_a_respond_block():
    # `a + b` once shared its LALR state with statement-level calendar expressions, where
    # `severity` after a calendar name is the keyword of the next statement.
    [r] = rules("respond { on business + weekend\n  severity L1 L2\n  target: 1h 2h }")
    assert r.calendar == (N("business"), N("weekend"))
    assert r.tables[0].column_dimension == N("severity")


@pytest.mark.parametrize("word", [
    "open", "zone", "closed", "holidays", "national", "years", "as", "always", "calendar", "policy", "import",
    "version", "severity", "respond", "escalate", "bill", "outside", "when", "is", "and", "any", "becomes",
    "none", "next", "business", "day", "start", "cc", "after", "at", "include", "received", "within",
    "included", "hourly", "estimate", "email", "UTC",
    "statuses", "metric", "measure", "stop", "restart", "pause", "in", "repeat", "while", "status", "to", "from",
    "facts", "change", "keep", "of", "best", "effort", "every", "daily", "weekly", "days", "created",
    "default", "only", "negotiable", "contract", "extends",
])
def test_keywords_are_names_where_only_a_name_can_stand(word):
    w = word
    p = only_policy(f"policy {w} {{\n  dimension {w} {{ {w} }}\n  calendar {w} {{ zone UTC open always }}\n"
                    f"  role {w}\n  escalation {w} {{ email {w} }}\n"
                    f"  when {w} is {w}: respond on {w} {{ {w} {w}\n    target: 1h }}\n  escalate {w}\n}}\n")
    assert p.id == N(w)
    assert [d.name for d in p.definitions] == [N(w)] * 4
    respond, escalate = p.rules
    assert respond.condition == (ast.Test(N(w), (N(w),)),) and respond.calendar == (N(w),)
    assert respond.tables[0].column_dimension == N(w) and respond.tables[0].columns == (N(w),)
    assert escalate.chain == N(w)


# ---- spans ---------------------------------------------------------------------------------

SPANNED = r"""policy irex "IREX" {
  severities { L1, L2 }
  calendar weekend { zone Europe/Paris open fri 16:00 - mon 08:00 }
  when plan is premier and severity is L1: respond on business + weekend { }
  respond on business {
    plan \ severity   L1    L2
    premier:          1h    2h
  }
}
"""


def line_col(src: SourceFile, span: Span) -> tuple[int, int, int]:
    """Line, column and length of a span."""
    return (*src.line_col(span.start), span.end - span.start)


def test_spans_point_at_the_right_line_and_column():
    src = SourceFile.of("t.policy", SPANNED)
    module, diags = parse_text(src)
    assert diags == []
    [p] = module.policies
    sev, cal = p.definitions
    rule, table_rule = p.rules
    table = table_rule.tables[0]
    window = cal.body[1]
    assert line_col(src, p.id.span) == (1, 8, 4)  # `irex`
    assert line_col(src, p.title.span) == (1, 13, 6)  # `"IREX"`
    assert line_col(src, sev.name.span) == (2, 3, 10)  # the keyword `severities` names it
    assert line_col(src, sev.values[1].name.span) == (2, 20, 2)  # `L2`
    assert line_col(src, cal.name.span) == (3, 12, 7)  # `weekend`
    assert line_col(src, window.span)[:2] == (3, 40)  # `open fri ...`
    assert line_col(src, window.start.span) == (3, 49, 5)  # `16:00`
    assert line_col(src, window.end_day.span) == (3, 57, 3)  # `mon`
    assert line_col(src, rule.span)[:2] == (4, 3)  # a rule starts at its `when`
    assert line_col(src, rule.condition[1].values[0].span) == (4, 40, 2)  # `L1`
    assert line_col(src, rule.calendar[1].span) == (4, 66, 7)  # `weekend`
    assert line_col(src, table.row_dimension.span) == (6, 5, 4)  # `plan`
    assert line_col(src, table.columns[1].span) == (6, 29, 2)  # `L2`
    label, cells = table.rows[0]
    assert line_col(src, label.span) == (7, 5, 7)  # `premier`, without its colon
    assert line_col(src, cells[1].span) == (7, 29, 2)  # `2h`
    assert src.line_col(table_rule.span.end) == (8, 4)  # just after the closing `}`


def test_spans_after_a_byte_order_mark_and_crlf():
    text = "\ufeffpolicy p {\r\n  severities { L1 }\r\n}\r\n"
    from policyc.syntax.parse import read_source
    import pathlib
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp, "t.policy")
        path.write_bytes(text.encode("utf-8"))
        src, diags = read_source(path, "t.policy")
    assert diags == []
    module, diags = parse_text(src)
    assert diags == []
    p = module.policies[0]
    assert line_col(src, p.id.span) == (1, 8, 1)
    assert line_col(src, p.definitions[0].values[0].name.span) == (2, 16, 2)


# ---- syntax errors -------------------------------------------------------------------------

def errors(text: str):
    src = SourceFile.of("t.policy", text)
    module, diags = parse_text(src)
    return module, [(d.code, *src.line_col(d.span.start), d.message, d.help) for d in diags]


def test_syntax_error_message_position_and_hint():
    module, found = errors('policy p {\n  version 2025\n}\n')
    assert module is None
    assert found == [("E001", 2, 11, "unexpected `2025`", "expected a quoted string")]


def test_unexpected_character():
    module, found = errors('policy p {\n  version @ "1"\n}\n')
    assert found == [("E001", 2, 11, "unexpected character `@`", "expected a quoted string")]


def test_unexpected_end_of_file():
    # The file ends inside the policy block: the error is at the very end, after the last newline.
    module, found = errors('policy p {\n  version "1"\n')
    [(code, line, col, message, hint)] = found
    assert (code, line, col, message) == ("E001", 3, 1, "unexpected end of file")
    assert hint.startswith("expected ")


def test_missing_colon_after_a_condition():
    module, found = errors("policy p {\n  when plan is basic respond { target 1h }\n}\n")
    [(code, line, col, message, hint)] = found
    assert (code, line, col, message) == ("E001", 2, 22, "unexpected `respond`")
    assert "`:`" in hint


def test_several_independent_errors_are_all_reported():
    text = "\n".join([
        "policy p {",
        "  version 1",                                     # a number where a string belongs
        "  severities { a b }",                            # a missing comma
        "  calendar c { zone UTC open mon 09:00 10:00 }",  # a missing dash
        "  respond on c { target 2 }",                     # a duration without its unit
        "}",
    ]) + "\n"
    module, found = errors(text)
    assert module is None
    assert [(line, col, message) for _, line, col, message, _ in found] == [
        (2, 11, "unexpected `1`"), (3, 18, "unexpected `b`"), (4, 40, "unexpected `10:00`"), (5, 25, "unexpected `2`")]


def test_error_recovery_stops_after_a_bounded_number_of_errors():
    text = "policy p {\n" + "".join(f"  version {i}\n" for i in range(50)) + "}\n"
    module, found = errors(text)
    assert module is None
    assert len(found) == MAX_SYNTAX_ERRORS
    assert [line for _, line, *_ in found] == list(range(2, 2 + MAX_SYNTAX_ERRORS))


def test_errors_in_every_file_are_reported_and_no_table_is_made(ws):
    files = {
        "policies/a.policy": r"""policy a {
  version "1"
  effective 2025-01-01
  severities { high low }
#                   ^^^ E001 unexpected `low`
  calendar c { zone UTC open always }
  respond on c { target 1h }
}
""",
        "policies/b.policy": r"""policy b {
  version "1" effective 2025-01-01 severities { high }
  calendar c { zone UTC open always }
  respond on c { target 1h ] }
#                          ^ E001 unexpected character `]`
}
""",
        # A good policy next to broken ones: compiled and checked, but nothing is emitted.
        "policies/c.policy": 'policy c { version "1" effective 2025-01-01 severities { high }\n'
                             "  calendar k { zone UTC open always } respond on k { target 1h } }\n",
    }
    result = ws.compile(files)
    check_markers(result, files)
    assert result.tables == {}
    assert result.outputs() == {}


def test_a_file_with_a_syntax_error_yields_no_table_even_alone(ws):
    result = ws.compile({"policies/p.policy": 'policy p { version "1" effective 2025-01-01 severities { high }\n'
                                              "  calendar k { zone UTC open always } respond on k { target 1h }\n"})
    assert [d.code for d in result.diagnostics] == ["E001"]
    assert result.tables == {} and result.outputs() == {}


# ---- recovery that misled a new author (issue 6, item 7) -----------------------------------

HEAD = "policy p {\n  severities { S1 }\n  dimension plan { basic, premium }\n  respond on always {\n"
CELLS = ("a cell is a duration (`2h`, `30min`), `next business day`, `none`, `best effort`, "
         "a period (`daily`, `weekly`, `every 3 days`), business days (`2 business days`, "
         "`2 business days start|end`, `2 business days of 8h`) or `-`")


@pytest.mark.parametrize(("target", "shown"), [
    ("2 businessdays", "businessdays"), ("2 business weeks", "weeks"), ("2 }", "2"), ("monthly", "monthly"),
    ("2d", "2d"), ("next_business_day", "next_business_day"),
    ("next businessday", "businessday"), ("nonex", "nonex"),
])
def test_a_bad_target_is_one_error_on_its_line(target, shown):
    # Before: `business days` was read as a table, then `}` and the end of the file were
    # reported too; `next_business_day` was `next` followed by an unexpected name.
    module, found = errors(HEAD + f"    target {target}\n  }}\n}}\n")
    col = 12 + target.find(shown)
    assert (module, found) == (None, [("E001", 5, col, f"unexpected `{shown}`", CELLS)])


def test_a_bad_target_on_a_one_line_policy_is_one_error():
    module, found = errors('policy p { severities { S1 } respond on always { target 2 } }')
    assert found == [("E001", 1, 57, "unexpected `2`", CELLS)]
    module, found = errors('policy p { severities { S1 } respond on always { target 2 business days } }')
    assert found == []  # a target in business days since issue 9


def test_a_bad_cell_after_a_good_one_is_blamed_on_its_own_line():
    # `next_business_day` after `1h` is a name: it starts a new table, and the parser only
    # noticed at the next line, where the table's header should have followed.
    module, found = errors(HEAD + "    severity \\ plan  basic  premium\n"
                                  "    S1:               1h     next_business_day\n  }\n}\n")
    assert found == [("E001", 6, 30, "unexpected `next_business_day`", CELLS)]


@pytest.mark.parametrize("zone", ["UTC+1", "UTC-5", "UTC+1:00", "UTC+٠٢:٠٠"])
def test_a_short_utc_offset_says_how_offsets_are_written(zone):
    module, found = errors(f"calendar c {{ zone {zone} open mon 09:00-17:00 }}\n")
    assert found == [("E001", 1, 19, f"`{zone}` is not a time zone",
                      "write a UTC offset with hours and minutes: `UTC+01:00`")]


@pytest.mark.parametrize(("text", "col"), [
    ("calendar c { zone UTC open mon ０８:００-16:00 }", 32),   # fullwidth digits
    ("calendar c { zone UTC open mon 08:00-٦6:00 }", 38),      # an Arabic-Indic six
    ("holidays h { national RU years ٢٠٢٥..2026 }", 32),
    ("policy p { respond { target ١h } }", 29),
    ("policy p { bill ２x outside always }", 17),
    ("policy p { effective ２025-01-01 }", 22),
])
def test_digits_are_ascii(text, col):
    # Python's `\d` matches any Unicode digit; the table must hold what every port reads.
    module, found = errors(text + "\n")
    assert [(code, line, c) for code, line, c, *_ in found] == [("E001", 1, col)]
    assert found[0][3] == f"unexpected character `{text[col - 1]}`"


def test_a_nul_byte_is_shown_where_it_is():
    module, found = errors('policy p {\n  version "1"\x00\n}\n')
    assert found == [("E002", 2, 14, "file contains a NUL byte; is it binary?", None)]


def test_a_wrong_word_in_a_metric_clause_does_not_hide_the_next_error():
    # `keep|restart` is an alternation, not a plain string: recovery once could not make one
    # up, stayed stuck in the clause and swallowed the rest of the file silently.
    module, found = errors("metric m { start on created stop on agent_message on facts change sometimes }\n"
                           "policy p { version 1 }\n")
    assert [(line, col, message, hint) for _, line, col, message, hint in found] == [
        (1, 67, "unexpected `sometimes`", "expected `keep` or `restart`"),
        (2, 20, "unexpected `1`", "expected a quoted string")]


def test_labelled_rules_and_exceptions():
    p = only_policy("policy p {\n  rule regional: when region is emea: respond on emea_hours { }\n"
                    "  when plan is basic: respond { target 8h }\n"
                    "  exception to regional: when plan is premium: respond on always { }\n}\n")
    assert [type(r).__name__ for r in p.rules] == ["RespondRule"] * 3
    # the label points at its rule by index: the unlabelled rule in between has none
    assert [(lab.index, lab.name.value, lab.exception) for lab in p.labels] == [(0, "regional", False),
                                                                               (2, "regional", True)]
    assert p.rules[2].calendar == (N("always"),)


def test_rule_and_exception_stay_names_elsewhere():
    # `rule` and `exception` are keywords only where a labelled rule may begin
    (d,) = definitions("dimension rule { exception, to }")
    assert [v.name.value for v in d.values] == ["exception", "to"]


# ---- contracts (issue 10 item 5) ------------------------------------------------------------

def test_negotiable_marks_a_labelled_rule_or_a_definition():
    p = only_policy("policy p {\n  negotiable rule premier: when plan is premier: respond { target 1h }\n"
                    "  rule standard: respond { target 4h }\n"
                    "  negotiable calendar late { zone UTC open always }\n"
                    "  calendar early { zone UTC open always }\n}\n")
    late = ast.Calendar(N("late"), None, (ast.Zone("UTC"), ast.OpenAlways()))
    assert [n.item for n in p.negotiable] == [ast.RuleLabel(0, N("premier"), False), late]
    assert [d.name.value for d in p.definitions] == ["late", "early"] and len(p.rules) == 2
    src = SourceFile.of("t.policy", "policy p {\n  negotiable calendar late { zone UTC open always }\n}\n")
    [mark] = parse_text(src)[0].policies[0].negotiable
    assert line_col(src, mark.span)[:2] == (2, 3)  # at `negotiable`


def test_contract_block_reads_as_a_policy_body():
    module = parse('contract acme extends irex "ACME" fr "ACME" {\n  version "2026-03"\n'
                   "  effective 2026-03-01..2027-02-28\n"
                   "  calendar acme_hours { zone UTC open always }\n"
                   "  rule premier: when plan is premier: respond on acme_hours { target 30min }\n"
                   "  exception to premier: when severity is L1: respond { target 15min }\n"
                   '  expect W304 "agreed"\n'
                   "  when plan is x: respond { target 1h }\n}\n")
    assert module.policies == ()
    [c] = module.contracts
    assert (c.body.id, c.base, c.body.title) == (N("acme"), N("irex"), Text("ACME", ((N("fr"), "ACME"),)))
    assert (c.body.version, c.body.effective) == ("2026-03", (dt.date(2026, 3, 1), dt.date(2027, 2, 28)))
    assert [d.name.value for d in c.body.definitions] == ["acme_hours"]
    assert [(lab.index, lab.name.value, lab.exception) for lab in c.body.labels] == [(0, "premier", False),
                                                                                    (1, "premier", True)]
    assert len(c.body.rules) == 3 and [e.code.value for e in c.body.expects] == ["W304"]


@pytest.mark.parametrize(("text", "line", "col", "message", "hint"), [
    # a group is named by its label: an unlabelled rule cannot be negotiable
    ("policy p {\n  negotiable when plan is x: respond { target 1h }\n}\n", 2, 14,
     "unexpected `when` after `negotiable`", "`negotiable` goes before a labelled rule"),
    # a contract has the languages of its base
    ('contract c extends p {\n  languages en\n}\n', 2, 3, "unexpected `languages`", None),
    # the marks are the base's: none in a contract
    ('contract c extends p {\n  negotiable rule x: respond { }\n}\n', 2, 3, "unexpected `negotiable`", None),
    ('contract c {\n}\n', 1, 12, "unexpected `{`", "`extends`"),
])
def test_contract_syntax_errors(text, line, col, message, hint):
    _, found = errors(text)
    assert [(ln, cl, msg) for _, ln, cl, msg, _ in found][:1] == [(line, col, message)]  # recovery may echo
    if hint is not None:
        assert hint in found[0][4]


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["rule", "exception to", "calendar"]), st.sampled_from(["a", "b_2", "rule"])),
                max_size=5),
       st.sampled_from([" ", "\n    ", "  # a note\n  "]))
def test_any_contract_reads_as_it_is_written(overrides, sep):
    # Any mix of group overrides, exceptions and definitions, in any layout: each is read
    # in order, labels index the contract's own rules.
    parts = [f"{kind}{sep}{name}{sep}{{{sep}zone UTC{sep}}}" if kind == "calendar"
             else f"{kind} {name}:{sep}when plan is x:{sep}respond{sep}{{ target 1h }}" for kind, name in overrides]
    [c] = parse("contract c extends p {" + sep + sep.join(parts) + sep + "}\n").contracts
    rules = [(kind, name) for kind, name in overrides if kind != "calendar"]
    assert [(("exception to" if lab.exception else "rule"), lab.name.value) for lab in c.body.labels] == rules
    assert [lab.index for lab in c.body.labels] == list(range(len(rules)))
    assert [d.name.value for d in c.body.definitions] == [name for kind, name in overrides if kind == "calendar"]
