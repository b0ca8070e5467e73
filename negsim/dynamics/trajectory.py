"""Trajectories as data: times, each player's states, and where the play ended up.

Where a trajectory ends is compared with the game's verified Nash equilibria
(:func:`negsim.solve.solve`): the :class:`Outcome` names the nearest one and the distance to
it (the largest difference of any probability), the end state's regret, and how the
trajectory behaves at its end (at rest, on a closed orbit, or still moving).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negsim.dynamics.integrate import IntegrationReport
from negsim.dynamics.profiles import Profile, distance, profile_as_lists
from negsim.errors import DegenerateGameWarning
from negsim.game import Game
from negsim.solve import Solution, solve
from negsim.solve.verify import payoff_scale, regret

__all__ = ["Outcome", "Trajectory", "equilibria_of", "equilibrium_dict", "nearest_equilibrium"]

#: An end state this close (sup norm) to a Nash equilibrium has *reached* it.
REACH_TOLERANCE = 1e-6

#: An end state whose regret is below this (times the payoff scale) is itself an equilibrium.
EQUILIBRIUM_REGRET = 1e-6


def equilibria_of(game: Game, solution: Solution | None = None) -> Solution:
    """The verified Nash equilibria the dynamics are compared with (solved once, reused)."""
    if solution is not None:
        if solution.game.shape != game.shape or solution.game.players != game.players:
            raise ValueError("the solution belongs to another game")
        return solution
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)  # recorded in Solution.warnings
        return solve(game)


def nearest_equilibrium(solution: Solution, profile: Sequence[np.ndarray]) -> tuple[int | None, float]:
    """Index of the equilibrium closest to ``profile`` and its distance (``None, inf`` if none)."""
    best: int | None = None
    gap = float("inf")
    for k, e in enumerate(solution.equilibria):
        d = distance(e.strategies, profile)
        if d < gap:
            best, gap = k, d
    return best, gap


def equilibrium_dict(game: Game, solution: Solution, index: int | None) -> dict[str, object] | None:
    """One equilibrium of ``solution`` as JSON-ready data, or ``None``."""
    if index is None:
        return None
    e = solution.equilibria[index]
    return {
        "index": index,
        "label": e.label(game),
        "kind": e.kind,
        "profile": profile_as_lists(e.strategies),
        "payoffs": {p: float(v) for p, v in zip(game.players, e.payoffs)},
    }


@dataclass(frozen=True)
class Outcome:
    """Where a trajectory ended.

    ``kind`` is ``"rest point"`` (the dynamic has stopped moving: speed below tolerance, and
    the linearisation there lets it stay), ``"near unstable rest point"`` (slow, but next to a
    rest point it will leave),
    ``"closed orbit"`` (it returns to where it was, ``period`` later), ``"settled"`` (discrete
    play stays on one pure profile), ``"cycle"`` (discrete play repeats a sequence of
    profiles) or ``"moving"`` (none of these by the horizon). ``equilibrium`` indexes the
    nearest verified equilibrium, ``distance`` is the largest probability difference to it and
    ``reached`` says whether it is within :data:`REACH_TOLERANCE` (or the tolerance the
    dynamic states); ``regret`` is the end state's largest gain from a pure deviation, and
    ``at_equilibrium`` says whether that is within :data:`EQUILIBRIUM_REGRET` of the payoff
    scale (an equilibrium, perhaps inside a set of them that the listed extreme ones span).
    """

    kind: str
    regret: float
    speed: float
    equilibrium: int | None
    label: str
    distance: float
    reached: bool
    period: float | None = None
    description: str = ""
    at_equilibrium: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "regret": self.regret,
            "speed": self.speed,
            "nearest_equilibrium": self.equilibrium,
            "nearest_label": self.label,
            "distance": self.distance,
            "reached": self.reached,
            "at_equilibrium": self.at_equilibrium,
            "period": self.period,
            "description": self.description,
        }


def make_outcome(
    game: Game,
    solution: Solution,
    end: Profile,
    *,
    kind: str,
    speed: float,
    tolerance: float = REACH_TOLERANCE,
    period: float | None = None,
    what: str = "the dynamic",
) -> Outcome:
    """An :class:`Outcome` for end state ``end``, with a sentence that says it in words."""
    index, gap = nearest_equilibrium(solution, end)
    label = solution.equilibria[index].label(game) if index is not None else ""
    reached = index is not None and gap <= tolerance
    gain = regret(game, end)
    # in a degenerate game an end state may itself be an equilibrium between the extreme ones listed
    equilibrium_state = gain <= EQUILIBRIUM_REGRET * payoff_scale(game)
    if kind == "rest point":
        if reached:
            text = f"{what} comes to rest at the equilibrium {label}"
        elif equilibrium_state:
            text = (f"{what} comes to rest at a Nash equilibrium (regret {gain:.1g}) between the extreme "
                    f"equilibria listed; the nearest of them, {label}, is {gap:.3g} away")
        else:
            text = (f"{what} comes to rest {gap:.3g} from the nearest equilibrium ({label}), "
                    f"at a state with regret {gain:.3g}")
    elif kind == "near unstable rest point":
        text = (f"{what} is slow at the horizon but near a rest point it will leave (unstable); "
                f"the nearest equilibrium ({label}) is {gap:.3g} away")
    elif kind == "closed orbit":
        text = f"{what} circles on a closed orbit (period {period:.4g}); nearest equilibrium {label}"
    elif kind == "settled":
        text = f"play settles on {label}" if reached else "play settles on a profile that is no equilibrium"
    elif kind == "cycle":
        text = f"play cycles; the nearest equilibrium ({label}) is {gap:.3g} away"
    else:
        text = (f"{what} is within {gap:.3g} of the equilibrium {label} at the horizon" if reached else
                f"{what} is still moving at the horizon, {gap:.3g} from the nearest equilibrium ({label})")
    return Outcome(kind=kind, regret=gain, speed=speed, equilibrium=index, label=label, distance=gap,
                   reached=reached, period=period, description=text, at_equilibrium=equilibrium_state)


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A path of mixed profiles: ``states[i][t]`` is player ``i``'s mix at ``times[t]``.

    For one-population dynamics of a symmetric game both players' states are the population
    state. ``settings`` records what was asked (horizon, lambda, population ...), so that a
    trajectory can be reproduced from its JSON.
    """

    dynamics: str
    game: Game
    times: np.ndarray
    states: Profile
    outcome: Outcome
    solution: Solution
    settings: Mapping[str, object] = field(default_factory=dict)
    integration: IntegrationReport | None = None

    @property
    def end(self) -> Profile:
        return tuple(s[-1] for s in self.states)

    def state(self, k: int) -> Profile:
        """The profile at sample ``k``."""
        return tuple(s[k] for s in self.states)

    def to_dict(self) -> dict[str, object]:
        return {
            "dynamics": self.dynamics,
            "players": list(self.game.players),
            "strategies": {p: list(s) for p, s in zip(self.game.players, self.game.strategies)},
            "settings": dict(self.settings),
            "integration": self.integration.to_dict() if self.integration else None,
            "times": [float(t) for t in self.times],
            "states": {p: [[float(v) + 0.0 for v in row] for row in s]
                       for p, s in zip(self.game.players, self.states)},
            "outcome": self.outcome.to_dict(),
            "equilibrium": equilibrium_dict(self.game, self.solution, self.outcome.equilibrium),
        }
