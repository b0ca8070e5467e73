"""Examples of the answer notation that give nothing away.

Every exercise tells students how to write their answer with an example in the answer-file
notation, made from the exercise's own game (its strategy ids and player ids), so it reads like
the scenario at hand. An example must not be an answer: each kind builds its example from parts
that are no part of the true answer of the exercise itself nor of any other exercise it is
given (the other students' variants, see :func:`negsim.classroom.sets.make_exercise_sets`).
Where every candidate for a part is somebody's answer, the part is a placeholder in angle
brackets (``<a move>``), which no answer can be.

>>> notation({"row": ["top"], "column": ["left", "right"]})
'{row: [top], column: [left, right]}'
>>> notation([Fraction(1, 3), "store / keep"])
"[1/3, 'store / keep']"
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any, TypeVar

__all__ = [
    "MIXES",
    "fraction",
    "free",
    "free_mix",
    "free_number",
    "free_set",
    "is_placeholder",
    "notation",
    "placeholder",
]

T = TypeVar("T")

#: Weights tried, in order, for an example's mixed strategy (the first weight is the first
#: strategy's probability): small denominators first, the halves last.
MIXES = tuple(
    Fraction(n, d)
    for n, d in ((1, 3), (1, 4), (2, 5), (1, 5), (3, 7), (2, 7), (3, 8), (1, 6), (4, 9), (5, 8),
                 (3, 10), (5, 12), (2, 3), (3, 4), (1, 2))
)


def placeholder(what: str) -> str:
    """``<a move>``: stands for a part that every real candidate would give away."""
    return f"<{what}>"


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and value.startswith("<") and value.endswith(">")


def fraction(value: object) -> Fraction:
    """A number of the answer notation (``2``, ``"7/3"``, ``2.5``) as a fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ValueError("true/false is not a number")
    if isinstance(value, (int, float)):
        return Fraction(value).limit_denominator(10**6)
    return Fraction(str(value).strip())


def free(candidates: Iterable[T], used: Callable[[T], bool]) -> T | None:
    """The first candidate that ``used`` does not reject."""
    return next((c for c in candidates if not used(c)), None)


def free_set(strategies: Sequence[str], taken: Iterable[Hashable]) -> list[str] | None:
    """The smallest set of strategies (singletons first, in the given order) not in ``taken``
    (sets as frozensets of lowercased ids); ``None`` if every set is taken."""
    taken = set(taken)
    for size in range(1, len(strategies) + 1):
        for chosen in combinations(strategies, size):
            if frozenset(s.lower() for s in chosen) not in taken:
                return list(chosen)
    return None


def free_mix(strategies: Sequence[str], taken: Iterable[dict[str, Fraction]]) -> dict[str, Fraction] | None:
    """A mix over the first two ``strategies`` that equals none of ``taken``."""
    taken = list(taken)
    a, b = strategies[0], strategies[1]
    for w in MIXES:
        mix = {a: w, b: 1 - w}
        if not any(_same_mix(mix, t) for t in taken):
            return mix
    return None


def _same_mix(a: dict[str, Fraction], b: dict[str, Fraction]) -> bool:
    keys = {k.lower() for k in a} | {k.lower() for k in b}
    la = {k.lower(): v for k, v in a.items()}
    lb = {k.lower(): v for k, v in b.items()}
    return all(la.get(k, Fraction(0)) == lb.get(k, Fraction(0)) for k in keys)


def free_number(low: Fraction, high: Fraction, taken: Iterable[Fraction], *, away: Fraction = Fraction(0),
                not_below: Fraction | None = None) -> Fraction | None:
    """A round number from ``low`` to ``high`` (whole numbers first, then halves, quarters, ...)
    farther than ``away`` from every number in ``taken`` (and above ``not_below``)."""
    taken = list(taken)
    span = high - low
    seen: set[Fraction] = set()
    for steps in (1, 2, 4, 5, 8, 10, 20, 40):
        unit = span / steps if span else Fraction(1)
        for k in range(1, steps):
            value = low + unit * k
            whole = Fraction(round(value * 4), 4) if span >= 2 else value
            for v in (whole, value):
                if v in seen or not low <= v <= high:
                    continue
                seen.add(v)
                if not_below is not None and v <= not_below:
                    continue
                if all(abs(v - t) > away for t in taken):
                    return v
    return None


def notation(value: Any) -> str:
    """A value in the answer notation (YAML flow style, fractions as ``1/3``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {notation(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(notation(v) for v in value) + "]"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, str) and (" " in value or "+" in value) and not is_placeholder(value):
        return f"'{value}'"
    return str(value)
