"""Iterated elimination of strictly dominated strategies at many points at once.

Domination by pure strategies is computed with array operations across all points. Domination
by mixed strategies is then checked only where it can matter: at points where some player still
has three or more strategies, for the strategies that are not a best response to any pure
profile of the others (a best response to some profile cannot be strictly dominated by any mix).
Those few candidates need the linear programme of :mod:`negsim.solve.dominance`, whose optimum
is the value of a small zero-sum game: all of them are solved together by the batched
equilibrium engine (so no linear-programming solver is loaded, and equal games are solved
once).
Strict dominance is order-independent, so continuing from the pure-dominance survivors gives the
same result as :func:`negsim.solve.dominance.iterated_elimination` with ``mixed=True``.

Tolerances follow :mod:`negsim.solve.dominance`: ``k`` dominates ``s`` when it pays more than
``tol * scale`` better against every remaining profile, ``scale`` being the point's largest
absolute payoff (at least 1); infeasible profiles count as every player's worst outcome.
"""

from __future__ import annotations

import warnings

import numpy as np

from negsim.solve.batch import solve_points
from negsim.solve.dominance import mixed_dominator

__all__ = ["solver_payoffs", "surviving_strategies"]


def solver_payoffs(payoffs: np.ndarray, infeasible: np.ndarray | None) -> np.ndarray:
    """Payoffs ``(points, n, *shape)`` with each infeasible cell set to each player's worst
    feasible payoff minus one payoff range, as :attr:`negsim.game.Game.solver_payoffs`."""
    if infeasible is None or not infeasible.any():
        return payoffs
    payoffs = np.array(payoffs, dtype=float, copy=True)
    points, n = payoffs.shape[:2]
    flat = payoffs.reshape(points, n, -1)
    bad = infeasible.reshape(-1)
    feasible = flat[:, :, ~bad]
    low, high = feasible.min(axis=2), feasible.max(axis=2)
    flat[:, :, bad] = (low - np.maximum(high - low, 1.0))[:, :, None]
    return flat.reshape(payoffs.shape)


def _tables(payoffs: np.ndarray, i: int) -> np.ndarray:
    """Player i's payoffs as (points, own strategies, profiles of the others)."""
    table = np.moveaxis(payoffs[:, i], 1 + i, 1)
    return table.reshape(table.shape[0], table.shape[1], -1)


def _others_alive(alive: list[np.ndarray], i: int) -> np.ndarray:
    """(points, profiles of the others): every other player's strategy in it survives."""
    points = alive[0].shape[0]
    mask = np.ones((points, 1), dtype=bool)
    for j, a in enumerate(alive):
        if j != i:
            mask = (mask[:, :, None] & a[:, None, :]).reshape(points, -1)
    return mask


def surviving_strategies(
    payoffs: np.ndarray, infeasible: np.ndarray | None = None, *, tol: float = 1e-9, mixed: bool = True
) -> list[np.ndarray]:
    """Per player, a ``(points, m_i)`` boolean array: the strategies that survive iterated
    elimination of strictly dominated strategies at each point.

    ``mixed=False`` considers domination by pure strategies only.
    """
    payoffs = solver_payoffs(np.asarray(payoffs, dtype=float), infeasible)
    points, n = payoffs.shape[:2]
    shape = payoffs.shape[2:]
    limit = tol * np.maximum(1.0, np.abs(payoffs).reshape(points, -1).max(axis=1))
    alive = [np.ones((points, m), dtype=bool) for m in shape]
    tables = [_tables(payoffs, i) for i in range(n)]
    active = np.arange(points)  # points where the last round removed something
    while True:
        if len(active):
            sub = [a[active] for a in alive]
            removed = [_pure_dominated(tables[i][active], sub, i, limit[active]) for i in range(n)]
            changed = np.zeros(len(active), dtype=bool)
            for i in range(n):
                alive[i][active] &= ~removed[i]
                changed |= removed[i].any(axis=1)
            active = active[changed]
            if len(active):
                continue
        if not mixed:
            break
        # Strict dominance is order-independent, so the strategies found dominated by mixes
        # can all go at once, and pure rounds resume on what is left.
        candidates, dominated = _mixed_candidates(tables, alive, limit)
        if candidates:
            solved = _dominated_by_mixes(tables, alive, candidates, limit)
            dominated += [c for c, hit in zip(candidates, solved) if hit]
        if not dominated:
            break
        for p, i, s in dominated:
            alive[i][p, s] = False
        active = np.unique([p for p, _i, _s in dominated])
    return alive


