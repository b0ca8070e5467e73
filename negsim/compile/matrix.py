"""A scenario's simultaneous game: players, strategies and payoffs as a
:class:`~negsim.game.ParametricGame`.

The payoff function evaluates each payoff expression once per call, on arrays: parameters
vary along the leading "points" axis and each player's attributes along that player's
strategy axis, so broadcasting yields every profile at every point without a Python loop over
points.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from negsim.compile.payoffs import checked, locator, payoff_evaluator, point_count
from negsim.game import ParametricGame
from negsim.scenario.checks import feasible_mask, profile_indices
from negsim.scenario.schema import Scenario

__all__ = ["compile_matrix"]


def compile_matrix(scenario: Scenario) -> ParametricGame:
    """The scenario's players, strategies and payoffs as a simultaneous game, ignoring
    ``timing`` (the game a move order is compared with). Not for ``tree`` or ``types``."""
    if scenario.tree is not None or scenario.types is not None:
        raise ValueError("a scenario with a tree or types has no simultaneous matrix of its own")
    players = scenario.players
    ids = tuple(players)
    strategies = tuple(tuple(p.strategies) for p in players.values())
    shape = tuple(len(s) for s in strategies)
    feasible = feasible_mask(players, scenario.infeasible)
    evaluate = payoff_evaluator(scenario, shape)
    locate = locator(scenario)

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        arrays = {name: np.asarray(values[name], dtype=float).reshape(-1)
                  for name in scenario.parameters}
        size = len(next(iter(arrays.values()))) if arrays else point_count(values)
        payoffs = evaluate(arrays, size)
        return checked(payoffs, feasible, scenario, arrays, locate)

    status_quo = None
    if scenario.status_quo is not None:
        status_quo = profile_indices(scenario.status_quo, players, ("status_quo",), [])
    game = ParametricGame(
        players=ids,
        strategies=strategies,
        payoff_function=payoff_function,
        defaults={name: p.value for name, p in scenario.parameters.items()},
        bounds={name: (p.min, p.max) for name, p in scenario.parameters.items()},
        id=scenario.id,
        title=scenario.title,
        player_names=tuple(scenario.player_name(pid) for pid in ids),
        strategy_names=tuple(
            tuple(scenario.strategy_name(pid, sid) for sid in players[pid].strategies)
            for pid in ids
        ),
        infeasible=None if feasible.all() else ~feasible,
        status_quo=status_quo,
        source=scenario.origin or scenario.id,
    )
    game.evaluate({})  # payoffs at the defaults: refuse a scenario that is broken there
    return game
