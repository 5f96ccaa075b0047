"""The two sides of `policyc diff`: a policy file, or `REV:path`, a policy file at a git
revision, read with `git` into a temporary policy root that keeps the file's folder
(so its relative imports are read at the same revision too)."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import report
from .source import printable

GIT_SECONDS = 60  # one git command; a repository that takes longer is refused, not waited on


class DiffInputError(Exception):
    """A side that cannot be read: one message, exit 2."""


class BrokenPolicy(Exception):
    """A side that does not compile: its findings were printed, exit 2."""


@dataclass(frozen=True)
class Side:
    """A compiled side: its table, and how its `source` files are named for annotations."""

    table: dict
    root: Path  # the folder a table's `source.file` is relative to
    base: str  # annotation paths are relative to this folder (cwd, or the repository's top)
    texts: dict  # a table's `source.file` -> the file's lines

    def line(self, source: dict) -> str:
        """The text of a `source` line, stripped ('' when unknown)."""
        lines = self.texts.get(source["file"], [])
        return lines[source["line"] - 1].strip() if 0 < source["line"] <= len(lines) else ""

    def where(self, source: dict | None) -> dict | None:
        """A row's `source` as a path a reviewer (or GitHub) finds: relative to `base`."""
        if source is None:
            return None
        return {"file": os.path.relpath(self.root / source["file"], self.base).replace(os.sep, "/"),
                "line": source["line"]}


def load(spec: str, fmt: str, stream) -> Side:
    """Compile one side; DiffInputError or BrokenPolicy (its findings printed to `stream`)."""
    if os.path.exists(spec):
        if not os.path.isfile(spec):
            raise DiffInputError(f"`{printable(spec)}` is not a file: name one policy file")
        return _compile(spec, fmt, stream, os.getcwd(), None)
    if ":" not in spec:
        raise DiffInputError(f"`{printable(spec)}` does not exist: give a policy file or REV:path")
    rev, path = spec.split(":", 1)
    with tempfile.TemporaryDirectory(prefix="policyc-diff-") as tmp:
        tmp = os.path.realpath(tmp)  # the compiler names files by their real path
        inside = _checkout(rev, path, Path(tmp))  # the file's path from the repository's top
        return _compile(os.path.join(tmp, inside), fmt, stream, tmp, rev)


def _compile(path: str, fmt: str, stream, base: str, rev: str | None) -> Side:
    """Compile one policy file; for a revision (`base` its temporary copy of the
    repository's top), findings name the files as `REV:path`."""
    from .compiler import SchemaViolation, compile_paths

    try:
        result = compile_paths([path])
    except SchemaViolation as exc:
        raise DiffInputError(str(exc)) from None
    if result.status():  # an error, or an input that could not be read
        out = io.StringIO()
        report(result.diagnostics, result.sources, fmt, stream=out)
        text = out.getvalue()
        if rev is not None:
            text = text.replace(base + os.sep, f"{rev}:")
        stream.write(text)
        raise BrokenPolicy()
    if len(result.tables) != 1:
        raise DiffInputError(f"`{printable(path)}` holds {len(result.tables)} policies; name one policy file")
    (table,) = result.tables.values()
    root = result.project.root.parent
    texts = {os.path.relpath(os.path.abspath(f.path), root).replace(os.sep, "/"): f.text.splitlines()
             for f in result.sources.values()}
    return Side(table, root, base, texts)


def changed_line(old: Side, new: Side):
    """`pick` for `diffing.compare`: of the lines a new row comes from (its rule's first,
    its own last), the last whose text none of the old row's lines has (the edited line),
    else the row's last."""
    def pick(new_sources: list, old_sources: list):
        before = {old.line(s) for s in old_sources}
        edited = [s for s in new_sources if new.line(s) not in before]
        return (edited or new_sources or [None])[-1]
    return pick


def _git(args: list, cwd: str, what: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_SECONDS)
    except FileNotFoundError:
        raise DiffInputError("`git` is not installed: give two policy files instead of revisions") from None
    except subprocess.TimeoutExpired:
        raise DiffInputError(f"{what}: `git` took longer than {GIT_SECONDS}s") from None
    if done.returncode:
        raise DiffInputError(what)
    return done.stdout


def _checkout(rev: str, path: str, tmp: Path) -> str:
    """Write the folder of `path` at `rev` (its *.policy files) under `tmp`; the file's
    path from the repository's top. A path starting `./` or `../` is read from the
    current folder, any other from the top, as `git show REV:path` reads it."""
    cwd = os.getcwd()
    shown = f"`{printable(rev)}:{printable(path)}`"
    top = _git(["rev-parse", "--show-toplevel"], cwd, f"{shown}: not inside a git repository").decode().strip()
    if path.startswith(("./", "../")):
        prefix = _git(["rev-parse", "--show-prefix"], cwd, f"{shown}: not inside a git repository").decode().strip()
        path = os.path.normpath(os.path.join(prefix, path))
    if not rev or rev.startswith("-"):
        raise DiffInputError(f"{shown}: `{printable(rev)}` is not a revision")
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top,
         f"{shown}: unknown revision `{printable(rev)}`")
    kind = _git(["cat-file", "-t", f"{rev}:{path}"], top, f"{shown}: no file `{printable(path)}` at revision "
                f"`{printable(rev)}`").decode().strip()
    if kind != "blob":
        raise DiffInputError(f"{shown}: `{printable(path)}` is not a file at revision `{printable(rev)}`")
    folder = os.path.dirname(path)
    listing = _git(["ls-tree", "-r", "-z", rev, "--", folder or "."], top, f"{shown}: cannot list `{folder}`")
    for entry in listing.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        name = name.decode("utf-8", "surrogateescape")
        if meta.split(b" ")[:2] in ([b"100644", b"blob"], [b"100755", b"blob"]) and (
                name.endswith(".policy") or name == path):
            data = _git(["cat-file", "blob", f"{rev}:{name}"], top, f"{shown}: cannot read `{printable(name)}`")
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return path
