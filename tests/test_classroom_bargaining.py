"""The classroom kinds of bargaining and repeated play: keys recomputed by the engine (and the
thresholds by the one-shot deviation principle), worked solutions that end at the key, grading
with partial credit and feedback, variants per student, and every worksheet format; on S-400
and classic scenarios and on random games."""

from __future__ import annotations

import functools
import io
import random
import re
from fractions import Fraction as F

import numpy as np
import pypdf
import pytest
import yaml

from negsim.bargaining import bargaining_problem, given_point, nash_solution
from negsim.classroom.kinds import KINDS
from negsim.classroom.random_games import random_exercise
from negsim.classroom.sets import Student, make_exercise_sets
from negsim.classroom.variants import scenario_exercise, scenario_setup
from negsim.classroom.worksheet import render_html, render_markdown, render_pdf
from negsim.compile import load_source
from negsim.errors import InputError
from negsim.repeated import sustainability

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")

BARGAIN, DISCOUNT = "nash-bargaining", "discount-threshold"
ROSTER = [Student("ayse", "Ayşe"), Student("bob"), Student("can")]


def check_bargaining_key(ex) -> None:
    game = ex.game
    d = tuple(F(str(v)) for v in ex.grading["d"])
    engine = nash_solution(bargaining_problem(game, given_point(d), agreements=ex.grading["agreements"]))
    assert tuple(F(str(ex.answer["payoffs"][p])) for p in game.players) == engine.payoffs
    if "lottery" in ex.answer:
        exact = game.exact_payoffs
        mean = [sum(F(str(t["probability"])) * exact[(i, *(game.strategy_index(j, s) for j, s in
                                                             enumerate(t["outcome"])))]
                    for t in ex.answer["lottery"]) for i in range(2)]
        assert tuple(mean) == engine.payoffs
    pair = "(" + ", ".join(str(ex.answer["payoffs"][p]).replace("-", "\u2212") for p in game.players) + ")"
    assert pair in ex.solution[-1]


def check_discount_key(ex) -> None:
    game = ex.game
    coop = tuple(game.strategy_index(i, s) for i, s in enumerate(ex.grading["cooperation"]))
    deltas = [F(str(ex.answer[p])) for p in game.players]
    paths = [tuple(game.strategy_index(i, s) for i, s in enumerate(p)) for p in ex.grading["paths"]]
    exact = game.exact_payoffs
    states = [coop, *paths]

    def pays(delta) -> bool:  # some one-shot deviation is profitable in some state
        for j in range(2):
            w = exact[(j, *paths[j])]
            for s in states:
                for a in range(game.shape[j]):
                    if s == coop and a == s[j]:
                        continue
                    cell = list(s)
                    cell[j] = a
                    if (1 - delta[j]) * exact[(j, *cell)] + delta[j] * w > exact[(j, *s)]:
                        return True
        return False

    assert not pays(deltas)
    for j in range(2):
        if deltas[j] > 0:
            below = list(deltas)
            below[j] -= F(1, 10**6)
            assert pays(below)
    name = "nash-reversion" if ex.grading["scheme"] == "grim" else "penal-code"
    assert [t.delta for t in sustainability(game, coop, search=True).scheme(name).thresholds] == deltas


def full_marks(ex) -> None:
    grade = KINDS[ex.kind].grade(ex.game, ex.answer, dict(ex.grading), ex.answer)
    assert grade.score == 1 and grade.mistakes == [], grade.feedback


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
@pytest.mark.parametrize("kind", [BARGAIN, DISCOUNT])
def test_random_games_have_engine_checked_keys(kind, difficulty):
    for seed in range(3):
        ex = random_exercise(kind, difficulty, random.Random(f"{kind}-{difficulty}-{seed}"))
        (check_bargaining_key if kind == BARGAIN else check_discount_key)(ex)
        full_marks(ex)


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
@pytest.mark.parametrize("scenario", ["s400-2025-limited-use", "prisoners-dilemma", "chicken"])
def test_scenarios_nash_bargaining(scenario, difficulty):
    source = load_source(scenario)
    ex = KINDS[BARGAIN].build(scenario_setup(BARGAIN, difficulty, source, source.game.values()))
    check_bargaining_key(ex)
    full_marks(ex)


