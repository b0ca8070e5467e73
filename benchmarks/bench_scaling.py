"""How the cost of all equilibria grows with the number of points and with the game's size.

Points: the 5x5 S-400 benchmark game (``bench_sweep.py``) on grids of about 1e3, 1e4 and 1e5
points. Size: random two-player games from 2x2 to 8x8, once with continuous payoffs
(non-degenerate) and once with small integer payoffs (full of ties). negsim's
``solve_points`` against QuantEcon's ``support_enumeration`` loop on the same points; CPU time
of this process, best of three runs for negsim.

    python benchmarks/bench_scaling.py            # about five minutes
    python benchmarks/bench_scaling.py --quick    # smaller sizes and counts
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sweep import grid, quantecon_loop, scenario_game  # noqa: E402
from machine import describe  # noqa: E402

from negsim.solve.batch import solve_points  # noqa: E402


def cpu(run, payoffs: np.ndarray, repeat: int = 1) -> float:
    """Best CPU time of ``run(payoffs)``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run(payoffs)
        best = min(best, time.process_time() - start)
    return best


def line(label: str, points: int, ours: float, theirs: float | None, per_point: int) -> str:
    qe = f"{theirs / points * 1e6:10.1f} us" if theirs is not None else f"{'-':>13}"
    ratio = f"{theirs / ours:8.1f}x" if theirs is not None else f"{'-':>9}"
    return f"{label:14}{points:>9}{ours / points * 1e6:>11.1f} us{qe}{ratio}{per_point:>12}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(describe())
    print("times: CPU per point; QuantEcon's numba compile time excluded\n")
    header = f"{'':14}{'points':>9}{'negsim':>14}{'QuantEcon':>13}{'negsim x':>9}{'per-point':>12}"

    game, origin = scenario_game()
    quantecon_loop(game.evaluate(grid(2))[:1])  # compile
    print(f"points: {origin}\n{header}")
    for steps in [4, 6, 10] if args.quick else [6, 10, 18]:
        payoffs = game.evaluate(grid(steps))
        n = len(payoffs)
        solve_points(payoffs[:10])
        ours = cpu(solve_points, payoffs, 3)
        result = solve_points(payoffs)
        theirs = cpu(quantecon_loop, payoffs) if n <= 20_000 else None
        print(line(f"{steps}^4 grid", n, ours, theirs, int(result.per_point.sum())))

    rng = np.random.default_rng(4)
    sizes = [2, 3, 4, 5, 6] if args.quick else [2, 3, 4, 5, 6, 7, 8]
    for kind in ("continuous", "integer -3..3"):
        print(f"\ngame size, random {kind} payoffs\n{header}")
        for k in sizes:
            n = {6: 1000, 7: 300, 8: 100}.get(k, 5000)
            if args.quick:
                n = max(50, n // 10)
            if kind == "continuous":
                payoffs = rng.normal(size=(n, 2, k, k))
            else:
                payoffs = rng.integers(-3, 4, size=(n, 2, k, k)).astype(float)
            solve_points(payoffs[:2])
            quantecon_loop(payoffs[:1])
            ours = cpu(solve_points, payoffs, 3)
            result = solve_points(payoffs)
            theirs = cpu(quantecon_loop, payoffs)
            print(line(f"{k}x{k}", n, ours, theirs, int(result.per_point.sum())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
