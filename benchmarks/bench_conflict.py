"""Graph-model stabilities over many parameter points: the matrix form against a per-point loop.

The 2025 S-400 conflict in option form (32 feasible states, two decision makers) with its
parametric payoffs (the scenario ``s400-options-2025-parametric``) over random points: every
concept (R, GMR, SMR, SEQ, SIM and the X+SIM combinations) for every decision maker and state,
by :func:`negsim.conflict.batch.batch_stability` in one call, and by
:func:`negsim.conflict.stability.analyze` (the witness engine) point by point on a sample. The
verdicts on the sample are compared.

    python benchmarks/bench_conflict.py              # 10,000 points, loop on 300 (~1 min)
    python benchmarks/bench_conflict.py --quick      # 1,000 points, loop on 50

Exit code 1 if the two disagree anywhere on the sample.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe  # noqa: E402

from negsim.compile.source import load_source  # noqa: E402
from negsim.conflict.batch import batch_stability  # noqa: E402
from negsim.conflict.stability import CONCEPTS, analyze  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--points", type=int, default=None)
    parser.add_argument("--sample", type=int, default=None)
    args = parser.parse_args()
    points = args.points or (1_000 if args.quick else 10_000)
    sample = args.sample or (50 if args.quick else 300)
    parametric = load_source("s400-options-2025-parametric").conflict
    conflict = parametric.skeleton
    rng = np.random.default_rng(2025)
    draws = {k: rng.uniform(lo, hi, points) for k, (lo, hi) in parametric.bounds.items()}
    payoffs = parametric.evaluate(draws)

    start = time.process_time()
    batch = batch_stability(conflict, payoffs)
    batch_seconds = time.process_time() - start

    start = time.process_time()
    mismatches = 0
    for p in range(sample):
        a = analyze(conflict.with_payoffs(payoffs[p]))
        for concept in CONCEPTS:
            for i, dm in enumerate(conflict.dm_ids):
                for k, s in enumerate(conflict.states):
                    mismatches += a.stable(concept, dm, s) != bool(batch.stable[concept][p, i, k])
    loop_seconds = time.process_time() - start

    print(describe())
    print(f"conflict: {conflict.id}, {len(conflict.states)} states, {len(conflict.dm_ids)} decision makers, "
          f"{len(CONCEPTS)} concepts")
    print(f"batch_stability: {points} points in {batch_seconds:.2f} CPU s "
          f"({1e6 * batch_seconds / points:.0f} us per point)")
    print(f"analyze per point: {sample} points in {loop_seconds:.2f} CPU s "
          f"({1e6 * loop_seconds / sample:.0f} us per point, with witnesses)")
    print(f"speed-up per point: {(loop_seconds / sample) / (batch_seconds / points):.0f}x")
    print(f"verdicts compared: {sample * len(CONCEPTS) * len(conflict.dm_ids) * len(conflict.states)}, "
          f"mismatches: {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
