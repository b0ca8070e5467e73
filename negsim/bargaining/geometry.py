"""Exact plane geometry of two-player payoff sets: convex hull, Pareto frontier, clipping.

Points are pairs of :class:`~fractions.Fraction` (player 0's payoff, player 1's payoff). A
*frontier* (or *chain*) is the Pareto-efficient part of a convex polygon's boundary, listed from
its top-left end (most for player 1) to its bottom-right end (most for player 0): player 0's
payoff strictly increases and player 1's strictly decreases along it. The sets are taken as
*comprehensive* (free disposal: any payoff below a feasible one is feasible too), so the
frontier bounds the set from the upper right.

>>> from fractions import Fraction as F
>>> pts = [(F(0), F(0)), (F(1), F(0)), (F(0), F(1)), (F(1, 3), F(1, 3))]
>>> pareto_chain(convex_hull(pts))
[(Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))]
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = [
    "Point",
    "clip_chain",
    "convex_hull",
    "chain_value",
    "pareto_chain",
    "pareto_points",
    "ray_exit",
    "segment_parameter",
]

Point = tuple[Fraction, Fraction]


def _cross(o: Point, a: Point, b: Point) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[Point]) -> list[Point]:
    """Vertices of the convex hull, counter-clockwise, without collinear points (monotone chain).

    One distinct point gives a one-vertex hull, collinear points the two ends of their segment.
    """
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return hull if len(hull) >= 2 else pts[:1]


def pareto_chain(hull: Sequence[Point]) -> list[Point]:
    """The Pareto-efficient vertices of a convex polygon, from top-left to bottom-right.

    Between consecutive vertices the frontier is the straight segment (reached by lotteries).
    """
    if len(hull) == 1:
        return [hull[0]]
    # top-left end: most for player 1, then most for player 0; bottom-right end: the reverse
    top = max(range(len(hull)), key=lambda k: (hull[k][1], hull[k][0]))
    right = max(range(len(hull)), key=lambda k: (hull[k][0], hull[k][1]))
    chain = [hull[right]]
    k = right
    while k != top:  # counter-clockwise from the right end climbs the upper-right boundary
        k = (k + 1) % len(hull)
        chain.append(hull[k])
    chain.reverse()
    return chain


def pareto_points(points: Sequence[Point]) -> list[int]:
    """Indices of the points that no other point Pareto-dominates (duplicates all kept)."""
    efficient = []
    for a, p in enumerate(points):
        if not any(q[0] >= p[0] and q[1] >= p[1] and q != p for q in points):
            efficient.append(a)
    return efficient


def chain_value(chain: Sequence[Point], x: Fraction) -> Fraction | None:
    """Player 1's largest payoff on the comprehensive set when player 0 gets ``x``.

    ``None`` when ``x`` is beyond the frontier's right end; the top-left end's payoff for ``x``
    left of the frontier (free disposal).
    """
    if x > chain[-1][0]:
        return None
    if x <= chain[0][0]:
        return chain[0][1]
    for p, q in zip(chain, chain[1:]):
        if p[0] <= x <= q[0]:
            return p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])
    raise AssertionError("unreachable: x lies between the frontier's ends")


def _chain_at_y(chain: Sequence[Point], y: Fraction) -> Fraction | None:
    """Player 0's largest payoff when player 1 gets ``y`` (mirror of :func:`chain_value`)."""
    if y > chain[0][1]:
        return None
    if y <= chain[-1][1]:
        return chain[-1][0]
    for p, q in zip(chain, chain[1:]):
        if q[1] <= y <= p[1]:
            return p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1])
    raise AssertionError("unreachable: y lies between the frontier's ends")


def clip_chain(chain: Sequence[Point], d: Point) -> list[Point]:
    """The part of the frontier where both players get at least ``d``; empty when there is none."""
    left_y = chain_value(chain, d[0])
    right_x = _chain_at_y(chain, d[1])
    if left_y is None or right_x is None or left_y < d[1] or right_x < d[0]:
        return []
    start = (max(d[0], chain[0][0]), left_y if d[0] > chain[0][0] else chain[0][1])
    end = (right_x if d[1] > chain[-1][1] else chain[-1][0], max(d[1], chain[-1][1]))
    inner = [p for p in chain if start[0] < p[0] < end[0]]
    clipped = [start, *inner, end]
    out: list[Point] = []
    for p in clipped:
        if not out or out[-1] != p:
            out.append(p)
    return out


def segment_parameter(p: Point, q: Point, x: Point) -> Fraction:
    """``t`` with ``x = p + t (q - p)`` for a point ``x`` on the segment ``pq`` (``p != q``)."""
    if q[0] != p[0]:
        return (x[0] - p[0]) / (q[0] - p[0])
    return (x[1] - p[1]) / (q[1] - p[1])


def ray_exit(chain: Sequence[Point], d: Point, direction: Point) -> Point:
    """Where the ray ``d + t * direction`` (``t >= 0``, both components of ``direction`` > 0)
    leaves the comprehensive set bounded by ``chain``, moved onto the frontier.

    The furthest feasible point on the ray is only weakly efficient when the ray leaves through
    the horizontal line left of the frontier (or the vertical one below it); then the frontier
    end that dominates it is returned (the lexicographic refinement).
    """
    r0, r1 = direction
    if r0 <= 0 or r1 <= 0:
        raise ValueError("the ray's direction must be positive for both players")
    top, right = chain[0], chain[-1]
    # Leaving through the horizontal part (y = top's payoff) left of the frontier:
    t = (top[1] - d[1]) / r1
    if d[0] + t * r0 <= top[0]:
        return top
    t = (right[0] - d[0]) / r0
    if d[1] + t * r1 <= right[1]:
        return right
    for p, q in zip(chain, chain[1:]):
        # d + t r = p + s (q - p): two equations, unknowns t and s
        e0, e1 = q[0] - p[0], q[1] - p[1]
        det = r0 * (-e1) - r1 * (-e0)
        if det == 0:
            continue
        b0, b1 = p[0] - d[0], p[1] - d[1]
        t = (b0 * (-e1) - b1 * (-e0)) / det
        s = (r0 * b1 - r1 * b0) / det
        if 0 <= s <= 1:
            return (d[0] + t * r0, d[1] + t * r1)
    raise AssertionError("unreachable: a positive ray from below the frontier crosses it")
