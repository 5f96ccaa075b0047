"""Validation passes: pure functions from a policy's context to diagnostics.

Run in this order; all of them always run (each copes with what earlier ones found),
and findings are sorted by position before they are shown.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import networkx as nx

from ..decisions import Decisions
from ..diagnostics import Diagnostic
from ..model import Model
from . import calendars, cycles, metadata, names, response, rules


@dataclass(frozen=True)
class Context:
    g: nx.MultiDiGraph

    @functools.cached_property
    def model(self) -> Model:
        return Model(self.g)

    @functools.cached_property
    def decisions(self) -> Decisions:
        return Decisions(self.model)


PASSES = (
    names.check_unresolved,   # unknown names first: later passes skip what they cannot see
    names.check_duplicates,
    names.check_dimensions,
    metadata.check_metadata,
    metadata.check_languages,
    cycles.check_import_cycles,
    cycles.check_calendar_cycles,
    cycles.check_escalation_cycles,
    calendars.check_calendars,
    calendars.check_holiday_coverage,
    rules.check_tables,
    rules.check_quantities,
    rules.check_conflicts,
    response.check_gaps,
    response.check_shadowed,
    response.check_calendars_used,
    response.check_severity_order,
)


def run(g: nx.MultiDiGraph) -> tuple[Context, list[Diagnostic]]:
    ctx = Context(g)
    found: list[Diagnostic] = []
    for check in PASSES:
        found.extend(check(ctx))
    unique = dict.fromkeys(found)  # a finding reached by two routes is shown once
    return ctx, sorted(unique, key=Diagnostic.sort_key)
