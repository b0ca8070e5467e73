"""Scenario files: the format, reading and checking them, and compiling them into games.

>>> from negsim.scenario import resolve_scenario, compile_scenario   # doctest: +SKIP
>>> game = compile_scenario(resolve_scenario("prisoners-dilemma")).game()   # doctest: +SKIP
"""

from negsim.scenario.catalog import ScenarioInfo, builtin_ids, builtin_path, list_scenarios
from negsim.scenario.compile import compile_scenario
from negsim.scenario.dump import dump_scenario
from negsim.scenario.expr import ExpressionError, compile_expression
from negsim.scenario.loader import ScenarioError, load_scenario, parse_scenario, resolve_scenario
from negsim.scenario.schema import Parameter, Player, Scenario, Source, Strategy

__all__ = [
    "ExpressionError",
    "Parameter",
    "Player",
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "Source",
    "Strategy",
    "builtin_ids",
    "builtin_path",
    "compile_expression",
    "compile_scenario",
    "dump_scenario",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
]
