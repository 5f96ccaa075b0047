r"""One case per diagnostic code (at least), written as data: small policies with carets.

Each case is a set of files; the caret markers in them (see `helpers.py`) say which
diagnostics the compiler must report, where, and with what message and hint, and that
it reports nothing else. `test_every_code_has_a_case` keeps the list complete when a
code is added to `policyc.diagnostics.CODES`.

The columns are those of the marked token in the line above each marker; read a case
as a reviewer would, with the carets under the words they blame.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from policyc.diagnostics import CODES, render_github, render_text

from seed_tables import SEED_FINDINGS  # `tests/` is on sys.path

from .helpers import REPO, check_markers

POLICYC = [sys.executable, "-m", "policyc.cli"]


def policy(body: str, *, after_id: str = "", title: str = '"P"', head: str = "", ident: str = "p") -> str:
    """A small valid policy around `body`; `after_id` holds markers for the policy id (line 1, col 8)."""
    return (f"policy {ident} {title} {{\n" + after_id
            + '  version "1"\n'
            + "  effective 2025-01-01..2025-12-31\n" + head
            + "  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
            + "  dimension plan { standard, premier }\n"
            + "  severities { high, low }\n"
            + body + "}\n")


RESPOND = "  respond on biz { target 4h }\n"  # one target and one calendar for every ticket
P = "policies/p.policy"


def restricted(body: str, severities: str = '  severities { high, low, how_to "How-to" { only plan is premier } }\n') -> str:
    """A small valid policy whose severities have a level for plan `premier` alone."""
    return ('policy p "P" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
            "  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }\n"
            "  dimension plan { standard, premier }\n" + severities + body + "}\n")


C = "policies/c.policy"
# A published policy: Premier's targets (`premier_hours`) and the `late` calendar are negotiable.
NEGOTIABLE = policy(RESPOND + """  negotiable rule premier_hours: when plan is premier: respond { target 2h }
  rule standard_low: when plan is standard and severity is low: respond { target 8h }
  negotiable calendar late { zone Europe/Paris open mon..fri 12:00-20:00 }
""")


# The same with a group over every ticket, which `standard_low` (more specific) beats.
NEGOTIABLE_WIDE = policy("""  dimension region { north, south }
  respond on biz { }
  negotiable rule any_hours: respond { target 2h }
  rule standard_low: when plan is standard and severity is low: respond { target 8h }
""")


def contract(body: str, *, ident: str = "c", base: str = "p", after_head: str = "") -> str:
    """A contract of `base` around `body`; `after_head` holds markers for its first line."""
    return f'contract {ident} extends {base} "C" {{\n' + after_head.lstrip("\n") + '  version "2"\n' + body + "}\n"


def case(code: str, name: str, files: dict[str, str] | str):
    files = {P: files} if isinstance(files, str) else files
    return pytest.param(code, files, id=f"{code}-{name}")


CASES = [
    # ---- files and syntax ------------------------------------------------------------
    case("E001", "not-a-duration", policy(r"""
  respond on biz { target 4 }
#                         ^ E001 unexpected `4` ~ a cell is a duration (`2h`, `30min`), `next business day`, `none`, `best effort`, a period
""")),
    case("E001", "unquoted-version", r"""policy p "P" {
  version 1
#         ^ E001 unexpected `1` ~ expected a quoted string
}
"""),
    case("E004", "outside-root", {
        "outside.policy": "holidays h { }\n",
        P: r"""  import "../outside.policy"
# ^^^^^^^^^^^^^^^^^^^^^^^^^^ E004 import `../outside.policy` is outside the policy root `policies` ~ shared definitions must live under the policy root
""" + policy(RESPOND)}),
    case("E005", "missing-import", r"""  import "shared/missing.policy"
# ^ E005 imported file `shared/missing.policy` does not exist
""" + policy(RESPOND)),
    # The cycle is reported once, at the import that leads back to the first file by name.
    case("E006", "import-cycle", {
        P: '  import "shared/a.policy"\n' + policy(RESPOND),
        "policies/shared/a.policy": '  import "b.policy"\n',
        "policies/shared/b.policy": r"""  import "a.policy"
# ^ E006 import cycle: `policies/shared/a.policy` -> `policies/shared/b.policy` -> `policies/shared/a.policy` ~ move what both files need into a third file
"""}),
    case("E006", "imports-itself", r"""  import "p.policy"
# ^ E006 import cycle: `policies/p.policy` -> `policies/p.policy`
""" + policy(RESPOND)),
    case("E007", "two-policies-in-a-file", policy(RESPOND) + policy(RESPOND, ident="q", after_id=r"""
#      ^ E007 a file holds one policy ~ move this policy into a file of its own
""".lstrip("\n"))),
    case("E007", "policy-id-twice", {
        "policies/a.policy": policy(RESPOND),
        "policies/b.policy": policy(RESPOND, after_id="#      ^ E007 policy `p` is defined twice\n"),
    }),
    # ---- names -------------------------------------------------------------------------
    case("E101", "value-did-you-mean", policy(RESPOND + r"""
  when plan is premeir: respond { target 1h }
#              ^^^^^^^ E101 unknown plan `premeir` ~ did you mean `premier`?
""")),
    case("E101", "calendar-did-you-mean", policy(r"""
  respond on bizz { target 4h }
#            ^^^^ E101 unknown calendar `bizz` ~ did you mean `biz`?
""")),
    case("E101", "channel-and-role", policy(RESPOND + r"""
  role support
  escalate { mail suport }
#            ^^^^ E101 unknown channel `mail` ~ did you mean `email`?
#                 ^^^^^^ E101 unknown role `suport` ~ did you mean `support`?
""")),
    case("E101", "severity-lists-values", policy(RESPOND + r"""
  when severity is urgent: respond { target 1h }
#                  ^^^^^^ E101 unknown severity `urgent` ~ `severity` has: `high`, `low`
""")),
    case("E101", "weekday", policy(RESPOND + r"""
  calendar c { zone UTC open mon..fryday 09:00-10:00 }
#                                 ^^^^^^ E101 unknown weekday `fryday`
""")),
    case("E102", "role-twice", policy(RESPOND + r"""
  role desk
  role desk
#      ^^^^ E102 role `desk` is defined twice
""")),
    case("E102", "value-twice", policy(RESPOND + r"""
  dimension env { prod, test, prod }
#                             ^^^^ E102 value `prod` is defined twice
""")),
    case("E103", "value-listed-twice", policy(RESPOND + r"""
  when plan is premier, premier: respond { target 1h }
#                       ^^^^^^^ E103 `premier` is listed twice
""")),
    case("E104", "reserved-fact-name", policy(RESPOND + r"""
  dimension received_at { x }
#           ^^^^^^^^^^^ E104 `received_at` is a ticket fact of its own and cannot name a dimension
""")),
    case("E104", "language-code", policy(RESPOND, head=r"""  languages EN
#           ^^ E104 `EN` is not a language code ~ use ISO 639-1 codes
""")),
    case("E105", "no-version", r"""policy p "P" {
#      ^ E105 policy `p` has no `version` ~ add e.g. `version "2025.1"`
  effective 2025-01-01
  calendar biz { zone UTC open always }
  severities { high, low }
  respond on biz { target 1h }
}
"""),
    case("E105", "no-effective-date", r"""policy p "P" {
#      ^ E105 policy `p` has no `effective` date
  version "1"
  calendar biz { zone UTC open always }
  severities { high, low }
  respond on biz { target 1h }
}
"""),
    case("E105", "ends-before-it-starts", r"""policy p "P" {
#      ^ E105 the policy stops being effective before it starts
  version "1"
  effective 2025-12-31..2025-01-01
  calendar biz { zone UTC open always }
  severities { high, low }
  respond on biz { target 1h }
}
"""),
    case("E106", "undeclared-language", policy(RESPOND, title='"P" fr "P" de "X"', head="  languages en, fr\n",
                                               after_id="#                   ^^ E106 label in `de`, which the policy "
                                                        "does not declare ~ declare it: `languages en, fr, de`\n")),
    case("E108", "language-twice", policy(RESPOND, title='"P" fr "P" fr "Q"', head="  languages en, fr\n",
                                         after_id="#                   ^^ E108 label has two `fr` texts ~ keep one\n")),
    case("W107", "missing-translation", policy(RESPOND, head="  languages en, fr\n",
                                               after_id='#        ^^^ W107 label has no `fr` translation ~ add `fr "..."`'
                                                        " after the string\n")),
    # ---- calendars ---------------------------------------------------------------------
    case("E201", "unknown-zone", policy(RESPOND + r"""
  calendar c { zone Europe/Pariss open mon 09:00-10:00 }
#              ^ E201 unknown time zone `Europe/Pariss` ~ did you mean `Europe/Paris`?
""")),
    # A folder of the zone database, not a zone: opening it raised IsADirectoryError.
    case("E201", "zone-database-folder", policy(RESPOND + r"""
  calendar c { zone America/Argentina open mon 09:00-10:00 }
#              ^ E201 unknown time zone `America/Argentina` ~ did you mean `America/Argentina/
""")),
    case("E201", "offset-out-of-range", policy(RESPOND + r"""
  calendar c { zone UTC+15:00 open mon 09:00-10:00 }
#              ^ E201 `UTC+15:00` is not a valid UTC offset ~ offsets run from UTC-14:00 to UTC+14:00
""")),
    case("E202", "hour-25", policy(RESPOND + r"""
  calendar c { zone UTC open mon 25:00-18:00 }
#                                ^^^^^ E202 `25:00` is not a time of day ~ hours run 00-24, minutes 00-59
""")),
    case("E202", "minute-60", policy(RESPOND + r"""
  calendar c { zone UTC open mon 08:60-17:00 }
