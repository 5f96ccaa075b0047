"""Time-zone helpers for the business-time engine (standard library only).

Instants are integers: microseconds since EPOCH (2001-01-01T00:00Z, a Monday).
A zone's UTC offset is piecewise constant over instants; `ZoneTable.segment(u)`
returns the constant-offset piece (p, q, o) holding instant u, i.e. p <= u < q and
every instant of [p, q) reads wall clock `instant + o`.  zoneinfo exposes no
transition list, so transitions are found lazily by sampling the offset every few
hours of a UTC year and bisecting each change to the exact second; the result is
cached per zone and year.  Pieces may also end at an artificial boundary (the end
of the years computed so far); callers just move on to the next piece.
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
_SAMPLE_SECONDS = 6 * 3600  # two offset changes closer than this would be missed
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
        raise ValueError(f"unknown time zone {spec!r}") from exc


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


class ZoneTable:
    """Piecewise-constant UTC offset of one zone, as (p, q, o) pieces in microseconds."""

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self._lock = threading.Lock()
        self._last = (0, 0, 0)  # most recent piece returned (fast path)
        if isinstance(tz, timezone):
            off = tz.utcoffset(None)
            o = (off.days * 86_400 + off.seconds) * US
            self._last = (-FOREVER, FOREVER, o)
            self._snap = (-FOREVER, FOREVER, [-FOREVER], [self._last])
            return
        self._snap = (0, 0, [], [])  # (lo, hi, piece starts, pieces) computed so far
        self._lo_year = self._hi_year = None  # computed UTC years, inclusive
        self._start_off = 0  # offset at the start of the computed range
        self._trans: list[int] = []  # transition instants (us), sorted
        self._offs: list[int] = []  # offset in effect from each transition on

    # -- sampling ---------------------------------------------------------------
    def _offset_at(self, sec: int) -> int:
        """Offset (whole seconds) at instant EPOCH + sec seconds."""
        off = (EPOCH + timedelta(seconds=sec)).astimezone(self.tz).utcoffset()
        return off.days * 86_400 + off.seconds

    def _year_transitions(self, year: int) -> list[tuple[int, int]]:
        """Offset changes at instants in (Jan 1 year, Jan 1 year+1], UTC seconds."""
        start = int((datetime(year, 1, 1, tzinfo=timezone.utc) - EPOCH).total_seconds())
        end = int((datetime(year + 1, 1, 1, tzinfo=timezone.utc) - EPOCH).total_seconds())
        found = []
        a, oa = start, self._offset_at(start)
        while a < end:
            b = min(a + _SAMPLE_SECONDS, end)
            ob = self._offset_at(b)
            if ob != oa:
                lo, hi = a, b  # offset(lo) == oa != offset(hi)
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if self._offset_at(mid) == oa:
                        lo = mid
                    else:
                        hi = mid
                found.append((hi, self._offset_at(hi)))
                if hi < b:  # a second change inside (hi, b]: rescan from hi
                    a, oa = hi, found[-1][1]
                    continue
            a, oa = b, ob
        return found

    def _extend(self, year: int) -> None:
        """Compute transitions up to `year` (caller holds self._lock)."""
        year = max(_MIN_YEAR, min(_MAX_YEAR, year))
        if self._lo_year is None:
            self._lo_year = self._hi_year = year
            self._start_off = self._year_offset_start(year)
            self._add_year(year, append=True)
        while year > self._hi_year:
            self._hi_year += 1
            self._add_year(self._hi_year, append=True)
        while year < self._lo_year:
            self._lo_year -= 1
            self._start_off = self._year_offset_start(self._lo_year)
            self._add_year(self._lo_year, append=False)

    def _year_offset_start(self, year: int) -> int:
        sec = int((datetime(year, 1, 1, tzinfo=timezone.utc) - EPOCH).total_seconds())
        return self._offset_at(sec) * US

    def _add_year(self, year: int, append: bool) -> None:
        new = self._year_transitions(year)
        tr = [s * US for s, _ in new]
        of = [o * US for _, o in new]
        if append:
            self._trans, self._offs = self._trans + tr, self._offs + of
        else:
            self._trans, self._offs = tr + self._trans, of + self._offs

    def _publish(self) -> None:
        """Replace the lookup snapshot (one atomic assignment: readers need no lock)."""
        # the first and last computable years stretch to cover all of datetime's range
        lo = (-FOREVER if self._lo_year <= _MIN_YEAR else
              (datetime(self._lo_year, 1, 1, tzinfo=timezone.utc) - EPOCH).days * DAY)
        hi = (FOREVER if self._hi_year >= _MAX_YEAR else
              (datetime(self._hi_year + 1, 1, 1, tzinfo=timezone.utc) - EPOCH).days * DAY)
        starts = [lo] + self._trans
        segs = list(zip(starts, self._trans + [hi], [self._start_off] + self._offs))
        self._snap = (lo, hi, starts, segs)

    # -- lookup -----------------------------------------------------------------
    def segment(self, u: int) -> tuple[int, int, int]:
        """The constant-offset piece (p, q, o) with p <= u < q."""
        last = self._last
        if last[0] <= u < last[1]:
            return last
        lo, hi, starts, segs = self._snap
        if not lo <= u < hi:
            year = from_us(u).year
            with self._lock:
                self._extend(year - 1)
                self._extend(year + 1)
                self._publish()
            lo, hi, starts, segs = self._snap
        seg = segs[bisect_right(starts, u) - 1]
        self._last = seg
        return seg


_TABLES: dict[tzinfo, ZoneTable] = {}


def zone_table(tz: tzinfo) -> ZoneTable:
    """One shared, lazily filled ZoneTable per zone."""
    table = _TABLES.get(tz)
    if table is None:
        table = _TABLES.setdefault(tz, ZoneTable(tz))
    return table
