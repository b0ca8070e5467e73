"""Everything negsim says about a game tree at one point: the subgame-perfect equilibria, the
Nash equilibria of its reduced strategic form, and those of them that rest on moves their
players would not make (non-credible threats and promises)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from negsim.game import Game
from negsim.sequential.contract import tree_solution_to_dict
from negsim.sequential.credibility import nash_on_non_credible_moves
from negsim.sequential.spe import TreeSolution, subgame_perfect
from negsim.solve import solve
from negsim.solve.result import Solution
from negsim.solve.vertex import count_bases
from negsim.tree.model import GameTree, ParametricTree, TreeShape
from negsim.tree.strategic import reduced_form, strategic_game

__all__ = ["TreeAnalysis", "analyze_tree", "tree_method"]

#: ``auto`` enumerates the strategic form of a tree with imperfect information completely up to
#: this many linear systems (reduced forms of trees are degenerate, with many extreme points).
MAX_TREE_BASES = 50_000


@dataclass(frozen=True, eq=False)
class TreeAnalysis:
    tree: ParametricTree
    at: GameTree                 # the tree at the point analysed
    game: Game                   # its reduced strategic form there
    perfect: TreeSolution        # subgame-perfect equilibria
    nash: Solution               # Nash equilibria of the strategic form
    non_credible: tuple[tuple[str, tuple[str, ...]], ...]  # (play, moves) of Nash equilibria

    @property
    def shape(self) -> TreeShape:
        return self.tree.shape

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``negsim solve --format json`` for a tree: the contract keys for the
        Nash equilibria of its strategic form, their behaviour, the tree and its
        subgame-perfect equilibria."""
        return tree_solution_to_dict(self.nash, self.perfect, self.tree)

    def __repr__(self) -> str:
        shape = self.tree.shape
        lines = [f"<TreeAnalysis of {self.tree.id or 'a game tree'}: "
                 f"{len(self.perfect.equilibria)} subgame-perfect equilibri"
                 f"{'um' if len(self.perfect.equilibria) == 1 else 'a'}, "
                 f"{len(self.nash.equilibria)} Nash equilibria of the strategic form"]
        for k, e in enumerate(self.perfect.equilibria, 1):
            payoffs = ", ".join(f"{p} {float(v):.4g}" for p, v in zip(shape.players, e.payoffs))
            lines.append(f"  {k}. {e.outcome(shape)} (payoffs {payoffs})")
        return "\n".join(lines) + ">"


def tree_method(game: Game, shape: TreeShape, method: str = "auto") -> str:
    """What ``auto`` means for a tree's strategic form.

    With perfect information a pure subgame-perfect equilibrium always exists, and the
    strategic form's mixed equilibria come in large components that say little, so only pure
    equilibria are searched. With imperfect information (types, unobserved moves) mixed
    equilibria matter: every extreme one is enumerated where affordable.
    """
    if method != "auto":
        return method
    if shape.perfect_information:
        return "pure"
    if game.n_players == 2 and count_bases(*game.shape) > MAX_TREE_BASES:
        return "lemke-howson"
    return "auto"


def analyze_tree(tree: ParametricTree, overrides: Mapping[str, float] | None = None,
                 method: str = "auto", *, exact: bool = False) -> TreeAnalysis:
    at = tree.tree(overrides)
    form = reduced_form(tree.shape)
    game = strategic_game(at, form)
    perfect = subgame_perfect(at)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nash = solve(game, tree_method(game, tree.shape, method), exact=exact)
    return TreeAnalysis(tree, at, game, perfect, nash, nash_on_non_credible_moves(tree, overrides))
