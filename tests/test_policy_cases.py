"""Every case of policies/<id>.tests.yaml as a pytest item (the same runner as `policyc test`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policyc.compiler import compile_paths
from policyc.evaluator import Table
from policyc.testing import _case_lines, _Loader, run_case

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "policies").glob("*.tests.yaml"))


def _cases():
    for f in FILES:
        text = f.read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=_Loader)
        for case, line in zip(doc["cases"], _case_lines(text)):
            yield pytest.param(doc["policy"], case, f"{f.name}:{line}", id=f"{f.stem}:{line}:{case.get('name', '')}")


@pytest.fixture(scope="module")
def tables():
    result = compile_paths([str(ROOT / "policies")])
    assert not result.errors, [d.message for d in result.errors]
    return {pid: Table(data) for pid, data in result.tables.items()}


def test_every_seed_policy_has_at_least_15_cases():
    counts = {f.name: len(yaml.load(f.read_text(encoding="utf-8"), Loader=_Loader)["cases"]) for f in FILES}
    assert {f"{p}.tests.yaml" for p in ("navixy", "irex", "hydra")} <= set(counts)
    assert all(n >= 15 for n in counts.values()), counts


@pytest.mark.parametrize("policy, case, where", list(_cases()))
def test_case(tables, policy, case, where):
    file, line = where.rsplit(":", 1)
    outcome = run_case(tables[policy], case, file, int(line))
    assert outcome.passed, "\n".join([f"{where}: {outcome.name}"] + outcome.problems)
