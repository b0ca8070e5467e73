"""Payoffs of a checked :class:`Scenario` as vectorised functions of its parameters.

The payoff function evaluates each payoff expression once per call, on arrays: parameters
vary along the leading "points" axis and each player's attributes along that player's
strategy axis, so broadcasting yields every profile at every point without a Python loop over
points. Matrix and table cells that are expressions are evaluated once per cell, again over
all points at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import product
from typing import Any

import numpy as np

from negsim.scenario.checks import feasible_mask, profile_indices, ranking_levels
from negsim.scenario.expr import CompiledExpression, compile_expression, expression_names
from negsim.scenario.issues import Issue, ScenarioError, to_problem
from negsim.scenario.schema import MatrixPayoffs, RankingPayoffs, Scenario, TablePayoffs
from negsim.scenario.yamltree import Path

__all__ = [
    "Evaluator",
    "checked",
    "locator",
    "payoff_evaluator",
    "point_count",
    "type_profiles",
    "typed_payoff_function",
]

Profile = tuple[int, ...]


def point_count(values: Mapping[str, Any]) -> int:
    for array in values.values():
        return len(np.atleast_1d(array))
    return 1


# -- evaluation ----------------------------------------------------------------------------------

# evaluate(values, size, extra): ``extra`` holds further names (type indicators) as numbers.
Evaluator = Callable[..., np.ndarray]


def payoff_evaluator(scenario: Scenario, shape: tuple[int, ...]) -> Evaluator:
    names = expression_names(scenario.parameters, scenario.players, scenario.types)
    payoffs = scenario.payoffs
    if isinstance(payoffs, RankingPayoffs):
        return _constant(_ranking_payoffs(scenario, shape))
    if isinstance(payoffs, (MatrixPayoffs, TablePayoffs)):
        cells = _cells(scenario, shape)
        compiled = {key: compile_expression(text, names) for key, text in cells.items()}
        return _cell_evaluator(scenario, shape, compiled)
    expressions = [compile_expression(payoffs[pid], names) for pid in scenario.players]
    return _expression_evaluator(scenario, shape, expressions)


def _constant(table: np.ndarray) -> Evaluator:
    def evaluate(values: Mapping[str, np.ndarray], size: int, extra: Mapping | None = None) -> np.ndarray:
        return np.broadcast_to(table, (size, *table.shape)).copy()

    return evaluate


def _attribute_arrays(scenario: Scenario, shape: tuple[int, ...]) -> dict[tuple[str, str], Any]:
    """Each ``player.attribute`` and ``player.strategy`` as an array along that player's axis.

    The arrays have a leading points axis of length 1, so they broadcast against parameters.
    """
    n = len(shape)
    arrays: dict[tuple[str, str], Any] = {}
    for axis, (pid, player) in enumerate(scenario.players.items()):
        view = [1] * (n + 1)
        view[axis + 1] = shape[axis]
        strategies = list(player.strategies.values())
        attribute_names = {a for s in strategies for a in s.attributes}
        for name in attribute_names:
            column = np.array([s.attributes.get(name, 0.0) for s in strategies], dtype=float)
            arrays[(pid, name)] = column.reshape(view)
        for k, sid in enumerate(player.strategies):
            arrays[(pid, sid)] = (np.arange(shape[axis]) == k).astype(float).reshape(view)
    return arrays


def _expression_evaluator(scenario: Scenario, shape: tuple[int, ...],
                          expressions: list[CompiledExpression]) -> Evaluator:
    attributes = _attribute_arrays(scenario, shape)
    n = len(shape)

    def evaluate(values: Mapping[str, np.ndarray], size: int, extra: Mapping | None = None) -> np.ndarray:
        env: dict[Any, Any] = dict(attributes)
        env.update(extra or {})
        for name, column in values.items():
            env[name] = column.reshape((size,) + (1,) * n)
        out = np.empty((size, n, *shape))
        for i, expression in enumerate(expressions):
            out[:, i] = np.broadcast_to(expression(env), (size, *shape))
        return out

    return evaluate


def _cells(scenario: Scenario, shape: tuple[int, ...]) -> dict[tuple[int, Profile], Any]:
    """Matrix or table cells by (player index, profile); missing (infeasible) cells are 0."""
    ids = list(scenario.players)
    payoffs = scenario.payoffs
    cells: dict[tuple[int, Profile], Any] = {}
    if isinstance(payoffs, MatrixPayoffs):
        for i, pid in enumerate(ids):
            for profile in product(*(range(m) for m in shape)):
                cell: Any = payoffs.matrix[pid]
                for k in profile:
                    cell = cell[k]
                cells[(i, profile)] = cell
        return cells
    assert isinstance(payoffs, TablePayoffs)
    for row in payoffs.table:
        profile = profile_indices(row.profile, scenario.players, (), [])
        assert profile is not None and None not in profile
        values = row.payoffs
        for i, pid in enumerate(ids):
            cells[(i, profile)] = values[i] if isinstance(values, list) else values[pid]
    for i in range(len(ids)):
        for profile in product(*(range(m) for m in shape)):
            cells.setdefault((i, profile), 0.0)
    return cells


def _cell_evaluator(scenario: Scenario, shape: tuple[int, ...],
                    compiled: dict[tuple[int, Profile], CompiledExpression]) -> Evaluator:
    n = len(shape)
    base = np.zeros((n, *shape))
    varying = []
    attributes = _attribute_arrays(scenario, shape)
    for (i, profile), expression in compiled.items():
        if expression.constant is not None:
            base[(i, *profile)] = expression.constant
        else:
            # The attributes at this cell are plain numbers.
            fixed = {key: float(array[(0, *(profile[k] if array.shape[k + 1] > 1 else 0
                                            for k in range(n)))])
                     for key, array in attributes.items()}
            varying.append(((i, *profile), expression, fixed))

    def evaluate(values: Mapping[str, np.ndarray], size: int, extra: Mapping | None = None) -> np.ndarray:
        out = np.broadcast_to(base, (size, *base.shape)).copy()
        for index, expression, fixed in varying:
            env = {**fixed, **(extra or {}), **values}
            out[(slice(None), *index)] = np.broadcast_to(expression(env), (size,))
        return out

    return evaluate


def _ranking_payoffs(scenario: Scenario, shape: tuple[int, ...]) -> np.ndarray:
    payoffs = scenario.payoffs
    assert isinstance(payoffs, RankingPayoffs)
    table = np.zeros((len(shape), *shape))
    for i, pid in enumerate(scenario.players):
        levels = ranking_levels(payoffs.ranking[pid])
        for level, outcomes in enumerate(levels):
            for _position, outcome in outcomes:
                profile = profile_indices(outcome, scenario.players, (), [])
                assert profile is not None
                table[(i, *profile)] = len(levels) - level
    return table


# -- types ---------------------------------------------------------------------------------------


def type_profiles(scenario: Scenario) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of the players' types, as ((player, type), ...) in player order;
    ``[()]`` when no player has types."""
    from itertools import product as _product

    types = scenario.types or {}
    axes = [[(pid, tid) for tid in types[pid]] for pid in scenario.players if pid in types]
    return [tuple(combo) for combo in _product(*axes)]