#                                ^^^^^ E202 `08:60` is not a time of day ~ hours run 00-24, minutes 00-59
""")),
    case("E202", "24:00-as-a-start", policy(RESPOND + r"""
  calendar c { zone UTC open mon 24:00-06:00 }
#                                ^^^^^ E202 `24:00` is not a time of day ~ 24:00 may only end a window
""")),
    case("E203", "empty-window", policy(RESPOND + r"""
  calendar c { zone UTC open mon 09:00-09:00 }
#                       ^ E203 window 09:00-09:00 is empty
""")),
    case("E203", "span-from-several-days", policy(RESPOND + r"""
  calendar c { zone UTC open mon..fri 16:00 - mon 08:00 }
#                       ^ E203 a window that ends on another day starts on one day ~ write e.g. `open fri 16:00 - mon 08:00`
""")),
    # From a time to the same time a week later: empty or all week? Refused, with the way to say it.
    case("E203", "span-to-itself", policy(RESPOND + r"""
  calendar c { zone UTC open fri 16:00 - fri 16:00 }
#                       ^ E203 window from fri 16:00 to the same time is empty or the whole week ~ write `open always`
""")),
    case("W204", "same-day", policy(RESPOND + r"""
  calendar c { zone UTC open mon..fri 09:00-12:00 open fri 11:00-13:00 }
#                                                 ^ W204 window overlaps another window of this calendar
""")),
    # Sunday 22:00-02:00 runs into Monday: it meets the Monday window at the week's wrap.
    case("W204", "over-the-week-end", policy(RESPOND + r"""
  calendar c { zone UTC open sun 22:00-02:00 open mon 01:00-03:00 }
#                                            ^ W204 window overlaps another window of this calendar
""")),
    case("E205", "no-zone", policy(RESPOND + r"""
  calendar c { open mon 09:00-10:00 }
#          ^ E205 calendar `c` has no time zone ~ add e.g. `zone Europe/Paris` or `zone UTC+02:00`
""")),
    case("E206", "never-open", policy(r"""
  calendar never { zone UTC }
  respond on never { target 4h }
# ^ E206 calendar `never` is never open, so business-time targets on it never fall due ~ give the calendar opening hours, or use `on always`
""")),
    case("E208", "union-cycle", policy(RESPOND + r"""
  calendar x = y
  calendar y = x
#              ^ E208 calendar defined in terms of itself: `x` -> `y` -> `x`
""")),
    case("E208", "union-of-itself", policy(RESPOND + r"""
  calendar x = biz + x
#                    ^ E208 calendar defined in terms of itself: `x` -> `x`
""")),
    case("E209", "unknown-country", policy(RESPOND + r"""
  holidays h { national XX years 2025..2025 }
#                       ^^ E209 no national holiday calendar for `XX`
""")),
    # The United Kingdom's subdivisions are ENG, NIR, SCT, WLS (and their English names as aliases).
    case("E209", "unknown-subdivision", policy(RESPOND + r"""
  holidays h { national GB-XXX years 2025..2025 }
#                       ^^^^^^ E209 no holiday calendar for the subdivision `GB-XXX` ~ did you mean `GB-ENG`, `GB-NIR`, `GB-SCT`, `GB-WLS`, `GB-Wales`?
""")),
    # Every `US-N?` and `US-?N` is as near `US-NX` (difflib's ratio 0.8); the shared beginning decides.
    case("E209", "misspelt-state", policy(RESPOND + r"""
  holidays h { national US-NX years 2025..2025 }
#                       ^^^^^ E209 no holiday calendar for the subdivision `US-NX` ~ did you mean `US-NC`, `US-ND`, `US-NE`, `US-NH`, `US-NJ`?
""")),
    # `GB` and `BB` share two letters with `GBB` (ratio 4/5), `GBR`, `GAB`, `GIB` two of six
    # (ratio 2/3; `GBR` begins `GB`, `GAB` and `GIB` only `G`).
    case("E209", "unknown-country-of-a-subdivision", policy(RESPOND + r"""
  holidays h { national GBB-ENG years 2025..2025 }
#                       ^^^^^^^ E209 no national holiday calendar for `GBB` ~ did you mean `GB`, `BB`, `GBR`, `GAB`, `GIB`?
""")),
    case("E209", "country-without-subdivisions", policy(RESPOND + r"""
  holidays h { national RU-MOW years 2025..2025 }
#                       ^^^^^^ E209 the `holidays` package knows no subdivisions of `RU` ~ write `national RU`
""")),
    # The holidays package stops India's Hindu holidays after 2035 (it warns) and all of them after 2100.
    case("E212", "beyond-the-lunar-holidays", policy(RESPOND + r"""
  holidays h { national IN years 2030..2040 }
#              ^ E212 the national holidays of `IN` are incomplete in 2036-2040 ~ declare only the years
""")),
    case("E212", "beyond-the-package", policy(RESPOND + r"""
  holidays h { national RU years 2090..2110 }
#              ^ E212 the national holidays of `RU` are known for 1991-2100 only ~ declare years within 1991..2100
""")),
    case("E210", "february-30", policy(RESPOND + r"""
  holidays h { 2025-02-30 "bad" }
#              ^^^^^^^^^^ E210 `2025-02-30` is not a date ~ write dates as YYYY-MM-DD
""")),
    case("E210", "years-reversed", policy(RESPOND + r"""
  holidays h { national RU years 2027..2025 }
#              ^ E210 years 2027..2025 are not a valid range ~ write the first year, then the last
""")),
    case("E210", "year-5000-digits", policy(RESPOND + "  holidays h { national RU years 2025.." + "9" * 5000 + r""" }
#                                      ^ E210 year `9999999999...9999999999` is outside the years policyc supports
""")),
    case("E210", "date-beyond-2199", policy(RESPOND + r"""
  calendar c { zone UTC open always closed 2200-01-01 }
#                                          ^^^^^^^^^^ E210 `2200-01-01` is outside the years policyc supports ~ dates run from 1900 to 2199
""")),
    # An invalid effective date is one finding (E210), not also "has no `effective` date" (E105).
    case("E210", "effective-february-30", r"""policy p "P" {
  version "1"
  effective 2025-02-30
#           ^^^^^^^^^^ E210 `2025-02-30` is not a date
  calendar biz { zone Europe/Paris open mon..fri 09:00-17:00 }
  severities { high, low }
  respond on biz { target 4h }
}
"""),
    case("E211", "holidays-too-short", policy(RESPOND + r"""
  holidays ru { national RU years 2024..2024 }
  calendar moscow { zone Europe/Moscow open mon..fri 09:00-17:00 holidays ru }
#                                                                ^^^^^^^^^^^ E211 holidays `ru` cover 2024-2024, but the policy is effective in 2025 ~ declare `years 2024..2025`
""")),
    # ---- rules -------------------------------------------------------------------------
    # A gap is shown where it was left: the `-` cell, or the rule next to it.
    case("E301", "table-with-a-hole", policy(r"""
  respond on biz {
    severity high low
    target:  1h   -
#                 ^ E301 no response target for severity `low` ~ add a `target`, or `target none` to promise nothing
  }
""")),
    case("E301", "one-plan-only", policy(r"""
  when plan is premier: respond on biz { target 1h }
# ^ E301 no response target for plan `standard`
# ^ E301 no calendar for plan `standard` ~ add `on CALENDAR` to a rule that covers these tickets
""")),
    # The calendar is given for `standard`, its target is not: that rule is where to add it.
    case("E301", "rule-without-a-target", policy(r"""
  when plan is premier: respond on biz { target 1h }
  when plan is standard: respond on biz { }
# ^ E301 no response target for plan `standard`
""")),
    # No rule near the gap: only then the policy's name.
    case("E301", "no-rule-at-all", policy("", after_id="#      ^ E301 no response target for any ticket\n"
                                              "#      ^ E301 no calendar for any ticket\n")),
    # The whole reach of the conflict (every location), and the rule that settles it.
    case("E302", "escalation", policy(RESPOND + r"""
  dimension location { x, y, z }
  role desk
  when plan is premier: escalate { email desk }
  when severity is high: escalate { phone desk }
# ^ E302 conflicting escalation for plan `premier`, severity `high`: steps phone desk here, steps email desk by another rule ~ add a rule for the tickets both match, `when plan is premier and severity is high`, that says which answer applies (a rule inside both wins), or make the two agree
""")),
    # Two groups of tickets for one pair of rules: one finding naming both.
    case("E302", "reach-in-two-groups", policy(r"""
  dimension location { x, y, z }
  respond on biz { target 4h }
  when location is x, y: respond { target 1h }
  when severity is high: respond { target 2h }
#                                         ^^ E302 conflicting target for plan `standard`, location `x`, `y`, severity `high`; plan `premier`, location `y`, severity `high`: 2h here, 1h by another rule ~ `when location is x, y and severity is high`
  when plan is premier and location is x and severity is high: respond { target 30min }
""")),
    # A rule against a table: one finding for the pair, however many cells it meets.
    case("E302", "table-and-rule", policy(r"""
  dimension location { x, y }
  respond on biz {
    plan \ severity high low
    standard:       1h   -
#                        ^ E301 no response target for plan `standard`, location `y`, severity `low`
    premier:        1h   2h
  }
  when location is x: respond { target 8h }
#                                      ^^ E302 conflicting target for plan `standard`, location `x`, severity `high`; plan `premier`, location `x`: 8h here, 1h, 2h by another rule ~ add a rule for each table cell the two share (the first: `when plan is standard and location is x and severity is high`)
""")),
    case("E302", "same-tickets", policy(r"""
  respond on biz { target 4h }
  when plan is premier: respond { target 1h }
  when plan is premier: respond { target 2h }
