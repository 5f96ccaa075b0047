"""The table entries of calendars that ticket facts choose (docs/table-format.md,
"Calendars that follow the customer"), and of the facts they read."""

from __future__ import annotations

from ..calendars import CalendarIR
from ..graph import WEEKDAYS


def _week(week) -> list:
    return [[list(iv) for iv in day] for day in week]


def _dates(days: dict, week) -> dict:
    """A calendar's own dates, laid on `week` (every one kept: each overrides the region's holidays)."""
    return {d.isoformat(): [] if w is None else [list(iv) for iv in week[w]] for d, w in days.items()}


def fact_entry(cal: CalendarIR, entry: dict) -> dict:
    """`entry` (a plain calendar's keys) with the parts the facts choose added."""
    parts = cal.facts
    if parts.zone_fact is not None:
        entry["zone"] = {"fact": parts.zone_fact}
    if parts.holidays is not None:
        h = parts.holidays
        entry["holidays"] = {"fact": h.fact, "years": list(h.years), "regions": regions(h.regions)}
    if parts.cases:
        entry["cases"] = [case_entry(cal, c) for c in parts.cases]
    return entry


def case_entry(cal: CalendarIR, case) -> dict:
    out: dict = {"when": {k: list(v) for k, v in case.when.items()}}
    if case.zone is not None:
        out["zone"] = case.zone
    if case.week is not None:
        out["week"] = _week(case.week)
        out["dates"] = _dates(cal.days, case.week)
    return out


def regions(found: dict) -> dict:
    """Each region's closed and working dates; a subdivision whose country is admitted too
    stores only how it differs from it (`of`: its country, `closed`: more, `open`: fewer)."""
    out = {}
    for code, (closed, working) in sorted(found.items()):
        country = code.partition("-")[0]
        entry: dict
        if country != code and country in found:
            base = found[country][0]
            entry = {"of": country, "closed": [d.isoformat() for d in sorted(closed.keys() - base.keys())]}
            opened = sorted(base.keys() - closed.keys())
            if opened:
                entry["open"] = [d.isoformat() for d in opened]
        else:
            entry = {"closed": [d.isoformat() for d in closed]}
        if working:
            entry["working"] = {d.isoformat(): WEEKDAYS[w] for d, w in sorted(working.items())}
        out[code] = entry
    return out