def typed_payoff_function(scenario: Scenario) -> Callable[[Mapping[str, np.ndarray]], np.ndarray]:
    """Payoffs for every combination of types: shape ``(points, type profiles, n, m_0, ...)``.

    In a profile of types, ``player.type`` is 1 for the player's type and 0 for its other
    types, and a type's own ``payoff`` replaces the player's payoff.
    """
    players = scenario.players
    ids = list(players)
    shape = tuple(len(p.strategies) for p in players.values())
    feasible = feasible_mask(players, scenario.infeasible)
    evaluate = payoff_evaluator(scenario, shape)
    names = expression_names(scenario.parameters, players, scenario.types)
    types = scenario.types or {}
    profiles = type_profiles(scenario)
    own = {}
    for pid, kinds in types.items():
        for tid, kind in kinds.items():
            if kind.payoff is not None:
                expression = compile_expression(kind.payoff, names)
                own[(pid, tid)] = _expression_evaluator(scenario, shape, [expression])
    locate = locator(scenario)

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        arrays = {name: np.asarray(values[name], dtype=float).reshape(-1)
                  for name in scenario.parameters}
        size = len(next(iter(arrays.values()))) if arrays else point_count(values)
        out = np.empty((size, len(profiles), len(ids), *shape))
        for t, profile in enumerate(profiles):
            chosen = dict(profile)
            extra = {(pid, tid): float(chosen.get(pid) == tid)
                     for pid, kinds in types.items() for tid in kinds}
            payoffs = evaluate(arrays, size, extra)
            for pid, tid in profile:
                if (pid, tid) in own:
                    payoffs[:, ids.index(pid)] = own[(pid, tid)](arrays, size, extra)[:, 0]
            out[:, t] = checked(payoffs, feasible, scenario, arrays, locate)
        return out

    return payoff_function


