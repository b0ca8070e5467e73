"""A mixed equilibrium of an n-player game by tracing the logit quantal-response path.

The logit equilibria ``sigma(lambda)`` (each player plays strategy ``k`` with probability
proportional to ``exp(lambda * u_k)``) form, for almost every game, a smooth path from the
uniform profile at ``lambda = 0`` to a Nash equilibrium as ``lambda -> infinity`` (McKelvey and
Palfrey 1995; Turocy 2005). :class:`LogitPath` holds the path's equations in log-probabilities
and :func:`follow_path` follows it with an arc-length predictor-corrector (the path may turn
back in ``lambda``) that shortens its steps through sharp bends, so that a long step cannot cut
a corner and land on the same branch the wrong way round. :func:`logit_equilibrium` then
*polishes* the end point: on the support it reached, :func:`polish` solves the indifference
equations by Newton's method and keeps the result only if its verified regret is within
tolerance. The method finds one equilibrium (the one selected by the logit path); pure
equilibria are found separately by exhaustive search. :mod:`negsim.dynamics.qre` follows the
same path to report the quantal response equilibria along it.

>>> from negsim.game import Game
>>> pennies = Game.from_matrices([[1, -1], [-1, 1]])
>>> [[round(float(p), 6) for p in s] for s in logit_equilibrium(pennies)]
[[0.5, 0.5], [0.5, 0.5]]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from negsim.game import Game
from negsim.solve.verify import payoff_scale, regret

__all__ = ["MIN_COSINE", "LogitPath", "PathStep", "follow_path", "logit_equilibrium", "polish", "tangent"]

#: Successive tangents of an accepted step differ by at most this angle (its cosine); a
#: sharper bend is followed with shorter steps.
MIN_COSINE = 0.98

#: The first step length (arc length in log-probabilities and normalised lambda).
FIRST_STEP = 0.03

#: The step length is never shrunk below this; the path is then given up.
SMALLEST_STEP = 1e-9


def _deviation_values(U: np.ndarray, sigmas: Sequence[np.ndarray], i: int) -> np.ndarray:
    table = U[i]
    for j in reversed(range(len(sigmas))):
        if j != i:
            table = np.tensordot(table, sigmas[j], axes=([j], [0]))
    return np.asarray(table)


def _cross_derivative(U: np.ndarray, sigmas: Sequence[np.ndarray], i: int, j: int) -> np.ndarray:
    """d u_i(k) / d sigma_j(l): player i's payoff table contracted over everyone but i and j."""
    table = U[i]
    for h in reversed(range(len(sigmas))):
        if h not in (i, j):
            table = np.tensordot(table, sigmas[h], axes=([h], [0]))
    return np.asarray(table if i < j else table.T)