def _pure_dominated(table: np.ndarray, alive: list[np.ndarray], i: int, limit: np.ndarray) -> np.ndarray:
    """(points, m_i): alive strategies strictly dominated by another alive pure strategy."""
    others = _others_alive(alive, i)
    mine = alive[i]
    dominated = np.zeros_like(mine)
    for k in range(table.shape[1]):
        gain = table[:, k : k + 1, :] - table  # k's gain over each s, per profile
        beats = np.where(others[:, None, :], gain > limit[:, None, None], True).all(axis=2)
        dominated |= beats & mine[:, k : k + 1]
    # A strategy never dominates itself: its gain over itself is 0, not above the limit.
    return dominated & mine


#: Beliefs tried before any linear programme: mixes of two of the others' profiles with these
#: weights. A strategy that is a best response to some belief cannot be strictly dominated.
PAIR_WEIGHTS = (0.25, 0.5, 0.75)
#: Above this many profiles of the others, pairs are not tried (their number grows as its square).
MAX_PAIR_PROFILES = 24


def _mixed_candidates(
    tables: list[np.ndarray], alive: list[np.ndarray], limit: np.ndarray
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Strategies that might be strictly dominated by a mix, as (point, player, strategy), and
    those already found dominated by a simple mix.

    A candidate belongs to a player who keeps three or more strategies and is a best response
    neither to a remaining pure profile of the others nor to a mix of two of them (a best
    response to some belief cannot be strictly dominated). Candidates beaten by a mix of two of
    the player's other strategies are dominated without further ado; the rest need the linear
    programme.
    """
    found, dominated = [], []
    for i, table in enumerate(tables):
        crowded = alive[i].sum(axis=1) >= 3
        if not crowded.any():
            continue
        others = _others_alive(alive, i)
        doubtful = (
            crowded[:, None] & alive[i] & ~_responds(table, alive[i], others, limit, np.eye(table.shape[2]))
        )
        n_profiles = table.shape[2]
        if doubtful.any() and 1 < n_profiles <= MAX_PAIR_PROFILES:
            rows = np.flatnonzero(doubtful.any(axis=1))
            first, second = np.triu_indices(n_profiles, 1)
            beliefs = np.concatenate(
                [
                    w * np.eye(n_profiles)[first].T + (1 - w) * np.eye(n_profiles)[second].T
                    for w in PAIR_WEIGHTS
                ],
                axis=1,
            )  # (profiles, beliefs)
            # A pair is a belief only if both of its profiles remain.
            usable = np.concatenate(
                [others[rows][:, first] & others[rows][:, second]] * len(PAIR_WEIGHTS), axis=1
            )
            answered = _responds(table[rows], alive[i][rows], usable, limit[rows], beliefs)
            doubtful[rows] &= ~answered
        if doubtful.any():
            rows = np.flatnonzero(doubtful.any(axis=1))
            beaten = _beaten_by_pairs(table[rows], alive[i][rows], others[rows], limit[rows])
            beaten &= doubtful[rows]
            doubtful[rows] &= ~beaten
            points, strategies = np.nonzero(beaten)
            dominated += [(int(rows[p]), i, int(s)) for p, s in zip(points, strategies)]
        points, strategies = np.nonzero(doubtful)
        found += [(int(p), i, int(s)) for p, s in zip(points, strategies)]
    return found, dominated


def _beaten_by_pairs(
    table: np.ndarray, alive_own: np.ndarray, others: np.ndarray, limit: np.ndarray
) -> np.ndarray:
    """(points, m_i): some mix of two other remaining strategies (weights in
    :data:`PAIR_WEIGHTS`) pays more than the limit better against every remaining profile."""
    m = table.shape[1]
    beaten = np.zeros(alive_own.shape, dtype=bool)
    for a in range(m):
        for b in range(a + 1, m):
            pair_alive = alive_own[:, a] & alive_own[:, b]
            if not pair_alive.any():
                continue
            for w in PAIR_WEIGHTS:
                mix = w * table[:, a, :] + (1 - w) * table[:, b, :]  # (points, profiles)
                gain = mix[:, None, :] - table  # (points, m, profiles)
                wins = np.where(others[:, None, :], gain > limit[:, None, None], True).all(axis=2)
                wins[:, [a, b]] = False
                beaten |= wins & pair_alive[:, None]
    return beaten & alive_own


def _responds(
    table: np.ndarray, alive_own: np.ndarray, usable: np.ndarray, limit: np.ndarray, beliefs: np.ndarray
) -> np.ndarray:
    """(points, m_i): the strategy is a best response (within the limit) to some usable belief.

    ``beliefs`` is (profiles, B): each column a distribution over the others' profiles;
    ``usable`` (points, B) says which beliefs count at each point."""
    expected = table @ beliefs  # (points, m_i, B)
    best = np.where(alive_own[:, :, None], expected, -np.inf).max(axis=1, keepdims=True)
    return ((expected >= best - limit[:, None, None]) & usable[:, None, :]).any(axis=2)


def _dominated_by_mixes(
    tables: list[np.ndarray],
    alive: list[np.ndarray],
    candidates: list[tuple[int, int, int]],
    limit: np.ndarray,
) -> list[bool]:
    """For each candidate, whether some mix of the player's other remaining strategies beats it
    by more than the limit against every remaining profile of the others.

    That is the linear programme ``max e  s.t.  sum_k p_k (u(k, t) - u(s, t)) >= e`` for every
    remaining profile ``t``, ``sum p = 1``, ``p >= 0`` (as in :mod:`negsim.solve.dominance`):
    the value of the zero-sum game whose matrix is ``M[k, t] = u(k, t) - u(s, t)``. The values
    of all candidates come from one :func:`negsim.solve.batch.solve_points` call per shape (its
    certified engine, no linear-programming solver to load), and candidates with the same
    matrix -- at points where the swept parameters leave the player's payoffs alone, or where
    they coincide -- are solved once.
    """
    matrices: dict[tuple[int, int], list[tuple[int, np.ndarray]]] = {}
    for b, (p, i, s) in enumerate(candidates):
        own = np.flatnonzero(alive[i][p])
        own = own[own != s]
        profiles = np.flatnonzero(_others_alive([a[p : p + 1] for a in alive], i)[0])
        block = tables[i][p]
        M = block[np.ix_(own, profiles)] - block[s, profiles][None, :]
        matrices.setdefault(M.shape, []).append((b, M))
    results = [False] * len(candidates)
    for found in matrices.values():
        stacked = np.stack([M for _b, M in found])
        unique, inverse = np.unique(stacked.reshape(len(stacked), -1), axis=0, return_inverse=True)
        unique = unique.reshape(-1, *stacked.shape[1:])
        values = _zero_sum_values(unique)
        for (b, _M), v in zip(found, values[inverse.reshape(-1)]):
            p = candidates[b][0]
            if np.isnan(v):  # no equilibrium reported: the linear programme decides
                results[b] = _one_candidate(tables, alive, candidates[b], float(limit[p]))
            else:
                results[b] = bool(v > limit[p])
    return results


def _zero_sum_values(matrices: np.ndarray) -> np.ndarray:
    """The row player's value of each zero-sum game ``matrices[g]`` (NaN if none was found)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = solve_points(np.stack([matrices, -matrices], axis=1))
    values = np.full(len(matrices), np.nan)
    points, first = np.unique(found.point, return_index=True)
    values[points] = found.payoffs[first, 0]
    return values


def _one_candidate(
    tables: list[np.ndarray], alive: list[np.ndarray], candidate: tuple[int, int, int], limit: float
) -> bool:
    p, i, s = candidate
    own = np.flatnonzero(alive[i][p])
    profiles = np.flatnonzero(_others_alive([a[p : p + 1] for a in alive], i)[0])
    table = tables[i][p][np.ix_(own, profiles)]
    return mixed_dominator(table, int(np.flatnonzero(own == s)[0]), False, limit) is not None
