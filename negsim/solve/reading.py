"""How the exact method reads floating-point payoffs, and what that means for fast arithmetic.

:func:`negsim.solve.exact.as_fraction` reads a payoff as the simple fraction (denominator at
most 10^6) within 1e-12 of it when there is one (``0.1`` is 1/10), and as its exact binary value
otherwise. Fast engines that must give the exact method's answer need two facts per matrix:

* whether the matrix, times some small common denominator, is a matrix of integers exactly as
  the exact method reads it; then every determinant of it is an integer, and a floating-point
  determinant whose error bound is below one half can be rounded to the exact value;
* otherwise, how far each float may lie from the value the exact method uses (its
  *perturbation*): 0 for floats that are fractions with small denominators (0.5, 3.25),
  at most 1e-12 (times the payoff's size beyond 1) for the others.

:func:`exact_reading` computes both for many matrices at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ExactReading", "exact_reading", "simple_fractions"]

#: Unit roundoff of float64.
U = float(np.finfo(float).eps) / 2
#: The exact method's largest denominator and its closeness rule (see ``as_fraction``).
MAX_DENOMINATOR = 10**6
CLOSE = 1e-12
#: Common denominators up to this are used to turn a matrix into integers.
MAX_COMMON_DENOMINATOR = 2**24
#: Integers (times the common denominator) must stay below this so that products of payoffs
#: and denominators are exact.
MAX_INTEGER = 1e11


def simple_fractions(
    values: np.ndarray, limit: int, close: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each value, a fraction with denominator <= ``limit`` within ``close`` of it, if any
    (numerators, denominators, found).

    The continued fraction of each value is followed until a convergent lies within ``close``
    or the denominators pass ``limit``: by Legendre's theorem a fraction closer than
    ``1 / (2 q^2)`` is a convergent, so with ``close`` small against ``1 / limit^2`` the one
    found is the one ``Fraction.limit_denominator`` picks.
    """
    values = np.asarray(values, dtype=float)
    size = len(values)
    close = np.broadcast_to(np.asarray(close, dtype=float), values.shape).copy()
    numerator = np.zeros(size)
    denominator = np.ones(size)
    found = np.zeros(size, dtype=bool)
    index = np.arange(size)
    target = values.copy()
    x = values.copy()
    h0, h1 = np.zeros(size), np.ones(size)
    k0, k1 = np.ones(size), np.zeros(size)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(64):
            a = np.floor(x)
            h = a * h1 + h0
            k = a * k1 + k0
            alive = k <= limit
            hit = alive & (np.abs(h / k - target) <= close)
            numerator[index[hit]] = h[hit]
            denominator[index[hit]] = k[hit]
            found[index[hit]] = True
            rest = x - a
            go = alive & ~hit & (rest > 0)
            if not go.any():
                break
            index, target, x, close = index[go], target[go], 1.0 / rest[go], close[go]
            h0, h1, k0, k1 = h1[go], h[go], k1[go], k[go]
    return numerator, denominator, found


@dataclass(frozen=True, eq=False)
class ExactReading:
    """Many matrices ``(N, k, l)`` as the exact method reads them.

    ``values`` are the matrices to compute with: each integral matrix multiplied by its common
    denominator (so exact integers), the others unchanged. ``integral[p]`` says which is which.
    ``perturbation`` (``(N, k, l)``, or None when all zero) bounds ``|values - exact reading|``
    entry by entry for the matrices that are not integral.
    """

    values: np.ndarray
    integral: np.ndarray
    perturbation: np.ndarray | None


#: Common denominators tried: binary fractions, and decimals up to three digits times the
#: denominators 1..12 (halves, thirds, quarters, sevenths, twelfths, 0.125, 0.35, 1/3 ...).
_MULTIPLIERS = (2.0**20, 27_720_000.0)


