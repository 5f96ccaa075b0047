"""Differential test: the business-time engine against a brute-force oracle.

The oracle knows nothing of the engine: it steps real UTC time minute by minute,
converts each minute to the calendar's zone with `datetime.astimezone`, looks up the
local date in `dates` (else the weekday in `week`) and counts the minute if its local
minute-of-day lies in an interval.  All windows are whole minutes, all zones used
have whole-minute offsets and all offset changes happen on whole minutes, so with
starts on whole minutes openness is constant within each real minute and the oracle
is exact.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from policyc.evaluator.business_time import Calendar, CoverageError, NeverOpenError

UTC = timezone.utc
ONE_MIN = timedelta(minutes=1)

ZONES = ["Europe/Paris", "America/New_York", "Europe/Moscow", "Australia/Lord_Howe",
         "Asia/Kathmandu", "UTC", "UTC+02:00", "UTC-09:30"]

# Offset changes 2024-2027, worked out by hand from the rules (EU: last Sunday of
# March/October at 01:00Z; US: second Sunday of March 02:00 EST, first Sunday of
# November 02:00 EDT; Lord Howe: first Sunday of April 02:00 +11, first Sunday of
# October 02:00 +10:30).  test_transition_list checks them against zoneinfo.
TRANSITIONS = {
    "Europe/Paris": ["2024-03-31T01:00", "2024-10-27T01:00", "2025-03-30T01:00",
                     "2025-10-26T01:00", "2026-03-29T01:00", "2026-10-25T01:00",
                     "2027-03-28T01:00", "2027-10-31T01:00"],
    "America/New_York": ["2024-03-10T07:00", "2024-11-03T06:00", "2025-03-09T07:00",
                         "2025-11-02T06:00", "2026-03-08T07:00", "2026-11-01T06:00",
                         "2027-03-14T07:00", "2027-11-07T06:00"],
    "Australia/Lord_Howe": ["2024-04-06T15:00", "2024-10-05T15:30", "2025-04-05T15:00",
                            "2025-10-04T15:30", "2026-04-04T15:00", "2026-10-03T15:30",
                            "2027-04-03T15:00", "2027-10-02T15:30"],
}
TRANSITION_INSTANTS = {
    z: [datetime.fromisoformat(s).replace(tzinfo=UTC) for s in v] for z, v in TRANSITIONS.items()}


def oracle_zone(spec):
    if spec == "UTC":
        return UTC
    if spec.startswith("UTC"):
        sign = -1 if spec[3] == "-" else 1
        return timezone(sign * timedelta(hours=int(spec[4:6]), minutes=int(spec[7:9])))
    return ZoneInfo(spec)


class Oracle:
    def __init__(self, obj):
        self.tz = oracle_zone(obj["zone"])
        self.week = obj["week"]
        self.dates = {date.fromisoformat(k).toordinal(): v for k, v in obj["dates"].items()}
        self._bitmaps = {}

    def intervals(self, ordinal):
        if ordinal in self.dates:
            return self.dates[ordinal]
        return self.week[date.fromordinal(ordinal).weekday()]

    def bitmap(self, ordinal):
        bm = self._bitmaps.get(ordinal)
        if bm is None:
            bm = bytearray(1440)
            for a, b in self.intervals(ordinal):
                bm[a:b] = b"\1" * (b - a)
            self._bitmaps[ordinal] = bm
        return bm

    def minute_open(self, t):
        loc = t.astimezone(self.tz)
        return self.bitmap(loc.toordinal())[loc.hour * 60 + loc.minute] == 1

    def add(self, start, minutes, give_up_after):
        """End of the minute where the open-minute count reaches `minutes`, or None if
        the local date passes `give_up_after` (an ordinal) first."""
        tz, bitmap, cur, count = self.tz, self.bitmap, start, 0
        while True:
            loc = cur.astimezone(tz)
            o = loc.toordinal()
            if bitmap(o)[loc.hour * 60 + loc.minute]:
                count += 1
                if count == minutes:
                    return cur + ONE_MIN
            elif o > give_up_after:
                return None
            cur += ONE_MIN

    def next_business_day(self, t):
        d0 = t.astimezone(self.tz).toordinal()
        for d in range(d0 + 1, d0 + 400):
            if not self.intervals(d):
                continue
            first = last = None
            midnight = datetime.fromordinal(d).replace(tzinfo=UTC)
            cur, end = midnight - timedelta(hours=15), midnight + timedelta(hours=39)
            while cur < end:  # every real minute that could read as local date d
                loc = cur.astimezone(self.tz)
                if loc.toordinal() == d and self.bitmap(d)[loc.hour * 60 + loc.minute]:
                    first = first or cur
                    last = cur + ONE_MIN
                cur += ONE_MIN
            if first is not None:
                return first, last
        raise AssertionError("no business day within 400 days")


# ---------------------------------------------------------------------------------
BOUNDS = [0, 60, 120, 150, 180, 480, 960, 1380, 1410, 1440]
minute_of_day = st.one_of(st.sampled_from(BOUNDS), st.integers(0, 1440))


@st.composite
def day_intervals(draw, max_n=3):
    if draw(st.integers(0, 9)) == 0:
        return [[0, 1440]]
    n = draw(st.integers(0, max_n))
    pts = sorted(draw(st.sets(minute_of_day, min_size=2 * n, max_size=2 * n)))
    return [[pts[i], pts[i + 1]] for i in range(0, 2 * n, 2)]


@st.composite
def scenarios(draw, allow_empty_week=False):
    zone = draw(st.sampled_from(ZONES))
    kind = draw(st.integers(0, 5))
    if kind == 0:  # a window over the weekend: Fri x -> Mon y
        x, y = draw(minute_of_day.filter(lambda m: m < 1440)), draw(minute_of_day.filter(bool))
        week = [[[0, y]], [], [], [], [[x, 1440]], [[0, 1440]], [[0, 1440]]]
    elif kind == 1:  # a window over midnight every day
        x, y = draw(st.integers(1, 1439)), draw(st.integers(1, 1439))
        day = [[0, y], [x, 1440]] if y < x else [[0, 1440]]
        week = [day] * 7
    else:
        week = [draw(day_intervals()) for _ in range(7)]
    weekly = sum(b - a for day in week for a, b in day)
    if not allow_empty_week:
        assume(weekly > 0)
    if zone in TRANSITION_INSTANTS and draw(st.integers(0, 3)):
        t0 = draw(st.sampled_from(TRANSITION_INSTANTS[zone]))
        start = t0 + timedelta(minutes=draw(st.integers(-48 * 60, 12 * 60)))
    else:
        start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(
            minutes=draw(st.integers(0, 4 * 365 * 1440)))
    d0 = start.date()
    dates = {}
    for _ in range(draw(st.integers(0, 4))):
        d = d0 + timedelta(days=draw(st.integers(-2, 14)))
        dates[d.isoformat()] = draw(st.one_of(st.just([]), day_intervals()))
    obj = {"zone": zone, "week": week, "dates": dates, "valid": None, "label": {"en": "x"}}
    return obj, start, weekly


@given(scenarios(allow_empty_week=True), st.data())
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.filter_too_much])
def test_add_matches_oracle(scenario, data):
    obj, start, weekly = scenario
    cap = 12_000 if weekly == 0 else max(1, min(12_000, 4 * weekly))  # 200 h, or ~4 weeks
    minutes = data.draw(st.one_of(st.integers(1, 16 * 60), st.integers(1, 12_000)))
    minutes = min(minutes, cap)
    oracle = Oracle(obj)
    last_open = max((date.fromisoformat(k).toordinal() for k, v in obj["dates"].items() if v),
                    default=0)
    give_up = last_open + 1 if weekly == 0 else 10 ** 9
    expected = oracle.add(start, minutes, give_up)
    cal = Calendar.from_table(obj, "diff")
    if expected is None:
        with pytest.raises(NeverOpenError):
            cal.add(start, timedelta(minutes=minutes))
    else:
        got = cal.add(start, timedelta(minutes=minutes))
        assert got == expected and got.tzinfo is UTC, (obj, start, minutes)


@given(scenarios(), st.integers(0, 59_999_999))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_is_open_and_next_open_match_oracle(scenario, micro):
    obj, start, _ = scenario
    oracle, cal = Oracle(obj), Calendar.from_table(obj, "diff")
    t = start + timedelta(microseconds=micro)  # anywhere inside the minute
    assert cal.is_open(t) == oracle.minute_open(start), (obj, t)
    expected = start if oracle.minute_open(start) else oracle.add(start, 1, 10 ** 9) - ONE_MIN
    assert cal.next_open(start) == expected, (obj, start)


@given(scenarios())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_next_business_day_matches_oracle(scenario):
    obj, start, _ = scenario
    oracle, cal = Oracle(obj), Calendar.from_table(obj, "diff")
    first, last = oracle.next_business_day(start)
    assert cal.next_business_day(start, "start") == first, (obj, start)
    assert cal.next_business_day(start, "end") == last, (obj, start)


@given(scenarios(allow_empty_week=True), st.integers(-3, 1), st.integers(0, 20),
       st.integers(1, 100 * 60))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_coverage_matches_oracle(scenario, from_shift, until_shift, minutes):
    """With `valid` set: refused iff the start's local date is before valid.from or the
    last business minute counted (the minute ending at the due instant) falls on a
    local date after valid.until."""
    obj, start, weekly = scenario
    tz = oracle_zone(obj["zone"])
    d0 = start.astimezone(tz).date()
    until = d0 + timedelta(days=max(until_shift, from_shift))
    obj = dict(obj, valid={"from": (d0 + timedelta(days=from_shift)).isoformat(),
                           "until": until.isoformat()})
    cal = Calendar.from_table(obj, "cov")
    if from_shift > 0:
        with pytest.raises(CoverageError):
            cal.is_open(start)
        with pytest.raises(CoverageError):
            cal.add(start, timedelta(minutes=minutes))
        return
    if weekly:
        minutes = min(minutes, 4 * weekly)
    due = Oracle(obj).add(start, minutes, until.toordinal() + 1)
    if due is None or (due - ONE_MIN).astimezone(tz).date() > until:
        with pytest.raises((CoverageError, NeverOpenError)) as err:
            cal.add(start, timedelta(minutes=minutes))
        # a calendar with no open interval at all is NeverOpenError even with `valid`
        assert err.type is CoverageError or not (weekly or any(obj["dates"].values()))
    else:
        assert cal.add(start, timedelta(minutes=minutes)) == due, (obj, start, minutes)


def test_transition_list():
    """The hand-listed transitions are real: the offset changes exactly there."""
    for zone, instants in TRANSITION_INSTANTS.items():
        tz = ZoneInfo(zone)
        for t in instants:
            before = (t - timedelta(seconds=1)).astimezone(tz).utcoffset()
            assert before != t.astimezone(tz).utcoffset(), (zone, t)
            assert (t - timedelta(hours=6)).astimezone(tz).utcoffset() == before
