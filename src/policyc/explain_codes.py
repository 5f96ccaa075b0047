"""`policyc check --explain CODE`: the long explanation of a diagnostic code.

The explanations live in one data file, `explanations.yaml` beside this module (what
each code means, a policy that gives it, the fix); `docs/diagnostics.md` is generated
from it: `python -m policyc.explain_codes docs/diagnostics.md` writes it, with `--check`
says whether it is up to date.
"""

from __future__ import annotations

import functools
import sys
import textwrap
from pathlib import Path

from .diagnostics import CODES, RETIRED, nearest

DATA = Path(__file__).resolve().parent / "explanations.yaml"
FIELDS = frozenset({"meaning", "example", "files", "trigger", "fix", "fixed", "fixed_files", "retired"})


class UnknownCode(Exception):
    """A code policyc never gave; the message names the nearest codes."""


@functools.lru_cache(maxsize=1)
def explanations() -> dict[str, dict]:
    """Code -> its entry, as the data file holds them."""
    import yaml

    with DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def known_codes() -> list[str]:
    """Every code policyc gives or once gave, sorted by number then letter (`E217`, `W217`)."""
    return sorted(set(CODES) | set(RETIRED), key=lambda c: (c[1:], c[0]))


def lookup(code: str) -> tuple[str, dict]:
    """The code as registered (any case accepted) and its entry; UnknownCode otherwise."""
    wanted = code.strip().upper()
    if wanted not in CODES and wanted not in RETIRED:
        hint = nearest(wanted, known_codes(), n=3, cutoff=0.5)
        raise UnknownCode(f"unknown diagnostic code `{code}`" + (f"; {hint}" if hint else ""))
    entry = explanations().get(wanted)
    if entry is None:  # a registered code nobody explained yet: the test names it; say so here too
        entry = {"meaning": "(no explanation written yet)"}
    return wanted, entry


def title(code: str) -> str:
    """The one line the registry gives the code (a retired code: what it meant)."""
    return CODES.get(code) or RETIRED[code]


def _block(text: str) -> str:
    return textwrap.indent(text.rstrip("\n"), "    ")


def _files(files: dict | None) -> list[str]:
    return [part for path, text in sorted((files or {}).items())
            for part in (f"With `{path}`:", "", _block(text), "")]


def kind(code: str, entry: dict) -> str:
    return "retired" if "retired" in entry else ("warning" if code.startswith("W") else "error")


def as_text(code: str, entry: dict) -> str:
    """The explanation as `policyc check --explain` prints it."""
    out = [f"{code} ({kind(code, entry)}): {title(code)}", ""]
    if "retired" in entry:
        return "\n".join(out + [entry["retired"].rstrip("\n"), ""])
    out += [entry["meaning"].rstrip("\n"), ""]
    if "example" in entry:
        out += ["For example, `policies/p.policy`:", "", _block(entry["example"]), ""] + _files(entry.get("files"))
    elif "trigger" in entry:
        out += ["How it comes about:", entry["trigger"].strip(), ""]
    if "fix" in entry:
        out += ["How to fix it:", entry["fix"].strip(), ""]
    if "fixed" in entry:
        out += ["Fixed:", "", _block(entry["fixed"]), ""] + _files(entry.get("fixed_files"))
    return "\n".join(out)


def as_markdown() -> str:
    """docs/diagnostics.md: every code's explanation under its own heading."""
    out = ["# Diagnostic codes", "",
           "<!-- generated from src/policyc/explanations.yaml by "
           "`python -m policyc.explain_codes docs/diagnostics.md`; do not edit -->", "",
           "Every finding `policyc` gives has a code: `E` for an error (no table is written), "
           "`W` for a warning (`--strict` makes it fail the run). `policyc check --explain CODE` "
           "prints the explanation below. A code is never reused: retired codes stay listed.", ""]
    out += [f"- [{c}](#{c.lower()}): {title(c)}" for c in known_codes()] + [""]
    for code in known_codes():
        _, entry = lookup(code)
        body = as_text(code, entry).partition("\n\n")[2]  # without the heading line
        out += [f"## {code}", "", f"**{title(code)}** ({kind(code, entry)})", "", _fence(body.strip("\n")), ""]
    return "\n".join(out)


def _fence(text: str) -> str:
    """Indented blocks of the text form become fenced `policy` blocks in Markdown."""
    lines, out, in_code = text.split("\n"), [], False
    for line in lines:
        code_line = line.startswith("    ") or (in_code and line == "")
        if code_line and not in_code:
            out.append("```policy")
            in_code = True
        elif not code_line and in_code:
            while out[-1] == "":
                out.pop()
            out += ["```", ""]
            in_code = False
        out.append(line[4:] if in_code else line)
    if in_code:
        while out[-1] == "":
            out.pop()
        out.append("```")
    return "\n".join(out)


def explain(code: str, out=sys.stdout, err=sys.stderr) -> int:
    """Print a code's explanation: 0, or 2 with one message for a code policyc never gave."""
    try:
        found, entry = lookup(code)
    except UnknownCode as exc:
        print(f"policyc: {exc}", file=err)
        return 2
    out.write(as_text(found, entry))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Write docs/diagnostics.md (the path given), or with --check say whether it is fresh."""
    from .generated_doc import main as write_or_check

    return write_or_check("explain_codes", as_markdown, argv)


if __name__ == "__main__":
    sys.exit(main())
