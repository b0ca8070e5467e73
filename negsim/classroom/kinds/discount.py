"""Discount-factor thresholds: how patient must each player be for an outcome to last when the
game is repeated for ever?

A player who values a payoff t periods ahead at delta^t keeps to the outcome (payoff u) rather
than deviate once (best payoff d) and be punished for ever after (payoff w per period) when
u >= (1 - delta) d + delta w, that is delta >= (d - u) / (d - w). The punishment is grim
trigger (the stage equilibrium worst for the deviator) when the stage game's equilibria are all
pure and that sustains the outcome; otherwise the best simple penal code (after each player's
deviation a profile played for ever, every punisher kept in line by its own punishment), whose
paths the question states. The key is computed here in fractions and checked against
:func:`negsim.repeated.sustainability` and :func:`negsim.repeated.penal_code_scheme`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.classroom.answers import AnswerError, Grade, close_enough, number, parse_player
from negsim.classroom.calc import KeyMismatch, exact_game, exact_payoffs, fmt
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import check_two_players, intro, poss, profile_text, quotes, setting
from negsim.classroom.kinds.examples import fraction, free_number, notation, placeholder
from negsim.classroom.kinds.family import search
from negsim.game import Game
from negsim.repeated import cooperative_outcomes, penal_code_scheme, sustainability
from negsim.solve import solve

NAME = "discount-threshold"
TITLE = "Discount-factor threshold"

Cell = tuple[int, ...]


def _u(game: Game, i: int, cell: Cell) -> Fraction:
    value: Fraction = exact_payoffs(game)[(i, *cell)]
    return value


def _best_other(game: Game, i: int, cell: Cell) -> tuple[Fraction, int | None]:
    """Player i's best payoff from a strategy other than its own in ``cell``."""
    best: tuple[Fraction, int | None] = (_u(game, i, cell), None)
    first = True
    for a in range(game.shape[i]):
        if a == cell[i]:
            continue
        moved = list(cell)
        moved[i] = a
        v = _u(game, i, tuple(moved))
        if first or v > best[0]:
            best, first = (v, a), False
    return best


def _best_any(game: Game, i: int, cell: Cell) -> Fraction:
    values = []
    for a in range(game.shape[i]):
        moved = list(cell)
        moved[i] = a
        values.append(_u(game, i, tuple(moved)))
    return max(values)


def _need(u: Fraction, d: Fraction, w: Fraction) -> Fraction | None:
    """Smallest delta with u >= (1 - delta) d + delta w; None when patient players would not."""
    if d <= u:
        return Fraction(0) if w <= u else None
    if w >= u:
        return None
    return (d - u) / (d - w)


def _p(value: Fraction) -> str:
    """A number inside a formula: negatives in parentheses."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def _plain(value: Fraction) -> str | int:
    return int(value) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _cell(game: Game, ids: list[str]) -> Cell:
    return tuple(game.strategy_index(i, s) for i, s in enumerate(ids))


def _ids(game: Game, cell: Cell) -> list[str]:
    return [game.strategies[i][k] for i, k in enumerate(cell)]


def _grim(game: Game, coop: Cell) -> tuple[list[Fraction | None], list[Cell]] | None:
    """Each player's grim-trigger threshold and punishment, when every stage equilibrium is pure."""
    equilibria = solve(game, exact=True).equilibria
    if not equilibria or any(e.pure_profile() is None for e in equilibria):
        return None
    cells = [c for c in (e.pure_profile() for e in equilibria) if c is not None]

    def worst_for(i: int) -> Cell:
        return min(cells, key=lambda c: (_u(game, i, c), c))

    worst = [worst_for(i) for i in range(2)]
    needs = [_need(_u(game, i, coop), _best_other(game, i, coop)[0], _u(game, i, worst[i])) for i in range(2)]
    return needs, worst


def _code(game: Game, coop: Cell, paths: list[Cell]) -> list[Fraction | None]:
    needs: list[Fraction | None] = []
    for j in range(2):
        w = _u(game, j, paths[j])
        parts = [_need(_u(game, j, coop), _best_other(game, j, coop)[0], w)]
        parts += [_need(_u(game, j, p), _best_any(game, j, p), w) for p in paths]
        needs.append(None if any(t is None for t in parts) else max(parts))  # type: ignore[type-var]
    return needs


def _candidates(setup: Setup, game: Game) -> list[Cell]:
    found: list[Cell] = []
    declared = getattr(setup.scenario, "repeated", None) if setup.scenario is not None else None
    if declared is not None:
        c = declared.cooperation
        items = [c] if isinstance(c, dict) or (c and all(isinstance(x, str) for x in c)) else list(c)
        for item in items:
            ids = [item[p] for p in game.players] if isinstance(item, dict) else list(item)
            found.append(_cell(game, ids))
    found += [c for c in cooperative_outcomes(game) if c not in found]
    pure = {e.pure_profile() for e in solve(game, exact=True).equilibria}
    found += [c for c in game.profiles() if c not in found and c not in pure]
    return found


