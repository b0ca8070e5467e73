"""The zone of possible agreement (ZOPA), in words.

The agreements every side prefers to no deal: each player gets at least its disagreement
payoff. Listed are the pure outcomes in it (those that make everyone better off first), and,
with lotteries or side payments, the efficient edge of the zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negsim.bargaining.geometry import Point
from negsim.bargaining.numeric import fmt, json_exact, json_number
from negsim.bargaining.payoff_set import Outcome
from negsim.bargaining.problem import BargainingProblem

__all__ = ["Zopa", "zone_of_agreement"]


@dataclass(frozen=True)
class Zopa:
    """``minimums`` are the disagreement payoffs; ``better`` the pure outcomes that give every
    player more, ``weakly`` those that give some player more and none less; ``efficient`` the
    Pareto-efficient ones among both; ``edge`` the efficient edge (two players, convex sets)."""

    minimums: tuple[Fraction, ...]
    better: tuple[Outcome, ...]
    weakly: tuple[Outcome, ...]
    efficient: tuple[Outcome, ...]
    edge: tuple[Point, ...]
    text: str

    def to_dict(self, players: tuple[str, ...]) -> dict[str, Any]:
        return {
            "minimums": {p: json_number(v) for p, v in zip(players, self.minimums)},
            "minimums_exact": {p: json_exact(v) for p, v in zip(players, self.minimums)},
            "better": [o.label for o in self.better],
            "weakly": [o.label for o in self.weakly],
            "efficient": [o.label for o in self.efficient],
            "edge": [[json_number(v) for v in p] for p in self.edge],
            "text": self.text,
        }


def _listed(outcomes: tuple[Outcome, ...], names: tuple[str, ...], first: bool) -> str:
    items = []
    for k, o in enumerate(outcomes):
        if first and k == 0:
            values = ", ".join(f"{n} {fmt(v)}" for n, v in zip(names, o.payoffs))
        else:
            values = ", ".join(fmt(v) for v in o.payoffs)
        items.append(f"{o.label} ({values})")
    return "; ".join(items)


def zone_of_agreement(problem: BargainingProblem) -> Zopa:
    """The ZOPA of a bargaining problem, with a paragraph that says it."""
    names = problem.names
    d = problem.d
    better = tuple(problem.improving())
    weakly = tuple(o for o in problem.candidates if o not in better and o.payoffs != d)
    pool = better + weakly
    efficient = tuple(o for o in pool if not any(
        all(q.payoffs[i] >= o.payoffs[i] for i in range(len(d))) and q.payoffs != o.payoffs for q in pool))
    minimums = " and ".join(f"{n} at least {fmt(v)}" for n, v in zip(names, d))
    text = f"Any agreement that gives {minimums} ({problem.disagreement.description})."
    if better:
        text += f" The outcomes in it that make every side better off: {_listed(better, names, True)}."
    if weakly:
        text += (f" Outcomes that make some side better off and none worse off: "
                 f"{_listed(weakly, names, not better)}.")
    agreements = problem.feasible.agreements
    edge = problem.frontier if agreements != "pure" else ()
    if agreements == "lotteries" and len(edge) > 1:
        ends = " to ".join(f"({', '.join(fmt(v) for v in p)})" for p in (edge[0], edge[-1]))
        text += (f" With lotteries, any mix of outcomes whose expected payoffs meet these minimums; "
                 f"its efficient edge runs from {ends}.")
    elif agreements == "transfers":
        tops = ", ".join(o.label for o in problem.feasible.max_total_outcomes())
        text += (f" With side payments, any split of the largest total {fmt(problem.feasible.total)} "
                 f"({tops}) that gives each side its minimum: a surplus of {fmt(problem.surplus)} to share.")
    return Zopa(d, better, weakly, efficient, tuple(edge), text)
