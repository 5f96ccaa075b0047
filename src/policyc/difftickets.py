"""`policyc diff --tickets`: each ticket of a JSON Lines file answered by both tables, and
what moves: a metric's due instant (by a signed duration), the severity, support, or
whether the ticket is answered at all."""

from __future__ import annotations

from datetime import datetime, timedelta

from .diffinput import DiffInputError
from .evaluator import PolicyError
from .evaluator.cli import MAX_LINE_BYTES
from .evaluator.facts import strict_json
from .evaluator.table import Table
from .source import printable


def moves(old: dict, new: dict, path: str) -> dict:
    """{"total": tickets read, "moved": [{"line", "changes"}], "refused": by both tables}:
    lines numbered as `policyc eval --batch` numbers them, blank lines counted."""
    t_old, t_new = Table(old), Table(new)
    moved, total, refused = [], 0, 0
    for number, value in _tickets(path):
        total += 1
        a, b = _answer(t_old, value), _answer(t_new, value)
        if isinstance(a, str) and isinstance(b, str):
            refused += 1
            continue
        changes = _changes(a, b)
        if changes:
            moved.append({"line": number, "changes": changes})
    return {"total": total, "moved": moved, "refused": refused}


def _tickets(path: str):
    """(line number, JSON object) per non-blank line; DiffInputError for a line that is
    not one (a ticket that a table refuses is an answer, not bad input)."""
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise DiffInputError(f"cannot read `{printable(path)}`: {exc.strerror or exc}") from None
    with stream:
        number = 0
        while True:
            line = stream.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            where = f"`{printable(path)}` line {number}"
            if len(line) > MAX_LINE_BYTES:
                raise DiffInputError(f"{where} is longer than the limit of {MAX_LINE_BYTES} bytes")
            if not line.strip():
                continue
            try:
                value = strict_json(line.decode("utf-8"))
            except (ValueError, RecursionError) as exc:
                raise DiffInputError(f"{where} is not a JSON object: {exc}") from None
            if not isinstance(value, dict):
                raise DiffInputError(f"{where} is not a JSON object (a ticket or its facts)")
            yield number, value


def _answer(table: Table, value: dict):
    """The decision, or the message of a refusal (as `policyc eval --batch` reads a line)."""
    try:
        return table.evaluate(value) if "events" in value else table.decide(value)
    except PolicyError as exc:
        return str(exc)


def _changes(a, b) -> list:
    if isinstance(a, str) or isinstance(b, str):
        if a == b:
            return []
        return [{"what": "answer", "old": _said(a), "new": _said(b), "by": None}]
    out = []
    for m in dict.fromkeys(list(a["metrics"]) + list(b["metrics"])):
        do, dn = a["metrics"].get(m, []), b["metrics"].get(m, [])
        for i in range(max(len(do), len(dn))):
            old = do[i]["due"] if i < len(do) else None
            new = dn[i]["due"] if i < len(dn) else None
            if old != new:
                what = f"`{m}` due" + (f" (occurrence {i + 1})" if max(len(do), len(dn)) > 1 else "")
                by = signed(_instant(new) - _instant(old)) if old and new else None
                out.append({"what": what, "old": old, "new": new, "by": by})
    for key in ("severity", "supported"):
        if a.get(key) != b.get(key):
            out.append({"what": key, "old": a.get(key), "new": b.get(key), "by": None})
    return out


def _said(answer) -> str:
    return f"refused ({answer})" if isinstance(answer, str) else "answered"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def signed(delta: timedelta) -> str:
    """`+2h`, `-1d 4h`, `+30m`, `+1d 5m`: the zero parts left out."""
    seconds = int(delta.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return sign + (" ".join(parts) or "0m")
