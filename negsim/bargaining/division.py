"""Dividing a pie with (possibly concave) utilities: the textbook problems, solved numerically.

Player 0 gets the share ``x`` of the pie and player 1 the rest; their utilities ``u0(x)`` and
``u1(1 - x)`` are increasing, continuous and concave functions of their own share, given as
callables on [0, 1]. The disagreement point defaults to ``(u0(0), u1(0))``. The solutions are
found by bounded scalar optimisation and root finding (:mod:`scipy.optimize`) to about 1e-10;
with linear utilities they agree with the exact polygon solutions of
:mod:`negsim.bargaining.solutions`.

>>> import math
>>> round(divide_nash(lambda x: x, lambda y: math.sqrt(y)).share, 6)   # Osborne-Rubinstein: 2/3
0.666667
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from negsim.errors import InputError, Problem

__all__ = [
    "Division",
    "divide_alternating_offers",
    "divide_egalitarian",
    "divide_kalai_smorodinsky",
    "divide_nash",
    "divide_utilitarian",
]

Utility = Callable[[float], float]
_TOL = 1e-12


@dataclass(frozen=True)
class Division:
    """Player 0's share of the pie and both players' utilities there."""

    share: float
    payoffs: tuple[float, float]


def _division(u0: Utility, u1: Utility, x: float) -> Division:
    return Division(float(x), (float(u0(x)), float(u1(1 - x))))


def _d(u0: Utility, u1: Utility, d: Sequence[float] | None) -> tuple[float, float]:
    if d is None:
        return float(u0(0.0)), float(u1(0.0))
    return float(d[0]), float(d[1])


def _check_gain(u0: Utility, u1: Utility, d: tuple[float, float]) -> tuple[float, float]:
    """The shares where each player's utility starts to exceed ``d``; an error if they overlap."""
    from scipy.optimize import brentq

    def first_share(u: Utility, level: float) -> float:
        if u(0.0) > level:
            return 0.0
        if u(1.0) <= level:
            return math.inf
        return float(brentq(lambda s: u(s) - level, 0.0, 1.0, xtol=_TOL))

    lo = first_share(u0, d[0])          # player 0 needs x > lo
    hi = 1 - first_share(u1, d[1])      # player 1 needs 1 - x > 1 - hi
    if not lo < hi:
        raise InputError([Problem("nothing to bargain over: no split gives both players more than the "
                                  "disagreement point", path="disagreement")])
    return lo, hi


def divide_nash(u0: Utility, u1: Utility, *, d: Sequence[float] | None = None,
                powers: Sequence[float] | None = None) -> Division:
    """Maximise ``w0 log(u0(x) - d0) + w1 log(u1(1 - x) - d1)`` over the share ``x``."""
    from scipy.optimize import minimize_scalar

    dd = _d(u0, u1, d)
    lo, hi = _check_gain(u0, u1, dd)
    w0, w1 = (0.5, 0.5) if powers is None else (float(powers[0]), float(powers[1]))

    def minus(x: float) -> float:
        g0, g1 = u0(x) - dd[0], u1(1 - x) - dd[1]
        if g0 <= 0 or g1 <= 0:
            return math.inf
        return -(w0 * math.log(g0) + w1 * math.log(g1))

    res = minimize_scalar(minus, bounds=(lo, hi), method="bounded", options={"xatol": _TOL})
    return _division(u0, u1, float(res.x))


def _ray(u0: Utility, u1: Utility, dd: tuple[float, float], direction: tuple[float, float]) -> Division:
    """The split where the gains are in proportion to ``direction`` (the frontier is decreasing)."""
    from scipy.optimize import brentq

    lo, hi = _check_gain(u0, u1, dd)

    def gap(x: float) -> float:
        return (u0(x) - dd[0]) * direction[1] - (u1(1 - x) - dd[1]) * direction[0]

    return _division(u0, u1, float(brentq(gap, lo, hi, xtol=_TOL)))


def divide_kalai_smorodinsky(u0: Utility, u1: Utility, *, d: Sequence[float] | None = None) -> Division:
    """Equal shares of each player's largest gain (``u_i(1) - d_i``)."""
    dd = _d(u0, u1, d)
    return _ray(u0, u1, dd, (u0(1.0) - dd[0], u1(1.0) - dd[1]))


def divide_egalitarian(u0: Utility, u1: Utility, *, d: Sequence[float] | None = None,
                       weights: Sequence[float] = (1.0, 1.0)) -> Division:
    """Equal gains (or gains in proportion to ``weights``)."""
    return _ray(u0, u1, _d(u0, u1, d), (float(weights[0]), float(weights[1])))


def divide_utilitarian(u0: Utility, u1: Utility, *, weights: Sequence[float] = (1.0, 1.0)) -> Division:
    """The largest weighted total ``w0 u0(x) + w1 u1(1 - x)``."""
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(lambda x: -(weights[0] * u0(x) + weights[1] * u1(1 - x)), bounds=(0.0, 1.0),
                          method="bounded", options={"xatol": _TOL})
    return _division(u0, u1, float(res.x))


def divide_alternating_offers(u0: Utility, u1: Utility, discount: Sequence[float], *,
                              first: int = 0) -> tuple[Division, Division]:
    """Rubinstein's equilibrium with utilities (Osborne and Rubinstein 1990, Ch. 3): player 0
    proposes ``x*``, player 1 proposes ``y*`` (player 0's shares), with

        u0(y*) = delta0 u0(x*)   and   u1(1 - x*) = delta1 u1(1 - y*),

    utilities normalised to ``u_i(0) = 0`` (perpetual disagreement is worth 0). Returns the
    divisions proposed by the first and by the second proposer; the first is agreed at once.
    """
    from scipy.optimize import brentq

    d0, d1 = float(discount[0]), float(discount[1])
    if not (0 < d0 < 1 and 0 < d1 < 1):
        raise InputError([Problem("discount factors lie strictly between 0 and 1", path="discount")])

    def y_of(x: float) -> float:
        target = d0 * u0(x)
        if target <= u0(0.0):
            return 0.0
        return float(brentq(lambda y: u0(y) - target, 0.0, x, xtol=_TOL))

    x = float(brentq(lambda s: u1(1 - s) - d1 * u1(1 - y_of(s)), 0.0, 1.0, xtol=_TOL))
    y = y_of(x)
    by0, by1 = _division(u0, u1, x), _division(u0, u1, y)
    return (by0, by1) if first == 0 else (by1, by0)
