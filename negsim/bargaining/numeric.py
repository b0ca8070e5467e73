"""Exact numbers for bargaining and repeated play: fractions in, fractions out, readable text.

Inputs that stand for short decimals or simple fractions (0.95, 2.5, 1/3 computed in floating
point) become those fractions, as in :mod:`negsim.solve.exact`; results computed from them by
rational operations stay exact.

>>> fmt(Fraction(31, 8)), fmt(Fraction(2, 3)), fmt(Fraction(-3))
('3.875', '2/3', '-3')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from numbers import Real

from negsim.errors import InputError, Problem
from negsim.numbers import format_fraction
from negsim.solve.exact import as_fraction

__all__ = ["Number", "exact", "exact_tuple", "fmt", "fmt_delta", "fmt_exact", "fmt_probability", "json_exact",
           "json_number", "percent"]

#: A number a result carries: a fraction when the inputs were rational, otherwise a float.
Number = Fraction


def exact(value: float | int | Fraction | Real, *, path: str = "") -> Fraction:
    """``value`` as a :class:`Fraction`; an :class:`InputError` for NaN, infinities and non-numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Real)):
        raise InputError([Problem(f"expected a number, got {value!r}", path=path)])
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError([Problem(f"expected a finite number, got {value!r}", path=path)])
    return as_fraction(value)  # type: ignore[arg-type]


def exact_tuple(values: Sequence[float | int | Fraction], *, path: str = "") -> tuple[Fraction, ...]:
    return tuple(exact(v, path=f"{path}[{k}]" if path else f"[{k}]") for k, v in enumerate(values))


def fmt(value: Fraction | float) -> str:
    """A number as people read it: ``3``, ``3.875`` (a short decimal), ``2/3`` (otherwise)."""
    if not isinstance(value, Fraction):
        value = float(value)
        return f"{value:.4g}" if not float(value).is_integer() else str(int(value))
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1 and value.denominator <= 1000:
        text = f"{float(value):.3f}".rstrip("0").rstrip(".")
        if Fraction(text) == value:
            return text
    if value.denominator <= 1000:
        return format_fraction(value)
    return f"{float(value):.4g}"


def fmt_exact(value: Fraction | float) -> str:
    """Like :func:`fmt`, but a fraction whose short form would be rounded is written out:
    ``5699/1339 (≈ 4.256)``.

    >>> fmt_exact(Fraction(5699, 1339)), fmt_exact(Fraction(7, 2))
    ('5699/1339 (≈ 4.256)', '3.5')
    """
    text = fmt(value)
    if isinstance(value, Fraction) and Fraction(text) != value and value.denominator <= 10**9:
        return f"{format_fraction(value)} (≈ {float(value):.4g})"
    return text


def fmt_probability(value: Fraction | float) -> str:
    """A probability as a fraction when it has a denominator up to 10,000 (``3/4``,
    ``1114/1339``), else a decimal."""
    if isinstance(value, Fraction) and value.denominator <= 10_000:
        return format_fraction(value)
    return f"{float(value):.4g}"


def fmt_delta(value: Fraction | float) -> str:
    """A discount factor: two decimals when exact (``0.50``), a small fraction (``1/3``), or two
    decimals rounded up, so that the stated value really suffices (``0.62``)."""
    if isinstance(value, Fraction):
        if (value * 100).denominator == 1:
            return f"{float(value):.2f}"
        if value.denominator <= 12:
            return format_fraction(value)
    v = float(value)
    up = math.ceil(v * 100 - 1e-9) / 100
    return f"{up:.2f}"


def percent(value: Fraction | float) -> str:
    """``0.6897`` -> ``69%``."""
    return f"{round(float(value) * 100):d}%"


def json_number(value: Fraction | float | int) -> float | int:
    """Integral values as integers, others as floats; never ``-0.0``."""
    v = float(value) + 0.0
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def json_exact(value: Fraction | float) -> str | None:
    """``"31/8"`` for a fraction; ``None`` for a float (nothing exact to say)."""
    return format_fraction(value) if isinstance(value, Fraction) else None
