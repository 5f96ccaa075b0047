"""Rules as attribute assignments over ticket sets, and their resolution.

Every rule sets one or more attributes (`target`, `calendar`, ...) for the tickets its
condition matches: a *cube*, one set of values per dimension (None: any value). At each
ticket the most specific assignment of an attribute wins: the one whose cube lies inside
every other candidate's. Candidates that are not nested and disagree are a conflict.

Tickets are enumerated as points of the dimensions' product, each rule visiting only its
own points, so the work is the sum of the rules' sizes.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Hashable

from .source import Span

Cube = tuple  # per dimension: frozenset of values, or None for any
Point = tuple  # per dimension: one value


@dataclass(frozen=True, slots=True)
class Assignment:
    aspect: str
    attr: str
    cube: Cube
    value: Hashable
    span: Span
    rule: Hashable  # identity of the source rule, for shadowing and de-duplication


def subset(a: Cube, b: Cube) -> bool:
    return all(y is None or (x is not None and x <= y) for x, y in zip(a, b))


def points(cube: Cube, domains: tuple[tuple[str, ...], ...]):
    """The tickets of a cube, each dimension's values in declaration order."""
    return itertools.product(*[dom if c is None else tuple(c) if len(c) < 2 else [v for v in dom if v in c]
                               for c, dom in zip(cube, domains)])


def normalize(cube: Cube, domains) -> Cube:
    """Write a set that holds every value of its dimension as None (any)."""
    return tuple(None if c is not None and len(c) == len(dom) else c for c, dom in zip(cube, domains))


def size(cube: Cube, domains) -> int:
    n = 1
    for c, dom in zip(cube, domains):
        n *= len(c) if c is not None else len(dom)
    return n


@dataclass
class Resolution:
    """Winners per point and attribute, and what went wrong on the way."""

    winners: dict = field(default_factory=dict)  # point -> {attr: Assignment}
    conflicts: list = field(default_factory=list)  # (attr, point, a, b)
    repeats: list = field(default_factory=list)  # (a, b): same cube, same value
    agreeing: dict = field(default_factory=dict)  # (point, attr) -> all equally specific winners
    contested: set = field(default_factory=set)  # (point, attr) where rules disagree: no winner


def _minimal(cands: list[Assignment]) -> list[Assignment]:
    return [a for a in cands if not any(b.cube != a.cube and subset(b.cube, a.cube) for b in cands)]


def resolve(assignments: list[Assignment], domains) -> Resolution:
    res = Resolution()
    by_point: dict = defaultdict(lambda: defaultdict(list))
    for a in assignments:
        for p in points(a.cube, domains):
            by_point[p][a.attr].append(a)
    seen_pairs = set()
    for p, attrs in by_point.items():
        won = {}
        for attr, cands in attrs.items():
            best = _minimal(cands) if len(cands) > 1 else cands
            values = {a.value for a in best}
            if len(values) == 1:
                won[attr] = best[0]
                if len(best) > 1:
                    res.agreeing[(p, attr)] = best
            else:
                res.contested.add((p, attr))
            for a, b in itertools.combinations(best, 2):
                key = (attr, a.rule, b.rule, a.span, b.span)
                if key in seen_pairs:
                    continue
                seen_pairs.add(key)
                if a.value != b.value:
                    res.conflicts.append((attr, p, a, b))
                elif a.cube == b.cube and a.rule != b.rule:
                    res.repeats.append((a, b))
        res.winners[p] = won
    return res


def compress(groups: dict[Hashable, list[Point]], domains) -> list[tuple[Hashable, Cube]]:
    """Cover each group of points by disjoint cubes, merging one dimension at a time."""
    out = []
    for key, pts in groups.items():
        if len(pts) == 1:  # the common case in a big table: nothing to merge
            out.append((key, normalize(tuple(frozenset((v,)) for v in pts[0]), domains)))
            continue
        cubes = {tuple(frozenset([v]) for v in p) for p in pts}
        changed = len(cubes) > 1
        while changed:
            changed = False
            for i in reversed(range(len(domains))):
                merged: dict = defaultdict(set)
                for c in cubes:
                    merged[c[:i] + c[i + 1:]].update(c[i])
                nxt = {k[:i] + (frozenset(v),) + k[i:] for k, v in merged.items()}
                if len(nxt) < len(cubes):
                    cubes, changed = nxt, True
        for c in sorted(cubes, key=lambda c: [sorted(domains[i].index(v) for v in s) for i, s in enumerate(c)]):
            out.append((key, normalize(c, domains)))
    return out


def describe(cube_or_point, dims: tuple[str, ...], domains=None, everything: str = "every ticket") -> str:
    """`plan `premier`, severity `L1`` for a point or cube (any-value dimensions left out)."""
    parts = []
    for name, v in zip(dims, cube_or_point):
        if v is None:
            continue
        vals = [v] if isinstance(v, str) else sorted(v, key=(domains[dims.index(name)].index if domains else str))
        parts.append(f"{name} " + ", ".join(f"`{x}`" for x in vals))
    return ", ".join(parts) if parts else everything