#                                        ^^ E302 conflicting target for plan `premier`: 2h here, 1h by another rule ~ both rules match the same tickets: keep one of them, or make them agree
""")),
    case("W303", "overridden-by-more-specific-rules", policy(RESPOND + r"""
  when plan is premier: respond { target 4h }
#                                        ^^ W303 no ticket reaches this target: more specific rules decide every ticket it matches ~ remove it, or change the rule that takes its tickets
  when plan is premier and severity is high: respond { target 1h }
  when plan is premier and severity is low: respond { target 2h }
""")),
    # "standard" tickets of severity "high" become "low": a response rule for them is dead.
    case("W303", "unreachable-after-a-severity-rule", policy(RESPOND + r"""
  when plan is standard: severity high becomes low
  when plan is standard and severity is high: respond { target 1h }
#                                                              ^^ W303 no ticket reaches this target: severity rules move every ticket it matches to another severity
""")),
    # In a table the fix is a `-` cell.
    case("W303", "table-cell", policy(r"""
  when plan is premier and severity is low: respond { target 8h }
  when plan is standard and severity is low: respond { target 8h }
  respond on biz {
    severity high low
    target:  1h   4h
#                 ^^ W303 no ticket reaches this target: more specific rules decide every ticket it matches ~ write `-` in this cell, or change the rule that takes its tickets
  }
""")),
    case("W303", "condition-matches-nothing", policy(RESPOND + r"""
  when plan is not standard, premier: respond { target 1h }
#                                                      ^^ W303 no ticket reaches this target: its condition matches no ticket
""")),
    # Received on a Friday after 09:00 and up to 16:00, 8h ends on Monday at the same time
    # and 1h an hour later on Friday: 2d 23h, and 3d across the weekend Paris leaves summer
    # time. At 09:00 itself 8h ends at 17:00 that day: the worst starts a microsecond later.
    case("W304", "slower-higher-severity", policy(r"""
  respond on biz {
    severity high low
    target:  8h   1h
#            ^^ W304 received Fri 2025-10-24 09:00:00.000001 Europe/Paris (07:00:00.000001Z) is due Mon 2025-10-27 09:00:00.000001 Europe/Paris (08:00:00.000001Z) on `high` (8h), 3d after Fri 2025-10-24 10:00:00.000001 Europe/Paris (08:00:00.000001Z) on `low` (1h) ~ give `high` a target that is never later than `low`'s
  }
""")),
    case("E305", "short-row", policy(r"""
  respond { target 8h }
  respond on biz {
    plan \ severity  high  low
    premier:         1h
#   ^^^^^^^ E305 row `premier` has 1 cells, the header 2 ~ use `-` for a cell with no rule
    standard:        2h    4h
  }
""")),
    case("E305", "one-dimensional-table-with-a-named-row", policy(r"""
  respond on biz {
    severity high low
#   ^ E305 a one-dimensional table has a single row, `target:` ~ for two dimensions write `ROW \ severity` in the corner
    premier: 1h 2h
  }
""")),
    case("E306", "target-twice", policy(r"""
  respond on biz { target 1h target 2h }
#                            ^^^^^^^^^ E306 `target` is set twice in this rule ~ keep one; more specific rules override less specific ones
""")),
    case("E306", "calendar-twice", policy(r"""
  respond on biz { on biz target 4h }
#                  ^^^^^^ E306 calendar (`on`) is set twice in this rule
""")),
    case("E306", "zone-twice", policy(RESPOND + r"""
  calendar c { zone UTC zone UTC open always }
#                       ^^^^^^^^ E306 the time zone is set twice in this calendar
""")),
    case("E307", "include-cycle", policy(RESPOND + r"""
  escalation a { include b }
  escalation b { include a }
#                        ^ E307 escalation chain includes itself: `a` -> `b` -> `a`
""")),
    case("W308", "same-target-twice", policy(r"""
  respond { target 4h }
  respond on biz { target 4h }
#                         ^^ W308 this rule repeats another with the same tickets and answer ~ remove one of them
""")),
    case("E309", "zero-target", policy(r"""
  respond on biz { target 0h }
#                         ^^ E309 a response target of zero time ~ write `none` for no target
""")),
    case("E309", "zero-multiplier", policy(RESPOND + r"""
  bill 0x outside biz
# ^ E309 rate multiplier `0x` must be above zero
""")),
    case("E309", "share-over-100", policy(RESPOND + r"""
  role desk
  escalate { email desk at 150% }
#            ^ E309 a step at 150% of the target ~ shares run from 1% to 100%
""")),
    case("E309", "target-beyond-ten-years", policy(r"""
  respond on biz { target 30000000000h }
#                         ^^^^^^^^^^^^ E309 duration `30000000000h` is longer than ten years ~ at most ten years
""")),
    case("E309", "multiplier-of-400-digits", policy(RESPOND + "  bill 1" + "0" * 400 + r"""x outside biz
#      ^ E309 rate multiplier `1000000000...0000000000x` is above 1000x ~ multipliers run above 0x up to 1000x
""")),
    # ---- statuses and metrics ------------------------------------------------------------
    case("E101", "unknown-metric-in-measure", policy(RESPOND + r"""
  metric resolution { start on created stop on status to solved }
  measure resolution on biz { target 8h }
  measure resolutoin on biz { target 8h }
#         ^^^^^^^^^^ E101 unknown metric `resolutoin` ~ did you mean `resolution`?
""")),
    case("E101", "unknown-metric-of-a-step", policy(RESPOND + r"""
  role desk
  escalate { email desk at 50% of first_respons }
#                                 ^^^^^^^^^^^^^ E101 unknown metric `first_respons` ~ did you mean `first_response`?
""")),
    # Without `statuses` a ticket is `open` or `solved`.
    case("E101", "unknown-status", policy(RESPOND + r"""
  metric resolution { start on created stop on status to solvd }
#                                                        ^^^^^ E101 unknown status `solvd` ~ did you mean `solved`?
  measure resolution on biz { target 8h }
""")),
    # A name after a `status to` list's comma that is no event word is one more status.
    case("E101", "event-read-as-a-status", policy(RESPOND + r"""
  statuses { open, solved, closed }
  metric resolution { start on created stop on status to solved, closed, agent_mesage }
#                                                                        ^^^^^^^^^^^^ E101 unknown status `agent_mesage` ~ did you mean `agent_message`?
  measure resolution on biz { target 8h }
""")),
    case("E101", "unknown-event", policy(RESPOND + r"""
  metric resolution { start on creatd stop on status to solved }
#                              ^^^^^^ E101 unknown event `creatd` ~ did you mean `created`?
  measure resolution on biz { target 8h }
""")),
    case("E101", "pause-in-an-unknown-status", policy(RESPOND + r"""
  statuses { open, waiting_on_customer, solved }
  metric resolution { start on created stop on status to solved pause in waiting_on_custmer }
#                                                                        ^^^^^^^^^^^^^^^^^^ E101 unknown status `waiting_on_custmer` ~ did you mean `waiting_on_customer`?
  measure resolution on biz { target 8h }
""")),
    case("E102", "metric-twice", policy(RESPOND + r"""
  metric update { start on created stop on agent_message }
  metric update { start on created stop on agent_message }
#        ^^^^^^ E102 metric `update` is defined twice
  measure update on biz { target daily }
""")),
    case("E102", "statuses-twice", policy(RESPOND + r"""
  statuses { open, solved }
  statuses { new, done }
# ^ E102 the statuses are declared twice ~ keep one `statuses` block
""")),
    case("E102", "status-twice", policy(RESPOND + r"""
  statuses { open, solved, open }
#                          ^^^^ E102 status `open` is defined twice
""")),
    case("E104", "status-named-like-an-event", policy(RESPOND + r"""
  statuses { open, created }
#                  ^^^^^^^ E104 `created` is an event and cannot name a status
""")),
    case("E306", "clause-twice", policy(RESPOND + r"""
  metric update { start on created stop on agent_message stop on status to solved }
#                                                        ^^^^^^^^^^^^^^^^^^^^^^^^ E306 `stop` is set twice in this metric ~ list several events in it
  measure update on biz { target daily }
""")),
    case("E206", "never-open-for-a-metric", policy(RESPOND + r"""
  calendar never { zone UTC }
  metric resolution { start on created stop on status to solved }
  measure resolution on never { target 40h }
# ^ E206 calendar `never` is never open, so business-time targets of `resolution` on it never fall due
""")),
    # A period counts real time: a calendar that is never open is fine for it.
    case("E309", "period-of-zero-days", policy(RESPOND + r"""
  calendar never { zone UTC }
  metric update { start on created stop on agent_message }
  measure update on never { target every 0 days }
#                                  ^^^^^^^^^^^^ E309 a period of zero days ~ `every N days` with N above 0
""")),
    case("E309", "period-beyond-ten-years", policy(RESPOND + r"""
  metric update { start on created stop on agent_message }
  measure update on biz { target every 999 weeks }
#                                      ^^^ E309 a period of `999 weeks` is longer than ten years ~ periods are at most 3660 days
""")),
    case("E309", "share-of-a-metric-over-100", policy(RESPOND + r"""
  role desk
  escalate { email desk at 101% of first_response }
#            ^ E309 a step at 101% of the target ~ shares run from 1% to 100%
""")),
    case("E401", "no-start", policy(RESPOND + r"""
  metric update { stop on agent_message }
#        ^^^^^^ E401 metric `update` has no `start` clause ~ add e.g. `start on created`
  measure update on biz { target daily }
