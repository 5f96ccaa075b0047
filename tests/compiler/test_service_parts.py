"""Service terms with several parts: `included "..." plus hourly "..."` for the same tickets.

Navixy's Advanced Support is bought on top of Basic: an Advanced partner keeps the Basic
inclusion and pays by the hour for the Advanced work, two answers for one service and ticket.
"""

from __future__ import annotations

import json

from policyc import ast
from policyc.source import SourceFile
from policyc.syntax import parse_text

POLICY = """policy p "P" {
  version "1"
  effective 2025-01-01..2025-12-31
  languages en
  calendar c { zone UTC open mon..fri 09:00-17:00 }
  dimension plan { basic, advanced }
  severities { S1 "S1" }
  respond on c { target 1h }
  service updates "Software updates" {
    when plan is basic: included "Only the platform"
    when plan is advanced: included "Only the platform"
      plus hourly "Third-party software" estimate 1h..3h
  }
  service db "Databases" { excluded }
}
"""


def test_parts_are_parsed_in_order():
    module, diags = parse_text(SourceFile.of("t.policy", POLICY))
    assert diags == []
    [_, updates, db] = [d for d in module.policies[0].definitions if isinstance(d, (ast.Service, ast.Calendar))]
    basic, advanced = updates.terms
    assert [p.status for p in basic.parts] == ["included"]
    assert [(p.status, p.detail.default) for p in advanced.parts] == [
        ("included", "Only the platform"), ("hourly", "Third-party software")]
    assert [d.minutes for d in advanced.parts[1].estimate] == [60, 180]
    assert [p.status for p in db.terms[0].parts] == ["excluded"]


def test_the_table_lists_every_part_of_the_winning_term(ws):
    result = ws.compile({"policies/p.policy": POLICY})
    assert result.diagnostics == []  # the table was also checked against the schema
    services = json.loads(result.outputs()["p.json"])["services"]
    by_plan = {t["when"]["plan"][0]: t["parts"] for t in services["updates"]["terms"]}
    assert by_plan == {
        "basic": [{"status": "included", "detail": {"en": "Only the platform"}}],
        "advanced": [{"status": "included", "detail": {"en": "Only the platform"}},
                     {"status": "hourly", "detail": {"en": "Third-party software"},
                      "estimate": {"min": "PT1H", "max": "PT3H"}}],
    }
    assert services["db"]["terms"] == [{"when": {}, "parts": [{"status": "excluded", "detail": None}],
                                        "source": [{"file": "policies/p.policy", "line": 14}]}]


def test_a_conflict_names_all_the_parts(ws):
    text = POLICY.replace('service db "Databases" { excluded }',
                          'service db { when plan is advanced: excluded\n'
                          '    when plan is advanced: included plus hourly }')
    result = ws.compile({"policies/p.policy": text})
    [d] = [d for d in result.diagnostics if d.code == "E302"]
    assert "included plus hourly here, excluded by another rule" in d.message
