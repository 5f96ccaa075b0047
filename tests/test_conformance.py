"""Every case of conformance/*.json against the Python evaluator (conformance/README.md).

The same files prove a port of the evaluator to another language; this runner is
the reference for how they are read: a partial `expect` (every key it names must
match, lists must have the same length, instants compare as instants), or an `error`
whose text must appear in the message of the refusal.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

from policyc.evaluator import PolicyError, Table

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT / "conformance"
SCHEMA = json.loads((ROOT / "src" / "policyc" / "schema" / "policy-table.schema.json").read_text(encoding="utf-8"))
INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})")
FEATURES = sorted(CONFORMANCE.glob("*.json"))


def _table(feature: dict) -> dict:
    if "table" in feature:
        return feature["table"]
    return json.loads((CONFORMANCE / feature["table_file"]).read_text(encoding="utf-8"))


def _cases():
    for path in FEATURES:
        feature = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(feature["cases"]):
            yield pytest.param(path.stem, i, id=f"{path.stem}:{i}:{case['description'][:60]}")


def differences(expect, got, path="") -> list[str]:
    """Where `got` differs from the partial `expect`."""
    if isinstance(expect, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {got!r}"]
        out = []
        for key, value in expect.items():
            if key not in got:
                out.append(f"{path}/{key}: missing")
            else:
                out += differences(value, got[key], f"{path}/{key}")
        return out
    if isinstance(expect, list):
        if not isinstance(got, list) or len(got) != len(expect):
            return [f"{path}: expected {len(expect)} items, got {got!r}"]
        return [d for i, (e, g) in enumerate(zip(expect, got)) for d in differences(e, g, f"{path}/{i}")]
    if isinstance(expect, str) and isinstance(got, str) and INSTANT.fullmatch(expect) and INSTANT.fullmatch(got):
        same = datetime.fromisoformat(expect.replace("Z", "+00:00")) == datetime.fromisoformat(got.replace("Z", "+00:00"))
    else:
        same = type(expect) is type(got) and expect == got
    return [] if same else [f"{path}: expected {expect!r}, got {got!r}"]


def test_there_are_cases_for_every_feature():
    names = {p.stem for p in FEATURES}
    assert {"business_time", "targets", "metrics", "pauses", "fact_changes", "escalation", "errors"} <= names


@pytest.mark.parametrize("path", sorted((CONFORMANCE / "tables").glob("*.json")), ids=lambda p: p.name)
def test_tables_are_valid_against_the_published_schema(path):
    jsonschema.Draft7Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("feature, index", list(_cases()))
def test_case(feature, index):
    spec = json.loads((CONFORMANCE / f"{feature}.json").read_text(encoding="utf-8"))
    case = spec["cases"][index]
    table = Table(_table(spec), feature)
    run = (lambda: table.evaluate(case["ticket"])) if "ticket" in case else (lambda: table.decide(case["facts"]))
    if "error" in case:
        with pytest.raises(PolicyError) as info:
            run()
        assert case["error"] in str(info.value), str(info.value)
        return
    problems = differences(case["expect"], run())
    assert not problems, "\n".join([case["description"], *problems])
