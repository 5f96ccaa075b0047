"""The canonical layout of a policy file (`policyc fmt`), printed from its parse tree.

A layout printer, not a rewrite of text: the file is parsed again with every token kept
(Lark's `keep_all_tokens`), the tree is walked and each token is placed by where it stands
in it. Comments are not in the tree (the grammar ignores them); the lexer skips only
whitespace and comments, so the text between two tokens holds exactly the comments that
stand there, and each is put back before the token that follows it.

The layout: two spaces of indentation per block; each statement of a block on a line of
its own (a block written on one line, `{ excluded }`, stays on one line); one space
between tokens, none before `,` and `:` nor around `..`; target tables aligned in
columns; at most one blank line where the author left one. Line breaks inside a statement
are the author's (a long label goes on with its translation on the next line), placed
canonically: a translation under the text it translates, the part after `when ...:` and
a value's `{ attributes }` two spaces in, anything else four. Nothing is reordered: the
order of rules and definitions is what a reader follows.
"""

from __future__ import annotations

import functools
import re

from lark import Lark, Token, Tree

from .parse import GRAMMAR

INDENT = 2
CONTINUATION = 4  # a statement going on on the next line
AFTER_CONDITION = 2  # what follows `when ...:` on the next line
COLUMN_GAP = 3  # spaces between the columns of a target table
# A column is at least as wide as `16h`: tables over the same values then line up with
# one another (each table is aligned on its own).
MIN_COLUMN = 3
# Blocks that list values separated by commas: the author's line breaks between values
# stay (forty region codes read better on three lines than on forty).
COMMA_BLOCKS = {"dimension", "region_dimension", "severities", "statuses"}
ALWAYS_BROKEN = {"policy", "contract"}
# The label of a definition goes on four spaces in, not under its first string (which
# stands far right after a long name).
LABEL_OWNERS = {"policy", "contract", "calendar", "calendar_union", "holidays", "dimension",
                "region_dimension", "fact", "severities", "role", "escalation", "service",
                "statuses", "metric"}
COMMENT = re.compile(r"#[^\n]*")
ITEM, CLOSE, CONT, FLOW = "item", "close", "cont", "flow"


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """The grammar's parser keeping every token, punctuation and keywords included."""
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                keep_all_tokens=True, maybe_placeholders=False)


def layout(text: str) -> str:
    """`text` (a policy that parses) in the canonical layout."""
    printer = _Printer(text)
    printer.top(_parser().parse(text))
    return printer.finish()


def comments(text: str) -> list[tuple[str, str]]:
    """Each comment of a policy that parses, with the token that follows it (`""` at the end)."""
    tokens = _leaves(_parser().parse(text))
    found, end = [], 0
    for tok in tokens + [None]:
        stop = len(text) if tok is None else tok.start_pos
        found += [(m.group().rstrip(), "" if tok is None else str(tok)) for m in COMMENT.finditer(text, end, stop)]
        end = stop if tok is None else tok.end_pos
    return found


def _leaves(node) -> list[Token]:
    if isinstance(node, Token):
        return [node]
    return [t for child in node.children for t in _leaves(child)]


def _first(node) -> Token:
    return node if isinstance(node, Token) else _first(node.children[0])


def _index(tokens: list, tok: Token) -> int:
    """Where `tok` itself stands (tokens are strings: `list.index` would find an equal one)."""
    return next(i for i, t in enumerate(tokens) if t is tok)


def _last(node) -> Token:
    return node if isinstance(node, Token) else _last(node.children[-1])


def _is(node, value: str) -> bool:
    return isinstance(node, Token) and node.value == value


