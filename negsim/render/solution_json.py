"""The JSON form of a solution (the contract of ``negsim solve --format json``).

The dicts are built where the results are (:meth:`negsim.solve.Solution.to_dict`,
:meth:`negsim.sequential.TreeAnalysis.to_dict`); this module names them for the commands and
adds the record of ``negsim credibility``.

Contract keys: ``scenario``, ``players``, ``strategies``, ``parameters``, ``degenerate``,
``equilibria`` (each with ``kind``, ``profile``, ``strategies``, ``payoffs``). Further keys add
detail without changing those: ``method``, ``complete``, ``exact``, ``components``,
``warnings``, and per equilibrium its ``regret`` and, with ``--exact``, ``exact`` fractions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.render.interpretation import interpretation_of
from negsim.sequential.analysis import TreeAnalysis
from negsim.sequential.contract import tree_solution_to_dict
from negsim.solve.analysis import Analysis
from negsim.solve.result import Solution
from negsim.solve.result import json_number as _number

__all__ = [
    "analysis_to_dict",
    "credibility_to_dict",
    "interpretation_of",
    "solution_to_dict",
    "tree_solution_to_dict",
]


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The JSON of ``negsim solve --format json``: :meth:`Solution.to_dict`."""
    return solution.to_dict()


def credibility_to_dict(report: Any, orders: Any = ()) -> dict[str, Any]:
    """The JSON of ``negsim credibility``: the subgame-perfect play, each response analysed
    (``credible``, ``margin``, ``kind``, what believing it would change, and per parameter the
    intervals where it is ``credible_when`` and the ``thresholds``), the Nash equilibria that
    rest on non-credible moves, and the comparison of move orders."""
    shape = report.tree.shape
    players = list(shape.players)
    return {
        "scenario": report.tree.id,
        "players": players,
        "parameters": {name: _number(v) for name, v in report.values.items()},
        "order": list(report.tree.order),
        "subgame_perfect": [
            {
                "outcome": e.outcome(shape),
                "path": e.path(shape),
                "payoffs": {p: float(e.payoffs[i]) + 0.0 for i, p in enumerate(players)},
            }
            for e in report.solution.equilibria
        ],
        "responses": [
            {
                "response": r.description,
                "player": shape.players[shape.nodes[r.node].player],
                "after": shape.history_text(r.node),
                "move": shape.nodes[r.node].actions[r.action],
                "kind": r.kind,
                "credible": r.credible,
                "margin": r.margin,
                "best": list(r.best),
                "in_equilibrium": r.in_equilibrium,
                "on_path": r.on_path,
                "outcome_if_played": r.outcome_if_played,
                "gain_if_played": r.gain_if_played,
                "outcome_without": r.outcome_without or None,
                "consequence": r.consequence,
                "regions": [
                    {
                        "parameter": g.parameter,
                        "range": [g.low, g.high],
                        "credible_when": [list(i) for i in g.credible],
                        "thresholds": list(g.thresholds),
                        "in_words": g.describe(),
                    }
                    for g in r.regions
                ],
                "statement": r.statement,
            }
            for r in report.responses
        ],
        "nash_not_credible": [
            {"outcome": play, "non_credible_moves": list(moves)} for play, moves in report.nash_not_credible
        ],
        "orders": [
            {
                "order": list(o.order),
                "label": o.label,
                "outcomes": list(o.outcomes),
                "payoffs": [{q: _number(round(x, 12)) for q, x in zip(players, p)} for p in o.payoffs],
                "value_of_moving_first": (
                    None if o.value_of_moving_first is None else list(o.value_of_moving_first)
                ),
            }
            for o in orders
        ],
    }


# -- negsim run --format json --------------------------------------------------------------------


def analysis_to_dict(analysis: Analysis | TreeAnalysis, scenario: Any = None) -> dict[str, Any]:
    """The JSON of ``negsim run``: the solve contract (for a tree, the tree's) plus what the
    report adds: best responses, dominance, the Pareto set, maximin, welfare, the status quo,
    and the scenario's interpretation with whether it applies at these parameter values."""
    if isinstance(analysis, TreeAnalysis):
        data = analysis.to_dict()
        data["non_credible"] = [{"play": play, "moves": list(moves)} for play, moves in analysis.non_credible]
        data["interpretation"] = interpretation_of(scenario, analysis.game.parameters)
        return data
    game = analysis.game
    data = solution_to_dict(analysis.solution)

    def profile(p: tuple[int, ...]) -> dict[str, str]:
        return {player: game.strategies[i][k] for i, (player, k) in enumerate(zip(game.players, p))}

    def dominance(result: Any) -> dict[str, Any]:
        return {
            "steps": [
                {
                    "round": s.round,
                    "player": game.players[s.player],
                    "strategy": game.strategies[s.player][s.strategy],
                    "dominated_by": {
                        game.strategies[s.player][k]: _number(p) for k, p in s.dominator.items()
                    },
                    "margin": _number(s.margin),
                }
                for s in result.steps
            ],
            "surviving": {
                player: [game.strategies[i][k] for k in result.surviving[i]]
                for i, player in enumerate(game.players)
            },
        }

    data["best_responses"] = {
        player: [profile(tuple(int(k) for k in p)) for p in np.argwhere(analysis.best_responses[i])]
        for i, player in enumerate(game.players)
    }
    data["strict_dominance"] = dominance(analysis.strict_dominance)
    data["weak_dominance"] = dominance(analysis.weak_dominance)
    data["pareto"] = [profile(p) for p in analysis.pareto]
    data["maximin"] = {
        game.players[m.player]: {
            "pure": [game.strategies[m.player][k] for k in m.pure],
            "pure_level": _number(m.pure_level),
            "mixed": {game.strategies[m.player][k]: _number(p) for k, p in enumerate(m.mixed) if p > 0},
            "level": _number(m.level),
        }
        for m in analysis.maximin
    }
    data["welfare"] = [{"total": _number(w.total), "minimum": _number(w.minimum)} for w in analysis.welfare]
    status_quo = None
    if game.status_quo is not None:
        sq = game.status_quo
        status_quo = {
            "profile": profile(sq),
            "payoffs": {player: _number(game.payoffs[(i, *sq)]) for i, player in enumerate(game.players)},
            "equilibrium": any(e.pure_profile() == sq for e in analysis.solution.equilibria),
        }
    data["status_quo"] = status_quo
    data["interpretation"] = interpretation_of(scenario, game.parameters)
    return data
