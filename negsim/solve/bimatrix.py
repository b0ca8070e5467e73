"""Every extreme equilibrium of many two-player games, reported as :func:`negsim.solve.solve`
reports them point by point.

The vertices of both players' best-response polyhedra come from :mod:`negsim.solve.minors`
(every decision certified, or the point marked doubtful). The extreme equilibria are the
completely labelled vertex pairs: at points where no vertex has extra labels, a vertex of one
polyhedron pairs with the vertex of the other whose labels are the complement of its own (one
sorted lookup); at degenerate points every pair is checked.

:func:`solve_chunk` then does what the per-point method does to its candidates -- verify, clean,
order -- and marks as doubtful every point where its answer could differ from the per-point
method's: a candidate that fails verification, probabilities less accurate than 1e-10, an
infeasible pure equilibrium, two candidates equal to 7 decimals, an order that rests on
rounding, no equilibrium at all, payoffs a hair apart. The caller hands doubtful points to
the per-point method.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np

from negsim.solve import minors, pivoting
from negsim.solve.reading import ExactReading, U, exact_reading, simple_fractions
from negsim.solve.vertex import VertexPairs

__all__ = [
    "ENGINES",
    "ChunkEquilibria",
    "certified_vertex_pairs",
    "near_ties",
    "solve_chunk",
    "verification_limit",
]

#: Probabilities this close to a simple fraction are that fraction, up to rounding noise.
FRACTION_NOISE = 1e-13
#: Probabilities whose certified error exceeds this make their point doubtful. The error bound
#: includes how far the exact method's reading of the payoffs (fractions up to 1e-12 away) can
#: move the equilibrium.
COORDINATE_TOLERANCE = 1e-8


@dataclass(frozen=True, eq=False)
class ChunkEquilibria:
    """The equilibria of a chunk of points, in the per-point method's order within each point,
    with each point's degenerate flag and whether it must be solved again point by point."""

    point: np.ndarray
    x: np.ndarray
    y: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    degenerate: np.ndarray
    doubtful: np.ndarray


#: Which engine finds the vertices: ``minors`` (determinants, numpy) or ``pivoting``
#: (lexicographic pivoting, compiled with numba).
ENGINES = ("minors", "pivoting")


def solve_chunk(
    S: np.ndarray, infeasible: np.ndarray | None, tol: float, engine: str = "minors"
) -> ChunkEquilibria:
    """Equilibria of the games ``S`` (``(N, 2, m, n)``, solver payoffs: infeasible profiles
    already each player's worst outcome), with the vertices found by ``engine``. Points the
    pivoting engine cannot settle are tried with the determinant engine when the game is small
    enough for it (its bounds are sharper for payoffs of very different sizes)."""
    N, _, m, n = S.shape
    # The row player's polyhedron holds the column player's payoffs B (m x n); the column
    # player's holds A^T (n x m).
    readings = (exact_reading(S[:, 1]), exact_reading(S[:, 0].transpose(0, 2, 1)))
    if engine == "pivoting":
        P, Q = (pivoting.vertices(r) for r in readings)
    else:
        P, Q = (minors.vertices(r) for r in readings)
    a, q, degenerate = _join(P, Q, N, m, n)
    if engine == "pivoting":
        x, x_error = pivoting.refine(readings[0], P, a)
        y, y_error = pivoting.refine(readings[1], Q, q)
    else:
        x, x_error, y, y_error = P.coords[a], P.error[a], Q.coords[q], Q.error[q]
    point = P.point[a]
    error = np.maximum(x_error, y_error)
    vertex = np.stack([a, q], axis=1)
    doubtful = P.doubtful | Q.doubtful | near_ties(readings)
    point, x, y, payoffs, regret = _finish(S, point, x, y, error, vertex, tol, infeasible, doubtful)
    return ChunkEquilibria(point, x, y, payoffs, regret, degenerate, doubtful)


def certified_vertex_pairs(A: np.ndarray, B: np.ndarray) -> VertexPairs | None:
    """Every extreme equilibrium of one game ``(A, B)`` as completely labelled vertex pairs,
    found by the pivoting engine with every decision certified; ``None`` when it cannot settle
    them (the caller then enumerates in rational arithmetic)."""
    S = np.stack([np.asarray(A, dtype=float), np.asarray(B, dtype=float)])[None]
    m, n = S.shape[2:]
    readings = (exact_reading(S[:, 1]), exact_reading(S[:, 0].transpose(0, 2, 1)))
    if near_ties(readings)[0]:
        return None
    P, Q = (pivoting.vertices(r) for r in readings)
    if P.doubtful[0] or Q.doubtful[0]:
        return None
    a, q, degenerate = _join(P, Q, 1, m, n)
    xs, ys = P.coords.copy(), Q.coords.copy()
    for found, rows, reading, out in ((P, a, readings[0], xs), (Q, q, readings[1], ys)):
        rows = np.unique(rows)
        coords, error = pivoting.refine(reading, found, rows)
        if (error > COORDINATE_TOLERANCE).any():
            return None
        out[rows] = coords
    return VertexPairs(list(xs), list(ys), [(int(i), int(j)) for i, j in zip(a, q)], bool(degenerate[0]))


