"""A loaded decision table: checked once on load, then asked many questions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from . import business_time as bt
from .errors import CoverageError, FactError, TableError
from .shape import check_table

SCHEMA_VERSION = 1
INSTANT_FACTS = ("received_at", "work_at")
UTC = timezone.utc


def load(path) -> "Table":
    """Read a table from a JSON file; raises TableError with a clear message."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise TableError(f"cannot read table `{path}`: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise TableError(f"table `{path}` is not valid JSON: {exc}") from None
    return Table(data, str(path))


def _rows(rows, build) -> tuple:
    """Rows as (conditions, payload): conditions are (fact, allowed values) pairs."""
    return tuple((tuple((k, frozenset(v)) for k, v in row["when"].items()), build(row)) for row in rows)


def _target(t: dict):
    if t["kind"] == "duration":
        return t["duration"], timedelta(minutes=t["minutes"]), None
    if t["kind"] == "next_business_day":
        return ("next_business_day" if t["edge"] == "end" else "next_business_day_start"), None, t["edge"]
    return None, None, None


def _instant(name: str, value) -> datetime:
    if not isinstance(value, str):
        raise FactError(f"fact `{name}` must be an RFC 3339 timestamp string, not {type(value).__name__}")
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise FactError(f"fact `{name}` is not an RFC 3339 timestamp: `{value}`") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise FactError(f"fact `{name}` `{value}` has no UTC offset; write e.g. `{value}Z` or `{value}+02:00`")
    return t


def _utc(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


class Table:
    def __init__(self, data, source: str = "<table>"):
        check_table(data, source, SCHEMA_VERSION)
        self.data = data
        self.id = data["policy"]["id"]
        self.facts = {name: frozenset(f["values"]) for name, f in data["facts"].items()}
        self.fact_values = {name: f["values"] for name, f in data["facts"].items()}
        try:
            self.calendars = {name: bt.Calendar.from_table(c, name) for name, c in data["calendars"].items()}
        except ValueError as exc:
            raise TableError(f"table `{source}`: {exc}") from None
        rules = data["rules"]
        self.severity_rows = _rows(rules["severity"], lambda r: (r["becomes"], r["source"]))
        self.response_rows = _rows(rules["response"], lambda r: (
            _target(r["target"]), r["calendar"], r["guarantee"], r["source"]))
        self.escalation_rows = _rows(rules["escalation"], lambda r: (r["steps"], r["source"]))
        self.billing_rows = _rows(rules["billing"], lambda r: (r["outside"], r["multiplier"], r["source"]))
        # The rule part of a decision depends only on the dimension facts, whose values
        # are few (at most a product of small sets), so it is worked out once per combination.
        self._dims = tuple(self.facts)
        self._rules_cache: dict = {}

    def __repr__(self) -> str:
        return f"<Table {self.id!r}>"

    # ---- facts ----------------------------------------------------------------------
    def check_facts(self, facts) -> tuple[datetime, datetime]:
        if not isinstance(facts, dict):
            raise FactError(f"facts must be a JSON object, not {type(facts).__name__}")
        for name, value in facts.items():
            allowed = self.facts.get(name)
            if allowed is None:
                if name in INSTANT_FACTS:
                    continue
                raise FactError(f"unknown fact `{name}`" + _hint(name, list(self.facts) + list(INSTANT_FACTS)))
            if not isinstance(value, str) or value not in allowed:
                shown = value if isinstance(value, str) else json.dumps(value)
                raise FactError(f"unknown value `{shown}` for fact `{name}`" + _hint(str(value), self.fact_values[name],
                                                                                     one_of=True))
        for name in ("received_at", "severity"):
            if name not in facts:
                raise FactError(f"missing fact `{name}`")
        received = _instant("received_at", facts["received_at"])
        work = _instant("work_at", facts["work_at"]) if "work_at" in facts else received
        return received, work

    @staticmethod
    def match(rows, facts: dict):
        """The payload of the row matching the facts (rows are disjoint), or None."""
        for conds, payload in rows:
            missing = None
            for name, allowed in conds:
                value = facts.get(name)
                if value is None:
                    missing = missing or name
                elif value not in allowed:
                    break
            else:
                if missing:
                    raise FactError(f"missing fact `{missing}`: the policy needs it for this ticket")
                return payload
        return None

    # ---- the decision -----------------------------------------------------------------
    def decide(self, facts: dict) -> dict:
        """The decision for one ticket (docs/table-format.md, "Decisions")."""
        received, work = self.check_facts(facts)
        try:
            return self._decide(facts, received, work)
        except bt.CoverageError as exc:
            raise CoverageError(f"outside the dates for which the table has holiday data: {exc}") from None
        except bt.NeverOpenError as exc:
            raise CoverageError(f"no due time: {exc}") from None

    def _rules(self, facts: dict) -> tuple:
        """(effective severity, severity source, response, escalation, billing) rows for the facts."""
        key = tuple(map(facts.get, self._dims))
        hit = self._rules_cache.get(key)
        if hit is None:
            try:
                sev = self.match(self.severity_rows, facts)
                effective = sev[0] if sev else facts["severity"]
                eff = dict(facts, severity=effective)
                resp = self.match(self.response_rows, eff)
                if resp is None:
                    raise FactError(f"the table has no response rule for this ticket (policy `{self.id}`)")
                hit = (effective, sev[1] if sev else [], resp, self.match(self.escalation_rows, eff),
                       self.match(self.billing_rows, eff))
            except FactError as exc:
                hit = exc
            self._rules_cache[key] = hit
        if isinstance(hit, FactError):
            raise FactError(str(hit))
        return hit

    def _decide(self, facts, received: datetime, work: datetime) -> dict:
        effective, sev_source, resp, esc, bill = self._rules(facts)
        source = {"severity": _copy(sev_source)}
        (label, duration, edge), cal_name, guarantee, response_source = resp
        source["response"] = _copy(response_source)
        cal = self.calendars[cal_name]
        within = cal.is_open(received)
        if label is None or guarantee == "never":
            guaranteed = False
        elif guarantee == "always":
            guaranteed = True
        else:
            window = guarantee["received_within"]
            guaranteed = within if window == cal_name else self.calendars[window].is_open(received)
        due = None
        if guaranteed:
            due = cal.add(received, duration) if duration is not None else cal.next_business_day(received, edge)

        steps = [dict(s, to=list(s["to"]), cc=list(s["cc"])) for s in esc[0]] if esc else []
        source["escalation"] = _copy(esc[1]) if esc else []

        multiplier = 1
        if bill is not None and not self.calendars[bill[0]].is_open(work):
            multiplier = bill[1]
        source["billing"] = _copy(bill[2]) if bill else []

        return {
            "policy": self.id,
            "severity": effective,
            "severity_given": facts["severity"],
            "response": {"target": label, "due": _utc(due) if due else None, "guaranteed": guaranteed,
                         "calendar": cal_name},
            "within_hours": within,
            "escalation": steps,
            "billing": {"multiplier": multiplier, "work_at": _utc(work)},
            "source": source,
        }


def _copy(sources: list) -> list:
    """Fresh dicts, so a caller changing a decision cannot change the table."""
    return [dict(s) for s in sources]


def _hint(word: str, candidates, one_of: bool = False) -> str:
    import difflib  # only on the error path: keeps the import of the evaluator light

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if close:
        return f"; did you mean `{close[0]}`?"
    if one_of:
        return "; expected one of " + ", ".join(f"`{c}`" for c in candidates)
    return ""
