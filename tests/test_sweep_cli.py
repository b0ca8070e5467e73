"""The sweep command end to end: output, run folders, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negsim.cli import main
from negsim.sweep import engine, read_run
from negsim.sweep.runfolder import parquet_available

DATA = Path(__file__).parent / "data"
SWEEPS = DATA / "sweeps"
THRESHOLD = str(SWEEPS / "threshold.yaml")


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def folder_of(out: str) -> Path:
    return Path(out.splitlines()[0].removeprefix("run folder: "))


@pytest.mark.slow
def test_grid_over_a_scenario(capsys, tmp_path):
    code, out, err = run(
        capsys, "sweep", THRESHOLD, "--param", "sanction_cost=0:10:11", "--runs-dir", tmp_path
    )
    assert code == 0, err
    lines = out.splitlines()
    folder = folder_of(out)
    assert folder.parent == tmp_path and folder.name.startswith("sweep-threshold-")
    assert lines[1].startswith("11 points, 11 rows, ")
    assert lines[2:5] == [
        "equilibrium sets (share of points):",
        "   63.6%  limited / keep",
        "   36.4%  full / keep",
    ]
    assert lines[5:] == [
        "tipping points (1):",
        "  - Turkey's equilibrium strategy moves from Full activation to "
        "Limited activation when sanction_cost rises past 3.33333.",
    ]
    manifest = read_run(folder).manifest
    assert manifest["command"] == (
        f"negsim sweep {THRESHOLD} --param sanction_cost=0:10:11 --runs-dir {tmp_path}"
    )


@pytest.mark.slow
def test_spec_file_with_overrides(capsys, tmp_path):
    code, out, err = run(
        capsys, "sweep", SWEEPS / "threshold-sweep.yaml", "--set", "security=3", "--runs-dir", tmp_path
    )
    assert code == 0, err
    result = read_run(folder_of(out))
    assert result.manifest["id"] == "threshold-cost"
    assert result.manifest["spec"]["set"] == {"security": 3.0}
    assert result.manifest["spec_file"].endswith("threshold-sweep.yaml")
    assert {r["security"] for r in result.rows()} == {3.0}


@pytest.mark.slow
def test_monte_carlo_is_reproducible_from_the_command_line(capsys, tmp_path):
    args = ["sweep", SWEEPS / "three-regimes.yaml", "--mc", "300", "--seed", "11"]
    code, out, err = run(capsys, *args, "--runs-dir", tmp_path / "a")
    assert code == 0, err
    assert "tipping points" not in out
    assert out.splitlines()[1].endswith(", seed 11")
    code, again, _ = run(capsys, *args, "--runs-dir", tmp_path / "b")
    first, second = folder_of(out), folder_of(again)
    assert (first / "results.csv").read_bytes() == (second / "results.csv").read_bytes()
    assert read_run(first).manifest["seed"] == 11


def test_monte_carlo_over_named_ranges(capsys, tmp_path):
    code, out, err = run(
        capsys,
        "sweep",
        THRESHOLD,
        "--mc",
        "50",
        "--param",
        "sanction_cost=4:6",
        "--param",
        "security",
        "--runs-dir",
        tmp_path,
    )
    assert code == 0, err
    rows = list(read_run(folder_of(out)).rows())
    assert all(4 <= r["sanction_cost"] <= 6 for r in rows)
    assert {r["equilibrium_set"] for r in rows} == {"limited / keep"}


@pytest.mark.slow
def test_one_at_a_time_prints_the_ranking(capsys, tmp_path):
    code, out, err = run(capsys, "sweep", THRESHOLD, "--oat", "--count", "5", "--runs-dir", tmp_path)
    assert code == 0, err
    assert "sensitivity (largest swing of an equilibrium payoff):" in out
    assert "    1. sanction_cost: swing 10, 1 change(s) of the equilibrium set" in out
    sensitivity = json.loads((folder_of(out) / "sensitivity.json").read_text())
    assert [p["parameter"] for p in sensitivity["parameters"]] == ["sanction_cost", "security"]


def test_quiet_prints_the_folder_only(capsys, tmp_path):
    code, out, err = run(
        capsys, "sweep", THRESHOLD, "--param", "security=1,2", "--quiet", "--runs-dir", tmp_path
    )
    assert code == 0 and err == ""
    (line,) = out.splitlines()
    assert (Path(line) / "manifest.json").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--param", "sanction_cost=0:10"],
            "--param: sanction_cost=0:10: expected start:stop:count or start:stop:count:log",
        ),
        (
            ["--param", "sanction_cost=0:10:x"],
            "--param: sanction_cost=0:10:x: expected a whole number of points, got 'x'",
        ),
        (
            ["--param", "sanction_cots=0:10:5"],
            "--param: unknown parameter 'sanction_cots' (did you mean 'sanction_cost'?)",
        ),
        (["--param", "sanction_cost=10:0:5"], "--param: sanction_cost: stop (0) is below start (10)"),
        (
            ["--param", "sanction_cost=0:20:5"],
            "--param: sanction_cost: 20 is outside sanction_cost's range 0..10 (add "
            "allow_outside_range: true to sweep beyond it)",
        ),
        ([], "--param: say what to sweep: --param name=start:stop:count (repeatable), --mc N or --oat"),
        (["--mc", "10", "--oat"], "--mc: give --mc or --oat, not both"),
        (
            ["--oat", "--param", "security=1:2:3"],
            "--param: security=1:2:3: with --oat, give parameter names only (each moves over its min..max)",
        ),
        (["--param", "security=1,2", "--workers", "0"], "--workers: expected at least 1, got 0"),
        (
            ["--param", "security=1,2", "--method", "enumrate"],
            "--method: unknown method 'enumrate' (did you mean 'enumerate'?)",
        ),
        (
            ["--param", "security=1,2", "--dask", "nowhere"],
            "--dask: expected a scheduler address such as tcp://host:8786, or 'local', got 'nowhere'",
        ),
    ],
)
def test_bad_options_exit_2_and_write_nothing(capsys, tmp_path, args, message):
    code, out, err = run(capsys, "sweep", THRESHOLD, *args, "--runs-dir", tmp_path / "runs")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [message]
    assert not (tmp_path / "runs").exists()


def test_a_spec_file_refuses_sweep_options(capsys, tmp_path):
    spec = SWEEPS / "threshold-sweep.yaml"
    code, _out, err = run(capsys, "sweep", spec, "--param", "security=1,2")
    assert code == 2
    assert err.strip() == (
        f"--param: {spec} says what to sweep; --param is for sweeping a scenario (edit the spec instead)"
    )


def test_ctrl_c_keeps_finished_chunks_and_exits_130(capsys, tmp_path, monkeypatch):
    real = engine.solve_chunk

    def interrupted_on_the_third_chunk(task):
        if task.start >= 512:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(engine, "solve_chunk", interrupted_on_the_third_chunk)
    code, out, err = run(
        capsys, "sweep", THRESHOLD, "--param", "sanction_cost=0:10:700", "--runs-dir", tmp_path
    )
    assert code == 130
    assert out == ""
    (folder,) = tmp_path.iterdir()
    # JSON is written only when --formats asks for it; Parquet sits beside CSV by default.
    kept = "points.partial.csv, results.partial.csv"
    if parquet_available():
        kept += ", results.partial.parquet"
    assert err.strip() == (
        f"negsim: sweep interrupted; kept 512 of 700 points (512 rows) in {folder}: {kept} "
        "(manifest.json: status interrupted)"
    )
    assert not (folder / "results.csv").exists()
    assert not (folder / "results.partial.json").exists()


@pytest.mark.slow
def test_spec_overrides_are_checked_and_recorded(capsys, tmp_path):
    spec = tmp_path / "draws.yaml"
    spec.write_text(
        f"negsim_sweep: 1\nid: draws\nscenario: {THRESHOLD}\nmonte_carlo: {{draws: 20, seed: 1}}\n"
    )
    code, _out, err = run(capsys, "sweep", spec, "--set", "securty=2", "--runs-dir", tmp_path)
    assert code == 2
    assert err.strip() == "--set securty: unknown parameter 'securty' (did you mean 'security'?)"
    code, out, err = run(capsys, "sweep", spec, "--seed", "9", "--runs-dir", tmp_path)
    assert code == 0, err
    manifest = read_run(folder_of(out)).manifest
    assert manifest["seed"] == 9 and manifest["spec"]["monte_carlo"]["seed"] == 9


@pytest.mark.slow
def test_a_real_ctrl_c_with_worker_processes(tmp_path):
    """SIGINT, as the terminal sends it, to a sweep running in two worker processes."""
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "negsim",
            "sweep",
            str(SWEEPS / "diagonal.yaml"),
            "--param",
            "sanction_cost=0:10:1000",
            "--param",
            "security=0:10:500",
            "--workers",
            "2",
            "--runs-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some chunks are written
        growing = list(tmp_path.glob("*/points.csv.incomplete"))
        if growing and growing[0].stat().st_size > 100_000:
            break
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "negsim: sweep interrupted; kept " in err and "Traceback" not in err
    (folder,) = tmp_path.iterdir()
    result = read_run(folder)
    assert result.status == "interrupted" and 0 < result.n_points < 500_000
    assert not list(folder.glob("*.incomplete")) and not (folder / "results.csv").exists()
    assert len(list(result.rows())) == result.n_rows
