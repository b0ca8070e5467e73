"""Equilibria of many games at once: one game per parameter point of a sweep.

:func:`solve_points` takes payoffs of shape ``(points, n, m_0, ..., m_{n-1})`` and returns every
equilibrium of every point as flat arrays (:class:`PointEquilibria`), ready to become the rows of
a sweep's table. Its answer is the answer of :func:`negsim.solve.solve` at every point (the same
equilibria in the same order, the same ``degenerate`` flags); :func:`solve_points_reference` is
that plain loop, kept as the oracle.

How two-player games are solved across points
---------------------------------------------
Vertex enumeration, vectorised over points. With each payoff matrix moved into [1, 2] (as
:mod:`negsim.solve.vertex` does), the row player's best-response polytope is
``P = {x >= 0 : B^T x <= 1}``. A basis of ``P`` is a support ``I`` and a set ``T`` of tight
columns with ``|I| = |T| = s``; its point solves ``B[I, T]^T x_I = 1``. By Cramer's rule every
coordinate ``x_i`` and every slack ``1 - x^T B_j`` of that point is a ratio

    (a determinant of B bordered by a row of ones) / det B[I, T]

so the determinants of all square submatrices of ``B`` (computed once per point by Laplace
expansion, smallest first, each one array operation over all points) give every basis of every
point without a linear solve. The column player's polytope uses ``A^T`` the same way. A basis
is a vertex when all its values lie in [0, 1]; its labels are the values that are exactly 0;
duplicates of a degenerate vertex are merged by their label sets; completely labelled pairs of
vertices are the extreme equilibria, whose coordinates are then solved again from their bases
by LU factorisation for accuracy.

The per-point method (:func:`negsim.solve.solve`) enumerates in exact rational arithmetic at
these sizes, so a value is a label exactly when it is 0. Here a numerator that is 0 in exact
arithmetic comes out below 3e-15 in floating point (entries in [1, 2]); one at most
:data:`_ZERO` is taken as 0, one above :data:`_CLEAR` as nonzero, and a point with any value in
between -- or with an ill-conditioned basis that might be feasible, an equilibrium that fails
verification, two equilibria equal to 7 decimals, or an order that rests on rounding -- is
handed to the per-point method. Probabilities within rounding noise (1e-13) of a fraction with
denominator up to 10,000 are reported as that fraction's float, as the exact method reports
them. Every equilibrium is verified: its regret is computed for all points at once.

Pure equilibria (any number of players) are array comparisons over all profiles and points;
:func:`pure_equilibria_chunked` asks for payoffs chunk by chunk so that memory stays bounded
however many points there are.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np

from negsim.game import Game
from negsim.solve.equilibria import MAX_EXACT_BASES, MAX_FLOAT_BASES, solve
from negsim.solve.vertex import count_bases

__all__ = [
    "PointEquilibria",
    "PureEquilibria",
    "iter_chunks",
    "pure_equilibria_chunked",
    "solve_points",
    "solve_points_reference",
    "solver_payoffs",
]

#: Two-player games up to this many bases (2 * C(m+n, m)) are solved vectorised; 8x8 has 25,740.
MAX_BATCH_BASES = 30_000
#: Working memory per chunk of points (bytes), roughly: the largest array of basis values.
CHUNK_BYTES = 24_000_000
#: Points per chunk of the pure-equilibrium search for a 3-player 5x5x5 game (scaled by size).
PURE_CHUNK_CELLS = 4_000_000


@dataclass(frozen=True, eq=False)
class PointEquilibria:
    """All equilibria of all points, one entry per (point, equilibrium).

    ``point[e]`` is the point of equilibrium ``e``; ``strategies[i][e]`` is player ``i``'s mixed
    strategy in it; ``payoffs[e]`` each player's expected payoff; ``regret[e]`` its verified
    regret. ``degenerate[p]`` flags the points whose game is degenerate; ``complete`` says
    whether every (extreme) equilibrium was searched for. Equilibria of one point are listed
    together, in the order of :func:`negsim.solve.result.sort_equilibria`. ``per_point[p]``, when
    given, marks the points that were solved one by one (:func:`negsim.solve.solve`) rather
    than with array operations across points.
    """

    n_points: int
    point: np.ndarray                   # (E,) int
    strategies: tuple[np.ndarray, ...]  # per player (E, m_i)
    payoffs: np.ndarray                 # (E, n)
    regret: np.ndarray                  # (E,)
    degenerate: np.ndarray              # (P,) bool
    complete: bool
    per_point: np.ndarray | None = None  # (P,) bool

    @property
    def pure(self) -> np.ndarray:
        """(E,) booleans: every player plays one strategy with probability one."""
        return np.all([s.max(axis=1) >= 1.0 - 1e-12 for s in self.strategies], axis=0)

    def count(self) -> np.ndarray:
        """Number of equilibria at each point."""
        return np.bincount(self.point, minlength=self.n_points)

    def at(self, p: int) -> list[tuple[np.ndarray, ...]]:
        """The equilibria of point ``p``, each as one mixed strategy per player."""
        rows = np.flatnonzero(self.point == p)
        return [tuple(s[e] for s in self.strategies) for e in rows]


def _pack(n_points: int, shape: Sequence[int], per_point: list[list], degenerate: np.ndarray,
          complete: bool) -> PointEquilibria:
    point, strategies, payoffs, regret = [], [[] for _ in shape], [], []
    for p, equilibria in enumerate(per_point):
        for e in equilibria:
            point.append(p)
            for i, s in enumerate(e.strategies):
                strategies[i].append(s)
            payoffs.append(e.payoffs)
            regret.append(e.regret)
    n = len(shape)
    return PointEquilibria(
        n_points=n_points,
        point=np.array(point, dtype=np.int64),
        strategies=tuple(np.array(s, dtype=float).reshape(-1, m) for s, m in zip(strategies, shape)),
        payoffs=np.array(payoffs, dtype=float).reshape(-1, n),
        regret=np.array(regret, dtype=float),
        degenerate=degenerate,
        complete=complete,
        per_point=np.ones(n_points, dtype=bool),
    )


def solve_points_reference(payoffs: np.ndarray, *, infeasible: np.ndarray | None = None,
                           method: str = "auto", tol: float = 1e-9) -> PointEquilibria:
    """The plain loop: :func:`negsim.solve.solve` at every point. The oracle for faster code."""
    payoffs = np.asarray(payoffs, dtype=float)
    n_points, n = payoffs.shape[0], payoffs.shape[1]
    shape = payoffs.shape[2:]
    players = tuple(f"p{i}" for i in range(n))
    strategies = tuple(tuple(str(k) for k in range(m)) for m in shape)
    per_point, degenerate, complete = [], np.zeros(n_points, dtype=bool), True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in range(n_points):
            game = Game(players, strategies, payoffs[p], infeasible=infeasible)
            solution = solve(game, method, tol=tol)
            per_point.append(list(solution.equilibria))
            degenerate[p] = solution.degenerate
            complete &= solution.complete
    return _pack(n_points, shape, per_point, degenerate, complete)


def solve_points(payoffs: np.ndarray, *, infeasible: np.ndarray | None = None,
                 method: str = "auto", tol: float = 1e-9) -> PointEquilibria:
    """Every equilibrium at every point.

    ``method="pure"`` finds the pure equilibria of any number of players with array operations
    over all points at once (in chunks; see :func:`pure_equilibria_chunked`). ``"auto"`` and
    ``"enumerate"`` on two-player games (up to :data:`MAX_BATCH_BASES` bases, e.g. 8x8)
    enumerate every extreme equilibrium with array operations across points, handing only
    numerically doubtful points to the per-point method (``per_point`` marks them). Other
    methods, one-player games and mixed equilibria of three or more players are solved point
    by point. The result equals :func:`solve_points_reference`: the same equilibria in the
    same order with the same ``degenerate`` flags.
    """
    payoffs = np.asarray(payoffs, dtype=float)
    mask = _check(payoffs, infeasible)
    shape = payoffs.shape[2:]
    if len(shape) == 1:
        return solve_points_reference(payoffs, infeasible=mask, method=method, tol=tol)
    if method == "pure":
        # Checked above for all points at once.
        result = _pure_search(lambda part: payoffs[part], payoffs.shape[0], shape, mask, tol,
                              None, check=False)
        return result.to_point_equilibria()
    if len(shape) == 2 and method in ("auto", "enumerate") and _batchable(shape, method):
        return _two_player_points(payoffs, mask, method, tol)
    return solve_points_reference(payoffs, infeasible=mask, method=method, tol=tol)


def _check(payoffs: np.ndarray, infeasible: np.ndarray | None) -> np.ndarray | None:
    """The checks :class:`Game` makes, once for all points; returns the infeasible mask."""
    if payoffs.ndim < 3 or payoffs.shape[1] != payoffs.ndim - 2:
        raise ValueError(f"payoffs have shape {payoffs.shape}, expected (points, n, m_0, ..., m_(n-1))")
    if not np.all(np.isfinite(payoffs)):
        raise ValueError("payoffs must be finite numbers")
    if infeasible is None:
        return None
    mask = np.asarray(infeasible, dtype=bool)
    if mask.shape != payoffs.shape[2:]:
        raise ValueError(f"infeasible mask has shape {mask.shape}, expected {payoffs.shape[2:]}")
    if mask.all():
        raise ValueError("every profile is infeasible")
    return mask if mask.any() else None


def _batchable(shape: tuple[int, ...], method: str) -> bool:
    bases = count_bases(shape[0], shape[1])
    if method == "auto" and bases > MAX_FLOAT_BASES:
        return False   # "auto" means Lemke-Howson here, solved point by point
    # The batch reproduces the per-point method where that method is exact.
    return bases <= min(MAX_BATCH_BASES, MAX_EXACT_BASES)


def iter_chunks(n_points: int, chunk: int) -> Iterator[slice]:
    """Consecutive slices of at most ``chunk`` points covering ``range(n_points)``."""
    chunk = max(1, int(chunk))
    for start in range(0, n_points, chunk):
        yield slice(start, min(start + chunk, n_points))


def solver_payoffs(payoffs: np.ndarray, infeasible: np.ndarray | None) -> np.ndarray:
    """:attr:`Game.solver_payoffs` at every point: an infeasible profile is each player's worst
    outcome, one payoff range below the worst feasible payoff."""
    if infeasible is None or not infeasible.any():
        return payoffs
    out = np.array(payoffs, copy=True)
    feasible = ~infeasible
    for i in range(payoffs.shape[1]):
        values = out[:, i][:, feasible]
        low, high = values.min(axis=1), values.max(axis=1)
        out[:, i][:, infeasible] = (low - np.maximum(high - low, 1.0))[:, None]
    return out


def _payoff_scale(payoffs: np.ndarray) -> np.ndarray:
    """``payoff_scale`` of each point: max(1, largest absolute payoff)."""
    flat = payoffs.reshape(payoffs.shape[0], -1)
    return np.maximum(1.0, np.maximum(flat.max(axis=1), -flat.min(axis=1)))


# -- pure equilibria, chunked ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PureEquilibria:
    """Pure equilibria of many points, compactly: one row per (point, equilibrium).

    ``profile[e]`` holds each player's strategy index; rows are ordered by point, then by
    profile (the order :func:`negsim.solve.solve` uses for pure equilibria).
    """

    n_points: int
    shape: tuple[int, ...]
    point: np.ndarray     # (E,) int64
    profile: np.ndarray   # (E, n) small integers
    payoffs: np.ndarray   # (E, n)
    regret: np.ndarray    # (E,)

    def count(self) -> np.ndarray:
        return np.bincount(self.point, minlength=self.n_points)

    def to_point_equilibria(self) -> PointEquilibria:
        strategies = tuple(
            np.eye(m)[self.profile[:, i]] for i, m in enumerate(self.shape)
        )
        return PointEquilibria(
            n_points=self.n_points,
            point=self.point,
            strategies=strategies,
            payoffs=self.payoffs,
            regret=self.regret,
            degenerate=np.zeros(self.n_points, dtype=bool),
            complete=False,
            per_point=np.zeros(self.n_points, dtype=bool),
        )


def pure_equilibria_chunked(
    make_payoffs: Callable[[slice], np.ndarray],
    n_points: int,
    *,
    shape: Sequence[int] | None = None,
    infeasible: np.ndarray | None = None,
    tol: float = 1e-9,
    chunk: int | None = None,
) -> PureEquilibria:
    """Pure equilibria of ``n_points`` games whose payoffs are produced a chunk at a time.

    ``make_payoffs(part)`` returns the payoffs of the points in the slice ``part``, shape
    ``(len, n, m_0, ..., m_{n-1})`` -- e.g.
    ``lambda part: game.evaluate({name: values[part] for name, values in grid.items()})``.
    Only one chunk of payoffs exists at a time, so memory is bounded by ``chunk`` plus the
    result. ``chunk`` defaults to about 4 million payoff cells (32 MB) given ``shape``
    (strategies per player), else to 32,768 points. Payoffs must be finite and every chunk
    must have the same shape (``ValueError`` otherwise).
    """
    return _pure_search(make_payoffs, n_points, shape, infeasible, tol, chunk, check=True)


def _pure_search(make_payoffs, n_points, shape, infeasible, tol, chunk, *, check):
    points, profiles, values, regrets = [], [], [], []
    mask = None if infeasible is None else np.asarray(infeasible, dtype=bool)
    size = tuple(shape) if shape is not None else None
    for part in iter_chunks(n_points, chunk or _pure_chunk(shape)):
        payoffs = np.asarray(make_payoffs(part), dtype=float)
        if payoffs.shape[0] != part.stop - part.start:
            raise ValueError(f"make_payoffs({part}) returned {payoffs.shape[0]} points")
        size = size or tuple(payoffs.shape[2:])
        if check:
            if payoffs.shape[1:] != (len(size), *size):
                raise ValueError(f"make_payoffs({part}) returned shape {payoffs.shape}, "
                                 f"expected (points, {len(size)}, {', '.join(map(str, size))})")
            mask = _check(payoffs, mask)
        found = _pure_kernel(payoffs, mask, tol)
        points.append(found[0] + part.start)
        profiles.append(found[1])
        values.append(found[2])
        regrets.append(found[3])
    size = size or ()
    n = len(size)
    small = np.int8 if max(size, default=1) <= 127 else np.int32
    return PureEquilibria(
        n_points=n_points,
        shape=size,
        point=np.concatenate(points) if points else np.zeros(0, dtype=np.int64),
        profile=np.concatenate(profiles).astype(small, copy=False) if profiles
        else np.zeros((0, n), dtype=small),
        payoffs=np.concatenate(values) if values else np.zeros((0, n)),
        regret=np.concatenate(regrets) if regrets else np.zeros(0),
    )


def _pure_chunk(shape: Sequence[int] | None) -> int:
    if not shape:
        return 32_768
    cells = len(shape) * int(np.prod(shape))
    return max(256, PURE_CHUNK_CELLS // cells)


def _pure_kernel(payoffs: np.ndarray, infeasible: np.ndarray | None, tol: float):
    """Best responses of every player at every profile and point, in one pass per player."""
    n = payoffs.shape[1]
    payoffs = solver_payoffs(payoffs, infeasible)
    limit = (tol * _payoff_scale(payoffs)).reshape((-1, *([1] * n)))
    mask = None
    best = []
    for i in range(n):
        table = payoffs[:, i]
        top = table.max(axis=1 + i, keepdims=True)
        best.append(top)
        ok = table >= top - limit
        mask = ok if mask is None else np.logical_and(mask, ok, out=mask)
    if infeasible is not None:
        mask &= ~infeasible
    where = np.nonzero(mask)
    point = where[0].astype(np.int64)
    profile = np.stack(where[1:], axis=1) if n else np.zeros((len(point), 0), dtype=np.int64)
    values = payoffs[(point, slice(None), *where[1:])].reshape(-1, n)
    gains = np.zeros(len(point))
    for i in range(n):
        index = list(where[1:])
        index[i] = np.zeros_like(index[i])
        gains = np.maximum(gains, best[i][(point, *index)] - values[:, i])
    return point, profile, values, gains


# -- two players: index tables ---------------------------------------------------------------


@dataclass(frozen=True)
class _Size:
    """The bases of one size ``s`` of a ``k x l`` polytope, as index tables into determinants.

    Value columns: first the ``s`` coordinates ``x_I`` (in the order of ``I``), then the slacks
    of the ``l - s`` columns outside ``T``; each is ``sign * bordered[index] / minors[den]``.
    """

    s: int
    den: np.ndarray       # (b,) index of det M[I, T]
    index: np.ndarray     # (b, l) index into the bordered determinants
    sign: np.ndarray      # (b, l) +1 or -1
    bits: np.ndarray      # (b, l) the label each value stands for
    mask: np.ndarray      # (b,) labels every point of the basis has: rows outside I, tight T
    support: np.ndarray   # (b, s) I
    tight: np.ndarray     # (b, s) T
    row_sets: np.ndarray  # (C(k, s), s) the supports; basis b has support row_sets[b // C(l, s)]


@dataclass(frozen=True)
class _Layout:
    k: int
    l: int
    n_minors: int
    minors: tuple[tuple[int, np.ndarray, np.ndarray], ...]   # per size: offset, entries, sub-minors
    n_bordered: int
    bordered: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # per size: offset, terms, signs
    sizes: tuple[_Size, ...]


@lru_cache(maxsize=32)
def _layout(k: int, l: int) -> _Layout:
    """Index tables for a polytope with ``k`` own strategies and ``l`` constraint columns."""
    top = min(k, l)
    rows = [list(combinations(range(k), s)) for s in range(k + 1)]
    cols = [list(combinations(range(l), s)) for s in range(l + 1)]
    minor: dict[tuple, int] = {((), ()): 0}
    steps = []
    for s in range(1, top + 1):
        offset = len(minor)
        entries, subs = [], []
        for R in rows[s]:
            for C in cols[s]:
                minor[(R, C)] = len(minor)
                # Laplace expansion along the first row R[0].
                entries.append([R[0] * l + c for c in C])
                subs.append([minor[(R[1:], C[:q] + C[q + 1:])] for q in range(s)])
        steps.append((offset, np.array(entries), np.array(subs)))
    # Bordered determinants: rows R plus a last row of ones, columns U with |U| = |R| + 1,
    # expanded along the row of ones.
    bordered: dict[tuple, int] = {}
    border_steps = []
    for r in range(0, min(k, l - 1) + 1):
        offset = len(bordered)
        terms = []
        for R in rows[r]:
            for U in cols[r + 1]:
                bordered[(R, U)] = len(bordered)
                terms.append([minor[(R, U[:q] + U[q + 1:])] for q in range(r + 1)])
        signs = np.array([(-1.0) ** (r + q) for q in range(r + 1)])
        border_steps.append((offset, np.array(terms), signs))
    sizes = []
    for s in range(1, top + 1):
        den, index, sign, bits, mask, support, tight = [], [], [], [], [], [], []
        for I in rows[s]:
            for T in cols[s]:
                den.append(minor[(I, T)])
                idx, sg, bt = [], [], []
                for p, i in enumerate(I):     # Cramer: x_i
                    idx.append(bordered[(I[:p] + I[p + 1:], T)])
                    sg.append((-1.0) ** (s - 1 - p))
                    bt.append(i)
                for j in range(l):            # slack of column j outside T
                    if j in T:
                        continue
                    U = tuple(sorted((*T, j)))
                    idx.append(bordered[(I, U)])
                    sg.append((-1.0) ** (s - U.index(j)))
                    bt.append(k + j)
                index.append(idx)
                sign.append(sg)
                bits.append([1 << b for b in bt])
                mask.append(sum(1 << i for i in range(k) if i not in I) + sum(1 << (k + t) for t in T))
                support.append(I)
                tight.append(T)
        sizes.append(_Size(s, np.array(den), np.array(index), np.array(sign),
                           np.array(bits, dtype=np.int64), np.array(mask, dtype=np.int64),
                           np.array(support), np.array(tight), np.array(rows[s])))
    return _Layout(k, l, len(minor), tuple(steps), len(bordered), tuple(border_steps), tuple(sizes))


def _determinants(layout: _Layout, M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All square minors of ``M`` and all its bordered determinants, at every point.

    ``M`` has shape ``(k * l, N)``: the matrix entries row-major, points last, so each step is
    one array operation over all points.
    """
    N = M.shape[1]
    minors = np.empty((layout.n_minors, N))
    minors[0] = 1.0
    for s, (offset, entries, subs) in enumerate(layout.minors, start=1):
        acc = M[entries[:, 0]] * minors[subs[:, 0]]
        for q in range(1, s):
            term = M[entries[:, q]] * minors[subs[:, q]]
            if q % 2:
                acc -= term
            else:
                acc += term
        minors[offset:offset + len(entries)] = acc
    bordered = np.empty((layout.n_bordered, N))
    for offset, terms, signs in layout.bordered:
        acc = minors[terms[:, 0]] * signs[0]
        for q in range(1, terms.shape[1]):
            if signs[q] > 0:
                acc += minors[terms[:, q]]
            else:
                acc -= minors[terms[:, q]]
        bordered[offset:offset + len(terms)] = acc
    return minors, bordered


