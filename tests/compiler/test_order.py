"""Ordered values: `order plan: standard < premier`, and the exact check that a better
value (or a more severe level) is never due later than a worse one (W315, W304).

Each expected worst case below is worked out by hand from the calendars, as the
comment above it shows; the property test at the end checks the method against a
brute force over every minute (and the microsecond before it) of a short period.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from policyc.evaluator.decision import target_row
from policyc.evaluator.due import unpaused_due
from policyc.evaluator.zones import from_us, to_us
from policyc.worstcase import WEEK, Due, Worst, calendar, worst

from .helpers import REPO

P = "policies/p.policy"


def policy(cells: str, extra: str = "", order: str = "  order plan: standard < premier\n") -> str:
    """Plans standard and premier, severities high and low, on 09:00-17:00 Paris weekdays."""
    return ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
            "  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
            "  dimension plan { standard, premier }\n" + order
            + "  severities { high, low }\n" + extra
            + "  respond on biz {\n    plan \\ severity  high  low\n" + cells + "  }\n}\n")


def findings(ws, text: str) -> list:
    result = ws.compile({P: text})
    return [(d.code, d.message) for d in result.diagnostics]


def test_premier_24h_is_slower_than_standard_next_business_day(ws):
    # Premier low: 24h of 8-hour days, three business days. Standard low: the end of the
    # next business day. Received Wednesday at closing, standard is due Thursday 17:00
    # and premier Monday 17:00: four days later. In the week of 2025-10-26, when Paris
    # leaves summer time, those four days hold an extra hour: Wednesday 2025-10-22
    # 17:00 CEST (15:00Z) is the first instant of the worst case, 4d 1h.
    found = findings(ws, policy("    premier:          1h    24h\n"
                                "    standard:         4h    next business day\n"))
    assert found == [("W315", "`premier` can fall due later than the worse `standard` of `plan`: a ticket with "
                      "severity `low` received Wed 2025-10-22 17:00 Europe/Paris (15:00Z) is due "
                      "Mon 2025-10-27 17:00 Europe/Paris (16:00Z) on `premier` (24h), 4d 1h after "
                      "Thu 2025-10-23 17:00 Europe/Paris (15:00Z) on `standard` (next business day)")]


def test_the_finding_stands_at_the_better_values_target(ws):
    result = ws.compile({P: policy("    premier:          1h    24h\n"
                                   "    standard:         4h    next business day\n")})
    (d,) = result.diagnostics
    src = result.sources[P]
    assert src.line_col(d.span.start) == (10, 29) and src.text[d.span.start:d.span.end] == "24h"
    assert [src.text[s.start:s.end] for _, s in d.notes] == ["next business day"]


def test_a_shorter_premier_target_does_not_warn(ws):
    # 8h from any instant ends no later than the next business day does (that whole day lies between).
    assert findings(ws, policy("    premier:          1h    8h\n"
                               "    standard:         4h    next business day\n")) == []


def test_without_the_order_plans_are_not_compared(ws):
    assert findings(ws, policy("    premier:          1h    24h\n"
                               "    standard:         4h    next business day\n", order="")) == []


def test_the_order_is_read_worse_first(ws):
    # `premier < standard`: standard is the better one, and its 4h can end later than
    # premier's 1h. Received a microsecond after 13:00 on a Friday, 4h ends on Monday at
    # 09:00 and a microsecond (one microsecond short of 4h on Friday), 1h on Friday 14:00
    # and a microsecond: 2d 19h, and 2d 20h over the weekend Paris leaves summer time
    # (Friday 2025-10-24 13:00:00.000001 CEST is 11:00:00.000001Z; Monday 09:00 CET is 08:00Z).
    # Until 16:00 it stays so; from then on 1h ends on Monday too.
    found = findings(ws, policy("    premier:          1h    8h\n"
                                "    standard:         4h    8h\n", order="  order plan: premier < standard\n"))
    assert found == [("W315", "`standard` can fall due later than the worse `premier` of `plan`: a ticket with "
                      "severity `high` received Fri 2025-10-24 13:00:00.000001 Europe/Paris (11:00:00.000001Z)"
                      " is due Mon 2025-10-27 09:00:00.000001 Europe/Paris (08:00:00.000001Z) on `standard` (4h),"
                      " 2d 20h after Fri 2025-10-24 14:00:00.000001 Europe/Paris (12:00:00.000001Z) on `premier` (1h)")]


def test_severities_on_two_calendars(ws):
    # High: 2h on 14:00-22:00; low: 2h on 09:00-17:00. Received before 09:00 on a weekday
    # (the first instant of the period, Wednesday 2025-01-01 00:00), low is due 11:00 and
    # high 16:00: 5h later, the most: from 09:00 low's due moves with the time received,
    # high's not until 14:00. W304 compared durations on one calendar only; it sees this now.
    text = ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
            "  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
            "  calendar late { zone Europe/Paris open mon..fri 14:00-22:00 }\n"
            "  severities { high, low }\n"
            "  when severity is high: respond on late { target 2h }\n"
            "  when severity is low: respond on biz { target 2h }\n}\n")
    assert findings(ws, text) == [(
        "W304", "severity `high` can fall due later than the less severe `low`: a ticket received "
        "Wed 2025-01-01 00:00 Europe/Paris (Tue 2024-12-31 23:00Z) is due Wed 2025-01-01 16:00 Europe/Paris "
        "(15:00Z) on `high` (2h), 5h after Wed 2025-01-01 11:00 Europe/Paris (10:00Z) on `low` (2h)")]


def test_only_a_holiday_exposes_it(ws):
    # Premier: 8h on business hours that close on Thursday 2025-05-01; standard: the next
    # business day on hours without that holiday. In every other week 8h ends no later
    # than the next business day; received Wednesday 2025-04-30 at 17:00, standard is due
    # Thursday 17:00 and premier Friday 17:00 (its Thursday is closed): one day later.
    extra = "  calendar biz_may { zone Europe/Paris open mon..fri 09:00-17:00 closed 2025-05-01 }\n"
    text = policy("    premier:          1h    8h\n"
                  "    standard:         4h    next business day\n", extra)
    text = text.replace("  respond on biz {", "  when plan is premier and severity is low: respond on biz_may { }\n"
                        "  respond on biz {")
    assert findings(ws, text) == [(
        "W315", "`premier` can fall due later than the worse `standard` of `plan`: a ticket with severity `low` "
        "received Wed 2025-04-30 17:00 Europe/Paris (15:00Z) is due Fri 2025-05-02 17:00 Europe/Paris (15:00Z) "
        "on `premier` (8h), 1d after Thu 2025-05-01 17:00 Europe/Paris (15:00Z) on `standard` (next business day)")]


def test_only_a_change_to_summer_time_exposes_it(ws):
    # Premier: 24h of real time (on `always`); standard: `daily`, the same wall time in
    # Paris a day later: 24h, except across 2025-03-30 when Paris skips 02:00-03:00.
    # Received Saturday 03:00 CET (02:00Z), standard is due Sunday 03:00 CEST (01:00Z) and
    # premier Sunday 02:00Z: an hour later (received at 02:30 CET, half an hour).
    text = policy("    premier:          1h    24h\n"
                  "    standard:         daily daily\n")
    text = text.replace("  respond on biz {", "  when plan is premier: respond on always { }\n  respond on biz {")
    assert findings(ws, text) == [(
        "W315", "`premier` can fall due later than the worse `standard` of `plan`: a ticket with severity `low` "
        "received Sat 2025-03-29 02:00 UTC (02:00Z) is due Sun 2025-03-30 02:00 UTC (02:00Z) on `premier` (24h), "
        "1h after Sun 2025-03-30 03:00 Europe/Paris (01:00Z) on `standard` (daily)")]


def test_irex_premier_is_never_slower_than_standard(ws):
    # The IREX seed orders its plans (`order plan: standard < premier`) and reads Premier L4,
    # "24 heures", as `1 business day` (issue 9 item 6): the check proves Premier is never
    # due later than Standard, on any level, at any instant of 2025-2027: no W315. Its one
    # other finding, Standard L3 (16h) against Standard L4, is expected in the policy
    # (`expect W304`); without that line: received Thursday 16:00, L4 is due Friday 16:00
    # and L3's 16h Monday 16:00, 3d 1h in the week of 2025-10-26.
    text = (REPO / "policies" / "irex.policy").read_text(encoding="utf-8")
    assert "order plan: standard < premier" in text
    assert [d.code for d in ws.compile({"policies/irex.policy": text}).diagnostics] == []
    unexpected = text.replace("  expect W304", "  # expect W304", 1)
    [w304] = ws.compile({"policies/irex.policy": unexpected}).diagnostics
    assert w304.code == "W304" and w304.message.startswith(
        "severity `L3` can fall due later than the less severe `L4`: a ticket with plan `standard`, environment "
        "`production` received Thu 2025-10-23 16:00 Europe/Paris (14:00Z)")
    assert "3d 1h after" in w304.message


def test_irex_read_as_24_business_hours_warns_on_premier_l4(ws):
    # The former reading, 24h of business hours (08:00-16:00 Paris), three business days;
    # Standard L4 the end of the next business day. Received Wednesday at 16:00, Standard is
    # due Thursday 16:00 and Premier Monday 16:00: four days, and 4d 1h in the week Paris
    # leaves summer time (Wednesday 2025-10-22 16:00 CEST, 14:00Z, the first such instant).
    text = (REPO / "policies" / "irex.policy").read_text(encoding="utf-8")
    cell = re.compile(r"8h( +)1 business day")  # Premier L3 and L4, however the table is aligned
    assert cell.search(text)
    result = ws.compile({"policies/irex.policy": cell.sub(r"8h\g<1>24h", text, count=1)})
    found = {d.code: d.message for d in result.diagnostics}
    assert sorted(d.code for d in result.diagnostics) == ["W315"]
    assert found["W315"] == (
        "`premier` can fall due later than the worse `standard` of `plan`: a ticket with environment `production`, "
        "severity `L4` received Wed 2025-10-22 16:00 Europe/Paris (14:00Z) is due Mon 2025-10-27 16:00 "
        "Europe/Paris (15:00Z) on `premier` (24h), 4d 1h after Thu 2025-10-23 16:00 Europe/Paris (14:00Z) on "
        "`standard` (next business day)")


# ---- the method against a brute force ---------------------------------------------------------

WEEKDAY = st.lists(st.tuples(st.integers(0, 47), st.integers(1, 16)), max_size=2)  # (start, length) in half hours
ZONES = ("UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe")
# A week from each: New York's change to summer time (03-09), Paris's (03-30), Lord
# Howe's half-hour change back to standard time (04-06), Paris's back (10-26)
STARTS = (datetime(2025, 3, 5), datetime(2025, 3, 26), datetime(2025, 4, 2), datetime(2025, 10, 22))
DAY_US = 86_400_000_000
MINUTE_US = 60_000_000


@st.composite
def calendars(draw, start: datetime) -> dict:
    """A calendar of up to two windows a day on whole minutes, closed on up to two dates."""
    week = []
    for _ in range(7):
        ivs, end = [], 0
        for first, length in sorted(draw(WEEKDAY)):
            a, b = max(first * 30 + draw(st.sampled_from((0, 7))), end), min((first + length) * 30, 1440)
            if a < b:
                ivs.append([a, b])
                end = b + 1
        week.append(ivs)
    if not any(week):
        week[0] = [[540, 1020]]
    closed = draw(st.sets(st.integers(0, 6), max_size=2))
    dates = {(start + timedelta(days=n)).date().isoformat(): [] for n in sorted(closed)}
    return {"zone": draw(st.sampled_from(ZONES)), "week": week, "dates": dates, "valid": None}


def brute_force(a: Due, b: Due, lo: int, hi: int) -> Worst | None:
    """The largest due_b - due_a over every whole minute of [lo, hi) and the microseconds
    either side of each: with every edge, offset change and target on whole minutes, each
    piece on which both dues are linear starts on a minute or a microsecond after one
    (where a due reaches a closing and jumps to the next opening), and ends just before
    the next piece starts."""
    rows = [(calendar(x), target_row({"target": json.loads(x.target), "calendar": "", "guarantee": "always",
                                      "source": []})) for x in (a, b)]
    found = None
    for m in range(lo, hi, MINUTE_US):
        for t in (m - 1, m, m + 1) if m > lo else (m, m + 1):
            da, db = (to_us(unpaused_due(cal, row, from_us(t))) for cal, row in rows)
            if db > da and (found is None or db - da > found.later):
                found = Worst(t, da, db)
    return found


def duration(minutes: int) -> dict:
    return {"kind": "duration", "duration": f"PT{minutes}M", "minutes": minutes}


@st.composite
def comparisons(draw):
    start = draw(st.sampled_from(STARTS))
    a = Due.of(duration(draw(st.integers(1, 40)) * 30 + draw(st.sampled_from((0, 7)))), draw(calendars(start)))
    b = Due.of(duration(draw(st.integers(1, 40)) * 30), draw(calendars(start)))
    return a, b, to_us(start.replace(tzinfo=timezone.utc))


@settings(max_examples=8, deadline=None)  # a brute force costs about two seconds
@given(comparisons())
def test_worst_case_is_the_brute_force_maximum(case):
    a, b, lo = case
    hi = lo + 7 * DAY_US
    assert worst(a, b, lo, hi) == brute_force(a, b, lo, hi)


@settings(max_examples=20, deadline=None)
@given(comparisons())
def test_weeks_alike_are_checked_once_without_losing_the_worst(case):
    # Over five weeks the check skips a week shaped like one it has checked; checking
    # each week on its own (no week to skip) must find the same worst case.
    a, b, lo = case
    weeks = [worst(a, b, lo + k * WEEK, lo + (k + 1) * WEEK) for k in range(5)]
    found = [w for w in weeks if w is not None]
    best = max(found, key=lambda w: (w.later, -w.at)) if found else None
    assert worst(a, b, lo, lo + 5 * WEEK) == best


def zoned(parts: list[dict]) -> dict:
    """A union across zones (a table entry with `parts`), its home the first part's zone."""
    return {"zone": parts[0]["zone"], "parts": parts, "windows": []}


