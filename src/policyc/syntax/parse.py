"""Load the grammar once, parse with Lark's LALR parser, turn Lark errors into diagnostics."""

from __future__ import annotations

import functools
from pathlib import Path

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..ast import Module
from ..diagnostics import Diagnostic, error
from ..source import NotRegularFile, ReadRefused, SourceFile, Span, TooLarge, read_limited
from .lower import lower_module

GRAMMAR = Path(__file__).resolve().parent.parent / "grammar" / "policy.lark"
MAX_BYTES = 4 * 1024 * 1024  # a policy is a few KiB; refusing 4 MiB+ keeps the loop fast
MAX_SYNTAX_ERRORS = 10
# Recovery skips or repairs one token per call; a file of junk would otherwise cost a
# call per token (minutes for 4 MiB of `{`). A real file with ten errors needs far fewer.
MAX_RECOVERY_STEPS = 1000

# What the user sees for a terminal Lark expected, instead of its internal name.
_TERMINAL_WORDS = {
    "NAME": "a name", "STRING": "a quoted string", "DATE": "a date (YYYY-MM-DD)",
    "TIME": "a time (HH:MM)", "DURATION": "a duration (`2h`, `30min`)", "INT": "a number",
    "ZONE": "a time zone (`Europe/Paris`, `UTC+02:00`)", "ROW_LABEL": "a row label (`premier:`)",
    "MULTIPLIER": "a multiplier (`2x`)", "PERCENT": "a share (`50%`)", "LBRACE": "`{`",
    "RBRACE": "`}`", "COLON": "`:`", "COMMA": "`,`", "EQUAL": "`=`", "PLUS": "`+`",
    "MINUS": "`-`", "BACKSLASH": "`\\`", "$END": "end of file", "STATUS": "`included`, `excluded` or `hourly`",
    "CONTACT_KIND": "`email`, `phone` or `url`", "EDGE": "`start` or `end`", "ANY": "`any`", "NOT": "`not`",
    "DOT": "`.`", "__ANON_0": "`..`",
}


@functools.lru_cache(maxsize=1)
def parser() -> Lark:
    """The LALR parser, built once per process."""
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                propagate_positions=True, maybe_placeholders=False)


def _expected(terminals) -> str:
    words = []
    lark = parser()
    for t in sorted(terminals):
        if t in _TERMINAL_WORDS:
            words.append(_TERMINAL_WORDS[t])
            continue
        try:
            pattern = lark.get_terminal(t).pattern
        except KeyError:
            continue
        words.append(f"`{pattern.value}`" if pattern.type == "str" else t.lower())
    # Punctuation first (`}` is what an unfinished block needs), then words and names.
    words = sorted(set(words), key=lambda w: (w[:1] != "`" or w[1:2].isalpha(), w))
    if not words:
        return ""
    if len(words) > 8:
        words = words[:8] + ["..."]
    return "expected " + ", ".join(words)


def _syntax_diagnostic(exc: UnexpectedInput, src: SourceFile) -> Diagnostic:
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            pos, what = len(src.text), "end of file"
        else:
            pos, what = tok.start_pos, f"`{tok.value}`"
        span = Span(src.path, pos, pos if tok.type == "$END" else pos + max(1, len(str(tok.value))))
        return error("E001", f"unexpected {what}", span, _expected(exc.accepts or exc.expected) or None)
    if isinstance(exc, UnexpectedCharacters):
        ch = src.text[pos] if pos is not None and pos < len(src.text) else "?"
        shown = repr(ch)[1:-1] if not ch.isprintable() else ch
        return error("E001", f"unexpected character `{shown}`", Span(src.path, pos, pos + 1),
                     _expected(exc.allowed) or None)
    pos = len(src.text)
    return error("E001", "unexpected end of file", Span(src.path, pos, pos),
                 _expected(getattr(exc, "expected", ())) or None)


_DUMMIES = {"NAME": "_", "STRING": '""', "DATE": "2000-01-01", "TIME": "00:00", "DURATION": "1h",
            "INT": "0", "ZONE": "UTC", "MULTIPLIER": "1x", "PERCENT": "1%"}


