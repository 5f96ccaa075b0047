"""Differential test: `Table.evaluate` against a brute-force walk of the ticket's life.

Random tables (one severity fact, four statuses, two or three metrics with random
start/stop/restart/pause/repeat/after/fact-change clauses, random targets of every
kind on a random minute-granular calendar with a few `dates` overrides, in zones with
and without DST) and random tickets (events on whole minutes, pauses via statuses,
severity changes, `now`). The oracle shares no code with the evaluator: it replays the
spec's event rules (docs/table-format.md, "Tickets and metrics") in a plain loop and
finds every instant by stepping real time minute by minute, reading each minute's
local wall time with zoneinfo (offsets and windows are whole minutes, so a minute is
wholly open or closed). It compares each occurrence's start, stop, due, elapsed,
paused, state and breach instant, and each timed escalation step's `at` and `fired`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.evaluator import Table

try:
    from fuzz.budget import examples
except ImportError:  # run from another folder
    def examples(n):
        return n

UTC = timezone.utc
MIN = timedelta(minutes=1)
STATUSES = ["open", "waiting", "work", "solved"]
# instants near each zone's offset changes of 2025 (and plain weeks for fixed zones)
ZONES = {"Europe/Paris": ["2025-03-28", "2025-10-24"], "America/New_York": ["2025-03-07", "2025-10-31"],
         "Australia/Lord_Howe": ["2025-04-04", "2025-10-03"], "Asia/Kathmandu": ["2025-06-05"], "UTC": ["2025-12-24"]}
EVENTS = [{"event": "created"}, {"event": "customer_message"}, {"event": "agent_message"}, {"event": "facts"},
          {"event": "status", "to": ["work"]}, {"event": "status", "to": ["solved"]},
          {"event": "status", "from": ["waiting"]}]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


# ---- random tables -----------------------------------------------------------------------

def _day(a, length, gap, length2):
    """One or two [start, end) minute intervals of a day, whole minutes, sorted and disjoint."""
    ivs = [[a, min(1440, a + length)]]
    if length2 and ivs[0][1] + gap + length2 <= 1440:
        ivs.append([ivs[0][1] + gap, ivs[0][1] + gap + length2])
    return ivs


# weekdays are open at least 4 hours, so every due time lies within a few days
WEEKDAY = st.builds(_day, st.integers(0, 1200), st.integers(240, 1440), st.integers(1, 300), st.integers(0, 300))
ANY_DAY = st.one_of(st.just([]), st.builds(_day, st.integers(0, 1439), st.integers(1, 1440), st.integers(1, 300),
                                           st.integers(0, 300)))


@st.composite
def calendars(draw, zone, base):
    week = [draw(WEEKDAY) for _ in range(5)] + [draw(ANY_DAY) for _ in range(2)]
    day0 = datetime.fromisoformat(base).date()
    dates = {(day0 + timedelta(days=d)).isoformat(): ivs  # holidays, or other hours
             for d, ivs in draw(st.lists(st.tuples(st.integers(0, 6), ANY_DAY), max_size=3))}
    return {"zone": zone, "week": week, "dates": dates, "valid": None}


TARGETS = st.one_of(
    st.integers(1, 300).map(lambda m: {"kind": "duration", "duration": f"PT{m}M", "minutes": m}),
    st.sampled_from([{"kind": "next_business_day", "edge": "end"}, {"kind": "next_business_day", "edge": "start"},
                     {"kind": "none"}, {"kind": "best_effort"}, {"kind": "period", "period": "P1D", "days": 1}]),
    st.builds(lambda n, e: {"kind": "business_days", "days": n, "edge": e},
              st.integers(1, 3), st.sampled_from(["same_time", "start", "end"])))


MATCHERS = [[e] for e in EVENTS] + [[a, b] for a, b in zip(EVENTS, EVENTS[2:] + EVENTS[:2])]


@st.composite
def metric(draw, name, earlier):
    return {"label": {"en": name}, "start": draw(st.sampled_from(MATCHERS)), "stop": draw(st.sampled_from(MATCHERS)),
            "restart": draw(st.sampled_from([[]] * 4 + MATCHERS)), "after": draw(st.sampled_from([None] + earlier)),
            "pause": draw(st.sampled_from([[], [], ["waiting"], ["solved"], ["waiting", "solved"]])),
            "repeat_while": draw(st.sampled_from([[], [], ["work"], ["open"]])),
            "on_facts_change": draw(st.sampled_from(["keep", "restart"])), "source": None}


@st.composite
def tables(draw):
    zone = draw(st.sampled_from(sorted(ZONES)))
    base = draw(st.sampled_from(ZONES[zone]))
    names = ["first_response", "m1", "m2"][:draw(st.integers(2, 3))]  # the schema requires first_response
    metrics = {n: draw(metric(n, names[:i])) for i, n in enumerate(names)}
    src = [{"file": "t.policy", "line": 1}]
    targets = {}
    for n in names:
        rows = []
        # S2 may have no target row, except for first_response: `response` needs one for every ticket
        for sev in draw(st.sampled_from([["S1", "S2"]] if n == "first_response" else [["S1", "S2"], ["S1"]])):
            rows.append({"when": {"severity": [sev]}, "source": src, "target": draw(TARGETS),
                         "calendar": draw(st.sampled_from(["biz", "always"])),
                         "guarantee": draw(st.sampled_from(["always", "never", {"received_within": "biz"}]))})
        targets[n] = rows
    step = {"channel": "email", "to": ["support"], "cc": [], "metric": draw(st.sampled_from(names))}
    if draw(st.booleans()):
        m = draw(st.integers(1, 600))
        step.update(after=f"PT{m}M", after_minutes=m)
    else:
        step["at_share"] = draw(st.integers(1, 100))
    table = {
        "schema_version": 2, "generator": "policyc",
        "policy": {"id": "t", "title": None, "version": "1", "languages": ["en"], "support_languages": [],
                   "effective": {"from": "2020-01-01", "until": None}, "source": src[0]},
        "statuses": {"values": STATUSES, "initial": "open", "labels": {}, "source": None},
        "metrics": metrics, "metric_order": names,
        "facts": {"severity": {"values": ["S1", "S2"], "label": None, "labels": {}}},
        "rules": {"severity": [], "targets": targets, "billing": [],
                  "escalation": [{"when": {}, "source": src, "steps": [step]}]},
        "calendars": {"biz": draw(calendars(zone, base)),
                      "always": {"zone": zone, "week": [[[0, 1440]]] * 7, "dates": {}, "valid": None}},
        "holidays": {}, "roles": {"support": {"label": None, "contacts": {}}}, "services": {},
    }
    return table, base


@st.composite
def tickets(draw, base):
    t = datetime.fromisoformat(base).replace(tzinfo=UTC) + draw(st.integers(0, 3 * 1440)) * MIN
    events = [{"at": t, "type": "created"}]
    for _ in range(draw(st.integers(0, 7))):
        t += draw(st.sampled_from([0, 1, 30, 90, 240, 600]) | st.integers(0, 600)) * MIN
        kind = draw(st.sampled_from(["customer_message", "agent_message", "status", "facts"]))
        e = {"at": t, "type": kind}
        if kind == "status":
            e["status"] = draw(st.sampled_from(STATUSES))
        elif kind == "facts":
            e["facts"] = {"severity": draw(st.sampled_from(["S1", "S2"]))}
        events.append(e)
    now = t + draw(st.integers(0, 1500)) * MIN
    return {"facts": {"severity": draw(st.sampled_from(["S1", "S2"]))}, "events": events, "now": now}


# ---- the oracle --------------------------------------------------------------------------

class Cal:
    """Open minutes by stepping: minute [u, u + 1 min) is open if its wall reading is."""

    def __init__(self, obj):
        self.zone = ZoneInfo(obj["zone"])
        self.week, self.dates = obj["week"], obj["dates"]
        self.cache = {}

    def open(self, u: datetime) -> bool:
        hit = self.cache.get(u)
        if hit is None:
            wall = u.astimezone(self.zone)
            ivs = self.dates.get(wall.date().isoformat(), self.week[wall.weekday()])
            m = wall.hour * 60 + wall.minute
            hit = self.cache[u] = any(a <= m < b for a, b in ivs)
        return hit


class Always:
    @staticmethod
    def open(u):
        return True


def matches(matchers, ev, before, changed):
    for m in matchers:
        if m["event"] == "status" and ev["type"] == "status" and ev["status"] != before:
            if ev["status"] in m.get("to", []) or before in m.get("from", []):
                return True
        elif m["event"] == ev["type"] == "facts" and changed:
            return True
        elif m["event"] == ev["type"] and ev["type"] not in ("status", "facts"):
            return True
    return False


def replay(table, ticket):
    """[(metric, [occurrence dicts])]: start, end, how, facts (severity), in the spec's order."""
    sev, status = ticket["facts"]["severity"], "open"
    occs = {n: [] for n in table["metric_order"]}
    running, stopped = dict.fromkeys(occs), set()
    for ev in ticket["events"]:
        before, changed = status, False
        if ev["type"] == "status":
            status = ev["status"]
        if ev["type"] == "facts":
            changed, sev = ev["facts"]["severity"] != sev, ev["facts"]["severity"]
        for n in table["metric_order"]:
            m, at = table["metrics"][n], ev["at"]

            def begin():
                running[n] = {"start": at, "end": None, "how": None, "sev": sev}
                occs[n].append(running[n])

            def end(how):
                running[n].update(end=at, how=how)
                running[n] = None
            if changed and running[n]:
                if m["on_facts_change"] == "restart":
                    end("superseded")
                    begin()
                else:
                    running[n]["sev"] = sev
            if running[n] and matches(m["stop"], ev, before, changed):
                end("stop")
                stopped.add(n)
                if status in m["repeat_while"]:
                    begin()
            elif running[n] and matches(m["restart"], ev, before, changed):
                end("superseded")
                begin()
            if not running[n] and matches(m["start"], ev, before, changed) and (m["after"] in stopped or not m["after"]):
                begin()
    return occs, status, sev