class LogitPath:
    """The logit equations ``H(w) = 0`` of payoffs ``U`` (shape ``(n, m_0, ..., m_{n-1})``).

    A point ``w`` of the path is every player's log-probabilities side by side, then
    ``lambda``: for each player ``sum exp(z_i) = 1`` and ``z_ik - z_i0 = lambda (u_ik - u_i0)``.
    The system has one equation fewer than unknowns, so its solutions form curves; the one
    through the uniform profile at ``lambda = 0`` is the principal branch.
    """

    def __init__(self, U: np.ndarray) -> None:
        self.U = np.asarray(U, dtype=float)
        self.shape: tuple[int, ...] = tuple(int(m) for m in self.U.shape[1:])
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.size = int(self.offsets[-1])

    @classmethod
    def of(cls, game: Game) -> tuple[LogitPath, float]:
        """The path of ``game`` with payoffs divided by their range, and that range (1 if the
        payoffs are all equal): a normalised ``lambda`` is ``lambda`` times the range."""
        payoffs = game.solver_payoffs
        spread = float(payoffs.max() - payoffs.min())
        scale = spread if spread > 0 else 1.0
        return cls(payoffs / scale), scale

    def start(self) -> np.ndarray:
        """Uniform play at ``lambda = 0``."""
        return np.concatenate([np.concatenate([np.full(m, -np.log(m)) for m in self.shape]), [0.0]])

    def split(self, vector: np.ndarray) -> list[np.ndarray]:
        return [vector[self.offsets[i] : self.offsets[i + 1]] for i in range(len(self.shape))]

    def sigmas(self, w: np.ndarray) -> tuple[np.ndarray, ...]:
        """The mixed profile at point ``w`` (each player's probabilities summing to 1)."""
        out = []
        for part in self.split(w[:-1]):
            e = np.exp(part - part.max())
            out.append(e / e.sum())
        return tuple(out)

    def residual_and_jacobian(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        z, lam = w[:-1], w[-1]
        sigmas = [np.exp(part) for part in self.split(z)]
        n = len(self.shape)
        H = np.zeros(self.size)
        J = np.zeros((self.size, self.size + 1))
        values = [_deviation_values(self.U, sigmas, i) for i in range(n)]
        for i in range(n):
            o = self.offsets[i]
            m = self.shape[i]
            H[o] = sigmas[i].sum() - 1.0
            J[o, o : o + m] = sigmas[i]
            for k in range(1, m):
                H[o + k] = z[o + k] - z[o] - lam * (values[i][k] - values[i][0])
                J[o + k, o + k] += 1.0
                J[o + k, o] -= 1.0
                J[o + k, -1] = -(values[i][k] - values[i][0])
            for j in range(n):
                if j == i:
                    continue
                D = _cross_derivative(self.U, sigmas, i, j)  # (m_i, m_j)
                oj = self.offsets[j]
                block = -lam * (D[1:] - D[0]) * sigmas[j][None, :]
                J[o + 1 : o + m, oj : oj + self.shape[j]] += block
        return H, J

    def correct(self, candidate: np.ndarray, *, steps: int = 8) -> np.ndarray | None:
        """Newton steps from ``candidate`` back onto a solution curve (minimum-norm steps: the
        system is one equation short of square); ``None`` if they do not converge."""
        for _ in range(steps):
            H, J = self.residual_and_jacobian(candidate)
            if not np.all(np.isfinite(H)):
                return None
            delta = np.linalg.lstsq(J, H, rcond=None)[0]
            candidate = candidate - delta
            if np.abs(delta).max() < 1e-10 * max(1.0, float(np.abs(candidate).max())):
                return candidate
        return None

    def at_lambda(self, before: np.ndarray, after: np.ndarray, lam: float) -> np.ndarray | None:
        """The point at exactly ``lam`` between two neighbouring points of the path (Newton in
        the log-probabilities with ``lambda`` fixed); ``None`` if it cannot be located there
        (at a turning point the equations are singular)."""
        share = (lam - before[-1]) / (after[-1] - before[-1])
        w = before + share * (after - before)
        w[-1] = lam
        for _ in range(30):
            H, J = self.residual_and_jacobian(w)
            try:
                delta = np.linalg.solve(J[:, :-1], H)
            except np.linalg.LinAlgError:
                break
            w[:-1] -= delta
            if np.abs(delta).max() < 1e-13 * max(1.0, float(np.abs(w).max())):
                return np.asarray(w)
        H, _ = self.residual_and_jacobian(w)
        return np.asarray(w) if np.abs(H).max() <= 1e-9 else None


def tangent(J: np.ndarray) -> np.ndarray:
    """A unit vector spanning the null space of ``J`` (``k x (k + 1)``, full rank): the
    direction of the solution curve."""
    q, _ = np.linalg.qr(J.T, mode="complete")
    return np.asarray(q[:, -1])


@dataclass(frozen=True, eq=False)
class PathStep:
    """An accepted point of the path and the unit tangent there (pointing the way followed)."""

    point: np.ndarray
    tangent: np.ndarray

    @property
    def lam(self) -> float:
        """The normalised ``lambda`` of the point."""
        return float(self.point[-1])


def follow_path(path: LogitPath, *, max_steps: int = 20_000, min_cosine: float = MIN_COSINE
                ) -> Iterator[PathStep]:
    """The principal branch of ``path``, point by point from uniform play at ``lambda = 0``.

    Each step predicts along the tangent and corrects back onto the path; a step is accepted
    when the correction converges near the prediction and the tangent turns by less than
    ``min_cosine`` (a sharper bend is taken in shorter steps). Steps grow by half after each
    acceptance and with ``lambda`` (the path flattens in log-probabilities as ``lambda``
    grows), and halve after each rejection. The iterator ends after ``max_steps`` attempts or
    when the step collapses; the caller decides how far it needs to go.
    """
    w = path.start()
    _, J = path.residual_and_jacobian(w)
    t = tangent(J)
    if t[-1] < 0:
        t = -t
    yield PathStep(w, t)
    h = FIRST_STEP
    for _ in range(max_steps):
        step = h * max(1.0, float(w[-1]) / 10.0)
        candidate = path.correct(w + step * t)
        if candidate is None or np.abs(candidate - w).max() > 2.0 * step + 1.0:
            h *= 0.5
            if h < SMALLEST_STEP:
                return
            continue
        _, J = path.residual_and_jacobian(candidate)
        new_t = tangent(J)
        if new_t @ t < 0:
            new_t = -new_t
        if new_t @ t < min_cosine:
            h *= 0.5
            if h < SMALLEST_STEP:
                return
            continue
        w, t = candidate, new_t
        h = min(h * 1.5, 1.0)
        yield PathStep(w, t)


def logit_equilibrium(
    game: Game, *, max_lambda: float = 1e6, max_steps: int = 20_000
) -> list[np.ndarray] | None:
    """Follow the logit path; return the polished equilibrium it leads to, or ``None``.

    ``max_lambda`` is normalised (payoffs divided by their range). Once ``lambda`` passes 50
    and the path's point nearly is an equilibrium, each point is polished and the first that
    verifies is returned; else the path's last point is polished.

    >>> from negsim.game import Game
    >>> g = Game.from_matrices([[4, 4, 0], [3, 2, 2], [1, 6, 9]], [[0, 0, 1], [8, 5, 0], [2, 0, 2]])
    >>> [[round(float(p), 3) for p in s] for s in logit_equilibrium(g)]  # through two sharp bends
    [[0.0, 0.0, 1.0], [0.5, 0.0, 0.5]]
    """
    path, spread = LogitPath.of(game)
    near = 1e-4 * max(1.0, spread)
    last = path.start()
    for step in follow_path(path, max_steps=max_steps):
        last = step.point
        if step.lam >= max_lambda:
            break
        if step.lam > 50:
            sigmas = list(path.sigmas(last))
            if regret(game, sigmas) < near:
                polished = polish(game, sigmas)
                if polished is not None:
                    return polished
    return polish(game, list(path.sigmas(last)))


def polish(game: Game, sigmas: Sequence[np.ndarray], *, tol: float = 1e-9) -> list[np.ndarray] | None:
    """Newton on the indifference equations of the support ``sigmas`` nearly has.

    Supports are read at several thresholds, smallest first. A root counts only by what it is:
    non-negative, and an equilibrium whose regret is within ``tol`` times the payoff scale
    (:func:`negsim.solve.verify.regret`); scipy's success flag is not consulted, since the
    hybrid method withholds it when it cannot meet its step tolerance even at an exact root.
    """
    from scipy import optimize  # imported when needed: it takes long to load

    limit = tol * payoff_scale(game)
    for threshold in (1e-8, 1e-6, 1e-4, 1e-3, 1e-2):
        supports = [np.flatnonzero(np.asarray(s) > threshold) for s in sigmas]
        if any(len(s) == 0 for s in supports):
            continue
        sizes = [len(s) for s in supports]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)

        def expand(v: np.ndarray, supports: list[np.ndarray] = supports,
                   offsets: np.ndarray = offsets) -> list[np.ndarray]:
            full = []
            for i, support in enumerate(supports):
                s = np.zeros(game.shape[i])
                s[support] = v[offsets[i] : offsets[i + 1]]
                full.append(s)
            return full

        def equations(v: np.ndarray, supports: list[np.ndarray] = supports) -> np.ndarray:
            full = expand(v)
            out = []
            for i, support in enumerate(supports):
                values = game.deviation_payoffs(full, i)[support]
                out.append([full[i].sum() - 1.0])
                out.append(values[1:] - values[0])
            return np.concatenate(out)

        start = np.concatenate([np.asarray(sigmas[i])[s] / np.asarray(sigmas[i])[s].sum()
                                for i, s in enumerate(supports)])
        result = optimize.root(equations, start, method="hybr", options={"xtol": 1e-14})
        if not np.all(np.isfinite(result.x)):
            continue
        candidate = expand(result.x)
        if any(c.min() < -1e-9 for c in candidate):
            continue
        candidate = [np.clip(c, 0.0, None) / np.clip(c, 0.0, None).sum() for c in candidate]
        if regret(game, candidate) <= limit:
            return candidate
    return None
