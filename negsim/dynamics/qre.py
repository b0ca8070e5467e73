"""Quantal response equilibrium (logit QRE) as a behavioural prediction.

In a logit QRE with rationality ``lambda`` (McKelvey and Palfrey 1995) each player plays each
strategy with probability proportional to ``exp(lambda * payoff)`` against the others' QRE
mixes. ``lambda = 0`` is uniform play; as ``lambda`` grows the QRE on the *principal branch*
(the one connected to uniform play) approaches a Nash equilibrium, which is the logit
tracing procedure's selection. ``lambda`` is in the game's own payoff units: it is the
reciprocal of the payoff difference that makes a choice ``e`` (about 2.7) times likelier.

The branch is followed by the tracer of :mod:`negsim.solve.logit` (:func:`follow_path`, the
one the ``logit`` solver uses), here with every accepted point kept, the path landing exactly
on requested values of ``lambda``, and the turning points (where the branch bends back in
``lambda``) recorded. The end point is polished into a Nash equilibrium by
:func:`negsim.solve.logit.polish` and kept only if its regret verifies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.dynamics.profiles import (
    Profile,
    check_number,
    distance,
    payoff_range,
    payoff_vectors,
    profile_as_lists,
)
from negsim.dynamics.trajectory import equilibria_of, equilibrium_dict, nearest_equilibrium
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve import Solution
from negsim.solve.logit import LogitPath, follow_path, polish
from negsim.solve.verify import regret

__all__ = ["QREPath", "QREPoint", "logit_qre", "logit_response", "qre_path", "report_lambdas"]

#: Where the path stops by default: lambda times the payoff range (a choice worse by 1% of the
#: range is then about e^100 times less likely than the best).
DEFAULT_REACH = 1e4


def logit_response(game: Game, profile: Sequence[np.ndarray], lam: float) -> Profile:
    """Each player's logit response to the others' mixes in ``profile``.

    >>> from negsim.game import Game
    >>> g = Game.from_matrices([[1, 0], [0, 0]], [[0, 0], [0, 0]])
    >>> [round(float(p), 4) for p in logit_response(g, [[0.5, 0.5], [1.0, 0.0]], 1.0)[0]]
    [0.7311, 0.2689]
    """
    values = payoff_vectors(game.solver_payoffs, [np.asarray(s, dtype=float) for s in profile])
    out = []
    for v in values:
        z = lam * (v - v.max(axis=-1, keepdims=True))
        e = np.exp(z)
        out.append(e / e.sum(axis=-1, keepdims=True))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class QREPoint:
    """One logit QRE: ``lam`` (payoff units), the mixes, their regret, and the distance (largest
    probability difference) to the Nash equilibrium the branch approaches (``None`` if none)."""

    lam: float
    strategies: Profile
    regret: float
    distance: float | None

    def to_dict(self) -> dict[str, object]:
        return {"lambda": self.lam, "profile": profile_as_lists(self.strategies), "regret": self.regret,
                "distance": self.distance}


@dataclass(frozen=True, eq=False)
class QREPath:
    """The principal branch of logit QRE from ``lambda = 0`` to ``max_lambda``.

    ``points`` are in path order (``lambda`` increases except past a turning point);
    ``turning_points`` are the ``lambda`` values where the branch bends back. ``limit`` is
    the verified Nash equilibrium the branch approaches (``None`` if the end point did not
    polish into one), ``equilibrium`` its index among ``solution``'s equilibria and
    ``limit_distance`` the distance between the two (0 when they are the same point).
    """

    game: Game
    points: tuple[QREPoint, ...]
    turning_points: tuple[float, ...]
    limit: Profile | None
    equilibrium: int | None
    limit_distance: float | None
    solution: Solution
    max_lambda: float

    @property
    def lambdas(self) -> np.ndarray:
        return np.array([p.lam for p in self.points])

    def probabilities(self, player: int) -> np.ndarray:
        """``(points, m_player)``: the player's QRE mix along the path."""
        return np.array([p.strategies[player] for p in self.points])

    def at(self, lam: float) -> QREPoint:
        """The first point of the path at ``lam`` (requested when the path was traced)."""
        for p in self.points:
            if math.isclose(p.lam, lam, rel_tol=1e-12, abs_tol=1e-15):
                return p
        raise KeyError(f"lambda = {lam:g} is not a point of this path; ask for it in qre_path(lambdas=...)")

    def limit_label(self) -> str:
        if self.equilibrium is None:
            return ""
        return self.solution.equilibria[self.equilibrium].label(self.game)

    def to_dict(self) -> dict[str, object]:
        return {
            "players": list(self.game.players),
            "strategies": {p: list(s) for p, s in zip(self.game.players, self.game.strategies)},
            "max_lambda": self.max_lambda,
            "points": [p.to_dict() for p in self.points],
            "turning_points": list(self.turning_points),
            "limit": profile_as_lists(self.limit) if self.limit is not None else None,
            "limit_distance": self.limit_distance,
            "equilibrium": equilibrium_dict(self.game, self.solution, self.equilibrium),
        }


