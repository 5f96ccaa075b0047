"""`policyc explain`: the evaluator's answer for a ticket, part by part, traced to the policy.

The answer is exactly `policyc eval`'s (Table.decide for facts, Table.evaluate for a
ticket). Each part (severity, support, each metric's occurrences, escalation, billing)
is shown with the policy lines its table rows name and the comment above each; what
each rule overrode (from the policy compiled afresh); for a dated table, the version
that answered and the versions it replaced; and for each occurrence how its due instant
was reached on its calendar (explain_walk). The JSON structure is docs/explain.md's.
"""

from __future__ import annotations

from datetime import datetime

from . import explain_overrides, explain_walk
from .evaluator.cli import decide_json
from .evaluator.facts import UTC, parse_instant, strict_json
from .evaluator.ticket import Event, Ticket, read_ticket, with_defaults
from .evaluator.timeline import run
from .explain_sources import Sources

FORMAT_VERSION = 1  # `explain` in the JSON output; raised when a key changes meaning


def explain(table, table_path: str, text: str, what: str) -> dict:
    """The explanation of the answer for one facts object or ticket (`what`); raises the
    evaluator's PolicyError for input it refuses, as `policyc eval` does."""
    decision = decide_json(table, text, what)
    ticket = _ticket(table, strict_json(text), what)
    v = next(i for i, ver in enumerate(table.versions) if ver.first.isoformat() == decision["in_force"]["from"])
    sources = Sources(table_path)
    ov, why_not = _overrides(table, sources, v)
    # the decision's severity, support, escalation and billing are those of the facts after the last event
    occurrences, facts, _ = run(table.metrics, ticket.facts, table.initial_status, ticket.events)
    point = _point(table, facts, v)
    parts = [_part("severity", {"severity": decision["severity"], "given": decision["severity_given"]},
                   decision["source"]["severity"], sources, _of(ov, "severity", _point(table, facts, v, True))),
             _part("support", {"supported": decision["supported"], "support": decision["support"]},
                   decision["source"]["support"], sources, _of(ov, "support", point))]
    parts += _metrics(table, decision, occurrences, v, sources, ov, ticket.now)
    parts += [_part(name, {name: decision[name]}, decision["source"][name], sources, _of(ov, name, point))
              for name in ("escalation", "billing")]
    return {"explain": FORMAT_VERSION, "table": table_path, "policy": table.id,
            "facts": dict(sorted(ticket.facts.items())), "decision": decision,
            "in_force": _in_force(table, decision, v, sources, ov), "parts": parts,
            "notes": _notes(sources, why_not, table_path)}


def _notes(sources: Sources, why_not: str | None, table_path: str) -> list[str]:
    """Why some of the explanation is missing: said once."""
    if sources.missing:
        return ["policy source not found: " + ", ".join(f"`{m}`" for m in sources.missing)
                + f" (looked beside `{table_path}` and in the current directory); explained from the table alone"]
    return [f"what each rule overrode is not shown: {why_not}"] if why_not else []


def _ticket(table, value, what: str) -> Ticket:
    """The ticket the evaluator answered, again (already checked by `decide_json`)."""
    if what == "ticket" or isinstance(value, dict) and "events" in value:
        return read_ticket(value, lambda facts, changing: None, table.statuses, table.defaults)
    received = parse_instant("received_at", value["received_at"]).astimezone(UTC)
    given, used = with_defaults({k: v for k, v in value.items() if k != "received_at"}, table.defaults)
    return Ticket(given, [Event(0, "created", received)], received, value["received_at"], used)


def _overrides(table, sources: Sources, v: int):
    """(Overrides or None, why not) for the policy file behind the table."""
    name = table.data["policy"]["source"]["file"]
    path = sources.path(name)
    if path is None:
        sources.lines(name)  # recorded as missing
        return None, None
    first = table.versions[v].first.isoformat() if "versions" in table.data else None
    return explain_overrides.load(path, name, table.id, first, "extends" in table.data["policy"])


def _point(table, facts: dict, v: int, given: bool = False) -> dict:
    """The ticket's dimension facts, with the effective severity unless `given`."""
    point = {k: facts.get(k) for k in table.facts}
    if not given and "severity" in point:
        point["severity"] = table.rules(facts, v)[0]
    return point


def _part(name: str, answer: dict, srcs: list, sources: Sources, overrode: list, **extra) -> dict:
    """One part of the answer with its policy lines and what they overrode."""
    return {"part": name, **extra, "answer": answer, "source": [sources.line(s) for s in srcs],
            "overrode": overrode}


