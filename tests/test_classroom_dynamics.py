"""Exercises on learning dynamics: "where does the replicator go?" and the tipping share of a
population. Keys equal the engine's (rest points and their stability, the exact separatrix),
worked solutions end at the key, grading gives partial credit, variants differ, every worksheet
format shows them, and a class's key grades its own answers with full marks."""

from __future__ import annotations

import io
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pypdf
import pytest
import yaml

from negsim.classroom.exercises import Setup
from negsim.classroom.kinds import KINDS
from negsim.classroom.kinds.replicator import point_text, random_2x2
from negsim.classroom.random_games import random_exercise, random_game
from negsim.classroom.sets import Student, make_exercise_sets
from negsim.classroom.variants import scenario_setup
from negsim.classroom.worksheet import render_html, render_markdown, render_pdf
from negsim.cli import main
from negsim.compile.source import load_source
from negsim.dynamics import replicator, rest_points, separatrix
from negsim.errors import InputError
from negsim.game import Game

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")

KINDS_HERE = ["replicator", "tipping-share"]
WORDS = {"sink": "stable", "source": "unstable", "saddle": "saddle", "centre": "centre"}


def _mixes(game: Game, item) -> tuple[tuple[Fraction, ...], ...]:
    if isinstance(item, list):
        return tuple(
            tuple(Fraction(int(k == game.strategy_index(i, s))) for k in range(2)) for i, s in enumerate(item)
        )
    return tuple(
        tuple(Fraction(str(item[p].get(s, 0))) for s in game.strategies[i])
        for i, p in enumerate(game.players)
    )


def check_replicator_key(ex) -> None:
    """Every rest point of the engine, under the class of its linearisation, and nothing else."""
    game = ex.game
    key = {(_mixes(game, item), cls) for cls, items in ex.answer.items() for item in items}
    engine = {(tuple(tuple(s) for s in p.exact), WORDS[p.stability]) for p in rest_points(game).points}
    assert key == engine
    # and the trajectory of the engine's replicator from an interior start ends as the key says
    stable = [m for m, cls in key if cls == "stable"]
    t = replicator(game, [[0.37, 0.63], [0.41, 0.59]], horizon=200)
    if len(stable) == 1:
        assert t.outcome.reached and t.outcome.label == point_text(game, stable[0]).strip("()").replace(
            ", ", " / "
        )
    elif not stable:
        assert not t.outcome.reached


def check_tipping_key(ex) -> None:
    """The share where the replicator changes direction, and which strategy grows on each side."""
    game = ex.game
    share = Fraction(str(ex.answer["share"]))
    first = game.strategies[0][0]
    if ex.grading["population"] == "one":
        assert set(game.strategies[0]) == set(game.strategies[1])
        # one population: the share of the first strategy moves up above the threshold iff the
        # first strategy is the one that spreads there
        for x, part in ((float(share) + 0.02, "above"), (float(share) - 0.02, "below")):
            order = [game.strategies[1].index(s) for s in game.strategies[0]]
            A = game.payoffs[0][:, order]
            advantage = (A[0] - A[1]) @ np.array([x, 1 - x])
            assert (advantage > 0) == (ex.answer[part] == first)
        if ex.grading["coordination"]:
            aligned = Game.from_matrices(
                game.payoffs[0][:, order], game.payoffs[0][:, order].T, strategies=[game.strategies[0]] * 2
            )
            assert separatrix(aligned, population="single").threshold == share
    else:
        for q, part in ((float(share) + 0.01, "above"), (float(share) - 0.01, "below")):
            t = replicator(game, [[0.5, 0.5], [q, 1 - q]], horizon=1e-3, samples=2)
            grows = t.end[0][0] > 0.5
            assert grows == (ex.answer[part] == first)


def check_key(ex) -> None:
    (check_replicator_key if ex.kind == "replicator" else check_tipping_key)(ex)


