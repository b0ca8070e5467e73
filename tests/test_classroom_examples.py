"""Per-student variants differ, and no answer format's example gives an answer away.

Two promises of ``negsim exercise --students``:

- Over a roster of ten, every kind whose answer can change with the scenario's parameters gives
  several different answers, at least N per kind (the table below says why that N);
- the example in each exercise's answer format is no part of any student's true answer: no
  profile of it is an equilibrium, no set of strategies survives, no mix or number is one of
  the answer's. The examples are read back from the worksheet text, in the answer notation, and
  compared with every student's key by the rules the grader uses.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import pytest
import yaml

from negsim.classroom.kinds import KINDS
from negsim.classroom.kinds.sweep_plot import READING_TOLERANCE, _outcome_key
from negsim.classroom.sets import Student, make_exercise_sets

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")

TEN = tuple(Student(f"student{k:02d}") for k in range(10))
SCENARIO = "s400-2025-limited-use"
SCENARIO_KINDS = ("pure", "dominance", "weak-dominance", "mixed", "pareto", "maximin", "sensitivity",
                  "sweep-plot")
SEQUENTIAL = "s400-2019-activation-then-sanctions"
RANDOM_KINDS = ("pure", "dominance", "weak-dominance", "mixed", "pareto", "maximin", "sensitivity",
                "sequential")


@cache
def exercise_sets(source: str | None, kinds: tuple[str, ...], seed: int, roster: tuple[Student, ...]):
    return make_exercise_sets(source, list(kinds), seed=seed, students=list(roster))


# -- different answers ------------------------------------------------------------------------------

DISTINCT = [
    # The 2025 game is 5x4 with 16 parameters: its pure equilibria move as the parameters do,
    # and each variant is drawn among up to four different answers found.
    pytest.param(SCENARIO, "pure", 4, id="pure"),
    # Dominance-solvable in five rounds at the defaults; moved parameters leave the other
    # survivors (store/incentives, patriot/incentives, full/waive, ...) after three or more.
    pytest.param(SCENARIO, "dominance", 3, id="dominance"),
    pytest.param(SCENARIO, "weak-dominance", 3, id="weak-dominance"),
    # Probabilities and payoffs are fractions of the parameters: nearly every move changes them.
    pytest.param(SCENARIO, "mixed", 8, id="mixed"),
    # Five efficient profiles out of twenty, which ones moving with the payoffs.
    pytest.param(SCENARIO, "pareto", 6, id="pareto"),
    pytest.param(SCENARIO, "maximin", 8, id="maximin"),
    # The interval's ends are tipping points of the other parameters' values.
    pytest.param(SCENARIO, "sensitivity", 5, id="sensitivity"),
    pytest.param(SCENARIO, "sweep-plot", 6, id="sweep-plot"),
    # The 2019 tree has five subgame-perfect plans within its parameter ranges, one of them the
    # class's own (store, hold off): variants take the others, of which three are common.
    pytest.param(SEQUENTIAL, "sequential", 3, id="sequential"),
]


def _sets_for(source: str, kind: str):
    if kind == "sequential":
        return exercise_sets(source, ("sequential",), 4, TEN), 0
    return exercise_sets(source, SCENARIO_KINDS, 4, TEN), SCENARIO_KINDS.index(kind)


@pytest.mark.parametrize("source, kind, at_least", DISTINCT)
def test_ten_students_get_several_different_answers(source, kind, at_least):
    sets, j = _sets_for(source, kind)
    answers = {KINDS[kind].answer_key(s.exercises[j]) for s in sets}
    assert len(answers) >= at_least, f"{kind}: only {len(answers)} different answers for 10 students"
    # Different answers, yet the same exercise: the shape of the answer is the class's.
    assert len({KINDS[kind].signature(s.exercises[j]) for s in sets}) == 1


def test_random_games_give_different_answers_too():
    sets = exercise_sets(None, RANDOM_KINDS, 2, TEN[:6])
    for j, kind in enumerate(RANDOM_KINDS):
        answers = {KINDS[kind].answer_key(s.exercises[j]) for s in sets}
        assert len(answers) >= 3, kind


def test_a_scenario_without_parameters_varies_only_the_order():
    # Nothing moves the payoffs of a game without parameters: every student has the same answer
    # (the strategies listed in another order), which is all the kind allows there.
    sets = exercise_sets("chicken", ("pure", "mixed"), 1, TEN[:4])
    for j, kind in enumerate(("pure", "mixed")):
        assert len({KINDS[kind].answer_key(s.exercises[j]) for s in sets}) == 1


# -- examples that give nothing away ----------------------------------------------------------------


def example_of(exercise):
    """The example of an answer format, read as an answer file would read it."""
    text = exercise.answer_format
    assert "e.g. " in text, text
    return yaml.safe_load(text.rsplit("e.g. ", 1)[1])


def placeholder(value) -> bool:
    return isinstance(value, str) and value.startswith("<") and value.endswith(">")


def contains_placeholder(value) -> bool:
    if isinstance(value, dict):
        return any(contains_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_placeholder(v) for v in value)
    return placeholder(value)


def _fraction(value) -> Fraction:
    return Fraction(str(value))


def _profile(value) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(s, str) and not placeholder(s) for s in value):
        return tuple(s.lower() for s in value)
    return None


def _mix(value) -> dict[str, Fraction] | None:
    if not isinstance(value, dict):
        return None
    return {str(s).lower(): _fraction(p) for s, p in value.items()}


def _same_mix(a: dict[str, Fraction], b: dict[str, Fraction]) -> bool:
    return all(a.get(k, Fraction(0)) == b.get(k, Fraction(0)) for k in set(a) | set(b))


def leaks(kind: str, example, student) -> list[str]:
    """The parts of ``example`` that are right for ``student``'s exercise."""
    answer = student.answer
    found = []
    if kind in ("pure", "pareto"):
        true = {tuple(s.lower() for s in p) for p in answer}
        found += [f"profile {p}" for p in map(_profile, example) if p in true]
    elif kind in ("dominance", "weak-dominance"):
        for player, survivors in example.items():
            if not contains_placeholder(survivors):
                given = {s.lower() for s in ([survivors] if isinstance(survivors, str) else survivors)}
                if given == {s.lower() for s in answer[player]}:
                    found.append(f"survivors of {player}")
    elif kind == "mixed":
        true_pure = {_profile(e) for e in answer if isinstance(e, list)}
        for entry in example:
            if isinstance(entry, list) and _profile(entry) in true_pure:
                found.append(f"pure equilibrium {entry}")
            if isinstance(entry, dict):
                for player, mix in entry.items():
                    given = _mix(mix)
                    if given is None:
                        continue
                    for true in answer:
                        if isinstance(true, dict) and _same_mix(given, _mix(true[player])):
                            found.append(f"{player}'s mix {mix}")
    elif kind == "maximin":
        for player, entry in example.items():
            key = answer[player]
            pure = entry["pure"]
            if not contains_placeholder(pure):
                given = {s.lower() for s in ([pure] if isinstance(pure, str) else pure)}
                if given == {s.lower() for s in key["pure"]}:
                    found.append(f"{player}'s pure maximin")
            if _fraction(entry["value"]) == _fraction(key["value"]):
                found.append(f"{player}'s guarantee")
            if "mix" in key and "mix" in entry and not contains_placeholder(entry["mix"]):
                window = student.grading["mix_range"][player]
                first = next(iter(key["mix"])).lower()
                weight = _mix(entry["mix"]).get(first, Fraction(0))
                if _fraction(window["low"]) <= weight <= _fraction(window["high"]):
                    found.append(f"{player}'s security mix")
            if "level" in key and "level" in entry and _fraction(entry["level"]) == _fraction(key["level"]):
                found.append(f"{player}'s security level")
    elif kind == "sensitivity":
        ends = {_fraction(v) for v in answer}
        found += [f"end {v}" for v in example if not placeholder(v) and _fraction(v) in ends]
    elif kind == "sequential":
        if [m.lower() for m in example["path"]] == [m.lower() for m in answer["path"]]:
            found.append("the path")
        for label, move in (example.get("choices") or {}).items():
            if str(answer["choices"].get(label, "")).lower() == str(move).lower():
                found.append(f"the move at {label}")
    elif kind == "sweep-plot":
        true = {_outcome_key(o) for o in answer["at"]}
        found += [f"equilibrium {o!r}" for o in example["at"]
                  if not placeholder(o) and _outcome_key(o) in true]
        low, high = (_fraction(v) for v in student.grading["range"])
        tipping = example["tipping"]
        off = None if placeholder(tipping) else abs(_fraction(tipping) - _fraction(answer["tipping"]))
        if off is not None and off <= READING_TOLERANCE * (high - low):
            found.append("the tipping point")
    else:
        raise AssertionError(f"no leak rule for {kind}")
    return found


