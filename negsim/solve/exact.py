"""Rational arithmetic: payoffs as fractions and exact linear solves.

Floats that stand for short decimals or simple fractions (0.1, 2.5, 1/3 computed in floating
point) become those fractions; anything else keeps its exact binary value.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["as_fraction", "fraction_array", "solve_integer", "solve_linear"]

_MAX_DENOMINATOR = 10**6


def as_fraction(value: float | int | Fraction) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    value = float(value)
    simple = Fraction(value).limit_denominator(_MAX_DENOMINATOR)
    if abs(float(simple) - value) <= 1e-12 * max(1.0, abs(value)):
        return simple
    return Fraction(value)


def fraction_array(values: np.ndarray) -> np.ndarray:
    """An object array of :class:`Fraction` with the same shape."""
    values = np.asarray(values)
    out = np.empty(values.shape, dtype=object)
    for index, v in np.ndenumerate(values):
        out[index] = as_fraction(v)
    return out


def solve_linear(matrix: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]) -> list[Fraction] | None:
    """Solve ``matrix @ x = rhs`` exactly; ``None`` when the matrix is singular."""
    n = len(rhs)
    rows = [list(matrix[r]) + [rhs[r]] for r in range(n)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col]
        inv = 1 / head[col]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] * inv
                row = rows[r]
                for c in range(col, n + 1):
                    row[c] -= factor * head[c]
    return [rows[r][n] / rows[r][r] for r in range(n)]


def solve_integer(matrix: Sequence[Sequence[int]], rhs: Sequence[int]) -> tuple[list[int], int] | None:
    """Solve an integer system exactly without fractions (Bareiss elimination).

    Returns ``(numerators, denominator)`` with ``x = numerators / denominator`` and
    ``denominator > 0``, or ``None`` when the matrix is singular. Every intermediate value is an
    integer (a minor of the matrix), which is much faster than :class:`Fraction` arithmetic.
    """
    n = len(rhs)
    a = [list(matrix[r]) + [rhs[r]] for r in range(n)]
    previous = 1
    for k in range(n):
        pivot = next((r for r in range(k, n) if a[r][k] != 0), None)
        if pivot is None:
            return None
        if pivot != k:
            a[k], a[pivot] = a[pivot], a[k]
        head = a[k]
        hk = head[k]
        for r in range(k + 1, n):
            row = a[r]
            rk = row[k]
            for c in range(k + 1, n + 1):
                row[c] = (row[c] * hk - rk * head[c]) // previous
            row[k] = 0
        previous = hk
    # Back substitution on the triangular system, keeping a common denominator det.
    det = a[n - 1][n - 1]
    numerators = [0] * n
    for r in range(n - 1, -1, -1):
        total = a[r][n] * det
        for c in range(r + 1, n):
            total -= a[r][c] * numerators[c]
        # a[r][r] divides total exactly: total / a[r][r] is x_r * det.
        numerators[r] = total // a[r][r]
    if det < 0:
        det = -det
        numerators = [-v for v in numerators]
    return numerators, det
