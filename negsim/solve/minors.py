"""Every vertex of many small best-response polytopes at once, from determinants.

The row player's best-response polyhedron, in the form that does not depend on adding a constant
to the payoffs or on their unit, is

    {(p, v) : p >= 0, sum(p) = 1, p^T B_j <= v for every column j}.

A basis of it is a support ``I`` (rows) and a set ``T`` of tight columns with ``|I| = |T| = s``.
By Cramer's rule every probability ``p_i`` and every slack ``v - p^T B_j`` of its point is a
ratio ``N / D`` of determinants of ``B`` bordered by a row of ones, which do not change when a
constant is added to ``B``:

    p_i   = +-bordered(I - i, T)  / D        slack_j = +-bordered(I, T + j) / D
    D     = sum over i in I of the numerators of p_i

So the minors of ``B`` (Laplace expansion, smallest first, one array operation per step over all
points) give every basis of every point without a linear solve. The column player's polyhedron
uses ``A^T`` the same way.

Every decision is certified
---------------------------
Whether a number is positive, negative or 0 decides feasibility and labels, so each numerator
comes with an error bound: the same recursion run on absolute values (a permanent) bounds the
rounding error of every minor, times a constant that depends on its size only; for payoffs the
exact method reads as fractions slightly away from their floats (:mod:`negsim.solve.reading`)
the bound includes that perturbation too. A number larger than its bound has a known sign. For
matrices of integers (a payoff matrix times a small common denominator), a bound below one half
means the computed value rounds to the exact integer, so 0 is known exactly. Any basis whose
feasibility still rests on a number within its bound makes its point *doubtful*: the caller
hands it to the exact method. Probabilities are ``N / D`` with an error bound too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

from negsim.solve.reading import ExactReading, U

__all__ = ["Layout", "Vertices", "determinants", "error_bounds", "layout", "vertices"]


@dataclass(frozen=True)
class Size:
    """The bases of one size ``s`` of a polyhedron with ``k`` own strategies and ``l`` opponent
    strategies, as index tables into the bordered determinants.

    Value columns: first the ``s`` probabilities (in the order of ``I``), then the slacks of the
    ``l - s`` columns outside ``T``; each is ``sign * bordered[index] / D``.
    """

    s: int
    index: np.ndarray  # (b, l) index into the bordered determinants
    sign: np.ndarray  # (b, l) +1 or -1
    bits: np.ndarray  # (b, l) the label each value stands for
    mask: np.ndarray  # (b,) labels every point of the basis has: rows outside I, tight T
    support: np.ndarray  # (b, s) I
    tight: np.ndarray  # (b, s) T
    row_sets: np.ndarray  # (C(k, s), s) the supports; basis b has support row_sets[b // C(l, s)]


@dataclass(frozen=True)
class Layout:
    k: int
    l: int
    n_minors: int
    minors: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # per size: offset, entries, sub-minors
    n_bordered: int
    bordered: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # per size: offset, terms, signs
    sizes: tuple[Size, ...]


def _error_factor(r: int) -> float:
    """Rounding error of a bordered determinant with ``r`` rows of payoffs (computed by Laplace
    expansion as below), relative to the same expansion over absolute values: each of the ``r``
    levels of minors adds a product and a sum of at most ``r`` terms, the border adds a sum of
    ``r + 1``, the inputs are rounded once; doubled for safety."""
    return 2.0 * (r * (r + 1) / 2 + 2 * r + 1) * U


@lru_cache(maxsize=32)
def layout(k: int, l: int) -> Layout:
    """Index tables for a polyhedron with ``k`` own strategies and ``l`` opponent strategies."""
    top = min(k, l)
    rows = [list(combinations(range(k), s)) for s in range(k + 1)]
    cols = [list(combinations(range(l), s)) for s in range(l + 1)]
    minor: dict[tuple, int] = {((), ()): 0}
    steps = []
    for s in range(1, top + 1):
        offset = len(minor)
        entries, subs = [], []
        for R in rows[s]:
            for C in cols[s]:
                minor[(R, C)] = len(minor)
                # Laplace expansion along the first row R[0].
                entries.append([R[0] * l + c for c in C])
                subs.append([minor[(R[1:], C[:q] + C[q + 1 :])] for q in range(s)])
        steps.append((offset, np.array(entries), np.array(subs)))
    # Bordered determinants: rows R plus a last row of ones, columns U with |U| = |R| + 1,
    # expanded along the row of ones.
    bordered: dict[tuple, int] = {}
    border_steps = []
    for r in range(0, min(k, l - 1) + 1):
        offset = len(bordered)
        terms = []
        for R in rows[r]:
            for U_ in cols[r + 1]:
                bordered[(R, U_)] = len(bordered)
                terms.append([minor[(R, U_[:q] + U_[q + 1 :])] for q in range(r + 1)])
        signs = np.array([(-1.0) ** (r + q) for q in range(r + 1)])
        border_steps.append((offset, np.array(terms), signs))
    sizes = []
    for s in range(1, top + 1):
        index, sign, bits, mask, support, tight = [], [], [], [], [], []
        for I in rows[s]:
            for T in cols[s]:
                idx, sg, bt = [], [], []
                for p, i in enumerate(I):  # Cramer: p_i
                    idx.append(bordered[(I[:p] + I[p + 1 :], T)])
                    sg.append((-1.0) ** (s - 1 - p))
                    bt.append(i)
                for j in range(l):  # slack of column j outside T
                    if j in T:
                        continue
                    U_ = tuple(sorted((*T, j)))
                    idx.append(bordered[(I, U_)])
                    sg.append((-1.0) ** (s - U_.index(j)))
                    bt.append(k + j)
                index.append(idx)
                sign.append(sg)
                bits.append([1 << b for b in bt])
                mask.append(sum(1 << i for i in range(k) if i not in I) + sum(1 << (k + t) for t in T))
                support.append(I)
                tight.append(T)
        sizes.append(
            Size(
                s,
                np.array(index),
                np.array(sign),
                np.array(bits, dtype=np.int64),
                np.array(mask, dtype=np.int64),
                np.array(support),
                np.array(tight),
                np.array(rows[s]),
            )
        )
    return Layout(k, l, len(minor), tuple(steps), len(bordered), tuple(border_steps), tuple(sizes))


def determinants(layout: Layout, M: np.ndarray, *, absolute: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """All square minors of ``M`` and all its bordered determinants, at every point.

    ``M`` has shape ``(k * l, N)``: the matrix entries row-major, points last, so each step is
    one array operation over all points. ``absolute=True`` runs the same expansion with every
    sign ``+`` (``M`` should then be nonnegative): permanents, which bound the rounding error.
    """
    N = M.shape[1]
    minors = np.empty((layout.n_minors, N))
    minors[0] = 1.0
    for s, (offset, entries, subs) in enumerate(layout.minors, start=1):
        acc = M[entries[:, 0]] * minors[subs[:, 0]]
        for q in range(1, s):
            term = M[entries[:, q]] * minors[subs[:, q]]
            if q % 2 and not absolute:
                acc -= term
            else:
                acc += term
        minors[offset : offset + len(entries)] = acc
    bordered = np.empty((layout.n_bordered, N))
    for offset, terms, signs in layout.bordered:
        acc = minors[terms[:, 0]] * (1.0 if absolute else signs[0])
        for q in range(1, terms.shape[1]):
            if signs[q] > 0 or absolute:
                acc += minors[terms[:, q]]
            else:
                acc -= minors[terms[:, q]]
        bordered[offset : offset + len(terms)] = acc
    return minors, bordered


def error_bounds(layout: Layout, W: np.ndarray, dW: np.ndarray | None = None) -> np.ndarray:
    """A bound on the error of every bordered determinant that :func:`determinants` computes
    from a matrix whose absolute values are ``W``; given ``dW``, also on how far each moves
    when the entries move by up to ``dW``.

    The rounding error is at most :func:`_error_factor` times the same expansion with every
    sign ``+`` over ``W`` (a permanent: it bounds every term). The movement is, to first order,
    the derivative of that permanent in the direction ``dW`` (forward mode, same recursion).

    Computed in single precision on ``W`` scaled to at most 1 (so nothing overflows), rounded
    up by a margin far above single precision's rounding, and never below 1e-30 (where products
    could underflow): upper bounds, as bounds must be.
    """
    N = W.shape[1]
    top = np.maximum(W.max(axis=0), 1e-300)
    W32 = (W / top).astype(np.float32)
    per = np.empty((layout.n_minors, N), dtype=np.float32)
    per[0] = 1.0
    dper = None
    if dW is not None:
        dW32 = (dW / top).astype(np.float32)
        dper = np.empty((layout.n_minors, N), dtype=np.float32)
        dper[0] = 0.0
    floor = np.float32(1e-30)
    margin = np.float32(1 + 2.0**-12)
    for s, (offset, entries, subs) in enumerate(layout.minors, start=1):
        acc = W32[entries[:, 0]] * per[subs[:, 0]]
        for q in range(1, s):
            acc += W32[entries[:, q]] * per[subs[:, q]]
        np.maximum(acc * margin, floor, out=per[offset : offset + len(entries)])
        if dper is not None:
            dacc = dW32[entries[:, 0]] * per[subs[:, 0]] + W32[entries[:, 0]] * dper[subs[:, 0]]
            for q in range(1, s):
                dacc += dW32[entries[:, q]] * per[subs[:, q]]
                dacc += W32[entries[:, q]] * dper[subs[:, q]]
            np.maximum(dacc * margin, floor, out=dper[offset : offset + len(entries)])
    bound = np.empty((layout.n_bordered, N))
    for r, (offset, terms, _signs) in enumerate(layout.bordered):
        acc = per[terms[:, 0]].astype(float)
        for q in range(1, terms.shape[1]):
            acc += per[terms[:, q]]
        acc *= _error_factor(r)
        if dper is not None:
            # Perturbed entries: the derivative (first order), doubled for the rest.
            for q in range(terms.shape[1]):
                acc += 2.0 * dper[terms[:, q]]
        # Back to the payoffs' scale (r rows of W), with the single-precision margin.
        acc *= (1 + 2.0**-10) * top**r
        bound[offset : offset + len(terms)] = acc
    return bound


@dataclass(frozen=True, eq=False)
class Vertices:
    """The vertices (other than the origin) of one polyhedron at many points.

    Sorted by point; ``mask`` holds each vertex's labels (bit ``i``: own strategy ``i`` unused,
    bit ``k + j``: opponent strategy ``j`` a best response); ``coords`` its probabilities and
    ``error`` a bound on their error (0 when exact); ``extra`` flags degenerate vertices (more
    labels than the dimension); ``basis`` holds (size, index) of one basis of each vertex.
    ``doubtful[p]`` marks points where a decision could not be certified.
    """

    point: np.ndarray
    mask: np.ndarray
    coords: np.ndarray
    error: np.ndarray
    extra: np.ndarray
    basis: np.ndarray
    doubtful: np.ndarray


def _prepared(reading: ExactReading) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Matrices centred at their median (sharper bounds; a constant changes no bordered
    determinant), points last: raw (k, l, N), centred (k * l, N), and bounds on how far each
    raw entry and each centred entry lies from the exact method's value, shaped like them."""
    values = reading.values
    N, k, l = values.shape
    flat = values.reshape(N, -1)
    center = np.median(flat, axis=1)
    center = np.where(reading.integral, np.floor(center), center)
    centred = flat - center[:, None]
    reading_noise = (
        np.zeros_like(flat) if reading.perturbation is None else reading.perturbation.reshape(N, -1)
    )
    # The subtraction rounds (not for integers), on top of the exact method's own reading.
    noise = reading_noise + np.where(reading.integral[:, None], 0.0, U * np.abs(centred))
    raw = values.transpose(1, 2, 0)
    return raw, centred.T.copy(), reading_noise.T.copy().reshape(k, l, N), noise.T.copy()