class _Printer:
    """Places tokens one by one; `pending` says how the next one starts (a new item or a `}`)."""

    def __init__(self, text: str):
        self.text = text
        self.lines: list[str] = []
        self.cur = ""  # the line being written, indentation included
        self.end = 0  # where the last token placed ends in the source
        self.pending: tuple[str, int] | None = None
        self.column: dict[int, int] = {}  # id(token) -> the column it was placed at
        self.glue = False  # the next token follows without a space (after `..`)
        self.stmt = [0]  # the indentation of the statements being printed, innermost last
        self.path: list[Tree] = []  # the nodes around the token being placed
        self.after_condition = False  # the last token placed ends a `when ...:`

    # ---- the tree --------------------------------------------------------

    def top(self, tree: Tree) -> None:
        for child in tree.children:
            self.pending = (ITEM, 0)
            self.node(child)

    def node(self, node) -> None:
        if isinstance(node, Token):
            self.token(node)
            return
        if node.data == "table":
            self.table(node)
            return
        self.path.append(node)
        kids = node.children
        braces = [i for i, k in enumerate(kids) if _is(k, "{")]
        if not braces:
            for child in kids:
                self.node(child)
        else:
            open_, close = braces[0], max(i for i, k in enumerate(kids) if _is(k, "}"))
            for child in kids[:open_ + 1]:
                self.node(child)
            self.block(node, kids[open_ + 1:close], kids[close])
            for child in kids[close + 1:]:
                self.node(child)
        self.path.pop()
        if node.data == "condition":
            self.after_condition = True

    def block(self, node: Tree, items: list, close: Token) -> None:
        """The statements between `{` and `}`: one a line in a broken block, else on the line."""
        broken = self.broken(node, items, close)
        body = self.stmt[-1] + INDENT
        comma = node.data in COMMA_BLOCKS
        for i, item in enumerate(items):
            if _is(item, ","):
                self.token(item)
                continue
            starts = not comma or i == 0 or "\n" in self.text[self.end:_first(item).start_pos]
            if broken and starts:
                self.pending = (ITEM, body)
            self.stmt.append(body if broken else self.stmt[-1])
            self.node(item)
            self.stmt.pop()
        if broken:
            self.pending = (CLOSE, self.stmt[-1])
        self.token(close)

    def broken(self, node: Tree, items: list, close: Token) -> bool:
        """Whether a block is laid out one statement a line: as the author began it."""
        if node.data in ALWAYS_BROKEN or any(isinstance(i, Tree) and i.data == "table" for i in items):
            return True  # a table's rows are lines of their own
        comma = node.data in COMMA_BLOCKS
        end = self.end  # where the `{` ends
        for item in items:
            if _is(item, ","):
                end = item.end_pos
                continue
            if "\n" in self.text[end:_first(item).start_pos]:
                return True
            if comma:  # a list of values: only its first line break counts
                break
            end = _last(item).end_pos
        last = _last(items[-1]).end_pos if items else self.end
        return "\n" in self.text[last:close.start_pos]

    def table(self, node: Tree) -> None:
        """A target table: the header and each row on a line, the columns aligned."""
        header, *rows = self._table_lines(node)
        lines = [header, *rows]
        widths = [max([MIN_COLUMN] + [len(" ".join(map(str, line[i]))) for line in lines if i < len(line)])
                  for i in range(max(map(len, lines)))]
        indent = self.stmt[-1]
        starts = [indent + sum(w + COLUMN_GAP for w in widths[:i]) for i in range(len(widths))]
        for n, line in enumerate(lines):
            if n:
                self.pending = (ITEM, indent)
            for cell, start in zip(line, starts):
                for k, tok in enumerate(cell):
                    self.token(tok, pad=None if k or not self.cur.strip() else max(1, start - len(self.cur)))

    @staticmethod
    def _table_lines(node: Tree) -> list[list[list[Token]]]:
        """The cells of each line, each cell its tokens: the header's first cell is `plan \\ severity`."""
        kids = node.children
        head = [k for k in kids if isinstance(k, Token)]
        name_row = next(k for k in kids if isinstance(k, Tree) and k.data == "name_row")
        header = [head] + [[t] for t in name_row.children]
        rows = [[[row.children[0]]] + [_leaves(cell) for cell in row.children[1:]]
                for row in kids if isinstance(row, Tree) and row.data == "row"]
        return [header, *rows]

    # ---- tokens ----------------------------------------------------------

    def token(self, tok: Token, pad: int | None = None) -> None:
        """Place one token, after the comments that stand before it in the source."""
        gap = self.text[self.end:tok.start_pos]
        mode, indent = self.pending or (FLOW, 0)
        self.pending = None
        if mode == FLOW and "\n" in gap and (self.lines or self.cur.strip()):
            mode, indent = CONT, self.continuation(tok)  # the author went on on the next line
        self.comments(gap, mode, indent)
        if mode != FLOW:
            self.newline(indent, blank=mode == ITEM and self._blank(gap))
            space = ""
        elif pad is not None:
            space = " " * pad
        elif self.glue or not self.cur.strip() or tok.value in (",", ":", "..") or self._glued_dash(tok):
            space = ""
        else:
            space = " "
        self.cur += space
        self.column[id(tok)] = len(self.cur)
        self.cur += str(tok)
        self.glue = tok.value == ".." or self._glued_dash(tok)
        self.end = tok.end_pos
        self.after_condition = False

    def _glued_dash(self, tok: Token) -> bool:
        """`08:00-16:00` is written together; `fri 16:00 - mon 08:00` is not."""
        node = self.path[-1] if self.path else None
        if node is None or node.data != "open_window" or not _is(tok, "-"):
            return False
        kids = node.children
        at = _index(kids, tok)
        return all(isinstance(k, Token) and k.type == "TIME" for k in kids[at - 1:at + 2:2])

    def continuation(self, tok: Token) -> int:
        """Where a line that goes on with a statement starts."""
        stmt = self.stmt[-1]
        parent = self.path[-1] if self.path else None
        if parent is not None and parent.data == "text" and tok is not parent.children[0]:
            owner = self.path[-2].data if len(self.path) > 1 else ""
            first = id(parent.children[0])
            return stmt + CONTINUATION if owner in LABEL_OWNERS or first not in self.column else self.column[first]
        if self.after_condition or (_is(tok, "{") and parent is not None and parent.data == "value_def"):
            return stmt + AFTER_CONDITION  # a value's attributes on the next line: two in, like a block
        part = next((n for n in reversed(self.path) if n.data == "service_part"), None)
        if part is not None and tok is not _first(part) and len(part.children) > 1:
            second = id(_first(part.children[1]))
            if second in self.column and tok is not _first(part.children[1]):
                return self.column[second]
        if part is not None and tok is _first(part) or _is(tok, "plus"):
            return stmt + AFTER_CONDITION
        return stmt + CONTINUATION

    def comments(self, gap: str, mode: str, indent: int) -> None:
        """Put back the comments of `gap`: on the line before, or on lines of their own."""
        at = 0
        own = indent + INDENT if mode == CLOSE else indent
        for m in COMMENT.finditer(gap):
            before = gap[at:m.start()]
            if "\n" not in before and self.cur.strip():
                self.cur += "  " + m.group().rstrip()
            else:
                self.newline(own, blank=self._blank(before))
                self.cur += m.group().rstrip()
            at = m.end()

    @staticmethod
    def _blank(gap: str) -> bool:
        """Whether the author left a blank line just before what follows `gap`."""
        tail = COMMENT.split(gap)[-1]
        return tail.count("\n") >= 2

    def newline(self, indent: int, blank: bool = False) -> None:
        if self.cur.strip() or self.lines:
            self.lines.append(self.cur.rstrip())
            if blank and not self.lines[-1].endswith("{"):
                self.lines.append("")
        self.cur = " " * indent

    def finish(self) -> str:
        self.comments(self.text[self.end:], ITEM, 0)
        self.lines.append(self.cur.rstrip())
        while self.lines and not self.lines[0].strip():
            self.lines.pop(0)
        return "\n".join(self.lines).rstrip("\n") + "\n"
