"""The Nash bargaining solution: which agreement maximises the product of the gains over the
disagreement point.

The difficulty says what the players can agree on: ``easy`` pure outcomes only (compare the
products of the outcomes better for both), ``medium`` side payments (split the surplus of the
largest total equally), ``hard`` lotteries over outcomes (the best point of the frontier). The
key is computed here by hand-sized arithmetic in fractions (for lotteries, by trying every
segment between two outcomes) and checked against the engine's
:func:`negsim.bargaining.nash_solution`.

The disagreement point is the scenario's declared one when it is a profile or numbers (its
status quo, a fallback outcome, declared payoffs, or a unique pure equilibrium), otherwise each
side's pure security level.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from negsim.bargaining import bargaining_problem, given_point, nash_solution
from negsim.classroom.answers import AnswerError, Grade, close_enough, number, parse_player, parse_profile
from negsim.classroom.calc import KeyMismatch, exact_game, exact_payoffs, fmt
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    and_join,
    check_two_players,
    intro,
    poss,
    profile_text,
    quotes,
    setting,
)
from negsim.classroom.kinds.examples import MIXES, fraction, free, free_number, notation, placeholder
from negsim.classroom.kinds.family import search
from negsim.game import Game
from negsim.scenario.bargaining import DisagreementPoint
from negsim.scenario.expr import NameKey, Names, compile_expression
from negsim.solve import solve

NAME = "nash-bargaining"
TITLE = "Nash bargaining solution"
AGREEMENTS = {"easy": "pure", "medium": "transfers", "hard": "lotteries"}

Point = tuple[Fraction, Fraction]


def _payoff(game: Game, profile: Sequence[int]) -> Point:
    exact = exact_payoffs(game)
    return exact[(0, *profile)], exact[(1, *profile)]


def _pair(values: Sequence[Fraction]) -> str:
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def _p(value: Fraction) -> str:
    """A number inside a formula: negatives in parentheses."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def _plain(value: Fraction) -> str | int:
    return int(value) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def security_levels(game: Game) -> tuple[Point, list[str]]:
    """Each side's pure security level (the best of its worst cases), with the steps."""
    levels = []
    steps = []
    for i in range(2):
        worst = []
        for k in range(game.shape[i]):
            cells = [(k, c) if i == 0 else (c, k) for c in range(game.shape[1 - i])]
            worst.append(min(_payoff(game, cell)[i] for cell in cells))
        best = max(worst)
        levels.append(best)
        names = game.strategies[i]
        steps.append(f"{poss(game.player_names[i])} worst payoff with each strategy: "
                     + ", ".join(f"{names[k]} {fmt(w)}" for k, w in enumerate(worst))
                     + f"; the best of these, {fmt(best)}, is what it can guarantee.")
    return (levels[0], levels[1]), steps


def disagreement(setup: Setup, game: Game) -> tuple[Point, str, list[str]]:
    """The disagreement point, in words, and how it is found."""
    scenario = setup.scenario
    declared = getattr(scenario, "bargaining", None) if scenario is not None else None
    kind = declared.disagreement if declared is not None else "status-quo"
    status_quo = getattr(scenario, "status_quo", None) if scenario is not None else None
    profile = None
    if kind == "status-quo" and status_quo is not None:
        profile, words = status_quo, "the status quo"
    elif isinstance(kind, DisagreementPoint) and kind.outcome is not None:
        profile, words = kind.outcome, kind.description or "the fallback outcome"
    elif isinstance(kind, DisagreementPoint) and kind.payoffs is not None:
        names = Names(frozenset(setup.values), {})
        env: dict[NameKey, Any] = {k: float(v) for k, v in setup.values.items()}
        values = [float(compile_expression(kind.payoffs[p], names)(env)) for p in game.players]
        point = tuple(Fraction(v).limit_denominator(10**6) for v in values)
        words = kind.description or "the declared disagreement payoffs"
        return (point[0], point[1]), f"{words} {_pair(point)}", []
    elif kind == "equilibrium":
        pure = [e.pure_profile() for e in solve(game, exact=True).equilibria]
        if len(pure) == 1 and pure[0] is not None:
            point = _payoff(game, pure[0])
            return point, f"the game's only equilibrium {profile_text(game, pure[0])}, {_pair(point)}", []
    if profile is not None:
        ids = list(profile.values()) if isinstance(profile, dict) else list(profile)
        cell = tuple(game.strategy_index(i, s) for i, s in enumerate(ids))
        point = _payoff(game, cell)
        return point, f"{words} {profile_text(game, cell)}, {_pair(point)}", []
    point, steps = security_levels(game)
    return point, f"each side's pure security level {_pair(point)}", steps


