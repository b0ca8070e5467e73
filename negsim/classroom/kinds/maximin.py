"""Maximin: what each player can guarantee, with a pure strategy and (for two strategies) a mix.

The engine computes security strategies by linear programming in floats. A worked solution
needs exact numbers, so for a player with two strategies the security mix is found here from
the lower envelope of the lines ``p * u(first, t) + (1 - p) * u(second, t)``, one per strategy
``t`` of the other player: the envelope's highest point is at ``p = 0``, ``p = 1`` or where two
lines cross, so checking those candidates exactly finds it. Players with three or more
strategies are asked only for their pure maximin strategy. Both results are checked against
the engine's :func:`negsim.solve.welfare.maximin`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from negsim.classroom.answers import (
    AnswerError,
    Grade,
    close_enough,
    number,
    parse_mix,
    parse_player,
    parse_strategy_list,
)
from negsim.classroom.calc import KeyMismatch, exact_game, exact_payoffs, fmt, fmt_linear
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    and_join,
    check_two_players,
    make_exercise,
    poss,
    quotes,
)
from negsim.classroom.kinds.examples import MIXES, fraction, free_set, notation, placeholder
from negsim.game import Game
from negsim.numbers import plain_fraction
from negsim.solve.welfare import maximin as engine_maximin

NAME = "maximin"
TITLE = "Maximin strategies and security levels"

_ENGINE_TOLERANCE = 1e-7


def _table(game: Game, player: int) -> list[list[Fraction]]:
    """``table[own][other]``: the player's payoffs by own strategy and the other's strategy."""
    exact = exact_payoffs(game)
    rows, cols = game.shape
    if player == 0:
        return [[exact[0, r, c] for c in range(cols)] for r in range(rows)]
    return [[exact[1, r, c] for r in range(rows)] for c in range(cols)]


def pure_maximin(game: Game, player: int) -> tuple[list[int], Fraction, list[Fraction]]:
    table = _table(game, player)
    worst = [min(row) for row in table]
    level = max(worst)
    return [k for k, w in enumerate(worst) if w == level], level, worst


def security_mix(game: Game, player: int) -> tuple[Fraction, Fraction, Fraction, list[str]]:
    """For a player with two strategies: the weights ``(low, high)`` on the first strategy that
    reach the security level, the level, and the worked steps. ``low == high`` when unique."""
    table = _table(game, player)
    names = game.strategies[player]
    other = game.strategies[1 - player]
    lines = [(table[1][t], table[0][t] - table[1][t]) for t in range(len(other))]  # c + s*p
    steps = [
        f"Let p be the probability that {game.player_names[player]} plays {names[0]} (and {names[1]} "
        f"with 1 \u2212 p). Against each strategy of {game.player_names[1 - player]} the expected "
        "payoff is a line in p:"
    ]
    for t, (c, s) in enumerate(lines):
        steps.append(
            f"against {other[t]}: {fmt(table[0][t])}p + {fmt(table[1][t])}(1 \u2212 p) = "
            f"{fmt_linear(c, s, 'p')}."
        )
    candidates = {Fraction(0), Fraction(1)}
    for a in range(len(lines)):
        for b in range(a + 1, len(lines)):
            (c1, s1), (c2, s2) = lines[a], lines[b]
            if s1 != s2:
                x = (c2 - c1) / (s1 - s2)
                if 0 < x < 1:
                    candidates.add(x)

    def envelope(p: Fraction) -> Fraction:
        return min(c + s * p for c, s in lines)

    values = {p: envelope(p) for p in candidates}
    level = max(values.values())
    best = sorted(p for p, v in values.items() if v == level)
    low, high = best[0], best[-1]
    steps.append(
        "The guaranteed payoff is the lowest of these lines (the lower envelope); its highest point is "
        "at p = 0, p = 1 or where two lines cross. Candidates: "
        + ", ".join(f"p = {fmt(p)} gives {fmt(values[p])}" for p in sorted(candidates))
        + "."
    )
    if low == high:
        steps.append(
            f"The best is p = {fmt(low)}: {game.player_names[player]} plays {names[0]} {fmt(low)}, "
            f"{names[1]} {fmt(1 - low)} and guarantees {fmt(level)} whatever the other does."
        )
    else:
        steps.append(
            f"The envelope is flat at its top: every p from {fmt(low)} to {fmt(high)} "
            f"guarantees {fmt(level)}."
        )
    return low, high, level, steps


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    engine = engine_maximin(game)
    ask_mixed = setup.difficulty != "easy"
    steps: list[str] = []
    answer: dict[str, dict] = {}
    grading: dict[str, dict] = {}
    texts = []
    for i in range(2):
        pure, level, worst = pure_maximin(game, i)
        if (
            tuple(pure) != tuple(engine[i].pure)
            or abs(float(level) - engine[i].pure_level) > _ENGINE_TOLERANCE
        ):
            raise KeyMismatch(f"pure maximin of player {i}: exact {pure} {level}, engine {engine[i]}")
        names = game.strategies[i]
        steps.append(
            f"{poss(game.player_names[i])} worst payoff with each strategy: "
            + ", ".join(f"{names[k]} {fmt(w)}" for k, w in enumerate(worst))
            + f". The best of these worst cases is {fmt(level)}, with {and_join([names[k] for k in pure])}: "
            f"{poss(game.player_names[i])} pure maximin strateg{'y' if len(pure) == 1 else 'ies'}, "
            f"guaranteeing {fmt(level)}."
        )
        entry: dict[str, Any] = {"pure": [names[k] for k in pure], "value": plain_fraction(level)}
        chosen = and_join([names[k] for k in pure])
        text = f"{game.player_names[i]}: pure maximin {chosen}, guarantee {fmt(level)}"
        if ask_mixed and game.shape[i] == 2:
            low, high, mixed_level, mix_steps = security_mix(game, i)
            if abs(float(mixed_level) - engine[i].level) > _ENGINE_TOLERANCE * max(1.0, abs(engine[i].level)):
                raise KeyMismatch(
                    f"security level of player {i}: exact {mixed_level}, engine {engine[i].level}"
                )
            steps.extend(mix_steps)
            entry["mix"] = {names[0]: plain_fraction(low), names[1]: plain_fraction(1 - low)}
            entry["level"] = plain_fraction(mixed_level)
            grading[game.players[i]] = {"low": plain_fraction(low), "high": plain_fraction(high)}
            if low == high:
                text += (f"; security mix {names[0]} {fmt(low)}, {names[1]} {fmt(1 - low)}, "
                         f"level {fmt(mixed_level)}")
            else:
                text += (
                    f"; security mix: any weight from {fmt(low)} to {fmt(high)} on {names[0]}, "
                    f"level {fmt(mixed_level)}"
                )
        answer[game.players[i]] = entry
        texts.append(text)
    mixed_players = [game.player_names[i] for i in range(2) if "mix" in answer[game.players[i]]]
    question = (
        "For each player, find the pure maximin strategy (the one whose worst outcome is best) "
        "and the payoff it guarantees."
    )
    if mixed_players:
        question += (
            f" For {and_join(mixed_players)}, also find the mixed strategy that guarantees the "
            "most whatever the other player does (the security strategy), and that security level."
        )
    return make_exercise(
        setup, NAME, TITLE, example,
        question=question,
        game=game,
        answer=answer,
        answer_text="; ".join(texts) + ".",
        solution=tuple(steps),
        context=quotes(
            setup, [(i, game.strategy_index(i, s)) for i in range(2) for s in answer[game.players[i]]["pure"]]
        ),
        grading={"mix_range": grading},
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example in which no part (a pure maximin strategy, a
    guarantee, a security mix or level) is right for any of ``others``."""
    game = exercise.game
    data: dict[str, dict[str, Any]] = {}
    for i, player in enumerate(game.players):
        entries = [ex.answer[player] for ex in others if player in ex.answer]
        pure = free_set(game.strategies[i], [frozenset(s.lower() for s in e["pure"]) for e in entries])
        numbers = [fraction(e[k]) for e in entries for k in ("value", "level") if k in e]
        entry: dict[str, Any] = {
            "pure": (pure[0] if len(pure) == 1 else pure) if pure is not None
            else placeholder(f"{poss(game.player_names[i])} strategy"),
            "value": _free_payoff(numbers),
        }
        if "mix" in exercise.answer.get(player, {}):
            names = game.strategies[i]
            # Each window is the range of weights on the first strategy of that exercise's mix.
            windows = [
                (next(iter(ex.answer[player]["mix"])).lower(), fraction(w["low"]), fraction(w["high"]))
                for ex in others
                if "mix" in ex.answer.get(player, {})
                and (w := ex.grading.get("mix_range", {}).get(player)) is not None
            ]
            weight = next((w for w in MIXES if not _inside(w, names[0], windows)), None)
            entry["mix"] = (
                {names[0]: weight, names[1]: 1 - weight} if weight is not None
                else placeholder(f"{poss(game.player_names[i])} mix")
            )
            # A security level is at least the pure guarantee: the example keeps to that.
            entry["level"] = next(entry["value"] + step for step in (Fraction(k, 3) for k in range(1, 100))
                                  if entry["value"] + step not in numbers)
        data[player] = entry
    return f"for each player, {_WHAT}; e.g. {notation(data)}"