def near_ties(readings: tuple[ExactReading, ...]) -> np.ndarray:
    """Points where a player has two payoffs that the exact method reads as different numbers
    at most 1e-9 of their size apart: a knife-edge of the data itself (payoffs within 1e-12 of
    a simple fraction are read as that fraction), whose equilibria can move by a millionfold
    of the difference. Such points are solved by the exact method, which settles them as it
    reads them. Matrices read as integers have no such knife-edge (rounding noise such as
    0.1 * 3 against 0.3 is read away)."""
    flags = np.zeros(len(readings[0].integral), dtype=bool)
    for reading in readings:
        rows = np.flatnonzero(~reading.integral)
        if not len(rows):
            continue
        values = np.sort(reading.values[rows].reshape(len(rows), -1), axis=1)
        gaps = np.diff(values, axis=1)
        size = np.maximum(1.0, np.maximum(np.abs(values[:, 1:]), np.abs(values[:, :-1])))
        flags[rows] |= ((gaps > 0) & (gaps <= 1e-9 * size)).any(axis=1)
    return flags


def _bits(masks: np.ndarray, width: int) -> np.ndarray:
    """Number of labels of each mask."""
    count = np.zeros(len(masks), dtype=np.int64)
    for b in range(width):
        count += (masks >> b) & 1
    return count


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each wanted key, whether ``keys`` (sorted) holds it, and where."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return keys[at] == wanted, at


