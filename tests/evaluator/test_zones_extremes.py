"""Business time at the edges: extreme zones, dates at the ends of the supported
years, instants just inside and outside them, durations up to timedelta.max.

Whatever the input, each call answers an instant inside the supported years (and not
before the one asked about), or refuses with one of the documented errors: never
OverflowError or another exception.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from policyc.evaluator.business_time import Calendar, CoverageError, NeverOpenError
from policyc.evaluator.limits import MAX_YEAR, MIN_YEAR

UTC = timezone.utc
LO = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
HI = datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC)
ZONES = ["UTC", "UTC+23:59", "UTC-23:59", "Pacific/Kiritimati", "Pacific/Apia",
         "Pacific/Honolulu", "Australia/Lord_Howe", "America/St_Johns", "Antarctica/Troll",
         "Europe/Moscow", "Europe/Paris"]
FIRST, LAST = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)

dates_in_range = st.one_of(
    st.dates(FIRST, FIRST + timedelta(days=20)), st.dates(LAST - timedelta(days=20), LAST),
    st.dates(date(2011, 12, 25), date(2012, 1, 5)),  # Apia skipped 2011-12-30
    st.dates(FIRST, LAST))
day = st.one_of(st.just([]), st.just([[0, 1440]]), st.tuples(
    st.integers(0, 1439), st.integers(1, 1440)).filter(lambda p: p[0] < p[1]).map(lambda p: [list(p)]))
offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.one_of(
    st.datetimes(datetime(1899, 12, 30), datetime(1900, 1, 3), timezones=st.just(UTC)),
    st.datetimes(datetime(2199, 12, 29), datetime(2200, 1, 2), timezones=st.just(UTC)),
    st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=offsets),
    st.datetimes(datetime(1900, 1, 2), datetime(2199, 12, 30), timezones=st.just(UTC)))
durations = st.one_of(st.integers(0, 10_000).map(lambda m: timedelta(minutes=m)),
                      # every scale up to 2**29 days (about 1.5 million years), evenly
                      st.integers(0, 29).map(lambda e: timedelta(days=2 ** e, seconds=e)),
                      st.timedeltas(timedelta(0), timedelta.max))


def near(t: datetime, days: int) -> str:
    """The date `days` after t's UTC date, kept inside the supported years."""
    d = t.astimezone(UTC).date() if LO <= t < HI else (FIRST if t < LO else LAST)
    return min(max(d + timedelta(days=days), FIRST), LAST).isoformat()


@st.composite
def calendars(draw, t):
    """A calendar whose `valid` range, when it has one, often holds t."""
    week = [draw(day) for _ in range(7)] if draw(st.booleans()) else [[]] * 7
    dates = {d.isoformat(): draw(day) for d in draw(st.lists(dates_in_range, max_size=4))}
    a, b = sorted((draw(dates_in_range), draw(dates_in_range)))
    lo, hi = sorted((draw(st.integers(-400, 3)), draw(st.integers(-3, 400))))
    valid = draw(st.sampled_from([
        None, {"from": a.isoformat(), "until": b.isoformat()},
        {"from": near(t, lo), "until": near(t, hi)}, {"from": None, "until": near(t, hi)}]))
    return Calendar.from_table({"zone": draw(st.sampled_from(ZONES)), "week": week,
                                "dates": dates, "valid": valid}, "edge")


def answered_or_refused(call, t, strictly_after=False):
    try:
        got = call()
    except (CoverageError, NeverOpenError):
        return
    assert got.tzinfo is UTC and LO <= got < HI and (got > t if strictly_after else got >= t)


@given(instants, durations, st.data())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_call_answers_in_range_or_refuses_cleanly(t, duration, data):
    cal = data.draw(calendars(t))
    try:
        assert cal.is_open(t) in (True, False)
    except (CoverageError, NeverOpenError):
        pass
    answered_or_refused(lambda: cal.add(t, duration), t)
    answered_or_refused(lambda: cal.next_open(t), t)
    for edge in ("start", "end"):
        answered_or_refused(lambda: cal.next_business_day(t, edge), t, strictly_after=True)


@pytest.mark.parametrize("zone", ZONES)
def test_the_first_and_last_supported_instants(zone):
    always = Calendar.from_table({"zone": zone, "week": [[[0, 1440]]] * 7}, "always")
    assert always.is_open(LO) and always.next_open(LO) == LO
    last = HI - timedelta(microseconds=1)
    assert always.is_open(last) and always.next_open(last) == last
    assert always.add(last, timedelta(0)) == last
