"""Reading a ticket (facts, ordered events, `now`) strictly, one precise message per fault.

A message names the event by its index in `events` (from 0) and its type, e.g.
``event 3 (status): unknown status `foo`; expected one of `open`, `solved```.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import PolicyError, TicketError
from .facts import UTC, parse_instant, shown

EVENT_TYPES = ("created", "customer_message", "agent_message", "status", "facts")
TICKET_KEYS = ("facts", "events", "now")
_EXTRA_KEY = {"status": "status", "facts": "facts"}  # the key an event type carries besides `at`, `type`


@dataclass(slots=True)
class Event:
    """One event; `facts` is the whole set of facts after a change, `changed` whether any differ."""

    index: int
    type: str
    at: datetime  # in UTC
    status: str | None = None
    facts: dict | None = None
    changed: bool = False

    def label(self) -> str:
        return f"event {self.index} ({self.type})"


@dataclass(slots=True)
class Ticket:
    facts: dict  # at creation, `work_at` included when given
    events: list
    now: datetime
    created_text: str  # the `created` event's `at` as given (messages quote it)
    defaults_used: tuple = ()  # facts left out at creation that took their declared default


def with_defaults(facts: dict, defaults: dict) -> tuple[dict, tuple]:
    """The facts with each fact of `defaults` they leave out set to its default, and the
    names of those facts (in the order of `defaults`)."""
    used = tuple(name for name in defaults if name not in facts)
    return ({**{name: defaults[name] for name in used}, **facts} if used else facts), used


def read_ticket(ticket, check_facts, statuses: list, defaults: dict | None = None) -> Ticket:
    """The ticket, checked; `check_facts(facts, changing)` raises FactError for unknown
    names or values (`changing`: only dimension facts may change). A fact of `defaults`
    that the ticket leaves out at creation takes its default there, so that a later
    `facts` event changes it from that value."""
    if not isinstance(ticket, dict):
        raise TicketError(f"a ticket must be a JSON object, not {type(ticket).__name__}")
    for key in ticket:
        if key not in TICKET_KEYS:
            raise TicketError(f"unknown ticket key `{shown(key)}`; expected " + ", ".join(f"`{k}`" for k in TICKET_KEYS))
    facts = ticket.get("facts", {})
    if not isinstance(facts, dict):
        raise TicketError(f"ticket `facts` must be a JSON object, not {type(facts).__name__}")
    if "received_at" in facts:
        raise TicketError("fact `received_at` is not given in a ticket: its `created` event is the instant "
                          "the ticket was received")
    check_facts(facts, False)
    facts, used = with_defaults(facts, defaults or {})
    raw = ticket.get("events")
    if not isinstance(raw, list) or not raw:
        raise TicketError("ticket `events` must be a non-empty JSON array, `created` first")
    _check_created(raw)
    events, current = [], facts
    for i, item in enumerate(raw):
        try:
            event = _event(i, item, current, check_facts, statuses)
        except TicketError:
            raise
        except PolicyError as exc:  # a fact or an instant: same class, the event named first
            raise type(exc)(f"event {i} ({item['type']}): {exc}") from None
        if events and event.at < events[-1].at:
            raise TicketError(f"{event.label()}: `at` {shown(item['at'])} is before {events[-1].label()}'s "
                              f"{shown(raw[i - 1]['at'])}; events must be in time order")
        current = event.facts if event.facts is not None else current
        events.append(event)
    now = events[-1].at
    if "now" in ticket:
        now = parse_instant("now", ticket["now"], "ticket key").astimezone(UTC)
        if now < events[-1].at:
            raise TicketError(f"ticket `now` {shown(ticket['now'])} is before the last event, "
                              f"{events[-1].label()} at {shown(raw[-1]['at'])}")
    return Ticket(facts, events, now, raw[0]["at"], used)


def _type_of(i: int, item) -> str:
    """The event's type, checked to be a known one."""
    if not isinstance(item, dict):
        raise TicketError(f"event {i} must be a JSON object, not {type(item).__name__}")
    kind = item.get("type")
    if kind is None:
        raise TicketError(f"event {i}: missing key `type`; expected one of " + ", ".join(f"`{t}`" for t in EVENT_TYPES))
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        raise TicketError(f"event {i} ({shown(kind)}): unknown event type `{shown(kind)}`; expected one of "
                          + ", ".join(f"`{t}`" for t in EVENT_TYPES))
    return kind


def _check_created(raw: list) -> None:
    """Exactly one `created`, and it comes first."""
    types = [_type_of(i, item) for i, item in enumerate(raw)]
    created = [i for i, t in enumerate(types) if t == "created"]
    if not created:
        raise TicketError(f"the ticket has no `created` event; the first event must be `created`, "
                          f"not event 0 ({types[0]})")
    if created[0] != 0:
        raise TicketError(f"event 0 ({types[0]}) comes before the `created` event (event {created[0]}); "
                          "`created` must be the first event")
    if len(created) > 1:
        raise TicketError(f"event {created[1]} (created): a second `created` event; a ticket is created once, "
                          "by event 0")


def _event(i: int, item: dict, current: dict, check_facts, statuses: list) -> Event:
    kind = item["type"]
    extra = _EXTRA_KEY.get(kind)
    # the keys are exactly `at`, `type` (and `extra`) when their count and presence say so
    if len(item) != (2 if extra is None else 3) or "at" not in item or extra is not None and extra not in item:
        _check_keys(i, item, kind, extra)
    event = Event(i, kind, parse_instant("at", item["at"], "key").astimezone(UTC))
    if kind == "status":
        status = item["status"]
        if not isinstance(status, str) or status not in statuses:
            raise TicketError(f"event {i} (status): unknown status `{shown(status)}`; expected one of "
                              + ", ".join(f"`{s}`" for s in statuses))
        event.status = status
    elif kind == "facts":
        change = item["facts"]
        if not isinstance(change, dict) or not change:
            raise TicketError(f"event {i} (facts): `facts` must be a non-empty JSON object of the facts that change")
        check_facts(change, True)
        event.facts = {**current, **change}
        event.changed = any(current.get(k) != v for k, v in change.items())
    return event


def _check_keys(i: int, item: dict, kind: str, extra: str | None) -> None:
    """Raise for a key the event type does not have, or one it lacks."""
    for key in item:
        if key not in ("at", "type", extra):
            allowed = ", ".join(f"`{k}`" for k in ("at", "type", extra) if k)
            raise TicketError(f"event {i} ({kind}): unknown key `{shown(key)}`; a `{kind}` event has {allowed}")
    for key in ("at", extra):
        if key and key not in item:
            raise TicketError(f"event {i} ({kind}): missing key `{key}`")
