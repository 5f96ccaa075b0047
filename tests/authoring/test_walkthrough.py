"""docs/first-policy.md is run as written, so the walkthrough stays true.

In a fresh folder, in the order the document shows them: each fenced block whose info
string has `file=PATH` is written to that path (a later block for the same path replaces
it, as the reader edits the file), and each ```console block is run: every line that
starts with `$ policyc` is a command (run as `python -m policyc.cli`), the lines after it,
up to the next command, are what it prints (standard output, then standard error), and a
trailing `# exit N` is the exit code it must give (0 when absent).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "first-policy.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```$", re.M | re.S)
EXIT = re.compile(r"\s+# exit (\d+)$")


def steps() -> list[tuple[str, object]]:
    """("file", (path, text)) and ("run", (line, argv, exit code, expected output)) in document order."""
    text = DOCS.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        info, body = m.group(1).split(), m.group(2)
        files = [w.split("=", 1)[1] for w in info if w.startswith("file=")]
        if files:
            found.append(("file", (files[0], body)))
        elif info[:1] == ["console"]:
            line = text.count("\n", 0, m.start()) + 2
            found += [("run", command) for command in _commands(body, line)]
    return found


def _commands(body: str, first_line: int):
    current = None
    for n, line in enumerate(body.rstrip("\n").split("\n"), first_line):
        if line.startswith("$ "):
            if current:
                yield current
            code = EXIT.search(line)
            argv = shlex.split(EXIT.sub("", line[2:]))
            assert argv[0] == "policyc", f"docs/first-policy.md:{n}: only `policyc` commands are run"
            current = (n, argv[1:], int(code.group(1)) if code else 0, [])
        else:
            assert current, f"docs/first-policy.md:{n}: output before any command"
            current[3].append(line)
    if current:
        yield current


def test_the_walkthrough_has_files_and_commands():
    kinds = [kind for kind, _ in steps()]
    assert kinds.count("file") >= 3 and kinds.count("run") >= 5
    commands = {step[1][0] for kind, step in steps() if kind == "run"}
    assert {"check", "compile", "test", "eval", "explain"} <= commands


def test_the_walkthrough_runs_as_written(tmp_path):
    for kind, step in steps():
        if kind == "file":
            path, text = step
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text, encoding="utf-8")
            continue
        line, argv, code, expected = step
        proc = subprocess.run([sys.executable, "-m", "policyc.cli", *argv], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)
        where = f"docs/first-policy.md:{line}: policyc {' '.join(argv)}"
        assert proc.returncode == code, (where, proc.stdout, proc.stderr)
        assert (proc.stdout + proc.stderr).rstrip("\n").split("\n") == (expected or [""]), where
