"""Sweeps in memory: the same solving as a run folder, kept in memory until asked to save.

:func:`sweep_in_memory` plans and solves a sweep exactly as :func:`negsim.sweep.run_sweep`
does (the same chunks, executors, tipping points, sensitivity and credibility) but writes
nothing: a :class:`SweepRun` holds the table, the points and the findings, gives them as
arrays or DataFrames, and :meth:`SweepRun.save` writes the run folder that ``run_sweep`` would
have written (the same files, byte for byte in the tables).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from negsim.compile.source import Source
from negsim.errors import InputError, Problem
from negsim.sweep import engine
from negsim.sweep.run import (
    Findings,
    Planned,
    Progress,
    _now,
    credibility_of,
    find_findings,
    finish_manifest,
    plan_run,
    solved_chunks,
    write_findings,
)
from negsim.sweep.runfolder import (
    JSON_ARRAY_MAX_POINTS,
    RunWriter,
    SweepResult,
    new_run_folder,
    read_run,
    table_formats,
    write_json,
)
from negsim.sweep.spec import RangeLike, SweepSpec

__all__ = ["SweepRun", "grid_of", "sweep_in_memory"]

_PANDAS = "a DataFrame needs pandas; install it with: pip install 'negsim[parquet]'"


@dataclass(frozen=True, eq=False)
class SweepRun:
    """A solved sweep held in memory: one row per point and equilibrium (:attr:`columns`,
    :meth:`to_pandas`), the points (:attr:`points`), the tipping points and their sentences
    (as in ``tipping_points.json``), and the manifest a run folder would have."""

    planned: Planned
    manifest: dict[str, Any]
    chunks: tuple[engine.ChunkResult, ...]
    findings: Findings
    credibility: dict[str, Any] | None
    """``credibility.json`` of a credibility sweep (responses and thresholds), else None."""

    # -- what was found ---------------------------------------------------------------------------

    @property
    def spec(self) -> SweepSpec:
        return self.planned.spec

    @property
    def source(self) -> Source:
        return self.planned.source

    @property
    def kind(self) -> str:
        """``grid``, ``monte_carlo`` or ``one_at_a_time``."""
        return self.planned.points.kind

    @property
    def swept(self) -> list[str]:
        """The parameters that move, in the spec's order."""
        return list(self.planned.points.swept)

    @property
    def n_points(self) -> int:
        return int(self.manifest["points_done"])

    @property
    def n_rows(self) -> int:
        return int(self.manifest["n_rows"])

    @property
    def outcomes(self) -> list[dict[str, Any]]:
        """Each equilibrium set with its number and share of points, most frequent first."""
        return list(self.manifest["outcomes"])

    @property
    def tipping_points(self) -> list[dict[str, Any]]:
        """Every tipping point, the records of ``tipping_points.json`` (empty for Monte Carlo)."""
        return list(self.findings.tipping_points or [])

    @property
    def sentences(self) -> list[str]:
        """Each tipping point in words."""
        return [t["sentence"] for t in self.tipping_points]

    @property
    def sensitivity(self) -> list[dict[str, Any]] | None:
        """The ranking of ``sensitivity.json`` (one-at-a-time sweeps), else None."""
        return self.findings.sensitivity

    # -- the tables ---------------------------------------------------------------------------

    @property
    def column_names(self) -> list[str]:
        """The columns of the results table, in order (as in ``results.csv``)."""
        return list(self.planned.labels.columns())

    @property
    def columns(self) -> dict[str, np.ndarray]:
        """The results table as columns: numbers as float or int arrays, text as object arrays
        with ``None`` where a value does not apply (``equilibrium`` is -1 on the row of a point
        without equilibria)."""
        names = self.column_names
        parts = [c.columns for c in self.chunks if c.columns is not None]
        if not parts:
            return {name: np.zeros(0) for name in names}
        return {name: np.concatenate([part[name] for part in parts]) for name in names}

    @property
    def points(self) -> dict[str, np.ndarray]:
        """The points as columns, as in ``points.csv``: ``point``, ``varied`` (one-at-a-time
        sweeps: the parameter moved) and every parameter's value."""
        planned = self.planned
        n = self.n_points
        values = planned.points.columns(0, n)
        varied = planned.points.varied(0, n)
        out: dict[str, np.ndarray] = {
            "point": np.arange(n),
            "varied": varied if varied is not None else np.full(n, None, dtype=object),
        }
        for name in planned.labels.parameters:
            out[planned.labels.parameter_column(name)] = np.asarray(values[name], dtype=float)
        return out

    def to_pandas(self, table: Literal["results", "points"] = "results") -> Any:
        """The results table (one row per point and equilibrium, the columns and types of the
        run folder's :meth:`~negsim.sweep.SweepResult.dataframe`) or the points as a pandas
        DataFrame; needs pandas."""
        try:
            import pandas as pd
        except ImportError:
            raise InputError([Problem(_PANDAS, path="to_pandas")]) from None
        if table not in ("results", "points"):
            raise InputError([Problem(f"expected 'results' or 'points', got {table!r}", path="table")])
        columns = self.columns if table == "results" else self.points
        return pd.DataFrame({name: _series(pd, column) for name, column in columns.items()})

    # -- a run folder -------------------------------------------------------------------------

    def save(self, runs_dir: str | os.PathLike[str] = "runs") -> SweepResult:
        """Write the run folder :func:`negsim.sweep.run_sweep` would have written, as a new
        folder ``<runs_dir>/<id>-<time>``, and read it back (``negsim plot`` draws its figures)."""
        started = time.monotonic()
        runs_existed = Path(runs_dir).exists()
        folder = new_run_folder(runs_dir, self.spec.id, _now())
        labels = self.planned.labels
        manifest = {**self.manifest, "timings": dict(self.manifest["timings"])}
        chosen = table_formats(self.spec.formats, self.n_points)
        writer = RunWriter(
            folder,
            labels.columns(),
            labels.point_columns(),
            formats=chosen,
            json_lines=manifest["json_format"] == "lines",
        )
        manifest["formats"] = list(chosen)
        try:
            for chunk in self.chunks:
                writer.append(chunk)
            files = writer.finish()
            files.update(write_findings(folder, self.findings, self.credibility, manifest))
        except BaseException:
            writer.abandon()
            shutil.rmtree(folder, ignore_errors=True)
            if not runs_existed:
                with contextlib.suppress(OSError):
                    Path(runs_dir).rmdir()
            raise
        manifest["files"] = {**files, "manifest": "manifest.json"}
        manifest["timings"]["write"] = time.monotonic() - started
        write_json(folder / "manifest.json", manifest)
        return read_run(folder)

    def __repr__(self) -> str:
        swept = ", ".join(self.swept) or "nothing"
        return (
            f"<{type(self).__name__} {self.spec.id}: {self.kind} over {swept}, "
            f"{self.n_points} points, {self.n_rows} rows, "
            f"{len(self.outcomes)} equilibrium sets, {len(self.tipping_points)} tipping points>"
        )


