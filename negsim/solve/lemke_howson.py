"""Lemke-Howson: one equilibrium of a two-player game per dropped label, by complementary pivoting.

Two tableaux, one per best-response polytope (payoffs made positive):

    r + A y = 1   (basis starts with the slacks r, labels 0..m-1)
    s + B^T x = 1 (basis starts with the slacks s, labels m..m+n-1)

Variable labels: ``x_i`` and ``r_i`` carry label ``i``; ``y_j`` and ``s_j`` carry ``m + j``.
Dropping label ``k`` lets the variable with that label enter; the leaving variable's label
names the next entering variable, in the other tableau, until ``k`` itself leaves. Ties in the
ratio test are broken lexicographically, which makes the method work in degenerate games too.
The arithmetic is generic: floats, or :class:`fractions.Fraction` for exact pivoting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["lemke_howson"]


class _Tableau:
    """``[I | M | 1]`` with a basis; columns 0..rows-1 are the slacks."""

    def __init__(self, M: np.ndarray, slack_labels: list[int], structural_labels: list[int], exact: bool):
        rows, cols = M.shape
        dtype = object if exact else float
        one = Fraction(1) if exact else 1.0
        zero = Fraction(0) if exact else 0.0
        self.table = np.full((rows, rows + cols + 1), zero, dtype=dtype)
        for r in range(rows):
            self.table[r, r] = one
        self.table[:, rows : rows + cols] = M
        self.table[:, -1] = one
        self.labels = slack_labels + structural_labels  # label of each column variable
        self.basis = list(range(rows))  # column index basic in each row
        self.rows = rows
        self.exact = exact

    def column_of_label(self, label: int) -> int:
        return self.labels.index(label)

    def pivot_in(self, column: int) -> int:
        """Bring ``column`` into the basis (lexicographic ratio test); return the leaving label."""
        entries = self.table[:, column]
        eps = 0 if self.exact else 1e-12
        candidates = [r for r in range(self.rows) if entries[r] > eps]
        if not candidates:
            raise ArithmeticError("unbounded ray: payoffs must be positive")

        def key(r: int) -> tuple:
            row = self.table[r]
            # rhs first, then the slack columns (the basis inverse), each over the pivot entry
            values = [row[-1]] + [row[c] for c in range(self.rows)]
            return tuple(v / entries[r] for v in values)

        if self.exact:
            leave_row = min(candidates, key=key)
        else:
            leave_row = _lexmin_float(candidates, key)
        leaving = self.basis[leave_row]
        self.table[leave_row] = self.table[leave_row] / self.table[leave_row, column]
        for r in range(self.rows):
            if r != leave_row and self.table[r, column] != 0:
                self.table[r] = self.table[r] - self.table[r, column] * self.table[leave_row]
        self.basis[leave_row] = column
        return self.labels[leaving]

    def values(self, labels: list[int]) -> list:
        """Values of the variables with the given labels (0 when non-basic)."""
        zero = Fraction(0) if self.exact else 0.0
        result = []
        for label in labels:
            column = self.labels.index(label)
            result.append(self.table[self.basis.index(column), -1] if column in self.basis else zero)
        return result


def _lexmin_float(candidates: list[int], key: Callable[[int], Sequence[float]]) -> int:
    best = candidates[0]
    best_key = key(best)
    for r in candidates[1:]:
        k = key(r)
        for a, b in zip(k, best_key):
            if a < b - 1e-12 * max(1.0, abs(b)):
                best, best_key = r, k
                break
            if a > b + 1e-12 * max(1.0, abs(b)):
                break
    return best


def _positive_exact(M: np.ndarray) -> np.ndarray:
    low = min(Fraction(v) for v in M.flat)
    out = np.empty(M.shape, dtype=object)
    for index, v in np.ndenumerate(M):
        out[index] = Fraction(v) - low + 1
    return out


def lemke_howson(
    A: np.ndarray, B: np.ndarray, label: int, *, exact: bool = False, max_pivots: int = 100_000
) -> tuple[Any, Any]:
    """The equilibrium reached by dropping ``label`` (0..m+n-1): a pair of probability vectors.

    ``A`` and ``B`` are the payoff matrices (floats, or Fractions when ``exact``).
    """
    m, n = A.shape
    if not 0 <= label < m + n:
        raise ValueError(f"label must be in 0..{m + n - 1}")
    if exact:
        Ap, Bp = _positive_exact(A), _positive_exact(B)
    else:
        Ap = (A - A.min()) / max(np.ptp(A), 1e-300) + 1.0
        Bp = (B - B.min()) / max(np.ptp(B), 1e-300) + 1.0
    # x-tableau: s + B^T x = 1 (rows: columns j); y-tableau: r + A y = 1 (rows: rows i)
    tx = _Tableau(Bp.T, [m + j for j in range(n)], list(range(m)), exact)
    ty = _Tableau(Ap, list(range(m)), [m + j for j in range(n)], exact)
    # The entering variable with label ``label`` is structural: x_label or y_(label - m).
    tableau = tx if label < m else ty
    entering = label
    for _ in range(max_pivots):
        # Each label names one variable per tableau; the one entering here is non-basic.
        leaving = tableau.pivot_in(tableau.column_of_label(entering))
        if leaving == label:
            break
        entering = leaving
        tableau = ty if tableau is tx else tx
    else:
        raise ArithmeticError("Lemke-Howson did not terminate")
    x = tx.values(list(range(m)))
    y = ty.values([m + j for j in range(n)])
    if exact:
        sx, sy = sum(x), sum(y)
        return [v / sx for v in x], [v / sy for v in y]
    xs, ys = np.array(x, float), np.array(y, float)
    return xs / xs.sum(), ys / ys.sum()
