"""Metric targets: gaps, unreachable rules, calendars that cannot serve.

Each check runs once per metric, over that metric's rules (`respond` is `measure
first_response`); the messages of `first_response` speak of the response, as before.
"""

from __future__ import annotations

from typing import Iterator

from .. import ast
from ..decisions import BUSINESS_TIME, is_targets, targets
from ..diagnostics import Diagnostic, error
from ..factcal import closed_for, union_by_facts
from ..metrics import is_implicit
from ..model import calendar_expr
from ..rules import compress, points
from ..source import Span
from ..zoned import too_large

MAX_GAPS_SHOWN = 5


def measured(ctx) -> list[str]:
    """The metrics whose targets are checked: every one with a rule, and `first_response`
    always unless declared without one (E406 says so at the declaration instead)."""
    aspects = ctx.decisions.assignments
    return [name for name, m in ctx.model.metrics.items()
            if targets(name) in aspects or (name == "first_response" and is_implicit(m))]


def check_gaps(ctx) -> Iterator[Diagnostic]:
    """Every ticket a policy can receive needs a target and a calendar for each metric."""
    d = ctx.decisions
    if d.too_large or "severity" not in ctx.model.dim_index:
        return
    for metric in measured(ctx):
        yield from _gaps(ctx, metric)


def _gaps(ctx, metric: str) -> Iterator[Diagnostic]:
    d = ctx.decisions
    res = d.resolution(targets(metric))
    winners = res.winners
    # Tickets a rule with an unknown name may have meant: E101 is the finding there.
    meant = {pt for cube, _ in d.unknown_cover(metric) for pt in points(cube, d.domains)}
    first = metric == "first_response"
    for attr, word, fix in (("target", "response target" if first else f"`{metric}` target",
                             "add a `target`, or `target none` to promise nothing"),
                            ("calendar", "calendar" if first else f"calendar of `{metric}`",
                             "add `on CALENDAR` to a rule that covers these tickets")):
        # Tickets no one can send (their severity is always moved) are "don't care": they
        # let the gaps be named in fewer, wider terms; a cube of only those is no gap.
        # Tickets with no support need no target: they are left out, not "don't care", so
        # that a gap is never named by the tickets of a `no support` rule.
        missing = [pt for pt in d.effective if attr not in winners.get(pt, {}) and pt not in d.unsupported
                   and (pt, attr) not in res.contested and pt not in meant]  # E302 says why
        live = d.live(targets(metric))
        cubes = [c for _, c in compress({attr: missing}, d.domains)
                 if any(pt in live for pt in points(c, d.domains))] if missing else []
        cubes.sort(key=d.space.value_key)
        for cube in cubes[:MAX_GAPS_SHOWN]:
            yield error("E301", f"no {word} for {d.describe(cube, 'any ticket')}",
                        gap_site(ctx, metric, attr, cube), fix)
        if len(cubes) > MAX_GAPS_SHOWN:
            yield error("E301", f"... and {len(cubes) - MAX_GAPS_SHOWN} more gaps in the {word}s",
                        gap_site(ctx, metric, attr, cubes[MAX_GAPS_SHOWN]), fix)


def gap_site(ctx, metric: str, attr: str, gap) -> Span:
    """Where a gap was left: a `-` cell in it, else a rule that decides the gap's tickets in
    another respect, else a rule that covers tickets next to it (one dimension away),
    else the policy's name."""
    d = ctx.decisions
    if attr == "target":
        for cube, span in d.empty_cells(metric):
            if meets(cube, gap):
                return span
    rules = ctx.model.policy.rules
    response = sorted(d.assignments.get(targets(metric), ()), key=lambda a: (a.span.path, a.span.start))
    for a in response:
        if a.attr != attr and meets(a.cube, gap):
            return rules[a.rule].span
    for a in response:
        if a.attr == attr and any(meets(a.cube[:i] + (None,) + a.cube[i + 1:], gap) for i in range(len(gap))):
            return rules[a.rule].span
    return ctx.model.policy.id.span


def meets(a, b) -> bool:
    """Whether two cubes share a ticket."""
    return all(x is None or y is None or not x.isdisjoint(y) for x, y in zip(a, b))