def _improving(game: Game, d: Point) -> list[tuple[tuple[int, ...], Point]]:
    return [(p, _payoff(game, p)) for p in game.profiles()
            if all(u > di for u, di in zip(_payoff(game, p), d))]


def _product(point: Sequence[Fraction], d: Point) -> Fraction:
    return (point[0] - d[0]) * (point[1] - d[1])


def _best_on_segment(p: Point, q: Point, d: Point) -> tuple[Fraction, Point, Fraction] | None:
    """The point of segment p-q (a lottery: q with probability t) with the largest product of
    gains, both gains at least 0; ``None`` when no point of it gives both that."""
    a0, a1 = p[0] - d[0], p[1] - d[1]
    b0, b1 = q[0] - p[0], q[1] - p[1]
    candidates = {Fraction(0), Fraction(1)}
    if b0 * b1 != 0:
        t = -(a0 * b1 + a1 * b0) / (2 * b0 * b1)
        if 0 < t < 1:
            candidates.add(t)
    best = None
    for t in candidates:
        g0, g1 = a0 + t * b0, a1 + t * b1
        if g0 < 0 or g1 < 0:
            continue
        if best is None or g0 * g1 > best[0]:
            best = (g0 * g1, (p[0] + t * b0, p[1] + t * b1), t)
    return best


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    agreements = AGREEMENTS[setup.difficulty]
    d, d_words, steps = disagreement(setup, game)
    names = game.player_names
    improving = _improving(game, d)
    steps.append(f"The disagreement point is {d_words}: without a deal {names[0]} gets {fmt(d[0])} and "
                 f"{names[1]} {fmt(d[1])}. The Nash bargaining solution maximises the product of the gains "
                 f"(u − {_p(d[0])}) × (v − {_p(d[1])}).")
    if not improving and agreements == "pure":
        raise KeyMismatch("no outcome is better for both than the disagreement point")
    answer: dict[str, Any]
    grading: dict[str, Any] = {"agreements": agreements, "d": [_plain(v) for v in d]}
    if agreements == "pure":
        products = [(p, u, _product(u, d)) for p, u in improving]
        steps.append("Outcomes better for both: " + "; ".join(
            f"{profile_text(game, p)} {_pair(u)}, gains {fmt(u[0] - d[0])} and {fmt(u[1] - d[1])}, product "
            f"{fmt(x)}" for p, u, x in products) + ".")
        top = max(x for _, _, x in products)
        winners = [(p, u) for p, u, x in products if x == top]
        profile, point = winners[0]
        grading["accept"] = [list(game.strategies[i][k] for i, k in enumerate(p)) for p, _ in winners]
        steps.append(f"The largest product is {fmt(top)}: the Nash bargaining solution is "
                     f"{profile_text(game, profile)} with payoffs {_pair(point)}"
                     + (f" (tied with {', '.join(profile_text(game, p) for p, _ in winners[1:])})"
                        if len(winners) > 1 else "") + ".")
        answer = {"outcome": list(game.strategies[i][k] for i, k in enumerate(profile)),
                  "payoffs": {p: _plain(v) for p, v in zip(game.players, point)}}
        text = f"{profile_text(game, profile)}, payoffs {_pair(point)}"
        question = ("The players can agree on any one outcome of the game (no side payments, no lotteries). "
                    f"If they do not agree, the disagreement point is {d_words}. Which outcome does the Nash "
                    "bargaining solution pick, and what does each player get?")
    elif agreements == "transfers":
        totals = {p: sum(_payoff(game, p)) for p in game.profiles()}
        total = max(totals.values())
        tops = [p for p in game.profiles() if totals[p] == total]
        surplus = total - d[0] - d[1]
        if surplus <= 0:
            raise KeyMismatch("no surplus over the disagreement point")
        point = (d[0] + surplus / 2, d[1] + surplus / 2)
        base = _payoff(game, tops[0])
        pay = point[0] - base[0]
        payer, payee = (1, 0) if pay > 0 else (0, 1)
        steps.append(f"With side payments they should play the outcome with the largest total, "
                     f"{and_join([profile_text(game, p) for p in tops])} (total {fmt(total)}), and split "
                     f"it. The surplus over the disagreement point is {fmt(total)} − {_p(d[0])} − "
                     f"{_p(d[1])} = {fmt(surplus)}.")
        steps.append(f"The product of the gains is largest when they split the surplus equally: each gains "
                     f"{fmt(surplus / 2)}, so {names[0]} gets {fmt(point[0])} and {names[1]} {fmt(point[1])}"
                     + (f"; {names[payer]} pays {names[payee]} {fmt(abs(pay))} on top of "
                        f"{profile_text(game, tops[0])} {_pair(base)}." if pay else "."))
        steps.append(f"The Nash bargaining solution: {profile_text(game, tops[0])} with the side payment, "
                     f"payoffs {_pair(point)}.")
        grading["accept"] = [list(game.strategies[i][k] for i, k in enumerate(p)) for p in tops]
        answer = {"outcome": list(game.strategies[i][k] for i, k in enumerate(tops[0])),
                  "payoffs": {p: _plain(v) for p, v in zip(game.players, point)}}
        text = f"{profile_text(game, tops[0])} with a side payment, payoffs {_pair(point)}"
        question = ("The players can agree on an outcome and a side payment (payoffs are in one unit, "
                    f"transferable one for one). If they do not agree, the disagreement point is {d_words}. "
                    "Which outcome do they play under the Nash bargaining solution, and what does each get "
                    "once the side payment is made?")
    else:
        points = {p: _payoff(game, p) for p in game.profiles()}
        best: tuple[Fraction, Point, tuple[Any, ...], Fraction] | None = None
        for p, q in combinations(game.profiles(), 2):
            found = _best_on_segment(points[p], points[q], d)
            if found is not None and (best is None or found[0] > best[0]):
                best = (found[0], found[1], (p, q), found[2])
        for p in game.profiles():
            u = points[p]
            if u[0] >= d[0] and u[1] >= d[1] and (best is None or _product(u, d) > best[0]):
                best = (_product(u, d), u, (p, p), Fraction(0))
        if best is None or best[0] <= 0:
            raise KeyMismatch("no lottery is better for both than the disagreement point")
        top, point, (p, q), t = best
        if t in (0, 1):
            lottery = [(q if t == 1 else p, Fraction(1))]
        else:
            lottery = [(p, 1 - t), (q, t)]
        steps.append("With lotteries every point of the segment between two outcomes can be agreed on. "
                     "On the segment from P to Q, the gains are linear in the probability t of Q, so their "
                     "product is a parabola in t: its top is at t = 0, t = 1 or where its derivative is "
                     "zero.")
        if len(lottery) == 2:
            steps.append(f"The best segment runs from {profile_text(game, p)} {_pair(points[p])} to "
                         f"{profile_text(game, q)} {_pair(points[q])}: the product is largest at "
                         f"t = {fmt(t)}, the point {_pair(point)} (product {fmt(top)}).")
        else:
            steps.append(f"The product is largest at the outcome {profile_text(game, lottery[0][0])} itself, "
                         f"{_pair(point)} (product {fmt(top)}).")
        steps.append("The Nash bargaining solution: " + ", ".join(
            f"{profile_text(game, c)} with probability {fmt(w)}" for c, w in lottery)
            + f", payoffs {_pair(point)}.")
        answer = {"lottery": [{"outcome": list(game.strategies[i][k] for i, k in enumerate(c)),
                               "probability": _plain(w)} for c, w in lottery],
                  "payoffs": {pl: _plain(v) for pl, v in zip(game.players, point)}}
        text = (", ".join(f"{profile_text(game, c)} with probability {fmt(w)}" for c, w in lottery)
                + f", payoffs {_pair(point)}")
        question = ("The players can agree on an outcome or on a lottery over outcomes (drawing lots between "
                    f"them). If they do not agree, the disagreement point is {d_words}. Which agreement does "
                    "the Nash bargaining solution pick, and what does each player expect to get?")
    engine = nash_solution(bargaining_problem(game, given_point(d), agreements=agreements))
    if tuple(engine.payoffs) != tuple(point):
        raise KeyMismatch(f"Nash solution: by hand {point}, engine {engine.payoffs}")
    involved = sorted({(i, k) for c in game.profiles() for i, k in enumerate(c)
                       if list(game.strategies[j][c[j]] for j in range(2)) in grading.get("accept", [])})
    exercise = Exercise(
        kind=NAME, difficulty=setup.difficulty, title=TITLE, intro=intro(setup), setting=setting(setup),
        question=question, game=game, answer=answer, answer_text=f"Nash bargaining solution: {text}.",
        answer_format="", solution=tuple(steps), context=quotes(setup, involved), grading=grading,
    )
    return replace(exercise, answer_format=example(exercise, [exercise]))


