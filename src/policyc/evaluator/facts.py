"""Reading input strictly (JSON per RFC 8259, instants per RFC 3339 within the supported years)
and echoing it safely in messages."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from .errors import CoverageError, FactError
from .limits import MAX_YEAR, MIN_YEAR

UTC = timezone.utc
EARLIEST = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
AFTER_LATEST = datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC)
RANGE = f"{MIN_YEAR}-01-01T00:00:00Z .. {MAX_YEAR}-12-31T23:59:59Z"
_ECHO = 80  # characters of a refused value shown in a message

# RFC 3339 section 5.6 `date-time`; ABNF strings are case-insensitive, so `t` and `z`
# are allowed too. Digits are ASCII ([0-9], not \d, which matches any Unicode digit).
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))?")
# The shape nearly every input has (upper-case `T` and `Z`, an offset in range): it is
# RFC 3339 as it stands, read by fromisoformat without the general path's checks. It
# only ever accepts what the general path accepts; anything else goes that way.
_COMMON = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])")
_EXAMPLE = "e.g. `2025-06-13T10:00:00+02:00` or `2025-06-13T08:00:00Z`"


def _refuse_constant(name: str):
    raise ValueError(f"`{name}` is not JSON")


def strict_json(text):
    """json.loads without the NaN and Infinity that RFC 8259 does not have."""
    return json.loads(text, parse_constant=_refuse_constant)


def shown(value, limit: int = _ECHO) -> str:
    """A refused input as text for a message: printable, valid UTF-8, bounded in length."""
    text = value if isinstance(value, str) else _dumps(value)
    # json escapes control characters and lone surrogates; strip its quotes again
    text = json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _dumps(value) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):  # an int too long to print, a deep list
        return f"a {type(value).__name__}"


def parse_instant(name: str, value, what: str = "fact") -> datetime:
    """An RFC 3339 timestamp with an offset, inside the supported years; FactError otherwise.

    `what` names the kind of input in messages (`fact`, `ticket key`, `event key`)."""
    if value.__class__ is str and _COMMON.fullmatch(value):
        try:
            t = datetime.fromisoformat(value)
        except ValueError:  # a day or an hour out of range: the general path says which
            pass
        else:
            if EARLIEST <= t < AFTER_LATEST:
                return t
    if not isinstance(value, str):
        raise FactError(f"{what} `{name}` must be an RFC 3339 timestamp string, "
                        f"not {type(value).__name__} ({_EXAMPLE})")
    m = _RFC3339.fullmatch(value)
    if m is None:
        raise FactError(f"{what} `{name}` is not an RFC 3339 timestamp: `{shown(value)}`; "
                        f"expected YYYY-MM-DDTHH:MM:SS[.fraction] with `Z` or `+HH:MM`, {_EXAMPLE}")
    if m.group(8) is None and m.group(9) is None:
        raise FactError(f"{what} `{name}` `{shown(value)}` has no UTC offset; "
                        f"write e.g. `{shown(value)}Z` or `{shown(value)}+02:00`")
    try:
        if m.group(9) is not None and (int(m.group(10)) > 23 or int(m.group(11)) > 59):
            raise ValueError("offset out of range")
        # the text is RFC 3339 now, which fromisoformat reads (in upper case)
        t = datetime.fromisoformat(value.upper())
    except ValueError as exc:
        raise FactError(f"{what} `{name}` is not a valid RFC 3339 timestamp: `{shown(value)}` ({exc})") from None
    # compared as instants: the difference of two aware datetimes never overflows
    if not EARLIEST <= t < AFTER_LATEST:
        raise CoverageError(f"{what} `{name}` `{shown(value)}` is outside the supported instants {RANGE}")
    return t
