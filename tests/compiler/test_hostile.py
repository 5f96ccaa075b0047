"""Hostile but small policies (issue 7): each is refused with located findings, or compiles.

Every test is built from a reproduction that raised, hung or blew up memory before; the
checks are structural (which findings, how many, where), never a time limit.
"""

from __future__ import annotations

import json
import sys
import warnings

import pytest

from policyc.evaluator.limits import MAX_MULTIPLIER, MAX_TARGET_MINUTES
from policyc.passes import MAX_PER_CODE

from .helpers import position

HEAD = 'policy p {\n  version "1"\n  effective 2025-01-01..2025-12-31\n  severities { S1 }\n'
P = "policies/p.policy"


def policy(body: str, respond: str = "  respond on always { target 1h }\n") -> str:
    """A minimal valid policy around `body` (one target for every ticket)."""
    return HEAD + respond + body + "}\n"


def found(result) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of each diagnostic."""
    return [(d.code, *position(result, d)[1:], d.message) for d in result.diagnostics]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


# ---- item 1 and 12: numbers beyond any bound -------------------------------------------------

BIG = "1" + "0" * 5000  # past Python's 4,300-digit limit for int()


@pytest.mark.parametrize(("body", "needle", "code", "message"), [
    ("  respond on always { target %sh }\n" % BIG, "target 1", "E309", "duration `1000000000...000000000h`"),
    ("  respond on always { target 30000000000h }\n", "target 3", "E309", "duration `30000000000h`"),
    ("  respond on always { target %dmin }\n" % (MAX_TARGET_MINUTES + 1), "target ", "E309", "longer than ten years"),
    ("  role r\n  escalate { email r after %sh }\n" % BIG, "after", "E309", "is longer than ten years"),
    ("  role r\n  escalate { email r at %s%% }\n" % BIG, " at ", "E309", "a step at 1000000000...0000000000%"),
    ("  holidays h { national RU years 2025..%s }\n" % BIG, "years", "E210", "year `1000000000...0000000000`"),
    ("  holidays h { national RU years 1899..2025 }\n", "years", "E210", "year `1899` is outside"),
    ("  service s { included estimate 1h..%sh }\n" % BIG, "estimate", "E309", "is longer than ten years"),
    ("  bill %sx outside always\n" % BIG, "bill", "E309", "rate multiplier `1000000000...0000000000x`"),
    ("  bill %sx outside always\n" % (MAX_MULTIPLIER + 1), "bill", "E309", f"is above {MAX_MULTIPLIER}x"),
    ("  bill 0.%s1x outside always\n" % ("0" * 400), "bill", "E309", "must be above zero"),
])
def test_quantities_are_bounded_with_a_located_finding(ws, body, needle, code, message):
    text = policy(body, respond="" if "respond" in body else "  respond on always { target 1h }\n")
    result = ws.compile({P: text})
    [(got_code, line, col, got_message)] = [f for f in found(result) if f[0] != "E101"]
    assert (got_code, line) == (code, line_of(text, needle)) and message in got_message
    assert len(got_message) < 200 and result.tables == {}


@pytest.mark.parametrize("target", ["%dh" % (MAX_TARGET_MINUTES // 60), "%dmin" % MAX_TARGET_MINUTES])
def test_the_longest_target_compiles_and_loads(ws, target):
    from policyc.evaluator.table import load

    result = ws.compile({P: policy("", respond=f"  respond on always {{ target {target} }}\n")})
    assert result.diagnostics == []
    ws.write({"p.json": result.outputs()["p.json"]})
    decision = load(ws.root / "p.json").decide({"received_at": "2025-06-02T09:00:00Z", "severity": "S1"})
    assert json.dumps(decision)  # the bound is one the evaluator computes with
    assert result.tables["p"]["rules"]["targets"]["first_response"][0]["target"]["minutes"] == MAX_TARGET_MINUTES


@pytest.mark.parametrize("effective", ["1899-12-31..2025-12-31", "2025-01-01..2200-01-01"])
def test_effective_dates_are_bounded(ws, effective):
    text = policy("").replace("2025-01-01..2025-12-31", effective)
    result = ws.compile({P: text})
    assert [(c, line) for c, line, _, m in found(result)] == [("E210", 3)]  # and no "no `effective`" cascade


# ---- item 2: a folder of the zone database ---------------------------------------------------

@pytest.mark.parametrize("zone", ["America/Argentina", "America/Indiana", "America/Kentucky", "America/North_Dakota"])
def test_a_zone_database_folder_is_an_unknown_zone(ws, zone):
    text = policy(f"  calendar c {{ zone {zone} open mon 09:00-17:00 }}\n")
    result = ws.compile({P: text})
    [d] = result.diagnostics
    assert (d.code, d.message) == ("E201", f"unknown time zone `{zone}`")
    assert d.help.startswith("did you mean `America/")


# ---- item 5: long chains, without recursion ----------------------------------------------------

CHAIN = sys.getrecursionlimit() + 100


def test_a_chain_of_unions_defined_last_first(ws):
    cals = "".join(f"  calendar c{i} = c{i + 1}\n" for i in range(CHAIN))
    cals += f"  calendar c{CHAIN} {{ zone UTC open mon 09:00-17:00 }}\n"
    result = ws.compile({P: policy(cals, respond="  respond on c0 { target 1h }\n")})
    assert result.diagnostics == []
    c0 = result.tables["p"]["calendars"]["c0"]
    assert (c0["zone"], c0["week"][0]) == ("UTC", [[9 * 60, 17 * 60]])  # the hours at the end of the chain


def test_a_chain_of_escalation_includes(ws):
    chains = "".join(f"  escalation e{i} {{ include e{i + 1} }}\n" for i in range(CHAIN))
    chains += f"  role r\n  escalation e{CHAIN} {{ email r }}\n  escalate e0\n"
    result = ws.compile({P: policy(chains)})
    assert result.diagnostics == []
    [row] = result.tables["p"]["rules"]["escalation"]
    assert [s["to"] for s in row["steps"]] == [["r"]]  # the one step at the end of the chain


def test_a_chain_of_imports(ws):
    """1,000+ files each importing the next: every file is read (it said `input nests too
    deeply` at 1:1 of a one-line file when imports were followed by recursion)."""
    files = {f"policies/m{i}.policy": f'import "m{i + 1}.policy"\n' for i in range(CHAIN)}
    files[f"policies/m{CHAIN}.policy"] = "role far\n"
    files[P] = 'import "m0.policy"\n' + policy("  escalate { email far }\n")
    result = ws.compile(files)
    assert result.diagnostics == []
    [row] = result.tables["p"]["rules"]["escalation"]
    assert row["steps"][0]["to"] == ["far"]  # the role defined at the end of the chain


# ---- item 7: dense cycles, one finding per strongly connected component ----------------------

def test_twelve_calendars_each_the_union_of_the_others(ws):
    names = [f"c{i}" for i in range(12)]
    cals = "".join(f"  calendar {n} = " + " + ".join(m for m in names if m != n) + "\n" for n in names)
    result = ws.compile({P: policy(cals)})
    [(code, line, col, message)] = found(result)
    assert code == "E208" and message.startswith("calendar defined in terms of itself: `c0` -> `c1` -> `c0`")
    assert message.endswith("(and 10 more in the same cycle)")


def test_ten_escalations_each_including_the_others(ws):
    names = [f"e{i}" for i in range(10)]
    chains = "  role r\n" + "".join(
        f"  escalation {n} {{ email r " + " ".join(f"include {m}" for m in names if m != n) + " }\n" for n in names)
    result = ws.compile({P: policy(chains)})
    assert [(c, m.split(":")[0]) for c, _, _, m in found(result)] == [("E307", "escalation chain includes itself")]


def test_twelve_files_each_importing_the_others(ws):
    files = {f"policies/f{i}.policy": "".join(f'import "f{j}.policy"\n' for j in range(12) if j != i)
             for i in range(12)}
    files[P] = 'import "f0.policy"\n' + policy("")
    result = ws.compile(files)
    assert [c for c, *_ in found(result)] == ["E006"]


def test_two_separate_cycles_are_two_findings(ws):
    cals = "  calendar a = b\n  calendar b = a\n  calendar x = y\n  calendar y = x\n  calendar z = z\n"
    result = ws.compile({P: policy(cals)})
    assert sorted(m for _, _, _, m in found(result)) == [
        "calendar defined in terms of itself: `a` -> `b` -> `a`",
        "calendar defined in terms of itself: `x` -> `y` -> `x`",
        "calendar defined in terms of itself: `z` -> `z`"]


# ---- item 8: includes that double at each level ------------------------------------------------

def doubling(levels: int) -> str:
    return "  role r\n  escalation e0 { email r }\n" + "".join(
        f"  escalation e{i} {{ include e{i - 1} include e{i - 1} }}\n" for i in range(1, levels + 1))


def test_includes_that_double_are_capped_with_one_finding(ws):
    from policyc.model import MAX_STEPS

    text = policy(doubling(20) + "  escalate e20\n")
    result = ws.compile({P: text})
    # 2**10 = 1,024 steps: e10 is the first chain past the cap; e11..e20 follow from it.
    assert MAX_STEPS < 2 ** 10 and MAX_STEPS >= 2 ** 9
    assert found(result) == [("E310", line_of(text, "escalation e10 "), 14,
                              f"escalation chain `e10` expands to more than {MAX_STEPS} steps")]


def test_includes_that_double_below_the_cap_expand_fully(ws):
    result = ws.compile({P: policy(doubling(9) + "  escalate e9\n")})
    assert result.diagnostics == []
    [row] = result.tables["p"]["rules"]["escalation"]
    assert len(row["steps"]) == 2 ** 9


# ---- item 9: overlapping windows, and the cap on findings per file ---------------------------

def test_identical_windows_are_one_finding(ws):
    body = "  calendar c { zone UTC\n" + "    open mon 08:00-16:00\n" * 300 + "  }\n"
    text = policy(body, respond="  respond on c { target 1h }\n")
    result = ws.compile({P: text})
    # Reported at the second window, with the first as the note.
    [d] = result.diagnostics
    assert found(result) == [("W204", 8, 5, "window overlaps 299 other windows of this calendar")]
    assert result.sources[P].line_col(d.notes[0][1].start) == (7, 5)


def test_findings_of_one_code_are_capped_per_file(ws):
    body = "".join(f"  calendar c{i} {{ zone UTC open mon 08:00-16:00 open mon 09:00-10:00 }}\n" for i in range(150))
    result = ws.compile({P: policy(body, respond="  respond on c0 { target 1h }\n")})
    w204 = [d for d in result.diagnostics if d.code == "W204"]
    assert len(w204) == MAX_PER_CODE + 1
    last = w204[-1]
    assert last.message == f"... and {150 - MAX_PER_CODE} more W204 findings in this file"
    assert position(result, last)[1] == 5 + MAX_PER_CODE + 1  # where the first one left out stood


# ---- item 15: national holidays beyond the package's data -------------------------------------

def test_holiday_years_the_package_does_not_cover_are_refused_without_a_library_warning(ws):
    text = policy("  holidays h { national IN years 2030..2040 }\n"
                  "  calendar c { zone Asia/Kolkata open mon..fri 09:00-17:00 holidays h }\n",
                  respond="  respond on c { target 1h }\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ws.compile({P: text})
    assert caught == []  # the package's UserWarning became the finding below
    [(code, line, col, message)] = found(result)
    assert (code, line) == ("E212", line_of(text, "national IN"))
    assert "incomplete in 2036-2040" in message and "2001 to 2035" in message


def test_holiday_years_the_package_covers_compile(ws):
    text = policy("  holidays h { national IN years 2030..2035 }\n"
                  "  calendar c { zone Asia/Kolkata open mon..fri 09:00-17:00 holidays h }\n",
                  respond="  respond on c { target 1h }\n").replace("2025-01-01..2025-12-31", "2030-01-01..2035-12-31")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ws.compile({P: text})
    assert caught == [] and result.diagnostics == []


@pytest.mark.parametrize("country", ["RU", "US", "GB", "IN"])
def test_holidays_read_year_by_year_are_those_the_package_gives_for_the_range(country):
    # Years are read one at a time to tie a warning to its years; the days must not change.
    import holidays

    from policyc.calendars import national_days

    whole = holidays.country_holidays(country, years=range(2024, 2031), language="en_US")
    closed, working, warned = national_days(country, 2024, 2030)
    assert closed == {d: str(name) for d, name in sorted(whole.items())}
    assert sorted(working) == sorted(getattr(whole, "weekend_workdays", ()))
    assert warned == {}
