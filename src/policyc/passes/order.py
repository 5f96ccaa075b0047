"""Ordered values: a better value is never served slower than a worse one.

Severities are ordered by their declaration (the first the most severe); any other
dimension by `order DIM: worse < better`. For each metric with targets, each ticket
(each reachable combination of the other facts) and each pair of neighbours a < b of
the order, `worstcase.worst` finds exactly the received instant of the effective period
at which b's target falls due latest after a's. Severities report W304, other
dimensions W315, at b's target.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Iterator

from .. import ast
from ..zoned import table_entry
from ..decisions import targets
from ..diagnostics import Diagnostic, error
from ..emit.metrics import MetricsEmitter
from ..evaluator.zones import US, from_us
from ..graph import defined
from ..worstcase import Due, calendar, received_period, worst
from .response import measured
from .rules import show

NO_DUE = ("none", "best_effort")  # targets that promise no time: nothing to compare


def check_orders(ctx) -> Iterator[Diagnostic]:
    """An `order` lists each value once, and never orders the severities."""
    for o in defined(ctx.g, "order"):
        if o.dimension.value == "severity":
            yield error("E316", "severities are ordered by their declaration, the most severe first",
                        o.dimension.span, "remove this `order`; declare the severities most severe first")
        seen = set()
        for v in o.values:
            if v.value in seen:
                yield error("E103", f"`{v.value}` is listed twice", v.span)
            seen.add(v.value)


def check_never_slower(ctx) -> Iterator[Diagnostic]:
    """W304 and W315: a better value's target falls due later than a worse one's."""
    m, d = ctx.model, ctx.decisions
    if "severity" not in m.dim_index or d.too_large or not m.policy.effective:
        return
    for dim, chain in m.orders.items():
        for metric in measured(ctx):
            yield from _chain(ctx, metric, dim, chain)


def _tickets(ctx, dim: str) -> dict:
    """The other facts of a ticket -> {value class of `dim`: the point its targets are read at}."""
    d, i = ctx.decisions, ctx.model.dim_index[dim]
    sev = ctx.model.dim_index["severity"]
    out: dict = defaultdict(dict)
    if dim == "severity":
        for p in d.reachable:
            out[p[:i] + p[i + 1:]][p[i]] = p
    else:  # the ticket is the facts given: a better value may change its effective severity
        for p, s in d.effective.items():
            out[p[:i] + p[i + 1:]][p[i]] = p[:sev] + (s,) + p[sev + 1:]
    return out


def _chain(ctx, metric: str, dim: str, chain: tuple[str, ...]) -> Iterator[Diagnostic]:
    d, i = ctx.decisions, ctx.model.dim_index[dim]
    winners = d.resolution(targets(metric)).winners
    of_class = d.space.rep[i]  # values no rule tells apart share a class, and their decisions
    first: dict = {}  # (worse's target and calendar, better's) -> (worse, better, ticket): the first ticket
    others = [x.values for x in ctx.model.dims if x.name != dim]
    tickets = _tickets(ctx, dim)
    # the first ticket named is the first in declaration order, as the author reads the values
    for rest in sorted(tickets, key=lambda r: [vals.index(v) for vals, v in zip(others, r)]):
        by_class, prev = tickets[rest], None
        for value in chain:  # each value against the nearest worse one this ticket can have
            point = by_class.get(of_class[value])
            if point in d.unsupported:  # no support promises no time: nothing to compare
                continue
            won = winners.get(point, {})
            if "calendar" not in won or "target" not in won or won["target"].value[0] in NO_DUE:
                continue
            if prev is not None and of_class[prev[0]] != of_class[value]:
                key = tuple(id(w[attr]) for w in (prev[1], won) for attr in ("target", "calendar"))
                first.setdefault(key, (prev, (value, won), rest))
            prev = (value, won)
    for (worse, wa), (better, wb), rest in first.values():
        found = _worst(ctx, wa, wb)
        if found is not None:
            yield _finding(ctx, metric, dim, (worse, wa), (better, wb), rest, *found)


def _due(ctx, won) -> Due | None:
    cal = ctx.decisions.calendar_of(won["calendar"].value)
    # A calendar whose zone, holidays or hours the ticket's facts choose is not compared: its
    # zone may be any zone the ticket names (docs/language.md, "Ordered values").
    if cal is None or cal.by_facts:
        return None
    return Due.of(MetricsEmitter.target(won["target"].value), table_entry(cal))


def _worst(ctx, wa, wb):
    a, b = _due(ctx, wa), _due(ctx, wb)
    if a is None or b is None:
        return None
    period = received_period(*ctx.model.policy.effective, [a, b])
    if period is None:
        return None
    found = worst(a, b, *period)
    return None if found is None else (found, calendar(a).zone, calendar(b).zone)


def _finding(ctx, metric, dim, worse, better, rest, found, zone_a, zone_b) -> Diagnostic:
    (va, wa), (vb, wb) = worse, better
    m = ctx.model
    names = [x.name for x in m.dims if x.name != dim]
    facts = ", ".join(f"{n} `{v}`" for n, v in zip(names, rest))
    ticket = f"a ticket with {facts}" if facts else "a ticket"
    of = "" if metric == ast.FIRST_RESPONSE else f" `{metric}`"
    head = (f"severity `{vb}` can fall due later than the less severe `{va}`" if dim == "severity"
            else f"`{vb}` can fall due later than the worse `{va}` of `{dim}`")
    text = (f"{head}: {ticket} received {when(found.at, zone_b)} is due{of} {when(found.due_b, zone_b)} on "
            f"`{vb}` ({show('target', wb['target'].value)}), {span_text(found.later)} after "
            f"{when(found.due_a, zone_a)} on `{va}` ({show('target', wa['target'].value)})")
    fix = (f"give `{vb}` a target that is never later than `{va}`'s" if dim == "severity"
           else f"give `{vb}` a target that is never later than `{va}`'s, or change the `order` of `{dim}`")
    return error("W304" if dim == "severity" else "W315", text, wb["target"].span, fix,
                 notes=((f"the target of `{va}`", wa["target"].span),))


def when(u: int, zone) -> str:
    """An instant as its local reading (weekday, date, time) in `zone`, and in UTC (its
    date too when it is another)."""
    t = from_us(u)
    local = t.astimezone(zone)
    return f"{clock(local, True)} {zone} ({clock(t, t.date() != local.date())}Z)"


def clock(t, with_date: bool) -> str:
    """`Wed 2025-10-22 16:00`, seconds and microseconds shown only when there are some."""
    text = t.strftime("%a %Y-%m-%d %H:%M" if with_date else "%H:%M")
    if t.second or t.microsecond:
        text += f":{t.second:02d}" + (f".{t.microsecond:06d}" if t.microsecond else "")
    return text


def span_text(us: int) -> str:
    """`4d 1h`, `59min 59.999999s`: a positive length of time in words."""
    d = timedelta(microseconds=us)
    parts = []
    hours, rest = divmod(d.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    for n, unit in ((d.days, "d"), (hours, "h"), (minutes, "min")):
        if n:
            parts.append(f"{n}{unit}")
    if seconds or d.microseconds:
        parts.append(f"{seconds}.{d.microseconds:06d}".rstrip("0").rstrip(".") + "s")
    return " ".join(parts) if parts else f"{us / US}s"
