"""All equilibria of a two-player 5x5 scenario game over a 10,000-point sweep, side by side.

negsim's vectorised engine (:func:`negsim.solve.batch.solve_points`) against per-point loops
with its peers on the same points: QuantEcon's numba-compiled ``support_enumeration``, nashpy's
``support_enumeration``, pygambit's ``enummixed_solve`` (when pygambit is installed), and
negsim's own per-point loop (``solve_points_reference``, vertex enumeration point by point).

Results are checked, not only timed: negsim must equal its per-point loop at every point and
the exact rational method (``negsim.solve.solve(game, exact=True)``) at every sampled point.
The peers' disagreements with the exact method are counted, separately at degenerate and at
non-degenerate points.

    python benchmarks/bench_sweep.py            # the full run: 10,000 points (a few minutes)
    python benchmarks/bench_sweep.py --quick    # 625 points and small samples (seconds)

Exit code 1 if negsim disagrees with its per-point loop or with the exact method.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe  # noqa: E402

from negsim.game import Game, ParametricGame  # noqa: E402
from negsim.solve import solve  # noqa: E402
from negsim.solve.batch import PointEquilibria, solve_points, solve_points_reference  # noqa: E402

HERE = Path(__file__).resolve().parent
Mixes = list[tuple[np.ndarray, np.ndarray]]


# -- the game and the points -------------------------------------------------------------------


def scenario_game() -> tuple[ParametricGame, str]:
    """The built-in limited-use scenario if it is 5x5, else the benchmark's own 5x5 file."""
    from negsim.compile import compile_scenario
    from negsim.scenario import load_scenario, resolve_scenario

    try:
        game = compile_scenario(resolve_scenario("s400-2025-limited-use"))
        if game.shape == (5, 5) and set(GRID) <= set(game.parameters):
            return game, "s400-2025-limited-use (built in)"
    except Exception:  # noqa: BLE001 - the library scenario is optional here
        pass
    path = HERE / "s400-5x5.yaml"
    return compile_scenario(load_scenario(path)), str(path.relative_to(HERE.parent))


#: Turkey's two main stakes on integer steps (ties between its options happen there), the two
#: US parameters across their ranges.
GRID: dict[str, Callable[[int], np.ndarray]] = {
    "sanction_cost": lambda k: np.linspace(0, 9, k),
    "security": lambda k: np.linspace(1, 10, k),
    "us_resolve": lambda k: np.linspace(-4, 4, k),
    "waiver_cost": lambda k: np.linspace(0, 5, k),
}


def grid(steps: int) -> dict[str, np.ndarray]:
    axes = np.meshgrid(*(make(steps) for make in GRID.values()), indexing="ij")
    return {name: axis.ravel() for name, axis in zip(GRID, axes)}


# -- per-point loops of the peers ----------------------------------------------------------------


def quantecon_loop(payoffs: np.ndarray) -> list[Mixes]:
    import quantecon.game_theory as gt

    out = []
    for A, B in payoffs:
        g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
        out.append([(x, y) for x, y in gt.support_enumeration(g)])
    return out


def nashpy_loop(payoffs: np.ndarray) -> list[Mixes]:
    import nashpy

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for A, B in payoffs:
            out.append(
                [
                    (np.asarray(x, float), np.asarray(y, float))
                    for x, y in nashpy.Game(A, B).support_enumeration()
                ]
            )
    return out


def gambit_loop(payoffs: np.ndarray) -> list[Mixes]:
    import pygambit

    out = []
    for A, B in payoffs:
        g = pygambit.Game.from_arrays(A, B)
        result = pygambit.nash.enummixed_solve(g, rational=False)
        out.append(
            [
                tuple(np.array([float(eq[s]) for s in player.strategies]) for player in g.players)
                for eq in result.equilibria
            ]
        )
    return out


def negsim_mixes(result: PointEquilibria) -> list[Mixes]:
    out: list[Mixes] = [[] for _ in range(result.n_points)]
    for e, p in enumerate(result.point):
        out[p].append((result.strategies[0][e], result.strategies[1][e]))
    return out


def exact_mixes(payoffs: np.ndarray) -> tuple[list[Mixes], np.ndarray]:
    """Extreme equilibria in rational arithmetic (payoffs read as the decimals they stand for)."""
    out, degenerate = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for A, B in payoffs:
            solution = solve(Game.from_matrices(A, B), exact=True)
            out.append(
                [
                    tuple(np.array([float(p) for p in s]) for s in e.exact_strategies)
                    for e in solution.equilibria
                ]
            )
            degenerate.append(solution.degenerate)
    return out, np.array(degenerate, dtype=bool)


