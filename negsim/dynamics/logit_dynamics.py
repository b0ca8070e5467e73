"""Logit (quantal) response dynamics: each mix moves towards its logit response.

    dx_i/dt = L_i(x_-i) - x_i,    L_i(k) proportional to exp(lambda * u_i(k, x_-i))

(Fudenberg and Levine 1998, ch. 4, the smoothed best-response dynamics; Hofbauer and Sandholm
2002). Its rest points are exactly the logit QRE with the same ``lambda``
(:mod:`negsim.dynamics.qre`). It is integrated in probabilities: the field keeps each sum at 1
and every state inside the simplex, and the sampled states are checked to be on it.
"""

from __future__ import annotations

import numpy as np

from negsim.dynamics.integrate import IntegrationReport, Integrator, check_simplex, integrate
from negsim.dynamics.orbits import closed_orbit_period
from negsim.dynamics.profiles import as_profile, check_number
from negsim.dynamics.qre import logit_response
from negsim.dynamics.trajectory import Trajectory, equilibria_of, make_outcome
from negsim.game import Game
from negsim.solve import Solution

__all__ = ["REST_SPEED", "logit_dynamics"]

#: A state that moves slower than this (largest ``|dx/dt|``, probabilities per unit time) is at rest.
REST_SPEED = 1e-9


def logit_dynamics(
    game: Game,
    start: object = None,
    *,
    lam: float,
    horizon: float = 50.0,
    samples: int = 501,
    integrator: Integrator = Integrator(),
    solution: Solution | None = None,
) -> Trajectory:
    """The logit response dynamic with rationality ``lam`` (payoff units) from ``start``.

    At rest, the end state is a logit QRE; the outcome names the nearest Nash equilibrium.

    >>> from negsim.game import Game
    >>> pennies = Game.from_matrices([[1, -1], [-1, 1]])
    >>> t = logit_dynamics(pennies, [[0.9, 0.1], [0.2, 0.8]], lam=2.0)
    >>> t.outcome.kind, [round(float(p), 6) for p in t.end[0]]
    ('rest point', [0.5, 0.5])
    """
    lam = check_number(lam, "lambda", at_least=0)
    check_number(horizon, "horizon", above=0)
    check_number(samples, "samples", integer=True, at_least=2)
    profile = as_profile(game, start)
    offsets = np.concatenate([[0], np.cumsum(game.shape)]).astype(int)

    def split(y: np.ndarray) -> list[np.ndarray]:
        return [y[offsets[i]:offsets[i + 1]] for i in range(game.n_players)]

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        xs = split(y)
        return np.concatenate([r - x for r, x in zip(logit_response(game, xs, lam), xs)])

    times = np.linspace(0.0, float(horizon), int(samples))
    result = integrate(rhs, np.concatenate(profile), times, integrator, dense=True,
                       what="the logit dynamic")
    states = tuple(result.values[:, offsets[i]:offsets[i + 1]] for i in range(game.n_players))
    error = check_simplex(list(states), "the logit dynamic")
    end = tuple(s[-1] / s[-1].sum() for s in states)
    speed = max(float(np.max(np.abs(r - x))) for r, x in zip(logit_response(game, end, lam), end))
    kind, period = "moving", None
    if speed <= REST_SPEED:
        kind = "rest point"
    else:
        sol = result.dense
        found = closed_orbit_period(times, result.values, lambda t: np.asarray(sol(t)))
        if found is not None:
            kind, period = "closed orbit", found[0]
    solution = equilibria_of(game, solution)
    outcome = make_outcome(game, solution, end, kind=kind, speed=speed, period=period,
                           what="the logit dynamic")
    report = IntegrationReport(method=integrator.method, rtol=integrator.rtol, atol=integrator.atol,
                               coordinates="probabilities", evaluations=result.evaluations,
                               simplex_error=error)
    return Trajectory(
        dynamics="logit", game=game, times=times, states=states, outcome=outcome, solution=solution,
        integration=report,
        settings={"lambda": lam, "horizon": float(horizon), "samples": int(samples),
                  "start": [[float(p) for p in s] for s in profile]},
    )
