"""Game trees: sequential moves, chance moves, information sets and types, as games.

A scenario with ``timing``, ``types`` or payoffs as a ``tree`` (or a Gambit ``.efg`` file)
is a :class:`ParametricTree`; at one parameter point it is a :class:`GameTree`. From it
:func:`strategic_form` gives the reduced strategic form as a
:class:`~negsim.game.ParametricGame` (the Harsanyi transformation for types), and
:func:`game_tree` turns a strategic-form game into a tree whose players move unseen.
Solving trees (subgame-perfect equilibria, credibility) is :mod:`negsim.sequential`.
"""

from negsim.tree.model import GameTree, Infoset, Node, ParametricTree, TreeBuilder, TreeShape
from negsim.tree.strategic import (
    ReducedForm,
    behavior_from_mixed,
    game_tree,
    plan_count,
    reduced_form,
    strategic_form,
    strategic_game,
)

__all__ = [
    "GameTree",
    "Infoset",
    "Node",
    "ParametricTree",
    "ReducedForm",
    "TreeBuilder",
    "TreeShape",
    "behavior_from_mixed",
    "game_tree",
    "plan_count",
    "reduced_form",
    "strategic_form",
    "strategic_game",
]
