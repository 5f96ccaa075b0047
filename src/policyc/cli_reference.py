"""docs/cli.md, the CLI reference, generated from the argparse parser of `policyc.cli`.

`python -m policyc.cli_reference docs/cli.md` writes it; with `--check` it says whether
the file is up to date (tests/authoring/test_cli_reference.py checks the same), so the
reference never drifts from `policyc COMMAND --help`. The page is rendered from the
parser's arguments, not from argparse's help text, so it is the same whatever the
terminal's width or the Python version (whose argparse lays help out differently).
"""

from __future__ import annotations

import argparse
import re
import sys

from .cli import parser

_EXIT_ENTRY = re.compile(r"^  (\d+)  (.*)$")


def subcommands(ap: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of each subcommand, in the order `policyc --help` lists them."""
    [action] = [a for a in ap._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    return [(name, helps.get(name, ""), p) for name, p in action.choices.items()]


def _flat(text: str | None) -> str:
    """A help text as one line (the parser wraps descriptions for the terminal)."""
    return " ".join((text or "").split())


def _md(text: str) -> str:
    """Help text as Markdown: outside `code spans`, characters Markdown would read escaped."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # the even parts are outside backticks
        parts[i] = re.sub(r"([*<>|\[\]])", r"\\\1", parts[i])
    return "`".join(parts)


def exit_codes(p: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """(code, meaning) from the parser's epilog, whose entries `_codes` in cli.py wraps."""
    entries: list[list[str]] = []
    for line in (p.epilog or "").split("\n"):
        m = _EXIT_ENTRY.match(line)
        if m:
            entries.append([m.group(1), m.group(2)])
        elif entries and line.startswith("     "):
            entries[-1][1] += " " + line.strip()
    return [(code, meaning.lstrip(": ").strip()) for code, meaning in entries]


def _usage_word(action: argparse.Action) -> str:
    if not action.option_strings:
        word = action.metavar or action.dest
        return f"[{word} ...]" if action.nargs in ("*", "?") else word
    flag = action.option_strings[-1]
    choices = "{" + ",".join(action.choices) + "}" if action.choices else None
    value = "" if action.nargs == 0 else " " + (action.metavar or choices or action.dest.upper())
    return flag + value if action.required else f"[{flag}{value}]"


def _usage(name: str, p: argparse.ArgumentParser) -> str:
    words, grouped = [], set()
    for group in p._mutually_exclusive_groups:
        choices = " | ".join(_usage_word(a).strip("[]") for a in group._group_actions)
        words.append(f"({choices})" if group.required else f"[{choices}]")
        grouped |= set(group._group_actions)
    options = [_usage_word(a) for a in p._actions if a.option_strings and a not in grouped
               and not isinstance(a, argparse._HelpAction)]
    positionals = [_usage_word(a) for a in p._actions if not a.option_strings]
    return " ".join([f"policyc {name}", *options, *words, *positionals])


def _argument_rows(p: argparse.ArgumentParser) -> list[str]:
    rows = ["| argument | meaning | default |", "|---|---|---|"]
    for action in p._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        shown = _usage_word(action).strip("[]").removesuffix(" ...")
        default = action.default
        default = " ".join(default) if isinstance(default, list) else ("" if default in (None, False) else default)
        rows.append(f"| `{shown}` | {_md(_flat(action.help))} | {f'`{default}`' if default != '' else ''} |")
    return rows


def section(name: str, summary: str, p: argparse.ArgumentParser) -> list[str]:
    """One subcommand: usage, description, arguments, exit codes."""
    out = [f"## policyc {name}", "", _md(summary[:1].upper() + summary[1:]) + ".", "",
           "```text", _usage(name, p), "```", "", _md(_flat(p.description)), ""]
    out += _argument_rows(p) + [""]
    out += ["Exit codes:", ""] + [f"- `{code}`: {_md(meaning)}" for code, meaning in exit_codes(p)] + [""]
    return out


def as_markdown() -> str:
    """The reference: the list of subcommands, then one section each."""
    commands = subcommands(parser())
    out = ["# Command-line reference", "",
           "<!-- generated from the argparse parser in src/policyc/cli.py by "
           "`python -m policyc.cli_reference docs/cli.md`; do not edit -->", "",
           "`policyc COMMAND --help` prints the same for one command; `policyc --version` the "
           "version; `python -m policyc` is the same command. Findings and decisions go to standard "
           "output, what the run did (`wrote ...`) to standard error. The language is described in "
           "[reference.md](reference.md), the codes of findings in [diagnostics.md](diagnostics.md).", ""]
    out += [f"- [`policyc {name}`](#policyc-{name}): {_md(summary)}" for name, summary, _ in commands] + [""]
    for name, summary, p in commands:
        out += section(name, summary, p)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write docs/cli.md (the path given), or with --check say whether it is fresh."""
    from .generated_doc import main as write_or_check

    return write_or_check("cli_reference", as_markdown, argv)


if __name__ == "__main__":
    sys.exit(main())