def check_solution_ends_at_key(ex) -> None:
    text = "\n".join(ex.solution)
    if ex.kind == "replicator":
        for items in ex.answer.values():
            for item in items:
                assert f"{point_text(ex.game, _mixes(ex.game, item))}" in text
        assert ex.solution[-1].startswith(("From every start", "Play goes to", "Play never settles"))
    else:
        share = Fraction(str(ex.answer["share"]))
        var = "x" if ex.grading["population"] == "one" else "q"
        assert (
            f"So above {var} = {share} {ex.answer['above']} does better and spreads; below it "
            f"{ex.answer['below']} does." in text.replace("\u2212", "-")
        )


def check_full_marks(ex) -> None:
    grade = KINDS[ex.kind].grade(ex.game, ex.answer, dict(ex.grading), ex.answer)
    assert grade.score == 1 and grade.mistakes == [], grade.feedback


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
@pytest.mark.parametrize("kind", KINDS_HERE)
def test_random_family_key_matches_engine(kind: str, difficulty: str) -> None:
    for seed in range(3):
        ex = random_exercise(kind, difficulty, random.Random(f"{kind}-{difficulty}-{seed}"))
        assert ex.kind == kind and ex.difficulty == difficulty
        check_key(ex)
        check_solution_ends_at_key(ex)
        check_full_marks(ex)


@pytest.mark.parametrize("kind", KINDS_HERE)
@pytest.mark.parametrize(
    "scenario",
    [
        "s400-2025-limited-use",
        "s400-2018-buy-but-never-use",
        "stag-hunt",
        "chicken",
        "matching-pennies",
        "prisoners-dilemma",
    ],
)
def test_scenario_key_matches_engine(kind: str, scenario: str) -> None:
    source = load_source(scenario)
    if (kind, scenario) == ("tipping-share", "prisoners-dilemma"):
        # defection always spreads: no share where the two strategies do equally well
        with pytest.raises(InputError, match="no 2x2 part of this game suits a tipping-share exercise"):
            scenario_setup(kind, "medium", source, source.game.values())
        return
    ex = KINDS[kind].build(scenario_setup(kind, "medium", source, source.game.values()))
    check_key(ex)
    check_solution_ends_at_key(ex)
    check_full_marks(ex)


# -- textbook cases ------------------------------------------------------------------------------------------


def test_the_stag_hunt_tips_at_one_half_in_one_population() -> None:
    # Osborne's stag hunt (payoffs 3, 2, 1): a stag pays 3x + 1(1 - x), a hare 2 whatever happens
    source = load_source("stag-hunt")
    ex = KINDS["tipping-share"].build(scenario_setup("tipping-share", "medium", source, {}))
    assert ex.grading == {"population": "one", "coordination": True}
    assert ex.answer == {"share": "1/2", "above": "stag", "below": "hare"}
    assert "1/2 is the tipping share" in ex.solution[-1]
    # and for the two-population replicator, the mixed equilibrium is a saddle between two sinks
    rest = KINDS["replicator"].build(scenario_setup("replicator", "medium", source, {}))
    assert rest.answer["stable"] == [["stag", "stag"], ["hare", "hare"]]
    assert rest.answer["saddle"] == [
        {"hunter_1": {"stag": "1/2", "hare": "1/2"}, "hunter_2": {"stag": "1/2", "hare": "1/2"}}
    ]


def test_hawk_dove_settles_at_the_stable_mix() -> None:
    # hawk-dove with V = 2, C = 4: hawks at V/C = 1/2, and above it doves spread
    game = random_game([[-1, 2], [0, 1]], [[-1, 0], [2, 1]]).replace(strategies=(("hawk", "dove"),) * 2)
    ex = KINDS["tipping-share"].build(Setup(game, "medium"))
    assert ex.answer == {"share": "1/2", "above": "dove", "below": "hawk"}
    assert ex.grading["coordination"] is False and "a stable mix" in ex.solution[-1]


def test_matching_pennies_circles_round_a_centre() -> None:
    ex = KINDS["replicator"].build(
        scenario_setup("replicator", "medium", load_source("matching-pennies"), {})
    )
    assert set(ex.answer) == {"saddle", "centre"} and len(ex.answer["saddle"]) == 4
    assert "imaginary, a centre" in "\n".join(ex.solution)
    assert ex.solution[-1].startswith("Play never settles")


