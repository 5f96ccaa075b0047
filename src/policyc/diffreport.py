"""`policyc diff OLD NEW`: compile both sides, compare, and print the differences for
tickets as text, JSON, or GitHub Actions workflow commands.

Exit codes: 0 no difference for tickets, 1 differences found (as `diff`), 2 bad input
(a side that cannot be read, a broken policy, a bad --tickets file)."""

from __future__ import annotations

import json
from dataclasses import replace

from . import diffinput, difftickets
from .diffing import compare

SCHEMA_VERSION = 1


def run(old: str, new: str, tickets: str | None, fmt: str, stdout, stderr) -> int:
    """The whole command; returns its exit code."""
    try:
        a = diffinput.load(old, fmt, stdout)
        b = diffinput.load(new, fmt, stdout)
        changes = compare(a.table, b.table, diffinput.changed_line(a, b))
        moved = difftickets.moves(a.table, b.table, tickets) if tickets is not None else None
    except diffinput.BrokenPolicy:
        return 2
    except diffinput.DiffInputError as exc:
        print(f"policyc: {exc}", file=stderr)
        return 2
    changes = [replace(c, source=b.where(c.source)) for c in changes]
    render = {"text": text, "json": as_json, "github": github}[fmt]
    stdout.write(render(a.table, b.table, changes, moved))
    return 1 if changes or (moved and moved["moved"]) else 0


def _title(old: dict, new: dict) -> str:
    a, b = old["policy"]["id"], new["policy"]["id"]
    return f"policy `{b}`" if a == b else f"policy `{a}` -> `{b}`"


def _line(c) -> str:
    when = f"when {c.when}" if c.conditions is not None else c.when
    return f"{when}: {c.old} -> {c.new}"


def text(old: dict, new: dict, changes: list, moved: dict | None) -> str:
    """For a person: changes grouped by period of ticket creation, then by aspect."""
    out = [_title(old, new)]
    period = aspect = None
    for c in changes:
        if c.period != period:
            period, aspect = c.period, None
            out.append(f"tickets created {period}:")
        indent = "  " if period is not None else ""
        if c.aspect != aspect:
            aspect = c.aspect
            out.append(f"{indent}{aspect}:")
        out.append(f"{indent}  {_line(c)}")
    if moved is not None:
        out.append(f"tickets: {len(moved['moved'])} of {moved['total']} move"
                   + (f" ({moved['refused']} refused by both tables)" if moved["refused"] else ""))
        for t in moved["moved"]:
            for m in t["changes"]:
                out.append(f"  line {t['line']}: {_move(m)}")
    n = len(changes)
    out.append(f"{n} difference{'s' if n != 1 else ''} for tickets" if n else "no difference for tickets")
    return "\n".join(out) + "\n"


def _move(m: dict) -> str:
    if m["what"] == "answer":  # `refused (why) -> answered`
        return f"{m['old']} -> {m['new']}"
    by = f" ({m['by']})" if m["by"] else ""
    return f"{m['what']} {_shown(m['old'])} -> {_shown(m['new'])}{by}"


def _shown(value) -> str:
    return {None: "none", True: "yes", False: "no"}.get(value, value) if not isinstance(value, str) else value


def as_json(old: dict, new: dict, changes: list, moved: dict | None) -> str:
    """A stable structure: sorted keys, two-space indent, a schema version."""
    doc = {"schema_version": SCHEMA_VERSION, "old": old["policy"]["id"], "new": new["policy"]["id"],
           "changes": [c.as_json() for c in changes], "differences": len(changes), "tickets": moved}
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def github(old: dict, new: dict, changes: list, moved: dict | None) -> str:
    """GitHub Actions workflow commands: a notice per change on the NEW policy line that
    causes it, and one per ticket that moves."""
    out = []
    for c in changes:
        where = f"file={_prop(c.source['file'])},line={c.source['line']}," if c.source else ""
        about = f"{c.aspect}" + (f" (tickets created {c.period})" if c.period else "")
        message = _data(f"{about}: {_line(c)}")
        out.append(f"::notice {where}title=policyc diff::{message}")
    for t in (moved or {}).get("moved", []):
        for m in t["changes"]:
            message = _data(f"ticket on line {t['line']}: {_move(m)}")
            out.append(f"::notice title=policyc diff::{message}")
    return "".join(line + "\n" for line in out)


def _data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped, as the runner reads them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    """A workflow command's property: also `:` and `,` escaped."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