# -- comparing results ---------------------------------------------------------------------------


def same_set(found: Mixes, expected: Mixes, atol: float = 1e-6) -> bool:
    """The same equilibria, ignoring order and repeats, up to ``atol``."""

    def close(a, b) -> bool:
        return all(np.allclose(u, v, atol=atol, rtol=0) for u, v in zip(a, b))

    return all(any(close(e, f) for f in found) for e in expected) and all(
        any(close(f, e) for e in expected) for f in found
    )


def differences(fast: PointEquilibria, reference: PointEquilibria) -> list[int]:
    """Points where the two results are not the same equilibria in the same order and flags."""
    bad = []
    counts_fast, counts_ref = fast.count(), reference.count()
    start_fast = np.concatenate([[0], np.cumsum(counts_fast)])
    start_ref = np.concatenate([[0], np.cumsum(counts_ref)])
    for p in range(fast.n_points):
        if counts_fast[p] != counts_ref[p] or fast.degenerate[p] != reference.degenerate[p]:
            bad.append(p)
            continue
        a = slice(start_fast[p], start_fast[p + 1])
        b = slice(start_ref[p], start_ref[p + 1])
        if not all(
            np.allclose(s[a], t[b], atol=1e-7, rtol=0) for s, t in zip(fast.strategies, reference.strategies)
        ):
            bad.append(p)
    return bad


# -- timing --------------------------------------------------------------------------------------


