"""The two batched engines (determinants with numpy, lexicographic pivoting with numba) against
each other and against exact enumeration, and their building blocks.

Every vertex of every best-response polyhedron must come out the same from both engines (they
share no code beyond the exact reading of the payoffs); every equilibrium the same as the exact
per-point method's, on continuous games, integer games full of ties, infeasible profiles, and
sizes up to 10x10; exact pivoting in integers must give the vertices of exact basis-by-basis
enumeration.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from negsim.game import Game
from negsim.solve import minors, solve
from negsim.solve.batch import (
    PointEquilibria,
    engine_for,
    solve_points,
    solve_points_reference,
)
from negsim.solve.exact import fraction_array
from negsim.solve.exact_pivoting import vertices_exact
from negsim.solve.reading import exact_reading
from negsim.solve.vertex import _vertices_exact, complete_pairs

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
numba_only = pytest.mark.skipif(
    not __import__("negsim.solve.pivoting", fromlist=["x"]).available(),
    reason="the pivoting engine needs numba (pip install 'negsim[fast]')",
)


def assert_same(fast: PointEquilibria, reference: PointEquilibria, atol: float = 1e-7) -> None:
    np.testing.assert_array_equal(fast.degenerate, reference.degenerate)
    np.testing.assert_array_equal(fast.point, reference.point)
    for mine, theirs in zip(fast.strategies, reference.strategies):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=atol)


def mixed_batch(rng: np.random.Generator, points: int, m: int, n: int) -> np.ndarray:
    ties = rng.integers(-2, 3, size=(points, 2, m, n)).astype(float)
    continuous = rng.normal(size=(points, 2, m, n))
    return np.concatenate([ties, continuous])[rng.permutation(2 * points)]


# -- the engines against each other ---------------------------------------------------------------


def vertex_sets(found: minors.Vertices) -> dict[tuple[int, int], np.ndarray]:
    return {(int(p), int(m)): c for p, m, c in zip(found.point, found.mask, found.coords)}


@numba_only
@pytest.mark.parametrize("k,l", [(2, 2), (3, 4), (5, 3), (6, 6)], ids=["2x2", "3x4", "5x3", "6x6"])
def test_both_engines_find_the_same_vertices(k, l):
    from negsim.solve import pivoting

    rng = np.random.default_rng(10 * k + l)
    matrices = np.concatenate(
        [
            rng.normal(size=(60, k, l)),
            rng.integers(-2, 3, size=(60, k, l)).astype(float),
            1e6 * rng.integers(0, 2, size=(60, k, l)) + rng.integers(0, 10, size=(60, k, l)),
        ]
    )
    matrices[::7, 0, 0] = -131072.0  # an extreme cell now and then
    reading = exact_reading(matrices)
    a, b = minors.vertices(reading), pivoting.vertices(reading)
    settled = ~a.doubtful & ~b.doubtful
    assert settled.sum() >= 120  # lexicographic matrices of 6x6 are often left to exact work
    left = {key: c for key, c in vertex_sets(a).items() if settled[key[0]]}
    right = {key: c for key, c in vertex_sets(b).items() if settled[key[0]]}
    assert left.keys() == right.keys()
    for key in left:
        np.testing.assert_allclose(left[key], right[key], rtol=0, atol=1e-8)


@numba_only
@pytest.mark.parametrize(
    "m,n", [(2, 2), (3, 3), (4, 4), (4, 6), (6, 6), (7, 7)], ids=["2x2", "3x3", "4x4", "4x6", "6x6", "7x7"]
)
def test_pivoting_engine_equals_the_per_point_loop(m, n):
    rng = np.random.default_rng(m * 10 + n)
    payoffs = mixed_batch(rng, 40 if m * n <= 16 else 12, m, n)
    fast = solve_points(payoffs, engine="pivoting")
    assert_same(fast, solve_points_reference(payoffs))
    assert fast.per_point.mean() <= 0.1


@numba_only
def test_pivoting_engine_with_infeasible_profiles():
    rng = np.random.default_rng(11)
    infeasible = np.zeros((4, 4), dtype=bool)
    infeasible[0, 1] = infeasible[3, 2] = True
    payoffs = mixed_batch(rng, 25, 4, 4)
    fast = solve_points(payoffs, infeasible=infeasible, engine="pivoting")
    assert_same(fast, solve_points_reference(payoffs, infeasible=infeasible))


@numba_only
@pytest.mark.parametrize("size,kind", [(9, "tied"), (10, "tied"), (9, "continuous")])
def test_larger_games_equal_exact_enumeration(size, kind):
    """9x9 and 10x10: the engine's equilibria are those of rational enumeration (the per-point
    method at these sizes), points chosen at random."""
    rng = np.random.default_rng(size)
    points = 3 if kind == "tied" else 2
    payoffs = (
        rng.integers(-3, 4, size=(points, 2, size, size)).astype(float)
        if kind == "tied"
        else rng.normal(size=(points, 2, size, size))
    )
    assert engine_for((size, size)) == "pivoting"
    assert_same(solve_points(payoffs), solve_points_reference(payoffs))


@numba_only
def test_solve_enumerates_12x12_games_completely():
    """12x12 used to mean Lemke-Howson (some equilibria); with the certified engine ``auto``
    lists every extreme equilibrium, the same as exact enumeration in integers."""
    from negsim.solve.equilibria import choose_method
    from negsim.solve.vertex import enumerate_exact

    rng = np.random.default_rng(12)
    A, B = rng.integers(-3, 4, size=(2, 12, 12))
    game = Game.from_matrices(A.astype(float), B.astype(float))
    assert choose_method(game) == "enumerate"
    found = solve(game)
    exact = enumerate_exact(fraction_array(A - A.min() + 0.0), fraction_array(B - B.min() + 0.0))
    assert found.complete and len(found.equilibria) == len(exact.pairs)
    assert found.degenerate == exact.degenerate
    assert max(e.regret for e in found.equilibria) <= 1e-9


def test_a_requested_engine_is_checked():
    with pytest.raises(ValueError, match="engine must be"):
        solve_points(np.zeros((2, 2, 2, 2)), engine="simplex")
    with pytest.raises(ValueError, match="determinant engine"):
        solve_points(np.zeros((1, 2, 9, 9)), engine="minors")


# -- building blocks --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["continuous", "ties", "lexicographic", "one cell"])
def test_exact_pivoting_gives_the_vertices_of_basis_by_basis_enumeration(kind):
    rng = np.random.default_rng(5)
    for _ in range(6):
        shape = tuple(int(v) for v in rng.integers(2, 6, size=2))
        if kind == "continuous":
            B = rng.normal(size=shape)
        elif kind == "ties":
            B = rng.integers(-2, 3, size=shape).astype(float)
        elif kind == "lexicographic":
            B = 1e6 * rng.integers(0, 2, size=shape) + rng.integers(0, 3, size=shape)
        else:
            B = np.eye(*shape)
        F = fraction_array(B)
        low = min(F.flat)
        M = [[v - low + 1 for v in row] for row in F]
        xs, labels = vertices_exact(M)
        ys, labels_old = _vertices_exact(M)
        assert xs[0] == ys[0] and labels[0] == labels_old[0]  # the origin first
        assert dict(zip(labels, xs)) == dict(zip(labels_old, ys))


def test_complete_pairs_by_label_masks():
    # Labels of a 2x2 game: bits 0, 1 rows, 2, 3 columns.
    x = [0b1010, 0b0101, 0b1110]
    y = [0b0101, 0b1010, 0b0001]
    assert complete_pairs(x, y, 0b1111) == [(0, 0), (1, 1), (2, 0), (2, 2)]


@pytest.mark.parametrize(
    "values, integral, scaled",
    [
        pytest.param([[1.0, -3.0]], True, [[1.0, -3.0]], id="integers"),
        pytest.param([[0.5, 0.25]], True, [[2.0, 1.0]], id="binary fractions"),
        pytest.param([[0.1, 0.35]], True, [[2.0, 7.0]], id="decimals"),
        pytest.param([[1 / 3, 2 / 7]], True, [[7.0, 6.0]], id="thirds and sevenths"),
        pytest.param([[1e6 + 9, 3.0]], True, [[1e6 + 9, 3.0]], id="lexicographic"),
    ],
)
def test_exact_reading_turns_simple_payoffs_into_integers(values, integral, scaled):
    reading = exact_reading(np.array([values]))
    assert bool(reading.integral[0]) is integral
    np.testing.assert_array_equal(reading.values[0], scaled)
    # The integers are the exact method's fractions times one common denominator.
    fractions = [Fraction(v).limit_denominator(10**6) for v in np.ravel(values)]
    ratios = {Fraction(int(s)) / f for s, f in zip(np.ravel(scaled), fractions) if f}
    assert len(ratios) == 1


def test_exact_reading_bounds_how_far_other_payoffs_may_be_read():
    reading = exact_reading(np.array([[[np.pi, np.e]], [[0.1 + 1e-15, 2.0]]]))
    assert not reading.integral[0]
    # pi and e are read as fractions within 1e-12 of them (times their size beyond 1).
    assert (reading.perturbation[0] > 0).all() and (reading.perturbation[0] <= 1.01e-12 * 3.2).all()
    assert reading.perturbation[1, 0, 1] == 0.0  # 2.0 is read exactly
