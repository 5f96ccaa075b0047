"""`policyc diff`: what changes for tickets between two compiled tables, not for the text.

Each aspect of the rules (a metric's target, its calendar, its guarantee; escalation,
billing, severity rules, support) is a list of rows whose `when` cubes are disjoint.
The old rows are cut by the new ones; each piece where the two answers differ is kept,
and pieces with the same pair of answers are joined again (`cubes.merge`), so a change
reads as the rows of the policy read. A dated table is compared version by version: the
period is cut at every date where either table's version changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from .cubes import Universe, intersect, merge, minus_all
from .diffcalendars import calendar_changes
from .diffvalues import ASPECTS, UNKNOWN, describe_period


@dataclass(frozen=True)
class Change:
    """One difference for tickets: on which tickets (`when`), the old and new answers,
    the dates of ticket creation it is about, and the NEW policy line that causes it."""

    aspect: str
    when: str
    old: str
    new: str
    period: str | None = None
    conditions: dict | None = None  # the tickets as a `when` object, for a rule change
    source: dict | None = None  # {"file", "line"} in the NEW policy

    def as_json(self) -> dict:
        out = {"aspect": self.aspect, "when": self.when, "old": self.old, "new": self.new,
               "period": self.period, "source": self.source}
        if self.conditions is not None:
            out["conditions"] = self.conditions
        return out


def last_line(new_sources: list, old_sources: list):
    """The line a change is shown at when the texts are not known: the new row's last."""
    return new_sources[-1] if new_sources else None


def compare(old: dict, new: dict, pick=last_line) -> list[Change]:
    """Every difference between two tables, in a stable order: the policy's period, then
    per period of versions the rules (aspect by aspect) and the calendars. `pick(new row's
    sources, old row's sources)` chooses the NEW line a rule change is shown at."""
    universe = Universe.of(old, new)
    changes = _effective(old, new) + list(_fact_changes(universe, old, new))
    segments = [(lo, hi, vo, vn) for lo, hi, vo, vn in _segments(old, new) if vo and vn]
    for lo, hi, vo, vn in segments:
        period = describe_period(lo, hi) if len(segments) > 1 else None
        for aspect, rows_of, value in _aspects(old, new, vo, vn):
            for c in _rule_changes(universe, aspect, rows_of(vo), rows_of(vn), value, old, new, pick):
                changes.append(replace(c, period=period))
        for aspect, what, was, now, src in calendar_changes(old, new, lo):
            changes.append(Change(aspect, what, was, now, period, source=src))
    return changes


def _fact_changes(universe: Universe, old: dict, new: dict):
    """Dimension facts whose values differ: a value one table lacks is no ticket of it."""
    for name, _ in universe.facts:
        vo, vn = (t["facts"].get(name, {}).get("values") for t in (old, new))
        if vo != vn:
            yield Change(f"fact `{name}`", "values", ", ".join(vo or []) or "none", ", ".join(vn or []) or "none")


def _effective(old: dict, new: dict) -> list[Change]:
    eo, en = old["policy"]["effective"], new["policy"]["effective"]
    if eo == en:
        return []
    return [Change("policy effective", "tickets created", describe_period(*_dates(eo)),
                   describe_period(*_dates(en)), source=new["policy"].get("source"))]


def _dates(effective: dict) -> tuple:
    until = effective["until"]
    return date.fromisoformat(effective["from"]), None if until is None else date.fromisoformat(until)


def _versions(table: dict) -> list:
    """(first day, last day or None, rules) of each version; one for an undated table."""
    vs = table.get("versions") or [{**table["policy"]["effective"], "rules": table["rules"]}]
    return [(date.fromisoformat(v["from"]), None if v["until"] is None else date.fromisoformat(v["until"]),
             v["rules"]) for v in vs]


def _segments(old: dict, new: dict) -> list:
    """(first, last or None, old rules or None, new rules or None) for each stretch of
    creation dates over which neither table changes version."""
    vo, vn = _versions(old), _versions(new)
    cuts = sorted({lo for lo, _, _ in vo + vn} | {hi + timedelta(days=1) for _, hi, _ in vo + vn if hi})
    out = []
    for i, lo in enumerate(cuts):
        hi = cuts[i + 1] - timedelta(days=1) if i + 1 < len(cuts) else None
        out.append((lo, hi, _at(vo, lo), _at(vn, lo)))
    return [s for s in out if s[2] is not None or s[3] is not None]


def _at(versions: list, day: date):
    return next((rules for lo, hi, rules in versions if lo <= day and (hi is None or day <= hi)), None)


def _aspects(old: dict, new: dict, vo: dict, vn: dict):
    """(name, rules -> rows, row -> comparable value or None) for each aspect of the rules."""
    metrics = list(dict.fromkeys(new["metric_order"] + old["metric_order"]))
    for m in metrics:
        for part, value in ASPECTS["target"]:
            yield f"`{m}` {part}", (lambda rules, m=m: rules["targets"].get(m, [])), value
    for key in ("severity", "escalation", "billing", "support"):
        if vo.get(key) or vn.get(key):
            yield key, (lambda rules, key=key: rules.get(key, [])), ASPECTS[key]


def _rule_changes(universe: Universe, aspect: str, old_rows, new_rows, value, old: dict, new: dict, pick):
    """The pieces of tickets whose answer for this aspect differs, joined per answer pair."""
    ro = _disjoint(universe, old_rows, old, value) + _unknown(universe, old)
    rn = _disjoint(universe, new_rows, new, value) + _unknown(universe, new)
    pieces: dict = {}  # (old text, new text) -> ([cube], NEW source)
    for co, vo, so in ro:
        for cn, vn, sn in rn:
            both = intersect(co, cn)
            if both is not None and vo != vn:
                _add(pieces, vo, vn, both, pick(sn, so))
        for rest in minus_all(co, [cn for cn, _, _ in rn]):
            _add(pieces, vo, None, rest, None)
    for cn, vn, sn in rn:
        for rest in minus_all(cn, [co for co, _, _ in ro]):
            _add(pieces, None, vn, rest, pick(sn, []))
    for (vo, vn), (cubes, src) in pieces.items():
        if None in (vo, vn) and UNKNOWN in (vo, vn):
            continue  # no rule for the tickets one table does not know: nothing to say
        for cube in merge(cubes):
            yield Change(aspect, universe.describe(cube), value.text(vo), value.text(vn), None,
                         universe.conditions(cube), src)


def _disjoint(universe: Universe, rows, table: dict, value) -> list:
    """(cube, comparable value, sources) per row, each cut by the rows before it (first match)."""
    out, before = [], []
    for row in rows:
        cube = universe.cube(row["when"], table)
        key = value.key(row)
        out.extend((piece, key, row.get("source") or []) for piece in minus_all(cube, before))
        before.append(cube)
    return out


def _unknown(universe: Universe, table: dict) -> list:
    """The tickets `table` does not know (a value of the other table's only), as rows."""
    everything = tuple((name, frozenset(values)) for name, values in universe.facts)
    return [(piece, UNKNOWN, []) for piece in minus_all(everything, [universe.cube({}, table)])]


def _add(pieces: dict, vo, vn, cube, src) -> None:
    pieces.setdefault((vo, vn), ([], src))[0].append(cube)  # the first row's line stands for the piece
