"""The editor support in editors/: the TextMate grammar, the VS Code manifest, the pre-commit hooks.

The grammar is checked the way an editor would use it: its regexes compiled (in the
subset that Oniguruma, which editors run, and Python's `re` read alike), then every file
under policies/ scanned line by line with a small TextMate scanner (begin/end and match
rules, captures, includes), and the scopes compared with the tokens Lark's own lexer
gives for the same text: every keyword the grammar has scoped as a keyword, each string
and comment scoped whole and nothing else scoped as one, each date, time, duration, zone,
number scoped as such, and no text left unscoped but names, whitespace and punctuation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from lark import Lark

from policyc.syntax.parse import GRAMMAR

REPO = Path(__file__).resolve().parents[2]
EDITORS = REPO / "editors"
POLICIES = sorted((REPO / "policies").rglob("*.policy"))
UPCOMING = {"from", "until", "negotiable", "contract", "extends"}  # keywords of work in progress (issue 11)
NOT_KEYWORDS = {"NAME", "ROW_LABEL", "SUBDIVISION", "ZONE"}  # terminals that also match plain words
# Lark terminal -> the scope its tokens must have (innermost scope, by prefix)
TOKEN_SCOPES = {"DATE": "constant.other.date", "TIME": "constant.other.time", "DURATION": "constant.numeric.duration",
                "ZONE": "constant.other.zone", "INT": "constant.numeric.integer", "MULTIPLIER": "constant.numeric.multiplier",
                "PERCENT": "constant.numeric.percent", "FINDING_CODE": "constant.other.diagnostic-code"}
UNSCOPED_OK = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*|\s+|[{}(),:=+\-<\\.])*")
# Constructs one of the two engines lacks or reads differently: atomic groups and possessive
# quantifiers, Oniguruma's \G \K \R \X \h \z, anchors \A \Z (\Z differs), Python's (?P<...>),
# \p{...} classes, inline flags.
NOT_PORTABLE = re.compile(r"\(\?>|(?<!\\)[*+?}]\+|\\[GKRXhHzZAp]|\(\?P|\(\?[imsxu]")


def grammar() -> dict:
    return json.loads((EDITORS / "policy.tmLanguage.json").read_text(encoding="utf-8"))


def regexes(node):
    """Every regex of the grammar: (where, pattern)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "begin", "end") and isinstance(value, str):
                yield key, value
            else:
                yield from regexes(value)
    elif isinstance(node, list):
        for item in node:
            yield from regexes(item)


def test_grammar_identity_and_portable_regexes():
    g = grammar()
    assert g["scopeName"] == "source.policy" and g["fileTypes"] == ["policy"]
    found = list(regexes(g))
    assert len(found) > 10
    for _, pattern in found:
        re.compile(pattern)
        assert not NOT_PORTABLE.search(pattern), pattern


# ---- a small TextMate scanner ------------------------------------------------------------------

class Scanner:
    """Line-by-line TextMate matching: at each position the rule whose regex matches first
    wins (the earlier listed on a tie; inside a begin/end rule, the end first)."""

    def __init__(self, g: dict):
        self.repo = g["repository"]
        self.top = self.rules(g["patterns"])

    def rules(self, patterns) -> list[dict]:
        out = []
        for p in patterns:
            if "include" in p:
                out.extend(self.rules([self.repo[p["include"].lstrip("#")]]))
            elif "match" in p or "begin" in p:
                out.append(p)
            else:
                out.extend(self.rules(p["patterns"]))
        return out

    def scan(self, text: str) -> list[tuple[int, int, tuple]]:
        """(start, end, scopes) segments covering `text`, offsets into it."""
        segments, stack, base = [], [], 0
        for line in text.split("\n"):
            self._line(line, base, stack, segments)
            base += len(line) + 1
        return segments

    def _line(self, line: str, base: int, stack: list, out: list) -> None:
        pos = 0
        while pos <= len(line):
            scopes = tuple(r["name"] for r in stack)
            candidates = []
            if stack:
                candidates.append(("end", stack[-1], re.compile(stack[-1]["end"]).search(line, pos)))
            for rule in self.rules(stack[-1].get("patterns", [])) if stack else self.top:
                candidates.append(("begin" if "begin" in rule else "match", rule,
                                   re.compile(rule.get("begin") or rule["match"]).search(line, pos)))
            hits = [c for c in candidates if c[2] is not None]
            if not hits:
                out.append((base + pos, base + len(line), scopes))
                return
            kind, rule, m = min(hits, key=lambda c: c[2].start())  # min keeps the first of equals
            out.append((base + pos, base + m.start(), scopes))
            if kind == "end":
                out.append((base + m.start(), base + m.end(), scopes))
                stack.pop()
            elif kind == "begin":
                out.append((base + m.start(), base + m.end(), scopes + (rule["name"],)))
                stack.append(rule)
            else:
                self._captures(m, rule, base, scopes, out)
            if m.end() == pos and kind != "end":
                pos += 1  # an empty match must not stall the scan
            else:
                pos = m.end()
            if kind == "end" and m.start() == m.end() == len(line):
                return

    @staticmethod
    def _captures(m, rule, base, scopes, out) -> None:
        name = (rule["name"],) if "name" in rule else ()
        spans = sorted((m.start(int(g)), m.end(int(g)), c["name"]) for g, c in rule.get("captures", {}).items()
                       if m.start(int(g)) >= 0)
        at = m.start()
        for start, end, cname in spans:
            out.append((base + at, base + start, scopes + name))
            out.append((base + start, base + end, scopes + name + (cname,)))
            at = end
        out.append((base + at, base + m.end(), scopes + name))


