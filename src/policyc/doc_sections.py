"""The sections of `policyc doc` built from the rules: targets, escalation, coverage, services."""

from __future__ import annotations

from collections import Counter

from .doc_words import clock, duration, target


def targets(d, rules: dict, level: int) -> list[tuple]:
    """One table per metric: rows are the other facts' values, columns the severities."""
    blocks = [("h", level, d.w["targets"])]
    for metric in d.t["metric_order"]:
        rows = rules["targets"].get(metric, [])
        if not rows:
            continue
        label = d.label(d.t["metrics"].get(metric, {}).get("label"), metric)
        blocks.append(("h", level + 1, label))
        blocks += _target_table(d, rows)
    return blocks


def _target_table(d, rows: list[dict]) -> list[tuple]:
    sev = d.t["facts"].get("severity", {}).get("values") or []
    columns = sev or [None]
    # the calendar and guarantee most cells share go under the table; a cell names only its own
    common_cal = Counter(r["calendar"] for r in rows).most_common(1)[0][0]
    common_within = Counter(_within(r) for r in rows).most_common(1)[0][0]
    grid: dict[str, dict] = {}  # row condition -> severity -> cell; the first row that applies wins
    for r in rows:
        key = d.when({f: v for f, v in r["when"].items() if f != "severity"})
        cells = grid.setdefault(key, {})
        own = [d.calendar(r["calendar"])] if r["calendar"] != common_cal else []
        if _within(r) != common_within:  # guaranteed within the hours it counts on: said shortly
            own.append(d.w["received_in_these"] if _within(r) == r["calendar"] else _guarantee(d, _within(r)))
        cell = target(r["target"], d.w) + (f" ({'; '.join(own)})" if own else "")
        for s in (r["when"].get("severity") or columns):
            cells.setdefault(s, cell)
    header = [""] + (list(sev) if sev else [d.w["target"]])
    body = [[key] + [cells.get(s, "—") for s in columns] for key, cells in grid.items()]
    note = f"{d.w['counted_on']} “{d.calendar(common_cal)}”"
    if common_within:
        note += f", {_guarantee(d, common_within)}"
    if any(r["calendar"] != common_cal or _within(r) != common_within for r in rows):
        note += f", {d.w['unless']}"
    return [("table", header, body), ("p", note + ".")]


def _within(row: dict) -> str | None:
    """The calendar a target is guaranteed within (None: guaranteed always)."""
    return row["guarantee"]["received_within"] if isinstance(row["guarantee"], dict) else None


def _guarantee(d, within: str | None) -> str:
    return f"{d.w['received_within']} “{d.calendar(within)}”" if within else d.w["always"]


def escalation(d, rules: dict, level: int) -> list[tuple]:
    """Each escalation chain: its condition, then its steps in order with their timing."""
    chains = rules.get("escalation") or []
    if not chains:
        return []
    blocks = [("h", level, d.w["escalation"])]
    for rule in chains:
        steps = [_step(d, s) for s in rule["steps"]]
        blocks.append(("p", d.when(rule["when"])))
        blocks.append(("chain", steps))  # the chain drawn, then the same steps as a list
        blocks.append(("list", True, steps))
    contacts = [f"{d.role(name)}: " + ", ".join(f"{kind} {value}" for kind, value in sorted(role["contacts"].items()))
                for name, role in sorted(d.t["roles"].items()) if role.get("contacts")]
    if contacts:
        blocks += [("p", d.w["contacts"]), ("list", False, contacts)]
    return blocks


def billing(d, rules: dict, level: int) -> list[tuple]:
    """Each surcharge: on which tickets, how much, outside which calendar."""
    items = [f"{d.when(rule['when'])}: ×{rule['multiplier']:g} {d.w['outside']} “{d.calendar(rule['outside'])}”"
             for rule in rules.get("billing") or []]
    return [("h", level, d.w["billing"]), ("list", False, items)] if items else []


def _step(d, step: dict) -> str:
    w = d.w
    text = f"{w['channel'][step['channel']]}: " + ", ".join(d.role(r) for r in step["to"])
    if step.get("cc"):
        text += f" ({w['cc']}: " + ", ".join(d.role(r) for r in step["cc"]) + ")"
    metric = d.label(d.t["metrics"].get(step.get("metric"), {}).get("label"), step.get("metric") or "")
    if "after_minutes" in step:
        text += f" — {w['after']} {duration(step['after_minutes'], w)}" + (f" ({metric})" if metric else "")
    elif "at_share" in step:
        text += f" — {w['at_share']} {step['at_share']}% ({metric})"
    return text


def coverage(d) -> list[tuple]:
    """Each calendar: its zone, its week (drawn) and its dates, year by year."""
    w, blocks = d.w, [("h", 2, d.w["coverage"])]
    for name in sorted(d.t["calendars"]):
        entry = d.t["calendars"][name]
        blocks.append(("h", 3, d.calendar(name)))
        zone = entry["zone"] if isinstance(entry["zone"], str) else f"fact `{entry['zone'].get('fact')}`"
        lines = [f"{w['zone']}: {zone}"]
        if entry.get("valid"):
            lines.append(f"{w['valid']}: {entry['valid']['from']} {w['to']} {entry['valid']['until']}")
        blocks.append(("list", False, lines))
        blocks.append(("week", name, entry, d.calendar(name)))
        blocks += _dates(d, entry)
    return blocks


def hours(intervals: list, w: dict) -> str:
    """A day's open intervals as `08:00–16:00, 18:00–20:00`, or `closed`."""
    return ", ".join(f"{clock(a)}–{clock(b)}" for a, b in intervals) or w["closed"]


def _dates(d, entry: dict) -> list[tuple]:
    """The calendar's dates (holidays, shortened days) listed per year, with their names."""
    dates = entry.get("dates") or {}
    if not dates:
        return []
    names = {}  # a date's name in the holiday sets: a holiday's name, or the weekday it works as
    weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    for holiday_set in d.t["holidays"].values():
        closed, working = holiday_set.get("closed"), holiday_set.get("working")
        for day, name in (closed.items() if isinstance(closed, dict) else ()):
            names.setdefault(day, name)
        for day, as_day in (working.items() if isinstance(working, dict) else ()):
            if as_day in weekdays:
                names.setdefault(day, f"{d.w['working_as']} {d.w['days'][weekdays.index(as_day)]}")
    blocks = []
    for year in sorted({day[:4] for day in dates}):
        items = [f"{day}: {hours(dates[day], d.w)}" + (f" — {names[day]}" if names.get(day) else "")
                 for day in sorted(dates) if day.startswith(year)]
        blocks.append(("p", f"{d.w['holidays']} {year}"))
        blocks.append(("list", False, items))
    return blocks


def catalogue(d) -> list[tuple]:
    """The services and on which terms each is given."""
    services = d.t.get("services") or {}
    if not services:
        return []
    w, rows = d.w, []
    for name in sorted(services):
        entry = services[name]
        terms = []
        for term in entry["terms"]:
            parts = [w.get(p["status"], p["status"]) + (f" ({d.label(p['detail'], '')})" if p.get("detail") else "")
                     for p in term["parts"]]
            said = " + ".join(parts)
            terms.append(said if not term["when"] else f"{d.when(term['when'])}: {said}")
        rows.append([d.label(entry.get("label"), name), "; ".join(terms)])
    return [("h", 2, w["services"]), ("table", [w["service"], w["terms"]], rows)]
