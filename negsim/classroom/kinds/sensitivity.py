"""Sensitivity: for which values of a parameter is a profile an equilibrium?

The payoffs of a scenario are linear in each single parameter (the others held fixed); this is
checked exactly before a question is asked. A profile is an equilibrium when no player gains
by switching, and each such condition is a linear inequality in the parameter, so the answer
is an interval whose ends are the profile's tipping points: where one player starts to prefer
another strategy. Ends and conditions are computed in fractions and checked against the
engine on both sides of each end (and against the sweep's tipping points in the tests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.classroom.answers import AnswerError, Grade, close_enough, number
from negsim.classroom.calc import KeyMismatch, exact_game, fmt, fmt_linear
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds.common import (
    check_two_players,
    make_exercise,
    poss,
    profile_text,
    quotes,
)
from negsim.classroom.kinds.examples import fraction, free_number, notation, placeholder
from negsim.game import Game, ParametricGame
from negsim.numbers import plain_fraction
from negsim.solve import solve
from negsim.solve.exact import as_fraction

NAME = "sensitivity"
TITLE = "Sensitivity: where an equilibrium holds"
SYMBOL = "x"


def linear_payoffs(
    parametric: ParametricGame, values: Mapping[str, float], name: str
) -> tuple[np.ndarray, np.ndarray]:
    """``(constant, slope)``, object arrays of fractions: payoffs = constant + slope * x.

    Raises :class:`KeyMismatch` when the payoffs are not linear in ``name``.
    """
    at = float(values[name])
    points = {k: [v, v, v] for k, v in values.items()}
    points[name] = [at, at + 1.0, at + 2.0]
    payoffs = parametric.evaluate(points)
    exact = [np.vectorize(as_fraction, otypes=[object])(p) for p in payoffs]
    slope = exact[1] - exact[0]
    if not all(a == b for a, b in zip(np.ravel(exact[2] - exact[1]), np.ravel(slope))):
        raise KeyMismatch(f"the payoffs are not linear in {name}")
    start = as_fraction(at)
    return exact[0] - slope * start, slope


def _conditions(
    game: Game, constant: np.ndarray, slope: np.ndarray, profile: tuple[int, int]
) -> list[tuple[int, int, Fraction, Fraction]]:
    """For each player and each other strategy: (player, strategy, c, s) with the condition
    ``c + s*x >= 0`` (the profile's payoff minus the deviation's)."""
    found = []
    for i in range(2):
        for k in range(game.shape[i]):
            if k == profile[i]:
                continue
            moved = list(profile)
            moved[i] = k
            c = constant[(i, *profile)] - constant[(i, *moved)]
            s = slope[(i, *profile)] - slope[(i, *moved)]
            found.append((i, k, c, s))
    return found


def interval(conditions, low: Fraction, high: Fraction) -> tuple[Fraction, Fraction, dict] | None:
    """The values in [low, high] where every condition holds, and which condition ends it."""
    lo, hi = low, high
    binding: dict[str, tuple] = {}
    for cond in conditions:
        _, _, c, s = cond
        if s > 0:
            bound = -c / s
            if bound > lo:
                lo, binding["low"] = bound, cond
        elif s < 0:
            bound = -c / s
            if bound < hi:
                hi, binding["high"] = bound, cond
        elif c < 0:
            return None
    if lo > hi:
        return None
    return lo, hi, binding


def _expression(constant: Fraction, slope: Fraction) -> str:
    return fmt_linear(constant, slope, SYMBOL)


def _condition_text(game: Game, profile, cond, constant, slope) -> str:
    i, k, c, s = cond
    moved = list(profile)
    moved[i] = k
    mine = _expression(constant[(i, *profile)], slope[(i, *profile)])
    other = _expression(constant[(i, *moved)], slope[(i, *moved)])
    head = (
        f"{game.player_names[i]} stays with {game.strategies[i][profile[i]]} rather than switch to "
        f"{game.strategies[i][k]}: {mine} \u2265 {other}"
    )
    if s == 0:
        return head + (", always true." if c >= 0 else ", never true.")
    bound = -c / s
    sign = "\u2265" if s > 0 else "\u2264"
    return head + f", so {SYMBOL} {sign} {fmt(bound)}."


def table_rows(game: Game, constant: np.ndarray, slope: np.ndarray) -> tuple[tuple[str, ...], ...]:
    """The payoff table with each cell as a function of x."""
    header = [f"{game.player_names[0]} \\ {game.player_names[1]}"] + list(game.strategies[1])
    rows = [tuple(header)]
    for r in range(game.shape[0]):
        rows.append(
            (
                game.strategies[0][r],
                *(
                    f"{_expression(constant[0, r, c], slope[0, r, c])}; "
                    f"{_expression(constant[1, r, c], slope[1, r, c])}"
                    for c in range(game.shape[1])
                ),
            )
        )
    return tuple(rows)


def build(setup: Setup) -> Exercise:
    game = exact_game(setup.game)
    check_two_players(game)
    parametric = setup.parametric
    name = setup.focus["parameter"]
    profile = tuple(game.strategy_index(i, s) for i, s in enumerate(setup.focus["profile"]))
    low, high = (as_fraction(b) for b in setup.focus["range"])
    # The payoffs at the exercise's strategy order: evaluate, then follow the game's order.
    constant, slope = linear_payoffs(parametric, setup.values, name)
    rows = [parametric.strategies[0].index(s) for s in game.strategies[0]]
    cols = [parametric.strategies[1].index(s) for s in game.strategies[1]]
    constant, slope = constant[:, rows][:, :, cols], slope[:, rows][:, :, cols]
    conditions = _conditions(game, constant, slope, profile)
    found = interval(conditions, low, high)
    if found is None:
        raise KeyMismatch(f"{profile_text(game, profile)} is never an equilibrium for {name} in range")
    lo, hi, binding = found
    _check_with_engine(parametric, setup.values, name, game, profile, lo, hi, low, high)
    per_player = {}
    for i in range(2):
        own = interval([c for c in conditions if c[0] == i], low, high)
        per_player[game.players[i]] = [plain_fraction(own[0]), plain_fraction(own[1])] if own else None
    label = profile_text(game, profile)
    description = _description(setup, name)
    steps = [
        (f"Write {SYMBOL} for {name}{description}. " if name != SYMBOL else "")
        + f"The table gives every payoff as a function of {SYMBOL}.",
        f"{label} is an equilibrium when neither player gains by switching alone:",
        *(_condition_text(game, profile, cond, constant, slope) for cond in conditions),
    ]
    ends = []
    if "low" in binding:
        i, k = binding["low"][0], binding["low"][1]
        ends.append(
            f"below {SYMBOL} = {fmt(lo)}, {game.player_names[i]} would switch to {game.strategies[i][k]}"
        )
    if "high" in binding:
        i, k = binding["high"][0], binding["high"][1]
        ends.append(
            f"above {SYMBOL} = {fmt(hi)}, {game.player_names[i]} would switch to {game.strategies[i][k]}"
        )
    steps.append(
        f"All conditions hold together, within the range {fmt(low)} to {fmt(high)}, for "
        f"{fmt(lo)} \u2264 {SYMBOL} \u2264 {fmt(hi)}."
        + (" These are the tipping points: " + "; ".join(ends) + "." if ends else "")
    )
    if name == SYMBOL:  # a random game's own parameter
        naming, held = f"{SYMBOL} is a number that moves the payoffs as the table shows. ", ""
    else:
        naming = f"Write {SYMBOL} for {name}{description}. "
        held = "; the other parameters stay at this version's values"
    question = (
        f"{naming}For which values of {SYMBOL} between {fmt(low)} and {fmt(high)} is {label} a Nash "
        f"equilibrium? The table shows the payoffs as functions of {SYMBOL}{held}."
    )
    answer = [plain_fraction(lo), plain_fraction(hi)]
    return make_exercise(
        setup, NAME, TITLE, example, exclude=(name,),
        question=question,
        game=game,
        answer=answer,
        answer_text=f"{label} is an equilibrium for {fmt(lo)} \u2264 {SYMBOL} \u2264 {fmt(hi)}"
        + (f" ({name})." if name != SYMBOL else "."),
        solution=tuple(steps),
        context=quotes(setup, list(enumerate(profile))),
        grading={
            "parameter": name,
            "profile": [game.strategies[i][k] for i, k in enumerate(profile)],
            "range": [plain_fraction(low), plain_fraction(high)],
            "per_player": per_player,
            "binding": {
                side: {"player": game.players[c[0]], "strategy": game.strategies[c[0]][c[1]]}
                for side, c in binding.items()
            },
        },
        table=table_rows(game, constant, slope),
        table_caption=(
            f"Payoffs ({game.player_names[0]}; {game.player_names[1]}) as functions of {SYMBOL} "
            f"({name}); rows: {game.player_names[0]}, columns: {game.player_names[1]}."
            if name != SYMBOL else
            f"Payoffs ({game.player_names[0]}; {game.player_names[1]}) as functions of {SYMBOL}; "
            f"rows: {game.player_names[0]}, columns: {game.player_names[1]}."
        ),
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with an example interval neither end of which is an end of the
    answer of any of ``others``."""
    low, high = (fraction(v) for v in exercise.grading["range"])
    ends = [fraction(v) for ex in others for v in ex.answer]
    start = free_number(low, high, ends)
    stop = free_number(low, high, ends, not_below=start) if start is not None else None
    data: list[Any] = [start, stop] if start is not None and stop is not None else [
        placeholder("from"), placeholder("to")]
    return f"the interval as [from, to]; e.g. {notation(data)}"