def qre_path(
    game: Game,
    *,
    max_lambda: float | None = None,
    lambdas: Sequence[float] = (),
    solution: Solution | None = None,
    max_steps: int = 20_000,
) -> QREPath:
    """Follow the principal logit-QRE branch up to ``max_lambda`` (payoff units).

    ``max_lambda`` defaults to ``1e4`` divided by the payoff range. Every value in ``lambdas``
    (and ``max_lambda`` itself) becomes a point of the path exactly, at its first crossing.

    >>> from negsim.game import Game
    >>> stag_hunt = Game.from_matrices([[4, 0], [3, 3]], [[4, 3], [0, 3]],
    ...                                strategies=[["stag", "hare"], ["stag", "hare"]])
    >>> qre_path(stag_hunt).limit_label()   # the risk-dominant equilibrium, not the better one
    'hare / hare'
    """
    scale = payoff_range(game)
    stop = DEFAULT_REACH / scale if max_lambda is None else check_number(max_lambda, "max_lambda", at_least=0)
    targets = sorted({check_number(v, "lambdas", at_least=0) for v in lambdas if v <= stop} | {stop})
    solution = equilibria_of(game, solution)
    raw = _trace(game, [t * scale for t in targets], max_steps)
    profiles = [(lam / scale, sigmas) for lam, sigmas in raw.points]
    limit = None
    if raw.reached:
        # Newton's method on the indifference equations may stall from one point and converge
        # from a neighbour: try the last few points of the path, newest first
        for _lam, sigmas in reversed(profiles[-10:]):
            limit = polish(game, list(sigmas))
            if limit is not None:
                break
    limit_profile = tuple(np.asarray(s) for s in limit) if limit is not None else None
    reference = limit_profile if limit_profile is not None else profiles[-1][1]
    index, _gap = nearest_equilibrium(solution, reference)
    limit_distance = None
    if limit_profile is not None and index is not None:
        limit_distance = distance(solution.equilibria[index].strategies, limit_profile)
    points = tuple(
        QREPoint(lam=lam, strategies=sigmas, regret=regret(game, sigmas),
                 distance=distance(limit_profile, sigmas) if limit_profile is not None else None)
        for lam, sigmas in profiles
    )
    return QREPath(game=game, points=points, turning_points=tuple(t / scale for t in raw.turning),
                   limit=limit_profile, equilibrium=index, limit_distance=limit_distance,
                   solution=solution, max_lambda=stop)


def report_lambdas(game: Game, max_lambda: float | None = None) -> list[float]:
    """Round values of ``lambda`` (1, 3, 10, 30, ...) from about a tenth of the reciprocal
    payoff range to ``max_lambda`` (default: where :func:`qre_path` stops): where a report
    shows the path.

    >>> from negsim.game import Game
    >>> report_lambdas(Game.from_matrices([[1, -1], [-1, 1]]), 40.0)
    [0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
    """
    scale = payoff_range(game)
    stop = DEFAULT_REACH / scale if max_lambda is None else float(max_lambda)
    low = 0.2 / scale
    values = []
    for exponent in range(-12, 13):
        for mantissa in (1.0, 3.0):
            value = float(f"{mantissa}e{exponent}")
            if low <= value <= stop:
                values.append(value)
    return values


def logit_qre(game: Game, lam: float, *, solution: Solution | None = None) -> QREPoint:
    """The logit QRE at ``lam`` on the principal branch (its first point at that ``lambda``).

    >>> from negsim.game import Game
    >>> pennies = Game.from_matrices([[1, -1], [-1, 1]])
    >>> [float(p) for p in logit_qre(pennies, 3.0).strategies[0]]
    [0.5, 0.5]
    """
    lam = check_number(lam, "lambda", at_least=0)
    path = qre_path(game, max_lambda=lam, lambdas=[lam], solution=solution)
    return path.at(lam)


@dataclass
class _Traced:
    points: list[tuple[float, Profile]]
    turning: list[float]
    reached: bool


def _trace(game: Game, targets: list[float], max_steps: int) -> _Traced:
    """The principal branch by :func:`negsim.solve.logit.follow_path`, every accepted point
    kept and every value of ``targets`` (normalised lambdas, increasing; the last is where to
    stop) landed on exactly at its first crossing."""
    path, scale = LogitPath.of(game)
    steps = follow_path(path, max_steps=max_steps)
    first = next(steps)
    w, t = first.point, first.tangent
    points: list[tuple[float, Profile]] = [(0.0, path.sigmas(w))]
    pending = [v for v in targets if v > 0]
    if len(pending) < len(targets):
        points.append((0.0, path.sigmas(w)))  # lambda = 0 asked for: the uniform profile
    turning: list[float] = []
    for step in steps:
        if not pending:
            break
        candidate, new_t = step.point, step.tangent
        while pending and w[-1] < pending[0] <= candidate[-1]:
            lam = pending.pop(0)
            hit = path.at_lambda(w, candidate, lam)
            if hit is None:
                raise InputError([Problem(f"the logit QRE at lambda = {lam:g} (normalised) could not be "
                                          "located on the path (a turning point)", path="lambdas")])
            points.append((float(hit[-1]), path.sigmas(hit)))
        if np.sign(new_t[-1]) != np.sign(t[-1]) and abs(t[-1]) > 0:
            turning.append(float(candidate[-1]))
        w, t = candidate, new_t
        if not pending:
            break
        points.append((float(w[-1]), path.sigmas(w)))
    if not pending:
        return _Traced(points, turning, True)
    raise InputError([Problem(
        f"the logit QRE path stopped at lambda = {float(w[-1]) / scale:.6g} before reaching "
        f"{targets[-1] / scale:.6g}; ask for a smaller max_lambda", path="max_lambda")])
