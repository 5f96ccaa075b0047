"""Dated policies: what versions cost (prints only; never asserts a time).

    .venv/bin/python bench/versions.py

The dated policy tests/versions/acme.policy (three versions: hours and targets change
on 1 July, an exception starts on 1 October) against the same policy undated (July's
terms all year, one version), both compiled here:

1. compile time, dated / undated (each version is checked and compiled whole: expect
   about the number of versions);
2. decisions per second, each table in a fresh Python process, over 20,000 distinct
   random instants spread over the whole effective period (2026) with random facts:
   the first 2,000 decisions and the steady rate after them, apart; CPU time of the
   process. A ticket is placed in its version by comparing its instant with each
   version's first day; only tickets within a day of a change need their local date
   (their response calendar's zone), so the ratio should stay near 1.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACME = (ROOT / "tests" / "versions" / "acme.policy").read_text(encoding="utf-8")


def undated(text: str) -> str:
    """July's terms all year: the other versions dropped, the dates removed."""
    text = re.sub(r"  calendar hours until 2026-06-30 .*\n", "", text)
    text = re.sub(r"  rule targets until 2026-06-30: respond on hours \{[^}]*\}\n", "", text)
    text = re.sub(r"  expect W344 .*\n  exception to targets from 2026-10-01: .*\n", "", text)
    return text.replace(" from 2026-07-01", "")


def compile_table(text: str, out: Path) -> tuple[float, Path]:
    src = out / "src"
    src.mkdir(parents=True)
    (src / "acme.policy").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(ROOT / "src"))
    from policyc.compiler import compile_paths

    t0 = time.process_time()
    result = compile_paths([str(src)])
    spent = time.process_time() - t0
    assert not result.errors, [d.message for d in result.errors]
    path = out / "acme.json"
    path.write_bytes(result.encoded["acme"])
    return spent, path


RUN = r"""
import json, random, sys, time
from datetime import datetime, timedelta, timezone
from policyc.evaluator import load
table = load(sys.argv[1])
rng = random.Random(7)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
facts = [{"received_at": (start + timedelta(seconds=rng.randrange(364 * 86400))).isoformat(),
          "plan": rng.choice(["standard", "premium"]), "severity": rng.choice(["S1", "S2"])} for _ in range(20000)]
t0 = time.process_time()
for f in facts[:2000]:
    table.decide(f)
t1 = time.process_time()
for f in facts[2000:]:
    table.decide(f)
t2 = time.process_time()
print(json.dumps([2000 / (t1 - t0), 18000 / (t2 - t1)]))
"""


def rates(path: Path) -> list[float]:
    out = subprocess.run([sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")})
    return json.loads(out.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        compile_table(ACME + "# warm\n", Path(tmp) / "warm")  # imports and the parser, outside the figures
        # best of 5, each a text not seen before (nothing cached between runs)
        dated_s = min(compile_table(ACME + f"# {i}\n", Path(tmp) / f"d{i}")[0] for i in range(5))
        plain_s = min(compile_table(undated(ACME) + f"# {i}\n", Path(tmp) / f"p{i}")[0] for i in range(5))
        dated, plain = compile_table(ACME, Path(tmp) / "dated")[1], compile_table(undated(ACME), Path(tmp) / "plain")[1]
        print(f"compile (best of 5): dated {dated_s * 1000:.0f} ms, undated {plain_s * 1000:.0f} ms, ratio {dated_s / plain_s:.2f} (3 versions)")
        (d_first, d_steady), (p_first, p_steady) = rates(dated), rates(plain)
        print(f"decisions/s, first 2,000: dated {d_first:,.0f}, undated {p_first:,.0f}, ratio {d_first / p_first:.2f}")
        print(f"decisions/s, steady:      dated {d_steady:,.0f}, undated {p_steady:,.0f}, ratio {d_steady / p_steady:.2f}")


if __name__ == "__main__":
    main()