# -- checking results ----------------------------------------------------------------------------


def locator(scenario: Scenario) -> Callable[[int, Profile], Path]:
    """The key path of the payoff of player ``i`` at a profile, for error messages."""
    ids = list(scenario.players)
    payoffs = scenario.payoffs
    if isinstance(payoffs, MatrixPayoffs):
        return lambda i, profile: ("payoffs", "matrix", ids[i], *profile)
    if isinstance(payoffs, TablePayoffs):
        rows = {}
        for k, row in enumerate(payoffs.table):
            profile = profile_indices(row.profile, scenario.players, (), [])
            rows[profile] = (k, isinstance(row.payoffs, list))
        def table_path(i: int, profile: Profile) -> Path:
            k, listed = rows.get(profile, (None, False))
            if k is None:
                return ("payoffs", "table")
            return ("payoffs", "table", k, "payoffs", i if listed else ids[i])
        return table_path
    if isinstance(payoffs, RankingPayoffs):
        return lambda i, profile: ("payoffs", "ranking", ids[i])
    return lambda i, profile: ("payoffs", ids[i])


def checked(payoffs: np.ndarray, feasible: np.ndarray, scenario: Scenario,
             values: Mapping[str, np.ndarray], locate: Callable[[int, Profile], Path]
             ) -> np.ndarray:
    payoffs += 0.0  # -0.0 (from e.g. -3 * 0) prints as "-0"; make it 0
    finite = np.isfinite(payoffs)
    if finite.all():
        return payoffs
    bad = ~finite & feasible  # feasible broadcasts over the points and players axes
    if not bad.any():
        # Only profiles that cannot happen are affected; their payoffs are never used.
        return np.where(finite, payoffs, 0.0)
    problems = []
    ids = list(scenario.players)
    strategies = [list(p.strategies) for p in scenario.players.values()]
    for i, pid in enumerate(ids):
        hits = np.argwhere(bad[:, i])
        if not len(hits):
            continue
        point, *profile = (int(k) for k in hits[0])
        value = payoffs[(point, i, *profile)]
        what = "not a number" if np.isnan(value) else "infinite"
        label = ", ".join(strategies[j][k] for j, k in enumerate(profile))
        at = ", ".join(f"{name}={values[name][point]:g}" for name in values) or "no parameters"
        points = len({int(h[0]) for h in hits})
        others = len({tuple(h[1:]) for h in hits}) - 1
        more = ""
        if others:
            more += f"; also at {others} other profile{'s' if others > 1 else ''}"
        if points > 1:
            more += f"; at {points} parameter points in all"
        message = (f"payoff of {pid!r} is {what} at profile ({label}) with {at}{more} "
                   "(a division by zero, or a log or sqrt of a negative number?)")
        problems.append(to_problem(Issue(locate(i, tuple(profile)), message),
                                   scenario._marks, scenario.origin))
    raise ScenarioError(problems)
