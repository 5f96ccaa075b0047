"""AST -> intermediate graph: definitions as nodes, references as edges.

Node keys are tuples: ("calendar", "business"), ("value", "plan", "basic"),
("rule", 3), ("module", "policies/irex.policy"). A reference to something that is
not defined is kept in `g.graph["unresolved"]` for the names pass to report with a
"did you mean"; two definitions of one name go to `g.graph["duplicates"]`.
The graph is frozen once built.
"""

from __future__ import annotations

import networkx as nx

from . import ast
from .project import Project
from .source import Span

BUILTIN_CALENDARS = ("always",)  # 24/7, usable without a definition
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHANNELS = ("email", "phone", "notify")

_KIND = {ast.Calendar: "calendar", ast.Holidays: "holidays", ast.Dimension: "dimension",
         ast.Role: "role", ast.Escalation: "escalation", ast.Service: "service", ast.Metric: "metric",
         ast.Statuses: "statuses", ast.ZoneFact: "fact", ast.Order: "order"}
DEFAULT_STATUSES = ("open", "solved")  # when a policy declares none; the first is initial


def key_of(d) -> tuple:
    """The node key of a definition (a policy has one status list, whatever it is called)."""
    if isinstance(d, ast.Statuses):
        return ("statuses", "statuses")
    if isinstance(d, ast.Order):
        return ("order", d.dimension.value)
    return (_KIND[type(d)], d.name.value)


def site(d) -> Span:
    """Where a definition is named (a status list has no name; an order, its dimension's)."""
    if isinstance(d, ast.Statuses):
        return d.span
    return d.dimension.span if isinstance(d, ast.Order) else d.name.span


def _define(g: nx.MultiDiGraph, key: tuple, node, span: Span) -> None:
    if key in g:
        g.graph["duplicates"].append((key, span, g.nodes[key]["span"]))
        return
    g.add_node(key, node=node, span=span)


def _ref(g: nx.MultiDiGraph, src: tuple, key: tuple, name: ast.Name, kind: str) -> None:
    if key in g:
        g.add_edge(src, key, kind=kind, span=name.span)
    else:
        g.graph["unresolved"].append((key, name, src))


def _refs_condition(g, src, cond: ast.Condition) -> None:
    for test in cond:
        dim = ("dimension", test.dimension.value)
        _ref(g, src, dim, test.dimension, "condition")
        if dim in g:
            for v in test.values:
                _ref(g, src, ("value", test.dimension.value, v.value), v, "condition")


def _refs_calendars(g, src, names) -> None:
    for n in names or ():
        _ref(g, src, ("calendar", n.value), n, "calendar")


def _refs_window(g, src, w: ast.OpenWindow) -> None:
    for item in w.days:
        for n in (item.first, item.last, w.end_day):
            if n is not None:
                _ref(g, src, ("weekday", n.value), n, "weekday")


def _refs_steps(g, src, steps) -> None:
    for st in steps:
        if isinstance(st, ast.Include):
            _ref(g, src, ("escalation", st.chain.value), st.chain, "include")
            continue
        _ref(g, src, ("channel", st.channel.value), st.channel, "channel")
        for r in st.to + st.cc:
            _ref(g, src, ("role", r.value), r, "recipient")
        if st.metric is not None:
            _ref(g, src, ("metric", st.metric.value), st.metric, "times")


def _refs_metric(g, src, m: ast.Metric) -> None:
    events = (m.start or ()) + (m.stop or ()) + m.restart
    for n in [s for e in events for s in e.statuses] + list(m.pause + m.repeat_while):
        _ref(g, src, ("status", n.value), n, "status")
    if m.after is not None:
        _ref(g, src, ("metric", m.after.value), m.after, "after")


def _refs_values(g, src, dim: str, names) -> None:
    for n in names:
        _ref(g, src, ("value", dim, n.value), n, "value")


def _refs_rule(g, key, rule) -> None:
    _refs_condition(g, key, rule.condition)
    if isinstance(rule, ast.RespondRule):
        for n in rule.metrics:
            _ref(g, key, ("metric", n.value), n, "measures")
    if isinstance(rule, ast.SeverityRule):
        _refs_values(g, key, "severity", (rule.severities or ()) + (rule.becomes,))
    elif isinstance(rule, ast.RespondRule):
        _refs_calendars(g, key, rule.calendar)
        if isinstance(rule.guarantee, tuple):
            _refs_calendars(g, key, rule.guarantee)
        for t in rule.tables:
            dims = [(t.column_dimension, t.columns)]
            if t.row_dimension is not None:
                dims.append((t.row_dimension, tuple(r[0] for r in t.rows)))
            for dim, names in dims:
                _ref(g, key, ("dimension", dim.value), dim, "table")
                if ("dimension", dim.value) in g:
                    _refs_values(g, key, dim.value, names)
    elif isinstance(rule, ast.EscalateRule):
        if rule.chain is not None:
            _ref(g, key, ("escalation", rule.chain.value), rule.chain, "escalate")
        _refs_steps(g, key, rule.steps)
    elif isinstance(rule, ast.BillRule):
        _refs_calendars(g, key, rule.outside)


