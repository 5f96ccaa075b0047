"""open_intervals: a wall calendar's open time as real intervals, checked by hand."""

from datetime import datetime, timezone

from policyc.evaluator.business_time import Calendar
from policyc.evaluator.intervals import open_intervals
from policyc.evaluator.zones import from_us, to_us

WEEKDAYS_8_16 = [[[480, 960]]] * 5 + [[], []]


def _utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def _spans(cal, a, b):
    return [(from_us(x), from_us(y)) for x, y in open_intervals(cal, to_us(a), to_us(b))]


def test_paris_week_in_winter_and_a_holiday():
    # Europe/Paris is UTC+1 in January: 08:00-16:00 local is 07:00-15:00Z; 2025-01-01 is closed
    cal = Calendar("Europe/Paris", WEEKDAYS_8_16, {"2025-01-01": []})
    got = _spans(cal, _utc(2024, 12, 31), _utc(2025, 1, 3))
    assert got == [(_utc(2024, 12, 31, 7), _utc(2024, 12, 31, 15)),
                   (_utc(2025, 1, 2, 7), _utc(2025, 1, 2, 15))]


def test_repeated_hour_is_open_twice_and_missing_hour_not_at_all():
    # New York, 2025-11-02: 01:00-02:00 EDT happens, then 01:00-02:00 EST again.
    # A window 01:00-02:00 is open 05:00-06:00Z and 06:00-07:00Z: two hours, merged.
    cal = Calendar("America/New_York", [[[60, 120]]] * 7)
    got = _spans(cal, _utc(2025, 11, 2), _utc(2025, 11, 3))
    assert got == [(_utc(2025, 11, 2, 5), _utc(2025, 11, 2, 7))]
    # 2025-03-09: 02:00-03:00 never happens; a window 02:00-03:00 holds no instant that day
    cal = Calendar("America/New_York", [[[120, 180]]] * 7)
    assert _spans(cal, _utc(2025, 3, 9), _utc(2025, 3, 10)) == []


def test_window_over_midnight_is_one_interval_and_clipped_to_the_range():
    # open fri 16:00 - mon 08:00 in UTC: pieces on each date merge into one interval
    cal = Calendar("UTC", [[[0, 480]], [], [], [], [[960, 1440]], [[0, 1440]], [[0, 1440]]])
    got = _spans(cal, _utc(2025, 6, 13, 18), _utc(2025, 6, 16, 6))
    assert got == [(_utc(2025, 6, 13, 18), _utc(2025, 6, 16, 6))]