def targets():
    """A duration, or a target read in the home zone's dates (breakpoints of another kind)."""
    return st.one_of(
        st.builds(lambda n, k: duration(n * 30 + k), st.integers(1, 40), st.sampled_from((0, 7))),
        st.builds(lambda e: {"kind": "next_business_day", "edge": e}, st.sampled_from(("start", "end"))),
        st.builds(lambda n, e: {"kind": "business_days", "days": n, "edge": e},
                  st.integers(1, 2), st.sampled_from(("same_time", "start", "end"))))


@st.composite
def zoned_comparisons(draw):
    # a: a duration on a union of two calendars in different zones; b: one on a wall calendar
    start = draw(st.sampled_from(STARTS))
    first = draw(calendars(start))
    second = dict(draw(calendars(start)), zone=draw(st.sampled_from([z for z in ZONES if z != first["zone"]])))
    a = Due.of(draw(targets()), zoned([first, second]))
    b = Due.of(duration(draw(st.integers(1, 40)) * 30), draw(calendars(start)))
    return (a, b) if draw(st.booleans()) else (b, a), to_us(start.replace(tzinfo=timezone.utc))


@settings(max_examples=8, deadline=None)  # a brute force costs about two seconds
@given(zoned_comparisons())
def test_worst_case_across_zones_is_the_brute_force_maximum(case):
    (a, b), lo = case
    hi = lo + 7 * DAY_US
    assert worst(a, b, lo, hi) == brute_force(a, b, lo, hi)


