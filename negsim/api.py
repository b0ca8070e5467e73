"""negsim from Python: load any game source, sweep it in memory, draw it.

Two doors, also at the top of the package (``negsim.load``, ``negsim.sweep_over``):

- :func:`load` reads anything a command takes (a built-in scenario's id, a scenario file, a
  Gambit ``.nfg`` or ``.efg`` file) into a :class:`~negsim.compile.source.Source`: ``.at()``
  gives the game at a point, ``.solve()`` its equilibria, ``.analyze()`` everything
  ``negsim run`` reports.
- :func:`sweep_over` solves a sweep in memory and returns a :class:`Sweep`: its table as a
  DataFrame (:meth:`~negsim.sweep.memory.SweepRun.to_pandas`), its tipping points in words,
  its figures (:meth:`Sweep.figures`); it writes a run folder only when asked
  (``runs_dir=...`` or :meth:`~negsim.sweep.memory.SweepRun.save`).

(``negsim.sweep`` is the package of sweep specs and run folders, hence the function's name.)

>>> import negsim
>>> source = negsim.load("prisoners-dilemma")
>>> [e.label(source.at()) for e in source.solve().equilibria]
['defect / defect']
>>> result = negsim.sweep_over("s400-2025-limited-use", {"sanction_cost": [0, 2.5, 5, 7.5, 10]})
>>> [t["value"] for t in result.tipping_points]
[1.5, 3.0, 5.0, 7.0]
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from negsim.compile.source import Source, load_source, source_of
from negsim.errors import InputError, Problem
from negsim.plot.inline import Figures, draw_sweep
from negsim.scenario.schema import Scenario
from negsim.sweep.memory import SweepRun, grid_of, sweep_in_memory
from negsim.sweep.run import Progress
from negsim.sweep.spec import RangeLike, SweepSpec

__all__ = ["Figures", "Sweep", "load", "sweep_over"]


def load(source: str | os.PathLike[str] | Source | Scenario) -> Source:
    """Any game source as a :class:`~negsim.compile.source.Source`: the id of a built-in
    scenario (``negsim list``), a path to a scenario file (``.yaml``) or a Gambit file
    (``.nfg``, ``.efg``), a scenario already read, or a source (returned as it is)."""
    if isinstance(source, Source):
        return source
    if isinstance(source, Scenario):
        return source_of(source)
    if isinstance(source, (str, os.PathLike)):
        return load_source(os.fspath(source))
    raise InputError([Problem(f"expected a scenario id, a file path, a Scenario or a Source; got "
                              f"{type(source).__name__}", path="source")])


@dataclass(frozen=True, eq=False, repr=False)
class Sweep(SweepRun):
    """A sweep solved in memory (see :class:`~negsim.sweep.memory.SweepRun`: ``columns``,
    ``points``, ``to_pandas()``, ``tipping_points``, ``sentences``, ``outcomes``, ``save()``),
    with its figures; ``folder`` is the run folder when it was saved by :func:`sweep_over`."""

    folder: Path | None = None

    def figures(self) -> Figures:
        """The figures ``negsim plot`` draws for this sweep's run folder (by the kind of sweep:
        ``equilibria``, ``payoffs`` and ``mixed-strategies`` along one parameter, ``regions``
        over two, ...), as matplotlib figures by name; a notebook shows them all."""
        return draw_sweep(self)


def sweep_over(
    scenario: str | os.PathLike[str] | Source | Scenario,
    grid: Mapping[str, RangeLike | object] | None = None,
    *,
    monte_carlo: int | None = None,
    draws: Mapping[str, RangeLike | None] | None = None,
    seed: int | None = None,
    one_at_a_time: Sequence[str] | None = None,
    count: int | None = None,
    set: Mapping[str, float] | None = None,  # noqa: A002 (the sweep spec's own key)
    method: str = "auto",
    equilibrium: str | None = None,
    credibility: Sequence[str] | None = None,
    allow_outside_range: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
    runs_dir: str | os.PathLike[str] | None = None,
    id: str | None = None,  # noqa: A002
    title: str | None = None,
) -> Sweep:
    """Solve ``scenario`` (an id, a path, a scenario or a loaded source) at many points, in
    memory.

    Give one kind of sweep: ``grid`` maps parameters to their values (a numpy array, a list,
    a range, or text such as ``"0:10:201"``; every combination is solved), ``monte_carlo``
    a number of random draws (``draws`` names the parameters drawn, each ``None`` for its
    min..max or ``"low:high"``; all by default; ``seed`` makes them reproducible), or
    ``one_at_a_time`` parameter names (``[]`` for all; ``count`` points over each range).
    ``set`` holds parameters at other values throughout; ``method``, ``equilibrium`` and
    ``credibility`` are those of ``negsim sweep``. ``workers`` > 1 solves in that many
    processes (guard a script's top level with ``if __name__ == "__main__":``).
    ``progress(points_done, n_points)`` is told after each chunk. With ``runs_dir`` the run
    folder is also written there (``Sweep.folder``), as ``negsim sweep`` writes it.

    Invalid input raises :class:`~negsim.errors.InputError` naming the argument.
    """
    source = load(scenario)
    spec = SweepSpec.from_ranges(
        source, grid_of(grid) if grid is not None else None, monte_carlo=monte_carlo, draws=draws,
        seed=seed, one_at_a_time=one_at_a_time, count=count, set=set, method=method,
        equilibrium=equilibrium, credibility=credibility,
        allow_outside_range=allow_outside_range, id=id, title=title)
    run = sweep_in_memory(spec, source=source, workers=workers, progress=progress)
    result = Sweep(**{f.name: getattr(run, f.name) for f in fields(SweepRun)})
    if runs_dir is None:
        return result
    return replace(result, folder=result.save(runs_dir).folder)
