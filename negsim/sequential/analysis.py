"""Everything negsim says about a game tree at one point: the subgame-perfect equilibria, the
Nash equilibria of its reduced strategic form, and those of them that rest on moves their
players would not make (non-credible threats and promises)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from negsim.game import Game
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
