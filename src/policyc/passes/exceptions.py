"""Labelled rules and their exceptions (`rule L:`, `exception to L:`).

Which rule wins where an exception matches is resolved with every other rule
(`rules.resolve`, given `Decisions.overrides`); these checks add what only labels need:
a label that names no rule group, and an exception that overrides nothing.
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, did_you_mean, error
from .response import meets


def check_exceptions(ctx) -> Iterator[Diagnostic]:
    """E101 (an exception to a label no rule carries), W330 (an exception that overrides nothing)."""
    labels = ctx.model.policy.labels
    groups = sorted({lab.name.value for lab in labels if not lab.exception})
    d = ctx.decisions
    for lab in labels:
        if not lab.exception:
            continue
        if lab.name.value not in groups:
            yield error("E101", f"unknown rule label `{lab.name.value}`", lab.name.span,
                        did_you_mean(lab.name.value, groups)
                        or f"label the rules it overrides, e.g. `rule {lab.name.value}: when ...`")
        elif not d.too_large and not _overrides_any(d, lab.index):
            yield error("W330", f"this exception to `{lab.name.value}` overrides nothing: no rule labelled "
                        f"`{lab.name.value}` sets what it sets for a ticket it matches", lab.span,
                        "remove the label, or widen the exception's condition")


def _overrides_any(d, index: int) -> bool:
    """Whether the exception and a rule it overrides assign one attribute on a shared ticket."""
    beaten = d.overrides.get(index, frozenset())
    for group in d.assignments.values():
        mine = [a for a in group if a.rule == index]
        theirs = [b for b in group if b.rule in beaten]
        if any(a.attr == b.attr and meets(a.cube, b.cube) for a in mine for b in theirs):
            return True
    return False