def statuses(ticket):
    """status_at(u): the ticket's status at instant u (after every event at or before u)."""
    changes = [(e["at"], e["status"]) for e in ticket["events"] if e["type"] == "status"]
    cache = {}

    def status_at(u):
        hit = cache.get(u)
        if hit is None:
            hit = "open"
            for at, s in changes:
                if at > u:
                    break
                hit = s
            cache[u] = hit
        return hit
    return status_at


def walk(counts, start, amount, limit_days=40):
    """Earliest instant at which the counted time from `start` reaches `amount`."""
    if amount <= timedelta(0):
        return start
    u, got = start, timedelta(0)
    while u < start + timedelta(days=limit_days):
        if counts(u):
            if got + MIN >= amount:
                return u + (amount - got)
            got += MIN
        u += MIN
    raise AssertionError("the oracle found no due time within its horizon")


def next_business_day(cal, start, edge):
    """First open / last closing instant of the first local date after start's with an open minute."""
    day = start.astimezone(cal.zone).date()
    u, target, first, last = start, None, None, None
    while target is None or u.astimezone(cal.zone).date() <= target + timedelta(days=1):
        d = u.astimezone(cal.zone).date()
        if d > day and cal.open(u):
            target = target or d
            if d == target:
                first, last = first or u, u + MIN
        u += MIN
    return first if edge == "start" else last


