"""What a contract's rules may decide: only what the base's negotiable group decided.

A contract rule of group L may assign only attributes some rule of the base's group L
assigned (E335), to tickets inside what they assigned them to (E334, `check_reach`), and
it may win only where the base's group won (E334, `check_wins`): a rule inside the
group's box but more specific than a rule that beat the group (IREX's weekend coverage
of Premier L1/L2, over the negotiable Premier targets) would override that rule, which is
not negotiable. Rules are read as assignments of attributes to sets of tickets
(decisions.py), over the base's facts, which the contract keeps.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from . import ast, graph
from .decisions import Decisions
from .diagnostics import Diagnostic, error
from .model import Model
from .rules import compress, describe, partition, points

if TYPE_CHECKING:
    from .contracts import Base
    from .project import Project

NEVER_SET_HELP = "remove it from this rule, or ask the vendor to make a group that sets it `negotiable`"


def decisions(project: Project, policy: ast.Policy, path: str) -> Decisions:
    return Decisions(Model(graph.build(project, policy, path)))


def check_reach(d: Decisions, base: Base, body: ast.Policy) -> dict[int, list[Diagnostic]]:
    """E334 (tickets outside the base's group), E335 (an attribute it never sets), by the
    index of the contract's rule: a contract rule of group L may assign only what some
    rule of the base's group L assigned, and only to tickets inside what it assigned.
    `d`: the base's decisions."""
    found: dict[int, list[Diagnostic]] = defaultdict(list)
    mine: dict = defaultdict(list)  # (label, aspect, attr) -> [(contract rule, assignment)]
    for lab in body.labels if not d.too_large else ():
        if lab.name.value in base.negotiable_groups and lab.name.value in base.groups:
            for a in d.of_rule(-1 - lab.index, body.rules[lab.index]):
                mine[(lab.name.value, a.aspect, a.attr)].append((lab.index, a))
    for name in {key[0] for key in mine}:
        theirs: dict = defaultdict(list)  # (aspect, attr) -> cubes the base's group assigns
        for g in base.groups[name]:
            for a in d.of_rule(g.index, base.policy.rules[g.index]):
                theirs[(a.aspect, a.attr)].append(a.cube)
        for (label, aspect, attr), assigned in mine.items():
            if label == name:
                for j, diag in _stays_inside(d, base, name, (aspect, attr), assigned, theirs.get((aspect, attr))):
                    found[j].append(diag)
    return dict(found)


def _stays_inside(d: Decisions, base: Base, name: str, key: tuple, assigned: list, cubes: list | None):
    """(contract rule, finding) for the rules of group `name` that assign `key` beyond `cubes`."""
    if cubes is None:
        for j in dict.fromkeys(j for j, _ in assigned):
            a = next(a for k, a in assigned if k == j)
            yield j, error("E335", f"the base's group `{name}` never sets {_attribute(*key)}: this would "
                           "override rules that are not negotiable", a.span, NEVER_SET_HELP)
        return
    told = [any(c[i] is not None for c in cubes) for i in range(len(d.values))]
    conditions = "; ".join(f"`{_when(base.policy.rules[g.index].condition)}`" for g in base.groups[name])
    reported = set()
    for (j, a), outside in uncovered(d.values, [((j, a), a.cube) for j, a in assigned], cubes):
        if j in reported:
            continue  # one finding a rule, at its first assignment beyond the group
        reported.add(j)
        yield j, error("E334", f"this rule of `{name}` reaches tickets the base's group does not cover "
                       f"({_point(d, outside, told)}): it would override rules that are not negotiable", a.span,
                       f"narrow its condition to the base's group ({conditions})")


def check_wins(project: Project, bd: Decisions, base: Base, body: ast.Policy, merged: ast.Policy,
               path: str) -> dict[int, list[Diagnostic]]:
    """E334 where a contract rule wins, in its table, a ticket the base's group did not win
    in the base's (a more specific rule, not negotiable, decided it): by contract rule index.
    `bd`: the base's decisions."""
    md = decisions(project, merged, path)
    if bd.too_large or md.too_large:
        return {}
    index = {id(r): j for j, r in enumerate(body.rules)}
    labels = {lab.index: lab.name.value for lab in body.labels}
    found: dict[int, list[Diagnostic]] = {}
    for aspect in md.assignments:
        won: dict = defaultdict(lambda: defaultdict(list))  # (attr, label) -> contract rule -> points
        spans: dict = {}
        for p, attrs in md.resolution(aspect).winners.items():
            for attr, a in attrs.items():
                j = index.get(id(merged.rules[a.rule])) if isinstance(a.rule, int) else None
                if j is not None:
                    won[(attr, labels[j])][j].append(p)
                    spans.setdefault(j, a.span)
        for (attr, name), by_rule in won.items():
            for j, diag in _overrides(bd, md, aspect, attr, name, by_rule, spans, {g.index for g in base.groups[name]}):
                found.setdefault(j, [diag])
    return found


def _overrides(bd: Decisions, md: Decisions, aspect: str, attr: str, name: str, by_rule: dict, spans: dict,
               group: set):
    """(contract rule, E334) for the rules that win a ticket the base's group did not win."""
    res = bd.resolution(aspect)
    decided = [p for p, attrs in res.winners.items() if attr in attrs and attrs[attr].rule in group]
    theirs = [bd.space.expand(c) for _, c in compress({0: decided}, bd.domains)] if decided else []
    mine = [(j, md.space.expand(c)) for j, c in compress(by_rule, md.domains)]
    for j, outside in uncovered(md.values, mine, theirs):
        there = res.winners.get(tuple(r[v] for r, v in zip(bd.space.rep, outside)), {}).get(attr)
        told = [c is not None for c in there.cube] if there else [True] * len(outside)
        notes = (("the rule that decides them in the base, not negotiable", there.span),) if there else ()
        yield j, error("E334", f"this rule of `{name}` would override a rule that is not negotiable for "
                       f"{_point(bd, outside, told)}: the base's group `{name}` does not decide "
                       f"{_attribute(aspect, attr)} there", spans[j],
                       "narrow this rule's condition, or leave these tickets to the base", notes=notes)


def uncovered(values, mine: list, theirs: list):
    """(key, ticket) for each key of `mine` (key, cube) with a ticket (one value per
    dimension) in none of the cubes `theirs`, once per key. One partition for all, and
    each cube's tickets enumerated once: the cost is the cubes' total size."""
    space = partition(values, [c for _, c in mine] + list(theirs))
    covered = {p for c in theirs for p in points(space.lift(c), space.domains)}
    done = set()
    for key, cube in mine:
        if key in done:
            continue
        p = next((p for p in points(space.lift(cube), space.domains) if p not in covered), None)
        if p is not None:
            done.add(key)
            yield key, p  # a class's representative is one of its values


def _point(d: Decisions, point: tuple, told: list) -> str:
    """The ticket in words, by the dimensions that matter (`told`)."""
    return describe(tuple(v if t else None for v, t in zip(point, told)), d.names)


def _attribute(aspect: str, attr: str) -> str:
    if aspect.startswith("targets:"):
        return f"the {attr} of `{aspect.split(':', 1)[1]}`"
    return {"severity": "the severity", "escalation": "the escalation", "billing": "the billing",
            "support": "whether tickets are supported"}.get(aspect, f"`{aspect}`")


def _when(cond: ast.Condition) -> str:
    tests = [f"{t.dimension.value} is {'not ' if t.negated else ''}{', '.join(v.value for v in t.values)}"
             for t in cond]
    return "when " + " and ".join(tests) if tests else "every ticket"
