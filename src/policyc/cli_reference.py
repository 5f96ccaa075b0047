"""docs/cli.md, the CLI reference, generated from the argparse parser of `policyc.cli`.

`python -m policyc.cli_reference docs/cli.md` writes it; with `--check` it says whether
the file is up to date (tests/authoring/test_cli_reference.py checks the same), so the
reference never drifts from `policyc COMMAND --help`.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from .cli import parser

WIDTH = 88  # the help is wrapped at a fixed width: the document must not depend on the terminal


def _fixed_width(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.formatter_class = functools.partial(p.formatter_class, width=WIDTH)
    return p


def subcommands(ap: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of each subcommand, in the order `policyc --help` lists them."""
    [action] = [a for a in ap._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    return [(name, helps.get(name, ""), p) for name, p in action.choices.items()]


def as_markdown() -> str:
    """The reference: `policyc --help`, then each subcommand's summary and full `--help`."""
    ap = _fixed_width(parser())
    commands = subcommands(ap)
    out = ["# Command-line reference", "",
           "<!-- generated from the argparse parser in src/policyc/cli.py by "
           "`python -m policyc.cli_reference docs/cli.md`; do not edit -->", "",
           "Each section is what `policyc COMMAND --help` prints: the arguments, their defaults "
           "and the command's exit codes. Findings and decisions go to standard output, what the "
           "run did (`wrote ...`) to standard error. The language is described in "
           "[reference.md](reference.md), the codes of findings in [diagnostics.md](diagnostics.md).",
           "", "```text", ap.format_help().rstrip("\n"), "```", ""]
    out += [f"- [`policyc {name}`](#policyc-{name}): {summary}" for name, summary, _ in commands] + [""]
    for name, summary, p in commands:
        out += [f"## policyc {name}", "", summary[:1].upper() + summary[1:] + ".", "",
                "```text", _fixed_width(p).format_help().rstrip("\n"), "```", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write the reference to the path given, or with --check say whether it is fresh."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if len(paths) != 1:
        print("usage: python -m policyc.cli_reference [--check] docs/cli.md", file=sys.stderr)
        return 2
    path, text = Path(paths[0]), as_markdown()
    if check:
        fresh = path.exists() and path.read_text(encoding="utf-8") == text
        if not fresh:
            print(f"{path} is stale; run `python -m policyc.cli_reference {path}`", file=sys.stderr)
        return 0 if fresh else 1
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
