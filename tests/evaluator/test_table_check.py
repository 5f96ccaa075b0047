"""The table check: bounded reads and quantities (issue 7 item 18), and nothing that
passes it can crash or mislead `decide` (item 23)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from policyc.evaluator import TableError, load, table as table_module
from policyc.evaluator.limits import MAX_CALENDAR_DATES, MAX_MULTIPLIER, MAX_TARGET_MINUTES
from policyc.evaluator.table import Table
from seed_tables import upgrade

GENERATED = Path(__file__).resolve().parents[2] / "generated"


@pytest.fixture(scope="module")
def seeds():
    return {p.stem: upgrade(json.loads(p.read_text())) for p in GENERATED.glob("*.json") if p.stem != "policy-table.schema"}


def _broken(data, change):
    data = copy.deepcopy(data)
    change(data)
    with pytest.raises(TableError) as exc:
        Table(data, "t.json")
    return exc.value


def _response(d):
    return d["rules"]["targets"]["first_response"][0]


@pytest.mark.parametrize("change, where", [
    (lambda d: _response(d).pop("source"), "at `rules/targets/first_response/0/source`: missing"),
    (lambda d: _response(d).update(source=["policies/irex.policy"]), "at `rules/targets/first_response/0/source/0`: expected object"),
    (lambda d: _response(d).update(source=[]), "at `rules/targets/first_response/0/source`: expected at least 1 items"),
    (lambda d: d["calendars"]["business"].update(dates=["2025-05-01"]), "at `calendars/business/dates`: expected object"),
    (lambda d: d["calendars"]["business"].update(dates=3), "at `calendars/business/dates`: expected object"),
    (lambda d: _response(d)["target"].update(minutes=10 ** 30), f"must be at most {MAX_TARGET_MINUTES}"),
    (lambda d: _response(d)["target"].update(minutes=MAX_TARGET_MINUTES + 1), f"must be at most {MAX_TARGET_MINUTES}"),
    (lambda d: _response(d)["target"].update(minutes=0), "target/minutes`: must be at least 1"),
    (lambda d: _response(d)["target"].update(minutes=60.0), "target/minutes`: expected integer"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(after=5), "steps/0/after`: expected string"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(after="1h"), "steps/0/after`: does not match"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(at_share="50%"), "at_share`: expected integer"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(at_share=0), "at_share`: must be at least 1"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(at_share=50), "steps/0/metric`: missing (`at_share`"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(after="PT1H", metric="first_response"),
     "steps/0/after_minutes`: missing"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(after="PT1H", after_minutes=60, at_share=5,
                                                               metric="first_response"), "`after` and `at_share` together"),
    (lambda d: d["metrics"]["first_response"].update(stop=[]), "first_response/stop`: expected at least 1 items"),
    (lambda d: d["metrics"]["first_response"]["start"].append({"event": "status"}), "start/1/from`: missing"),
    (lambda d: d["metrics"]["first_response"]["start"].append({"event": "opened"}), "start/1/event`: expected"),
    (lambda d: d["metrics"]["first_response"].update(on_facts_change="reset"), "on_facts_change`: expected"),
    (lambda d: d.pop("metric_order"), "at `metric_order`: missing"),
    (lambda d: _response(d).update(target={"kind": "period", "period": "P0D", "days": 0}), "days`: must be at least 1"),
    (lambda d: d["facts"]["plan"].update(values=[]), "at `facts/plan/values`: expected at least 1 items"),
    (lambda d: d["facts"]["plan"].update(values=["a", "a"]), "at `facts/plan/values`: items must be unique"),
    (lambda d: d.update(extra=1), "at `extra`: unknown key"),
    (lambda d: d["calendars"]["business"]["week"].pop(), "week`: expected at least 7 items"),
])
def test_shape_breakage_is_refused(seeds, change, where):
    assert where in str(_broken(seeds["irex"], change))


@pytest.mark.parametrize("change, where", [
    (lambda d: d["policy"]["extends"].pop("version"), "at `policy/extends/version`: missing"),
    (lambda d: d["policy"]["extends"].update(id="not an id"), "at `policy/extends/id`: does not match"),
    (lambda d: d["policy"]["extends"].update(since="2026-03-01"), "at `policy/extends/since`: unknown key"),
    (lambda d: d["policy"].update(extends="irex"), "at `policy/extends`: expected object"),
])
def test_a_contract_table_names_its_base_as_the_schema_says(seeds, change, where):
    # `policy.extends` (issue 10 item 5): the table of a contract; the evaluator reads it as any table
    assert Table(seeds["acme_irex"], "t.json").id == "acme_irex"
    assert where in str(_broken(seeds["acme_irex"], change))


def _bill(d, multiplier):
    d["rules"]["billing"] = [{"when": {}, "source": [{"file": "x", "line": 1}], "outside": "business",
                              "multiplier": multiplier}]


@pytest.mark.parametrize("multiplier, message", [
    (-2, "multiplier`: must be above 0"), (0, "multiplier`: must be above 0"),
    (MAX_MULTIPLIER + 0.5, f"multiplier`: must be at most {MAX_MULTIPLIER}"),
    (float("inf"), f"multiplier`: must be at most {MAX_MULTIPLIER}"),
    (float("nan"), "multiplier`: must be a finite number"), ("2", "multiplier`: expected number"),
    (True, "multiplier`: expected number"),
])
def test_multipliers_are_finite_positive_and_bounded(seeds, multiplier, message):
    assert message in str(_broken(seeds["irex"], lambda d: _bill(d, multiplier)))


def test_a_bounded_multiplier_is_used(seeds):
    data = copy.deepcopy(seeds["irex"])
    _bill(data, 1.5)
    d = Table(data).decide({"received_at": "2025-06-14T10:00:00+02:00", "plan": "standard",
                            "environment": "production", "severity": "L2"})  # a Saturday
    assert d["billing"]["multiplier"] == 1.5


@pytest.mark.parametrize("change, where, message", [
    (lambda d: d["rules"]["severity"][0].update(becomes="L9"), "rules/severity/0/becomes",
     "`L9` is not a severity of the table"),
    (lambda d: _response(d)["when"].update(plan=["gold"]), "rules/targets/first_response/0/when/plan",
     "`gold` is not a value of fact `plan`"),
    (lambda d: _response(d)["when"].update(colour=["red"]), "rules/targets/first_response/0/when/colour",
     "names a fact the table does not declare"),
    (lambda d: _response(d).update(calendar="nowhere"), "rules/targets/first_response/0/calendar",
     "calendar `nowhere` is not in `calendars`"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(to=["ceo"]), "rules/escalation/0/steps/0",
     "role `ceo` is not in `roles`"),
    (lambda d: d["calendars"]["business"]["dates"].update({"2025-02-30": []}), "calendars/business/dates/2025-02-30",
     "`2025-02-30` is not a calendar date"),
    (lambda d: d["calendars"]["business"]["dates"].update({"2300-01-01": []}), "calendars/business/dates/2300-01-01",
     "`2300-01-01` is outside the supported years 1900..2199"),
    (lambda d: d["policy"]["effective"].update({"until": "2024-01-01"}), "policy/effective",
     "`from` is after `until`"),
    (lambda d: d["calendars"]["business"]["week"].__setitem__(0, [[600, 700], [650, 800]]), "calendars/business/0",
     "intervals must be sorted, disjoint"),
    (lambda d: _response(d)["target"].update(duration="PT5H"), "rules/targets/first_response/0/target",
     "`duration` PT5H is not 240 minutes"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(after=f"PT{MAX_TARGET_MINUTES + 1}M",
                                                               after_minutes=MAX_TARGET_MINUTES, metric="first_response"),
     "rules/escalation/0/steps/0/after", f"`after` PT{MAX_TARGET_MINUTES + 1}M is not {MAX_TARGET_MINUTES} minutes"),
    (lambda d: d["rules"]["escalation"][0]["steps"][0].update(at_share=50, metric="resolution"),
     "rules/escalation/0/steps/0/metric", "metric `resolution` is not in `metrics`"),
    (lambda d: d["rules"]["targets"].update(resolution=[]), "rules/targets/resolution",
     "metric `resolution` is not in `metrics`"),
    (lambda d: d["statuses"].update(initial="new"), "statuses/initial", "`new` is not in `statuses.values`"),
    (lambda d: d["metric_order"].append("resolution"), "metric_order", "must list each metric of `metrics` once"),
    (lambda d: d["metrics"]["first_response"].update(pause=["waiting"]), "metrics/first_response/pause",
     "status `waiting` is not in `statuses.values`"),
    (lambda d: d["metrics"]["first_response"]["stop"].append({"event": "status", "to": ["archived"]}),
     "metrics/first_response/stop/1", "status `archived` is not in `statuses.values`"),
    (lambda d: d["metrics"]["first_response"].update(after="first_response"), "metrics/first_response/after",
     "`first_response` is not a metric listed before `first_response` in `metric_order`"),
    (lambda d: _response(d).update(target={"kind": "period", "period": "P7D", "days": 1}),
     "rules/targets/first_response/0/target", "`period` P7D is not 1 days"),
])
def test_cross_references_the_schema_cannot_express(seeds, change, where, message):
    exc = _broken(seeds["irex"], change)
    assert f"is inconsistent at `{where}`: {message}" in str(exc) and exc.beyond_schema


def test_too_many_calendar_dates(seeds):
    def many(d):
        d["calendars"]["business"]["dates"] = {f"k{i}": [] for i in range(MAX_CALENDAR_DATES + 1)}
    assert f"more than {MAX_CALENDAR_DATES} entries" in str(_broken(seeds["irex"], many))


def test_the_seed_tables_pass(seeds):
    for data in seeds.values():
        Table(data)


# ---- reading the file -------------------------------------------------------------------

def test_a_table_larger_than_the_limit_is_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(table_module, "MAX_TABLE_BYTES", 1000)
    p = tmp_path / "big.json"
    p.write_text(" " * 5000 + "{}")
    with pytest.raises(TableError, match="is larger than the limit of 1000 bytes"):
        load(p)


@pytest.mark.parametrize("make", ["fifo", "device", "directory"])
def test_only_regular_files_are_read(tmp_path, make):
    p = tmp_path / "t.json"
    if make == "fifo":
        os.mkfifo(p)  # opened without a writer: must not hang
    elif make == "device":
        p.symlink_to("/dev/zero")  # must not read without end
    else:
        p.mkdir()
    with pytest.raises(TableError, match="not a regular file"):
        load(p)


@pytest.mark.parametrize("text", ['{"schema_version": NaN}', '{"a": Infinity}', '[-Infinity]'])
def test_nan_and_infinity_are_not_json(tmp_path, text):
    p = tmp_path / "t.json"
    p.write_text(text)
    with pytest.raises(TableError, match="is not valid JSON: `.*Infinity|NaN` is not JSON"):
        load(p)


def test_a_deeply_nested_table(tmp_path):
    p = tmp_path / "t.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(TableError, match="nests too deeply"):
        load(p)


def test_a_table_that_is_not_utf8(tmp_path):
    p = tmp_path / "t.json"
    p.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(TableError, match="is not valid JSON"):
        load(p)


def test_a_duration_with_a_final_newline_is_read_as_the_schema_reads_it(seeds):
    # Found by the fuzzer: the schema's `$` (Python's re.search) allows a final newline,
    # and the delay check crashed on it. The table is as valid as the schema says.
    data = copy.deepcopy(seeds["irex"])
    data["rules"]["escalation"][0]["steps"][0].update(after="PT30M\n", after_minutes=30, metric="first_response")
    Table(data)
