"""The checks a table must pass before the evaluator trusts it.

The evaluator may not depend on jsonschema, so this checks by hand everything that
`decide` reads, with the JSON path of the first problem in the message. The full
published schema (generated/policy-table.schema.json) is checked by the compiler.
"""

from __future__ import annotations

from .errors import TableError

_SECTIONS = ("policy", "facts", "rules", "calendars")
_RULES = {
    "severity": {"becomes": str},
    "response": {"target": dict, "calendar": str, "guarantee": (str, dict)},
    "escalation": {"steps": list},
    "billing": {"outside": str, "multiplier": (int, float)},
}


class _Check:
    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, msg: str):
        raise TableError(f"table `{self.source}` breaks the table schema at `{path}`: {msg}")

    def kind(self, value, types, path: str):
        if not isinstance(value, types) or isinstance(value, bool) and bool not in _tuple(types):
            names = " or ".join(t.__name__ for t in _tuple(types))
            self.fail(path, f"expected {names.replace('dict', 'object').replace('list', 'array')}")
        return value

    def strings(self, value, path: str):
        for i, v in enumerate(self.kind(value, list, path)):
            self.kind(v, str, f"{path}/{i}")


def _tuple(types):
    return types if isinstance(types, tuple) else (types,)


def check_table(data, source: str, version: int) -> None:
    c = _Check(source)
    c.kind(data, dict, "")
    got = data.get("schema_version")
    if got != version:
        raise TableError(f"table `{source}` has schema_version {got!r}; this evaluator reads {version}: "
                         "recompile it with a matching policyc")
    for key in _SECTIONS:
        if key not in data:
            c.fail(key, "missing")
        c.kind(data[key], dict, key)
    c.kind(data["policy"].get("id"), str, "policy/id")
    for name, fact in data["facts"].items():
        c.kind(fact, dict, f"facts/{name}")
        c.strings(fact.get("values"), f"facts/{name}/values")
    if "severity" not in data["facts"]:
        c.fail("facts", "no `severity` fact")
    calendars = data["calendars"]
    for name, cal in calendars.items():
        c.kind(cal, dict, f"calendars/{name}")
    for aspect, fields in _RULES.items():
        rows = c.kind(data["rules"].get(aspect), list, f"rules/{aspect}")
        for i, row in enumerate(rows):
            path = f"rules/{aspect}/{i}"
            c.kind(row, dict, path)
            when = c.kind(row.get("when"), dict, path + "/when")
            for fact, values in when.items():
                if fact not in data["facts"]:
                    c.fail(f"{path}/when/{fact}", "names a fact the table does not declare")
                c.strings(values, f"{path}/when/{fact}")
            c.kind(row.get("source", []), list, path + "/source")
            for key, types in fields.items():
                c.kind(row.get(key), types, f"{path}/{key}")
            _check_row(c, aspect, row, path, calendars)


def _check_row(c: _Check, aspect: str, row: dict, path: str, calendars: dict) -> None:
    def calendar(name, where):
        if name not in calendars:
            c.fail(where, f"calendar `{name}` is not in `calendars`")

    if aspect == "response":
        t = row["target"]
        kind = t.get("kind")
        if kind == "duration":
            c.kind(t.get("duration"), str, path + "/target/duration")
            minutes = c.kind(t.get("minutes"), int, path + "/target/minutes")
            if minutes <= 0:
                c.fail(path + "/target/minutes", "must be above zero")
        elif kind == "next_business_day":
            if t.get("edge") not in ("start", "end"):
                c.fail(path + "/target/edge", "expected `start` or `end`")
        elif kind != "none":
            c.fail(path + "/target/kind", "expected `duration`, `next_business_day` or `none`")
        calendar(row["calendar"], path + "/calendar")
        g = row["guarantee"]
        if g not in ("always", "never"):
            if not isinstance(g, dict) or not isinstance(g.get("received_within"), str):
                c.fail(path + "/guarantee", "expected `always`, `never` or {received_within: CALENDAR}")
            calendar(g["received_within"], path + "/guarantee/received_within")
    elif aspect == "escalation":
        for j, step in enumerate(row["steps"]):
            where = f"{path}/steps/{j}"
            c.kind(step, dict, where)
            c.kind(step.get("channel"), str, where + "/channel")
            c.strings(step.get("to"), where + "/to")
            c.strings(step.get("cc"), where + "/cc")
    elif aspect == "billing":
        calendar(row["outside"], path + "/outside")
