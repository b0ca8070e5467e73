"""Running sweeps: serial, process and Dask executors give identical files; interrupted and
failed runs leave nothing that looks complete; run folders are never overwritten."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from negsim.errors import InputError
from negsim.sweep import SweepInterrupted, engine, parse_sweep_spec, read_run, run_sweep
from negsim.sweep import run as run_module
from negsim.sweep.runfolder import parquet_available

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "scenarios" / "s400-mini.yaml")
SWEEPS = DATA / "sweeps"
SAME = ("results.csv", "results.json", "points.csv", "tipping_points.json")


def spec_of(scenario=MINI, **kinds):
    return parse_sweep_spec({"negsim_sweep": 1, "id": "executors", "scenario": scenario, **kinds})


GRID = spec_of(
    grid={
        "sanction_cost": {"start": 0, "stop": 10, "count": 30},
        "security": {"start": 0, "stop": 10, "count": 30},
    }
)
DRAWS = spec_of(
    str(SWEEPS / "three-regimes.yaml"), monte_carlo={"draws": 700, "seed": 3, "parameters": "all"}
)


def files(folder: Path, names=SAME) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names if (folder / name).exists()}


@pytest.fixture(scope="module")
def serial_grid(tmp_path_factory):
    return run_sweep(GRID, runs_dir=tmp_path_factory.mktemp("serial"), chunk_size=100)


def test_chunk_plan_depends_only_on_the_number_of_points():
    assert engine.chunk_plan(10) == [(0, 10)]
    plan = engine.chunk_plan(1_000_000)
    assert plan[0] == (0, 5_000) and plan[-1][1] == 1_000_000 and len(plan) == 200
    assert engine.chunk_plan(10_000_000)[0] == (0, engine.MAX_CHUNK)
    assert engine.chunk_plan(1000, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


@pytest.mark.slow
def test_serial_run_folder(serial_grid):
    result = serial_grid
    assert result.complete and result.n_points == 900
    assert result.manifest["chunks"] == 9 and result.manifest["kind"] == "grid"
    parquet = ["results.parquet"] if parquet_available() else []
    # The default formats: CSV, and Parquet when pyarrow is installed; JSON only when asked.
    assert sorted(p.name for p in result.folder.iterdir()) == sorted(
        ["figures", "manifest.json", "points.csv", "results.csv", "tipping_points.json", *parquet]
    )
    assert not any(result.folder.glob("*.incomplete"))
    assert sum(o["points"] for o in result.outcomes) == 900


@pytest.mark.slow
def test_processes_give_identical_files(serial_grid, tmp_path):
    result = run_sweep(GRID, workers=2, runs_dir=tmp_path, chunk_size=100)
    assert result.manifest["workers"] == 2
    assert files(result.folder) == files(serial_grid.folder)


@pytest.mark.slow
@pytest.mark.dask
def test_a_real_dask_cluster_gives_identical_files(serial_grid, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_sweep(GRID, dask=cluster.scheduler_address, runs_dir=tmp_path / "grid", chunk_size=100)
        drawn = run_sweep(DRAWS, dask=cluster.scheduler_address, runs_dir=tmp_path / "mc", chunk_size=64)
    assert result.manifest["dask"] == cluster.scheduler_address
    assert files(result.folder) == files(serial_grid.folder)
    serial = run_sweep(DRAWS, runs_dir=tmp_path / "mc-serial", chunk_size=64)
    assert files(drawn.folder) == files(serial.folder)
    assert (drawn.folder / "results.csv").read_bytes().count(b"\n") > 700


@pytest.mark.slow
@pytest.mark.dask
def test_dask_local_starts_and_closes_its_own_cluster(tmp_path):
    pytest.importorskip("dask.distributed")
    result = run_sweep(DRAWS, dask="local", workers=2, runs_dir=tmp_path, chunk_size=200)
    serial = run_sweep(DRAWS, runs_dir=tmp_path / "serial", chunk_size=200)
    assert files(result.folder) == files(serial.folder)


@pytest.mark.slow
def test_an_unreachable_scheduler_is_an_input_error(tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr(engine, "DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach a Dask scheduler"):
        run_sweep(DRAWS, dask="tcp://127.0.0.1:9", runs_dir=tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_run_keeps_finished_chunks_under_partial_names(tmp_path, workers):
    def stop_after_two_chunks(done, total):
        if done >= 200:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as caught:
        run_sweep(
            GRID,
            workers=workers,
            runs_dir=tmp_path,
            chunk_size=100,
            progress=stop_after_two_chunks,
            formats=["csv", "json", "parquet"],
        )
    result = caught.value.result
    folder = result.folder
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [
            "figures",
            "manifest.json",
            "points.partial.csv",
            "results.partial.csv",
            "results.partial.json",
            "results.partial.parquet",
        ]
    )
    assert result.status == "interrupted" and result.n_points == 200
    assert read_run(folder).status == "interrupted"
    rows = list(result.rows())
    assert {r["point"] for r in rows} == set(range(200))
    assert json.loads((folder / "results.partial.json").read_text()) == rows
    assert result.manifest["files"]["results_csv"] == "results.partial.csv"


def test_a_failing_run_is_marked_failed(tmp_path, monkeypatch):
    calls = []
    real = engine.solve_chunk

    def failing(task):
        calls.append(task.start)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(task)

    monkeypatch.setattr(engine, "solve_chunk", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_sweep(GRID, runs_dir=tmp_path, chunk_size=100)
    (folder,) = tmp_path.iterdir()
    result = read_run(folder)
    assert result.status == "failed" and "disk on fire" in result.manifest["error"]
    assert result.n_points == 200
    assert not (folder / "results.csv").exists() and (folder / "results.partial.csv").exists()


def test_invalid_payoffs_found_mid_run_leave_nothing(tmp_path):
    spec = spec_of(
        str(SWEEPS / "pole-at-five.yaml"), grid={"sanction_cost": {"start": 0, "stop": 10, "count": 11}}
    )
    runs = tmp_path / "runs"
    with pytest.raises(InputError, match="not a number at profile"):
        run_sweep(spec, runs_dir=runs)
    assert not runs.exists()


def test_run_folders_are_never_overwritten(tmp_path, monkeypatch):
    moment = datetime(2025, 11, 20, 9, 30, 0).astimezone()
    monkeypatch.setattr(run_module, "_now", lambda: moment)
    spec = spec_of(grid={"sanction_cost": {"values": [1, 2]}})
    existing = tmp_path / "executors-20251120-093000"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine")
    first = run_sweep(spec, runs_dir=tmp_path)
    second = run_sweep(spec, runs_dir=tmp_path)
    assert first.folder.name == "executors-20251120-093000-2"
    assert second.folder.name == "executors-20251120-093000-3"
    assert sorted(p.name for p in existing.iterdir()) == ["notes.txt"]
    assert first.complete and second.complete


def test_manifest_records_the_run(serial_grid):
    m = serial_grid.manifest
    assert m["negsim_version"] and m["status"] == "complete"
    assert m["scenario"]["id"] == "s400-mini"
    assert len(m["scenario"]["sha256"]) == 64 and len(m["scenario"]["content_sha256"]) == 64
    assert m["swept"] == ["sanction_cost", "security"]
    assert m["n_rows"] == sum(1 for _ in serial_grid.rows())
    assert m["spec"]["grid"]["security"]["count"] == 30
    assert set(m["timings"]) >= {"load", "solve", "tipping", "write", "total"}
    assert m["started"] <= m["finished"]
    assert m["files"]["results_csv"] == "results.csv"
