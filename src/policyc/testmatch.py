"""How a test case's `expect` matches an answer: partially, instants as instants,
amounts of time by value.

Objects match when every key given matches (the answer may hold more); lists match
item by item and must have the same length, so `metrics: {next_response: [...]}`
states how many occurrences there are while each occurrence is itself partial.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal

# Keys whose values are instants: equal when they name the same instant, whatever offset.
INSTANT_KEYS = {"due", "work_at", "received_at", "start", "stop", "breached_at", "at", "now"}
# Keys whose values are amounts of counted time (ISO 8601): PT60M is PT1H.
AMOUNT_KEYS = {"elapsed", "paused"}

# An amount is days, hours, minutes and seconds (a fraction on the seconds only). Years
# and months have no fixed length, so they are not amounts. Digits are bounded so a
# hostile file cannot make the reader build a huge number.
_AMOUNT = re.compile(r"P(?:(\d{1,20})D)?(?:T(?:(\d{1,20})H)?(?:(\d{1,20})M)?(?:(\d{1,20}(?:\.\d{1,9})?)S)?)?")


def compare(expected, got, path: str = "", key: str | None = None) -> list[str]:
    """Differences where `got` does not contain what `expected` states."""
    if isinstance(expected, dict):
        return _compare_object(expected, got, path)
    if isinstance(expected, list):
        return _compare_list(expected, got, path)
    if isinstance(expected, str) and isinstance(got, str):
        same = _same_value(key, expected, got)
        if same is not None:
            return [] if same else [f"{path}: expected {expected}{_shown(key, expected)}, got {got}"]
    if expected != got or isinstance(expected, bool) != isinstance(got, bool):
        return [f"{path or 'answer'}: expected {_json(expected)}, got {_json(got)}"]
    return []


def _compare_object(expected: dict, got, path: str) -> list[str]:
    if not isinstance(got, dict):
        return [f"{path or 'decision'}: expected an object, got {_json(got)}"]
    out = []
    for key, value in expected.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in got:
            out.append(f"{where}: expected {_json(value)}, got nothing")
        else:
            out.extend(compare(value, got[key], where, key))
    return out


def _compare_list(expected: list, got, path: str) -> list[str]:
    if not isinstance(got, list):
        return [f"{path}: expected a list, got {_json(got)}"]
    if len(expected) != len(got):
        return [f"{path}: expected {len(expected)} item{'s' * (len(expected) != 1)}, "
                f"got {len(got)}: {_json(got)}"]
    return [p for i, (e, g) in enumerate(zip(expected, got)) for p in compare(e, g, f"{path}[{i}]")]


def _same_value(key, expected: str, got: str) -> bool | None:
    """Whether two texts under `key` mean the same instant or amount; None when the key
    is neither kind or a text does not parse (then they compare as written)."""
    parse = instant if key in INSTANT_KEYS else amount if key in AMOUNT_KEYS else None
    if parse is None:
        return None
    a, b = parse(expected), parse(got)
    return None if a is None or b is None else a == b


def instant(value: str) -> datetime | None:
    """An RFC 3339 instant with its offset, or None."""
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


def amount(value: str) -> Decimal | None:
    """An ISO 8601 duration as seconds (a day counts 24 hours), or None."""
    m = _AMOUNT.fullmatch(value)
    if m is None or value in ("P", "PT") or value.endswith("T"):
        return None
    days, hours, minutes, seconds = (Decimal(g or 0) for g in m.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _shown(key, expected: str) -> str:
    """The expected instant in UTC, to read beside an answer written in `Z`."""
    t = instant(expected) if key in INSTANT_KEYS else None
    return f" ({t.astimezone(timezone.utc).isoformat().replace('+00:00', 'Z')})" if t is not None else ""


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
