"""How `policyc diff` compares and words the answers of a table: targets, calendars,
escalation steps, billing, severity rules, support; hours, dates and periods."""

from __future__ import annotations

import json
from typing import Callable, NamedTuple

from .source import printable

UNKNOWN = "unknown"  # the comparable answer for a ticket a table does not know (never JSON)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Aspect(NamedTuple):
    """What of a row is compared (`pick`, None for no row) and how it is worded."""

    pick: Callable
    word: Callable
    missing: str  # the answer when no row matches

    def key(self, row: dict) -> str:
        """A comparable form of the row's answer (canonical JSON)."""
        return json.dumps(self.pick(row), sort_keys=True)

    def text(self, key: str | None) -> str:
        if key == UNKNOWN:
            return "no such ticket"
        return self.missing if key is None else self.word(json.loads(key))


def calendar_base(name: str) -> str:
    """`hours` for `hours@2026-07-01`: the calendar a dated policy renamed per version."""
    return name.split("@", 1)[0]


def span(minutes: int) -> str:
    """`2h`, `1h 30m`, `45m`, `0m`."""
    h, m = divmod(minutes, 60)
    return " ".join(p for p in (f"{h}h" if h else "", f"{m}m" if m else "") if p) or "0m"


def target(t: dict) -> str:
    kind = t["kind"]
    if kind == "duration":
        return span(t["minutes"])
    if kind == "business_days":
        days = f"{t['days']} business day" + ("s" if t["days"] != 1 else "")
        return days if t["edge"] == "same_time" else f"{days} ({t['edge']})"
    if kind == "next_business_day":
        return "next business day" + (" (start)" if t["edge"] == "start" else "")
    if kind == "period":
        return t.get("period", "period")
    if kind == "none":
        return "no target"
    return json.dumps(t, sort_keys=True)


def guarantee(g) -> str:
    if isinstance(g, dict) and "received_within" in g:
        return f"if received within `{g['received_within']}`"
    return g if isinstance(g, str) else json.dumps(g, sort_keys=True)


def _guarantee_pick(row: dict):
    g = row["guarantee"]
    if isinstance(g, dict) and "received_within" in g:
        return {**g, "received_within": calendar_base(g["received_within"])}
    return g


def step(s: dict) -> str:
    """`phone senior_support cc lead after 1h of first_response`."""
    text = f"{s['channel']} {', '.join(s['to'])}"
    if s.get("cc"):
        text += f" cc {', '.join(s['cc'])}"
    if "after_minutes" in s:
        text += f" after {span(s['after_minutes'])} of {s['metric']}"
    if "at_share" in s:
        text += f" at {s['at_share']}% of {s['metric']}"
    return text


def support(payload: dict) -> str:
    if payload.get("supported", True):
        return "supported"
    see = payload.get("see")
    return "no support" + (f" (see {printable(see)})" if see else "")  # the policy's text: one line


ASPECTS = {
    "target": (
        ("target", Aspect(lambda r: r["target"], target, "no rule")),
        ("calendar", Aspect(lambda r: calendar_base(r["calendar"]), lambda c: f"`{c}`", "no rule")),
        ("guarantee", Aspect(_guarantee_pick, guarantee, "no rule")),
    ),
    "severity": Aspect(lambda r: r["becomes"], lambda s: f"becomes {s}", "as given"),
    "escalation": Aspect(lambda r: r["steps"], lambda steps: "; ".join(map(step, steps)) or "none", "none"),
    "billing": Aspect(lambda r: {"outside": r["outside"], "multiplier": r["multiplier"]},
                      lambda b: f"x{b['multiplier']} outside `{b['outside']}`", "x1"),
    "support": Aspect(lambda r: {k: v for k, v in r.items() if k not in ("when", "source")}, support, "supported"),
}


def describe_hours(intervals) -> str:
    """`08:00-12:00, 14:00-18:00`, or `closed`."""
    return ", ".join(f"{_clock(a)}-{_clock(b)}" for a, b in intervals) or "closed"


def describe_weekdays(days: list) -> str:
    """`mon..fri`, `mon, wed, sat..sun`: runs of weekdays (indices, ascending) as the language writes them."""
    runs: list = []
    for d in days:
        if runs and runs[-1][1] == d - 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return ", ".join(WEEKDAYS[a] if a == b else f"{WEEKDAYS[a]}..{WEEKDAYS[b]}" for a, b in runs)


def describe_dates(intervals) -> str:
    """A dated override: None is the usual hours of its weekday."""
    if intervals is None:
        return "usual hours"
    return "closed" if not intervals else "open " + describe_hours(intervals)


def describe_period(first, last) -> str:
    return f"{first} .. {last if last is not None else 'open-ended'}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
