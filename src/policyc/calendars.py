"""Calendars as the evaluator needs them: a zone, seven lists of open minutes, date overrides.

Windows are laid on a 10,080-minute week so that one crossing midnight or the weekend
(`fri 16:00 - mon 08:00`) is just a longer stretch; national holidays are materialised
here, at compile time, from the `holidays` package for the declared years.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
import zoneinfo
from dataclasses import dataclass, field
from typing import Iterator

from . import ast
from .diagnostics import Diagnostic, did_you_mean, error
from .evaluator import openset
from .graph import WEEKDAYS
from .regions import resolve
from .source import Span

DAY = 1440
WEEK = 7 * DAY
Intervals = tuple[tuple[int, int], ...]
FIXED_OFFSET = re.compile(r"UTC(?:([+-])([0-9][0-9]):([0-9][0-9]))?")  # ASCII digits only


@dataclass(frozen=True, slots=True)
class HolidaySet:
    name: str
    closed: dict  # date -> label
    working: dict  # date -> weekday index whose hours apply
    years: tuple[int, int] | None
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CalendarIR:
    name: str
    zone: str
    week: tuple[Intervals, ...]
    dates: dict = field(default_factory=dict)  # date -> Intervals
    valid: tuple[dt.date, dt.date] | None = None
    label: ast.Text | None = None
    span: Span | None = None
    members: tuple[str, ...] = ()
    windows: tuple = ()  # zoned.XWindow: windows whose ends lie in other zones
    parts: tuple["CalendarIR", ...] = ()  # a union across zones: one wall calendar per zone
    facts: object = None  # factcal.FactParts of a calendar that ticket facts choose, else None
    days: dict = field(default_factory=dict)  # its own date -> weekday index whose hours apply, None: closed

    @property
    def by_facts(self) -> bool:
        return self.facts is not None

    @property
    def never_open(self) -> bool:
        cases = self.facts.cases if self.facts is not None else ()
        return (not any(self.week) and not any(self.dates.values()) and not self.windows
                and all(p.never_open for p in self.parts)
                and not any(c.week and any(c.week) for c in cases))

    def on(self, day: dt.date) -> Intervals:
        return self.dates.get(day, self.week[day.weekday()])


ALWAYS = CalendarIR("always", "UTC", tuple(((0, DAY),) for _ in range(7)),
                    label=ast.Text("24/7"))


def merge(intervals) -> Intervals:
    """Sort and merge overlapping or touching intervals (the evaluator's merge, as tuples)."""
    return tuple((s, e) for s, e in openset.merge(intervals))


def check_zone(zone: str, span: Span) -> Diagnostic | None:
    m = FIXED_OFFSET.fullmatch(zone)
    if m:
        if m.group(2) and (int(m.group(2)) > 14 or int(m.group(3)) > 59):
            return error("E201", f"`{zone}` is not a valid UTC offset", span, "offsets run from UTC-14:00 to UTC+14:00")
        return None
    # Only names the zone database lists: `America/Argentina` is a folder of it, and
    # ZoneInfo() would open that folder (IsADirectoryError) rather than say "not found".
    if zone in _zone_names():
        return None
    try:
        zoneinfo.ZoneInfo(zone)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return error("E201", f"unknown time zone `{zone}`", span,
                     did_you_mean(zone, _zone_names()) or "use an IANA name such as `Europe/Paris`, or `UTC+02:00`")


@functools.lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# ---- national holidays ---------------------------------------------------------

@functools.lru_cache(maxsize=None)
def national_days(country: str, first: int, last: int, subdiv: str | None = None) -> tuple[dict, dict, dict]:
    """Closed dates (with names), weekend working days, and the package's warnings by year.

    A transferred working day takes the hours of the weekday it was swapped with: the
    package labels that day off "Day off (substituted from MM/DD/YYYY)". Warnings are
    caught year by year (the package warns, e.g., that India's Hindu holidays stop in
    2035) so that they become a finding on the `national` line, never a library message.
    """
    import holidays

    warned: dict[int, str] = {}
    found: dict = {}
    weekend_workdays: set = set()
    for year in range(first, last + 1):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cal = holidays.country_holidays(country, subdiv=subdiv, years=year, language="en_US")
        if caught:
            warned[year] = str(caught[0].message).rstrip(".")
        for d, name in cal.items():  # a year may place a day in the next (an observed New Year)
            names = found[d].split("; ") if d in found else []
            found[d] = "; ".join(dict.fromkeys(names + str(name).split("; ")))  # as the package joins them
        weekend_workdays.update(getattr(cal, "weekend_workdays", ()))
    closed = {d: str(name) for d, name in sorted(found.items())}
    swapped = {}
    for d, name in closed.items():
        for m in re.finditer(r"substituted from ([0-9][0-9])/([0-9][0-9])/([0-9]{4})", name):
            swapped[dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))] = d.weekday()
    working = {d: swapped.get(d, 0) for d in sorted(weekend_workdays)}
    return closed, working, warned


