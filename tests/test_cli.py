"""The command line as a user meets it: version, help, streams, exit codes, the README."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import policyc
from policyc.cli import parser
from seed_tables import SEED_FINDINGS, printed_findings

REPO = Path(__file__).resolve().parents[1]
P = 'policy p { version "1" effective 2025-01-01..2025-12-31 severities { S1 } respond on always { target 1h } }\n'
# Two identical windows: W204 (overlapping windows), a warning and nothing else.
WARNS = P.replace("respond on always", "calendar c { zone UTC open mon 08:00-16:00 open mon 08:00-16:00 }\n"
                  "respond on c")


def run(*args, cwd=REPO, module="policyc.cli", stdin=None):
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, input=stdin)


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "policies").mkdir()
    return tmp_path


def test_version_and_python_dash_m():
    for module in ("policyc", "policyc.cli"):
        proc = run("--version", module=module)
        assert (proc.returncode, proc.stdout) == (0, f"policyc {policyc.__version__}\n")
    proc = run("check", "policies", module="policyc")
    assert (proc.returncode, printed_findings(proc.stdout)) == (0, SEED_FINDINGS)


@pytest.mark.parametrize("command", ["check", "compile"])
def test_strict_makes_warnings_fail_the_run(folder, command):
    (folder / "policies/p.policy").write_text(WARNS, encoding="utf-8")
    plain = run(command, "policies", cwd=folder)
    assert plain.returncode == 0 and "warning[W204]" in plain.stdout
    strict = run(command, "policies", "--strict", cwd=folder)
    assert strict.returncode == 1 and "warning[W204]" in strict.stdout
    if command == "compile":
        assert sorted(p.name for p in (folder / "generated").iterdir()) == ["p.json", "policy-table.schema.json"]
        shutil.rmtree(folder / "generated")
        run(command, "policies", "--strict", cwd=folder)
        assert not (folder / "generated").exists()  # a strict failure writes nothing


@pytest.mark.parametrize("what", ["empty-file", "comments-only", "empty-folder", "definitions-only"])
@pytest.mark.parametrize("command", ["check", "compile", "test"])
def test_nothing_to_compile_says_so(folder, what, command):
    target = {"empty-file": "policies/e.policy", "comments-only": "policies/e.policy",
              "empty-folder": "policies", "definitions-only": "policies/lib.policy"}[what]
    if what in ("empty-file", "comments-only"):
        (folder / target).write_text("" if what == "empty-file" else "# nothing yet\n", encoding="utf-8")
    elif what == "definitions-only":
        (folder / target).write_text("calendar c { zone UTC open mon 08:00-16:00 }\n", encoding="utf-8")
    proc = run(command, target, cwd=folder)
    assert proc.returncode == 2
    assert f"error[E011]: no policy found in `{target}`" in proc.stdout
    assert not (folder / "generated").exists()


def test_machine_output_goes_to_stdout_for_every_command(folder):
    (folder / "policies/p.policy").write_text(WARNS, encoding="utf-8")
    for args in (["check"], ["compile"], ["compile", "--check"], ["test"]):
        proc = run(*args, "policies", "--format", "json", cwd=folder)
        doc = json.loads(proc.stdout)  # the whole of stdout is one JSON document
        assert isinstance(doc, list), args
        if args[0] != "test":
            assert [d["code"] for d in doc] == ["W204"], args


def test_a_compile_error_gives_the_same_exit_code_in_check_and_test(folder):
    (folder / "policies/p.policy").write_text(P.replace("on always", "on nowhere"), encoding="utf-8")
    (folder / "policies/p.tests.yaml").write_text("policy: p\ncases: []\n", encoding="utf-8")
    codes = {cmd: run(cmd, "policies", cwd=folder) for cmd in ("check", "test", "compile")}
    assert {cmd: p.returncode for cmd, p in codes.items()} == {"check": 1, "test": 1, "compile": 1}
    assert all("error[E101]" in p.stdout for p in codes.values())


def test_an_unreadable_input_gives_2_in_check_and_test(folder):
    (folder / "policies/p.policy").write_bytes(b"policy p {\xff}")
    assert [run(cmd, "policies", cwd=folder).returncode for cmd in ("check", "test")] == [2, 2]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    ap = parser()
    sub = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_help_documents_every_argument_its_default_and_the_exit_codes(name):
    sub = _subcommands()[name]
    for action in sub._actions:
        assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
    text = run(name, "--help").stdout
    assert "exit codes:" in text and re.search(r"^\s+0\s", text, re.M) and re.search(r"^\s+2\s", text, re.M)
    for action in sub._actions:
        if action.default not in (None, False, argparse.SUPPRESS):
            shown = " ".join(action.default) if isinstance(action.default, list) else str(action.default)
            assert f"(default: {shown})" in " ".join(text.split()), (name, action.dest)


# ---- the README's commands run as written --------------------------------------------------------

def readme_commands() -> list[list[str]]:
    """The `policyc` command lines of the README's "Using it" block, continuation lines joined."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Using it", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines() if line.strip()]


def test_readme_commands_run_as_written(tmp_path):
    for name in ("policies", "generated", "examples"):
        shutil.copytree(REPO / name, tmp_path / name)
    commands = readme_commands()
    assert any("--batch" in c for c in commands) and len(commands) >= 8
    for words in commands:
        assert words[0] == ".venv/bin/policyc", words
        proc = run(*words[1:], cwd=tmp_path)
        # `--strict` fails on a warning: on the seeds' known findings, and on nothing else
        status = 1 if "--strict" in words and SEED_FINDINGS else 0
        assert proc.returncode == status and "Traceback" not in proc.stderr, (words, proc.stdout, proc.stderr)
        if words[1] == "check" and "--format" not in words:
            assert printed_findings(proc.stdout) == SEED_FINDINGS, proc.stdout
        if "--batch" in words:
            lines = [json.loads(line) for line in proc.stdout.splitlines()]
            assert len(lines) == 3 and all("error" not in d for d in lines)
            # Wednesday 2025-06-11 10:00 Moscow (07:00Z), SaaS: 12 hours around the clock on
            # working days, so due at 19:00Z the same day.
            assert lines[0]["response"]["due"] == "2025-06-11T19:00:00Z"
