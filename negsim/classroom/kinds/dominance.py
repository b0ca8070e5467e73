"""Iterated elimination of dominated strategies: strict, and weak with the order caveat.

The elimination itself is the engine's (:func:`negsim.solve.dominance.iterated_elimination`,
which removes every dominated strategy of every player in a round at once). Each step is then
re-checked in exact arithmetic, and a mixed dominator found by the engine's linear programme
is replaced by the simplest exact mix that dominates (for two strategies: the simplest
fraction inside the exact interval of weights that work).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from itertools import groupby
from typing import Any

from negsim.classroom.answers import AnswerError, Grade, parse_player, parse_strategy_list
from negsim.classroom.calc import KeyMismatch, exact_game, exact_payoffs, fmt, simplest_between
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    and_join,
    check_two_players,
    make_exercise,
    poss,
    quotes,
)
from negsim.classroom.kinds.examples import free_set, notation, placeholder
from negsim.game import Game
from negsim.solve.dominance import DominanceStep, iterated_elimination

STRICT, WEAK = "dominance", "weak-dominance"
TITLES = {
    STRICT: "Iterated elimination of strictly dominated strategies",
    WEAK: "Iterated elimination of weakly dominated strategies",
}


def _payoff(exact, player: int, own: int, other: int) -> Fraction:
    return exact[0, own, other] if player == 0 else exact[1, other, own]


def _explain(game: Game, step: DominanceStep, alive: list[list[int]], weak: bool) -> tuple[str, str]:
    """The exact comparison behind one removal, and the dominator in words."""
    exact = exact_payoffs(game)
    i, s = step.player, step.strategy
    others = alive[1 - i]
    names = game.strategies[i]
    other_names = [game.strategies[1 - i][t] for t in others]
    dominated = [_payoff(exact, i, s, t) for t in others]
    mix = _exact_mix(exact, i, s, others, step.dominator, weak)
    values = [sum(p * _payoff(exact, i, k, t) for k, p in mix.items()) for t in others]
    gains = [v - d for v, d in zip(values, dominated)]
    if weak:
        ok = all(g >= 0 for g in gains) and any(g > 0 for g in gains)
    else:
        ok = all(g > 0 for g in gains)
    if not ok:
        raise KeyMismatch(f"{names[s]} is not dominated by {mix} in exact arithmetic")
    word = "weakly" if weak else "strictly"
    against = f"Against {poss(game.player_names[1 - i])} remaining {and_join(other_names)}"
    if len(mix) == 1:
        (k,) = mix
        by = names[k]
        text = (
            f"{against}, {poss(game.player_names[i])} {names[k]} gives {', '.join(fmt(v) for v in values)} "
            f"and {names[s]} gives {', '.join(fmt(d) for d in dominated)}: {names[s]} is {word} "
            f"dominated by {names[k]}."
        )
    else:
        by = "the mix " + ", ".join(f"{names[k]} {fmt(p)}" for k, p in sorted(mix.items()))
        sums = []
        for t, v in zip(others, values):
            terms = " + ".join(
                f"{fmt(p)}\u00b7{fmt(_payoff(exact, i, k, t))}" for k, p in sorted(mix.items())
            )
            sums.append(f"{terms} = {fmt(v)}")
        text = (
            f"No single strategy beats {names[s]}, but {by} does. {against}, the mix gives "
            f"{'; '.join(sums)}, against {names[s]}'s {', '.join(fmt(d) for d in dominated)}: "
            f"{names[s]} is {word} dominated by {by}."
        )
    return text, by


def _exact_mix(
    exact, i: int, s: int, others: list[int], dominator: dict[int, float], weak: bool
) -> dict[int, Fraction]:
    if len(dominator) == 1:
        return {next(iter(dominator)): Fraction(1)}
    if len(dominator) == 2:
        k1, k2 = sorted(dominator)
        # weight p on k1: p*(a1 - a2) >= (or >) c - a2 for every remaining strategy of the other
        low, high = Fraction(0), Fraction(1)
        low_open = high_open = False
        for t in others:
            a1, a2, c = (_payoff(exact, i, k, t) for k in (k1, k2, s))
            slope, need = a1 - a2, c - a2
            if slope > 0:
                bound = need / slope
                if bound > low or (bound == low and not weak):
                    low, low_open = bound, not weak
            elif slope < 0:
                bound = need / slope
                if bound < high or (bound == high and not weak):
                    high, high_open = bound, not weak
            elif need > 0 or (need == 0 and not weak):
                raise KeyMismatch("the engine's mixed dominator does not dominate")
        if low < high:
            p = simplest_between(low, high)
        elif low == high and not low_open and not high_open:
            p = low
        else:
            raise KeyMismatch("the engine's mixed dominator does not dominate")
        return {k: w for k, w in ((k1, p), (k2, 1 - p)) if w != 0}
    mix = {k: Fraction(p).limit_denominator(1000) for k, p in dominator.items()}
    total = sum(mix.values())
    return {k: p / total for k, p in mix.items()}


def elimination(game: Game, weak: bool) -> tuple[list[str], list[dict], list[list[int]]]:
    """Worked steps, the removals as plain data, and what survives; the engine's trace checked."""
    result = iterated_elimination(game, weak=weak)
    alive = [list(range(m)) for m in game.shape]
    steps: list[str] = []
    removed: list[dict] = []
    for round_, group in groupby(result.steps, key=lambda st: st.round):
        group = list(group)
        steps.append(f"Round {round_}:")
        for step in group:
            text, by = _explain(game, step, alive, weak)
            steps.append(text)
            removed.append(
                {
                    "player": game.players[step.player],
                    "strategy": game.strategies[step.player][step.strategy],
                    "round": round_,
                    "by": by,
                }
            )
        for step in group:
            alive[step.player].remove(step.strategy)
        steps.append(
            "Left: "
            + "; ".join(
                f"{game.player_names[i]} {', '.join(game.strategies[i][k] for k in alive[i])}"
                for i in range(2)
            )
            + "."
        )
    if [tuple(a) for a in alive] != [tuple(s) for s in result.surviving]:
        raise KeyMismatch("the elimination trace does not end where the engine says")
    _check_nothing_left(game, alive, weak)
    return steps, removed, alive


