"""Numerical integration of the continuous-time dynamics, with its accuracy stated.

Every continuous trajectory is integrated by :func:`scipy.integrate.solve_ivp` with an adaptive
step size: the integrator estimates the local error of each step (the embedded lower-order
solution of the Runge-Kutta pair) and shrinks the step until that error is below
``atol + rtol * |y|`` for every component. The method and both tolerances are recorded in each
result (:class:`IntegrationReport`). Failures are never silent: a step size that collapses, a
non-finite state or a state that leaves the simplex raises :class:`IntegrationError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean

__all__ = ["METHODS", "IntegrationError", "IntegrationReport", "Integrator", "integrate"]

#: scipy's methods, each described in words for reports.
METHODS: dict[str, str] = {
    "DOP853": "explicit Runge-Kutta of order 8 (Dormand-Prince 8(5,3)), adaptive step",
    "RK45": "explicit Runge-Kutta of order 5 (Dormand-Prince 5(4)), adaptive step",
    "RK23": "explicit Runge-Kutta of order 3 (Bogacki-Shampine 3(2)), adaptive step",
    "Radau": "implicit Runge-Kutta of order 5 (Radau IIA), adaptive step",
    "BDF": "implicit multi-step backward differentiation, variable order and step",
    "LSODA": "Adams/BDF with automatic stiffness detection (ODEPACK), adaptive step",
}

#: A state further than this from the simplex (sum of probabilities, negative entries) is an error.
SIMPLEX_TOLERANCE = 1e-7


class IntegrationError(InputError):
    """The integrator could not follow a trajectory to the requested accuracy.

    It is an :class:`~negsim.errors.InputError` because the remedy is in the request: a shorter
    horizon, looser tolerances, or another method.
    """


@dataclass(frozen=True)
class Integrator:
    """How to integrate: scipy's method name, relative and absolute tolerance, largest step."""

    method: str = "DOP853"
    rtol: float = 1e-9
    atol: float = 1e-12
    max_step: float = math.inf

    def __post_init__(self) -> None:
        problems = []
        if self.method not in METHODS:
            problems.append(Problem(f"unknown integration method {self.method!r}"
                                    f"{did_you_mean(self.method, list(METHODS))}", path="method"))
        for name in ("rtol", "atol"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and 0 < value < 1):
                problems.append(Problem(f"expected a number between 0 and 1, got {value!r}", path=name))
        if not (isinstance(self.max_step, (int, float)) and self.max_step > 0):
            problems.append(Problem(f"expected a positive number, got {self.max_step!r}", path="max_step"))
        if problems:
            raise InputError(problems)

    def describe(self) -> str:
        """``"DOP853: explicit Runge-Kutta of order 8 ..., rtol 1e-09, atol 1e-12"``."""
        text = f"{self.method}: {METHODS[self.method]}, rtol {self.rtol:g}, atol {self.atol:g}"
        return text + (f", steps at most {self.max_step:g}" if math.isfinite(self.max_step) else "")


@dataclass(frozen=True)
class IntegrationReport:
    """How a trajectory was integrated, and how well the simplex was kept."""

    method: str
    rtol: float
    atol: float
    coordinates: str
    evaluations: int
    simplex_error: float

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "description": METHODS[self.method],
            "rtol": self.rtol,
            "atol": self.atol,
            "coordinates": self.coordinates,
            "evaluations": self.evaluations,
            "simplex_error": self.simplex_error,
        }


@dataclass(frozen=True, eq=False)
class Integrated:
    """Raw integration output: the states at ``times`` and scipy's dense solution if asked for."""

    times: np.ndarray
    values: np.ndarray  # (len(times), dimension)
    evaluations: int
    dense: Any = None


def integrate(
    rhs: Callable[[float, np.ndarray], np.ndarray],
    y0: np.ndarray,
    times: np.ndarray,
    integrator: Integrator,
    *,
    dense: bool = False,
    what: str = "the trajectory",
) -> Integrated:
    """Integrate ``dy/dt = rhs(t, y)`` from ``times[0]`` and return ``y`` at every time in ``times``."""
    from scipy.integrate import solve_ivp

    with np.errstate(over="ignore", invalid="ignore"):  # non-finite states are caught below
        solution = solve_ivp(
            rhs, (float(times[0]), float(times[-1])), np.asarray(y0, dtype=float),
            method=integrator.method, t_eval=times, rtol=integrator.rtol, atol=integrator.atol,
            max_step=integrator.max_step, dense_output=dense,
        )
    if solution.status != 0 or solution.y.shape[1] != len(times):
        reached = float(solution.t[-1]) if len(solution.t) else float(times[0])
        raise IntegrationError([Problem(
            f"the integrator ({integrator.method}) stopped after t = {reached:.6g}, before the "
            f"horizon {float(times[-1]):.6g}: {solution.message}; use looser tolerances, another method "
            "or a shorter horizon", path="horizon")])
    values = np.asarray(solution.y.T)
    if not np.all(np.isfinite(values)):
        raise IntegrationError([Problem(f"{what} became non-finite; use a shorter horizon", path="horizon")])
    return Integrated(times=np.asarray(solution.t), values=values, evaluations=int(solution.nfev),
                      dense=solution.sol if dense else None)


def simplex_error(states: list[np.ndarray]) -> float:
    """How far sampled states are from the simplex: worst ``|sum - 1|`` or negative probability."""
    worst = 0.0
    for s in states:
        worst = max(worst, float(np.max(np.abs(s.sum(axis=-1) - 1.0))), float(max(0.0, -s.min())))
    return worst


def check_simplex(states: list[np.ndarray], what: str) -> float:
    """:func:`simplex_error`, raising :class:`IntegrationError` when it exceeds the tolerance."""
    error = simplex_error(states)
    if error > SIMPLEX_TOLERANCE:
        raise IntegrationError([Problem(
            f"{what} left the simplex by {error:.3g} (more than {SIMPLEX_TOLERANCE:g}); "
            "use tighter tolerances or a shorter horizon", path="rtol")])
    return error
