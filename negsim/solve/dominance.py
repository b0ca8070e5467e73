"""Iterated elimination of dominated strategies, with the trace of every step.

Strict dominance, by a pure or a mixed strategy, is order-independent: the surviving game is the
same whatever is removed first, so each round removes every strictly dominated strategy at once.
Weak dominance is *order-dependent*: different elimination orders can leave different games and
even lose equilibria. It is computed separately and labelled as such; this implementation
removes, in each round, every weakly dominated strategy of every player at once (one fixed
order among many).

Domination by a mixed strategy is decided by a linear programme: strategy ``s`` of player ``i``
is strictly dominated iff some mix ``p`` over ``i``'s other remaining strategies has
``sum_k p_k u_i(k, t) > u_i(s, t)`` for every remaining profile ``t`` of the others, i.e. iff the
largest achievable margin is positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negsim.game import Game
from negsim.solve.verify import payoff_scale

__all__ = ["DominanceStep", "DominanceResult", "iterated_elimination"]


@dataclass(frozen=True)
class DominanceStep:
    """One eliminated strategy and what dominates it."""

    round: int
    player: int
    strategy: int
    dominator: dict[int, float]       # strategy index -> probability (one entry: pure)
    margin: float                     # smallest gain of the dominator over the dominated
    weak: bool

    def describe(self, game: Game) -> str:
        names = game.strategy_names[self.player]
        if len(self.dominator) == 1:
            (k,) = self.dominator
            by = names[k]
        else:
            by = "the mix " + ", ".join(
                f"{names[k]} {_fmt(p)}" for k, p in sorted(self.dominator.items())
            )
        kind = "weakly" if self.weak else "strictly"
        return f"{game.player_names[self.player]}: {names[self.strategy]} is {kind} dominated by {by}"


def _fmt(p: float) -> str:
    f = Fraction(p).limit_denominator(1000)
    return f"{f.numerator}/{f.denominator}" if abs(float(f) - p) < 1e-9 and f.denominator > 1 else f"{p:.3g}"


@dataclass(frozen=True)
class DominanceResult:
    """What survives, and the steps that got there."""

    weak: bool
    steps: tuple[DominanceStep, ...]
    surviving: tuple[tuple[int, ...], ...]

    def solved(self) -> bool:
        """Dominance-solvable: one strategy per player survives."""
        return all(len(s) == 1 for s in self.surviving)


def _player_table(payoffs: np.ndarray, player: int, alive: list[list[int]]) -> np.ndarray:
    """Player's payoffs restricted to the surviving strategies, as (own, profiles of others)."""
    table = payoffs[player][np.ix_(*alive)]
    return np.moveaxis(table, player, 0).reshape(len(alive[player]), -1)


def _pure_dominator(table: np.ndarray, s: int, weak: bool, tol: float) -> tuple[int, float] | None:
    for k in range(table.shape[0]):
        if k == s:
            continue
        diff = table[k] - table[s]
        if weak:
            if diff.min() >= -tol and diff.max() > tol:
                return k, float(diff.max())
        elif diff.min() > tol:
            return k, float(diff.min())
    return None


def mixed_dominator(
    table: np.ndarray, s: int, weak: bool, tol: float
) -> tuple[dict[int, float], float] | None:
    others = [k for k in range(table.shape[0]) if k != s]
    if len(others) < 2:
        return None
    from scipy.optimize import linprog  # imported when needed: it takes long to load

    M = table[others].T           # (profiles, candidates)
    target = table[s]
    n_profiles, n_cand = M.shape
    if not weak:
        # max e  s.t.  M p - e >= target,  sum p = 1,  p >= 0
        c = np.zeros(n_cand + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-M, np.ones((n_profiles, 1))])
        b_ub = -target
        A_eq = np.hstack([np.ones((1, n_cand)), np.zeros((1, 1))])
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
                      bounds=[(0, None)] * n_cand + [(None, None)], method="highs")
        if res.status != 0 or -res.fun <= tol:
            return None
        p = res.x[:n_cand]
        margin = float((M @ p - target).min())
    else:
        # max sum(M p - target)  s.t.  M p >= target, sum p = 1: weakly dominated iff total > 0
        c = -M.sum(axis=0)
        res = linprog(c, A_ub=-M, b_ub=-target, A_eq=np.ones((1, n_cand)), b_eq=[1.0],
                      bounds=[(0, None)] * n_cand, method="highs")
        if res.status != 0:
            return None
        p = res.x
        gains = M @ p - target
        if gains.min() < -tol or gains.max() <= tol:
            return None
        margin = float(gains.max())
    p = np.where(p < 1e-12, 0.0, p)
    p = p / p.sum()
    return {others[k]: float(v) for k, v in enumerate(p) if v > 0}, margin


def iterated_elimination(
    game: Game, *, weak: bool = False, mixed: bool = True, tol: float = 1e-9
) -> DominanceResult:
    """Remove dominated strategies round by round until none is left; keep the trace."""
    payoffs = game.solver_payoffs
    limit = tol * payoff_scale(game)
    alive = [list(range(m)) for m in game.shape]
    steps: list[DominanceStep] = []
    round_ = 0
    while True:
        round_ += 1
        removals: list[DominanceStep] = []
        for i in range(game.n_players):
            if len(alive[i]) < 2:
                continue
            table = _player_table(payoffs, i, alive)
            for local, s in enumerate(alive[i]):
                pure = _pure_dominator(table, local, weak, limit)
                if pure is not None:
                    k, margin = pure
                    removals.append(DominanceStep(round_, i, s, {alive[i][k]: 1.0}, margin, weak))
                    continue
                if mixed:
                    found = mixed_dominator(table, local, weak, limit)
                    if found is not None:
                        mix, margin = found
                        removals.append(DominanceStep(
                            round_, i, s, {alive[i][k]: p for k, p in mix.items()}, margin, weak))
        if not removals:
            break
        for step in removals:
            alive[step.player].remove(step.strategy)
        steps.extend(removals)
    return DominanceResult(weak=weak, steps=tuple(steps), surviving=tuple(tuple(a) for a in alive))

