"""Calendars: zones, times, windows, national holidays and the years they cover."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, error
from ..graph import defined
from .. import ast


def check_calendars(ctx) -> Iterator[Diagnostic]:
    yield from ctx.model.holiday_sets[1]
    yield from ctx.model.calendars[1]


def check_holiday_coverage(ctx) -> Iterator[Diagnostic]:
    """National holidays must be materialised for every year the policy is effective."""
    p = ctx.model.policy
    if not p.effective:
        return
    first = p.effective[0].year
    last = p.effective[1].year if p.effective[1] else first
    sets = ctx.model.holiday_sets[0]
    for cal in defined(ctx.g, "calendar"):
        for st in cal.body:
            if isinstance(st, ast.HolidaysFrom):
                name, years = f"from `{st.fact.value}`", (st.first_year, st.last_year)
            elif isinstance(st, ast.Observe) and st.holidays.value in sets:
                name, years = f"`{st.holidays.value}`", sets[st.holidays.value].years
            else:
                continue
            if years and (years[0] > first or years[1] < last):
                period = f"{first}" if first == last else f"{first}-{last}"
                yield error("E211", f"holidays {name} cover {years[0]}-{years[1]}, but the policy "
                            f"is effective in {period}", st.span,
                            f"declare `years {min(first, years[0])}..{max(last, years[1])}`")


def check_region_dimensions(ctx) -> Iterator[Diagnostic]:
    """Each value of a `regions { .. }` dimension is a region the `holidays` package knows (E209),
    and a zone fact does not share its name with a dimension (E102)."""
    from ..factcal import zone_facts
    from ..regions import resolve

    for dim in ctx.model.dims:
        if dim.node.regions == "list":
            for v in dim.node.values:
                found = resolve(v.name)
                if isinstance(found, Diagnostic):
                    yield found
    for name, fact in zone_facts(ctx.model).items():
        if name in ctx.model.dim_index:
            yield error("E102", f"fact `{name}` is defined twice", fact.name.span,
                        notes=(("first defined here", ctx.model.dims[ctx.model.dim_index[name]].node.name.span),))


def check_cases(ctx) -> Iterator[Diagnostic]:
    """A `when` case of a calendar that earlier cases shadow: the first match wins, so it never applies."""
    from ..factcal import shadowed

    dims = {d.name: d.values for d in ctx.model.dims}
    for cal in ctx.model.calendars[0].values():
        if cal.facts is None or cal.name in ctx.model.broken_calendars:
            continue
        for case, part in shadowed(cal, dims):
            what = "time zone" if part == "zone" else "hours"
            yield error("W217", f"no ticket takes the {what} of this case: earlier cases give {what} to every "
                        "ticket it matches", case.span, "cases are read in order, the first match wins: "
                        "write the narrower case first")
