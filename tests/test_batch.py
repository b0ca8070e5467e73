"""Equilibria of many points at once: the vectorised engine against the per-point loop.

The per-point loop (:func:`solve_points_reference`, i.e. :func:`negsim.solve.solve` at each
point) is the oracle: the fast engine must return the same equilibria, in the same order, with
the same degenerate flags, at every point -- on continuous games and on integer games full of
ties, mixed in one batch, with and without infeasible profiles.
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest

from negsim.game import Game
from negsim.solve import solve
from negsim.solve.batch import (
    PointEquilibria,
    _determinants,
    _layout,
    _simple_fractions,
    iter_chunks,
    pure_equilibria_chunked,
    solve_points,
    solve_points_reference,
    solver_payoffs,
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def assert_same(fast: PointEquilibria, reference: PointEquilibria, atol: float = 1e-7) -> None:
    """Same equilibria in the same order and the same flags at every point."""
    assert fast.n_points == reference.n_points
    np.testing.assert_array_equal(fast.degenerate, reference.degenerate)
    assert fast.complete == reference.complete
    np.testing.assert_array_equal(fast.count(), reference.count())
    np.testing.assert_array_equal(fast.point, reference.point)
    for mine, theirs in zip(fast.strategies, reference.strategies):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=atol)
    scale = max(1.0, float(np.abs(fast.payoffs).max(initial=0.0)))
    np.testing.assert_allclose(fast.payoffs, reference.payoffs, rtol=1e-9, atol=atol * scale)


def assert_verified(result: PointEquilibria, payoffs: np.ndarray, infeasible=None, tol=1e-9) -> None:
    """Every equilibrium's regret, recomputed here, is within the tolerance; mixes sum to 1."""
    S = solver_payoffs(payoffs, infeasible)
    scale = np.maximum(1.0, np.abs(S).reshape(len(S), -1).max(axis=1))
    x, y = result.strategies
    for s in result.strategies:
        np.testing.assert_allclose(s.sum(axis=1), 1.0, atol=1e-12)
        assert (s >= 0).all()
    A, B = S[result.point, 0], S[result.point, 1]
    row = np.einsum("emn,en->em", A, y)
    col = np.einsum("em,emn->en", x, B)
    gain = np.maximum(row.max(axis=1) - (row * x).sum(axis=1), col.max(axis=1) - (col * y).sum(axis=1))
    assert (gain <= tol * scale[result.point]).all()
    assert (result.regret <= tol * scale[result.point]).all()


def integer_games(rng, points, m, n, low=-2, high=2):
    return rng.integers(low, high + 1, size=(points, 2, m, n)).astype(float)


SIZES = [(2, 2), (2, 3), (3, 2), (3, 3), (2, 5), (4, 3), (4, 4), (5, 5)]


@pytest.mark.slow
@pytest.mark.parametrize("m,n", SIZES, ids=[f"{m}x{n}" for m, n in SIZES])
def test_equal_to_the_per_point_loop_on_ties_and_continuous_games_mixed(m, n):
    rng = np.random.default_rng(100 * m + n)
    points = 60 if m * n <= 16 else 40
    ties = integer_games(rng, points, m, n)
    continuous = rng.normal(size=(points, 2, m, n))
    payoffs = np.concatenate([ties, continuous])[rng.permutation(2 * points)]
    fast = solve_points(payoffs)
    reference = solve_points_reference(payoffs)
    assert reference.degenerate.any() and not reference.degenerate.all()
    assert_same(fast, reference)
    assert_verified(fast, payoffs)
    # The per-point method is a safety net, not the rule.
    assert fast.per_point.sum() <= 0.2 * len(payoffs)


@pytest.mark.slow
def test_near_ties_just_above_and_below_the_tolerance():
    """Payoffs a hair from a tie: the batch must not decide differently from the loop."""
    rng = np.random.default_rng(7)
    base = integer_games(rng, 80, 3, 3)
    noise = rng.normal(size=base.shape)
    payoffs = np.concatenate(
        [base + 1e-13 * noise, base + 1e-9 * noise, base + 1e-6 * noise, base * 1e6 + noise, base / 3.0]
    )
    # The per-point method reads each payoff as the simple fraction within 1e-12 of it, if any;
    # near-tied games amplify that a millionfold in their mixed equilibria, hence 1e-6 here.
    assert_same(solve_points(payoffs), solve_points_reference(payoffs), atol=1e-6)


