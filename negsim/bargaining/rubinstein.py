"""Alternating offers (Rubinstein 1982): who gets how much when the sides take turns to propose.

The surplus (a pie of size 1, or ``pie``) is split by offers in turn; the responder accepts,
rejects (the next period the roles swap), or, when it has an *outside option*, walks away. A
player's payoff from a deal one period later is multiplied by its discount factor ``delta``
(its patience). In the unique subgame-perfect equilibrium the first offer is accepted at once:

    player 0 proposing gets (1 - delta1) / (1 - delta0 delta1)

(Osborne and Rubinstein 1990, "Bargaining and Markets", Ch. 3; 1994, "A Course in Game
Theory", Prop. 122.1). Extensions computed here, all exactly for rational inputs:

- *time preference*: ``delta = exp(-r * period)`` from rates ``r`` (:func:`discount_factor`);
  as the period shrinks, the split tends to the asymmetric Nash solution with powers
  ``r1 / (r0 + r1)`` and ``r0 / (r0 + r1)``;
- *risk of breakdown* (Binmore, Rubinstein and Wolinsky 1986): after each rejection talks break
  down with probability ``breakdown``, leaving each side ``breakdown_payoffs``; without
  discounting the split tends to the Nash solution from those payoffs as the probability shrinks;
- *outside options* (the outside option principle, Binmore, Shaked and Sutton 1989; Muthoo 1999,
  "Bargaining Theory with Applications", Ch. 5): a responder may walk away to its option
  ``w``; an option matters only if it is worth more than what the responder gets without it,
  and then the responder gets exactly its option;
- a *finite horizon* (Stahl 1972) by backward induction, converging to the infinite-horizon split;
- a *bargaining frontier* of a game (:func:`frontier_alternating_offers`): the proposals are
  points of the frontier, gains are measured from the disagreement point, and a period's delay
  scales the gain over it by ``delta``; for a concave frontier the equilibrium is unique
  (Binmore 1987) and it tends to the Nash solution as the period shrinks.

The stationary equilibrium solves ``x_i = pie - r_j(x_j)``, where ``x_i`` is what player ``i``
keeps as proposer and ``r_j`` the responder's reservation value
``max(w_j, delta_j (p b_j + (1 - p) x_j))``; the map is a contraction, and each of the four
cases (which outside options bind) is a linear system solved exactly and checked.

>>> r = alternating_offers((Fraction(9, 10), Fraction(9, 10)))
>>> r.shares
(Fraction(10, 19), Fraction(9, 19))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from negsim.bargaining.geometry import Point
from negsim.bargaining.numeric import exact, fmt, json_exact, json_number, percent
from negsim.bargaining.problem import BargainingProblem, LotteryTerm
from negsim.errors import InputError, Problem

__all__ = [
    "AlternatingOffers",
    "FiniteAlternatingOffers",
    "FrontierOffers",
    "alternating_offers",
    "discount_factor",
    "finite_alternating_offers",
    "frontier_alternating_offers",
    "rubinstein_shares",
]


def discount_factor(rate: float, period: float = 1.0) -> float:
    """Per-period discount factor ``exp(-rate * period)`` of a time-preference rate."""
    return math.exp(-float(rate) * float(period))


def rubinstein_shares(delta0: np.ndarray | float, delta1: np.ndarray | float, first: int = 0) -> np.ndarray:
    """Player 0's share of the pie in Rubinstein's equilibrium, for arrays of discount factors
    (for sweeps and figures; floats)."""
    d0 = np.asarray(delta0, dtype=float)
    d1 = np.asarray(delta1, dtype=float)
    denominator = 1 - d0 * d1
    proposer: np.ndarray = (1 - d1) / denominator
    if first == 0:
        return proposer
    second: np.ndarray = 1 - (1 - d0) / denominator
    return second


@dataclass(frozen=True)
class AlternatingOffers:
    """The subgame-perfect split of an alternating-offers game.

    ``shares`` are the players' shares of the pie when the first offer is accepted (as it is in
    equilibrium); ``proposals[i]`` is what player ``i`` keeps when it proposes; ``binding[i]`` says
    whether player ``i``'s outside option binds.
    """

    players: tuple[str, str]
    discount: tuple[Fraction, Fraction]
    first: int
    pie: Fraction
    breakdown: Fraction
    breakdown_payoffs: tuple[Fraction, Fraction]
    outside_options: tuple[Fraction | None, Fraction | None]
    proposals: tuple[Fraction, Fraction]
    shares: tuple[Fraction, Fraction]
    binding: tuple[bool, bool]

    def surplus_shares(self) -> tuple[Fraction, Fraction]:
        """Shares of the surplus over what talks breaking down would leave each side."""
        b0, b1 = self.breakdown_payoffs if self.breakdown > 0 else (Fraction(0), Fraction(0))
        surplus = self.pie - b0 - b1
        return ((self.shares[0] - b0) / surplus, (self.shares[1] - b1) / surplus)

    def sentence(self) -> str:
        """``Turkey gets 69% of the surplus because it is more patient (discount factor 0.95
        against 0.9) and proposes first.``"""
        shares = self.surplus_shares() if self.breakdown > 0 else (self.shares[0] / self.pie,
                                                                   self.shares[1] / self.pie)
        if shares[0] == shares[1]:
            return f"{self.players[0]} and {self.players[1]} split the surplus equally."
        w = 0 if shares[0] > shares[1] else 1
        o = 1 - w
        because: list[str] = []
        although: list[str] = []
        dw, do = self.discount
        if w == 1:
            dw, do = do, dw
        patience = f"discount factor {fmt(dw)} against {fmt(do)}"
        if self.binding[w]:
            option = self.outside_options[w]
            assert option is not None
            because.append(f"its outside option ({fmt(option)}) is worth more than it would get without it")
        if dw > do:
            because.append(f"it is more patient ({patience})")
        elif dw < do:
            although.append(f"it is less patient ({patience})")
        if self.first == w:
            joined = bool(because) and because[-1].startswith("it ")
            because.append("proposes first" if joined else "it proposes first")
        else:
            although.append(f"{self.players[o]} proposes first")
        if self.breakdown > 0 and self.breakdown_payoffs[w] > self.breakdown_payoffs[o]:
            because.append(f"it is left with more if talks break down ({fmt(self.breakdown_payoffs[w])} "
                           f"against {fmt(self.breakdown_payoffs[o])})")
        if self.binding[o]:
            option = self.outside_options[o]
            assert option is not None
            although.append(f"{self.players[o]}'s outside option ({fmt(option)}) binds")
        text = f"{self.players[w]} gets {percent(shares[w])} of the surplus"
        if because:
            reasons = because[0] if len(because) == 1 else ", ".join(because[:-1]) + " and " + because[-1]
            text += f" because {reasons}"
        if although:
            text += f"{',' if because else ''} although {' and '.join(although)}"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.players),
            "discount": [json_number(d) for d in self.discount],
            "first": self.first,
            "pie": json_number(self.pie),
            "breakdown": json_number(self.breakdown),
            "breakdown_payoffs": [json_number(b) for b in self.breakdown_payoffs],
            "outside_options": [None if w is None else json_number(w) for w in self.outside_options],
            "proposals": [json_number(x) for x in self.proposals],
            "shares": [json_number(x) for x in self.shares],
            "shares_exact": [json_exact(x) for x in self.shares],
            "binding": list(self.binding),
            "sentence": self.sentence(),
        }


def _inputs(discount: Sequence[float | Fraction], breakdown: float | Fraction,
            breakdown_payoffs: Sequence[float | Fraction],
            outside_options: Sequence[float | Fraction | None], pie: float | Fraction
            ) -> tuple[tuple[Fraction, Fraction], Fraction, tuple[Fraction, Fraction],
                       tuple[Fraction | None, Fraction | None], Fraction]:
    problems: list[Problem] = []
    if len(discount) != 2 or len(breakdown_payoffs) != 2 or len(outside_options) != 2:
        raise InputError([Problem("alternating offers are between two players: give two discount factors, "
                                  "breakdown payoffs and outside options", path="discount")])
    deltas = (exact(discount[0], path="discount[0]"), exact(discount[1], path="discount[1]"))
    p = exact(breakdown, path="breakdown")
    b = (exact(breakdown_payoffs[0], path="breakdown_payoffs[0]"),
         exact(breakdown_payoffs[1], path="breakdown_payoffs[1]"))
    w = tuple(None if v is None else exact(v, path=f"outside_options[{k}]")
              for k, v in enumerate(outside_options))
    size = exact(pie, path="pie")
    for k, dv in enumerate(deltas):
        if not 0 < dv <= 1:
            problems.append(Problem(f"a discount factor lies in (0, 1], got {fmt(dv)}",
                                    path=f"discount[{k}]"))
    if not 0 <= p <= 1:
        problems.append(Problem(f"a probability lies in [0, 1], got {fmt(p)}", path="breakdown"))
    if size <= 0:
        problems.append(Problem(f"the pie must be positive, got {fmt(size)}", path="pie"))
    if not problems and deltas[0] * deltas[1] * (1 - p) ** 2 == 1:
        problems.append(Problem("with no discounting and no risk of breakdown every split is an equilibrium: "
                                "give a discount factor below 1 or a breakdown probability", path="discount"))
    if p > 0 and b[0] + b[1] >= size:
        problems.append(Problem("breakdown leaves no surplus to bargain over (breakdown payoffs sum to "
                                "the pie or more)", path="breakdown_payoffs"))
    options = [v if v is not None else Fraction(0) for v in w]
    if any(v is not None for v in w) and options[0] + options[1] >= size:
        problems.append(Problem("the outside options are worth the whole pie or more: walking away is "
                                "efficient, there is nothing to bargain over", path="outside_options"))
    if problems:
        raise InputError(problems)
    return deltas, p, b, (w[0], w[1]), size


def alternating_offers(
    discount: Sequence[float | Fraction],
    *,
    first: int = 0,
    pie: float | Fraction = 1,
    breakdown: float | Fraction = 0,
    breakdown_payoffs: Sequence[float | Fraction] = (0, 0),
    outside_options: Sequence[float | Fraction | None] = (None, None),
    players: Sequence[str] = ("player 1", "player 2"),
) -> AlternatingOffers:
    """The subgame-perfect split of the infinite-horizon alternating-offers game."""
    if first not in (0, 1):
        raise InputError([Problem(f"first is 0 or 1 (the player who proposes first), got {first!r}",
                                  path="first")])
    deltas, p, b, w, size = _inputs(discount, breakdown, breakdown_payoffs, outside_options, pie)
    q = 1 - p
    solutions: list[tuple[tuple[Fraction, Fraction], tuple[bool, bool]]] = []
    # binds[j]: responder j's reservation is its outside option
    for binds in product((False, True), repeat=2):
        if any(binds[j] and w[j] is None for j in range(2)):
            continue
        # x0 = size - r1, x1 = size - r0, r_j = w_j or delta_j (p b_j + q x_j)
        rows: list[list[Fraction]] = []
        rhs: list[Fraction] = []
        for i in range(2):
            j = 1 - i
            row = [Fraction(0), Fraction(0)]
            row[i] = Fraction(1)
            if binds[j]:
                rhs.append(size - w[j])  # type: ignore[operator]
            else:
                row[j] = deltas[j] * q
                rhs.append(size - deltas[j] * p * b[j])
            rows.append(row)
        det = rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
        x0 = (rhs[0] * rows[1][1] - rows[0][1] * rhs[1]) / det
        x1 = (rows[0][0] * rhs[1] - rhs[0] * rows[1][0]) / det
        x = (x0, x1)
        consistent = True
        for j in range(2):
            wait = deltas[j] * (p * b[j] + q * x[j])
            option = w[j]
            if option is not None and (wait <= option) != binds[j] and wait != option:
                consistent = False
        if consistent:
            solutions.append((x, (binds[0], binds[1])))
    x, binds = solutions[0]
    # Is the offer worth making? The proposer must prefer the deal to provoking a rejection.
    for i in range(2):
        j = 1 - i
        keep = x[i]
        reject = deltas[i] * (p * b[i] + q * (size - x[j]))
        own = w[i]
        walk = own if own is not None else Fraction(0)
        if keep < reject or (binds[j] and keep < walk):
            raise AssertionError("alternating offers: the equilibrium offer is not worth making")
    shares = (x[0], size - x[0]) if first == 0 else (size - x[1], x[1])
    return AlternatingOffers(
        players=(str(players[0]), str(players[1])), discount=deltas, first=first, pie=size, breakdown=p,
        breakdown_payoffs=b, outside_options=w, proposals=x, shares=shares, binding=binds,
    )


@dataclass(frozen=True)
class FiniteAlternatingOffers:
    """Backward induction over ``periods`` offers. ``offers[t]`` is ``(proposer, shares)`` of the
    offer made (and accepted) in period ``t + 1``; ``shares`` is the first period's split."""

    players: tuple[str, str]
    discount: tuple[Fraction, Fraction]
    first: int
    periods: int
    offers: tuple[tuple[int, tuple[Fraction, Fraction]], ...]

    @property
    def shares(self) -> tuple[Fraction, Fraction]:
        return self.offers[0][1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.players),
            "discount": [json_number(d) for d in self.discount],
            "first": self.first,
            "periods": self.periods,
            "offers": [{"period": t + 1, "proposer": i, "shares": [json_number(s) for s in sh],
                        "exact": [json_exact(s) for s in sh]} for t, (i, sh) in enumerate(self.offers)],
        }