def focus_for(
    parametric: ParametricGame, game: Game, values: Mapping[str, float], *, both_ends: bool = False
) -> dict | None:
    """The first pure equilibrium and parameter (in the game's order) whose interval has both
    tipping points inside the parameter's range, else the first with one; ``None`` if none."""
    one_end = None
    for e in solve(game, exact=True).pure:
        profile = e.pure_profile()
        for name in parametric.parameters:
            low, high = parametric.bounds.get(name, (None, None))
            if low is None or high is None or low >= high:
                continue
            try:
                constant, slope = linear_payoffs(parametric, values, name)
            except KeyMismatch:
                continue
            found = interval(_conditions(game, constant, slope, profile), as_fraction(low), as_fraction(high))
            if found is None:
                continue
            inside = (found[0] > as_fraction(low)) + (found[1] < as_fraction(high))
            focus = {
                "parameter": name,
                "profile": [game.strategies[i][k] for i, k in enumerate(profile)],
                "range": [low, high],
            }
            if inside == 2:
                return focus
            if inside == 1 and one_end is None:
                one_end = focus
    return None if both_ends else one_end


def _description(setup: Setup, name: str) -> str:
    scenario = setup.scenario
    parameter = scenario.parameters.get(name) if scenario is not None else None
    text = (parameter.description or "").strip() if parameter is not None else ""
    if not text:
        return ""
    first = text.split(". ")[0].rstrip(".")
    return f" ({first[0].lower() + first[1:]})"