def business_day(cal, start, n, edge):
    """On the n-th local date after start's with an open minute: its first open minute,
    the end of its last, or (same_time) the start's time of day there if open, else the
    date's next opening after it, else the end of its last open minute."""
    day = start.astimezone(cal.zone).date()
    u, dates, minutes = start, [], []
    while len(dates) < n + 1:  # every open minute of the n-th date, until the next one opens
        d = u.astimezone(cal.zone).date()
        if d > day and cal.open(u):
            if not dates or dates[-1] != d:
                dates.append(d)
            if len(dates) == n:
                minutes.append(u)
        u += MIN
    if edge == "start":
        return minutes[0]
    if edge == "end":
        return minutes[-1] + MIN
    wall = datetime.combine(dates[n - 1], start.astimezone(cal.zone).time())
    x = start + (dates[n - 1] - day) - timedelta(hours=14)
    while x.astimezone(cal.zone).replace(tzinfo=None) < wall:  # the first instant reading it, or after the gap
        x += MIN
    if cal.open(x):
        return x
    return next((m for m in minutes if m > x), minutes[-1] + MIN)


def period_end(zone, start, days):
    wall = start.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    u = start + timedelta(days=days) - timedelta(hours=14)
    while u.astimezone(zone).replace(tzinfo=None) < wall:
        u += MIN
    return u