""")),
    case("E402", "no-stop", policy(RESPOND + r"""
  metric resolution { start on created pause in solved }
#        ^^^^^^^^^^ E402 nothing stops metric `resolution`: it has no `stop` clause ~ add e.g. `stop on agent_message`
  measure resolution on biz { target 8h }
""")),
    # With one status a ticket never moves: a `status` event never happens.
    case("E402", "stop-that-cannot-happen", policy(RESPOND + r"""
  statuses { open }
  metric resolution { start on created stop on status to open }
#                                      ^^^^^^^^^^^^^^^^^^^^^^ E402 nothing stops metric `resolution`: a ticket with one status never changes status
  measure resolution on biz { target 8h }
""")),
    case("E403", "start-that-cannot-happen", policy(RESPOND + r"""
  statuses { open }
  metric reopened { start on status from open stop on agent_message }
#                   ^^^^^^^^^^^^^^^^^^^^^^^^^ E403 metric `reopened` can never start: a ticket with one status never changes status
  measure reopened on biz { target 8h }
""")),
    case("E403", "after-itself", policy(RESPOND + r"""
  metric a { start on customer_message after b stop on agent_message }
#                                            ^ E403 metric `a` can never start: it starts only after itself (`a` -> `b` -> `a`)
  metric b { start on customer_message after a stop on agent_message }
#                                            ^ E403 metric `b` can never start: it starts only after itself (`b` -> `a` -> `b`)
  measure a, b on biz { target 8h }
""")),
    case("E403", "after-a-metric-nothing-stops", policy(RESPOND + r"""
  statuses { open }
  metric a { start on created stop on status to open }
#                             ^^^^^^^^^^^^^^^^^^^^^^ E402 nothing stops metric `a`
  metric b { start on customer_message after a stop on agent_message }
#                                            ^ E403 metric `b` can never start: it starts after `a`, which nothing stops
  measure a, b on biz { target 8h }
""")),
    case("E403", "after-a-metric-that-never-starts", policy(RESPOND + r"""
  statuses { open }
  metric a { start on status to open stop on agent_message }
#            ^^^^^^^^^^^^^^^^^^^^^^^ E403 metric `a` can never start: a ticket with one status never changes status
  metric b { start on customer_message after a stop on agent_message }
#                                            ^ E403 metric `b` can never start: it starts after `a`, which can never start
  measure a, b on biz { target 8h }
""")),
    case("E404", "pause-in-every-status", policy(RESPOND + r"""
  statuses { open, waiting }
  metric resolution { start on created stop on agent_message pause in open, waiting }
#                                                            ^^^^^^^^^^^^^^^^^^^^^^ E404 metric `resolution` pauses in every status, so its clock never runs
  measure resolution on biz { target 8h }
""")),
    case("W405", "resolution-before-response", policy(r"""
  respond on biz {
    severity high low
    target:  2h   8h
  }
  metric resolution { start on created stop on status to solved }
  measure resolution on biz { target 4h }
#                                    ^^ W405 the `resolution` target (4h) is shorter than the first response target (8h) for severity `low` ~ a ticket cannot be resolved before it is answered
""")),
    case("E406", "metric-without-targets", policy(RESPOND + r"""
  metric update "Progress update" { start on created stop on agent_message }
#        ^^^^^^ E406 metric `update` has no targets ~ add `measure update on CALENDAR { target ... }`
""")),
    case("E406", "declared-first-response-without-targets", policy(r"""
  metric first_response { start on created stop on agent_message }
#        ^^^^^^^^^^^^^^ E406 metric `first_response` has no targets ~ add `respond on CALENDAR
""")),
    # e1 has 2 steps, e2 4, ... e10 1,024: the first past the cap; e11 that includes it is not blamed again.
    case("E310", "includes-doubling", policy(RESPOND + "  role desk\n  escalation e0 { email desk }\n" + "".join(
        f"  escalation e{i} {{ include e{i - 1} include e{i - 1} }}\n" for i in range(1, 10)) + r"""
  escalation e10 { include e9 include e9 }
#            ^^^ E310 escalation chain `e10` expands to more than 1000 steps ~ include each chain once
  escalation e11 { include e10 include e10 }
  escalate e11
""")),
    # Three dimensions of 101 values, each value but the last named by a rule of its own:
    # 101^3 = 1,030,301 kinds of ticket (plans and severities: no rule tells them apart).
    case("E309", "too-many-tickets", policy(RESPOND + "".join(
        f"  dimension d{i} {{ " + ", ".join(f"v{j}" for j in range(101)) + " }\n"
        + "".join(f"  when d{i} is v{j}: bill 2x outside biz\n" for j in range(100)) for i in range(3)),
        after_id="#      ^ E309 the rules tell 1030301 kinds of ticket apart; policyc checks at most 1,000,000\n")),
    # ---- calendars that follow the customer (issue 9, item 2) ----------------------------
    case("E217", "zone-from-unknown-fact", policy(RESPOND + r"""
  fact customer_zone zone
  calendar local { zone from customer_zon open mon..fri 09:00-17:00 }
#                            ^^^^^^^^^^^^ E217 unknown fact `customer_zon` ~ did you mean `customer_zone`?
""")),
    case("E217", "holidays-from-undeclared-fact", policy(RESPOND + r"""
  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 holidays from country years 2025..2025 }
#                                                                            ^^^^^^^ E217 unknown fact `country` ~ declare it: `dimension country regions { US, DE }`
""")),
    case("E218", "zone-from-a-dimension", policy(RESPOND + r"""
  calendar local { zone from plan open mon..fri 09:00-17:00 }
#                            ^^^^ E218 `plan` is a dimension, not a time zone fact ~ declare `fact plan zone`
""")),
    case("E218", "holidays-from-plain-values", policy(RESPOND + r"""
  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 holidays from plan years 2025..2025 }
#                                                                            ^^^^ E218 `plan` is a dimension of plain values, not a dimension of holiday regions ~ declare `dimension plan regions { US, DE }`
""")),
    case("E218", "holidays-from-a-zone-fact", policy(RESPOND + r"""
  fact customer_zone zone
  calendar local { zone from customer_zone open mon..fri 09:00-17:00 holidays from customer_zone years 2025..2025 }
#                                                                                  ^^^^^^^^^^^^^ E218 `customer_zone` is a time zone fact, not a dimension of holiday regions
""")),
    case("E219", "fact-calendar-in-a-union", policy(RESPOND + r"""
  fact customer_zone zone
  calendar local { zone from customer_zone open mon..fri 09:00-17:00 }
  calendar both = biz + local
#                       ^^^^^ E219 calendar `local` follows ticket facts and cannot join a union ~ write the other calendar's hours as `when` cases of this one
""")),
    case("E219", "fact-calendar-in-a-rule-union", policy(RESPOND + r"""
  fact customer_zone zone
  calendar local { zone from customer_zone open mon..fri 09:00-17:00 }
  when plan is premier: bill 2x outside biz + local
#                                             ^^^^^ E219 calendar `local` follows ticket facts and cannot join a union
""")),
    case("E220", "case-zone-twice", policy(RESPOND + r"""
  dimension country regions { US, DE }
  calendar local {
    zone Europe/Paris open mon..fri 09:00-17:00
    when country is US: zone America/New_York
    when country is US: zone America/Chicago
#                       ^^^^^^^^^^^^^^^^^^^^ E220 this case sets the time zone twice ~ keep one `zone` per condition
  }
""")),
    # A region dimension's values are checked as `national` codes are, nearest codes first.
    case("E209", "unknown-region-value", policy(RESPOND + r"""
  dimension country regions { US, US-NX, DE }
#                                 ^^^^^ E209 no holiday calendar for the subdivision `US-NX` ~ did you mean `US-NC`, `US-ND`, `US-NE`, `US-NH`, `US-NJ`?
""")),
    # Sri Lanka's holidays are known until 2026 only.
    case("E212", "a-region-beyond-its-data", policy(RESPOND + r"""
  dimension country regions { US, LK }
  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 holidays from country years 2025..2027 }
#                                                              ^ E212 the holidays of `LK` (2003-2026) are not known for 2025-2027 ~ declare years the holiday data covers
""")),
    case("E211", "region-holidays-miss-the-effective-year", policy(RESPOND + r"""
  dimension country regions { US, DE }
  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 holidays from country years 2026..2026 }
#                                                              ^ E211 holidays from `country` cover 2026-2026, but the policy is effective in 2025 ~ declare `years 2025..2026`
""")),
    case("E101", "rule-tests-a-zone-fact", policy(RESPOND + r"""
  fact customer_zone zone
  when customer_zone is UTC: bill 2x outside biz
#      ^^^^^^^^^^^^^ E101 unknown dimension `customer_zone` ~ `customer_zone` is a time zone fact, which only a calendar reads (`zone from customer_zone`); no condition can test it
""")),
    case("E206", "no-hours-for-some-regions", policy(r"""
  dimension country regions { US, US-NY, DE }
  calendar local {
    zone Europe/Paris
    when country is US, US-NY: open mon..fri 09:00-18:00
  }
  respond on local { target 4h }
# ^ E206 calendar `local` is never open for tickets with country `DE`, so business-time targets on it never fall due for them ~ give the calendar default opening hours, or a `when` case for these tickets
""")),
    # First match wins: `US` is decided by the broader case before it.
    case("W217", "a-broader-case-first", policy(RESPOND + r"""
  dimension country regions { US, US-NY, DE }
  calendar local {
    zone Europe/Paris open mon..fri 09:00-17:00
    when country is US, US-NY: open mon..fri 09:00-18:00
    when country is US: open mon..fri 08:00-18:00
#   ^ W217 no ticket takes the hours of this case: earlier cases give hours to every ticket it matches ~ cases are read in order, the first match wins: write the narrower case first
    when country is US: zone America/New_York
  }
