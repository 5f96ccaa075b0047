"""When a target row falls due on a clock: one code path for answers and for checks.

`amount` turns a row's target into D, the counted time it allows from an occurrence's
start (for a target in business days, the open time up to `Calendar.business_day`; for
`same_time`, read from the clock's start: the start itself, or the next opening when the
occurrence starts outside hours);
`due_on` finds where a clock's counted time reaches D. `unpaused_due` is the due time
of an occurrence that is never paused (what `decide` answers, and what the compiler's
checks compare). `cal` is always the row's calendar, already resolved.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .clock import REAL, Clock, period_amount

def amount(cal, row, start: datetime) -> timedelta | None:
    """D: the counted time the target allows from `start` (None: no time promised)."""
    if row.kind == "duration":
        return row.amount
    if row.kind == "next_business_day":
        return cal.open_between(start, cal.next_business_day(start, row.amount))
    if row.kind == "business_days":
        n, edge = row.amount
        # `same_time` counts from where the clock starts: a ticket received on Saturday
        # has until the same time on the business day after Monday's opening, so it is
        # due at Monday's closing (the same business time as Tuesday's opening), never
        # at a time of day Saturday's arrival would pick on Monday
        origin = cal.next_open(start) if edge == "same_time" else start
        return cal.open_between(start, cal.business_day(origin, n, edge))
    if row.kind == "period":
        return period_amount(cal.zone, start, row.amount)
    return None


def counted_on(cal, row):
    """The calendar a row's clock counts on: real time for a `period` target."""
    return REAL if row.kind == "period" else cal


def due_on(clock: Clock, cal, row, d: timedelta) -> datetime:
    """The instant at which `clock` has counted D of the row's target."""
    due = clock.reach(d)
    if _at_opening(cal, row, clock.start):
        due = cal.next_open(due)  # reach stops at the closing before; the target is the opening
    return due


def _at_opening(cal, row, start: datetime) -> bool:
    """Whether the row's unpaused due is an opening (the start of a day): where reach, which
    stops at the closing before, must go on to the opening. A `same_time` due is the
    earliest instant with its business time, like a duration's."""
    if row.kind == "next_business_day":
        return row.amount == "start"
    return row.kind == "business_days" and row.amount[1] == "start"


def unpaused_due(cal, row, start: datetime) -> datetime | None:
    """The due time of an occurrence started at `start` and never paused (None: no target)."""
    d = amount(cal, row, start)
    if d is None:
        return None
    return due_on(Clock(counted_on(cal, row), start, start, []), cal, row, d)
