"""Where does the replicator go? Rest points of the two-population replicator of a 2x2 game and
their stability, worked by hand in exact fractions.

With ``p`` the share of Row's population playing its first strategy and ``q`` Column's, the
replicator moves ``p`` by ``p(1 - p)`` times Row's advantage of its first strategy, a linear
function of ``q``, and ``q`` likewise. Its rest points are the four corners and, when both
advantages vanish inside the square, the interior point where each population makes the other
indifferent. A corner is *stable* when both players lose by switching (a strict equilibrium),
*unstable* when both gain, a *saddle* otherwise; near the interior point the motion is
``dp ~ p(1-p) a (q - q*)``, ``dq ~ q(1-q) b (p - p*)``, a *saddle* when ``a b > 0`` and a
*centre* (play circles round it) when ``a b < 0``. Every key is checked against
:func:`negsim.dynamics.rest_points` before the exercise exists.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from negsim.classroom.answers import AnswerError, Grade, close_enough, parse_mix, parse_player, parse_profile
from negsim.classroom.calc import KeyMismatch, exact_game, fmt, fmt_linear, matrices
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    and_join,
    check_two_players,
    make_exercise,
    poss,
    quotes,
)
from negsim.classroom.kinds.examples import fraction, free_mix, notation
from negsim.dynamics import rest_points
from negsim.game import Game
from negsim.numbers import plain_fraction

NAME = "replicator"
TITLE = "Where does the replicator go?"

#: The classes a rest point falls in, in the order an answer lists them.
CLASSES = ("stable", "saddle", "unstable", "centre")
#: The engine's verdicts in the words of the exercise.
_ENGINE = {"sink": "stable", "saddle": "saddle", "source": "unstable", "centre": "centre"}
_MEANING = {
    "stable": "play nearby moves into it",
    "saddle": "play comes towards it along one direction and leaves along another",
    "unstable": "play nearby moves away from it",
    "centre": "play circles round it for ever",
}

Mixes = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


@dataclass(frozen=True)
class RestPoint:
    """A rest point in exact fractions, its class and the sentences that show why."""

    mixes: Mixes
    stability: str
    steps: tuple[str, ...]


def paren(value: Fraction) -> str:
    """A number as a term after a minus or times sign: negative ones in brackets, ``(\u22121/2)``."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def factor(value: Fraction) -> str:
    """A number multiplying a bracket: ``3``, ``(9/2)``, ``(\u22121)``."""
    return fmt(value) if value.denominator == 1 and value >= 0 else f"({fmt(value)})"


def times(value: Fraction, variable: str) -> str:
    """``3q``, ``\u22122q``, ``(5/2)q``: a coefficient and its variable, never read as 5/(2q)."""
    return f"{fmt(value)}{variable}" if value.denominator == 1 else f"({fmt(value)}){variable}"


def _unit(k: int) -> tuple[Fraction, Fraction]:
    return (Fraction(1), Fraction(0)) if k == 0 else (Fraction(0), Fraction(1))


def advantages(game: Game) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
    """Row's advantage of its first strategy as ``(constant, slope)`` in ``q``, and Column's in ``p``."""
    A, B = matrices(game)
    row = (A[0][1] - A[1][1], (A[0][0] - A[1][0]) - (A[0][1] - A[1][1]))
    column = (B[1][0] - B[1][1], (B[0][0] - B[0][1]) - (B[1][0] - B[1][1]))
    return row, column


def check_game(game: Game) -> None:
    """A 2x2 game without ties between a player's two strategies (so no line of rest points)."""
    check_two_players(game)
    if game.shape != (2, 2):
        raise KeyMismatch("replicator exercises are about 2x2 games")
    A, B = matrices(game)
    if any(A[0][c] == A[1][c] for c in range(2)) or any(B[r][0] == B[r][1] for r in range(2)):
        raise KeyMismatch("a player is indifferent between its strategies somewhere: a line of rest points")