@functools.lru_cache(maxsize=None)
def covered_years(country: str, subdiv: str | None = None) -> tuple[int, int]:
    """The years for which the `holidays` package declares it knows a country's holidays."""
    import holidays

    with warnings.catch_warnings():  # a deprecation notice of the package is not the policy author's concern
        warnings.simplefilter("ignore")
        cal = holidays.country_holidays(country, subdiv=subdiv, years=[])
    return cal.start_year, cal.end_year


def holiday_set(h: ast.Holidays) -> tuple[HolidaySet, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    closed: dict = {}
    working: dict = {}
    years: tuple[int, int] | None = None
    countries = []
    for nat in h.national:
        region = resolve(nat.country)
        if isinstance(region, Diagnostic):
            diags.append(region)
            continue
        country, subdiv = region
        code = f"{country}-{subdiv}" if subdiv else country
        if nat.first_year > nat.last_year:
            diags.append(error("E210", f"years {nat.first_year}..{nat.last_year} are not a valid range", nat.span,
                               "write the first year, then the last, e.g. `years 2024..2027`"))
            continue
        lo, hi = covered_years(country, subdiv)
        if nat.first_year < lo or nat.last_year > hi:
            diags.append(error("E212", f"the national holidays of `{code}` are known for {lo}-{hi} only", nat.span,
                               f"declare years within {lo}..{hi}, and list later holidays as dates"))
            continue
        c, w, warned = national_days(country, nat.first_year, nat.last_year, subdiv)
        if warned:
            first_bad, last_bad = min(warned), max(warned)
            diags.append(error("E212", f"the national holidays of `{code}` are incomplete in "
                               f"{first_bad}-{last_bad} (the `holidays` package says \"{warned[first_bad]}\")", nat.span,
                               "declare only the years the holiday data covers, and list other holidays as dates"))
            continue
        closed.update(c)
        working.update(w)
        countries.append(code)
        span = (nat.first_year, nat.last_year)
        years = span if years is None else (max(years[0], span[0]), min(years[1], span[1]))
    for hd in h.dates:
        closed[hd.date] = hd.label.default if hd.label else "holiday"
    return HolidaySet(h.name.value, closed, working, years, tuple(countries)), diags


# ---- windows ---------------------------------------------------------------------

def _time_ok(t: ast.Time, is_end: bool) -> Diagnostic | None:
    h, m = divmod(t.minutes, 60)
    if t.minutes > DAY or m >= 60 or (t.minutes == DAY and not is_end) or int(t.text.split(":")[1]) >= 60:
        hint = "24:00 may only end a window" if t.minutes == DAY else "hours run 00-24, minutes 00-59"
        return error("E202", f"`{t.text}` is not a time of day", t.span, hint)
    return None


def _days(item: ast.DayItem) -> list[int]:
    a = WEEKDAYS.index(item.first.value)
    if item.last is None:
        return [a]
    b = WEEKDAYS.index(item.last.value)
    return [(a + i) % 7 for i in range((b - a) % 7 + 1)]


def _stretches(w: ast.OpenWindow) -> Iterator[tuple[int, int]]:
    """Week-minute stretches [start, end) of one window statement; end may pass WEEK."""
    if w.end_day is not None:
        start_day = _days(w.days[0])[0]
        end_day = WEEKDAYS.index(w.end_day.value)
        start = start_day * DAY + w.start.minutes
        end = end_day * DAY + w.end.minutes
        yield start, end if end > start else end + WEEK
        return
    for item in w.days:
        for d in _days(item):
            start, end = d * DAY + w.start.minutes, d * DAY + w.end.minutes
            yield start, end if end > start else end + DAY  # 22:00-06:00 ends the next day


def _fold(stretches) -> tuple[Intervals, ...]:
    per_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for s, e in stretches:
        while s < e:
            day, off = divmod(s, DAY)
            cut = min(e, (day + 1) * DAY)
            per_day[day % 7].append((off, cut - day * DAY))
            s = cut
    return tuple(merge(d) for d in per_day)


def is_cross(w: ast.OpenWindow, zone: str | None) -> bool:
    """Whether a window has an end in another zone than its calendar's (zoned.py)."""
    return any(z is not None and z.name != zone for z in (w.start_zone, w.end_zone))


def _window_diags(w: ast.OpenWindow, known_days: bool, cross: bool) -> list[Diagnostic]:
    out = [d for d in (_time_ok(w.start, False), _time_ok(w.end, True)) if d]
    out += [d for d in (check_zone(z.name, z.span) for z in (w.start_zone, w.end_zone) if z) if d]
    if w.end_day is not None and (len(w.days) != 1 or w.days[0].last is not None):
        out.append(error("E203", "a window that ends on another day starts on one day", w.span,
                         "write e.g. `open fri 16:00 - mon 08:00`"))
    if cross:  # its length is another zone's reading: neither empty nor the whole week
        return out
    if (not out and known_days and w.end_day is not None and w.days[0].first.value == w.end_day.value
            and w.start.minutes == w.end.minutes):
        out.append(error("E203", f"window from {w.end_day.value} {w.start.text} to the same time is empty or "
                         "the whole week", w.span, "write `open always` for the whole week"))
    if not out and known_days and w.end_day is None and w.start.minutes == w.end.minutes:
        out.append(error("E203", f"window {w.start.text}-{w.end.text} is empty", w.span,
                         "a window over midnight ends at an earlier time, e.g. `22:00-06:00`"))
    return out


def weekly(stmts, known_days: bool, zone: str | None = None):
    """The seven days' open intervals of a calendar body in `zone`, problems with its
    windows, and its sound windows across zones (zoned.py lays those out)."""
    diags: list[Diagnostic] = []
    placed: list[tuple[int, int, ast.OpenWindow | ast.OpenAlways]] = []
    cross: list[ast.OpenWindow] = []
    for st in stmts:
        if isinstance(st, ast.OpenAlways):
            placed.append((0, WEEK, st))
        elif isinstance(st, ast.OpenWindow):
            problems = _window_diags(st, known_days, is_cross(st, zone))
            diags.extend(problems)
            if problems or not known_days:
                continue
            if is_cross(st, zone):  # W204 looks at one zone's week only: these move with the seasons
                cross.append(st)
            else:
                placed.extend((s, e, st) for s, e in _stretches(st))
    diags.extend(_overlaps(placed))
    return _fold((s, e) for s, e, _ in placed), diags, cross


def _overlaps(placed) -> list[Diagnostic]:
    """One W204 per group of windows that overlap one another (a sweep, not every pair)."""
    flat = []
    for s, e, st in placed:  # lay stretches past the week's end back on its start
        flat.append((s, min(e, WEEK), st))
        if e > WEEK:
            flat.append((0, e - WEEK, st))
    flat.sort(key=lambda x: (x[0], x[1]))
    groups: list[dict] = []  # id -> statement, in order of first stretch
    end = -1
    for s, e, st in flat:
        if s >= end:
            groups.append({})
        end = max(end, e) if s < end else e
        groups[-1].setdefault(id(st), st)
    out = []
    for members in groups:
        if len(members) < 2:
            continue
        group = list(members.values())
        what = "another window" if len(group) == 2 else f"{len(group) - 1} other windows"
        out.append(error("W204", f"window overlaps {what} of this calendar", group[1].span,
                         notes=(("the other window", group[0].span),)))
    return out
