"""Ordinal preferences over states: option prioritization, direct rankings, payoffs.

Option prioritization (Fang, Hipel, Kilgour and Peng 2003; GMCR II, GMCR+ and gmcr-py) lists a
decision maker's *preference statements* from most to least important; each is a logical formula
over the options (the statement language is part of the scenario format,
:mod:`negsim.scenario.statements`; here a statement is anything that says where it is true).
With ``k`` statements, the ``j``-th (1-based) is worth ``2**(k-j)``; a state scores the sum of
the statements it satisfies, and a higher score is preferred (equal scores tie). So a more
important statement outweighs all less important ones together.

>>> import numpy as np
>>> from negsim.conflict.model import Conflict, DecisionMaker, Option
>>> c = Conflict((DecisionMaker("a", ("x",)), DecisionMaker("b", ("y",))), (Option("x"), Option("y")))
>>> not_y = lambda states: (np.asarray(states) & 2) == 0    # "-y": y not taken
>>> x = lambda states: (np.asarray(states) & 1) == 1        # "x": x taken
>>> prioritization_scores(c, {"a": [not_y, x], "b": [x]}).tolist()
[[2.0, 3.0, 0.0, 1.0], [0.0, 1.0, 0.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import numpy as np

from negsim.conflict.model import Conflict
from negsim.errors import InputError, Problem, did_you_mean

__all__ = [
    "Formula",
    "option_values",
    "payoff_scores",
    "prioritization_scores",
    "ranking_scores",
]


class _Evaluates(Protocol):
    def evaluate(self, states: np.ndarray) -> np.ndarray: ...


#: A preference statement: an object with ``evaluate(states)`` (as a parsed
#: :class:`negsim.scenario.statements.Statement`) or a function of the states, giving the truth
#: value at each state (decimal codes).
Formula = _Evaluates | Callable[[np.ndarray], np.ndarray]


def _truth(formula: Formula, states: np.ndarray) -> np.ndarray:
    evaluate = getattr(formula, "evaluate", None)
    values = evaluate(states) if evaluate is not None else formula(states)  # type: ignore[operator]
    return np.asarray(values, dtype=bool)


def prioritization_scores(conflict: Conflict, statements: Mapping[str, Sequence[Formula]]) -> np.ndarray:
    """Scores of each feasible state for each decision maker from its ordered statements.

    ``statements`` maps every decision maker id to its statements, most important first.
    """
    problems: list[Problem] = []
    states = np.array(conflict.states, dtype=np.int64)
    scores = np.zeros((len(conflict.decision_makers), len(states)))
    for d in statements:
        if d not in conflict.dm_ids:
            problems.append(
                Problem(f"unknown decision maker {d!r}{did_you_mean(d, conflict.dm_ids)}", path="preferences")
            )
    for i, dm in enumerate(conflict.dm_ids):
        if dm not in statements:
            problems.append(Problem(f"no preference statements for {dm!r}", path=f"preferences.{dm}"))
            continue
        items = list(statements[dm])
        for j, formula in enumerate(items):
            scores[i] += _truth(formula, states) * float(2 ** (len(items) - 1 - j))
    if problems:
        raise InputError(problems)
    return scores


def ranking_scores(conflict: Conflict, rankings: Mapping[str, Sequence[int | Sequence[int]]]) -> np.ndarray:
    """Scores from direct rankings, most preferred first; a list inside is a tie.

    States are given by decimal code; every feasible state must appear exactly once.
    """
    problems: list[Problem] = []
    scores = np.zeros((len(conflict.decision_makers), len(conflict.states)))
    for d in rankings:
        if d not in conflict.dm_ids:
            problems.append(
                Problem(f"unknown decision maker {d!r}{did_you_mean(d, conflict.dm_ids)}", path="preferences")
            )
    for i, dm in enumerate(conflict.dm_ids):
        path = f"preferences.{dm}"
        if dm not in rankings:
            problems.append(Problem(f"no ranking for {dm!r}", path=path))
            continue
        groups = [[g] if isinstance(g, int) else list(g) for g in rankings[dm]]
        seen: set[int] = set()
        for pos, group in enumerate(groups):
            for s in group:
                if s not in conflict.index:
                    problems.append(Problem(f"state {s} is not a feasible state", path=f"{path}[{pos}]"))
                elif s in seen:
                    problems.append(Problem(f"state {s} is ranked twice", path=f"{path}[{pos}]"))
                else:
                    seen.add(s)
                    scores[i, conflict.index[s]] = len(groups) - pos
        missing = [s for s in conflict.states if s not in seen]
        if missing:
            problems.append(Problem(f"states not ranked: {', '.join(map(str, missing))}", path=path))
    if problems:
        raise InputError(problems)
    return scores


def option_values(conflict: Conflict) -> dict[str, np.ndarray]:
    """Each option as a 0/1 array over the feasible states: the inputs of payoff expressions."""
    states = np.array(conflict.states, dtype=np.int64)
    return {o: ((states >> k) & 1).astype(float) for k, o in enumerate(conflict.option_ids)}


def payoff_scores(
    conflict: Conflict,
    payoffs: np.ndarray
    | Sequence[Sequence[float]]
    | Callable[[dict[str, np.ndarray]], Mapping[str, np.ndarray]],
) -> np.ndarray:
    """Payoffs per decision maker and feasible state, from an array or a callable.

    An array has shape ``(decision makers, states)`` or, for a sweep, ``(points, decision makers,
    states)``. A callable receives :func:`option_values` and returns ``{dm id: values}``, each
    broadcastable to ``(states,)`` or ``(points, states)``.
    """
    n, m = len(conflict.decision_makers), len(conflict.states)
    if callable(payoffs):
        values = payoffs(option_values(conflict))
        missing = [d for d in conflict.dm_ids if d not in values]
        if missing:
            raise InputError([Problem(f"no payoffs for {', '.join(missing)}", path="preferences")])
        arrays = [np.asarray(values[d], dtype=float) for d in conflict.dm_ids]
        points = max((a.shape[0] for a in arrays if a.ndim == 2), default=None)
        if points is None:
            result = np.stack([np.broadcast_to(a, (m,)) for a in arrays])
        else:
            result = np.stack([np.broadcast_to(a, (points, m)) for a in arrays], axis=1)
    else:
        result = np.asarray(payoffs, dtype=float)
    if result.shape[-2:] != (n, m) or result.ndim not in (2, 3):
        raise InputError(
            [
                Problem(
                    f"payoffs have shape {result.shape}, expected ({n}, {m}) or (points, {n}, {m})",
                    path="preferences",
                )
            ]
        )
    if not np.all(np.isfinite(result)):
        raise InputError([Problem("payoffs must be finite numbers", path="preferences")])
    return result
