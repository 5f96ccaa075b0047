"""The open set of a calendar across zones, one UTC year at a time (instants.py uses it).

Standard library only; instants are integer microseconds since zones.EPOCH. `resolve`
gives the instant of a wall reading (the earlier of two, or the first after a DST gap),
`window_intervals` one window's occurrences, and `Year` a year's merged open intervals
with prefix sums and the home dates they touch.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

from .zones import DAY, EPOCH_ORDINAL, day_date


def resolve(zt, w: int) -> int:
    """The instant of wall reading w in a zone: the earlier of two, or the first instant
    after a DST gap that skips w."""
    u = w - 2 * DAY  # reads a wall before w: an offset is under a day
    while True:
        p, q, o = zt.segment(u)
        if w - o < p:  # the readings jumped over w at p
            return p
        if w - o < q:
            return w - o
        u = q


def year_of(u: int) -> int:
    return day_date(u // DAY).year


def year_start(year: int) -> int:
    return (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY


def merge(raw):
    """Sorted, disjoint, non-touching intervals from any (a, b) pairs."""
    out: list[list[int]] = []
    for a, b in sorted(raw):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


class Year:
    """The open intervals of one UTC year, with prefix sums and the home dates they touch."""

    __slots__ = ("starts", "ends", "cum", "cumend", "total", "days")

    def __init__(self, ivs, home):
        self.starts = [a for a, _ in ivs]
        self.ends = [b for _, b in ivs]
        self.cum, self.cumend, c = [], [], 0
        for a, b in ivs:
            self.cum.append(c)
            c += b - a
            self.cumend.append(c)
        self.total = c
        days = set()
        for a, b in ivs:  # the home dates read by some open instant
            v = a
            while v < b:
                _, q, o = home.segment(v)
                e = min(b, q)
                days.update(range((v + o) // DAY, (e - 1 + o) // DAY + 1))
                v = e
        self.days = sorted(days)

    def before(self, u: int) -> int:
        """Open time of the year before instant u."""
        i = bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        return self.cum[i] + min(u - self.starts[i], self.ends[i] - self.starts[i])

    def reach(self, g: int) -> int:
        """The earliest instant before which the year holds g of open time (0 < g <= total)."""
        i = bisect_left(self.cumend, g)
        return self.starts[i] + g - self.cum[i]


def window_intervals(w, lo: int, hi: int) -> list[tuple[int, int]]:
    """The stretches of [lo, hi) inside one window's occurrences."""
    (zs, wd, ms), (ze, ewd, me) = w
    out = []
    n = (lo - 10 * DAY) // DAY  # an occurrence lasts under 9 days (a week, plus offsets)
    n += (wd - n) % 7
    while True:
        a = resolve(zs, n * DAY + ms)
        if a >= hi:
            return out
        b = _close(ze, ewd, me, a)
        if b > lo:
            out.append((max(a, lo), min(b, hi)))
        n += 7


def _close(zt, wd, minute: int, a: int) -> int:
    """The first instant after a whose reading is the end's weekday (any if None) and time."""
    m = a // DAY - 2
    step = 1
    if wd is not None:
        m += (wd - m) % 7
        step = 7
    while True:
        c = resolve(zt, m * DAY + minute)
        if c > a:
            return c
        m += step
