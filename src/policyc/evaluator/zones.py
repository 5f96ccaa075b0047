"""Time-zone helpers for the business-time engine (standard library only).

Instants are integers: microseconds since EPOCH (2001-01-01T00:00Z, a Monday).
A zone's UTC offset is piecewise constant over instants; `ZoneTable.segment(u)`
returns the constant-offset piece (p, q, o) holding instant u, i.e. p <= u < q and
every instant of [p, q) reads wall clock `instant + o`.  zoneinfo exposes no
transition list, so transitions are found lazily by sampling the offset every few
hours of a UTC year and bisecting each change to the exact second; only the years
asked about are computed, each on its own.  Pieces may therefore end at an
artificial boundary (a year not computed yet); callers just move on to the next piece.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

US = 1_000_000
MINUTE = 60 * US
DAY = 86_400 * US
WEEK = 7 * DAY
EPOCH = datetime(2001, 1, 1, tzinfo=timezone.utc)  # a Monday: day n has weekday n % 7
EPOCH_ORDINAL = EPOCH.toordinal()
FOREVER = 1 << 62  # sentinel bound of a piece that never ends (fixed offsets)

_MIN_YEAR, _MAX_YEAR = 2, 9998  # sampled years (local times must stay in datetime's range)
# Two offset changes closer than this would be missed; the closest pair in tzdata is
# four days apart (tests/evaluator/test_zones_tzdata.py checks both facts).
_SAMPLE_SECONDS = 6 * 3600
_FIXED_RE = re.compile(r"UTC([+-])(\d\d):(\d\d)")


def parse_zone(spec: object) -> tzinfo:
    """`Europe/Paris`, `UTC`, `UTC+05:45`, `UTC-09:30` -> a tzinfo; ValueError if unknown."""
    if not isinstance(spec, str) or not spec:
        raise ValueError(f"unknown time zone {spec!r}: expected an IANA name or UTC+HH:MM")
    if spec == "UTC":
        return timezone.utc
    m = _FIXED_RE.fullmatch(spec)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3))
        if minutes >= 60 or hours * 60 + minutes >= 24 * 60:
            raise ValueError(f"unknown time zone {spec!r}: offset out of range")
        off = timedelta(hours=hours, minutes=minutes)
        return timezone(-off if m.group(1) == "-" else off)
    if spec.startswith(("UTC+", "UTC-")):
        raise ValueError(f"unknown time zone {spec!r}: fixed offsets are written UTC+HH:MM")
    try:
        return ZoneInfo(spec)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone {spec!r}: {_missing_zone_help()}") from exc


def _missing_zone_help() -> str:
    """Why a zone name may be unknown here, and the fix (tables name only real zones)."""
    try:
        ZoneInfo("Etc/UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ("this system has no time zone database; install the `tzdata` package "
                "(pip install tzdata)")
    return ("not in this system's time zone database; if the name is right, install or "
            "update the `tzdata` package (pip install -U tzdata)")


def to_us(t: datetime) -> int:
    """Aware datetime -> microseconds since EPOCH (the real instant, any tzinfo)."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"naive datetime {t.isoformat()} given: business time needs an "
                         "aware datetime (attach a tzinfo, e.g. timezone.utc)")
    d = t - EPOCH
    return (d.days * 86_400 + d.seconds) * US + d.microseconds


def from_us(u: int) -> datetime:
    """Microseconds since EPOCH -> aware UTC datetime."""
    return EPOCH + timedelta(microseconds=u)


def day_date(n: int):
    """Day number (days since 2001-01-01) -> datetime.date."""
    return datetime.fromordinal(n + EPOCH_ORDINAL).date()


def _year_start(year: int) -> int:
    """Seconds from EPOCH to January 1 of `year`, 00:00 UTC."""
    return (datetime(year, 1, 1).toordinal() - EPOCH_ORDINAL) * 86_400


_U_FIRST, _U_LAST = _year_start(_MIN_YEAR) * US, _year_start(_MAX_YEAR + 1) * US