_WHAT = ("the pure maximin strategy and the payoff it guarantees (and, where asked, the security mix "
         "and level)")


def _inside(weight: Fraction, first: str, windows: Sequence[tuple[str, Fraction, Fraction]]) -> bool:
    """Is ``weight`` on strategy ``first`` a right security mix for one of the ``windows``
    (each the range of weights on its own first strategy)?"""
    return any(lo <= (weight if own == first.lower() else 1 - weight) <= hi for own, lo, hi in windows)


def _free_payoff(taken: Sequence[Fraction]) -> Fraction:
    """A round payoff that is none of ``taken``: small whole numbers first, then halves."""
    for value in (Fraction(2), Fraction(-1), Fraction(3), Fraction(7, 3), Fraction(-5, 2), Fraction(11, 4)):
        if value not in taken:
            return value
    return max(taken) + Fraction(1, 7)




def signature(exercise: Exercise) -> tuple:
    entries = exercise.answer.values()
    return (exercise.game.shape, tuple(len(e["pure"]) for e in entries), tuple("mix" in e for e in entries))


def grade(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    if not isinstance(raw, dict):
        raise AnswerError(
            "expected one entry per player, e.g. {"
            + ", ".join(f"{p}: {{pure: ..., value: ...}}" for p in game.players)
            + "}"
        )
    given: dict[int, dict] = {}
    for key, value in raw.items():
        i = parse_player(game, key, (key,))
        if not isinstance(value, dict):
            raise AnswerError(
                "expected a mapping with pure and value (and mix and level where asked)", (key,)
            )
        given[i] = value
    parts = right = 0
    feedback, mistakes = [], []
    for i in range(2):
        player = game.players[i]
        key = answer[player]
        mine = given.get(i, {})
        path = (next((k for k in raw if str(k).lower() == player.lower()), player),)
        names = game.strategies[i]
        # pure maximin strategies and their guarantee
        parts += 2
        true_pure = {game.strategy_index(i, s) for s in key["pure"]}
        if "pure" in mine:
            chosen = parse_strategy_list(game, i, mine["pure"], (*path, "pure"))
            if chosen == true_pure:
                right += 1
            else:
                feedback.append(_pure_feedback(game, i, chosen, true_pure))
                mistakes.append(_pure_mistake(game, i, chosen))
        else:
            feedback.append(f"No pure maximin strategy given for {game.player_names[i]}.")
            mistakes.append("left out a pure maximin strategy")
        true_value = number(key["value"])
        if "value" in mine:
            value = number(mine["value"], (*path, "value"))
            if close_enough(value, true_value, mine["value"]):
                right += 1
            else:
                feedback.append(
                    f"{poss(game.player_names[i])} guaranteed payoff with a pure strategy is "
                    f"{fmt(true_value)}, "
                    f"not {fmt(value)}."
                )
                mistakes.append("wrong guaranteed payoff")
        else:
            feedback.append(f"No guaranteed payoff given for {game.player_names[i]}.")
            mistakes.append("left out a guaranteed payoff")
        if "mix" not in key:
            continue
        parts += 2
        window = grading.get("mix_range", {}).get(player)
        low, high = number(window["low"]), number(window["high"])
        if "mix" in mine:
            probs, written = parse_mix(game, i, mine["mix"], (*path, "mix"))
            p = probs[0]
            inside = low <= p <= high or close_enough(p, low, written[0]) or close_enough(p, high, written[0])
            if inside:
                right += 1
            else:
                wanted = (
                    f"{names[0]} {fmt(low)}, {names[1]} {fmt(1 - low)}"
                    if low == high
                    else f"any weight from {fmt(low)} to {fmt(high)} on {names[0]}"
                )
                feedback.append(
                    f"{poss(game.player_names[i])} security mix is {wanted} (the top of the lower envelope), "
                    f"not {names[0]} {fmt(p)}, {names[1]} {fmt(1 - p)}."
                )
                mistakes.append("wrong security mix")
        else:
            feedback.append(f"No security mix given for {game.player_names[i]}.")
            mistakes.append("left out the security mix")
        true_level = number(key["level"])
        if "level" in mine:
            level = number(mine["level"], (*path, "level"))
            if close_enough(level, true_level, mine["level"]):
                right += 1
            else:
                feedback.append(
                    f"{poss(game.player_names[i])} security level is {fmt(true_level)}, not {fmt(level)}."
                )
                mistakes.append("wrong security level")
        else:
            feedback.append(f"No security level given for {game.player_names[i]}.")
            mistakes.append("left out the security level")
    score = Fraction(right, parts)
    if score == 1:
        feedback.insert(0, "Correct.")
    return Grade(score, feedback, mistakes)


def _pure_feedback(game: Game, i: int, chosen: set[int], true: set[int]) -> str:
    _, level, worst = pure_maximin(game, i)
    names = game.strategies[i]
    return (
        f"{poss(game.player_names[i])} worst payoffs are "
        + ", ".join(f"{names[k]} {fmt(w)}" for k, w in enumerate(worst))
        + f": the pure maximin strateg{'y is' if len(true) == 1 else 'ies are'} "
        f"{and_join([names[k] for k in sorted(true)])}, not {and_join([names[k] for k in sorted(chosen)])}."
    )


def _pure_mistake(game: Game, i: int, chosen: set[int]) -> str:
    table = _table(game, i)
    best = [max(row) for row in table]
    top = max(best)
    if chosen == {k for k, b in enumerate(best) if b == top}:
        return "picked the best best case (maximax) instead of the best worst case"
    return "wrong pure maximin strategy"


def answer_key(exercise: Exercise) -> tuple:
    """Each player's pure maximin strategies (a set), guarantee, and security mix and level."""
    key = []
    for player in exercise.game.players:
        entry = exercise.answer[player]
        key.append((
            frozenset(s.lower() for s in entry["pure"]),
            fraction(entry["value"]),
            frozenset((s.lower(), fraction(p)) for s, p in entry.get("mix", {}).items()),
            fraction(entry["level"]) if "level" in entry else None,
        ))
    return tuple(key)
