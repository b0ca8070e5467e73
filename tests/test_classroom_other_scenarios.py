"""Every kind of exercise on scenarios that are not the S-400 case.

The worksheets, keys and figures must take every word from the scenario at hand: the
strategies and players its answer formats name, the captions of its tables and figures, and
the short names in a sweep plot, which must be the ones students write. Beside the classic
games (and the deterrence game, which has parameters) a test scenario with unusual ids and
names (``tests/data/scenarios/odd-names.yaml``: ``hive_9``, ``hum_7``, "Council of Quills",
"Glow + shimmer") catches any text that was written for one scenario.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from PIL import Image

from negsim.classroom.keyfile import key_to_yaml
from negsim.classroom.kinds import KINDS
from negsim.classroom.kinds.sweep_plot import _outcome_key, _read_outcome
from negsim.classroom.sets import make_exercise_sets
from negsim.classroom.worksheet import render_markdown

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")

DATA = Path(__file__).parent / "data" / "scenarios"
ODD = str(DATA / "odd-names.yaml")
ODD_SEQUENTIAL = str(DATA / "odd-names-sequential.yaml")

#: Words of the S-400 scenarios that no other scenario's worksheet may contain.
S400_WORDS = ("turkey", "patriot", "incentives", "tighten", "waive", "sanction", "sanctions",
              "hold_off", "limited", "scrap", "caatsa", "s-400", "s400", "ankara", "washington")

# (source, parameter overrides, kinds): every kind at least once, most twice.
CASES = [
    pytest.param(ODD, None, ("pure", "dominance", "weak-dominance", "mixed", "pareto", "maximin",
                             "sensitivity", "sweep-plot"), id="odd-names"),
    pytest.param(ODD_SEQUENTIAL, None, ("sequential",), id="odd-names-sequential"),
    pytest.param("chicken", None, ("pure", "mixed", "pareto", "maximin", "replicator", "tipping-share"),
                 id="chicken"),
    pytest.param("prisoners-dilemma", None, ("pure", "dominance", "weak-dominance", "pareto"),
                 id="prisoners-dilemma"),
    pytest.param("rock-paper-scissors", None, ("mixed", "maximin"), id="rock-paper-scissors"),
    pytest.param("stag-hunt", None, ("pure", "weak-dominance", "pareto", "replicator", "tipping-share"),
                 id="stag-hunt"),
    pytest.param("deterrence", {"stake": 2.0}, ("sensitivity", "sweep-plot", "maximin"), id="deterrence"),
    pytest.param("elmira", None, ("stability",), id="elmira"),
    pytest.param(ODD, None, ("nash-bargaining",), id="odd-names-bargaining"),
    pytest.param("chicken", None, ("nash-bargaining", "discount-threshold"), id="chicken-settlement"),
]
ALL_KINDS = set(KINDS)


def test_the_cases_cover_every_kind():
    covered = {kind for case in CASES for kind in case.values[2]}
    assert covered == ALL_KINDS


@cache
def worksheet(source: str, overrides: tuple | None, kinds: tuple[str, ...]):
    (exercise_set,) = make_exercise_sets(source, list(kinds), seed=3, overrides=dict(overrides or ()))
    student, student_figures = render_markdown(exercise_set, teacher=False)
    teacher, _ = render_markdown(exercise_set, teacher=True)
    return exercise_set, student, teacher, key_to_yaml([exercise_set]), student_figures


def _case(source, overrides, kinds):
    return worksheet(source, tuple(sorted((overrides or {}).items())), kinds)


@pytest.mark.parametrize("source, overrides, kinds", CASES)
def test_no_word_of_the_s400_case_appears(source, overrides, kinds):
    _set, student, teacher, key, _figures = _case(source, overrides, kinds)
    for text in (student, teacher, key):
        words = set(re.findall(r"[a-z0-9_-]+", text.lower()))
        assert not words & set(S400_WORDS), sorted(words & set(S400_WORDS))


def _identifiers(value) -> set[str]:
    """Every name in an answer-notation value: keys, and the strategy ids in its texts."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(str(k))
            found |= _identifiers(v)
    elif isinstance(value, list):
        for v in value:
            found |= _identifiers(v)
    elif isinstance(value, str) and not value.startswith("<"):
        found |= {w for w in re.split(r"[\s/+]+", value) if w}
    return found


