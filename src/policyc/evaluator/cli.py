"""`policyc eval`: facts (--facts), a ticket (--ticket) or a JSON Lines batch (--batch), one code path.

A batch line is a ticket (an object with `events`) or a facts object.

Whatever a batch holds (bytes that are not UTF-8, JSON nested without end, lone
surrogates, lines of any length), every non-blank line gets one output line, in order:
its decision or an `{"error", "line"}` object. Output is always valid UTF-8 JSON.
"""

from __future__ import annotations

import json

from .errors import PolicyError
from .facts import strict_json
from .table import Table

MAX_LINE_BYTES = 1024 * 1024  # one facts object or ticket; a longer line is refused, not read whole
MAX_TICKET_BYTES = 16 * 1024 * 1024  # a --ticket file
_CHUNK = 64 * 1024


def decide_json(table: Table, text: str, what: str = "facts") -> dict:
    """Parse one facts object or ticket and answer; raises PolicyError for any bad input."""
    try:
        value = strict_json(text)
    except RecursionError:
        raise PolicyError(f"{what} are not valid JSON: they nest too deeply") from None
    except ValueError as exc:
        raise PolicyError(f"{what} are not valid JSON: {exc}") from None
    if what == "ticket" or isinstance(value, dict) and "events" in value:
        return table.evaluate(value)
    return table.decide(value)


def read_ticket_text(name: str, stdin) -> str:
    """The text of a --ticket file ('-': standard input), bounded, UTF-8."""
    try:
        stream = getattr(stdin, "buffer", stdin) if name == "-" else open(name, "rb")
    except OSError as exc:
        raise PolicyError(f"cannot read `{name}`: {exc.strerror or exc}") from None
    with stream:
        raw = stream.read(MAX_TICKET_BYTES + 1)
    if len(raw) > MAX_TICKET_BYTES:
        raise PolicyError(f"ticket `{name}` is larger than the limit of {MAX_TICKET_BYTES} bytes")
    return _text(raw, f"ticket `{name}`")


def _text(raw, what: str) -> str:
    """Bytes read from a file or a batch line as text; one message naming the bad byte."""
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyError(f"{what} is not UTF-8 text (byte {exc.start + 1})") from None
    return raw


def dumps(obj, indent=None) -> str:
    """JSON text that is valid UTF-8: readable where it can be, escaped where it must be."""
    text = json.dumps(obj, indent=indent, sort_keys=True, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: \\uXXXX escapes keep the JSON valid
        text = json.dumps(obj, indent=indent, sort_keys=True, ensure_ascii=True)
    # NEL and the Unicode line and paragraph separators end a line for many line readers
    # (Python's str.splitlines, JavaScript): escaped, one answer stays one line of JSON Lines
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _writer(stream):
    """A function writing text as UTF-8 whatever the stream's own encoding."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # an in-memory text stream
        return stream.write
    stream.flush()  # what was written as text comes first
    return lambda text: buffer.write(text.encode("utf-8"))


def write(stream, text: str) -> None:
    _writer(stream)(text)
    stream.flush()


def _lines(stream):
    """(bytes or str line, too long) for each line, holding at most MAX_LINE_BYTES of one."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
            while True:  # skip the rest of the line without holding it
                rest = stream.readline(_CHUNK)
                if not rest or rest.endswith(b"\n" if isinstance(rest, bytes) else "\n"):
                    break
            yield line[:0], True
        else:
            yield line, False


def _answer(table: Table, line, too_long: bool):
    if too_long:
        raise PolicyError(f"line is longer than the limit of {MAX_LINE_BYTES} bytes")
    return decide_json(table, _text(line, "line"))


def evaluate(table: Table, facts: str | None, batch: str | None, stdin, stdout, stderr,
             ticket: str | None = None) -> int:
    """Exit code 0 when every ticket was decided, 2 when any input was refused."""
    if facts is not None or ticket is not None:
        try:
            decision = (decide_json(table, facts) if facts is not None
                        else decide_json(table, read_ticket_text(ticket, stdin), "ticket"))
        except PolicyError as exc:
            write(stderr, f"policyc: {exc}\n")
            return 2
        write(stdout, dumps(decision, indent=2) + "\n")
        return 0
    try:
        stream = getattr(stdin, "buffer", stdin) if batch == "-" else open(batch, "rb")
    except OSError as exc:
        write(stderr, f"policyc: cannot read `{batch}`: {exc.strerror or exc}\n")
        return 2
    status, emit = 0, _writer(stdout)
    with stream:
        for number, (line, too_long) in enumerate(_lines(stream), 1):
            if not too_long and not line.strip():
                continue
            try:
                out = _answer(table, line, too_long)
            except PolicyError as exc:
                out, status = {"error": str(exc), "line": number}, 2
            emit(dumps(out) + "\n")
    stdout.flush()
    return status
