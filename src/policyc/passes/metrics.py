"""Metrics: clocks that can start, stop and run, with targets, in sensible proportion.

Statuses have no declared transitions: a `status` event may move a ticket from any
status to any other, so a status event can happen whenever the policy has two statuses
or more, and a status can always be left. What cannot happen is therefore exact and
small: a status event in a policy with one status, a start that waits on a metric that
itself never starts or never stops (or on itself), and a pause that covers every status.
"""

from __future__ import annotations

from typing import Iterator

from .. import ast
from ..decisions import targets
from ..diagnostics import Diagnostic, error
from ..metrics import is_implicit
from ..source import Span
from .rules import reach, show

ONE_STATUS = "a ticket with one status never changes status"


def _possible(ctx, events: tuple[ast.Event, ...]) -> bool:
    """Whether one of the events can happen (a status event needs a second status)."""
    return any(e.kind != "status" or len(ctx.model.statuses.values) > 1 for e in events)


def _stops(ctx, m: ast.Metric) -> bool:
    return bool(m.stop) and _possible(ctx, m.stop)


def check_clauses(ctx) -> Iterator[Diagnostic]:
    """Every metric has a `start` clause and something that can stop it (E401, E402)."""
    for name, m in ctx.model.metrics.items():
        if m.start is None:
            yield error("E401", f"metric `{name}` has no `start` clause", m.name.span,
                        "add e.g. `start on created`")
        if m.stop is None:
            yield error("E402", f"nothing stops metric `{name}`: it has no `stop` clause", m.name.span,
                        "add e.g. `stop on agent_message` or `stop on status to solved`")
        elif m.stop and not _possible(ctx, m.stop):
            yield error("E402", f"nothing stops metric `{name}`: {ONE_STATUS}", m.clause_span("stop"),
                        "declare the statuses the ticket moves through: `statuses { ... }`")


def _never_starts(ctx, name: str) -> tuple[str, Span] | None:
    """Why a metric can never start, and where to say so; None when it can."""
    metrics = ctx.model.metrics
    m = metrics[name]
    if m.start and not _possible(ctx, m.start):
        return ONE_STATUS, m.clause_span("start")
    chain, seen = [name], {name}
    while metrics[chain[-1]].after is not None:
        after = metrics[chain[-1]].after.value
        if after not in metrics:
            return None  # unknown (E101)
        if after in seen:
            if after != name:
                return None  # the cycle is further along: reported at its own members
            loop = " -> ".join(f"`{n}`" for n in chain + [after])
            return f"it starts only after itself ({loop})", m.after.span
        other = metrics[after]
        if not _stops(ctx, other) and other.stop is not None:
            return f"it starts after `{after}`, which nothing stops", m.after.span
        if other.start and not _possible(ctx, other.start):
            return f"it starts after `{after}`, which can never start", m.after.span
        chain.append(after)
        seen.add(after)
    return None


def check_starts(ctx) -> Iterator[Diagnostic]:
    """A metric whose start events cannot happen, or that waits on a metric that never
    stops, never starts, or on itself (E403)."""
    for name in ctx.model.metrics:
        found = _never_starts(ctx, name)
        if found is not None:
            why, span = found
            yield error("E403", f"metric `{name}` can never start: {why}", span,
                        "start it on an event that can happen, or after a metric that starts and stops")


def check_pauses(ctx) -> Iterator[Diagnostic]:
    """A pause no event leaves: every status pauses the clock (E404); and statuses named
    like events, which a clause could not tell apart (E104)."""
    statuses = set(ctx.model.statuses.values)
    for name, m in ctx.model.metrics.items():
        if m.pause and statuses <= {n.value for n in m.pause}:
            yield error("E404", f"metric `{name}` pauses in every status, so its clock never runs",
                        m.clause_span("pause"), "leave out of `pause in` the statuses in which the clock counts")
    node = ctx.model.statuses.node
    for v in node.values if node is not None else ():
        if v.name.value in ast.EVENT_WORDS:
            yield error("E104", f"`{v.name.value}` is an event and cannot name a status", v.name.span,
                        "choose another name")


def check_targets_declared(ctx) -> Iterator[Diagnostic]:
    """A declared metric that no `measure` (or, for `first_response`, `respond`) rule gives targets (E406)."""
    for name, m in ctx.model.metrics.items():
        if not is_implicit(m) and targets(name) not in ctx.decisions.assignments:
            verb = "respond" if name == ast.FIRST_RESPONSE else f"measure {name}"
            yield error("E406", f"metric `{name}` has no targets", m.name.span,
                        f"add `{verb} on CALENDAR {{ target ... }}` (`target none` promises nothing)")


def _resolves(m: ast.Metric) -> bool:
    """A metric like a resolution: it starts at creation and a status change stops it."""
    return (any(e.kind == "created" for e in m.start or ())
            and any(e.kind == "status" for e in m.stop or ()))


def check_shorter_than_response(ctx) -> Iterator[Diagnostic]:
    """W405: a resolution-like target shorter than the first response's, for the same
    ticket on the same calendar: the case would have to be solved before it is answered."""
    d = ctx.decisions
    if d.too_large or ast.FIRST_RESPONSE not in ctx.model.metrics:
        return
    first = d.resolution(targets(ast.FIRST_RESPONSE)).winners
    for name, m in ctx.model.metrics.items():
        if name == ast.FIRST_RESPONSE or not _resolves(m):
            continue
        pairs: dict = {}  # (its target, the response's) -> the tickets where it is shorter
        for pt, won in d.resolution(targets(name)).winners.items():
            a, b = won.get("target"), first.get(pt, {}).get("target")
            if pt not in d.reachable or a is None or b is None or (a.value[0], b.value[0]) != ("duration",) * 2:
                continue
            cals = {x["calendar"].value if "calendar" in x else None for x in (won, first[pt])}
            if len(cals) == 1 and None not in cals and a.value[1] < b.value[1]:
                pairs.setdefault((a, b), []).append(pt)
        for (a, b), pts in sorted(pairs.items(), key=lambda x: (x[0][0].span.start, x[0][1].span.start)):
            yield error("W405", f"the `{name}` target ({show('target', a.value)}) is shorter than the first "
                        f"response target ({show('target', b.value)}) for {reach(d, pts)}", a.span,
                        "a ticket cannot be resolved before it is answered: check both figures",
                        notes=(("the first response target", b.span),))