def _fraction_of(v: np.ndarray, multiplier: float) -> tuple[np.ndarray, np.ndarray]:
    """Denominators (dividing ``multiplier``) of the payoffs the exact method surely reads as a
    fraction ``n / multiplier``, and whether each is one: the float is within 1e-13 of it, so
    close that no other fraction with denominator <= 10^6 is as close (distinct such fractions
    are more than 1e-12 / (den * |v|) apart)."""
    scaled = v * multiplier
    n = np.rint(scaled)
    magnitude = np.maximum(1.0, np.abs(v))
    ok = (np.abs(scaled - n) <= 0.1 * CLOSE * magnitude * multiplier) & (np.abs(scaled) < 2.0**52)
    numerator = np.where(ok, n, 0.0).astype(np.int64)
    den = np.int64(multiplier) // np.gcd(numerator, np.int64(multiplier))
    ok &= (den * magnitude < 5e6) & (den <= MAX_DENOMINATOR)
    return np.where(ok, den, 1), ok


def _other_fractions(v: np.ndarray, den: np.ndarray, known: np.ndarray) -> None:
    """Fill in, for matrices where the multipliers left some payoffs unexplained, any other
    denominator up to 10^6 that the exact method surely reads (continued fractions; the same
    closeness and uniqueness conditions as :func:`_fraction_of`). Entry by entry, dropping a
    matrix at its first payoff that is no such fraction: a matrix of arbitrary floats costs
    one or two entries, not all."""
    alive = np.flatnonzero(~known.all(axis=1))
    for c in range(v.shape[1]):
        if not len(alive):
            return
        todo = alive[~known[alive, c]]
        if len(todo):
            x = v[todo, c]
            magnitude = np.maximum(1.0, np.abs(x))
            num, d, found = simple_fractions(x, MAX_DENOMINATOR, 0.1 * CLOSE * magnitude)
            ok = found & (d * magnitude < 5e6)
            den[todo[ok], c] = d[ok].astype(np.int64)
            known[todo[ok], c] = True
        alive = alive[known[alive, c]]


def exact_reading(matrices: np.ndarray) -> ExactReading:
    """The exact method's reading of each matrix (see :class:`ExactReading`).

    >>> r = exact_reading(np.array([[[0.5, 0.1]], [[1.0, 2.0]], [[np.pi, 1.0]]]))
    >>> r.values[:2].tolist(), r.integral.tolist()
    ([[[5.0, 1.0]], [[1.0, 2.0]]], [True, True, False])
    >>> f"{r.perturbation[2, 0, 0]:.3g}"   # pi may be read as a fraction up to 1e-12 away
    '3.17e-12'
    """
    M = np.asarray(matrices, dtype=float)
    N = M.shape[0]
    flat = M.reshape(N, -1)
    values = flat.copy()
    size = np.abs(flat).max(axis=1, initial=0.0)
    integral = (flat == np.rint(flat)).all(axis=1) & (size < MAX_INTEGER)
    perturbation = None
    rest = np.flatnonzero(~integral)
    if len(rest):
        v = flat[rest]
        den = np.ones(v.shape, dtype=np.int64)
        known = np.zeros(v.shape, dtype=bool)
        for multiplier in _MULTIPLIERS:
            d, ok = _fraction_of(v, multiplier)
            den = np.where(known, den, d)
            known |= ok
        _other_fractions(v, den, known)
        common = np.ones(len(rest), dtype=np.int64)
        ok = known.all(axis=1)
        for c in range(v.shape[1]):
            common = np.where(ok, np.lcm(common, np.where(ok, den[:, c], 1)), 1)
            ok &= common <= MAX_COMMON_DENOMINATOR
        scaled = v * common[:, None]
        ok &= np.abs(scaled).max(axis=1) < MAX_INTEGER
        values[rest[ok]] = np.rint(scaled[ok])
        integral[rest[ok]] = True
        left = ~ok
        if left.any():
            # Fractions with denominator at most 10^6 are read as themselves (binary ones up to
            # 2^19 are such floats); any other payoff may be read as a fraction up to 1e-12
            # (relative, beyond 1) away from its float.
            w = v[left]
            binary = (w * 2.0**19 == np.rint(w * 2.0**19)) & (np.abs(w) < 2.0**30)
            gap = np.where(binary, 0.0, (CLOSE * 1.01) * np.maximum(1.0, np.abs(w)))
            perturbation = np.zeros_like(flat)
            perturbation[rest[left]] = gap
    return ExactReading(
        values.reshape(M.shape), integral, None if perturbation is None else perturbation.reshape(M.shape)
    )
