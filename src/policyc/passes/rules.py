"""Rule shapes and quantities, and conflicts between rules in every aspect."""

from __future__ import annotations

from typing import Iterator

from .. import ast
from ..diagnostics import Diagnostic, error, shorten
from ..rules import describe


def check_tables(ctx) -> Iterator[Diagnostic]:
    for rule in ctx.model.policy.rules:
        for t in getattr(rule, "tables", ()):
            if t.row_dimension is None and (len(t.rows) != 1 or t.rows[0][0].value != "target"):
                yield error("E305", "a one-dimensional table has a single row, `target:`", t.span,
                            f"for two dimensions write `ROW \\ {t.column_dimension.value}` in the corner")
            for label, cells in t.rows:
                if len(cells) != len(t.columns):
                    yield error("E305", f"row `{label.value}` has {len(cells)} cells, the header "
                                f"{len(t.columns)}", label.span, "use `-` for a cell with no rule")


def _quantity_problems(rule) -> Iterator[Diagnostic]:
    if isinstance(rule, ast.BillRule) and float(rule.multiplier) <= 0:
        yield error("E309", f"rate multiplier `{shorten(rule.multiplier)}x` must be above zero", rule.span)
    steps = rule.steps if isinstance(rule, (ast.EscalateRule, ast.Escalation)) else ()
    for st in steps:
        if isinstance(st, ast.Step) and st.share is not None and not 0 < st.share <= 100:
            yield error("E309", f"a step at {st.share}% of the target", st.span, "shares run from 1% to 100%")
    targets = [rule.target] if getattr(rule, "target", None) else []
    targets += [c for t in getattr(rule, "tables", ()) for _, cells in t.rows for c in cells]
    for t in targets:
        if t.kind == "duration" and t.minutes == 0:
            yield error("E309", "a response target of zero time", t.span, "write `none` for no target")


def check_quantities(ctx) -> Iterator[Diagnostic]:
    chains = [d for d in ctx.model.policy.definitions if isinstance(d, ast.Escalation)]
    for rule in list(ctx.model.policy.rules) + chains:
        yield from _quantity_problems(rule)


def show(attr: str, value) -> str:
    if attr == "target":
        if value[0] == "duration":
            h, m = divmod(value[1], 60)
            return f"{h}h" + (f"{m}min" if m else "") if h else f"{m}min"
        return "next business day" if value[0] == "next_business_day" else "none"
    if attr == "outside":
        return f"{value[0]}x outside `{value[1]}`"
    if attr == "steps":
        return "steps " + "; ".join(f"{s[0]} {', '.join(s[1])}" for s in value) if value else "no steps"
    if attr == "status":  # a service term's parts
        return " plus ".join(part[0] for part in value)
    return f"`{value}`"


def check_conflicts(ctx) -> Iterator[Diagnostic]:
    d = ctx.decisions
    if d.too_large:
        p = ctx.model.policy
        yield error("E309", f"the dimensions allow {d.n_points} different tickets; policyc checks at most "
                    "1,000,000", p.id.span, "split the policy")
        return
    for aspect in sorted(d.assignments):
        res = d.resolution(aspect)
        for attr, point, a, b in res.conflicts:
            if aspect == "response" and point not in d.reachable:
                continue  # no ticket has this severity here: W303 says so
            first, second = sorted((a, b), key=lambda x: (x.span.path, x.span.start))
            what = "severity" if attr == "becomes" else attr.replace("steps", "escalation")
            yield error("E302", f"conflicting {what} for {describe(point, d.names)}: "
                        f"{show(attr, second.value)} here, {show(attr, first.value)} by another rule",
                        second.span, "make one rule more specific than the other, or make them agree",
                        notes=(("the other rule", first.span),))
        for a, b in res.repeats:
            later = max((a, b), key=lambda x: (x.span.path, x.span.start))
            other = a if later is b else b
            yield error("W308", "this rule repeats another with the same tickets and answer", later.span,
                        "remove one of them", notes=(("the other rule", other.span),))