def check_shadowed(ctx) -> Iterator[Diagnostic]:
    """A rule that decides nothing for any ticket the policy can receive."""
    d = ctx.decisions
    if d.too_large:
        return
    broken = {src for _, _, src in ctx.g.graph["unresolved"] if src[0] == "rule"}
    cells = {c.span for r in ctx.model.policy.rules for t in getattr(r, "tables", ()) for _, row in t.rows
             for c in row}
    used = _used(d)
    for aspect, assignments in sorted(d.assignments.items()):
        res = d.resolution(aspect)
        live = d.live(aspect)
        for a in assignments:
            if _key(a) in used or ("rule", a.rule) in broken:  # unknown names: reported already
                continue
            pts = list(points(a.cube, d.domains))
            if any((pt, a.attr) in res.contested and (live is None or pt in live) for pt in pts):
                continue  # rules disagree on some of its tickets (E302): nothing decides them yet
            if pts and not any(map(d.exists, pts)):
                continue  # a restricted value outside its restriction: E324 says so
            if not pts:
                reason = "its condition matches no ticket"
            elif live is not None and not any(pt in live for pt in pts):
                reason = _unreached(d, aspect, pts)
            else:
                reason = "more specific rules decide every ticket it matches"
            fix = "write `-` in this cell" if a.span in cells else "remove it"
            yield error("W303", f"no ticket reaches this {show_attr(a)}: {reason}", a.span,
                        f"{fix}, or change the rule that takes its tickets")


def _unreached(d, aspect: str, pts: list) -> str:
    """Why no ticket reads a rule's decision in `aspect` at any of its points."""
    if is_targets(aspect) and not any(pt in d.reachable for pt in pts):
        return "severity rules move every ticket it matches to another severity"
    return "every ticket it matches has no support (a `no support` rule)"


def _key(a) -> tuple:
    """What counts as one use: a cell of `measure a, b` that decides tickets of `a` is used,
    even where `b` has a more specific rule (it is one cell, for both metrics)."""
    return ("targets", a.rule, a.attr, a.span) if is_targets(a.aspect) else ("id", id(a))


def _used(d) -> set:
    """The assignments that win somewhere a ticket can reach, by `_key`."""
    used = set()
    for aspect in d.assignments:
        res = d.resolution(aspect)
        live = d.live(aspect)
        for pt, won in res.winners.items():
            if live is None or pt in live:
                for attr, a in won.items():
                    used.update(_key(x) for x in res.agreeing.get((pt, attr), (a,)))
    return used


def show_attr(a) -> str:
    return {"target": "target", "calendar": "calendar", "guarantee": "guarantee", "becomes": "severity rule",
            "steps": "escalation", "outside": "billing rule", "status": "service term",
            "supported": "support rule"}[a.attr]


def check_calendars_used(ctx) -> Iterator[Diagnostic]:
    """Calendars in rules must be open at some time when they carry a business-time target
    (of any metric)."""
    d = ctx.decisions
    timed = {}
    for metric in measured(ctx):
        for pt, won in d.resolution(targets(metric)).winners.items():
            if "calendar" in won and "target" in won and won["target"].value[0] in BUSINESS_TIME:
                timed.setdefault(won["calendar"], metric)
    for names in _calendar_exprs(ctx.model.policy.rules):
        yield from _union_checks(ctx.model, names)
    for a in sorted(timed, key=lambda a: (a.span.path, a.span.start)):
        cal = d.calendar_of(a.value)
        if cal is not None and cal.never_open and not (set(a.value.split("+")) & ctx.model.broken_calendars):
            of = "" if timed[a] == "first_response" else f" of `{timed[a]}`"
            yield error("E206", f"calendar `{a.value}` is never open, so business-time targets{of} on it never "
                        "fall due", a.span, "give the calendar opening hours, or use `on always`")
        elif cal is not None and not (set(a.value.split("+")) & ctx.model.broken_calendars):
            point = closed_for(cal, {dim.name: dim.values for dim in ctx.model.dims})
            if point:
                of = "" if timed[a] == "first_response" else f" of `{timed[a]}`"
                who = " and ".join(f"{k} `{v}`" for k, v in point.items())
                yield error("E206", f"calendar `{a.value}` is never open for tickets with {who}, so business-time "
                            f"targets{of} on it never fall due for them", a.span,
                            "give the calendar default opening hours, or a `when` case for these tickets")


def _union_checks(model, names: tuple) -> Iterator[Diagnostic]:
    """E219 for a calendar that follows ticket facts joined in `a + b`; E214 for a union
    across zones larger than a table holds."""
    if len(names) < 2:
        return
    cals = [model.calendars[0].get(n.value) for n in names]
    if any(c is None for c in cals):
        return  # unknown or broken: reported already
    chosen = [n for n, c in zip(names, cals) if c.by_facts]
    if chosen:
        yield union_by_facts(chosen[0])
        return
    big = too_large(calendar_expr(model, names), "this union", names[0].span.to(names[-1].span))
    if big:
        yield big


def _calendar_exprs(rules) -> Iterator[tuple]:
    """The calendar expressions (`a + b`) written in rules."""
    for rule in rules:
        if isinstance(rule, ast.RespondRule):
            yield from filter(None, (rule.calendar, rule.guarantee if isinstance(rule.guarantee, tuple) else None))
        elif isinstance(rule, ast.BillRule):
            yield rule.outside