def expected(table, ticket):
    occs, status, sev = replay(table, ticket)
    now, cals = ticket["now"], {k: Cal(v) for k, v in table["calendars"].items()}
    status_at = statuses(ticket)
    out, readings = {}, {}
    for n, lst in occs.items():
        m = table["metrics"][n]
        res = []
        for occ in lst:
            row = next((r for r in table["rules"]["targets"][n] if occ["sev"] in r["when"]["severity"]), None)
            until, start = occ["end"] or now, occ["start"]
            kind = row["target"]["kind"] if row else None
            cal = Always if row is None or kind == "period" else cals[row["calendar"]]

            def counts(u, cal=cal, until=until, m=m):
                paused = u < until and status_at(u) in m["pause"]
                return cal.open(u) and not paused
            guaranteed = bool(row) and kind != "none" and row["guarantee"] != "never" and (
                row["guarantee"] == "always" or cals["biz"].open(start))
            amount = None
            if guaranteed and kind == "duration":
                amount = row["target"]["minutes"] * MIN
            elif guaranteed and kind == "next_business_day":
                edge_at = next_business_day(cal, start, row["target"]["edge"])
                amount = sum(((MIN if cal.open(u) else timedelta(0)) for u in _minutes(start, edge_at)), timedelta(0))
            elif guaranteed and kind == "business_days":
                edge, origin = row["target"]["edge"], start
                if edge == "same_time":  # counted from the clock's start: the next open minute
                    if not cal.open(origin):
                        origin = origin.replace(second=0, microsecond=0) + (MIN if origin.second or origin.microsecond else timedelta(0))
                    while not cal.open(origin):
                        origin += MIN
                edge_at = business_day(cal, origin, row["target"]["days"], edge)
                amount = sum(((MIN if cal.open(u) else timedelta(0)) for u in _minutes(start, edge_at)), timedelta(0))
            elif guaranteed and kind == "period":
                amount = period_end(cals[row["calendar"]].zone, start, 1) - start
            due = None if amount is None else walk(counts, start, amount)
            at_opening = kind == "next_business_day" and row["target"]["edge"] == "start"
            if guaranteed and kind == "business_days":  # a start edge is an opening; a same-time due the earliest instant
                at_opening = row["target"]["edge"] == "start"
            if due is not None and at_opening:
                while not cal.open(due) or due.second or due.microsecond:
                    due = due.replace(second=0, microsecond=0) + MIN
            elapsed = sum((MIN for u in _minutes(start, until) if counts(u)), timedelta(0))
            paused = sum((MIN for u in _minutes(start, until) if status_at(u) in m["pause"]), timedelta(0))
            if due is not None and due < until:
                state = "breached"
            elif occ["how"]:
                state = {"stop": "met", "superseded": "superseded"}[occ["how"]]
            else:
                state = "paused" if status in m["pause"] else "running"
            res.append({"start": start, "stop": occ["end"], "due": due, "state": state, "elapsed": elapsed,
                        "paused": paused, "breached_at": due if state == "breached" else None})
            readings[n] = (counts, start, amount, occ["end"])
        out[n] = res
    return out, readings


def _minutes(a, b):
    u = a
    while u < b:
        yield u
        u += MIN


def expected_step(step, readings, now):
    r = readings.get(step["metric"])
    if r is None:
        return None, False
    counts, start, amount, end = r
    if "after_minutes" in step:
        at = walk(counts, start, step["after_minutes"] * MIN)
    else:
        at = None if amount is None else walk(counts, start, amount * step["at_share"] / 100)
    return at, at is not None and at <= now and (end is None or at < end)


# ---- the comparison ----------------------------------------------------------------------

def _instant(text):
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def _duration(text):
    import re
    h, m, s = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", text).groups()
    return timedelta(hours=int(h or 0), minutes=int(m or 0), seconds=float(s or 0))


@settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_evaluate_agrees_with_a_minute_by_minute_walk(data):
    table, base = data.draw(tables())
    ticket = data.draw(tickets(base))
    as_json = dict(ticket, now=ticket["now"].isoformat(),
                   events=[dict(e, at=e["at"].isoformat()) for e in ticket["events"]])
    got = Table(table).evaluate(as_json)
    want, readings = expected(table, ticket)
    for name, occs in want.items():
        assert len(got["metrics"][name]) == len(occs), name
        for g, w in zip(got["metrics"][name], occs):
            seen = {"start": _instant(g["start"]), "stop": _instant(g["stop"]), "due": _instant(g["due"]),
                    "state": g["state"], "elapsed": _duration(g["elapsed"]), "paused": _duration(g["paused"]),
                    "breached_at": _instant(g["breached_at"])}
            assert seen == w, (name, g)
    step = table["rules"]["escalation"][0]["steps"][0]
    at, fired = expected_step(step, readings, ticket["now"])
    assert (_instant(got["escalation"][0]["at"]), got["escalation"][0]["fired"]) == (at, fired)
