"""Bargaining solutions of a :class:`~negsim.bargaining.problem.BargainingProblem`, each with the
agreement (outcome, lottery, or outcome plus side payments) that achieves it.

``nash``
    maximises the product of the gains over the disagreement point (Nash 1950); with bargaining
    powers ``w`` the weighted product ``prod (u_i - d_i)^w_i`` (asymmetric Nash, Kalai 1977);
``kalai-smorodinsky``
    gives every player the same share of its largest possible gain (Kalai and Smorodinsky 1975);
``egalitarian``
    gives equal gains (or gains in proportion to weights: Kalai's proportional solution);
``utilitarian``
    maximises the (weighted) total among agreements that give every player at least ``d``; when a
    whole edge ties, the Nash point of that edge is taken.

Two players with lotteries: exact points of the polygonal frontier (:mod:`negsim.bargaining.points`).
Side payments (any number of players): closed forms over the largest total. Pure outcomes only
(any number of players): the best outcome by each criterion among those that give everyone at
least ``d`` (for Nash: those that give everyone more), ties listed. The criteria on a finite set:
Kalai-Smorodinsky maximises ``min_i (u_i - d_i) / (I_i - d_i)`` with ``I`` the ideal point of
those outcomes, egalitarian ``min_i (u_i - d_i) / w_i`` (ties broken by the total).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negsim.bargaining.numeric import fmt
from negsim.bargaining.payoff_set import Outcome
from negsim.bargaining.points import (
    egalitarian_point,
    kalai_smorodinsky_point,
    nash_point,
    nash_product,
    utilitarian_point,
)
from negsim.bargaining.problem import Agreement, BargainingProblem, LotteryTerm, normalise_weights

__all__ = [
    "SOLUTIONS",
    "BargainingSolutions",
    "egalitarian",
    "kalai_smorodinsky",
    "nash_solution",
    "solve_bargaining",
    "utilitarian",
]

SOLUTIONS: tuple[str, ...] = ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian")

_TITLES = {
    "nash": "Nash bargaining solution",
    "kalai-smorodinsky": "Kalai-Smorodinsky solution",
    "egalitarian": "egalitarian solution",
    "utilitarian": "utilitarian solution",
}

Weights = Sequence[float | Fraction] | float | Fraction | None


def _title(kind: str, weights: tuple[Fraction, ...]) -> str:
    equal = len(set(weights)) == 1
    if kind == "nash" and not equal:
        return f"asymmetric Nash bargaining solution (powers {', '.join(fmt(w) for w in weights)})"
    if kind == "egalitarian" and not equal:
        return f"proportional solution (weights {', '.join(fmt(w) for w in weights)})"
    if kind == "utilitarian" and not equal:
        return f"weighted utilitarian solution (weights {', '.join(fmt(w) for w in weights)})"
    return _TITLES[kind]


def _from_point(problem: BargainingProblem, kind: str, point: tuple[Fraction, ...],
                weights: tuple[Fraction, ...], note: str = "") -> Agreement:
    title = _title(kind, weights)
    if problem.feasible.agreements == "transfers":
        base = problem.feasible.max_total_outcomes()[0]
        transfers = tuple(p - b for p, b in zip(point, base.payoffs))
        return Agreement(kind, title, tuple(point), (LotteryTerm(base, Fraction(1)),), transfers,
                         weights, note=note)
    return Agreement(kind, title, tuple(point), problem.lottery_for(point), None, weights, note=note)


def _pure(problem: BargainingProblem, kind: str, weights: tuple[Fraction, ...],
          score: Callable[[Outcome], Any], pool: Sequence[Outcome], note: str = "") -> Agreement:
    best = max(score(o) for o in pool)
    winners = [o for o in pool if score(o) == best]
    ties = tuple(o for o in winners[1:])
    if ties:
        note = (note + "; " if note else "") + "equally good: " + ", ".join(o.label for o in ties)
    w = winners[0]
    return Agreement(kind, _title(kind, weights), w.payoffs, (LotteryTerm(w, Fraction(1)),), None,
                     weights, ties, note)


def _product_key(o: Outcome, d: Sequence[Fraction], weights: Sequence[Fraction]) -> Any:
    gains = [u - di for u, di in zip(o.payoffs, d)]
    denominator = math.lcm(*(w.denominator for w in weights))
    if denominator <= 64:
        return math.prod((g ** int(w * denominator) for g, w in zip(gains, weights)), start=Fraction(1))
    return round(nash_product(o.payoffs, d, weights), 12)


def nash_solution(problem: BargainingProblem, powers: Weights = None) -> Agreement:
    """The Nash bargaining solution; ``powers`` (one per player, or ``alpha`` for player 0 of two)
    make it the asymmetric one."""
    w = normalise_weights(powers, problem.n_players)
    d = problem.d
    agreements = problem.feasible.agreements
    if agreements == "transfers":
        surplus = problem.surplus
        return _from_point(problem, "nash", tuple(di + wi * surplus for di, wi in zip(d, w)), w)
    if agreements == "lotteries":
        point = nash_point(list(problem.frontier), (d[0], d[1]), w)
        return _from_point(problem, "nash", point, w)
    return _pure(problem, "nash", w, lambda o: _product_key(o, d, w), problem.improving())


def kalai_smorodinsky(problem: BargainingProblem) -> Agreement:
    """The Kalai-Smorodinsky solution: equal shares of each player's largest possible gain."""
    n = problem.n_players
    w = normalise_weights(None, n)
    d = problem.d
    agreements = problem.feasible.agreements
    if agreements == "transfers":
        # every player's largest gain is the whole surplus, so KS splits it equally
        surplus = problem.surplus
        return _from_point(problem, "kalai-smorodinsky", tuple(di + surplus / n for di in d), w)
    if agreements == "lotteries":
        point = kalai_smorodinsky_point(list(problem.frontier), (d[0], d[1]))
        return _from_point(problem, "kalai-smorodinsky", point, w)
    pool = problem.candidates
    ideal = [max(o.payoffs[i] for o in pool) for i in range(n)]

    def score(o: Outcome) -> Any:
        return (min((u - di) / (hi - di) for u, di, hi in zip(o.payoffs, d, ideal)), sum(o.payoffs))

    note = "ideal point (" + ", ".join(fmt(v) for v in ideal) + ")"
    return _pure(problem, "kalai-smorodinsky", w, score, pool, note)


