"""Policy metadata and languages of labels."""

from __future__ import annotations

import re
from typing import Iterator

from .. import ast
from ..diagnostics import Diagnostic, error

LANG = re.compile(r"[a-z]{2,3}")


def check_metadata(ctx) -> Iterator[Diagnostic]:
    p = ctx.model.policy
    if p.version is None:
        yield error("E105", f"policy `{p.id.value}` has no `version`", p.id.span, 'add e.g. `version "2025.1"`')
    if p.effective is None:
        yield error("E105", f"policy `{p.id.value}` has no `effective` date", p.id.span,
                    "add e.g. `effective 2025-01-01..2027-12-31`")
    elif p.effective and p.effective[1] is not None and p.effective[1] < p.effective[0]:
        yield error("E105", "the policy stops being effective before it starts", p.id.span)
    for code in p.languages + p.support_languages:
        if not LANG.fullmatch(code.value):
            yield error("E104", f"`{code.value}` is not a language code", code.span, "use ISO 639-1 codes: `en`, `ru`")


def _texts(node):
    """Every Text in an AST subtree, without recursion into strings."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Text):
            yield n
        elif isinstance(n, tuple):
            todo.extend(n)
        elif hasattr(n, "__dataclass_fields__"):
            todo.extend(getattr(n, f) for f in n.__dataclass_fields__ if f != "span")


def check_languages(ctx) -> Iterator[Diagnostic]:
    p = ctx.model.policy
    langs = [n.value for n in p.languages] or ["en"]
    wanted = set(langs[1:])
    modules = [d["node"] for k, d in ctx.g.nodes(data=True) if k[0] == "module"]
    for text in _texts((p,) + tuple(m.definitions for m in modules)):
        have = set()
        for lang, _ in text.translations:
            if lang.value in have:
                yield error("E108", f"label has two `{lang.value}` texts", lang.span, "keep one of them")
            elif lang.value not in langs[1:]:
                hint = (f"declare it: `languages {', '.join(langs + [lang.value])}`"
                        if lang.value != langs[0] else "the first language is that of the plain string")
                yield error("E106", f"label in `{lang.value}`, which the policy does not declare", lang.span, hint)
            have.add(lang.value)
        for missing in sorted(wanted - have):
            yield error("W107", f"label has no `{missing}` translation", text.span,
                        f'add `{missing} "..."` after the string')
