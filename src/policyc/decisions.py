"""From a policy's rules to resolved decisions per aspect.

Aspects: `severity` (given severity -> effective), one per metric (`targets:NAME`:
target, calendar, guarantee; matched on the *effective* severity; `respond` sets those of
`first_response`), `escalation`, `billing`, `support` (where a `no support` rule wins, the
targets, escalation and billing are not asked about: `live`), and one per service. Each
is resolved with `rules.resolve` over the classes of values the rules tell
apart (`rules.partition`); the passes read the findings and the emitter reads the rows,
both over the same points: `reachable` says which tickets the response rules are asked
about, and `rows` covers exactly the points whose decision is complete.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from . import ast
from .model import Model, calendar_expr, escalation_steps, flatten_steps
from .rules import Assignment, Resolution, Space, compress, describe, partition, points, resolve, size

MAX_POINTS = 1_000_000  # kinds of ticket the rules may tell apart; far beyond any real regulation
TARGET_ATTRS = ("target", "calendar", "guarantee")
TARGET_REQUIRED = ("target", "calendar")  # a ticket without either is a gap (E301)


def target_value(t: ast.Target) -> tuple:
    if t.kind == "duration":
        return ("duration", t.minutes)
    if t.kind == "next_business_day":
        return ("next_business_day", t.edge)
    if t.kind == "business_days":
        return ("business_days", t.days, t.edge)
    if t.kind == "period":
        return ("period", t.days)
    return (t.kind,)  # none | best_effort


def targets(metric: str) -> str:
    """The aspect of a metric's targets."""
    return "targets:" + metric


def is_targets(aspect: str) -> bool:
    return aspect.startswith("targets:")


SUPPORT = "support"  # the aspect of `no support` rules: where one wins, the ticket is not entitled
GATED = ("escalation", "billing")  # besides the targets, the aspects an unsupported ticket has none of


BUSINESS_TIME = ("duration", "next_business_day", "business_days")  # target kinds counted in open time


