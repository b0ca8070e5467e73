"""Running a sweep: load, plan, solve chunk by chunk, find tipping points, write the run folder.

:func:`run_sweep` is the one entry point; the command ``negsim sweep`` only builds a
:class:`~negsim.sweep.spec.SweepSpec` and calls it.
"""

from __future__ import annotations

import contextlib
import hashlib
import platform
import shutil
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from negsim.compile.source import Source
from negsim.errors import InputError, Problem
from negsim.scenario import builtin_path
from negsim.sweep import engine
from negsim.sweep.analyses import analysis_for
from negsim.sweep.analysis import AnalysisKind
from negsim.sweep.credibility import credibility_record, credibility_thresholds
from negsim.sweep.points import PointSet, build_points
from negsim.sweep.runfolder import (
    JSON_ARRAY_MAX_POINTS,
    RunWriter,
    SweepResult,
    new_run_folder,
    read_run,
    table_formats,
    write_json,
)
from negsim.sweep.sensitivity import sensitivity_ranking
from negsim.sweep.spec import SweepSpec, equilibrium_concept, spec_dict
from negsim.sweep.spec_checks import check_against_scenario
from negsim.sweep.table import Labels
from negsim.sweep.tipping import REL_TOL, find_tipping_points
from negsim.sweep.tree_table import TreeLabels
from negsim.sweep.tree_words import describe_spe
from negsim.tree.model import ParametricTree
from negsim.version import __version__

__all__ = [
    "Findings",
    "Planned",
    "Progress",
    "SweepInterrupted",
    "find_findings",
    "finish_manifest",
    "plan_run",
    "run_sweep",
    "solved_chunks",
    "write_findings",
]

#: Told after each chunk how many points are done, out of how many.
Progress = Callable[[int, int], None]

DOMINANCE = "strict, by pure and mixed strategies, iterated"
#: The method of subgame-perfect sweeps (``manifest.method``).
BACKWARD_INDUCTION = "backward induction"


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a sweep; ``result`` is the run folder with what was finished, under
    partial names."""

    def __init__(self, result: SweepResult) -> None:
        super().__init__(f"sweep interrupted; partial results in {result.folder}")
        self.result = result


class _Tracker:
    """What the run keeps per point beyond the files: each point's equilibrium set (for
    tipping points), the first equilibrium's payoffs (for sensitivity), and counts per set."""

    def __init__(self, points: PointSet, n_players: int, n_responses: int = 0) -> None:
        lines = points.kind in ("grid", "one_at_a_time")
        self.codes = np.full(points.n_points, -1, dtype=np.int32) if lines else None
        self.lead = np.full((points.n_points, n_players), np.nan) if points.kind == "one_at_a_time" else None
        self.index: dict[str, int] = {}
        self.sets: dict[str, tuple] = {}
        self.counts: dict[str, int] = {}
        self.complete = True
        # Credibility sweeps: each response's credibility per point (for thresholds along
        # lines) and its number of credible points.
        self.credible = (
            np.zeros((points.n_points, n_responses), dtype=bool) if lines and n_responses else None
        )
        self.credible_counts = np.zeros(n_responses, dtype=np.int64)

    def add(self, chunk: engine.ChunkResult) -> None:
        self.sets.update(chunk.sets)
        labels, inverse, counts = np.unique(
            chunk.point_sets.astype(str), return_inverse=True, return_counts=True
        )
        codes = np.array([self.index.setdefault(str(s), len(self.index)) for s in labels], dtype=np.int32)
        for label, n in zip(labels.tolist(), counts.tolist()):
            self.counts[label] = self.counts.get(label, 0) + n
        if self.codes is not None:
            self.codes[chunk.start : chunk.stop] = codes[inverse.reshape(-1)]
        if self.lead is not None:
            self.lead[chunk.start : chunk.stop] = chunk.lead_payoffs
        if chunk.credible is not None and chunk.credible.shape[1]:
            self.credible_counts += chunk.credible.sum(axis=0)
            if self.credible is not None:
                self.credible[chunk.start : chunk.stop] = chunk.credible
        self.complete &= chunk.complete

    def point_sets(self) -> np.ndarray:
        names = np.array(list(self.index), dtype=object)
        return names[self.codes]

    def outcomes(self) -> list[dict]:
        total = sum(self.counts.values()) or 1
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"equilibrium_set": label, "points": n, "share": n / total} for label, n in ranked]


