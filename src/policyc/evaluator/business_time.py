"""Business-time engine for the `calendars` of a decision table (docs/table-format.md).

Standard library only.  All arithmetic is on integer microseconds (see zones.py).

Algorithm.  G(w) is the cumulative open *wall-clock* time up to wall reading w,
computed from the local rules alone, with no DST (walltime.py): O(log n), and so are
its inverses inv(g) (where a target is reached) and sup(g) (where the next opening is).

The zone's offset o is constant over pieces [p, q) of real time, and an instant u
of such a piece is open iff the wall reading u + o is open.  The open real time in
[a, b) inside one piece is thus exactly G(b + o) - G(a + o): missing hours are never
counted, repeated hours are counted twice, for any offset change (Lord Howe's 30
minutes) and for fixed offsets.  `add` visits only the pieces it crosses (one per DST
change or computed-year boundary, usually one or two), so its cost does not grow with
the target, and it looks up the next piece only when the due time lies beyond the
current one.  A stretch closed for days (a calendar open on a few dates) is skipped
in one step: no piece inside it can hold open time.

Targets in business days (`business_day`, `next_business_day`) are business_days.py,
a mixin of Calendar; the errors and the supported instants are bounds.py.

Instants asked about and instants returned lie within the supported years
limits.MIN_YEAR..MAX_YEAR (UTC); anything else is refused with OutOfRangeError
before a zone is consulted, so the zone tables stay within those years too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta

from .bounds import (RUN_INTO as _RUN_INTO, U_HI as _U_HI, U_LO as _U_LO, CoverageError, NeverOpenError,
                     OutOfRangeError, beyond_range as _beyond_range, check_instant, duration_us,
                     result as _result)
from .business_days import BusinessDays
from .daycount import DayCount
from .limits import MAX_YEAR, MIN_YEAR
from .walltime import OpenWall
from .zones import DAY, EPOCH_ORDINAL, MINUTE, day_date, from_us, parse_zone, to_us, zone_table

__all__ = ["Calendar", "CoverageError", "NeverOpenError", "OutOfRangeError", "check_instant"]

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOLIMIT = 1 << 64  # wall bound of an open-ended `valid` side (beyond any FOREVER + offset)
# offset changes are at least 6 hours apart (zones.py samples at that step), so a
# 2-day window holds at most 8 of them, 9 pieces: a wall reading happens at most 9 times
_MAX_READS = 9
_ENTERED_SIZE = 4096  # instants remembered per calendar


class Calendar(BusinessDays):
    """One entry of a table's `calendars`; build once, query many times."""

    def __init__(self, zone, week, dates=None, valid=None, name="?"):
        self.name = name
        self.zone = parse_zone(zone)
        self._zt = zone_table(self.zone)
        self._gend = {}  # piece end q -> G(q + o), shared by all calls
        self._xcache = {}  # piece end q -> _cross(q, o, G(q + o)), shared by all calls
        self._entered = {}  # instant -> _enter(instant), for instants inside the range
        if not isinstance(week, (list, tuple)) or len(week) != 7:
            raise ValueError(f"calendar {name!r}: `week` must hold 7 lists (Monday first)")
        days = [self._intervals(day, f"week[{i}]") for i, day in enumerate(week)]
        if dates is not None and not isinstance(dates, dict):
            raise ValueError(f"calendar {name!r}: `dates` must be null or an object "
                             "{YYYY-MM-DD: intervals}")
        ov = {self._day(key, "`dates`"): self._intervals(ivs, f"dates[{key}]")
              for key, ivs in (dates or {}).items()}
        wall = OpenWall(days, ov)
        self._G, self._ginv, self._gsup, self._day_track = wall.G, wall.ginv, wall.gsup, wall.day_track
        self._W, self._any_open, self._last_open_end = wall.W, wall.any_open, wall.last_open_end
        self._days = DayCount([bool(d) for d in days], {n: bool(ivs) for n, ivs in ov.items()})

        self.valid_from = self.valid_until = None
        if valid is not None:
            if not isinstance(valid, dict):
                raise ValueError(f"calendar {name!r}: `valid` must be null or {{from, until}}")
            lo, hi = (valid.get(k) for k in ("from", "until"))
            lo, hi = (None if v is None else self._day(v, "`valid`") for v in (lo, hi))
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"calendar {name!r}: valid.from is after valid.until")
            self.valid_from = None if lo is None else day_date(lo)
            self.valid_until = None if hi is None else day_date(hi)
        self._wlo = -_NOLIMIT if self.valid_from is None else lo * DAY
        self._whi = _NOLIMIT if self.valid_until is None else (hi + 1) * DAY

    @classmethod
    def from_table(cls, obj: dict, name: str = "?") -> "Calendar":
        """Build from one entry of the table's `calendars` (other keys are ignored)."""
        if not isinstance(obj, dict) or "zone" not in obj or "week" not in obj:
            raise ValueError(f"calendar {name!r}: expected an object with `zone` and `week`")
        return cls(obj["zone"], obj["week"], obj.get("dates"), obj.get("valid"), name)

    def __repr__(self):
        return f"<Calendar {self.name!r} {self.zone}>"

    def _day(self, text, where):
        """'YYYY-MM-DD' -> day number (days since 2001-01-01)."""
        d = None
        if isinstance(text, str) and _DATE_RE.fullmatch(text):
            try:
                d = date.fromisoformat(text)
            except ValueError:
                pass
        if d is None:
            raise ValueError(f"calendar {self.name!r}: bad date {text!r} in {where} (YYYY-MM-DD)")
        if not MIN_YEAR <= d.year <= MAX_YEAR:
            raise ValueError(f"calendar {self.name!r}: date {text!r} in {where} is outside "
                             f"the supported years {MIN_YEAR}..{MAX_YEAR}")
        return d.toordinal() - EPOCH_ORDINAL

    def _intervals(self, raw, where):
        if not isinstance(raw, (list, tuple)):
            raise ValueError(f"calendar {self.name!r}: {where} must be a list of [start, end]")
        out, prev = [], -1
        for iv in raw:
            ok = isinstance(iv, (list, tuple)) and len(iv) == 2 and all(
                isinstance(x, int) and not isinstance(x, bool) for x in iv)
            if not ok or not (0 <= iv[0] < iv[1] <= 1440) or iv[0] < prev:
                raise ValueError(f"calendar {self.name!r}: bad interval {iv!r} in {where} "
                                 "(sorted, disjoint [start, end) minutes, 0 <= start < end <= 1440)")
            if out and iv[0] == prev:  # touching: merge
                out[-1] = (out[-1][0], iv[1] * MINUTE)
            else:
                out.append((iv[0] * MINUTE, iv[1] * MINUTE))
            prev = iv[1]
        return out

    # -- errors -------------------------------------------------------------------
    def _coverage(self, n, what):
        return CoverageError(
            f"calendar {self.name!r}: {what} {day_date(n)}, outside its valid range "
            f"{self.valid_from or '-inf'} .. {self.valid_until or '+inf'}")

    def _never(self):
        if not self._any_open:
            return NeverOpenError(f"calendar {self.name!r} has no open interval at all")
        return NeverOpenError(f"calendar {self.name!r} is never open after "
                              f"{day_date(self._last_open_end // DAY - 1)}")

    def _enter(self, t):
        hit = self._entered.get(t)  # an occurrence's start is entered by open_between, then add
        if hit is not None:
            return hit
        u = to_us(t)
        if not _U_LO <= u < _U_HI:  # before any zone lookup: zone tables stay in range
            check_instant(t)  # raises
        p, q, o = self._zt.segment(u)
        w = u + o
        if not self._wlo <= w < self._whi:
            raise self._coverage(w // DAY, "asked about local date")
        if len(self._entered) >= _ENTERED_SIZE:  # bounded: the instants of a few hundred tickets
            self._entered.clear()
        hit = self._entered[t] = (u, q, o, w)
        return hit

    def _no_more(self):
        """The error of a search that finds no more open time: `valid` ends, or never open."""
        if self.valid_until:
            return self._coverage(self._whi // DAY, _RUN_INTO)
        return self._never()

    def _refuse_beyond(self, q, o, what):
        """Raise if a search may not go on past the piece ending at instant q (offset o)."""
        wq = q + o
        if wq > self._whi:
            raise self._coverage(self._whi // DAY, _RUN_INTO)
        if not self._W and wq > self._last_open_end + 2 * DAY:
            raise self._no_more()
        # open on dates only (all within the range), the search goes on a little: it
        # finds a due time just past the end (refused by _result) or ends above
        if q >= _U_HI and self._W:
            raise _beyond_range(self.name, what)

    def _refuse_unreachable(self, w, rem):
        """Refuse at once a target that cannot be reached before the search must stop,
        rather than visit every piece (and compute every zone year) up to there."""
        # The due instant D of a successful search is before _U_HI and reads a wall
        # <= whi, so D < end.  An instant reads a wall within a day of itself, and one
        # wall reading is read by at most _MAX_READS instants (one per piece of a 2-day
        # window), so the open real time in [t, D) is at most _MAX_READS times the
        # open wall time in (w - 2 days, end + 1 day).
        end = min(self._whi + DAY, _U_HI)
        if rem > _MAX_READS * (self._G(end + DAY) - self._G(w - 2 * DAY)):
            if not self._W or end < _U_HI:
                raise self._no_more()
            raise _beyond_range(self.name, "the due instant")

    def _skip_closed(self, q):
        """Where a search goes on after instant q: q, or the end of a closed stretch from q."""
        y = self._gsup(self._G(q - DAY))  # the first opening at a wall reading >= q - DAY
        if y is None:  # no instant from q on reads an open wall (|offset| < 1 day)
            raise self._no_more()
        return max(q, y - DAY)  # the instants of [q, y - DAY) read walls in [q - DAY, y)

    # -- public API ---------------------------------------------------------------
    def is_open(self, t: datetime) -> bool:
        """Whether instant t is open (its wall reading lies in an interval of its date)."""
        w = self._enter(t)[3]
        n = w // DAY
        st, en = self._day_track(n)
        pos = w - n * DAY
        i = bisect_right(st, pos) - 1
        return i >= 0 and pos < en[i]

    def add(self, t: datetime, duration: timedelta) -> datetime:
        """Earliest instant u >= t with exactly `duration` of open real time in [t, u)."""
        u, q, o, w = self._enter(t)
        rem = duration_us(duration)
        if rem == 0:
            return from_us(u)
        if not self._any_open:
            raise self._never()
        gend, xcache, crossed = self._gend, self._xcache, 0
        g = self._G(w) + rem
        while True:
            gq = gend.get(q)
            if gq is None:
                gq = gend[q] = self._G(q + o)
            if g <= gq:  # due inside this piece: the next piece is not even looked up
                break
            self._refuse_beyond(q, o, "the due instant")
            crossed += 1
            if crossed == 4:  # a long search: make sure it can end before the range does
                self._refuse_unreachable(w, rem)
            jump, (_, q, o) = xcache.get(q) or self._cross(q, o, gq)
            g += jump  # the remainder g - G(q + o) carries over to the next piece
        x = self._ginv(g)
        if x is None:
            raise self._no_more()
        if x > self._whi:
            if x - o < _U_HI:  # a date worth naming (and one datetime can show)
                raise self._coverage((x - 1) // DAY, "due instant would fall on local date")
            raise self._coverage(self._whi // DAY, _RUN_INTO)
        return _result(x - o, "the due instant", self.name)

    def open_between(self, t1: datetime, t2: datetime) -> timedelta:
        """The open real time in [t1, t2) (zero when t2 <= t1): what `add` counts."""
        u, q, o, w = self._enter(t1)
        end = self._enter(t2)[0]
        total = 0
        while u < end:  # one step per constant-offset piece crossed
            b = min(q, end)
            total += self._G(b + o) - self._G(u + o)
            u = b
            if u < end:
                _, q, o = self._zt.segment(u)
        return timedelta(microseconds=total)

    def _cross(self, q, o, gq):
        """(jump, next piece) for the piece ending at instant q, gq = G(q + o): the search
        goes on in the next piece it can reach, from G(its wall) = gq + jump."""
        v = self._skip_closed(q)
        nxt = self._zt.segment(v)
        c = self._xcache[q] = (self._G(v + nxt[2]) - gq, nxt)
        return c

    def next_open(self, t: datetime) -> datetime:
        """t itself (in UTC) if open, else the next instant at which the calendar opens."""
        u, q, o, w = self._enter(t)
        if not self._any_open:
            raise self._never()
        while True:
            x = self._gsup(self._G(w))  # the first opening at a wall reading >= w
            if x is not None and x < q + o:
                if x >= self._whi:
                    raise self._coverage(x // DAY, "next opening would be on local date")
                return _result(x - o, "the next opening", self.name)
            self._refuse_beyond(q, o, "the next opening")
            u = self._skip_closed(q)
            _, q, o = self._zt.segment(u)
            w = u + o
