"""Reading a sweep plot: which equilibria hold where, and where one stops.

The figure is negsim's own: a sweep of the scenario along one parameter (:mod:`negsim.sweep`,
run in a temporary folder) drawn by :func:`negsim.plot.sweep1d.draw_equilibria`, with its
tipping points marked. The answers come from the same sweep (its bands and tipping points)
and are checked against the engine: the equilibria at the value asked about are solved
exactly, and the outcome asked about must hold just before its tipping point and not just
after it.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

from negsim.classroom.answers import AnswerError, Grade, number
from negsim.classroom.calc import KeyMismatch, fmt
from negsim.classroom.exercises import Exercise, Figure, Setup
from negsim.classroom.kinds.common import and_join, make_exercise, poss, quotes
from negsim.classroom.kinds.examples import fraction, free_number, notation, placeholder
from negsim.errors import did_you_mean
from negsim.game import Game
from negsim.numbers import plain_fraction
from negsim.plot.runs import load_run
from negsim.plot.sweep1d import bands, draw_equilibria
from negsim.solve import solve
from negsim.solve.exact import as_fraction
from negsim.sweep import parse_sweep_spec, run_sweep

NAME = "sweep-plot"
TITLE = "Reading a sweep plot"

#: Grid points of the sweep behind the figure (tipping points are refined beyond the grid).
GRID_POINTS = 41
#: A value read off the plot counts as right within this share of the parameter's range.
READING_TOLERANCE = Fraction(1, 50)


def run_sweep_along(source: str, parameter: str, low: float, high: float, fixed: dict[str, float]):
    """A 1-D sweep in a temporary folder; returns the run read back as plot data.

    The same sweep is asked for twice when a student's variant is chosen (a draft, then the
    exercise itself), so recent sweeps are kept (a scenario file that changes on disk is swept
    again); callers only read the result.
    """
    try:
        stat = os.stat(source)
        version: tuple[int, int] = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, 0)  # a built-in scenario's id
    return _sweep_along(source, version, parameter, low, high, tuple(sorted(fixed.items())))


@functools.lru_cache(maxsize=32)
def _sweep_along(source: str, version: tuple[int, int], parameter: str, low: float, high: float,
                 fixed: tuple[tuple[str, float], ...]):
    spec = parse_sweep_spec(
        {
            "negsim_sweep": 1,
            "id": "worksheet",
            "title": f"Equilibria as {parameter} changes",
            "scenario": source,
            "set": dict(fixed),
            "grid": {parameter: {"start": low, "stop": high, "count": GRID_POINTS}},
        }
    )
    with tempfile.TemporaryDirectory(prefix="negsim-worksheet-") as folder:
        result = run_sweep(spec, runs_dir=folder)
        return load_run(result.folder)


def _outcome_key(text: str) -> tuple[tuple[str, ...], ...]:
    """``"store+limited / keep"`` -> ``(("limited", "store"), ("keep",))``: order-free."""
    return tuple(tuple(sorted(s.strip().lower() for s in part.split("+"))) for part in text.split("/"))


def _figure(data, parameter: str) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt


    # Bars labelled with the short names students write in their answers.
    figure = draw_equilibria(data, parameter, short_names=True)
    try:
        labels = tuple(t.get_text().replace("\n", " ") for t in figure.axes[0].get_yticklabels())
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80, metadata={"Software": None})
    finally:
        plt.close(figure)
    return Figure(
        "sweep",
        f"Equilibria of the game as {parameter} changes (a sweep with negsim). Each bar is one "
        "equilibrium, named by short names as in your answer: the players' strategies separated "
        "by /, a mixed strategy's strategies joined by +.",
        buffer.getvalue(),
        labels=tuple(reversed(labels)),
    )


def _engine_outcomes(parametric, values: dict, parameter: str, x: float) -> set[str]:
    game = parametric.game({**values, parameter: x})
    return {e.label(game) for e in solve(game, exact=True).equilibria}


def build(setup: Setup) -> Exercise:

    parameter = setup.focus["parameter"]
    low, high = (float(v) for v in setup.focus["range"])
    parametric = setup.parametric
    values = dict(setup.values)
    fixed = {k: v for k, v in values.items() if k != parameter and abs(v - parametric.defaults[k]) > 1e-12}
    data = run_sweep_along(setup.focus["source"], parameter, low, high, fixed)
    wide = [b for b in bands(data, parameter) if b.intervals]
    tipping = sorted({float(t["value"]) for t in data.tipping_points})
    if not wide or not tipping:
        raise KeyMismatch(f"the sweep along {parameter} has no tipping point")
    # (a) a value between tipping points where the most equilibria hold at once.
    edges = [low, *[t for t in tipping if low < t < high], high]
    best = None
    for a, b in zip(edges, edges[1:]):
        mid = (a + b) / 2
        held = [band.outcome for band in wide if any(s < mid < e for s, e in band.intervals)]
        if best is None or (len(held), b - a) > (len(best[1]), best[2]):
            best = (mid, held, b - a)
    mid, held, width = best
    # A value that is easy to find on the axis, well inside its interval (away from the lines).
    a, b = mid - width / 2, mid + width / 2
    x = next(
        v
        for v in (round(mid * 4) / 4, round(mid * 2) / 2, round(mid), round(mid, 2), mid)
        if a + width / 10 <= v <= b - width / 10
    )
    held = [band.outcome for band in wide if any(s < x < e for s, e in band.intervals)]
    engine = _engine_outcomes(parametric, values, parameter, x)
    if {_outcome_key(h) for h in held} != {_outcome_key(e) for e in engine}:
        raise KeyMismatch(f"at {parameter} = {x}: the sweep shows {held}, the engine finds {engine}")
    # (b) where an outcome that holds at this version's value stops (or, else, starts) holding.
    current = values[parameter]
    holding = {b.outcome for b in wide if any(lo <= current <= hi for lo, hi in b.intervals)}
    stops = [
        (float(t["value"]), gone)
        for t in data.tipping_points
        for gone in t.get("disappeared") or []
        if low < float(t["value"]) < high and any(b.outcome == gone for b in wide)
    ]
    starts = [
        (float(t["value"]), new)
        for t in data.tipping_points
        for new in t.get("appeared") or []
        if low < float(t["value"]) < high and any(b.outcome == new for b in wide)
    ]
    # Best: the first outcome that holds at this version's value to stop as the parameter rises.
    ahead = sorted((v, o) for v, o in stops if o in holding and v > current)
    question_b = None
    if ahead:
        question_b = ("stop", *ahead[0])
    elif stops:
        question_b = ("stop", *min(stops, key=lambda vo: abs(vo[0] - current)))
    elif starts:
        question_b = ("start", *min(starts, key=lambda vo: abs(vo[0] - current)))
    if question_b is None:
        raise KeyMismatch(f"no outcome starts or stops inside the range of {parameter}")
    verb, tipping_value, outcome = question_b
    step = (high - low) / 200
    before = _engine_outcomes(parametric, values, parameter, tipping_value - step)
    after = _engine_outcomes(parametric, values, parameter, tipping_value + step)
    holds_before = _outcome_key(outcome) in {_outcome_key(e) for e in before}
    holds_after = _outcome_key(outcome) in {_outcome_key(e) for e in after}
    if (holds_before, holds_after) != ((True, False) if verb == "stop" else (False, True)):
        raise KeyMismatch(f"the engine does not see {outcome} {verb} at {parameter} = {tipping_value}")
    figure = None if setup.focus.get("draft") else _figure(data, parameter)
    value_text = _number(tipping_value)
    x_text = _number(x)
    question = (
        f"The figure shows, for each value of {parameter} from {_number(low)} to {_number(high)}, which "
        f"equilibria the game has (one bar per equilibrium; several bars above one value mean several "
        f"equilibria), the other parameters held at this version's values. (a) Which equilibria are there "
        f"at {parameter} = {x_text}? (b) As {parameter} rises, at which value does {outcome} "
        f"{verb} being an equilibrium?"
    )
    game = setup.game
    rows = [("player", "strategy", "short name in the figure")] + [
        (game.player_names[i], game.strategy_names[i][k], game.strategies[i][k])
        for i in range(game.n_players)
        for k in range(game.shape[i])
    ]
    steps = [
        f"On the axis, find {parameter} = {x_text} and look straight up: the bars above it are "
        f"{and_join(held)}. So at {parameter} = {x_text} the game has {len(held)} equilibri"
        f"{'um' if len(held) == 1 else 'a'}.",
        f"The bar of {outcome} {'ends' if verb == 'stop' else 'starts'} at the dashed tipping-point line "
        f"labelled {value_text}: as {parameter} rises past {value_text}, {outcome} "
        f"{'stops' if verb == 'stop' else 'starts'} being an equilibrium.",
        f"Check with the engine: at {parameter} = {x_text} the equilibria are "
        f"{and_join(sorted(engine))}; just "
        f"{'below' if verb == 'stop' else 'above'} {value_text} {outcome} is an equilibrium, just "
        f"{'above' if verb == 'stop' else 'below'} it is not.",
    ]
    return make_exercise(
        setup, NAME, TITLE, example, exclude=(parameter,),
        question=question,
        game=game,
        answer={"at": sorted(held), "tipping": plain_fraction(as_fraction(tipping_value))},
        answer_text=(
            f"(a) At {parameter} = {x_text}: {and_join(sorted(held))}. (b) {outcome} {verb}s "
            f"being an equilibrium at {parameter} = {value_text}."
        ),
        solution=tuple(steps),
        context=quotes(setup),
        figures=(figure,) if figure is not None else (),
        grading={
            "parameter": parameter,
            "x": plain_fraction(as_fraction(x)),
            "range": [plain_fraction(as_fraction(low)), plain_fraction(as_fraction(high))],
            "outcome": outcome,
            "verb": verb,
        },
        table=tuple(rows),
        table_caption="The strategies and the short names by which the figure and your answer name them.",
    )


def example(exercise: Exercise, others: Sequence[Exercise]) -> str:
    """The answer format, with example equilibria (one pure, one mixed) that hold for none of
    ``others`` at their values, and an example tipping point far from all of theirs."""
    game = exercise.game
    taken = {_outcome_key(o) for ex in others for o in ex.answer["at"]}
    pure = next(
        (o for o in (f"{a} / {b}" for a in game.strategies[0] for b in game.strategies[1])
         if _outcome_key(o) not in taken),
        placeholder(f"{poss(game.player_names[0])} / {poss(game.player_names[1])} strategy"),
    )
    mixes = (
        f"{'+'.join(a)} / {'+'.join(b)}"
        for a in combinations(game.strategies[0], 2)
        for b in combinations(game.strategies[1], 2)
    )
    mixed = next((o for o in mixes if _outcome_key(o) not in taken), None)
    low, high = (fraction(v) for v in exercise.grading["range"])
    tipping = free_number(low, high, [fraction(ex.answer["tipping"]) for ex in others],
                          away=READING_TOLERANCE * (high - low))
    data = {"at": [pure] + ([mixed] if mixed else []),
            "tipping": tipping if tipping is not None else placeholder("a number")}
    return (
        "the equilibria at that value, each named as in the figure (short names, players "
        f"separated by /, a mix joined by +), and the tipping point; e.g. {notation(data)}"
    )


def _number(value: float) -> str:
    return fmt(as_fraction(value)) if as_fraction(value).denominator <= 100 else f"{value:.3g}"




def signature(exercise: Exercise) -> tuple:
    return (len(exercise.answer["at"]), exercise.grading["verb"])


def _read_outcome(game: Game, raw: object, path: tuple) -> tuple:
    if isinstance(raw, list) and all(isinstance(p, str) for p in raw):
        raw = " / ".join(raw)
    if not isinstance(raw, str) or raw.count("/") != game.n_players - 1:
        first, second = game.strategies[0], game.strategies[1]
        raise AnswerError(
            f"expected an equilibrium such as '{first[0]} / {second[0]}' (a mix as "
            f"'{first[0]}+{first[-1]} / {second[0]}')", path
        )
    key = _outcome_key(raw)
    for i, strategies in enumerate(key):
        known = [s.lower() for s in game.strategies[i]]
        for s in strategies:
            if s not in known:
                raise AnswerError(
                    f"unknown strategy {s!r} for {game.players[i]}"
                    f"{did_you_mean(s, list(game.strategies[i]))}",
                    path,
                )
    return key


def grade(game: Game, answer: Any, grading: dict, raw: object) -> Grade:
    if not isinstance(raw, dict):
        raise AnswerError("expected {at: [...], tipping: a number}")
    at = raw.get("at")
    if at is None:
        at = []
    if isinstance(at, str):
        at = [at]
    if not isinstance(at, list):
        raise AnswerError("expected a list of equilibria", ("at",))
    given = {_read_outcome(game, item, ("at", k)) for k, item in enumerate(at)}
    true = {_outcome_key(o) for o in answer["at"]}
    found, wrong = given & true, given - true
    part_a = max(Fraction(0), Fraction(len(found) - len(wrong), len(true)))
    feedback, mistakes = [], []
    parameter = grading.get("parameter", "the parameter")
    x = grading.get("x")
    if part_a < 1:
        feedback.append(
            f"(a) At {parameter} = {x} the bars show {and_join(answer['at'])}"
            + (f"; you missed {len(true - given)}" if true - given else "")
            + (f"; {len(wrong)} of yours {'is' if len(wrong) == 1 else 'are'} not there" if wrong else "")
            + "."
        )
        mistakes.append("misread which equilibria hold at a value")
    part_b = Fraction(0)
    if raw.get("tipping") is None:
        feedback.append("(b) No tipping point given.")
        mistakes.append("no tipping point given")
    else:
        value = number(raw["tipping"], ("tipping",))
        true_value = Fraction(str(answer["tipping"]))
        low, high = (Fraction(str(v)) for v in grading.get("range", [0, 1]))
        if abs(value - true_value) <= READING_TOLERANCE * (high - low):
            part_b = Fraction(1)
        else:
            feedback.append(
                f"(b) {grading.get('outcome')} {grading.get('verb')}s being an equilibrium at "
                f"{fmt(true_value)} (the dashed line where its bar "
                f"{'ends' if grading.get('verb') == 'stop' else 'starts'}), not {fmt(value)}."
            )
            mistakes.append("misread a tipping point")
    score = (part_a + part_b) / 2
    if score == 1:
        feedback.insert(0, "Correct.")
    return Grade(score, feedback, mistakes)


def answer_key(exercise: Exercise) -> tuple:
    """The equilibria at the value (order-free) and the tipping point."""
    return (frozenset(_outcome_key(o) for o in exercise.answer["at"]), fraction(exercise.answer["tipping"]))
