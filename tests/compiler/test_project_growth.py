"""Issue 6 item 10: a user who adds a correct policy with its tests gets a green `make test`.

The checks `make test` runs that look at every policy (the freshness check, `policyc
test`, the table and case tests) run on a copy of the repository with one more policy,
`acme`, and its hand-worked cases. The seed-specific checks stay on the seeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from policyc import testfile

from .helpers import REPO

ACME = """\
# A small policy a new user might add, next to the seeds.
policy acme "ACME support" {
  version "1"
  effective 2025-01-01..2026-12-31
  languages en
  calendar office { zone Etc/UTC open mon..fri 09:00-17:00 }
  severities { S1 "Critical", S2 "Normal" }
  respond on office {
    severity   S1    S2
    target:    2h    8h
  }
  role support "ACME support"
  escalate { notify support }
}
"""
# Worked by hand: Wednesday 10:00 UTC + 2 business hours = 12:00; Friday 15:00 + 8 hours
# = 2 hours on Friday (to 17:00), 6 on Monday from 09:00, so Monday 15:00.
ACME_TESTS = """\
policy: acme
cases:
  - name: critical on a Wednesday morning, 2 hours
    facts: {received_at: "2025-06-11T10:00:00Z", severity: S1}
    expect: {response: {due: "2025-06-11T12:00:00Z"}}
  - name: normal on Friday afternoon runs into Monday
    facts: {received_at: "2025-06-13T15:00:00Z", severity: S2}
    expect: {response: {due: "2025-06-16T15:00:00Z"}}
"""


def test_adding_a_policy_keeps_make_test_green(tmp_path):
    for name in ("src", "tests", "policies", "generated", "grammar", "examples", "docs"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    (tmp_path / "policies/acme.policy").write_text(ACME, encoding="utf-8")
    (tmp_path / "policies/acme.tests.yaml").write_text(ACME_TESTS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)

    compiled = run("policyc", "compile", "policies/", "--out", "generated/")
    assert compiled.stderr == "policyc: wrote generated/acme.json\n", compiled.stdout + compiled.stderr
    # The commands of `make test`, then the test files that iterate over the policies.
    assert run("policyc", "compile", "policies/", "--out", "generated/", "--check").returncode == 0
    tested = run("policyc", "test", "policies/")
    seed_cases = sum(len(testfile.read(f).cases) for f in (REPO / "policies").rglob("*.tests.yaml"))
    assert (tested.returncode, tested.stdout) == (0, f"policyc: {seed_cases + 2} passed, 0 failed\n")
    suite = run("pytest", "-q", "-p", "no:cacheprovider", "tests/compiler/test_tables.py", "tests/test_policy_cases.py")
    assert suite.returncode == 0, suite.stdout[-4000:]
    acme = run("pytest", "-q", "-p", "no:cacheprovider", "tests/test_policy_cases.py", "-k", "acme and not acme_irex", "-v")
    assert acme.returncode == 0 and "2 passed" in acme.stdout, acme.stdout[-2000:]