def _check_no_leaks(sets, kinds):
    for j, kind in enumerate(kinds):
        column = [s.exercises[j] for s in sets]
        for ex in column:
            example = example_of(ex)
            for student in column:
                assert leaks(kind, example, student) == [], (
                    f"{kind}: the example {ex.answer_format!r} gives away part of an answer: "
                    f"{leaks(kind, example, student)}"
                )
            if not contains_placeholder(example):
                # The example is written in this exercise's own notation: the grader reads it.
                KINDS[kind].grade(ex.game, ex.answer, dict(ex.grading), example)


def test_no_example_is_part_of_any_students_answer_ten_students():
    _check_no_leaks(exercise_sets(SCENARIO, SCENARIO_KINDS, 4, TEN), SCENARIO_KINDS)
    _check_no_leaks(exercise_sets(SEQUENTIAL, ("sequential",), 4, TEN), ("sequential",))


def test_no_example_is_part_of_any_students_answer_other_rosters_and_seeds():
    kinds = ("pure", "dominance", "mixed", "pareto", "maximin", "sensitivity")
    _check_no_leaks(exercise_sets(SCENARIO, kinds, 11, TEN[:3]), kinds)
    _check_no_leaks(exercise_sets(None, RANDOM_KINDS, 2, TEN[:6]), RANDOM_KINDS)
    _check_no_leaks(exercise_sets(SEQUENTIAL, ("sequential",), 9, TEN[:2]), ("sequential",))