def _positive(M: np.ndarray) -> np.ndarray:
    """Each point's matrix moved into [1, 2], exactly as :mod:`negsim.solve.vertex` does."""
    low = M.min(axis=(1, 2), keepdims=True)
    high = M.max(axis=(1, 2), keepdims=True)
    spread = np.where(high > low, high - low, 1.0)
    return (M - low) / spread + 1.0


# -- two players: vertices and equilibria --------------------------------------------------


@dataclass
class _Polytope:
    """One player's best-response polytope at N points, as the determinants of its matrix."""

    layout: _Layout
    minors: np.ndarray     # (n_minors, N)
    bordered: np.ndarray   # (n_bordered, N)


# How numbers are judged. The per-point method enumerates vertices in exact arithmetic, so a
# coordinate or slack is a label exactly when it is 0. Here each is a ratio num / det of
# determinants computed in floating point from entries in [1, 2]; determinants that are 0 in
# exact arithmetic come out below 3e-15 (measured up to 8x8), genuine ones far above.

#: A determinant (or numerator) at most this large is taken as exactly 0.
_ZERO = 1e-14
#: Between ``_ZERO`` and this, a number is doubtful: the point is handed to the exact method.
_CLEAR = 1e-12
#: A value this large is not taken as 0 even if its numerator is (a tiny determinant).
_VISIBLE = 1e-10
#: Bases with a smaller ``|det|`` give coordinates too inexact to report: doubtful if they might
#: be feasible.
_TRUSTED = 1e-7
#: Values of an ill-conditioned basis that could still be those of a feasible one.
_NEARLY_FEASIBLE = 0.01


