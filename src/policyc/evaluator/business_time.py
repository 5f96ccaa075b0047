"""Business-time engine for the `calendars` of a decision table (docs/table-format.md).

Standard library only.  All arithmetic is on integer microseconds (see zones.py).

Algorithm.  Let G(w) be the cumulative open *wall-clock* time up to wall reading w,
computed from the local rules alone (weekly intervals, `dates` overrides), with no
DST: every week contributes the nominal total W, and each override date k adds
delta_k = (its open length - its weekday's nominal length), kept as prefix sums over
the sorted override dates.  G(w) is therefore O(log n); so are its two inverses
  inv(g) = smallest w with G(w) >= g      (where a target is reached)
  sup(g) = largest  w with G(w) <= g      (where the next opening is)
(bisect over the override prefix sums, then arithmetic over whole weeks and a
bisect inside one week's or one date's intervals).

The zone's offset o is constant over pieces [p, q) of real time, and an instant u
of such a piece is open iff the wall reading u + o is open.  The open real time in
[a, b) inside one piece is thus exactly G(b + o) - G(a + o): missing hours are never
counted, repeated hours are counted twice, for any offset change (Lord Howe's 30
minutes) and for fixed offsets.  `add` visits only the pieces it crosses (one per DST
change, usually one or two), so its cost does not grow with the target.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta

from .zones import (DAY, EPOCH_ORDINAL, FOREVER, MINUTE, US, WEEK, day_date, from_us,
                    parse_zone, to_us, zone_table)

__all__ = ["Calendar", "CoverageError", "NeverOpenError"]

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RUN_INTO = "the search would run into local date"
_NOLIMIT = 1 << 64  # wall bound of an open-ended `valid` side (beyond any FOREVER + offset)


class CoverageError(ValueError):
    """An instant or local date outside the calendar's `valid` range."""


class NeverOpenError(ValueError):
    """Business time asked of a calendar that is never open (again)."""


def _track(intervals):
    """(starts, ends, cum_starts, cum_ends) of sorted disjoint (start, end) pairs."""
    st, en, cs, ce, c = [], [], [], [], 0
    for a, b in intervals:
        st.append(a); en.append(b); cs.append(c)
        c += b - a
        ce.append(c)
    return st, en, cs, ce


def _inv(track, r):
    """Smallest position where the track's cumulative open time reaches r (0 < r <= total)."""
    i = bisect_left(track[3], r)
    return track[0][i] + r - track[2][i]


def _sup(track, r):
    """Largest position where the track's cumulative open time is still r (0 <= r < total)."""
    i = bisect_right(track[3], r)
    return track[0][i] + r - track[2][i]


def _cum(track, pos):
    st = track[0]
    i = bisect_right(st, pos) - 1
    if i < 0:
        return 0
    return track[2][i] + min(pos - st[i], track[1][i] - st[i])


