"""Per-student variants: different numbers, the same answer structure, reproducible by seed."""

from __future__ import annotations

import numpy as np
import pytest

from negsim.classroom.keyfile import key_to_yaml
from negsim.classroom.kinds import KINDS
from negsim.classroom.sets import Student, make_exercise_sets
from negsim.errors import InputError

pytestmark = pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")

ROSTER = [Student("ayse", "Ayşe Yılmaz"), Student("bob"), Student("can"), Student("deniz")]


def _payoffs(ex) -> list[float]:
    return sorted(np.ravel(ex.game.payoffs).tolist())


@pytest.mark.slow
@pytest.mark.parametrize(
    "source,kinds",
    [
        (
            None,
            [
                "pure",
                "dominance",
                "weak-dominance",
                "mixed",
                "pareto",
                "maximin",
                "sensitivity",
                "sequential",
            ],
        ),
        ("s400-2025-limited-use", ["pure", "dominance", "mixed", "pareto", "maximin", "sensitivity"]),
        ("s400-2019-activation-then-sanctions", ["sequential"]),
    ],
)
def test_variants_differ_but_are_equivalent(source, kinds) -> None:
    sets = make_exercise_sets(source, kinds, difficulty="medium", seed=3, students=ROSTER)
    assert [s.student for s in sets] == [s.id for s in ROSTER]
    for j, kind in enumerate(kinds):
        exercises = [s.exercises[j] for s in sets]
        assert {ex.kind for ex in exercises} == {kind}
        assert {ex.difficulty for ex in exercises} == {"medium"}
        assert {ex.id for ex in exercises} == {f"e{j + 1}"}
        signatures = {KINDS[kind].signature(ex) for ex in exercises}
        assert len(signatures) == 1, f"{kind}: variants are not equivalent: {signatures}"
        numbers = {tuple(_payoffs(ex)) for ex in exercises}
        assert len(numbers) == len(ROSTER), f"{kind}: two students got the same numbers"


@pytest.mark.slow
def test_same_seed_same_key_and_other_seed_other_key() -> None:
    first = key_to_yaml(make_exercise_sets(None, ["pure", "mixed"], seed=11, students=ROSTER))
    again = key_to_yaml(make_exercise_sets(None, ["pure", "mixed"], seed=11, students=ROSTER))
    other = key_to_yaml(make_exercise_sets(None, ["pure", "mixed"], seed=12, students=ROSTER))
    assert first == again
    assert first != other


@pytest.mark.slow
def test_a_students_variant_does_not_depend_on_the_rest_of_the_roster() -> None:
    alone = make_exercise_sets("s400-2025-limited-use", ["pure"], seed=5, students=[Student("bob")])
    with_class = make_exercise_sets("s400-2025-limited-use", ["pure"], seed=5, students=ROSTER)
    bob = next(s for s in with_class if s.student == "bob")
    assert np.array_equal(alone[0].exercises[0].game.payoffs, bob.exercises[0].game.payoffs)
    assert alone[0].exercises[0].game.strategies == bob.exercises[0].game.strategies


@pytest.mark.slow
def test_scenario_variant_states_its_parameter_values() -> None:
    sets = make_exercise_sets("s400-2025-limited-use", ["pure"], seed=2, students=ROSTER[:2])
    for s in sets:
        ex = s.exercises[0]
        assert ex.intro.startswith("In this version of the scenario:")
        # Every stated value is within the scenario's documented range.
        for part in ex.intro.removeprefix("In this version of the scenario: ").rstrip(".").split(", "):
            name, value = part.split(" = ")
            assert name in ex.game.parameters
            assert float(value) == ex.game.parameters[name]


@pytest.mark.slow
def test_without_roster_one_class_set() -> None:
    sets = make_exercise_sets("battle-of-the-sexes", ["pure", "mixed"], seed=1)
    assert len(sets) == 1 and sets[0].student == ""
    assert [ex.id for ex in sets[0].exercises] == ["e1", "e2"]


def test_unknown_kind_and_difficulty_are_input_errors() -> None:
    with pytest.raises(InputError) as info:
        make_exercise_sets(None, ["pur", "mixed"], difficulty="hardest")
    messages = [str(p) for p in info.value.problems]
    assert "--kinds: unknown kind 'pur' (did you mean 'pure'?)" in messages
    assert any(m.startswith("--difficulty: unknown difficulty 'hardest'") for m in messages)
