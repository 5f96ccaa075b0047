"""Zone tables: only the years asked about are computed, and a missing zone database
is reported with its fix.  Expected pieces are worked out from the zones' rules."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from seed_tables import seed_path

from policyc.evaluator import zones
from policyc.evaluator.business_time import Calendar

UTC = timezone.utc
H = timedelta(hours=1)
OFFICE = [[[480, 960]]] * 5 + [[], []]  # Mon-Fri 08:00-16:00


@pytest.fixture
def fresh_zones(monkeypatch):
    """Calendars built in the test get zone tables of their own, empty at first."""
    monkeypatch.setattr(zones, "_TABLES", {})


def Z(s):
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def us(s):
    return zones.to_us(Z(s))


def hours(o):
    return o / (3600 * zones.US)


@pytest.mark.parametrize("zone", ["Europe/Moscow", "Asia/Tokyo", "Asia/Kathmandu", "Etc/UTC"])
def test_zone_without_dst_computes_only_the_year_asked_about(fresh_zones, zone):
    # issue 6 item 1: each `add` used to extend the table by two more years (2028,
    # 2030, ... up to 9998) before looking whether the due time was in the current
    # piece.  2,000 starts an hour apart from Mon 2025-06-02 06:00Z reach 2025-08-25;
    # 1h and 100h targets (12.5 business days) end before October: only 2025 is needed
    c = Calendar.from_table({"zone": zone, "week": OFFICE}, "no-dst")
    start = Z("2025-06-02 06:00")
    for i in range(2000):
        c.add(start + i * H, H)
        c.add(start + i * H, 100 * H)
    assert c._zt.years == (2025,)


def test_far_apart_instants_compute_only_their_own_years(fresh_zones):
    # issue 7 item 20: 2025 then 2190 used to sample every year in between
    paris = Calendar.from_table({"zone": "Europe/Paris", "week": OFFICE}, "fr")
    # Tue 2025-06-10 09:00 CEST (07:00Z) + 1h -> 08:00Z
    assert paris.add(Z("2025-06-10 07:00"), H) == Z("2025-06-10 08:00")
    # EU rule in 2190 (March 31 is a Wednesday, October 31 a Sunday): summer time
    # from Sun 03-28 01:00Z to Sun 10-31 01:00Z; Tue 06-15 09:00 CEST = 07:00Z, + 1h
    assert paris.add(Z("2190-06-15 07:00"), H) == Z("2190-06-15 08:00")
    assert paris._zt.years == (2025, 2190)
    zt = paris._zt
    assert zt.segment(us("2190-06-15 07:00")) == (
        us("2190-03-28 01:00"), us("2190-10-31 01:00"), 2 * 3600 * zones.US)


def test_adjacent_years_merge_into_one_piece(fresh_zones):
    # Moscow has kept UTC+3 since 2014-10-26: 2024, 2025, 2026 asked about read as
    # one piece, from the start of 2024 to the end of 2026
    zt = zones.zone_table(ZoneInfo("Europe/Moscow"))
    for t in ("2025-06-01 00:00", "2024-02-01 00:00", "2026-12-31 23:59"):
        zt.segment(us(t))
    assert zt.years == (2024, 2025, 2026)
    p, q, o = zt.segment(us("2025-06-01 00:00"))
    assert (p, q, hours(o)) == (us("2024-01-01 00:00"), us("2027-01-01 00:00"), 3)
    # Paris: winter time from 2025-10-26 01:00Z to 2026-03-29 01:00Z, across the new
    # year once both years are known
    paris = zones.zone_table(ZoneInfo("Europe/Paris"))
    p, q, o = paris.segment(us("2025-12-31 23:00"))
    assert (p, q, hours(o)) == (us("2025-10-26 01:00"), us("2026-01-01 00:00"), 1)
    paris.segment(us("2026-01-01 01:00"))
    p, q, o = paris.segment(us("2025-12-31 23:00"))
    assert (p, q, hours(o)) == (us("2025-10-26 01:00"), us("2026-03-29 01:00"), 1)


def test_lookups_beyond_the_computable_years(fresh_zones):
    # instants before year 2 or after 9998 belong to the first and last pieces, which
    # stretch without end: no overflow, and only those two years are computed
    zt = zones.zone_table(ZoneInfo("America/New_York"))
    p, q, o = zt.segment(-zones.FOREVER)
    assert p == -zones.FOREVER and hours(o) == -(4 + 56 / 60 + 2 / 3600)  # LMT -4:56:02
    p, q, o = zt.segment(zones.FOREVER - 1)
    assert q == zones.FOREVER and hours(o) == -5  # EST on New Year's Day
    assert zt.years == (2, 9998)


def test_unknown_zone_names_the_tzdata_package():
    with pytest.raises(ValueError, match=r"unknown time zone 'Mars/Olympus': not in this "
                                         r"system's time zone database.*`tzdata`"):
        zones.parse_zone("Mars/Olympus")


_NO_DATABASE = """
import sys
sys.modules["tzdata"] = None  # as on a system where the package is not installed
from policyc.evaluator import load
from policyc.evaluator.business_time import Calendar
for attempt in (lambda: Calendar("Europe/Paris", [[]] * 7), lambda: load(sys.argv[1])):
    try:
        attempt()
    except Exception as exc:  # ValueError, and TableError from load
        print(exc)
"""


def test_a_system_without_zone_database_is_told_to_install_tzdata(tmp_path):
    # issue 6 item 4: the evaluator vendored where there is no zone database (no
    # system files: PYTHONTZPATH names an empty folder; no tzdata package)
    table = str(seed_path("irex"))
    env = dict(os.environ, PYTHONTZPATH=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", _NO_DATABASE, table], env=env,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == 2
    for line in out:
        assert "'Europe/Paris': this system has no time zone database; install the " \
               "`tzdata` package (pip install tzdata)" in line
    assert out[1].startswith("table `")
