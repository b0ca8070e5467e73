"""The stability-analysis exercise: the key is the engine's (checked against the matrix form),
the worked solution gives every witness, grading gives partial credit with feedback, students'
variants differ, worksheets render in every format and keys with three decision makers read
back."""

from __future__ import annotations

import random

import pytest
import yaml

from negsim.classroom.answers import AnswerError
from negsim.classroom.keyfile import game_from_data, game_to_data, read_key
from negsim.classroom.kinds import KINDS
from negsim.classroom.kinds import stability as kind
from negsim.classroom.sets import Student, make_exercise_sets
from negsim.classroom.variants import scenario_setup
from negsim.classroom.worksheet import worksheet_files
from negsim.cli import main
from negsim.compile.conflict import load_conflict
from negsim.compile.source import load_source
from negsim.conflict.stability import analyze
from negsim.errors import InputError

STABILITY = KINDS["stability"]


def _engine_answer(conflict, state, concepts):
    a = analyze(conflict, concepts)
    answer = {
        c: {d: "stable" if a.stable(c, d, state) else "unstable" for d in conflict.dm_ids} for c in concepts
    }
    answer["equilibria"] = [c for c in concepts if state in a.equilibria(c)]
    return answer


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
@pytest.mark.parametrize(
    "scenario", ["prisoners-dilemma-options", "elmira", "cuban-missile-crisis", "s400-options-2025"]
)
def test_the_key_is_the_engines_and_the_key_gets_full_marks(scenario, difficulty):
    source = load_source(scenario)
    setup = scenario_setup("stability", difficulty, source, source.game.values())
    ex = STABILITY.build(setup)
    state = ex.grading["state"]
    assert ex.answer == _engine_answer(load_conflict(scenario), state, kind.CONCEPTS[difficulty])
    assert ex.solution[-1].startswith("Equilibrium under")
    assert len([s for s in ex.solution if s.startswith(f"State {state} is ")]) == (
        len(kind.CONCEPTS[difficulty]) * len(ex.grading["decision_makers"]) + 1
    )
    grade = STABILITY.grade(ex.game, ex.answer, dict(ex.grading), ex.answer)
    assert grade.score == 1 and grade.mistakes == []


def test_the_focal_state_is_a_question_where_concepts_disagree():
    source = load_source("elmira")
    ex = STABILITY.build(scenario_setup("stability", "medium", source, {}))
    # the status quo (2): GMR-stable only at the hard level; at medium R and SEQ agree there, so
    # the first state where R and SEQ disagree is asked about
    a = analyze(load_conflict("elmira"), ("R", "SEQ"))
    s = ex.grading["state"]
    assert [a.stable("R", d, s) for d in a.conflict.dm_ids] != [
        a.stable("SEQ", d, s) for d in a.conflict.dm_ids
    ]


def test_partial_credit_and_feedback_with_the_witness():
    source = load_source("s400-options-2017-2019")
    ex = STABILITY.build(scenario_setup("stability", "medium", source, {}, {"state": 1}))
    assert ex.answer == {
        "R": {"turkey": "unstable", "us": "unstable"},
        "SEQ": {"turkey": "stable", "us": "stable"},
        "equilibria": ["SEQ"],
    }
    raw = {
        "R": {"turkey": "unstable", "us": "stable"},
        "seq": {"Turkey": "yes", "us": "no"},
        "equilibria": [],
    }
    grade = STABILITY.grade(ex.game, ex.answer, dict(ex.grading), raw)
    # 4 verdicts (2 right) and 2 equilibrium judgements (R right, SEQ wrong): 3 of 6
    assert grade.score == pytest.approx(3 / 6)
    text = " ".join(grade.feedback)
    assert "R, United States: unstable, not stable." in text
    assert "takes Expel from the F-35 (state 1 -> 17) is an improvement that nothing deters" in text
    assert "SEQ, United States: stable, not unstable." in text and "in answer: Turkey: takes Activate" in text
    assert "wrong equilibrium" in grade.mistakes


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        pytest.param([1, 2], "expected {R:", id="not-a-mapping"),
        pytest.param(
            {"R": {"turky": "stable"}}, "unknown decision maker 'turky' (did you mean 'turkey'?)", id="dm"
        ),
        pytest.param({"R": {"turkey": "maybe"}}, "expected stable or unstable", id="verdict"),
        pytest.param(
            {"R": {"turkey": "stable"}, "equilibria": ["SEQQ"]}, "unknown concept 'SEQQ'", id="concept"
        ),
    ],
)
def test_unreadable_answers_say_what_was_expected(raw, fragment):
    source = load_source("s400-options-2017-2019")
    ex = STABILITY.build(scenario_setup("stability", "medium", source, {}, {"state": 1}))
    with pytest.raises(AnswerError) as error:
        STABILITY.grade(ex.game, ex.answer, dict(ex.grading), raw)
    assert fragment in error.value.message


