"""Calendars across time zones: windows whose ends lie in two zones, unions of zones.

A window `open fri 17:00 - mon 09:00 Asia/Tokyo` in a calendar of zone New York opens at
every instant that reads Friday 17:00 in New York and closes at the first later instant
that reads Monday 09:00 in Tokyo: it cannot be laid on one zone's week, so it is kept as
an `XWindow` beside the calendar's wall week. A union of calendars in different zones
keeps each zone's wall calendar as a part. The evaluator (evaluator/instants.py) works on
both as sets of instants; docs/table-format.md, "Calendars across zones", has the format.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import ast
from .calendars import DAY, CalendarIR, _days
from .diagnostics import Diagnostic, error
from .emit.factcal import fact_entry
from .evaluator.limits import MAX_CALENDAR_PARTS, MAX_CALENDAR_WINDOWS
from .graph import WEEKDAYS
from .source import Span

End = tuple[str, "int | None", int]  # (zone, weekday Monday 0 or None for every day, minute 0-1439)


@dataclass(frozen=True, slots=True)
class XWindow:
    """Open from each instant reading `start` to the first later one reading `until`."""
    start: End
    until: End


def cross_windows(w: ast.OpenWindow, zone: str) -> list[XWindow]:
    """The XWindows of a window across zones (its times and days already checked)."""
    zs = w.start_zone.name if w.start_zone else zone
    ze = w.end_zone.name if w.end_zone else zone
    day, minute = divmod(w.end.minutes, DAY)  # 24:00 is the next day's 00:00
    if w.end_day is not None:
        first = WEEKDAYS.index(w.days[0].first.value)
        end_day = (WEEKDAYS.index(w.end_day.value) + day) % 7
        return [XWindow((zs, first, w.start.minutes), (ze, end_day, minute))]
    return [XWindow((zs, d, w.start.minutes), (ze, None, minute)) for item in w.days for d in _days(item)]


def overrides_with_windows(c: ast.Calendar, windows: list[ast.OpenWindow]) -> list[Diagnostic]:
    """E213: date overrides change one zone's wall dates, which a window across zones has not."""
    if not windows:
        return []
    dated = [st for st in c.body if isinstance(st, (ast.Observe, ast.ClosedDate, ast.OpenDate))]
    if not dated:
        return []
    return [error("E213", "a window across time zones cannot share a calendar with holidays or dates",
                  windows[0].span, f"define the window in a calendar of its own and join them, e.g. "
                  f"`calendar all = {c.name.value}_hours + {c.name.value}_weekend`",
                  notes=(("the dates it would ignore", dated[0].span),))]


def too_large(cal: CalendarIR, what: str, span: Span) -> Diagnostic | None:
    """E214 when a calendar across zones holds more than a table may (limits.py)."""
    if len(cal.windows) > MAX_CALENDAR_WINDOWS:
        return error("E214", f"{what} has {len(cal.windows)} windows across time zones; a table holds at most "
                     f"{MAX_CALENDAR_WINDOWS} in one calendar", span, "lay more of the windows in the calendar's own zone")
    if len(cal.parts) > MAX_CALENDAR_PARTS:
        return error("E214", f"{what} joins calendars in {len(cal.parts)} time zones; a table holds at most "
                     f"{MAX_CALENDAR_PARTS} in one calendar", span, "join calendars of fewer zones")
    return None


def is_plain(cal: CalendarIR) -> bool:
    """A wall calendar: one zone's week and dates, nothing across zones."""
    return not cal.windows and not cal.parts


def wall_parts(cal: CalendarIR) -> tuple[CalendarIR, ...]:
    """The wall calendars a calendar's open time is made of (its windows aside)."""
    if cal.parts:
        return cal.parts
    own = dataclasses.replace(cal, windows=())
    return () if own.never_open and cal.windows else (own,)


def zoned_union(name: str, members: list[CalendarIR], label, span, merge_walls) -> CalendarIR:
    """One calendar open whenever any member is open, members in any zones: the wall
    parts of one zone merged into one (`merge_walls`, the union of one zone)."""
    by_zone: dict[str, list[CalendarIR]] = {}
    for m in members:
        for p in wall_parts(m):
            by_zone.setdefault(p.zone, []).append(p)
    parts = tuple(ps[0] if len(ps) == 1 else merge_walls(ps[0].name, ps) for ps in by_zone.values())
    windows = tuple(dict.fromkeys(w for m in members for w in m.windows))
    return CalendarIR(name, members[0].zone, ((),) * 7, {}, None, label, span,
                      tuple(m.name for m in members), windows, parts)


def table_entry(cal: CalendarIR) -> dict:
    """What the evaluator reads of a calendar: its entry in the table's `calendars`, without
    label and source (the emitter adds them; the checks build evaluator calendars from it):
    a wall calendar's keys, or for one across zones its home zone, parts and windows; one
    that follows ticket facts adds what they choose (emit/factcal.py; never across zones:
    E219, E222)."""
    if cal.by_facts:
        return fact_entry(cal, wall(cal))
    if is_plain(cal):
        return wall(cal)
    return {"zone": cal.zone, "parts": [wall(p) for p in wall_parts(cal)],
            "windows": [{"from": _end(w.start), "until": _end(w.until)} for w in cal.windows]}


def wall(cal: CalendarIR) -> dict:
    """The keys of one wall calendar: a zone, its week, its dates, the dates it is valid."""
    return {"zone": cal.zone,
            "week": [[list(iv) for iv in day] for day in cal.week],
            "dates": {d.isoformat(): [list(iv) for iv in ivs] for d, ivs in sorted(cal.dates.items())},
            "valid": {"from": cal.valid[0].isoformat(), "until": cal.valid[1].isoformat()} if cal.valid else None}


def _end(e) -> dict:
    """One end of a window across zones: its zone, weekday (Monday 0; null: any) and minute."""
    return {"zone": e[0], "weekday": e[1], "minute": e[2]}
