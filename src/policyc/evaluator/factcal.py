"""Calendars that follow the customer: the concrete calendar for a ticket's facts.

A table calendar may take its zone from a zone fact, its holidays from a region fact
(the dates of every admitted region are in the table) and its zone or hours from
`cases` (docs/table-format.md, "Calendars that follow the customer"). `resolve`
returns a plain business_time.Calendar for the facts at hand, built once per
(zone, region, hours case) and kept in a bounded cache, so the arithmetic is exactly
that of a calendar written out by hand for that customer.
"""

from __future__ import annotations

from . import business_time as bt
from .errors import FactError
from .zones import parse_zone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RESOLVED = 1024  # concrete calendars kept per table calendar (each a few kilobytes)


class FactCalendar:
    """One entry of a table's `calendars` whose zone, holidays or hours come from facts."""

    def __init__(self, entry: dict, name: str):
        self.name = name
        zone = entry["zone"]
        self.zone_fact = zone["fact"] if isinstance(zone, dict) else None
        self.zone = None if self.zone_fact else zone
        self.week, self.dates, self.valid = entry["week"], entry["dates"], entry["valid"]
        holidays = entry.get("holidays")
        self.region_fact = holidays["fact"] if holidays else None
        self._regions = holidays["regions"] if holidays else {}
        self._region_days: dict = {}  # code -> {date: weekday index, None when closed}
        self.cases = tuple((tuple((f, frozenset(v)) for f, v in c["when"].items()), c.get("zone"),
                            c.get("week"), c.get("dates", {})) for c in entry.get("cases", ()))
        for zone_name in [self.zone] + [c[1] for c in self.cases]:
            if zone_name is not None:
                parse_zone(zone_name)  # ValueError: the table names a zone that does not exist
        self._resolved: dict = {}
        # a first build checks the week and dates as a plain calendar would be checked at load
        bt.Calendar(self.zone or "UTC", self.week, self.dates, self.valid, name)

    def __repr__(self) -> str:
        return f"<FactCalendar {self.name!r}>"

    def resolve(self, facts: dict) -> bt.Calendar:
        """The calendar for these facts; FactError names a fact it needs that is missing."""
        zone, week, dates, hours = self.zone, self.week, self.dates, -1
        zone_set = False
        for i, (conds, case_zone, case_week, case_dates) in enumerate(self.cases):
            wants_zone = case_zone is not None and not zone_set
            wants_week = case_week is not None and hours < 0
            if (wants_zone or wants_week) and self._matches(conds, facts):
                if wants_zone:
                    zone, zone_set = case_zone, True
                if wants_week:
                    week, dates, hours = case_week, case_dates, i
        if not zone_set and self.zone_fact is not None:
            zone = self._fact(facts, self.zone_fact)
        region = self._fact(facts, self.region_fact) if self.region_fact is not None else None
        key = (zone, region, hours)
        cal = self._resolved.get(key)
        if cal is None:
            if len(self._resolved) >= MAX_RESOLVED:
                del self._resolved[next(iter(self._resolved))]  # the oldest: a bound, not a policy
            cal = self._resolved[key] = self._build(zone, region, week, dates)
        return cal

    def _build(self, zone: str, region: str | None, week, dates) -> bt.Calendar:
        days = {}
        if region is not None:
            days = {d: [] if w is None else week[w] for d, w in self._days_of(region).items()}
        days.update(dates)  # the calendar's own dates override the region's holidays
        return bt.Calendar(zone, week, days, self.valid, self.name)

    def _days_of(self, code: str) -> dict:
        """A region's closed (None) and working (weekday index) dates, its country's first."""
        found = self._region_days.get(code)
        if found is None:
            entry = self._regions[code]
            found = dict(self._days_of(entry["of"])) if "of" in entry else {}
            for d in entry.get("open", ()):
                found.pop(d, None)
            found.update(dict.fromkeys(entry["closed"]))
            found.update({d: WEEKDAYS.index(w) for d, w in entry.get("working", {}).items()})
            self._region_days[code] = found
        return found

    def _matches(self, conds, facts: dict) -> bool:
        """A case's condition: false as soon as a given fact fails it; a missing one it needs is an error."""
        missing = None
        for fact, allowed in conds:
            value = facts.get(fact)
            if value is None:
                missing = missing or fact
            elif value not in allowed:
                return False
        if missing is not None:
            raise self._missing(missing)
        return True

    def _fact(self, facts: dict, name: str) -> str:
        value = facts.get(name)
        if value is None:
            raise self._missing(name)
        return value

    def _missing(self, name: str) -> FactError:
        return FactError(f"missing fact `{name}`: calendar `{self.name}` needs it")
