"""Evaluator figures (prints only; never asserts a time).

    .venv/bin/python bench/evaluate.py

1. decisions per second on each seed table, each in a fresh Python process (nothing
   cached: zone transitions, rule combinations), over distinct random instants spread
   over the table's whole effective period (`policy.effective`) with random valid
   facts.  Printed twice: the rate of the first 2,000 decisions (what a short-lived
   CLI run or a fresh worker sees) and the steady rate afterwards.  Timed in CPU
   time of the process (time.process_time), so that other load on a shared machine
   does not count;
2. the time of a 1,000-business-hour target divided by that of a 1-hour target, on
   the seed calendars (goal: under 3: the cost must not grow with the target);
3. `python -X importtime -c "import policyc.evaluator"` total (goal: under 30 ms);
4. tickets of 20 events evaluated per second, JSON parsing included (goal: 20,000 a
   second per core), on the conformance table `support` (four metrics: first and next
   response, a pausable resolution that restarts on fact changes, a repeating update)
   and on navixy; CPU time, steady state (best of 3 batches);
5. the time of a 1,000-event ticket divided by that of a 20-event one (goal: under 60,
   i.e. linear in the events);
6. the time of a 250-business-day target (`business_day(t, 250, edge)`) divided by that
   of a 1-business-day one, on seed calendars, in a fresh process, each call at a
   distinct random instant of the effective period (the part from which 250 business
   days stay inside the calendar's holiday years); CPU time, both edges `same_time`
   and `end` (goal: under 3: the cost must not grow with the number of days);
7. calendars that follow the customer (policies/redhat.policy: zone and country as
   facts, 40 regions admitted): decisions per second as in 1 (fresh process, first
   2,000 and steady apart, each ticket's zone that of its region), the table's size
   and its load time (fresh process, best of 5); the same policy with `regions all`
   (every country and subdivision the `holidays` package knows): size, load time,
   decisions per second, and the rate of decisions that leave the country out (the
   partial-facts path enumerating the region dimension).
"""

from __future__ import annotations

import itertools
import json
import random
import re
import subprocess
import sys
import time
import timeit
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from seed_tables import seed_path  # noqa: E402  generated/ as schema_version 2, whatever the compiler emits
TABLES = ("navixy", "irex", "hydra")
FIRST = 2_000  # decisions timed cold
STEADY = 20_000  # decisions per steady batch (best of 3 batches of fresh instants)
N = 20_000  # calls per timing of the 1000h/1h ratio


# The zone of a customer in each region of policies/redhat.policy (a country's capital's
# where the region is a whole country); other regions take one of ZONE_POOL by country.
ZONE_OF = {"US": "America/Chicago", "US-CA": "America/Los_Angeles", "US-MA": "America/New_York",
           "US-NC": "America/New_York", "US-NY": "America/New_York", "US-TX": "America/Chicago",
           "CA": "America/Toronto", "CA-BC": "America/Vancouver", "CA-ON": "America/Toronto",
           "CA-QC": "America/Toronto", "GB": "Europe/London", "GB-ENG": "Europe/London",
           "GB-SCT": "Europe/London", "IE": "Europe/Dublin", "FR": "Europe/Paris", "DE": "Europe/Berlin",
           "DE-BE": "Europe/Berlin", "DE-BY": "Europe/Berlin", "NL": "Europe/Amsterdam", "BE": "Europe/Brussels",
           "ES": "Europe/Madrid", "IT": "Europe/Rome", "CH": "Europe/Zurich", "AT": "Europe/Vienna",
           "SE": "Europe/Stockholm", "PL": "Europe/Warsaw", "CZ": "Europe/Prague", "IL": "Asia/Jerusalem",
           "AE": "Asia/Dubai", "ZA": "Africa/Johannesburg", "IN": "Asia/Kolkata", "JP": "Asia/Tokyo",
           "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "SG": "Asia/Singapore", "AU": "Australia/Sydney",
           "AU-NSW": "Australia/Sydney", "NZ": "Pacific/Auckland", "BR": "America/Sao_Paulo",
           "MX": "America/Mexico_City"}
ZONE_POOL = sorted(set(ZONE_OF.values()))


def zone_for(region: str) -> str:
    country = region.partition("-")[0]
    return ZONE_OF.get(region) or ZONE_OF.get(country) or ZONE_POOL[sum(map(ord, country)) % len(ZONE_POOL)]


