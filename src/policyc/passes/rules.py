"""Rule shapes and quantities, and conflicts between rules in every aspect."""

from __future__ import annotations

from typing import Iterator

from .. import ast
from ..diagnostics import Diagnostic, error, shorten
from ..rules import compress

MAX_REACH_SHOWN = 3  # ticket groups named in one conflict; the rest are counted


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
        elif t.kind == "period" and t.days == 0:
            yield error("E309", "a period of zero days", t.span, "write `daily`, `weekly` or `every N days` with N above 0")


def check_quantities(ctx) -> Iterator[Diagnostic]:
    chains = [d for d in ctx.model.policy.definitions if isinstance(d, ast.Escalation)]
    for rule in list(ctx.model.policy.rules) + chains:
        yield from _quantity_problems(rule)


def show(attr: str, value) -> str:
    if attr == "target":
        if value[0] == "duration":
            h, m = divmod(value[1], 60)
            return f"{h}h" + (f"{m}min" if m else "") if h else f"{m}min"
        if value[0] == "period":
            return {1: "daily", 7: "weekly"}.get(value[1], f"every {value[1]} days")
        if value[0] == "business_days":
            edge = "" if value[2] == "same_time" else " " + value[2]
            return f"{value[1]} business day" + ("s" if value[1] > 1 else "") + edge
        return {"next_business_day": "next business day", "best_effort": "best effort"}.get(value[0], "none")
    if attr == "outside":
        return f"{value[0]}x outside `{value[1]}`"
    if attr == "steps":
        return "steps " + "; ".join(f"{s[0]} {', '.join(s[1])}" for s in value) if value else "no steps"
    if attr == "supported":  # a `no support` rule's reason
        return f"no support \"{value[1].default}\"" if value[0] == "none" else "supported"
    if attr == "status":  # a service term's parts
        return " plus ".join(part[0] for part in value)
    return f"`{value}`"


def check_conflicts(ctx) -> Iterator[Diagnostic]:
    """Two rules, neither inside the other, that answer differently for some tickets: one
    finding per pair, naming every ticket they dispute and the rule that would settle it."""
    d = ctx.decisions
    if d.too_large:
        p = ctx.model.policy
        yield error("E309", f"the rules tell {d.n_points} kinds of ticket apart; policyc checks at most "
                    "1,000,000", p.id.span, "split the policy")
        return
    for aspect in sorted(d.assignments):
        res = d.resolution(aspect)
        for (attr, *_), found in res.conflicts.items():
            live = d.live(aspect)
            if live is not None:  # the rest: W303 says no ticket has them
                found = [(a, b, pt) for a, b, pt in found if pt in live]
            if found:
                yield conflict(d, attr, found)
        for a, b in res.repeats:
            later = max((a, b), key=lambda x: (x.span.path, x.span.start))
            other = a if later is b else b
            yield error("W308", "this rule repeats another with the same tickets and answer", later.span,
                        "remove one of them", notes=(("the other rule", other.span),))


def conflict(d, attr: str, found: list) -> Diagnostic:
    """One E302 for a pair of rules: where they disagree, what each says, what settles it."""
    pairs = list({(id(a), id(b)): (a, b) for a, b, _ in found}.values())  # cell pairs, in order
    first, second = pairs[0]
    said = [", ".join(dict.fromkeys(show(attr, x[i].value) for x in pairs)) for i in (1, 0)]
    what = {"becomes": "severity", "steps": "escalation", "supported": "support"}.get(attr, attr)
    return error("E302", f"conflicting {what} for {reach(d, [pt for _, _, pt in found])}: "
                 f"{said[0]} here, {said[1]} by another rule", second.span,
                 settle(d, [(a.cube, b.cube) for a, b in pairs]), notes=(("the other rule", first.span),))


def reach(d, pts: list) -> str:
    """The disputed tickets as few groups, in words."""
    cubes = sorted((c for _, c in compress({0: pts}, d.domains)), key=d.space.value_key)
    shown = "; ".join(d.describe(c) for c in cubes[:MAX_REACH_SHOWN])
    more = len(cubes) - MAX_REACH_SHOWN
    return shown + (f" (and {more} more groups)" if more > 0 else "")


def settle(d, pairs: list) -> str:
    """The fix: a rule for the tickets both match, which is inside both and so wins (one per
    pair of cells when a table is involved)."""
    a, b = pairs[0]
    if a == b:
        return "both rules match the same tickets: keep one of them, or make them agree"
    both = tuple(x if y is None else y if x is None else x & y for x, y in zip(a, b))
    if len(pairs) > 1:
        return (f"add a rule for each table cell the two share (the first: `when {condition(d, both)}`) "
                "that says which answer applies (a rule inside both wins), or make the two agree")
    return (f"add a rule for the tickets both match, `when {condition(d, both)}`, that says which answer "
            "applies (a rule inside both wins), or make the two agree")


def condition(d, cube) -> str:
    """A cube of classes written as a `when` condition, shortest form per dimension."""
    terms = []
    for name, vals, c in zip(d.names, d.values, d.space.expand(cube)):
        if c is None:
            continue
        held = [v for v in vals if v in c]
        rest = [v for v in vals if v not in c]
        terms.append(f"{name} is not {', '.join(rest)}" if 2 * len(rest) < len(held)
                     else f"{name} is {', '.join(held)}")
    return " and ".join(terms)
