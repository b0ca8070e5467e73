"""The compiled kernel of :mod:`negsim.solve.pivoting`: lexicographic pivoting over one
best-response polyhedron at a time, every decision certified (see that module).

The polyhedron of a player with ``k`` strategies facing ``l`` opponent strategies, whose
opponent's payoffs are ``B`` (``k x l``), is

    {(p, v) : p >= 0, sum(p) = 1, r_j = v - p^T B_j >= 0 for every j}.

Variables are numbered ``p_i -> i`` and ``r_j -> k + j``; ``v`` is free, always basic, and its
row is dropped (no other row depends on it). A basis has ``l`` basic variables (one per row)
and ``k`` nonbasic ones (one per column of the dictionary ``x_B + T x_N = b``): the nonbasic
variables are 0, they are the basis's labels. The first basis is the pure strategy 0 against
its first best response ``t``; its dictionary holds differences of payoffs only (nothing in
it changes when a constant is added to ``B``), and its determinant is 1.

Structural zeros: an entry of the dictionary is a ratio of determinants of the constraint
matrix ``[[B^T, I, -1], [1^T, 0, 0]]``, and such a determinant vanishes for every ``B`` exactly
when its columns contain no ``p_i``. So when a basis has a single basic ``p_i``, its row is 0 in
every column of an ``r_j`` whatever the payoffs; those entries are set to exactly 0 (interval
bounds cannot see that such a cancellation is exact).

Importing this module imports numba and compiles the kernel (once: numba caches it on disk).
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["coordinates", "search_all"]

#: Unit roundoff of float64.
U = 2.0**-53
#: Results of the ratio test besides a row.
_UNBOUNDED = -1
_DOUBTFUL = -2


@numba.njit(cache=True, error_model="numpy")
def _sign(v: float, e: float, gran: float) -> int:
    """+1, -1, 0 (certified), or 2 (unknown). With a granularity (integer payoffs: every entry
    is an integer over the basis determinant ``D``, ``gran = 1 / (2 |D|)``), a value within an
    error bound below ``gran`` is exactly 0."""
    if v > e:
        return 1
    if v < -e:
        return -1
    if e < gran or e == 0.0:
        return 0
    return 2


@numba.njit(cache=True, error_model="numpy")
def _compare(T, E, i, j, c, lex_row, lex_col, lex_var, basic, entering, k, gran) -> int:
    """Lexicographic order of rows ``i`` and ``j`` of ``[b | columns of the first basis's
    variables]`` divided by their (positive) entries in column ``c``: -1 when row ``i`` is
    smaller, +1 when row ``j`` is, 2 when undecided.

    Each comparison is the sign of ``u_i a_j - u_j a_i``, which is ``-a_i`` times an entry of
    the dictionary after pivoting on row ``i``: its granularity is ``1 / |D|`` like the entries'.
    A first-basis variable that is basic has a unit column (1 in its row, ``lex_row``), so its
    comparison is known without arithmetic; so is that of the entering column itself (a tie),
    and that of an ``r`` column when the basis after the pivot has a single ``p``, basic in
    row ``j`` (a structural zero).
    """
    width = T.shape[1]
    rhs = width - 1
    ai, aj = T[i, c], T[j, c]
    eai, eaj = E[i, c], E[j, c]
    # Basic p's after pivoting on row i (entering replaces basic[i]).
    count = (1 if entering < k else 0) - (1 if basic[i] < k else 0)
    for q in range(basic.shape[0]):
        if basic[q] < k:
            count += 1
    sole_in_j = count == 1 and basic[j] < k
    for step in range(lex_row.shape[0] + 1):
        if step == 0:
            col = rhs
        else:
            q = lex_row[step - 1]
            if q >= 0:
                # Unit column: u_i = [i == q], u_j = [j == q].
                if q == i:
                    return 1
                if q == j:
                    return -1
                continue
            col = lex_col[step - 1]
            if col == c:
                continue
            if sole_in_j and lex_var[step - 1] >= k:
                continue
        ui, uj = T[i, col], T[j, col]
        x = ui * aj - uj * ai
        ex = (
            abs(ui) * eaj
            + E[i, col] * abs(aj)
            + abs(uj) * eai
            + E[j, col] * abs(ai)
            + 2.0 * U * (abs(ui * aj) + abs(uj * ai))
        )
        s = _sign(x, ex, gran)
        if s == 2:
            return 2
        if s != 0:
            return -1 if s < 0 else 1
    return 2


@numba.njit(cache=True, error_model="numpy")
def _leaving(T, E, c, lex_row, lex_col, lex_var, basic, entering, k, gran) -> int:
    """The row that leaves when the variable of column ``c`` enters (lexicographic ratio test),
    ``_UNBOUNDED`` when none does (a ray), or ``_DOUBTFUL``.

    One pass over the rows keeps the smallest ratio ``b_i / a_i`` (``a_i > 0``) so far: a row
    whose ratio is certainly larger (interval bounds) is passed over, one certainly smaller
    takes its place, and only rows within rounding of it are ordered by :func:`_compare`; the
    order is transitive, so the row kept is the lexicographic minimum. Rows whose entry has an
    unknown sign could take part: they are harmless only when their ratio certainly exceeds it.
    """
    rows, width = T.shape
    rhs = width - 1
    best = -1
    unclear = 0
    lo_b = hi_b = alo_b = ahi_b = 0.0
    for i in range(rows):
        s = _sign(T[i, c], E[i, c], gran)
        if s == 2:
            unclear += 1
            continue
        if s != 1:
            continue
        b = T[i, rhs]
        eb = E[i, rhs]
        a = T[i, c]
        ea = E[i, c]
        lo = (b - eb) * (1.0 - 4.0 * U)
        hi = (b + eb) * (1.0 + 4.0 * U)
        alo = (a - ea) * (1.0 - 4.0 * U)
        ahi = (a + ea) * (1.0 + 4.0 * U)
        if best >= 0:
            if lo * alo_b > hi_b * ahi:  # certainly larger than the best so far
                continue
            if not hi * ahi_b < lo_b * alo:  # not certainly smaller: compare exactly
                order = _compare(T, E, i, best, c, lex_row, lex_col, lex_var, basic, entering, k, gran)
                if order == 2:
                    return _DOUBTFUL
                if order > 0:
                    continue
        best = i
        lo_b, hi_b, alo_b, ahi_b = lo, hi, alo, ahi
    if best < 0:
        return _DOUBTFUL if unclear else _UNBOUNDED
    if unclear:
        if alo_b <= 0.0:
            return _DOUBTFUL
        for i in range(rows):
            if _sign(T[i, c], E[i, c], gran) != 2:
                continue
            # a_i <= 2 E: the ratio is at least (b_i - E_b) / (2 E).
            if (T[i, rhs] - E[i, rhs]) * (1.0 - 4.0 * U) * alo_b <= hi_b * 2.0 * E[i, c]:
                return _DOUBTFUL
    return best


@numba.njit(cache=True, error_model="numpy")
def _pivot(T, E, source_T, source_E, r, c, basic, nonbasic, k, gran) -> None:
    """The dictionary after exchanging row ``r``'s basic variable with column ``c``'s, written
    into ``T``/``E`` from ``source_T``/``source_E``, with first-order error bounds (and the
    rounding of each operation); ``basic``/``nonbasic`` are the new basis's. Structural zeros
    are set, and with a granularity, entries certified to be 0 become 0."""
    rows, width = T.shape
    piv = source_T[r, c]
    epiv = source_E[r, c]
    inverse = 1.0 / piv
    # 1 / (|piv| - epiv), rounded up.
    spread = (1.0 + 4.0 * U) / (abs(piv) - epiv)
    for j in range(width):
        if j == c:
            v = inverse
            T[r, j] = v
            E[r, j] = abs(v) * epiv * spread + U * abs(v)
        else:
            v = source_T[r, j] * inverse
            T[r, j] = v
            E[r, j] = (source_E[r, j] + abs(v) * epiv) * spread + 2.0 * U * abs(v)
    for i in range(rows):
        if i == r:
            continue
        f = source_T[i, c]
        ef = source_E[i, c]
        if f == 0.0 and ef == 0.0:
            for j in range(width):
                T[i, j] = source_T[i, j]
                E[i, j] = source_E[i, j]
            continue
        af = abs(f)
        for j in range(width):
            if j == c:
                v = -f * T[r, c]
                T[i, j] = v
                E[i, j] = af * E[r, c] + ef * abs(T[r, c]) + U * abs(v)
            else:
                rj = T[r, j]
                v = source_T[i, j] - f * rj
                E[i, j] = (
                    source_E[i, j]
                    + af * E[r, j]
                    + ef * abs(rj)
                    + 2.0 * U * (abs(source_T[i, j]) + abs(f * rj))
                )
                T[i, j] = v
    _structural_zeros(T, E, basic, nonbasic, k)
    if gran > 0.0:
        _snap(T, E, gran)


@numba.njit(cache=True, error_model="numpy")
def _insert(table, values, key, value) -> int:
    """Insert ``key`` with ``value`` into the open-addressing hash map ``table``/``values``
    (key 0 = empty); returns the value already held for ``key``, or -1 when it was new."""
    size = table.shape[0]
    h = (key * np.int64(-7046029254386353131)) & np.int64(size - 1)
    while True:
        slot = table[h]
        if slot == key:
            return values[h]
        if slot == 0:
            table[h] = key
            values[h] = value
            return -1
        h = (h + 1) & np.int64(size - 1)


@numba.njit(cache=True, error_model="numpy")
def _column(G, dG, q, w, B, Eb):
    """Column ``q`` of the constraint matrix for variable ``w`` (with entry error bounds)."""
    k, l = B.shape
    if w < k:
        for j in range(l):
            G[j, q] = B[w, j]
            dG[j, q] = Eb[w, j]
        G[l, q] = 1.0
    else:
        G[w - k, q] = 1.0


@numba.njit(cache=True, error_model="numpy")
def _refresh(B, Eb, basic, nonbasic, T, E) -> bool:
    """Recompute the dictionary of a basis from the payoffs, with a fresh error bound.

    A dictionary depends only on its basis, but bounds propagated pivot by pivot grow along the
    path (the triangle inequality cannot see errors that cancel). Here ``[T | b] = G_B^-1 [G_N |
    g]`` is solved by Gauss-Jordan elimination, and bounded a posteriori through the residual:
    ``|X - X*| <= |G_B^-1| (|R - G_B X| + rounding of that residual + the entries' own
    uncertainty)``, to first order, with a margin. Returns False when the basis matrix is
    numerically singular (the old dictionary is then kept).
    """
    k, l = B.shape
    n = l + 1
    G = np.zeros((n, n))
    dG = np.zeros((n, n))
    for q in range(l):
        _column(G, dG, q, basic[q], B, Eb)
    for j in range(l):
        G[j, l] = -1.0  # v
    R = np.zeros((n, k + 1))
    dR = np.zeros((n, k + 1))
    for c in range(k):
        _column(R, dR, c, nonbasic[c], B, Eb)
    R[l, k] = 1.0  # sum(p) = 1
    # Inverse by Gauss-Jordan with partial pivoting.
    A = G.copy()
    inv = np.eye(n)
    for col in range(n):
        piv = col
        for i in range(col + 1, n):
            if abs(A[i, col]) > abs(A[piv, col]):
                piv = i
        if A[piv, col] == 0.0:
            return False
        if piv != col:
            for j in range(n):
                A[col, j], A[piv, j] = A[piv, j], A[col, j]
                inv[col, j], inv[piv, j] = inv[piv, j], inv[col, j]
        scale = 1.0 / A[col, col]
        for j in range(n):
            A[col, j] *= scale
            inv[col, j] *= scale
        for i in range(n):
            if i == col:
                continue
            f = A[i, col]
            if f != 0.0:
                for j in range(n):
                    A[i, j] -= f * A[col, j]
                    inv[i, j] -= f * inv[col, j]
    X = inv @ R
    gamma = 2.0 * (n + 2) * U
    slack = np.abs(R - G @ X) + gamma * (np.abs(G) @ np.abs(X) + np.abs(R)) + dR + dG @ np.abs(X)
    bound = (np.abs(inv) @ slack) * (1.0 + 1e-3) + 4.0 * U * np.abs(X)
    for q in range(l):
        for c in range(k + 1):
            T[q, c] = X[q, c]
            E[q, c] = bound[q, c]
    _structural_zeros(T, E, basic, nonbasic, k)
    return True


@numba.njit(cache=True, error_model="numpy")
def _structural_zeros(T, E, basic, nonbasic, k) -> None:
    """A basis with a single basic p: its row is exactly 0 in every r column."""
    rows, width = T.shape
    sole = -1
    for i in range(rows):
        if basic[i] < k:
            sole = i if sole == -1 else -2
    if sole >= 0:
        for j in range(width - 1):
            if nonbasic[j] >= k:
                T[sole, j] = 0.0
                E[sole, j] = 0.0


@numba.njit(cache=True, error_model="numpy")
def _snap(T, E, gran) -> None:
    """With a granularity, entries certified to be 0 become exactly 0."""
    rows, width = T.shape
    for i in range(rows):
        for j in range(width):
            e = E[i, j]
            if e > 0.0 and e < gran and abs(T[i, j]) <= e:
                T[i, j] = 0.0
                E[i, j] = 0.0


@numba.njit(cache=True, error_model="numpy")
def _loose(T, E) -> bool:
    """The bounds have grown beyond 1e-6 of the dictionary's largest entry (probabilities that
    end up in an equilibrium are recomputed afterwards if theirs are looser than needed)."""
    rows, width = T.shape
    top = 0.0
    worst = 0.0
    for i in range(rows):
        for j in range(width):
            top = max(top, abs(T[i, j]))
            worst = max(worst, E[i, j])
    return worst > 1e-6 * top


@numba.njit(cache=True, error_model="numpy")
def _start(B, Eb):
    """The dictionary of the first basis (pure strategy 0 against its first best response):
    (T, E, basic, nonbasic)."""
    k, l = B.shape
    t = 0
    for j in range(1, l):
        if B[0, j] > B[0, t]:
            t = j
    T = np.zeros((l, k + 1))
    E = np.zeros((l, k + 1))
    basic = np.empty(l, dtype=np.int64)
    nonbasic = np.empty(k, dtype=np.int64)
    # Columns: p_1 .. p_{k-1}, then r_t.
    for i in range(1, k):
        nonbasic[i - 1] = i
    nonbasic[k - 1] = k + t
    # Row 0: p_0 + sum_{i > 0} p_i = 1.
    basic[0] = 0
    for i in range(1, k):
        T[0, i - 1] = 1.0
    T[0, k] = 1.0
    row = 1
    for j in range(l):
        if j == t:
            continue
        # r_j = (B_0t - B_0j) + r_t + sum_{i > 0} ((B_it - B_0t) - (B_ij - B_0j)) p_i.
        basic[row] = k + j
        T[row, k - 1] = -1.0
        d0 = B[0, t] - B[0, j]
        T[row, k] = d0
        E[row, k] = Eb[0, t] + Eb[0, j] + U * abs(d0)
        for i in range(1, k):
            a = B[i, t] - B[0, t]
            b = B[i, j] - B[0, j]
            v = -(a - b)
            T[row, i - 1] = v
            E[row, i - 1] = Eb[i, t] + Eb[0, t] + Eb[i, j] + Eb[0, j] + U * (abs(a) + abs(b) + abs(v))
        row += 1
    return T, E, basic, nonbasic


@numba.njit(cache=True, error_model="numpy")
def _search(B, Eb, integral, max_bases):
    """Every lexicographic basis of the polyhedron of ``B`` (``k x l``).

    Returns (labels, coords, errors, count, doubtful): per basis visited its labels (bit
    ``i``: ``p_i = 0``, bit ``k + j``: ``j`` is a best response; decided exactly), its
    probabilities and a bound on their errors.
    """
    k, l = B.shape
    width = k + 1
    rhs = k
    T0, E0, basic0, nonbasic0 = _start(B, Eb)
    # The first basis's variables, in a fixed order, define the lexicographic perturbation.
    first = basic0.copy()
    capacity = 64
    QT = np.empty((capacity, l, width))
    QE = np.empty((capacity, l, width))
    QB = np.empty((capacity, l), dtype=np.int64)
    QN = np.empty((capacity, k), dtype=np.int64)
    QD = np.empty(capacity)
    # Per basis in the queue, the columns whose edge is known already (found from the basis at
    # its other end): lexicographic pivoting is symmetric, so their ratio tests are skipped.
    QC = np.zeros(capacity, dtype=np.int64)
    QT[0] = T0
    QE[0] = E0
    QB[0] = basic0
    QN[0] = nonbasic0
    QD[0] = 1.0
    out_labels = np.empty(capacity, dtype=np.int64)
    out_p = np.empty((capacity, k))
    out_err = np.empty((capacity, k))
    out_basis = np.empty(capacity, dtype=np.int64)
    table = np.zeros(256, dtype=np.int64)
    index = np.zeros(256, dtype=np.int64)  # each basis's place in the queue (head .. tail)
    mask0 = np.int64(0)
    for i in range(l):
        mask0 |= np.int64(1) << basic0[i]
    _insert(table, index, mask0, 0)
    used = 1
    head = 0
    tail = 1
    count = 0
    lex_row = np.empty(l, dtype=np.int64)
    lex_col = np.empty(l, dtype=np.int64)
    lex_var = first
    where_row = np.empty(k + l, dtype=np.int64)
    where_col = np.empty(k + l, dtype=np.int64)
    while head < tail:
        slot = head % capacity
        T = QT[slot]
        E = QE[slot]
        basic = QB[slot]
        nonbasic = QN[slot]
        D = QD[slot]
        known = QC[slot]
        gran = 0.5 / D if integral else 0.0
        # Where each variable is: its row if basic, its column if not.
        for v in range(k + l):
            where_row[v] = -1
            where_col[v] = -1
        for i in range(l):
            where_row[basic[i]] = i
        for c in range(k):
            where_col[nonbasic[c]] = c
        for q in range(l):
            lex_row[q] = where_row[first[q]]
            lex_col[q] = where_col[first[q]]
        # Record the basis: labels and probabilities.
        if count == out_labels.shape[0]:
            grown = 2 * count
            l2 = np.empty(grown, dtype=np.int64)
            p2 = np.empty((grown, k))
            e2 = np.empty((grown, k))
            b2 = np.empty(grown, dtype=np.int64)
            l2[:count] = out_labels[:count]
            p2[:count] = out_p[:count]
            e2[:count] = out_err[:count]
            b2[:count] = out_basis[:count]
            out_labels, out_p, out_err, out_basis = l2, p2, e2, b2
        labels = np.int64(0)
        for c in range(k):
            labels |= np.int64(1) << nonbasic[c]
        # Bounds grown loose along the path: recompute the dictionary (at most once).
        fresh = False
        if _loose(T, E):
            fresh = _refresh(B, Eb, basic, nonbasic, T, E)
            if fresh and gran > 0.0:
                _snap(T, E, gran)
        for _attempt in range(2):
            settled = True
            for i in range(k):
                out_p[count, i] = 0.0
                out_err[count, i] = 0.0
            extra = np.int64(0)
            for i in range(l):
                s = _sign(T[i, rhs], E[i, rhs], gran)
                if s == 2 or s < 0:
                    settled = False
                    break
                if s == 0:
                    extra |= np.int64(1) << basic[i]
                elif basic[i] < k:
                    out_p[count, basic[i]] = T[i, rhs]
                    out_err[count, basic[i]] = E[i, rhs]
            if settled:
                break
            if fresh or not _refresh(B, Eb, basic, nonbasic, T, E):
                return out_labels, out_p, out_err, out_basis, count, True
            fresh = True
            if gran > 0.0:
                _snap(T, E, gran)
        labels |= extra
        mask = np.int64(0)
        for i in range(l):
            mask |= np.int64(1) << basic[i]
        out_labels[count] = labels
        out_basis[count] = mask
        count += 1
        # Every neighbour. The slot being read stays in use until the loop ends.
        for c in range(k):
            if (known >> np.int64(c)) & 1:
                continue  # the edge to a basis already seen, tested from its end
            r = _leaving(T, E, c, lex_row, lex_col, lex_var, basic, nonbasic[c], k, gran)
            if r == _DOUBTFUL and not fresh:
                # Perhaps only the bounds are too loose: once more from a fresh dictionary.
                fresh = _refresh(B, Eb, basic, nonbasic, T, E)
                if fresh:
                    if gran > 0.0:
                        _snap(T, E, gran)
                    r = _leaving(T, E, c, lex_row, lex_col, lex_var, basic, nonbasic[c], k, gran)
            if r == _UNBOUNDED:
                continue
            if r == _DOUBTFUL:
                return out_labels, out_p, out_err, out_basis, count, True
            e = nonbasic[c]
            key = mask ^ (np.int64(1) << basic[r]) ^ (np.int64(1) << e)
            seen = _insert(table, index, key, tail)
            if seen >= 0:
                if seen > head:
                    # Not yet visited: its edge back (the column of the variable leaving here)
                    # needs no ratio test there.
                    other = seen % capacity
                    for c2 in range(k):
                        if QN[other, c2] == basic[r]:
                            QC[other] |= np.int64(1) << np.int64(c2)
                continue
            used += 1
            if used > max_bases:
                return out_labels, out_p, out_err, out_basis, count, True
            if 2 * used > table.shape[0]:
                old, old_index = table, index
                table = np.zeros(4 * old.shape[0], dtype=np.int64)
                index = np.zeros(4 * old.shape[0], dtype=np.int64)
                for h in range(old.shape[0]):
                    if old[h] != 0:
                        _insert(table, index, old[h], old_index[h])
            if tail - head + 1 >= capacity:
                grown = 2 * capacity
                T2 = np.empty((grown, l, width))
                E2 = np.empty((grown, l, width))
                B2 = np.empty((grown, l), dtype=np.int64)
                N2 = np.empty((grown, k), dtype=np.int64)
                D2 = np.empty(grown)
                C2 = np.empty(grown, dtype=np.int64)
                for q in range(head, tail):
                    C2[q % grown] = QC[q % capacity]
                    T2[q % grown] = QT[q % capacity]
                    E2[q % grown] = QE[q % capacity]
                    B2[q % grown] = QB[q % capacity]
                    N2[q % grown] = QN[q % capacity]
                    D2[q % grown] = QD[q % capacity]
                QT, QE, QB, QN, QD, QC = T2, E2, B2, N2, D2, C2
                capacity = grown
                slot = head % capacity
                T = QT[slot]
                E = QE[slot]
                basic = QB[slot]
                nonbasic = QN[slot]
            child = tail % capacity
            # An upper bound of |det|: the granularity 1 / (2 D) then errs on the safe side.
            QD[child] = D * (abs(T[r, c]) + E[r, c]) * (1.0 + 4.0 * U)
            QC[child] = np.int64(1) << np.int64(c)  # the edge just travelled leads back
            QB[child] = basic
            QN[child] = nonbasic
            QB[child, r] = e
            QN[child, c] = basic[r]
            _pivot(
                QT[child],
                QE[child],
                T,
                E,
                r,
                c,
                QB[child],
                QN[child],
                k,
                0.5 / QD[child] if integral else 0.0,
            )
            tail += 1
        head += 1
    return out_labels, out_p, out_err, out_basis, count, False


@numba.njit(cache=True, error_model="numpy")
def search_all(Bs, Ebs, integral, max_bases):
    """:func:`_search` at every point; results concatenated (point, labels, probabilities,
    errors) and the doubtful points."""
    N, k, _ = Bs.shape
    capacity = 1024
    point = np.empty(capacity, dtype=np.int64)
    labels = np.empty(capacity, dtype=np.int64)
    coords = np.empty((capacity, k))
    errors = np.empty((capacity, k))
    bases = np.empty(capacity, dtype=np.int64)
    doubtful = np.zeros(N, dtype=np.bool_)
    total = 0
    for p in range(N):
        lab, x, err, basis, count, doubt = _search(Bs[p], Ebs[p], integral[p], max_bases)
        if doubt:
            doubtful[p] = True
            continue
        if total + count > capacity:
            grown = max(2 * capacity, total + count)
            point2 = np.empty(grown, dtype=np.int64)
            labels2 = np.empty(grown, dtype=np.int64)
            coords2 = np.empty((grown, k))
            errors2 = np.empty((grown, k))
            bases2 = np.empty(grown, dtype=np.int64)
            bases2[:total] = bases[:total]
            point2[:total] = point[:total]
            labels2[:total] = labels[:total]
            coords2[:total] = coords[:total]
            errors2[:total] = errors[:total]
            point, labels, coords, errors, bases = point2, labels2, coords2, errors2, bases2
            capacity = grown
        point[total : total + count] = p
        labels[total : total + count] = lab[:count]
        coords[total : total + count] = x[:count]
        errors[total : total + count] = err[:count]
        bases[total : total + count] = basis[:count]
        total += count
    return (point[:total], labels[:total], coords[:total], errors[:total], bases[:total], doubtful)


@numba.njit(cache=True, error_model="numpy")
def coordinates(Bs, Ebs, point, bases):
    """The probabilities of the vertices with the given bases (masks of basic variables), each
    recomputed from the payoffs with a fresh error bound (see :func:`_refresh`); errors are
    infinite where the basis matrix is numerically singular."""
    N, k, l = Bs.shape
    V = point.shape[0]
    coords = np.zeros((V, k))
    errors = np.full((V, k), np.inf)
    basic = np.empty(l, dtype=np.int64)
    nonbasic = np.empty(k, dtype=np.int64)
    T = np.empty((l, k + 1))
    E = np.empty((l, k + 1))
    for v in range(V):
        nb = 0
        nn = 0
        for w in range(k + l):
            if (bases[v] >> np.int64(w)) & 1:
                basic[nb] = w
                nb += 1
            else:
                nonbasic[nn] = w
                nn += 1
        if nb != l or not _refresh(Bs[point[v]], Ebs[point[v]], basic, nonbasic, T, E):
            continue
        for i in range(k):
            errors[v, i] = 0.0
        for q in range(l):
            if basic[q] < k:
                coords[v, basic[q]] = T[q, k]
                errors[v, basic[q]] = E[q, k]
    return coords, errors
