"""Helpers shared by the compiler tests: a scratch policy folder and caret markers.

Expected diagnostics are written in the policy text itself, rustc-style: a comment line
under the offending line puts carets under the span, then the code, a part of the
message and, after ` ~ `, a part of the `help:` line::

    when plan is premeir: respond { target 1h }
    #            ^^^^^^^ E101 unknown plan `premeir` ~ did you mean `premier`?

The first caret's column is the diagnostic's column on the nearest line above that is
not a marker; several markers may follow one line. One caret checks the position only;
more check the width of a span that stays on one line. A file's markers must match its
diagnostics exactly: nothing missing, nothing extra.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from policyc.compiler import Result, compile_paths
from policyc.diagnostics import Diagnostic, render_text

REPO = Path(__file__).resolve().parents[2]
SEED_POLICIES = ("irex.policy", "navixy.policy", "hydra.policy", "shared/russia.policy")
MARKER = re.compile(r"^\s*#\s*(?P<carets>\^+)\s+(?P<code>[EW]\d{3})\b\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    col: int
    width: int | None
    code: str
    message: str
    help: str | None


def expected_in(path: str, text: str) -> list[Expected]:
    """The caret markers of one file."""
    out, target = [], None
    for number, line in enumerate(text.split("\n"), 1):
        m = MARKER.match(line)
        if m is None:
            target = number
            continue
        assert target is not None, f"{path}:{number}: a marker needs a line above it"
        carets = m.group("carets")
        message, sep, hint = m.group("rest").partition(" ~ ")
        out.append(Expected(path, target, m.start("carets") + 1, len(carets) if len(carets) > 1 else None,
                            m.group("code"), message.strip(), hint.strip() if sep else None))
    return out


def position(result: Result, d: Diagnostic) -> tuple[str, int, int]:
    src = result.sources.get(d.span.path)
    line, col = src.line_col(d.span.start) if src else (1, 1)
    return d.span.path, line, col


def rendered(result: Result) -> str:
    return "\n".join(render_text(d, result.sources) for d in result.diagnostics) or "(no diagnostics)"


def check_markers(result: Result, files: dict[str, str]) -> None:
    """The diagnostics are exactly those the markers in `files` describe."""
    wanted = [e for path, text in files.items() if isinstance(text, str) for e in expected_in(path, text)]
    got = Counter((*position(result, d), d.code) for d in result.diagnostics)
    want = Counter((e.path, e.line, e.col, e.code) for e in wanted)
    assert got == want, (f"\nmissing: {sorted((want - got).elements())}\nextra:   {sorted((got - want).elements())}"
                         f"\n--- diagnostics ---\n{rendered(result)}")
    for e in wanted:
        matches = [d for d in result.diagnostics if (*position(result, d), d.code) == (e.path, e.line, e.col, e.code)]
        assert any(e.message in d.message for d in matches), (e, [d.message for d in matches])
        if e.help is not None:
            assert any(d.help and e.help in d.help for d in matches), (e, [d.help for d in matches])
        if e.width is not None:
            d = matches[0]
            assert d.span.end - d.span.start == e.width, (e, d.span)


def compile_repo() -> Result:
    """policies/ of the repository, compiled from the repository's root (display paths
    `policies/...`, as `make compile` writes them)."""
    old = os.getcwd()
    os.chdir(REPO)
    try:
        return compile_paths(["policies"])
    finally:
        os.chdir(old)


class Workspace:
    """A scratch folder that is the working directory; policies go under `policies/`."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, files: dict[str, str | bytes]) -> None:
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")

    def compile(self, files: dict[str, str | bytes] | None = None, paths=("policies",)) -> Result:
        if files:
            self.write(files)
        assert Path(os.getcwd()).resolve() == self.root.resolve()
        return compile_paths(list(paths))

    def seeds(self) -> dict[str, str]:
        """The seed policies, as they are in the repository, under `policies/`."""
        return {f"policies/{name}": (REPO / "policies" / name).read_text(encoding="utf-8") for name in SEED_POLICIES}
