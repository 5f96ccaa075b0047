"""Hand-worked cases of targets in business days (docs/table-format.md, "Business days").

Each case quotes the sentence of a regulation it reads, and works the expected instant
out in its comment. The three readings: `same_time` ("1 business day": the same time on
the next business day), `start` and `end` (the start or the end of the n-th business
day). Instants are written in UTC (`Z`), local times with `L` where unambiguous.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from policyc.evaluator.business_time import Calendar, CoverageError, NeverOpenError
from policyc.evaluator.clock import Clock
from policyc.evaluator.daycount import DayCount
from policyc.evaluator.decision import target_row
from policyc.evaluator.due import amount, due_on, unpaused_due

UTC = timezone.utc
H = timedelta(hours=1)
OFFICE = [[[540, 1080]]] * 5 + [[], []]  # Mon-Fri 09:00-18:00


def cal(week, zone="Europe/Paris", dates=None, valid=None):
    return Calendar.from_table({"zone": zone, "week": week, "dates": dates or {}, "valid": valid}, "test")


def Z(s):
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def L(s, zone="Europe/Paris"):
    return datetime.fromisoformat(s).replace(tzinfo=ZoneInfo(zone))


def row(days, edge):
    return target_row({"target": {"kind": "business_days", "days": days, "edge": edge}, "calendar": "c",
                       "guarantee": "always", "source": []})


# Paris, Mon-Fri 09:00-18:00; Thu 2025-05-01 (Labour Day) closed; Wed 2025-12-24 09:00-12:00
# (a short day), Thu 2025-12-25 closed
PARIS = cal(OFFICE, dates={"2025-05-01": [], "2025-12-24": [[540, 720]], "2025-12-25": []})


# -- Calendar.business_day, the date arithmetic under every business-day target ---------------
# It reads the dates from the instant it is given. A `1 business day` TARGET first moves a
# start outside hours to the next opening (due.py); test_unpaused_due_is_the_business_day
# below covers that reading.
def test_inside_hours_the_same_time_next_day():
    # Mon 2025-06-02 10:00 CEST -> Tue 10:00 CEST = 08:00Z
    assert PARIS.business_day(L("2025-06-02 10:00"), 1, "same_time") == Z("2025-06-03 08:00")
    # three business days: Tue, Wed, Thu -> Thu 2025-06-05 10:00 CEST = 08:00Z
    assert PARIS.business_day(L("2025-06-02 10:00"), 3, "same_time") == Z("2025-06-05 08:00")


def test_after_hours_is_the_close_and_before_hours_the_opening():
    # Mon 20:00: Tue 20:00 is after Tue's 18:00 closing -> Tue 18:00 CEST = 16:00Z
    assert PARIS.business_day(L("2025-06-02 20:00"), 1, "same_time") == Z("2025-06-03 16:00")
    # Mon 06:00: Tue 06:00 is before Tue's opening -> Tue 09:00 CEST = 07:00Z
    assert PARIS.business_day(L("2025-06-02 06:00"), 1, "same_time") == Z("2025-06-03 07:00")
    # Sat 2025-06-07 10:00: Sunday is closed, Monday 2025-06-09 is the first -> 10:00 CEST = 08:00Z
    assert PARIS.business_day(L("2025-06-07 10:00"), 1, "same_time") == Z("2025-06-09 08:00")


def test_on_a_holiday_eve():
    # Wed 2025-04-30 15:00: Thu 05-01 is closed, so the next business day is Fri 05-02,
    # 15:00 CEST = 13:00Z
    assert PARIS.business_day(L("2025-04-30 15:00"), 1, "same_time") == Z("2025-05-02 13:00")
    # "by the end of the second business day": Fri 05-02, Mon 05-05 -> 18:00 CEST = 16:00Z
    assert PARIS.business_day(L("2025-04-30 15:00"), 2, "end") == Z("2025-05-05 16:00")
    # "from the start of the next business day": Fri 05-02 09:00 CEST = 07:00Z
    assert PARIS.business_day(L("2025-04-30 15:00"), 1, "start") == Z("2025-05-02 07:00")


def test_on_a_short_day():
    # Tue 2025-12-23 15:00 CET: Wed 12-24 closes at 12:00, so 15:00 is after it -> 12:00 CET = 11:00Z
    assert PARIS.business_day(L("2025-12-23 15:00"), 1, "same_time") == Z("2025-12-24 11:00")
    assert PARIS.business_day(L("2025-12-23 15:00"), 1, "end") == Z("2025-12-24 11:00")
    # Tue 10:00 -> Wed 10:00 CET = 09:00Z (open on the short day)
    assert PARIS.business_day(L("2025-12-23 10:00"), 1, "same_time") == Z("2025-12-24 09:00")
    # two business days: Wed 12-24, then Thu 12-25 is closed, Fri 12-26 15:00 CET = 14:00Z
    assert PARIS.business_day(L("2025-12-23 15:00"), 2, "same_time") == Z("2025-12-26 14:00")


# -- Russia: Saturday 2025-11-01 is a working day (transferred), Mon 11-03 off, Tue 11-04 a holiday
MOSCOW = cal(OFFICE, "Europe/Moscow", {"2025-11-01": [[540, 1080]], "2025-11-03": [], "2025-11-04": []})


def test_before_a_transferred_working_saturday():
    # "ответ в течение 1 рабочего дня": Fri 2025-10-31 11:00 MSK (UTC+3) -> Sat 11-01 11:00 MSK = 08:00Z
    assert MOSCOW.business_day(L("2025-10-31 11:00", "Europe/Moscow"), 1, "same_time") == Z("2025-11-01 08:00")
    # two: Sat 11-01, then Mon 11-03 and Tue 11-04 are off -> Wed 11-05 11:00 MSK = 08:00Z
    assert MOSCOW.business_day(L("2025-10-31 11:00", "Europe/Moscow"), 2, "same_time") == Z("2025-11-05 08:00")
    # the start of the next business day: Sat 09:00 MSK = 06:00Z
    assert MOSCOW.business_day(L("2025-10-31 11:00", "Europe/Moscow"), 1, "start") == Z("2025-11-01 06:00")


# -- across DST: Europe/Paris changes on the last Sundays of March and October ------------------
def test_across_the_spring_change():
    # Fri 2025-03-28 10:00 CET (09:00Z) -> Mon 03-31 10:00 CEST = 08:00Z (71 real hours later)
    assert PARIS.business_day(L("2025-03-28 10:00"), 1, "same_time") == Z("2025-03-31 08:00")
    # Mon 03-31 18:00 CEST = 16:00Z
    assert PARIS.business_day(L("2025-03-28 10:00"), 1, "end") == Z("2025-03-31 16:00")


def test_across_the_autumn_change():
    # Fri 2025-10-24 10:00 CEST (08:00Z) -> Mon 10-27 10:00 CET = 09:00Z
    assert PARIS.business_day(L("2025-10-24 10:00"), 1, "same_time") == Z("2025-10-27 09:00")


def test_a_time_of_day_that_does_not_happen_or_happens_twice():
    always = cal([[[0, 1440]]] * 7)
    # Sat 2025-03-29 02:30 CET (01:30Z): Sun 03-30 02:30 falls in the gap (02:00 -> 03:00):
    # the first instant after it, 03:00 CEST = 01:00Z
    assert always.business_day(Z("2025-03-29 01:30"), 1, "same_time") == Z("2025-03-30 01:00")
    # Sat 2025-10-25 02:30 CEST (00:30Z): Sun 10-26 02:30 happens twice: the earlier, CEST = 00:30Z
    assert always.business_day(Z("2025-10-25 00:30"), 1, "same_time") == Z("2025-10-26 00:30")


def test_a_date_whose_hours_never_happen_is_no_business_day():
    # open 02:00-02:45 every day: on Sun 2025-03-30 those walls do not exist, so from
    # Sat 03-29 02:10 CET the next business day is Mon 03-31, 02:10 CEST = 00:10Z
    night = cal([[[120, 165]]] * 7)
    assert night.business_day(Z("2025-03-29 01:10"), 1, "same_time") == Z("2025-03-31 00:10")
    assert night.business_day(Z("2025-03-29 01:10"), 1, "start") == Z("2025-03-31 00:00")


# -- a window over midnight: Mon 22:00 -> Sat 06:00 nights, UTC -------------------------------
NIGHTS = cal([[[1320, 1440]]] + [[[0, 360], [1320, 1440]]] * 4 + [[[0, 360]], []], "UTC")


def test_a_window_over_midnight():
    # a business day is a date with open time: Mon (22-24), Tue-Fri (00-06, 22-24), Sat (00-06)
    # Mon 2025-06-02 23:00 -> Tue 23:00 (open)
    assert NIGHTS.business_day(Z("2025-06-02 23:00"), 1, "same_time") == Z("2025-06-03 23:00")
    # its start is Tue 00:00 and its end Tue 24:00
    assert NIGHTS.business_day(Z("2025-06-02 23:00"), 1, "start") == Z("2025-06-03 00:00")
    assert NIGHTS.business_day(Z("2025-06-02 23:00"), 1, "end") == Z("2025-06-04 00:00")
    # Fri 06-06 23:00 -> Sat 06-07, closed at 23:00 after its last closing 06:00 -> Sat 06:00
    assert NIGHTS.business_day(Z("2025-06-06 23:00"), 1, "same_time") == Z("2025-06-07 06:00")
    # Sat 10:00 -> Sunday has no hours; Mon 06-09 10:00 is before its opening -> Mon 22:00
    assert NIGHTS.business_day(Z("2025-06-07 10:00"), 1, "same_time") == Z("2025-06-09 22:00")


# -- the interface ------------------------------------------------------------------------------
@pytest.mark.parametrize("t", [L("2025-06-02 10:00"), L("2025-04-30 20:00"), L("2025-03-28 10:00")])
def test_next_business_day_is_one_business_day(t):
    for edge in ("start", "end"):
        assert PARIS.next_business_day(t, edge) == PARIS.business_day(t, 1, edge)


def test_never_open_and_coverage():
    with pytest.raises(NeverOpenError):
        cal([[]] * 7).business_day(Z("2025-06-02 10:00"), 1)
    # open on two dates only: the third business day does not exist
    two = cal([[]] * 7, dates={"2025-06-03": [[540, 600]], "2025-06-04": [[540, 600]]})
    assert two.business_day(Z("2025-06-02 10:00"), 2, "end") == Z("2025-06-04 08:00")
    with pytest.raises(NeverOpenError):
        two.business_day(Z("2025-06-02 10:00"), 3)
    # valid until Wed 2025-06-04: Thu is outside it
    short = cal(OFFICE, valid={"from": "2025-01-01", "until": "2025-06-04"})
    with pytest.raises(CoverageError, match="2025-06-05"):
        short.business_day(L("2025-06-02 10:00"), 3)
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError):
            PARIS.business_day(Z("2025-06-02 10:00"), bad)
    with pytest.raises(ValueError):
        PARIS.business_day(Z("2025-06-02 10:00"), 1, "noon")


def test_250_business_days():
    # Mon 2025-06-02 10:00 + 250 business days = 50 weeks of five (no holiday in
    # PARIS between June 2025 and May 2026 but 2025-12-25 and the short 12-24: the
    # short day counts, Christmas does not) -> 49 weeks and 5 days + 1 = Tue 2026-05-19
    assert PARIS.business_day(L("2025-06-02 10:00"), 250, "same_time") == Z("2026-05-19 08:00")
    # without the holiday, 50 weeks exactly: Mon 2026-05-18
    assert cal(OFFICE).business_day(L("2025-06-02 10:00"), 250, "same_time") == Z("2026-05-18 08:00")


# -- due.py: the amount and pauses -----------------------------------------------------------------
def test_unpaused_due_is_the_business_day():
    # The edges are the business day's own instants.
    for t in (L("2025-06-02 10:00"), L("2025-06-02 06:00"), L("2025-06-02 09:00"), L("2025-06-02 20:00")):
        for edge in ("start", "end"):
            assert unpaused_due(PARIS, row(2, edge), t) == PARIS.business_day(t, 2, edge), (t, edge)
    # `2 business days` (hours 09-18) counts the open time from the clock's start to the
    # same time two business days later, and is due at the earliest instant with it:
    # Mon 2025-06-02 10:00 -> Wed 10:00 CEST (08:00Z): inside hours, the same time
    assert unpaused_due(PARIS, row(2, "same_time"), L("2025-06-02 10:00")) == Z("2025-06-04 08:00")
    # Mon 06:00 and Mon 09:00: the clock starts at 09:00; Mon 09:00 -> Wed 09:00 is 18h of
    # open time, all of it used by Tue 18:00 CEST (16:00Z), the closing before Wed's opening
    for t in ("2025-06-02 06:00", "2025-06-02 09:00"):
        assert unpaused_due(PARIS, row(2, "same_time"), L(t)) == Z("2025-06-03 16:00"), t
    # Mon 20:00: the clock starts Tue 09:00; to Thu 09:00 is 18h, used by Wed 18:00 (16:00Z)
    assert unpaused_due(PARIS, row(2, "same_time"), L("2025-06-02 20:00")) == Z("2025-06-04 16:00")


def test_a_pause_moves_the_due_by_the_open_time_it_took():
    # Mon 2025-06-02 10:00, `1 business day`: due Tue 10:00, 9h of open time (Mon 10-18, Tue 09-10).
    # Paused Mon 12:00-15:00 (3h open): the 9h run Mon 10-12, 15-18 (5h), Tue 09:00-13:00
    # -> Tue 13:00 CEST = 11:00Z
    r, start = row(1, "same_time"), L("2025-06-02 10:00")
    d = amount(PARIS, r, start)
    assert d == 9 * H
    clock = Clock(PARIS, start, L("2025-06-05 00:00"), [(L("2025-06-02 12:00"), L("2025-06-02 15:00"))])
    assert due_on(clock, PARIS, r, d) == Z("2025-06-03 11:00")


def test_a_due_at_an_opening_stays_at_the_opening():
    # Mon 06:00, `1 business day start`: Tue's opening, 09:00; the amount is Mon 09-18, 9h.
    # A pause Mon 06:00-08:00 takes no open time: reaching 9h stops at Mon 18:00, and the
    # due is the next opening, Tue 09:00 CEST = 07:00Z
    r, start = row(1, "start"), L("2025-06-02 06:00")
    clock = Clock(PARIS, start, L("2025-06-05 00:00"), [(L("2025-06-02 06:00"), L("2025-06-02 08:00"))])
    assert due_on(clock, PARIS, r, amount(PARIS, r, start)) == Z("2025-06-03 07:00")
    # `1 business day` (same time) from Mon 06:00: the clock starts at 09:00, the same time
    # on Tuesday is 9h of open time later, used by Mon 18:00 CEST = 16:00Z: a same-time due
    # is the earliest instant with its business time, as a duration's is (not Tue 09:00)
    r = row(1, "same_time")
    clock = Clock(PARIS, start, L("2025-06-05 00:00"), [(L("2025-06-02 06:00"), L("2025-06-02 08:00"))])
    assert due_on(clock, PARIS, r, amount(PARIS, r, start)) == Z("2025-06-02 16:00")
    # `1 business day end` from Mon 20:00: Tue 18:00 is a closing and stays one
    e = row(1, "end")
    clock = Clock(PARIS, L("2025-06-02 20:00"), L("2025-06-05 00:00"), [])
    assert due_on(clock, PARIS, e, amount(PARIS, e, L("2025-06-02 20:00"))) == Z("2025-06-03 16:00")


def test_labels():
    assert [row(1, e).label for e in ("same_time", "start", "end")] == [
        "1_business_days", "1_business_days_start", "1_business_days_end"]


def test_day_count_with_overrides():
    # day 0 is Monday 2001-01-01; Mon-Fri open; Saturday day 5 opened, Monday day 7 closed
    c = DayCount([True] * 5 + [False] * 2, {5: True, 7: False, 8: True})  # day 8 (Tue) changes nothing
    assert [c.count(d) for d in range(10)] == [0, 1, 2, 3, 4, 5, 6, 6, 6, 7]
    assert [c.date_of(j) for j in range(8)] == [0, 1, 2, 3, 4, 5, 8, 9]
    # before the origin: day -3 is Friday 2000-12-29, the business date with index -1
    assert (c.count(-7), c.date_of(-1), c.date_of(-5)) == (-5, -3, -7)
    # open on override dates only: none after the last
    only = DayCount([False] * 7, {3: True, 10: True})
    assert (only.date_of(0), only.date_of(1), only.date_of(2)) == (3, 10, None)
