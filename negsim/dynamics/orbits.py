"""Closed orbits of continuous trajectories, found by the return of the state to itself.

A trajectory that neither comes to rest nor leaves may circle on a closed orbit (the
replicator dynamics of zero-sum Rock-Paper-Scissors, of Matching Pennies). We take the state at
half the horizon as a reference and look, in the densely interpolated solution, for the first
later time at which the state comes back to it: a local minimum of the distance to the
reference after the trajectory has gone well away from it. If that minimum is within
:data:`RETURN_TOLERANCE` the orbit is closed and the time between is its period. A spiral
(towards a rest point or out to the boundary) misses the reference by more and is not closed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["RETURN_TOLERANCE", "closed_orbit_period"]

#: A return this close (largest probability difference) counts as a closed orbit.
RETURN_TOLERANCE = 1e-6


def closed_orbit_period(
    times: np.ndarray,
    states: np.ndarray,
    evaluate: Callable[[float], np.ndarray],
    *,
    tolerance: float = RETURN_TOLERANCE,
) -> tuple[float, float] | None:
    """``(period, return distance)`` of a closed orbit, or ``None``.

    ``states`` has shape ``(len(times), d)`` (all players' probabilities side by side) and
    ``evaluate(t)`` gives the state at any time between the samples (dense output).
    """
    from scipy.optimize import minimize_scalar

    start = int(np.searchsorted(times, times[-1] / 2.0))
    if start >= len(times) - 3:
        return None
    reference = np.ravel(evaluate(float(times[start])))
    # Euclidean distances: the sup norm has kinks (where the largest coordinate changes) that
    # look like returns.
    gaps = np.sqrt(np.sum((states[start:] - reference) ** 2, axis=1))
    far = float(gaps.max())
    if far < 100 * tolerance:
        return None
    away = np.flatnonzero(gaps > far / 2.0)
    for k in range(int(away[0]) + 1, len(gaps) - 1):
        if gaps[k] <= gaps[k - 1] and gaps[k] <= gaps[k + 1] and gaps[k] < far / 4.0:
            low, high = float(times[start + k - 1]), float(times[start + k + 1])
            result = minimize_scalar(
                lambda t: float(np.sum((np.ravel(evaluate(t)) - reference) ** 2)), bounds=(low, high),
                method="bounded", options={"xatol": 1e-10 * max(1.0, high)},
            )
            gap = float(np.max(np.abs(np.ravel(evaluate(float(result.x))) - reference)))
            if gap <= tolerance:
                return float(result.x) - float(times[start]), gap
            return None
    return None
