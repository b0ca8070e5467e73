"""Option-form scenarios to conflicts: the decision makers, options, infeasible states, moves
and preferences of the Graph Model, with payoff expressions compiled to vectorised functions.

:func:`compile_conflict` turns a checked :class:`~negsim.scenario.options.OptionScenario` into
a :class:`~negsim.conflict.parametric.ParametricConflict`: its preferences at any number of
parameter points at once (``(points, decision makers, feasible states)``). Statements and
rankings give the same preferences at every point; a ``payoff`` expression is evaluated with
each parameter along the points axis and each option (0 or 1) along the states axis, so a
sweep evaluates every state at every point in one call.

>>> from negsim.compile.conflict import load_conflict
>>> elmira = load_conflict("elmira")
>>> len(elmira.states), elmira.dm_ids
(12, ('moe', 'ur', 'lg'))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from negsim.conflict.model import Conflict, DecisionMaker, Option, Pattern
from negsim.conflict.normal_form import parametric_normal_form
from negsim.conflict.parametric import ParametricConflict
from negsim.conflict.preferences import prioritization_scores, ranking_scores
from negsim.errors import InputError, Problem
from negsim.game import ParametricGame
from negsim.scenario.expr import compile_expression
from negsim.scenario.issues import Issue, ScenarioError, to_problem
from negsim.scenario.loader import resolve_scenario
from negsim.scenario.option_checks import (
    feasible_states,
    infeasible_patterns,
    option_layout,
    option_names,
    state_code,
)
from negsim.scenario.options import OptionScenario
from negsim.scenario.statements import parse_statement

#: Decimal places kept of payoff-expression preferences (ties survive floating-point rounding).
PAYOFF_DECIMALS = 9

__all__ = [
    "PAYOFF_DECIMALS",
    "compile_conflict",
    "conflict_game",
    "load_conflict",
    "option_form_shape",
    "option_form_states",
]


def _skeleton(scenario: OptionScenario) -> Conflict:
    layout = option_layout(scenario.players)
    options = []
    for player in scenario.players.values():
        for o, spec in player.options.items():
            options.append(
                Option(o, spec.name or "", spec.description or "", scenario.irreversible.get(o, "both"))
            )
    patterns = []
    for mask, value in infeasible_patterns(scenario.infeasible, layout):
        patterns.append(
            Pattern(tuple((k, bool(value >> k & 1)) for k in range(layout.n_options) if mask >> k & 1))
        )
    return Conflict(
        tuple(DecisionMaker(pid, tuple(p.options), p.name or "") for pid, p in scenario.players.items()),
        tuple(options),
        np.zeros((0, 0)),
        tuple(patterns),
        None if scenario.status_quo is None else state_code(scenario.status_quo, layout),
        scenario.id,
        scenario.title,
    )


def compile_conflict(scenario: OptionScenario) -> ParametricConflict:
    """The conflict an option-form scenario describes, with its preferences as a vectorised
    function of the parameters.

    Raises :class:`~negsim.scenario.ScenarioError` when a payoff expression is not a finite
    number at some state at the default parameter values (the same check runs at every point
    the preferences are asked for)."""
    skeleton = _skeleton(scenario)
    layout = option_layout(scenario.players)
    states = np.array(skeleton.states, dtype=np.int64)
    fixed = np.zeros((len(skeleton.dm_ids), len(states)))
    by_statements = {}
    by_ranking: dict[str, list[int | list[int]]] = {}
    expressions = {}
    names = option_names(scenario.parameters, scenario.players)
    for pid, prefs in scenario.preferences.items():
        if prefs.statements is not None:
            by_statements[pid] = [parse_statement(t, layout.option_ids) for t in prefs.statements]
        elif prefs.ranking is not None:
            by_ranking[pid] = [
                [state_code(x, layout) for x in item] if isinstance(item, list) else state_code(item, layout)
                for item in prefs.ranking
            ]
        else:
            expressions[pid] = compile_expression(prefs.payoff or "", names)
    if by_statements:
        scores = prioritization_scores(skeleton, {d: by_statements.get(d, []) for d in skeleton.dm_ids})
        for i, d in enumerate(skeleton.dm_ids):
            if d in by_statements:
                fixed[i] = scores[i]
    if by_ranking:
        everyone = [list(skeleton.states)]
        scores = ranking_scores(skeleton, {d: by_ranking.get(d, everyone) for d in skeleton.dm_ids})
        for i, d in enumerate(skeleton.dm_ids):
            if d in by_ranking:
                fixed[i] = scores[i]
    option_columns = {o: ((states >> k) & 1).astype(float)[None, :] for k, o in enumerate(layout.option_ids)}
    env_options: dict[Any, np.ndarray] = dict(option_columns)
    for o, owner in zip(layout.option_ids, layout.owners):
        env_options[(owner, o)] = option_columns[o]
    rows = [(skeleton.dm_index(pid), pid, e) for pid, e in expressions.items()]

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        arrays = {name: np.asarray(values[name], dtype=float).reshape(-1) for name in scenario.parameters}
        size = (
            len(next(iter(arrays.values())))
            if arrays
            else (len(next(iter(values.values()))) if values else 1)
        )
        out = np.broadcast_to(fixed, (size, *fixed.shape)).copy()
        if rows:
            env: dict[Any, Any] = dict(env_options)
            env.update({name: column[:, None] for name, column in arrays.items()})
            for i, _pid, expression in rows:
                out[:, i] = np.broadcast_to(expression(env), (size, len(states)))
            _check_finite(out, rows, skeleton, scenario, arrays)
            # Preferences are orders: a tie the expressions mean exactly (0.4 * 9 against 3.6)
            # must stay a tie whatever the floating-point rounding, so values are kept to
            # PAYOFF_DECIMALS places (and -0.0, which prints as "-0", becomes 0).
            out[:] = np.round(out, PAYOFF_DECIMALS) + 0.0
        return out

    defaults = {name: p.value for name, p in scenario.parameters.items()}
    conflict = ParametricConflict(
        skeleton, payoff_function, defaults, {name: (p.min, p.max) for name, p in scenario.parameters.items()}
    )
    at_defaults = conflict.evaluate({})[0]
    return ParametricConflict(
        skeleton.with_payoffs(at_defaults), payoff_function, conflict.defaults, conflict.bounds
    )


def _check_finite(
    out: np.ndarray,
    rows: list[tuple[int, str, Any]],
    skeleton: Conflict,
    scenario: OptionScenario,
    values: Mapping[str, np.ndarray],
) -> None:
    bad = ~np.isfinite(out)
    if not bad.any():
        return
    problems = []
    for i, pid, _e in rows:
        hits = np.argwhere(bad[:, i])
        if not len(hits):
            continue
        point, k = (int(x) for x in hits[0])
        state = skeleton.states[k]
        what = "not a number" if np.isnan(out[point, i, k]) else "infinite"
        at = ", ".join(f"{name}={column[point]:g}" for name, column in values.items()) or "no parameters"
        message = (
            f"payoff of {pid!r} is {what} at state {skeleton.yn(state)} ({state}) with {at} "
            "(a division by zero, or a log or sqrt of a negative number?)"
        )
        problems.append(
            to_problem(Issue(("preferences", pid, "payoff"), message), scenario._marks, scenario.origin)
        )
    raise ScenarioError(problems)


def conflict_game(conflict: ParametricConflict, source: str = "") -> ParametricGame:
    """The normal form of a compiled conflict (what ``negsim run``, ``solve`` and ``convert``
    see): each player's strategies are its option combinations."""
    return parametric_normal_form(conflict, source)


