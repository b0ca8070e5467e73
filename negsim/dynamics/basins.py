"""Basins of attraction: from which starts does play reach which equilibrium?

Starts cover the strategy space evenly: for a 2x2 game the centres of an ``n x n`` grid of
cells in the unit square (``p`` the row player's probability of its first strategy, ``q`` the
column player's); for three strategies the centroids of the ``n^2`` equal triangles of a
subdivided simplex (one population) or pairs of them (3x3, two populations). Any other game
gets ``samples`` starts drawn uniformly from the simplices (seeded). Each cell has the same
area, so the share of starts that reach an equilibrium estimates the share of the space that
is its basin.

For a 2x2 game whose interior equilibrium is a saddle of the two-population replicator
(coordination games such as the stag hunt) the basins are split by a curve known in closed
form: ``H(p, q) = c f_p*(p) - a f_q*(q)`` with ``f_s(x) = -s log x - (1 - s) log(1 - x)`` is a
constant of motion (the row player's advantage of its first strategy is ``a (q - q*)``, the
column player's ``c (p - p*)``), and the separatrix is the branch of its level set through
``(p*, q*)`` that forms the saddle's stable manifold. For one population of a symmetric 2x2
coordination game the basins split exactly at the mixed equilibrium.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from negsim.dynamics.fictitious_play import fictitious_play
from negsim.dynamics.integrate import IntegrationReport, Integrator
from negsim.dynamics.profiles import Profile, check_number, profile_as_lists
from negsim.dynamics.replicator import check_population, replicator_flow
from negsim.dynamics.trajectory import equilibria_of, equilibrium_dict, nearest_equilibrium
from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import Game
from negsim.numbers import format_fraction
from negsim.solve import Solution
from negsim.solve.exact import fraction_array

__all__ = ["BASIN_DYNAMICS", "Basins", "Separatrix", "basins", "grid_starts", "separatrix", "simplex_cells"]

BASIN_DYNAMICS = ("replicator", "fictitious play")

#: A start whose end state is this close to an equilibrium is in its basin.
BASIN_TOLERANCE = 1e-3

#: Starts integrated together (one system; see :func:`negsim.dynamics.replicator.replicator_flow`).
BATCH = 256


@dataclass(frozen=True, eq=False)
class Separatrix:
    """The exact boundary between two basins of a 2x2 game.

    For two populations ``points`` is a curve ``(k, 2)`` of ``(p, q)``; for one population it
    is empty and ``threshold`` is the share of the first strategy where the basins meet.
    ``shares`` maps equilibrium indices to the exact share of the space each basin covers.
    """

    description: str
    points: np.ndarray
    threshold: Fraction | None
    shares: dict[int, float]

    def to_dict(self) -> dict[str, object]:
        return {
            "description": self.description,
            "points": [[float(a), float(b)] for a, b in self.points],
            "threshold": format_fraction(self.threshold) if self.threshold is not None else None,
            "shares": {str(k): v for k, v in self.shares.items()},
        }


@dataclass(frozen=True, eq=False)
class Basins:
    """Where each start ended: ``reached[k]`` indexes ``solution.equilibria`` (``-1``: none within
    :data:`BASIN_TOLERANCE` by the horizon).

    ``grid`` is the layout of the starts when they form one (``(n, n)`` for 2x2 games: row
    ``j``, column ``i`` is the cell ``q = (j + 1/2)/n``, ``p = (i + 1/2)/n``; ``(n,)`` for one
    population with two strategies), else ``()``.
    """

    game: Game
    dynamics: str
    population: str
    starts: tuple[Profile, ...]
    reached: np.ndarray
    solution: Solution
    grid: tuple[int, ...] = ()
    separatrix: Separatrix | None = None
    settings: dict[str, object] = field(default_factory=dict)
    integration: IntegrationReport | None = None

    def share(self, index: int) -> float:
        """Share of starts that reach equilibrium ``index`` (``-1``: none)."""
        return float(np.mean(self.reached == index)) if len(self.reached) else 0.0

    def shares(self) -> dict[str, float]:
        """Shares by equilibrium label (only equilibria some start reaches; ``"none"`` last)."""
        out = {self.solution.equilibria[k].label(self.game): self.share(k)
               for k in sorted(set(int(r) for r in self.reached) - {-1})}
        if np.any(self.reached == -1):
            out["none"] = self.share(-1)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "dynamics": self.dynamics,
            "population": self.population,
            "settings": dict(self.settings),
            "players": list(self.game.players),
            "equilibria": [equilibrium_dict(self.game, self.solution, k)
                           for k in range(len(self.solution.equilibria))],
            "shares": self.shares(),
            "grid": list(self.grid),
            "starts": [profile_as_lists(s) for s in self.starts],
            "reached": [int(r) for r in self.reached],
            "separatrix": self.separatrix.to_dict() if self.separatrix else None,
            "integration": self.integration.to_dict() if self.integration else None,
        }


def simplex_cells(n: int) -> np.ndarray:
    """Centroids of the ``n^2`` equal triangles of a simplex cut ``n`` times along each side."""
    points = []
    for i in range(n):
        for j in range(n - i):
            points.append(((i + 1 / 3) / n, (j + 1 / 3) / n))
            if i + j <= n - 2:
                points.append(((i + 2 / 3) / n, (j + 2 / 3) / n))
    a = np.array(points)
    return np.column_stack([a[:, 0], a[:, 1], 1.0 - a[:, 0] - a[:, 1]])


def grid_starts(
    game: Game, resolution: int, population: str = "per-player"
) -> tuple[list[Profile], tuple[int, ...]]:
    """The evenly spread starts of :func:`basins` and their grid layout."""
    centres = (np.arange(resolution) + 0.5) / resolution
    if population == "single":
        m = game.shape[0]
        if m == 2:
            return [(np.array([x, 1 - x]),) * 2 for x in centres], (resolution,)
        if m == 3:
            return [(c, c) for c in simplex_cells(resolution)], ()
    elif game.n_players == 2 and game.shape == (2, 2):
        return [(np.array([p, 1 - p]), np.array([q, 1 - q])) for q in centres for p in centres], \
            (resolution, resolution)
    elif game.n_players == 2 and game.shape == (3, 3):
        cells = simplex_cells(resolution)
        return [(x, y) for x in cells for y in cells], ()
    raise InputError([Problem("grid starts are for 2x2 and 3x3 games and one population with 2 or 3 "
                              "strategies; give samples= for random starts", path="resolution")])


def _random_starts(game: Game, samples: int, seed: int | None, population: str) -> list[Profile]:
    rng = np.random.default_rng(seed)
    if population == "single":
        return [(x, x) for x in rng.dirichlet(np.ones(game.shape[0]), size=samples)]
    draws = [rng.dirichlet(np.ones(m), size=samples) for m in game.shape]
    return [tuple(d[k] for d in draws) for k in range(samples)]


def basins(
    game: Game,
    *,
    dynamics: str = "replicator",
    population: str = "per-player",
    resolution: int = 20,
    samples: int | None = None,
    seed: int | None = None,
    starts: Sequence[Profile] | None = None,
    horizon: float = 100.0,
    steps: int = 2000,
    integrator: Integrator = Integrator(rtol=1e-8, atol=1e-10),
    solution: Solution | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Basins:
    """Run ``dynamics`` from many starts and record which equilibrium each reaches.

    Starts: ``starts`` if given, else ``samples`` random ones (seeded), else the grid of
    :func:`grid_starts` at ``resolution``. The replicator runs to ``horizon``; fictitious play
    (its prior is the start, weight 1) for ``steps`` rounds. ``progress(starts_done, starts)``
    is called as the starts are done (after each batch of the replicator, every few runs of
    fictitious play).

    >>> from negsim.game import Game
    >>> stag_hunt = Game.from_matrices([[4, 0], [3, 3]], [[4, 3], [0, 3]],
    ...                                strategies=[["stag", "hare"], ["stag", "hare"]])
    >>> b = basins(stag_hunt, population="single", resolution=8)
    >>> b.shares(), b.separatrix.threshold
    ({'stag / stag': 0.25, 'hare / hare': 0.75}, Fraction(3, 4))
    """
    if dynamics not in BASIN_DYNAMICS:
        raise InputError([Problem(f"unknown dynamics {dynamics!r}{did_you_mean(dynamics, BASIN_DYNAMICS)}",
                                  path="dynamics")])
    check_population(game, population)
    if dynamics == "fictitious play" and population == "single":
        raise InputError([Problem("fictitious play has one belief per player: use population 'per-player'",
                                  path="population")])
    check_number(horizon, "horizon", above=0)
    grid: tuple[int, ...] = ()
    if starts is not None:
        chosen = [tuple(np.asarray(s, dtype=float) for s in start) for start in starts]
    elif samples is not None:
        check_number(samples, "samples", integer=True, at_least=1)
        chosen = _random_starts(game, int(samples), seed, population)
    else:
        check_number(resolution, "resolution", integer=True, at_least=1)
        chosen, grid = grid_starts(game, int(resolution), population)
    solution = equilibria_of(game, solution)
    reached = np.full(len(chosen), -1, dtype=np.int64)
    report = None
    if dynamics == "replicator":
        times = np.array([0.0, float(horizon)])
        evaluations = 0
        worst = 0.0
        for first in range(0, len(chosen), BATCH):
            batch = chosen[first:first + BATCH]
            xs, batch_report, _ = replicator_flow(game, batch, times, population=population,
                                                  integrator=integrator)
            evaluations += batch_report.evaluations
            worst = max(worst, batch_report.simplex_error)
            for k in range(len(batch)):
                end = tuple(x[k, -1] for x in xs)
                index, gap = nearest_equilibrium(solution, end)
                if index is not None and gap <= BASIN_TOLERANCE:
                    reached[first + k] = index
            if progress is not None:
                progress(first + len(batch), len(chosen))
        report = IntegrationReport(method=integrator.method, rtol=integrator.rtol, atol=integrator.atol,
                                   coordinates="log-probabilities", evaluations=evaluations,
                                   simplex_error=worst)
    else:
        for k, start in enumerate(chosen):
            run = fictitious_play(game, [s for s in start], steps=steps, record=2, solution=solution,
                                  tolerance=BASIN_TOLERANCE * 10)
            if run.trajectory.outcome.reached and run.trajectory.outcome.equilibrium is not None:
                reached[k] = run.trajectory.outcome.equilibrium
            if progress is not None and ((k + 1) % 16 == 0 or k + 1 == len(chosen)):
                progress(k + 1, len(chosen))
    boundary = None
    if dynamics == "replicator":
        boundary = separatrix(game, population=population, solution=solution)
    settings: dict[str, object] = {"dynamics": dynamics, "population": population, "starts": len(chosen)}
    if dynamics == "replicator":
        settings["horizon"] = float(horizon)
    else:
        settings["steps"] = steps
    if starts is None and samples is not None:
        settings.update(samples=int(samples), seed=seed)
    elif starts is None:
        settings["resolution"] = int(resolution)
    return Basins(game=game, dynamics=dynamics, population=population, starts=tuple(chosen), reached=reached,
                  solution=solution, grid=grid, separatrix=boundary, settings=settings, integration=report)


def _pure_index(solution: Solution, profile: Sequence[int]) -> int | None:
    for k, e in enumerate(solution.equilibria):
        if e.pure_profile() == tuple(profile):
            return k
    return None


def separatrix(game: Game, *, population: str = "per-player", solution: Solution | None = None,
               points: int = 401) -> Separatrix | None:
    """The exact basin boundary of the replicator in a 2x2 coordination-type game, else ``None``."""
    A = check_population(game, population)
    solution = equilibria_of(game, solution)
    if A is not None:
        if A.shape != (2, 2):
            return None
        E = fraction_array(A)
        a = (E[0, 0] - E[1, 0]) - (E[0, 1] - E[1, 1])
        b = E[0, 1] - E[1, 1]
        if a <= 0 or not 0 < -b / a < 1:
            return None
        threshold = Fraction(-b / a)
        first, second = _pure_index(solution, (0, 0)), _pure_index(solution, (1, 1))
        if first is None or second is None:
            return None
        return Separatrix(
            description=(f"a population playing {game.strategies[0][0]} with probability above "
                         f"{format_fraction(threshold)} goes to {game.strategies[0][0]}, below it to "
                         f"{game.strategies[0][1]}"),
            points=np.zeros((0, 2)), threshold=threshold,
            shares={first: float(1 - threshold), second: float(threshold)},
        )
    if game.n_players != 2 or game.shape != (2, 2):
        return None
    U = game.solver_payoffs
    a = float((U[0, 0, 0] - U[0, 1, 0]) - (U[0, 0, 1] - U[0, 1, 1]))
    b = float(U[0, 0, 1] - U[0, 1, 1])
    c = float((U[1, 0, 0] - U[1, 0, 1]) - (U[1, 1, 0] - U[1, 1, 1]))
    d = float(U[1, 1, 0] - U[1, 1, 1])
    if a == 0 or c == 0 or a * c <= 0:
        return None
    q_star, p_star = -b / a, -d / c
    if not (0 < q_star < 1 and 0 < p_star < 1):
        return None
    from scipy.integrate import quad
    from scipy.optimize import brentq

    def f(s: float, x: float) -> float:
        return -s * math.log(x) - (1 - s) * math.log1p(-x)

    def q_of(p: float) -> float:
        if p == p_star:
            return q_star
        target = (c / a) * (f(p_star, p) - f(p_star, p_star))
        upper = math.copysign(1.0, -a) * math.copysign(1.0, p - p_star) > 0
        edge = 1 - 1e-15 if upper else 1e-15

        def g(q: float) -> float:
            return f(q_star, q) - f(q_star, q_star) - target

        if g(edge) <= 0:
            return edge
        low, high = (q_star, edge) if upper else (edge, q_star)
        return float(brentq(g, low, high, xtol=1e-14))

    ps = np.unique(np.concatenate([np.linspace(1e-4, 1 - 1e-4, points), [p_star]]))
    curve = np.column_stack([ps, [q_of(float(p)) for p in ps]])
    above = sum(quad(lambda p: 1.0 - q_of(p), lo, hi, limit=200, epsabs=1e-10)[0]
                for lo, hi in ((0.0, p_star), (p_star, 1.0)))
    # the corner above the curve (q = 1) and the one below it (q = 0)
    top = _pure_index(solution, (0, 0) if a > 0 else (1, 0))
    bottom = _pure_index(solution, (1, 1) if a > 0 else (0, 1))
    if top is None or bottom is None:
        return None
    names = [f"{game.player_names[i]} {game.strategies[i][0]} with probability" for i in range(2)]
    return Separatrix(
        description=(f"the stable manifold of the mixed equilibrium ({names[0]} {p_star:.4g}, "
                     f"{names[1]} {q_star:.4g}) splits the square"),
        points=curve, threshold=None, shares={top: float(above), bottom: float(1.0 - above)},
    )

