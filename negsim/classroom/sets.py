"""Exercise sets: one worksheet's exercises, for the class or one set per student."""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from negsim.classroom.calc import KeyMismatch
from negsim.classroom.exercises import DIFFICULTIES, Exercise, ExerciseSet
from negsim.classroom.kinds import KINDS
from negsim.classroom.random_games import random_exercise
from negsim.classroom.variants import exercise_rng, scenario_setup, variant
from negsim.compile.source import Source, load_source
from negsim.errors import InputError, Problem, did_you_mean

__all__ = ["DEFAULT_KINDS", "Student", "check_kinds", "make_exercise_sets", "read_roster"]

DEFAULT_KINDS = ("pure", "dominance", "mixed", "pareto", "maximin")


@dataclass(frozen=True)
class Student:
    """One student of the roster: an id (used in file names and answer files) and a name."""

    id: str
    name: str = ""


def check_kinds(kinds: Sequence[str], difficulty: str) -> list[str]:
    problems = []
    for kind in kinds:
        if kind not in KINDS:
            problems.append(
                Problem(f"unknown kind {kind!r}{did_you_mean(kind, list(KINDS))}", path="--kinds")
            )
    if not kinds:
        problems.append(Problem(f"give at least one kind ({', '.join(KINDS)})", path="--kinds"))
    if difficulty not in DIFFICULTIES:
        problems.append(
            Problem(
                f"unknown difficulty {difficulty!r}{did_you_mean(difficulty, list(DIFFICULTIES))}",
                path="--difficulty",
            )
        )
    if problems:
        raise InputError(problems)
    return list(kinds)


def make_exercise_sets(
    source: str | None,
    kinds: Sequence[str] = DEFAULT_KINDS,
    *,
    difficulty: str = "medium",
    seed: int = 0,
    students: Sequence[Student] = (),
    overrides: Mapping[str, float] | None = None,
) -> list[ExerciseSet]:
    """The class's exercise set, or one equivalent variant per student.

    ``source`` is a scenario id or path (``None``: random games). Without ``students`` the
    result is one set (``student == ""``); with them, one set per student, in roster order,
    each student's games and answers reproducible from ``(seed, student id)``. The example in
    each answer format is chosen last, so that it is no part of any student's answer on the
    roster (see :mod:`negsim.classroom.kinds.examples`).
    """
    kinds = check_kinds(kinds, difficulty)
    loaded = load_source(source) if source else None
    values = loaded.game.values(overrides) if loaded else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate-game warnings: the builders decide
        bases = [_base(kind, difficulty, seed, j, loaded, values) for j, kind in enumerate(kinds)]
        title = _title(loaded)
        origin = source or "random"
        if not students:
            return [ExerciseSet(title, "", origin, seed, tuple(_numbered(ex for ex, _ in bases)))]
        sets = []
        for student in students:
            exercises = [
                variant(
                    base,
                    setup,
                    kind=kind,
                    difficulty=difficulty,
                    rng=exercise_rng(seed, student.id, j, kind),
                    source=loaded,
                )
                for j, (kind, (base, setup)) in enumerate(zip(kinds, bases))
            ]
            sets.append(
                ExerciseSet(title, student.id, origin, seed, tuple(_numbered(exercises)), student.name)
            )
    return _examples_for_the_class(sets, kinds)


def _examples_for_the_class(sets: list[ExerciseSet], kinds: Sequence[str]) -> list[ExerciseSet]:
    """Each answer format's example made again so that it is no part of any student's answer
    (a student's own variant never depends on the roster; only the example avoids the others)."""
    columns = [[s.exercises[j] for s in sets] for j in range(len(kinds))]
    return [
        replace(s, exercises=tuple(
            replace(ex, answer_format=KINDS[kind].example(ex, columns[j]))
            for j, (kind, ex) in enumerate(zip(kinds, s.exercises))
        ))
        for s in sets
    ]


def _base(kind: str, difficulty: str, seed: int, index: int, loaded: Source | None, values):
    if loaded is None and kind == "sweep-plot":
        raise InputError(
            [Problem("sweep-plot exercises read a sweep of a scenario: give a SOURCE", path="--kinds")]
        )
    if loaded is None:
        return random_exercise(kind, difficulty, exercise_rng(seed, "", index, kind)), None

    setup = scenario_setup(kind, difficulty, loaded, values)
    try:
        return KINDS[kind].build(setup), setup
    except KeyMismatch as exc:
        raise InputError(
            [
                Problem(
                    f"{loaded.origin}: cannot make a {kind} exercise from this game ({exc})", path="--kinds"
                )
            ]
        ) from None


def _numbered(exercises) -> list[Exercise]:
    return [replace(ex, id=f"e{j + 1}") for j, ex in enumerate(exercises)]


def _title(loaded: Source | None) -> str:
    if loaded is None:
        return "Game theory exercises"
    scenario = loaded.scenario
    title = getattr(scenario, "title", "") or loaded.game.title or loaded.origin
    return f"Game theory exercises: {title}"


_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def read_roster(path: str) -> list[Student]:
    """Students from a CSV file with a header row: ``id`` (or ``student``) and optionally ``name``.

    Ids name files and are matched with answer files: letters, digits, ``_``, ``.`` and ``-``.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise InputError([Problem(f"cannot read the roster: {exc.strerror or exc}", file=path)]) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError([Problem(f"not a readable CSV file ({exc})", file=path)]) from None
    if not rows:
        raise InputError([Problem("the roster is empty", file=path, line=1)])
    header = [h.strip().lower() for h in rows[0]]
    id_column = next((header.index(h) for h in ("id", "student", "student_id") if h in header), None)
    if id_column is None:
        raise InputError(
            [Problem("expected a header row with an `id` column (and optionally `name`)", file=path, line=1)]
        )
    name_column = header.index("name") if "name" in header else None
    students: list[Student] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        student = row[id_column].strip() if id_column < len(row) else ""
        name = row[name_column].strip() if name_column is not None and name_column < len(row) else ""
        if not _STUDENT_ID.match(student):
            problems.append(
                Problem(
                    f"student id {student!r}: use 1 to 64 letters, digits, '_', '.' or '-', starting with a "
                    "letter or digit",
                    file=path,
                    line=number,
                )
            )
        elif student in seen:
            problems.append(
                Problem(f"student id {student!r} is already on line {seen[student]}", file=path, line=number)
            )
        else:
            seen[student] = number
            students.append(Student(student, name))
    if not students and not problems:
        problems.append(Problem("the roster lists no students", file=path, line=1))
    if problems:
        raise InputError(problems)
    return students
