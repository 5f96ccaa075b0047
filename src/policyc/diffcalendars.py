"""`policyc diff`: how the calendars of two tables differ for the tickets of one period.

A calendar is compared by what a ticket meets: its zone, its hours per weekday (the days
that change alike read as one run, `mon..fri`), its dated overrides (holidays closed,
exceptional openings), and for a calendar that follows the customer each case's hours.
A calendar only one table has is left to the rules: a rule now on it says the change.
"""

from __future__ import annotations

import json
from datetime import date

from .diffvalues import calendar_base, describe_dates, describe_hours, describe_weekdays

# members: their hours are in `week`; cases: compared case by case below
_SHOWN = {"zone", "week", "dates", "label", "source", "members", "cases"}


def calendar_changes(old: dict, new: dict, day: date):
    """(aspect, what, old, new, NEW source) for each difference of the calendars both
    tables use for tickets created on `day`."""
    bases = sorted({calendar_base(n) for n in list(new["calendars"]) + list(old["calendars"])})
    for base in bases:
        co, cn = _calendar(old, base, day), _calendar(new, base, day)
        if co is None or cn is None or co == cn:
            continue
        aspect, src = f"calendar `{base}`", _source(new, cn)
        if co["zone"] != cn["zone"]:
            yield aspect, "zone", _plain(co["zone"]), _plain(cn["zone"]), src
        for what, o, n in _hours(co, cn):
            yield aspect, what, o, n, src
        for what, o, n in _cases(co.get("cases"), cn.get("cases")):
            yield aspect, what, o, n, src
        for k in sorted(k for k in set(co) | set(cn) if k not in _SHOWN and co.get(k) != cn.get(k)):
            yield aspect, k, _plain(co.get(k)), _plain(cn.get(k)), src


def _hours(co: dict, cn: dict, prefix: str = ""):
    """(what, old, new) for the weekdays and the dates whose hours differ."""
    days: dict = {}  # (old hours, new hours) -> weekdays: mon..fri read as one change
    for i, (ho, hn) in enumerate(zip(co["week"], cn["week"])):
        if ho != hn:
            days.setdefault((describe_hours(ho), describe_hours(hn)), []).append(i)
    for (ho, hn), which in days.items():
        yield prefix + describe_weekdays(which), ho, hn
    for d in sorted(set(co["dates"]) | set(cn["dates"])):
        o, n = co["dates"].get(d), cn["dates"].get(d)
        if o != n:
            yield prefix + d, describe_dates(o), describe_dates(n)


def _cases(old, new):
    """A calendar that follows the customer: the hours of each case (`when country is
    US, CA`) that both have, else the cases as a whole."""
    if old == new:
        return
    same_whens = old is not None and new is not None and [c["when"] for c in old] == [c["when"] for c in new]
    if not same_whens:
        yield "cases", _plain(old), _plain(new)
        return
    for co, cn in zip(old, new):
        when = " and ".join(f"{k} is {', '.join(v)}" for k, v in co["when"].items()) or "every ticket"
        yield from _hours(co, cn, f"when {when}: ")


def _calendar(table: dict, base: str, day: date):
    """The calendar named `base` that a version starting on `day` uses: `base@FROM` with
    the latest FROM not after `day`, else `base` itself; None when there is none."""
    cals = table["calendars"]
    dated = sorted(n for n in cals if n.startswith(base + "@") and n.split("@", 1)[1] <= day.isoformat())
    return cals.get(dated[-1] if dated else base)


def _source(table: dict, cal: dict):
    """Where a calendar is defined; a union of calendars (`a + b`): where its first part is."""
    if cal.get("source") is None and cal.get("members"):
        return table["calendars"].get(cal["members"][0], {}).get("source")
    return cal.get("source")


def _plain(value) -> str:
    return "none" if value is None else value if isinstance(value, str) else json.dumps(value, sort_keys=True)
