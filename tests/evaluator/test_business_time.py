"""Hand-worked unit tests of the business-time engine (docs/table-format.md, Calendars).

Every expected value is worked out in the comment next to it.  Instants are written
in UTC (`Z(...)`) so that the arithmetic is explicit; `L(...)` builds a local wall
time only where it is unambiguous.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from policyc.evaluator import zones
from policyc.evaluator.business_time import (Calendar, CoverageError, NeverOpenError,
                                             OutOfRangeError, check_instant)
from policyc.evaluator.zones import to_us

UTC = timezone.utc
H = timedelta(hours=1)
MIN = timedelta(minutes=1)
OFFICE = [[[480, 960]]] * 5 + [[], []]  # Mon-Fri 08:00-16:00
ALWAYS = [[[0, 1440]]] * 7


def cal(week, zone="Europe/Paris", dates=None, valid=None, name="test"):
    return Calendar.from_table({"zone": zone, "week": week, "dates": dates or {},
                                "valid": valid, "label": {"en": "ignored"}}, name)


def Z(s):
    """A UTC instant: Z('2025-06-10 07:00')."""
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def L(s, zone="Europe/Paris"):
    return datetime.fromisoformat(s).replace(tzinfo=ZoneInfo(zone))


PARIS = cal(OFFICE)


# -- Mon-Fri 08:00-16:00 Europe/Paris (summer: UTC+2) ---------------------------------
def test_one_hour_inside_hours():
    # Tue 2025-06-10 09:00 CEST (07:00Z) + 1h, open throughout -> 10:00 CEST = 08:00Z
    assert PARIS.add(Z("2025-06-10 07:00"), H) == Z("2025-06-10 08:00")


def test_target_running_out_at_closing_is_due_at_closing():
    # Tue 15:00 CEST + 1h = 16:00 CEST (14:00Z), the closing instant, not Wed 08:00
    assert PARIS.add(L("2025-06-10 15:00"), H) == Z("2025-06-10 14:00")


def test_start_before_opening():
    # Tue 06:30 CEST: clock starts at 08:00, + 1h -> 09:00 CEST = 07:00Z
    assert PARIS.add(L("2025-06-10 06:30"), H) == Z("2025-06-10 07:00")


def test_start_on_saturday():
    # Sat 2025-06-14 10:00 -> clock starts Mon 06-16 08:00, + 1h -> 09:00 CEST = 07:00Z
    assert PARIS.add(L("2025-06-14 10:00"), H) == Z("2025-06-16 07:00")


def test_24_business_hours_are_three_business_days():
    # Mon 06-16 08:00 + 24h = 8h Mon + 8h Tue + 8h Wed -> Wed 06-18 16:00 CEST = 14:00Z
    assert PARIS.add(L("2025-06-16 08:00"), 24 * H) == Z("2025-06-18 14:00")
    # from Friday 12:00: 4h Fri + 8h Mon + 8h Tue + 4h Wed -> Wed 06-18 12:00 = 10:00Z
    assert PARIS.add(L("2025-06-13 12:00"), 24 * H) == Z("2025-06-18 10:00")


def test_result_is_utc_and_zero_duration_is_identity():
    got = PARIS.add(L("2025-06-10 09:00"), H)
    assert got.tzinfo is UTC
    # 0 business time: the earliest u >= t with nothing open in [t, u) is t itself,
    # even on a Sunday
    assert PARIS.add(L("2025-06-15 10:00"), timedelta(0)) == Z("2025-06-15 08:00")
    with pytest.raises(ValueError, match="negative"):
        PARIS.add(Z("2025-06-10 07:00"), -H)


# -- windows that cross midnight or weekends ------------------------------------------
def test_window_over_midnight():
    night = cal([[[0, 360], [1320, 1440]]] * 7)  # 22:00-06:00 every night (8h)
    # Tue 2025-06-10 21:00 CEST: opens 22:00, + 3h -> Wed 01:00 CEST = Tue 23:00Z
    assert night.add(L("2025-06-10 21:00"), 3 * H) == Z("2025-06-10 23:00")
    # + 9h: 8h Tue 22:00 -> Wed 06:00, then 1h from Wed 22:00 -> Wed 23:00 CEST = 21:00Z
    assert night.add(L("2025-06-10 21:00"), 9 * H) == Z("2025-06-11 21:00")
    # next business day of Tue noon is Wed: first open 00:00 CEST (Tue 22:00Z), last
    # closing is its 24:00 = Thu 00:00 CEST = Wed 22:00Z
    assert night.next_business_day(L("2025-06-10 12:00"), "start") == Z("2025-06-10 22:00")
    assert night.next_business_day(L("2025-06-10 12:00"), "end") == Z("2025-06-11 22:00")


def test_weekend_window_friday_1600_to_monday_0800():
    wknd = cal([[[0, 480]], [], [], [], [[960, 1440]], [[0, 1440]], [[0, 1440]]])
    # one window of 8 + 24 + 24 + 8 = 64h: Wed noon + 64h -> Mon 2025-06-16 08:00 = 06:00Z
    assert wknd.add(L("2025-06-11 12:00"), 64 * H) == Z("2025-06-16 06:00")
    # Fri 16:00 + 10h runs over midnight without a break -> Sat 02:00 CEST = 00:00Z
    assert wknd.add(L("2025-06-11 12:00"), 10 * H) == Z("2025-06-14 00:00")
    assert wknd.is_open(L("2025-06-14 00:00")) and wknd.is_open(L("2025-06-16 07:59"))


def test_always_open_utc():
    always = cal(ALWAYS, zone="UTC")
    # 24/7: business time is real time, 100h -> +100h
    assert always.add(Z("2025-06-10 07:13"), 100 * H) == Z("2025-06-14 11:13")


def test_fixed_offset():
    plus2 = cal(OFFICE, zone="UTC+02:00")
    # Fri 2025-01-03 15:00 +02:00 (13:00Z) + 2h: 1h Fri, 1h Mon 08:00-09:00 +02:00 = 07:00Z
    assert plus2.add(Z("2025-01-03 13:00"), 2 * H) == Z("2025-01-06 07:00")
    # same in Paris, winter UTC+1: Mon 09:00 CET = 08:00Z
    assert PARIS.add(L("2025-01-03 15:00"), 2 * H) == Z("2025-01-06 08:00")
    minus930 = cal(OFFICE, zone="UTC-09:30")
    # Mon 08:00 -09:30 = 17:30Z
    assert minus930.next_open(Z("2025-01-06 00:00")) == Z("2025-01-06 17:30")


# -- DST ------------------------------------------------------------------------------
def test_paris_spring_forward_24_7():
    always = cal(ALWAYS)
    # 2025-03-30 01:00Z: 02:00 CET -> 03:00 CEST.  From 01:30 CET (00:30Z) 2h of business
    # time is 2 real hours -> 02:30Z, though the wall clock reads 04:30 CEST (3h later)
    got = always.add(Z("2025-03-30 00:30"), 2 * H)
    assert got == Z("2025-03-30 02:30")
    assert got.astimezone(ZoneInfo("Europe/Paris")).hour == 4


def test_paris_fall_back_24_7():
    always = cal(ALWAYS)
    # 2025-10-26 01:00Z: 03:00 CEST -> 02:00 CET.  From 02:00 CEST (00:00Z) + 2h
    # = 02:00Z, which reads 03:00 CET: only 1h later on the wall clock
    got = always.add(Z("2025-10-26 00:00"), 2 * H)
    assert got == Z("2025-10-26 02:00")
    assert got.astimezone(ZoneInfo("Europe/Paris")).hour == 3


def test_paris_window_containing_the_missing_hour():
    early = cal([[[60, 240]]] * 7)  # 01:00-04:00 daily
    # Sun 2025-03-30: 01:00-02:00 CET = 00:00Z-01:00Z, then 03:00-04:00 CEST
    # = 01:00Z-02:00Z; 02:00-03:00 never happens: 2 real hours open
    assert early.add(Z("2025-03-30 00:00"), 2 * H) == Z("2025-03-30 02:00")
    # + 3h: 2h Sunday, 1h from Mon 01:00 CEST (Sun 23:00Z) -> Mon 00:00Z
    assert early.add(Z("2025-03-30 00:00"), 3 * H) == Z("2025-03-31 00:00")
    assert early.is_open(Z("2025-03-30 00:59")) and early.is_open(Z("2025-03-30 01:00"))
    gap = cal([[]] * 6 + [[[120, 180]]])  # Sundays 02:00-03:00 only
    # That hour does not exist on 2025-03-30: no instant of that date is open, so the
    # next business day after Sat 03-29 is Sun 04-06: 02:00 CEST = 00:00Z .. 01:00Z
    assert not gap.is_open(Z("2025-03-30 00:59")) and not gap.is_open(Z("2025-03-30 01:00"))
    assert gap.next_business_day(L("2025-03-29 12:00"), "start") == Z("2025-04-06 00:00")
    assert gap.next_business_day(L("2025-03-29 12:00"), "end") == Z("2025-04-06 01:00")
    assert gap.add(L("2025-03-29 12:00"), 30 * MIN) == Z("2025-04-06 00:30")


def test_paris_window_containing_the_repeated_hour():
    early = cal([[[60, 240]]] * 7)  # 01:00-04:00 daily
    # Sun 2025-10-26: 01:00-03:00 CEST = Sat 23:00Z-01:00Z, then 02:00-04:00 CET
    # = 01:00Z-03:00Z: 4 real hours open, 02:00-03:00 counted twice
    assert early.add(Z("2025-10-25 23:00"), 4 * H) == Z("2025-10-26 03:00")
    assert early.add(Z("2025-10-25 23:00"), 3.5 * H) == Z("2025-10-26 02:30")
    # 02:30 is open both times it happens: 00:30Z (CEST) and 01:30Z (CET)
    assert early.is_open(Z("2025-10-26 00:30")) and early.is_open(Z("2025-10-26 01:30"))
    # end edge: the last closing of Sunday is 04:00 CET = 03:00Z
    assert early.next_business_day(L("2025-10-25 12:00"), "end") == Z("2025-10-26 03:00")


def test_new_york():
    ny = cal([[[540, 1020]]] * 5 + [[], []], zone="America/New_York")  # 09:00-17:00
    # Fri 2025-03-07 16:00 EST (21:00Z) + 2h: 1h Fri; DST starts Sun 03-09; 1h from
    # Mon 09:00 EDT (13:00Z) -> 10:00 EDT = 14:00Z
    assert ny.add(Z("2025-03-07 21:00"), 2 * H) == Z("2025-03-10 14:00")
    always = cal(ALWAYS, zone="America/New_York")
    # 2025-11-02 06:00Z: 02:00 EDT -> 01:00 EST.  01:30 EDT (05:30Z) + 1h = 06:30Z,
    # which reads 01:30 EST: the same wall clock
    assert always.add(Z("2025-11-02 05:30"), H) == Z("2025-11-02 06:30")


def test_lord_howe_half_hour_dst():
    early = cal([[[60, 240]]] * 7, zone="Australia/Lord_Howe")  # 01:00-04:00 daily
    # Sun 2025-10-05: 01:00 +10:30 = Sat 14:30Z; at 02:00 (15:30Z) clocks go to 02:30
    # +11; 04:00 +11 = 17:00Z.  Open 14:30Z-17:00Z = 2.5h (3h wall - 30 min)
    assert early.add(Z("2025-10-04 14:30"), 150 * MIN) == Z("2025-10-04 17:00")
    # + 3h: 2.5h Sunday, 30 min from Mon 01:00 +11 (Sun 14:00Z) -> 14:30Z
    assert early.add(Z("2025-10-04 14:30"), 3 * H) == Z("2025-10-05 14:30")
    # Sun 2025-04-06: 01:00 +11 = Sat 14:00Z; at 02:00 +11 (15:00Z) clocks go back to
    # 01:30 +10:30; 04:00 +10:30 = 17:30Z.  Open 14:00Z-17:30Z = 3.5h
    assert early.add(Z("2025-04-05 14:00"), 210 * MIN) == Z("2025-04-05 17:30")


def test_kathmandu_quarter_hour_offset():
    ktm = cal([[[600, 1020]]] * 5 + [[], []], zone="Asia/Kathmandu")  # 10:00-17:00 +05:45
    # Mon 2025-06-09 10:00 +05:45 = 04:15Z; + 1h = 05:15Z
    assert ktm.add(Z("2025-06-09 04:15"), H) == Z("2025-06-09 05:15")
    assert ktm.is_open(Z("2025-06-09 04:15"))
    assert not ktm.is_open(Z("2025-06-09 04:14:59.999999"))
    # Mon 16:30 + 1h: 30 min Mon, 30 min from Tue 10:00 (04:15Z) -> 04:45Z
    assert ktm.add(L("2025-06-09 16:30", "Asia/Kathmandu"), H) == Z("2025-06-10 04:45")


# -- dates overrides ------------------------------------------------------------------
def test_holiday_is_closed():
    paris = cal(OFFICE, dates={"2025-05-01": []})  # Thursday, Labour Day
    # Wed 04-30 15:00 + 2h: 1h Wed, Thu closed, 1h Fri 08:00 -> 09:00 CEST = 07:00Z
    assert paris.add(L("2025-04-30 15:00"), 2 * H) == Z("2025-05-02 07:00")
    assert not paris.is_open(L("2025-05-01 10:00"))


def test_working_saturday():
    paris = cal(OFFICE, dates={"2025-06-14": [[480, 960]]})
    # Fri 06-13 15:00 + 2h: 1h Fri, 1h Sat 08:00 -> 09:00 CEST = 07:00Z
    assert paris.add(L("2025-06-13 15:00"), 2 * H) == Z("2025-06-14 07:00")
    # Russia: Sat 2024-11-02 worked, Mon 11-04 holiday; Moscow is UTC+3, 09:00-18:00
    msk = cal([[[540, 1080]]] * 5 + [[], []], zone="Europe/Moscow",
              dates={"2024-11-02": [[540, 1080]], "2024-11-04": []})
    # Fri 11-01 17:00 MSK (14:00Z) + 2h: 1h Fri, 1h Sat 09:00-10:00 -> 07:00Z
    assert msk.add(Z("2024-11-01 14:00"), 2 * H) == Z("2024-11-02 07:00")
    # Sat 17:00 + 2h: 1h Sat, Sun closed, Mon holiday, 1h Tue 09:00 -> 10:00 MSK = 07:00Z
    assert msk.add(Z("2024-11-02 14:00"), 2 * H) == Z("2024-11-05 07:00")


# -- next business day, next_open, is_open --------------------------------------------
def test_next_business_day_from_friday_evening():
    # Fri 2025-06-13 18:00 -> Mon 06-16: start 08:00 CEST = 06:00Z, end 16:00 = 14:00Z
    assert PARIS.next_business_day(L("2025-06-13 18:00"), "start") == Z("2025-06-16 06:00")
    assert PARIS.next_business_day(L("2025-06-13 18:00")) == Z("2025-06-16 14:00")
    # strictly after the local date of t, even when t is during hours: Mon 10:00 -> Tue
    assert PARIS.next_business_day(L("2025-06-16 10:00"), "start") == Z("2025-06-17 06:00")
    with pytest.raises(ValueError, match="edge"):
        PARIS.next_business_day(L("2025-06-16 10:00"), "middle")


def test_next_business_day_skips_a_holiday():
    paris = cal(OFFICE, dates={"2025-05-01": []})
    # Wed 04-30 -> Thu 05-01 is a holiday -> Fri 05-02 08:00 CEST = 06:00Z .. 14:00Z
    assert paris.next_business_day(L("2025-04-30 09:00"), "start") == Z("2025-05-02 06:00")
    assert paris.next_business_day(L("2025-04-30 09:00"), "end") == Z("2025-05-02 14:00")


def test_next_open():
    t = L("2025-06-10 09:30")
    assert PARIS.next_open(t) == t and PARIS.next_open(t).tzinfo is UTC
    # Sat 10:00 -> Mon 08:00 CEST = 06:00Z; at the closing instant -> next morning
    assert PARIS.next_open(L("2025-06-14 10:00")) == Z("2025-06-16 06:00")
    assert PARIS.next_open(L("2025-06-10 16:00")) == Z("2025-06-11 06:00")


def test_is_open_at_exact_boundaries():
    # [08:00, 16:00): the opening instant is open, the closing instant is not
    assert PARIS.is_open(L("2025-06-10 08:00"))
    assert PARIS.is_open(L("2025-06-10 15:59:59.999999"))
    assert not PARIS.is_open(L("2025-06-10 16:00"))
    assert not PARIS.is_open(L("2025-06-10 07:59:59.999999"))


# -- errors ---------------------------------------------------------------------------
VALID = {"from": "2024-01-01", "until": "2027-12-31"}


def test_coverage_errors():
    paris = cal(OFFICE, valid=VALID, name="fr-office")
    # 2023-12-31 22:00Z is 23:00 CET on 2023-12-31: before valid.from
    with pytest.raises(CoverageError, match=r"fr-office.*2023-12-31.*2024-01-01"):
        paris.is_open(Z("2023-12-31 22:00"))
    # 23:30Z is 00:30 on 2024-01-01 local: covered (the local date counts, not UTC's)
    assert not paris.is_open(Z("2023-12-31 23:30"))
    # Fri 2027-12-31 15:00 + 1h = 16:00 that day: fine
    assert paris.add(L("2027-12-31 15:00"), H) == Z("2027-12-31 15:00")
    # + 2h would be due Mon 2028-01-03: after valid.until
    with pytest.raises(CoverageError, match=r"fr-office.*2027-12-31"):
        paris.add(L("2027-12-31 15:00"), 2 * H)
    with pytest.raises(CoverageError):
        paris.next_business_day(L("2027-12-31 10:00"))
    with pytest.raises(CoverageError):
        paris.add(L("2023-12-29 10:00"), H)
    assert issubclass(CoverageError, ValueError)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        PARIS.add(datetime(2025, 6, 10, 9), H)
    with pytest.raises(ValueError, match="naive"):
        PARIS.is_open(datetime(2025, 6, 10, 9))


def test_unknown_zone():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        cal(OFFICE, zone="Mars/Olympus")
    with pytest.raises(ValueError, match="UTC\\+25:00"):
        cal(OFFICE, zone="UTC+25:00")


def test_never_open():
    closed = cal([[]] * 7)
    with pytest.raises(NeverOpenError, match="no open interval"):
        closed.add(Z("2025-06-10 07:00"), H)
    with pytest.raises(NeverOpenError):
        closed.next_business_day(Z("2025-06-10 07:00"))
    # open only on one date (Sat 2025-06-14 08:00-16:00 CEST = 06:00Z-14:00Z)
    once = cal([[]] * 7, dates={"2025-06-14": [[480, 960]]})
    assert once.add(Z("2025-06-10 07:00"), 8 * H) == Z("2025-06-14 14:00")
    with pytest.raises(NeverOpenError, match="never open after 2025-06-14"):
        once.add(Z("2025-06-10 07:00"), 9 * H)
    with pytest.raises(NeverOpenError):
        once.next_open(Z("2025-06-15 07:00"))
    # with a `valid` range the search stops there: a coverage error instead
    bounded = cal([[]] * 7, dates={"2025-06-14": [[480, 960]]}, valid=VALID)
    with pytest.raises(CoverageError):
        bounded.add(Z("2025-06-10 07:00"), 9 * H)
    assert issubclass(NeverOpenError, ValueError)


def test_1000_business_hours():
    paris = cal(OFFICE, dates={"2025-05-01": [], "2025-05-08": [], "2025-05-29": [],
                               "2025-06-09": []})
    # 1000h / 8h = 125 business days from Mon 2025-01-06 08:00.  Without holidays day
    # 125 is the Friday of week 25: Jan 6 + 24 weeks = Mon Jun 23 -> Fri Jun 27.  The
    # four weekday holidays push it 4 business days: Mon 30, Tue Jul 1, Wed 2, Thu 3.
    # Due Thu 2025-07-03 16:00 CEST = 14:00Z (the March DST change moves nothing).
    assert paris.add(L("2025-01-06 08:00"), 1000 * H) == Z("2025-07-03 14:00")


def test_microseconds_are_preserved():
    # 10:00:30.5 + 1h, open throughout -> 11:00:30.5 CEST = 09:00:30.5Z
    assert PARIS.add(L("2025-06-10 10:00:30.500000"), H) == Z("2025-06-10 09:00:30.500000")
    # 15:59:59.999999 + 1us = 16:00 closing; 16:00 + 1us -> next day 08:00:00.000001
    us = timedelta(microseconds=1)
    assert PARIS.add(L("2025-06-10 15:59:59.999999"), us) == Z("2025-06-10 14:00")
    assert PARIS.add(L("2025-06-10 16:00"), us) == Z("2025-06-11 06:00:00.000001")
    # a duration with microseconds: 1.5h + 7us from Tue 15:00 -> 1h Tue, then
    # Wed 08:00 + 30min 7us = 08:30:00.000007 CEST
    d = timedelta(hours=1, minutes=30, microseconds=7)
    assert PARIS.add(L("2025-06-10 15:00"), d) == Z("2025-06-11 06:30:00.000007")


_TZ_SCRIPT = """
import json
from datetime import datetime, timedelta, timezone
from policyc.evaluator.business_time import Calendar
out = []
for zone in ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "UTC+05:45"]:
    c = Calendar.from_table({"zone": zone, "week": [[[480, 960]]] * 5 + [[], []],
                             "dates": {"2025-03-31": []}, "valid": None})
    for t in ["2025-03-28T15:00", "2025-03-30T00:30", "2025-10-26T00:30"]:
        u = datetime.fromisoformat(t).replace(tzinfo=timezone.utc)
        out.append([c.add(u, timedelta(hours=h)).isoformat() for h in (1, 9, 100)])
        out.append([c.is_open(u), c.next_open(u).isoformat(),
                    c.next_business_day(u, "start").isoformat(),
                    c.next_business_day(u).isoformat()])