class Calendar:
    """One entry of a table's `calendars`; build once, query many times."""

    def __init__(self, zone, week, dates=None, valid=None, name="?"):
        self.name = name
        self.zone = parse_zone(zone)
        self._zt = zone_table(self.zone)
        self._xcache = {}  # piece end q -> _cross(q, o), shared by all calls
        if not isinstance(week, (list, tuple)) or len(week) != 7:
            raise ValueError(f"calendar {name!r}: `week` must hold 7 lists (Monday first)")
        self._days = [self._intervals(day, f"week[{i}]") for i, day in enumerate(week)]
        wk = [(i * DAY + a, i * DAY + b) for i, day in enumerate(self._days) for a, b in day]
        self._week = _track(wk)
        self._W = self._week[3][-1] if wk else 0
        self._dtracks = [(t[0], t[1]) for t in map(_track, self._days)]

        ov = {}
        for key, ivs in (dates or {}).items():
            ov[self._day(key, "`dates`")] = self._intervals(ivs, f"dates[{key}]")
        self._ovd = sorted(ov)
        self._ovt = [_track(ov[n]) for n in self._ovd]
        self._ovmap = {n: (t[0], t[1]) for n, t in zip(self._ovd, self._ovt)}
        self._P, self._S, self._E = [0], [], []
        for n, t in zip(self._ovd, self._ovt):
            actual = t[3][-1] if t[3] else 0
            s = self._gnom(n * DAY) + self._P[-1]
            self._S.append(s)
            self._E.append(s + actual)
            self._P.append(self._P[-1] + actual - (self._gnom((n + 1) * DAY) - self._gnom(n * DAY)))
        self._open_days = [n for n, t in zip(self._ovd, self._ovt) if t[0]]
        self._any_open = bool(self._W or self._open_days)
        self._last_open_end = (self._open_days[-1] + 1) * DAY if self._open_days else -FOREVER

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
        try:
            if isinstance(text, str) and _DATE_RE.fullmatch(text):
                return date.fromisoformat(text).toordinal() - EPOCH_ORDINAL
        except ValueError:
            pass
        raise ValueError(f"calendar {self.name!r}: bad date {text!r} in {where} (YYYY-MM-DD)")

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

    # -- cumulative open wall time G and its inverses --------------------------------
    def _gnom(self, w):
        weeks, pos = divmod(w, WEEK)
        return weeks * self._W + _cum(self._week, pos)

    def _G(self, w):
        ovd = self._ovd
        if ovd:
            n = w // DAY
            k = bisect_left(ovd, n)
            if k < len(ovd) and ovd[k] == n:
                return self._S[k] + _cum(self._ovt[k], w - n * DAY)
            return self._P[k] + self._gnom(w)
        return self._gnom(w)

    def _ginv(self, g):
        """Smallest wall w with G(w) >= g, or None if G never gets there."""
        k = bisect_left(self._E, g)
        if k < len(self._E) and self._S[k] < g:
            return self._ovd[k] * DAY + _inv(self._ovt[k], g - self._S[k])
        W = self._W
        if not W:
            return None
        gp = g - self._P[k]
        weeks = -(-gp // W) - 1
        return weeks * WEEK + _inv(self._week, gp - weeks * W)

    def _gsup(self, g):
        """Largest wall w with G(w) <= g, or None if G never exceeds g."""
        k = bisect_right(self._E, g)
        if k < len(self._E) and self._S[k] <= g:
            return self._ovd[k] * DAY + _sup(self._ovt[k], g - self._S[k])
        W = self._W
        if not W:
            return None
        weeks, r = divmod(g - self._P[k], W)
        return weeks * WEEK + _sup(self._week, r)

    def _day_track(self, n):
        t = self._ovmap.get(n)
        return t if t is not None else self._dtracks[n % 7]

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
        u = to_us(t)
        p, q, o = self._zt.segment(u)
        w = u + o
        if not self._wlo <= w < self._whi:
            raise self._coverage(w // DAY, "asked about local date")
        return u, q, o, w

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
        if not isinstance(duration, timedelta):
            raise TypeError("duration must be a datetime.timedelta")
        rem = (duration.days * 86_400 + duration.seconds) * US + duration.microseconds
        if rem < 0:
            raise ValueError(f"negative business duration {duration}")
        if rem == 0:
            return from_us(u)
        if not self._any_open:
            raise self._never()
        whi, xcache = self._whi, self._xcache
        g = self._G(w) + rem
        while q < FOREVER:
            gq, jump, nxt = xcache.get(q) or self._cross(q, o)
            if g <= gq:  # G(q + o) >= g: due inside this piece
                break
            wq = q + o
            if wq > whi:
                raise self._coverage(whi // DAY, _RUN_INTO)
            if not self._W and wq > self._last_open_end + 2 * DAY:
                raise self._coverage(whi // DAY, _RUN_INTO) \
                    if self.valid_until else self._never()
            g += jump  # the remainder g - G(q + o) carries over to G(q + o')
            u, (_, q, o) = q, nxt
            if u + o >= whi:
                raise self._coverage((u + o) // DAY, _RUN_INTO)
        x = self._ginv(g)
        if x is None:
            raise self._coverage(whi // DAY, _RUN_INTO) if self.valid_until else self._never()
        if x > whi:
            raise self._coverage((x - 1) // DAY, "due instant would fall on local date")
        return from_us(x - o)

    def _cross(self, q, o):
        """(G(q + o), G(q + o') - G(q + o), next piece) for the piece ending at q."""
        nxt = self._zt.segment(q)
        gq = self._G(q + o)
        c = self._xcache[q] = (gq, self._G(q + nxt[2]) - gq, nxt)
        return c

    def next_open(self, t: datetime) -> datetime:
        """t itself (in UTC) if open, else the next instant at which the calendar opens."""
        u, q, o, w = self._enter(t)
        if not self._any_open:
            raise self._never()
        whi = self._whi
        while True:
            x = self._gsup(self._G(w))
            wq = q + o
            if x is not None and x < wq:
                if x >= whi:
                    raise self._coverage(x // DAY, "next opening would be on local date")
                return from_us(x - o)
            if x is None and (q >= FOREVER or wq > self._last_open_end + 2 * DAY):
                raise self._coverage(whi // DAY, _RUN_INTO) \
                    if self.valid_until else self._never()
            u = q
            _, q, o = self._zt.segment(u)
            w = u + o
            if w >= whi:
                raise self._coverage(w // DAY, _RUN_INTO)

    def next_business_day(self, t: datetime, edge: str = "end") -> datetime:
        """First open (`start`) or last closing (`end`) instant of the first local date
        after t's local date that has any open instant."""
        if edge not in ("start", "end"):
            raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
        n = self._enter(t)[3] // DAY + 1
        if not self._any_open:
            raise self._never()
        last_n = self._whi // DAY - 1
        while True:
            if n > last_n:
                raise self._coverage(n, _RUN_INTO)
            st, en = self._day_track(n)
            if not st:
                if not self._W:  # jump straight to the next open override date
                    k = bisect_left(self._open_days, n)
                    if k == len(self._open_days):
                        if self.valid_until:
                            raise self._coverage(last_n + 1, _RUN_INTO)
                        raise self._never()
                    n = self._open_days[k]
                else:
                    n += 1
                continue
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
            if first is not None:
                return from_us(first if edge == "start" else last)
            n += 1