def _check_with_engine(parametric, values, name, game, profile, lo, hi, low, high) -> None:
    """The profile is an equilibrium at both ends and in the middle, and not just outside."""
    order = (
        [parametric.strategies[0].index(s) for s in game.strategies[0]],
        [parametric.strategies[1].index(s) for s in game.strategies[1]],
    )
    target = (order[0][profile[0]], order[1][profile[1]])
    step = (high - low) / 1000

    def is_equilibrium(x: Fraction) -> bool:
        at = parametric.game({**values, name: float(x)})
        return any(e.pure_profile() == target for e in solve(at, exact=True).pure)

    for x in {lo, hi, (lo + hi) / 2}:
        if not is_equilibrium(x):
            raise KeyMismatch(f"the engine does not find {target} at {name} = {x}")
    if lo - step >= low and is_equilibrium(lo - step):
        raise KeyMismatch(f"the engine still finds {target} below {name} = {lo}")
    if hi + step <= high and is_equilibrium(hi + step):
        raise KeyMismatch(f"the engine still finds {target} above {name} = {hi}")




def signature(exercise: Exercise) -> tuple:
    low, high = (Fraction(str(v)) for v in exercise.grading["range"])
    lo, hi = (Fraction(str(v)) for v in exercise.answer)
    return (exercise.game.shape, lo > low, hi < high)


def grade(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    if not isinstance(raw, list) or len(raw) != 2:
        raise AnswerError("expected the interval as [from, to], e.g. [3, 7]")
    given = [number(raw[0], (0,)), number(raw[1], (1,))]
    true = [Fraction(str(v)) for v in answer]
    name = grading.get("parameter", SYMBOL)
    right = [close_enough(g, t, w) for g, t, w in zip(given, true, raw)]
    feedback, mistakes = [], []
    if all(right):
        return Grade(Fraction(1), [f"Correct: {fmt(true[0])} \u2264 {name} \u2264 {fmt(true[1])}."])
    binding = grading.get("binding", {})
    for side, index, word in (("low", 0, "lower"), ("high", 1, "upper")):
        if right[index]:
            continue
        cause = binding.get(side)
        if cause:
            player = game.player_names[game.player_index(cause["player"])]
            direction = "below" if side == "low" else "above"
            feedback.append(
                f"The {word} end is {fmt(true[index])}, not {fmt(given[index])}: {direction} it, "
                f"{player} would "
                f"switch to {cause['strategy']}."
            )
        else:
            feedback.append(
                f"The {word} end is {fmt(true[index])}, the end of {poss(name)} range: the profile is an "
                "equilibrium all the way there."
            )
        mistakes.append(f"wrong {word} end")
    for player, own in (grading.get("per_player") or {}).items():
        if own and [Fraction(str(v)) for v in own] == given and given != true:
            who = game.player_names[game.player_index(player)]
            feedback.append(
                f"Your interval is where {who} does not want to switch; the other player's "
                "conditions must hold too."
            )
            mistakes.append("checked only one player's incentives")
    return Grade(Fraction(sum(right), 2), feedback, mistakes)


def answer_key(exercise: Exercise) -> tuple[Fraction, ...]:
    """The interval's ends."""
    return tuple(fraction(v) for v in exercise.answer)