def scopes_by_offset(text: str) -> list[tuple]:
    """The scopes of each character of `text`."""
    per = [()] * len(text)
    for start, end, scopes in Scanner(grammar()).scan(text):
        for i in range(start, end):
            per[i] = scopes
    return per


# ---- Lark's tokens for the same text ----------------------------------------------------------

def _lark_with_token_log():
    log: list = []
    base = Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual")
    callbacks = {t.name: (lambda tok: log.append(tok) or tok) for t in base.terminals}
    parser = Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                  propagate_positions=True, lexer_callbacks=callbacks)
    return parser, log


_PARSER, _TOKENS = _lark_with_token_log()


def lark_tokens(text: str) -> list:
    _TOKENS.clear()
    _PARSER.parse(text)
    return list(_TOKENS)


def keyword_set() -> set[str]:
    """The words the Lark grammar reserves as keywords: each word of its string and regex
    terminals (and that word less a final `s`, for `weeks?`) that a terminal other than a
    name's matches in full."""
    terminals = _PARSER.terminals
    words = set()
    for t in terminals:
        for w in re.findall(r"[a-z]+", t.pattern.value):
            words |= {w, w[:-1]} if w.endswith("s") else {w}
    return {w for w in words for t in terminals
            if t.name not in NOT_KEYWORDS and re.fullmatch(t.pattern.to_regexp(), w)}


def test_the_keyword_set_is_what_the_grammar_reserves():
    words = keyword_set()
    # a sample worked out by reading grammar/policy.lark: statement words, cell words, named word terminals
    assert {"policy", "calendar", "when", "respond", "next", "business", "effort", "weekly", "week", "included",
            "email", "keep", "from", "to", "not", "any", "all", "start", "end"} <= words
    assert not {"x", "h", "min", "mon", "premier", "open_always"} & words


@pytest.mark.parametrize("word", sorted(keyword_set() | UPCOMING))
def test_every_keyword_alone_is_scoped_as_a_keyword(word):
    per = scopes_by_offset(word)
    assert all(s and s[-1].startswith("keyword.") for s in per), (word, per[0])


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_seed_policies_scan_as_lark_reads_them(path):
    text = path.read_text(encoding="utf-8")
    per = scopes_by_offset(text)
    tokens = lark_tokens(text)
    keywords = keyword_set()
    string_chars = {i for t in tokens if t.type == "STRING" for i in range(t.start_pos, t.end_pos)}
    comment_chars = {i for t in tokens if t.type == "COMMENT" for i in range(t.start_pos, t.end_pos)}
    assert string_chars and {i for i, s in enumerate(per) if s[:1] == ("string.quoted.double.policy",)} == string_chars
    assert {i for i, s in enumerate(per) if s[:1] == ("comment.line.number-sign.policy",)} == comment_chars
    for tok in tokens:
        inner = {per[i][-1] if per[i] else None for i in range(tok.start_pos, tok.end_pos)}
        where = f"{path.name}:{tok.line}:{tok.column} {tok.type} {tok.value!r}: {inner}"
        if tok.type not in NOT_KEYWORDS and tok.value in keywords:
            assert all(s and s.startswith("keyword.") for s in inner), where
        if tok.type in TOKEN_SCOPES:
            assert all(s and s.startswith(TOKEN_SCOPES[tok.type]) for s in inner), where
    unscoped = "".join(ch if not per[i] else "\0" for i, ch in enumerate(text)).split("\0")
    for run in unscoped:
        assert UNSCOPED_OK.fullmatch(run), f"{path.name}: unscoped {run!r}"


def test_a_definition_names_its_entity_and_an_unclosed_string_ends_with_its_line():
    text = 'calendar business { zone from customer_zone }\nrole x "unclosed\nrole y'
    per = scopes_by_offset(text)
    assert per[text.index("business")][-1] == "entity.name.type.policy"
    assert per[text.index("from")][-1].startswith("keyword.")  # `zone from`, not a zone named `from`
    assert per[text.index("role y")] == ("keyword.control.policy",)  # the string did not run on


# ---- the VS Code manifest and the pre-commit hooks ------------------------------------------------

def test_vscode_manifest_points_at_the_grammar():
    manifest = json.loads((EDITORS / "vscode/package.json").read_text(encoding="utf-8"))
    [language] = manifest["contributes"]["languages"]
    [entry] = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".policy"] and entry["language"] == language["id"]
    assert entry["scopeName"] == grammar()["scopeName"]
    assert (EDITORS / "vscode" / entry["path"]).resolve() == (EDITORS / "policy.tmLanguage.json").resolve()
    assert (EDITORS / "vscode" / language["configuration"]).is_file()


def test_pre_commit_hooks_run_policyc_check():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [check] = [h for h in hooks if h["id"] == "policyc-check"]
    assert check["entry"].split()[:2] == ["policyc", "check"] and check["language"] == "python"
    assert check["files"] == r"\.policy$" and check["pass_filenames"] is True
