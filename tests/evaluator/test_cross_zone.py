"""Calendars across zones (evaluator/instants.py), worked out by hand.

Offsets used (2025): New York UTC-5 in January, UTC-4 in July (summer time from March 9
07:00Z to November 2 06:00Z); Tokyo UTC+9 all year; Paris UTC+1 in January, UTC+2 in
July; Sydney UTC+11 in January (summer time until April 6), UTC+10 in July.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from policyc.evaluator.business_time import CoverageError, NeverOpenError, OutOfRangeError
from policyc.evaluator.instants import ZonedCalendar

UTC = timezone.utc
H = timedelta(hours=1)
WEEKDAYS_9_17 = [[[540, 1020]]] * 5 + [[], []]


def z(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def window(zs, wd, minute, ze, ewd, eminute):
    return {"from": {"zone": zs, "weekday": wd, "minute": minute},
            "until": {"zone": ze, "weekday": ewd, "minute": eminute}}


def calendar(zone, parts=(), windows=()):
    return ZonedCalendar.from_table({"zone": zone, "parts": list(parts), "windows": list(windows)}, "x")


def wall(zone, week=WEEKDAYS_9_17, dates=None, valid=None):
    return {"zone": zone, "week": week, "dates": dates or {}, "valid": valid}


# Friday 17:00 in New York to Monday 09:00 in Tokyo
FOLLOW_THE_SUN = calendar("America/New_York", windows=[window("America/New_York", 4, 1020, "Asia/Tokyo", 0, 540)])


def test_the_follow_the_sun_weekend_lasts_50_hours_in_january():
    # opens Fri 2025-01-10 17:00-05:00 = 22:00Z; closes Mon 2025-01-13 09:00+09:00 = 00:00Z
    cal = FOLLOW_THE_SUN
    assert not cal.is_open(z(2025, 1, 10, 21, 59))
    assert cal.next_open(z(2025, 1, 10, 12)) == z(2025, 1, 10, 22)
    assert cal.is_open(z(2025, 1, 12, 23, 59)) and not cal.is_open(z(2025, 1, 13))
    assert cal.open_between(z(2025, 1, 6), z(2025, 1, 13, 12)) == 50 * H


def test_the_follow_the_sun_weekend_lasts_51_hours_in_july():
    # opens Fri 2025-07-11 17:00-04:00 = 21:00Z; closes Mon 2025-07-14 09:00+09:00 = 00:00Z
    cal = FOLLOW_THE_SUN
    assert cal.next_open(z(2025, 7, 11)) == z(2025, 7, 11, 21)
    assert cal.is_open(z(2025, 7, 13, 23, 59)) and not cal.is_open(z(2025, 7, 14))
    assert cal.open_between(z(2025, 7, 7), z(2025, 7, 14, 12)) == 51 * H


def test_a_4h_target_across_the_weekend_end():
    # January: from Sunday 17:00 New York (22:00Z) 2h remain, then Friday 22:00Z + 2h
    assert FOLLOW_THE_SUN.add(z(2025, 1, 12, 22), 4 * H) == z(2025, 1, 18, 0)
    # July: from Sunday 17:00 New York (21:00Z) 3h remain, then Friday 21:00Z + 1h
    assert FOLLOW_THE_SUN.add(z(2025, 7, 13, 21), 4 * H) == z(2025, 7, 18, 22)


def test_a_window_to_sydney_changes_with_both_hemispheres():
    # New York Fri 17:00 to Sydney Mon 09:00. January: 22:00Z Fri to Mon 09:00+11:00 =
    # Sun 22:00Z, 48h. July: 21:00Z Fri to Mon 09:00+10:00 = Sun 23:00Z, 50h.
    cal = calendar("America/New_York", windows=[window("America/New_York", 4, 1020, "Australia/Sydney", 0, 540)])
    assert cal.open_between(z(2025, 1, 6), z(2025, 1, 13)) == 48 * H
    assert cal.open_between(z(2025, 7, 7), z(2025, 7, 14)) == 50 * H
    assert cal.add(z(2025, 1, 12, 20), 4 * H) == z(2025, 1, 18)  # 2h on Sunday, 2h from Friday 22:00Z


def test_a_window_from_sydney_to_new_york():
    # Sydney Fri 17:00 to New York Mon 09:00. January: Fri 17:00+11:00 = 06:00Z to
    # Mon 09:00-05:00 = 14:00Z, 80h. July: Fri 17:00+10:00 = 07:00Z to Mon 13:00Z, 78h.
    cal = calendar("Australia/Sydney", windows=[window("Australia/Sydney", 4, 1020, "America/New_York", 0, 540)])
    assert cal.next_open(z(2025, 1, 9)) == z(2025, 1, 10, 6)
    assert cal.open_between(z(2025, 1, 7), z(2025, 1, 14)) == 80 * H  # the week before closed Monday 6th 14:00Z
    assert cal.open_between(z(2025, 7, 8), z(2025, 7, 15)) == 78 * H


def test_a_start_in_a_dst_gap_opens_at_the_gap_end_and_a_repeated_one_at_its_first_pass():
    # New York Sun 02:30 until Sun 12:00 UTC. 2025-03-09 02:30 does not exist: it opens at
    # 03:00-04:00 = 07:00Z, 5h; a week before, 02:30-05:00 = 07:30Z, 4h30.
    gap = calendar("America/New_York", windows=[window("America/New_York", 6, 150, "UTC", 6, 720)])
    assert gap.open_between(z(2025, 3, 9), z(2025, 3, 10)) == 5 * H
    assert gap.open_between(z(2025, 3, 2), z(2025, 3, 3)) == 4.5 * H
    # Sun 01:30 until Sun 12:00 UTC. 2025-11-02 01:30 happens twice: the first, -04:00, is
    # 05:30Z, 6h30; the Sunday after, 01:30-05:00 = 06:30Z, 5h30.
    fold = calendar("America/New_York", windows=[window("America/New_York", 6, 90, "UTC", 6, 720)])
    assert fold.open_between(z(2025, 11, 2), z(2025, 11, 3)) == 6.5 * H
    assert fold.open_between(z(2025, 11, 9), z(2025, 11, 10)) == 5.5 * H


# Paris and New York, both Mon-Fri 09:00-17:00; home zone Paris
PARIS_NY = calendar("Europe/Paris", [wall("Europe/Paris"), wall("America/New_York")])


def test_a_union_of_paris_and_new_york():
    # January: Paris 08:00-16:00Z, New York 14:00-22:00Z: one stretch 08:00-22:00Z, 14h
    assert PARIS_NY.open_between(z(2025, 1, 13), z(2025, 1, 14)) == 14 * H
    # 2025-03-17: New York already on summer time (13:00-21:00Z), Paris not: 13h
    assert PARIS_NY.open_between(z(2025, 3, 17), z(2025, 3, 18)) == 13 * H
    # 4h from Monday 20:00Z: 2h to 22:00Z, then Tuesday 08:00Z + 2h
    assert PARIS_NY.add(z(2025, 1, 13, 20), 4 * H) == z(2025, 1, 14, 10)
    assert PARIS_NY.is_open(z(2025, 1, 13, 21, 59)) and not PARIS_NY.is_open(z(2025, 1, 13, 22))


def test_business_days_of_a_union_are_read_in_its_home_zone():
    # Friday 2025-01-17 21:00 Paris: New York's Friday ends 22:00Z = 23:00 Paris, so the
    # next Paris date with open time is Monday 20th: 08:00Z to 22:00Z (23:00 Paris)
    t = z(2025, 1, 17, 20)
    assert PARIS_NY.next_business_day(t, "start") == z(2025, 1, 20, 8)
    assert PARIS_NY.next_business_day(t, "end") == z(2025, 1, 20, 22)
    assert PARIS_NY.business_day(t, 1, "end") == z(2025, 1, 20, 22)
    assert PARIS_NY.business_day(t, 5, "start") == z(2025, 1, 24, 8)


@pytest.mark.parametrize(("received", "due"), [
    (z(2025, 1, 13, 10), z(2025, 1, 14, 10)),  # Monday 11:00 Paris: Tuesday 11:00, open
    (z(2025, 1, 13, 21), z(2025, 1, 14, 21)),  # Monday 22:00 Paris: Tuesday 22:00, New York open
    (z(2025, 1, 13, 22, 30), z(2025, 1, 14, 22)),  # 23:30 Paris: after Tuesday's last closing
    (z(2025, 1, 13, 6), z(2025, 1, 14, 8)),  # 07:00 Paris: before Tuesday's opening
    (z(2025, 1, 18, 10), z(2025, 1, 20, 10)),  # Saturday 11:00 Paris: Monday 11:00
])
def test_one_business_day_at_the_same_time(received, due):
    assert PARIS_NY.business_day(received, 1, "same_time") == due


def test_business_days_against_a_walk_over_the_home_dates():
    # the n-th Paris date after Wednesday 2025-01-15 with open time, walking the dates:
    # every Monday-Friday is one (Paris's own hours); the first-open instant is 08:00Z
    t = z(2025, 1, 15, 12)
    day, found = t.date(), []
    while len(found) < 30:
        day += timedelta(days=1)
        if day.weekday() < 5:
            found.append(day)
    for n in (1, 2, 7, 30):
        assert PARIS_NY.business_day(t, n, "start") == datetime(*found[n - 1].timetuple()[:3], 8, tzinfo=UTC)


def test_valid_ranges_of_parts_are_read_in_their_zones():
    cal = calendar("Europe/Paris", [wall("Europe/Paris", valid={"from": "2025-01-01", "until": "2025-12-31"}),
                                    wall("America/New_York")])
    with pytest.raises(CoverageError, match="outside its valid range"):
        cal.is_open(z(2025, 12, 31, 23))  # 2026-01-01 00:00 in Paris
    with pytest.raises(CoverageError, match="outside its valid range"):
        cal.add(z(2025, 12, 31, 20), 4 * H)  # Wednesday 21:00 Paris: 2h left, then 2026
    assert cal.add(z(2025, 12, 31, 20), 1 * H) == z(2025, 12, 31, 21)


def test_never_open_and_the_supported_years():
    never = calendar("UTC", [wall("UTC", week=[[]] * 7), wall("Asia/Tokyo", week=[[]] * 7)])
    with pytest.raises(NeverOpenError):
        never.add(z(2025, 1, 1), H)
    once = calendar("UTC", [wall("UTC", week=[[]] * 7, dates={"2025-01-02": [[0, 60]]})])
    assert once.add(z(2025, 1, 1), H) == z(2025, 1, 2, 1)
    with pytest.raises(NeverOpenError):
        once.add(z(2025, 1, 1), 2 * H)
    with pytest.raises(OutOfRangeError):
        FOLLOW_THE_SUN.is_open(z(2200, 1, 1))
    with pytest.raises(OutOfRangeError):
        FOLLOW_THE_SUN.add(z(2199, 12, 25), 100 * H)


def test_the_next_business_day_after_a_year_that_ends_closed():
    # Found by the differential test. Home New York, one part in UTC open every day but
    # Thursday. 2026-12-31 is a Thursday: UTC year 2026 ends closed (its last open date in
    # New York is Wednesday 12-30), and UTC 2027 opens on 01-01 00:00Z, which New York reads
    # as Thursday 12-31 19:00. Received 2026-12-31 00:00 in New York (05:00Z), the next
    # business day is Friday 2027-01-01, which opens at its first instant, 05:00Z; not the
    # 00:00Z opening, which is still Thursday 12-31 in New York.
    all_but_thursday = [[[0, 1440]]] * 3 + [[]] + [[[0, 1440]]] * 3
    cal = calendar("America/New_York", parts=[wall("UTC", all_but_thursday)])
    assert cal.business_day(z(2026, 12, 31, 5), 1, "start") == z(2027, 1, 1, 5)
    assert cal.next_business_day(z(2026, 12, 31, 5), "start") == z(2027, 1, 1, 5)
