"""The kinds of exercise, one module each, and the registry the command line reads.

Each kind provides ``build(setup) -> Exercise`` (answer key and worked solution, checked
against the engine), ``signature(exercise)`` (what must stay the same between two students'
variants: the shape of the game and of the answer) and ``grade(game, answer, grading, raw)``
(partial credit and feedback for what a student wrote).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from negsim.classroom.answers import Grade
from negsim.classroom.exercises import Exercise, Setup
from negsim.classroom.kinds import (
    bargaining,
    discount,
    dominance,
    maximin,
    mixed,
    pareto,
    pure,
    sensitivity,
    sequential,
    sweep_plot,
)
from negsim.game import Game

__all__ = ["KINDS", "Kind"]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    build: Callable[[Setup], Exercise]
    signature: Callable[[Exercise], tuple]
    grade: Callable[[Game, Any, dict, object], Grade]
    #: A cheap signature computed from the game alone, or None: lets variant searches skip
    #: candidates before building them (only when the base's signature can be compared).
    quick_signature: Callable[[Game], tuple] | None = None
    #: For kinds with their own family of random games: a proposed setup (or None) and what to keep.
    propose: Callable[[random.Random, str], Setup | None] | None = None
    accept: Callable[[Exercise, str], bool] | None = None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(pure.NAME, pure.TITLE, pure.build, pure.signature, pure.grade),
        Kind(
            dominance.STRICT,
            dominance.TITLES[dominance.STRICT],
            dominance.build,
            dominance.signature,
            dominance.grade,
            dominance.quick_signature,
        ),
        Kind(
            dominance.WEAK,
            dominance.TITLES[dominance.WEAK],
            dominance.build_weak,
            dominance.signature,
            dominance.grade_weak,
            dominance.quick_signature_weak,
        ),
        Kind(mixed.NAME, mixed.TITLE, mixed.build, mixed.signature, mixed.grade),
        Kind(pareto.NAME, pareto.TITLE, pareto.build, pareto.signature, pareto.grade),
        Kind(maximin.NAME, maximin.TITLE, maximin.build, maximin.signature, maximin.grade),
        Kind(
            sensitivity.NAME, sensitivity.TITLE, sensitivity.build, sensitivity.signature, sensitivity.grade
        ),
        Kind(sequential.NAME, sequential.TITLE, sequential.build, sequential.signature, sequential.grade),
        Kind(sweep_plot.NAME, sweep_plot.TITLE, sweep_plot.build, sweep_plot.signature, sweep_plot.grade),
        Kind(bargaining.NAME, bargaining.TITLE, bargaining.build, bargaining.signature, bargaining.grade,
             propose=bargaining.propose, accept=bargaining.accept),
        Kind(discount.NAME, discount.TITLE, discount.build, discount.signature, discount.grade,
             propose=discount.propose, accept=discount.accept),
    )
}