def _repair(exc: UnexpectedToken) -> bool:
    """Insert one made-up token so that the offending one fits, if any single token does."""
    ip = exc.interactive_parser
    for term in sorted(exc.accepts or ()):
        value = _DUMMIES.get(term)
        if value is None:
            try:
                pattern = parser().get_terminal(term).pattern
            except KeyError:
                continue
            if pattern.type != "str":
                continue
            value = pattern.value
        trial = ip.copy()
        try:
            trial.feed_token(Token(term, value))
            trial.feed_token(exc.token)
        except UnexpectedInput:
            continue
        ip.feed_token(Token(term, value))
        ip.feed_token(exc.token)
        return True
    return False


def parse_text(src: SourceFile) -> tuple[Module | None, list[Diagnostic]]:
    """Parse one file, reporting every syntax error rather than the first.

    Recovery: a single missing token is made up when that lets the parse go on;
    otherwise the offending token is dropped. Errors while the parser is still stuck
    in the same state, or on a line that already has one, are not reported again.
    """
    diags: list[Diagnostic] = []
    last = {"state": None, "char": -2, "steps": 0}
    lines: set[int] = set()  # one error a line: the rest of a broken line is mostly echo

    def add(d: Diagnostic) -> None:
        line = src.line_col(d.span.start)[0]
        if line not in lines:
            lines.add(line)
            diags.append(d)

    def on_error(exc: UnexpectedInput) -> bool:
        last["steps"] += 1
        if last["steps"] > MAX_RECOVERY_STEPS:
            return False
        if isinstance(exc, UnexpectedCharacters):
            if exc.pos_in_stream != last["char"] + 1:
                add(_syntax_diagnostic(exc, src))
            last["char"] = exc.pos_in_stream
            return len(diags) < MAX_SYNTAX_ERRORS
        if exc.token.type == "$END":
            if last["state"] != "$END":
                add(_syntax_diagnostic(exc, src))
            return False
        state = tuple(exc.interactive_parser.parser_state.state_stack)
        if state != last["state"]:
            add(_syntax_diagnostic(exc, src))
        last["state"] = state
        if len(diags) >= MAX_SYNTAX_ERRORS:
            return False
        if _repair(exc):
            last["state"] = None
        return True

    try:
        tree = parser().parse(src.text, on_error=on_error)
    except UnexpectedInput as exc:
        if not diags:
            diags.append(_syntax_diagnostic(exc, src))
        return None, diags
    except RecursionError:  # the grammar has no recursive rule; belt and braces
        return None, [error("E001", "input nests too deeply", Span(src.path, 0, 1))]
    if diags:
        return None, diags
    return lower_module(tree, src)


def read_source(path: Path, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read a file as UTF-8 text, refusing binaries and oversized files with a diagnostic."""
    span = Span(display, 0, 0)
    try:
        data = read_limited(path, MAX_BYTES)
    except TooLarge as exc:
        return None, [error("E003", str(exc), span,
                            "split the policy and `import` the shared parts")]
    except NotRegularFile as exc:
        return None, [error("E009", f"`{display}` is {exc}", span, "a policy is a regular file: replace it, or move it out of the policy folder")]
    except ReadRefused as exc:
        return None, [error("E002", str(exc), span)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = data.decode("utf-8", errors="replace")  # only to place the caret
        at = len(data[:exc.start].decode("utf-8", errors="replace"))
        return SourceFile.of(display, shown), [error("E002", f"file is not UTF-8 text (bad byte at offset {exc.start})",
                                                     Span(display, at, at + 1))]
    if "\x00" in text:
        at = text.index("\x00")
        return None, [error("E002", "file contains a NUL byte; is it binary?", Span(display, at, at + 1))]
    return SourceFile.of(display, text.lstrip("\ufeff")), []


def parse_file(path: Path, display: str) -> tuple[SourceFile | None, Module | None, list[Diagnostic]]:
    src, diags = read_source(path, display)
    if src is None or diags:  # unreadable: a source may come back only to show where
        return src, None, diags
    module, more = parse_text(src)
    return src, module, diags + more
