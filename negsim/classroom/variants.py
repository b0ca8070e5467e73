"""Per-student variants: the same exercise with other numbers, so neighbours cannot copy.

A variant is derived deterministically from ``(seed, student id, exercise number)``. It is
*equivalent* to the class's base exercise: same kind, same difficulty and the same shape of
answer (the kind's ``signature``: e.g. two pure equilibria and one mixed one, three rounds of
elimination). What changes:

- random games: a fresh game drawn from the same family, kept only if its signature matches;
- scenario games: the parameters move by a step or two within their documented ranges (the
  question states the values used), and the strategies are listed in another order; kept only
  if the signature matches, otherwise (rarely) only the order changes. A variant's answer
  differs from the class's wherever the parameters allow it (a scenario without parameters
  allows only another order); for answers that are sets (pure equilibria, surviving strategies,
  ...) it is drawn among several different answers found, so neighbours rarely share one.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from itertools import combinations

import numpy as np

from negsim.classroom.calc import KeyMismatch, exact_game
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds import KINDS
from negsim.classroom.kinds.common import and_join, check_two_players
from negsim.classroom.kinds.sensitivity import focus_for
from negsim.classroom.kinds.sequential import check_tree
from negsim.classroom.random_games import random_exercise
from negsim.compile import scenario_tree
from negsim.compile.source import Source
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve import solve

__all__ = ["exercise_rng", "perturbed_values", "reorder", "scenario_exercise", "scenario_setup", "variant"]

#: Parameter draws tried for a scenario variant before falling back to reordering only.
VARIANT_ATTEMPTS = 90
#: For kinds whose answer is a set of strategies or profiles (it changes only in steps as the
#: parameters move), a variant is drawn among up to this many different answers found, so that
#: the students of one class do not all get the most common one. Kinds with numeric answers
#: (probabilities, payoffs, tipping points) take the first different answer found.
DISTINCT_ANSWERS = {"pure": 4, "dominance": 4, "weak-dominance": 4, "pareto": 4, "sequential": 4}


def exercise_rng(seed: int, student: str, index: int, kind: str) -> random.Random:
    """A random generator that depends only on its arguments (not on Python's hash seed)."""
    digest = hashlib.sha256(f"{seed}\x00{student}\x00{index}\x00{kind}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def reorder(game: Game, rows: Sequence[int], cols: Sequence[int]) -> Game:
    """The game restricted to (or listed in the order of) the given strategies."""
    rows, cols = list(rows), list(cols)
    exact = exact_game(game).exact_payoffs
    return Game(
        players=game.players,
        strategies=(tuple(game.strategies[0][r] for r in rows), tuple(game.strategies[1][c] for c in cols)),
        payoffs=game.payoffs[:, rows][:, :, cols],
        id=game.id,
        title=game.title,
        player_names=game.player_names,
        strategy_names=(
            tuple(game.strategy_names[0][r] for r in rows),
            tuple(game.strategy_names[1][c] for c in cols),
        ),
        status_quo=None,
        parameters=game.parameters,
        exact_payoffs=exact[:, rows][:, :, cols],
    )


# -- scenario exercises ---------------------------------------------------------------------------


def _mixed_focus(game: Game) -> dict | None:
    """The 2x2 part of a scenario game to ask a mixed-equilibrium question about.

    The support of the game's own mixed equilibrium when it has a 2x2 one; otherwise the 2x2
    sub-game with a completely mixed equilibrium and the smallest denominators.
    """
    solution = solve(game, exact=True)
    for e in solution.mixed:
        support = e.support
        if len(support[0]) == 2 and len(support[1]) == 2:
            return {"rows": list(support[0]), "cols": list(support[1]), "own": True}
    best = None
    for rows in combinations(range(game.shape[0]), 2):
        for cols in combinations(range(game.shape[1]), 2):
            sub = reorder(game, rows, cols)
            result = solve(sub, exact=True)
            if result.degenerate or not result.mixed:
                continue
            size = max(p.denominator for e in result.mixed for s in e.exact_strategies for p in s)
            if best is None or size < best[0]:
                best = (size, rows, cols)
    if best is None:
        return None
    return {"rows": list(best[1]), "cols": list(best[2]), "own": False}


def _reduction_sentence(game: Game, focus: Mapping) -> str:
    rows = [game.strategies[0][r] for r in focus["rows"]]
    cols = [game.strategies[1][c] for c in focus["cols"]]
    if focus.get("own"):
        return (
            f"The full game has an equilibrium in which {game.player_names[0]} mixes {and_join(rows)} "
            f"and {game.player_names[1]} mixes {and_join(cols)}. Look only at these strategies."
        )
    return (
        f"Suppose {game.player_names[0]} weighs only {and_join(rows)}, and {game.player_names[1]} "
        f"only {and_join(cols)} (the other options set aside)."
    )


def scenario_setup(
    kind: str,
    difficulty: str,
    source: Source,
    values: Mapping[str, float],
    order: tuple[Sequence[int], Sequence[int]] | None = None,
    focus: Mapping | None = None,
) -> Setup:
    """The setup of a scenario exercise at the given parameter values and strategy order."""
    if KINDS[kind].scenario_setup is not None:
        return KINDS[kind].scenario_setup(difficulty, source, values, focus)
    full = source.game.game(dict(values))
    if kind == "sequential":
        return _sequential_setup(difficulty, source, values, full)
    check_two_players(full)  # before any (possibly slow) solving of a game too big for a worksheet
    if full.n_players != 2:
        raise InputError(
            [
                Problem(
                    f"classroom exercises need a two-player game; {source.origin} has "
                    f"{full.n_players} players",
                    path="SOURCE",
                )
            ]
        )
    chosen: dict = dict(focus or {})
    game = full
    focus_of = KINDS[kind].scenario_focus
    if kind == "mixed" or focus_of is not None:
        if not chosen:
            found = (focus_of or _mixed_focus)(full)
            if found is None:
                what, name = ("has a mixed equilibrium", "mixed-equilibrium") if focus_of is None else (
                    f"suits a {kind} exercise", kind)
                raise InputError(
                    [
                        Problem(
                            f"{source.origin}: no 2x2 part of this game {what} at "
                            f"these parameter values, so there is no {name} exercise to make; "
                            "try other parameter values or another scenario",
                            path="--kinds",
                        )
                    ]
                )
            chosen = found
        game = reorder(full, chosen["rows"], chosen["cols"])
        chosen["reduction"] = _reduction_sentence(full, chosen)
    if kind in ("sensitivity", "sweep-plot") and not chosen:
        chosen = _sensitivity_focus(source, full, values)
        if kind == "sweep-plot":
            origin = source.origin
            chosen = {
                "parameter": chosen["parameter"],
                "range": chosen["range"],
                "source": os.path.abspath(origin) if os.path.exists(origin) else origin,
            }
    if order is not None:
        # ``order`` permutes the full game's strategies; a sub-game follows it for those it keeps.
        at = (_positions(full, game, 0), _positions(full, game, 1))
        rows = sorted(range(game.shape[0]), key=lambda r: list(order[0]).index(at[0][r]))
        cols = sorted(range(game.shape[1]), key=lambda c: list(order[1]).index(at[1][c]))
        game = reorder(game, rows, cols)
    return Setup(game, difficulty, source.scenario, source.game, dict(values), chosen)


def _sequential_setup(difficulty: str, source: Source, values: Mapping[str, float], full: Game) -> Setup:
    """A scenario's game tree at the given values (rebuilt for every variant)."""

    scenario = source.scenario
    if scenario is None or not (getattr(scenario, "timing", None) or _has_tree(scenario)):
        raise InputError(
            [
                Problem(
                    f"{source.origin}: backward-induction exercises need a sequential scenario (one with "
                    "`timing` or a payoff tree)",
                    path="--kinds",
                )
            ]
        )

    tree = scenario_tree(scenario).tree(dict(values))
    check_tree(tree)
    return Setup(full, difficulty, scenario, source.game, dict(values), {"tree": tree})


def _has_tree(scenario) -> bool:
    return getattr(getattr(scenario, "payoffs", None), "tree", None) is not None


def _sensitivity_focus(source: Source, full: Game, values: Mapping[str, float]) -> dict:
    """A pure equilibrium and a parameter for which it holds on an interval with tipping points
    inside the parameter's range (both ends inside preferred), in the scenario's order."""

    found = focus_for(source.game, full, values)
    if found is None:
        raise InputError(
            [
                Problem(
                    f"{source.origin}: no pure equilibrium of this game starts or stops being one inside a "
                    "parameter's range, so there is no sensitivity exercise to make; try other parameter "
                    "values or another scenario",
                    path="--kinds",
                )
            ]
        )
    return found


def _positions(full: Game, game: Game, player: int) -> list[int]:
    """Where each strategy of ``game`` sits in ``full`` (a sub-game keeps a subset)."""
    return [full.strategies[player].index(s) for s in game.strategies[player]]


def scenario_exercise(kind: str, difficulty: str, source: Source, values: Mapping[str, float]) -> Exercise:
    """The class's base exercise on a scenario, at the given parameter values."""
    setup = scenario_setup(kind, difficulty, source, values)
    try:
        return KINDS[kind].build(setup)
    except KeyMismatch as exc:
        raise InputError(
            [
                Problem(
                    f"{source.origin}: cannot make a {kind} exercise from this game ({exc})", path="--kinds"
                )
            ]
        ) from None


def _nice_step(low: float | None, high: float | None, value: float) -> float:
    """Whole steps for wide ranges, half steps for narrow ones, none for shares and factors
    below 2 wide (moving those makes every payoff an ugly fraction)."""
    span = (high - low) if low is not None and high is not None else max(abs(value), 1.0) * 2
    return 1.0 if span >= 4 else 0.5 if span >= 2 else 0.0


def relevant_parameters(source: Source, setup: Setup) -> list[str]:
    """The parameters that change the numbers of the exercise's game (of its part, for a
    question about a sub-game): moving any other one would only change the story, not the game."""
    base = setup.values
    rows = [source.game.strategies[0].index(s) for s in setup.game.strategies[0]]
    cols = [source.game.strategies[1].index(s) for s in setup.game.strategies[1]]
    names = list(base)
    if not names:
        return []
    shifted = source.game.evaluate(
        {
            name: [base[name]] + [base[name] + 1.0 if other == name else base[name] for other in names]
            for name in names
        }
    )
    reference = shifted[0][:, rows][:, :, cols]
    return [
        name
        for k, name in enumerate(names)
        if not np.allclose(shifted[k + 1][:, rows][:, :, cols], reference)
        and _nice_step(*source.game.bounds.get(name, (None, None)), base[name]) > 0
    ]


def perturbed_values(
    source: Source,
    values: Mapping[str, float],
    rng: random.Random,
    *,
    reach: int = 2,
    share: float = 1.0,
    names: Sequence[str] | None = None,
) -> dict[str, float]:
    """Parameters moved by up to ``reach`` "nice" steps, kept within their documented ranges;
    each of ``names`` (default: all) moves with probability ``share`` (at least one always does)."""
    result = dict(values)
    names = list(values) if names is None else list(names)
    chosen = {name for name in names if rng.random() < share} or {rng.choice(names)} if names else set()
    for name, value in values.items():
        if name not in chosen:
            continue
        low, high = source.game.bounds.get(name, (None, None))
        step = _nice_step(low, high, value)
        moved = value + step * rng.randint(-reach, reach)
        if low is not None:
            moved = max(low, moved)
        if high is not None:
            moved = min(high, moved)
        result[name] = float(Fraction(moved).limit_denominator(100))
    return result


def _shuffled(rng: random.Random, n: int) -> list[int]:
    order = list(range(n))
    rng.shuffle(order)
    return order


def variant(
    base: Exercise,
    base_setup: Setup | None,
    *,
    kind: str,
    difficulty: str,
    rng: random.Random,
    source: Source | None,
) -> Exercise:
    """A student's variant of ``base``: equivalent (same signature), different numbers."""
    entry = KINDS[kind]
    if entry.variant is not None:
        return entry.variant(base, base_setup, difficulty=difficulty, rng=rng, source=source)
    wanted = entry.signature(base)
    if source is None:
        return random_exercise(kind, difficulty, rng, signature=wanted)
    assert base_setup is not None
    full_shape = source.game.shape
    order = (_shuffled(rng, full_shape[0]), _shuffled(rng, full_shape[1]))
    # The quick signature is exact when no mixed dominator is involved (last item False).
    quick = entry.quick_signature is not None and wanted[-1] is False
    asked = base_setup.focus.get("parameter")  # a sensitivity question's own parameter stays free
    movable = [name for name in relevant_parameters(source, base_setup) if name != asked]
    base_key = entry.answer_key(base)
    wanted_answers = DISTINCT_ANSWERS.get(kind, 1)
    found: dict[Hashable, Setup] = {}
    fallback = None
    for attempt in range(VARIANT_ATTEMPTS if movable else 0):
        # Wide moves of every parameter first (a variant whose answer differs from the base is
        # harder to copy), then smaller moves of fewer parameters, which keep the shape of the
        # answer more often.
        stage = 3 * attempt // VARIANT_ATTEMPTS
        if stage > 0 and (found or fallback is not None):
            break  # only wide moves change the answer itself; an equivalent variant is found
        reach, share = ((4, 1.0), (2, 0.6), (1, 0.5))[stage]
        values = perturbed_values(source, base_setup.values, rng, reach=reach, share=share, names=movable)
        setup = scenario_setup(kind, difficulty, source, values, order, _base_focus(base_setup))
        if quick and entry.quick_signature(setup.game) != wanted:
            continue
        try:
            exercise = entry.build(replace(setup, focus={**setup.focus, "draft": True}))
        except KeyMismatch:
            continue
        if entry.signature(exercise) != wanted or _same_numbers(exercise.game, base.game):
            continue
        key = entry.answer_key(exercise)
        if key != base_key:
            found.setdefault(key, setup)
            if len(found) >= wanted_answers:
                break
            continue
        fallback = fallback or setup
    if found:
        # One of the different answers found, each as likely: neighbours rarely share one.
        choices = list(found.values())
        return entry.build(choices[rng.randrange(len(choices))])
    if fallback is not None:
        return entry.build(fallback)
    setup = scenario_setup(kind, difficulty, source, base_setup.values, order, _base_focus(base_setup))
    return entry.build(setup)


def _base_focus(setup: Setup) -> dict:
    # The reduction sentence and the tree are made again at each variant's values.
    return {k: v for k, v in setup.focus.items() if k not in ("reduction", "tree", "draft")}


def _same_numbers(a: Game, b: Game) -> bool:
    return sorted(np.ravel(a.payoffs).tolist()) == sorted(np.ravel(b.payoffs).tolist())
