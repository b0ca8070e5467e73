"""Best responses, Pareto efficiency, maximin strategies and welfare."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negsim.game import Game
from negsim.solve.result import Equilibrium
from negsim.solve.verify import payoff_scale

__all__ = ["Maximin", "Welfare", "best_responses", "maximin", "pareto_efficient", "welfare"]


def best_responses(game: Game, *, tol: float = 1e-9) -> np.ndarray:
    """Booleans ``(n, m_0, ..., m_{n-1})``: ``[i, profile]`` is true when player ``i``'s strategy in
    ``profile`` is a best response (ties included) to the others' strategies."""
    return game.best_responses(tol)


def pareto_efficient(game: Game, *, tol: float = 1e-9) -> list[tuple[int, ...]]:
    """Feasible pure profiles that no other feasible profile Pareto-dominates."""
    limit = tol * payoff_scale(game)
    profiles = [p for p in game.profiles() if game.is_feasible(p)]
    values = np.array([game.payoffs[(slice(None), *p)] for p in profiles])
    efficient = []
    for a, v in enumerate(values):
        better_or_equal = (values >= v - limit).all(axis=1)
        strictly = (values > v + limit).any(axis=1)
        if not (better_or_equal & strictly).any():
            efficient.append(profiles[a])
    return efficient


@dataclass(frozen=True)
class Maximin:
    """A player's guaranteed payoff whatever the others do.

    ``pure`` is the best pure strategy against the worst case and its ``pure_level``; ``mixed``
    is the security strategy (a mix) and ``level`` the security level it guarantees against any
    joint play of the others. As everywhere in the solvers, an infeasible profile counts as
    the worst outcome (see :attr:`negsim.game.Game.solver_payoffs`).
    """

    player: int
    pure: tuple[int, ...]
    pure_level: float
    mixed: np.ndarray
    level: float


def maximin(game: Game) -> list[Maximin]:
    payoffs = game.solver_payoffs
    results = []
    for i in range(game.n_players):
        table = np.moveaxis(payoffs[i], i, 0).reshape(game.shape[i], -1)
        worst = table.min(axis=1)
        level_pure = float(worst.max())
        pure = tuple(int(k) for k in np.flatnonzero(worst >= level_pure - 1e-12))
        m = game.shape[i]
        # max v  s.t.  p . table[:, t] >= v for every column t, sum p = 1, p >= 0
        c = np.zeros(m + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-table.T, np.ones((table.shape[1], 1))])
        from scipy.optimize import linprog  # imported when needed: it takes long to load

        res = linprog(c, A_ub=A_ub, b_ub=np.zeros(table.shape[1]),
                      A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0],
                      bounds=[(0, None)] * m + [(None, None)], method="highs")
        mix = np.where(res.x[:m] < 1e-12, 0.0, res.x[:m])
        mix /= mix.sum()
        level = float((mix @ table).min())
        if level < level_pure:  # the LP may stop a hair short of the pure answer
            mix = np.zeros(m)
            mix[pure[0]] = 1.0
            level = level_pure
        results.append(Maximin(i, pure, level_pure, mix, level))
    return results


@dataclass(frozen=True)
class Welfare:
    """Welfare of an outcome: the sum of payoffs (utilitarian) and the smallest (egalitarian)."""

    total: float
    minimum: float


def welfare(equilibrium: Equilibrium) -> Welfare:
    return Welfare(float(equilibrium.payoffs.sum()), float(equilibrium.payoffs.min()))
