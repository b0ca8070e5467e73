"""End to end: ``negsim sweep`` from the command line at 10^4, 10^5 and 10^6 points.

Each run is a fresh ``negsim sweep s400-2025-limited-use`` process over a square grid of
``sanction_cost`` 0..10 and ``security`` 1..10, with the default table formats (or
``--formats``). Reported per run: CPU seconds of the process (user + system, imports included)
and per point, peak resident set size (``ru_maxrss`` of the child; this script is a small
parent, so that is the child's own peak), and the run folder's bytes and bytes per point, file
by file.

    python benchmarks/bench_run_folder.py                 # 10^4 and 10^5 points (minutes)
    python benchmarks/bench_run_folder.py --million       # also 10^6 points (long)
    python benchmarks/bench_run_folder.py --quick         # 2,500 points (seconds)
    python benchmarks/bench_run_folder.py --formats csv,json,parquet

Exit code 1 if a million-point folder is 200 MB or more.
"""

from __future__ import annotations

import argparse
import math
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe  # noqa: E402

LIMIT = 200 * 1024 * 1024


def run(points: int, formats: str | None, runs: Path) -> dict[str, object]:
    side = math.isqrt(points)
    command = [
        sys.executable,
        "-m",
        "negsim",
        "sweep",
        "s400-2025-limited-use",
        "--param",
        f"sanction_cost=0:10:{side}",
        "--param",
        f"security=1:10:{side}",
        "--runs-dir",
        str(runs),
        "--quiet",
    ]
    if formats:
        command += ["--formats", formats]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    folder = Path(done.stdout.strip().splitlines()[-1])
    sizes = {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()}
    return {
        "points": side * side,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "rss": after.ru_maxrss * 1024,  # kilobytes on Linux; the largest child so far
        "sizes": sizes,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--million", action="store_true", help="also 10^6 points")
    parser.add_argument("--formats", default=None, help="passed to negsim sweep --formats")
    args = parser.parse_args(argv)
    sizes = [2_500] if args.quick else [10_000, 100_000] + ([1_000_000] if args.million else [])
    print(describe())
    print(f"formats: {args.formats or 'the default'}\n")
    failed = False
    runs = Path(tempfile.mkdtemp(prefix="negsim-bench-"))
    try:
        print(f"{'points':>10}{'CPU s':>9}{'CPU/pt':>10}{'peak RSS':>10}{'folder':>10}{'B/pt':>7}  files")
        for n in sizes:
            found = run(n, args.formats, runs)
            total = sum(found["sizes"].values())
            points = found["points"]
            files = ", ".join(
                f"{name} {size / 1e6:.1f} MB"
                for name, size in sorted(found["sizes"].items(), key=lambda item: -item[1])
            )
            print(
                f"{points:>10,}{found['cpu']:>9.1f}{found['cpu'] / points * 1e6:>8.0f}us"
                f"{found['rss'] / 2**20:>8.0f}MB{total / 1e6:>8.1f}MB{total / points:>7.0f}  {files}"
            )
            if points >= 1_000_000 and total >= LIMIT:
                failed = True
            for folder in runs.iterdir():
                shutil.rmtree(folder)
    finally:
        shutil.rmtree(runs, ignore_errors=True)
    print("\nRESULT: " + ("FAILED: a million-point folder is 200 MB or more" if failed else "ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
