"""Names: unknown references (with "did you mean"), duplicates, reserved names."""

from __future__ import annotations

from typing import Iterator

from ..ast import EVENT_WORDS
from ..diagnostics import Diagnostic, did_you_mean, error
from ..graph import names

RESERVED = {"received_at", "work_at", "severity_given"}
_KIND_WORD = {"calendar": "calendar", "holidays": "holiday set", "dimension": "dimension",
              "role": "role", "escalation": "escalation chain", "weekday": "weekday",
              "channel": "channel", "service": "service", "metric": "metric", "status": "status"}


def check_unresolved(ctx) -> Iterator[Diagnostic]:
    g = ctx.g
    for key, name, _src in g.graph["unresolved"]:
        kind = key[0]
        if kind == "value":
            dim = key[1]
            word = "severity" if dim == "severity" else f"{dim}"
            yield error("E101", f"unknown {word} `{name.value}`", name.span,
                        did_you_mean(name.value, names(g, "value", dim))
                        or f"`{dim}` has: " + ", ".join(f"`{v}`" for v in names(g, "value", dim)))
            continue
        hint = did_you_mean(name.value, names(g, kind) + (list(EVENT_WORDS) if kind == "status" else []))
        if kind == "dimension" and ("fact", name.value) in g:
            hint = (f"`{name.value}` is a time zone fact, which only a calendar reads "
                    f"(`zone from {name.value}`); no condition can test it")
        if kind == "status" and hint is None:
            hint = "statuses are " + ", ".join(f"`{s}`" for s in names(g, "status"))
        if kind == "channel":
            hint = hint or "channels are `email`, `phone` and `notify`"
        yield error("E101", f"unknown {_KIND_WORD.get(kind, kind)} `{name.value}`", name.span, hint)


def check_duplicates(ctx) -> Iterator[Diagnostic]:
    for key, span, first in ctx.g.graph["duplicates"]:
        if key[0] == "statuses":
            yield error("E102", "the statuses are declared twice", span, "keep one `statuses` block",
                        notes=(("first declared here", first),))
            continue
        if key[0] == "order":
            yield error("E315", f"dimension `{key[1]}` is ordered twice", span, "keep one `order` statement",
                        notes=(("first ordered here", first),))
            continue
        what = "value" if key[0] == "value" else _KIND_WORD.get(key[0], key[0])
        if first is None:  # a built-in name (the calendar `always`): no first definition to show
            yield error("E102", f"{what} `{key[-1]}` is built in and cannot be defined again", span,
                        "choose another name")
            continue
        yield error("E102", f"{what} `{key[-1]}` is defined twice", span, notes=(("first defined here", first),))


def check_dimensions(ctx) -> Iterator[Diagnostic]:
    policy = ctx.model.policy
    for d in ctx.model.dims:
        if d.name in RESERVED:
            yield error("E104", f"`{d.name}` is a ticket fact of its own and cannot name a dimension",
                        d.node.name.span, "choose another name")
    if "severity" not in ctx.model.dim_index:
        yield error("E105", f"policy `{policy.id.value}` declares no severities", policy.id.span,
                    "add `severities { ... }`, most severe first")
    for rule in policy.rules:
        for test in rule.condition:
            seen = set()
            for v in test.values:
                if v.value in seen:
                    yield error("E103", f"`{v.value}` is listed twice", v.span)
                seen.add(v.value)
