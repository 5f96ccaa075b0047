"""Compile time of a contract whose negotiable group has N rules (prints figures only).

    .venv/bin/python bench/contracts.py

The base policy has a dimension of N customers, a target for every ticket, and a
negotiable group of N rules (one per customer: `rule agreed: when customer is cK: ...`);
the contract replaces the group with N rules of its own. Printed: the compile time of
the base alone, of the base with its contract, and of the contract's checks alone
(`contracts.merge_all`: the merge, the reach and the win checks). The checks should cost
about what compiling the policy costs (they resolve the rules once more), not N times it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from policyc import contracts
from policyc.compiler import compile_paths
from policyc.project import load_project

RUNS = 3


def base_text(n: int) -> str:
    customers = ", ".join(f"c{i}" for i in range(n))
    group = "\n".join(f"  negotiable rule agreed: when customer is c{i} and plan is premier: respond {{ target "
                      f"{1 + i % 7}h }}" for i in range(n))
    return ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
            "  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
            f"  dimension customer {{ {customers} }}\n  dimension plan {{ standard, premier }}\n"
            "  severities { S1, S2, S3 }\n"
            "  respond on biz { target 8h }\n"
            f"{group}\n}}\n")


def contract_text(n: int) -> str:
    rules = "\n".join(f"  rule agreed: when customer is c{i} and plan is premier: respond {{ target {1 + i % 5}h }}"
                      for i in range(n))
    return f'contract c extends p "C" {{\n  version "2"\n{rules}\n}}\n'


def best(fn) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    for n in (100, 1000, 5000):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp, "policies")
            root.mkdir()
            (root / "p.policy").write_text(base_text(n), encoding="utf-8")
            alone = best(lambda: compile_paths([str(root)]))
            (root / "c.policy").write_text(contract_text(n), encoding="utf-8")
            result = compile_paths([str(root)])
            assert not result.errors, [d.message for d in result.errors[:3]]
            both = best(lambda: compile_paths([str(root)]))
            project = load_project([str(root)])
            checks = best(lambda: contracts.merge_all(project))
        print(f"N={n:>5}: base alone {alone:6.2f} s, base + contract {both:6.2f} s, contract checks {checks:6.2f} s")


if __name__ == "__main__":
    main()