def _check_nothing_left(game: Game, alive: list[list[int]], weak: bool) -> None:
    """No surviving strategy is dominated by a surviving pure strategy (exact)."""
    exact = exact_payoffs(game)
    for i in range(2):
        for s in alive[i]:
            for k in alive[i]:
                if k == s:
                    continue
                gains = [_payoff(exact, i, k, t) - _payoff(exact, i, s, t) for t in alive[1 - i]]
                if (
                    (all(g >= 0 for g in gains) and any(g > 0 for g in gains))
                    if weak
                    else all(g > 0 for g in gains)
                ):
                    raise KeyMismatch(
                        f"{game.strategies[i][s]} survives but is dominated by {game.strategies[i][k]}"
                    )


def weak_outcomes(game: Game) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every game that removing weakly dominated strategies (by pure ones) one at a time can leave.

    Used for the caveat: more than one outcome means the order matters in this game.
    """
    exact = exact_payoffs(game)

    @cache
    def finish(alive: tuple[tuple[int, ...], tuple[int, ...]]) -> frozenset:
        outcomes = set()
        for i in range(2):
            for s in alive[i]:
                for k in alive[i]:
                    if k == s:
                        continue
                    gains = [_payoff(exact, i, k, t) - _payoff(exact, i, s, t) for t in alive[1 - i]]
                    if all(g >= 0 for g in gains) and any(g > 0 for g in gains):
                        nxt = list(alive)
                        nxt[i] = tuple(x for x in alive[i] if x != s)
                        outcomes |= finish(tuple(nxt))
                        break
        return frozenset(outcomes) if outcomes else frozenset({alive})

    return set(finish(tuple(tuple(range(m)) for m in game.shape)))


def _surviving_text(game: Game, alive) -> str:
    return "; ".join(
        f"{game.player_names[i]}: {', '.join(game.strategies[i][k] for k in alive[i])}" for i in range(2)
    )


def build(setup: Setup, *, weak: bool = False) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    steps, removed, alive = elimination(game, weak)
    if not removed:
        steps.append(
            "No strategy is " + ("weakly" if weak else "strictly") + " dominated: nothing can be removed."
        )
    word = "weakly" if weak else "strictly"
    solved = all(len(a) == 1 for a in alive)
    steps.append(
        f"Nothing else is {word} dominated. Surviving: {_surviving_text(game, alive)}."
        + (" One strategy per player is left: the game is dominance-solvable." if solved else "")
    )
    note = ""
    if weak:
        outcomes = weak_outcomes(game)
        alternatives = [o for o in outcomes if [list(a) for a in o] != alive]
        if alternatives:
            other = sorted(alternatives)[0]
            note = (
                "Caveat: with weak dominance the order of removal matters. Removing one weakly "
                "dominated strategy at a time in another order can leave "
                f"{_surviving_text(game, other)}. Weak elimination can also remove Nash equilibria."
            )
        else:
            note = (
                "Caveat: in this game every order of removing weakly dominated strategies (by pure "
                "strategies, one at a time) leaves the same strategies, but in general the order "
                "matters, and weak elimination can remove Nash equilibria."
            )
        steps.append(note)
    question = (
        f"Eliminate {word} dominated strategies (dominated by a pure strategy or by a mix of "
        "strategies), round by round, until none is left. Which strategies survive for each player?"
    )
    if weak:
        question += (
            " In each round, remove every weakly dominated strategy of both players at the "
            "same time, then look again."
        )
    answer = {game.players[i]: [game.strategies[i][k] for k in alive[i]] for i in range(2)}
    involved = sorted({(i, k) for i in range(2) for k in alive[i]})
    return make_exercise(
        setup, WEAK if weak else STRICT, TITLES[WEAK if weak else STRICT], example,
        question=question,
        game=game,
        answer=answer,
        answer_text=f"Surviving: {_surviving_text(game, alive)}.",
        solution=tuple(steps),
        context=quotes(setup, involved),
        note=note,
        grading={"eliminated": removed},
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example whose strategy sets survive in none of ``others``."""
    game = exercise.game
    data = {}
    for i in range(2):
        taken = [frozenset(s.lower() for s in ex.answer.get(game.players[i], ())) for ex in others]
        chosen = free_set(game.strategies[i], taken)
        data[game.players[i]] = chosen if chosen is not None else [
            placeholder(f"{poss(game.player_names[i])} strategies")]
    return f"the surviving strategies of each player; e.g. {notation(data)}"


