"""Verification: how much could any player gain by deviating? (the regret of a profile)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from negsim.game import Game
from negsim.solve.exact import fraction_array
from negsim.solve.result import Equilibrium

__all__ = ["exact_payoffs_of", "exact_regret", "make_equilibrium", "payoff_scale", "regret"]


def payoff_scale(game: Game) -> float:
    """The size of the payoffs, so tolerances mean the same for payoffs in 1s or in 1000s."""
    return game.payoff_scale


def regret(game: Game, strategies: Sequence[np.ndarray]) -> float:
    """The largest gain any player gets by switching to one of its pure strategies."""
    gains = []
    for i in range(game.n_players):
        values = game.deviation_payoffs(strategies, i)
        gains.append(float(values.max() - values @ np.asarray(strategies[i], dtype=float)))
    return max(0.0, max(gains))


def exact_regret(payoffs: np.ndarray, strategies: Sequence[Sequence[Fraction]]) -> Fraction:
    """:func:`regret` in rational arithmetic over an object array of fractions."""
    n = payoffs.shape[0]
    worst = Fraction(0)
    for i in range(n):
        table = payoffs[i]
        for j in reversed(range(n)):
            if j != i:
                table = np.tensordot(table, np.array(strategies[j], dtype=object), axes=([j], [0]))
        values = list(np.atleast_1d(table))
        expected = sum((v * p for v, p in zip(values, strategies[i])), Fraction(0))
        worst = max(worst, max(values) - expected)
    return worst


def make_equilibrium(
    game: Game,
    strategies: Sequence[np.ndarray] | Sequence[Sequence[Fraction]],
    *,
    exact_payoffs: np.ndarray | None = None,
) -> Equilibrium:
    """Build a verified :class:`Equilibrium` from one mixed strategy per player.

    With ``exact_payoffs`` (an object array of fractions) and fractional strategies, payoffs and
    regret are computed exactly; otherwise in floating point, with the probabilities cleaned of
    rounding noise (tiny negatives to 0, renormalised).
    """
    if exact_payoffs is not None:
        exact = tuple(tuple(Fraction(p) for p in s) for s in strategies)
        floats = tuple(np.array([float(p) for p in s]) for s in exact)
        values = exact_payoffs
        for s in reversed(exact):
            values = np.tensordot(values, np.array(s, dtype=object), axes=([-1], [0]))
        exact_values = tuple(Fraction(v) for v in np.atleast_1d(values))
        gap = exact_regret(exact_payoffs, exact)
        return Equilibrium(
            strategies=floats,
            payoffs=np.array([float(v) for v in exact_values]),
            regret=float(gap),
            exact_strategies=exact,
            exact_payoffs=exact_values,
        )
    cleaned = []
    for s in strategies:
        s = np.clip(np.asarray(s, dtype=float), 0.0, None)
        s[s < 1e-12] = 0.0
        cleaned.append(s / s.sum())
    cleaned_t = tuple(cleaned)
    gap = regret(game, cleaned_t)
    # 0.49999999999999994 is 1/2 with rounding noise: use the simple fraction's float when it
    # is that close and verifies at least as well.
    snapped = tuple(_snap(s) for s in cleaned_t)
    if any(a is not b for a, b in zip(snapped, cleaned_t)):
        snapped_gap = regret(game, snapped)
        if snapped_gap <= gap:
            cleaned_t, gap = snapped, snapped_gap
    return Equilibrium(
        strategies=cleaned_t,
        payoffs=game.expected_payoffs(cleaned_t),
        regret=gap,
    )


def _snap(s: np.ndarray) -> np.ndarray:
    simple = [Fraction(float(p)).limit_denominator(10_000) for p in s]
    if sum(simple) != 1 or max(abs(float(f) - p) for f, p in zip(simple, s)) > 1e-10:
        return s
    return np.array([float(f) for f in simple])


def exact_payoffs_of(game: Game) -> np.ndarray:
    """The game's solver payoffs as fractions (exact values from a Gambit file when known)."""
    if game.exact_payoffs is not None and game.infeasible is None:
        return game.exact_payoffs
    return fraction_array(game.solver_payoffs)
