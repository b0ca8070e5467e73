"""Property tests of the learning dynamics on random games."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negsim.dynamics import (
    best_response_dynamics,
    best_response_graph,
    logit_dynamics,
    logit_response,
    qre_path,
    replicator,
    replicator_velocity,
    rest_points,
)
from negsim.game import Game
from negsim.solve import solve
from negsim.solve.verify import regret

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: for the properties that integrate or trace a path in each example
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def generic_games(draw, max_players=3, max_size=3):
    """Continuous random payoffs: non-degenerate with probability one."""
    n = draw(st.integers(2, max_players))
    shape = tuple(draw(st.integers(2, max_size if n == 2 else 2)) for _ in range(n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return Game.from_matrices(*rng.normal(size=(n, *shape)))


@st.composite
def integer_bimatrix_games(draw, max_size=3):
    """Small integer payoffs: ties and degenerate games are common."""
    m, n = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    values = st.integers(-2, 2)
    A = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    return Game.from_matrices(A, B)


@st.composite
def potential_games(draw):
    """u_i(s) = potential(s) + a term that does not depend on player i's own strategy."""
    n = draw(st.integers(2, 3))
    shape = tuple(draw(st.integers(2, 3)) for _ in range(n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    potential = rng.integers(0, 20, size=shape).astype(float)
    payoffs = []
    for i in range(n):
        other = rng.integers(-5, 6, size=shape[:i] + (1,) + shape[i + 1:]).astype(float)
        payoffs.append(potential + np.broadcast_to(other, shape))
    return Game.from_matrices(*payoffs)


def interior_start(game, seed):
    rng = np.random.default_rng(seed)
    return [rng.dirichlet(np.ones(m)) for m in game.shape]


@SLOW
@given(generic_games(), st.integers(0, 1000))
def test_replicator_and_logit_dynamics_keep_states_on_the_simplex(game, seed):
    start = interior_start(game, seed)
    solution = solve(game)
    for t in (replicator(game, start, horizon=15, samples=16, solution=solution),
              logit_dynamics(game, start, lam=3.0, horizon=15, samples=16, solution=solution)):
        for s in t.states:
            assert s.min() >= 0.0
            assert np.abs(s.sum(axis=1) - 1.0).max() < 1e-9


@FAST
@given(integer_bimatrix_games())
def test_rest_points_include_every_pure_profile_and_every_nash_equilibrium(game):
    rest = rest_points(game)
    for profile in game.profiles():
        point = rest.find([np.eye(m)[k] for m, k in zip(game.shape, profile)])
        assert point is not None
    supports = set(rest.continua)
    for e in solve(game).equilibria:
        found = rest.find(e.strategies)
        if found is None:
            # an equilibrium inside a continuum of rest points (degenerate games) is named there
            assert " / ".join("+".join(game.strategies[i][k] for k in s) for i, s in enumerate(e.support)) \
                in supports
        else:
            assert found.equilibrium
    for point in rest.points:
        velocity = replicator_velocity(game, point.strategies)
        assert max(np.abs(v).max() for v in velocity) < 1e-12
        # the folk theorem of evolutionary game theory: a stable rest point is a Nash equilibrium
        if point.stable:
            assert point.equilibrium and point.regret == 0.0


@FAST
@given(generic_games(max_players=2, max_size=4))
def test_in_generic_games_every_equilibrium_is_an_isolated_rest_point(game):
    rest = rest_points(game)
    assert not rest.continua
    equilibria = solve(game).equilibria
    assert sum(p.equilibrium for p in rest.points) == len(equilibria)
    for e in equilibria:
        assert rest.find(e.strategies, tol=1e-7) is not None


@SLOW
@given(generic_games())
def test_logit_qre_approach_a_verified_equilibrium_with_shrinking_regret(game):
    path = qre_path(game, lambdas=[0.5, 5.0])
    scale = float(np.ptp(game.payoffs))
    # every point is a fixed point of the logit response
    for lam in (0.5, 5.0):
        point = path.at(lam)
        response = logit_response(game, point.strategies, lam)
        assert np.concatenate(response) == pytest.approx(np.concatenate(point.strategies), abs=1e-8)
    assert path.points[-1].regret < 1e-3 * scale
    assert path.limit is not None
    assert regret(game, path.limit) <= 1e-9 * max(1.0, float(np.abs(game.payoffs).max()))
    # closer to the limit as lambda grows (how fast depends on the game: an equilibrium that puts
    # a tiny probability on some strategy is approached slowly)
    lambdas = path.lambdas
    first_late = int(np.searchsorted(lambdas, path.max_lambda / 100))
    assert path.points[-1].distance <= path.points[first_late].distance + 1e-12
    if game.n_players == 2:   # two-player solutions are complete: the limit is one of them
        assert path.limit_distance == pytest.approx(0.0, abs=1e-7)


@FAST
@given(potential_games(), st.integers(0, 1000))
def test_best_responses_in_turn_reach_a_pure_equilibrium_of_every_potential_game(game, seed):
    # Monderer and Shapley (1996): every improvement path of a potential game is finite
    graph = best_response_graph(game)
    assert not graph.cycles
    rng = np.random.default_rng(seed)
    start = tuple(int(rng.integers(m)) for m in game.shape)
    for order in ("sequential", "random"):
        path = best_response_dynamics(game, start, order=order, seed=seed)
        assert path.end == "equilibrium"
        assert path.equilibrium in graph.equilibria
