"""A family of random games for a kind of exercise that proposes its own setups."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from negsim.classroom.calc import KeyMismatch
from negsim.classroom.exercises import Exercise, Setup

__all__ = ["MAX_ATTEMPTS", "search"]

#: Proposals tried before giving up (each takes a few milliseconds).
MAX_ATTEMPTS = 4000


def search(
    name: str,
    build: Callable[[Setup], Exercise],
    signature: Callable[[Exercise], tuple[Any, ...]],
    propose: Callable[[random.Random, str], Setup | None],
    accept: Callable[[Exercise, str], bool],
    difficulty: str,
    rng: random.Random,
    wanted: tuple[Any, ...] | None = None,
) -> Exercise:
    """The first proposed setup whose exercise builds, is accepted and (when ``wanted`` is given)
    has that signature; a draft is built first, the one kept is built again in full."""
    for _ in range(MAX_ATTEMPTS):
        setup = propose(rng, difficulty)
        if setup is None:
            continue
        try:
            exercise = build(replace(setup, focus={**setup.focus, "draft": True}))
        except KeyMismatch:
            continue
        if not accept(exercise, difficulty) or (wanted is not None and signature(exercise) != wanted):
            continue
        return build(setup)
    raise RuntimeError(f"no {difficulty} {name} game found in {MAX_ATTEMPTS} tries")
