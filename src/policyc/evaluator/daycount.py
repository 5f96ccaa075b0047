"""Business dates of a calendar's local rules, counted in O(log n): C(d) and its inverse.

Standard library only.  Day n (days since 2001-01-01, a Monday) is a *nominal business
date* if its intervals (its override's, else its weekday's) are not empty.  Like G in
walltime.py, C(d), the number of nominal business dates before day d, is whole weeks
times B (the open weekdays) plus the week's own prefix, plus the prefix sum of each
override's delta (+1 an override opens a closed weekday, -1 it closes an open one).
Its inverse bisects the prefix sums once, then divides by B: neither grows with the
number of days counted.  Dates whose open hours never happen (a DST gap) are the
caller's (business_days.py): they are rare and found from the zone's transitions.
"""

from __future__ import annotations

from bisect import bisect_left


class DayCount:
    """C(d) and the date holding a given business index, for weekdays and overrides."""

    def __init__(self, week_open, overrides):
        """`week_open`: 7 booleans (Monday first), whether each weekday has intervals;
        `overrides`: {day number: whether that date has intervals}."""
        self._cum = [0]
        for is_open in week_open:
            self._cum.append(self._cum[-1] + bool(is_open))
        self.B = self._cum[-1]
        # only the overrides that change a date's status count; E[k] = C(date_k + 1)
        self._dates = sorted(n for n, o in overrides.items() if bool(o) != bool(week_open[n % 7]))
        self._P, self._E = [0], []
        for n in self._dates:
            self._P.append(self._P[-1] + (1 if overrides[n] else -1))
            self._E.append(self._nominal(n + 1) + self._P[-1])

    def _nominal(self, d):
        weeks, i = divmod(d, 7)
        return weeks * self.B + self._cum[i]

    def count(self, d):
        """C(d): nominal business dates before day d (negative before the origin)."""
        return self._nominal(d) + self._P[bisect_left(self._dates, d)]

    def date_of(self, j):
        """The nominal business date with C(date) == j (the j-th from the origin, from 0),
        or None if there is none (no open weekday, and past the last open override)."""
        g = j + 1  # smallest d with C(d) >= g is that date + 1
        k = bisect_left(self._E, g)
        if self.B:
            r = g - self._P[k]
            weeks = -(-r // self.B) - 1
            d = weeks * 7 + bisect_left(self._cum, r - weeks * self.B)
            if k == len(self._dates) or d <= self._dates[k]:
                return d - 1
        elif k == len(self._dates):
            return None
        return self._dates[k]  # C(date_k + 1) reaches g first: date_k itself is the date
