"""A loaded decision table: checked once on load, then asked many questions."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, timedelta
from typing import NamedTuple

from . import business_time as bt
from .decision import answer, target_row
from .errors import CoverageError, FactError, TableError, TicketError
from .factcal import FactCalendar
from .facts import UTC, parse_instant, shown, strict_json
from .instants import calendar_from_table
from .limits import MAX_TABLE_BYTES
from .rules import Resolver, outside
from .shape import check_table
from .ticket import Event, Ticket, read_ticket, with_defaults
from .timeline import Metric
from .zones import parse_zone

SCHEMA_VERSION = 2
INSTANT_FACTS = ("received_at", "work_at")
_ONE_DAY = timedelta(days=1)  # no zone is a day or more away from UTC


def load(path) -> "Table":
    """Read a table from a JSON file; raises TableError with a clear message."""
    return Table(_parse(_read(path), path), str(path))


def _read(path) -> bytes:
    """At most MAX_TABLE_BYTES of a regular file (never a FIFO or a device that never ends)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise TableError(f"cannot read table `{path}`: not a regular file")
        with os.fdopen(fd, "rb") as f:
            raw = f.read(MAX_TABLE_BYTES + 1)
    except OSError as exc:
        raise TableError(f"cannot read table `{path}`: {exc.strerror or exc}") from None
    if len(raw) > MAX_TABLE_BYTES:
        raise TableError(f"table `{path}` is larger than the limit of {MAX_TABLE_BYTES} bytes")
    return raw


def _parse(raw: bytes, path):
    try:
        return strict_json(raw)
    except RecursionError:
        raise TableError(f"table `{path}` is not a decision table: its JSON nests too deeply") from None
    except ValueError as exc:  # UnicodeDecodeError included
        raise TableError(f"table `{path}` is not valid JSON: {exc}") from None


def by_facts(entry) -> bool:
    """A calendar entry that follows the customer (its zone, holidays or hours from facts)."""
    return isinstance(entry["zone"], dict) or "holidays" in entry or "cases" in entry


def _rows(rows, build) -> tuple:
    """Rows as (conditions, payload): conditions are (fact, allowed values) pairs."""
    return tuple((tuple((k, frozenset(v)) for k, v in row["when"].items()), build(row)) for row in rows)


