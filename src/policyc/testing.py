"""`policyc test`: run `<id>.tests.yaml` cases against the compiled tables.

Each case gives facts and the part of the decision it expects (or an `error` it
expects); timestamps compare as instants. A failing case shows expected vs got.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from .evaluator import PolicyError, Table, load

INSTANT_KEYS = {"due", "work_at", "received_at"}


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: `2025-06-13T10:00:00` stays the string written."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Outcome:
    file: str
    line: int
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def _instant(value):
    try:
        t = datetime.fromisoformat(value)
        return t if t.tzinfo else None
    except (TypeError, ValueError):
        return None


def compare(expected, got, path: str = "") -> list[str]:
    """Differences where `got` does not contain what `expected` states."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{path or 'decision'}: expected an object, got {json.dumps(got)}"]
        out = []
        for key, value in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in got:
                out.append(f"{where}: expected {json.dumps(value, ensure_ascii=False)}, got nothing")
            else:
                out.extend(compare(value, got[key], where))
        return out
    if path.rsplit(".", 1)[-1] in INSTANT_KEYS and isinstance(expected, str) and isinstance(got, str):
        a, b = _instant(expected), _instant(got)
        if a is not None and b is not None:
            return [] if a == b else [f"{path}: expected {expected} ({_z(a)}), got {got}"]
    if expected != got or type(expected) is bool and type(got) is not bool:
        return [f"{path}: expected {json.dumps(expected, ensure_ascii=False)}, "
                f"got {json.dumps(got, ensure_ascii=False)}"]
    return []


def _z(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _case_lines(text: str) -> list[int]:
    """1-based line of each item of `cases`, for messages."""
    root = yaml.compose(text, Loader=_Loader)
    for key, value in getattr(root, "value", []):
        if getattr(key, "value", None) == "cases" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def run_case(table: Table, case: dict, file: str, line: int) -> Outcome:
    out = Outcome(file, line, str(case.get("name", f"case at line {line}")))
    if not isinstance(case.get("facts"), dict) or ("expect" in case) == ("error" in case):
        out.problems.append("a case needs `facts` and exactly one of `expect` or `error`")
        return out
    try:
        decision = table.decide(case["facts"])
    except PolicyError as exc:
        if "error" not in case:
            out.problems.append(f"unexpected error: {exc}")
        elif str(case["error"]) not in str(exc):
            out.problems.append(f"error: expected a message containing {case['error']!r}, got {str(exc)!r}")
        return out
    if "error" in case:
        out.problems.append(f"expected an error containing {case['error']!r}, got a decision")
    else:
        out.problems.extend(compare(case["expect"], decision))
    return out


def run_file(path: Path, tables: dict[str, Table], shown: str) -> list[Outcome]:
    try:
        text = path.read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=_Loader)
        lines = _case_lines(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [Outcome(shown, 1, "(file)", [f"cannot read test file: {exc}"])]
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        return [Outcome(shown, 1, "(file)", ["a test file is a mapping with `policy` and a list of `cases`"])]
    table = tables.get(doc.get("policy"))
    if table is None:
        return [Outcome(shown, 1, "(file)", [f"no compiled policy `{doc.get('policy')}`"])]
    return [run_case(table, case if isinstance(case, dict) else {}, shown, lines[i] if i < len(lines) else 1)
            for i, case in enumerate(doc["cases"])]


def _tables(paths: list[str], tables_dir: str | None, stdout) -> dict[str, Table] | None:
    if tables_dir is not None:
        found = {}
        for p in sorted(Path(tables_dir).glob("*.json")):
            if p.name.endswith(".schema.json"):
                continue
            t = load(p)
            found[t.id] = t
        return found
    from .compiler import compile_paths
    from .diagnostics import report

    result = compile_paths(paths)
    if result.errors:
        report(result.diagnostics, result.sources, stream=stdout)
        return None
    return {pid: Table(data, f"{pid} (compiled)") for pid, data in result.tables.items()}


def run_tests(paths: list[str], tables_dir: str | None, stdout, fmt: str = "text") -> int:
    """Exit 0 when every case passes, 1 on a failing case, 2 when policies do not compile."""
    files = sorted({f for p in paths for f in (Path(p).rglob("*.tests.yaml") if Path(p).is_dir()
                                                 else [Path(p)] if p.endswith(".tests.yaml") else [])})
    try:
        tables = _tables(paths, tables_dir, stdout)
    except PolicyError as exc:
        stdout.write(f"policyc: {exc}\n")
        return 2
    if tables is None:
        return 2
    outcomes = [o for f in files for o in run_file(f, tables, f.as_posix())]
    if fmt == "json":
        json.dump([{"file": o.file, "line": o.line, "name": o.name, "passed": o.passed, "problems": o.problems}
                   for o in outcomes], stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
    else:
        for o in outcomes:
            if not o.passed:
                stdout.write(f"FAIL {o.file}:{o.line}: {o.name}\n")
                stdout.writelines(f"    {p}\n" for p in o.problems)
        failed = sum(not o.passed for o in outcomes)
        stdout.write(f"policyc: {len(outcomes) - failed} passed, {failed} failed\n")
    if not outcomes:
        stdout.write("policyc: no test cases found (policies/<id>.tests.yaml)\n")
        return 1
    return 0 if all(o.passed for o in outcomes) else 1
