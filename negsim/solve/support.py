"""Support enumeration for two-player games.

For each pair of supports of equal size ``k``, solve the indifference conditions (one stacked
linear solve for all pairs of that size) and keep the solutions that are probability vectors
whose support strategies are best responses. Complete for non-degenerate games only; negsim's
default method for two players is vertex enumeration, which is complete for every game.

Tolerances are deliberate: a probability computed as ``-4e-17`` is a zero, not a failure, so
probabilities are accepted down to ``-tol`` and best responses up to ``tol`` times the payoff
scale (payoffs are first scaled to [0, 1]).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

__all__ = ["support_pairs"]


def _indifferent_mixes(M: np.ndarray, own: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each support pair, the mix over ``other`` that makes ``own`` indifferent under ``M``.

    ``M`` is the payoff matrix of the player whose rows are ``own`` (rows: own strategies,
    columns: the other player's). Returns (mixes (p, k), regular (p,) booleans).
    """
    k = own.shape[1]
    p = len(own)
    system = np.zeros((p, k + 1, k + 1))
    system[:, :k, :k] = M[own[:, :, None], other[:, None, :]]
    system[:, :k, k] = -1.0  # minus the common value v
    system[:, k, :k] = 1.0  # probabilities sum to one
    rhs = np.zeros((p, k + 1))
    rhs[:, k] = 1.0
    sign, logdet = np.linalg.slogdet(system)
    norms = np.log(np.linalg.norm(system, axis=-1)).sum(axis=-1)
    regular = (sign != 0) & (logdet - norms > np.log(1e-11))
    mixes = np.full((p, k), np.nan)
    if regular.any():
        mixes[regular] = np.linalg.solve(system[regular], rhs[regular][..., None])[:, :k, 0]
    return mixes, regular


def support_pairs(A: np.ndarray, B: np.ndarray, *, tol: float = 1e-9) -> list[tuple[np.ndarray, np.ndarray]]:
    """Equilibria ``(x, y)`` with equal-size supports, in floating point."""
    A = np.asarray(A, float)
    B = np.asarray(B, float)
    scale = max(np.ptp(A), np.ptp(B), 1e-300)
    A = (A - A.min()) / scale
    B = (B - B.min()) / scale
    m, n = A.shape
    found = []
    for k in range(1, min(m, n) + 1):
        rows = np.array(list(combinations(range(m), k)))
        cols = np.array(list(combinations(range(n), k)))
        I = np.repeat(rows, len(cols), axis=0)
        J = np.tile(cols, (len(rows), 1))
        y_part, ok_y = _indifferent_mixes(A, I, J)  # column's mix makes rows I indifferent
        x_part, ok_x = _indifferent_mixes(B.T, J, I)  # row's mix makes columns J indifferent
        ok = ok_x & ok_y
        ok &= np.nan_to_num(x_part, nan=-1).min(axis=1) >= -tol
        ok &= np.nan_to_num(y_part, nan=-1).min(axis=1) >= -tol
        for a in np.flatnonzero(ok):
            x = np.zeros(m)
            y = np.zeros(n)
            x[I[a]] = np.clip(x_part[a], 0.0, None)
            y[J[a]] = np.clip(y_part[a], 0.0, None)
            x /= x.sum()
            y /= y.sum()
            row_values = A @ y
            col_values = x @ B
            if row_values[I[a]].min() >= row_values.max() - tol and (
                col_values[J[a]].min() >= col_values.max() - tol
            ):
                found.append((x, y))
    return found