def finite_alternating_offers(
    discount: Sequence[float | Fraction],
    periods: int,
    *,
    first: int = 0,
    pie: float | Fraction = 1,
    breakdown: float | Fraction = 0,
    breakdown_payoffs: Sequence[float | Fraction] = (0, 0),
    outside_options: Sequence[float | Fraction | None] = (None, None),
    players: Sequence[str] = ("player 1", "player 2"),
) -> FiniteAlternatingOffers:
    """``periods`` rounds of offers, then no deal (each side left with ``breakdown_payoffs``,
    one period later). Solved backwards: the last proposer offers the responder exactly what
    rejecting is worth to it."""
    if not isinstance(periods, int) or isinstance(periods, bool) or periods < 1:
        raise InputError([Problem(f"periods is a whole number of at least 1, got {periods!r}",
                                  path="periods")])
    if first not in (0, 1):
        raise InputError([Problem(f"first is 0 or 1, got {first!r}", path="first")])
    deltas, p, b, w, size = _inputs(discount, breakdown, breakdown_payoffs, outside_options, pie)
    q = 1 - p
    after = b  # what each side has once the last offer is rejected
    offers: list[tuple[int, tuple[Fraction, Fraction]]] = []
    for t in range(periods, 0, -1):
        i = first if (t - 1) % 2 == 0 else 1 - first
        j = 1 - i
        reserve = deltas[j] * (p * b[j] + q * after[j])
        option = w[j]
        if option is not None:
            reserve = max(reserve, option)
        split = [Fraction(0), Fraction(0)]
        split[j] = reserve
        split[i] = size - reserve
        shares = (split[0], split[1])
        offers.append((i, shares))
        after = shares
    offers.reverse()
    return FiniteAlternatingOffers((str(players[0]), str(players[1])), deltas, first, periods, tuple(offers))


