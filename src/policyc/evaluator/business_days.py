"""Targets in business days: `Calendar.business_day` and `next_business_day`.

Standard library only; a mixin of business_time.Calendar (it reads the calendar's day
tracks, zone table and errors).  A business day is a local date with at least one open
instant.  The n-th one after a date is found in O(log n) by counting nominal business
dates (dates with intervals, daycount.py); a nominal date can still have no open
instant when its hours fall in a DST gap (or a skipped date, Samoa 2011), so the
zone's offset changes between the two dates are visited (a few a year) and each such
date they touch is checked exactly, moving the answer on by one per date found.
"""

from __future__ import annotations

from datetime import datetime

from .bounds import RUN_INTO, U_HI, beyond_range, result
from .openset import resolve
from .zones import DAY, from_us, to_us

EDGES = ("same_time", "start", "end")


def _what(n):
    return "the next business day" if n == 1 else f"business day {n} after the start"


class BusinessDays:
    """Mixed into business_time.Calendar."""

    def next_business_day(self, t: datetime, edge: str = "end") -> datetime:
        """First open (`start`) or last closing (`end`) instant of the first local date
        after t's local date that has any open instant."""
        if edge not in ("start", "end"):
            raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
        return self.business_day(t, 1, edge)

    def business_day(self, t: datetime, n: int, edge: str = "same_time") -> datetime:
        """On T, the n-th business day after t's local date: its first open instant
        (`start`), its last closing (`end`), or (`same_time`) t's local time of day on
        T if open there, else T's next opening after it, else T's last closing."""
        if edge not in EDGES:
            raise ValueError(f"edge must be one of {', '.join(EDGES)}, not {edge!r}")
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ValueError(f"n must be a whole number of business days >= 1, not {n!r}")
        u, q, o, w = self._enter(t)
        if not self._any_open:
            raise self._never()
        day = self._target_date(q, o, w // DAY, n)
        first, last = self._open_span(day)
        if edge == "start":
            due = first
        elif edge == "end":
            due = last
        else:
            due = self._same_time(day * DAY + w % DAY, first, last)
        return result(due, _what(n), self.name)

    def _same_time(self, wall, first, last):
        """The `same_time` due on a date whose open span is [first, last)."""
        x = resolve(self._zt, wall)  # in a gap: the first instant after it
        if x >= last:
            return last
        if x <= first:
            return first
        return to_us(self.next_open(from_us(x)))  # open at x, or in a break of T

    def _target_date(self, q, o, d, n):
        """The n-th local date after date d with an open instant; (q, o): the end and
        offset of the zone's piece that holds the instant asked about."""
        count = self._days
        j0 = count.count(d + 1) + n - 1  # the business index of the answer, if no date is lost
        lost, seen, gaps = 0, set(), []
        while True:
            day = count.date_of(j0 + lost)
            if day is None:
                raise self._no_more()
            if day * DAY >= self._whi:
                raise self._coverage(day, RUN_INTO)
            if (day - 1) * DAY >= U_HI:  # every instant that reads local date `day` is later
                raise beyond_range(self.name, _what(n))
            while q + o < (day + 1) * DAY:  # the offset changes up to the end of `day`
                ahead = count.date_of(count.count((q + o) // DAY))  # the next date with hours
                if (ahead - 2) * DAY > q:  # no date before it to lose: skip the closed stretch
                    _, q, o = self._zt.segment((ahead - 2) * DAY)  # (a gap before it ends before it)
                    continue
                _, q2, o2 = self._zt.segment(q)
                if o2 > o:  # the walls [q + o, q + o2) never happen
                    gaps.append((q + o, q + o2))
                q, o = q2, o2
            # a gap may run past the previous answer: every gap is looked at again (few)
            found = sum(self._lost_dates(max(d + 1, a // DAY), min(day, (b - 1) // DAY), seen)
                        for a, b in gaps)
            if not found:
                return day
            lost += found

    def _lost_dates(self, lo, hi, seen):
        """How many dates of lo..hi have intervals but no open instant (seen: counted)."""
        lost = 0
        for x in range(lo, hi + 1):
            if x not in seen and self._day_track(x)[0]:
                seen.add(x)
                lost += self._open_span(x) is None
        return lost

    def _open_span(self, n):
        """(first open, last closing) real instants of local date n, or None if no
        instant reads an open time of that date."""
        st, en = self._day_track(n)
        if not st:
            return None
        first = last = None
        base, u, hi = n * DAY, n * DAY + st[0] - DAY, n * DAY + en[-1] + DAY
        while u < hi:  # the constant-offset pieces that can read as local date n
            p, q, o = self._zt.segment(u)
            for a, b in zip(st, en):
                s, e = max(base + a - o, p), min(base + b - o, q)
                if s < e:
                    first = s if first is None or s < first else first
                    last = e if last is None or e > last else last
            u = q
        return None if first is None else (first, last)

