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

from negsim.sequential.contract import tree_solution_to_dict
from negsim.solve.result import Solution
from negsim.solve.result import json_number as _number

__all__ = ["credibility_to_dict", "solution_to_dict", "tree_solution_to_dict"]


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
            {"outcome": e.outcome(shape), "path": e.path(shape),
             "payoffs": {p: float(e.payoffs[i]) + 0.0 for i, p in enumerate(players)}}
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
                    {"parameter": g.parameter, "range": [g.low, g.high],
                     "credible_when": [list(i) for i in g.credible],
                     "thresholds": list(g.thresholds), "in_words": g.describe()}
                    for g in r.regions
                ],
                "statement": r.statement,
            }
            for r in report.responses
        ],
        "nash_not_credible": [
            {"outcome": play, "non_credible_moves": list(moves)}
            for play, moves in report.nash_not_credible
        ],
        "orders": [
            {"order": list(o.order), "label": o.label, "outcomes": list(o.outcomes),
             "payoffs": [{q: _number(round(x, 12)) for q, x in zip(players, p)} for p in o.payoffs],
             "value_of_moving_first": (None if o.value_of_moving_first is None
                                       else list(o.value_of_moving_first))}
            for o in orders
        ],
    }
