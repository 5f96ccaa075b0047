"""`policyc test`: run `<id>.tests.yaml` cases against the compiled tables.

Each case gives facts, or a ticket's timeline (facts, `events`, `now`), and the part of
the answer it expects (or an `error` it expects); see `testmatch` for how they match. A
failing case shows expected vs got.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import testfile
from .evaluator import PolicyError, Table, load
from .project import find_files
from .source import file_kind, printable
from .testmatch import compare


@dataclass
class Outcome:
    file: str
    line: int
    name: str
    problems: list[str] = field(default_factory=list)
    col: int = 1

    @property
    def passed(self) -> bool:
        return not self.problems


def answer(table: Table, case: dict) -> dict:
    """The answer a case asks for: a timeline (`events`, read at `now`) is evaluated as a
    ticket, facts alone are decided at `received_at`."""
    if "events" not in case:
        return table.decide(case["facts"])
    ticket = {"facts": case["facts"], "events": case["events"]}
    if "now" in case:
        ticket["now"] = case["now"]
    return table.evaluate(ticket)


def run_case(table: Table, case, file: str, line: int) -> Outcome:
    name = case.get("name") if isinstance(case, dict) else None
    out = Outcome(file, line, name if isinstance(name, str) else f"case at line {line}")
    problem = testfile.case_problem(case)
    if problem:
        out.problems.append(problem)
        return out
    try:
        decision = answer(table, case)
    except PolicyError as exc:
        if "error" not in case:
            out.problems.append(f"unexpected error: {exc}")
        elif case["error"] not in str(exc):
            out.problems.append(f"error: expected a message containing {case['error']!r}, got {str(exc)!r}")
        return out
    if "error" in case:
        out.problems.append(f"expected an error containing {case['error']!r}, got a decision")
    else:
        out.problems.extend(compare(case["expect"], decision))
    return out


def run_file(path: Path, tables: dict[str, Table], shown: str) -> list[Outcome]:
    try:
        tests = testfile.read(path)
    except testfile.TestFileError as exc:
        return [Outcome(shown, exc.line, "(file)", [str(exc)], exc.col)]
    table = tables.get(tests.policy)
    if table is None:
        return [Outcome(shown, 1, "(file)", [f"no compiled policy `{tests.policy}`"])]
    return [run_case(table, case, shown, line) for case, line in tests.cases]


def _load_tables(folder: str) -> dict[str, Table]:
    """The tables of a `--tables` folder (the schema aside); PolicyError for a bad one."""
    if not Path(folder).is_dir():
        raise PolicyError(f"`--tables {printable(folder)}` is not a folder")
    found = {}
    for p in sorted(Path(folder).glob("*.json")):
        if p.name.endswith(".schema.json"):
            continue
        try:
            mode = os.stat(p).st_mode
        except OSError as exc:  # a dangling link, a loop
            raise PolicyError(f"cannot read table `{printable(str(p))}`: {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise PolicyError(f"`{printable(str(p))}` is {file_kind(mode)}, not a table")
        t = load(p)
        found[t.id] = t
    return found


def _compiled(policy_paths: list[str], stdout, stderr, fmt: str):
    """Tables compiled from the policy paths, or an exit code after printing why not."""
    from .compiler import SchemaViolation, compile_paths, require_policies
    from .diagnostics import report

    try:
        result = compile_paths(policy_paths)
    except SchemaViolation as exc:
        stderr.write(f"policyc: {exc}\n")
        return None, 1
    require_policies(result, policy_paths)
    if result.errors:
        report(result.diagnostics, result.sources, "json" if fmt == "json" else "text", stream=stdout)
        return None, result.status()
    return result, {pid: Table(data, f"{pid} (compiled)") for pid, data in result.tables.items()}


def _shown(path: Path) -> str:
    return printable(path.as_posix())


def run_tests(paths: list[str], tables_dir: str | None, stdout, fmt: str = "text", stderr=None) -> int:
    """Exit 0 when every case passes, 1 on a failing case or a policy that does not
    compile (as `check`), 2 when an input cannot be read. Results go to `stdout`, why a
    run could not start to `stderr`."""
    stderr = stderr or sys.stderr
    policy_paths, files = plan(paths)
    result = None
    try:
        if tables_dir is not None:
            tables = _load_tables(tables_dir)
        else:
            result, tables = _compiled(policy_paths, stdout, stderr, fmt)
            if result is None:
                return tables
    except PolicyError as exc:
        stderr.write(f"policyc: {exc}\n")
        return 2
    if result is not None:
        files = _with_id_files(files, result.project, paths)
    outcomes = [o for f in files for o in run_file(f, tables, _shown(f))]
    _print(outcomes, stdout, fmt)
    if not outcomes:
        stderr.write("policyc: no test cases found (policies/<id>.tests.yaml)\n")
        return 1
    return 0 if all(o.passed for o in outcomes) else 1


def _print(outcomes: list[Outcome], stdout, fmt: str) -> None:
    if fmt == "json":
        json.dump([{"file": o.file, "line": o.line, "column": o.col, "name": o.name, "passed": o.passed,
                    "problems": o.problems} for o in outcomes], stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
        return
    for o in outcomes:
        if not o.passed:
            where = f"{o.file}:{o.line}" + (f":{o.col}" if o.name == "(file)" else "")
            stdout.write(f"FAIL {where}: {o.name}\n")
            stdout.writelines(f"    {p}\n" for p in o.problems)
    failed = sum(not o.passed for o in outcomes)
    stdout.write(f"policyc: {len(outcomes) - failed} passed, {failed} failed\n")


# ---- which policies to compile and which test files to run ----------------------------------

SUFFIX = ".tests.yaml"


def plan(paths: list[str]) -> tuple[list[str], list[Path]]:
    """The policy paths to compile and the test files to run, for the paths given.

    A folder: its policies and every *.tests.yaml under it (not through a link that
    leaves it). A policy file: itself, and `<stem>.tests.yaml` beside it. A test file:
    itself, and the policy beside it of the same name (else its folder's policies).
    """
    policies, files = [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            policies.append(p)
            real = os.path.realpath(path)
            files.extend(f for f in find_files(path, SUFFIX) if _within(f, real))
        elif p.endswith(SUFFIX):
            files.append(path)
            policy = path.with_name(path.name[:-len(SUFFIX)] + ".policy")
            policies.append(str(policy) if os.path.lexists(policy) else str(path.parent))
        else:
            policies.append(p)
            files.extend(f for f in [path.with_name(path.stem + SUFFIX)] if os.path.lexists(f))
    return policies, _unique(files)


def _within(path: Path, folder: str) -> bool:
    real = os.path.realpath(path)
    return real.startswith(folder.rstrip(os.sep) + os.sep)


def _unique(files: list[Path]) -> list[Path]:
    return sorted({os.path.realpath(f): f for f in files}.values(), key=lambda f: f.as_posix())


def _with_id_files(files: list[Path], project, paths: list[str]) -> list[Path]:
    """Add `<id>.tests.yaml` beside each policy (or contract) file named on the command line."""
    named = {project.display(Path(os.path.realpath(p))): Path(p) for p in paths
             if not p.endswith(SUFFIX) and os.path.isfile(p)}
    tables = [*project.policies(), *((c.body, shown) for c, shown in project.contracts())]
    extra = [named[shown].with_name(policy.id.value + SUFFIX) for policy, shown in tables if shown in named]
    return _unique(files + [f for f in extra if os.path.lexists(f)])
