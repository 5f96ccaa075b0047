"""Differential test: calendars across zones (evaluator/instants.py) against a brute-force oracle.

The oracle shares nothing with the engine but the meaning. It lays real time out minute
by minute over a few weeks and reads every minute in each zone with
`datetime.astimezone`. A wall part is open at a minute when its reading falls in an
interval of its local date. A window opens at the first minute whose reading in the
start's zone is at or past the start's weekday and time (so a reading skipped by a DST
gap opens at the gap's end, and a repeated one at its first pass). It closes at the
first such minute for the end's weekday and time that comes after the opening. The
calendar is open when a part or a window is. Zones change offset on whole minutes, so
a whole-minute start makes the oracle exact. `add`, `open_between`, `is_open`,
`next_open` and `business_day` are then read off the open minutes.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from policyc.evaluator.instants import ZonedCalendar

from test_business_time_differential import TRANSITION_INSTANTS, day_intervals, oracle_zone

UTC = timezone.utc
ORIGIN = datetime(1970, 1, 1, tzinfo=UTC)  # a Thursday: weekday (Monday 0) of day n is (n + 3) % 7
LEAD, SPAN = 10 * 1440, 12 * 1440  # minutes laid out before the start and after it
ZONES = ["America/New_York", "Asia/Tokyo", "Europe/Paris", "Australia/Sydney", "Australia/Lord_Howe",
         "Asia/Kathmandu", "UTC-09:30", "UTC"]
# Sydney leaves summer time on the first Sunday of April at 03:00 +11 and enters it on the
# first Sunday of October at 02:00 +10 (2025: April 6, October 5)
STARTS = [t for ts in TRANSITION_INSTANTS.values() for t in ts] + [
    datetime(2025, 4, 5, 16, tzinfo=UTC), datetime(2025, 10, 4, 16, tzinfo=UTC)]


def minute_of(t: datetime) -> int:
    return (t - ORIGIN) // timedelta(minutes=1)


def readings(zone: str, lo: int, hi: int) -> list[int]:
    """The wall reading (minutes since the origin's date, no zone) of each minute of [lo, hi)."""
    tz = oracle_zone(zone)

    def offset(m):
        return int((ORIGIN + timedelta(minutes=m)).astimezone(tz).utcoffset() // timedelta(minutes=1))

    out, m = [], lo
    while m < hi:  # offsets change days apart: an offset unchanged across two hours held throughout
        n = min(120, hi - m)
        a, b = offset(m), offset(m + n - 1)
        out.extend(range(m + a, m + n + a) if a == b else (m + i + offset(m + i) for i in range(n)))
        m += n
    return out


class Oracle:
    """The open minutes of a calendar across zones over [start - LEAD, start + SPAN)."""

    def __init__(self, entry: dict, start: datetime):
        self.lo = minute_of(start) - LEAD
        self.n = LEAD + SPAN
        self._reads, self._peaks = {}, {}
        self.open = bytearray(self.n)
        for part in entry["parts"]:
            self._part(part)
        for w in entry["windows"]:
            self._window(w)
        self.home_zone = entry["zone"]
        self.home = self.reads(self.home_zone)

    def reads(self, zone):
        if zone not in self._reads:
            self._reads[zone] = readings(zone, self.lo, self.lo + self.n)
        return self._reads[zone]

    def _part(self, part):
        week, dates = part["week"], {date.fromisoformat(k).toordinal(): v for k, v in part["dates"].items()}
        base, bitmaps, opened = ORIGIN.date().toordinal(), {}, self.open
        for i, r in enumerate(self.reads(part["zone"])):
            day = r // 1440
            bm = bitmaps.get(day)
            if bm is None:  # the open minutes of that local date
                bm = bitmaps[day] = bytearray(1440)
                for a, b in dates.get(base + day, week[(day + 3) % 7]):
                    bm[a:b] = b"\1" * (b - a)
            if bm[r - day * 1440]:
                opened[i] = 1

    def first_at(self, zone, wall):
        """Index of the first minute reading `wall` or later in `zone` (None: not in the range)."""
        if zone not in self._peaks:  # the latest reading so far: sorted, unlike the readings
            self._peaks[zone] = list(accumulate(self.reads(zone), max))
        i = bisect_left(self._peaks[zone], wall)
        return i if i < self.n else None

    def _window(self, w):
        f, u = w["from"], w["until"]
        first_day = self.reads(f["zone"])[0] // 1440 - 1
        for day in range(first_day, first_day + self.n // 1440 + 3):
            if (day + 3) % 7 != f["weekday"]:
                continue
            wall = day * 1440 + f["minute"]
            a = self.first_at(f["zone"], wall)
            if a is None or wall < self.reads(f["zone"])[0]:
                continue  # opened before the range: closed again before LEAD (it lasts < 9 days)
            b, end = None, self.reads(u["zone"])[0] // 1440 - 1
            while b is None or b <= a:
                if u["weekday"] is None or (end + 3) % 7 == u["weekday"]:
                    b = self.first_at(u["zone"], end * 1440 + u["minute"])
                    b = self.n if b is None else b
                end += 1
            self.open[a:b] = b"\1" * (b - a)

    # -- answers, as minute indexes ----------------------------------------------
    def add(self, i, minutes):
        count = 0
        while i < self.n:
            count += self.open[i]
            if count == minutes:
                return i + 1
            i += 1
        return None

    def next_open(self, i):
        j = self.open.find(1, i)
        return None if j < 0 else j

    def business_day(self, i, n, edge):
        """The n-th home date after minute i's with an open minute (None if past the range)."""
        days = sorted({self.home[j] // 1440 for j in range(i, self.n) if self.open[j]})
        later = [d for d in days if d > self.home[i] // 1440]
        if len(later) <= n or self.home[-1] // 1440 <= later[n - 1] + 1:
            return None  # the date or its end may lie past the range
        day = later[n - 1]
        on = [j for j in range(self.n) if self.open[j] and self.home[j] // 1440 == day]
        if edge == "start":
            return on[0]
        if edge == "end":
            return on[-1] + 1
        x = self.first_at(self.home_zone, day * 1440 + self.home[i] % 1440)
        after = [j for j in on if j >= x]
        return after[0] if after else on[-1] + 1


# ---- random calendars across zones ------------------------------------------------
@st.composite
def ends(draw, until=False):
    wd = draw(st.one_of(st.integers(0, 6), st.none()) if until else st.integers(0, 6))
    return {"zone": draw(st.sampled_from(ZONES)), "weekday": wd,
            "minute": draw(st.one_of(st.sampled_from([0, 60, 120, 150, 180, 540, 1020]), st.integers(0, 1439)))}


@st.composite
def part(draw, start):
    week = [draw(day_intervals()) for _ in range(7)]
    dates = {}
    for _ in range(draw(st.integers(0, 3))):
        d = start.date() + timedelta(days=draw(st.integers(-3, 12)))
        dates[d.isoformat()] = draw(st.one_of(st.just([]), day_intervals()))
    return {"zone": draw(st.sampled_from(ZONES)), "week": week, "dates": dates, "valid": None}


@st.composite
def calendars(draw):
    if draw(st.booleans()):
        start = draw(st.sampled_from(STARTS)) + timedelta(minutes=draw(st.integers(-3 * 1440, 2 * 1440)))
    else:
        start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 3 * 365 * 1440)))
    entry = {"zone": draw(st.sampled_from(ZONES)),
             "parts": draw(st.lists(part(start), max_size=2)),
             "windows": draw(st.lists(st.builds(lambda f, u: {"from": f, "until": u}, ends(), ends(True)),
                                      max_size=2))}
    assume(entry["parts"] or entry["windows"])
    return entry, start


def build(entry, start):
    return Oracle(entry, start), ZonedCalendar.from_table(entry, "diff")


def at(oracle, i):
    return ORIGIN + timedelta(minutes=oracle.lo + i)


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@given(calendars(), st.data())
@settings(max_examples=500, **SETTINGS)
def test_add_and_open_between_match_the_oracle(scenario, data):
    entry, start = scenario
    oracle, cal = build(entry, start)
    i = LEAD
    available = sum(oracle.open[i:])
    assume(available > 0)
    minutes = data.draw(st.integers(1, available))
    due = oracle.add(i, minutes)
    assert cal.add(start, timedelta(minutes=minutes)) == at(oracle, due), (entry, start, minutes)
    j = data.draw(st.integers(i, oracle.n - 1))
    assert cal.open_between(start, at(oracle, j)) == timedelta(minutes=sum(oracle.open[i:j])), (entry, start, j)


@given(calendars(), st.integers(0, SPAN - 1), st.integers(0, 59_999_999))
@settings(max_examples=300, **SETTINGS)
def test_is_open_and_next_open_match_the_oracle(scenario, offset, micro):
    entry, start = scenario
    oracle, cal = build(entry, start)
    i = LEAD + offset
    t = at(oracle, i) + timedelta(microseconds=micro)  # anywhere inside the minute
    assert cal.is_open(t) == bool(oracle.open[i]), (entry, t)
    j = oracle.next_open(i)
    assume(j is not None)
    assert cal.next_open(at(oracle, i)) == at(oracle, j), (entry, t)


@given(calendars(), st.integers(0, 3 * 1440), st.integers(1, 3), st.sampled_from(["start", "end", "same_time"]))
@settings(max_examples=250, **SETTINGS)
def test_business_day_matches_the_oracle(scenario, offset, n, edge):
    entry, start = scenario
    oracle, cal = build(entry, start)
    i = LEAD + offset
    expected = oracle.business_day(i, n, edge)
    assume(expected is not None)
    assert cal.business_day(at(oracle, i), n, edge) == at(oracle, expected), (entry, at(oracle, i), n, edge)
    if n == 1 and edge != "same_time":
        assert cal.next_business_day(at(oracle, i), edge) == at(oracle, expected)
