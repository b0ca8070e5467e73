"""How negsim writes exact numbers: one formatter for fractions, used everywhere.

>>> from fractions import Fraction
>>> format_fraction(Fraction(3, 5)), format_fraction(Fraction(-4, 2))
('3/5', '-2')
>>> plain_fraction(Fraction(6, 3)), plain_fraction(Fraction(1, 3))
(2, '1/3')
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["format_fraction", "plain_fraction"]


def format_fraction(value: Fraction | int) -> str:
    """``3/5``, ``-2``, ``0``: how fractions are printed."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def plain_fraction(value: Fraction | int) -> int | str:
    """A fraction as data (YAML, JSON): a whole number as an ``int``, otherwise ``"n/d"``."""
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else format_fraction(value)
