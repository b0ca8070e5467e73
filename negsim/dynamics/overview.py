"""Where play goes, in one look: each dynamic from uniform play and from the status quo.

:func:`learning_overview` runs best responses from the status quo, fictitious play from uniform
play and from the status quo, the replicator from uniform play and the logit QRE path (which
starts from uniform play at ``lambda = 0``), and reports for each whether it reaches one of the
game's verified equilibria (:class:`PlayResult`). The same results, one point at a time, are
what a sweep of the dynamics records.

The replicator is not run from the status quo: a pure profile is a rest point of it (a strategy
absent at the start stays absent), so it would stay there whatever the payoffs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from negsim.dynamics.best_response import best_response_dynamics
from negsim.dynamics.fictitious_play import fictitious_play
from negsim.dynamics.profiles import status_quo_profile
from negsim.dynamics.qre import QREPath, qre_path
from negsim.dynamics.replicator import replicator
from negsim.dynamics.trajectory import REACH_TOLERANCE, Outcome, equilibria_of
from negsim.game import Game
from negsim.solve import Solution

__all__ = [
    "DYNAMICS",
    "REPLICATOR_TOLERANCE",
    "LearningOverview",
    "PlayResult",
    "best_response_result",
    "fictitious_play_result",
    "learning_overview",
    "qre_result",
    "replicator_result",
]

#: The replicator reaches an equilibrium when it ends this close to it (as in
#: :func:`negsim.dynamics.basins`): near a tipping point it slows down and may still be
#: approaching at the horizon.
REPLICATOR_TOLERANCE = 1e-3

#: The dynamics of an overview, each with the starts it is run from.
DYNAMICS: dict[str, tuple[str, ...]] = {
    "best responses": ("status quo",),
    "fictitious play": ("uniform", "status quo"),
    "replicator": ("uniform",),
    "logit QRE": ("uniform",),
}


@dataclass(frozen=True)
class PlayResult:
    """Where one dynamic went from one start.

    ``outcome`` is how it ended (``"equilibrium"`` for best responses that stop, ``"cycle"``,
    ``"rest point"``, ``"closed orbit"``, ``"settled"``, ``"moving"``, ``"limit"`` for the QRE
    path, or ``"no limit"`` when its end did not polish into a verified equilibrium);
    ``equilibrium`` indexes the verified equilibrium it reached (``None`` if it reached none),
    ``label`` names the nearest equilibrium, ``distance`` is the largest probability difference
    between the end and it. ``at_equilibrium`` says the end is itself an equilibrium (its
    regret is within tolerance), which in a degenerate game may lie between the extreme
    equilibria listed without being one of them.
    """

    dynamic: str
    start: str
    outcome: str
    equilibrium: int | None
    label: str
    distance: float | None
    description: str
    at_equilibrium: bool = False

    @property
    def reached(self) -> bool:
        return self.equilibrium is not None

    @property
    def reached_label(self) -> str:
        """The equilibrium reached, or what play did instead: ``"none (cycle)"``, or
        ``"equilibrium near X"`` for an end inside a set of equilibria next to the listed ``X``."""
        if self.equilibrium is not None:
            return self.label
        if self.at_equilibrium:
            return f"equilibrium near {self.label}"
        return f"none ({self.outcome})"

    def to_dict(self) -> dict[str, object]:
        return {
            "dynamic": self.dynamic,
            "start": self.start,
            "outcome": self.outcome,
            "reached": self.reached,
            "equilibrium": self.equilibrium,
            "label": self.label,
            "reached_label": self.reached_label,
            "distance": self.distance,
            "at_equilibrium": self.at_equilibrium,
            "description": self.description,
        }


@dataclass(frozen=True, eq=False)
class LearningOverview:
    """Every :class:`PlayResult` of :func:`learning_overview`, in the order of :data:`DYNAMICS`."""

    game: Game
    solution: Solution
    results: tuple[PlayResult, ...]
    settings: dict[str, object] = field(default_factory=dict)

    def result(self, dynamic: str, start: str) -> PlayResult | None:
        """The result of ``dynamic`` from ``start`` (``None`` if it was not run)."""
        for r in self.results:
            if r.dynamic == dynamic and r.start == start:
                return r
        return None

    def selected(self) -> list[str]:
        """The labels of the equilibria some dynamic reaches, in order of first appearance."""
        out: list[str] = []
        for r in self.results:
            if r.equilibrium is not None and r.label not in out:
                out.append(r.label)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "players": list(self.game.players),
            "strategies": {p: list(s) for p, s in zip(self.game.players, self.game.strategies)},
            "settings": dict(self.settings),
            "equilibria": [e.label(self.game) for e in self.solution.equilibria],
            "results": [r.to_dict() for r in self.results],
        }


def _from_outcome(dynamic: str, start: str, outcome: Outcome) -> PlayResult:
    index = outcome.equilibrium if outcome.reached else None
    return PlayResult(dynamic=dynamic, start=start, outcome=outcome.kind, equilibrium=index,
                      label=outcome.label, distance=outcome.distance, description=outcome.description,
                      at_equilibrium=outcome.at_equilibrium or outcome.reached)


def qre_result(path: QREPath) -> PlayResult:
    """The QRE path's limit as a :class:`PlayResult`."""
    label = path.limit_label()
    if path.limit is None:
        return PlayResult("logit QRE", "uniform", "no limit", None, label, None,
                          "the logit QRE path's end did not polish into a verified equilibrium")
    gap = path.limit_distance
    if path.equilibrium is not None and gap is not None and gap <= REACH_TOLERANCE:
        return PlayResult("logit QRE", "uniform", "limit", path.equilibrium, label, gap,
                          f"as lambda grows the logit QRE approaches the equilibrium {label}",
                          at_equilibrium=True)
    if gap is None:
        return PlayResult("logit QRE", "uniform", "limit", None, label, None,
                          "as lambda grows the logit QRE approaches a verified Nash equilibrium that "
                          "is not among the equilibria listed", at_equilibrium=True)
    return PlayResult("logit QRE", "uniform", "limit", None, label, gap,
                      f"as lambda grows the logit QRE approaches a Nash equilibrium between the extreme "
                      f"equilibria listed; the nearest of them, {label}, is {gap:.3g} away",
                      at_equilibrium=True)


