"""Calendars that are not one wall calendar: unions across zones, windows across zones.

Standard library only.  Such a calendar is a set of open instants, the union of
  - parts: wall calendars (business_time.Calendar), each in its own zone, and
  - windows: each opens at every instant whose wall reading in the start's zone is
    the start's weekday and time, and closes at the first later instant whose reading
    in the end's zone is the end's weekday (or any day) and time.  A reading in a DST
    gap means the first instant after the gap; a repeated reading, the earlier one.
Its home zone (`zone`) reads the local dates of business days and the effective period.

Engine.  The open set is materialised one UTC year at a time, lazily (only the years
asked about), as merged real intervals [a, b) with prefix sums of their lengths, so
`is_open`, `next_open`, `add` and `open_between` cost O(log n) within a year and one
step per year crossed; every part's intervals come from intervals.open_intervals,
exact with DST.  Each part keeps its own `valid` range, read in its own zone; the
calendar answers only for instants inside all of them (CoverageError otherwise), and
only inside the supported years (OutOfRangeError), as business_time does.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta

from .bounds import U_HI as _U_HI, U_LO as _U_LO, duration_us
from .business_time import Calendar, CoverageError, NeverOpenError, OutOfRangeError, check_instant
from .intervals import open_intervals
from .limits import MAX_YEAR, MIN_YEAR
from .openset import Year, merge, resolve, window_intervals, year_of, year_start
from .zones import DAY, EPOCH_ORDINAL, MINUTE, day_date, from_us, parse_zone, zone_table

__all__ = ["ZonedCalendar", "calendar_from_table"]

_EDGES = ("start", "end", "same_time")


class ZonedCalendar:
    """A calendar entry with `parts` and `windows` (docs/table-format.md); the same
    interface as business_time.Calendar."""

    def __init__(self, zone, parts, windows, name="?"):
        self.name = name
        self.zone = parse_zone(zone)
        self._home = zone_table(self.zone)
        if not isinstance(parts, (list, tuple)) or not isinstance(windows, (list, tuple)):
            raise ValueError(f"calendar {name!r}: `parts` and `windows` must be lists")
        self._parts = [Calendar.from_table(p, f"{name}, part {i}") for i, p in enumerate(parts)]
        self._windows = [self._window(w, i) for i, w in enumerate(windows)]
        self._years: dict[int, Year] = {}
        lo, hi = _U_LO, _U_HI  # the instants every part answers for
        for p in self._parts:
            if p.valid_from is not None:
                lo = max(lo, resolve(p._zt, (p.valid_from.toordinal() - EPOCH_ORDINAL) * DAY))
            if p.valid_until is not None:
                hi = min(hi, resolve(p._zt, (p.valid_until.toordinal() - EPOCH_ORDINAL + 1) * DAY))
        self._ulo, self._uhi = lo, max(lo, hi)
        self.valid_from = None if lo == _U_LO else self._home_date(lo)
        self.valid_until = None if hi == _U_HI else self._home_date(hi - 1)
        # no open instant after this one: an instant reads a wall within a day of itself
        if self._windows or any(p._W for p in self._parts):
            self._last = _U_HI
        else:
            ends = [p._last_open_end for p in self._parts if p._any_open]
            self._last = min(_U_HI, max(ends) + DAY) if ends else None
        self._end = min(self._uhi, _U_HI if self._last is None else self._last)

    @classmethod
    def from_table(cls, obj: dict, name: str = "?") -> "ZonedCalendar":
        """Build from one entry of the table's `calendars` that has `parts` and `windows`."""
        if not isinstance(obj, dict) or not {"zone", "parts", "windows"} <= obj.keys():
            raise ValueError(f"calendar {name!r}: expected an object with `zone`, `parts` and `windows`")
        return cls(obj["zone"], obj["parts"], obj["windows"], name)

    def __repr__(self):
        return f"<ZonedCalendar {self.name!r} {self.zone}>"

    def _window(self, w, i):
        """((start zone table, weekday, minute us), (end zone table, weekday or None, minute us))."""
        ends = []
        for key in ("from", "until"):
            end = w.get(key) if isinstance(w, dict) else None
            ok = isinstance(end, dict) and isinstance(end.get("minute"), int) and 0 <= end["minute"] < 1440
            wd = end.get("weekday") if ok else None
            if not ok or not (wd in range(7) or (wd is None and key == "until")):
                raise ValueError(f"calendar {self.name!r}: bad `windows[{i}].{key}` (zone, weekday 0-6, "
                                 "minute 0-1439)")
            ends.append((zone_table(parse_zone(end.get("zone"))), wd, end["minute"] * MINUTE))
        return tuple(ends)

    def _home_date(self, u: int) -> date:
        return day_date((u + self._home.segment(u)[2]) // DAY)

    # -- the open set, a year at a time -------------------------------------------
    def _year(self, y: int) -> Year:
        hit = self._years.get(y)
        if hit is None:
            lo, hi = max(year_start(y), self._ulo), min(year_start(y + 1), self._end)
            raw = []
            if lo < hi:
                for p in self._parts:
                    raw.extend(open_intervals(p, lo, hi))
                for w in self._windows:
                    raw.extend(window_intervals(w, lo, hi))
            hit = self._years[y] = Year(merge(raw), self._home)
        return hit

    def _next_year(self, y: int) -> int:
        """y + 1, or the error of a search that must stop at the end of year y."""
        if year_start(y + 1) < self._end:
            return y + 1
        raise self._stop()

    def _stop(self) -> ValueError:
        """Why a search cannot go past self._end: `valid` ends, never open again, or the
        supported years end."""
        if self._end == self._uhi < _U_HI:
            return CoverageError(f"calendar {self.name!r}: the search would run into local date "
                                 f"{self._home_date(self._uhi)}, outside its valid range "
                                 f"{self.valid_from or '-inf'} .. {self.valid_until or '+inf'}")
        if self._end < _U_HI:
            return self._never()
        return OutOfRangeError(f"calendar {self.name!r}: the result would be after {MAX_YEAR}-12-31 "
                               f"(UTC), outside the supported years {MIN_YEAR}..{MAX_YEAR}")

    def _never(self):
        if self._last is None:
            return NeverOpenError(f"calendar {self.name!r} has no open interval at all")
        return NeverOpenError(f"calendar {self.name!r} is never open after {from_us(self._last).date()}")

    def _enter(self, t: datetime) -> int:
        u = check_instant(t)
        if not self._ulo <= u < self._uhi:
            raise CoverageError(f"calendar {self.name!r}: asked about local date {self._home_date(u)}, "
                                f"outside its valid range {self.valid_from or '-inf'} .. "
                                f"{self.valid_until or '+inf'}")
        return u

    def _result(self, u: int) -> datetime:
        if u >= _U_HI:
            raise self._stop()
        return from_us(u)

    def open_intervals(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The open real time of [lo, hi) (microseconds), merged: what intervals.open_intervals
        gives for a wall calendar, here cut from the years' open sets."""
        out: list[tuple[int, int]] = []
        lo, hi = max(lo, self._ulo), min(hi, self._end)
        y = year_of(lo) if lo < hi else 0
        while lo < hi and year_start(y) < hi:
            yr = self._year(y)
            for i in range(bisect_right(yr.ends, lo), len(yr.starts)):
                a, b = max(yr.starts[i], lo), min(yr.ends[i], hi)
                if a >= hi:
                    break
                if out and a <= out[-1][1]:  # an interval across a year boundary
                    out[-1] = (out[-1][0], max(out[-1][1], b))
                elif a < b:
                    out.append((a, b))
            y += 1
        return out

    # -- the interface of business_time.Calendar ----------------------------------
    def is_open(self, t: datetime) -> bool:
        """Whether instant t is open: some part or window is open at it."""
        u = self._enter(t)
        yr = self._year(year_of(u))
        i = bisect_right(yr.starts, u) - 1
        return i >= 0 and u < yr.ends[i]

    def add(self, t: datetime, duration: timedelta) -> datetime:
        """Earliest instant u >= t with exactly `duration` of open real time in [t, u)."""
        u = self._enter(t)
        rem = duration_us(duration)
        if rem == 0:
            return from_us(u)
        if self._last is None:
            raise self._never()
        y = year_of(u)
        if rem > self._end - u:  # more than the real time left: refused without a walk
            raise self._stop()
        g = self._year(y).before(u) + rem
        while g > self._year(y).total:  # one step per year crossed
            g -= self._year(y).total
            y = self._next_year(y)
        return self._result(self._year(y).reach(g))

    def open_between(self, t1: datetime, t2: datetime) -> timedelta:
        """The open real time in [t1, t2) (zero when t2 <= t1): what `add` counts."""
        u1, u2 = self._enter(t1), self._enter(t2)
        if u2 <= u1:
            return timedelta(0)
        y1, y2 = year_of(u1), year_of(u2)
        total = self._year(y2).before(u2) - self._year(y1).before(u1)
        for y in range(y1, y2):
            total += self._year(y).total
        return timedelta(microseconds=total)

    def next_open(self, t: datetime) -> datetime:
        """t itself (in UTC) if open, else the next instant at which the calendar opens."""
        u = self._enter(t)
        if self._last is None:
            raise self._never()
        y = year_of(u)
        while True:
            yr = self._year(y)
            i = bisect_right(yr.ends, u)  # the first interval ending after u
            if i < len(yr.starts):
                return self._result(max(u, yr.starts[i]))
            y = self._next_year(y)

    def next_business_day(self, t: datetime, edge: str = "end") -> datetime:
        """First open (`start`) or last closing (`end`) instant of the first home date
        after t's home date that has any open instant."""
        if edge not in ("start", "end"):
            raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
        return self.business_day(t, 1, edge)

    def business_day(self, t: datetime, n: int, edge: str) -> datetime:
        """The first open instant (`start`), last closing (`end`) or t's time of day
        (`same_time`, moved to the next opening or the last closing of that date if
        closed) of the n-th home date after t's that has an open instant."""
        if edge not in _EDGES:
            raise ValueError(f"edge must be one of {', '.join(_EDGES)}, not {edge!r}")
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"business days must be counted from 1, not {n!r}")
        u = self._enter(t)
        if self._last is None:
            raise self._never()
        o = self._home.segment(u)[2]
        day = self._nth_day((u + o) // DAY, n, year_of(u))
        if resolve(self._home, (day + 1) * DAY) > self._uhi:  # the date passes the valid range
            raise self._stop()
        ivs = self._on_date(day)
        if edge == "start":
            return self._result(ivs[0][0])
        if edge == "end":
            return self._result(ivs[-1][1])
        x = resolve(self._home, day * DAY + (u + o) % DAY)
        for a, b in ivs:
            if x < b:
                return self._result(max(a, x))
        return self._result(ivs[-1][1])

    def _nth_day(self, d: int, n: int, y: int) -> int:
        """The n-th home date after d with an open instant (years from y on)."""
        last = d
        while True:
            days = self._year(y).days
            i = bisect_right(days, last)
            if i + n <= len(days):
                return days[i + n - 1]
            n -= len(days) - i
            # the year's last date may lie before d (a year that ends closed): never go back
            last = max(last, days[-1]) if days else last
            y = self._next_year(y)

    def _on_date(self, day: int) -> list:
        """The open intervals of the instants that read home date `day` (not empty)."""
        lo, hi = day * DAY - DAY, (day + 2) * DAY  # every instant reading that date
        spans, u = [], lo
        while u < hi:
            p, q, o = self._home.segment(u)
            a, b = max(p, day * DAY - o), min(q, (day + 1) * DAY - o)
            if a < b:
                spans.append((a, b))
            u = q
        out = []
        for y in range(year_of(max(lo, self._ulo)), year_of(min(hi, self._end) - 1) + 1):
            yr = self._year(y)
            for i in range(bisect_right(yr.ends, lo), bisect_left(yr.starts, hi)):  # those in [lo, hi)
                a, b = yr.starts[i], yr.ends[i]
                out.extend((max(a, s), min(b, e)) for s, e in spans if max(a, s) < min(b, e))
        return [tuple(iv) for iv in merge(out)]


def calendar_from_table(entry: dict, name: str = "?"):
    """A `calendars` entry as the evaluator's calendar: one across zones (an entry with
    `parts` and `windows`), or a wall calendar."""
    if entry.get("parts") is not None:
        return ZonedCalendar.from_table(entry, name)
    return Calendar.from_table(entry, name)
