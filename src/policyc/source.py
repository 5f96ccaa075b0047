"""Source files, spans and the offset -> line/column index."""

from __future__ import annotations

import bisect
import os
import stat
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


# ---- reading files safely ---------------------------------------------------------------------

class ReadRefused(Exception):
    """A path that policyc will not read: not a regular file, too large, or unreadable."""


class TooLarge(ReadRefused):
    def __init__(self, limit: int, size: int | None = None):
        super().__init__(f"file is {size if size else f'more than {limit}'} bytes; policyc reads at most {limit}")


class NotRegularFile(ReadRefused):
    """A directory, FIFO, device or socket where a file was expected."""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (`a directory`, `a named pipe (FIFO)`, ...)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_limited(path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises ReadRefused otherwise.

    The file is checked before it is opened (opening a FIFO blocks, a socket fails) and
    again on the open descriptor, which O_NONBLOCK keeps from blocking if the path was
    swapped for a FIFO in between. At most limit+1 bytes are read whatever st_size says
    (a symlink to /dev/zero, a file that grows): the size is never trusted.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{file_kind(mode)}, not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(f"{file_kind(st.st_mode)}, not a regular file")
        if st.st_size > limit:
            raise TooLarge(limit, st.st_size)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if left <= 0:
        raise TooLarge(limit)
    return b"".join(chunks)


def printable(text: str) -> str:
    """A path or name as it may be printed: undecodable bytes and control characters escaped.

    File names are bytes; Python gives undecodable ones to us as lone surrogates, which
    no UTF-8 output can carry. They become `\\xff`, a newline `\\n`: the display never
    breaks a `path:line:col` line or an output encoding.
    """
    try:
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeError:  # not a file-system name at all: keep what can be shown
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