def _vertices(poly: _Polytope, M: np.ndarray):
    """Every vertex of the polytope at every point, with its labels.

    ``M`` is the polytope's matrix, shape ``(k, l, N)``. Returns (point, label mask,
    coordinates (V, k), extra-label flag) for the vertices other than 0, sorted by point, and
    the points where some basis is doubtful.
    """
    layout = poly.layout
    k, l = layout.k, layout.l
    N = M.shape[2]
    doubtful = np.zeros(N, dtype=bool)
    found = [_pure_vertices(M, doubtful)]
    # beats[i, t, j]: column j is larger than column t in row i (by more than rounding).
    beats = M[:, None, :, :] > M[:, :, None, :] + _ZERO
    for size in layout.sizes[1:]:
        found.append(_mixed_vertices(poly, size, beats, doubtful))
    point = np.concatenate([f[0] for f in found])
    mask = np.concatenate([f[1] for f in found])
    # A degenerate vertex is the point of several bases; its label set identifies it.
    key = point * (1 << (k + l)) + mask
    _, first = np.unique(key, return_index=True)
    coords = np.concatenate([f[2] for f in found])[first]
    extra = np.concatenate([f[3] for f in found])[first]
    basis = np.concatenate([f[4] for f in found])[first]
    return point[first], mask[first], coords, extra, basis, doubtful


