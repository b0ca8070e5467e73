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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from negsim.compile.source import Source
from negsim.errors import InputError, Problem
from negsim.scenario import builtin_path
from negsim.sweep import engine
from negsim.sweep.analyses import analysis_for
from negsim.sweep.credibility import credibility_record, credibility_thresholds
from negsim.sweep.points import PointSet, build_points
from negsim.sweep.runfolder import (
    JSON_ARRAY_MAX_POINTS,
    RunWriter,
    SweepResult,
    new_run_folder,
    parquet_available,
    read_run,
    write_json,
)
from negsim.sweep.sensitivity import sensitivity_ranking
from negsim.sweep.spec import SweepSpec, equilibrium_concept, spec_dict
from negsim.sweep.spec_checks import check_against_scenario
from negsim.sweep.table import Labels
from negsim.sweep.tipping import REL_TOL, find_tipping_points
from negsim.sweep.tree_table import TreeLabels
from negsim.sweep.tree_words import describe_spe
from negsim.version import __version__

__all__ = ["Progress", "SweepInterrupted", "run_sweep"]

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
        self.lead = (np.full((points.n_points, n_players), np.nan)
                     if points.kind == "one_at_a_time" else None)
        self.index: dict[str, int] = {}
        self.sets: dict[str, tuple] = {}
        self.counts: dict[str, int] = {}
        self.complete = True
        # Credibility sweeps: each response's credibility per point (for thresholds along
        # lines) and its number of credible points.
        self.credible = (np.zeros((points.n_points, n_responses), dtype=bool)
                         if lines and n_responses else None)
        self.credible_counts = np.zeros(n_responses, dtype=np.int64)

    def add(self, chunk: engine.ChunkResult) -> None:
        self.sets.update(chunk.sets)
        labels, inverse, counts = np.unique(chunk.point_sets.astype(str), return_inverse=True,
                                            return_counts=True)
        codes = np.array([self.index.setdefault(str(s), len(self.index)) for s in labels],
                         dtype=np.int32)
        for label, n in zip(labels.tolist(), counts.tolist()):
            self.counts[label] = self.counts.get(label, 0) + n
        if self.codes is not None:
            self.codes[chunk.start:chunk.stop] = codes[inverse.reshape(-1)]
        if self.lead is not None:
            self.lead[chunk.start:chunk.stop] = chunk.lead_payoffs
        if chunk.credible is not None and chunk.credible.shape[1]:
            self.credible_counts += chunk.credible.sum(axis=0)
            if self.credible is not None:
                self.credible[chunk.start:chunk.stop] = chunk.credible
        self.complete &= chunk.complete

    def point_sets(self) -> np.ndarray:
        names = np.array(list(self.index), dtype=object)
        return names[self.codes]

    def outcomes(self) -> list[dict]:
        total = sum(self.counts.values()) or 1
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"equilibrium_set": label, "points": n, "share": n / total}
                for label, n in ranked]


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
        "labels": {"players": dict(zip(labels.players, labels.player_names)),
                   "strategies": strategies, "moves": moves},
        "tree": {"origin": source.tree.origin, "order": list(source.tree.order),
                 **labels.manifest()},
        "credibility": None,
    }
    if scenario is not None and getattr(scenario, "types", None):
        record["tree"]["type_names"] = {
            pid: {tid: kind.name or tid for tid, kind in kinds.items()}
            for pid, kinds in scenario.types.items()}
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