def _series(pd: Any, column: np.ndarray) -> Any:
    """A column as the run folder's CSV reads back: text as pandas strings, a missing number
    as NaN (so an integer column with a missing value becomes a float column)."""
    if column.dtype == object:
        return pd.array(column.tolist(), dtype="string")
    if np.issubdtype(column.dtype, np.integer) and (column < 0).any():
        return np.where(column < 0, np.nan, column.astype(float))
    return column


def sweep_in_memory(
    spec: SweepSpec,
    *,
    source: Source | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    seed: int | None = None,
    command: str | None = None,
    chunk_size: int | None = None,
) -> SweepRun:
    """Solve a sweep without writing anything; the options are those of
    :func:`negsim.sweep.run_sweep`. Ctrl-C stops it (nothing is kept)."""
    clock = time.monotonic()
    timings: dict[str, float] = {}
    started = _now()
    planned = plan_run(spec, source, workers=workers, seed=seed, chunk_size=chunk_size)
    n_points = planned.points.n_points
    timings["load"] = time.monotonic() - clock
    manifest = planned.manifest(
        started=started,
        workers=workers,
        dask=dask,
        command=command,
        json_lines=n_points > JSON_ARRAY_MAX_POINTS,
        timings=timings,
    )
    tracker = planned.tracker()
    chunks: list[engine.ChunkResult] = []
    done = rows = 0
    solve_started = time.monotonic()
    results = solved_chunks(planned, workers=workers, dask=dask, keep_columns=True)
    try:
        for chunk in results:
            chunks.append(chunk)
            tracker.add(chunk)
            done += chunk.stop - chunk.start
            rows += chunk.n_rows
            if progress is not None:
                progress(done, n_points)
    finally:
        results.close()
    timings["solve"] = time.monotonic() - solve_started
    findings = find_findings(planned, tracker, manifest["parameters"], timings)
    credibility = credibility_of(planned, tracker, findings, done)
    if findings.tipping_points is not None:
        manifest["tipping_points"] = len(findings.tipping_points)
    if credibility is not None:
        manifest["credibility"] = None if findings.thresholds is None else len(findings.thresholds)
    finish_manifest(manifest, tracker, "complete", points_done=done, rows=rows)
    manifest["files"] = {}
    timings["total"] = time.monotonic() - clock
    return SweepRun(planned, manifest, tuple(chunks), findings, credibility)


def grid_of(values: Mapping[str, object]) -> dict[str, RangeLike]:
    """Grid axes from what a notebook has at hand: numpy arrays, lists, tuples and ranges of
    numbers become lists of values; text (``"0:10:201"``) and mappings stay as they are."""
    grid: dict[str, RangeLike] = {}
    for name, value in values.items():
        if isinstance(value, str | Mapping):
            grid[name] = value
            continue
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            array = None
        if array is None or array.ndim != 1:
            raise InputError(
                [
                    Problem(
                        "expected values (a list or a 1-D array of numbers), a range as text such as "
                        f"'0:10:201', or a mapping; got {type(value).__name__}",
                        path=f"grid.{name}",
                    )
                ]
            )
        grid[name] = [float(v) for v in array.tolist()]
    return grid
