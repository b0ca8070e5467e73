"""Where games come from: a scenario file, a built-in scenario id, or a Gambit ``.nfg`` or
``.efg`` file.

Every command that takes a SOURCE reads it through :func:`load_source`. A game tree (a
scenario with ``timing``, ``tree`` or ``types``, or a ``.efg`` file) also keeps its tree;
its game is then the tree's reduced strategic form. An option-form scenario (players with
``options``) keeps its conflict; its game is then the conflict's normal form, each player's
strategies being its option combinations.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from negsim.bargaining.analysis import BargainingAnalysis
from negsim.compile.bargaining import bargain_at, repeated_at
from negsim.compile.conflict import compile_conflict, conflict_game
from negsim.compile.matrix import compile_matrix
from negsim.compile.trees import scenario_tree
from negsim.conflict.model import Conflict
from negsim.conflict.parametric import ParametricConflict
from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.io.efg import read_efg
from negsim.io.gambit import read_nfg
from negsim.repeated.play import RepeatedPlay
from negsim.scenario.loader import resolve_scenario
from negsim.scenario.options import OptionScenario
from negsim.scenario.schema import Scenario
from negsim.scenarios import DEFAULT_SCENARIO
from negsim.sequential.analysis import TreeAnalysis, analyze_tree
from negsim.solve import Analysis, Solution, analyze, solve
from negsim.tree.model import GameTree, ParametricTree
from negsim.tree.strategic import game_tree, strategic_form

__all__ = ["DEFAULT_SCENARIO", "Source", "load_source"]



@dataclass(frozen=True, eq=False)
class Source:
    """A loaded game source: the parametric game and, for scenario files, the scenario; for a
    game tree also the tree, whose reduced strategic form ``game`` is; for an option-form
    scenario also the conflict, whose normal form ``game`` is."""

    game: ParametricGame
    scenario: Scenario | OptionScenario | None
    origin: str
    tree: ParametricTree | None = None
    conflict: ParametricConflict | None = None

    def conflict_at(self, overrides: Mapping[str, float] | None = None) -> Conflict:
        """The option-form conflict at a point (an :class:`InputError` for other sources)."""
        if self.conflict is None:
            raise InputError([Problem(
                "not a conflict in option form: its players list strategies, not yes/no options; write "
                "the scenario with players' options and preferences (docs/how-to/conflict-analysis.md)",
                file=self.origin)])
        return self.conflict.conflict(overrides)

    def at(self, overrides: Mapping[str, float] | None = None) -> Game:
        """The game at the default parameters with ``overrides`` applied."""
        return self.game.game(overrides)

    def tree_at(self, overrides: Mapping[str, float] | None = None) -> GameTree:
        """The source's tree at a point: its own tree, or for a strategic-form game the tree in
        which the players move unseen."""
        if self.tree is not None:
            return self.tree.tree(overrides)
        return game_tree(self.at(overrides))

    def solve(self, overrides: Mapping[str, float] | None = None, method: str = "auto", *,
              exact: bool = False) -> Solution | TreeAnalysis:
        """The Nash equilibria at a point; for a game tree the tree's analysis (its
        subgame-perfect and Nash equilibria)."""
        if self.tree is not None:
            return analyze_tree(self.tree, overrides, method, exact=exact)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return solve(self.at(overrides), method, exact=exact)

    def bargain(self, overrides: Mapping[str, float] | None = None, **changes: Any) -> BargainingAnalysis:
        """Where they settle: the bargaining analysis at a point, from the scenario's
        ``bargaining`` declarations with ``changes`` to them (``agreements``,
        ``disagreement``, ``powers``, ``discount``, ``rates``, ``period``, ``first``,
        ``outside_options``, ``breakdown``; see :func:`negsim.compile.bargaining.bargaining_terms`).

        >>> result = load_source("prisoners-dilemma").bargain(disagreement="maximin")
        >>> result.solutions["nash"].how()
        'cooperate / cooperate'
        """
        return bargain_at(self.scenario, self.game, overrides, changes)

    def repeated(self, overrides: Mapping[str, float] | None = None, **changes: Any) -> RepeatedPlay:
        """Can cooperation last: repeated play of the stage game at a point, from the
        scenario's ``repeated`` declarations with ``changes`` (``cooperation``,
        ``punishment``, ``discount``, ``rounds``).

        >>> play = load_source("prisoners-dilemma").repeated(discount=(0.9, 0.9))
        >>> play.cooperation[0].label
        'cooperate / cooperate'
        """
        return repeated_at(self.scenario, self.game, overrides, changes)

    def analyze(self, overrides: Mapping[str, float] | None = None, method: str = "auto", *,
                exact: bool = False) -> Analysis | TreeAnalysis:
        """Everything ``negsim run`` reports at a point: equilibria, dominance, Pareto set,
        maximin; for a game tree its subgame-perfect and Nash equilibria and credibility."""
        if self.tree is not None:
            return analyze_tree(self.tree, overrides, method, exact=exact)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return analyze(self.at(overrides), method, exact=exact)


def load_source(source: str) -> Source:
    """A path to ``.yaml``/``.yml``, ``.nfg`` or ``.efg``, or the id of a built-in scenario."""
    if source.lower().endswith(".nfg"):
        return Source(ParametricGame.constant(read_nfg(source)), None, source)
    if source.lower().endswith(".efg"):
        tree = ParametricTree.constant(read_efg(source), source=source)
        return Source(strategic_form(tree), None, source, tree)
    return source_of(resolve_scenario(source), source)


def source_of(scenario: Scenario | OptionScenario, origin: str | None = None) -> Source:
    """A loaded scenario as a source: its game, and its tree if it is a game tree (its conflict
    if it is in option form)."""
    origin = origin or scenario.origin or scenario.id
    if isinstance(scenario, OptionScenario):
        conflict = compile_conflict(scenario)
        return Source(conflict_game(conflict, origin), scenario, origin, conflict=conflict)
    if scenario.is_tree:
        tree = scenario_tree(scenario)
        return Source(strategic_form(tree), scenario, origin, tree)
    return Source(compile_matrix(scenario), scenario, origin)
