"""Find policy files, parse them and their imports, and group what each policy can see."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import ast
from .diagnostics import Diagnostic, error
from .source import SourceFile, Span
from .syntax import parse_file

SUFFIX = ".policy"


@dataclass
class Project:
    """Every parsed file under one policy root, by display path."""

    root: Path
    sources: dict[str, SourceFile] = field(default_factory=dict)
    modules: dict[str, ast.Module] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    import_edges: list[tuple[str, str, Span]] = field(default_factory=list)

    def display(self, path: Path) -> str:
        try:
            rel = path.resolve().relative_to(Path.cwd().resolve())
            return rel.as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def load(self, path: Path) -> str:
        """Parse a file (once) and, transitively, what it imports."""
        shown = self.display(path)
        if shown in self.sources or shown in self.modules:
            return shown
        src, module, diags = parse_file(path, shown)
        self.diagnostics.extend(diags)
        if src is not None:
            self.sources[shown] = src
        if module is None:
            return shown
        self.modules[shown] = module
        for imp in module.imports:
            target = (path.parent / imp.path).resolve()
            if not _inside(target, self.root):
                self.diagnostics.append(error(
                    "E004", f"import `{imp.path}` is outside the policy root `{self.display(self.root)}`",
                    imp.span, "shared definitions must live under the policy root"))
                continue
            if not target.is_file():
                self.diagnostics.append(error("E005", f"imported file `{imp.path}` does not exist", imp.span))
                continue
            self.import_edges.append((shown, self.display(target), imp.span))
            self.load(target)
        return shown

    def visible(self, path: str) -> list[ast.Module]:
        """The module and everything it imports, transitively, in a stable order."""
        seen, order, todo = set(), [], [path]
        while todo:
            p = todo.pop()
            if p in seen or p not in self.modules:
                continue
            seen.add(p)
            order.append(self.modules[p])
            todo.extend(sorted((b for a, b, _ in self.import_edges if a == p), reverse=True))
        return order

    def policies(self) -> list[tuple[ast.Policy, str]]:
        """Each policy with the path of the file that holds it, sorted by id for stable output."""
        found = [(p, path) for path, m in self.modules.items() for p in m.policies]
        return sorted(found, key=lambda pp: (pp[0].id.value, pp[1]))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def discover(paths: list[str]) -> tuple[Project, list[Path]]:
    """Files named on the command line (directories searched for *.policy), and their root."""
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(path.rglob("*" + SUFFIX)))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(p)
    dirs = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    parents = dirs or [f.resolve().parent for f in files] or [Path.cwd()]
    root = Path(_common(parents))
    project = Project(root)
    for m in missing:
        project.diagnostics.append(error("E008", f"no such file or directory: `{m}`", Span(m, 0, 0)))
    return project, sorted(set(files), key=lambda f: f.resolve().as_posix())


def _common(paths: list[Path]) -> str:
    import os

    return os.path.commonpath([str(p) for p in paths])


def load_project(paths: list[str]) -> Project:
    project, files = discover(paths)
    for f in files:
        project.load(f)
    return project
