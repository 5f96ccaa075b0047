"""`policyc explain` output: the explanation as text for a person, or as JSON for tools.

Text: one heading line per part of the answer, then, indented, each policy line behind
it (`file:line`, the line, the regulation quoted in the comment above it), what it
overrode, and for a metric the calendar walked to the due instant.
"""

from __future__ import annotations

from .evaluator import PolicyError, load
from .evaluator.cli import dumps, write
from .explain_answer import explain, read_input

_MAX_QUOTE = 6  # comment lines shown per policy line in text (JSON has them all)


def run(table_path: str, facts, ticket, fmt: str, stdin, stdout, stderr) -> int:
    """0: explained; 2: the table cannot be read or the input is refused (as `policyc eval`)."""
    try:
        table = load(table_path)
        text, what = read_input(facts, ticket, stdin)
        out = explain(table, table_path, text, what)
    except PolicyError as exc:
        write(stderr, f"policyc: {exc}\n")
        return 2
    # UTF-8 whatever the stream's own encoding: policy lines quote French and Russian
    write(stdout, dumps(out, indent=2) + "\n" if fmt == "json" else render(out))
    return 0


def render(x: dict) -> str:
    """The explanation as indented text (docs/explain.md has what each part means)."""
    d, f = x["decision"], x["in_force"]
    lines = [f"policy `{x['policy']}`: the answer at {d['now']}, by the rules in force "
             f"{f['from']} .. {f['until'] or 'open-ended'}"]
    facts = ", ".join(f"{k}={v}" for k, v in x["facts"].items())
    lines.append(f"facts at creation: {facts or 'none'}")
    for note in x["notes"]:
        lines.append(f"  note: {note}")
    if f["dated"]:
        lines.append("versions:")
        for ver in f["versions"]:
            mark = ("answered" if ver["answered"] else "replaced by a later version" if ver["from"] < f["from"]
                    else "not yet in force when the ticket was created")
            lines.append(f"  {ver['from']} .. {ver['until'] or 'open-ended'} ({mark})")
            lines += _sources(ver["source"], "    ", quote=ver["answered"])
        for c in f["changed"]:
            if c["line"] is None:
                lines.append(f"  from {f['from']}: {_at(c['replaced'])} no longer applies")
            elif c["replaced"] is None:
                lines.append(f"  from {f['from']}: {_at(c['line'])} is new")
            else:
                lines.append(f"  from {f['from']}: {_at(c['line'])} replaces {_at(c['replaced'])} (a later date)")
    for part in x["parts"]:
        lines.append(_heading(part, d["now"], x["facts"]))
        lines += _sources(part["source"], "  ")
        for o in part["overrode"]:
            lines.append(f"  overrode {_at(o['loser'])} ({o['attribute']}): {_at(o['winner'])} is {o['why']}")
        if part.get("walk"):
            lines += _walk(part["walk"])
    return "\n".join(lines) + "\n"


def _heading(part: dict, now: str, facts: dict) -> str:
    a, name = part["answer"], part["part"]
    if name == "severity":
        given = a["given"]
        how = "as given" if given == a["severity"] else f"given {given}" if given else "no severity given"
        created = facts.get("severity")
        if created is not None and created != given:  # a `facts` event changed it
            how += f" at {now}; {created} when the ticket was created"
        return f"severity: {a['severity']} ({how}" + ("" if part["source"] else "; no rule changes it") + ")"
    if name == "support":
        if a["supported"]:
            return "support: entitled"
        reason, see = a["support"]["reason"], a["support"]["see"]
        # the reason in the policy's first language (the JSON has every label)
        return ("support: not entitled" + (f": {next(iter(reason.values()))}" if reason else "")
                + (f" (see {see})" if see else ""))
    if name == "escalation":
        steps = "; ".join(_step(s) for s in a["escalation"]) or "none"
        return f"escalation: {steps}"
    if name == "billing":
        b = a["billing"]
        return "billing: " + ("not billed (no support)" if b is None else f"x{b['multiplier']} for work at {b['work_at']}")
    target = a["target"] or "no target"
    due = f"due {a['due']}" if a["due"] else "nothing due"
    guaranteed = "guaranteed" if a["guaranteed"] else "not guaranteed"
    g = part["guarantee"]
    if g and g["rule"] == "received_within":
        where = "within" if a["guaranteed"] else "outside"
        guaranteed += f" (received {where} `{g['calendar']}`)"
    return (f"{part['metric']} #{part['occurrence'] + 1}: {target} on `{a['calendar']}`, {guaranteed}; "
            f"started {a['start']}, {due}; at {now}: {a['state']}, elapsed {a['elapsed']}, paused {a['paused']}")


def _step(s: dict) -> str:
    who = ", ".join(s["to"]) + (f" cc {', '.join(s['cc'])}" if s["cc"] else "")
    when = f" after {s['after']} of {s['metric']}" if "after" in s else (
        f" at {s['at_share']}% of {s['metric']}" if "at_share" in s else "")
    at = f" (at {s['at']}, {'fired' if s['fired'] else 'not fired'})" if "at" in s else ""
    return f"{s['channel']} {who}{when}{at}"


def _at(src: dict) -> str:
    return f"{src['file']}:{src['line']}"


def _sources(srcs: list, pad: str, quote: bool = True) -> list[str]:
    out, seen = [], []
    for s in srcs:
        out.append(f"{pad}{_at(s)}" + (f"  {s['text']}" if s["text"] is not None else ""))
        comment = s["comment"] or []
        if quote and comment in seen:  # two lines of one rule: its comment once
            out.append(f"{pad}    | (the comment above)")
        elif quote and comment:
            seen.append(comment)
            shown = comment[:_MAX_QUOTE]
            out += [f"{pad}    | {c}".rstrip() for c in shown]
            if len(comment) > len(shown):
                more = len(comment) - len(shown)
                out.append(f"{pad}    | ... ({more} more comment line{'s' if more > 1 else ''})")
    return out


def _walk(w: dict) -> list[str]:
    out = [f"  clock on `{w['calendar']}` ({w['zone']}), {w['from']} .. {w['until']}: counted {w['counted']}"]
    out += _sources(w["source"], "    ")
    for p in w["pauses"]:
        out.append(f"    paused {p['from']} .. {p['until'] or 'still paused'}")
    for o in w["open"]:
        out.append(f"    open {o['local']} ({o['counted']})")
    if w["open_not_shown"]:
        out.append(f"    ... {w['open_not_shown']} more open intervals")
    for s in w["skipped"]:
        out.append(f"    skipped {s['weekday']} {s['date']}: {s['why']}")
    return out
