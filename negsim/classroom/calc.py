"""Exact arithmetic for worked solutions: payoffs as fractions, and how they are written.

Worked solutions show every number as a fraction (``7/2``, ``-1``), never a rounded decimal,
so a student can redo each step by hand. The engine solves in floats or rationals; these
helpers recompute the few things a worked solution shows (best responses, expected payoffs,
indifference conditions, lower envelopes) in :class:`~fractions.Fraction` and the exercise
builders check them against the engine's own answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from negsim.game import Game
from negsim.numbers import format_fraction
from negsim.solve.exact import as_fraction

__all__ = [
    "KeyMismatch",
    "exact_game",
    "exact_payoffs",
    "fmt",
    "fmt_linear",
    "matrices",
    "parse_number",
    "simplest_between",
]


# Plain decimals and fractions only: no exponents, so no input can ask for a huge number.
_NUMBER = re.compile(r"^([+-]?\d{1,12}(?:\.\d{1,12})?)(?:/(\d{1,12}(?:\.\d{1,12})?))?$")


class KeyMismatch(AssertionError):
    """The exact recomputation disagrees with the engine: never hand out such a key."""


def exact_payoffs(game: Game) -> np.ndarray:
    """The game's payoffs as an object array of fractions (``game.exact_payoffs`` when known)."""
    if game.exact_payoffs is not None:
        return game.exact_payoffs
    out = np.empty(game.payoffs.shape, dtype=object)
    for index, v in np.ndenumerate(game.payoffs):
        out[index] = as_fraction(v)
    return out


def exact_game(game: Game) -> Game:
    """The same game carrying exact payoffs, so every later step works in fractions."""
    if game.exact_payoffs is not None:
        return game
    return game.replace(exact_payoffs=exact_payoffs(game))


def matrices(game: Game) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """The row player's and the column player's payoff matrices, as lists of fractions."""
    exact = exact_payoffs(game)
    rows, cols = game.shape
    return (
        [[exact[0, r, c] for c in range(cols)] for r in range(rows)],
        [[exact[1, r, c] for c in range(cols)] for r in range(rows)],
    )


def fmt(value: Fraction | int | float) -> str:
    """A number as a worked solution writes it: ``3``, ``-1/2``, ``7/3``."""
    return format_fraction(as_fraction(value)).replace("-", "\u2212")


def fmt_linear(constant: Fraction, slope: Fraction, variable: str) -> str:
    """``a + b*p`` written plainly: ``3 + 2p``, ``1 \u2212 p``, ``13/2 \u2212 p/2``, ``5/2``."""
    parts = []
    if constant != 0 or slope == 0:
        parts.append(fmt(constant))
    if slope != 0:
        size = abs(slope)
        if size == 1:
            term = variable
        elif size.denominator == 1:
            term = f"{size.numerator}{variable}"
        else:  # "p/2", "3p/2": never "1/2p", which reads as 1/(2p)
            term = f"{'' if size.numerator == 1 else size.numerator}{variable}/{size.denominator}"
        if parts:
            parts.append(("+ " if slope > 0 else "\u2212 ") + term)
        else:
            parts.append(term if slope > 0 else "\u2212" + term)
    return " ".join(parts)


def simplest_between(low: Fraction, high: Fraction) -> Fraction:
    """The fraction with the smallest denominator strictly between ``low`` and ``high``.

    Used to pick a readable example value inside an open interval (a dominating mix, a
    parameter value on each side of a tipping point).
    """
    if not low < high:
        raise ValueError(f"empty interval ({low}, {high})")
    denominator = 1
    while True:
        numerator = (low * denominator).__floor__() + 1
        candidate = Fraction(numerator, denominator)
        if low < candidate < high:
            return candidate
        denominator += 1


def parse_number(value: object) -> Fraction | None:
    """A number written as ``3``, ``-2.5``, ``1/3`` or ``- 1/3``; ``None`` if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return as_fraction(value)
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u2212", "-").replace(" ", "")
    match = _NUMBER.match(text)
    if match is None:
        return None
    top, bottom = match.group(1), match.group(2)
    if bottom is not None and Fraction(bottom) == 0:
        return None
    return Fraction(top) / (Fraction(bottom) if bottom is not None else 1)


def names(game: Game, player: int, indices: Sequence[int]) -> list[str]:
    return [game.strategies[player][k] for k in indices]