def egalitarian(problem: BargainingProblem, weights: Weights = None) -> Agreement:
    """Equal gains over the disagreement point (gains in proportion to ``weights``)."""
    w = normalise_weights(weights, problem.n_players, path="weights")
    d = problem.d
    agreements = problem.feasible.agreements
    if agreements == "transfers":
        surplus = problem.surplus
        return _from_point(problem, "egalitarian", tuple(di + wi * surplus for di, wi in zip(d, w)), w)
    if agreements == "lotteries":
        point = egalitarian_point(list(problem.frontier), (d[0], d[1]), w)
        return _from_point(problem, "egalitarian", point, w)

    def score(o: Outcome) -> Any:
        return (min((u - di) / wi for u, di, wi in zip(o.payoffs, d, w)), sum(o.payoffs))

    return _pure(problem, "egalitarian", w, score, problem.candidates)


def utilitarian(problem: BargainingProblem, weights: Weights = None) -> Agreement:
    """The largest (weighted) total among agreements that give everyone at least ``d``."""
    w = normalise_weights(weights, problem.n_players, path="weights")
    d = problem.d
    agreements = problem.feasible.agreements
    if agreements == "transfers":
        surplus = problem.surplus
        top = max(w)
        best = [i for i, wi in enumerate(w) if wi == top]
        # the surplus goes to the players with the largest weight, split equally among them
        point = tuple(di + (surplus / len(best) if i in best else 0) for i, di in enumerate(d))
        note = ("any split of the largest total is utilitarian; the equal split is shown"
                if len(best) == len(w) else "")
        return _from_point(problem, "utilitarian", point, w, note)
    if agreements == "lotteries":
        point, tie = utilitarian_point(list(problem.frontier), (d[0], d[1]), w)
        note = "a whole frontier edge has the largest total; its Nash point is shown" if tie else ""
        return _from_point(problem, "utilitarian", point, w, note)

    def score(o: Outcome) -> Any:
        return (sum(wi * u for wi, u in zip(w, o.payoffs)),
                _product_key(o, d, normalise_weights(None, len(w))) if all(
                    u > di for u, di in zip(o.payoffs, d)) else Fraction(-1))

    return _pure(problem, "utilitarian", w, score, problem.candidates)


@dataclass(frozen=True, eq=False)
class BargainingSolutions:
    """Every solution of one problem, in the order of :data:`SOLUTIONS`."""

    problem: BargainingProblem
    agreements: tuple[Agreement, ...]

    def __getitem__(self, kind: str) -> Agreement:
        for a in self.agreements:
            if a.solution == kind:
                return a
        raise KeyError(kind)

    def lines(self) -> list[str]:
        return [a.describe(self.problem.names) for a in self.agreements]

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem.to_dict(),
            "solutions": [a.to_dict(self.problem.players) for a in self.agreements],
        }


def solve_bargaining(problem: BargainingProblem, *, powers: Weights = None,
                     weights: Weights = None) -> BargainingSolutions:
    """All four solutions: Nash (with ``powers``), Kalai-Smorodinsky, egalitarian and utilitarian
    (with ``weights``)."""
    return BargainingSolutions(problem, (
        nash_solution(problem, powers),
        kalai_smorodinsky(problem),
        egalitarian(problem, weights),
        utilitarian(problem, weights),
    ))
