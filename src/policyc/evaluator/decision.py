"""The answer for a ticket: today's decision fields plus every metric's occurrences.

`answer` is the one code path behind `Table.evaluate(ticket)` and `Table.decide(facts)`
(a ticket with one `created` event, read at that instant).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from .clock import REAL, Clock, iso_duration, utc
from .due import amount as _amount_of, counted_on, due_on
from .facts import parse_instant
from .timeline import run


class TargetRow(NamedTuple):
    """One row of `rules.targets.{metric}`, ready to use."""

    label: str | None  # the target as stated in answers
    kind: str
    amount: object  # timedelta (duration), edge (next_business_day), (days, edge) (business_days),
    # days (period), None
    calendar: str
    guarantee: object
    source: list


def target_row(row: dict) -> TargetRow:
    t = row["target"]
    kind = t["kind"]
    if kind == "duration":
        label, amount = t["duration"], timedelta(minutes=t["minutes"])
    elif kind == "next_business_day":
        label, amount = "next_business_day" + ("_start" if t["edge"] == "start" else ""), t["edge"]
    elif kind == "business_days":
        edge = t["edge"]
        label = f"{t['days']}_business_days" + ("" if edge == "same_time" else "_" + edge)
        amount = (t["days"], edge)
    elif kind == "period":
        label, amount = t["period"], t["days"]
    else:
        label, amount = (None if kind == "none" else kind), None
    return TargetRow(label, kind, amount, row["calendar"], row["guarantee"], row["source"])


_ENDED = {"stop": "met", "superseded": "superseded"}  # an ended occurrence's state, unless breached
_ZERO = timedelta(0)


class _Reading(NamedTuple):
    """An occurrence read at `now`: its answer, its clock and its target amount."""

    out: dict
    clock: Clock
    amount: timedelta | None


def answer(table, ticket, version: int) -> dict:
    """The decision for a checked ticket (ticket.Ticket), by the version of the table's
    rules in force when it was created (`Table.version_of`)."""
    created = ticket.events[0].at
    payloads0 = table.rules(ticket.facts, version)[2]
    first = payloads0[table.first_index] if table.first_index is not None else None
    occurrences, facts, status = run(table.metrics, ticket.facts, table.initial_status, ticket.events)
    severity, sev_source, payloads, not_needed = table.rules(facts, version)
    esc, bill, denied = payloads[-3:]
    readings = {}
    for i, metric in enumerate(table.metrics):
        # no support: no clock is kept for the ticket, so no metric has an occurrence
        readings[metric.name] = [] if denied else [_read(table, table.rules(occ.facts, version)[2][i], occ,
                                                         ticket.now) for occ in occurrences[metric.name]]
    in_force = table.versions[version]
    response, within = _response(table, readings.get("first_response"), first, created, ticket.facts)
    return {
        "policy": table.id,
        "severity": severity,
        "severity_given": facts.get("severity"),
        # a zone fact left out was not needed: a calendar that needs it has refused by now
        "facts_not_needed": list(not_needed) + [f for f in table.zone_facts if facts.get(f) is None],
        # a fact with a default is never missing, so never in `facts_not_needed`
        "defaults_used": list(ticket.defaults_used),
        "response": response,
        "within_hours": within,
        "escalation": [_step(s, readings, ticket.now) for s in esc[0]] if esc else [],
        "billing": None if denied else _billing(table, bill, facts, created),
        "supported": denied is None,
        "support": None if denied is None else {"reason": dict(denied[0]) if denied[0] else None, "see": denied[1]},
        "metrics": {name: [r.out for r in rs] for name, rs in readings.items()},
        # the dates of the version of the rules that answered (the effective period when undated)
        "in_force": {"from": in_force.first.isoformat(),
                     "until": in_force.last.isoformat() if in_force.last else None},
        "status": status,
        "now": utc(ticket.now),
        "source": {"severity": _copy(sev_source), "response": _copy(first.source) if first else [],
                   "escalation": _copy(esc[1]) if esc else [], "billing": _copy(bill[2]) if bill else [],
                   "support": _copy(denied[2]) if denied else []},
    }


def _billing(table, bill, facts: dict, created) -> dict:
    """The rate for work at `work_at` (a fact; the creation instant when not given)."""
    work = facts.get("work_at")
    work_at = parse_instant("work_at", work) if work is not None else created
    multiplier = 1
    if bill is not None and not table.calendar(bill[0], facts).is_open(work_at):
        multiplier = bill[1]
    return {"multiplier": multiplier, "work_at": utc(work_at)}


def _response(table, readings, first, created, facts) -> tuple[dict, bool]:
    """`response` and `within_hours`: the first response's first occurrence, as in schema 1
    (on the calendar resolved for the ticket's facts at creation)."""
    if readings:
        out = readings[0].out
        return ({"target": out["target"], "due": out["due"], "guaranteed": out["guaranteed"],
                 "calendar": out["calendar"]}, table.calendar(out["calendar"], facts).is_open(created)
                if out["calendar"] is not None else False)
    if first is None:
        return {"target": None, "due": None, "guaranteed": False, "calendar": None}, False
    return ({"target": first.label, "due": None, "guaranteed": False, "calendar": first.calendar},
            table.calendar(first.calendar, facts).is_open(created))


def _read(table, row: TargetRow | None, occ, now) -> _Reading:
    """One occurrence's answer (ticket contract) at `now`, with its target row (None: none)."""
    until = occ.end or now
    if row is None:  # no target row for these facts: the clock counts real time, nothing is due
        cal, guaranteed, amount = REAL, False, None
    else:
        row_cal = table.calendar(row.calendar, occ.facts)
        cal = counted_on(row_cal, row)
        guaranteed = _guaranteed(table, row, occ.start, occ.facts)
        # an unguaranteed target promises no time: nothing falls due, no share of it is timed
        amount = _amount_of(row_cal, row, occ.start) if guaranteed else None
    clock = Clock(cal, occ.start, until, occ.pauses)
    due = None
    if guaranteed and amount is not None:
        due = due_on(clock, row_cal, row, amount)
    paused_now = occ.end is None and bool(occ.pauses) and occ.pauses[-1][1] is None
    if due is not None and due < until:
        state = "breached"
    else:
        state = _ENDED.get(occ.how) or ("paused" if paused_now else "running")
    paused = sum(((until if q is None or q > until else q) - p for p, q in occ.pauses), _ZERO) if occ.pauses else _ZERO
    out = {"start": utc(occ.start), "target": row.label if row else None, "guaranteed": guaranteed,
           "due": utc(due), "stop": utc(occ.end), "state": state, "elapsed": iso_duration(clock.elapsed()),
           "paused": iso_duration(paused), "breached_at": utc(due) if state == "breached" else None,
           "calendar": row.calendar if row else None, "source": _copy(row.source) if row else []}
    return _Reading(out, clock, amount if isinstance(amount, timedelta) else None)


def _guaranteed(table, row: TargetRow, start, facts: dict) -> bool:
    """As in schema 1, read at the occurrence's start (on the calendar for its facts)."""
    g = row.guarantee
    if row.kind == "none" or g == "never":
        return False
    if g == "always":
        return True
    return table.calendar(g["received_within"], facts).is_open(start)


def _step(step: dict, readings: dict, now) -> dict:
    """An escalation step; a timed one gets `at` and `fired` on its metric's latest occurrence."""
    out = dict(step, to=list(step["to"]), cc=list(step["cc"]))
    if "after_minutes" not in step and "at_share" not in step:
        return out
    latest = readings.get(step["metric"])
    at = None
    if latest:
        r = latest[-1]
        if "after_minutes" in step:
            at = r.clock.reach(timedelta(minutes=step["after_minutes"]))
        elif r.amount is not None:
            at = r.clock.reach(r.amount * step["at_share"] / 100)
    stop = latest[-1].clock.until if latest and latest[-1].out["stop"] else None
    out["at"] = utc(at)
    out["fired"] = at is not None and at <= now and (stop is None or at < stop)
    return out


def _copy(sources: list) -> list:
    """Fresh dicts, so a caller changing a decision cannot change the table."""
    return [dict(s) for s in sources]
