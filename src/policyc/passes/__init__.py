"""Validation passes: pure functions from a policy's context to diagnostics.

Run in this order; all of them always run (each copes with what earlier ones found),
except the never-slower check, which compares due times computed from the table the
policy would give: after an error there is no such table (an out-of-range target is
clamped, a conflicting rule has no winner), so it runs only on a policy without errors.
Findings are sorted by position before they are shown.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import networkx as nx

from ..decisions import Decisions
from ..diagnostics import Diagnostic
from ..model import Model
from . import calendars, cycles, exceptions, metadata, metrics, names, order, response, restricted, rules, support


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
    order.check_orders,
    restricted.check_restrictions,
    restricted.check_required,
    metadata.check_metadata,
    metadata.check_languages,
    cycles.check_import_cycles,
    cycles.check_calendar_cycles,
    cycles.check_escalation_cycles,
    cycles.check_escalation_size,
    calendars.check_calendars,
    calendars.check_region_dimensions,
    calendars.check_cases,
    calendars.check_holiday_coverage,
    rules.check_tables,
    rules.check_quantities,
    rules.check_conflicts,
    exceptions.check_exceptions,
    response.check_gaps,
    response.check_shadowed,
    response.check_calendars_used,
    support.check_support,
    metrics.check_clauses,
    metrics.check_starts,
    metrics.check_pauses,
    metrics.check_targets_declared,
    metrics.check_shorter_than_response,
)


MAX_PER_CODE = 100  # findings of one code in one file; the rest are counted, not shown


def run(g: nx.MultiDiGraph, prior_errors: bool = False) -> tuple[Context, list[Diagnostic]]:
    """Every pass on one policy's graph; `prior_errors`: reading the files found errors already."""
    ctx = Context(g)
    found: list[Diagnostic] = []
    for check in PASSES:
        found.extend(check(ctx))
    if not prior_errors and not any(d.is_error for d in found):
        found.extend(order.check_never_slower(ctx))  # W304 (severities) and W315 (ordered dimensions)
    unique = dict.fromkeys(found)  # a finding reached by two routes is shown once
    return ctx, cap(sorted(unique, key=Diagnostic.sort_key))


def cap(found: list[Diagnostic], limit: int = MAX_PER_CODE) -> list[Diagnostic]:
    """At most `limit` findings of a code in a file, then one that counts the others.

    The count stands where the first finding left out would have been, with the same code,
    so an error stays an error and `--format json` readers see the code they filter on.
    """
    counts: dict[tuple[str, str], int] = {}
    kept: list[Diagnostic] = []
    first_hidden: dict[tuple[str, str], Diagnostic] = {}
    for d in found:
        key = (d.span.path, d.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= limit:
            kept.append(d)
        elif counts[key] == limit + 1:
            first_hidden[key] = d
    for key, d in first_hidden.items():
        more = counts[key] - limit
        kept.append(Diagnostic(d.code, f"... and {more} more {d.code} finding{'s' if more > 1 else ''} in this file",
                               d.span, f"policyc shows the first {limit} of each code in a file"))
    return sorted(kept, key=Diagnostic.sort_key)
