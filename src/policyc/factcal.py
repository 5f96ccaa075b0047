"""Calendars that follow the customer: a zone, holidays or hours taken from ticket facts.

One declaration serves every customer: `zone from customer_zone` reads the zone from a
zone fact, `holidays from country years 2025..2027` observes the public holidays of the
ticket's region (materialised here, at compile time, for every region the dimension
admits, so that the table stays self-contained), and `when country is US-CA: open ...`
cases replace the default hours (or zone) for the tickets they match, the first
matching case that sets a part winning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ast
from .calendars import check_zone, covered_years, national_days, weekly
from .diagnostics import Diagnostic, did_you_mean, error
from .graph import defined
from .regions import resolve

if TYPE_CHECKING:
    from .model import Model


@dataclass(frozen=True, slots=True)
class RegionHolidays:
    """Closed and working dates of each region code a region dimension admits."""

    fact: str
    years: tuple[int, int]
    regions: dict  # code -> (closed {date: label}, working {date: weekday index})


@dataclass(frozen=True, slots=True)
class Case:
    """Tickets whose facts meet `when` take this case's zone and/or week (None: the default's)."""

    when: dict  # dimension -> tuple of values, in declaration order
    zone: str | None
    week: tuple | None
    span: object = None


@dataclass(frozen=True, slots=True)
class FactParts:
    zone_fact: str | None = None
    holidays: RegionHolidays | None = None
    cases: tuple[Case, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.zone_fact or self.holidays or self.cases)


def zone_facts(m: Model) -> dict[str, ast.ZoneFact]:
    return {f.name.value: f for f in defined(m.g, "fact")}


def _fact_of_kind(m: Model, name: ast.Name, want: str) -> Diagnostic | None:
    """E217 for a name that is no fact, E218 for a fact that is not a zone or region fact."""
    zones = zone_facts(m)
    dims = {d.name: d for d in m.dims}
    if want == "zone" and name.value in zones or want == "regions" and (
            name.value in dims and dims[name.value].node.regions):
        return None
    if name.value not in zones and name.value not in dims:
        pool = list(zones) if want == "zone" else [d for d in dims if dims[d].node.regions]
        hint = did_you_mean(name.value, pool) or (
            f"declare it: `fact {name.value} zone`" if want == "zone"
            else f"declare it: `dimension {name.value} regions {{ US, DE }}`")
        return error("E217", f"unknown fact `{name.value}`", name.span, hint)
    if want == "zone":
        return error("E218", f"`{name.value}` is a dimension, not a time zone fact", name.span,
                     f"declare `fact {name.value} zone` for a zone the ticket gives, or write `zone Europe/Paris`")
    what = "a time zone fact" if name.value in zones else "a dimension of plain values"
    return error("E218", f"`{name.value}` is {what}, not a dimension of holiday regions", name.span,
                 f"declare `dimension {name.value} regions {{ US, DE }}` (or `regions all`)")


def fact_parts(m: Model, c: ast.Calendar, known_days: bool, diags: list) -> FactParts:
    """The parts of calendar `c` that ticket facts choose (diagnostics appended to `diags`)."""
    zone_fact = None
    for st in (s for s in c.body if isinstance(s, ast.ZoneFrom)):
        bad = _fact_of_kind(m, st.fact, "zone")
        if bad:
            diags.append(bad)
        elif zone_fact is None:
            zone_fact = st.fact.value
    holidays = None
    for i, st in enumerate(s for s in c.body if isinstance(s, ast.HolidaysFrom)):
        if i:
            diags.append(error("E306", "holidays from a fact are set twice in this calendar", st.span))
            continue
        bad = _fact_of_kind(m, st.fact, "regions")
        if bad:
            diags.append(bad)
        else:
            holidays = _region_holidays(m, st, diags)
    return FactParts(zone_fact, holidays, _cases(m, c, known_days, diags))


def _region_holidays(m: Model, st: ast.HolidaysFrom, diags: list) -> RegionHolidays | None:
    if st.first_year > st.last_year:
        diags.append(error("E210", f"years {st.first_year}..{st.last_year} are not a valid range", st.span,
                           "write the first year, then the last, e.g. `years 2025..2027`"))
        return None
    dim = next(d for d in m.dims if d.name == st.fact.value)
    regions, short = {}, []
    for code in dim.values:
        found = resolve(ast.Name(code))
        if isinstance(found, Diagnostic):
            continue  # reported at the dimension's value
        country, subdiv = found
        lo, hi = covered_years(country, subdiv)
        if st.first_year < lo or st.last_year > hi:
            short.append(f"`{code}` ({lo}-{hi})")
            continue
        closed, working, warned = national_days(country, st.first_year, st.last_year, subdiv)
        if warned:
            short.append(f"`{code}` (incomplete in {min(warned)}-{max(warned)})")
            continue
        regions[code] = (closed, working)
    if short:
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        diags.append(error("E212", f"the holidays of {', '.join(short[:5])}{more} are not known for "
                           f"{st.first_year}-{st.last_year}", st.span,
                           "declare years the holiday data covers, or leave these regions out of the dimension"))
        return None
    return RegionHolidays(st.fact.value, (st.first_year, st.last_year), regions)


def _cases(m: Model, c: ast.Calendar, known_days: bool, diags: list) -> tuple[Case, ...]:
    """Cases in order of first appearance; statements with the same condition form one case."""
    groups: dict = {}
    for st in (s for s in c.body if isinstance(s, ast.CalCase)):
        key = tuple((t.dimension.value, frozenset(v.value for v in t.values), t.negated) for t in st.condition)
        groups.setdefault(key, []).append(st)
    out = []
    for key, stmts in groups.items():
        diags.extend(error("E221", "a calendar case cannot test the severity", t.dimension.span,
                           "choose the calendar by severity in the rules: `when severity is ..: respond on CALENDAR`")
                     for t in stmts[0].condition if t.dimension.value == "severity")
        when = _when(m, key) if not any(k[0] == "severity" for k in key) else None
        zones = [s.stmt for s in stmts if isinstance(s.stmt, ast.Zone)]
        for extra in zones[1:]:
            diags.append(error("E220", "this case sets the time zone twice", extra.span,
                               "keep one `zone` per condition"))
        bad_zone = [d for d in (check_zone(z.name, z.span) for z in zones[:1]) if d]
        diags.extend(bad_zone)
        windows = [s.stmt for s in stmts if not isinstance(s.stmt, ast.Zone)]
        week = None
        if windows:
            week, wd, _ = weekly(windows, known_days)  # a case's windows name no zone
            diags.extend(wd)
        if when is None:  # an unknown dimension or value (E101): the case matches no ticket
            continue
        out.append(Case(when, zones[0].name if zones and not bad_zone else None, week, stmts[0].span))
    return tuple(out)


def _when(m: Model, key) -> dict | None:
    """A case's condition as allowed values per dimension (None if it names something unknown)."""
    dims = {d.name: d.values for d in m.dims}
    sets: dict = {}
    for dim, values, negated in key:
        if dim not in dims or not values <= set(dims[dim]):
            return None
        allowed = set(dims[dim]) - values if negated else values
        sets[dim] = sets[dim] & allowed if dim in sets else allowed
    return {dim: tuple(v for v in dims[dim] if v in allowed) for dim, allowed in sets.items()}