def option_form_shape(scenario: OptionScenario) -> tuple[int, ...]:
    """The number of normal-form strategies (option combinations in feasible states) of each
    player, without compiling the preferences."""
    layout = option_layout(scenario.players)
    states = feasible_states(layout.n_options, infeasible_patterns(scenario.infeasible, layout))
    shape = []
    for pid in scenario.players:
        mask = sum(layout.bit(o) for o, owner in zip(layout.option_ids, layout.owners) if owner == pid)
        shape.append(len(set((states & mask).tolist())))
    return tuple(shape)


def option_form_states(scenario: OptionScenario) -> int:
    """The number of feasible states of an option-form scenario."""
    layout = option_layout(scenario.players)
    return len(feasible_states(layout.n_options, infeasible_patterns(scenario.infeasible, layout)))


def load_conflict(source: str, overrides: Mapping[str, float] | None = None) -> Conflict:
    """The conflict of an option-form scenario (a file or a built-in id) at the default
    parameter values, with ``overrides`` applied."""
    scenario = resolve_scenario(source)
    if not isinstance(scenario, OptionScenario):
        raise InputError(
            [
                Problem(
                    f"{source} is not in option form (its players list strategies, not options)",
                    path="SCENARIO",
                )
            ]
        )
    return compile_conflict(scenario).conflict(overrides)
