"""Lower Lark's parse tree to the AST.

The grammar has no recursive rule, so the tree is at most a handful of levels deep
whatever the input; lowering by direct calls cannot exhaust the stack.
"""

from __future__ import annotations

import re

from lark import Token, Tree

from .. import ast
from ..diagnostics import Diagnostic, error
from ..source import SourceFile, Span
from .literals import Literals
from .metrics import MetricLowering


class _Lowerer(Literals, MetricLowering):
    def __init__(self, src: SourceFile):
        self.src = src
        self.diags: list[Diagnostic] = []

    # ---- leaves ---------------------------------------------------------------
    def span(self, node) -> Span:
        if isinstance(node, Token):
            return Span(self.src.path, node.start_pos, node.end_pos)
        meta = node.meta
        if getattr(meta, "empty", True):
            return Span(self.src.path, 0, 0)
        return Span(self.src.path, meta.start_pos, meta.end_pos)

    def name(self, tok: Token) -> ast.Name:
        return ast.Name(str(tok), self.span(tok))

    def string(self, tok: Token) -> str:
        body = str(tok)[1:-1]
        return re.sub(r"\\(.)", r"\1", body)

    def text(self, tree: Tree | None) -> ast.Text | None:
        if tree is None:
            return None
        kids = tree.children
        pairs = tuple((self.name(kids[i]), self.string(kids[i + 1])) for i in range(1, len(kids) - 1, 2))
        return ast.Text(self.string(kids[0]), pairs, self.span(tree))

    def time(self, tok: Token) -> ast.Time:
        h, m = str(tok).split(":")
        return ast.Time(int(h) * 60 + int(m), str(tok), self.span(tok))

    def names(self, tree: Tree) -> tuple[ast.Name, ...]:
        return tuple(self.name(t) for t in tree.children)

    @staticmethod
    def split(kids, *types: str):
        """The first child that is a Tree of each given rule name (or None)."""
        found = {t: None for t in types}
        for k in kids:
            if isinstance(k, Tree) and k.data in found and found[k.data] is None:
                found[k.data] = k
        return [found[t] for t in types]

    # ---- module ------------------------------------------------------------------
    def module(self, tree: Tree) -> ast.Module:
        imports, defs, policies, contracts = [], [], [], []
        for item in tree.children:
            if item.data == "import_stmt":
                imports.append(ast.Import(self.string(item.children[0]), self.span(item)))
            elif item.data == "policy":
                policies.append(self.policy(item))
            elif item.data == "contract":
                contracts.append(self.contract(item))
            else:
                d = self.definition(item)
                if d is not None:
                    defs.append(d)
        return ast.Module(self.src.path, tuple(imports), tuple(defs), tuple(policies), self.span(tree),
                          tuple(contracts))

    def contract(self, tree: Tree) -> ast.Contract:
        """A contract's block is a policy body (without languages), read as one."""
        ident, base, *rest = tree.children
        body = self.policy(Tree("policy", [ident, *rest], tree.meta))
        effective = next((self.span(t) for t in rest if isinstance(t, Tree) and t.data == "effective"), None)
        return ast.Contract(body, self.name(base), self.span(tree), effective or self.span(ident))

    def policy(self, tree: Tree) -> ast.Policy:
        ident, *rest = tree.children
        title = self.text(rest.pop(0)) if rest and isinstance(rest[0], Tree) and rest[0].data == "text" else None
        meta: dict = {"version": None, "effective": None, "languages": (), "support_languages": ()}
        defs, rules, expects, labels, negotiable = [], [], [], [], []
        for item in rest:
            marked = item if item.data == "negotiable" else None
            item = item.children[0] if marked else item
            kind, before = item.data, (len(labels), len(defs))
            if kind == "expect":
                code, reason = item.children
                expects.append(ast.Expect(self.name(code), self.string(reason), self.span(item)))
            elif kind == "version":
                meta["version"] = self.string(item.children[0])
            elif kind == "effective":
                dates = [self.date(t) for t in item.children]
                # An invalid date (E210) leaves an empty, not a missing, period: no second finding.
                meta["effective"] = (dates[0], dates[1] if len(dates) > 1 else None) if all(dates) else ()
            elif kind == "languages":
                meta["languages"] = self.names(item.children[0])
            elif kind == "support_languages":
                meta["support_languages"] = self.names(item.children[0])
            elif kind in ("rule", "labelled"):
                rule = self.rule(item if kind == "rule" else item.children[1])
                if rule is not None:
                    if kind == "labelled":
                        lab = item.children[0]
                        labels.append(ast.RuleLabel(len(rules), self.name(lab.children[0]),
                                                    lab.data == "exception_label", self.span(lab),
                                                    self.dates(lab.children[1:])))
                    rules.append(rule)
            else:
                d = self.definition(item)
                if d is not None:
                    defs.append(d)
            if marked:  # the label or definition just read, if it could be read
                new = labels[before[0]:] + defs[before[1]:]
                negotiable.extend(ast.Negotiable(x, self.span(marked)) for x in new)
        return ast.Policy(self.name(ident), title, meta["version"], meta["effective"], meta["languages"],
                          meta["support_languages"], tuple(defs), tuple(rules), self.span(tree), tuple(expects),
                          tuple(labels), tuple(negotiable))

    def _head(self, tree: Tree):
        """`NAME text?` at the start of a definition: (name, label, remaining children)."""
        ident, *rest = tree.children
        label = None
        for _ in range(2):  # the label and the dates (read by `dates_of`), in either order
            if rest and isinstance(rest[0], Tree) and rest[0].data in ("dates_from", "dates_until"):
                rest.pop(0)
            if rest and isinstance(rest[0], Tree) and rest[0].data == "text":
                label = self.text(rest.pop(0))
        return self.name(ident), label, rest

    def dates_of(self, tree: Tree) -> ast.Dates | None:
        """The `from D until D` after a definition's name or label, if any."""
        return self.dates(tree.children[1:2]) or self.dates(tree.children[2:3])

    def dates(self, kids) -> ast.Dates | None:
        """`from D (until D)?` or `until D` (the first of `kids`, when it is one)."""
        if not kids or not isinstance(kids[0], Tree) or kids[0].data not in ("dates_from", "dates_until"):
            return None
        t = kids[0]
        days = [self.date(k) for k in t.children]
        if None in days:  # an invalid date (E210): in force nowhere, not open-ended
            return ast.Dates(None, None, self.span(t), broken=True)
        first, last = (days[0], days[1] if len(days) > 1 else None) if t.data == "dates_from" else (None, days[0])
        return ast.Dates(first, last, self.span(t))

    def definition(self, tree: Tree):
        return getattr(self, "def_" + tree.data)(tree)

    # ---- definitions -----------------------------------------------------------
    def def_calendar(self, tree: Tree) -> ast.Calendar:
        name, label, body = self._head(tree)
        stmts = [s for s in (self.cal_stmt(b) for b in body) if s is not None]
        return ast.Calendar(name, label, tuple(stmts), (), self.span(tree), self.dates_of(tree))

    def def_calendar_union(self, tree: Tree) -> ast.Calendar:
        name, label, rest = self._head(tree)
        return ast.Calendar(name, label, (), self.names(rest[0]), self.span(tree), self.dates_of(tree))

    def cal_stmt(self, t: Tree):
        sp, k = self.span(t), t.children
        if t.data == "zone":
            return ast.Zone(str(k[0]), sp)
        if t.data == "open_always":
            return ast.OpenAlways(sp)
        if t.data == "open_window":
            days = tuple(ast.DayItem(self.name(d.children[0]),
                                     self.name(d.children[1]) if len(d.children) > 1 else None, self.span(d))
                         for d in k[0].children)
            return self._window(days, k[1:], sp)
        if t.data == "open_date":
            d = self.date(k[0])
            return ast.OpenDate(d, self.name(k[1]), sp) if d else None
        if t.data == "closed_date":
            d = self.date(k[0])
            return ast.ClosedDate(d, sp) if d else None
        if t.data == "zone_from":
            return ast.ZoneFrom(self.name(k[0]), sp)
        if t.data == "holidays_from":
            first, last = self.year(k[1]), self.year(k[2])
            return None if first is None or last is None else ast.HolidaysFrom(self.name(k[0]), first, last, sp)
        if t.data == "cal_case":
            stmt = self.cal_stmt(k[1])
            return None if stmt is None else ast.CalCase(self.condition(k[0]), stmt, sp)
        return ast.Observe(self.name(k[0]), sp)  # observe

    def _window(self, days, toks, sp) -> ast.OpenWindow:
        """`TIME ZONE? - NAME? TIME ZONE?` after the days: a zone follows the time it places."""
        times, zones, end_day = [], [None, None], None
        for tok in toks:
            if tok.type == "TIME":
                times.append(self.time(tok))
            elif tok.type == "ZONE":
                zones[len(times) - 1] = ast.Zone(str(tok), self.span(tok))
            else:
                end_day = self.name(tok)
        return ast.OpenWindow(days, times[0], times[1], end_day, sp, zones[0], zones[1])

    def def_holidays(self, tree: Tree) -> ast.Holidays:
        name, label, body = self._head(tree)
        national, dates = [], []
        for st in body:
            k = st.children
            if st.data == "national":
                first, last = self.year(k[1]), self.year(k[2])
                if first is not None and last is not None:
                    national.append(ast.National(self.name(k[0]), first, last, self.span(st)))
            else:
                d = self.date(k[0])
                if d:
                    dates.append(ast.HolidayDate(d, self.text(k[1]) if len(k) > 1 else None, self.span(st)))
        return ast.Holidays(name, label, tuple(national), tuple(dates), self.span(tree))

    def value(self, t: Tree) -> ast.Value:
        name, label, attrs = self._head(t)
        impact = description = None
        only = []
        for a in attrs:
            if a.data == "impact":
                impact = self.text(a.children[0])
            elif a.data == "only":
                only.extend(self.condition_test(test) for test in a.children)
            else:
                description = self.text(a.children[0])
        return ast.Value(name, label, impact, description, self.span(t), tuple(only))

    def _default(self, kids: list) -> ast.Name | None:
        """Pop a trailing `default NAME` from a dimension's or the severities' children."""
        if kids and isinstance(kids[-1], Tree) and kids[-1].data == "fact_default":
            return self.name(kids.pop().children[0])
        return None

    def def_dimension(self, tree: Tree) -> ast.Dimension:
        name, label, values = self._head(tree)
        default = self._default(values)
        return ast.Dimension(name, label, tuple(self.value(v) for v in values), self.span(tree),
                             default=default)

    def def_region_dimension(self, tree: Tree) -> ast.Dimension:
        name, label, codes = self._head(tree)
        if len(codes) == 1 and codes[0].type == "ALL":
            return ast.Dimension(name, label, (), self.span(tree), "all")
        values = tuple(ast.Value(self.name(c), None, span=self.span(c)) for c in codes)
        return ast.Dimension(name, label, values, self.span(tree), "list")

    def def_fact(self, tree: Tree) -> ast.ZoneFact:
        name, label, _ = self._head(tree)
        return ast.ZoneFact(name, label, self.span(tree))

    def def_severities(self, tree: Tree) -> ast.Dimension:
        kids = list(tree.children)
        label = self.text(kids.pop(0)) if kids and kids[0].data == "text" else None
        head = Span(self.src.path, tree.meta.start_pos, tree.meta.start_pos + len("severities"))
        default = self._default(kids)
        return ast.Dimension(ast.Name("severity", head), label, tuple(self.value(v) for v in kids),
                             self.span(tree), default=default)

    def def_order(self, tree: Tree) -> ast.Order:
        dim, *values = tree.children
        return ast.Order(self.name(dim), tuple(self.name(v) for v in values), self.span(tree))

    def def_role(self, tree: Tree) -> ast.Role:
        name, label, contacts = self._head(tree)
        return ast.Role(name, label, tuple(ast.Contact(str(c.children[0]), self.string(c.children[1]),
                                                       self.span(c)) for c in contacts), self.span(tree))

    def step(self, t: Tree):
        k = t.children
        if t.data == "include":
            return ast.Include(self.name(k[0]), self.span(t))
        lists = [c for c in k[1:] if isinstance(c, Tree) and c.data == "name_list"]
        timing = [c for c in k[1:] if isinstance(c, Tree) and c.data in ("after", "at_share")]
        after = share = metric = None
        if timing:
            tok = timing[0].children[0]
            if timing[0].data == "after":
                after = self.duration(tok)
            else:
                share = self.share(tok)
            metric = self.of_metric(timing[0])
        return ast.Step(self.name(k[0]), self.names(lists[0]), self.names(lists[1]) if len(lists) > 1 else (),
                        after, share, self.span(t), metric)

    def def_escalation(self, tree: Tree) -> ast.Escalation:
        name, label, steps = self._head(tree)
        return ast.Escalation(name, label, tuple(self.step(s) for s in steps), self.span(tree), self.dates_of(tree))

    def def_service(self, tree: Tree) -> ast.Service:
        name, label, stmts = self._head(tree)
        terms = []
        for st in stmts:
            (cond,) = self.split(st.children, "condition")
            parts = [k for k in st.children if isinstance(k, Tree) and k.data == "service_part"]
            first, *plus = [self.service_part(k) for k in parts]
            terms.append(ast.ServiceTerm(self.condition(cond), first.status, first.detail, first.estimate,
                                         self.span(st), tuple(plus)))
        return ast.Service(name, label, tuple(terms), self.span(tree))

    def service_part(self, tree: Tree) -> ast.ServicePart:
        text, est = self.split(tree.children, "text", "estimate")
        status = next(str(c) for c in tree.children if isinstance(c, Token))
        estimate = None
        if est is not None:
            estimate = (self.duration(est.children[0]), self.duration(est.children[1]))
        return ast.ServicePart(status, self.text(text), estimate, self.span(tree))

    # ---- rules -----------------------------------------------------------------
    def condition(self, t: Tree | None) -> ast.Condition:
        if t is None:
            return ()
        return tuple(self.condition_test(test) for test in t.children)

    def condition_test(self, test: Tree) -> ast.Test:
        """`dim is [not] a, b`: in a `when` condition or after `only`."""
        k = test.children
        return ast.Test(self.name(k[0]), self.names(k[-1]), len(k) == 3, self.span(test))

    def rule(self, tree: Tree):
        cond_tree = tree.children[0] if len(tree.children) == 2 else None
        action = tree.children[-1]
        cond = self.condition(cond_tree)
        sp = self.span(tree)
        k = action.children
        if action.data == "severity_rule":
            sevs = None if isinstance(k[0], Token) else self.names(k[0])
            return ast.SeverityRule(cond, sevs, self.name(k[1]), sp)
        if action.data == "respond_rule":
            return self.respond(cond, k, sp)
        if action.data == "measure_rule":
            return self.measure(cond, k, sp)
        if action.data == "escalate_named":
            return ast.EscalateRule(cond, self.name(k[0]), (), sp)
        if action.data == "escalate_inline":
            return ast.EscalateRule(cond, None, tuple(self.step(s) for s in k), sp)
        if action.data == "supported_rule":
            return ast.SupportedRule(cond, sp)
        if action.data == "no_support_rule":
            return ast.NoSupportRule(cond, self.text(k[0]), self.string(k[1]) if len(k) > 1 else None, sp)
        return ast.BillRule(cond, self.multiplier(k[0]), self.names(k[1]), sp)  # bill_rule

    def cell(self, t: Tree) -> ast.Target:
        sp = self.span(t)
        if t.data == "duration_cell":
            return ast.Target("duration", self.duration(t.children[0]).minutes, span=sp)
        if t.data == "next_day_cell":
            edge = str(t.children[0]) if t.children else "end"
            return ast.Target("next_business_day", None, edge, sp)
        if t.data in ("period_cell", "every_cell"):
            return self.period_cell(t)
        if t.data in ("business_days_cell", "business_hours_cell"):
            return self.business_days_cell(t)
        if t.data == "best_effort_cell":
            return ast.Target("best_effort", span=sp)
        return ast.Target("none" if t.data == "none_cell" else "empty", span=sp)

    def table(self, t: Tree) -> ast.Table:
        k = t.children
        row_dim = None
        if len(k) > 2 and isinstance(k[1], Token) and k[1].type == "BACKSLASH":
            row_dim, k = self.name(k[0]), k[2:]
        col_dim, header, rows = self.name(k[0]), k[1], k[2:]
        lowered = []
        for r in rows:
            label = r.children[0]
            name = ast.Name(str(label)[:-1], Span(self.src.path, label.start_pos, label.end_pos - 1))
            lowered.append((name, tuple(self.cell(c) for c in r.children[1:])))
        return ast.Table(row_dim, col_dim, self.names(header), tuple(lowered), self.span(t))

    def respond(self, cond, kids, sp) -> ast.RespondRule:
        fields: dict = {"calendar": None, "target": None, "guarantee": None}
        tables = []
        items = list(kids)
        if items and isinstance(items[0], Tree) and items[0].data == "cal_expr":
            fields["calendar"] = self.names(items.pop(0))
        for it in items:
            key, val = {
                "target": lambda: ("target", self.cell(it.children[0])),
                "on": lambda: ("calendar", self.names(it.children[0])),
                "guaranteed_always": lambda: ("guarantee", "always"),
                "guaranteed_within": lambda: ("guarantee", self.names(it.children[0])),
                "table": lambda: ("table", self.table(it)),
            }[it.data]()
            if key == "table":
                tables.append(val)
                continue
            if fields[key] is not None:
                what = {"calendar": "calendar (`on`)", "target": "`target`", "guarantee": "`guaranteed`"}[key]
                self.diags.append(error("E306", f"{what} is set twice in this rule", self.span(it),
                                        "keep one; more specific rules override less specific ones"))
                continue
            fields[key] = val
        return ast.RespondRule(cond, fields["calendar"], fields["target"], fields["guarantee"], tuple(tables), sp)


def lower_module(tree: Tree, src: SourceFile) -> tuple[ast.Module | None, list[Diagnostic]]:
    low = _Lowerer(src)
    module = low.module(tree)
    return module, low.diags
