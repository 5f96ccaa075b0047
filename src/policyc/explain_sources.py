"""The policy lines behind a table's answer: their text, the comment above, what they overrode.

A table's rows name their policy lines as {file, line}, `file` relative to the policy
root's parent (as `policyc compile` writes it). The file is looked for beside the table's
folder, in it, and in the current directory; when none holds it the explanation says so
once and goes on from the table alone. What a rule overrode is not in the table (it holds
the winners only): the policy is compiled afresh and read with `explain.overrides`.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a policy file read for its lines
MAX_COMMENT_LINES = 40  # the comment shown above one line
_HEADER = re.compile(r"(policy|contract)\b")


class Sources:
    """Policy files found from a table's location, read once each."""

    def __init__(self, table_path: str):
        here = Path(table_path).parent
        self.roots = list(dict.fromkeys([here.parent, here, Path(".")]))
        self._files: dict[str, list[str] | None] = {}
        self.missing: list[str] = []  # files named by the table and not found

    def path(self, name: str) -> Path | None:
        """Where file `name` of the table is on this machine (None: nowhere)."""
        for root in self.roots:
            p = root / name
            if p.is_file():
                return p
        return None

    def lines(self, name: str) -> list[str] | None:
        if name not in self._files:
            p = self.path(name)
            text = None
            if p is not None:
                try:
                    with open(p, "rb") as f:
                        text = f.read(MAX_SOURCE_BYTES).decode("utf-8", "replace")
                except OSError:
                    text = None
            self._files[name] = None if text is None else text.splitlines()
            if text is None:
                self.missing.append(name)
        return self._files[name]

    def line(self, src: dict) -> dict:
        """{file, line, text, comment}: the line and the comment block above its statement
        (text and comment None when the file is not found)."""
        lines = self.lines(src["file"])
        out = {"file": src["file"], "line": src["line"], "text": None, "comment": None}
        if lines is not None and 1 <= src["line"] <= len(lines):
            out["text"] = lines[src["line"] - 1].strip()
            out["comment"] = comment_above(lines, src["line"])
        return out


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _code(text: str) -> bool:
    s = text.strip()
    return bool(s) and not s.startswith("#")


def _level(lines: list[str]) -> int:
    """The indentation of a file's statements: that of the lines inside `policy X {`, else 0."""
    if not any(_HEADER.match(t) for t in lines):
        return 0
    return min((_indent(t) for t in lines if _code(t) and _indent(t) > 0), default=0)


def comment_above(lines: list[str], n: int) -> list[str]:
    """The comment right above the statement holding line n (a table row's rule, a
    continued line's first): the regulation sentence the author quoted, `#` removed.
    An `expect` annotation between the comment and the statement is passed over."""
    level, i = _level(lines), n - 1  # i: 0-based index of the statement's first line
    while _indent(lines[i]) > level:
        j = i - 1
        while j >= 0 and not (_code(lines[j]) and _indent(lines[j]) < _indent(lines[i])):
            j -= 1
        if j < 0:
            break
        i = j
    i -= 1
    while i >= 0 and lines[i].strip().startswith("expect "):
        i -= 1
    out = []
    while i >= 0 and lines[i].strip().startswith("#") and len(out) < MAX_COMMENT_LINES:
        out.append(lines[i].strip()[1:].removeprefix(" "))
        i -= 1
    return out[::-1]
