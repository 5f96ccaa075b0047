"""docs/reference.md, the language reference: every example in it compiles, and it names every keyword.

Its ```policy blocks are compiled one by one as `policies/p.policy` of a fresh folder.
The info string after `policy` says how (the reference explains it under "How to read
the examples"):

- `fragment`: the block is wrapped in a minimal policy (`PREAMBLE`), which adds a
  severities set and a catch-all `respond` only when the block has none of its own;
- `finding=CODE`: the block must give exactly that code, and no other finding;
- `file=PATH`: the block is a file other examples import or extend (written, not compiled
  alone); `with=PATH` writes it beside the block that says so.

Every other block must compile with no finding at all, warnings included.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyc.compiler import compile_paths, require_policies

from .test_editors import keyword_set

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "reference.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```$", re.M | re.S)
PREAMBLE = 'policy p "Reference example" {\n  version "1"\n  effective 2026-01-01..2026-12-31\n'


def blocks() -> list[tuple[int, dict, str]]:
    """(line, options, text) of each ```policy block; options from its info string."""
    text = DOCS.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        words = m.group(1).split()
        if words[:1] != ["policy"]:
            continue
        options = dict(w.split("=", 1) if "=" in w else (w, True) for w in words[1:])
        found.append((text.count("\n", 0, m.start()) + 1, options, m.group(2)))
    return found


def wrapped(fragment: str) -> str:
    """A fragment as a whole policy: the preamble, a severities set and a `respond` if it lacks them."""
    extra = "" if re.search(r"^\s*severities\b", fragment, re.M) else "  severities { high, low }\n"
    if not re.search(r"\b(respond|measure)\b", fragment) and "no support" not in fragment:
        extra += "  respond on always { target 4h }\n"
    return PREAMBLE + extra + fragment + "}\n"


FILES = {o["file"]: body for _, o, body in blocks() if "file" in o}
EXAMPLES = [(line, o, body) for line, o, body in blocks() if "file" not in o]


def test_the_reference_has_examples():
    assert len(EXAMPLES) > 20 and any(o.get("fragment") for _, o, _ in EXAMPLES)
    assert any("finding" in o for _, o, _ in EXAMPLES) and FILES


@pytest.mark.parametrize("line, options, body", EXAMPLES, ids=[f"line{line}" for line, _, _ in EXAMPLES])
def test_each_example_compiles_as_it_says(tmp_path, monkeypatch, line, options, body):
    monkeypatch.chdir(tmp_path)
    files = {"policies/p.policy": wrapped(body) if options.get("fragment") else body}
    if "with" in options:
        files[f"policies/{options['with']}"] = FILES[options["with"]]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = compile_paths(["policies"])
    require_policies(result, ["policies"])
    found = [(d.code, d.message) for d in result.diagnostics]
    expected = {options["finding"]} if "finding" in options else set()
    assert {code for code, _ in found} == expected, f"docs/reference.md:{line}: {found}"


def test_every_keyword_of_the_grammar_is_in_the_reference():
    text = DOCS.read_text(encoding="utf-8")
    missing = sorted(w for w in keyword_set() if not re.search(rf"(?<![A-Za-z0-9_]){w}(?![A-Za-z0-9_])", text))
    assert not missing, f"keywords of grammar/policy.lark that docs/reference.md never shows: {missing}"
    # every statement keyword also has an example: it occurs inside a ```policy block
    code = "\n".join(body for _, _, body in blocks())
    unused = sorted(w for w in keyword_set() if not re.search(rf"(?<![A-Za-z0-9_]){w}(?![A-Za-z0-9_])", code))
    assert not unused, f"keywords no example of docs/reference.md uses: {unused}"