def test_the_prisoners_dilemma_goes_to_mutual_defection() -> None:
    ex = KINDS["replicator"].build(scenario_setup("replicator", "easy", load_source("prisoners-dilemma"), {}))
    assert ex.answer["stable"] == [["defect", "defect"]] and ex.answer["unstable"] == [
        ["cooperate", "cooperate"]
    ]
    assert ex.solution[-1] == "From every start inside the square play goes to (defect, defect)."


def test_a_line_of_rest_points_is_no_exercise() -> None:
    from negsim.classroom.calc import KeyMismatch

    tie = random_2x2(random.Random(0), 0, 0)  # every payoff 0: everything is a rest point
    with pytest.raises(KeyMismatch):
        KINDS["replicator"].build(Setup(tie, "easy"))


# -- grading ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stag():
    source = load_source("stag-hunt")
    return (
        KINDS["replicator"].build(scenario_setup("replicator", "medium", source, {})),
        KINDS["tipping-share"].build(scenario_setup("tipping-share", "medium", source, {})),
    )


def _grade(ex, raw):
    return KINDS[ex.kind].grade(ex.game, ex.answer, dict(ex.grading), raw)


def test_replicator_partial_credit(stag) -> None:
    rest, _ = stag
    # the interior point called stable: half credit for it, the four corners right
    grade = _grade(
        rest,
        {
            "stable": [
                ["stag", "stag"],
                ["hare", "hare"],
                {"hunter_1": {"stag": "1/2", "hare": 0.5}, "hunter_2": {"stag": "1/2", "hare": "1/2"}},
            ],
            "unstable": [["stag", "hare"], ["hare", "stag"]],
        },
    )
    assert grade.score == Fraction(9, 10)
    assert grade.mistakes == ["called a saddle rest point stable"]
    # the interior point missed, and a point that is no rest point listed
    grade = _grade(
        rest,
        {
            "stable": [["stag", "stag"], ["hare", "hare"]],
            "unstable": [["stag", "hare"]],
            "saddle": [{"hunter_1": {"stag": "1/3", "hare": "2/3"}, "hunter_2": "stag"}],
        },
    )
    assert grade.score == Fraction(2, 5)
    assert "missed the interior rest point" in grade.mistakes and "missed a corner" in grade.mistakes
    assert "listed a point that is not a rest point" in grade.mistakes
    assert any(
        "is not a rest point: Hunter 1's share of stag changes at the rate" in f for f in grade.feedback
    )


def test_replicator_answers_that_cannot_be_read(stag) -> None:
    from negsim.classroom.answers import AnswerError

    rest, _ = stag
    with pytest.raises(AnswerError, match="unknown class 'stabel'"):
        _grade(rest, {"stabel": [["stag", "stag"]]})
    with pytest.raises(AnswerError, match="expected the rest points under their class"):
        _grade(rest, [["stag", "stag"]])


def test_tipping_share_partial_credit_and_named_mistakes() -> None:
    game = random_game([[4, 0], [3, 3]], [[4, 3], [0, 3]]).replace(strategies=(("stag", "hare"),) * 2)
    ex = KINDS["tipping-share"].build(Setup(game, "medium"))
    assert ex.answer == {"share": "3/4", "above": "stag", "below": "hare"}
    grade = _grade(ex, {"share": "1/4", "above": "stag", "below": "hare"})
    assert grade.score == Fraction(1, 2) and grade.mistakes == ["gave the share of the other strategy"]
    grade = _grade(ex, {"share": 0.75, "above": "hare", "below": "stag"})
    assert grade.score == Fraction(1, 2) and grade.mistakes == ["swapped above and below"]
    grade = _grade(ex, {"share": "3/4", "above": "stag"})
    assert grade.score == Fraction(3, 4) and grade.mistakes == ["wrong strategy below the share"]


def test_tipping_share_names_the_other_populations_threshold() -> None:
    game = random_game([[3, 3], [0, 4]], [[-2, -1], [-5, -5.5]])
    ex = KINDS["tipping-share"].build(Setup(game, "hard"))
    assert ex.grading["population"] == "two" and ex.answer["share"] == "1/4"
    grade = _grade(
        ex, {"share": ex.grading["other_side"], "above": ex.answer["above"], "below": ex.answer["below"]}
    )
    assert grade.score == Fraction(1, 2) and grade.mistakes == ["used the other population's payoffs"]


