"""Open wall-clock time of a calendar's local rules: a function G and its inverses.

Standard library only.  A wall reading w is an integer: microseconds of local clock
time since 2001-01-01T00:00 (a Monday), with no time zone and no DST; day n of the
readings has weekday n % 7.  G(w) is the cumulative open time up to w: every week
contributes the nominal total W, and each override date k adds delta_k = (its open
length - its weekday's nominal length), kept as prefix sums over the sorted override
dates.  G(w) is therefore O(log n); so are its two inverses
  inv(g) = smallest w with G(w) >= g      (where a target is reached)
  sup(g) = largest  w with G(w) <= g      (where the next opening is)
(bisect over the override prefix sums, then arithmetic over whole weeks and a
bisect inside one week's or one date's intervals).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .zones import DAY, FOREVER, WEEK


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
    """Cumulative open time of the track up to position pos."""
    st = track[0]
    i = bisect_right(st, pos) - 1
    if i < 0:
        return 0
    return track[2][i] + min(pos - st[i], track[1][i] - st[i])


class OpenWall:
    """G, its inverses and each date's intervals, for weekly intervals and date overrides."""

    def __init__(self, days, overrides):
        """`days`: 7 lists (Monday first) of sorted disjoint (start, end) microseconds of
        the day; `overrides`: {day number: such a list} replacing a date's weekday."""
        wk = [(i * DAY + a, i * DAY + b) for i, day in enumerate(days) for a, b in day]
        self._week = _track(wk)
        self.W = self._week[3][-1] if wk else 0  # open time of a week without overrides
        self._dtracks = [(t[0], t[1]) for t in map(_track, days)]
        self._ovd = sorted(overrides)
        self._ovt = [_track(overrides[n]) for n in self._ovd]
        self._ovmap = {n: (t[0], t[1]) for n, t in zip(self._ovd, self._ovt)}
        self._P, self._S, self._E = [0], [], []
        for n, t in zip(self._ovd, self._ovt):
            actual = t[3][-1] if t[3] else 0
            s = self._gnom(n * DAY) + self._P[-1]
            self._S.append(s)
            self._E.append(s + actual)
            self._P.append(self._P[-1] + actual - (self._gnom((n + 1) * DAY) - self._gnom(n * DAY)))
        open_days = [n for n, t in zip(self._ovd, self._ovt) if t[0]]
        self.any_open = bool(self.W or open_days)
        # the end of the last open override date (what bounds G when W == 0)
        self.last_open_end = (open_days[-1] + 1) * DAY if open_days else -FOREVER

    def _gnom(self, w):
        """G without the overrides: whole weeks, then the week's own track."""
        weeks, pos = divmod(w, WEEK)
        return weeks * self.W + _cum(self._week, pos)

    def G(self, w):
        """Open wall time from the origin up to wall reading w (negative before it)."""
        ovd = self._ovd
        if ovd:
            n = w // DAY
            k = bisect_left(ovd, n)
            if k < len(ovd) and ovd[k] == n:
                return self._S[k] + _cum(self._ovt[k], w - n * DAY)
            return self._P[k] + self._gnom(w)
        return self._gnom(w)

    def ginv(self, g):
        """Smallest wall w with G(w) >= g, or None if G never gets there."""
        k = bisect_left(self._E, g)
        if k < len(self._E) and self._S[k] < g:
            return self._ovd[k] * DAY + _inv(self._ovt[k], g - self._S[k])
        W = self.W
        if not W:
            return None
        gp = g - self._P[k]
        weeks = -(-gp // W) - 1
        return weeks * WEEK + _inv(self._week, gp - weeks * W)

    def gsup(self, g):
        """Largest wall w with G(w) <= g, or None if G never exceeds g."""
        k = bisect_right(self._E, g)
        if k < len(self._E) and self._S[k] <= g:
            return self._ovd[k] * DAY + _sup(self._ovt[k], g - self._S[k])
        W = self.W
        if not W:
            return None
        weeks, r = divmod(g - self._P[k], W)
        return weeks * WEEK + _sup(self._week, r)

    def day_track(self, n):
        """(starts, ends) of the open intervals of local date n."""
        t = self._ovmap.get(n)
        return t if t is not None else self._dtracks[n % 7]