@contextlib.contextmanager
def _whole_chunks(deliver: bool = True):
    """Hold Ctrl-C back while a chunk is appended, so the partial tables end with a whole chunk
    (and the counts in the manifest match them); the interrupt takes effect right after.
    ``deliver=False``: while stopping anyway, a second Ctrl-C is not delivered at all."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN or previous is None:
        yield
        return
    received = []
    signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and deliver:
        raise KeyboardInterrupt


def _tree_record(source: object, labels: object) -> dict:
    """What a sweep over a game tree adds to the manifest: names for figures (``labels``),
    the tree's information sets, types and responses (``tree``)."""
    scenario = source.scenario
    strategies: dict[str, dict[str, str]] = {}
    moves: dict[str, dict[str, str]] = {}
    for (player, label, ids), names in zip(labels.infosets, labels.move_names):
        pid = labels.players[player]
        for move, name in zip(ids, names):
            strategies.setdefault(pid, {})[f"{label}: {move}"] = f"{label}: {name}"
            moves.setdefault(pid, {})[move] = name
    record = {
        "labels": {
            "players": dict(zip(labels.players, labels.player_names)),
            "strategies": strategies,
            "moves": moves,
        },
        "tree": {"origin": source.tree.origin, "order": list(source.tree.order), **labels.manifest()},
        "credibility": None,
    }
    if scenario is not None and getattr(scenario, "types", None):
        record["tree"]["type_names"] = {
            pid: {tid: kind.name or tid for tid, kind in kinds.items()}
            for pid, kinds in scenario.types.items()
        }
    return record


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def _sha256_file(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _scenario_record(spec: SweepSpec, source: object, recipe: engine.GameRecipe) -> dict:
    given = spec.scenario_source()
    file, digest = None, None
    if Path(given).is_file():
        file, digest = given, _sha256_file(given)
    elif source.scenario is not None:
        try:
            resource = builtin_path(source.scenario.id)
            file = f"negsim.scenarios/{resource.name}"
            digest = hashlib.sha256(resource.read_bytes()).hexdigest()
        except (InputError, OSError):
            pass
    game = source.game
    return {
        "id": game.id or (source.scenario.id if source.scenario is not None else ""),
        "title": game.title,
        "source": spec.scenario,
        "file": file,
        "sha256": digest,
        "content_sha256": recipe.key,
    }


def _parameters_record(source: object, points: PointSet) -> dict:
    game = source.game
    meta = {}
    scenario_parameters = getattr(source.scenario, "parameters", {}) or {}
    for name in game.parameters:
        low, high = game.bounds.get(name, (None, None))
        info = scenario_parameters.get(name)
        meta[name] = {
            "value": float(points.base[name]),
            "default": float(game.defaults[name]),
            "min": low,
            "max": high,
            "unit": getattr(info, "unit", None),
            "description": getattr(info, "description", None),
        }
    return meta


@dataclass(frozen=True, eq=False)
class Planned:
    """A sweep ready to be solved: its source and points, what it solves for, the labels of its
    table and its chunks. The folder path (:func:`run_sweep`) and the in-memory path
    (:func:`negsim.sweep.memory.sweep_in_memory`) both start here."""

    spec: SweepSpec
    source: Source
    points: PointSet
    concept: str
    tree: ParametricTree | None
    labels: Any  # Labels, TreeLabels, or an analysis kind's labels
    recipe: engine.GameRecipe
    plan: list[tuple[int, int]]
    #: The analysis kind computed at each point (negsim.sweep.analysis), or None for equilibria.
    analysis: AnalysisKind | None = None

    @property
    def tolerance(self) -> float:
        """How finely tipping points are located, as a fraction of a parameter's range."""
        return self.analysis.tolerance if self.analysis is not None and self.analysis.tolerance else REL_TOL

    @property
    def responses(self) -> tuple[Any, ...]:
        """The responses whose credibility is recorded (subgame-perfect sweeps only)."""
        return tuple(self.labels.responses) if isinstance(self.labels, TreeLabels) else ()

    def tracker(self) -> _Tracker:
        return _Tracker(self.points, len(self.labels.players), len(self.responses))

    def tasks(
        self, keep_columns: bool, text: tuple[str, ...] = ("csv", "json")
    ) -> Iterator[engine.ChunkTask]:
        for start, stop in self.plan:
            yield engine.ChunkTask(
                self.recipe,
                self.labels,
                self.spec.method,
                start,
                self.points.columns(start, stop),
                self.points.varied(start, stop),
                keep_columns=keep_columns,
                equilibrium=self.concept,
                text=text,
                solver=self.analysis.solve_chunk if self.analysis is not None else None,
            )

    def manifest(
        self,
        *,
        started: datetime,
        workers: int,
        dask: str | None,
        command: str | None,
        json_lines: bool,
        timings: dict[str, float],
    ) -> dict[str, Any]:
        """The manifest of the run as it starts (``status: running``)."""
        spec, points, tree = self.spec, self.points, self.tree
        manifest: dict[str, Any] = {
            "negsim_run": 1,
            "negsim_version": __version__,
            "id": spec.id,
            "title": spec.title,
            "status": "running",
            "error": None,
            "kind": points.kind,
            "scenario": _scenario_record(spec, self.source, self.recipe),
            "spec": spec_dict(spec),
            "spec_file": spec.file,
            "spec_sha256": _sha256_file(spec.file) if spec.file else None,
            "command": command,
            "seed": points.seed,
            "equilibrium": self.concept,
            "method": spec.method if tree is None else BACKWARD_INDUCTION,
            "dominance": DOMINANCE if tree is None else None,
            "swept": list(points.swept),
            "parameters": _parameters_record(self.source, points),
            "n_points": points.n_points,
            "points_done": 0,
            "n_rows": 0,
            "chunks": len(self.plan),
            "chunk_size": self.plan[0][1] - self.plan[0][0] if self.plan else 0,
            "workers": workers,
            "dask": dask,
            "all_equilibria_searched": None,
            "json_format": "lines" if json_lines else "array",
            "files": {},
            "outcomes": [],
            "tipping_points": None,
            "tipping_tolerance": self.tolerance,
            "timings": timings,
            "started": started.isoformat(timespec="seconds"),
            "finished": None,
            "platform": {
                "python": platform.python_version(),
                "numpy": np.__version__,
                "machine": platform.machine(),
                "system": platform.system(),
            },
        }
        if tree is not None:
            manifest.update(_tree_record(self.source, self.labels))
        if self.analysis is not None:
            manifest.update(self.analysis.manifest(self.source, self.labels, spec))
        return manifest


def plan_run(
    spec: SweepSpec,
    source: Source | None = None,
    *,
    workers: int = 1,
    seed: int | None = None,
    chunk_size: int | None = None,
) -> Planned:
    """Check a sweep against its scenario and lay out its points and chunks (nothing solved)."""
    if not isinstance(workers, int) or workers < 1:
        raise InputError([Problem(f"expected a whole number of at least 1, got {workers!r}", path="workers")])
    source = source or spec.source
    check_against_scenario(spec, source.game, source.tree, source)
    points = build_points(spec, source.game, seed=seed)
    analysis = analysis_for(spec, source)
    concept = equilibrium_concept(spec, source.tree is not None)
    tree = source.tree if concept == "subgame-perfect" and analysis is None else None
    labels: Labels | TreeLabels | Any
    if analysis is not None:
        labels = analysis.labels(source, spec)
    elif tree is not None:
        labels = TreeLabels.of(tree, source.scenario, source.game.parameters, spec.credibility or ())
    else:
        labels = Labels.of(source.game)
    return Planned(
        spec,
        source,
        points,
        concept,
        tree,
        labels,
        engine.GameRecipe.of(source),
        engine.chunk_plan(points.n_points, chunk_size),
        analysis,
    )


def solved_chunks(
    planned: Planned,
    *,
    workers: int = 1,
    dask: str | None = None,
    keep_columns: bool = False,
    text: tuple[str, ...] = ("csv", "json"),
) -> Generator[engine.ChunkResult, None, None]:
    """The sweep's chunks, solved in order on the executor chosen (close it when done: that
    stops the executor's processes or cluster). ``text`` names the encodings of the rows the
    chunks need (``csv``, ``json``); Nash sweeps skip the others."""
    tasks = planned.tasks(keep_columns, text)
    if dask is not None:
        yield from engine.dask_cluster(tasks, dask, workers)
    elif workers > 1 and len(planned.plan) > 1:
        yield from engine.processes(tasks, workers)
    else:
        yield from engine.serial(tasks)


@dataclass(frozen=True)
class Findings:
    """What a sweep finds beyond its table: tipping points (grid and one-at-a-time sweeps),
    the sensitivity ranking (one at a time) and credibility thresholds (credibility sweeps)."""

    tipping_points: list[dict[str, Any]] | None = None
    sensitivity: list[dict[str, Any]] | None = None
    thresholds: list[dict[str, Any]] | None = None


def find_findings(
    planned: Planned, tracker: _Tracker, parameters: dict[str, Any], timings: dict[str, float]
) -> Findings:
    """Tipping points, sensitivity and credibility thresholds from the solved points."""
    tipping = ranking = thresholds = None
    if tracker.codes is None:
        return Findings()
    points, tree, labels = planned.points, planned.tree, planned.labels
    game = planned.source.game
    stage = time.monotonic()
    analysis = planned.analysis
    if analysis is not None:
        spec, source = planned.spec, planned.source
        tipping = find_tipping_points(
            points,
            tracker.point_sets(),
            tracker.sets,
            analysis.refine(source, labels, spec),
            labels,
            game.bounds,
            describe=analysis.describe(source, labels, spec, points.base),
            rel_tol=planned.tolerance,
        )
    elif tree is not None:
        assert isinstance(labels, TreeLabels)

        def refine_tree(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, Any]]:
            return engine.solve_tree_sets(tree, labels, values)

        tipping = find_tipping_points(
            points,
            tracker.point_sets(),
            tracker.sets,
            refine_tree,
            labels,
            game.bounds,
            describe=describe_spe(labels),
        )
        if tracker.credible is not None:
            thresholds = credibility_thresholds(points, tracker.credible, tree, labels, game.bounds)
    else:
        assert isinstance(labels, Labels)

        def refine(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, Any]]:
            return engine.solve_sets(game, labels, values, planned.spec.method)

        tipping = find_tipping_points(points, tracker.point_sets(), tracker.sets, refine, labels, game.bounds)
    timings["tipping"] = time.monotonic() - stage
    if points.kind == "one_at_a_time":
        assert tracker.lead is not None
        stage = time.monotonic()
        ranking = sensitivity_ranking(points, tracker.point_sets(), tracker.lead, tipping, labels, parameters)
        timings["sensitivity"] = time.monotonic() - stage
    return Findings(tipping, ranking, thresholds)


