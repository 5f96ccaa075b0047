"""The `policyc` command: one function per subcommand.

Exit codes: 0 clean, 1 findings or stale output, 2 usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import report

INPUT_ERRORS = {"E002", "E003", "E008"}  # the input could not be read at all: exit 2


def _compile(paths):
    from .compiler import SchemaViolation, compile_paths

    try:
        return compile_paths(paths)
    except SchemaViolation as exc:
        print(f"policyc: {exc}", file=sys.stderr)
        raise SystemExit(1)


def _status(result) -> int:
    if any(d.code in INPUT_ERRORS for d in result.diagnostics):
        return 2
    return 1 if result.errors else 0


def cmd_compile(args) -> int:
    from .emit.write import stale, write_all

    result = _compile(args.paths)
    report(result.diagnostics, result.sources, args.format)
    status = _status(result)
    if status:
        return status
    out = Path(args.out)
    outputs = result.outputs()
    if args.check:
        problems = stale(out, outputs)
        for p in problems:
            print(f"policyc: {p}", file=sys.stderr)
        if problems:
            fix = " ".join(["policyc", "compile", *args.paths, "--out", args.out])
            print(f"policyc: generated tables are stale; run `{fix}`", file=sys.stderr)
            return 1
        return 0
    for line in write_all(out, outputs):
        print(f"policyc: {line}", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    result = _compile(args.paths)
    report(result.diagnostics, result.sources, args.format, stream=sys.stdout)
    return _status(result)


def cmd_eval(args) -> int:
    from .evaluator import PolicyError, load
    from .evaluator.cli import evaluate

    try:
        table = load(args.table)
    except PolicyError as exc:
        print(f"policyc: {exc}", file=sys.stderr)
        return 2
    return evaluate(table, args.facts, args.batch, sys.stdin, sys.stdout, sys.stderr)


def cmd_test(args) -> int:
    from .testing import run_tests

    return run_tests(args.paths, args.tables, sys.stdout, args.format)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="policyc", description="Compile support policies into decision tables.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def formats(p):
        p.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="diagnostics for people, for machines, or for GitHub review annotations")

    p = sub.add_parser("compile", help="compile policies into generated/ tables")
    p.add_argument("paths", nargs="*", default=["policies"], metavar="PATHS")
    p.add_argument("--out", default="generated", metavar="DIR")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if an output is stale or missing")
    formats(p)
    p.set_defaults(run=cmd_compile)

    p = sub.add_parser("check", help="check policies and report findings")
    p.add_argument("paths", nargs="*", default=["policies"], metavar="PATHS")
    formats(p)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("eval", help="decide for one ticket (--facts) or a JSON Lines batch (--batch)")
    p.add_argument("table", metavar="TABLE")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--facts", metavar="JSON", help="one ticket's facts as a JSON object")
    group.add_argument("--batch", metavar="FILE", help="JSON Lines of facts ('-' for standard input)")
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("test", help="run the policy test cases (<id>.tests.yaml)")
    p.add_argument("paths", nargs="*", default=["policies"], metavar="PATHS")
    p.add_argument("--tables", default=None, metavar="DIR",
                   help="test these compiled tables instead of compiling the policies afresh")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_test)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