def test_a_plan_on_a_union_across_zones_is_compared(ws):
    # premier on paris + new_york (09:00-17:00 in each: open 14h a weekday in summer) with
    # 4h is never later than standard's 4h on paris alone: its open set holds paris's.
    # With 12h against paris's 4h, premier can be later: W315.
    def text(target):
        return ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
                "  calendar paris { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
                "  calendar new_york { zone America/New_York open mon..fri 09:00-17:00 }\n"
                "  dimension plan { standard, premier }\n  order plan: standard < premier\n"
                "  severities { high }\n"
                f"  when plan is premier: respond on paris + new_york {{ target {target} }}\n"
                "  respond on paris { target 4h }\n}\n")
    assert findings(ws, text("4h")) == []
    assert [code for code, _ in findings(ws, text("12h"))] == ["W315"]


def test_values_no_rule_tells_apart_are_named_as_ordered(ws):
    # basic and standard share every decision (no rule names either): premier is compared
    # with its neighbour standard, by name, and basic against standard is nothing to check.
    # The worst case is the first test's: received Wednesday 2025-10-22 at closing.
    text = ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
            "  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
            "  dimension plan { basic, standard, premier }\n  order plan: basic < standard < premier\n"
            "  severities { high, low }\n"
            "  when plan is premier: respond on biz { target 24h }\n"
            "  respond on biz { target next business day }\n}\n")
    assert [m for _, m in findings(ws, text)] == [
        "`premier` can fall due later than the worse `standard` of `plan`: a ticket with severity `high` received "
        "Wed 2025-10-22 17:00 Europe/Paris (15:00Z) is due Mon 2025-10-27 17:00 Europe/Paris (16:00Z) on "
        "`premier` (24h), 4d 1h after Thu 2025-10-23 17:00 Europe/Paris (15:00Z) on `standard` (next business day)"]
