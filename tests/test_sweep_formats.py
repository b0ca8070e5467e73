"""The results table's formats (``negsim sweep --formats``, ``run_sweep(formats=...)``, the
spec's ``formats``): what each writes, the defaults, readers on whatever was written, and bad
values refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import negsim.sweep.runfolder as runfolder
from negsim.cli import main
from negsim.errors import InputError
from negsim.plot import load_run
from negsim.sweep import parse_sweep_spec, read_run, run_sweep
from negsim.sweep.runfolder import table_formats

pytest.importorskip("pyarrow")
pytest.importorskip("pandas")

THRESHOLD = str(Path(__file__).parent / "data" / "sweeps" / "threshold.yaml")
TABLES = {"results.csv", "results.json", "results.jsonl", "results.parquet"}


def spec(**extra):
    return parse_sweep_spec(
        {
            "negsim_sweep": 1,
            "id": "formats",
            "scenario": THRESHOLD,
            "grid": {"sanction_cost": {"start": 0, "stop": 10, "count": 6}, "security": {"values": [1, 8]}},
            **extra,
        }
    )


def tables(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} & TABLES


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return run_sweep(
        spec(), runs_dir=tmp_path_factory.mktemp("reference"), formats=["csv", "json", "parquet"]
    )


@pytest.mark.parametrize(
    "formats, written",
    [
        pytest.param(["csv"], {"results.csv"}, id="csv"),
        pytest.param(["parquet"], {"results.parquet"}, id="parquet"),
        pytest.param(["json"], {"results.json"}, id="json"),
        pytest.param(["jsonl", "parquet"], {"results.jsonl", "results.parquet"}, id="jsonl+parquet"),
    ],
)
def test_each_choice_writes_those_tables_and_the_rows_read_back_the_same(
    tmp_path, reference, formats, written
):
    result = run_sweep(spec(), runs_dir=tmp_path, formats=formats)
    assert tables(result.folder) == written
    assert (result.folder / "points.csv").is_file()
    assert result.manifest["formats"] == [f for f in runfolder.FORMATS if f in formats]
    rows = list(reference.rows())
    if "csv" in formats or "parquet" in formats:
        assert list(result.rows()) == rows
    if "jsonl" in formats:
        lines = (result.folder / "results.jsonl").read_text().splitlines()
        assert [json.loads(line) for line in lines] == rows
    if "json" in formats:
        assert json.loads((result.folder / "results.json").read_text()) == rows


def test_a_parquet_only_folder_gives_the_same_dataframe_and_figures(tmp_path, reference):
    result = run_sweep(spec(), runs_dir=tmp_path, formats=["parquet"])
    frame, expected = result.dataframe(), reference.dataframe()
    assert list(frame.columns) == list(expected.columns)
    assert frame["outcome"].tolist() == expected["outcome"].tolist()
    assert frame["p.turkey.full"].fillna(-1).tolist() == expected["p.turkey.full"].fillna(-1).tolist()
    data, csv_data = load_run(result.folder), load_run(reference.folder)
    assert data.players == csv_data.players and data.strategies == csv_data.strategies
    assert data.columns["outcome"].tolist() == csv_data.columns["outcome"].tolist()
    assert data.columns["degenerate"].tolist() == csv_data.columns["degenerate"].tolist()
    code = main(["plot", str(result.folder), "--format", "png"])
    assert code == 0
    assert all(p.stat().st_size > 0 for p in (result.folder / "figures").glob("*.png"))
    assert any((result.folder / "figures").glob("*.png"))


def test_the_spec_key_and_the_argument(tmp_path):
    from_spec = run_sweep(spec(formats=["jsonl"]), runs_dir=tmp_path / "spec")
    assert tables(from_spec.folder) == {"results.jsonl"}
    # The argument wins over the spec.
    overridden = run_sweep(spec(formats=["jsonl"]), runs_dir=tmp_path / "arg", formats=["csv"])
    assert tables(overridden.folder) == {"results.csv"}


def test_defaults_parquet_beside_csv_then_parquet_alone(tmp_path, monkeypatch):
    small = run_sweep(spec(), runs_dir=tmp_path / "small")
    assert tables(small.folder) == {"results.csv", "results.parquet"}
    monkeypatch.setattr(runfolder, "CSV_DEFAULT_MAX_POINTS", 5)
    large = run_sweep(spec(), runs_dir=tmp_path / "large")
    assert tables(large.folder) == {"results.parquet"}
    assert len(list(large.rows())) == len(list(small.rows()))


def test_without_pyarrow_csv_is_the_default_and_parquet_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(runfolder, "parquet_available", lambda: False)
    assert table_formats(None, 10) == ("csv",)
    assert table_formats(None, 10**7) == ("csv",)
    with pytest.raises(InputError) as caught:
        run_sweep(spec(), runs_dir=tmp_path / "runs", formats=["parquet"])
    assert [p.path for p in caught.value.problems] == ["formats"]
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    "formats, problems",
    [
        pytest.param(["xml"], 1, id="unknown"),
        pytest.param(["csv", "jsn", "xlsx"], 2, id="two-unknown"),
        pytest.param(["json", "jsonl"], 1, id="json-and-jsonl"),
        pytest.param([], 1, id="none"),
    ],
)
def test_bad_formats_are_refused_and_nothing_is_written(tmp_path, formats, problems):
    with pytest.raises(InputError) as caught:
        run_sweep(spec(), runs_dir=tmp_path / "runs", formats=formats)
    assert len(caught.value.problems) == problems
    assert all(p.path == "formats" for p in caught.value.problems)
    assert not (tmp_path / "runs").exists()


def test_a_bad_spec_key_is_an_input_error():
    with pytest.raises(InputError) as caught:
        spec(formats=["csv", "xml"])
    assert caught.value.problems[0].path.startswith("formats")


def test_the_cli_option(capsys, tmp_path):
    code = main(
        [
            "sweep",
            THRESHOLD,
            "--param",
            "sanction_cost=0:10:5",
            "--formats",
            "parquet,jsonl",
            "--runs-dir",
            str(tmp_path),
            "--quiet",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    folder = Path(out.strip())
    assert tables(folder) == {"results.parquet", "results.jsonl"}
    assert "--formats parquet,jsonl" in read_run(folder).manifest["command"]


def test_the_cli_refuses_a_bad_format_with_exit_2(capsys, tmp_path):
    code = main(
        [
            "sweep",
            THRESHOLD,
            "--param",
            "sanction_cost=0:10:5",
            "--formats",
            "csv,xml",
            "--runs-dir",
            str(tmp_path / "runs"),
        ]
    )
    _out, err = capsys.readouterr()
    assert code == 2
    assert "--formats" in err and "xml" in err
    assert not (tmp_path / "runs").exists()