def _of(ov, aspect: str, point: dict) -> list:
    """What the rules of an aspect overrode for the ticket (nothing known without the policy)."""
    return ov.of(aspect, point) if ov is not None else []


def _metrics(table, decision, occurrences, v: int, sources, ov, now) -> list:
    """One part per occurrence of each metric, in the decision's order (the timeline's)."""
    out = []
    for i, metric in enumerate(table.metrics):
        for k, answer in enumerate(decision["metrics"][metric.name]):
            occ = occurrences[metric.name][k]
            point = _point(table, occ.facts, v)
            row = table.rules(occ.facts, v)[2][i]
            out.append(_part("metric", {key: answer[key] for key in _SHOWN}, answer["source"], sources,
                             _of(ov, explain_overrides.metric_aspect(metric.name), point),
                             metric=metric.name, occurrence=k, guarantee=_guarantee(row),
                             walk=_walk(table, answer, occ, row, now, sources)))
    return out


def _guarantee(row) -> dict | None:
    """The row's guarantee: `always`, `never`, or `received_within` a calendar (read at the start)."""
    if row is None:
        return None
    g = row.guarantee
    if isinstance(g, dict):
        return {"rule": "received_within", "calendar": g["received_within"]}
    return {"rule": "never" if row.kind == "none" else g, "calendar": None}


_SHOWN = ("start", "target", "calendar", "guaranteed", "due", "stop", "state", "elapsed", "paused")


def _walk(table, answer: dict, occ, row, now, sources) -> dict | None:
    """The calendar walked from the occurrence's start to its due instant (or, with nothing
    due, to its end or `now`); None without a calendar, or for a period (real time)."""
    if row is None or row.kind == "period" or answer["calendar"] is None:
        return None
    end = answer["due"] or answer["stop"] or None
    end = datetime.fromisoformat(end.replace("Z", "+00:00")) if end else (occ.end or now)
    if end <= occ.start:
        return None
    cal = table.calendar(row.calendar, occ.facts)
    out = explain_walk.walk(cal, table.data, row.calendar, occ.start, end, occ.pauses, occ.facts)
    out["source"] = [sources.line(s) for s in _calendar_sources(table.data["calendars"], row.calendar)]
    return out


def _calendar_sources(calendars: dict, name: str) -> list[dict]:
    """The policy lines defining a calendar: its own, or its members' for a union (`a + b`)."""
    entry = calendars.get(name) or {}
    if entry.get("source"):
        return [entry["source"]]
    return [calendars[m]["source"] for m in entry.get("members", ()) if (calendars.get(m) or {}).get("source")]


def _in_force(table, decision, v: int, sources: Sources, ov) -> dict:
    """The version that answered; for a dated table, every version and its dated lines."""
    out = dict(decision["in_force"], dated=("versions" in table.data))
    if out["dated"]:
        versions = table.data["versions"]
        out["versions"] = [{"from": ver["from"], "until": ver["until"], "answered": i == v,
                            "source": [sources.line(s) for s in ver["source"]]} for i, ver in enumerate(versions)]
        out["changed"] = _changed(out["versions"][v - 1]["source"], out["versions"][v]["source"],
                                  ov.identity if ov else lambda s: None) if v else []
    return out


def _changed(before: list, now: list, identity) -> list[dict]:
    """What the answering version changed on its first day (a later date wins): each dated
    line in force now and not the day before, with the line it replaced (a version of the
    same rule, exception or definition, as the compiler tells: `identity`), or null when
    new or when the policy could not be compiled; and each line of the day before that
    ended without one."""
    key = [(s["file"], s["line"]) for s in now]
    new = [s for s in now if (s["file"], s["line"]) not in {(b["file"], b["line"]) for b in before}]
    gone = [b for b in before if (b["file"], b["line"]) not in key]
    out = []
    for s in new:
        old = next((b for b in gone if identity(b) is not None and identity(b) == identity(s)), None)
        if old is not None:
            gone.remove(old)
        out.append({"line": s, "replaced": old})
    return out + [{"line": None, "replaced": b} for b in gone]


def read_input(facts: str | None, ticket: str | None, stdin) -> tuple[str, str]:
    """(text, what) of the --facts JSON or the --ticket file."""
    from .evaluator.cli import read_ticket_text  # the same bounded, UTF-8 read as `policyc eval`

    if facts is not None:
        return facts, "facts"
    return read_ticket_text(ticket, stdin), "ticket"

