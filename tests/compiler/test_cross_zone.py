"""Windows across zones and unions of zones, from a policy to the table and an answer."""

from __future__ import annotations

from policyc.evaluator import Table

P = "policies/p.policy"


def policy(body: str) -> dict:
    return {P: ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
                "  severities { high, low }\n" + body + "}\n")}


FOLLOW_THE_SUN = policy("""\
  calendar weekend { zone America/New_York open fri 17:00 - mon 09:00 Asia/Tokyo }
  calendar paris { zone Europe/Paris open mon..fri 09:00-17:00 }
  calendar ny { zone America/New_York open mon..fri 09:00-17:00 }
  calendar ny_late { zone America/New_York open mon..fri 12:00-20:00 }
  calendar both = paris + ny
  respond on weekend { target 4h }
  when severity is low: respond on both + weekend { target 4h }
  when severity is low: bill 2x outside ny + ny_late
""")


def test_a_window_across_zones_is_kept_as_a_window(ws):
    result = ws.compile(FOLLOW_THE_SUN)
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    cal = result.tables["p"]["calendars"]["weekend"]
    assert (cal["zone"], cal["parts"]) == ("America/New_York", [])
    assert cal["windows"] == [{"from": {"zone": "America/New_York", "weekday": 4, "minute": 17 * 60},
                               "until": {"zone": "Asia/Tokyo", "weekday": 0, "minute": 9 * 60}}]


def test_a_union_across_zones_keeps_one_wall_calendar_per_zone(ws):
    cals = ws.compile(FOLLOW_THE_SUN).tables["p"]["calendars"]
    both = cals["both+weekend"]
    assert both["zone"] == "Europe/Paris" and both["members"] == ["both", "weekend"]
    assert [p["zone"] for p in both["parts"]] == ["Europe/Paris", "America/New_York"]
    assert both["windows"] == cals["weekend"]["windows"]
    # a union within one zone is still one wall calendar: 09:00-20:00 on weekdays
    assert "parts" not in cals["ny+ny_late"] and cals["ny+ny_late"]["week"][0] == [[540, 1200]]


def test_the_table_answers_across_zones(ws):
    table = Table(ws.compile(FOLLOW_THE_SUN).tables["p"])
    # Sunday 2025-01-12 17:00 New York (22:00Z): 2h of the weekend left, 2h from Friday 22:00Z
    high = table.decide({"severity": "high", "received_at": "2025-01-12T22:00:00Z"})
    assert high["response"]["due"] == "2025-01-18T00:00:00Z"
    # Monday 2025-01-13 20:00Z: Paris is closed, New York open until 22:00Z; then Tuesday
    # 08:00Z (09:00 Paris) + 2h
    low = table.decide({"severity": "low", "received_at": "2025-01-13T20:00:00Z"})
    assert low["response"]["due"] == "2025-01-14T10:00:00Z" and low["within_hours"] is True


def test_a_window_ending_at_midnight_ends_on_the_next_day(ws):
    cals = ws.compile(policy("""\
  calendar late { zone Europe/Paris open sun 18:00 - mon 24:00 Asia/Tokyo }
  respond on late { target 4h }
""")).tables["p"]["calendars"]
    assert cals["late"]["windows"][0]["until"] == {"zone": "Asia/Tokyo", "weekday": 1, "minute": 0}


def test_a_daily_window_across_zones_closes_on_whichever_day_comes_first(ws):
    cals = ws.compile(policy("""\
  calendar relay { zone Europe/Paris open mon..fri 18:00 - 09:00 Asia/Tokyo }
  respond on relay { target 4h }
""")).tables["p"]["calendars"]
    assert [w["from"]["weekday"] for w in cals["relay"]["windows"]] == [0, 1, 2, 3, 4]
    assert {w["until"]["weekday"] for w in cals["relay"]["windows"]} == {None}


def test_zones_written_as_the_calendar_zone_are_plain_windows(ws):
    result = ws.compile(policy("""\
  calendar c { zone Europe/Paris open fri 17:00 Europe/Paris - mon 09:00 Europe/Paris }
  respond on c { target 4h }
"""))
    cal = result.tables["p"]["calendars"]["c"]
    assert "windows" not in cal and cal["week"][4] == [[1020, 1440]] and cal["week"][0] == [[0, 540]]


def test_a_union_across_zones_that_is_never_open_is_still_refused(ws):
    result = ws.compile(policy("""\
  calendar a { zone UTC }
  calendar b { zone Asia/Tokyo }
  respond on a + b { target 4h }
"""))
    assert "E206" in {d.code for d in result.diagnostics}
