"""Phase portraits as data: the replicator's vector field, trajectories and rest points.

Two pictures fit on a page: the unit square of a 2x2 game under the two-population replicator
(``p``, ``q`` the probabilities of each player's first strategy) and the simplex of a symmetric
3-strategy game under the one-population replicator. :func:`phase_portrait` computes either;
:mod:`negsim.plot.dynamics` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.dynamics.basins import Separatrix, separatrix, simplex_cells
from negsim.dynamics.integrate import Integrator
from negsim.dynamics.profiles import Profile, is_symmetric
from negsim.dynamics.replicator import replicator_flow, replicator_velocity
from negsim.dynamics.rest_points import RestPoints, rest_points
from negsim.dynamics.trajectory import equilibria_of
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve import Solution

__all__ = ["Portrait", "phase_portrait", "portrait_kind"]

_SQUARE_STARTS = ((0.1, 0.15), (0.15, 0.9), (0.9, 0.1), (0.85, 0.85), (0.5, 0.2), (0.2, 0.5),
                  (0.5, 0.85), (0.8, 0.5), (0.35, 0.35), (0.65, 0.65), (0.4, 0.6), (0.6, 0.4))
_SIMPLEX_STARTS = ((0.6, 0.2, 0.2), (0.2, 0.6, 0.2), (0.2, 0.2, 0.6), (0.4, 0.4, 0.2), (0.4, 0.2, 0.4),
                   (0.2, 0.4, 0.4), (0.45, 0.35, 0.2), (0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8))


@dataclass(frozen=True, eq=False)
class Portrait:
    """A phase portrait: ``kind`` is ``"square"`` (2x2, two populations) or ``"simplex"``
    (one population, 3 strategies).

    ``field_points`` are the states where the field is drawn (``(k, 2)`` of ``(p, q)`` or
    ``(k, 3)`` of shares) and ``field`` the velocities there, in the same coordinates;
    ``trajectories`` are arrays of states over ``times``.
    """

    game: Game
    kind: str
    field_points: np.ndarray
    field: np.ndarray
    times: np.ndarray
    trajectories: tuple[np.ndarray, ...]
    rest: RestPoints
    separatrix: Separatrix | None
    solution: Solution

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "players": list(self.game.players),
            "strategies": {p: list(s) for p, s in zip(self.game.players, self.game.strategies)},
            "field_points": self.field_points.tolist(),
            "field": self.field.tolist(),
            "times": self.times.tolist(),
            "trajectories": [t.tolist() for t in self.trajectories],
            "rest": self.rest.to_dict(),
            "separatrix": self.separatrix.to_dict() if self.separatrix else None,
        }


def portrait_kind(game: Game) -> str:
    """``"square"`` for 2x2 games, ``"simplex"`` for symmetric 3x3 ones; else an :class:`InputError`."""
    if game.n_players == 2 and game.shape == (2, 2):
        return "square"
    if game.n_players == 2 and game.shape == (3, 3) and is_symmetric(game):
        return "simplex"
    raise InputError([Problem(
        "phase portraits are drawn for 2x2 games (two populations) and symmetric games with 3 "
        f"strategies (one population); this game has {' x '.join(str(m) for m in game.shape)} strategies",
        path="game")])


def phase_portrait(
    game: Game,
    *,
    starts: Sequence[Sequence[float]] | None = None,
    horizon: float = 30.0,
    samples: int = 601,
    resolution: int = 15,
    integrator: Integrator = Integrator(rtol=1e-8, atol=1e-10),
    solution: Solution | None = None,
) -> Portrait:
    """The replicator's phase portrait of a 2x2 or symmetric 3-strategy game.

    ``starts`` are ``(p, q)`` pairs for a 2x2 game or share triples for the simplex.
    """
    kind = portrait_kind(game)
    solution = equilibria_of(game, solution)
    population = "per-player" if kind == "square" else "single"
    if kind == "square":
        chosen = [tuple(map(float, s)) for s in (starts or _SQUARE_STARTS)]
        _check_starts([s for s in chosen if len(s) != 2 or not all(0 < v < 1 for v in s)], kind)
        profiles: list[Profile] = [(np.array([p, 1 - p]), np.array([q, 1 - q])) for p, q in chosen]
        centres = (np.arange(resolution) + 0.5) / resolution
        P, Q = np.meshgrid(centres, centres)
        points = np.column_stack([P.ravel(), Q.ravel()])
        x = np.column_stack([points[:, 0], 1 - points[:, 0]])
        y = np.column_stack([points[:, 1], 1 - points[:, 1]])
        vx, vy = replicator_velocity(game, [x, y])
        field = np.column_stack([vx[:, 0], vy[:, 0]])
    else:
        chosen = [tuple(map(float, s)) for s in (starts or _SIMPLEX_STARTS)]
        _check_starts([s for s in chosen
                       if len(s) != 3 or not all(v > 0 for v in s) or abs(sum(s) - 1) > 1e-9], kind)
        profiles = [(np.array(s), np.array(s)) for s in chosen]
        points = simplex_cells(resolution)
        field = replicator_velocity(game, [points, points], population="single")[0]
    times = np.linspace(0.0, float(horizon), int(samples))
    xs, _report, _ = replicator_flow(game, profiles, times, population=population, integrator=integrator)
    if kind == "square":
        trajectories = tuple(np.column_stack([xs[0][k, :, 0], xs[1][k, :, 0]]) for k in range(len(profiles)))
    else:
        trajectories = tuple(xs[0][k] for k in range(len(profiles)))
    rest = rest_points(game, population=population, solution=solution)
    boundary = separatrix(game, population=population, solution=solution) if kind == "square" else None
    return Portrait(game=game, kind=kind, field_points=points, field=field, times=times,
                    trajectories=trajectories, rest=rest, separatrix=boundary, solution=solution)


def _check_starts(bad: list[tuple[float, ...]], kind: str) -> None:
    if bad:
        what = "(p, q) with 0 < p, q < 1" if kind == "square" else "three positive shares summing to 1"
        raise InputError([Problem(f"expected {what}, got {bad[0]!r}", path="starts")])
