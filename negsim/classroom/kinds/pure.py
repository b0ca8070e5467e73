"""Find the pure equilibria by marking best responses."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from negsim.classroom.answers import Grade, parse_profiles
from negsim.classroom.calc import KeyMismatch, exact_game, fmt, matrices
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.figures import matrix_figure
from negsim.classroom.kinds.common import (
    and_join,
    check_two_players,
    make_exercise,
    poss,
    profile_answer,
    profiles_text,
    quotes,
    why_not_equilibrium,
)
from negsim.classroom.kinds.examples import notation, placeholder
from negsim.game import Game
from negsim.solve import solve

NAME = "pure"
TITLE = "Pure equilibria"
ANSWER_FORMAT = "a list of profiles, or [] if there is none; e.g. {example}"


def best_responses(game: Game) -> tuple[list[list[int]], list[list[int]]]:
    """Row's best rows against each column, and Column's best columns against each row."""
    A, B = matrices(game)
    rows, cols = game.shape
    row_best = []
    for c in range(cols):
        top = max(A[r][c] for r in range(rows))
        row_best.append([r for r in range(rows) if A[r][c] == top])
    col_best = []
    for r in range(rows):
        top = max(B[r][c] for c in range(cols))
        col_best.append([c for c in range(cols) if B[r][c] == top])
    return row_best, col_best


def pure_equilibria(game: Game) -> list[tuple[int, int]]:
    """Cells where both players' strategies are best responses: checked against the engine."""
    row_best, col_best = best_responses(game)
    found = [
        (r, c)
        for r in range(game.shape[0])
        for c in range(game.shape[1])
        if r in row_best[c] and c in col_best[r]
    ]
    engine = sorted(e.pure_profile() for e in solve(game, exact=True).pure)
    if sorted(found) != engine:
        raise KeyMismatch(f"pure equilibria: best responses give {found}, the engine {engine}")
    return found


def marking_steps(game: Game) -> list[str]:
    """The best-response marking, one sentence per column and per row."""
    A, B = matrices(game)
    row_best, col_best = best_responses(game)
    rows, cols = game.shape
    row_name, col_name = game.player_names
    steps = []
    for c in range(cols):
        values = ", ".join(f"{game.strategies[0][r]} {fmt(A[r][c])}" for r in range(rows))
        best = and_join([game.strategies[0][r] for r in row_best[c]])
        steps.append(
            f"Against {game.strategies[1][c]}, {row_name} gets {values}: mark {best} "
            f"(best response {fmt(A[row_best[c][0]][c])})."
        )
    for r in range(rows):
        values = ", ".join(f"{game.strategies[1][c]} {fmt(B[r][c])}" for c in range(cols))
        best = and_join([game.strategies[1][c] for c in col_best[r]])
        steps.append(
            f"Against {game.strategies[0][r]}, {col_name} gets {values}: mark {best} "
            f"(best response {fmt(B[r][col_best[r][0]])})."
        )
    return steps


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    equilibria = pure_equilibria(game)
    steps = [
        f"Mark {poss(game.player_names[0])} best responses: in each column, the highest first number.",
        *marking_steps(game)[: game.shape[1]],
        f"Mark {poss(game.player_names[1])} best responses: in each row, the highest second number.",
        *marking_steps(game)[game.shape[1] :],
    ]
    if equilibria:
        steps.append(
            "A cell marked for both players is a pure Nash equilibrium: neither player gains by "
            f"switching alone. Here: {profiles_text(game, equilibria)}."
        )
    else:
        steps.append("No cell is marked for both players, so the game has no pure Nash equilibrium.")
    involved = {(i, k) for p in equilibria for i, k in enumerate(p)}
    # The figure gives the answer away: teacher edition only, and not for drafts of a search.
    figures = () if setup.focus.get("draft") else (matrix_figure(game),)
    return make_exercise(
        setup, NAME, TITLE, example,
        question=(
            f"Mark each player's best responses in the table and find all pure-strategy Nash "
            f"equilibria. Give each as ({poss(game.player_names[0])} strategy, "
            f"{poss(game.player_names[1])} strategy)."
        ),
        game=game,
        answer=[profile_answer(game, p) for p in equilibria],
        answer_text=(
            f"Pure equilibria: {profiles_text(game, equilibria)}."
            if equilibria
            else "There is no pure equilibrium."
        ),
        solution=tuple(steps),
        context=quotes(setup, sorted(involved)),
        solution_figures=figures,
    )