def credibility_of(
    planned: Planned, tracker: _Tracker, findings: Findings, points_done: int
) -> dict[str, Any] | None:
    """The record of ``credibility.json`` (None unless the sweep asks about responses)."""
    if not planned.responses or not isinstance(planned.labels, TreeLabels):
        return None
    return credibility_record(planned.labels, tracker.credible_counts, points_done, findings.thresholds)


def write_findings(
    folder: Path, findings: Findings, credibility: dict[str, Any] | None, manifest: dict[str, Any]
) -> dict[str, str]:
    """Write ``tipping_points.json``, ``sensitivity.json`` and ``credibility.json`` as the
    sweep has them, note their counts in ``manifest``; returns key -> file name."""
    files: dict[str, str] = {}
    if findings.tipping_points is not None:
        write_json(
            folder / "tipping_points.json",
            {
                "tolerance": manifest.get("tipping_tolerance", REL_TOL),
                "tipping_points": findings.tipping_points,
            },
        )
        files["tipping_points"] = "tipping_points.json"
        manifest["tipping_points"] = len(findings.tipping_points)
    if findings.sensitivity is not None:
        write_json(folder / "sensitivity.json", {"parameters": findings.sensitivity})
        files["sensitivity"] = "sensitivity.json"
    if credibility is not None:
        write_json(folder / "credibility.json", credibility)
        files["credibility"] = "credibility.json"
        manifest["credibility"] = None if findings.thresholds is None else len(findings.thresholds)
    return files