def exact_rest_points(game: Game) -> tuple[list[str], list[RestPoint]]:
    """The worked solution's opening steps and every rest point, checked against the engine."""
    check_game(game)
    A, B = matrices(game)
    (r0, r1), (c0, c1) = advantages(game)
    rows, cols = game.strategies
    row, col = game.player_names
    opening = [
        f"Let p be the share of {poss(row)} population playing {rows[0]} and q the share of "
        f"{poss(col)} playing {cols[0]}. The replicator changes p at the rate p(1 \u2212 p) times the "
        f"advantage of {rows[0]} over {rows[1]}, and q at the rate q(1 \u2212 q) times the advantage of "
        f"{cols[0]} over {cols[1]}.",
        f"{poss(row)} advantage of {rows[0]}: ({fmt(A[0][0])} \u2212 {paren(A[1][0])})q + "
        f"({fmt(A[0][1])} \u2212 {paren(A[1][1])})(1 \u2212 q) = {fmt_linear(r0, r1, 'q')}.",
        f"{poss(col)} advantage of {cols[0]}: ({fmt(B[0][0])} \u2212 {paren(B[0][1])})p + "
        f"({fmt(B[1][0])} \u2212 {paren(B[1][1])})(1 \u2212 p) = {fmt_linear(c0, c1, 'p')}.",
        "Both rates are zero at the four corners (each population plays one strategy), and inside "
        "the square only where both advantages are zero.",
    ]
    found: list[RestPoint] = []
    for r in range(2):
        for c in range(2):
            row_gain = A[1 - r][c] - A[r][c]
            col_gain = B[r][1 - c] - B[r][c]
            stability = (
                "stable"
                if row_gain < 0 and col_gain < 0
                else "unstable"
                if row_gain > 0 and col_gain > 0
                else "saddle"
            )
            step = (
                f"Corner ({rows[r]}, {cols[c]}): a few of {poss(row)} population switching to "
                f"{rows[1 - r]} {'gain' if row_gain > 0 else 'lose'} {fmt(abs(row_gain))}, a few of "
                f"{poss(col)} switching to {cols[1 - c]} {'gain' if col_gain > 0 else 'lose'} "
                f"{fmt(abs(col_gain))}: {stability} ({_MEANING[stability]})."
            )
            found.append(RestPoint((_unit(r), _unit(c)), stability, (step,)))
    interior: list[str] = []
    if r1 != 0 and c1 != 0:
        q = -r0 / r1
        p = -c0 / c1
        interior.append(
            f"Inside: {poss(row)} advantage is zero at q = {fmt(q)}, {poss(col)} at p = {fmt(p)}."
        )
        if 0 < p < 1 and 0 < q < 1:
            product = r1 * c1
            stability = "saddle" if product > 0 else "centre"
            size = p * (1 - p) * q * (1 - q) * product
            interior.append(
                f"Near (p, q) = ({fmt(p)}, {fmt(q)}), p moves at about {fmt(p * (1 - p))} \u00d7 "
                f"{paren(r1)} \u00d7 (q \u2212 {fmt(q)}) and q at about {fmt(q * (1 - q))} \u00d7 "
                f"{paren(c1)} \u00d7 (p \u2212 {fmt(p)}); the product of the two factors is "
                f"{fmt(size)}, so the eigenvalues are \u00b1\u221a({fmt(size)}): "
                + (
                    "real, one positive and one negative, a saddle."
                    if product > 0
                    else "imaginary, a centre (play circles round it)."
                )
            )
            mixes = ((p, 1 - p), (q, 1 - q))
            interior.append(f"So the interior rest point {point_text(game, mixes)} is a {stability}.")
            found.append(RestPoint(mixes, stability, tuple(interior)))
            interior = []
        else:
            interior.append("That point is not inside the square: there is no interior rest point.")
    else:
        interior.append(
            "One advantage never changes sign inside the square: there is no interior rest point."
        )
    opening.extend(interior)
    _check_engine(game, found)
    return opening, found


def _check_engine(game: Game, found: list[RestPoint]) -> None:
    engine = rest_points(game)
    if engine.continua:
        raise KeyMismatch(f"rest points form lines: {engine.continua}")
    theirs = set()
    for point in engine.points:
        if point.exact is None or point.stability not in _ENGINE:
            raise KeyMismatch(f"the engine's verdict {point.stability!r} is not one an exercise asks for")
        theirs.add((tuple(tuple(s) for s in point.exact), _ENGINE[point.stability]))
    ours = {(p.mixes, p.stability) for p in found}
    if ours != theirs:
        raise KeyMismatch(f"rest points by hand {ours} differ from the engine's {theirs}")


def entry(game: Game, mixes: Mixes) -> list[str] | dict[str, dict[str, str | int]]:
    """A corner as ``[top, left]``, the interior point as ``{row: {top: 1/3, ...}, ...}``."""
    if all(1 in m for m in mixes):
        return [game.strategies[i][m.index(Fraction(1))] for i, m in enumerate(mixes)]
    return {
        game.players[i]: {game.strategies[i][k]: plain_fraction(v) for k, v in enumerate(m) if v}
        for i, m in enumerate(mixes)
    }


