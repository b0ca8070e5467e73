"""Scenario files: the format, reading and checking them (no games here: compiling a scenario
into a game is :mod:`negsim.compile`).

>>> from negsim.scenario import resolve_scenario
>>> resolve_scenario("prisoners-dilemma").title
"Prisoner's dilemma"
"""

from negsim.scenario.catalog import builtin_entries, builtin_ids, builtin_path
from negsim.scenario.dump import dump_scenario
from negsim.scenario.expr import ExpressionError, compile_expression
from negsim.scenario.issues import ScenarioError
from negsim.scenario.loader import load_builtin, load_scenario, parse_scenario, resolve_scenario
from negsim.scenario.schema import Parameter, Player, Scenario, Source, Strategy

__all__ = [
    "ExpressionError",
    "Parameter",
    "Player",
    "Scenario",
    "ScenarioError",
    "Source",
    "Strategy",
    "builtin_entries",
    "builtin_ids",
    "builtin_path",
    "compile_expression",
    "dump_scenario",
    "load_builtin",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
]
