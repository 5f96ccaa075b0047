"""Restricted values (`how_to "How-to" { only plan is premium }`) and fact defaults.

A restricted value exists only for the tickets its `only` condition admits. A rule that
gives the value to other tickets, or a test or table cell that names it together with
other values of a restricting dimension (`when plan is standard and severity is how_to`),
would require it where it does not exist (E324); so would a default (E325). A rule that
tests the value and says nothing of the restricting dimensions (`when severity is
how_to`) is about the tickets that have it, which all meet the restriction. The restriction tests other
dimensions, never its own nor the severity, which rules may change (E323).
"""

from __future__ import annotations

from typing import Iterator

from .. import ast
from ..diagnostics import Diagnostic, error
from ..rules import describe

SEVERITY = "severity"


def check_restrictions(ctx) -> Iterator[Diagnostic]:
    """E323: a restriction on a status, or one that tests its own dimension or the severity."""
    for _key, data in ctx.g.nodes(data=True):
        node = data.get("node")
        if isinstance(node, ast.Statuses):
            for v in node.values:
                for test in v.only:
                    yield error("E323", f"status `{v.name.value}` cannot be restricted", test.span,
                                "every status exists for every ticket; remove the `only`")
    for dim in ctx.model.dims:
        for v in dim.node.values:
            for test in v.only:
                tested = test.dimension.value
                if tested == dim.name or tested == SEVERITY:
                    yield error("E323", f"the restriction of `{v.name.value}` tests `{tested}`", test.dimension.span,
                                "restrict a value by another dimension that a ticket gives, "
                                "e.g. `only plan is premium`")


def check_required(ctx) -> Iterator[Diagnostic]:
    """E324 for each rule or table cell that names a restricted value outside its restriction;
    E325 for a default that is a restricted value."""
    only = ctx.decisions.restricted
    if not only:
        return
    names = [d.name for d in ctx.model.dims]
    for dim in ctx.model.dims:
        default = dim.node.default
        if default is not None and (dim.name, default.value) in only:
            yield error("E325", f"default `{default.value}` of `{dim.name}` is a restricted value",
                        default.span, "a ticket that leaves the fact out may be one for which the value "
                        "does not exist; choose a value that every ticket may have")
    seen = set()  # one finding per name and outside tickets: a table names a value once per cell
    for rule in ctx.model.policy.rules:
        for dim, name, cube, gives in _mentions(ctx.decisions, rule):
            found = only.get((dim, name.value))
            if found is None or _within(cube, found[1], names.index(dim), gives):
                continue
            value, allowed = found
            outside = _outside(cube, allowed, names.index(dim), ctx.decisions.values)
            if (name.span, outside) in seen:
                continue
            seen.add((name.span, outside))
            yield error("E324", f"`{name.value}` exists only for tickets where "
                        + _words(value.only) + f"; this rule requires it for "
                        + describe(outside, tuple(names), ctx.decisions.values),
                        name.span, f"add `when {_words(value.only, ':')}` to the rule, or leave the cell "
                        "empty (`-`) for the other tickets")


def _mentions(dec, rule) -> Iterator[tuple[str, ast.Name, tuple, bool]]:
    """(dimension, value name, cube of the tickets for which the rule names it, whether
    the rule gives the value rather than tests it)."""
    cond = rule.condition
    for test in cond:
        if not test.negated:
            for v in test.values:
                yield test.dimension.value, v, dec.cube(cond), False
    if isinstance(rule, ast.SeverityRule):
        for v in rule.severities or ():
            yield SEVERITY, v, dec.cube(cond, {SEVERITY: [v.value]}), False
        given = {SEVERITY: [v.value for v in rule.severities]} if rule.severities else None
        yield SEVERITY, rule.becomes, dec.cube(cond, given), True
    elif isinstance(rule, ast.RespondRule):
        for t in rule.tables:
            for label, cells in t.rows:
                for col, cell in zip(t.columns, cells):
                    if cell.kind == "empty":
                        continue
                    extra = {t.column_dimension.value: [col.value]}
                    if t.row_dimension is not None:
                        extra[t.row_dimension.value] = [label.value]
                        yield t.row_dimension.value, label, dec.cube(cond, extra), False
                    yield t.column_dimension.value, col, dec.cube(cond, extra), False


def _within(cube: tuple, allowed: tuple, skip: int, gives: bool) -> bool:
    """Whether the tickets of `cube` (none, or some) are all admitted by `allowed` (beside
    `skip`); a test (not `gives`) that leaves a dimension open leaves it to the value."""
    if any(c is not None and not c for c in cube):
        return True  # no ticket: an unknown name, reported as E101
    return all(j == skip or a is None or (c is None and not gives) or (c is not None and c <= a)
               for j, (c, a) in enumerate(zip(cube, allowed)))


def _outside(cube: tuple, allowed: tuple, skip: int, domains) -> tuple:
    """The tickets of `cube` that `allowed` does not admit, named by the dimensions at fault."""
    out = []
    for j, (c, a, dom) in enumerate(zip(cube, allowed, domains)):
        have = set(dom) if c is None else c
        out.append(None if j == skip or a is None or have <= a else frozenset(have - a))
    return tuple(out)


def _words(only: ast.Condition, end: str = "") -> str:
    """`plan is premium and region is emea` as written."""
    return " and ".join(f"{t.dimension.value} is {'not ' if t.negated else ''}"
                        + ", ".join(v.value for v in t.values) for t in only) + end
