"""Alternating offers: Rubinstein's shares, the finite horizon converging to them, outside options,
risk of breakdown, time preference, a game's frontier, utilities, and the sentence."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.bargaining import (
    alternating_offers,
    bargaining_problem,
    discount_factor,
    divide_alternating_offers,
    divide_nash,
    finite_alternating_offers,
    frontier_alternating_offers,
    nash_solution,
    points_game,
    rubinstein_shares,
)
from negsim.errors import InputError

deltas = st.fractions(min_value=F(1, 20), max_value=F(19, 20), max_denominator=40)


@pytest.mark.parametrize("d0, d1, first, share0", [
    # Rubinstein (1982); Osborne and Rubinstein (1994), "A Course in Game Theory", Ch. 7, and (1990),
    # "Bargaining and Markets", Ch. 3: the first proposer gets (1 - delta_2) / (1 - delta_1 delta_2).
    pytest.param(F(9, 10), F(9, 10), 0, F(10, 19), id="OR-1994-ch7-equal-0.9"),
    pytest.param(F(1, 2), F(1, 2), 0, F(2, 3), id="OR-1994-ch7-equal-0.5"),
    pytest.param(F(19, 20), F(9, 10), 0, F(20, 29), id="more-patient-proposer"),
    pytest.param(F(9, 10), F(19, 20), 0, F(10, 29), id="less-patient-proposer"),
    pytest.param(F(9, 10), F(9, 10), 1, F(9, 19), id="second-proposer"),
    pytest.param(F(1), F(1, 2), 0, F(1), id="perfectly-patient-proposer"),
])
def test_rubinstein_shares(d0, d1, first, share0):
    r = alternating_offers((d0, d1), first=first)
    assert r.shares[0] == share0
    assert r.shares[0] + r.shares[1] == 1
    assert float(rubinstein_shares(float(d0), float(d1), first)) == pytest.approx(float(share0))


@settings(max_examples=40, deadline=None)
@given(deltas, deltas, st.sampled_from([0, 1]))
def test_finite_horizon_converges_to_rubinstein(d0, d1, first):
    # Stahl (1972); Osborne and Rubinstein (1990), Ch. 3 (finite horizon): backward induction, the
    # gap to Rubinstein's share shrinks by delta_0 delta_1 every two periods.
    limit = alternating_offers((d0, d1), first=first).shares[first]
    for periods in (1, 2, 9, 10, 40):
        finite = finite_alternating_offers((d0, d1), periods, first=first)
        gap = abs(finite.shares[first] - limit)
        assert gap <= (d0 * d1) ** (periods // 2)
    assert finite_alternating_offers((d0, d1), 1, first=first).shares[first] == 1


def test_finite_horizon_by_hand():
    f = finite_alternating_offers((F(1, 2), F(1, 2)), 3)
    assert [shares for _, shares in f.offers] == [(F(3, 4), F(1, 4)), (F(1, 2), F(1, 2)), (1, 0)]
    assert [proposer for proposer, _ in f.offers] == [0, 1, 0]


@pytest.mark.parametrize("dA, dB, wB", [
    pytest.param(F(9, 10), F(9, 10), F(1, 5), id="option-below-share"),
    pytest.param(F(9, 10), F(9, 10), F(3, 5), id="option-above-share"),
    pytest.param(F(4, 5), F(19, 20), F(1, 2), id="patient-B"),
    pytest.param(F(4, 5), F(19, 20), F(7, 10), id="patient-B-large-option"),
])
def test_outside_option_principle(dA, dB, wB):
    # Binmore, Shaked and Sutton (1989); Muthoo (1999), "Bargaining Theory with Applications",
    # Thm 5.1: if w_B <= delta_B (1 - delta_A) / (1 - delta_A delta_B) the option does not matter,
    # otherwise A offers B exactly w_B.
    r = alternating_offers((dA, dB), outside_options=(None, wB))
    threshold = dB * (1 - dA) / (1 - dA * dB)
    if wB <= threshold:
        assert r.shares[0] == (1 - dB) / (1 - dA * dB)
        assert r.binding == (False, False)
    else:
        assert r.shares == (1 - wB, wB)
        assert r.binding == (False, True)
        assert "outside option" in r.sentence()


def test_risk_of_breakdown_tends_to_the_nash_solution():
    # Binmore, Rubinstein and Wolinsky (1986): no discounting, breakdown with probability p after a
    # rejection, payoffs b: the proposer gets (1 - b1 + (1 - p) b0) / (2 - p) -> the Nash split.
    b = (F(1, 5), F(1, 10))
    for p in (F(1, 2), F(1, 10), F(1, 1000)):
        r = alternating_offers((1, 1), breakdown=p, breakdown_payoffs=b)
        assert r.shares[0] == (1 - b[1] + (1 - p) * b[0]) / (2 - p)
    nash = nash_solution(bargaining_problem(points_game([(1, 0), (0, 1), (0, 0)]), list(b)))
    assert float(r.shares[0]) == pytest.approx(float(nash.payoffs[0]), abs=1e-3)


def test_time_preference_rates_tend_to_asymmetric_nash():
    # As the period shrinks, delta_i = exp(-r_i period) gives shares r1 / (r0 + r1) and r0 / (r0 + r1)
    # (Binmore, Rubinstein and Wolinsky 1986; Osborne and Rubinstein 1990, Ch. 4).
    r0, r1 = 0.05, 0.10
    for period, tol in ((1.0, 0.05), (0.01, 1e-3)):
        r = alternating_offers((discount_factor(r0, period), discount_factor(r1, period)))
        assert float(r.shares[0]) == pytest.approx(r1 / (r0 + r1), abs=tol)


def test_frontier_offers_match_the_pie_and_tend_to_nash():
    dollar = bargaining_problem(points_game([(1, 0), (0, 1), (0, 0)]), [0, 0])
    for d0, d1 in ((F(9, 10), F(4, 5)), (F(1, 2), F(3, 4))):
        on_frontier = frontier_alternating_offers(dollar, (d0, d1))
        assert on_frontier.agreement[0] == alternating_offers((d0, d1)).shares[0]
    # a kinked frontier: as the period shrinks the split tends to Nash with powers (r1, r0)
    kinked = bargaining_problem(points_game([(0, 4), (3, 3), (5, 0), (0, 0)]), [0, 1])
    rates = (0.03, 0.06)
    nash = nash_solution(kinked, (rates[1], rates[0]))
    small = frontier_alternating_offers(kinked, tuple(discount_factor(r, 0.001) for r in rates))
    assert float(small.agreement[0]) == pytest.approx(float(nash.payoffs[0]), abs=2e-3)
    assert float(small.agreement[1]) == pytest.approx(float(nash.payoffs[1]), abs=2e-3)
    # the responder is exactly indifferent between accepting and waiting a period
    r = frontier_alternating_offers(kinked, (F(4, 5), F(9, 10)))
    X, Y = r.proposals
    assert Y[0] - 0 == F(4, 5) * (X[0] - 0)
    assert X[1] - 1 == F(9, 10) * (Y[1] - 1)
    assert sum(t.probability for t in r.lottery) == 1


def test_rubinstein_with_concave_utilities():
    # Osborne and Rubinstein (1990), Ch. 3: u0(y*) = d0 u0(x*), u1(1 - x*) = d1 u1(1 - y*); as
    # delta -> 1 the split tends to the Nash solution (2/3 for u0 = x, u1 = sqrt(1 - x)).
    u0, u1 = (lambda x: x), (lambda y: math.sqrt(y))
    first, second = divide_alternating_offers(u0, u1, (0.9, 0.8))
    x, y = first.share, second.share
    assert u0(y) == pytest.approx(0.9 * u0(x), abs=1e-9)
    assert u1(1 - x) == pytest.approx(0.8 * u1(1 - y), abs=1e-9)
    close, _ = divide_alternating_offers(u0, u1, (0.9999, 0.9999))
    assert close.share == pytest.approx(divide_nash(u0, u1).share, abs=1e-3)
    linear, _ = divide_alternating_offers(u0, lambda y: y, (0.9, 0.8))
    assert linear.share == pytest.approx(float(alternating_offers((F(9, 10), F(4, 5))).shares[0]), abs=1e-9)


@pytest.mark.parametrize("kwargs, expected", [
    pytest.param({"discount": (0.95, 0.9)},
                 "Turkey gets 69% of the surplus because it is more patient (discount factor 0.95 against "
                 "0.9) and proposes first.", id="patient-and-first"),
    pytest.param({"discount": (0.9, 0.95)},
                 "United States gets 66% of the surplus because it is more patient (discount factor 0.95 "
                 "against 0.9), although Turkey proposes first.", id="patient-but-second"),
    pytest.param({"discount": (0.9, 0.9), "first": 1},
                 "United States gets 53% of the surplus because it proposes first.", id="first-mover"),
])
def test_sentence(kwargs, expected):
    assert alternating_offers(players=("Turkey", "United States"), **kwargs).sentence() == expected


@pytest.mark.parametrize("kwargs, message", [
    pytest.param({"discount": (1, 1)}, "every split is an equilibrium", id="no-impatience"),
    pytest.param({"discount": (1.2, 0.9)}, "discount factor lies in", id="delta-above-one"),
    pytest.param({"discount": (0.9, 0.9), "outside_options": (0.6, 0.5)}, "whole pie", id="options"),
    pytest.param({"discount": (0.9, 0.9), "breakdown": 1.5}, "probability", id="breakdown"),
    pytest.param({"discount": (0.9, 0.9), "first": 2}, "first is 0 or 1", id="first"),
    pytest.param({"discount": ("x", 0.9)}, "expected a number", id="not-a-number"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(InputError, match=message):
        alternating_offers(**kwargs)


def test_to_dict():
    d = alternating_offers((F(9, 10), F(9, 10))).to_dict()
    assert d["shares_exact"] == ["10/19", "9/19"]
    assert isinstance(finite_alternating_offers((0.9, 0.9), 4).to_dict()["offers"], list)
    assert np.isclose(rubinstein_shares(np.array([0.5, 0.9]), 0.9), [0.1 / 0.55, 0.1 / 0.19]).all()
