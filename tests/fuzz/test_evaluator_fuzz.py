"""Fuzz the evaluator: mutated seed tables, random facts, hostile batch lines.

- The evaluator's table check accepts exactly the tables the published JSON Schema
  accepts, except the documented cross-references (TableError.beyond_schema), and a
  table it accepts never crashes `decide`.
- Random facts on the seed tables give a decision or a PolicyError, never a traceback.
- `policyc eval --batch` answers every non-blank line in order, as valid UTF-8 JSON.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.evaluator import PolicyError, Table, TableError, load
from policyc.evaluator.cli import evaluate

from seed_tables import seed, seed_path

from .budget import examples

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "src" / "policyc" / "schema" / "policy-table.schema.json").read_text())
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
SEEDS = {name: seed(name) for name in ("irex", "hydra", "navixy")}
# calendars across zones (`parts`, `windows`): no seed has one, the conformance table does
SEEDS["cross_zone"] = json.loads((ROOT / "conformance" / "tables" / "cross_zone.json").read_text())
# fact defaults and a restricted severity level: no seed has them, this conformance table does
SEEDS["defaults"] = json.loads((ROOT / "conformance" / "tables" / "defaults.json").read_text())
# tickets with no support (`rules.support`, issue 10): no seed has one either
SEEDS["entitlement"] = json.loads((ROOT / "conformance" / "tables" / "entitlement.json").read_text())
# a dated policy (`versions` in place of `rules`, calendars per version; issue 10)
SEEDS["versions"] = json.loads((ROOT / "conformance" / "tables" / "versions.json").read_text())
# a contract's table (`policy.extends`, issue 10): ACME's contract on IREX
SEEDS["acme_irex"] = json.loads((ROOT / "generated" / "acme_irex.json").read_text())
TABLES = {name: Table(data) for name, data in SEEDS.items()}

# values a mutation may put anywhere: near the bounds, of every JSON type, or ones that
# are valid somewhere else in a table
SPECIAL = [None, True, False, 0, 1, -1, 7, 59, 60, 1439, 1440, 1441, 1000, 1000.5, 1.5, 0.0, 1e308, 10 ** 30,
           5270400, 5270401, 1899, 1900, 2199, 2200, "", "L1", "L9", "normal", "business", "business_hours",
           "working_days", "support", "ceo", "always", "never", "start", "end", "duration", "none",
           "next_business_day", "PT1H", "PT", "PT90M", "1h", "2025-01-01", "2025-02-30", "2300-01-01",
           "Europe/Paris", "UTC+05:45", "Mars/Olympus", "en", "en\n", "email", "phone", "notify",
           "included", "hourly", "mon", [], {}, [0, 1440], [[0, 1440]], ["L1"], {"en": "x"},
           {"file": "x", "line": 1}, [{"file": "x", "line": 1}], {"kind": "none"},
           {"kind": "duration", "duration": "PT1H", "minutes": 60}, {"received_within": "business"},
           # targets in business days (issue 9): the kind, its edges and its bound
           {"kind": "business_days", "days": 2, "edge": "same_time"}, "business_days", "same_time", 2600, 2601]
JSON = st.recursive(st.none() | st.booleans() | st.integers(-10 ** 6, 10 ** 6) |
                    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=6)
VALUES = st.sampled_from(SPECIAL) | JSON


def _strings(node, out):
    if isinstance(node, str):
        out.add(node)
    for value in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
        _strings(value, out)
    return out


STRINGS = sorted(set().union(*(_strings(t, set()) for t in SEEDS.values())) | {k for t in SEEDS.values() for k in t})


def _similar(value):
    """A value of the same JSON type, often valid somewhere in a seed table."""
    if isinstance(value, bool) or value is None:
        return st.sampled_from([None, True, False])
    if isinstance(value, (int, float)):
        return st.sampled_from([v for v in SPECIAL if type(v) in (int, float)]) | \
            st.integers(-2, 2).map(lambda d: value + d)
    if isinstance(value, str):
        return st.sampled_from(STRINGS)
    if isinstance(value, list):
        return st.just(value[:-1]) | st.just(value + value[-1:]) | st.just(value[::-1])
    return st.just({k: v for k, v in list(value.items())[1:]}) | st.just(dict(reversed(list(value.items()))))


TEXTS = {"label", "labels", "title", "description", "impact", "detail", "closed"}


def _slots(node, out, texts=True):
    """Every (container, key) in a JSON value (not inside texts unless `texts`)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        out.append((node, key))
        if texts or key not in TEXTS:
            _slots(value, out, texts)
    return out


