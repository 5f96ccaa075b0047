"""Rules as attribute assignments over ticket sets, and their resolution.

Every rule sets one or more attributes (`target`, `calendar`, ...) for the tickets its
condition matches: a *cube*, one set of values per dimension (None: any value). At each
ticket the most specific assignment of an attribute wins: the one whose cube lies inside
every other candidate's. Candidates that are not nested and disagree are a conflict. An
exception (`exception to LABEL:`) first removes, where it matches, the rules it overrides.

Values that no rule tells apart are resolved once: each dimension's values are split
into *classes* (a partition refinement by the sets the rules name), and resolution works
on the product of the classes, so its cost follows the rules, not the fact space. A
class is written as its first value (its representative); `Space.expand` turns a cube of
classes back into values for output. Points of the class product are enumerated, each
rule visiting only its own points, so the work is the sum of the rules' sizes.
"""

from __future__ import annotations

import functools
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


@dataclass(frozen=True)
class Space:
    """Each dimension's values split into classes that no rule tells apart."""

    values: tuple[tuple[str, ...], ...]  # per dimension, in declaration order
    domains: tuple[tuple[str, ...], ...]  # per dimension, the classes' representatives
    members: tuple[dict[str, tuple[str, ...]], ...]  # representative -> its values
    rep: tuple[dict[str, str], ...]  # value -> its class's representative

    def lift(self, cube: Cube) -> Cube:
        """A cube of values (a union of classes, since every rule's sets refine them) as classes."""
        if self.identity:
            return cube
        return tuple(c if c is None or plain else frozenset({r[v] for v in c})
                     for c, r, plain in zip(cube, self.rep, self.plain))

    def expand(self, cube: Cube) -> Cube:
        """A cube of classes as a cube of values."""
        if self.identity:
            return cube
        return tuple(c if c is None or plain else frozenset(v for k in c for v in m[k])
                     for c, m, plain in zip(cube, self.members, self.plain))

    @functools.cached_property
    def plain(self) -> tuple[bool, ...]:
        """Per dimension, whether every class is one value (lift and expand change nothing)."""
        return tuple(len(d) == len(v) for d, v in zip(self.domains, self.values))

    @functools.cached_property
    def identity(self) -> bool:
        """Whether every class is one value: the rules tell every ticket apart."""
        return all(self.plain)

    def value_key(self, cube: Cube) -> list:
        """Order cubes by their values' declaration order, as if resolved value by value."""
        index = [{v: i for i, v in enumerate(vals)} for vals in self.values]
        return [[-1] if c is None else sorted(ix[v] for k in c for v in m[k])
                for c, m, ix in zip(cube, self.members, index)]


def partition(values: tuple[tuple[str, ...], ...], cubes) -> Space:
    """Split each dimension's values by the sets the cubes name there (values in the same
    sets form one class). The cost is the total size of the distinct sets."""
    cubes = list(cubes)
    domains, members, reps = [], [], []
    for i, vals in enumerate(values):
        signature: dict = defaultdict(list)
        for k, s in enumerate({c[i] for c in cubes if c[i] is not None}):
            for v in s:
                signature[v].append(k)
        classes: dict = defaultdict(list)
        for v in vals:
            classes[tuple(signature.get(v, ()))].append(v)
        group = {c[0]: tuple(c) for c in classes.values()}  # first value first: dicts keep order
        domains.append(tuple(group))
        members.append(group)
        reps.append({v: r for r, c in group.items() for v in c})
    return Space(tuple(values), tuple(domains), tuple(members), tuple(reps))


@dataclass
class Resolution:
    """Winners per point and attribute, and what went wrong on the way."""

    winners: dict = field(default_factory=dict)  # point -> {attr: Assignment}
    conflicts: dict = field(default_factory=dict)  # (attr, first rule, second rule) -> [(a, b, point)]
    repeats: list = field(default_factory=list)  # (a, b): same cube, same value
    agreeing: dict = field(default_factory=dict)  # (point, attr) -> all equally specific winners
    contested: set = field(default_factory=set)  # (point, attr) where rules disagree: no winner


def _minimal(cands: list[Assignment]) -> list[Assignment]:
    return [a for a in cands if not any(b.cube != a.cube and subset(b.cube, a.cube) for b in cands)]


def _unexcepted(cands: list[Assignment], overrides: dict) -> list[Assignment]:
    """The candidates left once every exception among them has removed the rules it is an
    exception to (whatever their specificity): where an exception matches, it wins."""
    beaten = {r for a in cands for r in overrides.get(a.rule, ())}
    return [a for a in cands if a.rule not in beaten] if beaten else cands


def resolve(assignments: list[Assignment], domains, overrides: dict | None = None) -> Resolution:
    """Winners per point: exceptions first remove the rules they override (`overrides`: rule ->
    the rules it is an exception to), then the most specific of the rest wins."""
    res = Resolution()
    by_point: dict = defaultdict(lambda: defaultdict(list))
    for a in assignments:
        for p in points(a.cube, domains):
            by_point[p][a.attr].append(a)
    repeated = set()
    for p, attrs in by_point.items():
        won = {}
        for attr, cands in attrs.items():
            if overrides:
                cands = _unexcepted(cands, overrides)
            best = _minimal(cands) if len(cands) > 1 else cands
            values = {a.value for a in best}
            if len(values) == 1:
                won[attr] = best[0]
                if len(best) > 1:
                    res.agreeing[(p, attr)] = best
            else:
                res.contested.add((p, attr))
            for a, b in itertools.combinations(best, 2):
                if a.value != b.value:  # every point of the conflict: E302 shows its reach
                    a, b = sorted((a, b), key=lambda x: (x.span.path, x.span.start))
                    res.conflicts.setdefault((attr, a.rule, b.rule), []).append((a, b, p))
                elif a.cube == b.cube and a.rule != b.rule and (a.span, b.span) not in repeated:
                    repeated.add((a.span, b.span))
                    res.repeats.append((a, b))
        res.winners[p] = won
    return res


def compress(groups: dict[Hashable, list[Point]], domains) -> list[tuple[Hashable, Cube]]:
    """Cover each group of points by disjoint cubes, merging one dimension at a time."""
    out = []
    index = [{v: i for i, v in enumerate(dom)} for dom in domains]
    single = [{v: frozenset((v,)) for v in dom} for dom in domains]  # one set per value, made once
    lookup = dict.__getitem__
    for key, pts in groups.items():
        if len(pts) == 1:  # the common case in a big table: nothing to merge
            out.append((key, normalize(tuple(map(lookup, single, pts[0])), domains)))
            continue
        cubes = {tuple(map(lookup, single, p)) for p in pts}
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
        for c in sorted(cubes, key=lambda c: [sorted(map(index[i].__getitem__, s)) for i, s in enumerate(c)]):
            out.append((key, normalize(c, domains)))
    return out


def describe(cube_or_point, dims: tuple[str, ...], domains=None, everything: str = "every ticket") -> str:
    """`plan `premier`, severity `L1`` for a point or cube (any-value dimensions left out)."""
    parts = []
    for i, (name, v) in enumerate(zip(dims, cube_or_point)):
        if v is None:
            continue
        vals = [v] if isinstance(v, str) else sorted(v, key=(domains[i].index if domains else str))
        rest = [x for x in domains[i] if x not in v] if domains and not isinstance(v, str) else []
        if rest and 2 * len(rest) < len(vals):  # most values: name the few left out
            parts.append(f"{name} other than " + ", ".join(f"`{x}`" for x in rest))
        else:
            parts.append(f"{name} " + ", ".join(f"`{x}`" for x in vals))
    return ", ".join(parts) if parts else everything