@dataclass(frozen=True, eq=False)
class FrontierOffers:
    """Alternating offers over a game's bargaining frontier.

    ``proposals[i]`` is the frontier point player ``i`` proposes (accepted at once);
    ``agreement`` the first proposer's, with ``lottery`` the outcomes that reach it.
    """

    problem: BargainingProblem
    discount: tuple[Fraction, Fraction]
    first: int
    breakdown: Fraction
    proposals: tuple[Point, Point]
    lottery: tuple[LotteryTerm, ...]

    @property
    def agreement(self) -> Point:
        return self.proposals[self.first]

    def to_dict(self) -> dict[str, Any]:
        players = self.problem.players
        return {
            "discount": [json_number(d) for d in self.discount],
            "first": self.first,
            "breakdown": json_number(self.breakdown),
            "proposals": [[json_number(v) for v in p] for p in self.proposals],
            "agreement": {pl: json_number(v) for pl, v in zip(players, self.agreement)},
            "exact": {pl: json_exact(v) for pl, v in zip(players, self.agreement)},
            "lottery": [{"label": t.outcome.label, "probability": json_number(t.probability)}
                        for t in self.lottery],
        }


def _pieces(chain: Sequence[Point]) -> list[tuple[Fraction, Fraction, Fraction, Fraction]]:
    """Each segment as ``(x_from, x_to, a, b)`` with ``y = a + b x`` on it."""
    out = []
    for p, q in zip(chain, chain[1:]):
        slope = (q[1] - p[1]) / (q[0] - p[0])
        out.append((p[0], q[0], p[1] - slope * p[0], slope))
    return out


