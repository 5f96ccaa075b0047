"""`policyc test`: which cases run for the paths given (issue 6 item 8), and test files
read as hostile input (issue 7 item 25): one message each, no traceback, bounded."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyc import testfile

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # a bomb that expands would take minutes and gigabytes: the timeout fails the test
CASE = '  - name: one\n    facts: {received_at: "2025-06-11T10:00:00+02:00", plan: premier, ' \
       'environment: production, severity: L1}\n    expect: {severity: L1}\n'


def run(*args, cwd):
    try:
        return subprocess.run([sys.executable, "-m", "policyc.cli", "test", *args], cwd=cwd, capture_output=True,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`policyc test {' '.join(args)}` did not finish in {TIMEOUT} s")


@pytest.fixture
def seeds(tmp_path) -> Path:
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    return tmp_path


def count(path: Path) -> int:
    return len(testfile.read(path).cases)


# ---- item 8: a file, a test file, a folder ----------------------------------------------------

@pytest.mark.parametrize("arg", ["policies/irex.policy", "policies/irex.tests.yaml"])
def test_one_policy_runs_its_own_cases(seeds, arg):
    proc = run(arg, cwd=seeds)
    n = count(seeds / "policies/irex.tests.yaml")
    assert (proc.returncode, proc.stdout) == (0, f"policyc: {n} passed, 0 failed\n"), proc.stdout + proc.stderr


def test_a_folder_runs_every_case(seeds):
    n = sum(count(f) for f in (seeds / "policies").rglob("*.tests.yaml"))  # contracts/ too
    proc = run("policies", cwd=seeds)
    assert (proc.returncode, proc.stdout) == (0, f"policyc: {n} passed, 0 failed\n")


def test_a_policy_whose_file_is_not_named_after_its_id(seeds):
    # `<id>.tests.yaml` beside the file counts too, as the docs say.
    (seeds / "policies/irex.policy").rename(seeds / "policies/france.policy")
    proc = run("policies/france.policy", cwd=seeds)
    assert proc.returncode == 0 and f"{count(seeds / 'policies/irex.tests.yaml')} passed" in proc.stdout


def test_a_tables_folder_that_does_not_exist_is_a_usage_error(seeds):
    proc = run("policies", "--tables", "nowhere", cwd=seeds)
    assert (proc.returncode, proc.stderr) == (2, "policyc: `--tables nowhere` is not a folder\n")


# ---- item 25: hostile test files ---------------------------------------------------------------

BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)) + "policy: irex\ncases: []\n"

HOSTILE = {
    # name: (file text, message, line, column)
    "billion-laughs": (BOMB, "anchors and aliases (`&name`, `*name`) are not allowed", 1, 5),
    "recursive-alias": ("policy: irex\ncases: &c [*c]\n", "anchors and aliases", 2, 8),
    "policy-is-a-list": ("policy: [irex]\ncases: []\n", "`policy` must be a policy id", 1, 9),
    "int-fact-key": ("policy: irex\ncases:\n  - facts: {1: x}\n    expect: {}\n", "a key must be text, not `1`", 3, 13),
    "null-fact-key": ("policy: irex\ncases:\n  - facts: {~: x}\n    expect: {}\n",
                      "a key must be text, not `None`", 3, 13),
    "binary-value": ("policy: irex\ncases:\n  - facts: {plan: !!binary aGVsbG8=}\n    expect: {}\n",
                     "tags such as `tag:yaml.org,2002:binary` are not allowed", 3, 19),
    "set-value": ("policy: irex\ncases:\n  - facts: !!set {a, b}\n    expect: {}\n",
                  "tags such as `tag:yaml.org,2002:set` are not allowed", 3, 12),
    "python-tag": ("policy: !!python/name:os.system irex\ncases: []\n", "tags such as", 1, 9),
    # The root mapping is level 1, so the 32nd `[` (column 8 + 31) is level 33.
    "deep-flow-list": ("policy: irex\ncases: " + "[" * 5000 + "]" * 5000 + "\n",
                       "nesting deeper than 32 levels", 2, 39),
    "two-documents": ("policy: irex\ncases: []\n---\npolicy: irex\ncases: []\n", "one YAML document", 3, 1),
    "duplicate-key": ("policy: irex\npolicy: hydra\ncases: []\n", "key `policy` given twice", 2, 1),
    "unknown-key": ("policy: irex\ncase: []\ncases: []\n", "unknown key `case`", 1, 1),
    "huge-int": ("policy: irex\ncases:\n  - facts: {n: " + "9" * 5000 + "}\n    expect: {}\n",
                 "is not a number policyc reads", 3, 16),
    "control-character": ("policy: éé\ncases: [\x1f]\n", "character U+001F is not allowed", 2, 9),
    "not-yaml": ("policy: irex\ncases: [\n", "not valid YAML", 3, 1),
    "not-a-mapping": ("- 1\n- 2\n", "a test file is a mapping with `policy` and a list of `cases`", 1, 1),
    "not-utf8": (b"policy: \xff\ncases: []\n", "file is not UTF-8 text (bad byte at offset 8)", 1, 1),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_test_file_gets_one_message(seeds, name):
    text, message, line, col = HOSTILE[name]
    path = seeds / "policies/irex.tests.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    proc = run("policies/irex.tests.yaml", cwd=seeds)
    assert "Traceback" not in proc.stdout + proc.stderr
    head, *problems = proc.stdout.splitlines()[:-1]
    assert head == f"FAIL policies/irex.tests.yaml:{line}:{col}: (file)", proc.stdout
    assert len(problems) == 1 and message in problems[0], proc.stdout
    assert proc.returncode == 1


def test_a_test_file_that_is_a_fifo_or_too_large(seeds):
    import os

    (seeds / "policies/irex.tests.yaml").unlink()
    os.mkfifo(seeds / "policies/irex.tests.yaml")
    proc = run("policies", cwd=seeds)
    assert "FAIL policies/irex.tests.yaml:1:1: (file)\n    a named pipe (FIFO), not a regular file\n" in proc.stdout
    (seeds / "policies/irex.tests.yaml").unlink()
    (seeds / "policies/irex.tests.yaml").write_bytes(b"#" * (testfile.MAX_BYTES + 1))
    proc = run("policies", cwd=seeds)
    assert f"    file is {testfile.MAX_BYTES + 1} bytes; policyc reads at most {testfile.MAX_BYTES}\n" in proc.stdout


@pytest.mark.parametrize(("case", "message"), [
    ("- 42\n", "a case is a mapping"),
    ("- {facts: {}, expect: {}, error: x}\n", "exactly one of `expect` or `error`"),
    ("- {facts: {}, error: 42}\n", "`error` must be text"),
    ("- {facts: {}, expect: [1]}\n", "`expect` must be a mapping"),
    ("- {facts: {}, expct: {}}\n", "unknown key `expct`"),
])
def test_a_malformed_case_fails_alone(seeds, case, message):
    path = seeds / "policies/irex.tests.yaml"
    path.write_text("policy: irex\ncases:\n" + CASE + "  " + case, encoding="utf-8")
    proc = run("policies/irex.tests.yaml", cwd=seeds)
    assert proc.stdout.endswith("policyc: 1 passed, 1 failed\n") and message in proc.stdout, proc.stdout
    assert "FAIL policies/irex.tests.yaml:6: case at line 6\n" in proc.stdout


def test_timestamps_stay_text_and_cases_keep_their_lines(tmp_path):
    path = tmp_path / "x.tests.yaml"
    path.write_text("policy: irex\ncases:\n" + CASE.replace('"2025-06-11T10:00:00+02:00"', "2025-06-11T10:00:00+02:00")
                    + CASE, encoding="utf-8")
    tests = testfile.read(path)
    assert [line for _, line in tests.cases] == [3, 6]
    assert tests.cases[0][0]["facts"]["received_at"] == "2025-06-11T10:00:00+02:00"


def test_a_tables_folder_with_a_dangling_link(seeds):
    (seeds / "tables").mkdir()
    (seeds / "tables/gone.json").symlink_to("nowhere.json")
    proc = run("policies", "--tables", "tables", cwd=seeds)
    assert proc.returncode == 2 and proc.stderr.startswith("policyc: cannot read table `tables/gone.json`: ")
