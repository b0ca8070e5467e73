"""From scenarios to games: the compile stage.

A checked :class:`~negsim.scenario.Scenario` becomes a :class:`~negsim.game.ParametricGame`
(:func:`compile_scenario`, payoffs as vectorised functions of the parameters) or, for a
scenario with ``timing``, ``tree`` or ``types``, a :class:`~negsim.tree.ParametricTree`
(:func:`scenario_tree`). :func:`load_source` reads any source a command takes (a scenario
file, a built-in id, a Gambit ``.nfg`` or ``.efg`` file) into a :class:`Source`.

>>> from negsim.compile import load_source
>>> game = load_source("prisoners-dilemma").at()
>>> game.shape
(2, 2)
"""

from negsim.compile.library import ScenarioInfo, list_scenarios, scenario_shape
from negsim.compile.matrix import compile_matrix
from negsim.compile.orders import compare_orders
from negsim.compile.scenario import compile_scenario
from negsim.compile.source import DEFAULT_SCENARIO, Source, load_source, source_of
from negsim.compile.trees import move_orders, scenario_tree
from negsim.scenario.loader import resolve_scenario

__all__ = [
    "DEFAULT_SCENARIO",
    "ScenarioInfo",
    "Source",
    "compare_orders",
    "compile_matrix",
    "compile_scenario",
    "list_scenarios",
    "load_source",
    "move_orders",
    "resolve_scenario",
    "scenario_shape",
    "scenario_tree",
    "source_of",
]
