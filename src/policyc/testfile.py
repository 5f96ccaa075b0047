"""Read a `*.tests.yaml` file strictly: one document of plain data, checked, in one pass.

Test files come with pull requests, so they are read as hostile input: a size limit,
no anchors or aliases (a billion-laughs bomb expands nothing), no tags (`!!binary`,
`!!set`, `!!python/...`), bounded nesting, text keys, each problem one message with
its line and column. Events are turned into values by a loop, not by recursion, so
a deep flow list is refused instead of overflowing the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .source import ReadRefused, read_limited

MAX_BYTES = 16 * 1024 * 1024  # the seed files are ~20 KiB; 16 MiB is thousands of cases
MAX_DEPTH = 32  # a case nests about 6 deep (cases, case, expect, escalation, step, to)
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed: same events, faster


class _Loader(_Base):
    """YAML without implicit timestamps: `2025-06-13T10:00:00` stays the string written."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SCALARS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}


class TestFileError(Exception):
    """One problem that stops a test file from being read, with its 1-based position."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.line, self.col = line, col


@dataclass
class TestFile:
    policy: str
    cases: list[tuple[object, int]]  # each case as written, with its line


def _at(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scalar(loader, ev):
    if ev.tag not in (None, "!"):
        raise TestFileError(f"tags such as `{ev.tag}` are not allowed; write plain values", *_at(ev.start_mark))
    tag = loader.resolve(yaml.ScalarNode, ev.value, ev.implicit) if ev.tag is None else "tag:yaml.org,2002:str"
    if tag not in _SCALARS:
        return ev.value
    node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
    try:
        return loader.yaml_constructors[tag](loader, node)
    except ValueError:
        raise TestFileError(f"`{ev.value[:40]}` is not a number policyc reads", *_at(ev.start_mark)) from None


class _Builder:
    """Values from events with an explicit stack; remembers where each case starts."""

    def __init__(self):
        self.stack: list[list] = []  # [container, key waiting for its value or _NO_KEY, start mark]
        self.root = _NO_KEY
        self.at: dict[int, tuple[int, int]] = {}  # id of a mapping or list -> its line and column
        self.items: dict[int, list[int]] = {}  # id of a list -> the line of each item

    def open(self, container, ev) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise TestFileError(f"nesting deeper than {MAX_DEPTH} levels", *_at(ev.start_mark))
        self.add(container, ev)
        self.at[id(container)] = _at(ev.start_mark)
        self.stack.append([container, _NO_KEY])

    def add(self, value, ev) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top[0], list):
            top[0].append(value)
            self.items.setdefault(id(top[0]), []).append(_at(ev.start_mark)[0])
        elif top[1] is _NO_KEY:
            if not isinstance(value, str):
                shown = "a list or mapping" if isinstance(value, (list, dict)) else f"`{value}`"
                raise TestFileError(f"a key must be text, not {shown} (quote it)", *_at(ev.start_mark))
            if value in top[0]:
                raise TestFileError(f"key `{value}` given twice", *_at(ev.start_mark))
            top[1] = value
        else:
            top[0][top[1]] = value
            top[1] = _NO_KEY


_NO_KEY = object()


def parse(text: str):
    """One YAML document as plain values, and the builder that knows where each value was."""
    loader = _Loader(text)
    b, documents = _Builder(), 0
    try:
        while loader.check_event():
            ev = loader.get_event()
            if getattr(ev, "anchor", None) is not None or isinstance(ev, yaml.AliasEvent):
                raise TestFileError("anchors and aliases (`&name`, `*name`) are not allowed; repeat the value",
                                    *_at(ev.start_mark))
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise TestFileError("a test file holds one YAML document", *_at(ev.start_mark))
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if ev.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise TestFileError(f"tags such as `{ev.tag}` are not allowed; write plain values",
                                        *_at(ev.start_mark))
                b.open({} if isinstance(ev, yaml.MappingStartEvent) else [], ev)
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                b.stack.pop()
            elif isinstance(ev, yaml.ScalarEvent):
                b.add(_scalar(loader, ev), ev)
    except yaml.MarkedYAMLError as exc:
        raise TestFileError(f"not valid YAML: {exc.problem or exc.context}", *_at(exc.problem_mark)) from None
    except yaml.reader.ReaderError:  # a control character; libyaml gives a byte offset, not a mark
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        at = found.start() if found else 0
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        shown = f"character U+{ord(text[at]):04X}" if found else "a character"
        raise TestFileError(f"not valid YAML: {shown} is not allowed", line, col) from None
    except yaml.YAMLError as exc:
        raise TestFileError(f"not valid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    finally:
        loader.dispose()
    return (None if b.root is _NO_KEY else b.root), b


def read(path) -> TestFile:
    """Read and check a test file; TestFileError says what is wrong, and where."""
    try:
        text = read_limited(path, MAX_BYTES).decode("utf-8")
    except ReadRefused as exc:
        raise TestFileError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise TestFileError(f"file is not UTF-8 text (bad byte at offset {exc.start})") from None
    doc, b = parse(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        raise TestFileError("a test file is a mapping with `policy` and a list of `cases`")
    extra = sorted(set(doc) - {"policy", "cases"})
    if extra:
        raise TestFileError(f"unknown key `{extra[0]}`; a test file has `policy` and `cases`", *b.at[id(doc)])
    if not isinstance(doc.get("policy"), str):
        raise TestFileError("`policy` must be a policy id, such as `policy: irex`",
                            *b.at.get(id(doc.get("policy")), b.at[id(doc)]))
    cases = doc["cases"]
    return TestFile(doc["policy"], list(zip(cases, b.items.get(id(cases), []))))


# ---- the shape of one case ---------------------------------------------------------------------
# A malformed case fails on its own (the others still run), so these checks run per case and
# return one message, rather than refusing the file. What an event means (its order, type,
# instant, status) is the evaluator's to judge, so that cases can expect its errors.

CASE_KEYS = {"name", "source", "facts", "events", "now", "expect", "error"}
_EVENT_EXAMPLE = '`{at: "2025-06-23T09:00:00+03:00", type: created}`'


def case_problem(case) -> str | None:
    """What makes a case unusable, in one message; None when it can run."""
    if not isinstance(case, dict):
        return "a case is a mapping with `facts` and one of `expect` or `error`"
    extra = sorted(set(case) - CASE_KEYS)
    if extra:
        return (f"unknown key `{extra[0]}`; a case has `name`, `source`, `facts`, `events`, `now` "
                "and `expect` or `error`")
    if not isinstance(case.get("facts"), dict) or ("expect" in case) == ("error" in case):
        return "a case needs `facts` and exactly one of `expect` or `error`"
    for key in ("name", "source", "error"):
        if key in case and not isinstance(case[key], str):
            return f"`{key}` must be text"
    if "expect" in case and not isinstance(case["expect"], dict):
        return "`expect` must be a mapping: the part of the decision the case checks"
    return _timeline_problem(case) or _metrics_problem(case.get("expect"))


def _timeline_problem(case: dict) -> str | None:
    if "now" in case and "events" not in case:
        return "`now` reads a timeline: give `events` too (a case without events is read at `received_at`)"
    if "now" in case and not isinstance(case["now"], str):
        return '`now` must be text: the instant the clocks are read, such as `"2025-06-23T12:00:00+03:00"`'
    events = case.get("events", [])
    if not isinstance(events, list):
        return f"`events` must be a list of the ticket's events in time order, such as `- {_EVENT_EXAMPLE[1:]}"
    for i, event in enumerate(events):
        if not (isinstance(event, dict) and isinstance(event.get("at"), str) and isinstance(event.get("type"), str)):
            return f"event {i} must be a mapping with text `at` and `type`, such as {_EVENT_EXAMPLE}"
    return None


def _metrics_problem(expect) -> str | None:
    metrics = expect.get("metrics") if isinstance(expect, dict) else None
    if metrics is None:
        return None
    if not (isinstance(metrics, dict) and all(
            isinstance(occ, list) and all(isinstance(o, dict) for o in occ) for occ in metrics.values())):
        return ("`expect.metrics` maps each metric to the list of its occurrences, "
                "such as `first_response: [{state: met}]`")
    return None
