"""What each rule behind an answer overrode, and why: read from the policy compiled afresh.

The table keeps the winning rows only. Compiling the policy gives its rules' assignments
and `explain.overrides` (more specific, or an exception to a label); of those pairs, the
ones where both rules assign the same attribute to this ticket are what overrode what
for it. Nothing here runs when the policy's file is not found or does not compile: the
explanation then says why and goes on from the table alone.
"""

from __future__ import annotations

from pathlib import Path

from . import versions
from .decisions import targets


class Overrides:
    """The overriding pairs of one version of one policy, asked per aspect and ticket."""

    def __init__(self, ctx, sources, path: Path, name: str, dated=()):
        from .explain import overrides

        self.d = ctx.decisions
        self.rules = ctx.model.policy.rules
        self._sources = sources
        # the folder the table's file names are relative to (the policy root's parent)
        self._base = path.resolve().parents[len(Path(name).parts) - 1]
        self.pairs = [] if self.d.too_large else overrides(self.d)
        # (file, line) of each dated item of every version -> what it is a version of
        self._identity = {(w["file"], w["line"]): what for what, w in ((what, self.at(span)) for what, span in dated)}

    def identity(self, src: dict) -> str | None:
        """What the dated item at a table source is a version of (None: not a dated item)."""
        return self._identity.get((src["file"], src["line"]))

    def where(self, i: int) -> dict:
        return self.at(self.rules[i].span)

    def at(self, span) -> dict:
        """A span as the table names a place: {file, line}."""
        line = self._sources[span.path].line_col(span.start)[0]
        try:
            name = Path(span.path).resolve().relative_to(self._base).as_posix()
        except ValueError:  # a file outside the root (not written so by `compile`): as compiled
            name = span.path
        return {"file": name, "line": line}

    def of(self, aspect: str, point: dict) -> list[dict]:
        """[{winner, loser, attribute, why}] for this aspect on the ticket at `point` (fact -> value)."""
        found = {}  # rule index -> attributes it assigns to this ticket
        for a in self.d.assignments.get(aspect, ()):
            if isinstance(a.rule, int) and _holds(self.d.space.expand(a.cube), self.d.names, point):
                found.setdefault(a.rule, set()).add(a.attr)
        pairs = [(w, lo, why, attr) for w, lo, why in self.pairs
                 for attr in sorted(found.get(w, set()) & found.get(lo, set()))]
        beaten = {(lo, attr) for _, lo, _, attr in pairs}
        # a rule that itself lost that attribute for this ticket did not decide it: only the winners speak
        out = [{"winner": self.where(w), "loser": self.where(lo), "attribute": attr,
                "why": f"an exception to `{why}`" if why else "more specific"}
               for w, lo, why, attr in pairs if (w, attr) not in beaten]
        return sorted(out, key=lambda o: (o["winner"]["line"], o["loser"]["line"], o["attribute"]))


def _holds(cube, names, point: dict) -> bool:
    """Whether the ticket lies in the cube (a fact the ticket leaves out matches any value)."""
    return all(c is None or point.get(n) is None or point[n] in c for c, n in zip(cube, names))


def metric_aspect(metric: str) -> str:
    """The compiler's aspect of a metric's targets (the other parts' aspects are their names)."""
    return targets(metric)


def load(policy_path: Path, name: str, policy_id: str, first: str | None, contract: bool):
    """(Overrides, None) for the policy's version starting on `first`, or (None, why not).
    A contract is compiled with its whole policy root, where its base policy is."""
    from .compiler import SchemaViolation, compile_paths

    target = policy_path.resolve().parents[max(len(Path(name).parts) - 2, 0)] if contract else policy_path
    try:
        result = compile_paths([str(target)])
    except (SchemaViolation, OSError, RecursionError) as exc:  # the explanation goes on from the table
        return None, f"the policy `{name}` could not be compiled ({exc})"
    if result.errors:
        return None, f"the policy `{name}` has errors now; run `policyc check {name}`"
    mine = [(version, ctx) for version, ctx in result.contexts if ctx.model.policy.id.value == policy_id]
    # the identities of the dated items come from the compiler, never from the lines' text
    dated = {item for _, ctx in mine for item in versions.dated_items(ctx.model.policy)}
    for version, ctx in mine:
        if version is None or first is None or version.first.isoformat() == first:
            return Overrides(ctx, result.sources, policy_path, name, dated), None
    return None, f"the policy `{name}` no longer has the version of the table answering from {first}"