MAX_HOURS_POINTS = 10_000  # value combinations tried to find a ticket that no hours case opens


def _points(cases: list, dims: dict):
    """Every combination of the values of the dimensions the cases test (None past the bound)."""
    from itertools import product

    tested = sorted({d for c in cases for d in c.when})
    count = 1
    for d in tested:
        count *= len(dims[d])
    if count > MAX_HOURS_POINTS:
        return None
    return [dict(zip(tested, values)) for values in product(*(dims[d] for d in tested))]


def _first(cases: list, point: dict):
    return next((c for c in cases if all(point[d] in allowed for d, allowed in c.when.items())), None)


def closed_for(cal, dims: dict) -> dict | None:
    """Facts (dimension -> value) for which a calendar that follows the customer has no
    open hours at all, or None: the default week is closed and no hours case matches."""
    if cal.facts is None or any(cal.week) or any(cal.dates.values()):
        return None
    cases = [c for c in cal.facts.cases if c.week is not None and any(c.week)]
    return next((p for p in _points(cases, dims) or () if _first(cases, p) is None), None)


def shadowed(cal, dims: dict) -> list:
    """(case, part) of the cases whose zone or hours no ticket takes: for every ticket it
    matches, an earlier case gives that part first."""
    out = []
    for part in ("zone", "week"):
        cases = [c for c in cal.facts.cases if getattr(c, part) is not None]
        points = _points(cases, dims)
        if points is None:
            continue
        taken = {id(_first(cases, p)) for p in points}
        out.extend((c, part) for c in cases if id(c) not in taken)
    return sorted(out, key=lambda cp: cp[0].span.start)


def union_by_facts(name: ast.Name) -> Diagnostic:
    """E219 at a calendar, chosen by ticket facts, that is joined with others."""
    return error("E219", f"calendar `{name.value}` follows ticket facts and cannot join a union", name.span,
                 "write the other calendar's hours as `when` cases of this one")


def windows_by_facts(c: ast.Calendar, cross: list) -> Diagnostic:
    """E222 at a window across zones in a calendar that follows ticket facts: its hours are
    resolved per ticket as one zone's wall week, which such a window does not fit."""
    return error("E222", "a window across time zones cannot be in a calendar that follows ticket facts",
                 cross[0].span, "write the window in the calendar's own zone, or a `when` case with its own `zone`",
                 notes=(("the calendar follows ticket facts", c.name.span),))


def narrowed(valid, parts: FactParts):
    """The calendar's valid dates once the years of its region holidays are counted."""
    if parts.holidays is None:
        return valid
    lo, hi = parts.holidays.years
    span = (dt.date(lo, 1, 1), dt.date(hi, 12, 31))
    return span if valid is None else (max(valid[0], span[0]), min(valid[1], span[1]))
