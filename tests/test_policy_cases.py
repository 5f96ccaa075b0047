"""Every case of policies/<id>.tests.yaml as a pytest item (the same runner as `policyc test`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc import testfile
from policyc.compiler import compile_paths
from policyc.evaluator import Table
from policyc.testing import run_case

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "policies").rglob("*.tests.yaml"))  # contracts/ too
SEEDS = ("navixy", "irex", "hydra")


def _cases():
    for f in FILES:
        tests = testfile.read(f)
        for case, line in tests.cases:
            name = case.get("name", "") if isinstance(case, dict) else ""
            yield pytest.param(tests.policy, case, f"{f.name}:{line}", id=f"{f.stem}:{line}:{name}")


@pytest.fixture(scope="module")
def tables():
    # The policies as compiled now, as `policyc test` runs them: the cases pin the policy
    # sources (the timeline cases need the metrics they declare, e.g. Navixy's
    # next_response), and generated/ is kept equal to them by `compile --check`.
    result = compile_paths([str(ROOT / "policies")])
    assert not result.errors, [d.message for d in result.errors]
    return {pid: Table(data) for pid, data in result.tables.items()}


def test_every_seed_policy_has_at_least_15_cases():
    # A rule for the three seeds (each reading of their documents is pinned by cases);
    # a policy a user adds needs no quota.
    counts = {f.stem.removesuffix(".tests"): len(testfile.read(f).cases) for f in FILES}
    assert {p: counts.get(p, 0) >= 15 for p in SEEDS} == dict.fromkeys(SEEDS, True), counts


def test_every_seed_policy_has_at_least_8_timeline_cases():
    # Issue 8: each seed's metrics are pinned by hand-worked timelines (events, expected
    # occurrences), not only by facts read at arrival; error cases do not count.
    counts = {f.stem.removesuffix(".tests"): sum(isinstance(c, dict) and "events" in c and "expect" in c
                                                 for c, _ in testfile.read(f).cases) for f in FILES}
    assert {p: counts.get(p, 0) >= 8 for p in SEEDS} == dict.fromkeys(SEEDS, True), counts


@pytest.mark.parametrize("policy, case, where", list(_cases()))
def test_case(tables, policy, case, where):
    file, line = where.rsplit(":", 1)
    outcome = run_case(tables[policy], case, file, int(line))
    assert outcome.passed, "\n".join([f"{where}: {outcome.name}"] + outcome.problems)