def _pure_vertices(M: np.ndarray, doubtful: np.ndarray):
    """Vertices with one own strategy ``i``: ``x = e_i / max_j M[i, j]``, tight where the row
    is largest (the bases of size 1, one vertex per row however many columns tie)."""
    k, l, N = M.shape
    top = M.max(axis=1)
    gap = top[:, None, :] - M        # the slack's numerator
    is_zero = gap <= _ZERO
    doubtful |= ((gap <= _CLEAR) & ~is_zero).any(axis=(0, 1))
    i, p = np.divmod(np.arange(k * N), N)
    tight = (is_zero.transpose(0, 2, 1).reshape(k * N, l) << np.arange(k, k + l)).sum(axis=1)
    rows = ((1 << k) - 1) ^ (1 << i)
    coords = np.zeros((k * N, k))
    coords[np.arange(k * N), i] = 1.0 / top.ravel()
    return p, rows | tight, coords, is_zero.sum(axis=1).ravel() > 1, np.full((k * N, 2), -1)


def _mixed_vertices(poly: _Polytope, size: _Size, beats: np.ndarray, doubtful: np.ndarray):
    """Vertices from the bases of one size ``s >= 2``; marks doubtful points."""
    s = size.s
    k, l = poly.layout.k, poly.layout.l
    N = poly.minors.shape[1]
    # A column beaten in every row of I by another column is never tight at a point of the
    # polytope supported on I: the other column's constraint would be violated. This rules
    # out most bases before any of their values is computed.
    beaten = beats[size.row_sets].all(axis=1).any(axis=2)          # (C(k, s), l, N)
    sets = np.arange(len(size.den)) // (len(size.den) // len(size.row_sets))
    candidate = ~beaten[sets, size.tight[:, 0]]
    for q in range(1, s):
        candidate &= ~beaten[sets, size.tight[:, q]]
    den = poly.minors[size.den]
    candidate &= np.abs(den) > _ZERO
    flat = np.flatnonzero(candidate)
    b, p = np.divmod(flat, N)
    # The candidates' values, one row per label position (short axes first: fast reductions):
    # coordinates x_I first, which rule out more candidates, then the slacks of the columns
    # outside T.
    den = den.ravel()[flat]
    scale = 1.0 / den
    bordered = poly.bordered.ravel()
    coordinates = np.empty((s, len(b)))
    for q in range(s):
        coordinates[q] = bordered[size.index[b, q] * N + p] * (size.sign[b, q] * scale)
    keep = np.flatnonzero((coordinates.min(axis=0) >= -_NEARLY_FEASIBLE)
                          & (coordinates.max(axis=0) <= 1.0 + _NEARLY_FEASIBLE))
    b, p, den, scale = b[keep], p[keep], den[keep], scale[keep]
    absden = np.abs(den)
    values = np.empty((l, len(b)))
    values[:s] = coordinates[:, keep]
    for q in range(s, l):
        values[q] = bordered[size.index[b, q] * N + p] * (size.sign[b, q] * scale)
    # Judge each value by its numerator (value * |det|), and its excess over 1 likewise: a
    # feasible basis has every value in [0, 1].
    low_num = values * absden
    high_num = (values - 1.0) * absden
    # A zero numerator over a small determinant may still be a visible value: doubtful then.
    is_zero = (np.abs(low_num) <= _ZERO) & (np.abs(values) <= _VISIBLE)
    infeasible = ((low_num < -_CLEAR) | (high_num > _CLEAR)).any(axis=0)
    ambiguous = (((np.abs(low_num) <= _CLEAR) & ~is_zero)
                 | ((high_num > _ZERO) & (high_num <= _CLEAR))).any(axis=0)
    trusted = absden >= _TRUSTED
    gray = ~trusted & (values.min(axis=0) >= -_NEARLY_FEASIBLE) \
        & (values.max(axis=0) <= 1.0 + _NEARLY_FEASIBLE)
    doubtful[p[gray | (trusted & ~infeasible & ambiguous)]] = True
    vertex = np.flatnonzero(trusted & ~infeasible & ~ambiguous)
    b, p = b[vertex], p[vertex]
    extra = np.zeros(len(b), dtype=np.int64)
    for q in range(l):
        extra |= np.where(is_zero[q, vertex], size.bits[b, q], 0)
    coords = np.zeros((len(b), k))
    coords[np.arange(len(b))[:, None], size.support[b]] = values[:s, vertex].T
    return p, size.mask[b] | extra, coords, extra != 0, np.stack([np.full(len(b), s), b], axis=1)