def learning_overview(
    game: Game,
    *,
    solution: Solution | None = None,
    steps: int = 2000,
    horizon: float = 100.0,
    max_lambda: float | None = None,
) -> LearningOverview:
    """Where each dynamic of :data:`DYNAMICS` goes from its starts (see the module docstring).

    ``steps`` rounds of fictitious play (and at most as many best-response steps), the
    replicator to ``horizon``, the QRE path to ``max_lambda`` (its default otherwise). Runs
    from the status quo are left out when the game has none. Everything is deterministic.

    >>> from negsim.game import Game
    >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                         strategies=[["C", "D"], ["C", "D"]], status_quo=(0, 0))
    >>> for r in learning_overview(pd).results:
    ...     print(f"{r.dynamic} from {r.start}: {r.reached_label}")
    best responses from status quo: D / D
    fictitious play from uniform: D / D
    fictitious play from status quo: D / D
    replicator from uniform: D / D
    logit QRE from uniform: D / D
    """
    solution = equilibria_of(game, solution)
    results: list[PlayResult] = []
    status_quo = game.status_quo is not None
    if status_quo:
        results.append(best_response_result(game, solution, steps=steps))
    for start in ("uniform", "status quo") if status_quo else ("uniform",):
        results.append(fictitious_play_result(game, solution, start, steps=steps))
    results.append(replicator_result(game, solution, horizon=horizon))
    qre = qre_path(game, max_lambda=max_lambda, solution=solution)
    results.append(qre_result(qre))
    settings: dict[str, object] = {"steps": steps, "horizon": float(horizon), "max_lambda": qre.max_lambda}
    return LearningOverview(game=game, solution=solution, results=tuple(results), settings=settings)


def best_response_result(game: Game, solution: Solution, *, steps: int = 2000) -> PlayResult:
    """Sequential best responses from the status quo (every player's first strategy without one)."""
    path = best_response_dynamics(game, None, max_steps=steps)
    index = None
    if path.equilibrium is not None:
        index = next((k for k, e in enumerate(solution.equilibria)
                      if e.pure_profile() == path.equilibrium), None)
    return PlayResult(
        dynamic="best responses", start="status quo", outcome=path.end, equilibrium=index,
        label=solution.equilibria[index].label(game) if index is not None else "",
        distance=0.0 if index is not None else None, description=path.describe(),
        at_equilibrium=index is not None)


def fictitious_play_result(game: Game, solution: Solution, start: str = "uniform", *,
                           steps: int = 2000) -> PlayResult:
    """Fictitious play for ``steps`` rounds from ``"uniform"`` play or the ``"status quo"``."""
    prior = None if start == "uniform" else status_quo_profile(game)
    run = fictitious_play(game, prior, steps=steps, record=2, solution=solution)
    return _from_outcome("fictitious play", start, run.trajectory.outcome)


def replicator_result(game: Game, solution: Solution, *, horizon: float = 100.0,
                      tolerance: float = REPLICATOR_TOLERANCE, extensions: int = 2) -> PlayResult:
    """The replicator from uniform play to ``horizon``; it reaches an equilibrium when it ends
    within ``tolerance`` of it (largest probability difference).

    Near a tipping point play slows down (the payoff differences that drive it are small): a
    trajectory still moving at the horizon is followed on, ten times as long each time, at most
    ``extensions`` times, and the description says how long it took.
    """
    start = None
    elapsed = 0.0
    span = float(horizon)
    for extension in range(extensions + 1):
        trajectory = replicator(game, start, horizon=span, samples=201, solution=solution)
        elapsed += span
        outcome = trajectory.outcome
        near = outcome.equilibrium is not None and outcome.distance <= tolerance
        if outcome.kind != "moving" or near or extension == extensions:
            break
        start = [list(s / s.sum()) for s in trajectory.end]
        span *= 10.0
    if not outcome.reached and near:
        outcome = replace(outcome, reached=True, description=(
            f"the replicator dynamic is within {outcome.distance:.2g} of the equilibrium {outcome.label} "
            f"by time {elapsed:g}"))
    elif elapsed > horizon:
        outcome = replace(outcome, description=f"{outcome.description} (followed to time {elapsed:g})")
    return _from_outcome("replicator", "uniform", outcome)