def best_time(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = run()
        best = min(best, time.process_time() - start)
    return best, result


def sample(n: int, size: int, rng: np.random.Generator, prefer: np.ndarray | None = None) -> np.ndarray:
    """``size`` sorted point indices; with ``prefer``, half of them from the preferred points."""
    size = min(size, n)
    if prefer is None or not prefer.any():
        return np.sort(rng.choice(n, size, replace=False))
    first = rng.choice(np.flatnonzero(prefer), min(size // 2, int(prefer.sum())), replace=False)
    rest = np.setdiff1d(np.arange(n), first)
    return np.sort(np.concatenate([first, rng.choice(rest, size - len(first), replace=False)]))


def row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10, help="grid steps per parameter (points = steps^4)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the fast methods (best counts)")
    parser.add_argument("--nashpy", type=int, default=200, help="points timed with nashpy")
    parser.add_argument("--gambit", type=int, default=500, help="points timed with pygambit")
    parser.add_argument("--exact", type=int, default=1000, help="points checked in rational arithmetic")
    parser.add_argument("--quick", action="store_true", help="5 steps, small samples")
    args = parser.parse_args(argv)
    if args.quick:
        args.steps, args.repeat, args.nashpy, args.gambit, args.exact = 5, 1, 20, 50, 60
    rng = np.random.default_rng(20251122)

    print(describe())
    print(
        "times:   CPU seconds of this process, best of --repeat runs for the fast methods (the "
        "machine may be shared; CPU time is steadier than wall-clock time)"
    )
    game, origin = scenario_game()
    points = grid(args.steps)
    n = len(next(iter(points.values())))
    start = time.process_time()
    payoffs = game.evaluate(points)
    evaluate = time.process_time() - start
    print(
        f"game:    {origin}, {game.shape[0]}x{game.shape[1]}; grid over "
        f"{', '.join(GRID)} ({args.steps} steps each): {n} points"
    )
    print(
        f"payoffs: all points evaluated in one call, {evaluate * 1e3:.1f} ms "
        f"({evaluate / n * 1e6:.2f} us a point)\n"
    )

    solve_points(payoffs[:50])  # builds the index tables once
    rows: list[tuple[str, int, float, str]] = []
    t_fast, fast = best_time(lambda: solve_points(payoffs), args.repeat)
    rows.append(("negsim solve_points (vectorised)", n, t_fast / n, ""))

    import quantecon.game_theory as gt

    start = time.process_time()
    gt.support_enumeration(gt.NormalFormGame((gt.Player(payoffs[0, 0]), gt.Player(payoffs[0, 1].T))))
    compile_time = time.process_time() - start
    t_qe, qe = best_time(lambda: quantecon_loop(payoffs), args.repeat)
    rows.append(
        ("QuantEcon support_enumeration loop", n, t_qe / n, f"numba compile {compile_time:.1f} s excluded")
    )

    t_ref, reference = best_time(lambda: solve_points_reference(payoffs), 1)
    rows.append(("negsim solve() per point (reference)", n, t_ref / n, ""))

    nash_points = sample(n, args.nashpy, rng)
    t_nash, nash = best_time(lambda: nashpy_loop(payoffs[nash_points]), 1)
    rows.append(
        (
            "nashpy support_enumeration loop",
            len(nash_points),
            t_nash / len(nash_points),
            f"{len(nash_points)} sampled points, extrapolated",
        )
    )

    gambit = None
    try:
        import pygambit  # noqa: F401
    except ImportError:
        rows.append(("pygambit enummixed_solve loop", 0, float("nan"), "pygambit not installed"))
    else:
        gambit_points = sample(n, args.gambit, rng)
        t_gambit, gambit = best_time(lambda: gambit_loop(payoffs[gambit_points]), 1)
        rows.append(
            (
                "pygambit enummixed_solve loop (float)",
                len(gambit_points),
                t_gambit / len(gambit_points),
                f"{len(gambit_points)} sampled points, extrapolated",
            )
        )

    widths = [38, 8, 12, 12, 10]
    print(row(["method", "points", "per point", f"{n} points", "negsim x"], widths) + "  note")
    for name, timed, per_point, note in rows:
        ratio = per_point / (t_fast / n)
        print(
            row(
                [name, str(timed), f"{per_point * 1e6:.1f} us", f"{per_point * n:.2f} s", f"{ratio:.1f}"],
                widths,
            )
            + f"  {note}"
        )
    print(
        f"\nnegsim per point method used at {int(fast.per_point.sum())} of {n} points "
        "(numerically doubtful ones); degenerate points: "
        f"{int(reference.degenerate.sum())} of {n} ({reference.degenerate.mean():.0%})"
    )

    failed = False
    bad = differences(fast, reference)
    print(
        f"\nnegsim vectorised vs its per-point loop: {len(bad)} of {n} points differ "
        "(same equilibria, same order, same degenerate flags expected)"
    )
    failed |= bool(bad)

    # Exactness: the exact method on a sample with as many degenerate as other points; the
    # nashpy and pygambit samples are checked where they fall inside it.
    exact_points = np.union1d(
        sample(n, args.exact, rng, prefer=reference.degenerate),
        np.union1d(nash_points, gambit_points if gambit is not None else []),
    )
    exact_points = exact_points.astype(int)
    start = time.process_time()
    exact, exact_degenerate = exact_mixes(payoffs[exact_points])
    t_exact = time.process_time() - start
    print(
        f"exact rational enumeration on {len(exact_points)} points "
        f"({int(exact_degenerate.sum())} degenerate), {t_exact / len(exact_points) * 1e3:.1f} ms a point"
    )
    mismatch_flags = int((reference.degenerate[exact_points] != exact_degenerate).sum())
    ours = negsim_mixes(fast)
    # Each method's equilibria at the points it is checked at.
    results = {
        "negsim solve_points": ([ours[p] for p in exact_points], exact_points),
        "QuantEcon support_enumeration": ([qe[p] for p in exact_points], exact_points),
        "nashpy support_enumeration": (nash, nash_points),
    }
    if gambit is not None:
        results["pygambit enummixed_solve (float)"] = (gambit, gambit_points)
    where = {p: k for k, p in enumerate(exact_points)}
    print("\npoints whose equilibria differ from the exact method's (extreme equilibria):")
    print(row(["method", "checked", "degenerate", "non-degen."], [34, 8, 14, 12]))
    for name, (local, checked) in results.items():
        wrong_deg = wrong_non = deg = 0
        for p, mixes in zip(checked, local):
            k = where[int(p)]
            deg += exact_degenerate[k]
            if not same_set(mixes, exact[k]):
                if exact_degenerate[k]:
                    wrong_deg += 1
                else:
                    wrong_non += 1
        print(
            row(
                [name, str(len(checked)), f"{wrong_deg} of {deg}", f"{wrong_non} of {len(checked) - deg}"],
                [34, 8, 14, 12],
            )
        )
        if name.startswith("negsim"):
            failed |= bool(wrong_deg or wrong_non)
    print(f"degenerate flags differing from the exact method: {mismatch_flags}")
    failed |= bool(mismatch_flags)
    verdict = "FAILED: negsim disagrees" if failed else "ok: negsim agrees at every point checked"
    print(f"\nRESULT: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