@st.composite
def _slot(draw, table):
    """A (container, key) of the table, reached by a random walk from the root, so that
    every level of the structure is chosen about as often (not mostly the long lists)."""
    node, slot = table, None
    while isinstance(node, (dict, list)) and node and (slot is None or draw(st.integers(0, 2))):
        key = draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        node, slot = node[key], (node, key)
    return slot


@st.composite
def mutated_tables(draw):
    table = copy.deepcopy(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 3))):
        parent, key = draw(_slot(table))
        op = draw(st.sampled_from(["drop", "replace", "similar", "similar", "add"]))
        if op == "drop":
            del parent[key]
        elif op == "similar":
            parent[key] = draw(_similar(parent[key]))
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "L1", "2025-05-01", "en", key]))] = copy.deepcopy(draw(VALUES))
        else:  # a copy: SPECIAL's lists and dicts are shared, and a later mutation must not change them
            parent[key] = copy.deepcopy(draw(VALUES))
    return table


INSTANTS = st.sampled_from(["2025-06-13T18:30:00+02:00", "2025-12-31T23:59:59Z", "2026-03-29T02:30:00+01:00",
                            "2027-12-30T20:00:00+03:00", "2024-01-01T00:00:00Z", "2025-06-13T18:30:00",
                            "2025-06-13", "x", "2031-01-01T00:00:00Z", "1900-01-01T00:00:00Z",
                            "2199-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"]) | \
    st.datetimes(min_value=__import__("datetime").datetime(2023, 6, 1),
                 max_value=__import__("datetime").datetime(2028, 6, 1)).map(lambda t: t.isoformat() + "Z")


@st.composite
def facts_for(draw, table: Table):
    names = [*table.fact_values, "received_at", "work_at", "plann", ""]
    facts = {}
    for name in draw(st.lists(st.sampled_from(names), max_size=6, unique=True)):
        known = table.fact_values.get(name, [])
        pool = INSTANTS if name in ("received_at", "work_at") else st.sampled_from(known or ["?"])
        facts[name] = draw(pool | VALUES) if draw(st.integers(0, 4)) == 0 else draw(pool)
    if draw(st.booleans()):
        facts.setdefault("received_at", draw(INSTANTS))
    return facts


@st.composite
def tickets_for(draw, table: Table):
    """A ticket, mostly well formed: facts, events of every type (some hostile), `now`."""
    facts = draw(facts_for(table))
    facts.pop("received_at", None)
    types = ["created", "customer_message", "agent_message", "status", "facts", "closed", None]
    events = []
    for i in range(draw(st.integers(0, 6))):
        kind = "created" if i == 0 and draw(st.integers(0, 5)) else draw(st.sampled_from(types))
        event = {"at": draw(INSTANTS), "type": kind}
        if kind == "status":
            event["status"] = draw(st.sampled_from([*table.statuses, "gone"]) | VALUES)
        elif kind == "facts":
            event["facts"] = draw(facts_for(table))
        elif kind is None or draw(st.integers(0, 9)) == 0:
            event[draw(st.sampled_from(["x", "status", "facts"]))] = draw(VALUES)
        events.append(event)
    if draw(st.integers(0, 3)):
        events.sort(key=lambda e: str(e["at"]))
    ticket = {"facts": facts, "events": events}
    if draw(st.booleans()):
        ticket["now"] = draw(INSTANTS)
    return ticket


def _decide_or_refuse(table: Table, facts) -> None:
    try:
        decision = table.evaluate(facts) if isinstance(facts, dict) and "events" in facts else table.decide(facts)
    except PolicyError as exc:
        str(exc).encode("utf-8")  # a message is always valid UTF-8
        return
    json.dumps(decision, allow_nan=False).encode("utf-8")


