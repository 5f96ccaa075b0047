"""Dated versions against a brute-force oracle: random cuts of the period, random zones.

For a policy whose rule `targets` has a version per piece of 2026 (cut at random dates),
each with its own target on a 24x7 calendar in a random zone, the version that answers
a ticket is the piece that holds the ticket's local date in that zone, and the due time
is the creation instant plus that piece's target: computed here without the compiler's
or the evaluator's help.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyc.compiler import compile_paths
from policyc.evaluator import CoverageError, Table

ZONES = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Paris", "America/St_Johns", "UTC"]
LO, HI = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def _policy(zone: str, cuts: list[dt.date], hours: list[int]) -> str:
    starts = [LO, *cuts]
    ends = [c - dt.timedelta(days=1) for c in cuts] + [HI]
    rules = "\n".join(f"  rule targets from {a} until {b}: respond on clock {{ target {h}h }}"
                      for a, b, h in zip(starts, ends, hours))
    return (f'policy p "P" {{\n  version "1"\n  effective {LO}..{HI}\n'
            f"  calendar clock {{ zone {zone} open always }}\n  severities {{ S1 }}\n{rules}\n}}\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(zone=st.sampled_from(ZONES),
       cuts=st.sets(st.dates(LO + dt.timedelta(days=1), HI), min_size=1, max_size=4).map(sorted),
       hours=st.lists(st.integers(1, 99), min_size=5, max_size=5),
       instants=st.lists(st.datetimes(dt.datetime(2025, 12, 30), dt.datetime(2027, 1, 2)), min_size=20, max_size=20))
def test_the_version_is_the_piece_holding_the_local_date(tmp_path_factory, zone, cuts, hours, instants):
    folder = tmp_path_factory.mktemp("v")
    (folder / "p.policy").write_text(_policy(zone, cuts, hours), encoding="utf-8")
    result = compile_paths([str(folder)])
    assert not result.errors, result.errors
    table = Table(result.tables["p"])
    starts = [LO, *cuts]
    # near each cut, where UTC and local dates differ, and anywhere
    near = [dt.datetime.combine(c, dt.time(), dt.timezone.utc) + dt.timedelta(hours=k) for c in starts for k in (-14, -11, 11)]
    for naive in instants + [n.replace(tzinfo=None) for n in near]:
        created = naive.replace(microsecond=0, tzinfo=dt.timezone.utc)  # answers are to the second
        day = created.astimezone(ZoneInfo(zone)).date()
        facts = {"received_at": created.isoformat(), "severity": "S1"}
        if not LO <= day <= HI:
            try:
                table.decide(facts)
            except CoverageError:
                continue
            raise AssertionError(f"{created} (local {day}) answered outside the period")
        piece = max(i for i, a in enumerate(starts) if a <= day)
        d = table.decide(facts)
        assert d["in_force"]["from"] == starts[piece].isoformat(), (created, day)
        due = created + dt.timedelta(hours=hours[piece])
        assert d["response"]["due"] == due.strftime("%Y-%m-%dT%H:%M:%SZ"), (created, day)
