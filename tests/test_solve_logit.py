"""The logit path shared by the ``logit`` solver and the QRE: one tracer, public names, a polish
judged by the verified regret of its root."""

from __future__ import annotations

import numpy as np
import pytest

from negsim.dynamics import qre_path
from negsim.game import Game
from negsim.solve import solve
from negsim.solve.logit import LogitPath, follow_path, logit_equilibrium, polish, tangent
from negsim.solve.verify import regret

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

#: The path bends back twice (at lambda 7.6 and 2.1); a tracer that takes long steps through
#: the bends cuts the corner and ends nowhere.
SHARP_BENDS = Game.from_matrices([[4, 4, 0], [3, 2, 2], [1, 6, 9]], [[0, 0, 1], [8, 5, 0], [2, 0, 2]])


def test_the_solver_follows_the_path_through_sharp_bends():
    found = logit_equilibrium(SHARP_BENDS)
    assert found is not None and regret(SHARP_BENDS, found) <= 1e-9
    # the equilibrium the QRE path approaches: row plays 3, the column mixes 1 and 3
    path = qre_path(SHARP_BENDS)
    assert [round(t, 2) for t in path.turning_points] == [7.61, 2.1]
    assert path.limit_label() == "3 / 1+3"
    assert [tuple(np.flatnonzero(s > 1e-9)) for s in found] == [(2,), (0, 2)]
    # and the solver reports it
    solution = solve(SHARP_BENDS, "logit")
    assert any(e.support == ((2,), (0, 2)) for e in solution.equilibria)


def test_one_tracer_serves_the_solver_and_the_qre():
    path, scale = LogitPath.of(SHARP_BENDS)
    assert scale == 9.0
    points = []
    for step in follow_path(path):
        H, J = path.residual_and_jacobian(step.point)
        assert np.abs(H).max() < 1e-9                          # every accepted point is on the path
        assert abs(np.linalg.norm(step.tangent) - 1) < 1e-12 and np.abs(J @ step.tangent).max() < 1e-8
        points.append(step.point)
        if step.lam > 100:
            break
    # the QRE path's points are the tracer's, in payoff units
    qre = qre_path(SHARP_BENDS, max_lambda=100 / scale)
    lambdas = [p[-1] / scale for p in points]
    assert np.allclose(qre.lambdas[1:30], lambdas[1:30])
    assert np.allclose(np.abs(tangent(np.array([[1.0, 0.0]]))), [0.0, 1.0])


# Fully mixed equilibria of 3x3 games, polished from a start 1e-5 off: scipy's hybrid method
# reports failure there (its step tolerance cannot be met) although its root is exact.
MIXED_3X3 = [
    pytest.param([[1, 2, 4], [5, 0, 1], [2, 5, -1]], [[4, -2, 3], [-4, 4, -2], [1, -4, -2]], id="game-43"),
    pytest.param([[2, -2, 5], [1, 2, 0], [3, -2, 1]], [[2, 4, 2], [1, 1, -5], [-1, -2, 1]], id="game-50"),
    pytest.param([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]], id="rps"),
]


@pytest.mark.parametrize(("A", "B"), MIXED_3X3)
def test_polish_judges_a_root_by_its_regret(A, B):
    game = Game.from_matrices(A, B)
    (mixed,) = [e for e in solve(game).equilibria if all(len(s) == 3 for s in e.support)]
    rng = np.random.default_rng(1)
    for _ in range(5):
        start = [np.abs(s + rng.normal(0, 1e-5, 3)) for s in mixed.strategies]
        start = [s / s.sum() for s in start]
        found = polish(game, start)
        assert found is not None and regret(game, found) <= 1e-9
        assert max(float(np.abs(a - b).max()) for a, b in zip(found, mixed.strategies)) < 1e-9


def test_polish_refuses_what_is_no_equilibrium():
    pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert polish(pd, [np.array([1.0, 0.0]), np.array([1.0, 0.0])]) is None  # cooperation