""")),
    # The rules read the effective severity, a calendar the ticket's facts: the two could differ.
    case("E221", "case-tests-the-severity", policy(RESPOND + r"""
  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 when severity is high: open always }
#                                                                   ^^^^^^^^ E221 a calendar case cannot test the severity ~ choose the calendar by severity in the rules
""")),
    case("E101", "case-tests-an-unknown-value", policy(RESPOND + r"""
  dimension country regions { US, DE }
  calendar local { zone Europe/Paris open mon..fri 09:00-17:00 when country is FR: open mon..fri 08:00-18:00 }
#                                                                              ^^ E101 unknown country `FR` ~ `country` has: `US`, `DE`
""")),
    # ---- ordered values (issue 9) ----------------------------------------------------------
    case("E315", "ordered-twice", policy(RESPOND + r"""
  order plan: standard < premier
  order plan: premier < standard
#       ^^^^ E315 dimension `plan` is ordered twice ~ keep one `order` statement
""")),
    case("E316", "severities-ordered", policy(RESPOND + r"""
  order severity: low < high
#       ^^^^^^^^ E316 severities are ordered by their declaration, the most severe first ~ remove this `order`
""")),
    case("E101", "order-of-an-unknown-value", policy(RESPOND + r"""
  order plan: standard < premeir
#                        ^^^^^^^ E101 unknown plan `premeir` ~ did you mean `premier`?
""")),
    case("E101", "order-of-an-unknown-dimension", policy(RESPOND + r"""
  order tier: silver < gold
#       ^^^^ E101 unknown dimension `tier`
""")),
    case("E103", "value-ordered-twice", policy(RESPOND + r"""
  order plan: standard < premier < standard
#                                  ^^^^^^^^ E103 `standard` is listed twice
""")),
    # Premier high (8h) against standard high (1h): received on Friday 2025-10-24 just
    # after 09:00 and up to 16:00 (CEST), 8h ends on Monday at the same time (CET), 1h an
    # hour later on Friday: 3d (as W304's case above).
    case("W315", "better-plan-slower", policy(r"""
  order plan: standard < premier
  respond on biz {
    plan \ severity  high  low
    premier:         8h    8h
#                    ^^ W315 `premier` can fall due later than the worse `standard` of `plan`: a ticket with severity `high` received Fri 2025-10-24 09:00:00.000001 Europe/Paris (07:00:00.000001Z) is due Mon 2025-10-27 09:00:00.000001 Europe/Paris (08:00:00.000001Z) on `premier` (8h), 3d after Fri 2025-10-24 10:00:00.000001 Europe/Paris (08:00:00.000001Z) on `standard` (1h) ~ give `premier` a target that is never later than `standard`'s, or change the `order` of `plan`
    standard:        1h    8h
  }
""")),
    # ---- issue 9: windows across time zones ---------------------------------------------
    # A closed date is a date of New York's wall calendar; the window's end is Tokyo's.
    case("E213", "window-across-zones-with-dates", policy(RESPOND + r"""
  calendar c { zone America/New_York open fri 17:00 - mon 09:00 Asia/Tokyo closed 2025-12-26 }
#                                    ^ E213 a window across time zones cannot share a calendar with holidays or dates ~ define the window in a calendar of its own and join them
""")),
    case("E213", "window-across-zones-with-holidays", policy(RESPOND + r"""
  holidays h { 2025-12-25 }
  calendar c { zone Europe/Paris holidays h open mon..fri 09:00-17:00 open fri 17:00 - mon 09:00 UTC }
#                                                                     ^ E213 a window across time zones cannot share a calendar with holidays or dates
""")),
    # 1,441 daily windows (at 00:00, 00:01, ...) to Tokyo: 7 each, 10,087 in all
    case("E214", "too-many-windows-across-zones", policy(RESPOND + "  calendar many { zone UTC\n"
        + "#          ^^^^ E214 calendar `many` has 10087 windows across time zones; a table holds at most 10000\n"
        + "".join(f"    open mon..sun {m // 60:02}:{m % 60:02} - 12:00 Asia/Tokyo\n" for m in range(1441 - 1))
        + "    open mon..sun 23:59 - 11:00 Asia/Tokyo\n  }\n")),
    # 1,001 calendars at fixed offsets, joined in a rule
    case("E214", "too-many-zones", policy(
        "".join(f"  calendar z{i} {{ zone UTC{'+' if i % 2 else '-'}{i // 120:02}:{i // 2 % 60:02} open mon 09:00-10:00 }}\n"
                for i in range(1001))
        + "  respond on " + " + ".join(f"z{i}" for i in range(1001)) + " { target 4h }\n"
        + "#            ^ E214 this union joins calendars in 1001 time zones; a table holds at most 1000\n")),
    case("E201", "window-end-zone", policy(RESPOND + r"""
  calendar c { zone America/New_York open fri 17:00 - mon 09:00 Asia/Tokio }
#                                                               ^ E201 unknown time zone `Asia/Tokio` ~ did you mean `Asia/Tokyo`?
""")),
    case("E201", "window-start-zone", policy(RESPOND + r"""
  calendar c { zone America/New_York open fri 17:00 UTC+25:00 - mon 09:00 }
#                                                   ^ E201 `UTC+25:00` is not a valid UTC offset
""")),
    # ---- business days (issue 9) ---------------------------------------------------------
    case("E311", "zero-business-days", policy(r"""
  respond on biz { target 0 business days }
#                         ^ E311 `0 business days` is outside 1..2600 ~ write from 1 to 2600 business days (ten years of weekdays); `none` promises no time
""")),
    case("E311", "business-days-beyond-ten-years-in-a-table", policy(r"""
  respond on biz {
    severity high low
    target: 2601 business days end 1 business day
#           ^^^^ E311 `2601 business days` is outside 1..2600 ~ write from 1 to 2600 business days
  }
""")),
    case("E311", "business-days-of-400-digits", policy("  respond on biz { target 1" + "0" * 400 + r""" business days start }
#                         ^ E311 `1000000000...0000000000 business days` is outside 1..2600
""")),
    case("E312", "business-day-of-25-hours", policy(r"""
  respond on biz { target 2 business days of 25h }
#                                            ^^^ E312 a business day of `25h`: a day's hours run above 0 up to 24h ~ write the hours of one business day, such as `of 8h`
""")),
    case("E312", "business-day-of-no-time", policy(r"""
  metric resolution { start on created stop on status to solved }
  measure resolution on biz { target 2 business days of 0min }
#                                                       ^^^^ E312 a business day of `0min`
""" + RESPOND)),
    case("E206", "never-open-for-business-days", policy(r"""
  calendar never { zone UTC }
  respond on never { target 3 business days end }
# ^ E206 calendar `never` is never open, so business-time targets on it never fall due
""")),
    case("E001", "bare-number-as-a-cell", policy(r"""
  respond on biz { target 4 business }
#                                    ^ E001 unexpected `}` ~ a cell is a duration (`2h`, `30min`), `next business day`, `none`, `best effort`, a period (`daily`, `weekly`, `every 3 days`), business days
""")),
    # ---- where the features of issue 9 meet ---------------------------------------------
    case("E222", "window-across-zones-in-a-fact-zone-calendar", policy(RESPOND + r"""
  fact customer_zone zone
  calendar local { zone from customer_zone open fri 17:00 - mon 09:00 Asia/Tokyo }
#                                          ^ E222 a window across time zones cannot be in a calendar that follows ticket facts ~ write the window in the calendar's own zone
""")),
    case("E222", "window-across-zones-in-a-calendar-with-cases", policy(RESPOND + r"""
  calendar local { zone UTC open mon..fri 09:00-17:00 open fri 17:00 - mon 09:00 Asia/Tokyo when plan is premier: open always }
#                                                     ^ E222 a window across time zones cannot be in a calendar that follows ticket facts
""")),
    # ---- expected warnings ----------------------------------------------------------------
    case("E012", "expect-an-error", policy(RESPOND + r"""
  expect E101 "an unknown name is no reading of the regulation"
#        ^^^^ E012 `E101` is an error: only a warning can be expected ~ an error leaves no table: fix what it says
  when plan is premier: respond { target 1h }
""")),
    case("E012", "expect-an-unknown-code", policy(RESPOND + r"""
  expect W305 "no such warning"
#        ^^^^ E012 `W305` is no code policyc gives: only a warning can be expected ~ did you mean `W303`, `W304`, `W308`, `W315`, `W320`?
  when plan is premier: respond { target 1h }
""")),
    case("W013", "expect-not-met", policy(RESPOND + r"""
  expect W304 "premier is faster here"
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ W013 `expect W304` is not met: the item that follows it gives no `W304` ~ remove the expectation, or move it before the item with the finding
  when plan is premier: respond { target 1h }
""")),
    case("W013", "expect-with-nothing-after-it", policy(RESPOND + r"""
  expect W304 "at the end"
# ^^^^^^^^^^^^^^^^^^^^^^^^ W013 `expect W304` has no rule or definition after it to apply to ~ move it before the item with the finding
""")),
    # ---- defaults and restricted values (docs/language.md, "Defaults and restricted values")
    case("E101", "unknown-default", policy(RESPOND + r"""
  dimension channel { web, email } default webb
#                                          ^^^^ E101 unknown channel `webb` ~ did you mean `web`?
""")),
    case("E323", "restriction-tests-the-severity", restricted(RESPOND, r"""
  severities { high, low, how_to "How-to" { only severity is high } }
