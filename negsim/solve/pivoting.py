"""Every vertex of a best-response polytope by lexicographic pivoting, for larger games.

For a ``k x l`` matrix ``B`` (a player's own strategies by the opponent's, holding the
opponent's payoffs) the best-response polyhedron ``{(p, v) : p >= 0, sum(p) = 1, B^T p <= v}``
is explored from a pure strategy by simplex pivots: from every basis, each of the ``k``
nonbasic variables enters in turn, and the leaving variable is chosen by the *lexicographic*
ratio test (the rows of ``[b | columns of the first basis]`` divided by the entering column,
compared lexicographically). That is exact pivoting on the polyhedron with its right-hand side
perturbed by ``(eps, eps^2, ...)`` through the first basis, which makes it simple: its vertices
are the lexicographically feasible bases, each with ``k`` edges, connected, and every vertex of
the polyhedron is the point of at least one of them. A breadth-first search over them (a hash
set of bases) therefore finds every vertex, however degenerate the game, visiting only its
(perturbed) vertices instead of all ``C(k + l, k)`` bases. Its dictionaries hold differences
of payoffs, so adding a constant to the payoffs changes nothing, and one extreme payoff spoils
only the numbers it takes part in.

Every decision is certified
---------------------------
Each dictionary entry carries a bound on its error, propagated through every pivot (first
order, with the rounding of each operation), starting from the payoffs' own uncertainty (how
far the exact method may read them from their floats). A sign is decided when the value exceeds
its bound. A value within its bound is decided to be 0 only for integer matrices: then every
entry of a basis's dictionary is an integer divided by the basis determinant ``D``, so a bound
below ``1 / (2 |D|)`` settles it; ratio comparisons reduce to entries of the next dictionary,
with the same granularity. Anything else makes the point *doubtful* and its caller hands it to the exact
method. The search also stops (doubtful) beyond :data:`MAX_BASES` bases.

The kernel (:mod:`negsim.solve.pivot_kernel`) is compiled with numba, an optional dependency
(``pip install 'negsim[fast]'``); :func:`available` says whether it is installed.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import numpy as np

from negsim.solve.minors import Vertices
from negsim.solve.reading import ExactReading, U

__all__ = ["MAX_BASES", "REFINE_ABOVE", "available", "refine", "vertices"]

#: Lexicographic bases one search may visit before it gives up (and the point is doubtful).
MAX_BASES = 1_000_000


def available() -> bool:
    """Whether numba is installed (looked up without importing it)."""
    return importlib.util.find_spec("numba") is not None


@lru_cache(maxsize=1)
def _kernel():
    """The kernel module, compiled by numba on first use (and cached on disk between runs)."""
    from negsim.solve import pivot_kernel

    return pivot_kernel


# -- the polyhedron of each point ----------------------------------------------------------------


def _inputs(reading: ExactReading) -> tuple[np.ndarray, np.ndarray]:
    """Payoffs and their uncertainty (how far the exact method may read them), contiguous."""
    values = np.ascontiguousarray(reading.values)
    error = (
        np.zeros_like(values) if reading.perturbation is None else np.ascontiguousarray(reading.perturbation)
    )
    return values, error


def vertices(reading: ExactReading, *, max_bases: int = MAX_BASES) -> Vertices:
    """Every vertex of each polyhedron, as :func:`negsim.solve.minors.vertices` gives them, by
    lexicographic pivoting (numba must be installed). The dictionaries hold differences of
    payoffs, so no shift is needed; the entries' uncertainty is the exact method's reading.
    ``basis`` holds ``(-2, mask of basic variables)`` per vertex, for :func:`refine`."""
    values, error = _inputs(reading)
    point, masks, coords, errors, bases, doubtful = _kernel().search_all(
        values, error, np.ascontiguousarray(reading.integral), max_bases
    )
    k, l = values.shape[1:]
    # Several bases of a degenerate vertex: one entry per vertex (labels are exact).
    key = point * (np.int64(1) << np.int64(k + l)) + masks
    _, first = np.unique(key, return_index=True)
    point, masks, coords, errors, bases = (a[first] for a in (point, masks, coords, errors, bases))
    labels = np.zeros(len(masks), dtype=np.int64)
    for b in range(k + l):
        labels += (masks >> b) & 1
    return Vertices(
        point=point,
        mask=masks,
        coords=coords,
        error=errors.max(axis=1, initial=0.0) + 4 * U,
        extra=labels > k,
        basis=np.stack([np.full(len(point), -2), bases], axis=1),
        doubtful=doubtful,
    )


#: Probabilities with a larger error bound are recomputed by :func:`refine`.
REFINE_ABOVE = 1e-11


def refine(reading: ExactReading, found: Vertices, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The probabilities and error bounds of vertices ``rows`` of ``found``, those whose bound
    propagated through the search exceeds :data:`REFINE_ABOVE` recomputed from the payoffs."""
    coords = found.coords[rows].copy()
    error = found.error[rows].copy()
    loose = np.flatnonzero(error > REFINE_ABOVE)
    if len(loose):
        values, noise = _inputs(reading)
        again, bounds = _kernel().coordinates(
            values, noise, found.point[rows[loose]], found.basis[rows[loose], 1]
        )
        bound = bounds.max(axis=1) + 4 * U
        # Probabilities certified to be 0 (labels) stay exactly 0.
        k = coords.shape[1]
        unused = (found.mask[rows[loose], None] >> np.arange(k)) & 1
        again = np.where(unused == 1, 0.0, again)
        better = bound < error[loose]
        coords[loose[better]] = again[better]
        error[loose[better]] = bound[better]
    return coords, error
