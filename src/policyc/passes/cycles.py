"""Cycles: imports, calendars defined through each other, escalation chains that include themselves.

Each strongly connected component is reported once, with one cycle through it as the
example: enumerating every simple cycle (there are factorially many in a dense
component) made twelve calendars each joining the other eleven run out of memory.
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from .. import ast
from ..diagnostics import Diagnostic, error
from ..model import MAX_STEPS


def _cycles(g: nx.MultiDiGraph, kind: str, edge_kind: str) -> Iterator[tuple[list, int]]:
    """One cycle per component that has one (starting at its least node), and the component's size."""
    sub = nx.DiGraph((a, b) for a, b, k in g.edges(data="kind") if k == edge_kind and a[0] == b[0] == kind)
    found = []
    for comp in nx.strongly_connected_components(sub):
        first = min(comp)
        if len(comp) == 1 and not sub.has_edge(first, first):
            continue
        found.append((_cycle_through(sub, first, comp), len(comp)))
    yield from sorted(found)


def _cycle_through(sub: nx.DiGraph, first, comp: set) -> list:
    """A shortest cycle from `first` back to itself inside its component (breadth first, linear)."""
    if sub.has_edge(first, first):
        return [first]
    parent = {first: None}
    queue = [first]
    for node in queue:  # the list grows while it is walked: a FIFO without deque
        for nxt in sorted(sub.successors(node)):
            if nxt == first:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return path[::-1]
            if nxt in comp and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    raise AssertionError("a strongly connected component has a cycle through each node")


def _edge_span(g, a, b, edge_kind):
    return next(d["span"] for d in g.get_edge_data(a, b).values() if d["kind"] == edge_kind)


def _chain(cycle: list, size: int) -> str:
    chain = " -> ".join(f"`{k[1]}`" for k in cycle + [cycle[0]])
    others = size - len(cycle)
    return chain + (f" (and {others} more in the same cycle)" if others else "")


def check_import_cycles(ctx) -> Iterator[Diagnostic]:
    for cycle, size in _cycles(ctx.g, "module", "import"):
        span = _edge_span(ctx.g, cycle[-1], cycle[0], "import")
        yield error("E006", f"import cycle: {_chain(cycle, size)}", span, "move what both files need into a third file")


def check_calendar_cycles(ctx) -> Iterator[Diagnostic]:
    for cycle, size in _cycles(ctx.g, "calendar", "calendar"):
        yield error("E208", f"calendar defined in terms of itself: {_chain(cycle, size)}",
                    _edge_span(ctx.g, cycle[-1], cycle[0], "calendar"))


def check_escalation_cycles(ctx) -> Iterator[Diagnostic]:
    for cycle, size in _cycles(ctx.g, "escalation", "include"):
        yield error("E307", f"escalation chain includes itself: {_chain(cycle, size)}",
                    _edge_span(ctx.g, cycle[-1], cycle[0], "include"))


def check_escalation_size(ctx) -> Iterator[Diagnostic]:
    """A chain whose includes expand past MAX_STEPS; chains that include it are not reported again."""
    expanded = ctx.model.escalations
    for key, data in ctx.g.nodes(data=True):
        if key[0] != "escalation" or data["node"] is None or expanded.get(key[1], ()) is not None:
            continue
        chain = data["node"]
        if any(expanded.get(st.chain.value, ()) is None for st in chain.steps if isinstance(st, ast.Include)):
            continue
        yield error("E310", f"escalation chain `{key[1]}` expands to more than {MAX_STEPS} steps", chain.name.span,
                    "include each chain once; a chain that includes another twice doubles its steps")
