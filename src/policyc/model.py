"""The semantic model of one policy, computed once from its graph: dimensions, calendars.

`Model` is what the passes and the emitters read; each part is computed on first use
and carries the diagnostics found while computing it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ast
from .calendars import ALWAYS, CalendarIR, HolidaySet, check_zone, holiday_set, merge, weekly
from .diagnostics import Diagnostic, error
from .factcal import fact_parts, narrowed, union_by_facts, windows_by_facts
from .graph import WEEKDAYS, defined
from .metrics import StatusSet, declared_metrics, metric_order, status_set
from .zoned import cross_windows, is_plain, overrides_with_windows, too_large, zoned_union

MAX_STEPS = 1000  # steps of one escalation chain once its includes are expanded

if TYPE_CHECKING:  # networkx is imported by graph.py and passes/ only
    import networkx as nx


@dataclass(frozen=True, slots=True)
class Dim:
    name: str
    values: tuple[str, ...]
    node: ast.Dimension


class Model:
    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self.policy: ast.Policy = g.graph["policy"]
        self.broken_calendars: set[str] = set()  # with errors of their own: no findings about their use

    # ---- dimensions --------------------------------------------------------------
    @functools.cached_property
    def dims(self) -> tuple[Dim, ...]:
        """Declared dimensions, severity last; the order of points and of `when` keys."""
        found = [Dim(d.name.value, tuple(dict.fromkeys(v.name.value for v in d.values)), d)
                 for d in defined(self.g, "dimension")]
        return tuple(sorted(found, key=lambda d: d.name == "severity"))

    # ---- statuses and metrics -------------------------------------------------------
    @functools.cached_property
    def statuses(self) -> StatusSet:
        return status_set(self.g)

    @functools.cached_property
    def metrics(self) -> dict[str, ast.Metric]:
        """Declared metrics (and the implicit `first_response`) by name."""
        return declared_metrics(self.g)

    @functools.cached_property
    def metric_order(self) -> list[str]:
        return metric_order(self.metrics)

    @functools.cached_property
    def dim_index(self) -> dict[str, int]:
        return {d.name: i for i, d in enumerate(self.dims)}

    @functools.cached_property
    def orders(self) -> dict[str, tuple[str, ...]]:
        """Each ordered dimension's values, the worst first: the severities from the least
        severe up (their declaration lists the most severe first), then each well-formed
        `order` (its dimension and values known and each value once; others are reported)."""
        out = {"severity": tuple(reversed(self.severities))} if "severity" in self.dim_index else {}
        for o in defined(self.g, "order"):
            i = self.dim_index.get(o.dimension.value)
            names = [v.value for v in o.values]
            if i is None or o.dimension.value == "severity" or len(set(names)) < len(names):
                continue
            if set(names) <= set(self.dims[i].values):
                out[o.dimension.value] = tuple(names)
        return out

    @property
    def severities(self) -> tuple[str, ...]:
        i = self.dim_index.get("severity")
        return self.dims[i].values if i is not None else ()

    # ---- holidays and calendars ---------------------------------------------------------
    @functools.cached_property
    def holiday_sets(self) -> tuple[dict[str, HolidaySet], list[Diagnostic]]:
        sets, diags = {}, []
        for h in defined(self.g, "holidays"):
            hs, d = holiday_set(h)
            sets[h.name.value] = hs
            diags.extend(d)
        return sets, diags

    @functools.cached_property
    def calendars(self) -> tuple[dict[str, CalendarIR], list[Diagnostic]]:
        """Every defined calendar flattened; unions must share one zone."""
        out: dict[str, CalendarIR] = {"always": ALWAYS}
        diags: list[Diagnostic] = []
        defs = {c.name.value: c for c in defined(self.g, "calendar")}
        # Members before the unions made of them, by a loop rather than recursion: a chain
        # of 3,000 unions defined last-first must not exhaust the stack.
        for name in members_first(defs, lambda c: [n.value for n in c.union]):
            c = defs[name]
            if c.union:  # a member unknown, broken or on a cycle is absent: no union, no new finding
                cal = self._union(c, [out.get(n.value) for n in c.union], diags)
            else:
                cal = self._body(c, diags)
            big = cal and too_large(cal, f"calendar `{name}`", c.name.span)
            if big:
                diags.append(big)
                self.broken_calendars.add(name)
            elif cal is not None:
                out[name] = cal
        return out, diags

    @functools.cached_property
    def escalations(self) -> dict[str, tuple | None]:
        """Each named chain's steps, includes expanded once each; None if it expands past MAX_STEPS."""
        chains = {e.name.value: e for e in defined(self.g, "escalation")}

        def included(chain: ast.Escalation) -> list[str]:
            return [st.chain.value for st in chain.steps if isinstance(st, ast.Include)]

        sizes: dict[str, int] = {}
        out: dict[str, tuple | None] = {}
        for name in members_first(chains, included):
            # An include of an unknown chain or one on a cycle (both reported elsewhere) adds nothing.
            sizes[name] = sum(sizes.get(st.chain.value, 0) if isinstance(st, ast.Include) else 1
                              for st in chains[name].steps)
            out[name] = flatten_steps(self, chains[name].steps, out) if sizes[name] <= MAX_STEPS else None
        return out

    def _body(self, c: ast.Calendar, diags: list) -> CalendarIR | None:
        zones = [s for s in c.body if isinstance(s, (ast.Zone, ast.ZoneFrom))]
        if not zones:
            diags.append(error("E205", f"calendar `{c.name.value}` has no time zone", c.name.span,
                               "add e.g. `zone Europe/Paris` or `zone UTC+02:00`"))
        for extra in zones[1:]:
            diags.append(error("E306", "the time zone is set twice in this calendar", extra.span))
        bad_zone = [d for d in (check_zone(z.name, z.span) for z in zones[:1] if isinstance(z, ast.Zone)) if d]
        diags.extend(bad_zone)
        known_days = self._days_known(c)
        zone = zones[0].name if zones and isinstance(zones[0], ast.Zone) else None
        week, wd, cross = weekly(c.body, known_days, zone)
        diags.extend(wd)
        diags.extend(overrides_with_windows(c, cross))
        n_before = len(diags)
        parts = fact_parts(self, c, known_days, diags)
        if parts.any and cross:
            diags.append(windows_by_facts(c, cross))
        if bad_zone or any(d.is_error for d in wd + diags[n_before:]):
            self.broken_calendars.add(c.name.value)
        days, valid = self._days(c)
        if not zones or bad_zone or (isinstance(zones[0], ast.ZoneFrom) and parts.zone_fact is None):
            return None
        if not parts.any:
            windows = tuple(dict.fromkeys(x for w in cross for x in cross_windows(w, zone)))
            dates = {d: () if w is None else week[w] for d, w in days.items()}
            # Keep only the dates that differ from their weekday: a Sunday holiday changes nothing.
            dates = {d: iv for d, iv in sorted(dates.items()) if iv != week[d.weekday()]}
            return CalendarIR(c.name.value, zone, week, dates, valid, c.label, c.name.span, windows=windows)
        # Every own date is kept: it overrides the region's holidays whatever its weekday.
        dates = {d: () if w is None else week[w] for d, w in sorted(days.items())}
        return CalendarIR(c.name.value, zone or "", week, dates, narrowed(valid, parts), c.label, c.name.span,
                          facts=parts, days=dict(sorted(days.items())))

    def _days_known(self, c: ast.Calendar) -> bool:
        """False when a weekday name in the calendar is unknown (already reported)."""
        key = ("calendar", c.name.value)
        return not any(ref[0] == "weekday" and src == key for ref, _, src in self.g.graph["unresolved"])

    def _days(self, c: ast.Calendar) -> tuple[dict, tuple[dt.date, dt.date] | None]:
        """The calendar's own dates (observed holiday sets, `closed`, `open .. as`): date ->
        the weekday whose hours apply, None when closed; and the dates its holiday data covers."""
        sets = self.holiday_sets[0]
        days: dict = {}
        valid = None
        for st in c.body:
            if isinstance(st, ast.Observe) and st.holidays.value in sets:
                hs = sets[st.holidays.value]
                days.update(dict.fromkeys(hs.closed))
                days.update(hs.working)
                if hs.years:
                    span = (dt.date(hs.years[0], 1, 1), dt.date(hs.years[1], 12, 31))
                    valid = span if valid is None else (max(valid[0], span[0]), min(valid[1], span[1]))
        for st in c.body:
            if isinstance(st, ast.ClosedDate):
                days[st.date] = None
            elif isinstance(st, ast.OpenDate) and st.as_day.value in WEEKDAYS:
                days[st.date] = WEEKDAYS.index(st.as_day.value)
        return days, valid

    def _union(self, c: ast.Calendar, members: list, diags: list) -> CalendarIR | None:
        if any(m is None for m in members):
            return None
        chosen = [n for n, m in zip(c.union, members) if m.by_facts]
        if chosen:
            diags.append(union_by_facts(chosen[0]))
            return None
        return union(c.name.value, members, c.label, c.name.span)


