"""Exercises: what a worksheet asks, the answer key, and the worked solution.

An :class:`Exercise` is plain data built by one of the kinds in :mod:`negsim.classroom.kinds`
from a :class:`Setup` (a two-player game and what to ask about it). Its ``answer`` is written
in the same notation students use in their answer files (see ``docs/how-to/grading.md``), so
the key file is also an example of a perfect answer file. ``solution`` holds the worked
solution, one step per item, in exact fractions; every builder recomputes its answer exactly
and checks it against the engine (:func:`negsim.solve.analyze`) before the exercise exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from negsim.game import Game, ParametricGame

__all__ = ["DIFFICULTIES", "Exercise", "ExerciseSet", "Figure", "Quote", "Setup"]

DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Quote:
    """A passage from a source article that sets the scene for a question."""

    text: str
    source: str


@dataclass(frozen=True)
class Figure:
    """A PNG figure shown with a question (a sweep plot, a payoff matrix)."""

    name: str
    caption: str
    png: bytes
    #: The words the figure shows for the things it names (its axis tick labels), read back
    #: from the drawn figure: what an answer must match.
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Setup:
    """What one exercise is about: the game, how hard, and where it came from.

    ``focus`` holds kind-specific choices (the strategies of a reduced game, the parameter of
    a sensitivity question, ...). ``scenario``/``parametric``/``values`` are set for exercises
    drawn from a scenario, so questions can quote its sources and state its parameter values.
    """

    game: Game
    difficulty: str
    scenario: Any | None = None
    parametric: ParametricGame | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    focus: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Exercise:
    """One question with its answer key and worked solution.

    ``game`` is the game the question shows (with exact payoffs). ``answer`` is plain data in
    the answer-file notation; ``answer_text`` says the same in words. ``setting`` describes the
    scenario (shared by the exercises of one worksheet), ``intro`` what is particular to this
    exercise (e.g. the parameter values of a student's variant). ``table``, when given, is
    shown instead of the numeric payoff table (header row first), e.g. payoffs as functions of
    a parameter. ``solution_figures`` belong to the worked solution (teacher edition only).
    ``table_caption`` says what ``table`` shows. ``answer_format`` shows students how to write
    their answer, with an example that is no student's answer (see
    :mod:`negsim.classroom.kinds.examples`). ``grading`` holds what the
    grader needs beyond the answer (e.g. the range of a parameter), all plain data.
    """

    kind: str
    difficulty: str
    title: str
    intro: str
    question: str
    game: Game
    answer: Any
    answer_text: str
    answer_format: str
    solution: tuple[str, ...]
    context: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    note: str = ""
    grading: Mapping[str, Any] = field(default_factory=dict)
    setting: str = ""
    table: tuple[tuple[str, ...], ...] = ()
    table_caption: str = ""
    solution_figures: tuple[Figure, ...] = ()
    id: str = ""
    points: int = 1


@dataclass(frozen=True, eq=False)
class ExerciseSet:
    """The exercises of one worksheet: one student's variant (``student``), or the class's.

    ``source`` names where the games came from (a scenario id, or ``random``); ``seed`` makes
    the set reproducible.
    """

    title: str
    student: str
    source: str
    seed: int
    exercises: tuple[Exercise, ...]
    student_name: str = ""
