"""`policyc fmt`: put policy files in the canonical layout, or say which are not in it.

The layout itself is `syntax/layout.py`. Here: finding the files, refusing those that do
not parse (their diagnostics, the file left as it is), checking that the new text means
the same (its AST equals the old one's) before it replaces the old, and writing each file
atomically: a temporary file in the same folder, then `os.replace`, so that a reader or a
crash never meets half a policy.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .compiler import INPUT_ERRORS
from .diagnostics import Diagnostic, error, report
from .project import SUFFIX, find_files
from .source import SourceFile, Span, printable
from .syntax import parse_text
from .syntax.layout import layout
from .syntax.parse import read_source

INPUT_ERROR = 2


class LayoutError(Exception):
    """The layout would change what a policy says: a bug of the formatter, never written."""


@dataclass
class Outcome:
    """One file: its text before and after, or the diagnostics that stopped it."""

    path: Path
    display: str
    old: str = ""
    new: str = ""
    source: SourceFile | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    failure: str = ""  # a LayoutError's message

    @property
    def changed(self) -> bool:
        return not self.diagnostics and not self.failure and self.old != self.new


def format_text(text: str, display: str = "<text>") -> tuple[str | None, list[Diagnostic]]:
    """`text` in the canonical layout, or None and the syntax errors that prevent it."""
    src = SourceFile.of(display, text)
    module, diags = parse_text(src)
    if module is None or any(d.severity == "error" for d in diags):
        return None, diags
    new = layout(text)
    again, _ = parse_text(SourceFile.of(display, new))
    if again != module:  # a layout bug must never change what a policy says
        raise LayoutError(f"internal error: the layout of `{printable(display)}` would change its meaning; "
                          "the file is left as it is (please report it)")
    return new, []


def _files(paths: list[str]) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """The policy files named or found under the folders named, and the paths that do not exist."""
    found, missing = [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found.extend((f, str(f)) for f in find_files(path, SUFFIX))
        elif os.path.lexists(path):
            found.append((path, p))
        else:
            missing.append(error("E008", f"no such file or directory: `{printable(p)}`", Span(printable(p), 0, 0)))
    if not found and not missing:
        shown = printable(" ".join(paths) or os.curdir)
        missing.append(error("E011", f"no policy found in `{shown}`", Span(shown, 0, 0),
                             "name policy files (`*.policy`) or folders that hold them"))
    unique = {os.path.realpath(f): (f, display) for f, display in found}
    return sorted(unique.values(), key=lambda fd: fd[1]), missing


def _outcome(path: Path, display: str) -> Outcome:
    src, diags = read_source(path, display)
    if src is None or diags:
        return Outcome(path, display, source=src, diagnostics=tuple(diags))
    try:
        new, diags = format_text(src.text, display)
    except LayoutError as exc:
        return Outcome(path, display, source=src, failure=str(exc))
    if new is None:
        return Outcome(path, display, source=src, diagnostics=tuple(diags))
    return Outcome(path, display, old=src.text, new=new, source=src)


def write_atomically(path: Path, text: str) -> None:
    """Replace the file's content in one step, keeping its permissions; through a link, its target."""
    real = Path(os.path.realpath(path))
    mode = real.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def unified_diff(outcome: Outcome) -> str:
    return "".join(difflib.unified_diff(outcome.old.splitlines(keepends=True), outcome.new.splitlines(keepends=True),
                                        fromfile=outcome.display, tofile=f"{outcome.display} (formatted)"))


def run(paths: list[str], check: bool, diff: bool, out, err) -> int:
    """Format, check or diff the files; the exit code (0 formatted, 1 would change or broken, 2 input)."""
    files, missing = _files(paths)
    outcomes = [_outcome(path, display) for path, display in files]
    broken = [o for o in outcomes if o.diagnostics or o.failure]
    for o in broken:
        if o.failure:
            print(f"policyc: {o.failure}", file=err)
    sources = {o.display: o.source for o in broken if o.source is not None}
    report(missing + [d for o in broken for d in o.diagnostics], sources, "text", stream=out)
    changed = [o for o in outcomes if o.changed]
    for o in changed:
        if diff:
            out.write(unified_diff(o))
        elif check:
            print(f"would reformat {printable(o.display)}", file=out)
        else:
            try:
                write_atomically(o.path, o.new)
            except OSError as exc:
                print(f"policyc: cannot write `{printable(o.display)}`: {exc.strerror}", file=err)
                return INPUT_ERROR
            print(f"policyc: reformatted {printable(o.display)}", file=err)
    if (check or diff) and changed:
        fix = printable(" ".join(["policyc", "fmt", *paths]))
        print(f"policyc: {len(changed)} of {len(outcomes)} files not formatted; run `{fix}`", file=err)
    input_error = missing or any(d.code in INPUT_ERRORS for o in broken for d in o.diagnostics)
    if input_error:
        return INPUT_ERROR
    return 1 if broken or ((check or diff) and changed) else 0
