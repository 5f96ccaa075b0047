"""Cost of the "never slower" check (W304, W315) on each seed policy (prints figures only).

    .venv/bin/python bench/never_slower.py

Each seed is checked in a fresh process (the check memoises its comparisons for the
life of a process, so the first compile is the one that pays): the time of every other
pass, then of `order.check_never_slower`, then of both again in the same process.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ("irex", "navixy", "hydra")

CHILD = """
import sys, time
from policyc import graph, passes
from policyc.passes import order
from policyc.project import load_project

project = load_project([sys.argv[1]])
(policy, path), = project.policies()
for run in ("first", "again"):
    ctx = passes.Context(graph.build(project, policy, path))
    t0 = time.perf_counter()
    for check in passes.PASSES:
        if check is not order.check_never_slower:
            list(check(ctx))
    t1 = time.perf_counter()
    found = list(order.check_never_slower(ctx))
    t2 = time.perf_counter()
    print(f"{run}: other passes {1000 * (t1 - t0):6.0f} ms, never slower {1000 * (t2 - t1):6.0f} ms, "
          f"{len(found)} finding(s) before `expect`")
"""


def main() -> None:
    for seed in SEEDS:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "policies" / f"{seed}.policy")],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        total = time.perf_counter() - start
        for line in proc.stdout.splitlines():
            print(f"{seed:7} {line}")
        print(f"{seed:7} process: {total:.2f} s")


if __name__ == "__main__":
    main()
