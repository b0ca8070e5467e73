"""All equilibria of random parametric games from 2x2 to 12x12, negsim against its peers.

Games ``A(t) = A0 + t1 * A1 + t2 * A2`` (both players' matrices), drawn at random, ten points
``t`` per game, in two families: *continuous* (normal payoffs, ``t`` uniform in [0, 1]^2: no
ties) and *tied* (integer payoffs -3..3 and -2..2, ``t`` on half steps: ties everywhere, many
degenerate games). Then the *wide-range* stress set, which negsim did not choose either:
lexicographic payoffs (``w * outcome + tie-breaker``, ``w`` 1e5 or 1e6, outcomes in {0, 1},
tie-breakers 0..9) and continuous payoffs with one extreme cell (-131072 or -1e4).

Every library solves the same points in one run: negsim's ``solve_points`` (all points),
QuantEcon's ``support_enumeration`` and ``vertex_enumeration`` loops (numba; their compile time
is excluded and printed), pygambit's ``enummixed_solve(rational=False)`` loop and nashpy's
``support_enumeration`` loop (sizes up to 6). A peer slower than the per-library time budget is
timed on the first points only (they are a random sample) and its per-point time extrapolated;
the table says how many points each was timed on. Timing is interleaved (one run of every
library, then the next round), CPU time of this process (``time.process_time``), median of
``--repeat`` rounds.

Exactness: the first points of every block (as many as ``EXACT`` says) are solved in
rational arithmetic (:func:`negsim.solve.vertex.enumerate_exact`, the method behind
``solve(game, exact=True)``, which reads each payoff as the decimal it stands for); each
library's equilibria there are compared with those (to 1e-6): a point is *missing* when an
exact extreme equilibrium was not found, *wrong* when a returned profile is none of them.

    python benchmarks/bench_sizes.py            # the full run (about half an hour)
    python benchmarks/bench_sizes.py --quick    # sizes 2..4, few points (seconds)

Exit code 1 if negsim misses or invents an equilibrium at a point checked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sweep import gambit_loop, nashpy_loop, negsim_mixes  # noqa: E402
from machine import describe  # noqa: E402

from negsim.game import Game  # noqa: E402
from negsim.solve.batch import solve_points  # noqa: E402
from negsim.solve.verify import exact_payoffs_of  # noqa: E402
from negsim.solve.vertex import enumerate_exact  # noqa: E402

Mixes = list[tuple[np.ndarray, np.ndarray]]
Loop = Callable[[np.ndarray], list[Mixes]]

#: Points per block (full run); peers are subsampled by the time budget.
POINTS = {2: 2000, 3: 2000, 4: 2000, 5: 1000, 6: 500, 7: 300, 8: 200, 9: 100, 10: 60, 11: 30, 12: 20}
#: Points checked in rational arithmetic (full run). Decimals make long fractions: 6 s a point
#: at 10x10 and 46 s at 11x11 with continuous payoffs, under 0.5 s with small integers.
EXACT = {
    "continuous": {2: 300, 3: 300, 4: 200, 5: 100, 6: 60, 7: 30, 8: 12, 9: 5, 10: 3, 11: 1, 12: 1},
    "tied": {2: 300, 3: 300, 4: 200, 5: 100, 6: 60, 7: 50, 8: 40, 9: 30, 10: 20, 11: 10, 12: 10},
}
#: Sizes nashpy is run at (its support enumeration grows as 4^k in Python).
NASHPY_UP_TO = 6


# -- the games -----------------------------------------------------------------------------------


def parametric(rng: np.random.Generator, k: int, n: int, family: str, per_game: int = 10) -> np.ndarray:
    """``n`` points of random parametric ``k x k`` games, ``per_game`` points per game."""
    blocks = []
    for start in range(0, n, per_game):
        size = min(per_game, n - start)
        if family == "continuous":
            base, slopes = rng.normal(size=(2, k, k)), rng.normal(size=(2, 2, k, k))
            t = rng.random((size, 2))
        else:
            base = rng.integers(-3, 4, size=(2, k, k)).astype(float)
            slopes = rng.integers(-2, 3, size=(2, 2, k, k)).astype(float)
            t = rng.integers(0, 5, size=(size, 2)) / 2
        blocks.append(base + np.einsum("pt,tiab->piab", t, slopes))
    return np.concatenate(blocks)


def lexicographic(rng: np.random.Generator, k: int, n: int, weight: float) -> np.ndarray:
    """``weight * outcome + tie-breaker``: outcomes in {0, 1}, tie-breakers 0..9."""
    return (weight * rng.integers(0, 2, size=(n, 2, k, k)) + rng.integers(0, 10, size=(n, 2, k, k))).astype(
        float
    )


def extreme_cell(rng: np.random.Generator, k: int, n: int, value: float) -> np.ndarray:
    """Continuous parametric payoffs with one cell of each game's matrices set to ``value``."""
    payoffs = parametric(rng, k, n, "continuous")
    for start in range(0, n, 10):
        player, row, col = rng.integers(0, 2), rng.integers(0, k), rng.integers(0, k)
        payoffs[start : start + 10, player, row, col] = value
    return payoffs