print(json.dumps(out))
"""


def test_results_do_not_depend_on_host_tz():
    runs = []
    for tz in ("UTC", "Pacific/Chatham", "America/St_Johns"):
        env = dict(os.environ, TZ=tz)
        res = subprocess.run([sys.executable, "-c", _TZ_SCRIPT], env=env, check=True,
                             capture_output=True, text=True)
        runs.append(json.loads(res.stdout))
    assert runs[0] == runs[1] == runs[2]


# -- the supported years (issue 7 item 19) ----------------------------------------------
@pytest.fixture
def fresh_zones(monkeypatch):
    """Calendars built in the test get zone tables of their own, empty at first."""
    monkeypatch.setattr(zones, "_TABLES", {})


def _calls(c):
    return (c.is_open, c.next_open, c.next_business_day, lambda t: c.add(t, H))


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+14:00", "9999-12-31T10:00:00+00:00",
                                  "1899-12-31T23:59:59.999999+00:00", "2200-01-01T00:00:00Z",
                                  "2199-12-31T23:00:00-05:00"])
def test_instants_outside_the_supported_years_are_refused_before_any_zone_lookup(fresh_zones, text):
    # these gave OverflowError in zones.py (year 0 in UTC) and in business_time.py
    c = cal(OFFICE)
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    for call in _calls(c):
        with pytest.raises(OutOfRangeError, match=r"instant .* is outside the supported years "
                                                  r"1900\.\.2199 \(instants from 1900-01-01T00:00:00Z, "
                                                  r"before 2200-01-01T00:00:00Z\)"):
            call(t)
    assert c._zt.years == ()
    with pytest.raises(OutOfRangeError):
        check_instant(t)
    assert issubclass(OutOfRangeError, CoverageError) and issubclass(OutOfRangeError, ValueError)


def test_the_ends_of_the_supported_years():
    always = cal(ALWAYS, zone="UTC")
    first = Z("1900-01-01 00:00")
    assert always.is_open(first) and always.next_open(first) == first
    assert check_instant(first) == to_us(first)
    # 24/7 UTC: 2199-12-31 23:00 + 59 min is in range; + 1h would be 2200-01-01T00:00Z
    last = Z("2199-12-31 23:00")
    assert always.add(last, 59 * MIN) == Z("2199-12-31 23:59")
    with pytest.raises(OutOfRangeError, match="the due instant would be after 2199-12-31"):
        always.add(last, H)
    # next business day of 2199-12-30 is 12-31: it starts at 00:00Z, ends at 2200-01-01
    assert always.next_business_day(Z("2199-12-30 12:00"), "start") == Z("2199-12-31 00:00")
    with pytest.raises(OutOfRangeError, match="next business day would be after 2199-12-31"):
        always.next_business_day(Z("2199-12-30 12:00"), "end")
    with pytest.raises(OutOfRangeError):  # 9999 used to overflow: now out of range at once
        always.next_business_day(Z("2199-12-31 12:00"))
    # Honolulu (-10:00): open 2199-12-31 18:00-20:00 local = 2200-01-01 04:00-06:00Z
    late = cal([[]] * 7, zone="Pacific/Honolulu", dates={"2199-12-31": [[1080, 1200]]})
    with pytest.raises(OutOfRangeError, match="next opening would be after 2199-12-31"):
        late.next_open(Z("2199-12-31 12:00"))
    with pytest.raises(OutOfRangeError):
        late.add(Z("2199-12-31 12:00"), MIN)


def test_dates_outside_the_supported_years_are_refused():
    with pytest.raises(ValueError, match=r"date '1899-12-31' in `dates` is outside the supported"):
        cal(OFFICE, dates={"1899-12-31": []})
    with pytest.raises(ValueError, match=r"date '2200-01-01' in `valid` is outside the supported"):
        cal(OFFICE, valid={"from": "2025-01-01", "until": "2200-01-01"})


def test_open_on_one_date_far_away(fresh_zones):
    # Open only on Tue 2199-12-31, 10:00-11:00 in Paris (CET, UTC+1: 09:00-10:00Z),
    # asked on 1900-01-01: the search jumps over the closed centuries, computing the
    # zone for the years at both ends only
    once = cal([[]] * 7, dates={"2199-12-31": [[600, 660]]})
    t = Z("1900-01-01 12:00")
    assert once.add(t, H) == Z("2199-12-31 10:00")
    assert once.next_open(t) == Z("2199-12-31 09:00")
    assert once.next_business_day(t, "start") == Z("2199-12-31 09:00")
    assert once.next_business_day(t, "end") == Z("2199-12-31 10:00")
    with pytest.raises(NeverOpenError, match="never open after 2199-12-31"):
        once.add(t, H + MIN)
    assert all(y <= 1901 or y >= 2198 for y in once._zt.years), once._zt.years


def test_fifty_closed_years(fresh_zones):
    # Mon-Fri 08:00-16:00 Paris, every date of 1950-1999 closed.  France kept UTC+1
    # all year from 1946 to 1975.  Sat 1949-12-31 12:00 (11:00Z): nothing opens until
    # Mon 2000-01-03 08:00 CET = 07:00Z (2000-01-01 was a Saturday)
    closed = {(date(1950, 1, 1) + timedelta(days=i)).isoformat(): [] for i in range(18_262)}
    assert max(closed) == "1999-12-31"
    c = cal(OFFICE, dates=closed)
    t = Z("1949-12-31 11:00")
    assert c.add(t, H) == Z("2000-01-03 08:00")
    assert c.next_open(t) == Z("2000-01-03 07:00")
    assert c.next_business_day(t, "end") == Z("2000-01-03 15:00")
    assert all(y <= 1951 or y >= 1998 for y in c._zt.years), c._zt.years


def test_a_target_beyond_the_supported_years_is_refused_at_once(fresh_zones):
    # 1 minute a week (Mondays 00:00-00:01 New York) and a target of 10 years of
    # minutes: due long after 2199.  Refused after a few pieces, without visiting
    # every year up to 2199
    tiny = cal([[[0, 1]]] + [[]] * 6, zone="America/New_York")
    with pytest.raises(OutOfRangeError, match="the due instant would be after 2199-12-31"):
        tiny.add(Z("2025-01-01 00:00"), timedelta(days=3660))
    assert tiny._zt.years[-1] <= 2027, tiny._zt.years
    # with `valid` ending first, the refusal names the end of `valid`
    bounded = cal([[[0, 1]]] + [[]] * 6, zone="America/New_York",
                  valid={"from": "2025-01-01", "until": "2150-12-31"})
    with pytest.raises(CoverageError, match="run into local date 2151-01-01"):
        bounded.add(Z("2025-01-01 12:00"), timedelta(days=3660))
    # reachable long targets still count: 100 Mondays from Wed 2025-01-01 -> the
    # minute ends at Mon 2026-11-30 00:01 EST = 05:01Z
    assert tiny.add(Z("2025-01-01 12:00"), 100 * MIN) == Z("2026-11-30 05:01")


@pytest.mark.parametrize("dates", [["2025-05-01"], 7, "2025-05-01"])
def test_dates_that_are_not_an_object_are_refused(dates):
    with pytest.raises(ValueError, match=r"`dates` must be null or an object"):
        cal(OFFICE, dates=dates)


def test_a_due_time_centuries_after_valid_until_is_a_coverage_error():
    # 24/7 UTC valid 2025-2027: 1h past the end names the due date; 100,000 years
    # past it (a date datetime cannot hold, which raised a bare ValueError) names
    # the first date outside `valid`
    always = cal(ALWAYS, zone="UTC", valid={"from": "2025-01-01", "until": "2027-12-31"})
    with pytest.raises(CoverageError, match="due instant would fall on local date 2028-01-01"):
        always.add(Z("2027-12-31 23:30"), H)
    with pytest.raises(CoverageError, match="search would run into local date 2028-01-01"):
        always.add(Z("2025-06-01 00:00"), timedelta(days=36_500_000))
