"""Nash's variable-threat point for two players (Nash 1953, "Two-person cooperative games").

Before bargaining each player commits to a threat, a (mixed) strategy it will play if there is
no deal; the threats' payoffs are the disagreement point ``d``, and the agreement is the Nash
bargaining solution ``N(d)``. Each player chooses its threat to do best in that agreement.

Method. On a frontier segment of slope ``-h`` the (weighted, powers ``w0, w1``) Nash solution
from ``d`` is the point ``P`` of the segment with

    P1 - d1 = k (P0 - d0),   k = h w1 / w0,

so it depends on ``d`` only through ``k d0 - d1``: player 0 wants that number large and player
1 small. With ``d`` the payoffs of the threats, this is the zero-sum game ``k A - B`` (``A``,
``B`` the players' payoff matrices), whose value ``V`` fixes ``P`` on the segment's line
(``k P0 - P1 = V``). So, exactly and without iteration:

- for each frontier segment, solve the zero-sum game ``k A - B``; if its ``P`` lies on the
  segment, that is the solution and the optimal strategies are the threats;
- for each frontier vertex ``P`` between slopes ``h_L < h_R``, ``P`` is the solution when
  player 0 can guarantee ``k_L d0 - d1 >= k_L P0 - P1`` (value of ``k_L A - B`` at least that)
  and player 1 can hold ``k_R d0 - d1 <= k_R P0 - P1`` (value of ``k_R A - B`` at most that);
  then player 0 threatens with its optimal strategy in the first game, player 1 in the second.
  At the frontier's ends the outer condition always holds (``h = 0`` on the left, ``h = oo``
  on the right).

With side payments the frontier is one line of slope -1. The result is verified: ``N(d)`` is
the solution, and no pure-strategy change of threat moves it in the deviator's favour (pure
changes suffice because ``N0(d)`` has half-planes as level sets, so it is quasi-linear in each
player's mixed threat). The zero-sum games are solved exactly (vertex enumeration in rational
numbers), so the threat point and the agreement are exact fractions.

Threat payoffs use :attr:`negsim.game.Game.solver_payoffs` (an infeasible profile is the worst
outcome for both), as security levels do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from negsim.bargaining.disagreement import Disagreement, mix_text, zero_sum_value
from negsim.bargaining.geometry import Point, clip_chain
from negsim.bargaining.numeric import fmt
from negsim.bargaining.points import nash_point
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve.verify import exact_payoffs_of

__all__ = ["threat_point"]

Mix = tuple[Fraction, ...]


def _expected(matrix: np.ndarray, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    return sum((x[a] * y[b] * matrix[a, b] for a in range(len(x)) for b in range(len(y))
                if x[a] and y[b]), Fraction(0))


def _unit(m: int, k: int) -> Mix:
    return tuple(Fraction(int(j == k)) for j in range(m))


def threat_point(game: Game, frontier: Sequence[Point] | None, weights: Sequence[Fraction],
                 *, total: Fraction | None = None) -> tuple[Disagreement, Point]:
    """Nash's variable-threat point and the agreement it leads to.

    ``frontier`` is the Pareto frontier of the lotteries' hull (top-left to bottom-right); with
    side payments pass ``total`` (the largest total payoff) instead. ``weights`` are the
    bargaining powers ``(w0, w1)``.
    """
    if game.n_players != 2:
        raise InputError([Problem("the variable-threat point is defined for two players",
                                  path="disagreement")])
    payoffs = exact_payoffs_of(game)
    A, B = payoffs[0], payoffs[1]
    w0, w1 = weights
    candidates: list[tuple[Point, Mix, Mix]] = []

    def game_value(k: Fraction) -> tuple[Fraction, Mix, Mix]:
        return zero_sum_value(k * A - B)

    if total is not None:
        k = w1 / w0
        value, x, y = game_value(k)
        p0 = (total + value) / (1 + k)
        candidates.append(((p0, total - p0), x, y))

        def agreement(d: Point) -> Point:
            surplus = total - d[0] - d[1]
            return (d[0] + w0 / (w0 + w1) * surplus, d[1] + w1 / (w0 + w1) * surplus)
    else:
        assert frontier is not None
        chain = list(frontier)
        if len(chain) == 1:
            _, x, _ = zero_sum_value(-B)
            _, _, y = zero_sum_value(A)
            candidates.append((chain[0], x, y))
        slopes = [(p[1] - q[1]) / (q[0] - p[0]) for p, q in zip(chain, chain[1:])]
        values: dict[Fraction, tuple[Fraction, Mix, Mix]] = {}

        def cached(k: Fraction) -> tuple[Fraction, Mix, Mix]:
            if k not in values:
                values[k] = game_value(k)
            return values[k]

        for (p, q), h in zip(zip(chain, chain[1:]), slopes):
            k = h * w1 / w0
            value, x, y = cached(k)
            c = h * p[0] + p[1]
            p0 = (c + value) / (h + k)
            if p[0] <= p0 <= q[0]:
                candidates.append(((p0, c - h * p0), x, y))
        for v, point in enumerate(chain if len(chain) > 1 else []):
            ok = True
            threat0: Mix | None = None
            threat1: Mix | None = None
            if v > 0:
                k_left = slopes[v - 1] * w1 / w0
                value, threat0, _ = cached(k_left)
                ok = value >= k_left * point[0] - point[1]
            else:
                _, threat0, _ = zero_sum_value(-B)
            if ok and v < len(chain) - 1:
                k_right = slopes[v] * w1 / w0
                value, _, threat1 = cached(k_right)
                ok = value <= k_right * point[0] - point[1]
            elif ok:
                _, _, threat1 = zero_sum_value(A)
            if ok and threat0 is not None and threat1 is not None:
                candidates.append((point, threat0, threat1))

        def agreement(d: Point) -> Point:
            part = clip_chain(chain, d)
            if not part:  # d is above the frontier: no deal can be better than it
                return d
            return nash_point(part, d, (w0, w1))

    for point, x, y in candidates:
        if _verified(A, B, x, y, point, agreement):
            d = (_expected(A, x, y), _expected(B, x, y))
            text = (f"Nash's variable-threat point: {game.player_names[0]} threatens "
                    f"{mix_text(game, 0, x)}, {game.player_names[1]} threatens {mix_text(game, 1, y)} "
                    f"(payoffs {fmt(d[0])}, {fmt(d[1])})")
            return Disagreement("threat", d, text, (x, y)), point
    raise AssertionError("no verified variable-threat solution: the frontier or the zero-sum games "
                         "were computed inconsistently")


def _verified(A: np.ndarray, B: np.ndarray, x: Mix, y: Mix, point: Point,
              agreement: Callable[[Point], Point]) -> bool:
    d = (_expected(A, x, y), _expected(B, x, y))
    if agreement(d) != point:
        return False
    m, n = A.shape
    for a in range(m):
        e = _unit(m, a)
        if agreement((_expected(A, e, y), _expected(B, e, y)))[0] > point[0]:
            return False
    for b in range(n):
        e = _unit(n, b)
        if agreement((_expected(A, x, e), _expected(B, x, e)))[0] < point[0]:
            return False
    return True