CLASS_SOURCES = {
    "chicken": ("pure", "dominance", "weak-dominance", "mixed", "pareto", "maximin"),
    "battle-of-the-sexes": ("pure", "dominance", "mixed", "pareto", "maximin"),
    "matching-pennies": ("pure", "mixed", "pareto", "maximin"),
    # No mixed equilibrium: no mixed-strategy exercise.
    "prisoners-dilemma": ("pure", "dominance", "weak-dominance", "pareto", "maximin"),
    None: ("pure", "dominance", "weak-dominance", "mixed", "pareto", "maximin"),
}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_example_is_the_answer_of_the_class_worksheet(seed):
    for source, kinds in CLASS_SOURCES.items():
        _check_no_leaks(exercise_sets(source, kinds, seed, ()), kinds)


def test_the_leak_rules_catch_an_example_that_is_an_answer():
    # The rules above are not vacuous: an exercise's own answer, given as its example, leaks.
    sets = exercise_sets(SCENARIO, SCENARIO_KINDS, 4, TEN)
    for j, kind in enumerate(SCENARIO_KINDS):
        ex = sets[0].exercises[j]
        answer = ex.answer
        if kind == "sweep-plot":
            answer = {"at": answer["at"], "tipping": answer["tipping"]}
        assert leaks(kind, yaml.safe_load(yaml.safe_dump(answer)), ex), kind


def test_the_notation_examples_hold():
    import doctest

    from negsim.classroom.kinds import examples

    assert doctest.testmod(examples).failed == 0
