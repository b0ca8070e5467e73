"""Bargaining at many parameter points: what a sweep calls.

Payoff arrays carry a leading points axis, as in :meth:`negsim.game.ParametricGame.evaluate`:
shape ``(points, n, m_0, ..., m_{n-1})``. :func:`nash_over_outcomes` picks the Nash
bargaining outcome among pure outcomes for all points in one array operation;
:func:`bargain_points` runs the exact solvers point by point (lotteries, side payments, any
disagreement point): about 2 ms a point for a 5x4 scenario game, most of it rational arithmetic
(the exact convex hull, and the payoffs turned into fractions).

>>> import numpy as np
>>> values = np.array([[[3, 3], [4, 1], [1, 4], [2, 2]]], dtype=float)   # one point, 4 outcomes
>>> index, _ = nash_over_outcomes(values, np.array([[1.0, 1.0]]))
>>> index.tolist()
[0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from negsim.bargaining.problem import Agreement, BargainingProblem, bargaining_problem
from negsim.bargaining.solutions import egalitarian, kalai_smorodinsky, nash_solution, utilitarian
from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import Game

__all__ = ["bargain_points", "nash_over_outcomes", "outcome_values"]


def outcome_values(payoffs: np.ndarray, n_players: int, infeasible: np.ndarray | None = None
                   ) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Payoffs ``(..., n, m_0, ..., m_{n-1})`` as ``(..., K, n)`` over the K feasible profiles
    (row-major order), and those profiles."""
    payoffs = np.asarray(payoffs, dtype=float)
    shape = payoffs.shape[payoffs.ndim - n_players:]
    lead = payoffs.shape[: payoffs.ndim - n_players - 1]
    flat = payoffs.reshape(*lead, n_players, -1)
    profiles = list(np.ndindex(*shape))
    keep = np.ones(len(profiles), dtype=bool) if infeasible is None else ~np.asarray(infeasible).reshape(-1)
    values = np.moveaxis(flat, -1, -2)[..., keep, :]
    return values, [p for p, k in zip(profiles, keep) if k]


def nash_over_outcomes(values: np.ndarray, disagreement: np.ndarray,
                       powers: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the outcome with the largest (weighted) Nash product among those that give
    every player more than the disagreement point.

    ``values`` has shape ``(..., K, n)``, ``disagreement`` ``(..., n)``. Returns the outcome
    index (``-1`` where no outcome improves on the disagreement point for everyone; the first
    on ties) and the log Nash product (``-inf`` there).
    """
    values = np.asarray(values, dtype=float)
    d = np.asarray(disagreement, dtype=float)[..., None, :]
    n = values.shape[-1]
    w = np.full(n, 1.0 / n) if powers is None else np.asarray(powers, dtype=float) / np.sum(powers)
    gains = values - d
    ok = (gains > 0).all(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(ok, (np.log(np.where(gains > 0, gains, 1.0)) * w).sum(axis=-1), -np.inf)
    index = np.argmax(logs, axis=-1)
    best = np.take_along_axis(logs, index[..., None], axis=-1)[..., 0]
    return np.where(np.isfinite(best), index, -1), best


def bargain_points(game: Game, payoffs: np.ndarray, *, solution: str = "nash",
                   disagreement: str | Sequence[float | Fraction] = "status-quo",
                   agreements: str = "lotteries",
                   powers: Sequence[float | Fraction] | float | None = None,
                   ) -> list[Agreement | None]:
    """One agreement per point (``None`` where there is nothing to bargain over), for the game
    ``game`` with the payoffs of each point (``(points, n, m_0, ...)``)."""
    solvers: dict[str, Callable[[BargainingProblem], Agreement]] = {
        "nash": lambda p: nash_solution(p, powers),
        "kalai-smorodinsky": kalai_smorodinsky,
        "egalitarian": lambda p: egalitarian(p, powers),
        "utilitarian": lambda p: utilitarian(p, powers),
    }
    if solution not in solvers:
        raise InputError([Problem(f"unknown solution {solution!r}{did_you_mean(solution, list(solvers))}",
                                  path="solution")])
    out: list[Agreement | None] = []
    for point in np.asarray(payoffs, dtype=float):
        g = game.replace(payoffs=point, exact_payoffs=None)
        try:
            problem = bargaining_problem(g, disagreement, agreements=agreements, powers=powers)
        except InputError as error:
            if any(p.path == "disagreement" and p.message.startswith("nothing to bargain")
                   for p in error.problems):
                out.append(None)
                continue
            raise
        out.append(solvers[solution](problem))
    return out