def vertices(reading: ExactReading) -> Vertices:
    """Every vertex of the polyhedron of each matrix ``reading.values[p]`` (``k x l``: the
    player's own strategies by the opponent's, holding the *opponent's* payoffs)."""
    raw, centred, raw_noise, noise = _prepared(reading)
    k, l, N = raw.shape
    lay = layout(k, l)
    _, bordered = determinants(lay, centred)
    bound = _bounds(lay, reading, bordered, centred, noise)
    # The largest bound of each size at each point: enough to rule out most bases.
    coarse = (
        None
        if bound is None
        else np.stack([bound[offset : offset + len(terms)].max(axis=0) for offset, terms, _ in lay.bordered])
    )
    doubtful = np.zeros(N, dtype=bool)
    found = [_pure_vertices(raw, raw_noise, doubtful)]
    if lay.sizes[1:]:
        # beats[i, t, j]: column j is certainly larger than column t in row i.
        if reading.perturbation is None:
            beats = raw[:, None, :, :] > raw[:, :, None, :]
        else:
            beats = (raw[:, None, :, :] - raw[:, :, None, :]) > (
                raw_noise[:, None, :, :] + raw_noise[:, :, None, :]
            ) * (1 + 4 * U)
        for size in lay.sizes[1:]:
            found.append(
                _mixed_vertices(size, lay, bordered, bound, coarse, reading.integral, beats, doubtful)
            )
    point = np.concatenate([f[0] for f in found])
    mask = np.concatenate([f[1] for f in found])
    # A degenerate vertex is the point of several bases; its label set identifies it (labels
    # are decided exactly here, so equal sets mean the same vertex).
    key = point * (1 << (k + l)) + mask
    _, first = np.unique(key, return_index=True)
    return Vertices(
        point=point[first],
        mask=mask[first],
        coords=np.concatenate([f[2] for f in found])[first],
        error=np.concatenate([f[3] for f in found])[first],
        extra=np.concatenate([f[4] for f in found])[first],
        basis=np.concatenate([f[5] for f in found])[first],
        doubtful=doubtful,
    )


