"""The zone tables against the zone database itself, for every zone it holds.

zones.py finds transitions by sampling offsets through zoneinfo.  Here the expected
transitions are read straight from the TZif files (RFC 8536) that zoneinfo reads, so
the check owes nothing to sampling: for each zone, a few years (the first and last
with explicit transitions, the year of its two closest offset changes, 2025) must
give exactly the file's offset changes, to the second.
"""

from __future__ import annotations

import importlib.resources
import struct
import zoneinfo
from datetime import datetime, timezone
from pathlib import Path

import pytest

from policyc.evaluator import zones
from policyc.evaluator.limits import MAX_YEAR, MIN_YEAR

EPOCH_SECONDS = int(zones.EPOCH.timestamp())  # Unix seconds of zones.EPOCH


def tzif_bytes(key: str) -> bytes:
    """The file zoneinfo loads for `key`: the first in TZPATH, else the tzdata package."""
    for root in zoneinfo.TZPATH:
        path = Path(root, key)
        if path.is_file():
            return path.read_bytes()
    package, _, name = f"tzdata.zoneinfo.{key.replace('/', '.')}".rpartition(".")
    return importlib.resources.files(package).joinpath(name).read_bytes()


def offset_changes(data: bytes) -> tuple[int, list[tuple[int, int]]]:
    """(offset before the first transition, [(Unix second, new offset)]) of the 64-bit
    block of a TZif file, keeping only transitions that change the UTC offset."""
    def counts(at):
        assert data[at:at + 4] == b"TZif"
        return struct.unpack(">6l", data[at + 20:at + 44])

    isut, isstd, leap, n, types, chars = counts(0)
    at = 44 + n * 5 + types * 6 + chars + leap * 8 + isstd + isut  # skip the v1 block
    assert data[at + 4] >= ord("2"), "a TZif file of version 2 or later"
    isut, isstd, leap, n, types, chars = counts(at)
    at += 44
    times = struct.unpack(f">{n}q", data[at:at + 8 * n])
    index = data[at + 8 * n:at + 9 * n]
    at += 9 * n
    offsets = [struct.unpack(">l", data[at + 6 * i:at + 6 * i + 4])[0] for i in range(types)]
    first = offsets[0]  # RFC 8536: local time type 0 applies before the first transition
    changes, current = [], first
    for t, i in zip(times, index):
        if offsets[i] != current:
            changes.append((t, offsets[i]))
            current = offsets[i]
    return first, changes


def year_of(unix: int) -> int:
    return datetime.fromtimestamp(unix, timezone.utc).year


def expected_pieces(first, changes, year):
    """The (start, end, offset) pieces of UTC year `year`, in zones.py units."""
    start = int(datetime(year, 1, 1, tzinfo=timezone.utc).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=timezone.utc).timestamp())
    off = first
    for t, o in changes:
        if t <= start:
            off = o
    cuts = [(start, off)] + [(t, o) for t, o in changes if start < t < end]
    bounds = [t for t, _ in cuts] + [end]
    us = zones.US
    return [((bounds[i] - EPOCH_SECONDS) * us, (bounds[i + 1] - EPOCH_SECONDS) * us, o * us)
            for i, (_, o) in enumerate(cuts)]


def years_to_check(key, changes) -> list[int]:
    """Among the years with explicit transitions in the supported range: the first,
    the last and the one holding the two closest offset changes; and 2025 where the
    file says what it holds (explicit transitions up to then, or a fixed offset after)."""
    inside = [t for t, _ in changes if MIN_YEAR <= year_of(t) <= MAX_YEAR]
    years = {year_of(t) for t in inside[:1] + inside[-1:]}
    if len(inside) > 1:
        years.add(year_of(min((b - a, b) for a, b in zip(inside, inside[1:]))[1]))
    footer = tzif_bytes(key).rstrip(b"\n").rsplit(b"\n", 1)[-1]  # the POSIX TZ rule
    if (changes and year_of(changes[-1][0]) >= 2025) or b"," not in footer:
        years.add(2025)
    return sorted(years)


def closest_changes(key):
    """(seconds, zone, Unix second) of the two closest offset changes of a zone."""
    times = [t for t, _ in offset_changes(tzif_bytes(key))[1]]
    return min(((b - a, key, b) for a, b in zip(times, times[1:])), default=(float("inf"), key, 0))


ALL_ZONES = sorted(zoneinfo.available_timezones())


def test_the_database_is_all_there():
    # the IANA database has held about 600 names for years; far fewer means the
    # parametrisation below would check little
    assert len(ALL_ZONES) > 500


@pytest.mark.parametrize("key", ALL_ZONES)
def test_zone_table_matches_the_tzif_file(key):
    first, changes = offset_changes(tzif_bytes(key))
    table = zones.ZoneTable(zoneinfo.ZoneInfo(key))
    for year in years_to_check(key, changes):
        assert table._year_pieces(year) == expected_pieces(first, changes, year), (key, year)


def test_offset_changes_are_far_apart():
    """What the sampling of zones.py (and the bound on how often one wall reading
    happens, in business_time.py) rests on: no two offset changes in the whole
    database lie within one sampling step of each other (today: four days apart)."""
    gap = min(map(closest_changes, ALL_ZONES))
    assert gap[0] > zones._SAMPLE_SECONDS, gap
