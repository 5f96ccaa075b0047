"""Source files, spans and the offset -> line/column index."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A policy file's display path and text."""

    path: str
    text: str
    _starts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, path: str, text: str) -> "SourceFile":
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
        return cls(path, text, tuple(starts))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].removesuffix("\r")  # a CRLF file's line, without its CR


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of character offsets in one file."""

    path: str
    start: int
    end: int

    def to(self, other: "Span") -> "Span":
        return Span(self.path, min(self.start, other.start), max(self.end, other.end))


NO_SPAN = Span("<policyc>", 0, 0)
