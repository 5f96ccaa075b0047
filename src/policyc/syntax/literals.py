"""Numbers, durations and dates read from tokens, within the bounds a table may hold.

Digits are counted before they are converted: Python refuses to turn more than 4,300
of them into an int, and a policy may hold a 5,000-digit duration. Every bound comes
from `evaluator/limits.py`, so that a table that compiles always loads.
"""

from __future__ import annotations

import datetime as dt
import re

from lark import Token

from .. import ast
from ..diagnostics import error, shorten
from ..evaluator.limits import MAX_MULTIPLIER, MAX_TARGET_MINUTES, MAX_YEAR, MIN_YEAR

_LONGEST = "ten years"  # MAX_TARGET_MINUTES in words, for messages


class Literals:
    """Readers of literal tokens for the lowerer; each reports what is out of bounds to `self.diags`."""

    def date(self, tok: Token) -> dt.date | None:
        try:
            d = dt.date.fromisoformat(str(tok))
        except ValueError:
            self.diags.append(error("E210", f"`{tok}` is not a date", self.span(tok),
                                    "write dates as YYYY-MM-DD"))
            return None
        if not MIN_YEAR <= d.year <= MAX_YEAR:
            self.diags.append(error("E210", f"`{tok}` is outside the years policyc supports", self.span(tok),
                                    f"dates run from {MIN_YEAR} to {MAX_YEAR}"))
            return None
        return d

    def year(self, tok: Token) -> int | None:
        """A year of a `national` range, in MIN_YEAR..MAX_YEAR (a longer literal is never read)."""
        text = str(tok)
        if len(text) > 4 or not MIN_YEAR <= int(text) <= MAX_YEAR:
            self.diags.append(error("E210", f"year `{shorten(text)}` is outside the years policyc supports",
                                    self.span(tok), f"years run from {MIN_YEAR} to {MAX_YEAR}"))
            return None
        return int(text)

    def duration(self, tok: Token) -> ast.Duration:
        """A duration of at most MAX_TARGET_MINUTES; a longer one is reported and read as that."""
        m = re.fullmatch(r"(?:([0-9]+)h)?(?:([0-9]+)min)?", str(tok))
        hours, minutes = m.group(1) or "0", m.group(2) or "0"
        # Count digits before int(): Python refuses to convert more than 4,300 of them.
        limit = len(str(MAX_TARGET_MINUTES))
        total = (int(hours) * 60 + int(minutes)) if max(len(hours), len(minutes)) <= limit else None
        if total is None or total > MAX_TARGET_MINUTES:
            self.diags.append(error("E309", f"duration `{shorten(str(tok))}` is longer than {_LONGEST}",
                                    self.span(tok), f"targets, delays and estimates are at most {_LONGEST} "
                                    f"({MAX_TARGET_MINUTES // 60}h)"))
            total = MAX_TARGET_MINUTES
        return ast.Duration(total, self.span(tok))

    def share(self, tok: Token) -> int:
        """A percentage; its range is checked with the step (E309), but a long one is never read."""
        digits = str(tok)[:-1]
        if len(digits) > 4:
            self.diags.append(error("E309", f"a step at {shorten(digits)}% of the target", self.span(tok),
                                    "shares run from 1% to 100%"))
            return 100
        return int(digits)

    def multiplier(self, tok: Token) -> str:
        """The digits of `1.5x`, finite and at most MAX_MULTIPLIER (zero is checked with the rule)."""
        text = str(tok)[:-1]
        whole = text.split(".")[0].lstrip("0")
        if len(whole) > len(str(MAX_MULTIPLIER)) or float(text) > MAX_MULTIPLIER:
            self.diags.append(error("E309", f"rate multiplier `{shorten(text)}x` is above {MAX_MULTIPLIER}x",
                                    self.span(tok), f"multipliers run above 0x up to {MAX_MULTIPLIER}x"))
            return "1"
        return text

