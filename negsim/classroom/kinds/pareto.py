"""Pareto efficiency: which outcomes cannot be improved for one player without hurting the other."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from negsim.classroom.answers import Grade, parse_profiles
from negsim.classroom.calc import KeyMismatch, exact_game, exact_payoffs, fmt
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    check_two_players,
    make_exercise,
    profile_answer,
    profile_text,
    profiles_text,
    quotes,
)
from negsim.classroom.kinds.examples import notation
from negsim.classroom.kinds.pure import free_profile, grade_profiles, profiles_taken, pure_equilibria
from negsim.game import Game
from negsim.solve.welfare import pareto_efficient

NAME = "pareto"
TITLE = "Pareto efficiency"


def _vector(game: Game, profile) -> tuple[Fraction, ...]:
    exact = exact_payoffs(game)
    return tuple(exact[(i, *profile)] for i in range(game.n_players))


def dominator(game: Game, profile) -> tuple[int, ...] | None:
    """A profile that Pareto-dominates ``profile`` (an efficient one when possible), or None."""
    mine = _vector(game, profile)
    better = [
        p
        for p in game.profiles()
        if all(a >= b for a, b in zip(_vector(game, p), mine)) and _vector(game, p) != mine
    ]
    if not better:
        return None
    # An undominated dominator, so the sentence points at an efficient outcome.
    return max(better, key=lambda p: (sum(_vector(game, p)), tuple(-k for k in p)))


def efficient(game: Game) -> list[tuple[int, ...]]:
    found = [p for p in game.profiles() if dominator(game, p) is None]
    engine = sorted(pareto_efficient(game))
    if sorted(found) != engine:
        raise KeyMismatch(f"Pareto set: exact {found}, engine {engine}")
    return found


def _payoff_pair(game: Game, profile) -> str:
    return "(" + ", ".join(fmt(v) for v in _vector(game, profile)) + ")"


def dominated_sentence(game: Game, profile) -> str:
    other = dominator(game, profile)
    mine, theirs = _vector(game, profile), _vector(game, other)
    better = [game.player_names[i] for i in range(2) if theirs[i] > mine[i]]
    return (
        f"{profile_text(game, profile)} with payoffs {_payoff_pair(game, profile)} is Pareto-dominated by "
        f"{profile_text(game, other)} with {_payoff_pair(game, other)}: "
        + ("better for both." if len(better) == 2 else f"better for {better[0]}, no worse for the other.")
    )


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    found = efficient(game)
    steps = [
        "An outcome is Pareto efficient when no other outcome gives one player more and the other "
        "no less. Go through the cells and look for such an improvement."
    ]
    for p in game.profiles():
        if p not in found:
            steps.append(dominated_sentence(game, p))
    steps.append(
        f"No outcome improves on {profiles_text(game, found)}: "
        + ("it is" if len(found) == 1 else "these are")
        + " the Pareto-efficient outcomes."
    )
    equilibria = pure_equilibria(game)
    if equilibria:
        inside = [e for e in equilibria if e in found]
        outside = [e for e in equilibria if e not in found]
        if outside:
            steps.append(
                f"Compare with the pure equilibria: {profiles_text(game, outside)} "
                + ("is" if len(outside) == 1 else "are")
                + " not Pareto efficient: another outcome is "
                "better for one player and no worse for the other, but no player gets there by "
                "switching alone."
            )
        if inside:
            steps.append(
                ("The pure equilibrium " if len(inside) == 1 else "The pure equilibria ")
                + profiles_text(game, inside)
                + (" is" if len(inside) == 1 else " are")
                + " Pareto efficient."
            )
    involved = sorted({(i, k) for p in found for i, k in enumerate(p)})
    return make_exercise(
        setup, NAME, TITLE, example,
        question=(
            "Which outcomes (pure strategy profiles) are Pareto efficient? List every profile that no "
            "other profile improves on for one player without making the other worse off."
        ),
        game=game,
        answer=[profile_answer(game, p) for p in found],
        answer_text=f"Pareto-efficient outcomes: {profiles_text(game, found)}.",
        solution=tuple(steps),
        context=quotes(setup, involved),
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example profile that is efficient in none of ``others``."""
    profile = free_profile(exercise.game, profiles_taken(others))
    return f"a list of profiles; e.g. {notation([profile])}"


def signature(exercise: Exercise) -> tuple:
    return (exercise.game.shape, len(exercise.answer))


def grade(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    true = {tuple(game.strategy_index(i, s) for i, s in enumerate(p)) for p in answer}
    given = set(parse_profiles(game, raw))
    result = grade_profiles(game, true, given, noun="Pareto-efficient outcome", reason=dominated_sentence)
    return result
