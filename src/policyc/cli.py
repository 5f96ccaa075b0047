"""The `policyc` command: one function per subcommand.

Exit codes: 0 clean, 1 findings or stale output, 2 usage or input errors.
Findings (diagnostics, test results, decisions) go to standard output in every format;
what the run did or why it stopped (`wrote ...`, stale tables) goes to standard error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from . import __version__
from .diagnostics import report
from .source import printable

EXIT_CODES = """\
exit codes:
  0  clean{clean}
  1  {findings}
  2  usage or input error: a path that does not exist or cannot be read, {input}"""


def _epilog(clean: str = "", findings: str = "an error (or, with --strict, a warning)", input: str = "") -> str:
    return _codes(clean=clean, findings=findings, input=input or "no policy in the paths given")


def _codes(**parts) -> str:
    """The exit-code table, each entry wrapped under its number."""
    lines = EXIT_CODES.format(**parts).split("\n")
    return "\n".join(textwrap.fill(line, 88, subsequent_indent=" " * 5) for line in lines)


def _describe(text: str) -> str:
    return textwrap.fill(text, 88)


class _Formatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown after each argument; the epilog (exit codes) kept as written."""

    def _get_help_string(self, action):
        if action.default in (None, False):  # a flag, or an option with no default: nothing to show
            return action.help
        text = super()._get_help_string(action)
        if isinstance(action.default, list):  # `(default: policies)`, not `['policies']`
            text = text.replace("%(default)s", " ".join(action.default))
        return text


def _compile(args):
    """Compile the paths; the Result, with E011 when they hold no policy."""
    from .compiler import SchemaViolation, compile_paths, require_policies

    try:
        result = compile_paths(args.paths)
    except SchemaViolation as exc:
        print(f"policyc: {exc}", file=sys.stderr)
        raise SystemExit(1)
    require_policies(result, args.paths)
    return result


def cmd_compile(args) -> int:
    from .emit.write import OutputError, write_all

    result = _compile(args)
    report(result.diagnostics, result.sources, args.format, stream=sys.stdout)
    status = result.status(args.strict)
    if status:
        return status
    out = Path(args.out)
    try:
        if args.check:
            return _check(result, out, args)
        for line in write_all(out, result.outputs(), result.scope()):
            print(f"policyc: {line}", file=sys.stderr)
    except OutputError as exc:
        print(f"policyc: {exc}", file=sys.stderr)
        return 2
    return 0


def _check(result, out: Path, args) -> int:
    from .emit.write import stale

    problems = stale(out, result.outputs(), result.scope())
    for p in problems:
        print(f"policyc: {p}", file=sys.stderr)
    if not problems:
        return 0
    fix = printable(" ".join(["policyc", "compile", *args.paths, "--out", args.out]))
    print(f"policyc: generated tables are stale; run `{fix}`", file=sys.stderr)
    return 1


def cmd_check(args) -> int:
    if args.explain is not None:  # a question about a code, not about the paths
        from .explain_codes import explain

        return explain(args.explain, sys.stdout, sys.stderr)
    result = _compile(args)
    report(result.diagnostics, result.sources, args.format, stream=sys.stdout)
    if args.explain_rules:
        from .explain import explain

        for version, ctx in result.contexts:
            dates = f", tickets created {version.label()}" if version is not None else ""
            print(f"policy `{ctx.model.policy.id.value}`{dates}: which rule overrides which")
            for line in explain(ctx, result.sources):
                print(line)
    return result.status(args.strict)


def cmd_eval(args) -> int:
    from .evaluator import PolicyError, load
    from .evaluator.cli import evaluate

    try:
        table = load(args.table)
    except PolicyError as exc:
        print(f"policyc: {exc}", file=sys.stderr)
        return 2
    return evaluate(table, args.facts, args.batch, sys.stdin, sys.stdout, sys.stderr, args.ticket)


def cmd_explain(args) -> int:
    from .explain_text import run

    return run(args.table, args.facts, args.ticket, args.format, sys.stdin, sys.stdout, sys.stderr)


