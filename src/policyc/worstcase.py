"""How much later one target can fall due than another, at worst: exactly, not sampled.

`worst(a, b, lo, hi)` compares two due functions, due_a and due_b (a target row on a
calendar, as the evaluator answers it: `evaluator.due.unpaused_due` on a calendar built
by `Calendar.from_table`), over every received instant t in [lo, hi), and returns the
instant at which f(t) = due_b(t) - due_a(t) is largest (the earliest such instant), or
None when due_b is never later than due_a.

Why a finite set of instants is enough.  Instants are whole microseconds, so f is a
function on integers. Each due function is piecewise linear with slope 0 or 1:

- a duration D on a calendar: due(t) = the earliest u with D of open time in [t, u).
  While t is closed, due(t) stays put (slope 0); while t is open and due(t) lies inside
  an open stretch, both move together (slope 1). Its pieces change only where t
  crosses an opening or a closing of the calendar (`intervals.open_intervals`, exact
  with DST and holidays), or where due(t) reaches a closing c: there due(t) = c and
  due(t + 1us) jumps to the next opening. That t is the preimage of c: for the open
  stretch [e1, e2) holding t, t = e1 + (open time of [e1, c)) - D, when that lies in
  [e1, e2). Every closing reachable from [lo, hi) is enumerated.
- a target read in local dates (`next business day`, business days, periods):
  due(t) depends on t's local date and, at most, on t's time of day against the
  times at which something happens on a date: openings and closings of any day of the
  calendar, and offset changes of its zone. Its pieces change only at the instants
  that read a local date at one of those times of day (midnight included) and at the
  zone's offset changes.

So f is linear (slope -1, 0 or 1) between consecutive points of the union B of both
functions' breakpoints. A linear function on the integers of a piece [s, s') reaches
its maximum at s or at s' - 1; evaluating f at s - 1, s and s + 1 for every s in B
(and at lo and hi - 1) therefore visits every piece's ends, and the largest value
found is the maximum of f over [lo, hi). No instant is sampled at random and none is
skipped: the answer is exact to the microsecond.

Weeks alike are checked once. due(t) for the instants t of a week [w, w + 7 days)
depends only on the calendar's open intervals and the zone's offsets from w - 2 days
to 2 days after the latest due of the week (a fold moves a due back by hours, not
days): `add` counts open time from t, a local date is read with the offset at t, and
a business day's hours with the offsets of that date. So when that shape, taken
relative to w and for both calendars, equals the shape of a week already checked,
f on the new week is f on the old one shifted by whole weeks: its maximum is no
larger, and no earlier. A week near a calendar's `valid` bounds, or whose dues cannot
be computed, is always checked. A policy effective for years costs what its distinct
weeks cost (an ordinary week, the weeks of each change of summer time, each week with
an override date): IREX's three years compare in about 0.1 s.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from .evaluator.decision import target_row
from .evaluator.instants import ZonedCalendar, calendar_from_table
from .evaluator.due import unpaused_due
from .evaluator.intervals import open_intervals
from .evaluator.limits import MAX_YEAR
from .evaluator.zones import DAY, EPOCH_ORDINAL, MINUTE, from_us, to_us, zone_table

WEEK = 7 * DAY
_CACHE_SIZE = 512  # comparisons remembered; the seeds and the test suite need far fewer


class Worst(NamedTuple):
    """The worst case found: received at `at`, due at `due_a` and at `due_b` (microseconds)."""

    at: int
    due_a: int
    due_b: int

    @property
    def later(self) -> int:
        return self.due_b - self.due_a


@dataclass(frozen=True)
class Due:
    """One target row (as the table writes it) on one calendar (a `calendars` entry)."""

    target: str  # the row's `target` as JSON
    calendar: str  # the calendar entry's `zone`, `week`, `dates`, `valid` (or `parts`, `windows`) as JSON

    @classmethod
    def of(cls, target: dict, entry: dict) -> "Due":
        keep = {k: entry.get(k) for k in ("zone", "week", "dates", "valid", "parts", "windows")}
        return cls(json.dumps(target, sort_keys=True), json.dumps(keep, sort_keys=True))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _calendar_of(entry: str):
    return calendar_from_table(json.loads(entry))


def calendar(due: Due):
    """The evaluator's calendar for a `Due`, built once per process."""
    return _calendar_of(due.calendar)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def worst(a: Due, b: Due, lo: int, hi: int) -> Worst | None:
    """The received instant in [lo, hi) at which b falls due latest after a (None: never)."""
    return _compare(_function(a), _function(b), lo, hi)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _function(due: Due) -> "_DueFunction":
    return _DueFunction(due)


