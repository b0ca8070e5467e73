"""Verification: how much could any player gain by deviating? (the regret of a profile)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

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


def _over_common_denominator(values: Sequence[Fraction] | np.ndarray) -> tuple[np.ndarray, int]:
    """Integers ``N`` (an object array) and one denominator ``d`` with ``values == N / d``."""
    given = np.asarray(values, dtype=object)
    flat = [v if isinstance(v, int | Fraction) else Fraction(v) for v in given.ravel()]
    d = lcm(*(v.denominator for v in flat)) if flat else 1
    ints = np.array([v.numerator * (d // v.denominator) for v in flat], dtype=object)
    return ints.reshape(given.shape), d


def _exact_values_and_regret(
    payoffs: np.ndarray, strategies: Sequence[Sequence[Fraction]]
) -> tuple[tuple[Fraction, ...], Fraction]:
    """Each player's expected payoff and the largest gain of a deviation, in exact arithmetic.

    Computed on integers: the payoffs and each strategy over a common denominator, so every
    sum and product is one of Python integers and one division is made per result."""
    n = payoffs.shape[0]
    table, denominator = _over_common_denominator(payoffs)
    mixes = [_over_common_denominator(list(s)) for s in strategies]
    values: list[Fraction] = []
    worst = Fraction(0)
    for i in range(n):
        deviations = table[i]
        scale = denominator
        for j in reversed(range(n)):
            if j != i:
                deviations = np.tensordot(deviations, mixes[j][0], axes=([j], [0]))
                scale *= mixes[j][1]
        row = list(np.atleast_1d(deviations))
        own, d_own = mixes[i]
        expected = sum((v * p for v, p in zip(row, own)), 0)
        values.append(Fraction(expected, scale * d_own))
        worst = max(worst, Fraction(max(row) * d_own - expected, scale * d_own))
    return tuple(values), worst


def exact_regret(payoffs: np.ndarray, strategies: Sequence[Sequence[Fraction]]) -> Fraction:
    """:func:`regret` in rational arithmetic over an object array of fractions."""
    return _exact_values_and_regret(payoffs, strategies)[1]


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
        exact_values, exact_gap = _exact_values_and_regret(exact_payoffs, exact)
        return Equilibrium(
            strategies=floats,
            payoffs=np.array([float(v) for v in exact_values]),
            regret=float(exact_gap),
            exact_strategies=exact,
            exact_payoffs=exact_values,
        )
    cleaned = []
    for given in strategies:
        s = np.clip(np.asarray(given, dtype=float), 0.0, None)
        s[s < 1e-12] = 0.0
        cleaned.append(s / s.sum())
    cleaned_t = tuple(cleaned)
    gap = float(regret(game, cleaned_t))
    # 0.49999999999999994 is 1/2 with rounding noise: use the simple fraction's float when it
    # is that close and verifies at least as well.
    snapped = tuple(_snap(s) for s in cleaned_t)
    if any(a is not b for a, b in zip(snapped, cleaned_t)):
        snapped_gap = float(regret(game, snapped))
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
