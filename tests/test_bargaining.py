"""Bargaining solutions: textbook results pinned case by case, two independent methods (exact
segment-wise maximisation against a dense numeric search and a linear programme), and the
axioms as property tests (Pareto efficiency, invariance under positive affine transformations,
symmetry, independence of irrelevant alternatives; scale invariance of Kalai-Smorodinsky)."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negsim.bargaining import (
    bargaining_problem,
    disagreement_point,
    divide_egalitarian,
    divide_kalai_smorodinsky,
    divide_nash,
    divide_utilitarian,
    egalitarian,
    kalai_smorodinsky,
    nash_over_outcomes,
    nash_solution,
    outcome_values,
    payoff_set,
    points_game,
    security_point,
    solve_bargaining,
    utilitarian,
    zone_of_agreement,
)
from negsim.bargaining.batch import bargain_points
from negsim.bargaining.geometry import clip_chain, convex_hull, pareto_chain
from negsim.errors import InputError
from negsim.game import Game
from negsim.solve.welfare import maximin as welfare_maximin


def problem_of(points, d=(0, 0), agreements="lotteries"):
    return bargaining_problem(points_game(points), list(d), agreements=agreements)


# A dollar split between two players with linear utilities: the frontier u1 + u2 = 1.
DOLLAR = [(1, 0), (0, 1), (0, 0)]


# -- textbook cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("points, d, powers, expected", [
    # Nash (1950); Osborne and Rubinstein (1990), "Bargaining and Markets", Ch. 2: split-the-dollar
    # with linear utilities gives each half.
    pytest.param(DOLLAR, (0, 0), None, (F(1, 2), F(1, 2)), id="OR-1990-ch2-dollar-linear"),
    # Asymmetric Nash with powers (alpha, 1 - alpha) on split-the-dollar gives (alpha, 1 - alpha)
    # (Osborne and Rubinstein 1990, Ch. 2; Kalai 1977).
    pytest.param(DOLLAR, (0, 0), F(1, 3), (F(1, 3), F(2, 3)), id="OR-1990-ch2-asymmetric-1/3"),
    pytest.param(DOLLAR, (0, 0), F(3, 4), (F(3, 4), F(1, 4)), id="OR-1990-ch2-asymmetric-3/4"),
    pytest.param(DOLLAR, (0, 0), 0.6, (F(3, 5), F(2, 5)), id="OR-1990-ch2-asymmetric-0.6"),
    # From a disagreement point (d1, d2) each gets d_i plus half the surplus 1 - d1 - d2.
    pytest.param(DOLLAR, (F(1, 5), F(1, 10)), None, (F(11, 20), F(9, 20)), id="dollar-from-d"),
    # A triangle with frontier u1/2 + u2 = 1: the Nash point is the frontier's midpoint (1, 1/2).
    pytest.param([(2, 0), (0, 1), (0, 0)], (0, 0), None, (F(1), F(1, 2)), id="triangle-midpoint"),
    # A kinked frontier where the solution is the kink (0.75, 0.75).
    pytest.param([(0, 1), (F(3, 4), F(3, 4)), (1, 0), (0, 0)], (0, 0), None, (F(3, 4), F(3, 4)), id="kink"),
    # Frontier u2 = 1 - 0.3 u1 on [0, 1]: the product's peak (u1 = 5/3) lies beyond the set, so the
    # corner (1, 7/10) is the solution (the Kalai-Smorodinsky 1975 monotonicity example).
    pytest.param([(0, 1), (1, F(7, 10)), (1, 0), (0, 0)], (0, 0), None, (F(1), F(7, 10)),
                 id="KS-1975-corner"),
])
def test_nash_textbook(points, d, powers, expected):
    agreement = nash_solution(problem_of(points, d), powers)
    assert agreement.payoffs == expected
    total = sum((t.probability for t in agreement.lottery), F(0))
    assert total == 1
    reached = tuple(sum((t.probability * t.outcome.payoffs[i] for t in agreement.lottery), F(0))
                    for i in range(2))
    assert reached == expected


@pytest.mark.parametrize("points, expected", [
    # Triangle u1/2 + u2 = 1: ideal point (2, 1), KS gives the same share 1/2 of each ideal gain.
    pytest.param([(2, 0), (0, 1), (0, 0)], (F(1), F(1, 2)), id="triangle"),
    # Kalai and Smorodinsky (1975): frontier u2 = 1 - 0.3 u1, ideal (1, 1): KS is (10/13, 10/13),
    # whereas Nash is the corner (1, 7/10).
    pytest.param([(0, 1), (1, F(7, 10)), (1, 0), (0, 0)], (F(10, 13), F(10, 13)), id="KS-1975"),
    # Ideal (1, 1) on the dollar: the egalitarian split.
    pytest.param(DOLLAR, (F(1, 2), F(1, 2)), id="dollar"),
])
def test_kalai_smorodinsky_textbook(points, expected):
    assert kalai_smorodinsky(problem_of(points)).payoffs == expected


@pytest.mark.parametrize("points, weights, expected", [
    pytest.param([(2, 0), (0, 1), (0, 0)], None, (F(2, 3), F(2, 3)), id="triangle-equal-gains"),
    # Kalai (1977) proportional solution: gains in proportion 2 : 1 on the dollar.
    pytest.param(DOLLAR, (2, 1), (F(2, 3), F(1, 3)), id="proportional-2-1"),
])
def test_egalitarian_textbook(points, weights, expected):
    assert egalitarian(problem_of(points), weights).payoffs == expected


def test_utilitarian_takes_the_largest_total_and_breaks_edge_ties_by_nash():
    assert utilitarian(problem_of([(2, 0), (0, 1), (0, 0)])).payoffs == (2, 0)
    tie = utilitarian(problem_of(DOLLAR))
    assert tie.payoffs == (F(1, 2), F(1, 2)) and "edge" in tie.note


@pytest.mark.parametrize("u2, nash_share, ks_share", [
    # Osborne and Rubinstein (1990), Ch. 2: u1 = x, u2 = sqrt(1 - x) gives x = 2/3 (and the
    # Kalai-Smorodinsky and egalitarian share is the golden section (sqrt 5 - 1) / 2).
    pytest.param(lambda y: math.sqrt(y), 2 / 3, (math.sqrt(5) - 1) / 2, id="OR-1990-ch2-sqrt"),
    # Linear utilities: the even split by every solution.
    pytest.param(lambda y: y, 1 / 2, 1 / 2, id="linear"),
    # u2 = 1 - (1 - y)^2 (risk-averse in the other direction): Nash maximises x (1 - x^2) at 1/sqrt(3).
    pytest.param(lambda y: 1 - (1 - y) ** 2, 1 / math.sqrt(3), (math.sqrt(5) - 1) / 2, id="quadratic"),
])
def test_division_with_concave_utilities(u2, nash_share, ks_share):
    u1 = lambda x: x  # noqa: E731
    assert divide_nash(u1, u2).share == pytest.approx(nash_share, abs=1e-7)
    ks = divide_kalai_smorodinsky(u1, u2)
    assert ks.share == pytest.approx(ks_share, abs=1e-9)
    assert ks.payoffs[0] == pytest.approx(ks.payoffs[1], abs=1e-9)
    assert divide_egalitarian(u1, u2).share == pytest.approx(ks_share, abs=1e-9)
    assert 0 <= divide_utilitarian(u1, u2).share <= 1


def test_division_agrees_with_the_exact_polygon_on_linear_utilities():
    for alpha in (F(1, 4), F(1, 2), F(2, 3)):
        exact = nash_solution(problem_of(DOLLAR), alpha).payoffs[0]
        numeric = divide_nash(lambda x: x, lambda y: y, powers=(float(alpha), 1 - float(alpha))).share
        assert numeric == pytest.approx(float(exact), abs=1e-7)


# -- the payoff set, disagreement points, ZOPA and errors -------------------------------------------

PD = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")),
                        player_names=("Row", "Column"), status_quo=(1, 1))


def test_payoff_set_kinds_and_frontier():
    pure = payoff_set(PD, "pure")
    assert [o.label for o in pure.efficient_outcomes()] == ["C / C", "C / D", "D / C"]
    lot = payoff_set(PD, "lotteries")
    assert lot.frontier == ((0, 5), (3, 3), (5, 0))
    assert payoff_set(PD, "transfers").total == 6


def test_infeasible_profiles_are_not_outcomes():
    g = PD.replace(infeasible=np.array([[False, True], [False, False]]))
    s = payoff_set(g)
    assert [o.label for o in s.outcomes] == ["C / C", "D / C", "D / D"]
    assert (0, 5) not in s.frontier


def test_pd_solutions_from_the_status_quo():
    problem = bargaining_problem(PD, "status-quo")
    assert problem.d == (1, 1)
    solutions = solve_bargaining(problem)
    assert solutions["nash"].payoffs == (3, 3)
    assert solutions["nash"].pure_outcome.label == "C / C"
    assert solutions["kalai-smorodinsky"].payoffs == (3, 3)
    zopa = zone_of_agreement(problem)
    assert [o.label for o in zopa.better] == ["C / C"]
    assert "Row at least 1 and Column at least 1" in zopa.text


def test_transfers_split_the_largest_total():
    problem = bargaining_problem(PD, [F(1), F(0)], agreements="transfers")
    a = nash_solution(problem)
    assert a.payoffs == (F(7, 2), F(5, 2))
    assert a.lottery[0].outcome.label == "C / C"
    assert a.transfers == (F(1, 2), F(-1, 2))
    assert "C / C, and Column pays Row 0.5" in a.describe(problem.names)
    # more players: side payments over the largest total
    g3 = Game.from_matrices(np.array([[[1, 0], [0, 0]], [[0, 0], [0, 0]]]),
                            np.array([[[1, 0], [0, 3]], [[0, 0], [0, 0]]]),
                            np.array([[[1, 0], [0, 0]], [[0, 0], [0, 0]]]))
    three = bargaining_problem(g3, [0, 0, 0], agreements="transfers")
    assert nash_solution(three).payoffs == (1, 1, 1)
    assert nash_solution(bargaining_problem(g3, [0, 0, 0], agreements="pure")).payoffs == (1, 1, 1)


def test_disagreement_points():
    bos = Game.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    maximin = bargaining_problem(bos, "maximin").disagreement
    assert maximin.payoffs == (F(2, 3), F(2, 3))
    # two methods: the exact zero-sum values against negsim.solve.welfare's linear programme
    for game in (bos, PD, Game.from_matrices([[4, -1, 2], [0, 3, -2]], [[1, 2, 0], [3, -1, 2]])):
        exact = security_point(game).payoffs
        assert [float(v) for v in exact] == pytest.approx([m.level for m in welfare_maximin(game)], abs=1e-9)
    assert bargaining_problem(bos, "maximin-pure").disagreement.payoffs == (0, 0)
    mixed = bargaining_problem(bos, "equilibrium", equilibrium=2).disagreement
    assert mixed.payoffs == (F(2, 3), F(2, 3))
    assert disagreement_point(bos, "equilibrium", equilibrium=(1, 1)).payoffs == (1, 2)
    with pytest.raises(InputError, match="nothing to bargain over"):  # (1, 2) is Pareto-efficient
        bargaining_problem(bos, "equilibrium", equilibrium=(1, 1))
    with pytest.raises(InputError, match="not a Nash equilibrium"):
        bargaining_problem(bos, "equilibrium", equilibrium=(0, 1))
    with pytest.raises(InputError, match="no equilibrium 7"):
        bargaining_problem(bos, "equilibrium", equilibrium=7)
    with pytest.raises(InputError, match="declares no status quo"):
        bargaining_problem(bos, "status-quo")
    with pytest.raises(InputError, match="unknown disagreement point 'statusquo'"):
        bargaining_problem(bos, "statusquo")


def test_empty_bargaining_set_and_bad_input_are_input_errors():
    with pytest.raises(InputError, match="nothing to bargain over") as info:
        bargaining_problem(Game.from_matrices([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "equilibrium",
                           equilibrium=0, agreements="pure")
    assert info.value.problems[0].path == "disagreement"
    with pytest.raises(InputError, match="nothing to bargain over"):
        problem_of(DOLLAR, (F(1, 2), F(1, 2)))  # on the frontier
    with pytest.raises(InputError, match="nothing to bargain over"):
        problem_of(DOLLAR, (2, 0))  # above it
    with pytest.raises(InputError, match="weights must be positive"):
        nash_solution(problem_of(DOLLAR), 1)
    with pytest.raises(InputError, match="unknown kind of agreement"):
        payoff_set(PD, "lottery")
    with pytest.raises(InputError, match="for two players"):
        payoff_set(Game.from_matrices(*np.zeros((3, 2, 2, 2))), "lotteries")
    with pytest.raises(InputError, match="convex payoff set"):
        bargaining_problem(PD, "threat", agreements="pure")
    with pytest.raises(InputError, match="finite number"):
        bargaining_problem(PD, [float("nan"), 0])


def test_a_single_dominant_outcome_is_every_solution():
    problem = problem_of([(2, 2), (1, 0), (0, 1)])
    assert problem.notes
    assert {a.payoffs for a in solve_bargaining(problem).agreements} == {(2, 2)}


def test_to_dict_is_json_ready():
    import json

    problem = bargaining_problem(PD, "status-quo")
    text = json.dumps(solve_bargaining(problem).to_dict())
    assert '"exact": {"player1": "3"' in text
    assert json.loads(text)["solutions"][0]["lottery"][0]["label"] == "C / C"


# -- Nash's variable-threat point ----------------------------------------------------------------


def _brute_threat(game: Game, steps: int = 60) -> float:
    """max over player 0's threat of min over player 1's threat of player 0's Nash payoff, on a grid
    of 2x2 mixed threats (an independent check of the exact method)."""
    problem = payoff_set(game)
    A, B = game.payoffs
    from negsim.bargaining.points import nash_point

    def agreement(d0: float, d1: float) -> float:
        part = clip_chain(list(problem.frontier), (F(d0), F(d1)))
        return float(nash_point(part, (F(d0), F(d1)), (F(1), F(1)))[0]) if part else d0

    grid = np.linspace(0, 1, steps + 1)
    best = -math.inf
    for x in grid:
        worst = math.inf
        for y in grid:
            sx, sy = np.array([x, 1 - x]), np.array([y, 1 - y])
            worst = min(worst, agreement(sx @ A @ sy, sx @ B @ sy))
        best = max(best, worst)
    return best


@pytest.mark.parametrize("A, B", [
    pytest.param([[4, -1], [0, 1]], [[1, 2], [0, 3]], id="asymmetric"),
    pytest.param([[2, -1], [-1, 1]], [[1, -1], [-1, 2]], id="battle-of-sexes-with-losses"),
    pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]], id="prisoners-dilemma"),
])
def test_threat_point_is_the_threat_games_saddle(A, B):
    game = Game.from_matrices(A, B)
    problem = bargaining_problem(game, "threat")
    agreement = nash_solution(problem)
    assert problem.threat_agreement == agreement.payoffs
    assert float(agreement.payoffs[0]) == pytest.approx(_brute_threat(game), abs=0.05)


def test_threat_point_with_side_payments_solves_the_zero_sum_game_a_minus_b():
    # Nash (1953): with transferable utility the threats are optimal strategies of A - B.
    game = Game.from_matrices([[4, -1], [0, 1]], [[1, 2], [0, 3]])
    problem = bargaining_problem(game, "threat", agreements="transfers")
    from negsim.bargaining import zero_sum_value

    value, _, _ = zero_sum_value(np.array([[F(3), F(-3)], [F(0), F(-2)]], dtype=object))
    total = F(5)  # the largest total payoff, at (top, left)
    assert nash_solution(problem).payoffs == ((total + value) / 2, (total - value) / 2)


# -- vectorised over points ------------------------------------------------------------------------


def test_nash_over_outcomes_matches_the_exact_pure_solution():
    rng = np.random.default_rng(3)
    payoffs = rng.integers(-3, 6, size=(40, 2, 3, 3)).astype(float)
    values, profiles = outcome_values(payoffs, 2)
    d = values[:, 4, :]  # the profile (1, 1) as status quo
    index, _ = nash_over_outcomes(values, d)
    template = Game.from_matrices(payoffs[0, 0], payoffs[0, 1], status_quo=(1, 1))
    exact = bargain_points(template, payoffs, agreements="pure")
    for k in range(len(payoffs)):
        if exact[k] is None:
            assert index[k] == -1
        else:
            best = exact[k].payoffs
            assert tuple(values[k, index[k]]) == tuple(float(v) for v in best)


# -- property tests ----------------------------------------------------------------------------------

coordinate = st.integers(-6, 8).map(F)
point = st.tuples(coordinate, coordinate)


@st.composite
def problems(draw, n_min=2):
    pts = draw(st.lists(point, min_size=n_min, max_size=7, unique=True))
    base = draw(st.sampled_from(pts))
    shift = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    d = (base[0] - shift[0], base[1] - shift[1])  # strictly below a feasible point
    return pts, d


def _lp_dominates(pts, target) -> float:
    """max over lotteries of the smallest gain over ``target`` (> 0: target is not efficient)."""
    V = np.array([[float(a), float(b)] for a, b in pts])
    k = len(pts)
    c = np.zeros(k + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-V.T, np.ones((2, 1))])
    b_ub = -np.array([float(target[0]), float(target[1])])
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=np.hstack([np.ones((1, k)), [[0.0]]]), b_eq=[1.0],
                  bounds=[(0, None)] * k + [(None, None)], method="highs")
    return float(res.x[-1])


def _lp_total_gain(pts, target) -> float:
    """max over lotteries that weakly dominate ``target`` of the total gain (0: strongly efficient)."""
    V = np.array([[float(a), float(b)] for a, b in pts])
    k = len(pts)
    res = linprog(-V.sum(axis=1), A_ub=-V.T, b_ub=-np.array([float(t) for t in target]),
                  A_eq=np.ones((1, k)), b_eq=[1.0], bounds=[(0, None)] * k, method="highs")
    return float(-res.fun - float(sum(target)))


@settings(max_examples=60, deadline=None)
@given(problems())
def test_nash_is_pareto_efficient_and_beats_a_dense_search(data):
    pts, d = data
    problem = problem_of(pts, d)
    a = nash_solution(problem)
    assert _lp_dominates(pts, a.payoffs) <= 1e-9
    assert _lp_total_gain(pts, a.payoffs) <= 1e-9
    assert all(u >= di for u, di in zip(a.payoffs, d))
    # dense search over every frontier segment
    chain = problem.frontier
    best = -math.inf
    for p, q in zip(chain, chain[1:]):
        for t in np.linspace(0, 1, 2001):
            g0 = float(p[0] + (q[0] - p[0]) * F(t)) - float(d[0])
            g1 = float(p[1] + (q[1] - p[1]) * F(t)) - float(d[1])
            if g0 > 0 and g1 > 0:
                best = max(best, g0 * g1)
    value = float((a.payoffs[0] - d[0]) * (a.payoffs[1] - d[1]))
    if best > -math.inf:
        assert value >= best - 1e-12
        assert value <= best * (1 + 1e-5) + 1e-9


@settings(max_examples=50, deadline=None)
@given(problems(), st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(-5, 5), st.integers(-5, 5)))
def test_nash_and_ks_are_invariant_under_positive_affine_transformations(data, transform):
    pts, d = data
    a0, a1, b0, b1 = (F(v) for v in transform)

    def f(p):
        return (a0 * p[0] + b0, a1 * p[1] + b1)

    before, after = problem_of(pts, d), problem_of([f(p) for p in pts], f(d))
    for solver in (nash_solution, kalai_smorodinsky):
        x, y = solver(before), solver(after)
        assert f(x.payoffs) == y.payoffs
        assert [(t.outcome.profile, t.probability) for t in x.lottery] == \
               [(t.outcome.profile, t.probability) for t in y.lottery]


@settings(max_examples=50, deadline=None)
@given(st.lists(point, min_size=1, max_size=5), st.integers(-6, 2).map(F))
def test_symmetric_problems_have_symmetric_solutions(half, c):
    pts = sorted(set(half) | {(b, a) for a, b in half})
    d = (c, c)
    try:
        problem = problem_of(pts, d)
    except InputError:
        return
    for solver in (nash_solution, kalai_smorodinsky, egalitarian):
        u = solver(problem).payoffs
        assert u[0] == u[1]


@settings(max_examples=50, deadline=None)
@given(problems(n_min=3), st.data())
def test_nash_is_independent_of_irrelevant_alternatives(data, draw):
    pts, d = data
    full = nash_solution(problem_of(pts, d))
    used = {t.outcome.payoffs for t in full.lottery}
    others = [p for p in pts if p not in used]
    dropped = draw.draw(st.lists(st.sampled_from(others), unique=True) if others else st.just([]))
    smaller = [p for p in pts if p not in dropped]
    assert nash_solution(problem_of(smaller, d)).payoffs == full.payoffs


@settings(max_examples=40, deadline=None)
@given(problems())
def test_egalitarian_equalises_gains_and_utilitarian_maximises_the_total(data):
    pts, d = data
    problem = problem_of(pts, d)
    e = egalitarian(problem)
    gains = (e.payoffs[0] - d[0], e.payoffs[1] - d[1])
    # equal gains, or the frontier end that dominates the equal-gains point (lexicographic)
    assert gains[0] == gains[1] or _lp_total_gain(pts, e.payoffs) <= 1e-9
    u = utilitarian(problem)
    candidates = [p for p in pts if p[0] >= d[0] and p[1] >= d[1]]
    assert sum(u.payoffs) >= max(sum(p) for p in candidates)


def test_hull_and_chain_on_degenerate_sets():
    assert convex_hull([(F(1), F(1))] * 3) == [(1, 1)]
    assert pareto_chain(convex_hull([(F(0), F(0)), (F(1), F(1)), (F(2), F(2))])) == [(2, 2)]
    assert pareto_chain(convex_hull([(F(0), F(1)), (F(1), F(0))])) == [(0, 1), (1, 0)]
