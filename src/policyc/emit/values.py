"""Values as the table writes them: ISO 8601 durations and labels by language."""

from __future__ import annotations

from .. import ast


def iso_duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else "")


def text(t: ast.Text | None, langs: list[str]) -> dict | None:
    if t is None:
        return None
    out = {langs[0]: t.default}
    out.update((lang.value, s) for lang, s in t.translations)
    return out
