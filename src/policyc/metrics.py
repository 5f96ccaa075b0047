"""Statuses and metrics of a policy: declared or implied, and the order metrics run in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ast
from .graph import DEFAULT_STATUSES, defined
from .source import NO_SPAN

if TYPE_CHECKING:  # networkx is imported by graph.py and passes/ only
    import networkx as nx


@dataclass(frozen=True)
class StatusSet:
    """The ticket's statuses, the first one initial; `node` is None for the default set."""

    values: tuple[str, ...]
    labels: dict[str, ast.Text | None]
    node: ast.Statuses | None


def status_set(g: nx.MultiDiGraph) -> StatusSet:
    found = defined(g, "statuses")
    if not found:
        return StatusSet(DEFAULT_STATUSES, {s: None for s in DEFAULT_STATUSES}, None)
    node = found[0]
    labels = {}
    for v in node.values:
        labels.setdefault(v.name.value, v.label)  # a value listed twice is E102; the first counts
    return StatusSet(tuple(labels), labels, node)


def declared_metrics(g: nx.MultiDiGraph) -> dict[str, ast.Metric]:
    """Metrics by name in declaration order, an implicit `first_response` first."""
    found = {m.name.value: m for m in defined(g, "metric")}
    first = found[ast.FIRST_RESPONSE]
    if not is_implicit(first):  # declared: keeps its place
        return found
    return {ast.FIRST_RESPONSE: first} | {k: m for k, m in found.items() if k != ast.FIRST_RESPONSE}


def is_implicit(m: ast.Metric) -> bool:
    """Whether the compiler declared it (no source: its name has no span)."""
    return m.name.span == NO_SPAN


def metric_order(metrics: dict[str, ast.Metric]) -> list[str]:
    """Each metric after the one its `after` names, then in declaration order (a cycle,
    reported by its own check, is broken where it closes)."""
    from .model import members_first

    return members_first(metrics, lambda m: [m.after.value] if m.after is not None else [])
