"""`no support` and `supported` rules: a reason to show, and rules that mean something.

Which tickets get no support is resolved like any other aspect (decisions.py, `support`);
conflicts between two `no support` rules are E302 and shadowed ones W303, as for every
rule. These checks add what only this outcome needs.
"""

from __future__ import annotations

from typing import Iterator

from .. import ast
from ..decisions import SUPPORT
from ..diagnostics import Diagnostic, error
from .response import meets


def check_support(ctx) -> Iterator[Diagnostic]:
    """E320 (no reason), W320 (no ticket supported), W321 (an exception with nothing to except)."""
    d = ctx.decisions
    for rule in ctx.model.policy.rules:
        if isinstance(rule, ast.NoSupportRule) and not rule.reason.default.strip():
            yield error("E320", "a `no support` rule needs a reason", rule.reason.span,
                        'say what these tickets get instead, e.g. `no support "Community forum only"`')
    if d.too_large or SUPPORT not in d.assignments:
        return
    live = d.reachable
    if live and live <= d.unsupported:
        first = min((a for a in d.assignments[SUPPORT] if a.value[0] == "none"),
                    key=lambda a: (a.span.path, a.span.start))
        yield error("W320", "no ticket the policy can receive gets support", first.span,
                    "give this rule a `when` condition for the tickets it means")
    denied = [a.cube for a in d.assignments[SUPPORT] if a.value[0] == "none"]
    for a in d.assignments[SUPPORT]:
        if a.value[0] == "none":
            continue
        if not any(meets(a.cube, c) for c in denied):
            yield error("W321", "this `supported` rule is inside no `no support` rule, so its tickets are "
                        "supported anyway", a.span, "remove it, or widen the `no support` rule it was meant to except")

