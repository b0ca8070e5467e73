"""Never a wrong equilibrium: the batched engines on games whose payoffs span many orders of
magnitude, point by point against exact enumeration.

"Lexicographic" payoffs -- a weight up to 10^6 times an outcome in {0, 1} plus a tie-breaker
0..9 -- make payoff differences of 1 among payoffs of a million, and ties everywhere; a single
extreme cell among ordinary payoffs squeezes all the others. Both batched engines (determinants
with numpy; lexicographic pivoting with numba, when installed) must give at every point exactly
what :func:`negsim.solve.solve` gives in rational arithmetic: the same equilibria, in the same
order, with the same degenerate flags. Hypothesis draws the games (a fixed number of examples,
derandomized, no example database: the run is the same everywhere).
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negsim.game import Game
from negsim.solve import solve
from negsim.solve.batch import PointEquilibria, solve_points, solve_points_reference
from negsim.solve.bimatrix import verification_limit
from negsim.solve.pivoting import available

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

ENGINES = [
    "minors",
    pytest.param(
        "pivoting",
        marks=pytest.mark.skipif(
            not available(), reason="the pivoting engine needs numba (pip install 'negsim[fast]')"
        ),
    ),
]

STRESS = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_same(fast: PointEquilibria, reference: PointEquilibria) -> None:
    """The same equilibria in the same order, and the same flags, at every point."""
    np.testing.assert_array_equal(fast.degenerate, reference.degenerate)
    np.testing.assert_array_equal(fast.point, reference.point)
    for mine, theirs in zip(fast.strategies, reference.strategies):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-7)
    scale = max(1.0, float(np.abs(reference.payoffs).max(initial=0.0)))
    np.testing.assert_allclose(fast.payoffs, reference.payoffs, rtol=1e-9, atol=1e-7 * scale)


@st.composite
def wide_range_games(draw: st.DrawFn) -> np.ndarray:
    """A batch of 40 points of one family of wide-range games, shape (40, 2, m, n): 60 batches
    make 2,400 points per engine."""
    m = draw(st.integers(2, 5))
    n = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    kind = draw(st.sampled_from(["lexicographic", "lexicographic", "extreme cell", "mixed"]))
    rng = np.random.default_rng(seed)
    points = 40
    if kind == "lexicographic":
        weight = draw(st.sampled_from([1e3, 1e5, 1e6]))
        payoffs = weight * rng.integers(0, 2, size=(points, 2, m, n)) + rng.integers(
            0, 10, size=(points, 2, m, n)
        )
    elif kind == "extreme cell":
        cell = draw(st.sampled_from([-131072.0, -1e4, 1e4, 2.0**20]))
        payoffs = rng.normal(size=(points, 2, m, n))
        if draw(st.booleans()):
            payoffs = np.round(payoffs * 3)  # integer payoffs full of ties
        payoffs[:, draw(st.integers(0, 1)), rng.integers(m), rng.integers(n)] = cell
    else:
        # A parametric family A0 + t1 A1 + t2 A2 on a lexicographic base, t on a grid.
        base = 1e6 * rng.integers(0, 2, size=(2, m, n)) + rng.integers(0, 10, size=(2, m, n))
        step = rng.integers(-3, 4, size=(2, 2, m, n)).astype(float)
        t = np.stack(np.meshgrid(np.arange(8), np.arange(5), indexing="ij"), -1).reshape(-1, 2)
        payoffs = base + np.einsum("pk,kimn->pimn", t.astype(float), step)
    return payoffs.astype(float)


@pytest.mark.parametrize("engine", ENGINES)
@STRESS
@given(payoffs=wide_range_games())
def test_wide_range_games_equal_exact_enumeration_point_by_point(engine, payoffs):
    fast = solve_points(payoffs, engine=engine)
    assert_same(fast, solve_points_reference(payoffs))


@pytest.mark.parametrize("engine", ENGINES)
def test_every_equilibrium_is_an_exact_equilibrium(engine):
    """The returned profiles are the equilibria of rational arithmetic to 1e-9 (not merely
    profiles whose regret is small against payoffs of 10^6), as many and in the same order."""
    rng = np.random.default_rng(4)
    payoffs = 1e6 * rng.integers(0, 2, size=(60, 2, 4, 4)) + rng.integers(0, 10, size=(60, 2, 4, 4))
    fast = solve_points(payoffs.astype(float), engine=engine)
    for p in range(len(payoffs)):
        exact = solve(Game.from_matrices(*payoffs[p]), exact=True)
        want = [tuple(np.array([float(v) for v in s]) for s in e.exact_strategies) for e in exact.equilibria]
        got = fast.at(p)
        assert len(got) == len(want)
        for mine, theirs in zip(got, want):
            for a, b in zip(mine, theirs):
                np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)


def test_the_verification_limit_cannot_accept_a_wrong_profile():
    """Payoff differences of 1 among payoffs of 10^6: the accepted regret is tol (1e-9) times
    that difference plus the rounding of a regret computed from payoffs of 10^6 (about 1e-8),
    far below the 6.2e-6 of the profile 0.67 away from every equilibrium that a scale-relative
    tolerance (1e-9 x 10^6 = 1e-3) once accepted."""
    A = np.array([[1e6 + 3, 2], [5, 1e6 + 1]])
    B = np.array([[4, 1e6 + 9], [1e6 + 2, 7]])
    limit = verification_limit(np.array([[A, B]]), 1e-9)[0]
    assert 1e-10 < limit < 1e-7 < 6.2e-6 / 50
    # Matching pennies with a lexicographic weight: the unique equilibrium mixes; a profile
    # 0.67 away from it has a regret many orders above the limit.
    x, y = np.array([0.9, 0.1]), np.array([0.9, 0.1])
    regret = max((A @ y).max() - x @ A @ y, (x @ B).max() - x @ B @ y)
    assert regret > 1e4 * limit


def test_lexicographic_games_agree_with_gambit_rational_enumeration():
    """A second, independent oracle: Gambit's enumeration in rational arithmetic gives the same
    extreme equilibria as the batch on lexicographic 4x4 games with weight 10^6."""
    pygambit = pytest.importorskip("pygambit")
    rng = np.random.default_rng(2024)
    games = 1e6 * rng.integers(0, 2, size=(300, 2, 4, 4)) + rng.integers(0, 10, size=(300, 2, 4, 4))
    fast = solve_points(games.astype(float))
    checked = 0
    for p in range(0, 300, 10):
        g = pygambit.Game.from_arrays(games[p, 0].astype(int), games[p, 1].astype(int))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gambit = pygambit.nash.enummixed_solve(g, rational=True).equilibria
        want = sorted(
            tuple(float(Fraction(str(eq[s]))) for player in g.players for s in player.strategies)
            for eq in gambit
        )
        got = sorted(tuple(float(v) for s in e for v in s) for e in fast.at(p))
        assert len(got) == len(want), p
        for mine, theirs in zip(got, want):
            assert max(abs(a - b) for a, b in zip(mine, theirs)) < 1e-9
        checked += 1
    assert checked == 30
