"""Replicator dynamics: strategies grow in proportion to how much better than average they do.

Per-player populations (the *two-population* replicator of a two-player game, one population
per player in general; Weibull 1995, ch. 5; Hofbauer and Sigmund 1998, ch. 10)::

    dx_ik/dt = x_ik (u_i(k, x_-i) - u_i(x))

A single population of a symmetric two-player game with payoff matrix ``A`` (Taylor and Jonker
1978; Weibull ch. 3)::

    dx_k/dt = x_k ((A x)_k - x.A x)

Integration is in log-probabilities, ``y_ik = log x_ik`` with ``dy_ik/dt = u_i(k) - u_i(x)``,
and the state is read back as ``x_i = softmax(y_i)``: every state is on the simplex by
construction and a strategy's share never turns negative however close to 0 it gets. A
strategy absent at the start stays absent (each face of the simplex is invariant), so it is
left out of the integration. The step size is adaptive (:mod:`negsim.dynamics.integrate`); the
method and tolerances are recorded in each trajectory.

The discrete-time variant (:func:`discrete_replicator`) multiplies each share by its fitness,
the payoff plus a background fitness that keeps it positive, relative to the average fitness.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from negsim.dynamics.integrate import IntegrationReport, Integrator, integrate, simplex_error
from negsim.dynamics.orbits import closed_orbit_period
from negsim.dynamics.profiles import (
    Profile,
    as_profile,
    check_number,
    cross_derivatives,
    payoff_range,
    payoff_vectors,
    symmetric_matrix,
)
from negsim.dynamics.trajectory import Trajectory, equilibria_of, make_outcome
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve import Solution

__all__ = [
    "POPULATIONS",
    "REST_SPEED",
    "discrete_replicator",
    "population_start",
    "replicator",
    "replicator_flow",
    "replicator_jacobian",
    "replicator_velocity",
    "tangent_eigenvalues",
]

#: ``"per-player"``: one population per player (two-population for two players);
#: ``"single"``: one population playing a symmetric game against itself.
POPULATIONS = ("per-player", "single")

#: A state whose speed (largest ``|dx/dt|``, in payoff-range units) is below this is at rest.
REST_SPEED = 1e-7


def check_population(game: Game, population: str) -> np.ndarray | None:
    """The symmetric game's matrix for ``"single"``, ``None`` for ``"per-player"``."""
    if population not in POPULATIONS:
        raise InputError([Problem(f"unknown population {population!r}: expected 'per-player' "
                                  "(one population per player) or 'single' (one population, "
                                  "symmetric games)", path="population")])
    return symmetric_matrix(game) if population == "single" else None


def population_start(game: Game, start: object, population: str, *, path: str = "start") -> Profile:
    """A start as a profile. For a single population ``start`` may also be one vector of
    probabilities or ``{strategy: probability}``; both players then hold that state."""
    if population != "single" or start is None:
        return as_profile(game, start, path=path)
    if isinstance(start, dict) and set(start) <= set(game.strategies[0]) and start:
        start = {p: start for p in game.players}
    elif isinstance(start, (Sequence, np.ndarray)) and not isinstance(start, (str, bytes)):
        items = list(start)
        if items and all(not isinstance(v, (Sequence, np.ndarray)) for v in items):
            start = [items, items]
    profile = as_profile(game, start, path=path)
    if not np.allclose(profile[0], profile[1], atol=1e-12):
        raise InputError([Problem("one population has one state: give one vector of probabilities",
                                  path=path)])
    return profile


# -- the vector field ------------------------------------------------------------------------------


def replicator_velocity(
    game: Game, states: Sequence[np.ndarray], *, population: str = "per-player"
) -> list[np.ndarray]:
    """``dx/dt`` at ``states`` (one array per player, leading batch axes allowed)."""
    A = check_population(game, population)
    if A is not None:
        x = np.asarray(states[0], dtype=float)
        u = x @ A.T
        v = x * (u - np.sum(x * u, axis=-1, keepdims=True))
        return [v, v.copy()]
    xs = [np.asarray(s, dtype=float) for s in states]
    us = payoff_vectors(game.solver_payoffs, xs)
    return [x * (u - np.sum(x * u, axis=-1, keepdims=True)) for x, u in zip(xs, us)]


def speed(game: Game, profile: Profile, population: str = "per-player") -> float:
    """The largest ``|dx/dt|`` at ``profile``, relative to the payoff range."""
    velocity = replicator_velocity(game, profile, population=population)
    return max(float(np.max(np.abs(v))) for v in velocity) / payoff_range(game)


# -- integration -----------------------------------------------------------------------------------


