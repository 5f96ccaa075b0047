"""Fuzz the `*.tests.yaml` runner: mutated seed test files, generated documents and
generated timeline cases (random tickets run through `Table.evaluate`).

Whatever the file holds (aliases, tags, wrong types, deep nesting, junk), the runner
answers with outcomes: a file it cannot use gives exactly one "(file)" outcome with one
message and a position inside the file; every other outcome is a case, passed or with
its problems. No exception escapes. Sizes stay small so each target runs ~10 s in CI;
POLICYC_FUZZ_EXAMPLES runs more.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.compiler import compile_paths
from policyc.evaluator import Table
from policyc.testing import run_file

from .budget import examples

REPO = Path(__file__).resolve().parents[2]


def _small(path: Path, cases: int = 3) -> str:
    """The head of a seed test file, its first few cases and its first timeline cases (with
    `events` and `now`): mutations stay cheap and reach both kinds."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("cases:\n", 1)
    items = re.split(r"(?m)^(?=  - name:)", body)
    timelines = [item for item in items[1:] if "\n    events:\n" in item and "\n    now:" in item]
    return head + "cases:\n" + "".join(items[:cases + 1] + timelines[:2])


SEEDS = [_small(p) for p in sorted((REPO / "policies").glob("*.tests.yaml"))]
JUNK = ["&a ", "*a", "&a [x, *a]", "!!binary aGk=", "!!set {a, b}", "!!python/object:os.system", "!!int",
        "!!str", "!foo", "[", "]", "{", "}", ":", ": ", "- ", "? ", "~", "null", "1", "-1.5", ".nan", ".inf",
        "---\n", "...\n", "\t", "%YAML 1.1\n", "'", '"', "|\n", ">\n", "9" * 60, "[" * 40, "{a: " * 40,
        "yes", "2025-06-11", "2025-06-11T10:00:00Z", "\ufeff", "\x00", "é", "policy: [irex]\n",
        "facts: 42\n", "expect: x\n", "error: 1\n", "  - 7\n", "cases: {}\n", "\n", "events: 3\n", "now: 7\n",
        "- {at: 1, type: created}\n", "      - {type: facts, facts: {severity: L9}}\n", "metrics: [1]\n",
        "elapsed: PT", "P1Y", "PT99999999999999999999999H", "state: met"]
TABLES: dict[str, Table] = {}


def tables() -> dict[str, Table]:
    if not TABLES:
        result = compile_paths([str(REPO / "policies")])
        TABLES.update({pid: Table(data) for pid, data in result.tables.items()})
    return TABLES


