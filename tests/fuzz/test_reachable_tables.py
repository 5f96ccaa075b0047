"""Property: a small policy that compiles without error gives a table that passes the schema,
and the evaluator answers every ticket the policy can receive (issue 6, item 5).

Policies are drawn from dimensions of one to three values, up to three severities, and a
few severity and response rules (conditions with `is`, `is not`, tables with `-` cells);
most draws have errors (gaps, conflicts), which is fine: only the clean ones are checked.
`compile_paths` raises on a table that breaks the schema, so reaching the evaluator
already means the schema held.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.compiler import compile_paths
from policyc.evaluator import Table

from .budget import examples

DIMS = {"plan": ("p0", "p1", "p2"), "site": ("x", "y")}
SEVERITIES = ("S0", "S1", "S2")
RECEIVED = "2025-06-18T12:00:00Z"  # a Wednesday, inside every calendar drawn


@st.composite
def condition(draw, dims: dict) -> str:
    """`when ...:` over some of the dimensions, or nothing."""
    terms = []
    for name, values in dims.items():
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))
            terms.append(f"{name} is {'not ' if draw(st.booleans()) else ''}{', '.join(chosen)}")
    return f"when {' and '.join(terms)}: " if terms else ""


@st.composite
def respond_rule(draw, dims: dict) -> str:
    head = draw(condition(dims)) + "respond"
    calendar = draw(st.sampled_from(["", " on c", " on always"]))
    if draw(st.integers(0, 3)) == 0:  # a table over severities, maybe with holes
        sevs = dims["severity"]
        cells = [draw(st.sampled_from(["1h", "2h", "-", "none"])) for _ in sevs]
        return f"{head}{calendar} {{\n    severity {' '.join(sevs)}\n    target: {' '.join(cells)}\n  }}"
    target = draw(st.sampled_from(["", "target 1h", "target 30min", "target next business day"]))
    return f"{head}{calendar} {{ {target} }}"


@st.composite
def severity_rule(draw, dims: dict) -> str:
    sevs = dims["severity"]
    moved = draw(st.lists(st.sampled_from(sevs), min_size=1, max_size=len(sevs), unique=True))
    return f"{draw(condition({k: v for k, v in dims.items() if k != 'severity'}))}severity " \
           f"{', '.join(moved)} becomes {draw(st.sampled_from(sevs))}"


@st.composite
def policies(draw) -> tuple[str, dict]:
    dims = {name: values[:draw(st.integers(1, len(values)))] for name, values in DIMS.items()
            if draw(st.booleans())}
    dims["severity"] = SEVERITIES[:draw(st.integers(1, len(SEVERITIES)))]
    rules = draw(st.lists(st.one_of(respond_rule(dims), severity_rule(dims)), max_size=5))
    if draw(st.booleans()):
        rules.insert(0, "respond on c { target 4h }")
    lines = ['policy f "F" {', '  version "1"', "  effective 2025-01-01..2025-12-31",
             "  calendar c { zone UTC open mon..sun 00:00-24:00 }"]
    lines += [f"  dimension {name} {{ {', '.join(values)} }}" for name, values in dims.items() if name != "severity"]
    lines.append(f"  severities {{ {', '.join(dims['severity'])} }}")
    lines += [f"  {r}" for r in rules]
    return "\n".join(lines + ["}"]) + "\n", dims


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies())
def test_clean_policies_give_tables_that_answer_every_ticket(drawn):
    text, dims = drawn
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "policies"
        folder.mkdir()
        (folder / "f.policy").write_text(text, encoding="utf-8")
        old = os.getcwd()
        os.chdir(tmp)
        try:
            result = compile_paths([str(folder)])  # raises SchemaViolation on a broken table
        finally:
            os.chdir(old)
    if result.errors:
        return
    table = Table(result.tables["f"])
    names = list(dims)
    for combo in itertools.product(*dims.values()):
        facts = dict(zip(names, combo), received_at=RECEIVED)
        decision = table.decide(facts)
        assert decision["severity"] in dims["severity"], text
        assert "response" in decision, text
