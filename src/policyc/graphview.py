"""The intermediate graph of one policy as text a reviewer can render: DOT or Mermaid.

Nodes are the definitions the policy can see (and the built-in names it refers to),
edges the references between them, labelled by kind. The output is sorted, so the same
policy gives the same text. networkx's own DOT writers need pydot or pygraphviz, which
policyc does not depend on; the little DOT this needs is written here, with its escaping.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

from . import ast
from .source import SourceFile

_RULE_ACTION = {ast.SeverityRule: "severity", ast.RespondRule: "respond", ast.EscalateRule: "escalate",
                ast.BillRule: "bill", ast.NoSupportRule: "no support", ast.SupportedRule: "supported"}


def node_id(key: tuple) -> str:
    """A readable id: the key's parts joined by `:` (`value:plan:premier`, `rule:3`).

    Only a module's part (a path) is free text, and the kind in front tells how many
    parts follow, so two keys never share an id."""
    return ":".join(str(part) for part in key)


def node_label(key: tuple, data: Mapping, sources: Mapping[str, SourceFile]) -> str:
    """Kind and name (`calendar business`, `value plan.premier`); a rule by its place,
    `rule @ file:line`, and its action on a second line."""
    kind = key[0]
    if kind == "rule":
        span = data["span"]
        line = sources[span.path].line_col(span.start)[0] if span.path in sources else 0
        action = _RULE_ACTION.get(type(data["node"]), "rule")
        if isinstance(data["node"], ast.RespondRule) and data["node"].metrics:
            action = "measure " + ", ".join(n.value for n in data["node"].metrics)
        return f"rule @ {span.path}:{line}\n{action}"
    if kind == "value":
        return f"value {key[1]}.{key[2]}"
    return f"{kind} {key[1]}"


def _shown(g) -> list[tuple]:
    """Every node but the built-in names (weekdays, channels, `always`, implicit statuses)
    that nothing refers to: they would only crowd the picture."""
    return sorted((k for k, d in g.nodes(data=True) if d["span"] is not None or g.in_degree(k) > 0), key=_order)


def _order(key: tuple) -> tuple:
    # rule indexes are ints: sort `rule:2` before `rule:10`; other parts as text
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in key)


def _edges(g, shown: set) -> list[tuple[tuple, tuple, str]]:
    """(source, target, kind) once each, sorted: a rule naming `premier` twice is one edge."""
    found = {(a, b, d["kind"]) for a, b, d in g.edges(data=True) if a in shown and b in shown}
    return sorted(found, key=lambda e: (_order(e[0]), _order(e[1]), e[2]))


def dot_string(text: str) -> str:
    """`text` as a quoted DOT string (an escString when used as a label).

    `\\` and `"` are escaped, a newline becomes the centred line break `\\n`, and any
    other control character is written visibly (`\\u0007` as text), never raw: a raw
    control character could end the line or confuse a later tool. Non-ASCII is kept,
    DOT being UTF-8."""
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(f"\\\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def to_dot(g, sources: Mapping[str, SourceFile]) -> str:
    """The graph as a DOT digraph, nodes then edges, each sorted."""
    name = g.graph["policy"].id.value
    lines = [f"digraph {dot_string(name)} {{", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    shown = _shown(g)
    for key in shown:
        label = node_label(key, g.nodes[key], sources)
        lines.append(f"  {dot_string(node_id(key))} [label={dot_string(label)}];")
    for a, b, kind in _edges(g, set(shown)):
        lines.append(f"  {dot_string(node_id(a))} -> {dot_string(node_id(b))} [label={dot_string(kind)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_MERMAID_ENTITIES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}


def mermaid_text(text: str) -> str:
    """A label inside `["..."]`: Mermaid's `#name;` entities for what would end or mark it
    up, `<br>` for a line break, other control characters dropped."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("<br>")
        elif ch in _MERMAID_ENTITIES:
            out.append(_MERMAID_ENTITIES[ch])
        elif unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp"):
            out.append(ch)
    return "".join(out)


def _mermaid_ids(keys: list[tuple]) -> dict[tuple, str]:
    """Readable Mermaid ids (`value_plan_premier`); a clash after the unsafe characters are
    replaced gets `_2`, `_3` in sorted order."""
    ids: dict[tuple, str] = {}
    taken: set[str] = set()
    for key in keys:
        base = _MERMAID_UNSAFE.sub("_", node_id(key))
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        ids[key] = candidate
    return ids


def to_mermaid(g, sources: Mapping[str, SourceFile]) -> str:
    """The graph as a Mermaid flowchart, nodes then edges, each sorted."""
    shown = _shown(g)
    ids = _mermaid_ids(shown)
    lines = ["flowchart LR"]
    for key in shown:
        lines.append(f'  {ids[key]}["{mermaid_text(node_label(key, g.nodes[key], sources))}"]')
    for a, b, kind in _edges(g, set(shown)):
        lines.append(f"  {ids[a]} -->|{mermaid_text(kind)}| {ids[b]}")
    return "\n".join(lines) + "\n"


def render(g, sources: Mapping[str, SourceFile], fmt: str) -> str:
    """The graph in `fmt`: `dot` or `mermaid`."""
    return to_dot(g, sources) if fmt == "dot" else to_mermaid(g, sources)