def check(data: bytes) -> None:
    """Run one file's worth of bytes; the outcomes must be well formed."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "x.tests.yaml")
        path.write_bytes(data)
        outcomes = run_file(path, tables(), "x.tests.yaml")
    # YAML also breaks lines at NEL, LS and PS (str.splitlines knows them all), and may
    # place an error at the end of the stream, one line past the last.
    lines = len(data.decode("utf-8", "replace").splitlines()) + 2
    files = [o for o in outcomes if o.name == "(file)"]
    if files:
        assert len(outcomes) == 1 and len(files[0].problems) == 1, outcomes
        message = files[0].problems[0]
        assert message and "Traceback" not in message and "\n" not in message, message
    for o in outcomes:
        assert 1 <= o.line <= lines and o.col >= 1, o
        assert all(isinstance(p, str) and p for p in o.problems), o


@st.composite
def mutated(draw) -> bytes:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["insert", "delete-line", "duplicate-line", "swap-lines", "truncate", "indent"]))
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        if op == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(st.sampled_from(JUNK), st.text(max_size=4))) + text[at:]
            continue
        if op == "delete-line":
            del lines[i]
        elif op == "duplicate-line":
            lines.insert(i, lines[j])
        elif op == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
        else:
            lines = lines[:i]
        text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_seed_test_files(data):
    check(data)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from(["irex", "L1", "premier", "2025-06-11T10:00:00+02:00",
                                                          "created", "agent_message", "customer_message", "facts",
                                                          "status", "solved", "PT1H", "P1D", "PT"]))
KEYS = st.one_of(st.sampled_from(["policy", "cases", "name", "facts", "expect", "error", "received_at", "plan",
                                  "severity", "environment", "response", "due", "events", "now", "at", "type",
                                  "status", "metrics", "first_response", "elapsed", "paused", "start", "stop"]),
                 st.text(max_size=5), st.integers(), st.none())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=st.one_of(st.sampled_from(["irex", "navixy", "hydra"]), VALUES), cases=st.lists(VALUES, max_size=4),
       flow=st.booleans())
def test_generated_test_documents(policy, cases, flow):
    try:
        text = yaml.safe_dump({"policy": policy, "cases": cases}, default_flow_style=flow, allow_unicode=True)
    except yaml.YAMLError:  # a key PyYAML itself cannot write: nothing to run
        return
    check(text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("levels", [2, 9])
def test_alias_bombs_are_refused_at_the_first_anchor(levels):
    text = "a0: &a0 [x, x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, levels)) \
        + "policy: irex\ncases: []\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "x.tests.yaml")
        path.write_text(text, encoding="utf-8")
        [outcome] = run_file(path, tables(), "x.tests.yaml")
    assert (outcome.line, outcome.col, outcome.problems) == (
        1, 5, ["anchors and aliases (`&name`, `*name`) are not allowed; repeat the value"])


# ---- timelines: random tickets through the runner ------------------------------------------------

FACTS = {"irex": {"plan": "premier", "environment": "production", "severity": "L2"},
         "navixy": {"deployment": "on_premise", "plan": "basic", "severity": "L3"},
         "hydra": {"type": "incident", "severity": "high"}}
# What a `facts` event may change, per policy (`bogus` and the foreign fact are refused).
CHANGES = {"irex": {"plan": ["standard", "premier"], "environment": ["production", "non_production"],
                    "severity": ["L1", "L3", "L4", "bogus"], "deployment": ["saas"]},
           "navixy": {"deployment": ["saas", "cloud"], "plan": ["advanced"], "severity": ["L1", "L4", "bogus"],
                      "type": ["incident"]},
           "hydra": {"type": ["request", "incident"], "severity": ["urgent", "low", "bogus"], "plan": ["basic"]}}
KINDS = ["agent_message"] * 3 + ["customer_message"] * 3 + ["status"] * 2 + ["facts"] * 2 + ["created", "bogus"]
OFFSETS = ["Z", "+03:00", "+02:00"] * 4 + [""]


@st.composite
def timeline_case(draw) -> dict:
    """A ticket of a few events over a working week, mostly valid, sometimes not (out of
    order, no offset, unknown type, status or fact), with an expectation to compare."""
    policy = draw(st.sampled_from(sorted(FACTS)))
    minutes = sorted(draw(st.lists(st.integers(0, 8 * 24 * 60), min_size=1, max_size=6)))
    if draw(st.integers(0, 7)) == 0:
        draw(st.randoms()).shuffle(minutes)
    events = []
    for i, m in enumerate(minutes):
        kind = "created" if i == 0 else draw(st.sampled_from(KINDS))
        at = f"2025-06-{16 + m // 1440:02d}T{m % 1440 // 60:02d}:{m % 60:02d}:00" + draw(st.sampled_from(OFFSETS))
        event = {"at": at, "type": kind}
        if kind == "status":
            event["status"] = draw(st.sampled_from(["open", "waiting_on_customer", "solved", "closed", "frozen"]))
        elif kind == "facts":
            fact = draw(st.sampled_from(sorted(CHANGES[policy])))
            event["facts"] = {fact: draw(st.sampled_from(CHANGES[policy][fact]))}
        events.append(event)
    case = {"name": "t", "facts": FACTS[policy], "events": events,
            "expect": {"metrics": {"first_response": [{"state": draw(st.sampled_from(["met", "running"]))}]}}}
    if draw(st.booleans()):
        case["now"] = "2025-06-30T12:00:00" + draw(st.sampled_from(OFFSETS))
    return policy, case


@settings(max_examples=examples(800), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(timeline_case(), min_size=1, max_size=3))
def test_generated_timeline_cases(drawn):
    text = yaml.safe_dump({"policy": drawn[0][0], "cases": [case for _, case in drawn]}, allow_unicode=True)
    check(text.encode("utf-8"))
