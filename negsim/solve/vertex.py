"""All extreme Nash equilibria of a two-player game by vertex enumeration.

With the payoffs made positive, the best-response polytopes are

    P = {x in R^m : x >= 0, B^T x <= 1}        Q = {y in R^n : y >= 0, A y <= 1}

A point of ``P`` carries label ``i`` when ``x_i = 0`` and label ``m + j`` when column ``j`` is a
best response to ``x`` (the constraint is tight); ``Q`` likewise. The extreme equilibria are
exactly the completely labelled vertex pairs ``(x, y) != (0, 0)``, normalised to sum 1, also in
degenerate games, where equilibria form connected sets whose extreme points these are.

Each vertex is the unique solution of some set of ``m`` independent tight constraints: a support
``I`` and a set ``T`` of tight opponent constraints with ``|I| = |T|``. Enumerating all such pairs,
with one stacked linear solve per size, finds every vertex. The game is *degenerate* when some
vertex has more labels than the dimension: a mixed strategy with support of size ``k`` has more
than ``k`` pure best responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb, gcd, lcm

import numpy as np

from negsim.solve.exact import solve_integer
from negsim.solve.exact_pivoting import vertices_exact

__all__ = ["VertexPairs", "count_bases", "enumerate_float", "enumerate_exact"]


@dataclass(frozen=True)
class VertexPairs:
    """Completely labelled vertex pairs, as indices into the two vertex lists."""

    row_vertices: list  # each a length-m vector (floats or Fractions), unnormalised
    col_vertices: list  # each a length-n vector
    pairs: list[tuple[int, int]]  # (index into row_vertices, index into col_vertices)
    degenerate: bool


def count_bases(m: int, n: int) -> int:
    """How many linear systems a full enumeration solves: C(m+n, m) for each polytope."""
    return 2 * comb(m + n, m)


def _positive(matrix: np.ndarray) -> np.ndarray:
    """A positive affine copy with entries in [1, 2]: equilibria are unchanged."""
    low, high = matrix.min(), matrix.max()
    spread = high - low if high > low else 1.0
    return (matrix - low) / spread + 1.0


def _hadamard_ratio(systems: np.ndarray) -> np.ndarray:
    """``|det| / prod(row norms)`` in [0, 1] for each stacked matrix: near 0 means nearly
    singular. Ten times cheaper than singular values, and scale-free like a condition number."""
    sign, logdet = np.linalg.slogdet(systems)
    norms = np.log(np.linalg.norm(systems, axis=-1)).sum(axis=-1)
    return np.where(sign == 0, 0.0, np.exp(np.minimum(logdet - norms, 0.0)))


def _tight_vertices(M: np.ndarray, own: np.ndarray, other: np.ndarray, tol: float) -> list:
    """Feasible solutions of ``M[I, T]^T x_I = 1`` for every support ``I`` in ``own`` and tight
    set ``T`` in ``other``: one stacked solve."""
    k = M.shape[0]
    size = own.shape[1]
    # systems[a, b] = M[own[a], other[b]]^T : (len(own), len(other), size, size)
    sub = M[own[:, None, :, None], other[None, :, None, :]]
    systems = np.swapaxes(sub, -1, -2).reshape(-1, size, size)
    supports = np.repeat(own, len(other), axis=0)
    regular = _hadamard_ratio(systems) > 1e-11
    if not regular.any():
        return []
    systems, supports = systems[regular], supports[regular]
    solutions = np.linalg.solve(systems, np.ones((len(systems), size, 1)))[..., 0]
    ok = (solutions >= -tol).all(axis=1)
    if not ok.any():
        return []
    solutions, supports = solutions[ok], supports[ok]
    full = np.zeros((len(solutions), k))
    np.put_along_axis(full, supports, np.clip(solutions, 0.0, None), axis=1)
    feasible = (full @ M <= 1.0 + tol).all(axis=1)
    return list(full[feasible])


def _vertices_float(M: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of ``{x >= 0 : M^T x <= 1}`` for positive ``M`` (k x l), with label counts.

    Returns the vertices (v, k) and their label masks (v, k + l): first the k "zero" labels,
    then the l "tight" labels.
    """
    k, l = M.shape
    found = [np.zeros(k)]
    for size in range(1, min(k, l) + 1):
        own_all = np.array(list(combinations(range(k), size)))
        other = np.array(list(combinations(range(l), size)))
        # Chunk the supports so the stacked systems stay around 50 MB.
        chunk = max(1, 1_000_000 // (len(other) * size * size))
        for start in range(0, len(own_all), chunk):
            found.extend(_tight_vertices(M, own_all[start : start + chunk], other, tol))
    vertices = _distinct(np.array(found), 1e-7)
    labels = np.concatenate([vertices <= tol, np.abs(vertices @ M - 1.0) <= tol], axis=1)
    return vertices, labels


def _distinct(points: np.ndarray, tol: float) -> np.ndarray:
    """Drop points within ``tol`` (max-norm) of an earlier one: a degenerate vertex is found
    once per basis that describes it."""
    order = np.lexsort(points.T[::-1])
    points = points[order]
    keep = [0]
    for i in range(1, len(points)):
        if np.abs(points[keep] - points[i]).max(axis=1).min() > tol:
            keep.append(i)
    return points[keep]


def enumerate_float(A: np.ndarray, B: np.ndarray, *, tol: float = 1e-9) -> VertexPairs:
    """Extreme equilibria of the bimatrix game ``(A, B)`` in floating point."""
    A, B = _positive(np.asarray(A, float)), _positive(np.asarray(B, float))
    m, n = A.shape
    xs, x_labels = _vertices_float(B, tol)  # labels: [zeros (m) | tight (n)]
    ys, y_tight_zero = _vertices_float(A.T, tol)  # labels: [zeros (n) | tight (m)]
    # Put Q's labels in the global order: row strategies (tight) first, then columns (zeros).
    y_labels = np.concatenate([y_tight_zero[:, n:], y_tight_zero[:, :n]], axis=1)
    degenerate = bool((x_labels.sum(1) > m).any() or (y_labels.sum(1) > n).any())
    x_nz = np.flatnonzero(xs.sum(1) > tol)
    y_nz = np.flatnonzero(ys.sum(1) > tol)
    complete = (x_labels[x_nz][:, None, :] | y_labels[y_nz][None, :, :]).all(axis=2)
    pairs = [(int(x_nz[a]), int(y_nz[b])) for a, b in zip(*np.nonzero(complete))]
    return VertexPairs(list(xs), list(ys), pairs, degenerate)


def _candidate_bases(M: np.ndarray, own: np.ndarray, other: np.ndarray):
    """Bases worth solving exactly: nearly feasible in floating point, or too ill-conditioned
    for floating point to judge. Away from singularity (Hadamard ratio above 1e-7) the float
    error stays far under the 1e-6 slack, so no exactly feasible basis is filtered out."""
    size = own.shape[1]
    sub = M[own[:, None, :, None], other[None, :, None, :]]
    systems = np.swapaxes(sub, -1, -2).reshape(-1, size, size)
    pairs = np.stack(np.meshgrid(np.arange(len(own)), np.arange(len(other)), indexing="ij"), -1)
    pairs = pairs.reshape(-1, 2)
    ratio = _hadamard_ratio(systems)
    doubtful = ratio <= 1e-7
    regular = ratio > 1e-14
    keep = doubtful.copy()
    if regular.any():
        solutions = np.linalg.solve(systems[regular], np.ones((int(regular.sum()), size, 1)))[..., 0]
        full = np.zeros((len(solutions), M.shape[0]))
        np.put_along_axis(full, np.repeat(own, len(other), axis=0)[regular], solutions, axis=1)
        near = (solutions >= -1e-6).all(axis=1) & (full @ M <= 1.0 + 1e-6).all(axis=1)
        keep[np.flatnonzero(regular)[near]] = True
    for a, b in pairs[keep]:
        yield tuple(own[a]), tuple(other[b])


def _vertices_exact(M: list[list[Fraction]]) -> tuple[list[tuple[Fraction, ...]], list[frozenset]]:
    k, l = len(M), len(M[0])
    M_float = np.array([[float(v) for v in row] for row in M])
    # Scale to integers: the polytope scales by 1/scale, labels do not change, and integer
    # (Bareiss) elimination is much faster than Fraction arithmetic.
    scale = lcm(*(v.denominator for row in M for v in row))
    Mi = [[int(v * scale) for v in row] for row in M]
    seen: dict[tuple[int, ...], int] = {}  # numerators (gcd-reduced) -> denominator
    for size in range(1, min(k, l) + 1):
        own_all = np.array(list(combinations(range(k), size)))
        other_all = np.array(list(combinations(range(l), size)))
        chunk = max(1, 1_000_000 // (len(other_all) * size * size))
        for start in range(0, len(own_all), chunk):
            for own, other in _candidate_bases(M_float, own_all[start : start + chunk], other_all):
                solved = solve_integer([[Mi[i][j] for i in own] for j in other], [1] * size)
                if solved is None:
                    continue
                numerators, den = solved
                if any(v < 0 for v in numerators):
                    continue
                x = [0] * k
                for i, v in zip(own, numerators):
                    x[i] = v
                if all(sum(x[i] * Mi[i][j] for i in own) <= den for j in range(l)):
                    g = gcd(den, *x)
                    seen.setdefault(tuple(v // g for v in x), den // g)
    vertices = [tuple(Fraction(0) for _ in range(k))]
    labels = [frozenset(range(k))]
    for x, den in seen.items():
        vertices.append(tuple(Fraction(v * scale, den) for v in x))
        zero = {i for i in range(k) if x[i] == 0}
        tight = {k + j for j in range(l) if sum(x[i] * Mi[i][j] for i in range(k)) == den}
        labels.append(frozenset(zero | tight))
    return vertices, labels


#: Integer matrices (after scaling by the common denominator) up to this size in absolute value
#: are enumerated by exact pivoting (:mod:`negsim.solve.exact_pivoting`), which visits only the
#: vertices; others, whose integers are huge, by exact solves of the nearly feasible bases.
SMALL_INTEGERS = 10**12


def _vertices(M: list[list[Fraction]]) -> tuple[list[tuple[Fraction, ...]], list[frozenset]]:
    scale = lcm(*(v.denominator for row in M for v in row))
    if max(abs(v) for row in M for v in row) * scale <= SMALL_INTEGERS:
        return vertices_exact(M)
    return _vertices_exact(M)


def complete_pairs(x_labels: Sequence[int], y_labels: Sequence[int], full: int) -> list[tuple[int, int]]:
    """Pairs ``(a, b)`` whose label masks together cover ``full``: for each vertex of P, the
    vertices of Q whose labels contain the complement of its own (one array operation each)."""
    if not x_labels or not y_labels:
        return []
    y_array = np.array(y_labels, dtype=object if full.bit_length() > 62 else np.int64)
    pairs = []
    for a, mask in enumerate(x_labels):
        need = full ^ mask
        found = [int(b) for b in np.flatnonzero((y_array & need) == need)]
        pairs += [(a, b) for b in found]
    return pairs


def enumerate_exact(A: np.ndarray, B: np.ndarray) -> VertexPairs:
    """Extreme equilibria in rational arithmetic; ``A`` and ``B`` are arrays of Fractions."""
    m, n = A.shape

    def positive(M: np.ndarray) -> list[list[Fraction]]:
        low = min(M.flat)
        return [[Fraction(v) - low + 1 for v in row] for row in M]

    xs, x_labels = _vertices(positive(B))
    ys, y_raw = _vertices(positive(A.T))
    # y_raw: zeros of y are 0..n-1, tight rows are n..n+m-1 -> global: rows 0..m-1, cols m..
    y_labels = [frozenset((v - n) if v >= n else (m + v) for v in lab) for lab in y_raw]
    degenerate = any(len(lab) > m for lab in x_labels) or any(len(lab) > n for lab in y_labels)
    x_nz = [a for a, x in enumerate(xs) if any(x)]
    y_nz = [b for b, y in enumerate(ys) if any(y)]
    x_masks = [sum(1 << v for v in x_labels[a]) for a in x_nz]
    y_masks = [sum(1 << v for v in y_labels[b]) for b in y_nz]
    pairs = [(x_nz[a], y_nz[b]) for a, b in complete_pairs(x_masks, y_masks, (1 << (m + n)) - 1)]
    return VertexPairs(xs, ys, sorted(pairs), degenerate)
