"""When a target row falls due on a clock: one code path for answers and for checks.

`amount` turns a row's target into D, the counted time it allows from an occurrence's
start (for a target in business days, the open time up to `Calendar.business_day`);
`due_on` finds where a clock's counted time reaches D. `unpaused_due` is the due time
of an occurrence that is never paused (what `decide` answers, and what the compiler's
checks compare). `cal` is always the row's calendar, already resolved.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .clock import REAL, Clock, period_amount

_INSTANT = timedelta(microseconds=1)  # instants are whole microseconds


def amount(cal, row, start: datetime) -> timedelta | None:
    """D: the counted time the target allows from `start` (None: no time promised)."""
    if row.kind == "duration":
        return row.amount
    if row.kind == "next_business_day":
        return cal.open_between(start, cal.next_business_day(start, row.amount))
    if row.kind == "business_days":
        return cal.open_between(start, cal.business_day(start, *row.amount))
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
    """Whether the row's unpaused due is an opening: the start of a day, or a `same_time`
    due moved to an opening (or falling on one)."""
    if row.kind == "next_business_day":
        return row.amount == "start"
    if row.kind != "business_days":
        return False
    if row.amount[1] != "same_time":
        return row.amount[1] == "start"
    due = cal.business_day(start, *row.amount)  # remembered by the calendar since `amount`
    return cal.is_open(due) and not cal.is_open(due - _INSTANT)


def unpaused_due(cal, row, start: datetime) -> datetime | None:
    """The due time of an occurrence started at `start` and never paused (None: no target)."""
    d = amount(cal, row, start)
    if d is None:
        return None
    return due_on(Clock(counted_on(cal, row), start, start, []), cal, row, d)
