"""`policyc check --explain-rules`: which rule overrides which, and why.

A rule overrides another where both assign one attribute to a shared ticket and either
it is an exception to the other's label (`exception to L:`), or its tickets lie strictly
inside the other's (more specific). Read from the same assignments the resolution uses.
"""

from __future__ import annotations

from .passes.response import meets
from .rules import subset


def overrides(d) -> list[tuple[int, int, str | None]]:
    """(winner, loser, label or None for "more specific") pairs of rule indices, once each."""
    labels = {lab.index: lab.name.value for lab in d.m.policy.labels if lab.exception}
    found: dict = {}
    for group in d.assignments.values():
        ruled = [a for a in group if isinstance(a.rule, int)]  # service terms are not rules
        for a in ruled:
            beaten = d.overrides.get(a.rule, frozenset())
            for b in ruled:
                if a.rule == b.rule or a.attr != b.attr or not meets(a.cube, b.cube):
                    continue
                if b.rule in beaten:
                    found[(a.rule, b.rule)] = labels[a.rule]
                elif a.cube != b.cube and subset(a.cube, b.cube):
                    found.setdefault((a.rule, b.rule), None)
    return [(w, lo, why) for (w, lo), why in found.items()]


def explain(ctx, sources) -> list[str]:
    """One line per overriding pair, `path:line: ...`, in source order."""
    d = ctx.decisions
    if d.too_large:
        return []
    rules = ctx.model.policy.rules

    def where(i: int) -> str:
        span = rules[i].span
        return f"{span.path}:{sources[span.path].line_col(span.start)[0]}"

    lines = []
    for w, lo, why in sorted(overrides(d), key=lambda x: (rules[x[0]].span.start, rules[x[1]].span.start)):
        how = f"exception to `{why}` overrides" if why else "more specific than"
        lines.append(f"{where(w)}: {how} {where(lo)}")
    return lines
