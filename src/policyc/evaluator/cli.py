"""`policyc eval`: one ticket (--facts) or a JSON Lines batch (--batch), one code path."""

from __future__ import annotations

import json

from .errors import PolicyError
from .table import Table


def decide_json(table: Table, text: str) -> dict:
    """Parse one facts object and decide; raises PolicyError for any bad input."""
    try:
        facts = json.loads(text)
    except ValueError as exc:
        raise PolicyError(f"facts are not valid JSON: {exc}") from None
    return table.decide(facts)


def evaluate(table: Table, facts: str | None, batch: str | None, stdin, stdout, stderr) -> int:
    """Exit code 0 when every ticket was decided, 2 when any input was refused."""
    if facts is not None:
        try:
            decision = decide_json(table, facts)
        except PolicyError as exc:
            stderr.write(f"policyc: {exc}\n")
            return 2
        stdout.write(json.dumps(decision, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return 0
    try:
        stream = stdin if batch == "-" else open(batch, encoding="utf-8")
    except OSError as exc:
        stderr.write(f"policyc: cannot read `{batch}`: {exc.strerror or exc}\n")
        return 2
    status = 0
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                out = decide_json(table, line)
            except PolicyError as exc:
                out = {"error": str(exc), "line": number}
                status = 2
            except UnicodeDecodeError:
                out, status = {"error": "line is not UTF-8 text", "line": number}, 2
            stdout.write(json.dumps(out, sort_keys=True, ensure_ascii=False) + "\n")
    return status