def _refine(M: np.ndarray, layout: _Layout, point: np.ndarray, coords: np.ndarray,
            basis: np.ndarray) -> np.ndarray:
    """Coordinates of vertices solved again from their bases by LU factorisation, which is
    more accurate than Cramer's ratios when a basis is ill-conditioned (size-1 bases are exact
    already). ``basis`` holds (size, index) per vertex."""
    coords = coords.copy()
    for size in layout.sizes[1:]:
        rows = np.flatnonzero(basis[:, 0] == size.s)
        if not len(rows):
            continue
        b, p = basis[rows, 1], point[rows]
        I, T = size.support[b], size.tight[b]
        systems = M[I[:, None, :], T[:, :, None], p[:, None, None]]   # M[I, T]^T
        solved = np.linalg.solve(systems, np.ones((len(rows), size.s, 1)))[..., 0]
        refined = np.zeros((len(rows), layout.k))
        np.put_along_axis(refined, I, solved, axis=1)
        coords[rows] = refined
    return coords


def _equilibria(P: _Polytope, Q: _Polytope, MP: np.ndarray, MQ: np.ndarray):
    """Extreme equilibria by complete labelling of vertex pairs; also degeneracy and doubt."""
    N = P.minors.shape[1]
    m, n = P.layout.k, P.layout.l
    pp, pmask, px, pextra, pbasis, doubt_p = _vertices(P, MP)
    qp, qmask, qy, qextra, qbasis, doubt_q = _vertices(Q, MQ)
    degenerate = np.zeros(N, dtype=bool)
    degenerate[pp[pextra]] = True
    degenerate[qp[qextra]] = True
    # Q's labels in the global order: rows (tight) 0..m-1, columns (zero) m..m+n-1.
    qmask = ((qmask & ((1 << n) - 1)) << m) | (qmask >> n)
    full = (1 << (m + n)) - 1
    # Non-degenerate points: every vertex has exactly its dimension's number of labels, so a
    # vertex of P pairs with the vertex of Q whose labels are the complement of its own.
    plain_p = ~degenerate[pp]
    plain_q = np.flatnonzero(~degenerate[qp])
    shift = np.int64(1) << (m + n)
    keys_q = qp[plain_q] * shift + qmask[plain_q]
    order = np.argsort(keys_q)
    keys_q, plain_q = keys_q[order], plain_q[order]
    a1 = np.flatnonzero(plain_p)
    wanted = pp[a1] * shift + (full ^ pmask[a1])
    at = np.minimum(np.searchsorted(keys_q, wanted), max(len(keys_q) - 1, 0))
    hit = (keys_q[at] == wanted) if len(keys_q) else np.zeros(len(a1), dtype=bool)
    a1, q1 = a1[hit], plain_q[at[hit]]
    # Degenerate points: every vertex of P with every vertex of Q at the same point (both
    # lists are sorted by point), keeping the completely labelled pairs.
    a2 = np.flatnonzero(~plain_p)
    deg_q = np.flatnonzero(degenerate[qp])
    count_q = np.bincount(qp[deg_q], minlength=N)
    start_q = np.concatenate([[0], np.cumsum(count_q)[:-1]])
    repeat = count_q[pp[a2]]
    a = np.repeat(a2, repeat)
    offsets = np.arange(len(a)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    q = deg_q[start_q[pp[a]] + offsets]
    complete = (pmask[a] | qmask[q]) == full
    a = np.concatenate([a1, a[complete]])
    q = np.concatenate([q1, q[complete]])
    x = _refine(MP, P.layout, pp[a], px[a], pbasis[a])
    y = _refine(MQ, Q.layout, qp[q], qy[q], qbasis[q])
    return pp[a], x, y, np.stack([a, q], axis=1), degenerate, doubt_p | doubt_q


# -- two players: verification, cleaning and order, as negsim.solve does per point -----------


#: Probabilities this close to a simple fraction are that fraction, up to rounding noise.
_FRACTION_NOISE = 1e-13


def _simple_fractions(values: np.ndarray, limit: int = 10_000, close: float = _FRACTION_NOISE):
    """For each value, the fraction with denominator <= ``limit`` within ``close`` of it, if any
    (numerators, denominators, found).

    Two such fractions are at least 1/limit^2 = 1e-8 apart, so the one within ``close`` is the one
    ``Fraction.limit_denominator`` picks; by Legendre's theorem it is a convergent of the
    continued fraction, which is followed until the denominators pass ``limit``.
    """
    size = len(values)
    numerator = np.zeros(size)
    denominator = np.ones(size)
    found = np.zeros(size, dtype=bool)
    index = np.arange(size)
    target = values.copy()
    x = values.copy()
    h0, h1 = np.zeros(size), np.ones(size)
    k0, k1 = np.ones(size), np.zeros(size)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(64):
            a = np.floor(x)
            h = a * h1 + h0
            k = a * k1 + k0
            alive = k <= limit
            hit = alive & (np.abs(h / k - target) <= close)
            numerator[index[hit]] = h[hit]
            denominator[index[hit]] = k[hit]
            found[index[hit]] = True
            rest = x - a
            go = alive & ~hit & (rest > 0)
            if not go.any():
                break
            index, target, x = index[go], target[go], 1.0 / rest[go]
            h0, h1, k0, k1 = h1[go], h[go], k1[go], k[go]
    return numerator, denominator, found


def _snap(strategies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of probabilities that are simple fractions up to rounding noise, replaced by those
    fractions' floats: every entry within rounding noise of a fraction with denominator at most
    10,000, and the fractions sum to exactly 1. Returns (rows, replaced)."""
    rows, width = strategies.shape
    numerator, denominator, found = _simple_fractions(strategies.ravel())
    numerator = numerator.reshape(rows, width).astype(np.int64)
    denominator = denominator.reshape(rows, width).astype(np.int64)
    candidate = found.reshape(rows, width).all(axis=1)
    # The fractions must sum to exactly one: a common denominator in int64 while it stays small.
    common = np.ones(rows, dtype=np.int64)
    for c in range(width):
        common = common // np.gcd(common, denominator[:, c]) * denominator[:, c]
        common = np.where(common > 10**14, 0, common)   # too large: checked with Fraction below
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


def _clean(mixes: np.ndarray) -> np.ndarray:
    """Normalise, drop rounding noise below 1e-12, normalise again."""
    mixes = mixes / mixes.sum(axis=1, keepdims=True)
    mixes = np.clip(mixes, 0.0, None)
    mixes[mixes < 1e-12] = 0.0
    return mixes / mixes.sum(axis=1, keepdims=True)


def _regret(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray):
    """Expected payoffs and regret of profiles ``(x, y)`` in games ``(A, B)``, all at once."""
    Ay = np.einsum("emn,en->em", A, y)
    By = np.einsum("emn,en->em", B, y)
    xB = np.einsum("em,emn->en", x, B)
    row = np.einsum("em,em->e", Ay, x)
    col = np.einsum("em,em->e", By, x)
    gain = np.maximum(Ay.max(axis=1) - row, xB.max(axis=1) - np.einsum("en,en->e", xB, y))
    return np.stack([row, col], axis=1), np.maximum(gain, 0.0)


def _finish(S, point, x, y, vertex, tol, infeasible, doubtful):
    """Verify, clean and order the equilibria of a chunk as the per-point method reports them.

    That method computes in exact arithmetic and reports each probability as the float of a
    fraction; probabilities within rounding noise of a fraction with denominator up to 10,000 are
    replaced by that fraction's float here. ``vertex`` holds, per candidate, the ids of its two
    vertices. Points where the per-point result could differ (a candidate that fails
    verification, an infeasible pure equilibrium, two candidates equal to 7 decimals, an order
    that rests on rounding, no equilibrium at all) are marked in ``doubtful``.
    """
    m = x.shape[1]
    x, snap_x = _snap(_clean(x))
    y, snap_y = _snap(_clean(y))
    payoffs, regret = _regret(S[point, 0], S[point, 1], x, y)
    doubtful[point[regret > tol * _payoff_scale(S)[point]]] = True
    size = (x > 0).sum(axis=1) + (y > 0).sum(axis=1)
    if infeasible is not None:
        rows = np.flatnonzero(size == 2)
        bad = infeasible[x[rows].argmax(axis=1), y[rows].argmax(axis=1)]
        doubtful[point[rows[bad]]] = True
    order, pairs, positions = _sorted(point, size, x, y)
    if len(pairs):
        # Two equilibria whose order follows a tie (within 1e-9) at a probability other than
        # 0 or 1. The tie is exact -- and broken by later probabilities per point too -- when
        # both values are the same vertex's, or both are fractions (then equal ones).
        snapped = np.concatenate([np.repeat(snap_x[:, None], m, axis=1),
                                  np.repeat(snap_y[:, None], y.shape[1], axis=1)], axis=1)
        ids = np.concatenate([np.repeat(vertex[:, :1], m, axis=1),
                              np.repeat(vertex[:, 1:], y.shape[1], axis=1)], axis=1)
        first, second = pairs[:, 0], pairs[:, 1]
        values = np.concatenate([x, y], axis=1)
        exact = (ids[first] == ids[second]) | (snapped[first] & snapped[second]
                                               & (values[first] == values[second]))
        unsafe = (positions & ~exact).any(axis=1)
        doubtful[point[first[unsafe]]] = True
    if len(point) > 1:
        # Equal to 7 decimals: the per-point method keeps only the first it meets.
        rounded = np.round(np.concatenate([x, y], axis=1), 7) + 0.0
        by_value = np.lexsort((*rounded.T[::-1], point))
        rounded, at = rounded[by_value], point[by_value]
        duplicate = (at[1:] == at[:-1]) & (rounded[1:] == rounded[:-1]).all(axis=1)
        doubtful[at[1:][duplicate]] = True
    point, x, y, payoffs, regret = (a[order] for a in (point, x, y, payoffs, regret))
    doubtful[np.bincount(point, minlength=len(doubtful)) == 0] = True
    return point, x, y, payoffs, regret


def _sorted(point, size, x, y):
    """The order of :func:`negsim.solve.result.sort_equilibria` within each point (pure first,
    then by support size, then by probabilities, descending), and the adjacent pairs whose
    order follows a tie (within 1e-9) at a probability other than 0 or 1: the pairs (as rows
    of the unsorted arrays) and the tied positions with such a probability."""
    keys = np.concatenate([-x, -y], axis=1)
    order = np.lexsort((*keys.T[::-1], size, point))
    keys = keys[order]
    same = (point[order][1:] == point[order][:-1]) & (size[order][1:] == size[order][:-1])
    tied = np.logical_and.accumulate(np.abs(keys[1:] - keys[:-1]) < 1e-9, axis=1)
    inner = (keys != 0.0) & (keys != -1.0)
    positions = tied & (inner[1:] | inner[:-1]) & same[:, None]
    hit = positions.any(axis=1)
    pairs = np.stack([order[:-1][hit], order[1:][hit]], axis=1)
    return order, pairs, positions[hit]


# -- two players: driver ---------------------------------------------------------------------


def _two_player_chunk(S: np.ndarray, infeasible: np.ndarray | None, tol: float):
    """Equilibria of one chunk of points; returns them with the degenerate and doubtful flags."""
    N, _, m, n = S.shape
    # The row player's polytope uses B (m x n), the column player's A^T (n x m); both with
    # points on the last axis.
    MP = _positive(S[:, 1]).transpose(1, 2, 0).copy()
    MQ = _positive(S[:, 0]).transpose(2, 1, 0).copy()
    P = _Polytope(_layout(m, n), *_determinants(_layout(m, n), MP.reshape(m * n, N)))
    Q = _Polytope(_layout(n, m), *_determinants(_layout(n, m), MQ.reshape(n * m, N)))
    point, x, y, vertex, degenerate, doubtful = _equilibria(P, Q, MP, MQ)
    doubtful |= _near_ties(S)
    point, x, y, payoffs, regret = _finish(S, point, x, y, vertex, tol, infeasible, doubtful)
    return point, x, y, payoffs, regret, degenerate, doubtful


def _near_ties(S: np.ndarray) -> np.ndarray:
    """Points where a player has two payoffs closer than 1e-9 of the payoff scale without being
    equal up to rounding (1e-15). The exact method reads payoffs as the simple fractions within
    1e-12 of them, so whether such payoffs tie there is a knife-edge; and the smallest
    numerators they produce can fall below what floating point tells from 0."""
    N = len(S)
    values = np.sort(S.reshape(N, S.shape[1], -1), axis=2)
    gaps = np.diff(values, axis=2)
    scale = _payoff_scale(S)[:, None, None]
    return ((gaps > 1e-15 * scale) & (gaps <= 1e-9 * scale)).any(axis=(1, 2))


def _two_player_chunk_size(m: int, n: int) -> int:
    largest = max(comb(m, s) * comb(n, s) for s in range(1, min(m, n) + 1))
    return int(max(64, min(8192, CHUNK_BYTES // (8 * largest * max(m, n)))))


def _two_player_points(payoffs: np.ndarray, infeasible: np.ndarray | None, method: str,
                       tol: float) -> PointEquilibria:
    n_points, _, m, n = payoffs.shape
    points, xs, ys, values, regrets = [], [], [], [], []
    degenerate = np.zeros(n_points, dtype=bool)
    doubtful = np.zeros(n_points, dtype=bool)
    for part in iter_chunks(n_points, _two_player_chunk_size(m, n)):
        S = solver_payoffs(payoffs[part], infeasible)
        point, x, y, value, regret, degen, doubt = _two_player_chunk(S, infeasible, tol)
        keep = ~doubt[point]
        points.append(point[keep] + part.start)
        xs.append(x[keep])
        ys.append(y[keep])
        values.append(value[keep])
        regrets.append(regret[keep])
        degenerate[part] = degen
        doubtful[part] = doubt
    complete = True
    hard = np.flatnonzero(doubtful)
    if len(hard):
        exact = solve_points_reference(payoffs[hard], infeasible=infeasible, method=method, tol=tol)
        points.append(hard[exact.point])
        xs.append(exact.strategies[0])
        ys.append(exact.strategies[1])
        values.append(exact.payoffs)
        regrets.append(exact.regret)
        degenerate[hard] = exact.degenerate
        complete = exact.complete
    point = np.concatenate(points) if points else np.zeros(0, dtype=np.int64)
    order = np.argsort(point, kind="stable")
    return PointEquilibria(
        n_points=n_points,
        point=point[order].astype(np.int64),
        strategies=(np.concatenate(xs)[order] if xs else np.zeros((0, m)),
                    np.concatenate(ys)[order] if ys else np.zeros((0, n))),
        payoffs=np.concatenate(values)[order] if values else np.zeros((0, 2)),
        regret=np.concatenate(regrets)[order] if regrets else np.zeros(0),
        degenerate=degenerate,
        complete=complete,
        per_point=doubtful,
    )