def random_tickets(data: dict, count: int, seed: int, leave_out: tuple = ()) -> list[dict]:
    """`count` tickets at distinct instants (whole seconds) of the effective period; a
    zone fact is the zone of the ticket's region (facts in `leave_out` are left out)."""
    rng = random.Random(seed)
    eff = data["policy"]["effective"]
    lo = datetime.combine(date.fromisoformat(eff["from"]), datetime.min.time(), timezone.utc)
    hi = datetime.combine(date.fromisoformat(eff["until"]), datetime.min.time(), timezone.utc)
    span = int((hi - lo).total_seconds()) + 86_400
    seconds = rng.sample(range(span), count)
    facts = {name: f["values"] for name, f in data["facts"].items() if "values" in f}
    regions = [name for name, f in data["facts"].items() if f.get("kind") == "regions"]
    zones = [name for name, f in data["facts"].items() if f.get("kind") == "zone"]
    out = []
    for s in seconds:
        ticket = {name: rng.choice(values) for name, values in facts.items()}
        ticket.update({name: zone_for(ticket[regions[0]] if regions else "") for name in zones})
        ticket["received_at"] = (lo + timedelta(seconds=s)).isoformat().replace("+00:00", "Z")
        out.append({k: v for k, v in ticket.items() if k not in leave_out})
    return out


def one_table(pid: str, path: Path | None = None, leave_out: tuple = ()) -> None:
    """Run in a fresh process: print the cold and the steady rate of one table."""
    from policyc.evaluator import PolicyError, load

    path = path or seed_path(pid)
    tickets = random_tickets(json.loads(path.read_text()), FIRST + 3 * STEADY, seed=len(pid), leave_out=leave_out)
    table = load(path)
    refused = 0

    def run(batch) -> float:
        nonlocal refused
        decide, t0 = table.decide, time.process_time()
        for facts in batch:
            try:
                decide(facts)
            except PolicyError:  # a due time beyond the holiday years, say: still an answer
                refused += 1
        return time.process_time() - t0

    first = run(tickets[:FIRST])
    steady = min(run(tickets[FIRST + i * STEADY:FIRST + (i + 1) * STEADY]) for i in range(3))
    eff = table.data["policy"]["effective"]
    print(f"decide {pid:7s} first {FIRST:,}: {FIRST / first:>9,.0f}/s   steady: {STEADY / steady:>9,.0f}/s"
          f"   ({refused:,} of {len(tickets):,} refused; instants {eff['from']}..{eff['until']})")


def decisions_per_second() -> None:
    for pid in TABLES:
        subprocess.run([sys.executable, __file__, "--table", pid], check=True)


def ratio() -> None:
    from policyc.evaluator import load

    rng = random.Random(3)
    # Long targets must stay inside the years with holiday data (2024-2027).
    base = datetime(2025, 1, 1, tzinfo=timezone.utc)
    starts = [base + timedelta(minutes=rng.randrange(2 * 365 * 1440)) for _ in range(500)]
    for pid, cal_name in (("irex", "business"), ("irex", "business+weekend"), ("navixy", "working_days"),
                          ("navixy", "support_hours"), ("hydra", "business_hours")):
        cal = load(seed_path(pid)).calendars[cal_name]
        times = {}
        for hours in (1, 1000):
            d = timedelta(hours=hours)
            cycle = itertools.cycle(starts)
            times[hours] = min(timeit.repeat(lambda: cal.add(next(cycle), d), number=N, repeat=3)) / N
        print(f"add {pid}/{cal_name:18s} 1h {times[1] * 1e6:6.2f} us  1000h {times[1000] * 1e6:6.2f} us  "
              f"ratio {times[1000] / times[1]:.2f}")


BDAYS = 20_000  # distinct instants per timing of the 250/1 business-day ratio


def business_days_ratio() -> None:
    """Run in a fresh process: 250 business days against 1, at distinct instants."""
    from policyc.evaluator import load

    for pid, cal_name in (("irex", "business"), ("navixy", "working_days"), ("hydra", "business_hours")):
        table = load(seed_path(pid))
        cal, eff = table.calendars[cal_name], table.data["policy"]["effective"]
        lo = datetime.combine(date.fromisoformat(eff["from"]), datetime.min.time(), timezone.utc)
        # 250 business days are about 51 weeks: the last start leaves 400 days of holiday years
        until = cal.valid_until or date.fromisoformat(eff["until"])
        hi = datetime.combine(until, datetime.min.time(), timezone.utc) - timedelta(days=400)
        rng = random.Random(250)
        seconds = rng.sample(range(int((hi - lo).total_seconds())), 4 * BDAYS)
        instants = [lo + timedelta(seconds=x) for x in seconds]
        cal.business_day(lo, 250), cal.business_day(hi, 250)  # the zone's years, once
        out = []
        for i, edge in enumerate(("same_time", "end")):
            times = {}
            for j, n in enumerate((1, 250)):
                batch, t0 = instants[(2 * i + j) * BDAYS:(2 * i + j + 1) * BDAYS], time.process_time()
                for t in batch:
                    cal.business_day(t, n, edge)
                times[n] = (time.process_time() - t0) / BDAYS
            out.append(f"{edge} 1: {times[1] * 1e6:5.1f} us  250: {times[250] * 1e6:5.1f} us  "
                       f"ratio {times[250] / times[1]:.2f}")
        print(f"business days {pid}/{cal_name:15s} " + "   ".join(out))


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


TICKETS = 2_000  # 20-event tickets per timed batch
KINDS = ("customer_message", "agent_message", "customer_message", "agent_message", "status", "facts")