def _all_pairs(
    first: np.ndarray, first_point: np.ndarray, second: np.ndarray, second_point: np.ndarray, N: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every (first, second) pair at the same point (``second`` sorted by point)."""
    count = np.bincount(second_point, minlength=N)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    repeat = count[first_point]
    a = np.repeat(first, repeat)
    offsets = np.arange(len(a)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return a, second[start[np.repeat(first_point, repeat)] + offsets]


def _join(P: minors.Vertices, Q: minors.Vertices, N: int, m: int, n: int):
    """Completely labelled vertex pairs: (rows of P, rows of Q, degenerate points).

    A vertex of P with exactly ``m`` labels pairs only with vertices of Q whose labels contain
    the ``n`` others: with the vertex of Q that has exactly those (one sorted lookup), or with a
    degenerate vertex of Q (more than ``n`` labels) of which they are a subset (each such
    subset is looked up, for up to 3 extra labels). Degenerate vertices of P, and of Q with more
    extra labels, are few: they are checked against every vertex at their point.
    """
    pp, qp = P.point, Q.point
    width = m + n
    degenerate = np.zeros(N, dtype=bool)
    degenerate[pp[P.extra]] = True
    degenerate[qp[Q.extra]] = True
    # Q's labels in the global order: rows (tight) 0..m-1, columns (zero) m..m+n-1.
    pmask = P.mask
    qmask = ((Q.mask & ((1 << n) - 1)) << m) | (Q.mask >> n)
    full = (1 << width) - 1
    shift = np.int64(1) << width
    plain_p = np.flatnonzero(~P.extra)
    plain_q = np.flatnonzero(~Q.extra)
    # Plain with plain: complementary label sets.
    keys_q = qp[plain_q] * shift + qmask[plain_q]
    order = np.argsort(keys_q)
    keys_q, plain_q = keys_q[order], plain_q[order]
    hit, at = _lookup(keys_q, pp[plain_p] * shift + (full ^ pmask[plain_p]))
    found_a, found_q = [plain_p[hit]], [plain_q[at[hit]]]
    # Plain vertices of P with degenerate vertices of Q: drop the extra labels of Q's vertex
    # every way, and look up the plain vertex of P with the complement.
    keys_p = pp[plain_p] * shift + pmask[plain_p]
    order = np.argsort(keys_p)
    keys_p, sorted_p = keys_p[order], plain_p[order]
    deg_q = np.flatnonzero(Q.extra)
    extra_q = _bits(qmask[deg_q], width) - n
    brute_q = []
    for d in np.unique(extra_q):
        rows = deg_q[extra_q == d]
        if d > 3:
            brute_q.append(rows)
            continue
        bits = (qmask[rows][:, None] >> np.arange(width)) & 1
        positions = np.nonzero(bits)[1].reshape(len(rows), n + d)  # (r, n + d)
        drops = np.array(list(combinations(range(n + d), d)))  # (c, d)
        removed = np.zeros((len(rows), len(drops)), dtype=np.int64)
        for j in range(d):
            removed |= np.int64(1) << positions[:, drops[:, j]]
        kept = qmask[rows][:, None] & ~removed
        wanted = qp[rows][:, None] * shift + (full ^ kept)
        hit, at = _lookup(keys_p, wanted.ravel())
        found_a.append(sorted_p[at[hit]])
        found_q.append(np.repeat(rows, len(drops))[hit])
    # Degenerate vertices of P with every vertex of Q; many-label ones of Q with plain P.
    by_point = np.argsort(qp, kind="stable")
    deg_p = np.flatnonzero(P.extra)
    a, q = _all_pairs(deg_p, pp[deg_p], by_point, qp[by_point], N)
    complete = (pmask[a] | qmask[q]) == full
    found_a.append(a[complete])
    found_q.append(q[complete])
    if brute_q:
        rows = np.concatenate(brute_q)
        by_point_p = plain_p[np.argsort(pp[plain_p], kind="stable")]
        q, a = _all_pairs(rows, qp[rows], by_point_p, pp[by_point_p], N)
        complete = (pmask[a] | qmask[q]) == full
        found_a.append(a[complete])
        found_q.append(q[complete])
    a = np.concatenate(found_a).astype(np.int64)
    q = np.concatenate(found_q).astype(np.int64)
    order = np.lexsort((q, a))
    return a[order], q[order], degenerate


# -- verification, cleaning and order, as negsim.solve does per point ------------------------


def _snap(strategies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of probabilities that are simple fractions up to rounding noise, replaced by those
    fractions' floats: every entry within rounding noise of a fraction with denominator at most
    10,000, and the fractions sum to exactly 1. Returns (rows, replaced)."""
    rows, width = strategies.shape
    numerator, denominator, found = simple_fractions(strategies.ravel(), 10_000, FRACTION_NOISE)
    numerator = numerator.reshape(rows, width).astype(np.int64)
    denominator = denominator.reshape(rows, width).astype(np.int64)
    candidate = found.reshape(rows, width).all(axis=1)
    # The fractions must sum to exactly one: a common denominator in int64 while it stays small.
    common = np.ones(rows, dtype=np.int64)
    for c in range(width):
        common = common // np.gcd(common, denominator[:, c]) * denominator[:, c]
        common = np.where(common > 10**14, 0, common)  # too large: checked with Fraction below
    total = np.zeros(rows, dtype=np.int64)
    safe = np.where(common > 0, common, 1)
    for c in range(width):
        total += numerator[:, c] * (safe // denominator[:, c])
    exact = candidate & (common > 0) & (total == common)
    for r in np.flatnonzero(candidate & (common == 0)):
        exact[r] = sum(Fraction(int(a), int(b)) for a, b in zip(numerator[r], denominator[r])) == 1
    snapped = strategies.copy()
    snapped[exact] = numerator[exact] / denominator[exact]
    return snapped, exact


def _clean(mixes: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """Rows computed with rounding, normalised to sum 1. Their zeros are exact already (every
    sign is certified), so nothing small is dropped; exact rows (the floats of exact
    fractions) are kept as they are."""
    out = mixes.copy()
    out[~exact] /= out[~exact].sum(axis=1, keepdims=True)
    return out


def _regret(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray):
    """Expected payoffs and regret of profiles ``(x, y)`` in games ``(A, B)``, all at once."""
    Ay = np.einsum("emn,en->em", A, y)
    By = np.einsum("emn,en->em", B, y)
    xB = np.einsum("em,emn->en", x, B)
    row = np.einsum("em,em->e", Ay, x)
    col = np.einsum("em,em->e", By, x)
    gain = np.maximum(Ay.max(axis=1) - row, xB.max(axis=1) - np.einsum("en,en->e", xB, y))
    return np.stack([row, col], axis=1), np.maximum(gain, 0.0)


def verification_limit(S: np.ndarray, tol: float) -> np.ndarray:
    """The largest regret accepted at each point of ``S`` (``(N, 2, m, n)``).

    ``tol`` times the *smallest non-zero difference* between two payoffs of a player (capped
    by the payoff scale), so that a payoff difference of 1 among payoffs of 10^6 counts as 1,
    plus the rounding of the regret computation itself. A profile 0.67 away from every
    equilibrium of a game whose payoffs differ by whole numbers has a regret far above this.
    """
    N = S.shape[0]
    flat = S.reshape(N, 2, -1)
    scale = np.maximum(1.0, np.abs(flat).max(axis=(1, 2)))
    values = np.sort(flat, axis=2)
    gaps = np.diff(values, axis=2)
    smallest = np.where(gaps > 0, gaps, np.inf).min(axis=(1, 2), initial=np.inf)
    cells = S.shape[2] + S.shape[3]
    return tol * np.minimum(scale, smallest) + 32 * cells * U * scale


def _finish(S, point, x, y, error, vertex, tol, infeasible, doubtful):
    """Verify, clean and order the equilibria of a chunk as the per-point method reports them.

    That method computes in exact arithmetic and reports each probability as the float of a
    fraction; probabilities within rounding noise of a fraction with denominator up to 10,000 are
    replaced by that fraction's float here. ``vertex`` holds, per candidate, the ids of its two
    vertices.
    """
    m = x.shape[1]
    exact = error == 0
    x, snap_x = _snap(_clean(x, exact))
    y, snap_y = _snap(_clean(y, exact))
    payoffs, regret = _regret(S[point, 0], S[point, 1], x, y)
    spread = np.ptp(S.reshape(len(S), -1), axis=1)
    limit = verification_limit(S, tol)[point] + 4 * spread[point] * error
    doubtful[point[regret > limit]] = True
    doubtful[point[error > COORDINATE_TOLERANCE]] = True
    size = (x > 0).sum(axis=1) + (y > 0).sum(axis=1)
    if infeasible is not None:
        rows = np.flatnonzero(size == 2)
        bad = infeasible[x[rows].argmax(axis=1), y[rows].argmax(axis=1)]
        doubtful[point[rows[bad]]] = True
    order, pairs, positions = _sorted(point, size, x, y, error)
    if len(pairs):
        # Two equilibria whose order follows a tie (within 1e-9) at a probability other than
        # 0 or 1. The tie is exact -- and broken by later probabilities per point too -- when
        # both values are the same vertex's, or both are exact (then equal ones).
        known_x = snap_x | exact
        known_y = snap_y | exact
        known = np.concatenate(
            [np.repeat(known_x[:, None], m, axis=1), np.repeat(known_y[:, None], y.shape[1], axis=1)], axis=1
        )
        ids = np.concatenate(
            [np.repeat(vertex[:, :1], m, axis=1), np.repeat(vertex[:, 1:], y.shape[1], axis=1)], axis=1
        )
        first, second = pairs[:, 0], pairs[:, 1]
        values = np.concatenate([x, y], axis=1)
        same = (ids[first] == ids[second]) | (
            known[first] & known[second] & (values[first] == values[second])
        )
        unsafe = (positions & ~same).any(axis=1)
        doubtful[point[first[unsafe]]] = True
    if len(point) > 1:
        # Equal to 7 decimals: a sign that two vertices might be one.
        rounded = np.round(np.concatenate([x, y], axis=1), 7) + 0.0
        by_value = np.lexsort((*rounded.T[::-1], point))
        rounded, at = rounded[by_value], point[by_value]
        duplicate = (at[1:] == at[:-1]) & (rounded[1:] == rounded[:-1]).all(axis=1)
        doubtful[at[1:][duplicate]] = True
    point, x, y, payoffs, regret = (a[order] for a in (point, x, y, payoffs, regret))
    doubtful[np.bincount(point, minlength=len(doubtful)) == 0] = True
    return point, x, y, payoffs, regret


def _sorted(point, size, x, y, error):
    """The order of :func:`negsim.solve.result.sort_equilibria` within each point (pure first,
    then by support size, then by probabilities, descending), and the adjacent pairs whose
    order follows a tie (within 1e-9, or within the probabilities' error bounds) at a
    probability other than 0 or 1: the pairs (as rows of the unsorted arrays) and the tied
    positions with such a probability."""
    keys = np.concatenate([-x, -y], axis=1)
    order = np.lexsort((*keys.T[::-1], size, point))
    keys = keys[order]
    same = (point[order][1:] == point[order][:-1]) & (size[order][1:] == size[order][:-1])
    close = np.maximum(1e-9, 2 * (error[order][1:] + error[order][:-1]))
    tied = np.logical_and.accumulate(np.abs(keys[1:] - keys[:-1]) < close[:, None], axis=1)
    inner = (keys != 0.0) & (keys != -1.0)
    positions = tied & (inner[1:] | inner[:-1]) & same[:, None]
    hit = positions.any(axis=1)
    pairs = np.stack([order[:-1][hit], order[1:][hit]], axis=1)
    return order, pairs, positions[hit]