def point_text(game: Game, mixes: Mixes) -> str:
    """``(stag, hare)`` for a corner, ``(stag 1/2, hare 1/2; stag 1/2, hare 1/2)`` inside."""
    if all(1 in m for m in mixes):
        return "(" + ", ".join(game.strategies[i][m.index(Fraction(1))] for i, m in enumerate(mixes)) + ")"
    return (
        "("
        + "; ".join(
            ", ".join(f"{game.strategies[i][k]} {fmt(v)}" for k, v in enumerate(m))
            for i, m in enumerate(mixes)
        )
        + ")"
    )


def _answer(game: Game, found: list[RestPoint]) -> dict[str, list[Any]]:
    return {
        c: [entry(game, p.mixes) for p in found if p.stability == c]
        for c in CLASSES
        if any(p.stability == c for p in found)
    }


def conclusion(game: Game, found: list[RestPoint]) -> str:
    stable = [point_text(game, p.mixes) for p in found if p.stability == "stable"]
    centre = [point_text(game, p.mixes) for p in found if p.stability == "centre"]
    if len(stable) == 1:
        return f"From every start inside the square play goes to {stable[0]}."
    if stable:
        return (
            f"Play goes to {and_join(stable)}, depending on where it starts: the saddle's stable "
            "curve divides the square between them."
        )
    if centre:
        return f"Play never settles: from every start inside it circles round {centre[0]}."
    return "No rest point is stable."


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    opening, found = exact_rest_points(game)
    steps = [*opening, *(s for p in found for s in p.steps), conclusion(game, found)]
    question = (
        "Both players come from large populations, and a strategy spreads in its population in "
        "proportion to how much better than average it does (the replicator dynamics). Find every "
        "rest point (where neither population changes) and say whether each is stable, a saddle, "
        "unstable or a centre. Where does play go?"
    )
    reduction = setup.focus.get("reduction", "") if not setup.focus.get("whole") else ""
    if reduction:
        question = reduction + " " + question
    answer = _answer(game, found)
    text = "; ".join(
        f"{cls}: {', '.join(point_text(game, p.mixes) for p in found if p.stability == cls)}"
        for cls in CLASSES
        if any(p.stability == cls for p in found)
    )
    return make_exercise(
        setup,
        NAME,
        TITLE,
        example,
        question=question,
        game=game,
        answer=answer,
        answer_text=f"Rest points: {text}. {conclusion(game, found)}",
        solution=tuple(steps),
        context=quotes(setup, [(0, 0), (0, 1), (1, 0), (1, 1)]),
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example that gives nothing away: a corner under a class that
    no student's answer puts it in (every corner is a rest point of every 2x2 game), and an
    interior point whose mixes are no student's."""
    game = exercise.game
    taken = {
        (cls, tuple(s.lower() for s in item))
        for ex in others
        for cls, items in ex.answer.items()
        for item in items
        if isinstance(item, list)
    }
    shown: dict[str, list[Any]] = {}
    corners = [[game.strategies[0][r], game.strategies[1][c]] for r in range(2) for c in range(2)]
    free_corner = next(
        (
            (cls, corner)
            for corner in corners
            for cls in CLASSES
            if (cls, tuple(s.lower() for s in corner)) not in taken
        ),
        None,
    )
    if free_corner is not None:
        shown[free_corner[0]] = [free_corner[1]]
    inside: dict[str, Any] = {}
    for i, player in enumerate(game.players):
        mixes = [
            {s: fraction(v) for s, v in item[player].items()}
            for ex in others
            for items in ex.answer.values()
            for item in items
            if isinstance(item, dict) and player in item
        ]
        mix = free_mix(game.strategies[i], mixes)
        if mix is None:
            break
        inside[player] = mix
    else:
        shown.setdefault("saddle", []).append(inside)
    return (
        f"each rest point under its class ({', '.join(CLASSES)}): a corner as a profile, the interior "
        f"point as each player's mix; e.g. {notation(shown)}"
    )


def answer_key(exercise: Exercise) -> frozenset[Any]:
    """The rest points with their classes, each point as the players' probabilities by strategy."""
    game = exercise.game
    keys = set()
    for cls, items in exercise.answer.items():
        for item in items:
            mixes = parse_point(game, item, ())[0]
            keys.add(
                (
                    cls,
                    tuple(
                        frozenset((s.lower(), v) for s, v in zip(game.strategies[i], m))
                        for i, m in enumerate(mixes)
                    ),
                )
            )
    return frozenset(keys)


def signature(exercise: Exercise) -> tuple[Any, ...]:
    """How many rest points of each class, which class the interior one is, and whether its
    shares have denominators up to 12 (easy to work with by hand: variants keep that)."""
    counts = tuple((c, len(exercise.answer.get(c, []))) for c in CLASSES)
    inside = [e for c in CLASSES for e in exercise.answer.get(c, []) if isinstance(e, dict)]
    interior = tuple(c for c in CLASSES for e in exercise.answer.get(c, []) if isinstance(e, dict))
    simple = all(
        Fraction(str(v)).denominator <= 12 for e in inside for mix in e.values() for v in mix.values()
    )
    return (exercise.game.shape, counts, interior, simple)


# -- grading --------------------------------------------------------------------------------------------


def parse_point(game: Game, raw: object, path: tuple[Any, ...]) -> tuple[Mixes, tuple[Any, ...]]:
    """A corner ``[top, left]`` or an interior point ``{row: {top: 1/3, ...}, column: ...}``."""
    if isinstance(raw, list):
        profile = parse_profile(game, raw, path)
        corner = (_unit(profile[0]), _unit(profile[1]))
        return corner, tuple(tuple(int(x) for x in m) for m in corner)
    if not isinstance(raw, dict):
        raise AnswerError(
            "expected a rest point: a corner such as [top, left] or a mapping from each player to its mix",
            path,
        )
    mixes: dict[int, tuple[Fraction, ...]] = {}
    written: dict[int, tuple[Any, ...]] = {}
    for key, value in raw.items():
        i = parse_player(game, key, (*path, key))
        mixes[i], written[i] = parse_mix(game, i, value, (*path, key))
    missing = [game.players[i] for i in range(2) if i not in mixes]
    if missing:
        raise AnswerError(f"the rest point gives no mix for {', '.join(missing)}", path)
    return (mixes[0], mixes[1]), (written[0], written[1])


def _same(given: Mixes, written: tuple[Any, ...], true: Mixes) -> bool:
    return all(
        close_enough(g, t, w) for gs, ws, ts in zip(given, written, true) for g, w, t in zip(gs, ws, ts)
    )


def grade(game: Game, answer: Any, grading: dict[str, Any], raw: object) -> Grade:
    """Each rest point listed under its class earns one share, under another class half of one;
    a point that is no rest point takes a share back."""
    true: list[tuple[Mixes, str]] = []
    for cls, points in answer.items():
        for item in points:
            true.append((parse_point(game, item, ())[0], cls))
    if not isinstance(raw, dict):
        raise AnswerError(
            f"expected the rest points under their class ({', '.join(CLASSES)}), e.g. "
            f"{{stable: [[{game.strategies[0][0]}, {game.strategies[1][0]}]]}}"
        )
    given: list[tuple[Mixes, tuple[Any, ...], str]] = []
    for cls, points in raw.items():
        name = str(cls).strip().lower()
        if name not in CLASSES:
            raise AnswerError(f"unknown class {cls!r}: use {', '.join(CLASSES)}", (cls,))
        if points is None:
            continue
        if not isinstance(points, list) or (points and all(isinstance(x, str) for x in points)):
            points = [points]
        for k, item in enumerate(points):
            mixes, written = parse_point(game, item, (cls, k))
            given.append((mixes, written, name))
    credit: dict[int, Fraction] = {}
    feedback: list[str] = []
    mistakes: list[str] = []
    wrong = 0
    for mixes, written, cls in given:
        hit = next((j for j, (t, _) in enumerate(true) if j not in credit and _same(mixes, written, t)), None)
        if hit is None:
            wrong += 1
            feedback.append(f"{point_text(game, mixes)} is not a rest point: " + _why_not_rest(game, mixes))
            mistakes.append("listed a point that is not a rest point")
            continue
        right = true[hit][1]
        if cls == right:
            credit[hit] = Fraction(1)
        else:
            credit[hit] = Fraction(1, 2)
            feedback.append(
                f"{point_text(game, true[hit][0])} is a rest point, but {right}, not {cls} "
                f"({_MEANING[right]}); half credit."
            )
            mistakes.append(f"called a {right} rest point {cls}")
    missed = [j for j in range(len(true)) if j not in credit]
    for j in missed:
        mixes, cls = true[j]
        inside = not all(1 in m for m in mixes)
        feedback.append(
            f"You missed the {cls} rest point {point_text(game, mixes)}"
            + (": inside, each population makes the other indifferent." if inside else ".")
        )
        mistakes.append("missed the interior rest point" if inside else "missed a corner")
    score = max(Fraction(0), (sum(credit.values(), Fraction(0)) - wrong) / len(true))
    if score == 1 and not feedback:
        feedback.append(
            "Correct: "
            + "; ".join(
                f"{cls} {', '.join(point_text(game, t) for t, c in true if c == cls)}"
                for cls in CLASSES
                if any(c == cls for _, c in true)
            )
            + "."
        )
    return Grade(score, feedback, mistakes)


def _why_not_rest(game: Game, mixes: Mixes) -> str:
    (r0, r1), (c0, c1) = advantages(game)
    p, q = mixes[0][0], mixes[1][0]
    row_rate = p * (1 - p) * (r0 + r1 * q)
    col_rate = q * (1 - q) * (c0 + c1 * p)
    parts = []
    if row_rate:
        parts.append(
            f"{poss(game.player_names[0])} share of {game.strategies[0][0]} changes at the rate "
            f"{fmt(row_rate)}"
        )
    if col_rate:
        parts.append(
            f"{poss(game.player_names[1])} share of {game.strategies[1][0]} changes at the rate "
            f"{fmt(col_rate)}"
        )
    return and_join(parts) + "."


# -- where the games come from ----------------------------------------------------------------------------


def scenario_focus(game: Game) -> dict[str, Any] | None:
    """The 2x2 part of a scenario game to ask about: the whole game if it is 2x2; else the part
    with an interior rest point and the smallest denominators; else the first part without ties."""
    candidates = []
    for rows in combinations(range(game.shape[0]), 2):
        for cols in combinations(range(game.shape[1]), 2):
            sub = _part(game, rows, cols)
            try:
                _, found = exact_rest_points(sub)
            except KeyMismatch:
                continue
            inside = [p for p in found if not all(1 in m for m in p.mixes)]
            size = max((v.denominator for p in inside for m in p.mixes for v in m), default=10**6)
            candidates.append((not inside, size, rows, cols))
    if not candidates:
        return None
    _, _, rows, cols = min(candidates)
    return {"rows": list(rows), "cols": list(cols), "own": False, "whole": game.shape == (2, 2)}


def _part(game: Game, rows: tuple[int, ...], cols: tuple[int, ...]) -> Game:
    exact = exact_game(game).exact_payoffs
    assert exact is not None
    return Game(
        players=game.players,
        strategies=(tuple(game.strategies[0][r] for r in rows), tuple(game.strategies[1][c] for c in cols)),
        payoffs=game.payoffs[:, list(rows)][:, :, list(cols)],
        player_names=game.player_names,
        exact_payoffs=exact[:, list(rows)][:, :, list(cols)],
    )


RANGES = {"easy": (0, 5), "medium": (0, 9), "hard": (-4, 9)}
LABELS = (("top", "bottom"), ("left", "right"))


def random_2x2(
    rng: random.Random,
    low: int,
    high: int,
    *,
    symmetric: bool = False,
    labels: tuple[tuple[str, str], tuple[str, str]] = LABELS,
) -> Game:
    """A 2x2 game with integer payoffs in ``low..high`` (``symmetric``: Column's are Row's, transposed)."""
    A = [[rng.randint(low, high) for _ in range(2)] for _ in range(2)]
    B = (
        [[A[c][r] for c in range(2)] for r in range(2)]
        if symmetric
        else [[rng.randint(low, high) for _ in range(2)] for _ in range(2)]
    )
    values = np.empty((2, 2, 2), dtype=object)
    for i, M in enumerate((A, B)):
        for r in range(2):
            for c in range(2):
                values[i, r, c] = Fraction(M[r][c])
    return Game(
        players=("row", "column"),
        strategies=labels,
        payoffs=values.astype(float),
        player_names=("Row", "Column"),
        exact_payoffs=values,
    )


def random_setup(rng: random.Random, difficulty: str) -> Setup | None:
    """easy: one stable corner; medium: two stable corners and a saddle inside; hard: an interior
    rest point (a saddle or a centre) with denominators up to 12."""
    low, high = RANGES[difficulty]
    game = random_2x2(rng, low, high)
    try:
        _, found = exact_rest_points(game)
    except KeyMismatch:
        return None
    stable = sum(p.stability == "stable" for p in found)
    inside = [p for p in found if not all(1 in m for m in p.mixes)]
    size = max((v.denominator for p in inside for m in p.mixes for v in m), default=1)
    if difficulty == "easy" and not (stable == 1 and not inside):
        return None
    if difficulty == "medium" and not (stable == 2 and inside and size <= 6):
        return None
    if difficulty == "hard" and not (inside and size <= 12):
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