def _choose(setup: Setup, game: Game) -> tuple[Cell, str, list[Fraction], list[Cell]]:
    """The outcome, the scheme (``grim`` or ``penal-code``), the thresholds and the paths."""
    focus = setup.focus
    if "cooperation" in focus:
        pool = [_cell(game, list(focus["cooperation"]))]
        schemes = [focus["scheme"]]
    else:
        pool = _candidates(setup, game)
        schemes = ["grim", "penal-code"]
    for scheme in schemes:
        for coop in pool:
            if scheme == "grim":
                grim = _grim(game, coop)
                if grim is None:
                    continue
                needs, paths = grim
            else:
                found = penal_code_scheme(game, coop)
                if found is None or not found.sustainable:
                    continue
                paths = [tuple(p) for p in found.paths]
                needs = _code(game, coop, paths)
            if all(t is not None for t in needs) and any(t > 0 for t in needs):  # type: ignore[operator]
                return coop, scheme, needs, paths  # type: ignore[return-value]
    raise KeyMismatch("no outcome lasts with grim trigger or a simple penal code only for patient players")


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    coop, scheme, needs, paths = _choose(setup, game)
    engine = sustainability(game, coop, search=True)
    check = engine.scheme("nash-reversion" if scheme == "grim" else "penal-code")
    if [t.delta for t in check.thresholds] != needs:
        raise KeyMismatch(f"thresholds: by hand {needs}, engine {[t.delta for t in check.thresholds]}")
    names = game.player_names
    label = profile_text(game, coop)
    steps = [f"Keeping to {label} every period gives each player its payoff there for ever. A player "
             "who deviates gains once and is then punished for ever: it keeps to the outcome when "
             "u ≥ (1 − δ) d + δ w (u its payoff in the outcome, d its best payoff from deviating, w its "
             "payoff under punishment), that is δ ≥ (d − u) / (d − w)."]
    if scheme == "grim":
        if len(set(paths)) == 1:
            rule = (f"after any deviation the stage equilibrium {profile_text(game, paths[0])} is played "
                    "for ever")
        else:
            rule = (f"after a deviation the stage equilibrium worst for the deviator is played for ever "
                    f"({names[0]}: {profile_text(game, paths[0])}, "
                    f"{names[1]}: {profile_text(game, paths[1])})")
        title = "grim trigger"
    else:
        rule = (f"after a deviation by {names[0]}, {profile_text(game, paths[0])} is played for ever; "
                f"after a deviation by {names[1]}, {profile_text(game, paths[1])}; a player who deviates "
                "from a punishment is punished with its own one in turn")
        title = "this penal code"
    for j in range(2):
        u = _u(game, j, coop)
        d, move = _best_other(game, j, coop)
        w = _u(game, j, paths[j])
        if d <= u:
            text = (f"{names[j]} gets {fmt(u)} from {label} and cannot gain by deviating (best {fmt(d)}), "
                    f"and the punishment gives it {fmt(w)}: no patience is needed for the outcome itself.")
        else:
            moved = game.strategies[j][move] if move is not None else "another strategy"
            text = (f"{names[j]}: u = {fmt(u)}, deviating to {moved} gives d = {fmt(d)}, "
                    f"the punishment w = {fmt(w)}, so δ ≥ ({fmt(d)} − {_p(u)}) / ({fmt(d)} − {_p(w)}) = "
                    f"{fmt((d - u) / (d - w))}.")
        steps.append(text)
        if scheme == "penal-code":
            for i, path in enumerate(paths):
                stay, best = _u(game, j, path), _best_any(game, j, path)
                if best > stay:
                    steps.append(f"{names[j]} must also carry out the punishment of {names[i]}, "
                                 f"{profile_text(game, path)}: staying gives {fmt(stay)}, deviating "
                                 f"{fmt(best)} once, so δ ≥ ({fmt(best)} − {_p(stay)}) / "
                                 f"({fmt(best)} − {_p(w)}) = {fmt((best - stay) / (best - w))}.")
    steps.append(f"So {label} lasts with {title} when {poss(names[0])} δ ≥ {fmt(needs[0])} and "
                 f"{poss(names[1])} δ ≥ {fmt(needs[1])}.")
    question = (f"The game is repeated for ever. Both players keep to {label} as long as nobody has "
                f"deviated; {rule}. Each values a payoff t periods ahead at δ^t (its discount factor). For "
                "each player, what is the smallest δ at which it never gains by deviating (0 if it never "
                "gains whatever its δ)?")
    answer = {p: _plain(t) for p, t in zip(game.players, needs)}
    text = " and ".join(f"{n} δ ≥ {fmt(t)}" for n, t in zip(names, needs))
    focus = {"cooperation": _ids(game, coop), "scheme": scheme, "paths": [_ids(game, p) for p in paths]}
    involved = [(i, k) for i, k in enumerate(coop)]
    exercise = Exercise(
        kind=NAME, difficulty=setup.difficulty, title=TITLE, intro=intro(setup), setting=setting(setup),
        question=question, game=game, answer=answer, answer_text=f"{label} lasts when {text}.",
        answer_format="", solution=tuple(steps), context=quotes(setup, involved), grading=focus,
    )
    return replace(exercise, answer_format=example(exercise, [exercise]))


