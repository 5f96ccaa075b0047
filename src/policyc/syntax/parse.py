"""Load the grammar once, parse with Lark's LALR parser, turn Lark errors into diagnostics."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lark import Lark, Token, Tree
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
    "DOT": "`.`", "__ANON_0": "`..`", "_NEXT": "`next business day`", "_BUSINESS": "`business day`",
    "_DAY": "`day`", "_DAYS": "`days`", "_NONE": "`none`", "_BEST": "`best effort`", "_EFFORT": "`effort`",
    "_EVERY": "`every N days`",
    "PERIOD": "`daily` or `weekly`", "PERIOD_UNIT": "`days` or `weeks`", "FACTS_MODE": "`keep` or `restart`",
    "STATUS_MOVE": "`to` or `from`", "SUBDIVISION": "a subdivision code (`GB-ENG`)",
    "FINDING_CODE": "a warning code (`W304`)",
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


CELL_TERMINALS = {"DURATION", "_NEXT", "_BUSINESS", "_DAY"}  # expected where a target or a table cell stands
CELL_HELP = ("a cell is a duration (`2h`, `30min`), `next business day`, `none`, `best effort`, "
             "a period (`daily`, `weekly`, `every 3 days`), business days (`2 business days`, "
             "`2 business days start|end`, `2 business days of 8h`) or `-`")
_WORD = re.compile(r"[A-Za-z0-9_]+")


def _word_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole word around a token: the contextual lexer reads `next_business_day` as `next` + the rest."""
    while start > 0 and _WORD.fullmatch(text[start - 1]):
        start -= 1
    m = _WORD.match(text, end)
    return start, m.end() if m and end > start and _WORD.fullmatch(text[end - 1]) else end


def _token_diagnostic(exc: UnexpectedToken, src: SourceFile) -> Diagnostic:
    tok, expected = exc.token, exc.accepts or exc.expected
    if tok.type == "$END":
        pos = len(src.text)
        return error("E001", "unexpected end of file", Span(src.path, pos, pos), _expected(expected) or None)
    stack = exc.interactive_parser.parser_state.value_stack if exc.interactive_parser else []
    previous = stack[-1] if stack else None
    if isinstance(previous, Token) and previous.type == "ZONE" and tok.type in ("PLUS", "MINUS"):
        end = re.compile(r"[^\s{}]*").match(src.text, tok.start_pos).end()
        return error("E001", f"`{src.text[previous.start_pos:end]}` is not a time zone",
                     Span(src.path, previous.start_pos, end), "write a UTC offset with hours and minutes: `UTC+01:00`")
    if isinstance(previous, Token) and previous.type == "NEGOTIABLE":
        start, end = _word_at(src.text, tok.start_pos, tok.start_pos + max(1, len(str(tok.value))))
        return error("E001", f"unexpected `{src.text[start:end]}` after `negotiable`", Span(src.path, start, end),
                     "`negotiable` goes before a labelled rule (`negotiable rule NAME: when ...`) or a definition")
    bare = isinstance(previous, Token) and previous.type == "INT" and "_BUSINESS" in expected
    if bare and not tok.value[:1].isalnum():
        # a bare number where a cell stands (`target 4 }`): the number is the mistake, not what follows
        return error("E001", f"unexpected `{previous}`", Span(src.path, previous.start_pos, previous.end_pos),
                     CELL_HELP)
    stray = _stray_cell(stack, tok)
    if stray is not None:
        return error("E001", f"unexpected `{stray}`", Span(src.path, stray.start_pos, stray.end_pos), CELL_HELP)
    start, end = _word_at(src.text, tok.start_pos, tok.start_pos + max(1, len(str(tok.value))))
    hint = CELL_HELP if CELL_TERMINALS & set(expected) else _expected(expected) or None
    return error("E001", f"unexpected `{src.text[start:end]}`", Span(src.path, start, end), hint)


def _stray_cell(stack: list, tok: Token) -> Token | None:
    """A name that a table row read as the start of another table: `L1: 1h next_business_day`.

    The parser notices only at the next line, where the new table's header should go on;
    the name on the same line as a row's cells is the culprit.
    """
    if len(stack) < 2 or not isinstance(stack[-1], Token) or stack[-1].type != "NAME":
        return None
    name, before = stack[-1], stack[-2]
    if isinstance(before, Tree) and before.data.startswith("__") and before.children:
        before = before.children[-1]  # the table is the last of a block's items so far
    rows = [c for c in getattr(before, "children", ()) if isinstance(c, Tree) and c.data == "row"]
    if getattr(before, "data", None) == "table" and rows and rows[-1].meta.end_line == name.line != tok.line:
        return name
    return None


def _syntax_diagnostic(exc: UnexpectedInput, src: SourceFile) -> Diagnostic:
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedToken):
        return _token_diagnostic(exc, src)
    if isinstance(exc, UnexpectedCharacters):
        ch = src.text[pos] if pos is not None and pos < len(src.text) else "?"
        shown = repr(ch)[1:-1] if not ch.isprintable() else ch
        return error("E001", f"unexpected character `{shown}`", Span(src.path, pos, pos + 1),
                     _expected(exc.allowed) or None)
    pos = len(src.text)
    return error("E001", "unexpected end of file", Span(src.path, pos, pos),
                 _expected(getattr(exc, "expected", ())) or None)