def test_the_s400_nash_bargaining_keys():
    source = load_source("s400-2025-limited-use")
    keys = {d: KINDS[BARGAIN].build(scenario_setup(BARGAIN, d, source, source.game.values())).answer
            for d in ("easy", "medium", "hard")}
    assert keys["easy"] == {"outcome": ["store", "incentives"], "payoffs": {"turkey": 4, "us": 2}}
    assert keys["medium"] == {"outcome": ["patriot", "incentives"],
                              "payoffs": {"turkey": "23/4", "us": "7/4"}}
    assert keys["hard"]["payoffs"] == {"turkey": "107/26", "us": "20/9"}
    assert {t["probability"] for t in keys["hard"]["lottery"]} == {"101/117", "16/117"}


@pytest.mark.parametrize("scenario, answer, scheme", [
    pytest.param("s400-2025-limited-use", {"turkey": "1/3", "us": "16/21"}, "penal-code", id="s400"),
    pytest.param("prisoners-dilemma", {"row": "1/2", "column": "1/2"}, "grim", id="prisoners-dilemma"),
    pytest.param("chicken", None, "penal-code", id="chicken"),  # a mixed stage equilibrium: no grim trigger
])
def test_scenarios_discount_threshold(scenario, answer, scheme):
    source = load_source(scenario)
    ex = KINDS[DISCOUNT].build(scenario_setup(DISCOUNT, "medium", source, source.game.values()))
    assert ex.grading["scheme"] == scheme
    if answer is not None:
        assert ex.answer == answer
    check_discount_key(ex)
    full_marks(ex)
    assert ex.solution[-1].startswith(f"So ({', '.join(ex.grading['cooperation'])}) lasts with")


def test_a_game_where_nothing_lasts_is_a_clean_input_error():
    source = load_source("battle-of-the-sexes")
    with pytest.raises(InputError, match="cannot make a discount-threshold exercise"):
        scenario_exercise(DISCOUNT, "medium", source, source.game.values())


def test_grading_gives_partial_credit_and_names_the_mistake():
    source = load_source("prisoners-dilemma")
    ex = KINDS[DISCOUNT].build(scenario_setup(DISCOUNT, "medium", source, source.game.values()))
    grade = KINDS[DISCOUNT].grade(ex.game, ex.answer, dict(ex.grading), {"row": 0.5, "column": "1/2"})
    assert grade.score == 1
    # (d - u) / (u - w) = (5 - 3) / (3 - 1) = 1: one period of punishment
    grade = KINDS[DISCOUNT].grade(ex.game, ex.answer, dict(ex.grading), {"row": "1/2", "column": 1})
    assert grade.score == F(1, 2)
    assert grade.mistakes == ["used one period of punishment instead of punishment for ever"]
    assert any("Suspect 2's smallest discount factor is 1/2, not 1" in f for f in grade.feedback)
    grade = KINDS[DISCOUNT].grade(ex.game, ex.answer, dict(ex.grading), {"row": 0.9})
    assert grade.score == 0 and grade.mistakes == ["wrong discount factor", "left out a player"]
    s400 = load_source("s400-2025-limited-use")
    ex = KINDS[DISCOUNT].build(scenario_setup(DISCOUNT, "medium", s400, s400.game.values()))
    grade = KINDS[DISCOUNT].grade(ex.game, ex.answer, dict(ex.grading), {"turkey": "2/3", "us": 0})
    assert grade.score == 0
    assert grade.mistakes == ["computed 1 − δ: (u − w) / (d − w) instead of (d − u) / (d − w)",
                              "wrong discount factor"]