def _bounds(
    lay: Layout, reading: ExactReading, bordered: np.ndarray, centred: np.ndarray, noise: np.ndarray
) -> np.ndarray | None:
    """Error bounds of the bordered determinants (``None``: all exact).

    Integral matrices whose a-priori bound (``(r + 1)! max|entry|^r`` for ``r`` rows) is below
    one half need no permanents: every determinant is rounded to its exact integer here. The
    others get permanents (and, where payoffs may be read differently from their floats, the
    derivative of the permanents along that perturbation); integral ones among them are rounded
    value by value later, where their bound allows.
    """
    N = bordered.shape[1]
    top = min(lay.k, lay.l - 1)
    largest = np.abs(centred).max(axis=0, initial=0.0)
    apriori = np.zeros(N)
    for r in range(1, top + 1):
        apriori = np.maximum(apriori, _error_factor(r) * float(np.prod(np.arange(1, r + 2))) * largest**r)
    rounded = reading.integral & (apriori < 0.5)
    if rounded.any():
        bordered[:, rounded] = np.rint(bordered[:, rounded])
    rest = np.flatnonzero(~rounded)
    if not len(rest):
        return None
    bound = np.zeros_like(bordered)
    # Entries that may lie up to ``noise`` from the exact method's values move each determinant
    # by at most the derivative of its permanent along ``noise``, to first order (doubled for
    # the rest, which is smaller by the ratio of noise to payoffs).
    bound[:, rest] = error_bounds(
        lay, np.abs(centred[:, rest]), None if reading.perturbation is None else noise[:, rest]
    )
    return bound


