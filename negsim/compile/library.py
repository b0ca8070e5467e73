"""The built-in scenarios as games: what ``negsim list`` shows about each."""

from __future__ import annotations

from dataclasses import dataclass

from negsim.compile.conflict import option_form_shape, option_form_states
from negsim.compile.trees import plan_counts
from negsim.scenario.catalog import builtin_entries
from negsim.scenario.loader import load_builtin
from negsim.scenario.options import OptionScenario
from negsim.scenario.schema import Scenario

__all__ = ["ScenarioInfo", "list_scenarios", "scenario_shape"]


def scenario_shape(scenario: Scenario | OptionScenario) -> tuple[int, ...]:
    """Number of strategies of each player; for a game tree (``timing``, ``tree`` or
    ``types``), the number of plans of each player in its reduced strategic form; for an
    option-form conflict, the number of option combinations of each player."""
    if isinstance(scenario, OptionScenario):
        return option_form_shape(scenario)
    if scenario.is_tree:
        return plan_counts(scenario)
    return tuple(len(p.strategies) for p in scenario.players.values())


@dataclass(frozen=True)
class ScenarioInfo:
    """What ``negsim list`` shows about a built-in scenario."""

    id: str
    title: str
    players: tuple[str, ...]
    shape: tuple[int, ...]
    tags: tuple[str, ...]
    path: str
    options: int = 0
    """Option-form conflicts: the number of options."""
    states: int = 0
    """Option-form conflicts: the number of feasible states."""
    form: str = "game"
    """``game`` (strategies and payoffs), ``tree`` (timing, a tree or types) or ``options``
    (a conflict in option form)."""
    """Where the file is, relative to the package (e.g. ``s400/2025-limited-use.yaml``)."""




def list_scenarios() -> list[ScenarioInfo]:
    """Every built-in scenario, sorted by id; raises if one of them is invalid."""
    infos = []
    for scenario_id, path in builtin_entries():
        scenario = load_builtin(scenario_id)
        infos.append(ScenarioInfo(
            id=scenario.id,
            title=scenario.title,
            players=tuple(scenario.players),
            shape=scenario_shape(scenario),
            tags=tuple(scenario.tags),
            path=path,
            options=len(scenario.option_ids) if isinstance(scenario, OptionScenario) else 0,
            states=option_form_states(scenario) if isinstance(scenario, OptionScenario) else 0,
            form=("options" if isinstance(scenario, OptionScenario)
                  else "tree" if scenario.is_tree else "game"),
        ))
    return infos
