"""The JSON form of a game tree's solution at one point (``negsim solve --format json`` of a
tree): the contract keys of :meth:`negsim.solve.Solution.to_dict` for the Nash equilibria of
its reduced strategic form, plus the behaviour, the tree and the subgame-perfect equilibria."""

from __future__ import annotations

from typing import Any

from negsim.sequential.bayesian import per_type, per_type_of_mixed
from negsim.solve.result import Solution
from negsim.solve.result import json_number as _number
from negsim.tree.strategic import behavior_from_mixed, reduced_form

__all__ = ["tree_solution_to_dict"]


def tree_solution_to_dict(solution: Solution, perfect: Any, tree: Any = None) -> dict[str, Any]:
    """The JSON of a game tree: the contract keys for the Nash equilibria of its reduced
    strategic form (strategies are plans), plus

    - per equilibrium ``behavior``: ``{player: {information set: {move: probability}}}``;
      in a game with types also ``interim_payoffs`` (``{player: {type: expected payoff}}``)
      and, without a move order (a Bayesian game), ``types``:
      ``{player: {type: {move: probability}}}``;
    - ``tree``: how the tree was made (``origin``, ``order``), its size and its players'
      information sets;
    - ``subgame_perfect``: each subgame-perfect equilibrium with its ``path`` (every move
      made with positive probability), ``outcome`` (the play in words), ``strategies``
      (a move at every information set, also off the path), ``payoffs`` (and per type, as
      above, in a game with types);
    - ``subgame_perfect_complete``: whether every one of them is listed.

    ``perfect`` is the :class:`negsim.sequential.spe.TreeSolution` of the same tree and point;
    ``tree`` the :class:`negsim.tree.ParametricTree` it comes from.
    """

    at = perfect.tree
    shape = at.shape
    origin = getattr(tree, "origin", "tree")
    typed = bool(getattr(tree, "typed_players", ()))
    form = reduced_form(shape)
    data = solution.to_dict()
    for item, e in zip(data["equilibria"], solution.equilibria):
        behavior = {}
        for i, player in enumerate(shape.players):
            sets = behavior_from_mixed(form, i, e.strategies[i])
            behavior[player] = {
                shape.infosets[s].label: _moves(shape.infosets[s].actions, b)
                for s, b in sets.items() if b is not None
            }
        item["behavior"] = behavior
        if typed:
            report = per_type_of_mixed(tree, at, form, e.strategies)
            _add_types(item, report, origin)
    data["tree"] = {
        "origin": origin,
        "order": list(getattr(tree, "order", ())),
        "typed_players": list(getattr(tree, "typed_players", ())),
        "nodes": len(shape.nodes),
        "outcomes": len(shape.leaves),
        "perfect_information": shape.perfect_information,
        "information_sets": {
            player: [shape.infosets[s].label for s in shape.infosets_of(i)]
            for i, player in enumerate(shape.players)
        },
    }
    data["subgame_perfect"] = []
    for e in perfect.equilibria:
        item = {
            "kind": "pure" if e.pure else "mixed",
            "outcome": e.outcome(shape),
            "path": e.path(shape),
            "strategies": {
                player: {shape.infosets[s].label: e.moves(shape, s) for s in shape.infosets_of(i)}
                for i, player in enumerate(shape.players)
            },
            "payoffs": {player: round(float(e.payoffs[i]), 12) + 0.0
                        for i, player in enumerate(shape.players)},
        }
        if typed:
            _add_types(item, per_type(tree, at, e.behavior), origin)
        data["subgame_perfect"].append(item)
    data["subgame_perfect_complete"] = perfect.complete
    data["warnings"] = list(dict.fromkeys([*data["warnings"], *perfect.warnings]))
    return data


def _add_types(item: dict[str, Any], report: Any, origin: str) -> None:
    if origin == "types":
        item["types"] = report.simple()
    item["interim_payoffs"] = {
        player: {kind: _number(round(v, 12)) for kind, v in kinds.items()}
        for player, kinds in report.interim.items()
    }


def _moves(actions: tuple[str, ...], probabilities: Any) -> dict[str, float]:
    return {a: float(p) + 0.0 for a, p in zip(actions, probabilities) if p > 1e-12}