def answer_key(exercise: Exercise) -> tuple[Any, ...]:
    """The payoffs, and the outcome played (lotteries: the payoffs say it all)."""
    answer = exercise.answer
    payoffs = tuple(fraction(answer["payoffs"][p]) for p in exercise.game.players)
    outcome = tuple(s.lower() for s in answer["outcome"]) if "outcome" in answer else None
    return payoffs, outcome


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example whose outcome (or lottery) and payoffs are no part
    of the answer of ``exercise`` or any of ``others``."""
    game = exercise.game
    taken = [answer_key(ex)[0] for ex in others]
    accepted = {tuple(s.lower() for s in c) for ex in others for c in ex.grading.get("accept", [])}
    values = [v for ex in others for v in answer_key(ex)[0]]
    low = min((_payoff(game, c)[i] for c in game.profiles() for i in range(2)), default=Fraction(0))
    high = max((_payoff(game, c)[i] for c in game.profiles() for i in range(2)), default=Fraction(1))
    first = free_number(low - 1, high + 1, values)
    second = free_number(low - 1, high + 1, [*values, first]) if first is not None else None
    payoffs: Any = placeholder("each player's payoff")
    if first is not None and second is not None:
        payoffs = {game.players[0]: first, game.players[1]: second}
    if exercise.grading["agreements"] == "lotteries":
        cells = game.profiles()
        lottery: Any = placeholder("a lottery")
        for p, q in combinations(cells, 2):
            u, v = _payoff(game, p), _payoff(game, q)
            w = next((w for w in MIXES
                      if (w * u[0] + (1 - w) * v[0], w * u[1] + (1 - w) * v[1]) not in taken), None)
            if w is not None:
                lottery = [{"outcome": _ids(game, p), "probability": w},
                           {"outcome": _ids(game, q), "probability": 1 - w}]
                break
        data: dict[str, Any] = {"lottery": lottery, "payoffs": payoffs}
    else:
        cell = free(game.profiles(), lambda c: tuple(s.lower() for s in _ids(game, c)) in accepted)
        outcome: Any = _ids(game, cell) if cell is not None else placeholder("an outcome")
        data = {"outcome": outcome, "payoffs": payoffs}
    what = {"pure": "the outcome and each player's payoff",
            "transfers": "the outcome played and each player's payoff after the side payment",
            "lotteries": "the lottery (outcomes and probabilities) and each player's expected payoff"}
    return f"{what[exercise.grading['agreements']]}; e.g. {notation(data)}"


def _ids(game: Game, cell: Sequence[int]) -> list[str]:
    return [game.strategies[i][k] for i, k in enumerate(cell)]


def random_exercise(difficulty: str, rng: random.Random,
                    signature_wanted: tuple[Any, ...] | None = None) -> Exercise:
    """An exercise on a random game of the family (with ``signature_wanted``, one equivalent
    to another student's)."""
    return search(NAME, build, signature, propose, accept, difficulty, rng, signature_wanted)


def signature(exercise: Exercise) -> tuple[Any, ...]:
    """Same shape of game, same kind of agreement, and as many outcomes better for both."""
    g = exercise.grading
    d = tuple(Fraction(str(v)) for v in g["d"])
    count = len(_improving(exercise.game, (d[0], d[1])))
    return (exercise.game.shape, g["agreements"], min(count, 3), "lottery" in exercise.answer
            and len(exercise.answer["lottery"]) == 2)


def _payoffs_given(game: Game, raw: Any, path: tuple[Any, ...]) -> tuple[Fraction, ...]:
    if not isinstance(raw, dict):
        raise AnswerError("expected payoffs as a mapping, e.g. {" + ", ".join(f"{p}: 3" for p in game.players)
                          + "}", path)
    values: dict[int, Fraction] = {}
    for key, value in raw.items():
        values[parse_player(game, key, (*path, key))] = number(value, (*path, key))
    missing = [game.players[i] for i in range(2) if i not in values]
    if missing:
        raise AnswerError(f"give the payoff of {', '.join(missing)}", path)
    return values[0], values[1]


def grade(game: Game, answer: Any, grading: dict[str, Any], raw: object) -> Grade:
    if not isinstance(raw, dict):
        raise AnswerError("expected a mapping with the agreement and payoffs")
    kind = grading["agreements"]
    d = tuple(number(v) for v in grading["d"])
    key_payoffs = tuple(number(answer["payoffs"][p]) for p in game.players)
    names = game.player_names
    feedback: list[str] = []
    mistakes: list[str] = []
    right = 0
    # the agreement: an outcome, or a lottery with the right expected payoffs
    if kind == "lotteries":
        lottery = raw.get("lottery")
        if lottery is None and "outcome" in raw:
            lottery = [{"outcome": raw["outcome"], "probability": 1}]
        if lottery is None:
            feedback.append("No agreement given: name the outcomes of the lottery and their probabilities.")
            mistakes.append("left out the agreement")
        else:
            if not isinstance(lottery, list):
                raise AnswerError("expected a list of {outcome: ..., probability: ...}", ("lottery",))
            total = Fraction(0)
            expected = [Fraction(0), Fraction(0)]
            for k, term in enumerate(lottery):
                if not isinstance(term, dict) or "outcome" not in term:
                    raise AnswerError("expected {outcome: [...], probability: ...}", ("lottery", k))
                cell = parse_profile(game, term["outcome"], ("lottery", k, "outcome"))
                p = number(term.get("probability", 1), ("lottery", k, "probability"), "a probability")
                total += p
                u = _payoff(game, cell)
                expected = [e + p * v for e, v in zip(expected, u)]
            if total != 1:
                feedback.append(f"The probabilities of the lottery add up to {fmt(total)}, not 1.")
                mistakes.append("probabilities that do not add up to 1")
            elif tuple(expected) == key_payoffs:
                right += 1
            else:
                feedback.append(f"Your lottery gives {_pair(expected)} on average; the Nash bargaining "
                                f"solution is {answer_text_of(game, answer)}.")
                mistakes.append("wrong lottery")
    else:
        accept = {tuple(game.strategy_index(i, s) for i, s in enumerate(c)) for c in grading["accept"]}
        if "outcome" not in raw:
            feedback.append("No outcome given.")
            mistakes.append("left out the outcome")
        else:
            cell = parse_profile(game, raw["outcome"], ("outcome",))
            u = _payoff(game, cell)
            if cell in accept:
                right += 1
            elif kind == "pure" and not all(a > b for a, b in zip(u, d)):
                worse = [names[i] for i in range(2) if u[i] <= d[i]]
                feedback.append(f"{profile_text(game, cell)} {_pair(u)} is not better than the "
                                f"disagreement point {_pair(d)} for {and_join(worse)}, who would rather not "
                                "agree.")
                mistakes.append("picked an outcome that is not better for both")
            elif kind == "pure":
                better = accept_first(game, grading)
                feedback.append(f"{profile_text(game, cell)} gives the product of gains "
                                f"{fmt(_product(u, (d[0], d[1])))}; {profile_text(game, better)} gives more.")
                largest = max(sum(_payoff(game, c)) for c in game.profiles())
                mistakes.append("wrong outcome" if sum(u) < largest
                                else "picked the largest total (utilitarian) instead of the largest product")
            else:
                feedback.append(f"With side payments they play an outcome with the largest total; "
                                f"{profile_text(game, cell)} has total {fmt(sum(u))}.")
                mistakes.append("did not maximise the total before splitting")
    if "payoffs" not in raw:
        feedback.append("No payoffs given.")
        mistakes.append("left out the payoffs")
    else:
        given = _payoffs_given(game, raw["payoffs"], ("payoffs",))
        written = [raw["payoffs"].get(p, raw["payoffs"].get(p.lower())) for p in game.players]
        if all(close_enough(g, k, w) for g, k, w in zip(given, key_payoffs, written)):
            right += 1
        else:
            feedback.append(f"The payoffs of the Nash bargaining solution are {_pair(key_payoffs)}, not "
                            f"{_pair(given)}.")
            if kind == "transfers" and sum(given) == sum(key_payoffs) and tuple(given) != key_payoffs:
                mistakes.append("split the total, not the surplus over the disagreement point, equally")
            else:
                mistakes.append("wrong payoffs")
    score = Fraction(right, 2)
    if score == 1:
        feedback.insert(0, "Correct.")
    return Grade(score, feedback, mistakes)


def accept_first(game: Game, grading: dict[str, Any]) -> tuple[int, ...]:
    return tuple(game.strategy_index(i, s) for i, s in enumerate(grading["accept"][0]))


def answer_text_of(game: Game, answer: dict[str, Any]) -> str:
    terms = ", ".join(f"({', '.join(t['outcome'])}) with probability {t['probability']}"
                      for t in answer["lottery"])
    return terms + f", payoffs {_pair([number(answer['payoffs'][p]) for p in game.players])}"


# -- random games ------------------------------------------------------------------------------------

_ROWS = {2: ("top", "bottom"), 3: ("top", "middle", "bottom")}


def small_game(a: Sequence[Sequence[int]], b: Sequence[Sequence[int]]) -> Game:
    """A game of integers with the classroom's labels (rows top/middle/bottom, columns left/right)."""
    exact = np.array([[[Fraction(v) for v in row] for row in m] for m in (a, b)], dtype=object)
    return Game(players=("row", "column"), strategies=(_ROWS[len(a)], ("left", "right")),
                payoffs=exact.astype(float), player_names=("Row", "Column"), exact_payoffs=exact)


def propose(rng: random.Random, difficulty: str) -> Setup | None:
    """A 2x2 or 3x2 game of small integers whose pure security levels leave something to
    bargain over (at least two outcomes better for both, for an easy question)."""
    rows = rng.choice((2, 3)) if difficulty != "easy" else 3
    low, high = (0, 6) if difficulty == "easy" else (-2, 8)
    a = [[rng.randint(low, high) for _ in range(2)] for _ in range(rows)]
    b = [[rng.randint(low, high) for _ in range(2)] for _ in range(rows)]
    game = small_game(a, b)
    d, _ = security_levels(game)
    if len(_improving(game, d)) < (2 if difficulty == "easy" else 1):
        return None
    return Setup(game, difficulty)


def accept(exercise: Exercise, difficulty: str) -> bool:
    """A unique answer; for lotteries, a proper lottery of two outcomes."""
    if difficulty == "hard":
        return len(exercise.answer["lottery"]) == 2
    return len(exercise.grading["accept"]) == 1