def _compare(fa: "_DueFunction", fb: "_DueFunction", lo: int, hi: int) -> Worst | None:
    found, seen = None, set()
    for start in range(lo, hi, WEEK):  # weeks alike in both calendars give the same f: once each
        end = min(start + WEEK, hi)
        shape = _week_shape(fa, fb, start, end)
        if shape is not None and shape in seen:
            continue
        seen.add(shape)
        edges = fa.breakpoints(start, end) | fb.breakpoints(start, end) | {start, end - 1}
        for t in sorted({p for s in edges for p in (s - 1, s, s + 1) if start <= p < end}):
            da, db = fa.at(t), fb.at(t)
            if da is None or db is None:
                continue  # no due (no time promised, or beyond the calendar's data)
            if db > da and (found is None or db - da > found.later):
                found = Worst(t, da, db)
    return found


def _week_shape(fa: "_DueFunction", fb: "_DueFunction", start: int, end: int) -> tuple | None:
    """What due_a and due_b of the instants of [start, end) depend on, relative to `start`
    (None: one of them cannot say)."""
    a, b = fa.shape(start, end), fb.shape(start, end)
    return None if a is None or b is None else (a, b)


def _pieces(zt, lo: int, hi: int, origin: int):
    """The zone's constant-offset pieces over [lo, hi), clipped, relative to `origin`."""
    u = lo
    while u < hi:
        p, q, o = zt.segment(u)
        yield max(p, lo) - origin, min(q, hi) - origin, o
        u = q


