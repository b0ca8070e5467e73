"""The kinds of exercise, one module each, and the registry the command line reads.

Each kind provides ``build(setup) -> Exercise`` (answer key and worked solution, checked
against the engine), ``signature(exercise)`` (what must stay the same between two students'
variants: the shape of the game and of the answer), ``grade(game, answer, grading, raw)``
(partial credit and feedback for what a student wrote), ``example(exercise, others)`` (the
answer format, with an example that is no part of the answer of the exercise or of any of
``others``) and ``answer_key(exercise)`` (the answer in a form that ignores the order in which
the strategies are listed, to tell students' answers apart).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
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
    replicator,
    sensitivity,
    sequential,
    stability,
    sweep_plot,
    tipping,
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
    example: Callable[[Exercise, Sequence[Exercise]], str]
    answer_key: Callable[[Exercise], Hashable]
    #: A cheap signature computed from the game alone, or None: lets variant searches skip
    #: candidates before building them (only when the base's signature can be compared).
    quick_signature: Callable[[Game], tuple] | None = None
    #: Kinds about a 2x2 part of a scenario game: picks it (``rows``, ``cols``), or None if none fits.
    scenario_focus: Callable[[Game], dict | None] | None = None
    #: Kinds that are not about a game's matrix make their own setups and variants:
    #: ``scenario_setup(difficulty, source, values, focus)`` and ``variant(base, base_setup, *,
    #: difficulty, rng, source)``.
    #: Kinds that draw their own random games: ``random(difficulty, rng, wanted_signature)``.
    scenario_setup: Callable[..., Setup] | None = None
    variant: Callable[..., Exercise] | None = None
    random: Callable[..., Exercise] | None = None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(pure.NAME, pure.TITLE, pure.build, pure.signature, pure.grade, pure.example, pure.answer_key),
        Kind(
            dominance.STRICT,
            dominance.TITLES[dominance.STRICT],
            dominance.build,
            dominance.signature,
            dominance.grade,
            dominance.example,
            dominance.answer_key,
            dominance.quick_signature,
        ),
        Kind(
            dominance.WEAK,
            dominance.TITLES[dominance.WEAK],
            dominance.build_weak,
            dominance.signature,
            dominance.grade_weak,
            dominance.example,
            dominance.answer_key,
            dominance.quick_signature_weak,
        ),
        Kind(mixed.NAME, mixed.TITLE, mixed.build, mixed.signature, mixed.grade, mixed.example,
             mixed.answer_key),
        Kind(pareto.NAME, pareto.TITLE, pareto.build, pareto.signature, pareto.grade, pareto.example,
             pure.answer_key),
        Kind(maximin.NAME, maximin.TITLE, maximin.build, maximin.signature, maximin.grade,
             maximin.example, maximin.answer_key),
        Kind(
            sensitivity.NAME, sensitivity.TITLE, sensitivity.build, sensitivity.signature, sensitivity.grade,
            sensitivity.example, sensitivity.answer_key,
        ),
        Kind(sequential.NAME, sequential.TITLE, sequential.build, sequential.signature, sequential.grade,
             sequential.example, sequential.answer_key),
        Kind(sweep_plot.NAME, sweep_plot.TITLE, sweep_plot.build, sweep_plot.signature, sweep_plot.grade,
             sweep_plot.example, sweep_plot.answer_key),
        *(Kind(k.NAME, k.TITLE, k.build, k.signature, k.grade, k.example, k.answer_key,
               scenario_focus=k.scenario_focus, random=k.random_exercise) for k in (replicator, tipping)),
        Kind(stability.NAME, stability.TITLE, stability.build, stability.signature, stability.grade,
             stability.example, stability.answer_key, scenario_setup=stability.scenario_setup,
             variant=stability.variant, random=stability.random_exercise),
        Kind(bargaining.NAME, bargaining.TITLE, bargaining.build, bargaining.signature, bargaining.grade,
             bargaining.example, bargaining.answer_key, random=bargaining.random_exercise),
        Kind(discount.NAME, discount.TITLE, discount.build, discount.signature, discount.grade,
             discount.example, discount.answer_key, random=discount.random_exercise),
    )
}
