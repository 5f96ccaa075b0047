"""Which rows of a table decide a ticket, when the ticket may leave facts out.

A `no support` row that matches (the `gate`) is the whole answer: the other rows are
left out of the outcome, so a fact they alone test is not needed for such a ticket.

A fact is needed only when the answer depends on it. The rows of each rule list are
disjoint cubes over small value sets, so this is decided exactly by enumerating the
values of the missing facts that some row which can still apply tests, one value per
class of values that every such row treats alike (the severity: every value, since
it may be the answer itself). The answer stands when every completion gives the same
rows and the same effective severity, or the same rows with no severity rule applying
at all (the severity is then unknown and not needed: reported as null). A completion
that gives a restricted value (the table's `only`) with facts outside its condition is
no ticket, and is not tried: a How-to ticket for premium plans alone needs no plan.
"""

from __future__ import annotations

from itertools import product

from .errors import FactError

SEVERITY = "severity"
MAX_COMPLETIONS = 10_000  # beyond this many value combinations, missing facts are demanded


def match(rows, facts: dict):
    """The payload of the first row whose conditions the facts meet, or None."""
    for conds, payload in rows:
        if all(facts.get(name) in allowed for name, allowed in conds):
            return payload
    return None


def outside(only, facts: dict):
    """(fact, value, other fact, admitted values) of the first restricted value the facts
    give with another fact its condition does not admit, or None (a fact left out admits it)."""
    for name, value, when in only:
        if facts.get(name) == value:
            for other, allowed in when:
                if other in facts and facts[other] not in allowed:
                    return name, value, other, allowed
    return None


def _possible(rows, known: dict, skip=()):
    """Rows whose conditions on the known facts hold (conditions on `skip` are not tested)."""
    return tuple((conds, payload) for conds, payload in rows
                 if all(known[n] in allowed for n, allowed in conds if n in known and n not in skip))


class Resolver:
    """Resolves the facts of a ticket to (severity, severity sources, payloads, facts not
    needed): one payload (or None) per list of `others`, which test the effective
    severity; rows are (conditions, payload) with conditions (fact, frozenset of values)."""

    def __init__(self, policy: str, fact_values: dict, severity, others: tuple, only: tuple = (),
                 gate: int | None = None):
        self.policy = policy
        self.fact_values = fact_values
        self.severity_rows = severity
        self.other_rows = tuple(others)
        self.only = only  # (fact, value, ((other fact, admitted values), ...)) per restricted value
        self.gate = gate  # the list (of `others`) whose match leaves every other payload out: no support

    def resolve(self, facts: dict) -> tuple:
        known = {f: facts[f] for f in self.fact_values if facts.get(f) is not None}
        missing = [f for f in self.fact_values if f not in known]
        sev_rows = _possible(self.severity_rows, known)
        # later rows test the effective severity, which a severity rule may change
        others = tuple(_possible(rows, known, skip=(SEVERITY,)) for rows in self.other_rows)
        tested = {n for rows in (sev_rows, *others) for conds, _ in rows for n, _ in conds}
        open_facts = [f for f in missing if f in tested]
        choices = [self._choices(f, sev_rows, others) for f in open_facts]
        count = 1
        for c in choices:
            count *= len(c)
        if count > MAX_COMPLETIONS:
            raise FactError("missing facts " + ", ".join(f"`{f}`" for f in open_facts)
                            + ": too many combinations to decide the ticket without them")
        outcomes = {}
        for values in product(*choices):
            completed = dict(known, **dict(zip(open_facts, values)))
            if self.exists(completed):
                outcomes[values] = self._gated(self._outcome(completed, sev_rows, others))
        if not outcomes:
            raise FactError("no ticket has these facts: restricted values they give exclude one another")
        return self._answer(outcomes, open_facts, missing)

    def exists(self, facts: dict) -> bool:
        return outside(self.only, facts) is None

    def _choices(self, fact: str, sev_rows, others) -> list:
        """One value per class of values that every possible row treats alike."""
        values = self.fact_values[fact]
        if fact == SEVERITY:
            return list(values)
        tests = [allowed for rows in (sev_rows, *others) for conds, _ in rows
                 for n, allowed in conds if n == fact]
        # the restrictions split the values too: a representative must exist where its class does
        tests += [allowed for _, _, when in self.only for n, allowed in when if n == fact]
        seen = {}
        for v in values:
            seen.setdefault(tuple(v in allowed for allowed in tests), v)
        return list(seen.values())

    @staticmethod
    def _outcome(facts: dict, sev_rows, others) -> tuple:
        """(effective severity, severity row or None, one payload per list of `others`)."""
        sev = match(sev_rows, facts)
        effective = sev[0] if sev else facts.get(SEVERITY)
        eff_facts = dict(facts, severity=effective)
        return (effective, sev, *(match(rows, eff_facts) for rows in others))

    def _gated(self, outcome: tuple) -> tuple:
        """An unsupported ticket's outcome holds its support row alone: the targets,
        escalation and billing it would have had are no part of its answer, so a missing
        fact that decides only them is not needed."""
        if self.gate is None or outcome[2 + self.gate] is None:
            return outcome
        blank = [None] * len(self.other_rows)
        blank[self.gate] = outcome[2 + self.gate]
        return (*outcome[:2], *blank)

    def _answer(self, outcomes: dict, open_facts: list, missing: list) -> tuple:
        results = list(outcomes.values())
        first = results[0]
        # equal, not identical: a table row's cells are one row per value, alike in every field
        same_rows = all(all(a is b or a == b for a, b in zip(r[2:], first[2:])) for r in results)
        severities = {r[0] for r in results}
        unknown_severity = SEVERITY in missing and all(r[1] is None for r in results)
        if not same_rows or (len(severities) > 1 and not unknown_severity):
            raise self._missing(outcomes, open_facts)
        sources, seen = [], set()
        for r in results:
            for s in (r[1][1] if r[1] else ()):
                key = (s.get("file"), s.get("line"))
                if key not in seen:
                    seen.add(key)
                    sources.append(s)
        severity = None if unknown_severity else first[0]
        return (severity, sources, first[2:], tuple(missing))

    @staticmethod
    def _missing(outcomes: dict, open_facts: list) -> FactError:
        """The error naming the missing facts on which the answer depends."""
        def key(r):
            return (r[0], *map(id, r[2:]))

        needed = []
        for i, fact in enumerate(open_facts):
            groups = {}
            for values, r in outcomes.items():
                groups.setdefault(values[:i] + values[i + 1:], set()).add(key(r))
            if any(len(g) > 1 for g in groups.values()):
                needed.append(fact)
        needed = needed or open_facts  # never empty: some single fact changes the outcome
        message = f"missing fact `{needed[0]}`: the policy needs it for this ticket"
        if needed[1:]:
            message += "; it also needs " + ", ".join(f"`{f}`" for f in needed[1:])
        return FactError(message)
