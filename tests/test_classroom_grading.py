"""Grading: full, partial and zero credit with feedback; malformed files reported, others graded."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from negsim.classroom.answers import AnswerError
from negsim.classroom.exercises import Setup
from negsim.classroom.grading import grade_answers, read_answer_files, summary_files
from negsim.classroom.keyfile import key_to_yaml, read_key
from negsim.classroom.kinds import KINDS
from negsim.classroom.random_games import random_game
from negsim.classroom.sets import Student, make_exercise_sets
from negsim.compile.source import load_source
from negsim.errors import InputError

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")


def _grade(kind: str, game, raw):
    ex = KINDS[kind].build(Setup(game, "medium"))
    return ex, KINDS[kind].grade(ex.game, ex.answer, dict(ex.grading), raw)


BOS = load_source("battle-of-the-sexes").at()
MIXED = {"player_1": {"bach": "2/3", "stravinsky": "1/3"}, "player_2": {"bach": "1/3", "stravinsky": "2/3"}}


# -- rules of each kind ------------------------------------------------------------------------------


def test_mixed_full_credit_with_decimals_within_tolerance() -> None:
    decimals = {
        "player_1": {"bach": 0.67, "stravinsky": 0.33},
        "player_2": {"bach": 0.33, "stravinsky": 0.67},
    }
    _, grade = _grade("mixed", BOS, [["bach", "bach"], ["stravinsky", "stravinsky"], decimals])
    assert grade.score == 1 and grade.feedback[0].startswith("Correct")


def test_mixed_partial_credit_found_both_pure_missed_the_mixed() -> None:
    _, grade = _grade("mixed", BOS, [["bach", "bach"], ["stravinsky", "stravinsky"]])
    assert grade.score == Fraction(2, 3)
    assert grade.feedback[0] == (
        "You found both pure equilibria but missed the mixed one: Player 1 plays bach 2/3, "
        "stravinsky 1/3 and "
        "Player 2 plays bach 1/3, stravinsky 2/3 (each player's mix makes the other indifferent)."
    )
    assert grade.mistakes == ["missed the mixed equilibrium"]


def test_mixed_swapped_mixes_are_named() -> None:
    swapped = {
        "player_1": {"bach": "1/3", "stravinsky": "2/3"},
        "player_2": {"bach": "2/3", "stravinsky": "1/3"},
    }
    _, grade = _grade("mixed", BOS, [["bach", "bach"], ["stravinsky", "stravinsky"], swapped])
    assert grade.score == Fraction(5, 6)  # two pure right, the mixed one half right
    assert any(f.startswith("Your mixes are swapped") for f in grade.feedback)
    assert "swapped the mixes (used a player's own payoffs)" in grade.mistakes


def test_mixed_zero_credit_for_a_wrong_profile_with_the_reason() -> None:
    _, grade = _grade("mixed", BOS, [["bach", "stravinsky"]])
    assert grade.score == 0
    assert (
        "(bach, stravinsky) is not an equilibrium: Player 1 would switch to stravinsky (1 instead of 0)."
        in grade.feedback
    )


def test_pure_partial_and_zero_credit() -> None:
    _, half = _grade("pure", BOS, [["bach", "bach"]])
    assert half.score == Fraction(1, 2)
    assert half.feedback == [
        "You found 1 of the 2 pure equilibria: (bach, bach).",
        "You missed (stravinsky, stravinsky): each strategy there is a best response to the other.",
    ]
    _, zero = _grade("pure", BOS, [["bach", "stravinsky"]])
    assert zero.score == 0 and "listed a profile that is not a pure equilibrium" in zero.mistakes
    _, full = _grade("pure", BOS, [["stravinsky", "stravinsky"], ["bach", "bach"]])
    assert full.score == 1


def test_dominance_feedback_names_the_dominator_and_round() -> None:
    game = random_game([[4, 0], [1, 1], [0, 4]], [[1, 0], [1, 0], [0, 1]])
    _, grade = _grade("dominance", game, {"row": ["top", "middle", "bottom"], "column": ["left", "right"]})
    assert grade.score == Fraction(1, 2)
    assert grade.feedback == [
        "Row's middle should go: it is strictly dominated by the mix top 1/2, bottom 1/2 (round 1)."
    ]
    assert grade.mistakes == ["kept a strategy dominated by a mix"]


def test_maximin_maximax_mistake_is_recognised() -> None:
    game = random_game([[3, 0], [1, 2]], [[1, 3], [2, 0]])
    _, grade = _grade(
        "maximin",
        game,
        {
            "row": {"pure": "top", "value": 1, "mix": {"top": "1/4", "bottom": "3/4"}, "level": "3/2"},
            "column": {"pure": "left", "value": 1, "mix": {"left": "3/4", "right": "1/4"}, "level": 1.5},
        },
    )
    assert grade.score == Fraction(7, 8)
    assert grade.mistakes == ["picked the best best case (maximax) instead of the best worst case"]


def test_pareto_wrong_profile_names_its_improvement() -> None:
    pd = random_game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    ex, grade = _grade("pareto", pd, [["top", "left"], ["bottom", "right"]])
    assert ex.answer == [["top", "left"], ["top", "right"], ["bottom", "left"]]
    assert grade.score == 0  # one right, one wrong: they cancel
    assert grade.feedback[0] == "You found 1 of the 3 Pareto-efficient outcomes: (top, left)."
    assert (
        "(bottom, right) with payoffs (1, 1) is Pareto-dominated by (top, left) with (3, 3): better for both."
        in grade.feedback
    )


# -- files ---------------------------------------------------------------------------------------------


@pytest.fixture()
def class_key(tmp_path: Path):
    sets = make_exercise_sets(
        "battle-of-the-sexes",
        ["pure", "mixed"],
        seed=1,
        students=[Student("ayse", "Ayşe"), Student("bob"), Student("can")],
    )
    path = tmp_path / "key.yaml"
    path.write_text(key_to_yaml(sets), encoding="utf-8")
    return read_key(str(path)), sets


def test_grading_the_key_itself_gives_full_marks(class_key, tmp_path: Path) -> None:
    key, sets = class_key
    files = []
    for s in sets:
        answers = {ex.id: ex.answer for ex in s.exercises}
        import yaml

        path = tmp_path / f"{s.student}.yaml"
        path.write_text(yaml.safe_dump({"student": s.student, "answers": answers}), encoding="utf-8")
        files.append(str(path))
    read, problems, failed = read_answer_files(files)
    report = grade_answers(key, read, problems, failed)
    assert not report.problems
    assert [float(s.total) for s in report.students] == [2.0, 2.0, 2.0]


def test_malformed_files_are_reported_and_the_others_graded(class_key, tmp_path: Path) -> None:
    key, sets = class_key
    ayse = sets[0].exercises
    (tmp_path / "ayse.yaml").write_text(
        "student: ayse\nanswers:\n  e1: [[bach, bach], [stravinsky, stravinsky]]\n  e2: [[bach, bach]]\n",
        encoding="utf-8",
    )
    (tmp_path / "bob.yaml").write_text(
        "student: bob\nanswers:\n  e1: [[bach, bach]\n  e2: []\n", encoding="utf-8"
    )
    (tmp_path / "can.yaml").write_text(
        "student: can\nanswers:\n  e1: [[bach, bahc]]\n  e2:\n  e7: []\n", encoding="utf-8"
    )
    (tmp_path / "eve.yaml").write_text("student: eve\nanswers: {e1: []}\n", encoding="utf-8")
    paths = [str(tmp_path / f"{n}.yaml") for n in ("ayse", "bob", "can", "eve")]
    read, problems, failed = read_answer_files(paths)
    report = grade_answers(key, read, problems, failed)
    messages = [str(p) for p in report.problems]
    # bob's file is not YAML: located, not graded.
    assert any(m.startswith(f"{tmp_path}/bob.yaml:4:") and "not valid YAML" in m for m in messages)
    # can's typo: located at the bad strategy, with a suggestion; the exercise scores 0.
    assert (
        f"{tmp_path}/can.yaml:3:15: e1: can: unknown strategy 'bahc' for player_2 (did you mean 'bach'?)"
        in messages
    )
    assert (
        f"{tmp_path}/can.yaml:5: answers.e7: unknown exercise 'e7' (expected one of: 'e1', 'e2')" in messages
    )
    assert any("student 'eve' is not in the key" in m for m in messages)
    graded = {s.student: s for s in report.students}
    assert set(graded) == {"ayse", "can"}
    assert graded["ayse"].exercises[0].score == 1
    assert graded["ayse"].exercises[1].score == Fraction(1, 3)
    assert (
        graded["can"].exercises[0].feedback[0].startswith("Your answer could not be read: unknown strategy")
    )
    assert graded["can"].exercises[1].feedback == ["No answer given."]
    assert sorted(report.not_graded) == sorted([paths[1], paths[3]])
    del ayse


def test_csv_answers(class_key, tmp_path: Path) -> None:
    key, _ = class_key
    path = tmp_path / "answers.csv"
    path.write_text(
        "student,exercise,answer\n"
        'ayse,e1,"[[bach, bach], [stravinsky, stravinsky]]"\n'
        'ayse,e2,"[[bach, bach], [stravinsky, stravinsky], {player_1: {bach: 2/3, stravinsky: 1/3}, '
        'player_2: {bach: 1/3, stravinsky: 2/3}}]"\n'
        'bob,e1,"[[bach, bach]"\n'
        "bob,e2,[]\n",
        encoding="utf-8",
    )
    read, problems, failed = read_answer_files([str(path)])
    report = grade_answers(key, read, problems, failed)
    # negsim's words up to "not valid YAML:"; what the YAML parser says after it is its own.
    (problem,) = [str(p) for p in report.problems]
    assert problem.startswith(f"{path}:4: e1: not valid YAML: ")
    assert len(problem) > len(f"{path}:4: e1: not valid YAML: ")
    scores = {s.student: [e.score for e in s.exercises] for s in report.students}
    assert scores == {"ayse": [1, 1], "bob": [0, 0]}


def test_summary_files(class_key, tmp_path: Path) -> None:
    key, sets = class_key
    for s in sets:
        (tmp_path / f"{s.student}.yaml").write_text(
            f"student: {s.student}\nanswers:\n  e1: [[bach, bach]]\n  e2: [[bach, bach]]\n", encoding="utf-8"
        )
    read, problems, failed = read_answer_files([str(tmp_path / f"{s.student}.yaml") for s in sets])
    files = summary_files(grade_answers(key, read, problems, failed))
    assert files["mistakes.png"].startswith(b"\x89PNG")
    grades = files["grades.csv"].decode().splitlines()
    assert grades[0] == "student,name,file,e1,e2,total,possible,percent"
    assert grades[1].startswith("ayse,Ayşe,") and grades[1].endswith(",0.5,0.33,0.83,2,42")
    summary = files["summary.md"].decode()
    assert "| e1 pure: missed a pure equilibrium | 3 |" in summary
    assert "| e2 mixed: missed the mixed equilibrium | 3 |" in summary
    assert "You missed (stravinsky, stravinsky)" in files["feedback/bob.md"].decode()


def test_a_broken_key_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "key.yaml"
    path.write_text("negsim_key: 1\nstudents:\n  ayse:\n    exercises:\n      e1: {kind: pur, answer: []}\n")
    with pytest.raises(InputError) as info:
        read_key(str(path))
    assert str(info.value.problems[0]).startswith(
        f"{path}:5:11: students.ayse.exercises.e1: not a valid key entry"
    )
    path.write_text("just: a file\n")
    with pytest.raises(InputError, match="not a negsim answer key"):
        read_key(str(path))


def test_sensitivity_partial_credit_and_one_players_conditions() -> None:
    source = load_source("s400-2025-limited-use")
    from negsim.classroom.variants import scenario_setup

    ex = KINDS["sensitivity"].build(scenario_setup("sensitivity", "medium", source, source.game.values()))
    grade = KINDS["sensitivity"].grade
    assert grade(ex.game, ex.answer, dict(ex.grading), ["3", 7.0]).score == 1
    half = grade(ex.game, ex.answer, dict(ex.grading), [3, 8])
    assert half.score == Fraction(1, 2)
    assert half.feedback == ["The upper end is 7, not 8: above it, Turkey would switch to store."]
    assert half.mistakes == ["wrong upper end"]
    # A game where both players' conditions bind: Row's alone give [0, 6], Column's [4, 10].
    import random

    from negsim.classroom.random_games import _sensitivity_setup

    rng = random.Random("sensitivity-one-player")
    ex = None
    while ex is None:
        setup = _sensitivity_setup(rng, "medium")
        if setup is not None:
            candidate = KINDS["sensitivity"].build(setup)
            players = [p for p in candidate.grading["per_player"].values() if p]
            if len({tuple(p) for p in players} | {tuple(candidate.answer)}) == 3:
                ex = candidate
    row_only = ex.grading["per_player"]["row"]
    result = grade(ex.game, ex.answer, dict(ex.grading), row_only)
    assert "checked only one player's incentives" in result.mistakes
    assert any(f.startswith("Your interval is where Row does not want to switch") for f in result.feedback)


def test_sequential_off_path_choices_count() -> None:
    from negsim.classroom.variants import scenario_setup

    source = load_source("s400-2019-activation-then-sanctions")
    ex = KINDS["sequential"].build(scenario_setup("sequential", "medium", source, source.game.values()))
    grade = KINDS["sequential"].grade
    choices = dict(ex.answer["choices"])
    wrong_move = next(m for m in ("sanction", "hold_off") if m != choices["after full"])
    choices["after full"] = wrong_move
    result = grade(ex.game, ex.answer, dict(ex.grading), {"path": ex.answer["path"], "choices": choices})
    total = len(choices)
    assert result.score == Fraction(1, 2) + Fraction(total - 1, 2 * total)
    assert result.mistakes == ["wrong choice off the path (an incomplete plan)"]
    assert result.feedback[0].startswith(
        f"after full: United States would choose {ex.answer['choices']['after full']}"
    )
    with pytest.raises(AnswerError, match="unknown decision point 'after ful'"):
        grade(ex.game, ex.answer, dict(ex.grading), {"path": ["store"], "choices": {"after ful": "sanction"}})


def test_sweep_plot_reading_tolerance_and_partial_credit() -> None:
    from negsim.classroom.variants import scenario_setup

    source = load_source("s400-2025-limited-use")
    ex = KINDS["sweep-plot"].build(scenario_setup("sweep-plot", "medium", source, source.game.values()))
    grade = KINDS["sweep-plot"].grade
    read = {"at": ["store / incentives", "limited / keep", "store+limited / keep+incentives"], "tipping": 7.1}
    assert grade(ex.game, ex.answer, dict(ex.grading), read).score == 1  # within 1/50 of the range
    half = grade(ex.game, ex.answer, dict(ex.grading), {"at": read["at"], "tipping": 8})
    assert half.score == Fraction(1, 2) and half.mistakes == ["misread a tipping point"]
    assert half.feedback == [
        "(b) limited / keep stops being an equilibrium at 7 (the dashed line where its bar ends), not 8."
    ]
    with pytest.raises(AnswerError, match="unknown strategy 'stor'"):
        grade(ex.game, ex.answer, dict(ex.grading), {"at": ["stor / incentives"], "tipping": 7})
