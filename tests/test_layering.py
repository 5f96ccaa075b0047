"""The layering of conventions.md: heavy libraries are imported where they belong only."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "policyc"
ALLOWED = {
    "lark": lambda rel: rel.startswith("syntax/"),
    "networkx": lambda rel: rel == "graph.py" or rel.startswith("passes/"),
}


def _runtime_imports(path: Path):
    """Top-level names a module imports when it runs (not under `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(), str(path))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            yield node.module.split(".")[0]


def test_lark_and_networkx_stay_in_their_layers():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for name in _runtime_imports(path):
            if name in ALLOWED:
                assert ALLOWED[name](rel), f"{rel} imports {name}"
