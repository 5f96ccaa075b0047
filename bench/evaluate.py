"""Evaluator figures, measured in one run (prints only; never asserts a time).

    .venv/bin/python bench/evaluate.py

1. decisions per second on each seed table: the full `decide`, timestamp parsing
   included, over tickets received at different instants in 2025-2026;
2. the time of a 1,000-business-hour target divided by that of a 1-hour target, on
   the seed calendars (goal: under 3: the cost must not grow with the target);
3. `python -X importtime -c "import policyc.evaluator"` total (goal: under 30 ms).
"""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import sys
import timeit
from datetime import datetime, timedelta, timezone
from pathlib import Path

from policyc.evaluator import load

ROOT = Path(__file__).resolve().parents[1]
N = 20_000


def instants(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    return [(start + timedelta(minutes=rng.randrange(2 * 365 * 1440))).isoformat() for _ in range(count)]


TICKETS = {
    "irex": lambda t, r: {"received_at": t, "plan": r.choice(["standard", "premier"]),
                          "environment": r.choice(["production", "non_production"]),
                          "severity": r.choice(["L1", "L2", "L3", "L4"])},
    "navixy": lambda t, r: {"received_at": t, "deployment": r.choice(["saas", "on_premise", "cloud"]),
                            "plan": r.choice(["basic", "advanced"]), "severity": r.choice(["L1", "L2", "L3", "L4"])},
    "hydra": lambda t, r: {"received_at": t, "type": r.choice(["incident", "request"]),
                           "severity": r.choice(["urgent", "high", "normal", "low"])},
}


def decisions_per_second() -> None:
    rng = random.Random(1)
    for pid, make in TICKETS.items():
        table = load(ROOT / "generated" / f"{pid}.json")
        facts = [make(t, rng) for t in instants(1000)]
        cycle = itertools.cycle(facts)
        best = min(timeit.repeat(lambda: table.decide(next(cycle)), number=N, repeat=3))
        print(f"decide {pid:7s} {N / best:>10,.0f} decisions/s  ({best / N * 1e6:.1f} us each, one core)")


def ratio() -> None:
    for pid, cal_name in (("irex", "business"), ("irex", "business+weekend"), ("navixy", "working_days"),
                          ("navixy", "support_hours"), ("hydra", "business_hours")):
        cal = load(ROOT / "generated" / f"{pid}.json").calendars[cal_name]
        # Long targets must stay inside the years with holiday data (2024-2027).
        starts = [datetime.fromisoformat(t) for t in instants(500, seed=3)]
        times = {}
        for hours in (1, 1000):
            d = timedelta(hours=hours)
            cycle = itertools.cycle(starts)
            times[hours] = min(timeit.repeat(lambda: cal.add(next(cycle), d), number=N, repeat=3)) / N
        print(f"add {pid}/{cal_name:18s} 1h {times[1] * 1e6:6.2f} us  1000h {times[1000] * 1e6:6.2f} us  "
              f"ratio {times[1000] / times[1]:.2f}")


def import_time() -> None:
    """Both readings of "total": every top-level line of -X importtime, and the evaluator's own."""
    runs = []
    for _ in range(5):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import policyc.evaluator"],
                             capture_output=True, text=True, check=True).stderr
        top = sum(int(m.group(1)) for m in re.finditer(r"import time:\s+\d+ \|\s+(\d+) \| \S", err))
        own = int(re.search(r"import time:\s+\d+ \|\s+(\d+) \| policyc\.evaluator$", err, re.M).group(1))
        runs.append((top, own))
    top, own = min(runs)
    print(f"import policyc.evaluator: {own / 1000:.1f} ms for the package; {top / 1000:.1f} ms for everything "
          "-X importtime lists (interpreter start-up modules included); best of 5")


if __name__ == "__main__":
    decisions_per_second()
    ratio()
    import_time()
