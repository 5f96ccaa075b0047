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
    found: dict[int, list[Diagnostic]] = {}
    for lab in body.labels if not d.too_large else ():
        group = base.groups.get(lab.name.value)
        if lab.name.value not in base.negotiable_groups or group is None:
            continue
        theirs: dict = defaultdict(list)
        for g in group:
            for a in d.of_rule(g.index, base.policy.rules[g.index]):
                theirs[(a.aspect, a.attr)].append(a.cube)
        wrong = list(_stays_inside(d, lab, d.of_rule(-1 - lab.index, body.rules[lab.index]), theirs, base))
        if wrong:
            found[lab.index] = wrong
    return found


def _stays_inside(d: Decisions, lab: ast.RuleLabel, mine: list, theirs: dict, base: Base):
    name, reported = lab.name.value, set()
    for a in mine:
        key = (a.aspect, a.attr)
        if key not in theirs:
            if key not in reported:
                reported.add(key)
                yield error("E335", f"the base's group `{name}` never sets {_attribute(*key)}: this would "
                            "override rules that are not negotiable", a.span, NEVER_SET_HELP)
            continue
        outside = outside_of(d.values, a.cube, theirs[key])
        if outside is not None and "reach" not in reported:
            reported.add("reach")
            told = [any(c[i] is not None for c in theirs[key]) for i in range(len(d.values))]
            conditions = "; ".join(f"`{_when(base.policy.rules[g.index].condition)}`" for g in base.groups[name])
            yield error("E334", f"this rule of `{name}` reaches tickets the base's group does not cover "
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
        won: dict = defaultdict(list)  # (contract rule, attribute) -> [(point, assignment)]
        for p, attrs in md.resolution(aspect).winners.items():
            for attr, a in attrs.items():
                j = index.get(id(merged.rules[a.rule])) if isinstance(a.rule, int) else None
                if j is not None:
                    won[(j, attr)].append((p, a))
        for (j, attr), pts in won.items():
            if j not in found:
                group = {g.index for g in base.groups[labels[j]]}
                d = _overrides(bd, md, aspect, attr, group, pts, labels[j])
                if d is not None:
                    found[j] = [d]
    return found


def _overrides(bd: Decisions, md: Decisions, aspect: str, attr: str, group: set, pts: list,
               name: str) -> Diagnostic | None:
    """E334 if some ticket the contract rule wins was not won by the base's group."""
    res = bd.resolution(aspect)
    decided = [p for p, attrs in res.winners.items() if attr in attrs and attrs[attr].rule in group]
    theirs = [bd.space.expand(c) for _, c in compress({0: decided}, bd.domains)] if decided else []
    for _, cube in compress({0: [p for p, _ in pts]}, md.domains):
        outside = outside_of(md.values, md.space.expand(cube), theirs)
        if outside is None:
            continue
        there = res.winners.get(tuple(r[v] for r, v in zip(bd.space.rep, outside)), {}).get(attr)
        told = [c is not None for c in there.cube] if there else [True] * len(outside)
        notes = (("the rule that decides them in the base, not negotiable", there.span),) if there else ()
        return error("E334", f"this rule of `{name}` would override a rule that is not negotiable for "
                     f"{_point(bd, outside, told)}: the base's group `{name}` does not decide {_attribute(aspect, attr)} "
                     "there", pts[0][1].span, "narrow this rule's condition, or leave these tickets to the base",
                     notes=notes)
    return None


def outside_of(values, cube, cubes: list) -> tuple | None:
    """A ticket (one value per dimension) of `cube` in none of `cubes`, or None."""
    space = partition(values, [cube, *cubes])
    lifted = [space.lift(c) for c in cubes]
    for p in points(space.lift(cube), space.domains):
        if not any(all(c is None or v in c for v, c in zip(p, box)) for box in lifted):
            return p  # a class's representative is one of its values
    return None


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