def random_ticket(rng: random.Random, n_events: int, statuses: list, facts: dict) -> str:
    """A ticket as JSON text: `created` on a weekday of 2025, then events 5 to 120 minutes apart."""
    t = datetime(2025, 3, 3, 8, tzinfo=timezone.utc) + timedelta(days=rng.randrange(250), minutes=rng.randrange(600))
    initial = {name: rng.choice(values) for name, values in facts.items()}
    events = [{"at": t.isoformat(), "type": "created"}]
    for _ in range(n_events - 1):
        t += timedelta(minutes=rng.randrange(5, 120))
        kind = rng.choice(KINDS)
        event = {"at": t.isoformat(), "type": kind}
        if kind == "status":
            event["status"] = rng.choice(statuses)
        elif kind == "facts":
            event["facts"] = {"severity": rng.choice(facts["severity"])}
        events.append(event)
    return json.dumps({"facts": initial, "events": events, "now": (t + timedelta(hours=1)).isoformat()})


def tickets_per_second() -> None:
    from policyc.evaluator import load
    from policyc.evaluator.cli import decide_json

    for name, path in (("support", ROOT / "conformance" / "tables" / "support.json"), ("navixy", seed_path("navixy"))):
        table = load(path)
        facts = {k: v["values"] for k, v in table.data["facts"].items()}
        rng = random.Random(20)
        batches = [[random_ticket(rng, 20, table.statuses, facts) for _ in range(TICKETS)] for _ in range(4)]
        for text in batches[0]:  # warm: zone years, rule combinations
            decide_json(table, text, "ticket")
        best = min(_cpu(lambda: [decide_json(table, text, "ticket") for text in batch]) for batch in batches[1:])
        long = [random_ticket(rng, 1000, table.statuses, facts) for _ in range(20)]
        short = [random_ticket(rng, 20, table.statuses, facts) for _ in range(1000)]
        t_long = min(_cpu(lambda: [decide_json(table, x, "ticket") for x in long]) for _ in range(3)) / len(long)
        t_short = min(_cpu(lambda: [decide_json(table, x, "ticket") for x in short]) for _ in range(3)) / len(short)
        print(f"evaluate {name:7s} 20-event tickets: {TICKETS / best:>7,.0f}/s (parsing included)   "
              f"1,000 events {t_long * 1e3:6.2f} ms / 20 events {t_short * 1e3:5.3f} ms = ratio {t_long / t_short:.1f}")


def _cpu(work) -> float:
    t0 = time.process_time()
    work()
    return time.process_time() - t0


LOCAL = ROOT / "policies" / "redhat.policy"  # a calendar that follows the customer


def local_tables(folder: Path) -> dict[str, Path]:
    """policies/redhat.policy compiled as it is, and with `regions all` (years and effective
    dates 2025..2026: the package's Sri Lankan holidays stop after 2026)."""
    text = LOCAL.read_text(encoding="utf-8")
    every = re.sub(r"regions \{[^}]*\}", "regions all", text).replace("policy redhat", "policy redhat_all")
    every = every.replace("2025..2027", "2025..2026").replace("2025-01-01..2027-12-31", "2025-01-01..2026-12-31")
    (folder / "redhat.policy").write_text(text, encoding="utf-8")
    (folder / "redhat_all.policy").write_text(every, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "policyc.cli", "compile", str(folder), "--out", str(folder / "out")],
                   check=True, capture_output=True)
    return {pid: folder / "out" / f"{pid}.json" for pid in ("redhat", "redhat_all")}


def load_seconds(path: Path) -> None:
    """Run in a fresh process: print the CPU time of loading one table."""
    from policyc.evaluator import load

    t0 = time.process_time()
    load(path)
    print(time.process_time() - t0)


def customer_local() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for pid, path in local_tables(Path(tmp)).items():
            regions = len(next(f for f in json.loads(path.read_text())["facts"].values()
                               if f.get("kind") == "regions")["values"])
            loads = [float(subprocess.run([sys.executable, __file__, "--load", str(path)], check=True,
                                          capture_output=True, text=True).stdout) for _ in range(5)]
            print(f"table {pid}: {regions} regions, {path.stat().st_size:,} bytes, "
                  f"loaded in {min(loads) * 1e3:.1f} ms (CPU, fresh process, best of 5)")
            subprocess.run([sys.executable, __file__, "--table", pid, str(path)], check=True)
            subprocess.run([sys.executable, __file__, "--table", pid + "-no-country", str(path), "country"],
                           check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--table"]:
        one_table(sys.argv[2], *(Path(a) for a in sys.argv[3:4]), leave_out=tuple(sys.argv[4:]))
    elif sys.argv[1:2] == ["--load"]:
        load_seconds(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--local"]:
        customer_local()
    elif sys.argv[1:2] == ["--tickets"]:
        tickets_per_second()
    elif sys.argv[1:2] == ["--business-days"]:
        business_days_ratio()
    else:
        decisions_per_second()
        ratio()
        subprocess.run([sys.executable, __file__, "--business-days"], check=True)
        import_time()
        tickets_per_second()
        customer_local()
