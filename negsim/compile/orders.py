"""Who should move first: a scenario played simultaneously and in every order of moves."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

from negsim.compile.matrix import compile_matrix
from negsim.compile.trees import move_orders, scenario_tree
from negsim.scenario.schema import Scenario
from negsim.sequential.credibility import OrderComparison
from negsim.sequential.spe import subgame_perfect
from negsim.solve import solve
from negsim.tree.strategic import strategic_game

__all__ = ["compare_orders"]


def compare_orders(scenario: Scenario, overrides: Mapping[str, float] | None = None
                   ) -> tuple[OrderComparison, ...]:
    """The simultaneous game and every order of moves (each later mover sees the earlier
    moves), with the value of moving first for the first mover."""

    if scenario.tree is not None:
        return ()
    ids = list(scenario.players)
    names = {pid: scenario.player_name(pid) for pid in ids}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if scenario.types is None:
            game = compile_matrix(scenario).game(overrides)
            simultaneous = solve(game)
            sim_payoffs = [tuple(float(x) for x in e.payoffs) for e in simultaneous.equilibria]
            sim_outcomes = [e.label(game) for e in simultaneous.equilibria]
        else:
            tree = scenario_tree(scenario, order=ids, observes={pid: [] for pid in ids})

            game = strategic_game(tree.tree(overrides))
            simultaneous = solve(game)
            sim_payoffs = [tuple(float(x) for x in e.payoffs) for e in simultaneous.equilibria]
            sim_outcomes = [e.label(game) for e in simultaneous.equilibria]
    out = [OrderComparison((), "simultaneous", tuple(sim_outcomes), tuple(sim_payoffs))]
    for order in move_orders(scenario):
        tree = scenario_tree(scenario, order=list(order), observes={})
        solution = subgame_perfect(tree.tree(overrides))
        payoffs = tuple(tuple(float(x) for x in e.payoffs) for e in solution.equilibria)
        outcomes = tuple(e.outcome(tree.shape) for e in solution.equilibria)
        leader = ids.index(order[0])
        value = None
        if sim_payoffs and payoffs:
            gains = [p[leader] - q[leader] for p in payoffs for q in sim_payoffs]
            value = (min(gains), max(gains))
        label = " then ".join(names[pid] for pid in order)
        out.append(OrderComparison(tuple(order), label, outcomes, payoffs, value))
    return tuple(out)


