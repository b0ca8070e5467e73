"""A mixed equilibrium of an n-player game by tracing the logit quantal-response path.

The logit equilibria ``sigma(lambda)`` (each player plays strategy ``k`` with probability
proportional to ``exp(lambda * u_k)``) form, for almost every game, a smooth path from the
uniform profile at ``lambda = 0`` to a Nash equilibrium as ``lambda -> infinity`` (McKelvey and
Palfrey 1995; Turocy 2005). We follow it in log-probabilities with an arc-length
predictor-corrector (the path may turn back in ``lambda``), then *polish* the end point: on the
support it reached, solve the indifference equations by Newton's method, and keep the result
only if its regret is within tolerance. The method finds one equilibrium (the one selected by
the logit path); pure equilibria are found separately by exhaustive search.
"""

from __future__ import annotations

import numpy as np

from negsim.game import Game
from negsim.solve.verify import regret

__all__ = ["logit_equilibrium", "polish"]


def _deviation_values(U: np.ndarray, sigmas: list[np.ndarray], i: int) -> np.ndarray:
    table = U[i]
    for j in reversed(range(len(sigmas))):
        if j != i:
            table = np.tensordot(table, sigmas[j], axes=([j], [0]))
    return table


def _cross_derivative(U: np.ndarray, sigmas: list[np.ndarray], i: int, j: int) -> np.ndarray:
    """d u_i(k) / d sigma_j(l): player i's payoff table contracted over everyone but i and j."""
    table = U[i]
    for h in reversed(range(len(sigmas))):
        if h not in (i, j):
            table = np.tensordot(table, sigmas[h], axes=([h], [0]))
    return table if i < j else table.T


class _Path:
    def __init__(self, U: np.ndarray):
        self.U = U
        self.shape = U.shape[1:]
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)])
        self.size = int(self.offsets[-1])

    def split(self, vector: np.ndarray) -> list[np.ndarray]:
        return [vector[self.offsets[i] : self.offsets[i + 1]] for i in range(len(self.shape))]

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


def _tangent(J: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(J.T, mode="complete")
    return q[:, -1]


def logit_equilibrium(
    game: Game, *, max_lambda: float = 1e6, max_steps: int = 20_000
) -> list[np.ndarray] | None:
    """Follow the logit path; return the polished equilibrium it leads to, or ``None``."""
    payoffs = game.solver_payoffs
    low, high = payoffs.min(), payoffs.max()
    U = (payoffs - low) / (high - low) if high > low else np.zeros_like(payoffs)
    path = _Path(U)
    w = np.concatenate([np.concatenate([np.full(m, -np.log(m)) for m in path.shape]), [0.0]])
    _, J = path.residual_and_jacobian(w)
    t = _tangent(J)
    if t[-1] < 0:
        t = -t
    h = 0.03
    for _ in range(max_steps):
        if w[-1] >= max_lambda:
            break
        # Larger steps as lambda grows: the path flattens out in log-probabilities.
        step = h * max(1.0, w[-1] / 10.0)
        candidate = w + step * t
        converged = False
        for _ in range(8):
            H, J = path.residual_and_jacobian(candidate)
            if not np.all(np.isfinite(H)):
                break
            delta = np.linalg.lstsq(J, H, rcond=None)[0]
            candidate = candidate - delta
            if np.abs(delta).max() < 1e-10 * max(1.0, np.abs(candidate).max()):
                converged = True
                break
        if not converged or np.abs(candidate - w).max() > 2.0 * step + 1.0:
            h *= 0.5
            if h < 1e-9:
                break
            continue
        _, J = path.residual_and_jacobian(candidate)
        new_t = _tangent(J)
        if new_t @ t < 0:
            new_t = -new_t
        w, t = candidate, new_t
        h = min(h * 1.5, 1.0)
        sigmas = [np.exp(part) for part in path.split(w[:-1])]
        if w[-1] > 50 and regret(game, sigmas) < 1e-4 * max(1.0, high - low):
            polished = polish(game, sigmas)
            if polished is not None:
                return polished
    sigmas = [np.exp(part) for part in path.split(w[:-1])]
    return polish(game, sigmas)


def polish(game: Game, sigmas: list[np.ndarray], *, tol: float = 1e-9) -> list[np.ndarray] | None:
    """Newton on the indifference equations of the support ``sigmas`` nearly has."""
    scale = max(1.0, float(np.max(np.abs(game.solver_payoffs))))
    for threshold in (1e-8, 1e-6, 1e-4, 1e-3, 1e-2):
        supports = [np.flatnonzero(s > threshold) for s in sigmas]
        if any(len(s) == 0 for s in supports):
            continue
        sizes = [len(s) for s in supports]
        offsets = np.concatenate([[0], np.cumsum(sizes)])

        def expand(v: np.ndarray, supports=supports, offsets=offsets) -> list[np.ndarray]:
            full = []
            for i, support in enumerate(supports):
                s = np.zeros(game.shape[i])
                s[support] = v[offsets[i] : offsets[i + 1]]
                full.append(s)
            return full

        def equations(v: np.ndarray, supports=supports, expand=expand) -> np.ndarray:
            full = expand(v)
            out = []
            for i, support in enumerate(supports):
                values = game.deviation_payoffs(full, i)[support]
                out.append([full[i].sum() - 1.0])
                out.append(values[1:] - values[0])
            return np.concatenate(out)

        start = np.concatenate([sigmas[i][s] / sigmas[i][s].sum() for i, s in enumerate(supports)])
        from scipy import optimize  # imported when needed: it takes long to load

        result = optimize.root(equations, start, method="hybr", options={"xtol": 1e-14})
        if not result.success:
            continue
        candidate = expand(result.x)
        if any(c.min() < -1e-9 for c in candidate):
            continue
        candidate = [np.clip(c, 0.0, None) / np.clip(c, 0.0, None).sum() for c in candidate]
        if regret(game, candidate) <= tol * scale:
            return candidate
    return None
