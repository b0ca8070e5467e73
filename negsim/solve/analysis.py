"""Everything negsim says about one game: equilibria plus dominance, Pareto, maximin, welfare."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negsim.game import Game
from negsim.solve.dominance import DominanceResult, iterated_elimination
from negsim.solve.equilibria import solve
from negsim.solve.result import Solution
from negsim.solve.welfare import (
    Maximin,
    Welfare,
    best_responses,
    maximin,
    pareto_efficient,
    welfare,
)

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True, eq=False)
class Analysis:
    solution: Solution
    best_responses: np.ndarray  # (n, m_0, ..., m_{n-1}) booleans
    strict_dominance: DominanceResult  # iterated, by pure or mixed strategies
    weak_dominance: DominanceResult  # iterated, order-dependent
    pareto: list[tuple[int, ...]]
    maximin: list[Maximin]
    welfare: list[Welfare]  # one per equilibrium, in order

    @property
    def game(self) -> Game:
        return self.solution.game


def analyze(game: Game, method: str = "auto", *, exact: bool = False, tol: float = 1e-9) -> Analysis:
    solution = solve(game, method, exact=exact, tol=tol)
    return Analysis(
        solution=solution,
        best_responses=best_responses(game, tol=tol),
        strict_dominance=iterated_elimination(game, weak=False, tol=tol),
        weak_dominance=iterated_elimination(game, weak=True, tol=tol),
        pareto=pareto_efficient(game, tol=tol),
        maximin=maximin(game),
        welfare=[welfare(e) for e in solution.equilibria],
    )