#                                                ^^^^^^^^ E323 the restriction of `how_to` tests `severity` ~ restrict a value by another dimension
""")),
    case("E323", "restricted-status", restricted(RESPOND + r"""
  statuses { open, pending { only plan is premier }, solved }
#                                 ^^^^^^^^^^^^^^^ E323 status `pending` cannot be restricted ~ remove the `only`
""")),
    case("E324", "table-row-for-every-plan", restricted(r"""
  respond on biz {
    severity\plan standard premier
    high:   4h       1h
    low:    8h       2h
    how_to: 8h       4h
#   ^^^^^^ E324 `how_to` exists only for tickets where plan is premier; this rule requires it for plan `standard` ~ add `when plan is premier:` to the rule, or leave the cell empty (`-`)
  }
""")),
    case("E324", "severity-rule-gives-it-to-every-plan", restricted(RESPOND + r"""
  severity any becomes how_to
#                      ^^^^^^ E324 `how_to` exists only for tickets where plan is premier; this rule requires it for plan `standard` ~ add `when plan is premier:`
""")),
    case("E324", "condition-expects-it-for-another-plan", restricted(RESPOND + r"""
  role support
  when plan is standard and severity is how_to: escalate { email support }
#                                       ^^^^^^ E324 requires it for plan `standard`
""")),
    case("E325", "restricted-default", restricted(RESPOND, r"""
  severities { high, low, how_to "How-to" { only plan is premier } } default how_to
#                                                                            ^^^^^^ E325 default `how_to` of `severity` is a restricted value ~ choose a value that every ticket may have
""")),
    # ---- no support (issue 10, item 2) -----------------------------------------------------
    case("E320", "no-support-without-a-reason", policy(RESPOND + r"""
  when plan is standard: no support "  " see "https://forum.example.com"
#                                   ^^^^ E320 a `no support` rule needs a reason ~ say what these tickets get instead
""")),
    case("W320", "no-support-for-every-ticket", policy(r"""
  no support "Community forum only"
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ W320 no ticket the policy can receive gets support ~ give this rule a `when` condition
""")),
    case("W321", "supported-with-nothing-to-except", policy(RESPOND + r"""
  when plan is standard and severity is low: no support "Community forum only"
  when plan is premier: supported
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ W321 this `supported` rule is inside no `no support` rule, so its tickets are supported anyway ~ remove it, or widen the `no support` rule
""")),
    case("E302", "two-no-support-reasons", policy(RESPOND + r"""
  when plan is standard: no support "Community forum only"
  when severity is low: no support "Ask your reseller"
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ E302 conflicting support for plan `standard`, severity `low`: no support "Ask your reseller" here, no support "Community forum only" by another rule ~ add a rule for the tickets both match, `when plan is standard and severity is low`
""")),
    case("W303", "respond-rule-only-for-unsupported-tickets", policy(RESPOND + r"""
  when plan is standard: no support "Community forum only"
  when plan is standard: respond { target 1h }
#                                         ^^ W303 no ticket reaches this target: every ticket it matches has no support (a `no support` rule) ~ remove it
""")),
    case("W303", "escalation-only-for-unsupported-tickets", policy(RESPOND + r"""
  role ops "Ops"
  when plan is standard: no support "Community forum only"
  when plan is standard: escalate { notify ops }
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ W303 no ticket reaches this escalation: every ticket it matches has no support
""")),
    # the built-in calendar has no first definition to point at (this used to crash)
    case("E102", "built-in-calendar-redefined", policy(RESPOND + r"""
  calendar always { zone UTC open mon 09:00-10:00 }
#          ^^^^^^ E102 calendar `always` is built in and cannot be defined again ~ choose another name
""")),
    # An exception to a label no rule carries: a misspelt group.
    case("E101", "unknown-rule-label", policy(RESPOND + r"""
  rule premier_hours: when plan is premier: respond { target 2h }
  exception to premier_hour: when severity is high: respond { target 1h }
#              ^^^^^^^^^^^^ E101 unknown rule label `premier_hour` ~ did you mean `premier_hours`?
""")),
    # The exception sets a target, its group only a calendar: nothing to override.
    case("W330", "exception-overrides-nothing", policy(RESPOND + r"""
  rule regional: when plan is premier: respond on biz { }
  exception to regional: when severity is high: respond { target 1h }
# ^^^^^^^^^^^^^^^^^^^^^^ W330 this exception to `regional` overrides nothing: no rule labelled `regional` sets what it sets for a ticket it matches ~ remove the label, or widen the exception's condition
""")),
    # Without the label the two rules below conflict (E302); as an exception, no finding.
    # Two exceptions that disagree still do.
    case("E302", "two-exceptions-disagree", policy(RESPOND + r"""
  dimension location { x, y }
  rule regional: when plan is premier: respond { target 2h }
  exception to regional: when severity is high: respond { target 1h }
  exception to regional: when location is x: respond { target 30min }
#                                                             ^^^^^ E302 conflicting target for location `x`, severity `high`: 30min here, 1h by another rule
""")),    # ---- dated rules and definitions (issue 10, item 4) --------------------------------------
    case("E341", "dates-that-hold-no-day", policy(RESPOND + r"""
  rule fast from 2025-07-01 until 2025-06-30: when plan is premier: respond { target 2h }
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ E341 `from 2025-07-01 until 2025-06-30` holds no date ~ the first date comes first; both are included
""")),
    case("E342", "two-versions-on-one-date", policy(RESPOND + r"""
  rule fast until 2025-06-30: when plan is premier: respond { target 2h }
  rule fast from 2025-06-01: when plan is premier: respond { target 1h }
#           ^^^^^^^^^^^^^^^ E342 two versions of rule `fast` are in force on 2025-06-01 .. 2025-06-30 ~ end the earlier version on 2025-05-31, or start this one on 2025-07-01
""")),
    case("E342", "undated-calendar-beside-a-version", policy(r"""
  respond on hours { target 4h }
  calendar hours { zone Europe/Paris open mon..fri 09:00-17:00 }
  calendar hours from 2025-07-01 { zone Europe/Paris open mon..fri 08:00-18:00 }
#                ^^^^^^^^^^^^^^^ E342 two versions of calendar `hours` are in force on 2025-07-01 .. 2025-12-31 ~ give the undated one dates
""")),
    case("E343", "gap-between-versions", policy(RESPOND + r"""
  rule fast until 2025-05-31: when plan is premier: respond { target 2h }
  rule fast from 2025-07-01: when plan is premier: respond { target 1h }
#           ^^^^^^^^^^^^^^^ E343 no version of rule `fast` is in force on 2025-06-01 .. 2025-06-30 ~ start this version on 2025-06-01, or add one for those dates
""")),
    case("W344", "rule-new-on-a-date", policy(RESPOND + r"""
  rule fast from 2025-07-01: when plan is premier: respond { target 1h }
#           ^^^^^^^^^^^^^^^ W344 rule `fast` is in force only from 2025-07-01: no version of it applies to tickets created on 2025-01-01 .. 2025-06-30 ~ if it is new on that date, say so with `expect W344 "..."` before it; else add its earlier version
""")),
    case("W344", "exception-that-ends", policy(RESPOND + r"""
  rule regional: when plan is premier: respond on biz { }
  exception to regional until 2025-03-31: when severity is high: respond on always { }
#                       ^^^^^^^^^^^^^^^^ W344 the exception to `regional` is in force only until 2025-03-31: no version of it applies to tickets created on 2025-04-01 .. 2025-12-31 ~ if it ends on that date, say so with `expect W344 "..."` before it; else add its later version
""")),
    case("E345", "version-outside-the-period", policy(RESPOND + r"""
  rule fast from 2025-01-01 until 2026-06-30: when plan is premier: respond { target 1h }
#           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ E345 these dates reach outside the period policy `p` is effective, 2025-01-01 .. 2025-12-31 ~ a version applies within the policy's `effective` dates: change these, or the period
""")),
    case("E346", "dated-shared-definition", {
        "policies/shared.policy": r"""calendar biz2 from 2025-01-01 { zone Europe/Paris open mon..fri 09:00-17:00 }
#             ^^^^^^^^^^^^^^^ E346 dates on shared calendar `biz2`: a version belongs to one policy, whose effective dates it divides ~ move the dated versions into the policy that uses them
""",
        P: 'import "shared.policy"\n' + policy(RESPOND)}),    # 101 versions of one day each: the 101st (11 April) is one too many
    case("E347", "too-many-versions", policy(RESPOND + "".join(
        f"  rule daily from {day} until {day}: when plan is premier: respond {{ target 2h }}\n"
        for day in (date(2025, 1, 1) + timedelta(days=i) for i in range(100)))
        + "  rule daily from 2025-04-11: when plan is premier: respond { target 1h }\n"
        + "#            ^^^^^^^^^^^^^^^ E347 the dates of this policy make 101 versions; policyc keeps at most 100 "
          "~ the version from 2025-04-11 is one too many: a policy whose terms change that often is several "
          "policies, one per period\n")),
    # ---- contracts (issue 10 item 5) -------------------------------------------------------
    case("E330", "unknown-base-policy", {P: NEGOTIABLE, C: contract("", base="pp", after_head=r"""
#                  ^^ E330 contract `c` extends unknown policy `pp` ~ did you mean `p`?
""")}),
    case("E331", "contract-extends-a-contract", {P: NEGOTIABLE, C: contract(""), "policies/d.policy": contract(
        "", ident="d", base="c", after_head=r"""
