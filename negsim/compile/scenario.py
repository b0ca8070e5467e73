"""From a checked :class:`Scenario` to its game: the simultaneous game of its strategies, or
the reduced strategic form of its game tree."""

from __future__ import annotations

from negsim.compile.conflict import compile_conflict, conflict_game
from negsim.compile.matrix import compile_matrix
from negsim.compile.trees import scenario_tree
from negsim.game import ParametricGame
from negsim.scenario.options import OptionScenario
from negsim.scenario.schema import Scenario
from negsim.tree.strategic import strategic_form

__all__ = ["compile_scenario"]


def compile_scenario(scenario: Scenario | OptionScenario) -> ParametricGame:
    """The game a scenario describes, with payoffs as a vectorised function of its parameters.

    For a game tree (a scenario with ``timing``, ``tree`` or ``types``) this is the tree's
    reduced strategic form, whose strategies are plans (for types: the Harsanyi
    transformation); :func:`negsim.compile.trees.scenario_tree` gives the tree itself. For an
    option-form scenario it is the conflict's normal form (its strategies are each player's
    option combinations); :func:`negsim.compile.conflict.compile_conflict` gives the conflict.

    Raises :class:`ScenarioError` if a payoff is not a finite number at the default parameter
    values (the same check runs at every point the payoff function is asked for).
    """
    if isinstance(scenario, OptionScenario):
        return conflict_game(compile_conflict(scenario), scenario.origin or scenario.id)
    if scenario.is_tree:
        return strategic_form(scenario_tree(scenario))
    return compile_matrix(scenario)
