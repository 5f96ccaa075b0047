"""What an occurrence's clock means in time: counted intervals, due, elapsed, state.

An occurrence counts time on the calendar of its target row (business time, as
`Calendar.add` counts it) or, for a `period` target or a metric with no target row,
real time. Its counted intervals are [start, end or now) minus its pauses. Every
question walks those intervals once, asking the calendar for the open time of each
(`open_between`) and `add`-ing within the one where the answer lies: the cost grows
with the number of pauses, never with the target or the ticket's length in minutes.
After the last interval (the occurrence ended, or `now`) the clock is taken to run on
unpaused: that is where a due time not yet reached lies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .facts import UTC

ZERO = timedelta(0)


class RealTime:
    """Real time: every instant counts (a period, or a metric without a target row)."""

    @staticmethod
    def open_between(a: datetime, b: datetime) -> timedelta:
        return b - a if b > a else ZERO

    @staticmethod
    def add(a: datetime, d: timedelta) -> datetime:
        return a + d


REAL = RealTime()


class Clock:
    """An occurrence's counted intervals on its calendar (or real time), read at `until`."""

    __slots__ = ("cal", "start", "until", "intervals", "counts")

    def __init__(self, cal, start: datetime, until: datetime, pauses: list):
        self.cal, self.start, self.until = cal, start, until
        if not pauses:  # most occurrences: one interval, or none when read at their start
            self.intervals = [(start, until)] if until > start else []
            self.counts = [cal.open_between(start, until)] if until > start else []
            return
        self.intervals = []
        a = start
        for p, q in pauses:
            q = until if q is None or q > until else q
            if p > a:
                self.intervals.append((a, min(p, until)))
            a = max(a, q)
        if until > a:
            self.intervals.append((a, until))
        self.counts = [cal.open_between(a, b) for a, b in self.intervals]

    def elapsed(self) -> timedelta:
        return sum(self.counts, ZERO)

    def reach(self, amount: timedelta) -> datetime:
        """The earliest instant at which the counted time reaches `amount`."""
        if amount <= ZERO:
            return self.start
        rem = amount
        for (a, _), c in zip(self.intervals, self.counts):
            if c >= rem:
                return self.cal.add(a, rem)
            rem -= c
        return self.cal.add(self.until, rem)


def period_amount(zone, start: datetime, days: int) -> timedelta:
    """Real time from `start` to the same wall time `days` later in `zone` (a wall time
    in a gap: the first instant after the gap; an ambiguous one: the earlier)."""
    wall = start.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC) - start
    # a gap: zoneinfo reads fold=0 with the offset before it, fold=1 with the one after;
    # the transition lies between the two readings, found to the microsecond by bisection
    lo = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    hi = first.astimezone(UTC)
    lo, hi = min(lo, hi), max(lo, hi)
    after = hi.astimezone(zone).utcoffset()
    while hi - lo > timedelta(microseconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi - start


def iso_duration(d: timedelta) -> str:
    """`PT1H30M`, `PT0S`, `PT49H`, `PT1.5S`: hours, minutes and seconds, no days."""
    if not d:  # `paused` of most occurrences
        return "PT0S"
    us = (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds
    h, rest = divmod(us, 3_600_000_000)
    m, rest = divmod(rest, 60_000_000)
    s, frac = divmod(rest, 1_000_000)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "")
    if s or frac:
        out += f"{s}.{frac:06d}".rstrip("0") + "S" if frac else f"{s}S"
    return out if out != "PT" else "PT0S"


def utc(t: datetime | None) -> str | None:
    """RFC 3339 in UTC with `Z` (instants of a ticket and of a calendar are UTC already)."""
    if t is None:
        return None
    text = _TEXT.get(t)  # one event's instant is the start or stop of several occurrences
    if text is None:
        if len(_TEXT) >= _TEXT_SIZE:  # bounded: the instants of a few hundred tickets
            _TEXT.clear()
        text = _TEXT[t] = (t if t.tzinfo is UTC else t.astimezone(UTC)).isoformat()[:-6] + "Z"
    return text


_TEXT: dict = {}  # instant (equal instants, whatever their tzinfo) -> its text in UTC
_TEXT_SIZE = 4096
