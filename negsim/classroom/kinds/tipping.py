"""The tipping share: above what share of a population does a strategy spread?

One population of a symmetric 2x2 game (the stag hunt): with ``x`` the share playing the first
strategy, that strategy's advantage over the other is a linear function of ``x``, zero at the
share ``x*``. In a coordination game the strategy that spreads above ``x*`` is the first one,
so ``x*`` is where the replicator's basins meet (the separatrix): above it everyone ends up
playing the first strategy, below it the second. In an anti-coordination game (hawk-dove) the
second spreads above ``x*``, and the population settles at the stable mix ``x*``.

Two populations of any other 2x2 game (a part of a scenario game): the share ``q*`` of
Column's population at which Row's two strategies do equally well, and which of Row's
strategies spreads above and below it. Every key is checked against the replicator's own
vector field (:mod:`negsim.dynamics`), and for one population against its exact separatrix or
stable rest point.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from negsim.classroom.answers import AnswerError, Grade, close_enough, number, parse_strategy
from negsim.classroom.calc import KeyMismatch, exact_game, fmt, fmt_linear, matrices
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import check_two_players, make_exercise, poss, quotes
from negsim.classroom.kinds.examples import free_number, notation, placeholder
from negsim.classroom.kinds.replicator import RANGES, _part, factor, random_2x2, times
from negsim.dynamics import replicator_velocity, rest_points, separatrix
from negsim.game import Game
from negsim.numbers import plain_fraction

NAME = "tipping-share"
TITLE = "The tipping share of a population"

SYMMETRIC_LABELS = (("A", "B"), ("A", "B"))
#: Denominators up to this make a share that is easy to work with by hand.
SIMPLE = 12


def aligned(game: Game) -> Game | None:
    """The game with Column's strategies in Row's order, if both have the same strategies and
    the game is symmetric (each player's payoff depends only on the two strategies played)."""
    rows, cols = game.strategies
    if game.shape != (2, 2) or set(rows) != set(cols):
        return None
    order = [cols.index(s) for s in rows]
    A, B = matrices(game)
    A2 = [[A[r][order[c]] for c in range(2)] for r in range(2)]
    B2 = [[B[r][order[c]] for c in range(2)] for r in range(2)]
    if any(A2[r][c] != B2[c][r] for r in range(2) for c in range(2)):
        return None
    values = np.empty((2, 2, 2), dtype=object)
    for r in range(2):
        for c in range(2):
            values[0, r, c], values[1, r, c] = A2[r][c], B2[r][c]
    return Game(
        players=game.players,
        strategies=(rows, rows),
        payoffs=values.astype(float),
        player_names=game.player_names,
        exact_payoffs=values,
    )


def threshold(game: Game) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """The worked steps, the answer and what grading needs; checked against the engine."""
    check_two_players(game)
    if game.shape != (2, 2):
        raise KeyMismatch("tipping-share exercises are about 2x2 games")
    same = aligned(game)
    rows, cols = game.strategies
    row, col = game.player_names
    if same is not None:
        A, _ = matrices(same)
        var, who = "x", "the population"
        first, second = rows
        lines = [
            f"Both players come from one large population and meet at random. Let x be the share of the "
            f"population playing {first}.",
        ]
        against = "a random member"
        earn = [(A[k][1], A[k][0] - A[k][1]) for k in range(2)]
    else:
        A, _ = matrices(game)
        var, who = "q", f"{poss(col)} population"
        first, second = rows
        lines = [
            f"{row} and {col} come from two large populations. Let q be the share of {poss(col)} "
            f"population playing {cols[0]}.",
        ]
        against = f"a random member of {poss(col)} population"
        earn = [(A[k][1], A[k][0] - A[k][1]) for k in range(2)]
    for k in range(2):
        lines.append(
            f"Against {against}, {rows[k]} earns {times(A[k][0], var)} + {factor(A[k][1])}(1 \u2212 {var}) "
            f"= {fmt_linear(earn[k][0], earn[k][1], var)}."
        )
    constant, slope = earn[0][0] - earn[1][0], earn[0][1] - earn[1][1]
    if slope == 0 or any(A[0][c] == A[1][c] for c in range(2)):
        raise KeyMismatch("one strategy is always at least as good: no tipping share")
    share = -constant / slope
    if not 0 < share < 1:
        raise KeyMismatch(f"the shares are equal at {share}, outside 0..1: one strategy always spreads")
    above, below = (first, second) if slope > 0 else (second, first)
    lines.append(
        f"{first} does better than {second} by {fmt_linear(constant, slope, var)}, which is zero at "
        f"{var} = {fmt(share)} and {'grows' if slope > 0 else 'falls'} with {var}."
    )
    lines.append(f"So above {var} = {fmt(share)} {above} does better and spreads; below it {below} does.")
    if same is not None and slope > 0:
        lines.append(
            f"{fmt(share)} is the tipping share: from any share above it the whole population ends "
            f"up playing {first}, from any share below it {second} (the basins of the replicator "
            "meet there)."
        )
    elif same is not None:
        lines.append(
            f"Whatever the start, the population moves to the mix with {fmt(share)} playing {first}: "
            "a stable mix."
        )
    else:
        lines.append(
            f"So {poss(row)} population switches to {first} once more than {fmt(share)} of {who} "
            f"plays {cols[0]}."
        )
    grading: dict[str, Any] = {
        "population": "one" if same is not None else "two",
        "coordination": bool(slope > 0),
    }
    if same is None:  # the other side's threshold: the mistake of using the wrong player's payoffs
        _, B = matrices(game)
        other_slope = (B[0][0] - B[0][1]) - (B[1][0] - B[1][1])
        if other_slope != 0:
            grading["other_side"] = plain_fraction(-(B[1][0] - B[1][1]) / other_slope)
    _check_engine(game, same, share, above, below, first)
    answer = {"share": plain_fraction(share), "above": above, "below": below}
    return lines, answer, grading


def _check_engine(game: Game, same: Game | None, share: Fraction, above: str, below: str, first: str) -> None:
    if same is not None:
        rest = rest_points(same, population="single")
        inner = [p for p in rest.points if p.exact is not None and 0 < p.exact[0][0] < 1]
        if len(inner) != 1 or inner[0].exact is None or inner[0].exact[0][0] != share:
            raise KeyMismatch(f"the engine's interior rest point differs from {share}")
        expected = "source" if above == first else "sink"
        if inner[0].stability != expected:
            raise KeyMismatch(f"the engine calls the share {inner[0].stability}, not {expected}")
        if above == first:
            boundary = separatrix(same, population="single")
            if boundary is None or boundary.threshold != share:
                raise KeyMismatch(f"the engine's separatrix differs from {share}")
        return
    # two populations: the direction the replicator moves Row's population on each side
    step = float(min(share, 1 - share)) / 2
    for q, spreads in ((float(share) + step, above), (float(share) - step, below)):
        velocity = replicator_velocity(game, [np.array([[0.5, 0.5]]), np.array([[q, 1 - q]])])[0][0, 0]
        if (velocity > 0) != (spreads == first):
            raise KeyMismatch("the replicator's field disagrees with the tipping share")


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    steps, answer, grading = threshold(game)
    rows, cols = game.strategies
    if grading["population"] == "one":
        question = (
            f"A large population plays this game, each member matched at random with another; a strategy "
            f"that does better than the population's average spreads (the replicator dynamics). Let x be "
            f"the share playing {rows[0]}. At what share x do both strategies do equally well, and which "
            f"strategy spreads when x is above it, which when below?"
        )
    else:
        question = (
            f"{game.player_names[0]} and {game.player_names[1]} come from two large populations, and a "
            f"strategy spreads in its population when it does better than the average there. Let q be "
            f"the share of {poss(game.player_names[1])} population playing {cols[0]}. At what q do "
            f"{poss(game.player_names[0])} two strategies do equally well, and which of them spreads when "
            f"q is above it, which when below?"
        )
    reduction = setup.focus.get("reduction", "") if not setup.focus.get("whole") else ""
    if reduction:
        question = reduction + " " + question
    var = "x" if grading["population"] == "one" else "q"
    return make_exercise(
        setup,
        NAME,
        TITLE,
        example,
        question=question,
        game=game,
        answer=answer,
        answer_text=(
            f"{var} = {fmt(Fraction(str(answer['share'])))}: above it {answer['above']} spreads, "
            f"below it {answer['below']}."
        ),
        solution=tuple(steps),
        context=quotes(setup, [(0, 0), (0, 1)]),
        grading=grading,
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with a share that is no student's share (nor one minus it) and the
    same strategy above and below it, which no answer has."""
    taken = [Fraction(str(ex.answer["share"])) for ex in others]
    share = free_number(Fraction(0), Fraction(1), [*taken, *(1 - t for t in taken)])
    var = "x" if exercise.grading["population"] == "one" else "q"
    first = exercise.game.strategies[0][0]
    given = {"share": share if share is not None else placeholder("a share"), "above": first, "below": first}
    return (
        f"the share {var} as a fraction, and the strategy of {exercise.game.player_names[0]} "
        f"({', '.join(exercise.game.strategies[0])}) that spreads above it and below it; "
        f"e.g. {notation(given)}"
    )


def answer_key(exercise: Exercise) -> tuple[Any, ...]:
    answer = exercise.answer
    return (Fraction(str(answer["share"])), answer["above"].lower(), answer["below"].lower())


def signature(exercise: Exercise) -> tuple[Any, ...]:
    # For two populations which strategy spreads above the share depends on the order the
    # strategies are listed in (a variant's order is shuffled); for one it is the kind of game.
    # A share with a denominator up to 12 is one a student works out by hand: variants keep that.
    one = exercise.grading["population"] == "one"
    simple = Fraction(str(exercise.answer["share"])).denominator <= SIMPLE
    return (
        exercise.game.shape,
        exercise.grading["population"],
        exercise.grading["coordination"] if one else None,
        simple,
    )


def grade(game: Game, answer: Any, grading: dict[str, Any], raw: object) -> Grade:
    """Half for the share, a quarter each for the strategies that spread above and below it."""
    if not isinstance(raw, dict):
        raise AnswerError(
            f"expected {{share: ..., above: {game.strategies[0][0]}, below: {game.strategies[0][1]}}}"
        )
    keys = {str(k).strip().lower(): v for k, v in raw.items()}
    unknown = sorted(set(keys) - {"share", "above", "below"})
    if unknown:
        raise AnswerError(f"unknown part {unknown[0]!r}: give share, above and below", (unknown[0],))
    true_share = Fraction(str(answer["share"]))
    score = Fraction(0)
    feedback: list[str] = []
    mistakes: list[str] = []
    var = "x" if grading.get("population") == "one" else "q"
    if keys.get("share") is None:
        feedback.append(f"No share given: it is {var} = {fmt(true_share)}.")
        mistakes.append("no share")
    else:
        given = number(keys["share"], ("share",), "a share")
        if close_enough(given, true_share, keys["share"]):
            score += Fraction(1, 2)
        elif close_enough(given, 1 - true_share, keys["share"]):
            feedback.append(
                f"{fmt(given)} is the share of the other strategy: {var} = {fmt(true_share)} "
                f"(the share playing {game.strategies[0][0] if var == 'x' else game.strategies[1][0]})."
            )
            mistakes.append("gave the share of the other strategy")
        elif "other_side" in grading and close_enough(
            given, Fraction(str(grading["other_side"])), keys["share"]
        ):
            feedback.append(
                f"{fmt(given)} makes {game.player_names[1]} indifferent; the question is when "
                f"{poss(game.player_names[0])} strategies do equally well: q = {fmt(true_share)}."
            )
            mistakes.append("used the other population's payoffs")
        else:
            feedback.append(f"The strategies do equally well at {var} = {fmt(true_share)}, not {fmt(given)}.")
            mistakes.append("wrong share")
    parts = {}
    for part in ("above", "below"):
        value = keys.get(part)
        parts[part] = None if value is None else parse_strategy(game, 0, value, (part,))
    truth = {part: game.strategies[0].index(answer[part]) for part in ("above", "below")}
    if (
        parts["above"] is not None
        and parts["above"] == truth["below"]
        and parts["below"] == truth["above"]
        and truth["above"] != truth["below"]
    ):
        feedback.append(
            f"Above and below are swapped: above the share {answer['above']} spreads, below it "
            f"{answer['below']}."
        )
        mistakes.append("swapped above and below")
    else:
        for part in ("above", "below"):
            if parts[part] == truth[part]:
                score += Fraction(1, 4)
            else:
                feedback.append(f"{part.capitalize()} the share {answer[part]} spreads.")
                mistakes.append(f"wrong strategy {part} the share")
    if score == 1:
        feedback.insert(
            0,
            f"Correct: {var} = {fmt(true_share)}; above it {answer['above']} spreads, below it "
            f"{answer['below']}.",
        )
    return Grade(score, feedback, mistakes)


# -- where the games come from ----------------------------------------------------------------------------


def scenario_focus(game: Game) -> dict[str, Any] | None:
    """The whole game if it is 2x2; else the 2x2 part whose tipping share for Row has the smallest
    denominator."""
    if game.shape == (2, 2):
        try:
            threshold(game)
        except KeyMismatch:
            return None
        return {"rows": [0, 1], "cols": [0, 1], "own": False, "whole": True}
    best = None
    for rows in combinations(range(game.shape[0]), 2):
        for cols in combinations(range(game.shape[1]), 2):
            try:
                _, answer, _ = threshold(_part(game, rows, cols))
            except KeyMismatch:
                continue
            size = Fraction(str(answer["share"])).denominator
            if best is None or size < best[0]:
                best = (size, rows, cols)
    if best is None:
        return None
    return {"rows": list(best[1]), "cols": list(best[2]), "own": False}


def random_setup(rng: random.Random, difficulty: str) -> Setup | None:
    """easy: one population, a coordination game; medium: one population, coordination or
    anti-coordination; hard: two populations, shares with denominators up to 12."""
    low, high = RANGES[difficulty]
    if difficulty == "hard":
        game = random_2x2(rng, low, high)
    else:
        game = random_2x2(rng, low, high, symmetric=True, labels=SYMMETRIC_LABELS)
    try:
        _, answer, grading = threshold(game)
    except KeyMismatch:
        return None
    size = Fraction(str(answer["share"])).denominator
    if size > (6 if difficulty != "hard" else 12):
        return None
    if difficulty == "easy" and not grading["coordination"]:
        return None
    return Setup(game, difficulty)


#: Random games drawn at most for one exercise.
MAX_ATTEMPTS = 4000


def random_exercise(difficulty: str, rng: random.Random, wanted: tuple[Any, ...] | None = None) -> Exercise:
    """An exercise on a random game of the difficulty's family (:func:`random_setup`); with
    ``wanted``, one whose :func:`signature` is that."""
    for _ in range(MAX_ATTEMPTS):
        setup = random_setup(rng, difficulty)
        if setup is None:
            continue
        exercise = build(setup)
        if wanted is None or signature(exercise) == wanted:
            return exercise
    raise KeyMismatch(f"no {difficulty} random game with this shape of answer in {MAX_ATTEMPTS} tries")
