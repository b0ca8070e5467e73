"""Equilibria of many games at once: one game per parameter point of a sweep.

:func:`solve_points` takes payoffs of shape ``(points, n, m_0, ..., m_{n-1})`` and returns every
equilibrium of every point as flat arrays (:class:`PointEquilibria`), ready to become the rows of
a sweep's table.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.game import Game
from negsim.solve.equilibria import solve

__all__ = ["PointEquilibria", "solve_points", "solve_points_reference"]


@dataclass(frozen=True, eq=False)
class PointEquilibria:
    """All equilibria of all points, one entry per (point, equilibrium).

    ``point[e]`` is the point of equilibrium ``e``; ``strategies[i][e]`` is player ``i``'s mixed
    strategy in it; ``payoffs[e]`` each player's expected payoff; ``regret[e]`` its verified
    regret. ``degenerate[p]`` flags the points whose game is degenerate; ``complete`` says
    whether every (extreme) equilibrium was searched for. Equilibria of one point are listed
    together, in the order of :func:`negsim.solve.result.sort_equilibria`.
    """

    n_points: int
    point: np.ndarray                   # (E,) int
    strategies: tuple[np.ndarray, ...]  # per player (E, m_i)
    payoffs: np.ndarray                 # (E, n)
    regret: np.ndarray                  # (E,)
    degenerate: np.ndarray              # (P,) bool
    complete: bool

    @property
    def pure(self) -> np.ndarray:
        """(E,) booleans: every player plays one strategy with probability one."""
        return np.all([s.max(axis=1) >= 1.0 - 1e-12 for s in self.strategies], axis=0)

    def count(self) -> np.ndarray:
        """Number of equilibria at each point."""
        return np.bincount(self.point, minlength=self.n_points)


def _pack(n_points: int, shape: Sequence[int], per_point: list[list], degenerate: np.ndarray,
          complete: bool) -> PointEquilibria:
    point, strategies, payoffs, regret = [], [[] for _ in shape], [], []
    for p, equilibria in enumerate(per_point):
        for e in equilibria:
            point.append(p)
            for i, s in enumerate(e.strategies):
                strategies[i].append(s)
            payoffs.append(e.payoffs)
            regret.append(e.regret)
    n = len(shape)
    return PointEquilibria(
        n_points=n_points,
        point=np.array(point, dtype=np.int64),
        strategies=tuple(np.array(s, dtype=float).reshape(-1, m) for s, m in zip(strategies, shape)),
        payoffs=np.array(payoffs, dtype=float).reshape(-1, n),
        regret=np.array(regret, dtype=float),
        degenerate=degenerate,
        complete=complete,
    )


def solve_points_reference(payoffs: np.ndarray, *, infeasible: np.ndarray | None = None,
                           method: str = "auto", tol: float = 1e-9) -> PointEquilibria:
    """The plain loop: :func:`negsim.solve.solve` at every point. The oracle for faster code."""
    payoffs = np.asarray(payoffs, dtype=float)
    n_points, n = payoffs.shape[0], payoffs.shape[1]
    shape = payoffs.shape[2:]
    players = tuple(f"p{i}" for i in range(n))
    strategies = tuple(tuple(str(k) for k in range(m)) for m in shape)
    per_point, degenerate, complete = [], np.zeros(n_points, dtype=bool), True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in range(n_points):
            game = Game(players, strategies, payoffs[p], infeasible=infeasible)
            solution = solve(game, method, tol=tol)
            per_point.append(list(solution.equilibria))
            degenerate[p] = solution.degenerate
            complete &= solution.complete
    return _pack(n_points, shape, per_point, degenerate, complete)


def solve_points(payoffs: np.ndarray, *, infeasible: np.ndarray | None = None,
                 method: str = "auto", tol: float = 1e-9) -> PointEquilibria:
    """Every equilibrium at every point.

    ``method="pure"`` finds the pure equilibria of any number of players with array operations
    over all points at once; other methods currently solve point by point.
    """
    payoffs = np.asarray(payoffs, dtype=float)
    if method == "pure":
        return _pure_points(payoffs, infeasible=infeasible, tol=tol)
    return solve_points_reference(payoffs, infeasible=infeasible, method=method, tol=tol)


def _pure_points(payoffs: np.ndarray, *, infeasible: np.ndarray | None, tol: float) -> PointEquilibria:
    n_points, n = payoffs.shape[0], payoffs.shape[1]
    shape = payoffs.shape[2:]
    if infeasible is not None and infeasible.any():
        # As in Game.solver_payoffs: an infeasible cell is each player's worst outcome.
        payoffs = np.array(payoffs, copy=True)
        for p in range(n_points):
            for i in range(n):
                values = payoffs[p, i][~infeasible]
                low, high = values.min(), values.max()
                payoffs[p, i][infeasible] = low - max(high - low, 1.0)
    scale = np.maximum(1.0, np.abs(payoffs).reshape(n_points, -1).max(axis=1))
    limit = (tol * scale).reshape((n_points, *([1] * n)))
    mask = np.ones((n_points, *shape), dtype=bool)
    for i in range(n):
        table = payoffs[:, i]
        mask &= table >= table.max(axis=1 + i, keepdims=True) - limit
    if infeasible is not None:
        mask &= ~infeasible
    where = np.nonzero(mask)
    point = where[0].astype(np.int64)
    profiles = np.stack(where[1:], axis=1) if len(point) else np.zeros((0, n), dtype=np.int64)
    strategies = tuple(np.eye(m)[profiles[:, i]] for i, m in enumerate(shape))
    values = payoffs[(point, slice(None), *profiles.T)] if len(point) else np.zeros((0, n))
    return PointEquilibria(
        n_points=n_points,
        point=point,
        strategies=strategies,
        payoffs=values.reshape(-1, n),
        regret=np.zeros(len(point)),
        degenerate=np.zeros(n_points, dtype=bool),
        complete=False,
    )

