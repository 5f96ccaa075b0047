"""Compile time of synthetic policies with 1,000 and 10,000 target rules (prints figures only).

    .venv/bin/python bench/compile.py [--profile]

Each policy has a `plan \\ severity` table of PLANS x 100 cells (10 x 100 and 100 x 100),
a second dimension the response rules are conditioned on, a few conditioned `respond`
rules that override cells of the table, a severity rule, escalation and billing rules,
and three calendars (one with Russian national holidays, one over the weekend, one a
union). Each is compiled in-process with `compile_paths` on a temporary directory,
best of a few runs. Targets (issue): 10,000 rules in under 2 s, 10k/1k ratio under 12.

A third case has a large fact space and few rules (issue 7, item 11): dimensions of
1,000 x 250 values and 4 severities (1,000,000 tickets) and a handful of response rules,
compiled once with only those and once with every aspect set (a severity rule,
escalation, billing, services), each in a fresh process. Its cost should follow the
rules, not the 1,000,000 tickets; the process's peak resident memory is printed too.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import resource
import subprocess
import time
from pathlib import Path

from policyc.compiler import compile_paths

SEVERITIES = 100
RUNS = 3


def policy_text(plans: int, severities: int = SEVERITIES) -> str:
    """A valid policy whose table has plans x severities target cells."""
    plan_names = [f"p{i}" for i in range(plans)]
    sev_names = [f"s{j}" for j in range(severities)]
    out = [
        f'policy bench{plans} "Synthetic policy, {plans} plans" {{',
        '  version "1"',
        "  effective 2025-01-01..2026-12-31",
        '  holidays ru "Russian bank holidays" { national RU years 2025..2026 }',
        '  calendar office "Office" { zone Europe/Moscow open mon..fri 09:00-18:00 holidays ru }',
        '  calendar weekend "Weekend" { zone Europe/Moscow open fri 18:00 - mon 09:00 }',
        '  calendar round = office + weekend',
        '  dimension plan "Plan" {',
        "    " + ",\n    ".join(f'{p} "Plan {p}"' for p in plan_names),
        "  }",
        '  dimension environment "Environment" { production "Production", test "Test" }',
        '  severities "Severity" {',
        "    " + ",\n    ".join(f'{s} "Level {s}"' for s in sev_names),
        "  }",
        f"  when environment is test: severity {sev_names[0]} becomes {sev_names[1]}",
        "  respond on office {",
        "    plan \\ severity " + " ".join(sev_names),
    ]
    for i, p in enumerate(plan_names):
        # Non-decreasing along each row, so no W304: more severe never waits longer.
        cells = [f"{j + 1}h{i % 60}min" if i % 60 else f"{j + 1}h" for j in range(severities)]
        out.append(f"    {p}: " + " ".join(cells))
    out.append("  }")
    # Conditioned rules more specific than the table's cells in one respect each.
    for i in range(0, plans, max(1, plans // 10)):
        out.append(f"  when plan is {plan_names[i]} and severity is {sev_names[0]}: respond on round {{ }}")
    out.append(f"  when plan is {plan_names[-1]}: respond {{ guaranteed if received within office }}")
    out += [
        '  role desk "Support desk" { email "desk@example.com" }',
        '  role head "Head of support"',
        "  escalation urgent { email desk cc head  phone head after 1h }",
        "  escalate { email desk }",
        f"  when severity is {sev_names[0]}: escalate urgent",
        "  bill 2x outside office",
        "}",
    ]
    return "\n".join(out) + "\n"


def wide_policy_text(every_aspect: bool, sites: int = 1000, products: int = 250) -> str:
    """1,000 sites x 250 products x 4 severities, a handful of rules (about 10 KB)."""
    sites = [f"site{i}" for i in range(sites)]
    products = [f"prod{i}" for i in range(products)]
    out = [
        'policy wide "A wide fact space" {',
        '  version "1"',
        "  effective 2025-01-01..2026-12-31",
        "  calendar office { zone Europe/Paris open mon..fri 09:00-18:00 }",
        "  dimension site { " + ", ".join(sites) + " }",
        "  dimension product { " + ", ".join(products) + " }",
        "  severities { S1, S2, S3, S4 }",
        "  respond on office {",
        "    severity S1 S2 S3 S4",
        "    target:  1h 4h 8h 24h",
        "  }",
        "  when site is site0, site1, site2: respond on always { }",
        "  when product is prod7 and severity is S1: respond { target 30min }",
        "  when site is not site3 and product is prod9: respond { guaranteed if received within office }",
        "  when site is site5 and product is prod5, prod6 and severity is S3: respond { target 6h }",
        "  when site is site0 and severity is S4: respond { target 12h }",
    ]
    if every_aspect:
        out += [
            "  when product is prod1: severity S1 becomes S2",
            '  role desk { email "desk@example.com" }',
            "  escalate { email desk }",
            "  when severity is S1: escalate { phone desk }",
            "  bill 2x outside office",
            "  when site is site4: bill 3x outside office",
            "  service installs { included  when product is prod2, prod3: excluded }",
            "  service training { when site is site8: hourly }",
        ]
    return "\n".join(out + ["}"]) + "\n"


def compile_wide(every_aspect: bool) -> None:
    """Compile the wide policy once in this process; print seconds and peak resident MiB."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "policies"
        folder.mkdir()
        (folder / "wide.policy").write_text(wide_policy_text(every_aspect), encoding="utf-8")
        os.chdir(tmp)
        elapsed = compile_once(folder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    what = "every aspect set" if every_aspect else "response rules only"
    print(f"compile 1,000 x 250 x 4 tickets, {what}: {elapsed:.3f} s, peak {peak:.0f} MiB resident")


def print_wide() -> None:
    """Each wide case in a fresh process, so that its memory peak is its own."""
    for every_aspect in (False, True):
        subprocess.run([sys.executable, __file__, "--wide-case", "all" if every_aspect else "response"],
                       check=True)


def compile_once(folder: Path) -> float:
    start = time.perf_counter()
    result = compile_paths([str(folder)])
    elapsed = time.perf_counter() - start
    if result.errors or not result.tables:
        shown = "; ".join(f"{d.code} {d.message}" for d in result.errors[:5])
        raise SystemExit(f"bench policy does not compile: {shown}")
    return elapsed


def best_of(plans: int, runs: int, profile: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "policies"
        folder.mkdir()
        (folder / "bench.policy").write_text(policy_text(plans), encoding="utf-8")
        old = os.getcwd()
        os.chdir(tmp)
        try:
            compile_once(folder)  # warm: grammar, holidays package, schema validator
            times = [compile_once(folder) for _ in range(runs)]
            if profile:
                prof = cProfile.Profile()
                prof.enable()
                compile_once(folder)
                prof.disable()
                print(f"\nprofile, {plans * SEVERITIES} rules (cumulative, top 25):")
                pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
        finally:
            os.chdir(old)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of the 10k compile")
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--wide-only", action="store_true", help="only the wide fact space cases")
    ap.add_argument("--wide-case", choices=("response", "all"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.wide_case:
        compile_wide(args.wide_case == "all")
        return
    if args.wide_only:
        print_wide()
        return
    small = best_of(10, args.runs, False)
    large = best_of(100, args.runs, args.profile)
    print(f"compile  1,000 target rules: {small:.3f} s (best of {args.runs})")
    print(f"compile 10,000 target rules: {large:.3f} s (best of {args.runs})")
    print(f"ratio 10k/1k: {large / small:.1f}")
    print_wide()


if __name__ == "__main__":
    main()
