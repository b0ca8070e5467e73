"""Stability sweeps of option-form conflicts: the table against the witness engine, tipping
points where a state stops being stable (and for whom), the spec key, the executors, the run
folder read back and its figures."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from negsim.cli import main
from negsim.compile.source import load_source
from negsim.conflict.stability import analyze
from negsim.errors import InputError
from negsim.plot import load_run, plot_run
from negsim.sweep import SweepSpec, parse_sweep_spec, read_run, run_sweep

SCENARIO = "s400-options-2025-parametric"
#: keep + limited + incentives (bits 1, 2 and 16)
LIMITED_INCENTIVES = 19


@pytest.fixture(scope="module")
def incentive_cost_run(tmp_path_factory):
    spec = SweepSpec.from_ranges(SCENARIO, {"incentive_cost": "0:10:21"})
    return run_sweep(spec, runs_dir=tmp_path_factory.mktemp("runs"))


def test_each_point_lists_the_states_the_witness_engine_finds_stable(incentive_cost_run):
    result = incentive_cost_run
    assert result.complete and result.manifest["analysis"] == "stability"
    assert result.manifest["stability"]["concept"] == "SEQ"
    rows = list(result.rows())
    parametric = load_source(SCENARIO).conflict
    by_point: dict[int, list[dict]] = {}
    for row in rows:
        by_point.setdefault(row["point"], []).append(row)
    assert len(by_point) == 21
    for k in (0, 4, 10, 20):  # the witness engine (one state at a time) at a few points
        cost = by_point[k][0]["incentive_cost"]
        a = analyze(parametric.conflict({"incentive_cost": cost}))
        assert [r["state"] for r in by_point[k]] == list(a.equilibria("SEQ")), cost
        for r in by_point[k]:
            assert r["kind"] == "stable" and r["n_equilibria"] == len(by_point[k])
            for concept in ("R", "GMR", "SMR", "SEQ", "SIM"):
                assert r[f"stable.{concept}"] == (r["state"] in a.equilibria(concept))
            assert r["set.SEQ"] == r["equilibrium_set"]
        first = by_point[k][0]
        assert first["yn"] == a.conflict.yn(first["state"])
        assert math.isclose(first["payoff.turkey"], a.conflict.payoff("turkey", first["state"]))
        played = [s for s in ("none", "keep", "keep&limited", "keep&full") if first[f"p.turkey.{s}"] == 1.0]
        assert len(played) == 1


def test_limited_activation_with_incentives_stops_being_stable_at_incentive_cost_4(incentive_cost_run):
    # By hand (tests/test_conflict_s400.py): with the other parameters at their defaults the
    # state is SEQ stable for the US while incentive_cost <= radar_risk * (1 - limited_risk) = 4.
    tipping = [t for t in incentive_cost_run.tipping_points if LIMITED_INCENTIVES in t["states_disappeared"]]
    (t,) = tipping
    assert t["parameter"] == "incentive_cost" and t["value"] == 4.0 and t["refined"]
    assert t["low"] <= 4.0 < t["high"] and t["high"] - t["low"] <= 1e-5
    assert t["no_longer_stable_for"] == {str(LIMITED_INCENTIVES): ["us"]}
    assert t["sentence"] == (
        "State keep&limited / incentives (Turkey: Keep the S-400s, Limited activation; United States: "
        "Incentives) stops being sequentially stable when incentive_cost rises past 4 (no longer stable "
        "for United States)."
    )
    started = [t for t in incentive_cost_run.tipping_points if LIMITED_INCENTIVES in t["states_appeared"]]
    assert [t["value"] for t in started] == [0.0] and started[0]["newly_stable_for"]["19"] == ["turkey"]


def test_the_spec_key_chooses_the_concept(tmp_path):
    data = {
        "negsim_sweep": 1,
        "id": "nash-stability",
        "scenario": SCENARIO,
        "stability": "R",
        "grid": {"security": {"values": [1.0, 3.0, 9.0]}},
    }
    result = run_sweep(parse_sweep_spec(data), runs_dir=tmp_path)
    assert result.manifest["stability"]["concept"] == "R"
    rows = list(result.rows())
    assert {r["outcome"] for r in rows} == {"keep&full / none"}
    assert all(r["stable.R"] for r in rows)


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        pytest.param({"stability": "SEQQ"}, "stability", "did you mean 'SEQ'", id="unknown-concept"),
        pytest.param(
            {"stability": "SEQ", "scenario": "prisoners-dilemma", "grid": {}},
            "stability",
            "need a conflict in option form",
            id="not-option-form",
        ),
        pytest.param(
            {"stability": "SEQ", "equilibrium": "nash"}, "stability", "not both", id="with-equilibrium"
        ),
        pytest.param({"method": "vertex"}, "method", "add equilibrium: nash", id="method"),
    ],
)
def test_spec_problems(tmp_path, changes, path, fragment):
    data = {
        "negsim_sweep": 1,
        "id": "bad",
        "scenario": SCENARIO,
        "grid": {"security": {"values": [1.0, 2.0]}},
        **changes,
    }
    if changes.get("grid") == {}:
        data.pop("grid")
        data["monte_carlo"] = {"draws": 2}
    with pytest.raises(InputError) as error:
        run_sweep(parse_sweep_spec(data), runs_dir=tmp_path)
    assert any(p.path == path and fragment in p.message for p in error.value.problems), error.value.problems
    assert list(tmp_path.iterdir()) == []


def test_equilibrium_nash_sweeps_the_normal_form(tmp_path):
    spec = SweepSpec.from_ranges(SCENARIO, {"security": "1,9"}, equilibrium="nash")
    result = run_sweep(spec, runs_dir=tmp_path)
    assert result.manifest["equilibrium"] == "nash" and "analysis" not in result.manifest
    assert {r["kind"] for r in result.rows()} <= {"pure", "mixed"}


def test_processes_write_the_same_files_as_one_process(tmp_path):
    spec = SweepSpec.from_ranges(SCENARIO, {"incentive_cost": "0:10:9", "security": "0:10:5"})
    one = run_sweep(spec, runs_dir=tmp_path / "one", chunk_size=8)
    two = run_sweep(spec, runs_dir=tmp_path / "two", chunk_size=8, workers=2)
    for name in ("results.csv", "points.csv", "tipping_points.json"):
        assert (one.folder / name).read_bytes() == (two.folder / name).read_bytes(), name


def test_monte_carlo_and_one_at_a_time(tmp_path):
    mc = run_sweep(SweepSpec.from_ranges(SCENARIO, monte_carlo=200, seed=7), runs_dir=tmp_path)
    assert mc.n_points == 200 and sum(o["points"] for o in mc.outcomes) == 200
    oat = run_sweep(
        SweepSpec.from_ranges(SCENARIO, one_at_a_time=["incentive_cost", "security"], count=11),
        runs_dir=tmp_path,
    )
    ranked = {r["parameter"]: r for r in oat.sensitivity}
    assert ranked["incentive_cost"]["outcome_changes"] >= 4
    figures = plot_run(oat.folder, ["png"])
    assert {p.stem for p in figures} == {"tornado", "outcome-strips"}


def test_two_parameter_figures(tmp_path):
    spec = SweepSpec.from_ranges(SCENARIO, {"security": "0:10:11", "incentive_value": "0:10:11"})
    result = run_sweep(spec, runs_dir=tmp_path)
    written = plot_run(result.folder, ["png", "svg"])
    assert {p.name for p in written} >= {"regions.png", "state-regions.png", "state-regions.svg"}
    assert all(p.stat().st_size > 5_000 for p in written)
    data = load_run(result.folder)
    from negsim.plot.stability import changing_states, draw_state_regions

    changing = dict(changing_states(data))
    # limited activation with incentives is stable where security * 0.4 <= incentive_value
    grid = [(s, v) for s in range(11) for v in range(11)]
    expected = sum(1 for s, v in grid if 0 < 0.4 * s <= v + 1e-9) / len(grid)
    assert math.isclose(changing[LIMITED_INCENTIVES], expected)
    figure = draw_state_regions(data, "security", "incentive_value", states=[LIMITED_INCENTIVES])
    assert len([ax for ax in figure.axes if ax.get_visible()]) == 1


def test_the_command_line(capsys, tmp_path):
    code = main(
        [
            "sweep",
            SCENARIO,
            "--param",
            "incentive_cost=0:10:11",
            "--stability",
            "SEQ",
            "--runs-dir",
            str(tmp_path),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "SEQ equilibria, the states stable for all (share of points):" in out
    assert "stops being sequentially stable when incentive_cost rises past 4" in " ".join(out.split())
    folder = next(tmp_path.iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "--stability SEQ" in manifest["command"] or manifest["spec"]["stability"] == "SEQ"
    code = main(
        [
            "sweep",
            SCENARIO,
            "--param",
            "incentive_cost=0:1:2",
            "--stability",
            "SEQQ",
            "--runs-dir",
            str(tmp_path / "bad"),
        ]
    )
    assert code == 2 and "--stability:" in capsys.readouterr().err
    frame = read_run(folder).dataframe()
    assert frame["yn"].dtype.name == "string" and np.issubdtype(frame["state"].dtype, np.number)
