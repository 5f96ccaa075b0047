"""docs/cli.md is generated from the argparse parser and kept fresh, like docs/diagnostics.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from policyc.cli import parser
from policyc.cli_reference import as_markdown, subcommands

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
        assert f"usage: policyc {name} " in section, name
        assert "exit codes:" in section and "\n  2  " in section, f"`policyc {name} --help` documents no exit codes"
        for action in p._actions:
            for flag in action.option_strings:
                assert flag in section, (name, flag)
    assert "--explain CODE" in text  # a sample worked out by reading cli.py: `check --explain`


def test_the_reference_does_not_depend_on_the_terminal_width():
    env = {**os.environ, "COLUMNS": "40"}
    proc = subprocess.run([sys.executable, "-m", "policyc.cli_reference", "--check", str(DOCS)],
                          cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