def _pure_vertices(raw: np.ndarray, noise: np.ndarray, doubtful: np.ndarray):
    """Vertices with one own strategy ``i``: ``p = e_i``, tight where row ``i`` is largest (one
    vertex per row however many columns tie). A difference of two floats has an exact sign, so
    only payoffs the exact method reads differently from their floats can make a tie doubtful."""
    k, l, N = raw.shape
    top_at = raw.argmax(axis=1)
    top = np.take_along_axis(raw, top_at[:, None, :], axis=1)
    gap = top - raw
    is_zero = gap == 0
    top_noise = np.take_along_axis(noise, top_at[:, None, :], axis=1)
    doubtful |= ((gap <= (top_noise + noise) * (1 + 4 * U)) & ~is_zero).any(axis=(0, 1))
    i, p = np.divmod(np.arange(k * N), N)
    tight = (is_zero.transpose(0, 2, 1).reshape(k * N, l) << np.arange(k, k + l)).sum(axis=1)
    rows = ((1 << k) - 1) ^ (1 << i)
    coords = np.zeros((k * N, k))
    coords[np.arange(k * N), i] = 1.0
    return (
        p,
        rows | tight,
        coords,
        np.zeros(k * N),
        is_zero.sum(axis=1).ravel() > 1,
        np.full((k * N, 2), -1),
    )


