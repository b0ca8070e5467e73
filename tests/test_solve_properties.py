"""Property tests on random games: verification, agreement of independent methods, invariance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negsim.game import Game
from negsim.solve import solve
from negsim.solve.dominance import iterated_elimination

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@st.composite
def bimatrix_games(draw, max_size=4, low=-3, high=3):
    """Integer games with small ranges: ties, hence degenerate games, are common."""
    m = draw(st.integers(1, max_size))
    n = draw(st.integers(1, max_size))
    values = st.integers(low, high)
    A = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    return Game.from_matrices(A, B)


@st.composite
def generic_games(draw, max_size=5):
    """Games with continuous random payoffs: non-degenerate with probability one."""
    m = draw(st.integers(2, max_size))
    n = draw(st.integers(2, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return Game.from_matrices(rng.normal(size=(m, n)), rng.normal(size=(m, n)))


def exact_set(solution):
    return {tuple(tuple(s) for s in e.exact_strategies) for e in solution.equilibria}


def rounded(solution, digits=7):
    return {
        tuple(tuple(round(float(p), digits) + 0.0 for p in s) for s in e.strategies)
        for e in solution.equilibria
    }


def from_exact(fractions, digits=7):
    return {tuple(tuple(round(float(p), digits) + 0.0 for p in s) for s in eq) for eq in fractions}


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bimatrix_games())
def test_every_reported_equilibrium_is_verified_and_exact_agrees_with_float(game):
    exact = solve(game, exact=True)
    floating = solve(game)
    assert exact.equilibria, "every finite game has an equilibrium"
    for e in exact.equilibria:
        assert e.regret == 0
        for s in e.exact_strategies:
            assert sum(s) == 1 and min(s) >= 0
    assert floating.max_regret <= 1e-9 * max(1, np.abs(game.payoffs).max())
    assert rounded(floating) == from_exact(exact_set(exact))
    assert floating.degenerate == exact.degenerate


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(bimatrix_games())
def test_pure_equilibria_are_never_lost(game):
    pure = set()
    A, B = game.payoffs
    for i, j in game.profiles():
        if A[i, j] >= A[:, j].max() and B[i, j] >= B[i, :].max():
            pure.add((i, j))
    found = {e.pure_profile() for e in solve(game).equilibria if e.kind == "pure"}
    assert found == pure


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(generic_games())
def test_support_and_vertex_enumeration_agree_on_nondegenerate_games(game):
    vertex = solve(game, "enumerate")
    assume(not vertex.degenerate)
    support = solve(game, "support")
    assert rounded(support) == rounded(vertex)
    # nashpy as a third, independent implementation
    assert rounded(solve(game, "nashpy-vertex")) == rounded(vertex)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(bimatrix_games(max_size=3), st.integers(0, 1), st.floats(0.1, 50), st.floats(-100, 100))
def test_equilibria_unchanged_by_positive_affine_transform(game, player, scale, shift):
    payoffs = np.array(game.payoffs)
    payoffs[player] = scale * payoffs[player] + shift
    transformed = game.replace(payoffs=payoffs)
    assert rounded(solve(transformed)) == rounded(solve(game))


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(bimatrix_games(max_size=4))
def test_lemke_howson_ends_at_extreme_equilibria(game):
    everything = exact_set(solve(game, exact=True))
    assert exact_set(solve(game, "lemke-howson", exact=True)) <= everything
    assert rounded(solve(game, "lemke-howson")) <= from_exact(everything)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(bimatrix_games(max_size=4))
def test_strict_dominance_never_removes_an_equilibrium_strategy(game):
    result = iterated_elimination(game)
    for e in solve(game, exact=True).equilibria:
        for i, support in enumerate(e.support):
            assert set(support) <= set(result.surviving[i])


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.integers(2, 3), st.integers(2, 3), st.integers(2, 3), st.integers(0, 2**32 - 1))
def test_three_player_solutions_are_verified(m0, m1, m2, seed):
    rng = np.random.default_rng(seed)
    game = Game(
        ("a", "b", "c"),
        tuple(tuple(str(k) for k in range(m)) for m in (m0, m1, m2)),
        rng.integers(-3, 4, size=(3, m0, m1, m2)).astype(float),
    )
    solution = solve(game)
    assert solution.equilibria
    assert solution.max_regret <= 1e-9 * 3