def cmd_graph(args) -> int:
    from .graphview import render

    result = _compile(argparse.Namespace(paths=[args.policy]))
    if result.status():  # a broken policy: its findings, and no graph
        report(result.diagnostics, result.sources, "text", stream=sys.stdout)
        return result.status()
    policies = {ctx.model.policy.id.value for _, ctx in result.contexts}
    if len(policies) != 1:
        print(f"policyc: `{printable(args.policy)}` holds {len(policies)} policies; "
              "name one policy file", file=sys.stderr)
        return 2
    version, ctx = _version_on(result.contexts, args.on)
    if version is not None:  # a dated policy: one graph per version, this one shown
        print(f"policyc: policy `{ctx.model.policy.id.value}` has {len(result.contexts)} versions; this is "
              f"the one for tickets created {version.label()} (choose with --on DATE)", file=sys.stderr)
    sys.stdout.write(render(ctx.g, result.sources, args.format))
    return 0


def cmd_fmt(args) -> int:
    from .fmt import run

    return run(args.paths, args.check, args.diff, sys.stdout, sys.stderr)


def cmd_diff(args) -> int:
    from .diffreport import run

    return run(args.old, args.new, args.tickets, args.format, sys.stdout, sys.stderr)


def cmd_doc(args) -> int:
    from .doc_cli import run

    return run(args.policy, args.lang, args.format, args.out, sys.stdout, sys.stderr)