def test_bargaining_grading_feedback():
    source = load_source("s400-2025-limited-use")
    ex = KINDS[BARGAIN].build(scenario_setup(BARGAIN, "easy", source, source.game.values()))
    grade = KINDS[BARGAIN].grade(ex.game, ex.answer, dict(ex.grading),
                                 {"outcome": ["limited", "keep"], "payoffs": {"turkey": 4, "us": 2}})
    assert grade.score == F(1, 2)
    assert "picked an outcome that is not better for both" in grade.mistakes
    assert any("is not better than the disagreement point (3, −1) for United States" in f
               for f in grade.feedback)
    grade = KINDS[BARGAIN].grade(ex.game, ex.answer, dict(ex.grading),
                                 {"outcome": ["patriot", "incentives"], "payoffs": {"turkey": 3.5, "us": 4}})
    assert grade.score == 0 and grade.mistakes[0].startswith("picked the largest total (utilitarian)")
    side = KINDS[BARGAIN].build(scenario_setup(BARGAIN, "medium", source, source.game.values()))
    grade = KINDS[BARGAIN].grade(side.game, side.answer, dict(side.grading),
                                 {"outcome": ["patriot", "incentives"],
                                  "payoffs": {"turkey": 3.75, "us": 3.75}})
    assert grade.score == F(1, 2)
    assert grade.mistakes == ["split the total, not the surplus over the disagreement point, equally"]
    hard = KINDS[BARGAIN].build(scenario_setup(BARGAIN, "hard", source, source.game.values()))
    answer = {"lottery": [{"outcome": ["full", "waive"], "probability": "16/117"},
                          {"outcome": ["patriot", "incentives"], "probability": "101/117"}],
              "payoffs": {"turkey": 4.115, "us": 2.22}}
    assert KINDS[BARGAIN].grade(hard.game, hard.answer, dict(hard.grading), answer).score == 1


@functools.cache
def class_sets(source, difficulty="medium"):
    return make_exercise_sets(source, [BARGAIN, DISCOUNT], difficulty=difficulty, seed=5, students=ROSTER)


@pytest.mark.parametrize("source", ["s400-2025-limited-use", None])
def test_variants_differ_but_are_equivalent(source):
    kinds = [BARGAIN, DISCOUNT]
    sets = class_sets(source)
    for j, kind in enumerate(kinds):
        exercises = [s.exercises[j] for s in sets]
        assert len({KINDS[kind].signature(ex) for ex in exercises}) == 1
        assert len({tuple(sorted(np.ravel(ex.game.payoffs).tolist())) for ex in exercises}) == len(ROSTER)
        for ex in exercises:
            (check_bargaining_key if kind == BARGAIN else check_discount_key)(ex)
    intros = {s.exercises[0].intro for s in sets} if source else {""}
    assert source is None or len(intros) == len(ROSTER)  # each variant states its parameter values


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("-\n", "")).strip()


def test_every_worksheet_format_shows_the_questions_and_the_teacher_the_keys():
    (sheet,) = make_exercise_sets("s400-2025-limited-use", [BARGAIN, DISCOUNT], difficulty="medium", seed=1)
    student, teacher = render_markdown(sheet, teacher=False)[0], render_markdown(sheet, teacher=True)[0]
    assert "Nash bargaining solution" in student and "Discount-factor threshold" in student
    assert "23/4" not in student and "16/21" not in student
    assert "23/4" in teacher and "16/21" in teacher
    html = render_html(sheet, teacher=True)
    assert "16/21" in html and "store, tighten" in html
    pdf = _words("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(
        render_pdf(sheet, teacher=True))).pages))
    assert "Discount-factor threshold" in pdf and "16/21" in pdf


def test_the_exercise_command_writes_keys_that_grade_to_full_marks(tmp_path, capsys):
    from negsim.cli import main

    out = tmp_path / "sheets"
    code = main(["exercise", "prisoners-dilemma", "--kinds", f"{BARGAIN},{DISCOUNT}", "--format", "md",
                 "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    key = out / "key.yaml"
    answers = tmp_path / "answers"
    answers.mkdir()
    data = yaml.safe_load(key.read_text())
    perfect = {"student": "ayse", "answers": {k: e["answer"] for k, e in data["shared"]["exercises"].items()}}
    (answers / "perfect.yaml").write_text(yaml.safe_dump(perfect))
    code = main(["grade", str(key), str(answers / "perfect.yaml"), "-o", str(tmp_path / "grades")])
    assert code == 0, capsys.readouterr().err
    assert "100" in (tmp_path / "grades" / "grades.csv").read_text()


@pytest.mark.parametrize("source, difficulty", [("s400-2025-limited-use", "medium"), (None, "hard")])
def test_no_answer_format_example_scores_for_any_student(source, difficulty):
    sets = class_sets(source, difficulty)
    for j, kind in enumerate([BARGAIN, DISCOUNT]):
        column = [s.exercises[j] for s in sets]
        for ex in column:
            example = yaml.safe_load(ex.answer_format.rsplit("e.g. ", 1)[1])
            for other in column:
                if source is None and other.game.strategies != ex.game.strategies:
                    continue
                grade = KINDS[kind].grade(other.game, other.answer, dict(other.grading), example)
                assert grade.score == 0, (ex.answer_format, other.answer)
