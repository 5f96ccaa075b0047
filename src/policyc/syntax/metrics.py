"""Lowering of statuses, metrics, `measure` rules and the target cells metrics brought."""

from __future__ import annotations

from lark import Token, Tree

from .. import ast
from ..diagnostics import did_you_mean, error, shorten
from ..evaluator.limits import MAX_BUSINESS_DAYS, MAX_TARGET_MINUTES

MAX_PERIOD_DAYS = MAX_TARGET_MINUTES // (24 * 60)
_CLAUSE_WORD = {"start": "start", "stop": "stop", "restart": "restart", "pause": "pause",
                "repeat": "repeat while", "facts": "on facts change"}


class MetricLowering:
    """Mixed into the lowerer: reads `statuses`, `metric` and the new cells."""

    def def_statuses(self, tree: Tree) -> ast.Statuses:
        kids = list(tree.children)
        label = self.text(kids.pop(0)) if kids and kids[0].data == "text" else None
        return ast.Statuses(label, tuple(self.value(v) for v in kids), self.span(tree))

    def def_metric(self, tree: Tree) -> ast.Metric:
        name, label, clauses = self._head(tree)
        fields: dict = {}
        spans = []
        for c in clauses:
            key = c.data.removesuffix("_clause")
            if key in fields:
                self.diags.append(error("E306", f"`{_CLAUSE_WORD[key]}` is set twice in this metric", self.span(c),
                                        "keep one clause; list several events in it, separated by `,`"))
                continue
            spans.append((key, self.span(c)))
            fields[key] = self.clause(key, c.children)
        start = fields.get("start")
        return ast.Metric(name, label, start[0] if start else None, start[1] if start else None,
                          fields.get("stop"), fields.get("restart", ()), fields.get("pause", ()),
                          fields.get("repeat", ()), fields.get("facts", "keep"), self.span(tree), tuple(spans))

    def clause(self, key: str, kids: list):
        if key == "start":
            return self.events(kids[0]), self.name(kids[1]) if len(kids) > 1 else None
        if key in ("stop", "restart"):
            return self.events(kids[0])
        if key in ("pause", "repeat"):
            return self.names(kids[0])
        return str(kids[0])  # facts: keep | restart

    def events(self, tree: Tree) -> tuple[ast.Event, ...]:
        """Events of a clause; a plain name after `status to/from S` is one more status of it."""
        out: list[ast.Event] = []
        for e in tree.children:
            if e.data == "event_status":
                move, first = e.children
                out.append(ast.Event("status", str(move), (self.name(first),), self.span(e)))
                continue
            tok = e.children[0]
            word = str(tok)
            if word in ast.EVENT_WORDS:
                out.append(ast.Event(word, span=self.span(tok)))
            elif out and out[-1].kind == "status":
                last = out[-1]
                out[-1] = ast.Event("status", last.move, last.statuses + (self.name(tok),),
                                    last.span.to(self.span(tok)))
            else:
                hint = did_you_mean(word, ast.EVENT_WORDS) or (
                    "events are `created`, `customer_message`, `agent_message`, `facts`, "
                    "`status to S` and `status from S`")
                self.diags.append(error("E101", f"unknown event `{word}`", self.span(tok), hint))
        return tuple(out)

    def measure(self, cond, kids: list, sp) -> ast.RespondRule:
        import dataclasses

        rule = self.respond(cond, kids[1:], sp)
        return dataclasses.replace(rule, metrics=self.names(kids[0]))

    def of_metric(self, timing: Tree) -> ast.Name | None:
        more = [k for k in timing.children[1:] if isinstance(k, Tree) and k.data == "of_metric"]
        return self.name(more[0].children[0]) if more else None

    def period_cell(self, t: Tree) -> ast.Target:
        """`daily`, `weekly`, `every N days|weeks`: a period of whole days."""
        sp = self.span(t)
        if t.data == "period_cell":
            return ast.Target("period", span=sp, days=1 if str(t.children[0]) == "daily" else 7)
        count, unit = t.children
        digits = str(count)
        days = int(digits) * (7 if str(unit).startswith("week") else 1) if len(digits) <= 7 else None
        if days is None or days > MAX_PERIOD_DAYS:
            self.diags.append(error("E309", f"a period of `{digits if len(digits) <= 24 else digits[:10] + '...'}"
                                    f" {unit}` is longer than ten years", self.span(count),
                                    f"periods are at most {MAX_PERIOD_DAYS} days"))
            days = MAX_PERIOD_DAYS
        return ast.Target("period", span=sp, days=days)

    def business_days_cell(self, t: Tree) -> ast.Target:
        """`N business days [start|end]`, or `N business days of 8h`: N times a day's hours,
        a plain duration (the calendar's own day length does not enter it)."""
        sp = self.span(t)
        count, rest = t.children[0], [k for k in t.children[1:] if isinstance(k, Token)]
        digits = str(count)
        days = int(digits) if len(digits) <= len(str(MAX_BUSINESS_DAYS)) else None
        if days is None or not 1 <= days <= MAX_BUSINESS_DAYS:
            self.diags.append(error("E311", f"`{shorten(digits)} business days`"
                                    f" is outside 1..{MAX_BUSINESS_DAYS}", self.span(count),
                                    f"write from 1 to {MAX_BUSINESS_DAYS} business days (ten years of weekdays)"
                                    + ("; `none` promises no time" if days == 0 else "")))
            days = 1 if days == 0 else MAX_BUSINESS_DAYS
        if t.data == "business_days_cell":
            edge = str(rest[0]) if rest else "same_time"
            return ast.Target("business_days", span=sp, days=days, edge=edge)
        hours = self.duration(rest[-1])
        if not 0 < hours.minutes <= 24 * 60:
            self.diags.append(error("E312", f"a business day of `{rest[-1]}`: a day's hours run above 0 up to 24h",
                                    hours.span, "write the hours of one business day, such as `of 8h`"))
            return ast.Target("duration", days * 24 * 60, span=sp)  # the longest reading: no W405 after it
        return ast.Target("duration", days * hours.minutes, span=sp)