class Decisions:
    def __init__(self, model: Model):
        self.m = model
        self.names = tuple(d.name for d in model.dims)
        self.values = tuple(d.values for d in model.dims)
        self._resolutions: dict[str, Resolution] = {}

    @functools.cached_property
    def space(self) -> Space:
        """Classes of values no rule tells apart; a severity a rule gives is a class of its own,
        so the effective severity of a class of tickets is a class too."""
        cubes = [a.cube for group in self._value_assignments.values() for a in group]
        cubes += [c for c, _, _ in self._empty_cells + self._unknown_cover]
        cubes += self._absent
        sev = self.m.dim_index.get("severity")
        for a in self._value_assignments.get("severity", ()):
            cubes.append(tuple(frozenset((a.value,)) if i == sev else None for i in range(len(self.values))))
        return partition(self.values, cubes)

    @property
    def domains(self) -> tuple[tuple[str, ...], ...]:
        """The points the passes and the emitter work on: one per class of each dimension."""
        return self.space.domains

    @functools.cached_property
    def n_points(self) -> int:
        return size((None,) * len(self.domains), self.domains)

    def describe(self, cube, everything: str = "every ticket") -> str:
        """A cube of classes in words, by the values it holds."""
        return describe(self.space.expand(cube), self.names, self.values, everything)

    @property
    def too_large(self) -> bool:
        return self.n_points > MAX_POINTS

    def cube(self, cond: ast.Condition, extra: dict | None = None, loose: bool = False):
        """The cube of a condition (of values). Unknown names (reported as E101) match no
        ticket: an unknown dimension empties the cube, an unknown value is dropped from its
        set. A `loose` cube reads a test with an unknown name as any value instead: the
        tickets the author may have meant."""
        sets: list = [None] * len(self.values)
        parts = [(t.dimension.value, {v.value for v in t.values}, t.negated) for t in cond]
        parts += [(k, set(v), False) for k, v in (extra or {}).items()]
        for dim, vals, negated in parts:
            i = self.m.dim_index.get(dim)
            if loose and (i is None or not vals <= set(self.values[i])):
                continue  # a test with an unknown name: read as any value
            if i is None:  # unknown dimension (E101): the rule matches no ticket, so adds no findings
                return tuple(frozenset() for _ in self.values)
            dom = set(self.values[i])
            vals = (dom - vals) if negated else (vals & dom)
            sets[i] = frozenset(vals) if sets[i] is None else sets[i] & vals
        return tuple(None if s is not None and len(s) == len(d) else s for s, d in zip(sets, self.values))

    # ---- assignments ---------------------------------------------------------------
    @functools.cached_property
    def assignments(self) -> dict[str, list[Assignment]]:
        """Per aspect, the rules' assignments over classes of values."""
        if self.space.identity:
            return self._value_assignments
        lift = self.space.lift
        return {aspect: [Assignment(a.aspect, a.attr, lift(a.cube), a.value, a.span, a.rule) for a in group]
                for aspect, group in self._value_assignments.items()}

    @functools.cached_property
    def _value_assignments(self) -> dict[str, list[Assignment]]:
        out: dict[str, list[Assignment]] = defaultdict(list)
        labelled = {lab.name.value for lab in self.m.policy.labels if not lab.exception}
        # An exception to an unknown label (E101) matches no ticket, as a rule with an unknown name does.
        broken = {lab.index for lab in self.m.policy.labels if lab.exception and lab.name.value not in labelled}
        for i, rule in enumerate(self.m.policy.rules):
            if i in broken:
                continue
            for a in self.of_rule(i, rule):
                out[a.aspect].append(a)
        for svc in (d for d in self.m.policy.definitions if isinstance(d, ast.Service)):
            terms = svc.terms or (ast.ServiceTerm((), "included", None, None, svc.name.span),)
            for j, term in enumerate(terms):
                value = tuple((part.status, part.detail, part.estimate and tuple(x.minutes for x in part.estimate))
                              for part in term.parts)
                out["service:" + svc.name.value].append(Assignment(
                    "service:" + svc.name.value, "status", self.cube(term.condition), value, term.span,
                    ("service", svc.name.value, j)))
        return out

    def of_rule(self, i: int, rule: ast.Rule) -> list[Assignment]:
        """The assignments of one rule, identified by `i` (a contract's rules are read over
        its base policy's facts this way)."""
        return getattr(self, "_" + type(rule).__name__)(i, rule)

    def _SeverityRule(self, i, r: ast.SeverityRule):
        if r.becomes.value not in self.m.severities:
            return []  # an unknown severity (E101): no ticket may be moved to it
        extra = {"severity": [n.value for n in r.severities]} if r.severities else None
        return [Assignment("severity", "becomes", self.cube(r.condition, extra), r.becomes.value, r.span, i)]

    def _RespondRule(self, i, r: ast.RespondRule):
        """The rule's attributes for each metric it measures (an unknown one, E101: none)."""
        base = self.cube(r.condition)
        cells = self._cells(r, lambda cell: cell.kind != "empty")
        out = []
        for aspect in dict.fromkeys(targets(n.value) for n in r.metrics if n.value in self.m.metrics):
            if r.calendar is not None:
                out.append(Assignment(aspect, "calendar", base, "+".join(n.value for n in r.calendar), r.span, i))
            if r.guarantee is not None:
                g = r.guarantee if r.guarantee == "always" else "+".join(n.value for n in r.guarantee)
                out.append(Assignment(aspect, "guarantee", base, g, r.span, i))
            if r.target is not None:
                out.append(Assignment(aspect, "target", base, target_value(r.target), r.target.span, i))
            for cell, cube in cells:
                out.append(Assignment(aspect, "target", cube, target_value(cell), cell.span, i))
        return out

    def _cells(self, r: ast.RespondRule, wanted) -> list:
        """(cell, cube of values) for the `wanted` cells of a rule's tables."""
        out = []
        for t in r.tables:
            for label, cells in t.rows:
                for col, cell in zip(t.columns, cells):
                    if wanted(cell):
                        extra = {t.column_dimension.value: [col.value]}
                        if t.row_dimension is not None:
                            extra[t.row_dimension.value] = [label.value]
                        out.append((cell, self.cube(r.condition, extra)))
        return out

    def _EscalateRule(self, i, r: ast.EscalateRule):
        steps = escalation_steps(self.m, r.chain.value) if r.chain else flatten_steps(self.m, r.steps)
        return [Assignment("escalation", "steps", self.cube(r.condition), steps, r.span, i)]

    def _NoSupportRule(self, i, r: ast.NoSupportRule):
        return [Assignment(SUPPORT, "supported", self.cube(r.condition), ("none", r.reason, r.see), r.span, i)]

    def _SupportedRule(self, i, r: ast.SupportedRule):
        return [Assignment(SUPPORT, "supported", self.cube(r.condition), ("full",), r.span, i)]

    def _BillRule(self, i, r: ast.BillRule):
        value = (r.multiplier, "+".join(n.value for n in r.outside))
        return [Assignment("billing", "outside", self.cube(r.condition), value, r.span, i)]

    @functools.cached_property
    def _empty_cells(self) -> list:
        """(cube of values, span, metrics) of each `-` cell: tickets its table leaves to other rules."""
        return [(cube, cell.span, r.metrics) for r in self.m.policy.rules if isinstance(r, ast.RespondRule)
                for cell, cube in self._cells(r, lambda cell: cell.kind == "empty")]

    @functools.cached_property
    def _unknown_cover(self) -> list:
        """(loose cube, span, metrics) of each target rule whose condition names something
        unknown: the tickets it may have meant, which gap findings leave alone (E101 says why)."""
        broken = {src[1] for _, _, src in self.m.g.graph["unresolved"] if src[0] == "rule"}
        return [(self.cube(r.condition, loose=True), r.span, r.metrics) for i, r in enumerate(self.m.policy.rules)
                if i in broken and isinstance(r, ast.RespondRule)]

    def lifted(self, found: list, metric: str) -> list:
        """(cube, span) pairs of one metric's rules, with their cubes over classes."""
        return [(self.space.lift(c), span) for c, span, metrics in found if any(n.value == metric for n in metrics)]

    def empty_cells(self, metric: str) -> list:
        return self.lifted(self._empty_cells, metric)

    def unknown_cover(self, metric: str) -> list:
        return self.lifted(self._unknown_cover, metric)

    # ---- resolution ---------------------------------------------------------------------
    def resolution(self, aspect: str) -> Resolution:
        """Resolved once per aspect (an instance cache: lru_cache on a method would keep
        every compiled policy alive for the life of the process)."""
        if aspect not in self._resolutions:
            self._resolutions[aspect] = Resolution() if self.too_large else resolve(
                self.assignments.get(aspect, []), self.domains, self.overrides)
        return self._resolutions[aspect]

    @functools.cached_property
    def overrides(self) -> dict[int, frozenset[int]]:
        """Rule index -> the indices of the rules it is an exception to (`exception to L:`
        overrides every rule labelled `rule L:`; an unknown label, E330, overrides none)."""
        group: dict[str, set[int]] = defaultdict(set)
        for lab in self.m.policy.labels:
            if not lab.exception:
                group[lab.name.value].add(lab.index)
        return {lab.index: frozenset(group.get(lab.name.value, ())) for lab in self.m.policy.labels
                if lab.exception}

    @functools.cached_property
    def restricted(self) -> dict:
        """(dimension, value) -> (the value's node, the cube of values its `only` admits)."""
        out = {}
        for dim in self.m.dims:
            for v in dim.node.values:
                if v.only and (dim.name, v.name.value) not in out:
                    out[(dim.name, v.name.value)] = (v, self.cube(v.only))
        return out

    @functools.cached_property
    def _absent(self) -> list:
        """Cubes of values of tickets that do not exist: a restricted value (`only`) with
        facts its restriction does not admit."""
        out = []
        for (name, value), (_, admitted) in self.restricted.items():
            i = self.m.dim_index[name]
            for j, allowed in enumerate(admitted):
                if allowed is not None and j != i:
                    cube = [None] * len(self.values)
                    cube[i], cube[j] = frozenset((value,)), frozenset(set(self.values[j]) - allowed)
                    out.append(tuple(cube))
        return out

    def exists(self, point) -> bool:
        """Whether a point (of classes) holds tickets: no restricted value outside its restriction."""
        return not any(all(c is None or x in c for x, c in zip(point, cube)) for cube in self._absent_classes)

    @functools.cached_property
    def _absent_classes(self) -> list:
        return [self.space.lift(c) for c in self._absent]

    @functools.cached_property
    def effective(self) -> dict:
        """Given point -> effective severity, for the points that hold tickets."""
        sev = self.m.dim_index.get("severity")
        res = self.resolution("severity")
        out = {}
        if sev is None or self.too_large:
            return out
        for p in points((None,) * len(self.domains), self.domains):
            if self._absent and not self.exists(p):
                continue
            won = res.winners.get(p, {}).get("becomes")
            out[p] = won.value if won else p[sev]
        return out

    @functools.cached_property
    def reachable(self) -> set:
        """Points the target rules are asked about: with the effective severity."""
        sev = self.m.dim_index.get("severity")
        if sev is None:  # no severities (E105): every ticket is as it came
            return set() if self.too_large else set(points((None,) * len(self.domains), self.domains))
        return {p[:sev] + (s,) + p[sev + 1:] for p, s in self.effective.items()}

    @functools.cached_property
    def unsupported(self) -> frozenset:
        """Points (with the effective severity, as the evaluator reads them) that a `no
        support` rule wins: their targets, escalation and billing are never asked about."""
        if self.too_large:
            return frozenset()
        return frozenset(p for p, won in self.resolution(SUPPORT).winners.items()
                         if "supported" in won and won["supported"].value[0] == "none")

    @functools.cached_property
    def _served_targets(self) -> set:
        return self.reachable - self.unsupported

    @functools.cached_property
    def _served(self) -> set:
        return set(points((None,) * len(self.domains), self.domains)) - self.unsupported

    def live(self, aspect: str) -> set | None:
        """The points whose decision in `aspect` some ticket reads (None: every point)."""
        if is_targets(aspect):
            return self._served_targets if self.unsupported else self.reachable
        if aspect in GATED and self.unsupported:
            return self._served
        return None

    def rows(self, aspect: str, attrs: tuple[str, ...], required: tuple[str, ...] = ()) -> list[tuple[dict, object]]:
        """Disjoint rows (attr -> winning assignment, cube of values) covering the points with
        a winner for every `required` attribute (and at least one of `attrs`).

        The passes demand a complete decision at every reachable point, so these rows hold
        every ticket the evaluator asks about; unreachable points join them only when
        complete too, which keeps the rows as simple as the policy.
        """
        groups: dict = defaultdict(list)
        chosen: dict = {}
        required = set(required)
        for p, won in self.resolution(aspect).winners.items():
            if not won.keys() >= required:
                continue
            key = tuple((a, id(won[a])) for a in attrs if a in won)  # identity: hashing cubes is slow
            if key:
                chosen.setdefault(key, {a: won[a] for a in attrs if a in won})
                groups[key].append(p)
        expand = self.space.expand
        return [(chosen[key], expand(cube)) for key, cube in compress(groups, self.domains)]

    def calendar_of(self, value: str):
        names = tuple(ast.Name(n) for n in value.split("+"))
        return calendar_expr(self.m, names)