def union(name: str, members: list[CalendarIR], label=None, span=None) -> CalendarIR:
    """One calendar open whenever any member is open: one wall calendar when the members
    are wall calendars of one zone, else a calendar across zones (zoned.py)."""
    if len({m.zone for m in members}) > 1 or not all(map(is_plain, members)):
        return zoned_union(name, members, label, span, _wall_union)
    return _wall_union(name, members, label, span)


def _wall_union(name: str, members: list[CalendarIR], label=None, span=None) -> CalendarIR:
    """The union of wall calendars that share a zone: one wall calendar."""
    week = tuple(merge(iv for m in members for iv in m.week[d]) for d in range(7))
    days = sorted({d for m in members for d in m.dates})
    dates = {d: merge(iv for m in members for iv in m.on(d)) for d in days}
    dates = {d: iv for d, iv in dates.items() if iv != week[d.weekday()]}
    valids = [m.valid for m in members if m.valid]
    valid = (max(v[0] for v in valids), min(v[1] for v in valids)) if valids else None
    return CalendarIR(name, members[0].zone, week, dates, valid, label, span,
                      tuple(m.name for m in members))


def calendar_expr(model: Model, names: tuple[ast.Name, ...]) -> CalendarIR | None:
    """The calendar an `on a + b` expression denotes (None if a part is unknown or broken)."""
    cals = model.calendars[0]
    parts = [cals.get(n.value) for n in names]
    if any(p is None for p in parts):
        return None
    if len(parts) == 1:
        return parts[0]
    if any(p.by_facts for p in parts):
        return None  # E219 where a rule joins them (passes/response.py)
    return union("+".join(n.value for n in names), parts)


