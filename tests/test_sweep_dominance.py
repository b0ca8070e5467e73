"""The sweep's dominance step on strategies only a mix of three or more others can beat: the
batched zero-sum values against the linear programme of :mod:`negsim.solve.dominance`."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from negsim.game import Game
from negsim.solve.dominance import iterated_elimination
from negsim.sweep.dominance import surviving_strategies


def _games(shape: tuple[int, ...], points: int, seed: int) -> np.ndarray:
    """Random games where player 0's last strategy sits just below (or just above, at one
    profile) a mix of three others with weights no pair of strategies can imitate."""
    rng = np.random.default_rng(seed)
    payoffs = rng.normal(size=(points, len(shape), *shape))
    weights = np.array([0.2, 0.3, 0.5])
    mix = np.einsum("k,pk...->p...", weights, payoffs[:, 0, :3])
    margin = np.where(rng.random(points) < 0.5, -0.01, 1.0)  # dominated, or not quite
    payoffs[:, 0, -1] = mix + margin.reshape(-1, *([1] * (len(shape) - 1)))
    nudge = margin > 0
    # "Not quite": it stays below the mix except at one profile of the others, where it wins.
    flat = payoffs[nudge, 0, -1].reshape(int(nudge.sum()), -1)
    flat[:, 1:] -= 1.02
    payoffs[nudge, 0, -1] = flat.reshape(payoffs[nudge, 0, -1].shape)
    return payoffs


@pytest.mark.parametrize("shape", [(4, 3), (5, 4), (4, 2, 2)], ids=["4x3", "5x4", "4x2x2"])
def test_domination_by_three_way_mixes_agrees_with_the_linear_programme(shape):
    payoffs = _games(shape, 40, seed=len(shape) * 10 + shape[0])
    alive = surviving_strategies(payoffs)
    dominated = 0
    for p in range(len(payoffs)):
        game = Game(
            tuple(f"p{i}" for i in range(len(shape))),
            tuple(tuple(str(k) for k in range(m)) for m in shape),
            payoffs[p],
        )
        expected = iterated_elimination(game, mixed=True).surviving
        assert tuple(tuple(np.flatnonzero(a[p]).tolist()) for a in alive) == expected
        dominated += shape[0] - 1 not in expected[0]
    assert 5 < dominated < 35  # both kinds of point occur


def test_equal_games_at_many_points_give_one_answer():
    # The same game at every point (a parameter that does not touch these payoffs).
    payoffs = np.repeat(_games((5, 4), 1, seed=3), 200, axis=0)
    alive = surviving_strategies(payoffs)
    assert all((a == a[0]).all() for a in alive)


def test_the_dominance_step_loads_no_linear_programming_solver():
    code = (
        "import sys, numpy as np\n"
        "from negsim.sweep.dominance import surviving_strategies\n"
        "rng = np.random.default_rng(1)\n"
        "p = rng.normal(size=(50, 2, 5, 4))\n"
        "p[:, 0, 4] = 0.2 * p[:, 0, 0] + 0.3 * p[:, 0, 1] + 0.5 * p[:, 0, 2] - 0.01\n"
        "alive = surviving_strategies(p)\n"
        "assert not alive[0][:, 4].any()\n"
        "print('scipy.optimize' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
