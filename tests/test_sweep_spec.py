"""Sweep specs: the corpus of broken specs is refused with exact, located messages; good specs
load, also when built from plain data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from negsim.cli import main
from negsim.errors import InputError
from negsim.scenario import yamltree
from negsim.sweep import load_sweep_spec, parse_sweep_spec

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad_sweeps"
CASES = sorted(BAD.glob("*.yaml"))


#: What the YAML parser says about text that is not YAML is its own (libyaml and PyYAML word
#: it differently): an expected line may leave it open with this placeholder.
PARSERS_WORDS = "<the parser's words>"


def expected_lines(path: Path) -> list[str]:
    return [line[len("# expect: "):] for line in path.read_text().splitlines()
            if line.startswith("# expect: ")]


def matches(lines: list[str], expected: list[str]) -> bool:
    return len(lines) == len(expected) and all(
        re.fullmatch(re.escape(want).replace(re.escape(PARSERS_WORDS), ".+"), line)
        for line, want in zip(lines, expected))


def test_the_corpus_states_its_messages():
    assert len(CASES) >= 20
    for path in CASES:
        assert expected_lines(path), f"{path.name} states no expected message"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_bad_spec_is_refused_with_exact_messages_and_nothing_written(path, monkeypatch, capsys,
                                                                     tmp_path):
    monkeypatch.chdir(BAD)
    runs = tmp_path / "runs"
    code = main(["sweep", path.name, "--runs-dir", str(runs)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert matches(err.splitlines(), expected_lines(path)), err
    assert not runs.exists()


@pytest.mark.parametrize("path", [p for p in CASES if p.stem in ("not_yaml", "broken_scenario")],
                         ids=lambda p: p.stem)
def test_the_same_messages_with_the_pure_python_yaml_parser(path, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(yamltree, "_FAST_LOADER", yaml.SafeLoader)
    monkeypatch.chdir(BAD)
    assert main(["sweep", path.name, "--runs-dir", str(tmp_path / "runs")]) == 2
    assert matches(capsys.readouterr().err.splitlines(), expected_lines(path))


def test_a_good_spec_loads_with_its_file_and_scenario_path():
    spec = load_sweep_spec(DATA / "sweeps" / "threshold-sweep.yaml")
    assert spec.kind == "grid"
    assert spec.id == "threshold-cost"
    assert spec.file.endswith("threshold-sweep.yaml")
    assert spec.scenario_source() == str(DATA / "sweeps" / "threshold.yaml")


def test_plain_data_problems_are_named_by_key_path():
    data = {"negsim_sweep": 1, "id": "x", "scenario": "s400-mini",
            "grid": {"sanction_cost": {"start": 0, "stop": 1}}, "monte_carlo": {"draws": 0}}
    with pytest.raises(InputError) as caught:
        parse_sweep_spec(data)
    lines = [str(p) for p in caught.value.problems]
    assert "grid.sanction_cost: give exactly one of count and step" in lines
    assert "monte_carlo.draws: expected a whole number at least 1, got 0" in lines
    assert "monte_carlo: give only one of grid, monte_carlo and one_at_a_time (found grid and " \
           "monte_carlo)" in lines


@pytest.mark.parametrize("axis, message", [
    ({"start": 0, "stop": 1, "count": 3, "values": [1]},
     "give either values or start/stop, not both (found values and start, stop, count)"),
    ({"start": 1, "stop": 1, "count": 3}, "start equals stop; give count: 1 or a wider range"),
    ({"start": 0, "stop": 1, "step": 0}, "step must be above 0"),
    ({"start": 0, "stop": 1, "step": 1e-12}, "step too small: more than 100000000 values"),
    ({"values": [2, 2]}, "values must be in increasing order, each listed once"),
    ({"values": [0, 2], "scale": "log"}, "scale: log needs values above 0"),
    ({"start": 0, "stop": 1, "count": True}, "expected a whole number, got true"),
])
def test_grid_axis_forms_are_checked(axis, message):
    data = {"negsim_sweep": 1, "id": "x", "scenario": "s400-mini", "grid": {"a": axis}}
    with pytest.raises(InputError) as caught:
        parse_sweep_spec(data)
    assert [p.message for p in caught.value.problems] == [message]
