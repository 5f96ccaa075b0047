"""How an occurrence's due instant was reached: the calendar walked from the clock's start.

The clock counts [start, due) minus the occurrence's pauses; on each counted stretch the
calendar's open intervals (the evaluator's `open_intervals`, exact with DST) are the time
that counted. The local dates of the calendar's zone on the way that hold no open time
are the days skipped, each named by the table's holiday data when it is a holiday. Only
the evaluator's public pieces are used; the walk is bounded (MAX_SHOWN intervals and
days listed, the rest counted).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from .evaluator.clock import REAL, Clock, iso_duration, utc
from .evaluator.intervals import open_intervals
from .evaluator.zones import from_us, to_us

MAX_SHOWN = 40  # intervals and skipped days listed per occurrence; the rest are counted
MAX_DAYS = 800  # local dates looked at for skipped days (a due more than two years on: cut)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _open(cal, lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
    """The open instants of [lo, hi) on a wall or zoned calendar, as UTC intervals."""
    a, b = to_us(lo), to_us(hi)
    found = cal.open_intervals(a, b) if hasattr(cal, "open_intervals") else open_intervals(cal, a, b)
    return [(from_us(p), from_us(q)) for p, q in found]


def counted(start: datetime, end: datetime, pauses: list) -> list[tuple[datetime, datetime]]:
    """[start, end) minus the pauses (a pause still running ends at `end`): the evaluator's
    clock's counted intervals, read in real time so no calendar is asked."""
    return [(a, b) for a, b in Clock(REAL, start, end, pauses).intervals if b > a]


def walk(cal, table_data: dict, name: str, start: datetime, end: datetime, pauses: list,
         facts: dict) -> dict:
    """The open intervals counted from `start` to `end`, the local dates skipped, the pauses."""
    opened, total = [], timedelta(0)
    for a, b in counted(start, end, pauses):
        for p, q in _open(cal, a, b):
            total += q - p
            opened.append({"from": utc(p), "until": utc(q), "local": _local(p, q, cal.zone),
                           "counted": iso_duration(q - p)})
    return {"calendar": name, "zone": str(cal.zone), "from": utc(start), "until": utc(end),
            "open": opened[:MAX_SHOWN], "open_not_shown": max(0, len(opened) - MAX_SHOWN),
            "counted": iso_duration(total), "skipped": _skipped(cal, table_data, name, start, end, facts),
            "pauses": [{"from": utc(p), "until": utc(q)} for p, q in pauses]}


def _local(p: datetime, q: datetime, zone) -> str:
    """`Fri 2025-06-13 17:30 .. 18:30`: an interval as the calendar's zone reads it."""
    lp, lq = p.astimezone(zone), q.astimezone(zone)
    head = f"{lp:%a %Y-%m-%d %H:%M}"
    if lq.date() == lp.date():
        return f"{head} .. {lq:%H:%M}"
    if lq.time() == time(0) and lq.date() == lp.date() + timedelta(days=1):
        return f"{head} .. 24:00"
    return f"{head} .. {lq:%a %Y-%m-%d %H:%M}"


def _skipped(cal, table_data: dict, name: str, start: datetime, end: datetime, facts: dict) -> list[dict]:
    """Local dates strictly inside the walk with no open time: a holiday (named) or a weekly day off."""
    zone = cal.zone
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    names = _holiday_names(table_data)
    special = dated(table_data.get("calendars", {}), name, facts)
    out = []
    day = first + timedelta(days=1)
    while day < last and (day - first).days < MAX_DAYS and len(out) < MAX_SHOWN:
        lo = datetime.combine(day, time(0), zone)
        hi = datetime.combine(day + timedelta(days=1), time(0), zone)
        if not _open(cal, lo, hi):
            key = day.isoformat()
            # a date the calendar's `dates` close is a holiday (named when the table knows it);
            # any other closed date is closed by the week
            if key in special:
                why = f"holiday: {names[key]}" if key in names else f"holiday ({special[key]})"
            else:
                why = f"no hours on {_WEEKDAYS[day.weekday()]}s"
            out.append({"date": key, "weekday": _WEEKDAYS[day.weekday()], "why": why})
        day += timedelta(days=1)
    return out


def _holiday_names(table_data: dict) -> dict:
    """Date -> name of the holiday, over every holiday set of the table."""
    out: dict = {}
    for entry in (table_data.get("holidays") or {}).values():
        for day, label in (entry.get("closed") or {}).items():
            out.setdefault(day, label if isinstance(label, str) else str(label))
    return out


def dated(calendars: dict, name: str, facts: dict, depth: int = 0) -> dict:
    """Date -> where it comes from, for every date a calendar's table entry sets apart from
    its week: its own `dates`, its hours cases' dates, the holidays of the ticket's region
    (a calendar that follows the customer), its parts' and its members' (a union)."""
    entry = calendars.get(name) or {}
    out = dict.fromkeys(entry.get("dates") or {}, "the calendar's dates")
    for case in entry.get("cases") or ():
        out.update(dict.fromkeys(case.get("dates") or {}, "the calendar's dates"))
    for part in entry.get("parts") or ():
        out.update(dict.fromkeys(part.get("dates") or {}, "the calendar's dates"))
    holidays = entry.get("holidays")
    region = facts.get(holidays["fact"]) if isinstance(holidays, dict) and "fact" in holidays else None
    regions = holidays.get("regions", {}) if region else {}
    seen = set()
    while region in regions and region not in seen:  # a subdivision, then the country it is `of`
        seen.add(region)
        out.update({d: out.get(d, f"a public holiday of `{region}`") for d in regions[region].get("closed", ())})
        region = regions[region].get("of")
    if depth < 8:  # members are calendars of the table; a union of unions stays shallow
        for member in entry.get("members") or ():
            out.update({d: w for d, w in dated(calendars, member, facts, depth + 1).items() if d not in out})
    return out