def frontier_alternating_offers(
    problem: BargainingProblem,
    discount: Sequence[float | Fraction],
    *,
    first: int = 0,
    breakdown: float | Fraction = 0,
) -> FrontierOffers:
    """The subgame-perfect proposals of alternating offers over a two-player frontier.

    Player 0 proposes ``X`` and player 1 proposes ``Y``, both on the frontier, each leaving the
    responder exactly indifferent (unless the responder's best point already satisfies it):

        Y0 - d0 = a0 (X0 - d0),   X1 - d1 = a1 (Y1 - d1),   a_i = delta_i (1 - breakdown).

    Solved exactly: for each pair of frontier segments (and end points) the two equations are
    linear, and the solution that lies on its segments is kept.
    """
    if problem.n_players != 2 or problem.feasible.agreements != "lotteries":
        raise InputError([Problem("alternating offers over a frontier need two players and lotteries "
                                  "(for side payments use alternating_offers with pie = the surplus)",
                                  path="agreements")])
    if first not in (0, 1):
        raise InputError([Problem(f"first is 0 or 1, got {first!r}", path="first")])
    deltas, p, _, _, _ = _inputs(discount, breakdown, (0, 0), (None, None), 1)
    a0, a1 = deltas[0] * (1 - p), deltas[1] * (1 - p)
    d0, d1 = problem.d[0], problem.d[1]
    chain = list(problem.frontier)
    if len(chain) == 1:
        X = Y = chain[0]
    else:
        pieces = _pieces(chain)
        left, right = chain[0], chain[-1]
        found: tuple[Point, Point] | None = None
        for px, py, clip_x, clip_y in product(pieces, pieces, (False, True), (False, True)):
            # unknowns X0, Y0; equations from the clipping case
            if clip_y:
                y0 = left[0]
                if clip_x:
                    x0 = right[0]
                else:
                    y1 = py[2] + py[3] * y0
                    # px: a + b X0 = d1 + a1 (y1 - d1)
                    x0 = (d1 + a1 * (y1 - d1) - px[2]) / px[3]
            else:
                if clip_x:
                    x0 = right[0]
                    y0 = d0 + a0 * (x0 - d0)
                else:
                    # Y0 = d0 + a0 (X0 - d0);  ax + bx X0 = d1 + a1 (ay + by Y0 - d1)
                    coef = px[3] - a1 * py[3] * a0
                    const = d1 + a1 * (py[2] + py[3] * d0 * (1 - a0) - d1) - px[2]
                    if coef == 0:
                        continue
                    x0 = const / coef
                    y0 = d0 + a0 * (x0 - d0)
            if not (px[0] <= x0 <= px[1] and py[0] <= y0 <= py[1]):
                continue
            x1 = px[2] + px[3] * x0
            y1 = py[2] + py[3] * y0
            need_y0 = d0 + a0 * (x0 - d0)
            need_x1 = d1 + a1 * (y1 - d1)
            if clip_y != (need_y0 <= left[0]) and need_y0 != left[0]:
                continue
            if clip_x != (need_x1 <= right[1]) and need_x1 != right[1]:
                continue
            if not clip_y and y0 != need_y0:
                continue
            if not clip_x and x1 != need_x1:
                continue
            found = ((x0, x1), (y0, y1))
            break
        if found is None:
            raise AssertionError("no stationary alternating-offers point on the frontier")
        X, Y = found
    proposals = (X, Y)
    return FrontierOffers(problem, deltas, first, p, proposals, problem.lottery_for(proposals[first]))
