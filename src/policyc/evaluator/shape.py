"""The checks a table must pass before the evaluator trusts it.

The evaluator may not depend on jsonschema, so `SPEC` restates the published schema
(src/policyc/schema/policy-table.schema.json) with a few small combinators: a table
passes it exactly when it passes the schema (tests/fuzz/test_evaluator_fuzz.py
compares both on mutated tables). `check_table` then checks what a schema cannot say
(refs.py; docs/table-format.md, "Limits" and "Cross-references"); those failures are
`TableError`s with `beyond_schema` set.
"""

from __future__ import annotations

import re

from .errors import TableError
from .limits import (MAX_BUSINESS_DAYS, MAX_CALENDAR_DATES, MAX_CALENDAR_PARTS, MAX_CALENDAR_WINDOWS,
                     MAX_MULTIPLIER, MAX_TARGET_MINUTES, MAX_VERSIONS, MAX_YEAR, MIN_YEAR)
from .refs import Inconsistent, check as cross_references

MAX_PERIOD_DAYS = MAX_TARGET_MINUTES // 1440  # a period: at most the longest target

_NAMES = {dict: "object", list: "array", str: "string", int: "integer", bool: "boolean", type(None): "null"}


class _Fail(Exception):
    def __init__(self, path: str, msg: str):
        super().__init__(path, msg)
        self.path, self.msg = path, msg


def _type(value, types: tuple, path: str):
    ok = any(isinstance(value, t) and not (isinstance(value, bool) and t is not bool) for t in types)
    if not ok:
        raise _Fail(path, "expected " + " or ".join(_NAMES.get(t, "number") for t in types))
    return value


# ---- combinators: each returns a function (value, path) -> None that raises _Fail ----------

def string(pattern: str | None = None):
    rx = re.compile(pattern) if pattern else None

    def check(v, path):
        # re.search, as jsonschema does (so `$` also matches before a final newline)
        if rx is not None and not rx.search(_type(v, (str,), path)):
            raise _Fail(path, f"does not match `{pattern}`")
        _type(v, (str,), path)
    return check


def integer(lo=None, hi=None, number=False):
    def check(v, path):
        if not number:
            _type(v, (int,), path)
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _Fail(path, "expected number")
        if lo is not None and (v <= lo if number else v < lo):
            raise _Fail(path, f"must be {'above' if number else 'at least'} {lo}")
        if hi is not None and v > hi:
            raise _Fail(path, f"must be at most {hi}")
    return check


def enum(*values):
    def check(v, path):
        # JSON Schema equality: 1.0 is 1, but true is not 1
        if isinstance(v, bool) or v not in values:
            raise _Fail(path, "expected " + " or ".join(f"`{x}`" for x in values))
    return check


def boolean(v, path):
    _type(v, (bool,), path)


def array(item, lo=0, hi=None, unique=False):
    def check(v, path):
        _type(v, (list,), path)
        if len(v) < lo:
            raise _Fail(path, f"expected at least {lo} items")
        if hi is not None and len(v) > hi:
            raise _Fail(path, f"expected at most {hi} items")
        for i, x in enumerate(v):
            item(x, f"{path}/{i}")
        if unique and len(set(v)) != len(v):  # only arrays of strings are unique here
            raise _Fail(path, "items must be unique")
    return check


def pair(first, second):
    def check(v, path):
        _type(v, (list,), path)
        if len(v) != 2:
            raise _Fail(path, "expected 2 items")
        first(v[0], path + "/0")
        second(v[1], path + "/1")
    return check


def obj(required: dict, optional: dict | None = None, *, extra=None, names=None, most=None, null=False,
        least=None):
    """An object with these keys (no others unless `extra` checks them)."""
    known = {**required, **(optional or {})}

    def check(v, path):
        if null and v is None:
            return
        _type(v, (dict,), path)
        if most is not None and len(v) > most:
            raise _Fail(path, f"more than {most} entries")
        if least is not None and len(v) < least:
            raise _Fail(path, f"fewer than {least} entries")
        for key in required:
            if key not in v:
                raise _Fail(f"{path}/{key}", "missing")
        for key, x in v.items():
            if names is not None:
                names(key, f"{path}/{key}")
            spec = known.get(key, extra)
            if spec is None:
                raise _Fail(f"{path}/{key}", "unknown key")
            spec(x, f"{path}/{key}")
    return check


def either(test, first, second):
    """`first` where test(value) holds, else `second` (JSON Schema alternatives told apart)."""
    return lambda v, path: (first if test(v) else second)(v, path)


def by_kind(alternatives: dict):
    def check(v, path):
        kind = _type(v, (dict,), path).get("kind")
        if not isinstance(kind, str) or kind not in alternatives:
            raise _Fail(path + "/kind", "expected " + ", ".join(f"`{k}`" for k in alternatives))
        alternatives[kind](v, path)
    return check


def false(v, path):
    """JSON Schema's `const: false`: the boolean only (0 is not false)."""
    if v is not False:
        raise _Fail(path, "expected `false`")


def null(v, path):
    if v is not None:
        raise _Fail(path, "expected null")