_DUMMIES = {"NAME": "_", "STRING": '""', "DATE": "2000-01-01", "TIME": "00:00", "DURATION": "1h",
            "INT": "0", "ZONE": "UTC", "MULTIPLIER": "1x", "PERCENT": "1%",
            # Words given as alternations (not plain strings), which recovery cannot spell otherwise.
            "FACTS_MODE": "keep", "STATUS_MOVE": "to", "PERIOD": "daily", "PERIOD_UNIT": "days"}


def _substitute(exc: UnexpectedToken) -> bool:
    """Put a made-up value in place of a wrong one (`target monthly`, `version 1`), dropping it.

    Inserting before it instead would read `monthly` as the start of a table and report the
    lines after it; a word or number where a value belongs is a wrong value.
    """
    if exc.token.type not in ("NAME", "INT", "DURATION", "TIME", "DATE", "STRING", "MULTIPLIER", "PERCENT"):
        return False
    # A zone may follow a window's time (`fri 17:00 Asia/Tokyo - ...`): a time there is a
    # missing dash, not a wrong zone, so it is left to insertion.
    terms = [t for t in exc.accepts or () if t in _DUMMIES and t != "NAME"
             and not (t == "ZONE" and exc.token.type == "TIME")]
    for term in sorted(terms):
        trial = exc.interactive_parser.copy()
        try:
            trial.feed_token(Token(term, _DUMMIES[term]))
        except UnexpectedInput:
            continue
        exc.interactive_parser.feed_token(Token(term, _DUMMIES[term]))
        return True
    return False


def _skip_statement(ip, text: str, pos: int) -> None:
    """Panic mode: move the lexer past the rest of a broken line, stopping at a `}` on it.

    Words after a wrong value (`target 2 business days`) would otherwise fit somewhere
    else in the grammar and send the parse astray for the lines that follow.
    """
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    brace = text.find("}", pos, end)
    stop = brace if brace >= 0 else end
    state = ip.lexer_thread.state
    start = state.line_ctr.char_pos
    if stop > start:
        state.line_ctr.feed(text[start:stop])


def _repair(exc: UnexpectedToken) -> str | None:
    """Make the parse go on: a value in place of a wrong one, or one missing token inserted.

    Returns how ("substituted" or "inserted"), or None when the token is simply dropped.
    """
    ip = exc.interactive_parser
    if _substitute(exc):
        return "substituted"
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
        return "inserted"
    return None


def parse_text(src: SourceFile) -> tuple[Module | None, list[Diagnostic]]:
    """Parse one file, reporting every syntax error rather than the first.

    Recovery: at the first error of a line, a single missing token is made up when that
    lets the parse go on, otherwise the offending token is dropped. The rest of that line
    is then skipped up to a `}` (panic mode): guessing again inside a broken statement
    (`target 2 business days`) read `business days` as a table and reported the next
    lines, and the end of the file, as errors of their own. Errors while the parser is
    still stuck in the same state, or on a line that already has one, are not reported.
    """
    if "\x00" in src.text:
        at = src.text.index("\x00")
        return None, [error("E002", "file contains a NUL byte; is it binary?", Span(src.path, at, at + 1))]
    diags: list[Diagnostic] = []
    last = {"state": None, "char": -2, "steps": 0, "panic": None}
    lines: set[int] = set()  # one error a line: the rest of a broken line is mostly echo

    def add(d: Diagnostic) -> bool:
        line = src.line_col(d.span.start)[0]
        last["panic"] = line
        if line in lines:
            return False
        lines.add(line)
        diags.append(d)
        return True

    def on_error(exc: UnexpectedInput) -> bool:
        last["steps"] += 1
        if last["steps"] > MAX_RECOVERY_STEPS:
            return False
        if isinstance(exc, UnexpectedCharacters):
            if exc.pos_in_stream != last["char"] + 1 and add(_syntax_diagnostic(exc, src)):
                _skip_statement(exc.interactive_parser, src.text, exc.pos_in_stream + 1)
                last["state"] = tuple(exc.interactive_parser.parser_state.state_stack)
            last["char"] = exc.pos_in_stream
            return len(diags) < MAX_SYNTAX_ERRORS
        tok = exc.token
        if tok.type == "$END":
            if not diags:  # after an error, an early end of file is mostly its echo
                add(_syntax_diagnostic(exc, src))
            return False
        if last["panic"] == tok.line and tok.type != "RBRACE":
            return True  # still inside the broken statement: drop the token, say nothing
        state = tuple(exc.interactive_parser.parser_state.state_stack)
        reported = state != last["state"] and add(_syntax_diagnostic(exc, src))
        last["state"] = state
        if len(diags) >= MAX_SYNTAX_ERRORS:
            return False
        how = _repair(exc)
        if how:
            last["state"] = None
        if reported and how != "inserted":
            _skip_statement(exc.interactive_parser, src.text, exc.interactive_parser.lexer_thread.state.line_ctr.char_pos)
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
    # A NUL byte is reported by parse_text, which has the text to show it on its line.
    return SourceFile.of(display, text.lstrip("\ufeff")), []


def parse_file(path: Path, display: str) -> tuple[SourceFile | None, Module | None, list[Diagnostic]]:
    src, diags = read_source(path, display)
    if src is None or diags:  # unreadable: a source may come back only to show where
        return src, None, diags
    module, more = parse_text(src)
    return src, module, diags + more