@dataclass(frozen=True)
class Block:
    family: str
    k: int
    payoffs: np.ndarray
    exact: int


def blocks(quick: bool, sizes: Sequence[int], rng: np.random.Generator) -> list[Block]:
    out = []
    for family in ("continuous", "tied"):
        for k in sizes:
            n = max(20, POINTS[k] // 20) if quick else POINTS[k]
            exact = min(n, max(2, EXACT[family][k] // 10) if quick else EXACT[family][k])
            out.append(Block(family, k, parametric(rng, k, n, family), exact))
    stress_sizes = [4] if quick else [3, 4, 5, 6]
    for k in stress_sizes:
        n = 200 if quick else 2000 // (k - 2)
        exact = 40 if quick else 200
        for weight in (1e5, 1e6):
            out.append(Block(f"lexicographic {weight:.0e}", k, lexicographic(rng, k, n, weight), exact))
        for value in (-131072.0, -1e4):
            out.append(Block(f"extreme cell {value:g}", k, extreme_cell(rng, k, n, value), exact))
    return out


# -- the libraries ---------------------------------------------------------------------------------


def negsim_loop(payoffs: np.ndarray) -> list[Mixes]:
    return negsim_mixes(solve_points(payoffs))


def quantecon(kind: str) -> Loop:
    def run(payoffs: np.ndarray) -> list[Mixes]:
        import quantecon.game_theory as gt

        enumerate_ = gt.support_enumeration if kind == "support" else gt.vertex_enumeration
        out = []
        for A, B in payoffs:
            g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
            out.append([(np.asarray(x), np.asarray(y)) for x, y in enumerate_(g)])
        return out

    return run


@dataclass
class Library:
    name: str
    run: Loop
    up_to: int = 12
    times: dict[tuple[str, int], list[float]] = field(default_factory=dict)
    counts: dict[tuple[str, int], int] = field(default_factory=dict)
    results: dict[tuple[str, int], list[Mixes]] = field(default_factory=dict)


def libraries() -> list[Library]:
    libs = [
        Library("negsim", negsim_loop),
        Library("QE support", quantecon("support")),
        Library("QE vertex", quantecon("vertex")),
    ]
    try:
        import pygambit  # noqa: F401
    except ImportError:
        print("pygambit not installed: left out")
    else:
        libs.append(Library("gambit float", gambit_loop))
    libs.append(Library("nashpy", nashpy_loop, up_to=NASHPY_UP_TO))
    return libs


def compile_quantecon() -> float:
    """Compile QuantEcon's numba functions once (excluded from every timing); CPU seconds."""
    start = time.process_time()
    for k in (2, 3):
        payoffs = np.random.default_rng(0).normal(size=(1, 2, k, k))
        quantecon("support")(payoffs)
        quantecon("vertex")(payoffs)
    return time.process_time() - start


def timed(run: Loop, payoffs: np.ndarray) -> tuple[float, list[Mixes]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.process_time()
        result = run(payoffs)
        return time.process_time() - start, result


# -- exactness -------------------------------------------------------------------------------------


def exact_mixes(payoffs: np.ndarray) -> list[Mixes]:
    """Extreme equilibria by vertex enumeration in rational arithmetic (lexicographic pivoting
    on integers beyond small sizes), payoffs read as the decimals they stand for: the method
    behind ``solve(game, exact=True)``, called directly so that 11x11 and 12x12 are allowed."""
    out = []
    for A, B in payoffs:
        exact_A, exact_B = exact_payoffs_of(Game.from_matrices(A, B))
        found = enumerate_exact(exact_A, exact_B)
        out.append([(mix(found.row_vertices[a]), mix(found.col_vertices[b])) for a, b in found.pairs])
    return out


def mix(vertex: Sequence[Fraction]) -> np.ndarray:
    total = sum(vertex)
    return np.array([float(v / total) for v in vertex])


def close(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...], atol: float = 1e-6) -> bool:
    return all(u.shape == v.shape and np.allclose(u, v, atol=atol, rtol=0) for u, v in zip(a, b))


def judge(found: Mixes, expected: Mixes) -> tuple[bool, bool]:
    """(missing, wrong): an exact equilibrium not found; a returned profile that is none."""
    missing = any(not any(close(e, f) for f in found) for e in expected)
    wrong = any(not any(close(f, e) for e in expected) for f in found)
    return missing, wrong


# -- the run ---------------------------------------------------------------------------------------


def cell(per_point: float | None, count: int, n: int, ours: float | None) -> str:
    if per_point is None:
        return f"{'-':>22}"
    text = f"{per_point * 1e6:,.0f} us" if per_point >= 1e-4 else f"{per_point * 1e6:.1f} us"
    ratio = f"{per_point / ours:.1f}x" if ours else "-"
    mark = "" if count == n else f" ({count})"
    return f"{text}{mark} {ratio}".rjust(22)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 2..4, few points, one round")
    parser.add_argument("--sizes", type=str, default=None, help="e.g. 2-12 or 4,8,12")
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds (the median counts)")
    parser.add_argument(
        "--budget", type=float, default=2.0, help="CPU seconds per peer, block and round before subsampling"
    )
    parser.add_argument("--seed", type=int, default=20251203)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.budget = 1, 0.05
    if args.sizes:
        if "-" in args.sizes:
            low, high = map(int, args.sizes.split("-"))
            sizes = list(range(low, high + 1))
        else:
            sizes = [int(s) for s in args.sizes.split(",")]
    else:
        sizes = [2, 3, 4] if args.quick else list(range(2, 13))
    rng = np.random.default_rng(args.seed)

    print(describe())
    print(
        f"times: CPU per point, median of {args.repeat} interleaved rounds; '(n)' = timed on the "
        "first n points only (extrapolated); 'Nx' = the library's time / negsim's"
    )
    print(f"QuantEcon numba compile: {compile_quantecon():.1f} s CPU, excluded")
    work = blocks(args.quick, sizes, rng)
    libs = libraries()
    solve_points(work[0].payoffs[:2])  # negsim's kernel loaded (numba cache) before timing

    # How many points each library is timed on: a probe on the first point, then the budget.
    for block in work:
        key = (block.family, block.k)
        n = len(block.payoffs)
        for lib in libs:
            if block.k > lib.up_to:
                continue
            probe, _ = timed(lib.run, block.payoffs[:1])
            lib.counts[key] = (
                n if lib.name == "negsim" else int(np.clip(args.budget / max(probe, 1e-6), 1, n))
            )
    for round_ in range(args.repeat):
        for block in work:
            key = (block.family, block.k)
            for lib in libs:
                if key not in lib.counts:
                    continue
                seconds, result = timed(lib.run, block.payoffs[: lib.counts[key]])
                lib.times.setdefault(key, []).append(seconds / lib.counts[key])
                if round_ == 0:
                    lib.results[key] = result

    names = [lib.name for lib in libs]
    families = list(dict.fromkeys(b.family for b in work))
    for family in families:
        print(f"\n{family}: CPU per point (points timed) and ratio to negsim")
        print(
            f"{'size':6}{'points':>7}"
            + "".join(f"{name:>22}" for name in names)
            + f"{'negsim per point':>18}"
        )
        for block in (b for b in work if b.family == family):
            key = (family, block.k)
            n = len(block.payoffs)
            ours = statistics.median(libs[0].times[key])
            cells = [
                cell(
                    statistics.median(lib.times[key]) if key in lib.times else None,
                    lib.counts.get(key, 0),
                    n,
                    ours,
                )
                for lib in libs
            ]
            handed = int(solve_points(block.payoffs).per_point.sum())
            print(f"{block.k}x{block.k:<4}{n:>7}" + "".join(cells) + f"{handed:>18}")

    failed = False
    print(
        "\nexactness against rational enumeration: points missing / with a wrong profile "
        "(of the points checked)"
    )
    print(
        f"{'family':24}{'size':>6}{'checked':>8}"
        + "".join(f"{name:>16}" for name in names)
        + f"{'exact ms/pt':>12}"
    )
    for block in work:
        key = (block.family, block.k)
        start = time.process_time()
        exact = exact_mixes(block.payoffs[: block.exact])
        per_point = (time.process_time() - start) / block.exact
        cells = []
        for lib in libs:
            if key not in lib.results:
                cells.append(f"{'-':>16}")
                continue
            checked = min(block.exact, lib.counts[key])
            verdicts = [
                judge(found, expected) for found, expected in zip(lib.results[key][:checked], exact[:checked])
            ]
            missing = sum(m for m, _ in verdicts)
            wrong = sum(w for _, w in verdicts)
            if lib.name == "negsim":
                failed |= bool(missing or wrong)
            note = "" if checked == block.exact else f" ({checked})"
            cells.append(f"{missing}/{wrong}{note}".rjust(16))
        print(
            f"{block.family:24}{f'{block.k}x{block.k}':>6}{block.exact:>8}"
            + "".join(cells)
            + f"{per_point * 1e3:>12.1f}"
        )
    print(
        "\nRESULT: "
        + (
            "FAILED: negsim missed or invented an equilibrium"
            if failed
            else "ok: negsim exact at every point checked"
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
