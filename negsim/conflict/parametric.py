"""A conflict whose preferences depend on named parameters: what an option-form scenario with
payoff expressions compiles to, and what sweeps evaluate at many points at once.

``payoff_function(values)`` takes every parameter's values as 1-D arrays of ``points`` values
and returns the preferences as an array ``(points, decision makers, feasible states)``; the
moves, the infeasible states and the status quo do not depend on the parameters.

>>> import numpy as np
>>> from negsim.conflict.model import Conflict, DecisionMaker, Option
>>> skeleton = Conflict((DecisionMaker("a", ("x",)), DecisionMaker("b", ("y",))), (Option("x"), Option("y")))
>>> def prefs(values):            # a gains c from x, b loses 1 when x is taken
...     c = np.asarray(values["c"])[:, None]
...     x = np.array([0.0, 1.0, 0.0, 1.0])
...     return np.stack([c * x, np.broadcast_to(-x, c.shape[:1] + x.shape)], axis=1)
>>> pc = ParametricConflict(skeleton, prefs, {"c": 1.0}, {"c": (-1.0, 1.0)})
>>> pc.evaluate({"c": [1.0, -1.0]}).shape
(2, 2, 4)
>>> pc.conflict({"c": -1}).improvements("a", 1)     # with c < 0, a gains by dropping x
(0,)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from negsim.conflict.model import Conflict
from negsim.errors import InputError, Problem, did_you_mean

__all__ = ["ParametricConflict", "PreferenceFunction"]

#: values -> preferences of shape (points, decision makers, feasible states).
PreferenceFunction = Callable[[Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True, eq=False)
class ParametricConflict:
    """A conflict in option form with preferences as a vectorised function of parameters.

    ``skeleton`` holds the decision makers, options, infeasible states and status quo, with the
    preferences at the default parameter values.
    """

    skeleton: Conflict
    payoff_function: PreferenceFunction
    defaults: Mapping[str, float] = field(default_factory=dict)
    bounds: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)

    @classmethod
    def constant(cls, conflict: Conflict) -> ParametricConflict:
        """A conflict without parameters seen as a parametric one."""
        payoffs = np.asarray(conflict.payoffs)

        def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
            size = len(next(iter(values.values()))) if values else 1
            return np.broadcast_to(payoffs, (size, *payoffs.shape)).copy()

        return cls(conflict, payoff_function)

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.defaults)

    @property
    def id(self) -> str:
        return self.skeleton.id

    @property
    def title(self) -> str:
        return self.skeleton.title

    def values(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Default parameter values with ``overrides`` applied; unknown names are an error."""
        values = dict(self.defaults)
        problems = []
        for name, value in (overrides or {}).items():
            if name not in values:
                hint = did_you_mean(name, list(values)) if values else " (the conflict has no parameters)"
                problems.append(Problem(f"unknown parameter {name!r}{hint}", path=f"parameters.{name}"))
            else:
                values[name] = float(value)
        if problems:
            raise InputError(problems)
        return values

    def evaluate(self, points: Mapping[str, object]) -> np.ndarray:
        """Preferences at many points: ``(points, decision makers, feasible states)``.

        ``points`` maps parameter names to equal-length 1-D arrays; parameters it leaves out
        keep their defaults.
        """
        columns = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in points.items()}
        unknown = sorted(set(columns) - set(self.defaults))
        if unknown:
            raise InputError(
                [
                    Problem(
                        f"unknown parameter {unknown[0]!r}{did_you_mean(unknown[0], list(self.defaults))}",
                        path=unknown[0],
                    )
                ]
            )
        sizes = {len(v) for v in columns.values()}
        if len(sizes) > 1:
            raise ValueError(f"parameter arrays have different lengths: {sorted(sizes)}")
        size = sizes.pop() if sizes else 1
        full = {name: columns.get(name, np.full(size, value)) for name, value in self.defaults.items()}
        out = np.asarray(self.payoff_function(full), dtype=float)
        expected = (size, len(self.skeleton.decision_makers), len(self.skeleton.states))
        if out.shape != expected:
            raise ValueError(f"preference function returned shape {out.shape}, expected {expected}")
        return out

    def conflict(self, overrides: Mapping[str, float] | None = None) -> Conflict:
        """The conflict at the default parameter values, with ``overrides`` applied."""
        if not self.defaults and not overrides:
            return self.skeleton
        values = self.values(overrides)
        return self.skeleton.with_payoffs(self.evaluate({k: [v] for k, v in values.items()})[0])

    def without_options(self, options: Iterable[str]) -> ParametricConflict:
        """This conflict with ``options`` never taken (see :meth:`Conflict.without_options`)."""
        restricted, kept = self.skeleton.without_options(options)
        inner = self.payoff_function

        def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
            return np.asarray(inner(values))[:, :, kept]

        return ParametricConflict(restricted, payoff_function, self.defaults, self.bounds)
