"""The evaluator's contract: isolation, decisions, and one clear error per bad input."""

from __future__ import annotations

import ast
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.evaluator import CoverageError, FactError, PolicyError, TableError, load
from policyc.evaluator.table import Table
from seed_tables import seed, seed_path, upgrade

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
EVALUATOR = ROOT / "src" / "policyc" / "evaluator"
HEAVY = ("lark", "networkx", "yaml", "jsonschema", "holidays")

IREX_FACTS = {"received_at": "2025-06-13T18:30:00+02:00", "plan": "premier",
              "environment": "production", "severity": "L1"}


@pytest.fixture(scope="module")
def irex():
    return load(seed_path("irex"))


@pytest.fixture(scope="module")
def irex_data():
    return seed("irex")


# ---- isolation ---------------------------------------------------------------------

def test_evaluator_imports_only_the_standard_library():
    """Every import in policyc/evaluator/ is stdlib, tzdata, or a sibling module."""
    allowed = set(sys.stdlib_module_names) | {"tzdata", "__future__"}
    for path in sorted(EVALUATOR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: must stay inside the evaluator package
                    assert node.level == 1, f"{path.name}: `from ..` leaves the evaluator"
                    continue
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_importing_the_evaluator_loads_nothing_heavy_in_a_fresh_interpreter():
    code = ("import sys, policyc.evaluator; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{HEAVY!r} or (m.startswith('policyc.') and not m.startswith('policyc.evaluator'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- decisions ------------------------------------------------------------------------

def test_decision_has_every_contract_field(irex):
    d = irex.decide(IREX_FACTS)
    assert set(d) >= {"severity", "response", "within_hours", "escalation", "billing"}
    assert set(d["response"]) >= {"target", "due", "guaranteed"}
    for step in d["escalation"]:
        assert set(step) >= {"channel", "to", "cc"}
    assert "multiplier" in d["billing"]


def test_premier_l1_friday_evening_counts_the_weekend_window(irex):
    # "La couverture du week-end ... commence les vendredis à 16 h": received Friday
    # 18:30 CEST, the weekend window is open, 1h later is 19:30 CEST = 17:30Z.
    d = irex.decide(IREX_FACTS)
    assert d["response"] == {"target": "PT1H", "due": "2025-06-13T17:30:00Z", "guaranteed": True,
                             "calendar": "business+weekend"}
    assert d["within_hours"] is True


def test_decision_cannot_change_the_table(irex):
    first = irex.decide(IREX_FACTS)
    first["escalation"][0]["to"].append("someone")
    first["source"]["response"][0]["line"] = 0
    assert irex.decide(IREX_FACTS) == irex.decide(dict(IREX_FACTS))
    assert "someone" not in irex.decide(IREX_FACTS)["escalation"][0]["to"]


def test_work_at_defaults_to_received_at():
    hydra = load(seed_path("hydra"))
    # "Processing any ticket outside business hours is charged at double rate":
    # Wednesday 2025-06-11 20:00 Moscow is after 19:00.
    facts = {"received_at": "2025-06-11T20:00:00+03:00", "type": "incident", "severity": "high"}
    assert hydra.decide(facts)["billing"] == {"multiplier": 2, "work_at": "2025-06-11T17:00:00Z"}
    facts["work_at"] = "2025-06-12T12:00:00+03:00"  # Russia Day, a bank holiday
    assert hydra.decide(facts)["billing"]["multiplier"] == 2
    facts["work_at"] = "2025-06-16T12:00:00+03:00"  # Monday noon
    assert hydra.decide(facts)["billing"]["multiplier"] == 1


# ---- bad facts ------------------------------------------------------------------------------

@pytest.mark.parametrize("change, message", [
    ({"plann": "premier"}, "unknown fact `plann`; did you mean `plan`?"),
    ({"plan": "gold"}, "unknown value `gold` for fact `plan`; expected one of `standard`, `premier`"),
    ({"severity": "L9"}, "unknown value `L9` for fact `severity`"),
    ({"plan": 3}, "unknown value `3` for fact `plan`"),
    ({"received_at": "2025-06-13T18:30:00"}, "fact `received_at` `2025-06-13T18:30:00` has no UTC offset"),
    ({"received_at": "13/06/2025 18:30"}, "fact `received_at` is not an RFC 3339 timestamp: `13/06/2025 18:30`"),
    ({"received_at": 1718300000}, "fact `received_at` must be an RFC 3339 timestamp string, not int"),
    ({"work_at": "2025-06-13"}, "fact `work_at` is not an RFC 3339 timestamp: `2025-06-13`"),
])
def test_bad_fact(irex, change, message):
    with pytest.raises(FactError) as exc:
        irex.decide({**IREX_FACTS, **change})
    assert message in str(exc.value)


@pytest.mark.parametrize("missing", ["received_at", "severity"])
def test_missing_fact(irex, missing):
    facts = {k: v for k, v in IREX_FACTS.items() if k != missing}
    with pytest.raises(FactError, match=f"missing fact `{missing}`"):
        irex.decide(facts)


def test_missing_fact_the_ticket_needs(irex):
    # L1 targets differ by plan, so a ticket without `plan` cannot be decided.
    facts = {k: v for k, v in IREX_FACTS.items() if k != "plan"}
    with pytest.raises(FactError, match="missing fact `plan`: the policy needs it"):
        irex.decide(facts)


def test_fact_the_ticket_does_not_need_may_be_left_out():
    # Navixy SaaS: "the guaranteed response time is 12 business hours", whatever the plan.
    navixy = load(seed_path("navixy"))
    d = navixy.decide({"received_at": "2025-06-11T10:00:00+03:00", "deployment": "saas", "severity": "L2"})
    assert d["response"]["target"] == "PT12H"


def test_facts_must_be_an_object(irex):
    with pytest.raises(FactError, match="facts must be a JSON object, not list"):
        irex.decide([1, 2])


def test_instant_outside_holiday_years():
    hydra = load(seed_path("hydra"))
    with pytest.raises(CoverageError, match="outside the dates for which the table has holiday data"):
        hydra.decide({"received_at": "2027-12-29T12:00:00+03:00", "work_at": "2028-01-10T12:00:00+03:00",
                      "type": "incident", "severity": "high"})


def test_due_beyond_holiday_years_is_refused():
    # Navixy on-premise L4 "8 hours" on support hours, received after closing on the
    # last working day of 2027: the due instant would fall in 2028, where the table
    # knows no Russian holidays.
    navixy = load(seed_path("navixy"))
    with pytest.raises(CoverageError):
        navixy.decide({"received_at": "2027-12-30T15:00:00+03:00", "deployment": "cloud", "severity": "L4"})


# ---- bad tables ---------------------------------------------------------------------------

def test_unreadable_table(tmp_path):
    with pytest.raises(TableError, match="cannot read table"):
        load(tmp_path / "nope.json")


def test_table_that_is_not_json(tmp_path):
    p = tmp_path / "t.json"
    p.write_text("{not json")
    with pytest.raises(TableError, match="is not valid JSON"):
        load(p)


def test_table_of_another_schema_version(irex_data):
    data = dict(irex_data, schema_version=1)
    with pytest.raises(TableError, match="has schema_version 1; this evaluator reads 2"):
        Table(data, "t.json")


@pytest.mark.parametrize("breakage, where", [
    (lambda d: d["rules"].pop("targets"), "at `rules/targets`: missing"),
    (lambda d: d["rules"]["targets"]["first_response"][0].update(calendar="nowhere"), "calendar `nowhere` is not in `calendars`"),
    (lambda d: d["rules"]["targets"]["first_response"][0]["when"].update(colour=["red"]), "names a fact the table does not declare"),
    (lambda d: d["rules"]["targets"]["first_response"][0]["target"].update(minutes="2h"), "target/minutes`: expected int"),
    (lambda d: d["facts"].pop("severity"), "at `facts/severity`: missing"),
    (lambda d: d["calendars"]["business"].update(zone="Mars/Olympus"), "Mars/Olympus"),
])
def test_table_that_breaks_the_schema(irex_data, breakage, where):
    data = copy.deepcopy(irex_data)
    breakage(data)
    with pytest.raises(TableError) as exc:
        Table(data, "t.json")
    assert where in str(exc.value)


def test_every_error_is_a_policy_error():
    assert all(issubclass(e, PolicyError) for e in (FactError, TableError, CoverageError))


# ---- the command line ---------------------------------------------------------------------

def _eval(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "policyc.cli", "eval", *args], capture_output=True,
                          text=True, input=stdin, env=env, cwd=ROOT)


def test_cli_and_python_give_the_same_decision(irex):
    out = _eval(str(seed_path("irex")), "--facts", json.dumps(IREX_FACTS))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == irex.decide(IREX_FACTS)


@pytest.mark.parametrize("facts, message", [
    ("{not json", "facts are not valid JSON"),
    (json.dumps({**IREX_FACTS, "received_at": "2025-06-13T18:30:00"}), "has no UTC offset"),
])
def test_cli_bad_input_exits_2_without_traceback(facts, message):
    out = _eval(str(seed_path("irex")), "--facts", facts)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_cli_bad_table_exits_2(tmp_path):
    p = tmp_path / "t.json"
    p.write_text('{"schema_version": 7}')
    out = _eval(str(p), "--facts", "{}")
    assert out.returncode == 2 and "schema_version 7" in out.stderr and "Traceback" not in out.stderr


def test_batch_reports_a_bad_line_and_goes_on(irex):
    good = json.dumps(IREX_FACTS)
    out = _eval(str(seed_path("irex")), "--batch", "-", stdin=f"{good}\nnot json\n\n{good}\n")
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.returncode == 2
    assert lines[0] == lines[2] == irex.decide(IREX_FACTS)
    assert lines[1]["line"] == 2 and "facts are not valid JSON" in lines[1]["error"]


def test_results_do_not_depend_on_the_host_time_zone(irex):
    env = dict(os.environ, TZ="Pacific/Chatham")
    out = _eval(str(seed_path("irex")), "--facts", json.dumps(IREX_FACTS), env=env)
    assert json.loads(out.stdout) == irex.decide(IREX_FACTS)