@settings(max_examples=examples(150), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_table_check_agrees_with_the_schema(data):
    table = data.draw(mutated_tables())
    schema_ok = VALIDATOR.is_valid(table)
    try:
        loaded = Table(table, "fuzzed.json")
    except TableError as exc:
        # a table the schema refuses is refused; one it accepts only for a documented reason
        assert not schema_ok or exc.beyond_schema, f"schema accepts, evaluator refuses: {exc}"
        return
    assert schema_ok, "evaluator accepts a table the schema refuses: " + \
        "; ".join(e.message for e in VALIDATOR.iter_errors(table))[:500]
    for _ in range(3):
        _decide_or_refuse(loaded, data.draw(facts_for(loaded) | tickets_for(loaded)))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_facts_decide_or_refuse(data):
    table = TABLES[data.draw(st.sampled_from(sorted(TABLES)))]
    _decide_or_refuse(table, data.draw(facts_for(table) | tickets_for(table) | VALUES))


LINES = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\xff\xfe", b"[" * 5000, b"{" * 3000, b'{"plan": "\\ud800"}', b"1e999999", b"9" * 5000,
                     b'{"received_at": "\\udfff"}', b"NaN", b"-Infinity", b"\xed\xa0\x80", b"null", b'"x"']),
    st.builds(lambda t, f: json.dumps(f, ensure_ascii=bool(t)).encode("utf-8", "surrogatepass"),
              st.booleans(), facts_for(TABLES["irex"]) | tickets_for(TABLES["navixy"])),
).map(lambda line: line.replace(b"\n", b" ").replace(b"\r", b" "))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(LINES, min_size=1, max_size=8))
def test_batch_answers_every_line_in_order(lines):
    stdin = io.TextIOWrapper(io.BytesIO(b"\n".join(lines)), encoding="utf-8")
    out = io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    evaluate(TABLES["irex"], None, "-", stdin, stdout, io.StringIO())
    answers = [json.loads(line) for line in out.getvalue().decode("utf-8").splitlines()]
    numbered = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert len(answers) == len(numbered)
    for n, answer in zip(numbered, answers):
        assert answer.get("line", n) == n


def _small_table():
    """irex.json cut down and given what it lacks (holidays, dates, billing, delays), so
    that a sweep over every value of it covers every part of the schema cheaply."""
    table = copy.deepcopy(SEEDS["irex"])
    table["services"] = dict(list(table["services"].items())[:1])
    russia = copy.deepcopy(SEEDS["hydra"]["holidays"]["russia"])
    russia["closed"] = dict(list(russia["closed"].items())[:1])
    russia["working"] = dict(list(russia["working"].items())[:1])
    table["holidays"] = {"russia": russia}
    table["calendars"]["business"].update(dates={"2025-05-01": [], "2025-05-03": [[480, 960]]},
                                          valid={"from": "2025-01-01", "until": "2027-12-31"})
    table["rules"]["billing"] = [{"when": {"plan": ["premier"]}, "source": [{"file": "x", "line": 1}],
                                  "outside": "business", "multiplier": 1.5}]
    rules = table["rules"]
    response = rules["targets"]["first_response"][2:5]  # a duration, a next business day, another calendar
    response[2]["guarantee"] = {"received_within": "weekend"}
    rules["targets"] = {"first_response": response, "update": [
        dict(response[0], target={"kind": "period", "period": "P7D", "days": 7}),
        dict(response[1], target={"kind": "best_effort"})]}
    rules["escalation"] = rules["escalation"][:1]
    rules["support"] = [{"when": {"severity": ["L4"]}, "supported": False, "reason": {"en": "Forum only"},
                         "see": "https://forum.example.com", "source": [{"file": "x", "line": 4}]},
                        {"when": {"severity": ["L3"]}, "supported": False, "reason": None, "see": None,
                         "source": [{"file": "x", "line": 5}]}]
    steps = rules["escalation"][0]["steps"]
    steps[0].update(after="PT30M", after_minutes=30, metric="first_response")
    steps[1:] = [dict(steps[0], at_share=50, metric="update")]
    del steps[1]["after"], steps[1]["after_minutes"]
    table["statuses"] = {"values": ["open", "waiting", "solved"], "initial": "open",
                         "labels": {"open": {"en": "Open"}}, "source": {"file": "x", "line": 2}}
    table["metrics"]["update"] = {
        "label": {"en": "Update"}, "start": [{"event": "status", "to": ["open"]}],
        "stop": [{"event": "agent_message"}, {"event": "status", "from": ["waiting"]}],
        "restart": [{"event": "customer_message"}], "after": "first_response", "pause": ["waiting"],
        "repeat_while": ["open"], "on_facts_change": "restart", "source": {"file": "x", "line": 3}}
    table["metric_order"] = ["first_response", "update"]
    for fact in table["facts"].values():
        fact.pop("description", None)
        fact.pop("impact", None)
    for name in ("weekend", "business+weekend"):
        table["calendars"][name]["week"] = [[], [], [], [], [], [[0, 1440]], []]
    return table


