"""The policy AST: frozen dataclasses, each node with its source span kept out of equality.

Two ASTs that mean the same compare equal whatever their layout (Cedar's `node.rs`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .source import NO_SPAN, Span


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Name:
    value: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Text:
    """A label: the string in the policy's language, then translations by language code."""

    default: str
    translations: tuple[tuple[Name, str], ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Duration:
    minutes: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Dates:
    """`from 2026-07-01 until 2026-12-31` on a label or definition: the version in force for
    tickets created on those dates, both inclusive (None: from the period's start, or to its end)."""

    first: dt.date | None
    last: dt.date | None
    span: Span = _span()
    broken: bool = False  # a date was invalid (E210): the item is in force on no date


# ---- calendars --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DayItem:
    first: Name
    last: Name | None = None  # `mon..fri`
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Time:
    minutes: int  # may be out of range; checked by a pass so the message has a span
    text: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class OpenWindow:
    days: tuple[DayItem, ...]
    start: Time
    end: Time
    end_day: Name | None = None  # `fri 16:00 - mon 08:00`
    span: Span = _span()
    start_zone: "Zone | None" = None  # `fri 17:00 - mon 09:00 Asia/Tokyo`: None is the calendar's zone
    end_zone: "Zone | None" = None


@dataclass(frozen=True, slots=True)
class OpenAlways:
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class OpenDate:
    date: dt.date
    as_day: Name
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ClosedDate:
    date: dt.date
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Observe:
    holidays: Name
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ZoneFrom:
    """`zone from customer_zone`: the zone is the ticket's value of a zone fact."""

    fact: Name
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class HolidaysFrom:
    """`holidays from country years 2025..2027`: the public holidays of the ticket's region."""

    fact: Name
    first_year: int
    last_year: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class CalCase:
    """`when country is US-CA: open mon..fri 08:00-18:00`: a zone or hours chosen by facts."""

    condition: tuple  # of Test
    stmt: "Zone | OpenWindow | OpenAlways"
    span: Span = _span()


CalStmt = OpenWindow | OpenAlways | OpenDate | ClosedDate | Observe | Zone | ZoneFrom | HolidaysFrom | CalCase


@dataclass(frozen=True, slots=True)
class Calendar:
    name: Name
    label: Text | None
    body: tuple[CalStmt, ...] = ()
    union: tuple[Name, ...] = ()  # `calendar c = a + b`
    span: Span = _span()
    dates: Dates | None = None  # a dated version of the calendar


@dataclass(frozen=True, slots=True)
class National:
    country: Name
    first_year: int
    last_year: int
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class HolidayDate:
    date: dt.date
    label: Text | None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Holidays:
    name: Name
    label: Text | None
    national: tuple[National, ...] = ()
    dates: tuple[HolidayDate, ...] = ()
    span: Span = _span()


# ---- offers, roles, services ------------------------------------------------

@dataclass(frozen=True, slots=True)
class Value:
    name: Name
    label: Text | None
    impact: Text | None = None
    description: Text | None = None
    span: Span = _span()
    only: "Condition" = ()  # `only plan is premium`: the value exists for those tickets alone


@dataclass(frozen=True, slots=True)
class Dimension:
    """A fact with a closed set of values. `severity` is the ordered one, highest first."""

    name: Name
    label: Text | None
    values: tuple[Value, ...]
    span: Span = _span()
    regions: str | None = None  # "list": values are holiday region codes; "all": every code
    default: Name | None = None  # `default web`: the value for a ticket that leaves the fact out


@dataclass(frozen=True, slots=True)
class ZoneFact:
    """`fact customer_zone zone "..."`: a fact whose value is any IANA time zone name."""

    name: Name
    label: Text | None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Order:
    """`order plan: standard < premier`: each value is served no faster than the next."""

    dimension: Name
    values: tuple[Name, ...]  # the worst first
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str
    value: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Role:
    name: Name
    label: Text | None
    contacts: tuple[Contact, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Step:
    channel: Name
    to: tuple[Name, ...]
    cc: tuple[Name, ...] = ()
    after: Duration | None = None
    share: int | None = None  # percent of the target of `metric`
    span: Span = _span()
    metric: Name | None = None  # `of METRIC`; None: the first response


@dataclass(frozen=True, slots=True)
class Include:
    chain: Name
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Escalation:
    name: Name
    label: Text | None
    steps: tuple[Step | Include, ...]
    span: Span = _span()
    dates: Dates | None = None  # a dated version of the chain


# ---- statuses and metrics ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Statuses:
    """The ticket's statuses, the first one initial (`statuses { open, solved }`)."""

    label: Text | None
    values: tuple[Value, ...]
    span: Span = _span()


EVENT_WORDS = ("created", "customer_message", "agent_message", "facts")


@dataclass(frozen=True, slots=True)
class Event:
    """An event a clause matches: a word of EVENT_WORDS, or `status` with a move and statuses."""

    kind: str  # created | customer_message | agent_message | facts | status
    move: str | None = None  # to | from, for `status`
    statuses: tuple[Name, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Metric:
    """A clock over a ticket's life: what starts, stops, restarts and pauses it."""

    name: Name
    label: Text | None
    start: tuple[Event, ...] | None = None  # None: no `start` clause (reported)
    after: Name | None = None
    stop: tuple[Event, ...] | None = None
    restart: tuple[Event, ...] = ()
    pause: tuple[Name, ...] = ()
    repeat_while: tuple[Name, ...] = ()
    on_facts_change: str = "keep"
    span: Span = _span()
    clauses: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)  # where each clause is

    def clause_span(self, key: str) -> Span:
        """Where a clause is written, else the metric's name."""
        return next((sp for k, sp in self.clauses if k == key), self.name.span)


FIRST_RESPONSE = "first_response"


def implicit_first_response() -> Metric:
    """The metric `respond` measures when the policy declares no `first_response`."""
    return Metric(Name(FIRST_RESPONSE), None, (Event("created"),), None, (Event("agent_message"),))


@dataclass(frozen=True, slots=True)
class Test:
    dimension: Name
    values: tuple[Name, ...]
    negated: bool = False
    span: Span = _span()


Condition = tuple[Test, ...]


@dataclass(frozen=True, slots=True)
class ServicePart:
    """One answer of a term: `hourly "Let's Encrypt certificate setup" estimate 1h..2h`."""

    status: str  # included | excluded | hourly
    detail: Text | None = None
    estimate: tuple[Duration, Duration] | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ServiceTerm:
    """The first part's fields, then any further parts written after `plus`."""

    condition: Condition
    status: str  # included | excluded | hourly
    detail: Text | None = None
    estimate: tuple[Duration, Duration] | None = None
    span: Span = _span()
    plus: tuple[ServicePart, ...] = ()

    @property
    def parts(self) -> tuple[ServicePart, ...]:
        return (ServicePart(self.status, self.detail, self.estimate, self.span),) + self.plus


@dataclass(frozen=True, slots=True)
class Service:
    name: Name
    label: Text | None
    terms: tuple[ServiceTerm, ...]
    span: Span = _span()


# ---- rules ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Target:
    """`12h`, `next business day [start|end]`, `N business days [start|end]`, `none`,
    `best effort`, a period (`weekly`, `every 3 days`), or `-` (a table cell with no rule)."""

    kind: str  # duration | next_business_day | business_days | none | best_effort | period | empty
    minutes: int | None = None
    edge: str = "end"  # business_days: same_time | start | end
    span: Span = _span()
    days: int | None = None  # of a period, or business days


@dataclass(frozen=True, slots=True)
class Table:
    row_dimension: Name | None
    column_dimension: Name
    columns: tuple[Name, ...]
    rows: tuple[tuple[Name, tuple[Target, ...]], ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SeverityRule:
    condition: Condition
    severities: tuple[Name, ...] | None  # None: any
    becomes: Name
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class RespondRule:
    """Target attributes of metrics for the tickets the condition matches; more specific
    rules win. `respond` is `measure first_response`."""

    condition: Condition
    calendar: tuple[Name, ...] | None = None
    target: Target | None = None
    guarantee: tuple[Name, ...] | None | str = None  # None unset, "always", or a calendar
    tables: tuple[Table, ...] = ()
    span: Span = _span()
    metrics: tuple[Name, ...] = (Name(FIRST_RESPONSE),)


@dataclass(frozen=True, slots=True)
class EscalateRule:
    condition: Condition
    chain: Name | None = None
    steps: tuple[Step | Include, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class BillRule:
    condition: Condition
    multiplier: str
    outside: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class NoSupportRule:
    """`no support "reason" see "where"`: the tickets it matches are not entitled to support."""

    condition: Condition
    reason: Text
    see: str | None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class SupportedRule:
    """`supported`: the exception to a `no support` rule, for tickets inside its condition."""

    condition: Condition
    span: Span = _span()


Rule = SeverityRule | RespondRule | EscalateRule | BillRule | NoSupportRule | SupportedRule
Definition = (Calendar | Holidays | Dimension | Role | Escalation | Service | Statuses | Metric | ZoneFact
              | Order)


@dataclass(frozen=True, slots=True)
class Policy:
    id: Name
    title: Text | None
    version: str | None
    effective: tuple[dt.date, dt.date | None] | None
    languages: tuple[Name, ...]  # of the labels; the first is that of plain strings
    support_languages: tuple[Name, ...]
    definitions: tuple[Definition, ...]
    rules: tuple[Rule, ...]
    span: Span = _span()
    expects: tuple["Expect", ...] = ()
    labels: tuple["RuleLabel", ...] = ()
    negotiable: tuple["Negotiable", ...] = ()  # what a contract may override
    extends: "Extends | None" = None  # set on the policy a contract compiles to


@dataclass(frozen=True, slots=True)
class RuleLabel:
    """`rule NAME:` (a label of rule `index` in `Policy.rules`) or `exception to NAME:` (rule
    `index` wins over the rules labelled NAME wherever it matches)."""

    index: int
    name: Name
    exception: bool
    span: Span = _span()
    dates: Dates | None = None  # `rule L from D:`: a dated version of the rule


@dataclass(frozen=True, slots=True)
class Negotiable:
    """`negotiable` before a labelled rule or a definition: a contract may override it."""

    item: "RuleLabel | Definition"
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Extends:
    """The published policy a contract's table extends."""

    id: Name
    version: str | None


@dataclass(frozen=True, slots=True)
class Contract:
    """`contract ID extends BASE "title" { ... }`: one customer's exceptions to a published
    policy. `body` is the block read as a policy body (its version, effective period,
    definitions, rules, labels and expectations)."""

    body: Policy
    base: Name
    span: Span = _span()
    effective_span: Span = _span()  # where its `effective` line is, if it has one


@dataclass(frozen=True, slots=True)
class Expect:
    """`expect W304 "why"`: a warning accepted on the rule or definition that follows."""

    code: Name
    reason: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Import:
    path: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Module:
    """One file: its imports, its shared definitions, and its policy if it has one."""

    path: str
    imports: tuple[Import, ...]
    definitions: tuple[Definition, ...]
    policies: tuple[Policy, ...]
    span: Span = _span()
    contracts: tuple[Contract, ...] = ()