def replicator_flow(
    game: Game,
    starts: Sequence[Profile],
    times: np.ndarray,
    *,
    population: str = "per-player",
    integrator: Integrator = Integrator(),
    dense: bool = False,
) -> tuple[list[np.ndarray], IntegrationReport, Callable[[float], np.ndarray] | None]:
    """Integrate many starts at once: one array per player of shape ``(starts, times, m_i)``.

    The starts form one system of equations, so its step error is controlled in scipy's
    root-mean-square norm over all of them. Returns the states, the integration report and,
    with ``dense``, a function of time giving the concatenated states of all starts.
    """
    A = check_population(game, population)
    blocks = (game.shape[0],) if A is not None else game.shape
    offsets = np.concatenate([[0], np.cumsum(blocks)]).astype(int)
    width = int(offsets[-1])
    count = len(starts)
    initial = np.stack([np.concatenate([np.asarray(s[i], dtype=float) for i in range(len(blocks))])
                        for s in starts])
    mask = initial > 0
    y0 = np.where(mask, np.log(np.where(mask, initial, 1.0)), 0.0)
    masks = [mask[:, offsets[i]:offsets[i + 1]] for i in range(len(blocks))]
    payoffs = game.solver_payoffs

    def shares(y: np.ndarray) -> list[np.ndarray]:
        out = []
        for i, m in enumerate(masks):
            z = np.where(m, y[..., offsets[i]:offsets[i + 1]], -np.inf)
            z = z - z.max(axis=-1, keepdims=True)
            e = np.exp(z)
            out.append(e / e.sum(axis=-1, keepdims=True))
        return out

    def rhs(_t: float, flat: np.ndarray) -> np.ndarray:
        y = flat.reshape(count, width)
        xs = shares(y)
        if A is not None:
            us = [xs[0] @ A.T]
        else:
            us = payoff_vectors(payoffs, xs)
        growth = [(u - np.sum(x * u, axis=-1, keepdims=True)) * m for x, u, m in zip(xs, us, masks)]
        return np.concatenate(growth, axis=-1).ravel()

    result = integrate(rhs, y0.ravel(), np.asarray(times, dtype=float), integrator, dense=dense,
                       what="the replicator trajectory")
    y = result.values.reshape(len(result.times), count, width)
    xs = [np.moveaxis(x, 0, 1) for x in shares(y)]  # (starts, times, m)
    if A is not None:
        xs = [xs[0], xs[0]]
    report = IntegrationReport(
        method=integrator.method, rtol=integrator.rtol, atol=integrator.atol,
        coordinates="log-probabilities", evaluations=result.evaluations,
        simplex_error=simplex_error(xs),
    )
    evaluate: Callable[[float], np.ndarray] | None = None
    if dense:
        sol = result.dense

        def evaluate_at(t: float) -> np.ndarray:
            yt = np.asarray(sol(t)).reshape(count, width)
            return np.concatenate(shares(yt), axis=-1)

        evaluate = evaluate_at
    return xs, report, evaluate


def replicator(
    game: Game,
    start: object = None,
    *,
    horizon: float = 100.0,
    samples: int = 1001,
    population: str = "per-player",
    integrator: Integrator = Integrator(),
    solution: Solution | None = None,
) -> Trajectory:
    """The replicator trajectory from ``start`` (default: the uniform profile) up to ``horizon``.

    ``samples`` states are kept, equally spaced in time. The outcome says whether the
    trajectory comes to rest (speed below :data:`REST_SPEED`), runs on a closed orbit, or is
    still moving, and how far its end is from the nearest verified equilibrium.

    >>> from negsim.game import Game
    >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]])
    >>> replicator(pd, horizon=40).outcome.label
    'D / D'
    """
    check_population(game, population)
    check_number(horizon, "horizon", above=0)
    check_number(samples, "samples", integer=True, at_least=2)
    profile = population_start(game, start, population)
    times = np.linspace(0.0, float(horizon), int(samples))
    xs, report, evaluate = replicator_flow(game, [profile], times, population=population,
                                           integrator=integrator, dense=True)
    states = tuple(x[0] for x in xs)
    end = tuple(s[-1] for s in states)
    solution = equilibria_of(game, solution)
    rest = speed(game, end, population)
    kind, period = "moving", None
    if rest <= REST_SPEED:
        # Slow is not settled: near an unstable rest point (a vertex of a heteroclinic cycle,
        # a saddle passed closely) the state moves on. Linearise within the face of the start.
        kind = "rest point" if not _leaves(game, profile, end, population) else "near unstable rest point"
    elif evaluate is not None:
        blocks = 1 if population == "single" else game.n_players
        found = closed_orbit_period(times, np.concatenate(states[:blocks], axis=1), evaluate)
        if found is not None:
            kind, period = "closed orbit", found[0]
    outcome = make_outcome(game, solution, end, kind=kind, speed=rest, period=period,
                           what="the replicator dynamic")
    return Trajectory(
        dynamics="replicator", game=game, times=times, states=states, outcome=outcome,
        solution=solution, integration=report,
        settings={"population": population, "horizon": float(horizon), "samples": int(samples),
                  "start": [[float(p) for p in s] for s in profile]},
    )


