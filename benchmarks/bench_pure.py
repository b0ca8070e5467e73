"""Pure equilibria of a three-player 5x5x5 game over a million points, and memory at ten million.

Speed: ``solve_points(payoffs, method="pure")`` against a bare numpy best-response kernel (one
comparison with the maximum per player, ``np.nonzero`` of the profiles where all three hold) on
the same arrays, chunk by chunk, with the found profiles compared.

Memory: :func:`negsim.solve.batch.pure_equilibria_chunked` over 10,000,000 points in a fresh
subprocess, payoffs made chunk by chunk (all of them at once would take 30 GB); the peak is the
subprocess's maximum resident set size (``resource.getrusage``).

    python benchmarks/bench_pure.py                  # 1e6 points timed, 1e7 for memory (~2 min)
    python benchmarks/bench_pure.py --quick          # 1e5 timed, 1e6 for memory

Exit code 1 if the found profiles differ or the peak exceeds 2 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe  # noqa: E402

from negsim.solve.batch import pure_equilibria_chunked, solve_points  # noqa: E402

SHAPE = (5, 5, 5)
LIMIT_BYTES = 2 * 1024**3


class ThreePlayerGame:
    """A 5x5x5 game whose payoffs move with two parameters: an integer base game plus
    ``a * D1 + b * D2``, with ``a`` continuous and ``b`` on integer steps (so ties occur).
    Payoffs of any slice of points are made on demand, as a scenario's payoff function would."""

    def __init__(self, n_points: int, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.base = rng.integers(-5, 6, size=(3, *SHAPE)).astype(float)
        self.d1 = rng.normal(size=(3, *SHAPE))
        self.d2 = rng.integers(-2, 3, size=(3, *SHAPE)).astype(float)
        self.a = rng.uniform(0.0, 2.0, n_points)
        self.b = rng.integers(0, 4, n_points).astype(float)

    def payoffs(self, part: slice) -> np.ndarray:
        shape = (-1, 1, 1, 1, 1)
        out = self.a[part].reshape(shape) * self.d1
        out += self.b[part].reshape(shape) * self.d2
        out += self.base
        return out


def bare_kernel(payoffs: np.ndarray) -> tuple[np.ndarray, ...]:
    """The least work that finds pure equilibria: best responses by comparison, then nonzero."""
    mask = payoffs[:, 0] >= payoffs[:, 0].max(axis=1, keepdims=True)
    mask &= payoffs[:, 1] >= payoffs[:, 1].max(axis=2, keepdims=True)
    mask &= payoffs[:, 2] >= payoffs[:, 2].max(axis=3, keepdims=True)
    return np.nonzero(mask)


def peak_rss() -> int:
    """This process's peak resident set size in bytes.

    ``VmHWM`` is reset when a process starts a new program; ``getrusage``'s ``ru_maxrss`` is
    not on Linux (a child started from a large parent would report the parent's size), so it
    is only the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure_memory(n_points: int) -> dict:
    """Run in a subprocess: the whole chunked search, then the peak resident set size."""
    before = peak_rss()
    game = ThreePlayerGame(n_points)
    start = time.process_time()
    result = pure_equilibria_chunked(game.payoffs, n_points, shape=SHAPE)
    seconds = time.process_time() - start
    peak = peak_rss()
    result_bytes = sum(a.nbytes for a in (result.point, result.profile, result.payoffs, result.regret))
    return {
        "points": n_points,
        "equilibria": int(len(result.point)),
        "seconds": seconds,
        "peak_bytes": peak,
        "before_bytes": before,
        "result_bytes": result_bytes,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000, help="points timed")
    parser.add_argument("--chunk", type=int, default=10_000, help="points per timed chunk")
    parser.add_argument("--memory-points", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(measure_memory(args.memory_child)))
        return 0
    if args.quick:
        args.points, args.memory_points = 100_000, 1_000_000

    print(describe())
    print(
        "times: CPU seconds of this process (the machine may be shared; CPU time is steadier "
        "than wall-clock time)"
    )
    command = [sys.executable, __file__, "--memory-child", str(args.memory_points)]
    child = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    game = ThreePlayerGame(args.points)
    bare = ours = made = 0.0
    differ = found = 0
    for start in range(0, args.points, args.chunk):
        part = slice(start, min(start + args.chunk, args.points))
        t0 = time.process_time()
        payoffs = game.payoffs(part)
        t1 = time.process_time()
        where = bare_kernel(payoffs)
        t2 = time.process_time()
        result = solve_points(payoffs, method="pure")
        t3 = time.process_time()
        made, bare, ours = made + t1 - t0, bare + t2 - t1, ours + t3 - t2
        profiles = np.stack([s.argmax(axis=1) for s in result.strategies], axis=1)
        same = (
            len(where[0]) == len(result.point)
            and np.array_equal(where[0], result.point)
            and np.array_equal(np.stack(where[1:], axis=1), profiles)
        )
        differ += not same
        found += len(result.point)
    n = args.points
    print(
        f"game: 3 players, 5x5x5, payoffs = base + a*D1 + b*D2 over {n} points "
        f"(made in chunks of {args.chunk}: {made / n * 1e6:.2f} us a point, not in the times below)"
    )
    print(f"pure equilibria found: {found} ({found / n:.2f} a point)\n")
    for name, seconds in [
        ("method", None),
        ("bare numpy best-response kernel", bare),
        ('negsim solve_points(method="pure")', ours),
    ]:
        if seconds is None:
            print(f"{name:44}{'per point':>12}{'total':>10}")
        else:
            print(f"{name:44}{seconds / n * 1e6:>9.2f} us{seconds:>9.2f} s")
    print(f"negsim / bare kernel: {ours / bare:.2f}x (tolerances, regret, payoffs and result rows included)")
    print(f"chunks whose equilibria differ from the bare kernel's: {differ}")

    mb = 1024**2
    print(
        f"\nmemory: pure_equilibria_chunked over {child['points']} points in a subprocess, "
        f"{child['seconds']:.1f} s CPU ({child['seconds'] / child['points'] * 1e6:.2f} us a point "
        "including making the payoffs)"
    )
    print(
        f"  peak resident set size {child['peak_bytes'] / mb:.0f} MB (interpreter and imports "
        f"{child['before_bytes'] / mb:.0f} MB; result {child['result_bytes'] / mb:.0f} MB for "
        f"{child['equilibria']} equilibria); the payoffs alone would be "
        f"{child['points'] * 3 * 125 * 8 / 1024**3:.0f} GB"
    )
    ok = differ == 0 and child["peak_bytes"] < LIMIT_BYTES
    print(
        "\nRESULT: " + ("ok" if ok else "FAILED") + f" (peak under {LIMIT_BYTES / 1024**3:.0f} GB: "
        f"{child['peak_bytes'] < LIMIT_BYTES}; same profiles as the bare kernel: {differ == 0})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