def _step(st: ast.Step) -> tuple:
    timed = st.after is not None or st.share is not None
    metric = (st.metric.value if st.metric else ast.FIRST_RESPONSE) if timed else None
    return (st.channel.value, tuple(r.value for r in st.to), tuple(r.value for r in st.cc),
            st.after.minutes if st.after else None, st.share, metric)


def escalation_steps(model: Model, name: str) -> tuple:
    """The steps of a named chain, includes expanded (unknown, cyclic or too long: none; reported elsewhere)."""
    return model.escalations.get(name) or ()


def flatten_steps(model: Model, steps, expanded: dict | None = None) -> tuple:
    """Steps with each `include` replaced by the steps of the chain it names."""
    expanded = model.escalations if expanded is None else expanded
    out: list = []
    for st in steps:
        if isinstance(st, ast.Include):
            out.extend(expanded.get(st.chain.value) or ())
        else:
            out.append(_step(st))
    return tuple(out)


def members_first(defs: dict, parts) -> list[str]:
    """The names of `defs` ordered so that each comes after the defined names `parts(def)` lists.

    Depth first with an explicit stack; a name met again while its own parts are being
    ordered closes a cycle and is not waited for (cycles are reported by their own pass).
    """
    order: list[str] = []
    state: dict[str, bool] = {}  # False while its parts are being ordered, True once placed
    for root in defs:
        if root in state:
            continue
        state[root] = False
        stack = [(root, iter(parts(defs[root])))]
        while stack:
            name, todo = stack[-1]
            nxt = next(todo, None)
            if nxt is None:
                stack.pop()
                state[name] = True
                order.append(name)
            elif nxt in defs and nxt not in state:
                state[nxt] = False
                stack.append((nxt, iter(parts(defs[nxt]))))
    return order
