"""`policyc check --explain CODE` and docs/diagnostics.md, from src/policyc/explanations.yaml.

Every registered code must be explained; each example is compiled and must give exactly
its code, and its fixed form nothing at all. A code added to `policyc.diagnostics.CODES`
without an entry fails `test_every_code_is_explained`, whose message is the entry to add.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policyc.compiler import compile_paths, require_policies
from policyc.diagnostics import CODES, RETIRED
from policyc.explain_codes import FIELDS, as_markdown, explanations, known_codes

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "diagnostics.md"
# Codes no policy text can give, explained with a `trigger` instead of an `example`:
# a file that cannot be read or is too large, a path that does not exist, a link out of
# the root, and a table limit whose smallest trigger is ten thousand windows. Each is
# tested in tests/compiler/test_diagnostics.py.
TRIGGER_ONLY = {"E002", "E003", "E008", "E009", "E010", "E214", "E347"}

SKELETON = """\
src/policyc/explanations.yaml has no entry for {code} ({line}). Add, in code order:

{code}:
  meaning: |
    What the finding means, and why policyc reports it.
  example: |
    policy p {{
      version "1"
      effective 2025-01-01..2025-12-31
      severities {{ high, low }}
      respond on always {{ target 4h }}
      ...                  # the smallest policy that gives {code} and no other finding
    }}
  fix: |
    How to fix it, in words.
  fixed: |
    (the example, fixed: it must compile with no finding at all)

then run `python -m policyc.explain_codes docs/diagnostics.md`.
"""


def test_every_code_is_explained():
    missing = [code for code in known_codes() if code not in explanations()]
    assert not missing, "\n".join(SKELETON.format(code=c, line=CODES.get(c) or RETIRED[c]) for c in missing)
    stale = sorted(set(explanations()) - set(known_codes()))
    assert not stale, f"explanations for codes policyc does not register: {stale}"


def test_entries_have_the_fields_their_kind_needs():
    for code, entry in explanations().items():
        assert set(entry) <= FIELDS, (code, set(entry) - FIELDS)
        if code in RETIRED:
            assert set(entry) == {"retired"}, code
            continue
        assert {"meaning", "fix"} <= set(entry), code
        assert ("example" in entry) != ("trigger" in entry), f"{code}: an example or a trigger, one of them"
        assert "fixed" in entry or "example" not in entry, f"{code}: an example needs its fixed form"
    assert {c for c, e in explanations().items() if "trigger" in e} == TRIGGER_ONLY


def test_codes_are_in_code_order_in_the_data_file():
    assert list(explanations()) == [c for c in known_codes() if c in explanations()]


def _compile(root: Path, main: str, files: dict | None):
    """Compile `policies/` under `root` (the working directory) holding `main` as p.policy."""
    for name, text in {"policies/p.policy": main, **(files or {})}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    result = compile_paths(["policies"])
    require_policies(result, ["policies"])
    return result


EXAMPLES = [c for c in known_codes() if "example" in explanations().get(c, {})]


@pytest.mark.parametrize("code", EXAMPLES)
def test_the_example_gives_its_code_and_the_fix_removes_it(tmp_path, monkeypatch, code):
    entry = explanations()[code]
    (tmp_path / "example").mkdir()
    monkeypatch.chdir(tmp_path / "example")
    found = _compile(tmp_path / "example", entry["example"], entry.get("files"))
    assert {d.code for d in found.diagnostics} == {code}, [(d.code, d.message) for d in found.diagnostics]
    (tmp_path / "fixed").mkdir()
    monkeypatch.chdir(tmp_path / "fixed")
    fixed = _compile(tmp_path / "fixed", entry["fixed"], entry.get("fixed_files"))
    assert fixed.diagnostics == [], [(d.code, d.message) for d in fixed.diagnostics]


def test_docs_diagnostics_md_is_generated_from_the_data_file():
    assert DOCS.read_text(encoding="utf-8") == as_markdown(), (
        "docs/diagnostics.md is stale; run `python -m policyc.explain_codes docs/diagnostics.md`")


def run(*args):
    return subprocess.run([sys.executable, "-m", "policyc.cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_check_explain_prints_the_explanation():
    proc = run("check", "--explain", "E302")
    assert proc.returncode == 0 and proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == "E302 (error): rules that give different answers for the same ticket (a conflict)"
    assert "      when plan is premier and severity is high: respond { target 1h }" in lines
    assert "How to fix it:" in lines
    assert run("check", "--explain", "e302").stdout == proc.stdout  # any case


def test_a_retired_code_is_explained_as_retired():
    proc = run("check", "--explain", "E207")
    assert proc.returncode == 0
    assert proc.stdout.startswith("E207 (retired): union of calendars in different time zones")


def test_an_unknown_code_is_one_message_with_the_nearest_codes_and_exit_2():
    proc = run("check", "--explain", "E399")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "policyc: unknown diagnostic code `E399`; did you mean `E309`, `E301`, `E302`?\n"
    far = run("check", "--explain", "hello")
    assert (far.returncode, far.stderr) == (2, "policyc: unknown diagnostic code `hello`\n")
