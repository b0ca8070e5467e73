"""Families of random games, one per kind of exercise and difficulty.

A family proposes small integer games and keeps only those whose exercise has the wanted
shape: for example one pure equilibrium (easy) or none at all (hard), a mixed equilibrium with
small denominators, an elimination that needs a mixed dominator. Every proposal goes through
the kind's own builder, so a game is only accepted once its key has been computed and checked
against the engine.

Payoffs are integers: 0 to 5 (easy), 0 to 9 (medium), -4 to 9 (hard).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import numpy as np

from negsim.classroom.calc import KeyMismatch
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds import KINDS
from negsim.classroom.kinds.dominance import weak_outcomes
from negsim.classroom.kinds.pure import best_responses
from negsim.classroom.kinds.sensitivity import focus_for
from negsim.game import Game, ParametricGame
from negsim.solve.dominance import iterated_elimination
from negsim.tree.model import GameTree, TreeShape
from negsim.tree.strategic import strategic_game

__all__ = ["MAX_ATTEMPTS", "random_exercise", "random_game"]

#: Proposals tried before giving up on a family (each is a few milliseconds).
MAX_ATTEMPTS = 4000

PLAYERS = ("row", "column")
PLAYER_NAMES = ("Row", "Column")
ROW_LABELS = {2: ("top", "bottom"), 3: ("top", "middle", "bottom")}
COLUMN_LABELS = {2: ("left", "right"), 3: ("left", "centre", "right")}
RANGES = {"easy": (0, 5), "medium": (0, 9), "hard": (-4, 9)}


class FamilyExhausted(RuntimeError):
    """No game of the family was found within :data:`MAX_ATTEMPTS` proposals."""


def random_game(A, B, title: str = "") -> Game:
    """A game with the standard labels and exact integer payoffs."""
    A = np.asarray(A, dtype=int)
    B = np.asarray(B, dtype=int)
    rows, cols = A.shape
    exact = np.empty((2, rows, cols), dtype=object)
    for index, v in np.ndenumerate(A):
        exact[(0, *index)] = Fraction(int(v))
    for index, v in np.ndenumerate(B):
        exact[(1, *index)] = Fraction(int(v))
    return Game(
        players=PLAYERS,
        strategies=(ROW_LABELS[rows], COLUMN_LABELS[cols]),
        payoffs=np.stack([A, B]).astype(float),
        player_names=PLAYER_NAMES,
        title=title,
        exact_payoffs=exact,
    )


def _matrix(rng: random.Random, shape: tuple[int, int], low: int, high: int) -> list[list[int]]:
    return [[rng.randint(low, high) for _ in range(shape[1])] for _ in range(shape[0])]


def _plain(rng: random.Random, shape: tuple[int, int], difficulty: str) -> Game:
    low, high = RANGES[difficulty]
    return random_game(_matrix(rng, shape, low, high), _matrix(rng, shape, low, high))


# -- proposals: how each family draws a candidate game -------------------------------------------


def _shape(kind: str, difficulty: str, rng: random.Random) -> tuple[int, int]:
    if kind == "mixed":
        return {"easy": (2, 2), "medium": rng.choice([(2, 3), (3, 2)]), "hard": (3, 3)}[difficulty]
    if kind == "maximin":
        return {"easy": (2, 2), "medium": (2, 2), "hard": (2, 3)}[difficulty]
    return (2, 2) if difficulty == "easy" else (3, 3)


def _propose(kind: str, difficulty: str, rng: random.Random) -> Game:
    shape = _shape(kind, difficulty, rng)
    if kind == "mixed" and difficulty == "hard":
        return _completely_mixed(rng)
    if kind == "dominance" and difficulty == "hard":
        return _mixed_dominance(rng)
    if kind == "weak-dominance":
        # Few distinct values make ties, and ties make weak (not strict) dominance.
        low = 0
        high = 3 if difficulty != "easy" else 2
        return random_game(_matrix(rng, shape, low, high), _matrix(rng, shape, low, high))
    if kind == "mixed" and difficulty == "easy" and rng.random() < 0.5:
        return _two_by_two_conflict(rng)
    return _plain(rng, shape, difficulty)


def _two_by_two_conflict(rng: random.Random) -> Game:
    """A 2x2 game without pure equilibria (like matching pennies): best responses go round."""
    while True:
        A = _matrix(rng, (2, 2), 0, 5)
        B = _matrix(rng, (2, 2), 0, 5)
        if (A[0][0] - A[1][0]) * (A[0][1] - A[1][1]) < 0 and (B[0][0] - B[0][1]) * (B[1][0] - B[1][1]) < 0:
            return random_game(A, B)


def _mixed_dominance(rng: random.Random) -> Game:
    """3x3: one strategy is strictly dominated by an even mix of two others but by neither alone."""
    A = _matrix(rng, (3, 3), -4, 9)
    B = _matrix(rng, (3, 3), -4, 9)
    if rng.random() < 0.5:
        k = rng.randrange(3)
        a, b = [r for r in range(3) if r != k]
        for c in range(3):
            A[k][c] = (A[a][c] + A[b][c]) // 2 - rng.randint(1, 2)
    else:
        k = rng.randrange(3)
        a, b = [c for c in range(3) if c != k]
        for r in range(3):
            B[r][k] = (B[r][a] + B[r][b]) // 2 - rng.randint(1, 2)
    return random_game(A, B)


def _indifferent_matrix(
    rng: random.Random, weights: list[int], low: int, high: int, transpose: bool
) -> list[list[int]] | None:
    """A 3x3 integer matrix whose every column (row, if ``transpose``) has the same weighted sum."""
    d = sum(weights)
    first = [rng.randint(low, high) for _ in range(3)]
    target = sum(w * x for w, x in zip(weights, first))
    lines = [first]
    for _ in range(2):
        for _attempt in range(50):
            x0, x1 = rng.randint(low, high), rng.randint(low, high)
            rest = target - weights[0] * x0 - weights[1] * x1
            if rest % weights[2] == 0 and low <= rest // weights[2] <= high:
                lines.append([x0, x1, rest // weights[2]])
                break
        else:
            return None
    del d
    matrix = [list(row) for row in zip(*lines)]  # lines are columns
    return [list(row) for row in zip(*matrix)] if transpose else matrix


def _completely_mixed(rng: random.Random) -> Game:
    """3x3 with a completely mixed equilibrium whose probabilities have small denominators."""
    while True:
        d1, d2 = rng.choice([4, 5, 6]), rng.choice([4, 5, 6])
        p = _composition(rng, d1)
        q = _composition(rng, d2)
        # Column's payoffs B: equal expected value against the row mix p in every column.
        B = _indifferent_matrix(rng, p, 0, 9, transpose=False)
        # Row's payoffs A: equal expected value against the column mix q in every row.
        A = _indifferent_matrix(rng, q, 0, 9, transpose=True)
        if A is not None and B is not None:
            return random_game(A, B)


def _composition(rng: random.Random, total: int) -> list[int]:
    a = rng.randint(1, total - 2)
    b = rng.randint(1, total - a - 1)
    return [a, b, total - a - b]


# -- acceptance: what makes an exercise of a family ---------------------------------------------


def _denominators(exercise: Exercise) -> int:
    biggest = 1
    for entry in exercise.answer:
        if isinstance(entry, dict):
            for mix in entry.values():
                for value in mix.values():
                    biggest = max(biggest, Fraction(str(value)).denominator)
    return biggest


def _unique_best_responses(game: Game) -> bool:
    row_best, col_best = best_responses(game)
    return all(len(b) == 1 for b in row_best) and all(len(b) == 1 for b in col_best)


def _accept_pure(ex: Exercise, difficulty: str) -> bool:
    if not _unique_best_responses(ex.game):
        return False
    n = len(ex.answer)
    if difficulty == "easy":
        return n == 1
    if difficulty == "medium":
        return n in (1, 2)
    strict = KINDS["dominance"].build(Setup(ex.game, difficulty))
    return n in (0, 2) and not strict.grading["eliminated"]


def _accept_dominance(ex: Exercise, difficulty: str) -> bool:
    removed = ex.grading["eliminated"]
    solved = all(len(v) == 1 for v in ex.answer.values())
    rounds = max((r["round"] for r in removed), default=0)
    mixed = any(r["by"].startswith("the mix") for r in removed)
    if difficulty == "easy":
        return solved and 1 <= rounds <= 2 and not mixed
    if difficulty == "medium":
        return solved and rounds >= 3 and not mixed
    return mixed and rounds >= 2


def _accept_weak(ex: Exercise, difficulty: str) -> bool:
    strict = KINDS["dominance"].build(Setup(ex.game, difficulty))
    if strict.answer == ex.answer or not ex.grading["eliminated"]:
        return False
    if difficulty == "hard":
        return len(weak_outcomes(ex.game)) > 1
    return True


def _accept_mixed(ex: Exercise, difficulty: str) -> bool:
    mixed = [e for e in ex.answer if isinstance(e, dict)]
    if not mixed:
        return False
    limit = {"easy": 6, "medium": 10, "hard": 12}[difficulty]
    return _denominators(ex) <= limit and len(ex.answer) <= 3


def _accept_pareto(ex: Exercise, difficulty: str) -> bool:
    n = len(ex.answer)
    total = ex.game.n_profiles
    return 1 <= n < total and (difficulty == "easy" or n >= 2)


def _accept_maximin(ex: Exercise, difficulty: str) -> bool:
    entries = list(ex.answer.values())
    if any(len(e["pure"]) != 1 for e in entries):
        return False
    if difficulty == "easy":
        return True
    ranges = ex.grading["mix_range"]
    for player, entry in ex.answer.items():
        if "mix" not in entry:
            continue
        window = ranges[player]
        if window["low"] != window["high"] or window["low"] in (0, 1):
            return False
        if Fraction(str(entry["level"])) <= Fraction(str(entry["value"])):
            return False  # the mix must guarantee more than any pure strategy
    return True


def _quick_accept(kind: str, difficulty: str, game: Game) -> bool:
    """Cheap necessary conditions, checked before the (slower) exercise is built."""
    if kind == "pure":
        if not _unique_best_responses(game):
            return False
        if difficulty == "hard":
            return not iterated_elimination(game, mixed=False).steps
        return True
    if kind == "dominance" and difficulty != "hard":
        result = iterated_elimination(game, mixed=False)
        rounds = max((st.round for st in result.steps), default=0)
        solved = all(len(s) == 1 for s in result.surviving)
        return solved and (rounds >= 3 if difficulty == "medium" else 1 <= rounds <= 2)
    return True


ACCEPT: dict[str, Callable[[Exercise, str], bool]] = {
    "pure": _accept_pure,
    "dominance": _accept_dominance,
    "weak-dominance": _accept_weak,
    "mixed": _accept_mixed,
    "pareto": _accept_pareto,
    "maximin": _accept_maximin,
    "sensitivity": lambda exercise, difficulty: True,
    "sequential": lambda exercise, difficulty: _accept_sequential(exercise, difficulty),
}


def _accept_sequential(ex: Exercise, difficulty: str) -> bool:
    """Beyond easy: Leader cannot simply take its favourite outcome (foresight matters)."""
    if difficulty == "easy":
        return True
    leader = [Fraction(row[1].replace("\u2212", "-")) for row in ex.table[1:]]
    best = max(range(len(leader)), key=lambda k: leader[k])
    return ex.table[1 + best][0] != " \u2192 ".join(ex.answer["path"])


def _sensitivity_setup(rng: random.Random, difficulty: str) -> Setup | None:
    """A game whose payoffs move with a parameter x from 0 to 10: x is a bonus Row gets for one
    of its strategies (medium and hard: and a cost of x/2 to Column for one of its own)."""
    shape = (3, 3) if difficulty == "hard" else (2, 2)
    low, high = RANGES[difficulty]
    base = np.array([_matrix(rng, shape, low, high), _matrix(rng, shape, low, high)], dtype=float)
    mask = np.zeros_like(base)
    mask[0, rng.randrange(shape[0]), :] = 1.0
    if difficulty != "easy":
        mask[1, :, rng.randrange(shape[1])] = -0.5

    def payoff_function(values):
        x = np.asarray(values["x"], dtype=float)
        return base[None] + x[:, None, None, None] * mask[None]

    parametric = ParametricGame(
        players=PLAYERS,
        strategies=(ROW_LABELS[shape[0]], COLUMN_LABELS[shape[1]]),
        payoff_function=payoff_function,
        defaults={"x": 5.0},
        bounds={"x": (0.0, 10.0)},
        player_names=PLAYER_NAMES,
    )
    game = parametric.game()
    focus = focus_for(parametric, game, {"x": 5.0}, both_ends=difficulty != "easy")
    if focus is None:
        return None
    return Setup(game, difficulty, parametric=parametric, values={"x": 5.0}, focus=focus)


LEADER_MOVES = {2: ("up", "down"), 3: ("up", "middle", "down")}


def _sequential_setup(rng: random.Random, difficulty: str) -> Setup:
    """A tree with perfect information: Leader moves, Follower answers (hard: Leader moves again
    after some answers); integer payoffs without ties for either player."""

    outcomes = iter(range(100))
    leader = LEADER_MOVES[3 if difficulty == "medium" else 2]

    def follower_node() -> dict:
        moves = {}
        for answer in ("left", "right"):
            if difficulty == "hard" and answer == "right":
                moves[answer] = {
                    "player": 0,
                    "moves": {"stop": {"outcome": next(outcomes)}, "go": {"outcome": next(outcomes)}},
                }
            else:
                moves[answer] = {"outcome": next(outcomes)}
        return {"player": 1, "moves": moves}

    spec = {"player": 0, "moves": {move: follower_node() for move in leader}}
    shape = TreeShape.build(("leader", "follower"), spec, player_names=("Leader", "Follower"))
    n = shape.n_outcomes
    payoffs = np.array([rng.sample(range(10), n), rng.sample(range(10), n)], dtype=float)
    tree = GameTree(shape, payoffs, np.zeros(0))
    game = strategic_game(tree)
    return Setup(game, difficulty, focus={"tree": tree})


def random_exercise(
    kind: str, difficulty: str, rng: random.Random, signature: tuple | None = None
) -> Exercise:
    """An exercise of ``kind`` on a random game of the family; with ``signature``, one whose
    answer has that shape (a variant equivalent to another student's)."""
    entry = KINDS[kind]
    if entry.random is not None:
        return entry.random(difficulty, rng, signature)
    accept = ACCEPT[kind]
    quick = entry.quick_signature if signature is not None and signature[-1] is False else None
    for _ in range(MAX_ATTEMPTS):
        if kind in ("sensitivity", "sequential"):
            setup = (_sensitivity_setup if kind == "sensitivity" else _sequential_setup)(rng, difficulty)
            if setup is None:
                continue
            draft = replace(setup, focus={**setup.focus, "draft": True})
            try:
                exercise = entry.build(draft)
            except KeyMismatch:
                continue
            if not ACCEPT[kind](exercise, difficulty):
                continue
            if signature is None or entry.signature(exercise) == signature:
                return entry.build(setup)
            continue
        game = _propose(kind, difficulty, rng)
        if not _quick_accept(kind, difficulty, game):
            continue
        if quick is not None and quick(game) != signature:
            continue
        try:
            exercise = entry.build(Setup(game, difficulty, focus={"draft": True}))
        except KeyMismatch:
            continue  # e.g. a degenerate game: not one to hand out
        if not accept(exercise, difficulty):
            continue
        if signature is not None and entry.signature(exercise) != signature:
            continue
        return entry.build(Setup(game, difficulty))   # the one kept, with its figures
    raise FamilyExhausted(f"no {difficulty} {kind} game found in {MAX_ATTEMPTS} tries")