def test_students_get_other_focal_states_with_the_same_shape_of_answer():
    students = [Student(f"s{k}") for k in range(6)]
    sets = make_exercise_sets(
        "s400-options-2025", ["stability"], difficulty="medium", seed=3, students=students
    )
    (base,) = make_exercise_sets("s400-options-2025", ["stability"], difficulty="medium", seed=3)
    focal = {st.exercises[0].grading["state"] for st in sets}
    assert base.exercises[0].grading["state"] not in focal and len(focal) >= 3
    assert {STABILITY.signature(st.exercises[0]) for st in sets} == {STABILITY.signature(base.exercises[0])}
    assert all(st.exercises[0].answer != base.exercises[0].answer for st in sets)
    again = make_exercise_sets(
        "s400-options-2025", ["stability"], difficulty="medium", seed=3, students=students
    )
    assert [st.exercises[0].answer for st in again] == [st.exercises[0].answer for st in sets]


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_random_conflicts(difficulty):
    for seed in range(3):
        ex = kind.random_exercise(difficulty, random.Random(f"{difficulty}-{seed}"))
        conflict = ex.game  # the normal form; the grading data names the decision makers
        assert len(ex.grading["decision_makers"]) == 2 and conflict.n_players == 2
        assert STABILITY.grade(ex.game, ex.answer, dict(ex.grading), ex.answer).score == 1
    (one,) = make_exercise_sets(None, ["stability"], difficulty=difficulty, seed=5)
    assert one.exercises[0].kind == "stability"


def test_a_scenario_without_options_is_read_in_option_form():
    ex = STABILITY.build(scenario_setup("stability", "easy", load_source("prisoners-dilemma"), {}))
    assert ex.grading["decision_makers"] == ["row", "column"] and "row__defect" in ex.table[0]


def test_too_many_states_is_a_clean_error(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(
        "negsim: 1\nid: big\ntitle: big\nplayers:\n"
        "  a: {options: {a1: {}, a2: {}, a3: {}}}\n  b: {options: {b1: {}, b2: {}, b3: {}}}\n"
        "preferences:\n  a: {statements: [a1, -b1]}\n  b: {statements: [b1]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="64 states; stability worksheets list at most 32"):
        scenario_setup("stability", "easy", load_source(str(big)), {})


def test_worksheets_in_every_format_and_a_three_player_key(tmp_path):
    sets = make_exercise_sets(
        "elmira",
        ["stability"],
        difficulty="hard",
        seed=1,
        students=[Student("ann", "Ann"), Student("bob", "Bob")],
    )
    files = worksheet_files(sets, ["md", "html", "pdf"], answer_templates=True)
    md = files["teacher/ann.md"].decode()
    assert (
        "| state | modify | delay | accept | abandon | insist | rank for Ministry of the Environment |" in md
    )
    assert "each decision maker's rank of the state" in md and "Deterred: " in md
    assert "Deterred: " not in files["student/ann.md"].decode()
    assert b"<table>" in files["student/bob.html"] and files["teacher/bob.pdf"][:4] == b"%PDF"
    key = tmp_path / "key.yaml"
    key.write_bytes(files["key.yaml"])
    read = read_key(str(key))
    entry = read.for_student("ann").exercises[0]
    assert entry.game.n_players == 3 and entry.kind == "stability"
    game = sets[0].exercises[0].game
    assert game_from_data(game_to_data(game)).payoffs.tolist() == game.payoffs.tolist()
    answers = tmp_path / "ann.yaml"
    answers.write_text(yaml.safe_dump({"student": "ann", "answers": {"e1": entry.answer}}), encoding="utf-8")
    assert main(["grade", str(key), str(answers)]) == 0