# ---- the published schema ---------------------------------------------------------------

DATE = string(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DURATION = string(r"^PT([0-9]+H([0-9]+M)?|[0-9]+M)$")
STR = string()
STRINGS = array(STR)
TEXT = obj({}, extra=STR, names=string(r"^[a-z]{2,3}$"), null=True)
TEXTS = obj({}, extra=TEXT)
SOURCE = obj({"file": STR, "line": integer(1)})
SOURCES = array(SOURCE, lo=1)
WHEN = obj({}, extra=array(STR, lo=1))
INTERVALS = array(pair(integer(0, 1439), integer(1, 1440)))
NAME = string(r"^[A-Za-z_][A-Za-z0-9_]*$")
NAMES = array(NAME, lo=1, unique=True)
_STEP_KEYS = obj({"channel": enum("email", "phone", "notify"), "to": array(STR, lo=1), "cc": STRINGS},
                {"after": DURATION, "after_minutes": integer(0, MAX_TARGET_MINUTES), "at_share": integer(1, 100),
                 "metric": NAME})
# the schema's `dependencies` and `not`: a timed step is timed one way, on a named metric
_STEP_NEEDS = (("after", ("after_minutes", "metric")), ("after_minutes", ("after",)), ("at_share", ("metric",)))


def _step(v, path):
    _STEP_KEYS(v, path)
    for key, needs in _STEP_NEEDS:
        for need in needs:
            if key in v and need not in v:
                raise _Fail(f"{path}/{need}", f"missing (`{key}` needs it)")
    if "after" in v and "at_share" in v:
        raise _Fail(path, "`after` and `at_share` together")
    if "metric" in v and "after" not in v and "at_share" not in v:
        raise _Fail(f"{path}/metric", "an untimed step names no metric")


TARGET = by_kind({
    "duration": obj({"kind": STR, "duration": DURATION, "minutes": integer(1, MAX_TARGET_MINUTES)}),
    "next_business_day": obj({"kind": STR, "edge": enum("start", "end")}),
    "business_days": obj({"kind": STR, "days": integer(1, MAX_BUSINESS_DAYS),
                          "edge": enum("same_time", "start", "end")}),
    "none": obj({"kind": STR}),
    "best_effort": obj({"kind": STR}),
    "period": obj({"kind": STR, "period": string(r"^P[0-9]+D$"), "days": integer(1, MAX_PERIOD_DAYS)}),
})
TARGET_ROW = obj({"when": WHEN, "source": SOURCES, "target": TARGET, "calendar": STR,
                  "guarantee": either(lambda v: isinstance(v, str), enum("always", "never"),
                                      obj({"received_within": STR}))})
RULES = obj({
    "severity": array(obj({"when": WHEN, "source": SOURCES, "becomes": STR})),
    "targets": obj({"first_response": array(TARGET_ROW)}, extra=array(TARGET_ROW), names=NAME),
    "escalation": array(obj({"when": WHEN, "source": SOURCES, "steps": array(_step)})),
    "billing": array(obj({"when": WHEN, "source": SOURCES, "outside": STR,
                          "multiplier": integer(0, MAX_MULTIPLIER, number=True)})),
}, {
    # only when the policy has a `no support` rule
    "support": array(obj({"when": WHEN, "source": SOURCES, "supported": false, "reason": TEXT,
                          "see": either(lambda v: v is None, null, STR)})),
})
WEEK = array(INTERVALS, lo=7, hi=7)
DATES = obj({}, extra=INTERVALS, names=DATE, most=MAX_CALENDAR_DATES)
YEAR = integer(MIN_YEAR, MAX_YEAR)
_WALL = {"zone": STR, "week": WEEK, "dates": DATES, "valid": obj({"from": DATE, "until": DATE}, null=True)}
_ABOUT = {"label": TEXT, "members": STRINGS, "source": either(lambda v: v is None, null, SOURCE)}
_WEEKDAY = integer(0, 6)
_WINDOW = obj({"from": obj({"zone": STR, "weekday": _WEEKDAY, "minute": integer(0, 1439)}),
               "until": obj({"zone": STR, "weekday": either(lambda v: v is None, null, _WEEKDAY),
                             "minute": integer(0, 1439)})})
# a calendar that follows the customer (docs/table-format.md): its zone, holidays or hours from facts
REGION = obj({"closed": array(DATE)}, {"of": STR, "open": array(DATE), "working": obj(
    {}, extra=enum("mon", "tue", "wed", "thu", "fri", "sat", "sun"), names=DATE)})
REGION_HOLIDAYS = obj({"fact": NAME, "years": pair(YEAR, YEAR), "regions": obj({}, extra=REGION, least=1)})
CASE = obj({"when": WHEN}, {"zone": STR, "week": WEEK, "dates": DATES})
# told apart by `parts`, which only a calendar across zones has; any other entry is a wall
# calendar, whose zone, holidays or hours may follow the ticket's facts
CALENDAR = either(lambda v: isinstance(v, dict) and "parts" in v,
                  obj({"zone": STR, "parts": array(obj(_WALL), hi=MAX_CALENDAR_PARTS),
                       "windows": array(_WINDOW, hi=MAX_CALENDAR_WINDOWS)}, _ABOUT),
                  obj({**_WALL, "zone": either(lambda v: isinstance(v, dict), obj({"fact": NAME}), STR)},
                      {**_ABOUT, "holidays": REGION_HOLIDAYS, "cases": array(CASE)}))
PLAIN_FACT = obj({"values": array(STR, lo=1, unique=True), "label": TEXT, "labels": TEXTS},
                 {"description": TEXTS, "impact": TEXTS, "ordered": boolean, "kind": enum("regions"),
                  "default": STR, "only": obj({}, extra=WHEN)})
ZONE_FACT = obj({"kind": enum("zone"), "label": TEXT})
# the schema's if/then/else: an object whose `kind` is "zone" is a zone fact
FACT = either(lambda v: not isinstance(v, dict) or v.get("kind") == "zone", ZONE_FACT, PLAIN_FACT)
POLICY = obj({"id": string(r"^[A-Za-z_][A-Za-z0-9_]*$"), "title": TEXT, "version": STR,
              "effective": obj({"from": DATE, "until": either(lambda v: v is None, null, DATE)}),
              "languages": array(STR, lo=1), "support_languages": STRINGS, "source": SOURCE},
             {"extends": obj({"id": string(r"^[A-Za-z_][A-Za-z0-9_]*$"), "version": STR})})
HOLIDAYS = obj({"countries": STRINGS, "closed": obj({}, extra=STR),
                "working": obj({}, extra=enum("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
                "years": either(lambda v: v is None, null, pair(integer(MIN_YEAR, MAX_YEAR),
                                                                integer(MIN_YEAR, MAX_YEAR)))})
SERVICE_PART = obj({"status": enum("included", "excluded", "hourly"), "detail": TEXT},
                   {"estimate": obj({"min": DURATION, "max": DURATION}, extra=lambda v, p: None)})
SERVICE = obj({"label": TEXT, "source": SOURCE, "terms": array(obj(
    {"when": WHEN, "parts": array(SERVICE_PART, lo=1), "source": SOURCES}))})
MATCHER = either(lambda v: isinstance(v, dict) and v.get("event") == "status",
                 either(lambda v: "to" in v, obj({"event": STR, "to": NAMES}),
                        obj({"event": STR, "from": NAMES})),
                 obj({"event": enum("created", "customer_message", "agent_message", "facts")}))
SOURCE_OR_NULL = either(lambda v: v is None, null, SOURCE)
METRIC = obj({"label": TEXT, "start": array(MATCHER, lo=1), "stop": array(MATCHER, lo=1),
              "restart": array(MATCHER), "after": either(lambda v: v is None, null, NAME),
              "pause": array(NAME), "repeat_while": array(NAME), "on_facts_change": enum("keep", "restart"),
              "source": SOURCE_OR_NULL})
STATUSES = obj({"values": NAMES, "initial": NAME, "labels": obj({}, extra=TEXT),
                "source": SOURCE_OR_NULL})
_SECTIONS = {
    "schema_version": enum(2), "generator": enum("policyc"), "policy": POLICY,
    "statuses": STATUSES, "metrics": obj({"first_response": METRIC}, extra=METRIC, names=NAME),
    "metric_order": NAMES,
    "facts": obj({"severity": FACT}, extra=FACT), "calendars": obj({}, extra=CALENDAR),
    "holidays": obj({}, extra=HOLIDAYS), "roles": obj({}, extra=obj({"label": TEXT, "contacts": obj({}, extra=STR)})),
    "services": obj({}, extra=SERVICE),
}
# a dated policy's rules, one set per version (docs/table-format.md, "Versions")
VERSION = obj({"from": DATE, "until": either(lambda v: v is None, null, DATE), "source": array(SOURCE),
               "rules": RULES})
# `versions` in place of `rules`: a reader that knows no versions must refuse the table
SPEC = either(lambda v: isinstance(v, dict) and "versions" in v,
              obj({**_SECTIONS, "versions": array(VERSION, lo=2, hi=MAX_VERSIONS)}),
              obj({**_SECTIONS, "rules": RULES}))


# ---- what the schema cannot say ----------------------------------------------------------

def check_table(data, source: str, version: int) -> None:
    """Raise TableError unless `data` is a table this evaluator can trust."""
    if isinstance(data, dict) and "schema_version" in data:
        got = data["schema_version"]
        if isinstance(got, bool) or got != version:
            raise TableError(f"table `{source}` has schema_version {got!r}; this evaluator reads {version}: "
                             "recompile it with a matching policyc")
    try:
        SPEC(data, "")
    except _Fail as exc:
        raise TableError(f"table `{source}` breaks the table schema at `{exc.path.lstrip('/')}`: {exc.msg}") from None
    try:
        cross_references(data)
    except Inconsistent as exc:
        raise TableError(f"table `{source}` is inconsistent at `{exc.path}`: {exc.msg}", beyond_schema=True) from None
