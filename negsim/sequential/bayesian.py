"""Bayesian games: results per type.

A scenario with ``types`` becomes a tree whose root draws each typed player's type from its
prior (see :mod:`negsim.compile.trees`). Its reduced strategic form is the Harsanyi
transformation: a plan names a move for each type, and the payoffs are expected over the
prior, so the Nash equilibria of that form are the Bayesian Nash equilibria (for types of
positive probability). This module reads any equilibrium (a Nash equilibrium of the strategic
form or a subgame-perfect one) back per type: what each type does, and what each type
expects to get (its *interim* payoff, given its own type).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.sequential.spe import behavior_values
from negsim.tree.model import GameTree, ParametricTree
from negsim.tree.strategic import ReducedForm, behavior_from_mixed

__all__ = ["TypeReport", "per_type", "per_type_of_mixed"]


@dataclass(frozen=True)
class TypeReport:
    """One equilibrium, per type.

    ``moves[player][type]`` maps each of the player's information sets while of that type
    (its label) to the probability of each move played; for a Bayesian game without a move
    order that is a single set, labelled by the type. ``interim[player][type]`` is the
    player's expected payoff given its type. A player without types appears with the single
    type ``"-"``.
    """

    moves: dict[str, dict[str, dict[str, dict[str, float]]]]
    interim: dict[str, dict[str, float]]

    def simple(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{player: {type: {move: probability}}}`` where each type has one set."""
        return {player: {t: next(iter(sets.values())) for t, sets in kinds.items() if len(sets) == 1}
                for player, kinds in self.moves.items()}


def per_type(tree: ParametricTree, at: GameTree, behavior: Sequence[np.ndarray]) -> TypeReport:
    """The behaviour strategy ``behavior`` (a probability vector per information set) of the
    tree ``at`` read per type of each typed player."""
    shape = at.shape
    typed = list(tree.typed_players)
    values, reach = behavior_values(at, behavior)
    depth = len(typed)
    # The nodes right after the chance moves that draw the types: one per profile of types.
    starts = [k for k, node in enumerate(shape.nodes) if node.depth == depth and all(
        shape.nodes[p].kind == "chance" for p, _ in shape.path_to(k))]
    interim: dict[str, dict[str, float]] = {}
    moves: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for position, pid in enumerate(typed):
        i = shape.players.index(pid)
        totals: dict[str, list[float]] = {}
        sets_of: dict[str, set[int]] = {}
        for k in starts:
            kind = shape.nodes[shape.path_to(k)[position][0]].actions[shape.path_to(k)[position][1]]
            total = totals.setdefault(kind, [0.0, 0.0])
            total[0] += reach[k] * values[k, i]
            total[1] += reach[k]
            end = shape.subtree_end[k]
            sets_of.setdefault(kind, set()).update(
                shape.nodes[j].infoset for j in range(k, end)
                if shape.nodes[j].kind == "decision" and shape.nodes[j].player == i)
        interim[pid] = {kind: (t[0] / t[1] if t[1] > 0 else float("nan"))
                        for kind, t in totals.items()}
        moves[pid] = {
            kind: {shape.infosets[s].label: {
                shape.infosets[s].actions[a]: float(p) + 0.0
                for a, p in enumerate(behavior[s]) if p > 1e-12}
                for s in sorted(sets)}
            for kind, sets in sets_of.items()
        }
    for i, pid in enumerate(shape.players):
        if pid in typed:
            continue
        # A player without types is reported as having one ("-").
        sets = shape.infosets_of(i)
        moves[pid] = {"-": {shape.infosets[s].label: {
            shape.infosets[s].actions[a]: float(p) + 0.0
            for a, p in enumerate(behavior[s]) if p > 1e-12} for s in sets}}
        interim[pid] = {"-": float(values[0, i])}
    return TypeReport(moves, interim)


def per_type_of_mixed(tree: ParametricTree, at: GameTree, form: ReducedForm,
                      strategies: Sequence[np.ndarray]) -> TypeReport:
    """A Nash equilibrium of the strategic form (mixed plans, one per player) per type."""
    shape = at.shape
    behavior = [np.full(len(i.actions), 1.0 / len(i.actions)) for i in shape.infosets]
    for player in range(shape.n_players):
        for s, b in behavior_from_mixed(form, player, strategies[player]).items():
            if b is not None:
                behavior[s] = b
    return per_type(tree, at, behavior)
