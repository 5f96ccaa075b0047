r"""Which tickets the rules decide: reachability, conflicts and gaps seen from the rules.

Regressions for issue 6 items 5-7 (a half-decided unreachable ticket broke the table;
W303 blamed contested tickets on "more specific rules"; gaps cascading from an unknown
dimension) and issue 7 item 11 (a wide fact space: the cost follows the rules).
"""

from __future__ import annotations

from policyc.evaluator import Table
from policyc.rules import partition

from .helpers import check_markers
from .test_diagnostics import P, RESPOND, policy

B2 = """policy b2 "B2" {
  version "1"
  effective 2025-01-01..2026-12-31
  languages en
  calendar c { zone UTC open mon..fri 09:00-17:00 }
  severities { S1 "S1", S2 "S2" }
  severity S2 becomes S1
  respond { target 1h }
  when severity is S1: respond on c { }
}
"""
WEDNESDAY_NOON = "2025-06-18T12:00:00Z"


def test_a_ticket_no_one_sends_need_not_be_decided(ws):
    """S2 always becomes S1, so S2 needs no calendar: the policy compiles, and an S2
    ticket is answered as S1 (target 1h on `c`: due at 13:00 on a Wednesday)."""
    files = {"policies/b2.policy": B2}
    result = ws.compile(files)
    check_markers(result, files)  # nothing to report
    table = Table(result.tables["b2"])
    for given in ("S1", "S2"):
        decision = table.decide({"received_at": WEDNESDAY_NOON, "severity": given})
        assert decision["severity"] == "S1"
        assert decision["response"]["calendar"] == "c"
        assert decision["response"]["due"] == "2025-06-18T13:00:00Z"
    # Only the decided part is written: S1 (S2 has a target but no calendar).
    assert [r["when"] for r in result.tables["b2"]["rules"]["targets"]["first_response"]] == [{"severity": ["S1"]}]


def test_contested_tickets_do_not_make_a_rule_shadowed(ws):
    """Every ticket of the premier-high rule is disputed by a location rule: E302 says so,
    and no W303 claims that more specific rules decide them (none does)."""
    files = {P: policy(r"""
  dimension location { x, y }
  respond { target 4h }
  when location is x: respond on biz { }
  when location is y: respond on biz { }
  when plan is premier and severity is high: respond on always { }
# ^ E302 conflicting calendar for plan `premier`, location `x`, severity `high`: `always` here, `biz` by another rule ~ `when plan is premier and location is x and severity is high`
# ^ E302 conflicting calendar for plan `premier`, location `y`, severity `high`: `always` here, `biz` by another rule
""")}
    check_markers(ws.compile(files), files)


def test_a_rule_with_an_unknown_dimension_leaves_no_gaps(ws):
    """The only rule for `premier` names an unknown dimension: E101, and no E301 for the
    tickets it was meant to cover."""
    files = {P: policy(r"""
  when plan is standard: respond on biz { target 4h }
  when plan is premier and tier is gold: respond on biz { target 1h }
#                          ^^^^ E101 unknown dimension `tier`
""")}
    check_markers(ws.compile(files), files)


def test_a_rule_with_an_unknown_value_leaves_no_gaps(ws):
    files = {P: policy(r"""
  when plan is standard: respond on biz { target 4h }
  when plan is premeir: respond on biz { target 1h }
#              ^^^^^^^ E101 unknown plan `premeir` ~ did you mean `premier`?
""")}
    check_markers(ws.compile(files), files)


def test_values_no_rule_tells_apart_form_one_class():
    values = (("a", "b", "c", "d", "e"), ("s1", "s2"))
    cubes = [(frozenset({"a", "b"}), None), (frozenset({"b", "c"}), frozenset({"s1"}))]
    space = partition(values, cubes)
    assert space.members[0] == {"a": ("a",), "b": ("b",), "c": ("c",), "d": ("d", "e")}
    assert space.domains == (("a", "b", "c", "d"), ("s1", "s2"))
    assert space.expand((frozenset({"d", "a"}), None)) == (frozenset({"a", "d", "e"}), None)


def wide(sites: int, products: int) -> str:
    return ('policy wide "W" {\n  version "1"\n  effective 2025-01-01..2025-12-31\n'
            "  calendar office { zone UTC open mon..fri 09:00-17:00 }\n"
            "  dimension site { " + ", ".join(f"s{i}" for i in range(sites)) + " }\n"
            "  dimension product { " + ", ".join(f"p{i}" for i in range(products)) + " }\n"
            "  severities { S1, S2 }\n"
            "  respond on office { severity S1 S2\n  target: 1h 4h }\n"
            "  when site is s0, s1: respond on always { }\n"
            "  when product is p7 and severity is S1: respond { target 30min }\n"
            "  when site is not s3 and product is p9 and severity is S2: respond { target 2h }\n"
            "}\n")


def test_a_wide_fact_space_with_few_rules(ws):
    """1,000 x 250 x 2 = 500,000 tickets, 5 rules: rows follow the rules, and each ticket
    gets the answer its rules give (worked out by hand below)."""
    result = ws.compile({"policies/wide.policy": wide(1000, 250)})
    assert not result.diagnostics
    table = Table(result.tables["wide"])
    rows = result.tables["wide"]["rules"]["targets"]["first_response"]
    assert len(rows) < 20

    def answer(site, product, severity):
        d = table.decide({"received_at": WEDNESDAY_NOON, "site": site, "product": product, "severity": severity})
        return d["response"]["calendar"], d["response"]["target"]

    assert answer("s999", "p249", "S2") == ("office", "PT4H")  # the table only
    assert answer("s0", "p249", "S1") == ("always", "PT1H")  # calendar from s0, s1
    assert answer("s1", "p7", "S1") == ("always", "PT30M")
    assert answer("s500", "p7", "S2") == ("office", "PT4H")  # p7 matters for S1 only
    assert answer("s3", "p9", "S2") == ("office", "PT4H")  # every site but s3
    assert answer("s4", "p9", "S2") == ("office", "PT2H")


def test_the_ceiling_counts_what_rules_tell_apart(ws):
    """The old ceiling case (4,000,000 tickets) compiles: no rule tells the values apart."""
    files = {P: policy(RESPOND + "".join(
        f"  dimension d{i} {{ " + ", ".join(f"v{j}" for j in range(100)) + " }\n" for i in range(3)))}
    result = ws.compile(files)
    assert not result.diagnostics
    table = Table(result.tables["p"])
    facts = {"received_at": WEDNESDAY_NOON, "plan": "premier", "severity": "low", "d0": "v99", "d1": "v0", "d2": "v5"}
    assert table.decide(facts)["response"]["target"] == "PT4H"