@pytest.mark.slow
def test_infeasible_profiles_as_the_game_treats_them():
    rng = np.random.default_rng(11)
    infeasible = np.array([[False, True, False], [False, False, False], [True, False, False]])
    payoffs = np.concatenate([integer_games(rng, 40, 3, 3), rng.normal(size=(40, 2, 3, 3))])
    fast = solve_points(payoffs, infeasible=infeasible)
    assert_same(fast, solve_points_reference(payoffs, infeasible=infeasible))
    assert_verified(fast, payoffs, infeasible)
    pure = fast.pure
    profiles = np.stack([fast.strategies[0][pure].argmax(axis=1), fast.strategies[1][pure].argmax(axis=1)])
    assert not infeasible[tuple(profiles)].any()


def test_a_mask_without_infeasible_profiles_changes_nothing():
    payoffs = np.random.default_rng(3).normal(size=(10, 2, 2, 3))
    assert_same(solve_points(payoffs, infeasible=np.zeros((2, 3), dtype=bool)), solve_points(payoffs))


@pytest.mark.slow
@pytest.mark.parametrize("m,n,low,high", [(4, 4, -3, 3), (3, 5, -2, 2), (5, 5, -1, 1)])
def test_agrees_with_exact_rational_enumeration_on_a_sample(m, n, low, high):
    payoffs = integer_games(np.random.default_rng(m * n), 8, m, n, low, high)
    result = solve_points(payoffs)
    for p in range(len(payoffs)):
        exact = solve(Game.from_matrices(*payoffs[p]), exact=True)
        want = [tuple(np.array([float(v) for v in s]) for s in e.exact_strategies) for e in exact.equilibria]
        got = result.at(p)
        assert len(got) == len(want)
        for e, w in zip(got, want):
            assert all(np.allclose(a, b, atol=1e-9) for a, b in zip(e, w))
        assert bool(result.degenerate[p]) == exact.degenerate


def test_a_degenerate_game_lists_its_extreme_equilibria():
    # Row's second strategy ties against both columns: a segment of equilibria.
    A = [[1, 1], [1, 0]]
    B = [[1, 1], [0, 1]]
    payoffs = np.array([[A, B]] * 3, dtype=float)
    result = solve_points(payoffs)
    assert result.degenerate.all()
    assert_same(result, solve_points_reference(payoffs))


@pytest.mark.slow
def test_three_players_mixed_methods_go_point_by_point():
    payoffs = np.random.default_rng(2).normal(size=(3, 3, 2, 2, 2))
    fast = solve_points(payoffs, method="logit")
    assert_same(fast, solve_points_reference(payoffs, method="logit"), atol=1e-6)
    assert fast.per_point.all()


@pytest.mark.parametrize("method", ["support", "lemke-howson"])
def test_other_two_player_methods_are_the_per_point_methods(method):
    payoffs = np.random.default_rng(4).normal(size=(5, 2, 3, 3))
    assert_same(solve_points(payoffs, method=method), solve_points_reference(payoffs, method=method))


def test_one_player():
    payoffs = np.array([[[1.0, 3.0, 3.0]], [[0.0, -1.0, 2.0]]])
    assert_same(solve_points(payoffs), solve_points_reference(payoffs))


def test_empty_batch():
    result = solve_points(np.zeros((0, 2, 3, 3)))
    assert result.n_points == 0 and len(result.point) == 0
    assert result.strategies[0].shape == (0, 3)


# -- pure equilibria ---------------------------------------------------------------------------


@pytest.mark.slow
def test_pure_equilibria_of_three_players_equal_the_loop():
    rng = np.random.default_rng(8)
    payoffs = np.concatenate([rng.integers(0, 3, size=(30, 3, 3, 2, 4)), rng.normal(size=(30, 3, 3, 2, 4))])
    infeasible = np.zeros((3, 2, 4), dtype=bool)
    infeasible[0, 1, 2] = infeasible[2, 0, 0] = True
    for mask in (None, infeasible):
        fast = solve_points(payoffs, method="pure", infeasible=mask)
        assert_same(fast, solve_points_reference(payoffs, method="pure", infeasible=mask))
        assert (fast.regret <= 1e-9 * np.abs(payoffs).max()).all()


def test_pure_search_in_chunks_gives_the_same_rows_and_asks_for_each_point_once():
    rng = np.random.default_rng(9)
    payoffs = rng.integers(0, 4, size=(103, 3, 4, 4, 4)).astype(float)
    asked = []

    def make(part):
        asked.append((part.start, part.stop))
        return payoffs[part]

    chunked = pure_equilibria_chunked(make, len(payoffs), shape=(4, 4, 4), chunk=10)
    assert asked == [(s.start, s.stop) for s in iter_chunks(103, 10)]
    whole = solve_points(payoffs, method="pure")
    np.testing.assert_array_equal(chunked.point, whole.point)
    np.testing.assert_array_equal(chunked.to_point_equilibria().strategies[2], whole.strategies[2])
    np.testing.assert_array_equal(chunked.payoffs, whole.payoffs)
    assert chunked.count().sum() == len(chunked.point) > 0


