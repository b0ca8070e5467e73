"""Equilibria of many games at once: one game per parameter point of a sweep.

:func:`solve_points` takes payoffs of shape ``(points, n, m_0, ..., m_{n-1})`` and returns every
equilibrium of every point as flat arrays (:class:`PointEquilibria`), ready to become the rows of
a sweep's table. Its answer is the answer of :func:`negsim.solve.solve` at every point (the same
equilibria in the same order, the same ``degenerate`` flags); :func:`solve_points_reference` is
that plain loop, kept as the oracle.

How two-player games are solved across points
---------------------------------------------
Two engines find every vertex of both players' best-response polyhedra at every point: the
*determinant* engine (:mod:`negsim.solve.minors`, numpy, up to :data:`MAX_BATCH_BASES` bases,
8x8), where each coordinate and slack of each basis is a ratio of two determinants and all
square minors come from Laplace expansion, one array operation per size over all points; and,
when numba is installed, the *pivoting* engine (:mod:`negsim.solve.pivoting`) from
:data:`PIVOTING_FROM_BASES` bases (4x4) to 12x12, a search over the lexicographically feasible
bases by simplex pivots that visits only the vertices. :func:`negsim.solve.bimatrix.solve_chunk`
pairs the vertices into extreme equilibria and verifies, cleans and orders them as the
per-point method does.

The per-point method (:func:`negsim.solve.solve`) enumerates in exact rational arithmetic, so a
value is a label exactly when it is 0. Here every decision (a sign, a zero, a comparison) is
*certified*: each number carries a bound on its rounding error, relative to the conditioning
of its basis and the size of the payoffs, and is used only when the bound settles it. A point
where any decision cannot be certified -- or where an equilibrium fails verification (regret
within the tolerance times the smallest non-zero payoff difference), a probability is less
accurate than 1e-8, two equilibria are equal to 7 decimals, an order rests on rounding, or two
payoffs of a player are a hair apart -- is *doubtful* and handed to the per-point method
(``per_point`` marks it). Every equilibrium is verified: its regret is computed for all points
at once.

Pure equilibria (any number of players) are array comparisons over all profiles and points;
:func:`pure_equilibria_chunked` asks for payoffs chunk by chunk so that memory stays bounded
however many points there are.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import comb

import numpy as np

from negsim.game import Game
from negsim.solve import pivoting
from negsim.solve.bimatrix import ENGINES, FRACTION_NOISE, solve_chunk
from negsim.solve.equilibria import (
    MAX_CERTIFIED_BASES,
    MAX_EXACT_BASES,
    MAX_FLOAT_BASES,
    certified_enumeration,
    solve,
)
from negsim.solve.minors import determinants as _determinants  # noqa: F401 - tested here
from negsim.solve.minors import layout as _layout  # noqa: F401 - tested here
from negsim.solve.reading import simple_fractions
from negsim.solve.vertex import count_bases

__all__ = [
    "PointEquilibria",
    "PureEquilibria",
    "engine_for",
    "iter_chunks",
    "pure_equilibria_chunked",
    "solve_points",
    "solve_points_reference",
    "solver_payoffs",
]

#: Two-player games up to this many bases (2 * C(m+n, m)) are solved vectorised by the
#: determinant engine (pure numpy); 8x8 has 25,740.
MAX_BATCH_BASES = 30_000
#: From this many bases (4x4 has 140) the compiled pivoting engine is used, when numba is
#: installed: it visits only the vertices, the determinant engine every basis.
PIVOTING_FROM_BASES = 140
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
    point: np.ndarray  # (E,) int
    strategies: tuple[np.ndarray, ...]  # per player (E, m_i)
    payoffs: np.ndarray  # (E, n)
    regret: np.ndarray  # (E,)
    degenerate: np.ndarray  # (P,) bool
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


def _pack(
    n_points: int, shape: Sequence[int], per_point: list[list], degenerate: np.ndarray, complete: bool
) -> PointEquilibria:
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


def solve_points_reference(
    payoffs: np.ndarray, *, infeasible: np.ndarray | None = None, method: str = "auto", tol: float = 1e-9
) -> PointEquilibria:
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


def solve_points(
    payoffs: np.ndarray,
    *,
    infeasible: np.ndarray | None = None,
    method: str = "auto",
    tol: float = 1e-9,
    engine: str | None = None,
) -> PointEquilibria:
    """Every equilibrium at every point.

    ``method="pure"`` finds the pure equilibria of any number of players with array operations
    over all points at once (in chunks; see :func:`pure_equilibria_chunked`). ``"auto"`` and
    ``"enumerate"`` on two-player games enumerate every extreme equilibrium across points --
    by lexicographic pivoting compiled with numba from 4x4 to 12x12 when numba is installed,
    else by determinants with numpy up to :data:`MAX_BATCH_BASES` bases (8x8) -- with every
    decision certified against its error bound, and hand the points they cannot settle to the
    per-point method (``per_point`` marks them). ``engine`` (``"minors"`` or ``"pivoting"``)
    overrides the choice, for tests and benchmarks. Other methods, one-player games and mixed
    equilibria of three or more players are solved point by point. The result equals
    :func:`solve_points_reference`: the same equilibria in the same order with the same
    ``degenerate`` flags.
    """
    payoffs = np.asarray(payoffs, dtype=float)
    mask = _check(payoffs, infeasible)
    shape = payoffs.shape[2:]
    if len(shape) == 1:
        return solve_points_reference(payoffs, infeasible=mask, method=method, tol=tol)
    if method == "pure":
        # Checked above for all points at once.
        result = _pure_search(
            lambda part: payoffs[part], payoffs.shape[0], shape, mask, tol, None, check=False
        )
        return result.to_point_equilibria()
    two_player = len(shape) == 2 and method in ("auto", "enumerate")
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine == "pivoting" and not pivoting.available():
        raise ValueError("the pivoting engine needs numba: pip install 'negsim[fast]'")
    if engine == "minors" and two_player and count_bases(*shape) > MAX_BATCH_BASES:
        raise ValueError(f"the determinant engine takes games of up to {MAX_BATCH_BASES} bases")
    if engine is None or not two_player or engine_for(shape, method) is None:
        engine = engine_for(shape, method) if two_player else None
    if engine is not None:
        return _two_player_points(payoffs, mask, method, tol, engine)
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


def engine_for(shape: Sequence[int], method: str = "auto") -> str | None:
    """Which engine :func:`solve_points` uses for two-player games of ``shape``: ``pivoting``
    (compiled, when numba is installed) from :data:`PIVOTING_FROM_BASES` bases up to
    :data:`negsim.solve.equilibria.MAX_CERTIFIED_BASES` (12x12), ``minors`` up to
    :data:`MAX_BATCH_BASES` (8x8) otherwise, or ``None``: point by point."""
    bases = count_bases(shape[0], shape[1])
    if method == "auto" and bases > MAX_FLOAT_BASES and not certified_enumeration(bases):
        return None  # "auto" means Lemke-Howson here, solved point by point
    if pivoting.available() and PIVOTING_FROM_BASES <= bases <= MAX_CERTIFIED_BASES:
        return "pivoting"
    # The batch reproduces the per-point method where that method is exact.
    return "minors" if bases <= min(MAX_BATCH_BASES, MAX_EXACT_BASES) else None


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
    point: np.ndarray  # (E,) int64
    profile: np.ndarray  # (E, n) small integers
    payoffs: np.ndarray  # (E, n)
    regret: np.ndarray  # (E,)

    def count(self) -> np.ndarray:
        return np.bincount(self.point, minlength=self.n_points)

    def to_point_equilibria(self) -> PointEquilibria:
        strategies = tuple(np.eye(m)[self.profile[:, i]] for i, m in enumerate(self.shape))
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
                raise ValueError(
                    f"make_payoffs({part}) returned shape {payoffs.shape}, "
                    f"expected (points, {len(size)}, {', '.join(map(str, size))})"
                )
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
        profile=np.concatenate(profiles).astype(small, copy=False)
        if profiles
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


# -- two players: driver ---------------------------------------------------------------------


def _two_player_chunk_size(m: int, n: int, engine: str) -> int:
    if engine == "pivoting":
        return 4096
    largest = max(comb(m, s) * comb(n, s) for s in range(1, min(m, n) + 1))
    return int(max(64, min(8192, CHUNK_BYTES // (8 * largest * max(m, n)))))


def _two_player_points(
    payoffs: np.ndarray, infeasible: np.ndarray | None, method: str, tol: float, engine: str
) -> PointEquilibria:
    n_points, _, m, n = payoffs.shape
    points, xs, ys, values, regrets = [], [], [], [], []
    degenerate = np.zeros(n_points, dtype=bool)
    doubtful = np.zeros(n_points, dtype=bool)

    def keep(found: object, where: np.ndarray) -> np.ndarray:
        settled = ~found.doubtful[found.point]
        points.append(where[found.point[settled]])
        xs.append(found.x[settled])
        ys.append(found.y[settled])
        values.append(found.payoffs[settled])
        regrets.append(found.regret[settled])
        degenerate[where] = found.degenerate
        return where[found.doubtful]

    for part in iter_chunks(n_points, _two_player_chunk_size(m, n, engine)):
        where = np.arange(part.start, part.stop)
        found = solve_chunk(solver_payoffs(payoffs[part], infeasible), infeasible, tol, engine)
        unsettled = keep(found, where)
        if len(unsettled) and engine == "pivoting" and count_bases(m, n) <= MAX_BATCH_BASES:
            # The determinant engine's bounds are sharper for payoffs of very different sizes.
            found = solve_chunk(solver_payoffs(payoffs[unsettled], infeasible), infeasible, tol)
            unsettled = keep(found, unsettled)
        doubtful[unsettled] = True
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
        strategies=(
            np.concatenate(xs)[order] if xs else np.zeros((0, m)),
            np.concatenate(ys)[order] if ys else np.zeros((0, n)),
        ),
        payoffs=np.concatenate(values)[order] if values else np.zeros((0, 2)),
        regret=np.concatenate(regrets)[order] if regrets else np.zeros(0),
        degenerate=degenerate,
        complete=complete,
        per_point=doubtful,
    )


def _simple_fractions(values: np.ndarray, limit: int = 10_000, close: float = FRACTION_NOISE):
    """:func:`negsim.solve.reading.simple_fractions` with the limits used for probabilities."""
    return simple_fractions(values, limit, close)