def run_sweep(spec: SweepSpec, *, source: Source | None = None, workers: int = 1,
              dask: str | None = None, progress: Progress | None = None,
              runs_dir: str | Path = "runs", seed: int | None = None,
              command: str | None = None, chunk_size: int | None = None) -> SweepResult:
    """Run a sweep and write its run folder; returns the folder read back.

    ``workers`` > 1 solves chunks in that many processes; ``dask`` is a Dask scheduler address
    or ``"local"`` (a local cluster of ``max(workers, 2)`` processes). ``seed`` replaces a
    Monte Carlo spec's seed. ``command`` is recorded in the manifest. ``chunk_size`` overrides
    the number of points per chunk (results do not depend on it except through rounding of
    batched solves; normally leave it). ``progress(points_done, n_points)`` is called after
    each chunk is written. ``source`` is the spec's scenario already loaded (by default the
    one the spec loaded, :attr:`SweepSpec.source`). Ctrl-C raises :class:`SweepInterrupted`
    after keeping what was finished; invalid input raises
    :class:`~negsim.errors.InputError` (and leaves nothing behind).
    """
    clock = time.monotonic()
    timings: dict[str, float] = {}
    started = _now()
    if not isinstance(workers, int) or workers < 1:
        raise InputError([Problem(f"expected a whole number of at least 1, got {workers!r}",
                                  path="workers")])

    source = source or spec.source
    check_against_scenario(spec, source.game, source.tree, source)
    game = source.game
    points = build_points(spec, game, seed=seed)
    analysis = analysis_for(spec, source)
    concept = equilibrium_concept(spec, source.tree is not None)
    tree = source.tree if concept == "subgame-perfect" and analysis is None else None
    labels: Any
    if analysis is not None:
        labels = analysis.labels(source, spec)
    elif tree is not None:
        labels = TreeLabels.of(tree, source.scenario, game.parameters, spec.credibility or ())
    else:
        labels = Labels.of(game)
    recipe = engine.GameRecipe.of(source)
    plan = engine.chunk_plan(points.n_points, chunk_size)
    timings["load"] = time.monotonic() - clock

    runs_existed = Path(runs_dir).exists()
    folder = new_run_folder(runs_dir, spec.id, started)
    parquet = parquet_available()
    writer = RunWriter(folder, labels.columns(), labels.point_columns(),
                       json_lines=points.n_points > JSON_ARRAY_MAX_POINTS, parquet=parquet)
    manifest = {
        "negsim_run": 1,
        "negsim_version": __version__,
        "id": spec.id,
        "title": spec.title,
        "status": "running",
        "error": None,
        "kind": points.kind,
        "scenario": _scenario_record(spec, source, recipe),
        "spec": spec_dict(spec),
        "spec_file": spec.file,
        "spec_sha256": _sha256_file(spec.file) if spec.file else None,
        "command": command,
        "seed": points.seed,
        "equilibrium": concept,
        "method": spec.method if tree is None else BACKWARD_INDUCTION,
        "dominance": DOMINANCE if tree is None else None,
        "swept": list(points.swept),
        "parameters": _parameters_record(source, points),
        "n_points": points.n_points,
        "points_done": 0,
        "n_rows": 0,
        "chunks": len(plan),
        "chunk_size": plan[0][1] - plan[0][0] if plan else 0,
        "workers": workers,
        "dask": dask,
        "all_equilibria_searched": None,
        "json_format": "lines" if writer.json_lines else "array",
        "files": {},
        "outcomes": [],
        "tipping_points": None,
        "tipping_tolerance": REL_TOL,
        "timings": timings,
        "started": started.isoformat(timespec="seconds"),
        "finished": None,
        "platform": {"python": platform.python_version(), "numpy": np.__version__,
                     "machine": platform.machine(), "system": platform.system()},
    }
    if tree is not None:
        manifest.update(_tree_record(source, labels))
    if analysis is not None:
        manifest.update(analysis.manifest(source, labels, spec))
    write_json(folder / "manifest.json", manifest)
    responses = labels.responses if tree is not None else ()
    tracker = _Tracker(points, len(labels.players), len(responses))

    def tasks():
        for start, stop in plan:
            yield engine.ChunkTask(recipe, labels, spec.method, start,
                                   points.columns(start, stop), points.varied(start, stop),
                                   keep_columns=parquet, equilibrium=concept,
                                   solver=analysis.solve_chunk if analysis is not None else None)

    def finish(status: str, error: str | None = None, files: dict | None = None) -> None:
        manifest.update(status=status, error=error, points_done=writer.points,
                        n_rows=writer.rows, outcomes=tracker.outcomes(),
                        all_equilibria_searched=tracker.complete,
                        finished=_now().isoformat(timespec="seconds"))
        manifest["files"] = {**(files or {}), "manifest": "manifest.json"}
        timings["total"] = time.monotonic() - clock
        write_json(folder / "manifest.json", manifest)

    try:
        solve_started = time.monotonic()
        if dask is not None:
            results = engine.dask_cluster(tasks(), dask, workers)
        elif workers > 1 and len(plan) > 1:
            results = engine.processes(tasks(), workers)
        else:
            results = engine.serial(tasks())
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

        tipping = ranking = thresholds = None
        if tracker.codes is not None:
            stage = time.monotonic()
            if analysis is not None:
                tipping = find_tipping_points(points, tracker.point_sets(), tracker.sets,
                                              analysis.refine(source, labels, spec), labels, game.bounds,
                                              describe=analysis.describe(source, labels, spec, points.base))
            elif tree is not None:
                def refine(values):
                    return engine.solve_tree_sets(tree, labels, values)

                tipping = find_tipping_points(points, tracker.point_sets(), tracker.sets,
                                              refine, labels, game.bounds,
                                              describe=describe_spe(labels))
                if tracker.credible is not None:
                    thresholds = credibility_thresholds(points, tracker.credible, tree, labels,
                                                        game.bounds)
            else:
                def refine(values):
                    return engine.solve_sets(game, labels, values, spec.method)

                tipping = find_tipping_points(points, tracker.point_sets(), tracker.sets,
                                              refine, labels, game.bounds)
            timings["tipping"] = time.monotonic() - stage
            if points.kind == "one_at_a_time":
                stage = time.monotonic()
                ranking = sensitivity_ranking(points, tracker.point_sets(), tracker.lead,
                                              tipping, labels, manifest["parameters"])
                timings["sensitivity"] = time.monotonic() - stage

        # Commit: tables to their final names, then the small files, then the manifest.
        stage = time.monotonic()
        files = writer.finish()
        if tipping is not None:
            write_json(folder / "tipping_points.json",
                       {"tolerance": REL_TOL, "tipping_points": tipping})
            files["tipping_points"] = "tipping_points.json"
            manifest["tipping_points"] = len(tipping)
        if ranking is not None:
            write_json(folder / "sensitivity.json", {"parameters": ranking})
            files["sensitivity"] = "sensitivity.json"
        if responses:
            write_json(folder / "credibility.json", credibility_record(
                labels, tracker.credible_counts, writer.points, thresholds))
            files["credibility"] = "credibility.json"
            manifest["credibility"] = None if thresholds is None else len(thresholds)
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
