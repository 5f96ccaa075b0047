"""Per-call cost of Calendar.add for short and long targets (prints figures only).

    .venv/bin/python bench/business_time.py

The cost of `add` must not grow with the target: the 1000h/1h ratio should stay
under 3.  Starts are spread over 2025-2026 (a different instant each call) so the
figures include DST changes and year boundaries crossed by the long targets.
"""

from __future__ import annotations

import itertools
import time
import timeit
from datetime import datetime, timedelta, timezone

from policyc.evaluator.business_time import Calendar

OFFICE = [[[480, 960]]] * 5 + [[], []]
CALLS = 20_000

# Russian non-working days (New Year block, Feb 23, Mar 8, May 1/9, Jun 12, Nov 4 and
# the transfers) for 2024-2027, about 20 a year, plus the transferred working Saturdays.
HOLIDAYS = {
    2024: ["01-01", "01-02", "01-03", "01-04", "01-05", "01-08", "02-23", "03-08",
           "04-29", "04-30", "05-01", "05-09", "05-10", "06-12", "11-04", "12-30", "12-31"],
    2025: ["01-01", "01-02", "01-03", "01-06", "01-07", "01-08", "05-01", "05-02",
           "05-08", "05-09", "06-12", "06-13", "11-03", "11-04", "12-31"],
    2026: ["01-01", "01-02", "01-05", "01-06", "01-07", "01-08", "01-09", "02-23",
           "03-09", "05-01", "05-11", "06-12", "11-04", "12-31"],
    2027: ["01-01", "01-04", "01-05", "01-06", "01-07", "01-08", "02-23", "03-08",
           "05-03", "05-10", "06-14", "11-04", "12-31"],
}
WORKING_SATURDAYS = ["2024-04-27", "2024-11-02", "2024-12-28", "2025-11-01", "2027-12-18"]


def moscow_calendar() -> tuple[Calendar, int]:
    dates = {f"{y}-{md}": [] for y, mds in HOLIDAYS.items() for md in mds}
    # extra synthetic closures so every year has about 20 dates, like a real table
    for y in HOLIDAYS:
        for md in ("02-24", "03-10", "07-01", "08-15", "09-01", "10-01"):
            dates.setdefault(f"{y}-{md}", [])
    dates.update({d: [[540, 1080]] for d in WORKING_SATURDAYS})
    return Calendar.from_table({
        "zone": "Europe/Moscow", "week": [[[540, 1080]]] * 5 + [[], []], "dates": dates,
        "valid": {"from": "2024-01-01", "until": "2027-12-31"}}, "ru-workdays"), len(dates)


def per_call_us(cal: Calendar, duration: timedelta, starts) -> float:
    nxt = itertools.cycle(starts).__next__
    add = cal.add

    def one():
        add(nxt(), duration)

    for _ in starts:  # warm the zone caches for every year touched
        one()
    return min(timeit.repeat(one, number=CALLS, repeat=5)) / CALLS * 1e6


def main() -> None:
    # 997 distinct starts on arbitrary minutes (open and closed) over 2025-01-01 ..
    # 2026-06-30, so that 1000h targets stay inside the Moscow calendar's `valid`
    base, span = datetime(2025, 1, 1, tzinfo=timezone.utc), 546 * 1440
    starts = [base + timedelta(minutes=(i * 1051) % span) for i in range(997)]
    paris = Calendar.from_table({"zone": "Europe/Paris", "week": OFFICE, "dates": {},
                                 "valid": None}, "fr-office")
    moscow, n_dates = moscow_calendar()
    one, thousand = timedelta(hours=1), timedelta(hours=1000)
    nxt = itertools.cycle(starts).__next__
    empty = min(timeit.repeat(lambda: (lambda t, d: None)(nxt(), one), number=CALLS,
                              repeat=5)) / CALLS * 1e6
    print(f"business_time bench: Calendar.add, us per call, best of 5 x {CALLS} calls "
          f"(harness overhead {empty:.2f} us included)")
    # one-off cost: the first call in a zone samples its offsets for the year asked about
    chicago = Calendar.from_table({"zone": "America/Chicago", "week": OFFICE}, "us-central")
    t0 = time.perf_counter()
    chicago.add(base, one)
    print(f"cold first call (new zone, transitions of one year sampled): "
          f"{(time.perf_counter() - t0) * 1e3:.1f} ms")
    for label, cal in (("Mon-Fri 08:00-16:00 Europe/Paris", paris),
                       (f"Europe/Moscow working days, {n_dates} dates, valid 2024-2027", moscow)):
        a = per_call_us(cal, one, starts)
        b = per_call_us(cal, thousand, starts)
        print(f"{label}:")
        print(f"  add 1h     {a:6.2f} us/call")
        print(f"  add 1000h  {b:6.2f} us/call")
        print(f"  ratio 1000h/1h  {b / a:.2f}")


if __name__ == "__main__":
    main()
