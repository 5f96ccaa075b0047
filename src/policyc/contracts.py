"""Contracts: one customer's exceptions to a published policy, compiled to a table of their own.

A published policy marks what a contract may override: `negotiable rule L:` (the rule
group L) and `negotiable calendar NAME` (a definition). A contract, `contract ID extends
BASE { ... }`, gives the new rules of each negotiable group it overrides (`rule L:`, all
of them: they form the new group) and new definitions of negotiable names. `merge`
builds the policy the contract means: the base with those groups and definitions
replaced, everything else the base's. That policy goes through the same passes and
emitter as any other, and its table says which policy it extends.

The checks here are what only a contract needs: it overrides nothing the base does not
mark negotiable and adds no rule outside a group; contract_checks.py checks that each
rule of a group decides only what the base's group decided (the same tickets, the same
attributes): beyond that it would override rules that are not negotiable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterator

from . import ast, contract_checks, graph, versions
from .diagnostics import Diagnostic, did_you_mean, error
from .expects import item_spans, rule_spans, target_of
from .project import Project

# Definitions a contract may replace: who is called, when the team works, what is included.
# The facts (dimensions, severities, statuses, metrics, orders) are the base's: a table
# over other facts would answer other tickets.
NEGOTIABLE_KINDS = ("calendar", "holidays", "escalation", "service", "role")
OVERRIDE_HELP = "ask the vendor to mark it `negotiable`, or remove this override"


@dataclass(frozen=True)
class Base:
    """A published policy as its contracts see it."""

    policy: ast.Policy
    path: str
    groups: dict[str, list[ast.RuleLabel]]  # label -> the rules of the group (not exceptions)
    negotiable_groups: frozenset[str]
    definitions: dict[tuple, object]  # key -> every definition the policy sees
    negotiable_definitions: frozenset[tuple]


def merge_all(project: Project) -> tuple[list[tuple[ast.Policy, str]], list[Diagnostic]]:
    """Each contract of the project as the policy it means, and what is wrong with the
    contracts and with the `negotiable` marks of the policies."""
    found = [d for policy, _ in project.policies() for d in check_marks(policy)]
    found += _one_per_file(project)
    policies = {p.id.value: (p, path) for p, path in project.policies()}
    merged = []
    for contract, path in project.contracts():
        if contract.base.value not in policies:
            found.extend(_unknown_base(project, contract, policies))
            continue
        base = _base(project, *policies[contract.base.value])
        found.extend(check(base, contract))
        policy, wrong = _merge_checked(project, base, contract, path)
        found.extend(d for ds in wrong.values() for d in ds)
        merged.append((policy, path))
    return merged, found


def _merge_checked(project: Project, base: Base, contract: ast.Contract, path: str):
    """The merged policy, and the contract's rules that decide beyond their group (by
    index, with their findings), which it leaves out."""
    # a dated base is checked version by version: its groups decide per version
    bases = [(v, _base(project, v.policy, base.path)) for v in versions.pieces(base.policy)]
    decided = [(v, b, contract_checks.decisions(project, b.policy, b.path)) for v, b in bases]
    wrong: dict = {}
    for _, b, bd in decided:
        for j, found in contract_checks.check_reach(bd, b, contract.body).items():
            wrong.setdefault(j, found)
    policy = merge(project, base, contract, path, frozenset(wrong))
    wins: dict = {}
    for mv in versions.pieces(policy):  # each against the base's version in force on its first day
        v, b, bd = decided[0] if len(decided) == 1 else next(
            (x for x in reversed(decided) if x[0].first <= mv.first), decided[0])
        for j, found in contract_checks.check_wins(project, bd, b, contract.body, mv.policy, path).items():
            wins.setdefault(j, found)
    if wins:
        wrong.update(wins)
        policy = merge(project, base, contract, path, frozenset(wrong))
    return policy, wrong


def _base(project: Project, policy: ast.Policy, path: str) -> Base:
    seen = [d for m in project.visible(path) for d in m.definitions] + list(policy.definitions)
    definitions: dict = {}
    for d in seen:
        definitions.setdefault(graph.key_of(d), d)
    groups: dict = defaultdict(list)
    for lab in policy.labels:
        if not lab.exception:
            groups[lab.name.value].append(lab)
    marked = [n.item for n in policy.negotiable]
    return Base(policy, path, dict(groups),
                frozenset(x.name.value for x in marked if isinstance(x, ast.RuleLabel) and not x.exception),
                definitions,
                frozenset(graph.key_of(x) for x in marked if not isinstance(x, ast.RuleLabel)))


# ---- the marks in a published policy ------------------------------------------------

def check_marks(policy: ast.Policy) -> Iterator[Diagnostic]:
    """E337 (`negotiable` on an exception or on facts), E338 (a group marked in part)."""
    marked = set()
    for n in policy.negotiable:
        word = replace(n.span, end=n.span.start + len("negotiable"))
        if isinstance(n.item, ast.RuleLabel):
            marked.add(n.item.index)
            if n.item.exception:
                yield error("E337", "an exception cannot be `negotiable`: a contract overrides rule groups", word,
                            f"mark the group instead: `negotiable rule {n.item.name.value}:`")
        elif graph.key_of(n.item)[0] not in NEGOTIABLE_KINDS:
            yield error("E337", f"a {_kind(n.item)} cannot be `negotiable`: a contract keeps the base's facts",
                        word, "remove `negotiable`; a contract may override a labelled rule group, a calendar, "
                        "holidays, an escalation, a service or a role")
    groups = {lab.name.value for lab in policy.labels if lab.index in marked and not lab.exception}
    for lab in policy.labels:
        if lab.name.value in groups and not lab.exception and lab.index not in marked:
            yield error("E338", f"rule group `{lab.name.value}` is `negotiable`, but this rule of it is not marked",
                        lab.span, f"mark it too: `negotiable rule {lab.name.value}:`, or give it another label")


def _kind(d) -> str:
    if isinstance(d, ast.Dimension) and d.name.value == "severity":
        return "severity list"
    return {"statuses": "status list", "fact": "fact"}.get(graph.key_of(d)[0], graph.key_of(d)[0])


def _one_per_file(project: Project) -> Iterator[Diagnostic]:
    for m in project.modules.values():
        for c in m.contracts[0 if m.policies else 1:]:
            yield error("E007", "a file holds one policy or one contract", c.body.id.span,
                        "move this contract into a file of its own")


def _unknown_base(project: Project, contract: ast.Contract, policies: dict) -> Iterator[Diagnostic]:
    name = contract.base.value
    contracts = {c.body.id.value for c, _ in project.contracts()}
    if name in contracts:
        yield error("E331", f"contract `{contract.body.id.value}` extends `{name}`, which is a contract",
                    contract.base.span, "extend the published policy that contract extends")
    elif not any(d.is_error for d in project.diagnostics):  # a base that did not parse is no unknown name
        yield error("E330", f"contract `{contract.body.id.value}` extends unknown policy `{name}`",
                    contract.base.span, did_you_mean(name, policies)
                    or "compile the base policy with its contracts, e.g. `policyc compile policies/`")


# ---- what a contract may override -----------------------------------------------------

def check(base: Base, contract: ast.Contract) -> Iterator[Diagnostic]:
    """What a contract overrides, against what its base marks negotiable (reach: below)."""
    body = contract.body
    for lab in body.labels:
        if lab.name.value not in base.negotiable_groups:
            yield _not_negotiable_label(base, lab)
    labelled = {lab.index for lab in body.labels}
    for i, rule in enumerate(body.rules):
        if i not in labelled:
            yield error("E333", "a contract rule must override a `negotiable` rule group of the base", rule.span,
                        _label_help(base))
    for d in body.definitions:
        yield from _check_definition(base, d)
    yield from _check_effective(base.policy, contract)


def _label_help(base: Base) -> str:
    names = sorted(base.negotiable_groups)
    if not names:
        return f"`{base.policy.id.value}` marks no rule group `negotiable`: remove this rule"
    return f"label it with the group it replaces: `rule {names[0]}: when ...`" + (
        f" (negotiable: {', '.join(f'`{n}`' for n in names)})" if len(names) > 1 else "")


def _not_negotiable_label(base: Base, lab: ast.RuleLabel) -> Diagnostic:
    name, pid = lab.name.value, base.policy.id.value
    group = base.groups.get(name)
    if group is None:
        hint = did_you_mean(name, base.negotiable_groups)
        return error("E332", f"`{pid}` has no rule group `{name}` to override", lab.name.span,
                     hint or OVERRIDE_HELP)
    return error("E332", f"rule group `{name}` is not negotiable in `{pid}`", lab.name.span, OVERRIDE_HELP,
                 notes=((f"`rule {name}:` is defined here, without `negotiable`", group[0].span),))


def _check_definition(base: Base, d) -> Iterator[Diagnostic]:
    key = graph.key_of(d)
    if key[0] not in NEGOTIABLE_KINDS:
        yield error("E337", f"a contract cannot define a {_kind(d)}: its table has the facts of "
                    f"`{base.policy.id.value}`", graph.site(d), "remove it")
    elif key in base.definitions and key not in base.negotiable_definitions:
        yield error("E332", f"{key[0]} `{key[1]}` is not negotiable in `{base.policy.id.value}`", graph.site(d),
                    OVERRIDE_HELP, notes=((f"`{key[1]}` is defined here, without `negotiable`",
                                           graph.site(base.definitions[key])),))


def _check_effective(base: ast.Policy, contract: ast.Contract) -> Iterator[Diagnostic]:
    if not contract.body.effective or not base.effective:
        return
    (start, end), (first, last) = contract.body.effective, base.effective
    if start < first or (last is not None and (end is None or end > last)):
        period = f"{first.isoformat()}..{last.isoformat() if last else ''}"
        yield error("E336", f"the contract is effective outside `{base.id.value}`'s period {period}",
                    contract.effective_span, f"give dates inside it, e.g. `effective {max(start, first).isoformat()}.."
                    f"{(min(end, last) if end and last else last or end or start).isoformat()}`")


# ---- the policy a contract means -------------------------------------------------------

def merge(project: Project, base: Base, contract: ast.Contract, path: str, rejected=frozenset()) -> ast.Policy:
    """The base with the contract's groups and definitions in place of its own.

    What the contract may not override (reported by `check`), and the `rejected` rules
    (by index: beyond their group), are left out, so that the findings on the result are
    about what the contract may say, not their echo in the base."""
    body, bp = contract.body, base.policy
    valid = [lab for lab in body.labels if lab.name.value in base.negotiable_groups and lab.index not in rejected]
    replaced = {lab.name.value for lab in valid if not lab.exception}
    dropped = {g.index for name in replaced for g in base.groups[name]}
    keep = [i for i in range(len(bp.rules)) if i not in dropped]
    rules = [bp.rules[i] for i in keep] + [body.rules[lab.index] for lab in valid]
    at = {old: new for new, old in enumerate(keep)}
    labels = [replace(lab, index=at[lab.index]) for lab in bp.labels if lab.index in at]
    labels += [replace(lab, index=len(keep) + n) for n, lab in enumerate(valid)]
    mine = {graph.key_of(d): d for d in body.definitions
            if graph.key_of(d)[0] in NEGOTIABLE_KINDS and graph.key_of(d) in base.negotiable_definitions}
    new = [d for d in body.definitions
           if graph.key_of(d)[0] in NEGOTIABLE_KINDS and graph.key_of(d) not in base.definitions]
    # The base's file and imports, as far as the contract's own file does not import them.
    theirs = {m.path for m in project.visible(path)}
    shared = [d for m in project.visible(base.path) if m.path not in theirs for d in m.definitions]
    definitions = shared + [mine.get(graph.key_of(d), d) for d in bp.definitions] + new
    spans = rule_spans(bp)
    gone = {spans[i] for i in dropped} | {d.span for d in bp.definitions if graph.key_of(d) in mine}
    items = item_spans(bp)
    expects = tuple(e for e in bp.expects if target_of(e, items) not in gone) + body.expects
    return ast.Policy(body.id, body.title, body.version, body.effective if body.effective is not None
                      else bp.effective, bp.languages, bp.support_languages, tuple(definitions), tuple(rules),
                      body.span, expects, tuple(labels), (), ast.Extends(bp.id, bp.version))