def _leaves(game: Game, start: Profile, end: Profile, population: str) -> bool:
    """Whether the linearisation at ``end``, on the face the trajectory lives in, has an
    eigenvalue with positive real part (the state is near a rest point it will leave)."""
    J = replicator_jacobian(game, end, population=population)
    blocks = start[:1] if population == "single" else start
    support = np.concatenate([np.asarray(s) > 0 for s in blocks])
    sizes = [int(np.count_nonzero(np.asarray(s) > 0)) for s in blocks]
    values = tangent_eigenvalues(J[np.ix_(support, support)], sizes)
    return bool(len(values)) and float(values.real.max()) > 1e-9 * payoff_range(game)


def discrete_replicator(
    game: Game,
    start: object = None,
    *,
    steps: int = 500,
    population: str = "per-player",
    background: float | None = None,
    solution: Solution | None = None,
) -> Trajectory:
    """Discrete-time replicator: ``x_k <- x_k f_k / (x . f)`` with fitness ``f = payoff + background``.

    ``background`` defaults to the payoff range minus the smallest payoff, so every fitness is
    between one and two payoff ranges; a given one must make every fitness positive.
    """
    A = check_population(game, population)
    check_number(steps, "steps", integer=True, at_least=1)
    profile = population_start(game, start, population)
    payoffs = game.solver_payoffs
    low = float(payoffs.min())
    if background is None:
        background = payoff_range(game) - low
    elif not (isinstance(background, (int, float)) and math.isfinite(background)) or low + background <= 0:
        raise InputError([Problem(f"the background fitness must make every fitness positive: above "
                                  f"{-low:g}, got {background!r}", path="background")])
    xs = [np.asarray(s, dtype=float) for s in (profile[:1] if A is not None else profile)]
    history = [[x.copy()] for x in xs]
    for _ in range(int(steps)):
        us = [xs[0] @ A.T] if A is not None else payoff_vectors(payoffs, xs)
        xs = [x * (u + background) / float(x @ (u + background)) for x, u in zip(xs, us)]
        for h, x in zip(history, xs):
            h.append(x)
    states = tuple(np.array(h) for h in history)
    if A is not None:
        states = (states[0], states[0])
    end = tuple(s[-1] for s in states)
    change = max(float(np.max(np.abs(s[-1] - s[-2]))) for s in states)
    solution = equilibria_of(game, solution)
    outcome = make_outcome(game, solution, end, kind="rest point" if change <= 1e-12 else "moving",
                           speed=change, what="the discrete replicator")
    return Trajectory(
        dynamics="discrete replicator", game=game, times=np.arange(int(steps) + 1, dtype=float),
        states=states, outcome=outcome, solution=solution,
        settings={"population": population, "steps": int(steps), "background": float(background),
                  "start": [[float(p) for p in s] for s in profile]},
    )


# -- linearisation ---------------------------------------------------------------------------------


def replicator_jacobian(
    game: Game, profile: Sequence[np.ndarray], *, population: str = "per-player"
) -> np.ndarray:
    """The Jacobian of the replicator field at ``profile`` in full coordinates.

    Per-player: blocks ``d F_ik / d x_jl``; single population: an ``m x m`` matrix.
    """
    A = check_population(game, population)
    if A is not None:
        x = np.asarray(profile[0], dtype=float)
        u = A @ x
        mean = float(x @ u)
        return np.asarray(np.diag(u - mean) + x[:, None] * (A - (A @ x + A.T @ x)[None, :]))
    payoffs = game.solver_payoffs
    xs = tuple(np.asarray(s, dtype=float) for s in profile)
    us = payoff_vectors(payoffs, xs)
    offsets = np.concatenate([[0], np.cumsum(game.shape)]).astype(int)
    size = int(offsets[-1])
    J = np.zeros((size, size))
    for i, (x, u) in enumerate(zip(xs, us)):
        oi = offsets[i]
        mean = float(x @ u)
        J[oi:oi + len(x), oi:oi + len(x)] = np.diag(u - mean) - x[:, None] * u[None, :]
        for j in range(game.n_players):
            if j == i:
                continue
            D = cross_derivatives(payoffs, xs, i, j)  # (m_i, m_j)
            oj = offsets[j]
            J[oi:oi + len(x), oj:oj + game.shape[j]] = x[:, None] * (D - (x @ D)[None, :])
    return J


def tangent_eigenvalues(jacobian: np.ndarray, blocks: Sequence[int]) -> np.ndarray:
    """Eigenvalues of ``jacobian`` on the tangent space of the product of simplices.

    Each block of ``blocks`` coordinates sums to 1, so only directions that keep every sum
    fixed matter; the field maps them into themselves. The eigenvalues are sorted by real part,
    largest first.
    """
    bases = []
    for m in blocks:
        # an orthonormal basis of {v : sum v = 0} in R^m
        _, _, vt = np.linalg.svd(np.ones((1, m)))
        bases.append(vt[1:].T)
    size = sum(blocks)
    V = np.zeros((size, size - len(blocks)))
    row = col = 0
    for basis, m in zip(bases, blocks):
        V[row:row + m, col:col + m - 1] = basis
        row, col = row + m, col + m - 1
    values = np.linalg.eigvals(V.T @ jacobian @ V) if V.shape[1] else np.zeros(0, dtype=complex)
    order = np.lexsort((-values.imag, -values.real))
    return np.asarray(values[order])
