"""The pipeline: files -> AST -> graph -> passes -> tables, for the command line and tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import graph, passes
from .diagnostics import Diagnostic, error
from .emit.table import Emitter
from .emit.write import SCHEMA_NAME, dumps, schema_bytes, schema_errors
from .project import Project, load_project
from .source import SourceFile


@dataclass
class Result:
    project: Project
    diagnostics: list[Diagnostic] = field(default_factory=list)
    tables: dict[str, dict] = field(default_factory=dict)  # policy id -> table

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
        out = {f"{pid}.json": dumps(t) for pid, t in self.tables.items()}
        out[SCHEMA_NAME] = schema_bytes()
        return out


def compile_paths(paths: list[str]) -> Result:
    """Check every policy under the paths and build its table; nothing is written here."""
    project = load_project(paths)
    result = Result(project, list(project.diagnostics))
    seen: dict[str, object] = {}
    contexts = []
    for policy, path in project.policies():
        pid = policy.id.value
        if pid in seen:
            result.diagnostics.append(error("E007", f"policy `{pid}` is defined twice", policy.id.span,
                                            notes=(("first defined here", seen[pid]),)))
            continue
        seen[pid] = policy.id.span
        ctx, found = passes.run(graph.build(project, policy, path))
        result.diagnostics.extend(found)
        contexts.append(ctx)
    for m in project.modules.values():
        for extra in m.policies[1:]:
            result.diagnostics.append(error("E007", "a file holds one policy", extra.id.span,
                                            "move this policy into a file of its own"))
    result.diagnostics = sorted(dict.fromkeys(result.diagnostics), key=Diagnostic.sort_key)
    if result.errors:
        return result
    for ctx in contexts:
        table = Emitter(ctx, project.sources, project.root.parent).table()
        problems = schema_errors(table)
        if problems:  # a bug in policyc, not in the policy: say so plainly
            raise SchemaViolation(ctx.model.policy.id.value, problems)
        result.tables[ctx.model.policy.id.value] = table
    return result


class SchemaViolation(Exception):
    def __init__(self, policy: str, problems: list[str]):
        super().__init__(f"internal error: the table of `{policy}` breaks the schema:\n  " + "\n  ".join(problems[:10]))
