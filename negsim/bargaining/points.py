"""Bargaining solutions as points of a two-player frontier, in exact arithmetic.

Each function takes a frontier ``chain`` (Pareto-efficient vertices of a convex set, from
top-left to bottom-right, as in :mod:`negsim.bargaining.geometry`), usually already clipped to
the part that gives both players at least the disagreement point ``d``, and returns a point.

Nash's solution maximises the (weighted) Nash product ``(u0 - d0)^w0 (u1 - d1)^w1``. Along one
frontier segment ``u = p + t (q - p)`` the product's logarithm is concave in ``t`` and its
stationary point is the rational number

    t* = -(w0 e0 g1 + w1 e1 g0) / ((w0 + w1) e0 e1),   g = p - d,  e = q - p,

so the maximum over the frontier is the best of these candidates (clipped to each segment):
exact for rational inputs.

>>> from fractions import Fraction as F
>>> nash_point([(F(0), F(1)), (F(1), F(0))], (F(0), F(0)), (F(1), F(1)))
(Fraction(1, 2), Fraction(1, 2))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from negsim.bargaining.geometry import Point, ray_exit

__all__ = ["egalitarian_point", "kalai_smorodinsky_point", "nash_point", "nash_product", "utilitarian_point"]

#: Weights with a common denominator up to this size are compared exactly (integer powers).
_EXACT_POWER_DENOMINATOR = 64


def nash_product(point: Sequence[Fraction], d: Sequence[Fraction], weights: Sequence[Fraction]) -> float:
    """``sum w_i log(u_i - d_i)`` (``-inf`` when a gain is not positive), for reporting and search."""
    total = 0.0
    for u, di, w in zip(point, d, weights):
        gain = u - di
        if gain <= 0:
            return -math.inf
        total += float(w) * math.log(float(gain))
    return total


def _better(a: Sequence[Fraction], b: Sequence[Fraction], d: Sequence[Fraction],
            weights: Sequence[Fraction]) -> bool:
    """Is the Nash product at ``a`` strictly larger than at ``b``? Exact for simple weights."""
    denominator = math.lcm(*(w.denominator for w in weights))
    if denominator <= _EXACT_POWER_DENOMINATOR and all(0 < w * denominator <= 4 * _EXACT_POWER_DENOMINATOR
                                                       for w in weights):
        powers = [int(w * denominator) for w in weights]
        ga = [u - di for u, di in zip(a, d)]
        gb = [u - di for u, di in zip(b, d)]
        if any(g <= 0 for g in ga):
            return False
        if any(g <= 0 for g in gb):
            return True
        pa = math.prod((g ** k for g, k in zip(ga, powers)), start=Fraction(1))
        pb = math.prod((g ** k for g, k in zip(gb, powers)), start=Fraction(1))
        return pa > pb
    return nash_product(a, d, weights) > nash_product(b, d, weights) + 1e-15


def nash_point(chain: Sequence[Point], d: Point, weights: Sequence[Fraction]) -> Point:
    """The (weighted) Nash bargaining point of the frontier ``chain`` from ``d``.

    ``chain`` should lie in the region where both gain (use :func:`clip_chain`); a one-point
    chain is its own solution.
    """
    if len(chain) == 1:
        return chain[0]
    w0, w1 = weights
    best: Point | None = None
    for p, q in zip(chain, chain[1:]):
        g0, g1 = p[0] - d[0], p[1] - d[1]
        e0, e1 = q[0] - p[0], q[1] - p[1]
        t = -(w0 * e0 * g1 + w1 * e1 * g0) / ((w0 + w1) * e0 * e1)
        t = min(max(t, Fraction(0)), Fraction(1))
        candidate = (p[0] + t * e0, p[1] + t * e1)
        if best is None or _better(candidate, best, d, weights):
            best = candidate
    assert best is not None
    return best


def kalai_smorodinsky_point(chain: Sequence[Point], d: Point) -> Point:
    """Where the line from ``d`` to the ideal point (each player's best in the clipped chain)
    meets the frontier: equal shares of each player's largest possible gain."""
    ideal = (chain[-1][0], chain[0][1])
    if len(chain) == 1:
        return chain[0]
    return ray_exit(chain, d, (ideal[0] - d[0], ideal[1] - d[1]))


def egalitarian_point(chain: Sequence[Point], d: Point, weights: Sequence[Fraction]) -> Point:
    """The furthest point along ``d + t * weights``: gains in proportion to ``weights`` (equal
    gains for equal weights; Kalai's proportional solution otherwise)."""
    return ray_exit(chain, d, (weights[0], weights[1]))


def utilitarian_point(chain: Sequence[Point], d: Point, weights: Sequence[Fraction]) -> tuple[Point, bool]:
    """The frontier point with the largest weighted total, and whether a whole edge ties (then the
    Nash point of that edge is returned, a documented tie-break)."""
    values = [weights[0] * p[0] + weights[1] * p[1] for p in chain]
    top = max(values)
    where = [k for k, v in enumerate(values) if v == top]
    if len(where) == 1:
        return chain[where[0]], False
    face = [chain[k] for k in where]
    return nash_point(face, d, (Fraction(1), Fraction(1))), True