def free_profile(game: Game, taken: set[tuple[str, ...]]) -> list[str]:
    """A profile of ``game`` in none of ``taken`` (lowercased ids), or placeholders."""
    for r in range(game.shape[0]):
        for c in range(game.shape[1]):
            profile = [game.strategies[0][r], game.strategies[1][c]]
            if tuple(s.lower() for s in profile) not in taken:
                return profile
    return [placeholder(f"{poss(game.player_names[i])} strategy") for i in range(2)]


def profiles_taken(exercises: Sequence[Exercise]) -> set[tuple[str, ...]]:
    return {tuple(s.lower() for s in p) for ex in exercises for p in ex.answer}


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example profile that is no equilibrium of any of ``others``."""
    profile = free_profile(exercise.game, profiles_taken(others))
    return ANSWER_FORMAT.format(example=notation([profile]))


def signature(exercise: Exercise) -> tuple:
    return (exercise.game.shape, len(exercise.answer))


def grade(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    true = {tuple(game.strategy_index(i, s) for i, s in enumerate(p)) for p in answer}
    given = parse_profiles(game, raw)
    return grade_profiles(game, true, set(given), noun="pure equilibri")


def grade_profiles(game: Game, true: set, given: set, *, noun: str, reason=None) -> Grade:
    """Set comparison with partial credit: each right one counts, each wrong one takes one back.

    ``noun`` is the stem ("pure equilibri" gives "equilibrium"/"equilibria"); ``reason(game,
    profile)`` says why a wrongly listed profile is wrong (default: a profitable deviation).
    """
    reason = reason or why_not_equilibrium
    singular, plural = (noun + "um", noun + "a") if noun.endswith("equilibri") else (noun, noun + "s")
    found, wrong, missed = true & given, given - true, true - given
    if not true:
        if not given:
            return Grade(Fraction(1), [f"Correct: there is no {singular}."])
        return Grade(
            Fraction(0),
            [f"There is no {singular}. " + " ".join(reason(game, p) for p in sorted(wrong))],
            [f"listed a {singular} where there is none"],
        )
    score = max(Fraction(0), Fraction(len(found) - len(wrong), len(true)))
    feedback, mistakes = [], []
    if not missed and not wrong:
        feedback.append(f"Correct: {profiles_text(game, sorted(true))}.")
        return Grade(Fraction(1), feedback, mistakes)
    if found:
        feedback.append(
            f"You found {_count(len(found), len(true), singular, plural)}: "
            f"{profiles_text(game, sorted(found))}."
        )
    if missed:
        feedback.append(
            f"You missed {profiles_text(game, sorted(missed))}"
            + (
                ": each strategy there is a best response to the other."
                if noun.endswith("equilibri")
                else "."
            )
        )
        mistakes.append(f"missed a {singular}")
    for p in sorted(wrong):
        feedback.append(reason(game, p))
        mistakes.append(f"listed a profile that is not a {singular}")
    return Grade(score, feedback, mistakes)


def _count(found: int, total: int, singular: str, plural: str) -> str:
    if found == total == 2:
        return f"both {plural}"
    if found == total:
        return f"all {total} {plural}" if total > 1 else f"the {singular}"
    return f"{found} of the {total} {plural}"


def answer_key(exercise: Exercise) -> frozenset[tuple[str, ...]]:
    """The profiles of the answer as a set (the order of listing does not matter)."""
    return frozenset(tuple(s.lower() for s in p) for p in exercise.answer)