class _DueFunction:
    """due(t) of one target on one calendar, with the breakpoints of the docstring above."""

    def __init__(self, due: Due):
        self.cal = calendar(due)
        self.entry = json.loads(due.calendar)
        self.row = target_row({"target": json.loads(due.target), "calendar": "", "guarantee": "always",
                               "source": []})
        self.values: dict[int, int | None] = {}
        self.zt = zone_table(self.cal.zone)
        self.zoned = isinstance(self.cal, ZonedCalendar)
        if self.zoned:  # a calendar across zones: its parts' and windows' zones shape it too
            self.zones = [self.zt, *(p._zt for p in self.cal._parts),
                          *(end[0] for w in self.cal._windows for end in w)]
            self.valid = (self.cal._ulo, self.cal._uhi)
        else:
            self.zones = [self.zt]
            self.valid = (-(1 << 80) if self.cal.valid_from is None else _first_instant(self.zt, self.cal.valid_from),
                          1 << 80 if self.cal.valid_until is None
                          else _first_instant(self.zt, self.cal.valid_until + dt.timedelta(days=1)))
        self._shapes: dict[tuple[int, int], tuple | None] = {}
        self._open: tuple | None = None  # (lo, hi, open intervals of [lo, hi), their ends)

    def at(self, t: int) -> int | None:
        """due(t) in microseconds (None: no due, or not computable from the calendar's data)."""
        if t not in self.values:
            try:
                due = unpaused_due(self.cal, self.row, from_us(t))
            except ValueError:  # CoverageError, NeverOpenError, OutOfRangeError
                due = None
            self.values[t] = None if due is None else to_us(due)
        return self.values[t]

    def breakpoints(self, lo: int, hi: int) -> set[int]:
        """Instants of [lo, hi) where due(t) may stop being linear."""
        if self.row.kind == "duration":
            return self._duration_points(lo, hi)
        if self.row.kind == "next_business_day":
            return self._date_points(lo, hi, {0})
        points = self._date_points(lo, hi, self._times_of_day(lo, hi))
        if self.zoned:  # its openings and closings are not at fixed home times of day
            points.update(x for iv in self.open(lo, hi) for x in iv if lo <= x < hi)
        return points

    def _duration_points(self, lo: int, hi: int) -> set[int]:
        last = self.last_due(lo, hi)
        ivs = self.open(lo, max(last, hi) + 1)
        points = {x for iv in ivs for x in iv if x < hi}
        d = self.row.amount.days * DAY + self.row.amount.seconds * 1_000_000 + self.row.amount.microseconds
        ends, total = [], 0
        for a, b in ivs:
            total += b - a
            ends.append(total)  # open time from the first opening to this closing
        before = 0
        for (a, b), end in zip(ivs, ends):
            if a >= hi:
                break
            # closings c with d <= open time of [a, c) < d + (b - a): due(t) = c for t in [a, b)
            k = bisect_left(ends, before + d)
            while k < len(ends) and ends[k] - before < d + (b - a):
                points.add(a + ends[k] - before - d)
                k += 1
            before = end
        return points

    def open(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """`open_intervals(cal, lo, hi)`, cut from one list computed for a wider span."""
        have = self._open
        if have is None or not have[0] <= lo <= hi <= have[1]:
            span = (lo - WEEK, hi + 157 * WEEK)  # three years ahead: the weeks of a check come in order
            ivs = self.cal.open_intervals(*span) if self.zoned else open_intervals(self.cal, *span)
            have = self._open = (*span, ivs, [b for _, b in ivs])
        ivs, ends = have[2], have[3]
        out = []
        for a, b in ivs[bisect_right(ends, lo):]:
            if a >= hi:
                break
            out.append((max(a, lo), min(b, hi)))
        return out

    def shape(self, start: int, end: int) -> tuple | None:
        """What due(t) of the instants of [start, end) depends on, relative to `start`: the
        open intervals and zone offsets from two days before `start` to two days after the
        latest due (None: near the `valid` bounds, or a due is missing)."""
        key = (start, end)
        if key not in self._shapes:
            due = self.at(end - 1)
            lo, hi = start - 2 * DAY, (due or 0) + 2 * DAY  # a fold moves a due back by hours, not days
            if due is None or not self.valid[0] + 3 * DAY <= lo < hi <= self.valid[1] - 3 * DAY:
                self._shapes[key] = None
            else:
                self._shapes[key] = (end - start, hi - start,
                                     tuple((a - start, b - start) for a, b in self.open(lo, hi)),
                                     tuple(tuple(_pieces(zt, lo, hi, start)) for zt in self.zones))
        return self._shapes[key]

    def last_due(self, lo: int, hi: int) -> int:
        """The latest due of an instant of [lo, hi): due is non-decreasing in t."""
        for t in (hi - 1, hi - DAY, lo):
            due = self.at(t) if t >= lo else None
            if due is not None:
                return due
        return hi

    def _times_of_day(self, lo: int, hi: int) -> set[int]:
        """Midnight, each opening and closing time of any day of the calendar, and the local
        times at which the zone's offset changes in the period."""
        zt = self.zt
        if self.zoned:  # the home times of day of every opening and closing the dues can read
            times = {0}
            for edge in (x for iv in self.open(lo - 2 * DAY, max(self.last_due(lo, hi), hi) + 2 * DAY) for x in iv):
                times.update((edge + zt.segment(e)[2]) % DAY for e in (edge - 1, edge))
        else:
            days = list(self.entry["week"]) + list((self.entry.get("dates") or {}).values())
            times = {0} | {m * MINUTE % DAY for day in days for iv in day for m in iv}
        u = lo - DAY
        while u < hi + DAY:
            p, q, o = zt.segment(u)
            times.update(((p + o) % DAY, (q + o) % DAY))  # the readings on either side of a change
            u = q
        return times

    def _date_points(self, lo: int, hi: int, times: set[int]) -> set[int]:
        """The instants of [lo, hi) that read one of `times` on a local date, and the
        zone's offset changes."""
        zt = self.zt
        points: set[int] = set()
        u = lo - DAY
        while u < hi + DAY:
            p, q, o = zt.segment(u)
            points.add(max(p, lo))
            first, last = (max(p, lo - DAY) + o) // DAY, (min(q, hi + DAY) + o) // DAY
            for n in range(first, last + 1):
                for h in times:
                    x = n * DAY + h - o
                    if p <= x < q and lo <= x < hi:
                        points.add(x)
            u = q
        return points


def received_period(first: dt.date, last: dt.date | None, dues: list[Due]) -> tuple[int, int] | None:
    """[lo, hi): the instants whose local date, in the zone of the last calendar of `dues`,
    lies in the policy's effective period and in every calendar's `valid` range.

    An open-ended period is checked until the end of the year after the later of its
    first year and the last dated override of the calendars (holidays, special days):
    past their last override the calendars repeat every week, and the zones' rules of
    daylight saving time every year, so that year holds every case of the years after.
    """
    cals = [calendar(d) for d in dues]
    for cal in cals:
        if cal.valid_from is not None:
            first = max(first, cal.valid_from)
        if cal.valid_until is not None:
            last = cal.valid_until if last is None else min(last, cal.valid_until)
    if last is None:
        entries = [json.loads(d.calendar) for d in dues]
        entries += [p for e in entries for p in e.get("parts") or ()]  # the wall calendars of a union
        dated = [dt.date.fromisoformat(k).year for e in entries for k in e.get("dates") or ()]
        last = dt.date(min(max([first.year] + dated) + 1, MAX_YEAR), 12, 31)
    if last < first:
        return None
    zt = zone_table(cals[-1].zone)
    return _first_instant(zt, first), _first_instant(zt, last + dt.timedelta(days=1))


def _first_instant(zt, day: dt.date) -> int:
    """The first instant whose wall reading is on `day` or later."""
    n = day.toordinal() - EPOCH_ORDINAL
    u = n * DAY - 2 * DAY
    while True:
        p, q, o = zt.segment(u)
        x = max(p, n * DAY - o)
        if x < q:
            return x
        u = q
