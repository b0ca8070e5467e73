"""negsim plot and negsim matrix end to end: figures redrawn from saved results without solving,
clean errors (exit 2, nothing written) for bad folders, formats and files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import negsim.solve
import negsim.sweep
from negsim.cli import main
from negsim.sweep import engine

RUNS = Path(__file__).parent / "data" / "runs"
SCENARIOS = Path(__file__).parent / "data" / "scenarios"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def no_solving(monkeypatch):
    """Make every way of solving a game fail: a redraw must not need any."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a figure was recomputed instead of read from the run folder")

    for module, name in (
        (negsim.solve, "solve"),
        (negsim.solve, "analyze"),
        (negsim.sweep, "run_sweep"),
        (engine, "solve_chunk"),
    ):
        monkeypatch.setattr(module, name, refuse)
    import negsim.solve.equilibria as equilibria

    monkeypatch.setattr(equilibria, "solve", refuse)


@pytest.mark.slow
def test_plot_redraws_a_run_whose_scenario_file_is_gone(capsys, tmp_path, monkeypatch):
    scenario = tmp_path / "game.yaml"
    shutil.copy(SCENARIOS / "s400-mini.yaml", scenario)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "negsim_sweep: 1\nid: gone\nscenario: game.yaml\ngrid:\n  sanction_cost: "
        "{start: 0, stop: 10, count: 11}\n"
    )
    code, out, err = run(capsys, "sweep", spec, "--runs-dir", tmp_path / "runs", "--quiet")
    assert code == 0, err
    folder = Path(out.strip())
    scenario.unlink()
    no_solving(monkeypatch)
    code, out, err = run(capsys, "plot", folder, "--format", "png,svg")
    assert code == 0, err
    written = out.split()
    figures = folder / "figures"
    assert written[:2] == [str(figures / "equilibria.png"), str(figures / "equilibria.svg")]
    assert all(Path(p).stat().st_size > 5_000 for p in written)
    # without the scenario the figures name strategies by their ids, as the table does
    svg = (folder / "figures" / "equilibria.svg").read_text()
    assert "limited / sanction" in svg or "limited / waive" in svg


@pytest.mark.slow
def test_plot_redraws_a_saved_run_without_solving(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "run"
    shutil.copytree(RUNS / "one-at-a-time", folder)
    no_solving(monkeypatch)
    code, out, err = run(capsys, "plot", folder, "--format", "svg")
    assert code == 0, err
    figures = folder / "figures"
    assert out.split() == [str(figures / "tornado.svg"), str(figures / "outcome-strips.svg")]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d, "not a sweep run folder (no manifest.json)"),
        (lambda d: d / "nowhere", "not a folder (expected a sweep run folder)"),
        (
            lambda d: (d / "m.json").parent if (d / "manifest.json").write_text("{oops") else d,
            "cannot read the manifest",
        ),
    ],
)
def test_plot_refuses_folders_that_are_not_runs(capsys, tmp_path, make, message):
    folder = make(tmp_path)
    code, out, err = run(capsys, "plot", folder)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_plot_refuses_an_interrupted_run(capsys, tmp_path, monkeypatch):
    real = engine.solve_chunk

    def interrupted_on_the_second_chunk(task):
        if task.start >= 256:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(engine, "solve_chunk", interrupted_on_the_second_chunk)
    code, _out, _err = run(
        capsys, "sweep", "s400-2025-limited-use", "--param", "sanction_cost=0:10:600", "--runs-dir", tmp_path
    )
    assert code == 130
    (folder,) = tmp_path.iterdir()
    code, out, err = run(capsys, "plot", folder)
    assert code == 2 and out == ""
    assert err.strip() == (
        f"{folder / 'manifest.json'}: the sweep was interrupted, so its tables hold "
        "only part of the points; figures are drawn from complete runs only: run the "
        "sweep again"
    )
    assert list((folder / "figures").iterdir()) == []


def test_plot_refuses_unknown_formats_before_drawing(capsys, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(RUNS / "grid-2d", folder)
    code, out, err = run(capsys, "plot", folder, "--format", "png,tiff")
    assert code == 2
    assert err.strip() == "--format: unknown figure format 'tiff' (expected one of: 'png', 'svg', 'pdf')"
    assert not (folder / "figures").exists() or list((folder / "figures").iterdir()) == []


@pytest.mark.slow
def test_matrix_writes_the_figure(capsys, tmp_path):
    out_file = tmp_path / "matrix.svg"
    code, out, err = run(
        capsys, "matrix", "s400-2018-buy-but-never-use", "--set", "sanction_cost=9", "-o", out_file
    )
    assert code == 0, err
    assert out.strip() == str(out_file)
    svg = out_file.read_text()
    assert "Buy and store unused" in svg and "United States (columns)" in svg
    # at sanction cost 9 Turkey accepts storage (payoffs -2.5 and -1 in the equilibrium)
    assert ">-2.5<" in svg


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "{tmp}/m.gif"], "--output: unknown figure format 'gif'"),
        (["-o", "{tmp}/m"], "--output: expected a file name ending in .png, .svg or .pdf"),
        (["-o", "{tmp}/no/m.png"], "the folder does not exist"),
        (["-o", "{tmp}/m.png", "--set", "sanction_cots=3"], "unknown parameter 'sanction_cots'"),
        (["-o", "{tmp}/m.png", "--method", "magic"], "unknown method 'magic'"),
    ],
)
def test_matrix_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    code, out, err = run(capsys, "matrix", "s400-2025-limited-use", *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_matrix_does_not_replace_a_file_without_force(capsys, tmp_path):
    target = tmp_path / "m.png"
    target.write_bytes(b"mine")
    code, _out, err = run(capsys, "matrix", "s400-2025-limited-use", "-o", target)
    assert code == 2 and "pass --force to replace it" in err
    assert target.read_bytes() == b"mine"
    code, _out, err = run(capsys, "matrix", "s400-2025-limited-use", "-o", target, "--force")
    assert code == 0, err
    assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_plot_compares_runs_of_one_parameter(capsys, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(RUNS / "grid-1d", first)
    shutil.copytree(RUNS / "grid-1d", second)
    target = tmp_path / "both.svg"
    code, out, err = run(
        capsys,
        "plot",
        first,
        second,
        "--format",
        "png",
        "--compare",
        target,
        "--label",
        "as it is",
        "--label",
        "the same again",
    )
    assert code == 0, err
    assert out.split()[-1] == str(target)
    assert "the same again" in target.read_text()
    code, out, err = run(capsys, "plot", first, RUNS / "grid-2d", "--compare", tmp_path / "no.png")
    assert code == 2 and "a comparison needs sweeps of one grid parameter" in err
    code, out, err = run(
        capsys, "plot", first, "--compare", tmp_path / "no.png", "--label", "x", "--label", "y"
    )
    assert code == 2 and err.strip() == "--label: 2 labels for 1 run folders"
    assert not (tmp_path / "no.png").exists()