@pytest.mark.parametrize("source, overrides, kinds", CASES)
def test_answer_formats_name_this_scenarios_players_and_strategies(source, overrides, kinds):
    exercise_set, *_ = _case(source, overrides, kinds)
    for ex in exercise_set.exercises:
        example = yaml.safe_load(ex.answer_format.rsplit("e.g. ", 1)[1])
        game = ex.game
        known = set(game.players) | {s for strategies in game.strategies for s in strategies}
        notation = {"path", "choices", "at", "tipping", "pure", "value", "mix", "level",
                    "stable", "saddle", "unstable", "centre", "share", "above", "below",
                    "outcome", "payoffs", "lottery", "probability"}
        if ex.kind == "stability":  # verdicts by concept, and the states stable under them
            notation |= {"equilibria", *ex.grading.get("concepts", ())}
        if ex.kind == "sequential":
            known |= set(ex.grading["nodes"])
            known |= {m for node in ex.grading["nodes"].values() for m in node["options"]}
        names = {n for n in _identifiers(example) if not re.fullmatch(r"-?[0-9/.]+", n)}
        assert names <= known | notation, (ex.kind, sorted(names - known - notation))
        # and it is this exercise's notation: the grader reads it (an example whose every
        # concrete value would be part of some answer shows placeholders, which it cannot read)
        if "<" not in ex.answer_format.rsplit("e.g. ", 1)[1]:
            KINDS[ex.kind].grade(game, ex.answer, dict(ex.grading), example)


@pytest.mark.parametrize("source, overrides, kinds", CASES)
def test_captions_say_what_their_table_or_figure_shows(source, overrides, kinds):
    exercise_set, student, *_ = _case(source, overrides, kinds)
    for ex in exercise_set.exercises:
        if ex.table:
            assert ex.table_caption, ex.kind
        if ex.kind == "sweep-plot":
            assert "functions of" not in ex.table_caption
            assert "short names" in ex.table_caption
            (figure,) = ex.figures
            assert ex.grading["parameter"] in figure.caption
        if ex.kind == "sensitivity":
            assert f"as functions of x ({ex.grading['parameter']})" in ex.table_caption
        if ex.kind == "sequential":
            assert "path" in ex.table_caption
    assert "as functions of x; rows" not in student


@pytest.mark.parametrize("source, overrides", [(ODD, None), ("deterrence", {"stake": 2.0})],
                         ids=["odd-names", "deterrence"])
def test_the_sweep_plot_names_its_equilibria_as_students_write_them(source, overrides):
    kinds = ("pure", "dominance", "weak-dominance", "mixed", "pareto", "maximin", "sensitivity",
             "sweep-plot") if source == ODD else ("sensitivity", "sweep-plot", "maximin")
    exercise_set, _student, _teacher, _key, files = _case(source, overrides, kinds)
    ex = next(e for e in exercise_set.exercises if e.kind == "sweep-plot")
    game = ex.game
    (figure,) = ex.figures
    # A real figure, whose bar labels are read back from its axes when it was drawn.
    image = Image.open(io.BytesIO(figure.png))
    assert image.format == "PNG" and image.size[0] > 400
    assert any(data == figure.png for data in files.values())
    labels = figure.labels
    assert labels, "the figure names no equilibrium"
    for label in labels:
        _read_outcome(game, label, ())  # every label is in the answer notation of this game
    keys = {_outcome_key(label) for label in labels}
    assert {_outcome_key(o) for o in ex.answer["at"]} <= keys
    assert _outcome_key(ex.grading["outcome"]) in keys
    # The short-name table lists the names the labels use, each strategy with its name.
    short = {row[2] for row in ex.table[1:]}
    used = {s for label in labels for part in label.split(" / ") for s in part.split("+")}
    assert used <= short
    assert {row[1] for row in ex.table[1:]} == {n for names in game.strategy_names for n in names}
    # The worked solution and the answer name the equilibria the same way.
    for outcome in ex.answer["at"]:
        assert outcome in ex.answer_text


def test_the_odd_scenarios_words_are_its_own():
    exercise_set, student, teacher, key, _ = _case(ODD, None, CASES[0].values[2])
    # Player names and a name ending in s take the right possessive.
    assert "Council of Quills' payoff" in student or "Council of Quills'" in student
    assert "Council of Quills's" not in student + teacher
    assert "Zorg Hive" in student and "hum\\_7" in student  # Markdown escapes the _
    assert exercise_set.exercises[0].setting.startswith("The hive and the council")
    sequential_set, s_student, *_ = _case(ODD_SEQUENTIAL, None, ("sequential",))
    (ex,) = sequential_set.exercises
    assert set(ex.grading["nodes"]) == {"start", "after ink_a", "after ink_b"}
    assert "Council of Quills then Zorg Hive" in ex.question


def test_worksheet_quotes_name_their_article_by_outlet_title_and_date():
    (exercise_set,) = make_exercise_sets("s400-2025-limited-use", ["pure"], seed=0)
    student, _ = render_markdown(exercise_set, teacher=False)
    (ex,) = exercise_set.exercises
    assert ex.context
    for quote in ex.context:
        assert not quote.source.endswith(".txt")
        assert re.search(r"(January|February|March|April|May|June|July|August|September|October|"
                         r"November|December) 20\d\d|20\d\d", quote.source)
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", student)
