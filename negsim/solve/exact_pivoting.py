"""Every vertex of a best-response polytope in exact integer arithmetic, by lexicographic pivoting.

The same search as :mod:`negsim.solve.pivoting` (a breadth-first search over the
lexicographically feasible bases of ``{x >= 0 : M^T x <= 1}``, which reach every vertex also of
a degenerate polytope), with no rounding at all: the tableau is kept as integers ``A`` over a
common denominator ``d`` (the basis determinant), and a pivot on ``(r, e)`` is

    A'[i, c] = (A[i, c] A[r, e] - A[i, e] A[r, c]) / d      (an exact division),   d' = A[r, e],

so every entry stays a minor of the integer matrix. It visits the (perturbed) vertices only,
instead of all ``C(k + l, k)`` bases, which makes exact enumeration affordable for games of
9x9 and more.

>>> from fractions import Fraction as F
>>> xs, labels = vertices_exact([[F(1), F(3)], [F(2), F(1)]])
>>> [tuple(str(v) for v in x) for x in sorted(xs)]
[('0', '0'), ('0', '1/2'), ('1/5', '2/5'), ('1/3', '0')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from fractions import Fraction
from math import lcm

__all__ = ["vertices_exact"]


Tableau = list[list[int]]


def _leaving(A: Tableau, e: int, k: int, l: int) -> int:
    """The lexicographic ratio test for entering column ``e``: the row whose ``[b | B^-1]``
    divided by its entry in column ``e`` is lexicographically smallest (-1: unbounded). The
    denominator (a basis determinant) stays positive: every pivot is on a positive entry."""
    rhs = k + l
    best = -1
    for i in range(l):
        row = A[i]
        a = row[e]
        if a <= 0:
            continue
        if best < 0:
            best = i
            continue
        other = A[best]
        b = other[e]
        # row[c] / a versus other[c] / b, first on b (the right-hand side), then on B^-1.
        left, right = row[rhs] * b, other[rhs] * a
        if left == right:
            for c in range(k, k + l):
                left, right = row[c] * b, other[c] * a
                if left != right:
                    break
        if left < right:
            best = i
    return best


def _pivot(A: Tableau, r: int, e: int, d: int) -> Tableau:
    """Pivot on (``r``, ``e``): every entry stays an integer (a minor), over the new
    denominator ``A[r][e]``."""
    top = A[r]
    pivot = top[e]
    out = []
    for i, row in enumerate(A):
        if i == r:
            out.append(row)
            continue
        f = row[e]
        if f == 0:
            out.append([a * pivot // d for a in row])
        else:
            out.append([(a * pivot - f * b) // d for a, b in zip(row, top)])
    return out


def vertices_exact(M: Sequence[Sequence[Fraction]]) -> tuple[list[tuple[Fraction, ...]], list[frozenset]]:
    """The vertices of ``{x >= 0 : M^T x <= 1}`` (``M`` positive, ``k x l``, fractions), the
    origin first, and each vertex's labels: ``i`` when ``x_i = 0``, ``k + j`` when constraint
    ``j`` is tight. The same as :func:`negsim.solve.vertex._vertices_exact` gives."""
    k, l = len(M), len(M[0])
    scale = lcm(*(v.denominator for row in M for v in row))
    # Integers: the polytope of M * scale is the polytope of M scaled by 1 / scale.
    A: Tableau = [
        [int(M[i][j] * scale) for i in range(k)] + [int(c == j) for c in range(l)] + [1] for j in range(l)
    ]
    basis = list(range(k, k + l))
    seen = {sum(1 << v for v in basis)}
    queue = deque([(A, basis, 1)])
    found: dict[frozenset, tuple[Fraction, ...]] = {}
    rhs = k + l
    while queue:
        A, basis, d = queue.popleft()
        mask = sum(1 << v for v in basis)
        labels = {v for v in range(k + l) if not mask >> v & 1}
        labels.update(v for row, v in enumerate(basis) if A[row][rhs] == 0)
        key_labels = frozenset(labels)
        if key_labels not in found:  # a degenerate vertex is reached from several bases
            x = [Fraction(0)] * k
            for row, v in enumerate(basis):
                value = A[row][rhs]
                if value != 0 and v < k:
                    x[v] = Fraction(value * scale, d)
            found[key_labels] = tuple(x)
        for e in range(k + l):
            if mask >> e & 1:
                continue
            r = _leaving(A, e, k, l)
            if r < 0:
                raise ArithmeticError("the polytope is unbounded: the matrix must be positive")
            key = mask ^ (1 << basis[r]) ^ (1 << e)
            if key in seen:
                continue
            seen.add(key)
            child_basis = list(basis)
            child_basis[r] = e
            queue.append((_pivot(A, r, e, d), child_basis, A[r][e]))
    origin = frozenset(range(k))
    vertices = [found.pop(origin)]
    labels_out = [origin]
    for labels, x in found.items():
        vertices.append(x)
        labels_out.append(labels)
    return vertices, labels_out
