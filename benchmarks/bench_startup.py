"""Start-up time of the ``negsim`` command: CPU seconds of whole processes.

Each command runs as a fresh process (as a user types it), ``--repeat`` times, interleaved
with the others; the CPU time (user + system) of each run is read from ``os.wait4`` and the
median is reported beside the target. Run from any checkout:

    .venv/bin/python benchmarks/bench_startup.py            # 5 runs of each command
    .venv/bin/python benchmarks/bench_startup.py --repeat 9
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NFG = HERE.parent / "tests" / "data" / "nfg" / "2x2.nfg"

#: (what is measured, the command's arguments, target CPU seconds)
CASES = [
    ("negsim --version", ["--version"], 0.3),
    ("negsim --help", ["--help"], 0.3),
    ("negsim solve 2x2.nfg", ["solve", str(NFG)], 0.6),
    ("negsim run (default scenario)", ["run"], None),
]


def cpu_seconds(args: list[str]) -> float:
    """CPU time (user + system) of one ``negsim ARGS`` process."""
    negsim = Path(sys.executable).with_name("negsim")
    command = [str(negsim), *args] if negsim.exists() else [sys.executable, "-m", "negsim", *args]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (default 5)")
    options = parser.parse_args()
    cpu_seconds(["--version"])  # warm the file cache: the first start reads every module
    times: dict[str, list[float]] = {name: [] for name, _, _ in CASES}
    for _ in range(options.repeat):
        for name, args, _ in CASES:
            times[name].append(cpu_seconds(args))
    print(f"{'command':34s} {'median CPU s':>12s} {'min':>7s} {'target':>7s}")
    for name, _, target in CASES:
        runs = times[name]
        shown = f"{target:.2f}" if target is not None else "-"
        verdict = "" if target is None else ("  ok" if statistics.median(runs) < target else "  OVER")
        print(f"{name:34s} {statistics.median(runs):12.3f} {min(runs):7.3f} {shown:>7s}{verdict}")


if __name__ == "__main__":
    main()