def _sweep_values(value):
    """Values next to `value`: null, wrong types, bounds, one item more or less."""
    if isinstance(value, bool) or value is None:
        return [None, 0]
    if isinstance(value, (int, float)):
        return [None, 0, value + 1, value + 0.5, 10 ** 30, str(value)]
    if isinstance(value, str):
        return [None, "", value + "\n", "x"]
    if isinstance(value, list):
        return [None, [], value + value[-1:]] if value else [None, [""]]
    return [None, {}, dict(value, extra=1)]


def _agree(table, what: str) -> None:
    schema_ok = VALIDATOR.is_valid(table)
    try:
        Table(table)
        assert schema_ok, f"{what}: evaluator accepts what the schema refuses"
    except TableError as exc:
        assert not schema_ok or exc.beyond_schema, f"{what}: {exc}"


def test_every_value_of_a_small_table_mutated_in_turn_agrees():
    """Deterministic sweep: each value of a small table dropped, nulled and moved to its bounds."""
    assert _sweep(_small_table()) > 800  # the sweep really ran


def test_every_value_of_a_table_following_the_customer_mutated_in_turn_agrees():
    """The same sweep over a calendar whose zone, holidays and hours come from facts
    (conformance/tables/local.json: zone and region facts, `of` regions, cases)."""
    table = json.loads((ROOT / "conformance" / "tables" / "local.json").read_text(encoding="utf-8"))
    assert _sweep(table) > 400


def test_every_value_of_a_table_with_defaults_mutated_in_turn_agrees():
    """The same sweep over facts with a `default` and a value restricted by `only`
    (conformance/tables/defaults.json)."""
    table = json.loads((ROOT / "conformance" / "tables" / "defaults.json").read_text(encoding="utf-8"))
    assert _sweep(table) > 400


def _sweep(table) -> int:
    """Mutate each value of `table` in turn (then restore it); the number of mutations."""
    _agree(table, "the small table")
    count = 0
    for parent, key in _slots(table, [], texts=False):
        old = parent[key]
        for new in _sweep_values(old):
            parent[key] = new
            _agree(table, f"{key!r} = {new!r}")
            count += 1
        if isinstance(parent, dict):
            items = list(parent.items())
            del parent[key]
            _agree(table, f"{key!r} dropped")
            parent.clear()
            parent.update(items)
        parent[key] = old
    return count


def test_subprocess_batch_of_fuzzed_lines(tmp_path):
    import subprocess
    import sys

    lines = [json.dumps({"received_at": "2025-06-13T18:30:00+02:00", "plan": "premier", "environment": "production",
                         "severity": "L1"}).encode(), b"\xff\xfe", b"[" * 5000, b'{"plan": "\\ud800"}', b"{}"] * 50
    out = subprocess.run([sys.executable, "-m", "policyc.cli", "eval", str(seed_path("irex")), "--batch", "-"],
                         input=b"\n".join(lines), capture_output=True, cwd=ROOT)
    assert b"Traceback" not in out.stderr and out.returncode == 2
    answers = [json.loads(x) for x in out.stdout.decode("utf-8").splitlines()]
    assert len(answers) == len(lines)
    assert [a.get("line") for a in answers] == [None if n % 5 == 1 else n for n in range(1, len(lines) + 1)]
    assert load(seed_path("irex"))  # the table itself is untouched
