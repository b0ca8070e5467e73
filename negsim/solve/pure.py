"""Pure Nash equilibria of n-player games, vectorised over profiles and parameter points."""

from __future__ import annotations

import numpy as np

from negsim.game import Game
from negsim.solve.result import Solution
from negsim.solve.verify import make_equilibrium, payoff_scale

__all__ = ["best_response_mask", "pure_equilibrium_mask", "solve_pure"]


def best_response_mask(payoffs: np.ndarray, player: int, n_players: int, *, tol: float = 0.0) -> np.ndarray:
    """Where ``player``'s strategy is a best response (all ties) to the others' strategies.

    ``payoffs`` has shape ``(..., n, m_0, ..., m_{n-1})`` with ``n == n_players``; leading axes
    (e.g. the points of a sweep) are kept. Returns booleans of shape ``(..., m_0, ..., m_{n-1})``.
    """
    table = np.take(payoffs, player, axis=payoffs.ndim - n_players - 1)
    axis = table.ndim - n_players + player
    return np.asarray(table >= table.max(axis=axis, keepdims=True) - tol)


def pure_equilibrium_mask(payoffs: np.ndarray, n_players: int, *, tol: float = 0.0) -> np.ndarray:
    """Profiles where every player best-responds: booleans of shape ``(..., m_0, ..., m_{n-1})``."""
    mask = best_response_mask(payoffs, 0, n_players, tol=tol)
    for i in range(1, n_players):
        mask &= best_response_mask(payoffs, i, n_players, tol=tol)
    return mask


def solve_pure(game: Game, *, tol: float = 1e-9) -> Solution:
    """All pure Nash equilibria, for any number of players. Infeasible profiles never qualify."""
    mask = pure_equilibrium_mask(game.solver_payoffs, game.n_players, tol=tol * payoff_scale(game))
    if game.infeasible is not None:
        mask &= ~game.infeasible
    equilibria = []
    for profile in zip(*np.nonzero(mask)):
        strategies = []
        for i, k in enumerate(profile):
            s = np.zeros(game.shape[i])
            s[k] = 1.0
            strategies.append(s)
        equilibria.append(make_equilibrium(game, strategies))
    return Solution(
        game=game,
        method="pure",
        equilibria=tuple(equilibria),
        complete=False,
        tolerance=tol,
    )