def _date_arg(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{printable(text)}` is not a date (YYYY-MM-DD)") from None


def _version_on(contexts: list, day):
    """The (version, context) in force on `day` (default: the latest), of one policy's."""
    if day is None or contexts[0][0] is None:
        return contexts[-1]
    return next(((v, c) for v, c in reversed(contexts) if v.first <= day), contexts[0])


def cmd_test(args) -> int:
    from .testing import run_tests

    return run_tests(args.paths, args.tables, sys.stdout, args.format, sys.stderr)


def _paths(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("paths", nargs="*", default=["policies"], metavar="PATH",
                   help=f"{what} (a folder is searched for *.policy, links to folders not followed)")


def _formats(p: argparse.ArgumentParser, choices=("text", "json", "github")) -> None:
    p.add_argument("--format", choices=choices, default="text",
                   help="findings for people (text), for programs (json: an array on standard output)"
                   + (", or as GitHub review annotations (github)" if "github" in choices else ""))


def _strict(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="treat warnings as errors: exit 1 and write nothing")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="policyc", formatter_class=_Formatter,
        description="Compile technical-support policies into checked, portable JSON decision tables.",
        epilog="Run `policyc COMMAND --help` for a command's arguments and exit codes.")
    ap.add_argument("--version", action="version", version=f"policyc {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("compile", help="compile policies into decision tables", formatter_class=_Formatter,
                       description=_describe("Check the policies and write one table per policy, plus the schema, into "
                                   "--out; only what changed is written, each table atomically. A table is "
                                   "removed only when its policy came from the paths compiled and is gone."),
                       epilog=_epilog(findings="an error (or, with --strict, a warning); with --check, a stale, "
                                               "missing or leftover output", input="an --out that is not a folder"))
    _paths(p, "policy files and folders to compile")
    p.add_argument("--out", default="generated", metavar="DIR", help="the folder the tables are written to")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 naming each output that is stale, missing or left over")
    _strict(p)
    _formats(p)
    p.set_defaults(run=cmd_compile)

    p = sub.add_parser("check", help="check policies and report findings", formatter_class=_Formatter,
                       description=_describe("Check the policies and print every finding as path:line:col."),
                       epilog=_epilog(input="no policy in the paths given, an unknown code for --explain"))
    _paths(p, "policy files and folders to check")
    _strict(p)
    _formats(p)
    p.add_argument("--explain-rules", action="store_true",
                   help="also print which rule overrides which (more specific, or an exception), with file:line")
    p.add_argument("--explain", metavar="CODE", default=None,
                   help="print what a diagnostic code (such as E302) means, a policy that gives it and the "
                        "fix, and check nothing (docs/diagnostics.md lists them all)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("eval", help="decide for one ticket (--facts) or a JSON Lines batch (--batch)",
                       formatter_class=_Formatter,
                       description=_describe("Decide for tickets with a compiled table: one JSON decision on standard "
                                   "output for --facts, one JSON line per input line for --batch (an "
                                   "`{\"error\": ..., \"line\": N}` object for a ticket that is refused)."),
                       epilog=_codes(clean=": every ticket decided", findings="(not used)",
                                     input="an unreadable table or a refused ticket"))
    p.add_argument("table", metavar="TABLE", help="a compiled table, such as generated/irex.json")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--facts", metavar="JSON", help="one ticket's facts as a JSON object")
    group.add_argument("--ticket", metavar="FILE", help="one ticket (facts, events, now) as a JSON file "
                       "('-' for standard input)")
    group.add_argument("--batch", metavar="FILE", help="JSON Lines of tickets or facts ('-' for standard input)")
    p.set_defaults(run=cmd_eval)

    p = sub.add_parser("explain", help="explain one ticket's decision, part by part, traced to the policy lines",
                       formatter_class=_Formatter,
                       description=_describe(
                           "Explain the decision `policyc eval` gives for one ticket: its severity, support, "
                           "each metric's occurrences (target, calendar, due), escalation and billing, each "
                           "traced to the policy lines that decided it (file:line and the comment above), what "
                           "each rule overrode and why, the version of a dated policy that answered, and how "
                           "the due instant was reached (the open intervals counted, the days skipped, the "
                           "pauses). The policy files are looked for beside the table's folder and in the "
                           "current directory; without them the answer is explained from the table alone. "
                           "--format json is the structure documented in docs/explain.md."),
                       epilog=_codes(clean=": the decision explained", findings="(not used)",
                                     input="an unreadable table, or facts or a ticket the table refuses "
                                           "(as `policyc eval`)"))
    p.add_argument("table", metavar="TABLE", help="a compiled table, such as generated/irex.json")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--facts", metavar="JSON", help="one ticket's facts as a JSON object")
    group.add_argument("--ticket", metavar="FILE", help="one ticket (facts, events, now) as a JSON file "
                       "('-' for standard input)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text for a person, or JSON for tools (docs/explain.md)")
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("test", help="run the policy test cases (<id>.tests.yaml)", formatter_class=_Formatter,
                       description=_describe(
                           "Run the test cases of the policies named: for a folder every *.tests.yaml under it, "
                           "for a policy file its <id>.tests.yaml beside it, or a test file itself (with the "
                           "policy beside it)."),
                       epilog=_epilog(clean=": every case passed",
                                      findings="a failing case, or a policy that does not compile",
                                      input="an unreadable test file, a --tables folder that does not exist"))
    _paths(p, "policy files, test files (*.tests.yaml) and folders")
    p.add_argument("--tables", default=None, metavar="DIR",
                   help="test the compiled tables in this folder instead of compiling the policies afresh")
    _formats(p, ("text", "json"))
    p.set_defaults(run=cmd_test)

    p = sub.add_parser("graph", help="print a policy's definitions and references as a DOT or Mermaid graph",
                       formatter_class=_Formatter,
                       description=_describe(
                           "Print the intermediate graph of one policy for a reviewer: each definition it can "
                           "see as a node (`calendar business`, `value plan.premier`, rules as `rule @ "
                           "file:line`), each reference as an edge labelled by its kind, in sorted order. "
                           "Render it with `dot -Tsvg` or in a Markdown ```mermaid block."),
                       epilog=_epilog(clean=": the graph printed",
                                      findings="the policy has an error: its findings are printed, no graph",
                                      input="a path holding no policy or more than one"))
    p.add_argument("policy", metavar="POLICY", help="one policy file, such as policies/irex.policy")
    p.add_argument("--format", choices=("dot", "mermaid"), default="dot",
                   help="Graphviz DOT, or a Mermaid flowchart")
    p.add_argument("--on", metavar="DATE", type=_date_arg,
                   help="for a dated policy, the version in force on this date (YYYY-MM-DD; default: the latest)")
    p.set_defaults(run=cmd_graph)

    p = sub.add_parser("fmt", help="put policy files in the canonical layout", formatter_class=_Formatter,
                       description=_describe(
                           "Rewrite each policy file in the canonical layout (two-space blocks, one statement "
                           "a line, target tables aligned in columns), comments kept where they stand; nothing "
                           "is reordered. Each file is replaced atomically, and only if it parses and its "
                           "meaning is unchanged. A file with a syntax error is reported and left as it is."),
                       epilog=_epilog(clean=": every file formatted (with --check or --diff: already formatted)",
                                      findings="a file has a syntax error, or with --check or --diff, a file is "
                                               "not formatted",
                                      input="an unreadable file, no policy file in the paths given"))
    _paths(p, "policy files and folders to format")
    p.add_argument("--check", action="store_true",
                   help="write nothing; print each file that is not formatted and exit 1 if any")
    p.add_argument("--diff", action="store_true",
                   help="write nothing; print a unified diff of the changes and exit 1 if any")
    p.set_defaults(run=cmd_fmt)

    p = sub.add_parser("diff", help="what changes for tickets between two versions of a policy",
                       formatter_class=_Formatter,
                       description=_describe(
                           "Compile two versions of a policy and print what changes for tickets, not for the "
                           "text: each target, calendar, guarantee, escalation, billing, severity or support "
                           "rule that differs, on which combinations of facts (`when plan is premier and "
                           "severity is L2: 2h -> 3h`); calendars whose zone, weekly hours or dates differ; "
                           "the policy's dates; for a dated policy, each period of ticket creation. With "
                           "--tickets, each ticket answered by both and what moves: due instants (by how "
                           "much), severity, support."),
                       epilog=_codes(clean=": no difference for tickets", findings="differences found (as `diff`)",
                                     input="an unknown revision or a path not at that revision, a policy "
                                           "that does not compile "
                                           "(its findings are printed), a --tickets line that is not a "
                                           "JSON object"))
    p.add_argument("old", metavar="OLD", help="the old policy: a file, or REV:path at a git revision "
                   "(such as HEAD~1:policies/irex.policy; the file's folder is read at that revision)")
    p.add_argument("new", metavar="NEW", help="the new policy, as OLD")
    p.add_argument("--tickets", metavar="FILE", help="JSON Lines of tickets or facts (as `policyc eval "
                   "--batch` reads them) to answer with both versions")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="for people (text), for programs (json), or GitHub Actions notices on the NEW "
                        "policy's lines (github)")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("doc", help="write a policy as a document for people (Markdown or HTML)",
                       formatter_class=_Formatter,
                       description=_describe(
                           "Compile one policy and write it as a document in one of its languages: title, "
                           "version and dates, plans and other facts, severities with their impact, the "
                           "targets as tables (per metric, severities as columns), coverage per calendar "
                           "(the week and its dates per year), escalation chains in order, the service "
                           "catalogue. HTML is one self-contained page (inline CSS and SVG, no script)."),
                       epilog=_epilog(clean=": the document written",
                                      findings="the policy has an error: its findings are printed, no document",
                                      input="a path that is not one policy file, a language the policy has "
                                            "no labels in, an --out that cannot be written"))
    p.add_argument("policy", metavar="POLICY", help="one policy file, such as policies/irex.policy")
    p.add_argument("--lang", metavar="LANG", help="one of the policy's `languages` (default: its first)")
    p.add_argument("--format", choices=("md", "html"), default="md", help="Markdown, or one HTML page")
    p.add_argument("--out", metavar="FILE", help="write the document to FILE (default: standard output)")
    p.set_defaults(run=cmd_doc)
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