def _year_of(u: int) -> int:
    """The UTC year of instant u, clamped to the computable years."""
    if u < _U_FIRST:
        return _MIN_YEAR
    if u >= _U_LAST:
        return _MAX_YEAR
    return day_date(u // DAY).year


class ZoneTable:
    """Piecewise-constant UTC offset of one zone, as (p, q, o) pieces in microseconds.

    Transitions are computed one UTC year at a time, only for the years asked about:
    instants far apart cost two small computations, not every year in between.  The
    pieces of adjacent computed years merge where the offset does not change, so a
    zone without daylight saving reads as one piece across every year computed.
    """

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self._base = EPOCH.replace(tzinfo=tz)  # EPOCH's fields as a wall reading in tz
        self._lock = threading.Lock()
        self._years: set[int] = set()  # UTC years computed (written under the lock)
        if isinstance(tz, timezone):
            self._years.update((_MIN_YEAR, _MAX_YEAR))  # nothing to compute, ever
            off = tz.utcoffset(None)
            seg = (-FOREVER, FOREVER, (off.days * 86_400 + off.seconds) * US + off.microseconds)
            self._snap = ((seg[0],), (seg,))
        else:
            self._snap = ((), ())  # (piece starts, pieces), sorted; gaps where not computed
        self._last = self._snap[1][0] if self._snap[1] else (0, 0, 0)  # fast path

    @property
    def years(self) -> tuple[int, ...]:
        """The UTC years whose transitions have been computed, ascending."""
        with self._lock:
            return tuple(sorted(self._years))

    # -- lookup -----------------------------------------------------------------
    def segment(self, u: int) -> tuple[int, int, int]:
        """The constant-offset piece (p, q, o) with p <= u < q."""
        last = self._last
        if last[0] <= u < last[1]:
            return last
        starts, segs = self._snap  # one atomic read: writers replace the tuple whole
        i = bisect_right(starts, u) - 1
        if i < 0 or u >= segs[i][1]:
            with self._lock:
                self._add_year(_year_of(u))
            starts, segs = self._snap
            i = bisect_right(starts, u) - 1
        seg = self._last = segs[i]
        return seg

    # -- computing one year -----------------------------------------------------
    def _add_year(self, year: int) -> None:
        """Compute `year` and publish the merged pieces (caller holds the lock)."""
        if year in self._years:  # another thread was first
            return
        merged: list[tuple[int, int, int]] = []
        for seg in sorted(self._snap[1] + tuple(self._year_pieces(year))):
            if merged and merged[-1][1] == seg[0] and merged[-1][2] == seg[2]:
                merged[-1] = (merged[-1][0], seg[1], seg[2])
            else:
                merged.append(seg)
        self._years.add(year)
        self._snap = (tuple(s[0] for s in merged), tuple(merged))

    def _year_pieces(self, year: int) -> list[tuple[int, int, int]]:
        """The pieces of UTC year `year`, cut at its start and end (stretched to
        +-FOREVER for the first and last computable years)."""
        start, end = _year_start(year), _year_start(year + 1)
        cuts = [(start, self._offset_at(start))] + self._changes(start, end)
        bounds = [t for t, _ in cuts] + [end]
        pieces = [(bounds[i] * US, bounds[i + 1] * US, o * US) for i, (_, o) in enumerate(cuts)]
        if year == _MIN_YEAR:
            pieces[0] = (-FOREVER,) + pieces[0][1:]
        if year == _MAX_YEAR:
            pieces[-1] = (pieces[-1][0], FOREVER, pieces[-1][2])
        return pieces

    def _changes(self, start: int, end: int) -> list[tuple[int, int]]:
        """(instant, new offset) of each offset change at whole seconds in (start, end)."""
        found = []
        a, oa, last = start, self._offset_at(start), end - 1
        while a < last:
            b = min(a + _SAMPLE_SECONDS, last)
            ob = self._offset_at(b)
            if ob == oa:
                a = b
                continue
            lo, hi = a, b  # offset(lo) == oa != offset(hi): bisect to the exact second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if self._offset_at(mid) == oa:
                    lo = mid
                else:
                    hi = mid
            a, oa = hi, self._offset_at(hi)  # rescan from there: (hi, b] may hold another
            found.append((a, oa))
        return found

    def _offset_at(self, sec: int) -> int:
        """Offset (whole seconds) at instant EPOCH + sec seconds."""
        # x holds the UTC fields of the instant; fromutc turns them into its local
        # reading, and the difference of two datetimes sharing a tzinfo is naive
        x = self._base + timedelta(seconds=sec)
        off = self.tz.fromutc(x) - x
        return off.days * 86_400 + off.seconds


_TABLES: dict[tzinfo, ZoneTable] = {}


def zone_table(tz: tzinfo) -> ZoneTable:
    """One shared, lazily filled ZoneTable per zone."""
    table = _TABLES.get(tz)
    if table is None:
        table = _TABLES.setdefault(tz, ZoneTable(tz))
    return table
