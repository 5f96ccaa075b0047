"""`expect W304 "why"`: an accepted warning on the item that follows, and only there."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

HEAD = """policy p {
  version "1"
  effective 2025-01-01..2025-12-31
  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }
  severities { high, low }
"""
# `high` (the more severe) waits 8h, `low` 1h: W304 on the table's `high` cell.
SLOWER = """  respond on biz {
    severity high low
    target:  8h   1h
  }
"""


def codes(result):
    return [d.code for d in result.diagnostics]


def test_an_expected_warning_is_not_shown(ws):
    assert codes(ws.compile({"policies/p.policy": HEAD + SLOWER + "}\n"})) == ["W304"]
    text = HEAD + '  expect W304 "the regulation says so"\n' + SLOWER + "}\n"
    result = ws.compile({"policies/p.policy": text})
    assert codes(result) == [] and "p" in result.tables


def test_an_expectation_covers_the_next_item_only(ws):
    # before a calendar, the expectation does not reach the respond rule that follows it
    text = (HEAD.replace("  calendar biz", '  expect W304 "wrong place"\n  calendar biz') + SLOWER + "}\n")
    assert sorted(codes(ws.compile({"policies/p.policy": text}))) == ["W013", "W304"]


def test_an_expectation_is_not_judged_when_errors_stopped_the_checks(ws):
    # an unknown calendar (E101): the never-slower check does not run, so W304 cannot be
    # found; W013 would be a second, misleading finding
    text = HEAD + '  expect W304 "x"\n' + SLOWER.replace("on biz", "on bizz") + "}\n"
    assert codes(ws.compile({"policies/p.policy": text})) == ["E101"]


def test_the_irex_seed_expects_its_standard_l3_finding(ws):
    # policies/irex.policy keeps "16 heures" for Standard L3 and expects W304 on it: clean as
    # it stands; without the expectation the finding is back
    text = (REPO / "policies/irex.policy").read_text(encoding="utf-8")
    assert codes(ws.compile({"policies/irex.policy": text})) == []
    edited = "".join(ln for ln in text.splitlines(keepends=True) if not ln.lstrip().startswith("expect W304"))
    assert edited != text
    [d] = ws.compile({"policies/irex.policy": edited}).diagnostics
    assert d.code == "W304" and d.message.startswith("severity `L3` can fall due later than the less severe `L4`")


def test_a_code_in_lower_case_is_a_syntax_error_that_names_what_is_expected(ws):
    text = HEAD + '  expect w304 "x"\n' + SLOWER + "}\n"
    [d] = ws.compile({"policies/p.policy": text}).diagnostics
    assert (d.code, d.message, d.help) == ("E001", "unexpected `w304`", "expected a warning code (`W304`)")