# -- variants, worksheets, key files ----------------------------------------------------------------

ROSTER = [Student("ayse", "Ayşe Yılmaz"), Student("bob"), Student("can"), Student("deniz")]


@pytest.mark.parametrize("source", [None, "s400-2025-limited-use", "s400-2018-buy-but-never-use"])
def test_variants_differ_but_are_equivalent(source) -> None:
    sets = make_exercise_sets(source, KINDS_HERE, difficulty="medium", seed=3, students=ROSTER)
    for j, kind in enumerate(KINDS_HERE):
        exercises = [s.exercises[j] for s in sets]
        assert {KINDS[kind].signature(ex) for ex in exercises} == {KINDS[kind].signature(exercises[0])}
        numbers = {tuple(sorted(np.ravel(ex.game.payoffs).tolist())) for ex in exercises}
        assert len(numbers) == len(ROSTER), f"{kind}: two students got the same numbers"
        for ex in exercises:
            check_key(ex)
            # the answer format's example is no student's answer, nor part of one, and it grades
            example = yaml.safe_load(ex.answer_format.rsplit("e.g. ", 1)[1])
            for other in exercises:
                assert KINDS[kind].grade(other.game, other.answer, dict(other.grading), example).score < 1
            if kind == "replicator":
                shown = {(c, str(p)) for c, items in example.items() for p in items}
                assert not shown & {
                    (c, str(p)) for o in exercises for c, items in o.answer.items() for p in items
                }


@pytest.fixture(scope="module")
def s400_set():
    return make_exercise_sets("s400-2025-limited-use", KINDS_HERE, seed=7, students=ROSTER[:1])[0]


def test_every_worksheet_format_shows_the_questions_and_the_teacher_answers(s400_set) -> None:
    student, _ = render_markdown(s400_set, teacher=False)
    teacher, _ = render_markdown(s400_set, teacher=True)
    page = render_html(s400_set, teacher=True)
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(s400_set, teacher=True)))
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages).replace("-\n", "")
    for ex in s400_set.exercises:
        assert ex.title in student and ex.title in page and ex.title in pdf_text
        assert "Worked solution" not in student and ex.answer_text.split(":")[0] in teacher
    assert "the replicator dynamics" in " ".join(student.split())
    assert "Worked solution" in page
    assert "tipping share" in pdf_text.lower()


def test_the_command_line_makes_and_grades_a_class(tmp_path: Path, capsys) -> None:
    out = tmp_path / "sheets"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\nayse,Ayşe\nbob,Bob\n", encoding="utf-8")
    code = main(
        [
            "exercise",
            "s400-2025-limited-use",
            "--kinds",
            ",".join(KINDS_HERE),
            "--students",
            str(roster),
            "--seed",
            "2",
            "--format",
            "md",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    key = yaml.safe_load((out / "key.yaml").read_text(encoding="utf-8"))
    answers = []
    for student, entry in key["students"].items():
        given = {e: data["answer"] for e, data in entry["exercises"].items()}
        if student == "bob":  # Bob swaps which strategy spreads above and below the share
            tipping = given["e2"]
            given["e2"] = {**tipping, "above": tipping["below"], "below": tipping["above"]}
        path = tmp_path / f"{student}.yaml"
        path.write_text(yaml.safe_dump({"student": student, "answers": given}), encoding="utf-8")
        answers.append(str(path))
    capsys.readouterr()
    code = main(["grade", str(out / "key.yaml"), *answers, "-o", str(tmp_path / "grades")])
    assert code == 0
    import csv

    with open(tmp_path / "grades" / "grades.csv", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert (rows["ayse"]["e1"], rows["ayse"]["e2"], rows["ayse"]["percent"]) == ("1", "1", "100")
    assert (rows["bob"]["e1"], rows["bob"]["e2"], rows["bob"]["percent"]) == ("1", "0.5", "75")
