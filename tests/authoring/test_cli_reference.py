"""docs/cli.md is generated from the argparse parser and kept fresh, like docs/diagnostics.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from policyc.cli import parser
from policyc.cli_reference import as_markdown, exit_codes, subcommands

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "cli.md"


def test_docs_cli_md_is_generated_from_the_parser():
    assert DOCS.read_text(encoding="utf-8") == as_markdown(), (
        "docs/cli.md is stale; run `python -m policyc.cli_reference docs/cli.md`")


def test_every_subcommand_has_a_section_with_its_options_and_exit_codes():
    text = as_markdown()
    commands = subcommands(parser())
    assert {"compile", "check", "eval", "test"} <= {name for name, _, _ in commands}
    for name, _, p in commands:
        section = text.split(f"\n## policyc {name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"```text\npolicyc {name}" in section, name
        assert [code for code, _ in exit_codes(p)] == ["0", "1", "2"], f"`policyc {name} --help` lacks exit codes"
        assert "\n- `2`: usage or input error" in section, name
        for action in p._actions:
            for flag in action.option_strings:
                assert flag in section or flag in ("-h", "--help"), (name, flag)
    # samples worked out by reading cli.py: `check --explain CODE`, eval's required choice, test's summary
    assert "| `--explain CODE` | print what a diagnostic code (such as E302) means" in text
    assert "policyc eval (--facts JSON | --ticket FILE | --batch FILE) TABLE" in text
    assert "Run the policy test cases (\\<id\\>.tests.yaml)." in text


def test_the_reference_does_not_depend_on_the_terminal_width():
    env = {**os.environ, "COLUMNS": "40"}
    proc = subprocess.run([sys.executable, "-m", "policyc.cli_reference", "--check", str(DOCS)],
                          cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
