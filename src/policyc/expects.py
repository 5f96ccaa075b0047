"""`expect W304 "why"`: warnings an author has read and accepted, on the item that follows.

A regulation may be inconsistent in a way no reading fixes (IREX's Standard L3, "16
heures", falls due after its L4, "jour ouvrable suivant"). The author keeps the figures,
says why, and `check --strict` stays usable: the finding is no longer shown. The
expectation covers the rule or definition that follows it in the file (the first one
that starts after it), and only findings of its code inside that item. An expectation
that nothing meets is itself a warning (W013), so none outlives its finding; only
warnings can be expected (E012): an error means there is no table.
"""

from __future__ import annotations

from . import ast
from .diagnostics import CODES, Diagnostic, error, nearest
from .source import Span


def apply(policy: ast.Policy, found: list[Diagnostic], complete: bool) -> list[Diagnostic]:
    """`found` without the expected findings, plus E012 / W013 for the expectations.

    `complete`: every pass ran (no error stopped one), so an expectation with no finding is
    really unmet."""
    if not policy.expects:
        return found
    items = item_spans(policy)
    kept, out = list(found), []
    for exp in policy.expects:
        code = exp.code.value
        if code not in CODES:
            warnings = [c for c in CODES if c.startswith("W")]
            out.append(error("E012", f"`{code}` is no code policyc gives: only a warning can be expected",
                             exp.code.span, nearest(code, warnings) or "`policyc check` names each finding's code"))
            continue
        if not code.startswith("W"):
            out.append(error("E012", f"`{code}` is an error: only a warning can be expected", exp.code.span,
                             "an error leaves no table: fix what it says"))
            continue
        target = target_of(exp, items)
        hit = [d for d in kept if target is not None and _inside(d, code, target)]
        if hit:
            kept = [d for d in kept if d not in hit]
        elif complete and target is None:
            out.append(error("W013", f"`expect {code}` has no rule or definition after it to apply to", exp.span,
                             "move it before the item with the finding"))
        elif complete:
            out.append(error("W013", f"`expect {code}` is not met: the item that follows it gives no `{code}`",
                             exp.span, "remove the expectation, or move it before the item with the finding"))
    return kept + out


def item_spans(policy: ast.Policy) -> list[Span]:
    """Where each rule and definition of a policy is, in file order."""
    return sorted([d.span for d in policy.definitions] + rule_spans(policy), key=lambda s: (s.path, s.start))


def rule_spans(policy: ast.Policy) -> list[Span]:
    """Where each rule is (by index): from its label when it has one (`rule L from D:`
    holds findings too)."""
    labelled = {lab.index: lab.span for lab in policy.labels}
    return [Span(r.span.path, labelled[i].start, r.span.end) if i in labelled else r.span
            for i, r in enumerate(policy.rules)]


def target_of(exp: ast.Expect, items: list[Span]) -> Span | None:
    """The item an expectation covers: the first rule or definition after it in its file."""
    return next((s for s in items if s.path == exp.span.path and s.start >= exp.span.end), None)


def _inside(d: Diagnostic, code: str, item: Span) -> bool:
    return d.code == code and d.span.path == item.path and item.start <= d.span.start < item.end
