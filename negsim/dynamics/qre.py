"""Quantal response equilibrium (logit QRE) as a behavioural prediction.

In a logit QRE with rationality ``lambda`` (McKelvey and Palfrey 1995) each player plays each
strategy with probability proportional to ``exp(lambda * payoff)`` against the others' QRE
mixes. ``lambda = 0`` is uniform play; as ``lambda`` grows the QRE on the *principal branch*
(the one connected to uniform play) approaches a Nash equilibrium, which is the logit
tracing procedure's selection. ``lambda`` is in the game's own payoff units: it is the
reciprocal of the payoff difference that makes a choice ``e`` (about 2.7) times likelier.

The branch is followed with the residual and Jacobian of :mod:`negsim.solve.logit` (the
equations in log-probabilities), here with every accepted point kept, the path landing exactly
on requested values of ``lambda``, and the turning points (where the branch bends back in
``lambda``) recorded. The end point is polished into a Nash equilibrium by
:func:`negsim.solve.logit.polish` and kept only if it verifies.
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
from negsim.solve.logit import _Path, _tangent, polish
from negsim.solve.verify import regret

__all__ = ["QREPath", "QREPoint", "logit_qre", "logit_response", "qre_path"]

#: Where the path stops by default: lambda times the payoff range (a choice worse by 1% of the
#: range is then about e^100 times less likely than the best).
DEFAULT_REACH = 1e4

#: Successive tangents of an accepted step differ by at most this angle (its cosine).
_MIN_COSINE = 0.98


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
    raw = _trace(game, scale, [t * scale for t in targets], max_steps)
    profiles = [(lam / scale, sigmas) for lam, sigmas in raw.points]
    limit = None
    if raw.reached:
        # Newton's method on the indifference equations may stall from one point and converge
        # from a neighbour: try the last few points of the path, newest first
        for _lam, sigmas in reversed(profiles[-10:]):
            limit = _polish(game, sigmas)
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


def _polish(game: Game, sigmas: Profile) -> list[np.ndarray] | None:
    """:func:`negsim.solve.logit.polish`, and where it gives up, the same indifference equations
    solved once more with the root judged by its verified regret.

    ``polish`` trusts scipy's success flag, which the hybrid method withholds when it cannot
    meet its step tolerance even at an exact root (seen on fully mixed 3x3 equilibria).
    """
    from scipy import optimize

    found = polish(game, [np.asarray(s) for s in sigmas])
    if found is not None:
        return found
    limit = 1e-9 * max(1.0, float(np.max(np.abs(game.solver_payoffs))))
    for threshold in (1e-8, 1e-6, 1e-4):
        supports = [np.flatnonzero(s > threshold) for s in sigmas]
        sizes = np.cumsum([0, *(len(k) for k in supports)])

        def expand(v: np.ndarray, supports: list[np.ndarray] = supports,
                   sizes: np.ndarray = sizes) -> list[np.ndarray]:
            out = []
            for i, k in enumerate(supports):
                full = np.zeros(game.shape[i])
                full[k] = v[sizes[i]:sizes[i + 1]]
                out.append(full)
            return out

        def equations(v: np.ndarray, supports: list[np.ndarray] = supports,
                      expand: object = expand) -> np.ndarray:
            full = expand(v)  # type: ignore[operator]
            parts = []
            for i, k in enumerate(supports):
                values = game.deviation_payoffs(full, i)[k]
                parts += [[full[i].sum() - 1.0], values[1:] - values[0]]
            return np.concatenate(parts)

        start = np.concatenate([s[k] / s[k].sum() for s, k in zip(sigmas, supports)])
        root = optimize.root(equations, start, method="hybr")
        candidate = expand(root.x)
        if min(float(c.min()) for c in candidate) < -1e-12:
            continue
        candidate = [np.clip(c, 0.0, None) / np.clip(c, 0.0, None).sum() for c in candidate]
        if regret(game, candidate) <= limit:
            return candidate
    return None


@dataclass
class _Traced:
    points: list[tuple[float, Profile]]
    turning: list[float]
    reached: bool


def _trace(game: Game, scale: float, targets: list[float], max_steps: int) -> _Traced:
    """Arc-length predictor-corrector on the logit equations of :mod:`negsim.solve.logit`.

    ``targets`` are normalised lambdas (payoff range 1), increasing; the last is where to stop.
    """
    path = _Path(game.solver_payoffs / scale)
    w = np.concatenate([np.concatenate([np.full(m, -np.log(m)) for m in path.shape]), [0.0]])

    def sigmas_of(v: np.ndarray) -> Profile:
        return tuple(np.exp(part) / np.exp(part).sum() for part in path.split(v[:-1]))

    _, J = path.residual_and_jacobian(w)
    t = _tangent(J)
    if t[-1] < 0:
        t = -t
    points: list[tuple[float, Profile]] = [(0.0, sigmas_of(w))]
    pending = [v for v in targets if v > 0]
    if len(pending) < len(targets):
        points.append((0.0, sigmas_of(w)))  # lambda = 0 asked for: the uniform profile
    turning: list[float] = []
    h = 0.03
    for _ in range(max_steps):
        if not pending:
            return _Traced(points, turning, True)
        step = h * max(1.0, w[-1] / 10.0)  # the path flattens in log-probabilities as lambda grows
        candidate = _correct(path, w + step * t)
        if candidate is None or np.abs(candidate - w).max() > 2.0 * step + 1.0:
            h *= 0.5
            if h < 1e-9:
                break
            continue
        _, J = path.residual_and_jacobian(candidate)
        new_t = _tangent(J)
        if new_t @ t < 0:
            new_t = -new_t
        if new_t @ t < _MIN_COSINE:
            # the path bends sharply here: a long step could cut the corner and come back on
            # the same branch the wrong way, so take shorter steps until the bend is followed
            h *= 0.5
            if h < 1e-9:
                break
            continue
        while pending and w[-1] < pending[0] <= candidate[-1]:
            hit = _at_lambda(path, w, candidate, pending.pop(0))
            points.append((float(hit[-1]), sigmas_of(hit)))
        if np.sign(new_t[-1]) != np.sign(t[-1]) and abs(t[-1]) > 0:
            turning.append(float(candidate[-1]))
        w, t = candidate, new_t
        h = min(h * 1.5, 1.0)
        if not pending:
            return _Traced(points, turning, True)
        points.append((float(w[-1]), sigmas_of(w)))
    raise InputError([Problem(
        f"the logit QRE path stopped at lambda = {float(w[-1]) / scale:.6g} before reaching "
        f"{targets[-1] / scale:.6g}; ask for a smaller max_lambda", path="max_lambda")])


def _correct(path: _Path, candidate: np.ndarray) -> np.ndarray | None:
    """Newton steps back onto the path (minimum-norm, the system is one short of square)."""
    for _ in range(8):
        H, J = path.residual_and_jacobian(candidate)
        if not np.all(np.isfinite(H)):
            return None
        delta = np.linalg.lstsq(J, H, rcond=None)[0]
        candidate = candidate - delta
        if np.abs(delta).max() < 1e-10 * max(1.0, np.abs(candidate).max()):
            return candidate
    return None


def _at_lambda(path: _Path, before: np.ndarray, after: np.ndarray, lam: float) -> np.ndarray:
    """The point of the path at exactly ``lam`` between two accepted points (Newton in z)."""
    share = (lam - before[-1]) / (after[-1] - before[-1])
    w = before + share * (after - before)
    w[-1] = lam
    for _ in range(30):
        H, J = path.residual_and_jacobian(w)
        try:
            delta = np.linalg.solve(J[:, :-1], H)
        except np.linalg.LinAlgError:
            break
        w[:-1] -= delta
        if np.abs(delta).max() < 1e-13 * max(1.0, np.abs(w).max()):
            return np.asarray(w)
    H, _ = path.residual_and_jacobian(w)
    if np.abs(H).max() > 1e-9:
        raise InputError([Problem(f"the logit QRE at lambda = {lam:g} (normalised) could not be "
                                  "located on the path (a turning point)", path="lambdas")])
    return np.asarray(w)
