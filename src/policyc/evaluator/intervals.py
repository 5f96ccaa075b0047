"""A wall calendar's open time as real-time intervals: what checks and unions work on.

`open_intervals(cal, lo, hi)` lists the instants of [lo, hi) that are open on a
`business_time.Calendar`, as sorted, disjoint, non-touching half-open intervals of
microseconds since zones.EPOCH. It is exact in the calendar's meaning (an instant is
open when its wall reading lies in an interval of its local date): every
constant-offset piece of the zone is mapped on its own, so a missing hour holds no
instant and a repeated hour is open twice. The calendar's `valid` range is not
applied; callers that must refuse instants outside it check it themselves.
"""

from __future__ import annotations

from .openset import merge
from .zones import DAY


def open_intervals(cal, lo: int, hi: int) -> list[tuple[int, int]]:
    """The open real time of `cal` in [lo, hi) as merged [a, b) microsecond intervals."""
    if hi <= lo:
        return []
    raw = []
    # an instant reads a wall within a day of itself, so these dates hold every reading
    for n in range((lo - DAY) // DAY, (hi + DAY) // DAY + 1):
        st, en = cal._day_track(n)
        for s, e in zip(st, en):
            raw.extend(_instants(cal._zt, n * DAY + s, n * DAY + e, lo, hi))
    return [(a, b) for a, b in merge(raw)]


def _instants(zt, wa: int, wb: int, lo: int, hi: int):
    """The instants of [lo, hi) whose wall reading lies in [wa, wb): one interval per
    constant-offset piece that reads some of those walls."""
    u = max(wa - DAY, lo)
    end = min(wb + DAY, hi)
    while u < end:
        p, q, o = zt.segment(u)
        a, b = max(wa - o, p, lo), min(wb - o, q, hi)
        if a < b:
            yield a, b
        u = q
