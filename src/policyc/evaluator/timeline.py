"""A ticket's events run through the metrics of a table (docs/table-format.md, "Tickets and metrics").

`run` walks the events once, in order; for each event it first applies the event to
the ticket (status, facts), then moves every metric, in `metric_order`, through the
rules of the spec: fact change (keep or restart), stop (then repeat), restart, start.
It records, per occurrence, its start, end, the facts its target is read with and its
paused intervals; what these mean in time (due, elapsed, state) is clock.py's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PLAIN_TYPES = ("created", "customer_message", "agent_message")  # matched by type alone


@dataclass(frozen=True, slots=True)
class Matchers:
    """A compiled list of event matchers: plain types, and status moves into / out of sets."""

    types: frozenset
    into: frozenset
    out_of: frozenset

    @classmethod
    def from_table(cls, items: list) -> "Matchers":
        return cls(frozenset(m["event"] for m in items if m["event"] != "status"),
                   frozenset(s for m in items for s in m.get("to", ())),
                   frozenset(s for m in items for s in m.get("from", ())))

    def match(self, event, before: str) -> bool:
        """Whether `event` (the ticket's status was `before` it) is one of these events.

        A status event that does not change the status, or a facts event that changes
        no value, is no move and matches nothing."""
        kind = event.type
        if kind == "status":
            return event.status != before and (event.status in self.into or before in self.out_of)
        if kind == "facts":
            return event.changed and "facts" in self.types
        return kind in self.types


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    start: Matchers
    stop: Matchers
    restart: Matchers
    after: str | None
    pause: frozenset
    repeat_while: frozenset
    restart_on_facts: bool
    # the event types that leave the metric as it is, whatever its state: the plain ones
    # (neither status nor facts) that none of its matchers names, and `status` when none
    # names a status (a facts event may always change a running occurrence's target)
    idle: frozenset = frozenset()

    @classmethod
    def from_table(cls, name: str, m: dict) -> "Metric":
        start, stop, restart = (Matchers.from_table(m[k]) for k in ("start", "stop", "restart"))
        idle = {k for k in PLAIN_TYPES if not any(k in ms.types for ms in (start, stop, restart))}
        if not any(ms.into or ms.out_of for ms in (start, stop, restart)):
            idle.add("status")
        return cls(name, start, stop, restart, m["after"], frozenset(m["pause"]),
                   frozenset(m["repeat_while"]), m["on_facts_change"] == "restart", frozenset(idle))


@dataclass(slots=True)
class Occurrence:
    """One run of a metric's clock. `pauses` are [from, until or None while open]."""

    start: datetime
    facts: dict
    end: datetime | None = None
    how: str | None = None  # `stop` (a stop event) or `superseded` (restart, fact change)
    pauses: list = field(default_factory=list)

    def close(self, at: datetime, how: str) -> None:
        self.end, self.how = at, how
        if self.pauses and self.pauses[-1][1] is None:
            self.pauses[-1][1] = at


class _Track:
    """The occurrences of one metric and the one running, if any."""

    __slots__ = ("metric", "done", "running", "stopped", "idle")

    def __init__(self, metric: Metric):
        self.metric, self.done, self.running, self.stopped = metric, [], None, False
        self.idle = metric.idle

    def begin(self, at: datetime, facts: dict, status: str) -> None:
        occ = Occurrence(at, facts)
        if status in self.metric.pause:
            occ.pauses.append([at, None])
        self.done.append(occ)
        self.running = occ

    def end(self, at: datetime, how: str) -> None:
        self.running.close(at, how)
        self.running = None
        if how == "stop":
            self.stopped = True


def run(metrics: list, facts: dict, status: str, events: list) -> tuple[dict, dict, str]:
    """{metric: [Occurrence]}, the facts and the status after the last event."""
    tracks = [_Track(m) for m in metrics]
    by_name = {t.metric.name: t for t in tracks}
    for event in events:
        before = status
        if event.type == "status":
            status = event.status
            if status != before:
                _move_pauses(tracks, event.at, status)
        elif event.type == "facts":
            facts = event.facts
        kind = event.type
        for track in tracks:
            if kind not in track.idle:
                _step(track, event, before, status, facts, by_name)
    return {t.metric.name: t.done for t in tracks}, facts, status


def _move_pauses(tracks: list, at: datetime, status: str) -> None:
    """Open or close the pause of every running occurrence whose metric pauses in or out of `status`."""
    for track in tracks:
        occ = track.running
        if occ is None:
            continue
        paused = bool(occ.pauses) and occ.pauses[-1][1] is None
        if status in track.metric.pause and not paused:
            occ.pauses.append([at, None])
        elif paused and status not in track.metric.pause:
            occ.pauses[-1][1] = at


def _step(track: _Track, event, before: str, status: str, facts: dict, by_name: dict) -> None:
    """One metric through one event (spec section 3, steps 1 to 4)."""
    m, at = track.metric, event.at
    if event.type == "facts" and event.changed and track.running is not None:
        if m.restart_on_facts:
            track.end(at, "superseded")
            track.begin(at, facts, status)
        else:  # keep: the new target, measured from the occurrence's own start
            track.running.facts = facts
    if track.running is not None and m.stop.match(event, before):
        track.end(at, "stop")
        if status in m.repeat_while:
            track.begin(at, facts, status)
    elif track.running is not None and m.restart.match(event, before):
        track.end(at, "superseded")
        track.begin(at, facts, status)
    if track.running is None and m.start.match(event, before) and (m.after is None or by_name[m.after].stopped):
        track.begin(at, facts, status)
