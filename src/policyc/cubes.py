"""Sets of tickets as cubes over the dimension facts, for comparing two decision tables.

A table's row `when` is a cube: each fact it names is limited to a set of values, every
other fact is free. Two tables may not share their facts or values, so each cube is
first made total over a shared universe (`Universe.cube`): a fact a row leaves out is
any value *its own table* has (a value only the other table knows is no ticket of this
one), and a fact a table does not have at all is any value.
"""

from __future__ import annotations

from typing import NamedTuple

Cube = tuple  # ((fact, frozenset of values), ...) in the universe's fact order


class Universe(NamedTuple):
    """The dimension facts of two tables, each with the values either one gives."""

    facts: tuple  # ((fact, (value, ...)), ...), the new table's order first

    @classmethod
    def of(cls, old: dict, new: dict) -> "Universe":
        """The facts of both tables' `facts` sections that have values."""
        merged: dict[str, list] = {}
        for table in (new, old):
            for name, fact in table["facts"].items():
                if "values" in fact:
                    seen = merged.setdefault(name, [])
                    seen.extend(v for v in fact["values"] if v not in seen)
        return cls(tuple((name, tuple(values)) for name, values in merged.items()))

    def cube(self, when: dict, table: dict) -> Cube:
        """A row's `when` of `table` as a total cube."""
        own = table["facts"]
        out = []
        for name, values in self.facts:
            if name in when:
                allowed = when[name]
            elif name in own and "values" in own[name]:
                allowed = own[name]["values"]
            else:
                allowed = values
            out.append((name, frozenset(allowed)))
        return tuple(out)

    def describe(self, cube: Cube) -> str:
        """`plan is premier and severity is L1, L2`; `every ticket` when nothing is limited."""
        parts = []
        for (name, values), (_, allowed) in zip(self.facts, cube):
            if set(values) <= allowed:
                continue
            parts.append(f"{name} is " + ", ".join(v for v in values if v in allowed))
        return " and ".join(parts) or "every ticket"

    def conditions(self, cube: Cube) -> dict:
        """The cube as a `when` object: only the facts it limits, values in fact order."""
        return {name: [v for v in values if v in allowed]
                for (name, values), (_, allowed) in zip(self.facts, cube) if not set(values) <= allowed}


def intersect(a: Cube, b: Cube) -> Cube | None:
    """The tickets in both cubes, or None when there are none."""
    out = tuple((name, va & vb) for (name, va), (_, vb) in zip(a, b))
    return out if all(v for _, v in out) else None


def subtract(a: Cube, b: Cube) -> list:
    """Disjoint cubes covering the tickets of `a` that are not in `b`."""
    if intersect(a, b) is None:
        return [a]
    out, kept = [], list(a)
    for i, ((name, va), (_, vb)) in enumerate(zip(a, b)):
        rest = va - vb
        if rest:
            out.append(tuple(kept[:i]) + ((name, rest),) + tuple(a[i + 1:]))
        kept[i] = (name, va & vb)
    return out


def minus_all(a: Cube, others) -> list:
    """The tickets of `a` in none of `others`, as disjoint cubes."""
    pieces = [a]
    for b in others:
        pieces = [p for piece in pieces for p in subtract(piece, b)]
    return pieces


def merge(cubes: list) -> list:
    """Fewer, larger cubes for the same tickets: two cubes that differ in one fact only
    become one (the table's own rows, cut by the other table's, join up again)."""
    cubes = list(dict.fromkeys(cubes))
    joined = True
    while joined:
        joined = False
        for i in range(len(cubes)):
            for j in range(i + 1, len(cubes)):
                both = _join(cubes[i], cubes[j])
                if both is not None:
                    cubes[i] = both
                    del cubes[j]
                    joined = True
                    break
            if joined:
                break
    return cubes


def _join(a: Cube, b: Cube) -> Cube | None:
    """The union of two cubes when it is a cube (they differ in at most one fact)."""
    differ = [i for i, ((_, va), (_, vb)) in enumerate(zip(a, b)) if va != vb]
    if len(differ) > 1:
        return None
    if not differ:
        return a
    i = differ[0]
    return a[:i] + ((a[i][0], a[i][1] | b[i][1]),) + a[i + 1:]
