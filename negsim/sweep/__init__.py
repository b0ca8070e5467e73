"""Sweeps: how the equilibria move as the assumptions move, and where the outcome flips.

A sweep solves a scenario at many parameter points (a grid, Monte Carlo draws, or
one-at-a-time ranges), records every equilibrium of every point in a tidy table, finds the
tipping points where the equilibrium set changes, and writes it all to a new run folder.

From Python::

    from negsim.sweep import SweepSpec, run_sweep
    spec = SweepSpec.from_ranges("s400-2025-limited-use", {"sanction_cost": "0:10:201"})
    result = run_sweep(spec)                      # a run folder under runs/
    result.dataframe().groupby("equilibrium_set").point.nunique()

Nothing here starts processes or clusters at import time; ``run_sweep(workers=N)`` and
``run_sweep(dask=...)`` do, for the length of the run.
"""

from negsim.sweep.run import SweepInterrupted, run_sweep
from negsim.sweep.runfolder import SweepResult, read_run
from negsim.sweep.spec import SweepSpec, parse_sweep_spec
from negsim.sweep.spec_loader import load_sweep_spec

__all__ = [
    "SweepInterrupted",
    "SweepResult",
    "SweepSpec",
    "load_sweep_spec",
    "parse_sweep_spec",
    "read_run",
    "run_sweep",
]
