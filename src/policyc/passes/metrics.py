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
MAX_LOOP_SHOWN = 6  # metrics named in the message of an `after` cycle


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


def _never_start(ctx) -> dict[str, tuple[str, Span]]:
    """Why each metric that can never start cannot, and where to say so.

    Each `after` chain is walked once (a chain of thousands of metrics stays linear): up
    to a metric already decided, an unknown name (E101), the end of the chain, or a
    metric met again on this walk, which closes a cycle.
    """
    metrics = ctx.model.metrics
    decided: dict[str, tuple[str, Span] | None] = {}
    for root in metrics:
        path: list[str] = []
        at: str | None = root
        while at in metrics and at not in decided and at not in path:
            path.append(at)
            at = metrics[at].after.value if metrics[at].after is not None else None
        if at in path:  # a cycle: its members wait on themselves
            loop = path[path.index(at):]
            for i, name in enumerate(loop):
                turn = [f"`{n}`" for n in loop[i:] + loop[:i] + [name]]
                if len(turn) > MAX_LOOP_SHOWN:  # a loop of thousands is named by its ends
                    turn = turn[:MAX_LOOP_SHOWN - 2] + [f"... {len(turn) - MAX_LOOP_SHOWN} more"] + turn[-2:]
                decided[name] = (f"it starts only after itself ({' -> '.join(turn)})", metrics[name].after.span)
            path = path[:path.index(at)]
        for name in reversed(path):
            decided[name] = _start_problem(ctx, metrics[name], decided)
    return {name: why for name, why in decided.items() if why is not None}


def _start_problem(ctx, m: ast.Metric, decided: dict) -> tuple[str, Span] | None:
    """Why one metric can never start, given what is decided for the metric it waits on."""
    if m.start and not _possible(ctx, m.start):
        return ONE_STATUS, m.clause_span("start")
    other = ctx.model.metrics.get(m.after.value) if m.after is not None else None
    if other is None:
        return None
    if other.stop is not None and not _stops(ctx, other):
        return f"it starts after `{other.name.value}`, which nothing stops", m.after.span
    if decided.get(other.name.value) is not None:
        return f"it starts after `{other.name.value}`, which can never start", m.after.span
    return None


def check_starts(ctx) -> Iterator[Diagnostic]:
    """A metric whose start events cannot happen, or that waits on a metric that never
    stops, never starts, or on itself (E403)."""
    for name, (why, span) in _never_start(ctx).items():
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
    live = d.live(targets(ast.FIRST_RESPONSE))
    for name, m in ctx.model.metrics.items():
        if name == ast.FIRST_RESPONSE or not _resolves(m):
            continue
        pairs: dict = {}  # (its target, the response's) -> the tickets where it is shorter
        for pt, won in d.resolution(targets(name)).winners.items():
            a, b = won.get("target"), first.get(pt, {}).get("target")
            if pt not in live or a is None or b is None or (a.value[0], b.value[0]) != ("duration",) * 2:
                continue
            cals = {x["calendar"].value if "calendar" in x else None for x in (won, first[pt])}
            if len(cals) == 1 and None not in cals and a.value[1] < b.value[1]:
                pairs.setdefault((a, b), []).append(pt)
        for (a, b), pts in sorted(pairs.items(), key=lambda x: (x[0][0].span.start, x[0][1].span.start)):
            yield error("W405", f"the `{name}` target ({show('target', a.value)}) is shorter than the first "
                        f"response target ({show('target', b.value)}) for {reach(d, pts)}", a.span,
                        "a ticket cannot be resolved before it is answered: check both figures",
                        notes=(("the first response target", b.span),))
