"""Dated rules and definitions: a policy's versions over its effective period.

`rule targets from 2026-07-01:`, `calendar business until 2026-06-30 { ... }`: an item
with dates is one *version* of its *identity* (the rules of a label, the exceptions to a
label, or the definitions of a name). The versions of an identity must cover the
effective period one at a time: no date with two (E342), no gap between two (E343); an
identity in force only from some date on, or only until one, is W344 (a rule new on a
date is a fair wish, but say so with `expect W344`). An undated item of a dated identity
is in force on every date, so it overlaps every version.

The period is then cut at every date an item starts or stops; each piece is a `Version`:
the policy with the items in force on its dates, compiled like any policy. A ticket is
answered by the version in force on the date it was created (docs/table-format.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from . import ast
from .diagnostics import Diagnostic, error
from .evaluator.limits import MAX_VERSIONS
from .source import Span

_END = dt.date.max  # an open end, inside the arithmetic only
_DAY = dt.timedelta(days=1)
_UNDATED = ast.Dates(None, None)


@dataclass(frozen=True)
class Item:
    """One dated (or undated) item of an identity that has a dated one."""

    key: tuple  # ("rule", L), ("exception", L), ("calendar", name), ("escalation", name)
    first: dt.date
    last: dt.date  # _END: to the end of the period
    span: Span  # where its dates are written (or its name, when it has none)
    written: ast.Dates  # as written (undated: neither date)
    dated: bool
    ref: tuple  # ("rule", index in Policy.rules) or ("def", index in Policy.definitions)


@dataclass(frozen=True)
class Version:
    """The policy as it stands on `first` .. `last` (None: open-ended)."""

    first: dt.date
    last: dt.date | None
    policy: ast.Policy
    dated: tuple[Span, ...]  # the dated items in force: the table's sources for the version

    def label(self) -> str:
        return f"{self.first} .. {self.last or 'open-ended'}"


def dates_of(some: list[Version]) -> str:
    """The dates of some versions (in order), consecutive ones as one range."""
    ranges: list[list] = []
    for v in some:
        if ranges and ranges[-1][1] is not None and ranges[-1][1] + _DAY == v.first:
            ranges[-1][1] = v.last
        else:
            ranges.append([v.first, v.last])
    return ", ".join(f"{a} .. {b or 'open-ended'}" for a, b in ranges)


def shown(key: tuple) -> str:
    kind, name = key
    return f"the exception to `{name}`" if kind == "exception" else f"{kind} `{name}`"


def _items(policy: ast.Policy) -> list[Item]:
    """The items of every identity that has at least one dated item."""
    lo, hi = policy.effective
    hi = hi or _END
    found: list[Item] = []
    for lab in policy.labels:
        key = ("exception" if lab.exception else "rule", lab.name.value)
        found.append(_item(key, lab.dates, lab.name.span, ("rule", lab.index), lo, hi))
    for j, d in enumerate(policy.definitions):
        if isinstance(d, (ast.Calendar, ast.Escalation)):
            found.append(_item((type(d).__name__.lower(), d.name.value), d.dates, d.name.span, ("def", j), lo, hi))
    if policy.extends is not None:  # a contract: its base's versions, cut to the contract's dates
        found = [_clipped(i, lo, hi) if i.span.path != policy.span.path else i for i in found]
    dated = {i.key for i in found if i.dated}
    return [i for i in found if i.key in dated]


def _clipped(it: Item, lo: dt.date, hi: dt.date) -> Item:
    """A base's item as a contract with a shorter period sees it: within the period, or in
    force on no date (never a finding of the contract's: the base's dates are the vendor's)."""
    first, last = max(it.first, lo), min(it.last, hi)
    if first > last:
        return replace(it, first=_END, last=dt.date.min)
    return replace(it, first=first, last=last, written=_UNDATED if not it.dated else ast.Dates(first, last))


def _item(key, dates: ast.Dates | None, name_span: Span, ref, lo, hi) -> Item:
    if dates is None:
        return Item(key, lo, hi, name_span, _UNDATED, False, ref)
    if dates.broken:  # an invalid date, reported (E210): in force on no date
        return Item(key, _END, dt.date.min, dates.span, dates, True, ref)
    return Item(key, dates.first or lo, dates.last or hi, dates.span, dates, True, ref)


def dated_items(policy: ast.Policy) -> list[tuple[str, Span]]:
    """Each dated item of the policy: what it is a version of (`rule `targets``) and where
    its dates are."""
    return [(shown(it.key), it.span) for it in _items(policy) if it.dated] if policy.effective else []


def dated(policy: ast.Policy) -> bool:
    """Whether the policy has any dated item (and a period to read its dates in)."""
    return bool(policy.effective) and any(i.dated for i in _items(policy))


def check(policy: ast.Policy, modules=()) -> list[Diagnostic]:
    """E341, E342, E343, W344, E345: each identity's versions cover the period once;
    E346: dates on a shared definition (`modules`: the files the policy sees); E347: more
    versions than a table holds."""
    out: list[Diagnostic] = []
    for m in modules:
        for d in m.definitions:
            if isinstance(d, (ast.Calendar, ast.Escalation)) and d.dates is not None:
                out.append(error("E346", f"dates on shared {type(d).__name__.lower()} `{d.name.value}`: a version "
                                 "belongs to one policy, whose effective dates it divides", d.dates.span,
                                 "move the dated versions into the policy that uses them"))
    if not policy.effective or (policy.effective[1] and policy.effective[1] < policy.effective[0]):
        return out  # no period (E105): nothing to cover
    lo, hi = policy.effective
    groups: dict[tuple, list[Item]] = {}
    for it in _items(policy):
        if it.first == _END:  # an invalid date (E210 said so)
            continue
        written = it.written
        if written.first and written.last and written.first > written.last:
            out.append(error("E341", f"`from {written.first} until {written.last}` holds no date", it.span,
                             "the first date comes first; both are included"))
            continue
        if it.first < lo or it.last < lo or hi is not None and (it.first > hi or it.last != _END and it.last > hi):
            out.append(error("E345", f"these dates reach outside the period policy `{policy.id.value}` is effective, "
                             f"{lo} .. {hi or 'open-ended'}", it.span,
                             "a version applies within the policy's `effective` dates: change these, or the period"))
            continue
        groups.setdefault(it.key, []).append(it)
    for key, items in groups.items():
        out.extend(_cover(key, items, lo, hi or _END))
    cuts = _cuts([i for group in groups.values() for i in group], lo, hi)
    if len(cuts) > MAX_VERSIONS:
        day = sorted(cuts)[MAX_VERSIONS]
        out.append(error("E347", f"the dates of this policy make {len(cuts)} versions; policyc keeps at most "
                         f"{MAX_VERSIONS}", cuts[day], f"the version from {day} is one too many: a policy "
                         "whose terms change that often is several policies, one per period"))
    return out


def _cover(key, items: list[Item], lo: dt.date, hi: dt.date) -> list[Diagnostic]:
    """The findings for one identity's versions (items with the same dates are one version)."""
    out = []
    spans: dict[tuple, Item] = {}
    for it in sorted(items, key=lambda i: (i.first, i.last, i.span.start)):
        spans.setdefault((it.first, it.last), it)
    versions = sorted(spans.values(), key=lambda i: (i.first, i.last))
    name = shown(key)
    for a, b in zip(versions, versions[1:]):
        if b.first <= a.last:
            both = f"{b.first} .. {_day(min(a.last, b.last))}"
            fix = ("give the undated one dates" if not (a.dated and b.dated) else
                   f"end the earlier version on {b.first - _DAY}, or start this one on {_day(a.last, 1)}")
            out.append(error("E342", f"two versions of {name} are in force on {both}", b.span, fix,
                             notes=(("the other version", a.span),)))
        elif b.first > a.last + _DAY:
            out.append(error("E343", f"no version of {name} is in force on {a.last + _DAY} .. {b.first - _DAY}",
                             b.span, f"start this version on {a.last + _DAY}, or add one for those dates",
                             notes=(("the version before the gap", a.span),)))
    first, last = versions[0], max(versions, key=lambda i: i.last)
    if first.first > lo:
        out.append(error("W344", f"{name} is in force only from {first.first}: no version of it applies to tickets "
                         f"created on {lo} .. {first.first - _DAY}", first.span,
                         "if it is new on that date, say so with `expect W344 \"...\"` before it; "
                         "else add its earlier version"))
    if last.last < hi:
        out.append(error("W344", f"{name} is in force only until {last.last}: no version of it applies to tickets "
                         f"created on {last.last + _DAY} .. {_day(hi)}", last.span,
                         "if it ends on that date, say so with `expect W344 \"...\"` before it; "
                         "else add its later version"))
    return out


def _day(d: dt.date, plus: int = 0) -> str:
    return "the end of the period" if d == _END else str(d + plus * _DAY)


def pieces(policy: ast.Policy) -> list[Version]:
    """The versions of any policy: those of a dated one (`split`), or one over the whole
    period (its dates None when the policy has none to give)."""
    if dated(policy):
        return split(policy)
    lo, hi = policy.effective or (None, None)
    return [Version(lo, hi, policy, ())]


def split(policy: ast.Policy) -> list[Version]:
    """The versions of a dated policy, one per piece of the period between the dates its
    items start or stop on; per identity, the first version in force on a piece (there
    is one when `check` found nothing) with every item that shares its dates."""
    lo, hi = policy.effective
    items = _items(policy)
    cuts = sorted(_cuts(items, lo, hi))
    out = []
    for first, nxt in zip(cuts, cuts[1:] + [None]):
        last = nxt - _DAY if nxt is not None else hi
        keep = _in_force(items, first)
        # its own dates as its period: each check searches the tickets it answers
        out.append(Version(first, last, replace(_only(policy, keep), effective=(first, last)), tuple(sorted(
            (it.span for it in items if it.dated and it.ref in keep), key=lambda s: (s.path, s.start)))))
    return out


def _cuts(items: list[Item], lo: dt.date, hi: dt.date | None) -> dict[dt.date, Span]:
    """The first day of each version: the period's, and each day an item starts or the
    day after one stops, inside the period (with where each is written, the first time)."""
    cuts: dict[dt.date, Span] = {lo: items[0].span} if items else {lo: None}
    ordered = sorted(items, key=lambda i: (i.span.path, i.span.start))
    starts = [(it.first, it.span) for it in ordered]  # a day is blamed on the version that starts on it
    ends = [(it.last + _DAY, it.span) for it in ordered if it.last < _END]
    for d, span in starts + ends:
        if lo < d and (hi is None or d <= hi):
            cuts.setdefault(d, span)
    return cuts


def _in_force(items: list[Item], day: dt.date) -> set[tuple]:
    """The refs of the items in force on `day`, one version per identity."""
    chosen: dict[tuple, tuple] = {}
    for it in items:
        if it.first <= day <= it.last:
            chosen.setdefault(it.key, (it.first, it.last))
    return {it.ref for it in items if chosen.get(it.key) == (it.first, it.last)}


def _only(policy: ast.Policy, keep: set[tuple]) -> ast.Policy:
    """The policy without the dated items not in `keep` (labels renumbered)."""
    drop = {it.ref for it in _items(policy)} - keep
    kept_rules = [i for i in range(len(policy.rules)) if ("rule", i) not in drop]
    new_index = {old: new for new, old in enumerate(kept_rules)}
    labels = tuple(replace(lab, index=new_index[lab.index]) for lab in policy.labels if lab.index in new_index)
    return replace(policy, definitions=tuple(d for j, d in enumerate(policy.definitions) if ("def", j) not in drop),
                   rules=tuple(policy.rules[i] for i in kept_rules), labels=labels)