def build(project: Project, policy: ast.Policy, path: str) -> nx.MultiDiGraph:
    """The graph of one policy and every definition it can see."""
    g = nx.MultiDiGraph(policy=policy, path=path, unresolved=[], duplicates=[])
    g.add_node(("policy", policy.id.value), node=policy, span=policy.id.span)
    for c in CHANNELS:
        g.add_node(("channel", c), node=None, span=None)
    for c in BUILTIN_CALENDARS:
        g.add_node(("calendar", c), node=None, span=None)
    for day in WEEKDAYS:
        g.add_node(("weekday", day), node=None, span=None)
    modules = project.visible(path)
    for m in modules:
        g.add_node(("module", m.path), node=m, span=m.span)
    for a, b, span in project.import_edges:
        if ("module", a) in g and ("module", b) in g:
            g.add_edge(("module", a), ("module", b), kind="import", span=span)
    definitions = [_expand(d) for d in [d for m in modules for d in m.definitions] + list(policy.definitions)]
    for d in definitions:
        _define(g, key_of(d), d, site(d))
        if isinstance(d, ast.Dimension):
            for v in d.values:
                _define(g, ("value", d.name.value, v.name.value), v, v.name.span)
                g.add_edge(key_of(d), ("value", d.name.value, v.name.value), kind="has", span=v.span)
        elif isinstance(d, ast.Statuses) and g.nodes[key_of(d)]["node"] is d:
            for v in d.values:
                _define(g, ("status", v.name.value), v, v.name.span)
    _define_implicit(g)
    for d in definitions:
        key = key_of(d)
        if g.nodes[key]["node"] is not d:
            continue  # a duplicate: reported, not analysed twice
        if isinstance(d, ast.Metric):
            _refs_metric(g, key, d)
        if isinstance(d, ast.Calendar):
            _refs_calendars(g, key, d.union)
            for st in d.body:
                if isinstance(st, ast.Observe):
                    _ref(g, key, ("holidays", st.holidays.value), st.holidays, "observes")
                elif isinstance(st, ast.OpenWindow):
                    _refs_window(g, key, st)
                elif isinstance(st, ast.OpenDate):
                    _ref(g, key, ("weekday", st.as_day.value), st.as_day, "weekday")
                elif isinstance(st, ast.CalCase):
                    _refs_condition(g, key, st.condition)
                    if isinstance(st.stmt, ast.OpenWindow):
                        _refs_window(g, key, st.stmt)
        elif isinstance(d, ast.Escalation):
            _refs_steps(g, key, d.steps)
        elif isinstance(d, ast.Dimension):
            if d.default is not None:
                _ref(g, key, ("value", d.name.value, d.default.value), d.default, "default")
            for v in d.values:
                _refs_condition(g, key, v.only)
        elif isinstance(d, ast.Order):
            _refs_condition(g, key, (ast.Test(d.dimension, d.values, False, d.span),))
        elif isinstance(d, ast.Service):
            for term in d.terms:
                _refs_condition(g, key, term.condition)
    for i, rule in enumerate(policy.rules):
        key = ("rule", i)
        g.add_node(key, node=rule, span=rule.span)
        _refs_rule(g, key, rule)
    return nx.freeze(g)


def _expand(d):
    """A `regions all` dimension with every region code as a value (others as they are)."""
    if isinstance(d, ast.Dimension) and d.regions == "all":
        from dataclasses import replace

        from .regions import all_codes

        return replace(d, values=tuple(ast.Value(ast.Name(code, d.name.span), None, span=d.name.span)
                                       for code in all_codes()))
    return d


def _define_implicit(g: nx.MultiDiGraph) -> None:
    """The statuses of a policy that declares none, and `first_response` when not declared
    (what `respond` measures). Both have no span: nothing is reported at them."""
    if ("statuses", "statuses") not in g:
        for name in DEFAULT_STATUSES:
            g.add_node(("status", name), node=ast.Value(ast.Name(name), None), span=None)
    if ("metric", ast.FIRST_RESPONSE) not in g:
        g.add_node(("metric", ast.FIRST_RESPONSE), node=ast.implicit_first_response(), span=None)


def defined(g: nx.MultiDiGraph, kind: str) -> list:
    """AST nodes of one kind, in definition order."""
    return [data["node"] for key, data in g.nodes(data=True)
            if key[0] == kind and data["node"] is not None]


def names(g: nx.MultiDiGraph, kind: str, *prefix: str) -> list[str]:
    """Names defined of one kind (values: of one dimension), for "did you mean"."""
    n = len(prefix)
    return [key[-1] for key in g if key[0] == kind and key[1:1 + n] == prefix and len(key) == n + 2]