def test_pure_search_checks_what_the_generator_returns():
    with pytest.raises(ValueError, match="returned 5 points"):
        pure_equilibria_chunked(lambda part: np.zeros((5, 2, 2, 2)), 12, chunk=6)
    with pytest.raises(ValueError, match="finite"):
        pure_equilibria_chunked(lambda part: np.full((6, 2, 2, 2), np.inf), 12, chunk=6)

    def growing(part):
        return np.zeros((6, 2, 2, 2 + part.start // 6))

    with pytest.raises(ValueError, match="expected"):
        pure_equilibria_chunked(growing, 12, chunk=6)


def test_iter_chunks_covers_every_point_once():
    assert [(s.start, s.stop) for s in iter_chunks(7, 3)] == [(0, 3), (3, 6), (6, 7)]
    assert list(iter_chunks(0, 3)) == []


# -- inputs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payoffs, infeasible, message",
    [
        (np.full((2, 2, 2, 2), np.nan), None, "finite"),
        (np.zeros((2, 2, 2)), None, "shape"),
        (np.zeros((2, 2, 2, 3)), np.zeros((3, 2), dtype=bool), "infeasible mask has shape"),
        (np.zeros((2, 2, 2, 3)), np.ones((2, 3), dtype=bool), "every profile is infeasible"),
    ],
)
def test_bad_input_is_refused_like_a_game(payoffs, infeasible, message):
    with pytest.raises(ValueError, match=message):
        solve_points(payoffs, infeasible=infeasible)


# -- building blocks ---------------------------------------------------------------------------


def test_determinants_by_laplace_expansion_match_numpy():
    rng = np.random.default_rng(1)
    k, l, N = 4, 5, 7
    M = rng.uniform(1, 2, size=(k, l, N))
    layout = _layout(k, l)
    minors, bordered = _determinants(layout, M.reshape(k * l, N))
    rows = list(combinations(range(k), 3))
    cols = list(combinations(range(l), 3))
    offset = layout.minors[2][0]
    for a, R in enumerate(rows):
        for b, C in enumerate(cols):
            want = np.linalg.det(M[np.ix_(R, C)].transpose(2, 0, 1))
            np.testing.assert_allclose(minors[offset + a * len(cols) + b], want, atol=1e-12)
    # A bordered determinant: rows R plus a row of ones, |U| = |R| + 1.
    offset = layout.bordered[2][0]
    cols4 = list(combinations(range(l), 3))
    R, U = rows[0][:2], cols4[0]
    stacked = np.concatenate([M[np.ix_(R, U)], np.ones((1, 3, N))]).transpose(2, 0, 1)
    np.testing.assert_allclose(bordered[offset], np.linalg.det(stacked), atol=1e-12)


def test_simple_fractions_match_limit_denominator():
    # With the tolerance of make_equilibrium's rule, the same fractions as Fraction finds.
    rng = np.random.default_rng(6)
    pairs = zip(rng.integers(0, 50, 300), rng.integers(1, 9999, 300))
    fractions = [Fraction(int(a), int(b)) for a, b in pairs]
    values = np.array(
        [float(f) for f in fractions if f <= 1]
        + list(rng.random(200))
        + [0.0, 1.0, 0.5 + 1e-11, 1 / 3 + 2e-10]
    )
    noisy = values + rng.normal(size=len(values)) * 1e-15
    numerator, denominator, found = _simple_fractions(noisy, close=1e-10)
    for v, a, b, ok in zip(noisy, numerator, denominator, found):
        best = Fraction(float(v)).limit_denominator(10_000)
        expected = abs(float(best) - v) <= 1e-10
        assert ok == expected
        if ok:
            assert Fraction(int(a), int(b)) == best


def test_per_point_flags_mark_points_solved_one_by_one():
    rng = np.random.default_rng(12)
    payoffs = rng.normal(size=(20, 2, 3, 3))
    # A near-tie: two best replies 2e-11 apart, too close to tell from a tie in floating point.
    payoffs[5] = integer_games(rng, 1, 3, 3)[0]
    payoffs[5, 0, :, 0] = [2.0, 2.0 + 2e-11, -1.0]
    result = solve_points(payoffs)
    assert result.per_point.dtype == bool and result.per_point.shape == (20,)
    assert result.per_point[5] and result.per_point.sum() == 1
    assert_same(result, solve_points_reference(payoffs))


def test_warnings_are_not_raised_for_degenerate_points():
    payoffs = np.array([[[[1, 1], [1, 0]], [[1, 1], [0, 1]]]], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solve_points(payoffs)
