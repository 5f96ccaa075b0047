"""Per-call cost of `add` on calendars across zones against a wall calendar (prints figures only).

    .venv/bin/python bench/cross_zone.py

Calendars: a wall calendar (New York, Monday-Friday 09:00-17:00); the union of Paris and
New York (two parts); that union plus the follow-the-sun weekend (Friday 17:00 New York
to Monday 09:00 Tokyo). Starts are spread over 2025-2026, one instant per call, after a
warm-up that materialises every year touched; the first call on a year (its open
intervals computed) is measured apart.
"""

from __future__ import annotations

import itertools
import random
import time
import timeit
from datetime import datetime, timedelta, timezone

from policyc.evaluator.business_time import Calendar
from policyc.evaluator.instants import ZonedCalendar

CALLS = 20_000
WEEKDAYS = [[[540, 1020]]] * 5 + [[], []]
WEEKEND = {"from": {"zone": "America/New_York", "weekday": 4, "minute": 1020},
           "until": {"zone": "Asia/Tokyo", "weekday": 0, "minute": 540}}


def wall(zone):
    return {"zone": zone, "week": WEEKDAYS, "dates": {}, "valid": None}


def calendars():
    yield "wall (New York)", lambda: Calendar.from_table(wall("America/New_York"), "ny")
    yield "Paris + New York", lambda: ZonedCalendar.from_table(
        {"zone": "Europe/Paris", "parts": [wall("Europe/Paris"), wall("America/New_York")], "windows": []}, "u")
    yield "Paris + New York + weekend", lambda: ZonedCalendar.from_table(
        {"zone": "Europe/Paris", "parts": [wall("Europe/Paris"), wall("America/New_York")],
         "windows": [WEEKEND]}, "f")


def per_call_us(cal, duration, starts) -> float:
    nxt = itertools.cycle(starts).__next__
    add = cal.add

    def one():
        add(nxt(), duration)

    for _ in starts:  # warm every year touched
        one()
    return min(timeit.repeat(one, number=CALLS, repeat=5)) / CALLS * 1e6


def main() -> None:
    rng = random.Random(9)
    base = datetime(2025, 1, 1, tzinfo=timezone.utc)
    starts = [base + timedelta(minutes=rng.randrange(2 * 365 * 1440)) for _ in range(5000)]
    print(f"{'calendar':28} {'first year':>11} {'4h':>9} {'1000h':>9}")
    for name, build in calendars():
        cal = build()
        t0 = time.perf_counter()
        cal.add(starts[0], timedelta(hours=4))
        first = (time.perf_counter() - t0) * 1e3
        short = per_call_us(cal, timedelta(hours=4), starts)
        long = per_call_us(cal, timedelta(hours=1000), starts)
        print(f"{name:28} {first:9.1f}ms {short:7.1f}us {long:7.1f}us")


if __name__ == "__main__":
    main()