def finish_manifest(
    manifest: dict[str, Any],
    tracker: _Tracker,
    status: str,
    *,
    points_done: int,
    rows: int,
    error: str | None = None,
    files: dict[str, str] | None = None,
) -> None:
    """Complete the manifest of a run that ended (``complete``, ``interrupted`` or ``failed``)."""
    manifest.update(
        status=status,
        error=error,
        points_done=points_done,
        n_rows=rows,
        outcomes=tracker.outcomes(),
        all_equilibria_searched=tracker.complete,
        finished=_now().isoformat(timespec="seconds"),
    )
    manifest["files"] = {**(files or {}), "manifest": "manifest.json"}


def run_sweep(
    spec: SweepSpec,
    *,
    source: Source | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: Progress | None = None,
    runs_dir: str | Path = "runs",
    seed: int | None = None,
    command: str | None = None,
    chunk_size: int | None = None,
    formats: Sequence[str] | None = None,
) -> SweepResult:
    """Run a sweep and write its run folder; returns the folder read back.

    ``formats`` are the results table's formats (``csv``, ``json``, ``jsonl``, ``parquet``;
    :func:`negsim.sweep.runfolder.table_formats`); ``None`` takes the spec's ``formats``, and
    without those the default: Parquet and CSV when pyarrow is installed (Parquet alone above
    100,000 points), else CSV. ``points.csv`` is always written.

    ``workers`` > 1 solves chunks in that many processes; ``dask`` is a Dask scheduler address
    or ``"local"`` (a local cluster of ``max(workers, 2)`` processes). ``seed`` replaces a
    Monte Carlo spec's seed. ``command`` is recorded in the manifest. ``chunk_size`` overrides
    the number of points per chunk (results do not depend on it except through rounding of
    batched solves; normally leave it). ``progress(points_done, n_points)`` is called after
    each chunk is written. ``source`` is the spec's scenario already loaded (by default the
    one the spec loaded, :attr:`SweepSpec.source`). Ctrl-C raises :class:`SweepInterrupted`
    after keeping what was finished; invalid input raises
    :class:`~negsim.errors.InputError` (and leaves nothing behind).

    :func:`negsim.sweep.memory.sweep_in_memory` solves the same sweep without a folder.
    """
    clock = time.monotonic()
    timings: dict[str, float] = {}
    started = _now()
    planned = plan_run(spec, source, workers=workers, seed=seed, chunk_size=chunk_size)
    points = planned.points
    chosen = table_formats(formats if formats is not None else spec.formats, points.n_points)
    timings["load"] = time.monotonic() - clock

    runs_existed = Path(runs_dir).exists()
    folder = new_run_folder(runs_dir, spec.id, started)
    parquet = "parquet" in chosen
    writer = RunWriter(
        folder,
        planned.labels.columns(),
        planned.labels.point_columns(),
        formats=chosen,
        json_lines=points.n_points > JSON_ARRAY_MAX_POINTS,
    )
    manifest = planned.manifest(
        started=started,
        workers=workers,
        dask=dask,
        command=command,
        json_lines=writer.json_lines,
        timings=timings,
    )
    manifest["formats"] = list(chosen)
    write_json(folder / "manifest.json", manifest)
    tracker = planned.tracker()

    def finish(status: str, error: str | None = None, files: dict[str, str] | None = None) -> None:
        finish_manifest(
            manifest, tracker, status, points_done=writer.points, rows=writer.rows, error=error, files=files
        )
        timings["total"] = time.monotonic() - clock
        write_json(folder / "manifest.json", manifest)

    try:
        solve_started = time.monotonic()
        text = tuple(
            kind
            for kind, wanted in (("csv", "csv" in chosen), ("json", "json" in chosen or "jsonl" in chosen))
            if wanted
        )
        results = solved_chunks(planned, workers=workers, dask=dask, keep_columns=parquet, text=text)
        try:
            for chunk in results:
                with _whole_chunks():
                    writer.append(chunk)
                    tracker.add(chunk)
                if progress is not None:
                    progress(writer.points, points.n_points)
        finally:
            results.close()
        timings["solve"] = time.monotonic() - solve_started
        findings = find_findings(planned, tracker, manifest["parameters"], timings)

        # Commit: tables to their final names, then the small files, then the manifest.
        stage = time.monotonic()
        files = writer.finish()
        credibility = credibility_of(planned, tracker, findings, writer.points)
        files.update(write_findings(folder, findings, credibility, manifest))
        timings["write"] = time.monotonic() - stage
        finish("complete", files=files)
    except KeyboardInterrupt:
        with _whole_chunks(deliver=False):
            files = writer.abandon()
            finish("interrupted", "stopped by the user (Ctrl-C)", files)
        raise SweepInterrupted(read_run(folder)) from None
    except InputError:
        # Invalid input found mid-run (e.g. a payoff that is not finite at some point):
        # nothing of the run is kept, as for any invalid input.
        writer.abandon()
        shutil.rmtree(folder, ignore_errors=True)
        if not runs_existed:
            with contextlib.suppress(OSError):
                Path(runs_dir).rmdir()
        raise
    except BaseException as exc:
        with _whole_chunks(deliver=False):
            files = writer.abandon()
            finish("failed", f"{type(exc).__name__}: {exc}", files)
        raise
    return read_run(folder)
