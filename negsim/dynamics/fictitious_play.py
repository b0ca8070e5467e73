"""Fictitious play (Brown 1951): best responses to the empirical frequencies of the others' past play.

Beliefs start from ``prior_weight`` fictitious rounds of ``start`` (a mixed profile, default
uniform); each round every player plays a pure best response to the others' empirical
frequencies (independent across opponents) and its counts grow by one. ``"simultaneous"``
rounds let everyone respond to the same history; ``"alternating"`` ones let players move in
turn, each seeing the moves made before it in the round. Ties go to the lowest index, or to a
seeded random choice with ``ties="random"``.

Known results the tests check: the empirical frequencies converge to the equilibria in
zero-sum games (Robinson 1951) and in 2x2 games (Miyasawa 1961); in Shapley's 3x3 game (1964)
play cycles through six profiles with ever longer runs and the frequencies never settle; and
in a symmetric coordination game simultaneous play can miscoordinate for ever while the
frequencies converge to the mixed equilibrium (Fudenberg and Levine 1998, ch. 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from negsim.dynamics.profiles import as_profile, payoff_range, payoff_vectors
from negsim.dynamics.trajectory import Trajectory, equilibria_of, make_outcome
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve import Solution
from negsim.solve.verify import regret

__all__ = ["MODES", "FictitiousPlay", "PlayCycle", "fictitious_play", "play_cycle"]

MODES = ("simultaneous", "alternating")

#: The empirical frequencies have converged if they are this close to an equilibrium.
CONVERGENCE_DISTANCE = 0.01


@dataclass(frozen=True)
class PlayCycle:
    """Play that repeats: ``profiles`` in order, the run length of each in the last repetitions.

    ``growth`` is the ratio of the newest complete run to the run of the same profile one
    cycle earlier: about 1 when the frequencies converge with play cycling (zero-sum games),
    well above 1 in Shapley's game, where the runs grow geometrically (Shapley 1964).
    """

    profiles: tuple[tuple[int, ...], ...]
    runs: tuple[int, ...]
    repetitions: int
    growth: float

    def to_dict(self) -> dict[str, object]:
        return {"profiles": [list(p) for p in self.profiles], "runs": list(self.runs),
                "repetitions": self.repetitions, "growth": self.growth}


@dataclass(frozen=True, eq=False)
class FictitiousPlay:
    """A run of fictitious play: the frequency trajectory, the pure profiles played, their cycle.

    ``trajectory.times`` are round numbers (0 is the prior), ``trajectory.states`` the
    empirical frequencies after each recorded round; ``regrets`` are the frequencies' regrets
    at the same rounds; ``play[t]`` is the profile played in round ``t + 1``.
    """

    trajectory: Trajectory
    play: np.ndarray
    regrets: np.ndarray
    mode: str
    cycle: PlayCycle | None

    @property
    def converged(self) -> bool:
        return self.trajectory.outcome.reached

    def to_dict(self) -> dict[str, object]:
        data = self.trajectory.to_dict()
        data["mode"] = self.mode
        data["regrets"] = [float(r) for r in self.regrets]
        data["cycle"] = self.cycle.to_dict() if self.cycle else None
        last = self.play[-min(len(self.play), 50):]
        names = self.trajectory.game.strategies
        data["last_play"] = [[names[i][int(k)] for i, k in enumerate(p)] for p in last]
        return data


def fictitious_play(
    game: Game,
    start: object = None,
    *,
    steps: int = 2000,
    mode: str = "simultaneous",
    prior_weight: float = 1.0,
    ties: str = "first",
    seed: int | None = None,
    record: int = 500,
    tolerance: float = CONVERGENCE_DISTANCE,
    solution: Solution | None = None,
) -> FictitiousPlay:
    """Run ``steps`` rounds of fictitious play and record the frequencies at about ``record`` rounds.

    The rounds recorded are spaced evenly on a logarithmic scale (fictitious play slows down
    as the counts grow), always including round 0 and the last. The outcome says how far the
    final frequencies are from the nearest verified equilibrium; within ``tolerance`` they
    have *converged*.

    >>> from negsim.game import Game
    >>> pennies = Game.from_matrices([[1, -1], [-1, 1]])
    >>> fp = fictitious_play(pennies, steps=10_000)
    >>> fp.converged, fp.trajectory.outcome.label
    (True, '1+2 / 1+2')
    """
    problems = []
    if mode not in MODES:
        problems.append(Problem(f"unknown mode {mode!r}: expected 'simultaneous' or 'alternating'",
                                path="mode"))
    if ties not in ("first", "random"):
        problems.append(Problem(f"unknown tie rule {ties!r}: expected 'first' or 'random'", path="ties"))
    for name, value in (("steps", steps), ("record", record)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(Problem(f"expected a positive integer, got {value!r}", path=name))
    if isinstance(prior_weight, bool) or not isinstance(prior_weight, (int, float)) or not (
            math.isfinite(prior_weight) and prior_weight > 0):
        problems.append(Problem(f"expected a positive number, got {prior_weight!r}", path="prior_weight"))
    if problems:
        raise InputError(problems)
    profile = as_profile(game, start)
    n = game.n_players
    payoffs = game.solver_payoffs
    scale = payoff_range(game)
    rng = np.random.default_rng(seed)
    counts = [float(prior_weight) * np.asarray(s, dtype=float) for s in profile]
    two = n == 2
    # Two players: each player's accumulated payoffs are linear in the other's counts, so they
    # are kept up to date move by move, in plain lists (faster than arrays this small).
    values = [list(payoffs[0] @ counts[1]), list(counts[0] @ payoffs[1])] if two else []
    columns = [payoffs[0].T.tolist(), payoffs[1].tolist()] if two else []  # columns[i][k]: payoffs to i
    marks = np.unique(np.round(np.geomspace(1, steps, num=min(record, steps))).astype(int))
    marks = np.concatenate([[0], marks])
    keep = {int(t): k for k, t in enumerate(marks)}
    frequencies = [np.zeros((len(marks), m)) for m in game.shape]
    regrets = np.zeros(len(marks))
    weight = [float(prior_weight)]  # every player's total count: the prior plus the rounds played

    def store(k: int) -> None:
        freq = [c / c.sum() for c in counts]
        for i in range(n):
            frequencies[i][k] = freq[i]
        regrets[k] = regret(game, freq)

    def choose(i: int) -> int:
        if two:
            v = values[i]
        else:
            freq = [c / c.sum() for c in counts]
            v = list(payoff_vectors(payoffs, freq)[i] * weight[0])
        # ties within rounding of the accumulated payoffs
        limit = max(v) - 1e-9 * scale * max(1.0, weight[0])
        if ties == "first":
            return next(k for k, x in enumerate(v) if x >= limit)
        best = [k for k, x in enumerate(v) if x >= limit]
        return best[0] if len(best) == 1 else best[int(rng.integers(len(best)))]

    def play_move(i: int, k: int) -> None:
        counts[i][k] += 1.0
        if two:
            other = values[1 - i]
            gains = columns[1 - i][k]
            for j in range(len(other)):
                other[j] += gains[j]

    store(0)
    play = np.zeros((steps, n), dtype=np.int64)
    for t in range(1, steps + 1):
        if mode == "simultaneous":
            moves = [choose(i) for i in range(n)]
            for i, k in enumerate(moves):
                play_move(i, k)
        else:
            moves = []
            for i in range(n):
                k = choose(i)
                play_move(i, k)
                moves.append(k)
        play[t - 1] = moves
        weight[0] += 1.0
        if t in keep:
            store(keep[t])
    states = tuple(frequencies)
    end = tuple(s[-1] for s in states)
    solution = equilibria_of(game, solution)
    cycle = play_cycle(play)
    settled = len(play) >= 2 and bool(np.all(play[len(play) // 2:] == play[-1]))
    kind = "settled" if settled else ("cycle" if cycle is not None else "moving")
    change = max(float(np.max(np.abs(s[-1] - s[-2]))) for s in states) if len(marks) > 1 else 0.0
    outcome = make_outcome(game, solution, end, kind=kind, speed=change, tolerance=tolerance,
                           what="fictitious play")
    if kind == "settled":
        index, gap = outcome.equilibrium, outcome.distance
        label = game.profile_label(tuple(int(k) for k in play[-1]))
        text = (f"play settles on {label}, an equilibrium; the frequencies are {gap:.3g} from it"
                if outcome.reached else f"play settles on {label}; the frequencies are {gap:.3g} from the "
                f"nearest equilibrium ({outcome.label})")
        outcome = replace(outcome, description=text, equilibrium=index)
    elif outcome.reached:
        text = (f"the frequencies converge: after {steps} rounds they are {outcome.distance:.3g} from "
                f"the equilibrium {outcome.label}")
        if cycle is not None:
            text += f", while play cycles through {len(cycle.profiles)} profiles"
        outcome = replace(outcome, description=text)
    trajectory = Trajectory(
        dynamics="fictitious play", game=game, times=marks.astype(float), states=states, outcome=outcome,
        solution=solution,
        settings={"steps": steps, "mode": mode, "prior_weight": float(prior_weight), "ties": ties,
                  "seed": seed, "tolerance": tolerance, "start": [[float(p) for p in s] for s in profile]},
    )
    return FictitiousPlay(trajectory=trajectory, play=play, regrets=regrets, mode=mode, cycle=cycle)


def play_cycle(play: np.ndarray, *, min_repetitions: int = 3) -> PlayCycle | None:
    """The cycle of pure profiles at the end of ``play`` (rows are rounds), if play repeats.

    Play is cut into runs of one profile; if the last runs' profiles repeat a sequence of at
    least two distinct profiles ``min_repetitions`` times or more, that sequence is the cycle
    (the last, unfinished run included).
    """
    if len(play) == 0:
        return None
    changes = np.flatnonzero(np.any(play[1:] != play[:-1], axis=1)) + 1
    starts = np.concatenate([[0], changes])
    lengths = np.diff(np.concatenate([starts, [len(play)]]))
    labels = [tuple(int(k) for k in play[s]) for s in starts]
    runs = len(labels)
    for period in range(2, runs // min_repetitions + 1):
        tail = labels[-period * min_repetitions:]
        if all(tail[k] == tail[k + period] for k in range(len(tail) - period)):
            repetitions = 1
            while (repetitions + 1) * period <= runs and all(
                    labels[-1 - k] == labels[-1 - k - period] for k in range(repetitions * period)):
                repetitions += 1
            profiles = tuple(labels[-period:])
            last = tuple(int(v) for v in lengths[-period:])
            before = lengths[-2 * period:-period]
            # the newest complete run against the same profile's run one cycle earlier
            growth = 1.0
            if len(before) == period and before[-2]:
                growth = float(lengths[-2] / before[-2])
            return PlayCycle(profiles=profiles, runs=last, repetitions=repetitions, growth=growth)
    return None
