"""The cube algebra under `policyc diff`: cutting and joining keep exactly the same tickets."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from policyc.cubes import Universe, intersect, merge, minus_all

FACTS = (("plan", ("a", "b", "c")), ("severity", ("L1", "L2", "L3")), ("env", ("p", "n")))
U = Universe(FACTS)
cubes = st.tuples(*(st.frozensets(st.sampled_from(vals), min_size=1).map(lambda s, n=name: (n, s))
                    for name, vals in FACTS))


def tickets(cube) -> set:
    return set(product(*(sorted(v) for _, v in cube)))


@settings(max_examples=300, deadline=None)
@given(cubes, st.lists(cubes, max_size=4))
def test_minus_all_is_the_set_difference_in_disjoint_pieces(a, others):
    pieces = minus_all(a, others)
    want = tickets(a) - set().union(*(tickets(b) for b in others))
    got = [tickets(p) for p in pieces]
    assert set().union(*got) == want and sum(map(len, got)) == len(want)


@settings(max_examples=300, deadline=None)
@given(st.lists(cubes, max_size=6))
def test_merge_keeps_the_same_tickets(cs):
    assert set().union(*map(tickets, merge(cs))) == set().union(*map(tickets, cs))


def test_intersect_and_describe():
    a = (("plan", frozenset({"a", "b"})), ("severity", frozenset({"L1", "L2", "L3"})), ("env", frozenset({"p"})))
    b = (("plan", frozenset({"b", "c"})), ("severity", frozenset({"L2"})), ("env", frozenset({"p", "n"})))
    both = intersect(a, b)
    assert U.describe(both) == "plan is b and severity is L2 and env is p"
    assert U.conditions(both) == {"plan": ["b"], "severity": ["L2"], "env": ["p"]}
    assert intersect(a, (("plan", frozenset({"c"})),) + b[1:]) is None
    assert U.describe(tuple((n, frozenset(v)) for n, v in FACTS)) == "every ticket"
    # two halves of one row join again: plan a and plan b, severity L1 -> plan a, b
    halves = [(("plan", frozenset({x})), ("severity", frozenset({"L1"})), ("env", frozenset({"p", "n"})))
              for x in ("a", "b")]
    assert [U.describe(c) for c in merge(halves)] == ["plan is a, b and severity is L1"]