#                  ^ E331 contract `d` extends `c`, which is a contract ~ extend the published policy that contract extends
""")}),
    case("E332", "rule-group-not-negotiable", {P: NEGOTIABLE, C: contract(r"""
  rule standard_low: when plan is standard and severity is low: respond { target 6h }
#      ^^^^^^^^^^^^ E332 rule group `standard_low` is not negotiable in `p` ~ ask the vendor to mark it `negotiable`, or remove this override
""")}),
    case("E332", "rule-group-the-base-has-not", {P: NEGOTIABLE, C: contract(r"""
  rule premier_hour: when plan is premier: respond { target 1h }
#      ^^^^^^^^^^^^ E332 `p` has no rule group `premier_hour` to override ~ did you mean `premier_hours`?
""")}),
    case("E332", "definition-not-negotiable", {P: NEGOTIABLE, C: contract(r"""
  calendar biz { zone Europe/Paris open mon..fri 08:00-17:00 }
#          ^^^ E332 calendar `biz` is not negotiable in `p` ~ ask the vendor to mark it `negotiable`, or remove this override
""")}),
    case("E332", "exception-to-a-group-not-negotiable", {P: NEGOTIABLE, C: contract(r"""
  exception to standard_low: when plan is standard and severity is low: respond { target 6h }
#              ^^^^^^^^^^^^ E332 rule group `standard_low` is not negotiable in `p`
""")}),
    case("E333", "unlabelled-contract-rule", {P: NEGOTIABLE, C: contract(r"""
  when plan is premier: respond { target 1h }
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ E333 a contract rule must override a `negotiable` rule group of the base ~ label it with the group it replaces: `rule premier_hours: when ...`
""")}),
    # `when severity is high` reaches Standard's high tickets, which no negotiable rule decides.
    case("E334", "rule-reaches-tickets-outside-its-group", {P: NEGOTIABLE, C: contract(r"""
  rule premier_hours: when severity is high: respond { target 1h }
#                                                             ^^ E334 this rule of `premier_hours` reaches tickets the base's group does not cover (plan `standard`) ~ narrow its condition to the base's group (`when plan is premier`)
""")}),
    # Inside the group's tickets, but more specific than the rule that beat the group there
    # (`standard_low` is not negotiable): the contract would override it.
    case("E334", "rule-wins-over-a-rule-not-negotiable", {P: NEGOTIABLE_WIDE, C: contract(r"""
  rule any_hours: respond { target 3h }
  rule any_hours: when plan is standard and severity is low and region is north: respond { target 1h }
#                                                                                                 ^^ E334 this rule of `any_hours` would override a rule that is not negotiable for plan `standard`, severity `low` ~ narrow this rule's condition, or leave these tickets to the base
""")}),
    # The base's group sets a target only: the calendar comes from a rule that is not negotiable.
    case("E335", "rule-sets-what-its-group-never-sets", {P: NEGOTIABLE, C: contract(r"""
  rule premier_hours: when plan is premier: respond on late { target 1h }
#                     ^ E335 the base's group `premier_hours` never sets the calendar of `first_response`
""")}),
    case("E336", "effective-outside-the-base", {P: NEGOTIABLE, C: contract(r"""  effective 2024-06-01..2025-06-30
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ E336 the contract is effective outside `p`'s period 2025-01-01..2025-12-31 ~ `effective 2025-01-01..2025-06-30`
""")}),
    case("E337", "negotiable-dimension", policy(RESPOND + r"""
  negotiable dimension region { north, south }
# ^^^^^^^^^^ E337 a dimension cannot be `negotiable`: a contract keeps the base's facts
""")),
    case("E337", "negotiable-exception", policy(RESPOND + r"""
  rule premier_hours: when plan is premier: respond { target 2h }
  negotiable exception to premier_hours: when severity is high: respond { target 1h }
# ^^^^^^^^^^ E337 an exception cannot be `negotiable`: a contract overrides rule groups ~ mark the group instead: `negotiable rule premier_hours:`
""")),
    case("E337", "contract-defines-a-dimension", {P: NEGOTIABLE, C: contract(r"""
  dimension region { north, south }
#           ^^^^^^ E337 a contract cannot define a dimension: its table has the facts of `p` ~ remove it
""")}),
    case("E338", "group-marked-in-part", policy(RESPOND + r"""
  negotiable rule premier_hours: when plan is premier: respond { target 2h }
  rule premier_hours: when plan is premier and severity is high: respond { target 1h }
# ^^^^^^^^^^^^^^^^^^^ E338 rule group `premier_hours` is `negotiable`, but this rule of it is not marked ~ mark it too
""")),
    case("E007", "policy-and-contract-in-one-file", NEGOTIABLE + contract("", after_head=r"""
#        ^ E007 a file holds one policy or one contract ~ move this contract into a file of its own
""")),
]



@pytest.mark.parametrize(("code", "files"), CASES)
def test_diagnostic(ws, code, files):
    result = ws.compile(files)
    assert code in {d.code for d in result.diagnostics}
    check_markers(result, files)
    if any(d.is_error for d in result.diagnostics):
        assert result.tables == {} and result.outputs() == {}


def test_every_code_has_a_case():
    covered = {c.values[0] for c in CASES} | {"E002", "E003", "E008", "E009", "E010", "E011"}  # these: below
    assert covered == set(CODES)


def test_retired_codes_are_never_given_again():
    from policyc.diagnostics import RETIRED, error

    assert RETIRED and not set(RETIRED) & set(CODES)
    for code in RETIRED:
        with pytest.raises(KeyError):
            error(code, "x", None)


def test_codes_are_registered_once_with_a_line_each():
    for code, line in CODES.items():
        assert code[0] in "EW" and code[1:].isdigit() and len(code) == 4
        assert line and line == line.strip() and not line.endswith(".") and line[0].islower()


# ---- inputs that cannot be read (no source line to point into) -----------------------------

def test_E002_not_utf8(ws):
    result = ws.compile({P: b'policy p "\xe9t\xe9" {\n}\n'})
    [d] = result.diagnostics
    # b'policy p "' is 10 bytes, so the first bad byte (0xe9, Latin-1 e-acute) is at offset 10.
    assert (d.code, d.message) == ("E002", "file is not UTF-8 text (bad byte at offset 10)")
    assert d.span.path == P and not result.tables


def test_E002_nul_byte(ws):
    result = ws.compile({P: b"policy p {\x00}\n"})
    [d] = result.diagnostics
    assert (d.code, d.message) == ("E002", "file contains a NUL byte; is it binary?")
    assert d.span.start == 10


def test_E003_file_too_large(ws):
    from policyc.syntax.parse import MAX_BYTES

    result = ws.compile({P: "#" * (MAX_BYTES + 1)})
    [d] = result.diagnostics
    assert d.code == "E003"
    assert d.message == f"file is {MAX_BYTES + 1} bytes; policyc reads at most {MAX_BYTES}"
    assert d.help == "split the policy and `import` the shared parts"


def test_E008_missing_path(ws):
    result = ws.compile({P: policy(RESPOND)}, paths=("policies", "nothere"))
    [d] = result.diagnostics
    assert (d.code, d.message, d.span.path) == ("E008", "no such file or directory: `nothere`", "nothere")


def test_E009_not_a_regular_file(ws):
    import os

    ws.write({P: policy(RESPOND)})
    os.mkfifo("policies/pipe.policy")  # opening it to read would block
    [d] = ws.compile().diagnostics
    assert (d.code, d.message, d.span.path) == (
        "E009", "`policies/pipe.policy` is a named pipe (FIFO), not a regular file", "policies/pipe.policy")


def test_E010_link_out_of_the_root(ws):
    ws.write({P: policy(RESPOND), "elsewhere/x.policy": policy(RESPOND)})
    (ws.root / "policies/x.policy").symlink_to(ws.root / "elsewhere/x.policy")
    [d] = ws.compile().diagnostics
    assert (d.code, d.message, d.span.path) == (
        "E010", "`policies/x.policy` links to a file outside the policy root `policies`", "policies/x.policy")


def test_E011_no_policy(ws):
    from policyc.compiler import require_policies

    ws.write({"policies/lib.policy": "# shared definitions will go here\n"})
    result = ws.compile()
    require_policies(result, ["policies"])
    [d] = result.diagnostics
    assert (d.code, d.message, d.span.path) == ("E011", "no policy found in `policies`", "policies")


# ---- notes ---------------------------------------------------------------------------------

def test_notes_point_at_the_other_party(ws):
    files = {P: policy(RESPOND + "  role desk\n  role desk\n")}
    result = ws.compile(files)
    [d] = result.diagnostics
    [(note, span)] = d.notes
    src = result.sources[P]
    # The first `role desk` is on line 8 (after the 6 lines of the head and RESPOND), `desk` at column 8.
    assert note == "first defined here" and src.line_col(span.start) == (8, 8)
    assert f"  note: {P}:8:8: first defined here" in render_text(d, result.sources)


# ---- known cascades: one mistake, more than one finding --------------------------------------

def test_a_conflict_is_not_also_a_gap(ws):
    files = {P: policy(RESPOND + r"""
  when plan is premier: respond { target 1h }
  when severity is high: respond { target 2h }
#                                         ^^ E302 conflicting target for plan `premier`, severity `high`: 2h here, 1h by another rule
""")}
    check_markers(ws.compile(files), files)


def test_an_unknown_dimension_is_reported_once(ws):
    files = {P: policy(RESPOND + r"""
  when plann is premier: respond { target 1h }