def answer_key(exercise: Exercise) -> tuple[Fraction, ...]:
    """Each player's smallest discount factor."""
    return tuple(fraction(exercise.answer[p]) for p in exercise.game.players)


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example whose discount factors are no one's answer."""
    game = exercise.game
    data: dict[str, Any] = {}
    for j, player in enumerate(game.players):
        taken = [answer_key(ex)[j] for ex in others]
        value = free_number(Fraction(0), Fraction(1), taken)
        data[player] = value if value is not None else placeholder(f"{poss(game.player_names[j])} δ")
    return f"each player's smallest discount factor (0 if it never gains by deviating); e.g. {notation(data)}"


def random_exercise(difficulty: str, rng: random.Random,
                    signature_wanted: tuple[Any, ...] | None = None) -> Exercise:
    """An exercise on a random game of the family (with ``signature_wanted``, one equivalent
    to another student's)."""
    return search(NAME, build, signature, propose, accept, difficulty, rng, signature_wanted)


def signature(exercise: Exercise) -> tuple[Any, ...]:
    """Same game shape, the same kind of punishment, and the same players who need patience."""
    values = [number(v) for v in exercise.answer.values()]
    return (exercise.game.shape, exercise.grading["scheme"], tuple(v > 0 for v in values))


def grade(game: Game, answer: Any, grading: dict[str, Any], raw: object) -> Grade:
    if not isinstance(raw, dict):
        raise AnswerError("expected one discount factor per player, e.g. {"
                          + ", ".join(f"{p}: 1/2" for p in game.players) + "}")
    given: dict[int, tuple[Fraction, object]] = {}
    for key, value in raw.items():
        given[parse_player(game, key, (key,))] = (number(value, (key,), "a discount factor"), value)
    coop = _cell(game, list(grading["cooperation"]))
    paths = [_cell(game, list(p)) for p in grading["paths"]]
    feedback: list[str] = []
    mistakes: list[str] = []
    right = 0
    for j, player in enumerate(game.players):
        key = number(answer[player])
        name = game.player_names[j]
        if j not in given:
            feedback.append(f"No discount factor given for {name}.")
            mistakes.append("left out a player")
            continue
        value, written = given[j]
        if close_enough(value, key, written):
            right += 1
            continue
        u = _u(game, j, coop)
        d = _best_other(game, j, coop)[0]
        w = _u(game, j, paths[j])
        feedback.append(f"{poss(name)} smallest discount factor is {fmt(key)}, not {fmt(value)}.")
        if key == 0:
            mistakes.append("asked for patience from a player who never gains by deviating")
        elif d > w and close_enough(value, (u - w) / (d - w), written):
            mistakes.append("computed 1 − δ: (u − w) / (d − w) instead of (d − u) / (d − w)")
        elif u > w and close_enough(value, (d - u) / (u - w), written):
            mistakes.append("used one period of punishment instead of punishment for ever")
        elif grading["scheme"] == "penal-code" and d > w and close_enough(value, (d - u) / (d - w), written):
            mistakes.append("forgot that the player must also be willing to carry out the punishments")
        else:
            mistakes.append("wrong discount factor")
    score = Fraction(right, 2)
    if score == 1:
        feedback.insert(0, "Correct.")
    return Grade(score, feedback, mistakes)


# -- random games ------------------------------------------------------------------------------------


def propose(rng: random.Random, difficulty: str) -> Setup | None:
    """A 2x2 game of small integers (a social dilemma more often than not: each side's first
    strategy is the better outcome for both, its second tempting)."""
    high = {"easy": 6, "medium": 9, "hard": 12}[difficulty]
    a = [[rng.randint(0, high) for _ in range(2)] for _ in range(2)]
    b = [[rng.randint(0, high) for _ in range(2)] for _ in range(2)]
    exact = np.array([[[Fraction(v) for v in row] for row in m] for m in (a, b)], dtype=object)
    values = exact.astype(float)
    # cheap filter first: one pure equilibrium, strict, and an outcome better for both than it
    row_best = values[0] == values[0].max(axis=0, keepdims=True)
    col_best = values[1] == values[1].max(axis=1, keepdims=True)
    stage = [(r, c) for r in range(2) for c in range(2) if row_best[r, c] and col_best[r, c]]
    if len(stage) != 1 or row_best.sum() != 2 or col_best.sum() != 2:
        return None
    e = stage[0]
    if not any(values[0][c] > values[0][e] and values[1][c] > values[1][e] for c in np.ndindex(2, 2)):
        return None
    game = Game(players=("row", "column"), strategies=(("top", "bottom"), ("left", "right")),
                payoffs=values, player_names=("Row", "Column"), exact_payoffs=exact)
    return Setup(game, difficulty)


def accept(exercise: Exercise, difficulty: str) -> bool:
    """Grim trigger, with both players needing some patience (below 1)."""
    values = [number(v) for v in exercise.answer.values()]
    return exercise.grading["scheme"] == "grim" and all(0 < v < 1 for v in values)
