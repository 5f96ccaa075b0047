"""The pipeline: files -> AST -> graph -> passes -> tables, for the command line and tests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from . import contracts, expects, graph, passes, versions
from .diagnostics import Diagnostic, error
from .emit.table import Emitter
from .emit.versions import merge_versions
from .emit.write import SCHEMA_NAME, Scope, dumps, schema_bytes, schema_errors
from .project import Project, load_project
from .source import SourceFile, Span, printable

# The input could not be read at all (unreadable, too large, not a file, a link out of
# the root, a path that does not exist, nothing to compile): exit 2, not 1.
INPUT_ERRORS = frozenset({"E002", "E003", "E008", "E009", "E010", "E011"})


@dataclass
class Result:
    project: Project
    diagnostics: list[Diagnostic] = field(default_factory=list)
    tables: dict[str, dict] = field(default_factory=dict)  # policy id -> table
    encoded: dict[str, bytes] = field(default_factory=dict)  # policy id -> the table's bytes
    # each policy's checked contexts, one per version (Version, or None for an undated policy)
    contexts: list = field(default_factory=list, repr=False)

    @property
    def sources(self) -> dict[str, SourceFile]:
        return self.project.sources

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def outputs(self) -> dict[str, bytes]:
        """File name -> bytes, the schema included; empty when there is an error."""
        if self.errors:
            return {}
        out = {f"{pid}.json": data for pid, data in self.encoded.items()}
        out[SCHEMA_NAME] = schema_bytes()
        return out

    def status(self, strict: bool = False) -> int:
        """The exit code every subcommand gives for these findings: 2 when an input could
        not be read, 1 on an error (or, when strict, a warning), else 0."""
        if any(d.code in INPUT_ERRORS for d in self.diagnostics):
            return 2
        return 1 if self.errors or (strict and self.diagnostics) else 0

    def scope(self) -> Scope:
        """The old tables this compile answers for (see `Scope`)."""
        p = self.project
        return Scope(p.root.parent, frozenset(p.named_files), tuple(p.named_folders))


def compile_paths(paths: list[str]) -> Result:
    """Check every policy under the paths and build its table; nothing is written here."""
    project = load_project(paths)
    result = Result(project, list(project.diagnostics))
    seen: dict[str, object] = {}
    contexts = []
    broken = {d.span.path for d in project.diagnostics if d.is_error}  # syntax, quantities: no table to compare
    merged, found = contracts.merge_all(project)  # each contract as the policy it means
    result.diagnostics.extend(found)
    for policy, path in project.policies() + merged:
        pid = policy.id.value
        if pid in seen:
            result.diagnostics.append(error("E007", f"policy `{pid}` is defined twice", policy.id.span,
                                            notes=(("first defined here", seen[pid]),)))
            continue
        seen[pid] = policy.id.span
        read_errors = any(m.path in broken for m in project.visible(path))
        runs, found = _check(project, policy, path, read_errors)
        complete = not read_errors and not any(d.is_error for d in found)
        result.diagnostics.extend(expects.apply(policy, found, complete))
        contexts.append(runs)
    for m in project.modules.values():
        for extra in m.policies[1:]:
            result.diagnostics.append(error("E007", "a file holds one policy", extra.id.span,
                                            "move this policy into a file of its own"))
    result.diagnostics = sorted(dict.fromkeys(result.diagnostics), key=Diagnostic.sort_key)
    result.contexts = [run for runs in contexts for run in runs]
    if result.errors:
        return result
    for runs in contexts:
        pid = runs[0][1].model.policy.id.value
        emitted = [(v, Emitter(ctx, project.sources, project.root.parent)) for v, ctx in runs]
        # one version (a contract whose dates hold one version of its base): an undated table
        table = merge_versions(emitted) if len(emitted) > 1 else emitted[0][1].table()
        problems = schema_errors(table)
        if problems:  # a bug in policyc, not in the policy: say so plainly
            raise SchemaViolation(pid, problems)
        try:
            result.encoded[pid] = dumps(table)
        except ValueError as exc:
            raise SchemaViolation(pid, [str(exc)]) from None
        result.tables[pid] = table
    return result


def _check(project: Project, policy, path: str, read_errors: bool) -> tuple[list, list[Diagnostic]]:
    """Every pass on a policy: [(None, context)] for an undated one, else one (Version,
    context) per version. A finding of some versions only says which tickets it is about."""
    found = versions.check(policy, project.visible(path))
    if not versions.dated(policy):
        ctx, more = passes.run(graph.build(project, policy, path), read_errors)
        return [(None, ctx)], found + more
    if any(d.code == "E347" for d in found):
        return [], found  # too many versions to check each: bounded time first
    prior = read_errors or any(d.is_error for d in found)
    runs, seen = [], {}
    for v in versions.split(policy):
        ctx, more = passes.run(graph.build(project, v.policy, path), prior)
        runs.append((v, ctx))
        for d in more:
            seen.setdefault(d, []).append(v)
    for d, where in seen.items():
        if len(where) < len(runs):
            d = replace(d, message=f"{d.message} (tickets created {versions.dates_of(where)})")
        found.append(d)
    return runs, passes.cap(sorted(dict.fromkeys(found), key=Diagnostic.sort_key))


def require_policies(result: Result, paths: list[str]) -> None:
    """Add E011 when the paths hold no policy at all: a silent success would hide a typo
    or an empty file (a library of shared definitions is checked through its policies)."""
    if result.project.policies() or result.status():
        return
    shown = printable(" ".join(paths) or os.curdir)
    result.diagnostics.append(error(
        "E011", f"no policy found in `{shown}`", Span(shown, 0, 0),
        "a policy file holds `policy ID { ... }`; shared definitions are checked through a policy that imports them"))


class SchemaViolation(Exception):
    def __init__(self, policy: str, problems: list[str]):
        super().__init__(f"internal error: the table of `{policy}` cannot be written:\n  " + "\n  ".join(problems[:10]))