class Table:
    def __init__(self, data, source: str = "<table>"):
        check_table(data, source, SCHEMA_VERSION)
        self.data = data
        self.id = data["policy"]["id"]
        # dimension facts have values; a zone fact takes any zone name the ticket gives
        self.facts = {name: frozenset(f["values"]) for name, f in data["facts"].items() if "values" in f}
        self.fact_values = {name: f["values"] for name, f in data["facts"].items() if "values" in f}
        # a fact with a default: a ticket that leaves it out is answered as with the default
        # (sorted by name: `defaults_used` lists them so, whatever the order of the JSON keys)
        self.defaults = {name: data["facts"][name]["default"] for name in sorted(data["facts"])
                         if "default" in data["facts"][name]}
        # restricted values: (fact, value, (other fact, values that admit it) pairs)
        self._only = tuple((name, value, tuple((k, frozenset(v)) for k, v in when.items()))
                           for name, f in data["facts"].items() for value, when in f.get("only", {}).items())
        self.zone_facts = tuple(name for name, f in data["facts"].items() if "values" not in f)
        self.region_facts = frozenset(name for name, f in data["facts"].items() if f.get("kind") == "regions")
        self._zones_seen: dict = {}  # zone names of tickets already checked (bounded)
        try:
            # a calendar that follows the customer is resolved per ticket (Table.calendar)
            self.calendars = {name: calendar_from_table(c, name) for name, c in data["calendars"].items()
                              if not by_facts(c)}
            self.fact_calendars = {name: FactCalendar(c, name) for name, c in data["calendars"].items()
                                   if by_facts(c)}
        except ValueError as exc:  # an unknown zone
            raise TableError(f"table `{source}`: {exc}", beyond_schema=True) from None
        effective = data["policy"]["effective"]
        self.effective = (date.fromisoformat(effective["from"]),
                          None if effective["until"] is None else date.fromisoformat(effective["until"]))
        # instants outside these bounds are outside the period on every zone's local dates
        lo, hi = self.effective
        self._surely_before = _midnight(lo - _ONE_DAY)
        self._surely_after = datetime.max.replace(tzinfo=UTC) if hi is None else _midnight(hi + 2 * _ONE_DAY)
        self._surely_until = datetime.max.replace(tzinfo=UTC) if hi is None else _midnight(hi)
        self.metrics = [Metric.from_table(name, data["metrics"][name]) for name in data["metric_order"]]
        names = [m.name for m in self.metrics]
        self.first_index = names.index("first_response") if "first_response" in names else None
        self.statuses = data["statuses"]["values"]
        self.initial_status = data["statuses"]["initial"]
        # a dated policy has several versions of its rules; any other table one, over its period
        self.versions = tuple(
            _Version(date.fromisoformat(v["from"]), None if v["until"] is None else date.fromisoformat(v["until"]),
                     _midnight(date.fromisoformat(v["from"]) - _ONE_DAY),
                     _midnight(date.fromisoformat(v["from"]) + _ONE_DAY), self._resolver(v["rules"], names))
            for v in data.get("versions") or [{**effective, "rules": data["rules"]}])
        # The rule part of a decision depends only on the dimension facts, whose values
        # are few (at most a product of small sets), so it is worked out once per
        # combination; a fact left out is part of the combination (as None).
        self._dims = tuple(self.facts)
        self._rules_cache: dict = {}

    def __repr__(self) -> str:
        return f"<Table {self.id!r}>"

    def _resolver(self, rules: dict, names: list) -> Resolver:
        """Payloads: one per metric (its target row), then escalation, billing, no support."""
        return Resolver(
            self.id, self.fact_values,
            _rows(rules["severity"], lambda r: (r["becomes"], r["source"])),
            [_rows(rules["targets"].get(name, []), target_row) for name in names]
            + [_rows(rules["escalation"], lambda r: (r["steps"], r["source"])),
               _rows(rules["billing"], lambda r: (r["outside"], r["multiplier"], r["source"])),
               _rows(rules.get("support", []), lambda r: (r["reason"], r["see"], r["source"]))],
            self._only, gate=len(names) + 2)

    # ---- facts ----------------------------------------------------------------------
    def check_facts(self, facts) -> tuple[datetime, datetime]:
        """Names and values known, `received_at` given, instants RFC 3339 in the supported years."""
        if not isinstance(facts, dict):
            raise FactError(f"facts must be a JSON object, not {type(facts).__name__}")
        self._check_names(facts, False)
        if "received_at" not in facts:
            raise FactError("missing fact `received_at`: the instant of the customer's last message")
        received = parse_instant("received_at", facts["received_at"])
        work = parse_instant("work_at", facts["work_at"]) if "work_at" in facts else received
        return received, work

    def _check_names(self, facts: dict, changing: bool) -> None:
        """Known fact names and values; during a ticket (`changing`) only dimension facts change."""
        for name, value in facts.items():
            allowed = self.facts.get(name)
            if allowed is None:
                if name in self.zone_facts:
                    self._check_zone(name, value)
                    continue
                if name in INSTANT_FACTS and not changing:
                    continue
                if name in INSTANT_FACTS:
                    raise FactError(f"fact `{name}` cannot change during a ticket; only "
                                    + ", ".join(f"`{f}`" for f in self.facts) + " can")
                raise FactError(f"unknown fact `{shown(name)}`" + _hint(name, list(self.facts) + list(INSTANT_FACTS)))
            if not isinstance(value, str) or value not in allowed:
                if name in self.region_facts:  # hundreds of codes: the nearest, never the list
                    raise FactError(f"unknown region `{shown(value)}` for fact `{name}`"
                                    + (_hint(value if isinstance(value, str) else "", self.fact_values[name])
                                       or f"; the table admits {len(allowed)} region codes such as "
                                       f"`{self.fact_values[name][0]}` (a country) or `US-NY` (a subdivision)"))
                raise FactError(f"unknown value `{shown(value)}` for fact `{name}`"
                                + _hint(value if isinstance(value, str) else "", self.fact_values[name], one_of=True))

    def _check_zone(self, name: str, value) -> None:
        """A zone fact names a zone this machine's zone database knows (or UTC+HH:MM)."""
        if value.__class__ is str and value in self._zones_seen:
            return
        try:
            parse_zone(value)
        except ValueError:
            import zoneinfo  # only on the error path

            raise FactError(f"unknown time zone `{shown(value)}` for fact `{name}`"
                            + (_hint(value, sorted(zoneinfo.available_timezones())) if isinstance(value, str) else "")
                            + "; give an IANA name such as `America/New_York`, or `UTC+05:30`") from None
        if len(self._zones_seen) < 4096:
            self._zones_seen[value] = True

    # ---- the decision -----------------------------------------------------------------
    def decide(self, facts: dict) -> dict:
        """The decision for one ticket (docs/table-format.md, "Decisions"): the answer for a
        ticket with one `created` event at `received_at`, read at that instant."""
        received, _ = self.check_facts(facts)
        received = received.astimezone(UTC)
        given, used = with_defaults({k: v for k, v in facts.items() if k != "received_at"}, self.defaults)
        ticket = Ticket(given, [Event(0, "created", received)], received, facts["received_at"], used)
        return self._answer(ticket, "fact `received_at`")

    def evaluate(self, ticket) -> dict:
        """The answer for a whole ticket (facts, events, `now`): the ticket contract."""
        return self._answer(read_ticket(ticket, self._check_names, self.statuses, self.defaults),
                            "event 0 (created)")

    def _answer(self, ticket: Ticket, created_name: str) -> dict:
        # ranges first: a refusal must not pay for zone work
        if not self._surely_before <= ticket.events[0].at < self._surely_after:
            raise self._not_effective(ticket.created_text, "", created_name)
        try:
            v = self.version_of(ticket, created_name)
            for event in ticket.events:
                if event.facts is not None:  # the new facts must resolve as the initial ones do
                    try:
                        self.rules(event.facts, v)
                    except FactError as exc:
                        raise TicketError(f"{event.label()}: {exc}") from None
            return answer(self, ticket, v)
        except bt.OutOfRangeError as exc:  # a due time past the supported years: not a holiday-data gap
            raise CoverageError(str(exc)) from None
        except bt.CoverageError as exc:
            raise CoverageError(f"outside the dates for which the table has holiday data: {exc}") from None
        except bt.NeverOpenError as exc:
            raise CoverageError(f"no due time: {exc}") from None

    def _not_effective(self, value: str, where: str, name: str) -> CoverageError:
        lo, hi = self.effective
        return CoverageError(f"{name} `{shown(value)}` is outside the dates policy `{self.id}` "
                             f"is effective, {lo} .. {hi or 'open-ended'}{where}")

    def calendar(self, name: str, facts: dict):
        """Calendar `name` (a wall or a ZonedCalendar), resolved for these facts when it
        follows the customer (then always a wall calendar)."""
        cal = self.calendars.get(name)
        return cal if cal is not None else self.fact_calendars[name].resolve(facts)

    def version_of(self, ticket: Ticket, created_name: str) -> int:
        """The version that answers the ticket: the last one whose first day the ticket's
        local date has reached, that date read in the zone of that version's response
        calendar for the ticket (UTC for a ticket with none); CoverageError outside the
        period (docs/table-format.md, "Versions")."""
        created = ticket.events[0].at
        for i in range(len(self.versions) - 1, -1, -1):
            v = self.versions[i]
            if created >= v.surely_from:
                break
            if created < v.surely_before and i > 0:
                continue
            day, where = self._local_date(ticket.facts, created, i)
            if day >= v.first:
                break
            if i == 0:
                raise self._not_effective(ticket.created_text, where, created_name)
        if i == len(self.versions) - 1 and created >= self._surely_until:
            day, where = self._local_date(ticket.facts, created, i)
            if day > self.effective[1]:
                raise self._not_effective(ticket.created_text, where, created_name)
        return i

    def _local_date(self, facts: dict, created: datetime, version: int) -> tuple[date, str]:
        """The ticket's local date on its response calendar in a version, and how to say it."""
        payloads = self.rules(facts, version)[2]
        row = payloads[self.first_index] if self.first_index is not None else None
        if row is None:  # not entitled to support: no calendar, the date in UTC
            day = created.astimezone(UTC).date()
            return day, f" (its date in UTC, as it has no response calendar, is {day})"
        zone = self.calendar(row.calendar, facts).zone
        day = created.astimezone(zone).date()
        return day, f" (its local date on calendar `{row.calendar}`, {zone}, is {day})"

    def rules(self, facts: dict, version: int = 0) -> tuple:
        """(effective severity, severity sources, payloads, facts not needed) in a version:
        payloads are one target row per metric in `metric_order`, then escalation, billing
        and no support (when that one is set, every other is None: the ticket is not entitled)."""
        key = (version, *map(facts.get, self._dims))
        hit = self._rules_cache.get(key)
        if hit is None:
            try:
                self._check_only(facts)
                hit = self.versions[version].resolver.resolve(facts)
                if self.first_index is not None and hit[2][self.first_index] is None and hit[2][-1] is None:
                    raise FactError(f"the table has no response rule for this ticket (policy `{self.id}`)")
            except FactError as exc:
                hit = exc
            self._rules_cache[key] = hit
        if isinstance(hit, FactError):
            raise FactError(str(hit))
        return hit

    def _check_only(self, facts: dict) -> None:
        """A restricted value only with facts that admit it (a fact left out admits it)."""
        found = outside(self._only, facts)
        if found is not None:
            name, value, other, allowed = found
            raise FactError(f"{name} `{value}` exists only for tickets with {other} "
                            + ", ".join(f"`{v}`" for v in self.fact_values[other] if v in allowed)
                            + f"; this ticket has {other} `{shown(facts[other])}`")


class _Version(NamedTuple):
    """A version of the table's rules: its dates, the instant from which every zone has
    reached its first day, and its rows."""

    first: date
    last: date | None
    surely_before: datetime
    surely_from: datetime
    resolver: Resolver


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


def _hint(word: str, candidates, one_of: bool = False) -> str:
    import difflib  # only on the error path: keeps the import of the evaluator light

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if close:
        return f"; did you mean `{close[0]}`?"
    if one_of:
        return "; expected one of " + ", ".join(f"`{c}`" for c in candidates)
    return ""