def _values(
    size: Size,
    bordered: np.ndarray,
    bound: np.ndarray | None,
    exact: np.ndarray,
    b: np.ndarray,
    p: np.ndarray,
    start: int,
    stop: int,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Numerators ``start:stop`` of bases ``b`` at points ``p`` (one row each) with their
    bounds; integers are rounded to their exact value where the bound allows."""
    N = bordered.shape[1]
    where = size.index[b, start:stop].T * N + p
    values = bordered.ravel()[where]
    values *= size.sign[b, start:stop].T
    if bound is None:
        return values, None
    bounds = bound.ravel()[where]
    rounding = exact[p] & (bounds < 0.5)
    if rounding.any():
        values = np.where(rounding, np.rint(values), values)
        bounds = np.where(rounding, 0.0, bounds)
    return values, bounds


def _against(
    values: np.ndarray, errors: np.ndarray | None, flip: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per basis: some value is certainly of the wrong sign (negative once the denominator's
    sign is divided out: ``flip`` where it is negative), and some value's sign is unknown."""
    signed = np.where(flip, -values, values)
    if errors is None:
        return (signed < 0).any(axis=0), np.zeros(values.shape[1], dtype=bool)
    wrong = (signed < -errors).any(axis=0)
    unknown = ((np.abs(values) <= errors) & ((errors > 0) | (values != 0))).any(axis=0)
    return wrong, unknown


def _mixed_vertices(
    size: Size,
    lay: Layout,
    bordered: np.ndarray,
    bound: np.ndarray | None,
    coarse: np.ndarray | None,
    exact: np.ndarray,
    beats: np.ndarray,
    doubtful: np.ndarray,
):
    """Vertices from the bases of one size ``s >= 2``; marks doubtful points.

    A basis is feasible when every probability and slack has the sign of ``D`` or is 0. With
    ``D``'s sign unknown, a basis is still certainly infeasible if two of its values certainly
    have opposite signs.
    """
    s = size.s
    k, l = lay.k, lay.l
    N = bordered.shape[1]
    # A column certainly beaten in every row of I by another column is never tight at a point
    # supported on I: the other column's constraint would be violated. This rules out most
    # bases before any of their values is computed.
    beaten = beats[size.row_sets].all(axis=1).any(axis=2)  # (C(k, s), l, N)
    sets = np.arange(len(size.mask)) // (len(size.mask) // len(size.row_sets))
    candidate = ~beaten[sets, size.tight[:, 0]]
    for q in range(1, s):
        candidate &= ~beaten[sets, size.tight[:, q]]
    flat = np.flatnonzero(candidate)
    b, p = np.divmod(flat, N)
    # The probabilities' numerators first (they rule out most candidates), then the slacks.
    num, _ = _values(size, bordered, None, exact, b, p, 0, s)
    # Numerators of certainly opposite signs: infeasible whatever D (their sum) is. This rules
    # out most of the rest cheaply (with the largest bound of their size at the point).
    high, low = num.max(axis=0), num.min(axis=0)
    if coarse is None:
        keep = np.flatnonzero(((high <= 0) | (low >= 0)) & ((high != 0) | (low != 0)))
    else:
        widest = coarse[s - 1][p]
        keep = np.flatnonzero((high <= widest) | (low >= -widest))
    b, p = b[keep], p[keep]
    num, err = _values(size, bordered, bound, exact, b, p, 0, s)
    D = num.sum(axis=0)
    if err is None:
        D_err = np.zeros(len(D))
    else:
        size_sum = np.abs(num).sum(axis=0)
        exact_sum = (err == 0).all(axis=0) & (size_sum < 2.0**53)
        D_err = err.sum(axis=0) + np.where(exact_sum, 0.0, s * U * size_sum)
    D_known = np.abs(D) > D_err
    flip = D < 0
    slack, slack_err = _values(size, bordered, bound, exact, b, p, s, l)
    values = np.concatenate([num, slack])
    errors = None if err is None else np.concatenate([err, slack_err])
    wrong, unknown = _against(values, errors, flip)
    impossible = D_known & wrong
    if errors is None:
        impossible |= ~D_known  # D exactly 0: a singular basis
    elif not D_known.all():
        opposite = (values > errors).any(axis=0) & (values < -errors).any(axis=0)
        singular = (D == 0) & (D_err == 0)
        impossible |= ~D_known & (opposite | singular)
    unsure = ~impossible & (~D_known | unknown)
    doubtful[p[unsure]] = True
    vertex = np.flatnonzero(~impossible & ~unsure)
    b, p = b[vertex], p[vertex]
    values = values[:, vertex]
    zero = values == 0 if errors is None else (values == 0) & (errors[:, vertex] == 0)
    extra = np.zeros(len(b), dtype=np.int64)
    for q in range(l):
        extra |= np.where(zero[q], size.bits[b, q], 0)
    num, D, D_err = num[:, vertex], D[vertex], D_err[vertex]
    probabilities = num / D
    if err is None:
        error = np.zeros(len(b))
    else:
        err = err[:, vertex]
        # |N/D - n/d| <= (|N - n| + |N/D| |D - d|) / |d|, plus the division's rounding (none
        # that matters when both are exact integers: the quotient is then the fraction's float).
        bounds = (err + np.abs(probabilities) * D_err) / (np.abs(D) - D_err)
        bounds = np.where((err == 0) & (D_err == 0), 0.0, bounds + 2 * U * np.abs(probabilities))
        error = bounds.max(axis=0, initial=0.0)
    coords = np.zeros((len(b), k))
    coords[np.arange(len(b))[:, None], size.support[b]] = probabilities.T
    return (p, size.mask[b] | extra, coords, error, extra != 0, np.stack([np.full(len(b), s), b], axis=1))
