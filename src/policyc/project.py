"""Find policy files, parse them and their imports, and group what each policy can see."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import ast
from .diagnostics import Diagnostic, error
from .source import SourceFile, Span, file_kind, printable
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
    named_files: list[Path] = field(default_factory=list)  # real paths of the files and folders
    named_folders: list[Path] = field(default_factory=list)  # given on the command line

    def display(self, path: Path) -> str:
        """How a file is named in messages: relative to the working directory when under it."""
        try:
            shown = path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            shown = path.as_posix()
        return printable(shown)

    def load(self, path: Path) -> str:
        """Parse a file (once) and, transitively, what it imports.

        A file whose real path leaves the policy root (a symlink out of it) is refused
        before it is opened: a pull request adding `pw.policy -> /etc/passwd` must not
        make CI print that file's lines. Imports are followed with a work list, not by
        recursion, so a chain of a thousand files is as good as a short one.
        """
        real = _real(path)
        if not _inside(real, self.root):
            shown = self.display(Path(os.path.abspath(path)))  # the link itself, not its target
            self.diagnostics.append(error(
                "E010", f"`{shown}` links to a file outside the policy root `{self.display(self.root)}`",
                Span(shown, 0, 0), "policy files must live under the policy root: copy the file in, not a link"))
            return shown
        todo = [real]
        while todo:
            todo.extend(reversed(self._parse_one(todo.pop())))  # depth first, imports in order
        return self.display(real)

    def _parse_one(self, real: Path) -> list[Path]:
        """Parse one file not seen before; the files it imports that may be read."""
        shown = self.display(real)
        if shown in self.sources or shown in self.modules:
            return []
        src, module, diags = parse_file(real, shown)
        self.diagnostics.extend(diags)
        if src is not None:
            self.sources[shown] = src
        if module is None:
            return []
        self.modules[shown] = module
        return [t for t in (self._check_import(real, shown, imp) for imp in module.imports) if t is not None]

    def _check_import(self, importer: Path, shown: str, imp) -> Path | None:
        """The real path of an import that may be read, or None after saying why not."""
        target = _real(importer.parent / imp.path)
        if not _inside(target, self.root):
            self.diagnostics.append(error(
                "E004", f"import `{imp.path}` is outside the policy root `{self.display(self.root)}`",
                imp.span, "shared definitions must live under the policy root"))
            return None
        try:
            mode = os.stat(target).st_mode
        except OSError:
            self.diagnostics.append(error("E005", f"imported file `{imp.path}` does not exist", imp.span))
            return None
        if not stat.S_ISREG(mode):
            self.diagnostics.append(error(
                "E009", f"imported file `{imp.path}` is {file_kind(mode)}, not a regular file", imp.span,
                "import a policy file"))
            return None
        self.import_edges.append((shown, self.display(target), imp.span))
        return target

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

    def contracts(self) -> list[tuple[ast.Contract, str]]:
        """Each contract with the path of its file, sorted by id (see contracts.py)."""
        found = [(c, path) for path, m in self.modules.items() for c in m.contracts]
        return sorted(found, key=lambda cp: (cp[0].body.id.value, cp[1]))


def _real(path: Path) -> Path:
    """The path with every symlink resolved; never raises (a symlink loop stays as it is,
    and reading it later says so)."""
    return Path(os.path.realpath(path))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def find_files(folder: Path, suffix: str) -> list[Path]:
    """Every non-directory entry named `*suffix` under a folder, without following links to
    folders (a link loop would never end); links to files are listed, and checked by who reads."""
    found = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        found.extend(Path(parent, n) for n in sorted(names) if n.endswith(suffix))
    return found


def discover(paths: list[str]) -> tuple[Project, list[Path]]:
    """Files named on the command line (directories searched for *.policy), and their root.

    The root is the common folder of the directories and of the named files' folders,
    links resolved; every file read must really lie under it.
    """
    files: list[Path] = []
    anchors: list[Path] = []  # the folders of the files named
    folders, named, project_errors = [], [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            folders.append(_real(path))
            files.extend(find_files(path, SUFFIX))
        elif os.path.lexists(path):  # a file, or a pipe or link that reading will describe
            anchors.append(_real(Path(os.path.abspath(path)).parent))
            named.append(_real(path))
            files.append(path)
        else:
            project_errors.append(error("E008", f"no such file or directory: `{printable(p)}`",
                                        Span(printable(p), 0, 0)))
    anchors = folders + anchors
    root = Path(os.path.commonpath([str(a) for a in anchors])) if anchors else _real(Path.cwd())
    project = Project(root, named_files=named, named_folders=folders)
    project.diagnostics.extend(project_errors)
    return project, sorted(set(files), key=lambda f: os.path.realpath(f))


def load_project(paths: list[str]) -> Project:
    project, files = discover(paths)
    for f in files:
        project.load(f)
    return project