def build_weak(setup: Setup) -> Exercise:
    return build(setup, weak=True)


#: Eliminations of this many rounds or more count as the same shape of exercise: each needs the
#: table read again and again, and requiring the exact count would leave most scenarios a
#: single answer for every student (a five-round elimination has few neighbours that take
#: five rounds too).
MANY_ROUNDS = 3


def signature(exercise: Exercise) -> tuple:
    removed = exercise.grading["eliminated"]
    rounds = max((r["round"] for r in removed), default=0)
    mixed = any(r["by"].startswith("the mix") for r in removed)
    return (exercise.game.shape, min(rounds, MANY_ROUNDS), tuple(len(v) for v in exercise.answer.values()),
            mixed)


def quick_signature(game: Game, *, weak: bool = False) -> tuple:
    """:func:`signature` from an elimination by pure dominators only: cheap (no linear
    programmes), and equal to the real one whenever no mixed dominator is needed. Used to skip
    variant candidates early."""
    result = iterated_elimination(game, weak=weak, mixed=False)
    rounds = max((st.round for st in result.steps), default=0)
    return (game.shape, min(rounds, MANY_ROUNDS), tuple(len(s) for s in result.surviving), False)


def quick_signature_weak(game: Game) -> tuple:
    return quick_signature(game, weak=True)


def grade(game: Game, answer: Any, grading: dict, raw: object, *, weak: bool = False) -> Grade:
    word = "weakly" if weak else "strictly"
    if not isinstance(raw, dict):
        raise AnswerError(
            "expected the surviving strategies of each player, e.g. "
            "{" + ", ".join(f"{p}: [...]" for p in game.players) + "}"
        )
    given: dict[int, set[int]] = {}
    for key, value in raw.items():
        i = parse_player(game, key, (key,))
        given[i] = parse_strategy_list(game, i, value, (key,))
    for i in range(2):
        if i not in given:
            raise AnswerError(f"no surviving strategies given for {game.players[i]}")
    true = {i: {game.strategy_index(i, s) for s in answer[game.players[i]]} for i in range(2)}
    removal = {(r["player"], r["strategy"]): r for r in grading.get("eliminated", [])}
    feedback, mistakes = [], []
    right = 0
    for i in range(2):
        if given[i] == true[i]:
            right += 1
            continue
        for k in sorted(given[i] - true[i]):
            r = removal[(game.players[i], game.strategies[i][k])]
            feedback.append(
                f"{poss(game.player_names[i])} {game.strategies[i][k]} should go: it is {word} dominated by "
                f"{r['by']} (round {r['round']})."
            )
            mistakes.append(
                "kept a strategy dominated by a mix"
                if r["by"].startswith("the mix")
                else "kept a dominated strategy"
            )
        for k in sorted(true[i] - given[i]):
            feedback.append(
                f"{poss(game.player_names[i])} {game.strategies[i][k]} survives: once the dominated "
                f"strategies are gone, no strategy (or mix) {word} dominates it."
            )
            mistakes.append("removed a strategy that survives")
    score = Fraction(right, 2)
    if right == 2:
        feedback.insert(0, "Correct: " + _surviving_text(game, [sorted(true[0]), sorted(true[1])]) + ".")
    return Grade(score, feedback, mistakes)


def grade_weak(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    return grade(game, answer, grading, raw, weak=True)


def answer_key(exercise: Exercise) -> tuple[frozenset[str], ...]:
    """Each player's surviving strategies as a set."""
    return tuple(frozenset(s.lower() for s in exercise.answer[p]) for p in exercise.game.players)
