"""Cycles: imports, calendars defined through each other, escalation chains that include themselves."""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from ..diagnostics import Diagnostic, error


def _cycles(g: nx.MultiDiGraph, kind: str, edge_kind: str):
    sub = nx.DiGraph((a, b) for a, b, k in g.edges(data="kind") if k == edge_kind and a[0] == b[0] == kind)
    for cycle in sorted(nx.simple_cycles(sub), key=lambda c: sorted(c)):
        first = min(cycle)
        i = cycle.index(first)
        yield cycle[i:] + cycle[:i]


def _edge_span(g, a, b, edge_kind):
    return next(d["span"] for d in g.get_edge_data(a, b).values() if d["kind"] == edge_kind)


def check_import_cycles(ctx) -> Iterator[Diagnostic]:
    for cycle in _cycles(ctx.g, "module", "import"):
        chain = " -> ".join(f"`{k[1]}`" for k in cycle + [cycle[0]])
        span = _edge_span(ctx.g, cycle[-1], cycle[0], "import")
        yield error("E006", f"import cycle: {chain}", span, "move what both files need into a third file")


def check_calendar_cycles(ctx) -> Iterator[Diagnostic]:
    for cycle in _cycles(ctx.g, "calendar", "calendar"):
        chain = " -> ".join(f"`{k[1]}`" for k in cycle + [cycle[0]])
        yield error("E208", f"calendar defined in terms of itself: {chain}",
                    _edge_span(ctx.g, cycle[-1], cycle[0], "calendar"))


def check_escalation_cycles(ctx) -> Iterator[Diagnostic]:
    for cycle in _cycles(ctx.g, "escalation", "include"):
        chain = " -> ".join(f"`{k[1]}`" for k in cycle + [cycle[0]])
        yield error("E307", f"escalation chain includes itself: {chain}",
                    _edge_span(ctx.g, cycle[-1], cycle[0], "include"))