#      ^^^^^ E101 unknown dimension `plann` ~ did you mean `plan`?
""")}
    check_markers(ws.compile(files), files)


def test_no_severities_is_reported_once(ws):
    files = {P: r"""policy p "P" {
#      ^ E105 policy `p` declares no severities ~ add `severities { ... }`, most severe first
  version "1"
  effective 2025-01-01
  calendar biz { zone UTC open always }
  respond on biz { target 1h }
}
"""}
    check_markers(ws.compile(files), files)


# ---- things that must not be reported --------------------------------------------------------

@pytest.mark.parametrize("body", [
    # 24:00 ends a window; a window over midnight ends at an earlier time.
    "  calendar c { zone UTC open mon 00:00-24:00 open tue 22:00-06:00 }\n",
    # Touching windows do not overlap: [09:00, 12:00) and [12:00, 13:00).
    "  calendar c { zone UTC open mon 09:00-12:00 open mon 12:00-13:00 }\n",
    # `target none` promises nothing, so a never-open calendar is no problem.
    "  calendar never { zone UTC }\n  when plan is premier: respond on never { target none }\n",
    # A more specific rule overrides without conflict; the lowered severity still has a target.
    "  when plan is premier and severity is high: respond { target 1h }\n"
    "  when plan is standard: severity high becomes low\n",
    # The design's example: every clause, `measure` with tables, best effort, a period on a
    # never-open calendar (periods count real time), steps timed on a metric; a resolution
    # longer than the response (no W405).
    "  statuses { open, in_progress, waiting_on_customer, solved, closed }\n"
    "  metric next_response { start on customer_message after first_response\n"
    "    restart on customer_message  stop on agent_message }\n"
    "  metric update { start on status to in_progress  stop on agent_message, status to solved\n"
    "    repeat while status in_progress  pause in waiting_on_customer }\n"
    "  metric resolution { start on created  stop on status to solved, closed\n"
    "    pause in waiting_on_customer  on facts change restart }\n"
    "  calendar never { zone UTC }\n"
    "  measure next_response on biz { target 8h }\n"
    "  measure resolution on biz { target best effort }\n"
    "  when plan is premier: measure resolution { severity high low\n    target: 40h every 2 weeks }\n"
    "  measure update on never { target weekly }\n"
    "  role head\n  escalate { email head after 2h of resolution  notify head at 75% of first_response }\n",
])
def test_clean(ws, body):
    result = ws.compile({P: policy(RESPOND + body)})
    assert result.diagnostics == [], "\n".join(render_text(d, result.sources) for d in result.diagnostics)
    assert list(result.tables) == ["p"]


# ---- rendering -----------------------------------------------------------------------------

TYPO = policy(RESPOND + "  when plan is premeir: respond { target 1h }\n")  # line 8


def test_text_rendering(ws):
    result = ws.compile({P: TYPO})
    [d] = result.diagnostics
    assert render_text(d, result.sources) == (
        "policies/p.policy:8:16: error[E101]: unknown plan `premeir`\n"
        "   8 |   when plan is premeir: respond { target 1h }\n"
        "                      ^^^^^^^\n"
        "  help: did you mean `premier`?"
    )


def test_text_rendering_of_a_warning_with_a_note(ws):
    result = ws.compile({P: policy("  respond { target 4h }\n  respond on biz { target 4h }\n")})
    [d] = result.diagnostics
    assert render_text(d, result.sources).splitlines() == [
        "policies/p.policy:8:27: warning[W308]: this rule repeats another with the same tickets and answer",
        "   8 |   respond on biz { target 4h }",
        "                                 ^^",
        "  note: policies/p.policy:7:20: the other rule",
        "  help: remove one of them",
    ]


def test_github_rendering_escapes_newlines_and_percent(ws):
    result = ws.compile({P: TYPO})
    [d] = result.diagnostics
    assert render_github(d, result.sources) == (
        "::error file=policies/p.policy,line=8,col=16,title=E101::"
        "[E101] unknown plan `premeir` (did you mean `premier`?)")
    odd = type(d)(d.code, "50% done\nsecond line", d.span)
    assert render_github(odd, result.sources).endswith("::[E101] 50%25 done%0Asecond line")


def test_github_rendering_escapes_the_file_property(ws):
    # Workflow-command property values end at `,` (next property) and `:` (the message).
    weird = "policies/a,b:c.policy"
    result = ws.compile({weird: TYPO})
    [d] = result.diagnostics
    assert render_github(d, result.sources).startswith(
        "::error file=policies/a%2Cb%3Ac.policy,line=8,col=16,title=E101::[E101] unknown plan")


def run_cli(args, cwd, env=None):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | (env or {})
    return subprocess.run(POLICYC + list(args), cwd=cwd, env=env, capture_output=True, text=True)


def test_cli_text_format(ws):
    ws.write({P: TYPO})
    proc = run_cli(["check", "policies"], ws.root)
    assert proc.returncode == 1
    assert proc.stdout.startswith("policies/p.policy:8:16: error[E101]: unknown plan `premeir`\n")
    assert proc.stdout.endswith("1 error(s), 0 warning(s)\n")
    assert "\033[" not in proc.stdout  # not a terminal: no colour


def test_cli_json_format(ws):
    ws.write({P: TYPO})
    proc = run_cli(["check", "policies", "--format", "json"], ws.root)
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == [{
        "code": "E101", "severity": "error", "message": "unknown plan `premeir`",
        "file": "policies/p.policy", "line": 8, "column": 16, "help": "did you mean `premier`?",
    }]


def test_cli_json_format_when_clean(ws):
    ws.write({P: policy(RESPOND)})
    proc = run_cli(["check", "policies", "--format", "json"], ws.root)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, [])


def test_cli_github_format(ws):
    ws.write({P: TYPO})
    proc = run_cli(["check", "policies", "--format", "github"], ws.root)
    assert proc.returncode == 1
    assert proc.stdout == ("::error file=policies/p.policy,line=8,col=16,title=E101::"
                           "[E101] unknown plan `premeir` (did you mean `premier`?)\n")


@pytest.mark.parametrize(("files", "args", "status"), [
    ({P: policy(RESPOND)}, ["check", "policies"], 0),
    ({P: TYPO}, ["check", "policies"], 1),
    ({P: TYPO}, ["compile", "policies", "--out", "out"], 1),
    ({P: b"\xff\xfe\x00\x01"}, ["check", "policies"], 2),  # unreadable input
    ({P: policy(RESPOND)}, ["check", "policies", "nothere"], 2),  # missing path
    ({P: policy(RESPOND)}, ["check", "--no-such-option"], 2),  # usage
    # Warnings alone do not fail: CI "fails on any error" (design.md); W308 is a warning.
    ({P: policy("  respond { target 4h }\n  respond on biz { target 4h }\n")}, ["check", "policies"], 0),
], ids=["clean", "error", "compile-error", "binary", "missing-path", "usage", "warning-only"])
def test_exit_codes(ws, files, args, status):
    ws.write(files)
    proc = run_cli(args, ws.root)
    assert proc.returncode == status, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def run_on_a_tty(args, cwd, env):
    """Run the CLI with stdout on a pseudo-terminal; returns (status, output)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(POLICYC + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=follower,
                            stderr=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    status = proc.wait()
    os.close(leader)
    return status, b"".join(chunks).decode()


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_colour_only_on_a_terminal_and_never_with_NO_COLOR(ws, no_color, coloured):
    ws.write({P: TYPO})
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    if no_color is not None:
        env["NO_COLOR"] = no_color
    status, out = run_on_a_tty(["check", "policies"], ws.root, env)
    assert status == 1
    assert "unknown plan `premeir`" in out
    assert ("\033[" in out) is coloured


def test_json_and_github_never_coloured_on_a_terminal(ws):
    ws.write({P: TYPO})
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"}
    for fmt in ("json", "github"):
        status, out = run_on_a_tty(["check", "policies", "--format", fmt], ws.root, env)
        assert status == 1 and "\033[" not in out


def test_findings_sorted_by_position(ws):
    files = {P: policy(RESPOND + "  role b\n  role b\n  role a\n  role a\n")}
    result = ws.compile(files)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("E102", "role `b` is defined twice"), ("E102", "role `a` is defined twice")]


def test_repo_policies_are_clean():
    proc = run_cli(["check", "policies", "--format", "json"], REPO)
    found = [(d["code"], Path(d["file"]).name, d["line"]) for d in json.loads(proc.stdout)]
    assert (proc.returncode, found) == (0, SEED_FINDINGS)


# ---- syntax errors are reported once where they are -------------------------------------------

def test_a_typo_is_one_error_and_an_unclosed_block_asks_for_its_brace(tmp_path):
    from policyc.compiler import compile_paths

    f = tmp_path / "typo.policy"
    f.write_text('policy x "X" {\n  opn mon..fri 09:00-17:00\n  version "1"\n')
    result = compile_paths([str(f)])
    found = [(result.sources[d.span.path].line_col(d.span.start)[0], d.code, d.message, d.help)
             for d in result.diagnostics]
    # Line 2: the unknown word `opn`, once, not once per token of the rest of the line.
    assert [x[:3] for x in found if x[0] == 2] == [(2, "E001", "unexpected `opn`")]
    assert found[0][3].startswith("expected `}`")  # the brace that ends the block comes first


def test_a_bad_byte_is_shown_on_its_line(tmp_path):
    from policyc.compiler import compile_paths

    f = tmp_path / "bad.policy"
    f.write_bytes(b'policy x {\n  version "1\xff"\n}\n')
    (d,) = compile_paths([str(f)]).diagnostics
    # "version" starts at column 3 of line 2; the quote at 11, `1` at 12, the bad byte at 13.
    assert (d.code, d.message) == ("E002", "file is not UTF-8 text (bad byte at offset 23)")
    assert compile_paths([str(f)]).sources[d.span.path].line_col(d.span.start) == (2, 13)
