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

from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use, so that a command reading an .nfg file loads no scenario machinery.
_LAZY = {
    "ScenarioInfo": "negsim.compile.library",
    "list_scenarios": "negsim.compile.library",
    "scenario_shape": "negsim.compile.library",
    "compile_matrix": "negsim.compile.matrix",
    "compare_orders": "negsim.compile.orders",
    "compile_scenario": "negsim.compile.scenario",
    "DEFAULT_SCENARIO": "negsim.compile.source",
    "Source": "negsim.compile.source",
    "load_source": "negsim.compile.source",
    "source_of": "negsim.compile.source",
    "move_orders": "negsim.compile.trees",
    "scenario_tree": "negsim.compile.trees",
    "resolve_scenario": "negsim.scenario.loader",
}

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negsim.compile' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
