"""Sweeps of learning dynamics: each row is what the dynamics API gives at that point, tipping
points sit where the followed dynamic changes its destination, basins use the same starts at
every point, specs are checked, executors agree, and figures are drawn from the run folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from negsim.cli import main
from negsim.compile.source import load_source
from negsim.dynamics import basins, equilibria_of, learning_overview
from negsim.errors import InputError
from negsim.plot import draw_run, load_run
from negsim.sweep import load_sweep_spec, parse_sweep_spec, read_run, run_sweep
from negsim.sweep.dynamics import RESULTS

#: Every test here shares fixtures that take seconds to build.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::UserWarning")]


S400 = "s400-2025-limited-use"


def spec_of(dynamics, grid=None, **more):
    return parse_sweep_spec(
        {
            "negsim_sweep": 1,
            "id": "dynamics",
            "scenario": S400,
            "grid": grid or {"sanction_cost": {"start": 4, "stop": 7, "count": 4}},
            "dynamics": dynamics,
            **more,
        }
    )


@pytest.fixture(scope="module")
def replicator_run(tmp_path_factory):
    return run_sweep(
        spec_of({"follow": "replicator", "basins": {"samples": 40, "seed": 3}}),
        runs_dir=tmp_path_factory.mktemp("runs"),
    )


def test_every_row_is_what_the_dynamics_give_at_that_point(replicator_run):
    rows = list(replicator_run.rows())
    assert [r["sanction_cost"] for r in rows] == [4.0, 5.0, 6.0, 7.0]
    source = load_source(S400)
    for row in rows[::2]:  # 4 and 6: one equilibrium, then two
        game = source.at({"sanction_cost": row["sanction_cost"]})
        solution = equilibria_of(game)
        overview = learning_overview(game, solution=solution)
        for column, (dynamic, start) in RESULTS.items():
            assert row[column] == overview.result(dynamic, start).reached_label, column
        assert row["nash"] == " | ".join(e.label(game) for e in solution.equilibria)
        shares = basins(game, samples=40, seed=3, solution=solution).shares()
        assert {k.removeprefix("basin."): v for k, v in row.items() if k.startswith("basin.") and v} == shares
        assert row["equilibrium_set"] == row["outcome"] == row["replicator.uniform"]
    at4, at6 = rows[0], rows[2]
    assert at4["equilibrium_set"] == "limited / keep" and at4["p.turkey.limited"] == 1.0
    assert at6["equilibrium_set"] == "store / incentives" and at6["payoff.us"] == pytest.approx(2.0)
    # best responses from the status quo keep to the stand-off where the replicator finds the deal
    assert at6["best_response.status_quo"] == "limited / keep"


def test_the_tipping_point_is_where_the_replicator_changes_its_destination(replicator_run):
    (tip,) = [t for t in replicator_run.tipping_points if t["kind"] == "change"]
    assert tip["from"] == "limited / keep" and tip["to"] == "store / incentives"
    assert abs(tip["value"] - 5.0) <= 0.01 and tip["tolerance"] == pytest.approx(0.01)
    assert tip["sentence"] == (
        "From uniform play, the replicator dynamic reaches store / incentives instead "
        "of limited / keep when sanction_cost rises past 5."
    )
    manifest = replicator_run.manifest
    assert manifest["analysis"] == "dynamics" and manifest["tipping_tolerance"] == 1e-3
    assert manifest["dynamics"]["settings"]["basins"] == {"samples": 40, "seed": 3, "dynamics": "replicator"}


def test_following_the_qre_and_basins(tmp_path):
    qre = run_sweep(
        spec_of({"follow": "qre"}, grid={"sanction_cost": {"start": 2, "stop": 6, "count": 3}}),
        runs_dir=tmp_path,
    )
    changes = [
        (t["from"], t["to"], round(t["value"], 2)) for t in qre.tipping_points if t["kind"] == "change"
    ]
    assert changes == [
        ("limited+full / tighten+keep", "limited / keep", 3.0),
        ("limited / keep", "store / incentives", 5.0),
    ]
    assert qre.tipping_points[0]["sentence"].startswith("As rationality grows, the logit QRE approaches")
    shares = run_sweep(
        spec_of(
            {"follow": "basins", "basins": {"samples": 30}},
            grid={"sanction_cost": {"start": 4, "stop": 6, "count": 2}},
        ),
        runs_dir=tmp_path,
    )
    assert [r["equilibrium_set"] for r in shares.rows()] == [
        "limited / keep",
        "limited / keep | store / incentives",
    ]
    (tip,) = shares.tipping_points
    assert tip["appeared"] == ["store / incentives"] and "gains a basin" in tip["sentence"]


def test_processes_give_the_same_files(replicator_run, tmp_path):
    spec = spec_of({"follow": "replicator", "basins": {"samples": 40, "seed": 3}})
    parallel = run_sweep(spec, runs_dir=tmp_path, workers=2, chunk_size=2)
    for name in ("results.csv", "points.csv", "tipping_points.json"):
        assert (parallel.folder / name).read_bytes() == (replicator_run.folder / name).read_bytes()


# -- specs --------------------------------------------------------------------------------------------------


def test_a_spec_file_with_dynamics_loads_and_bad_ones_say_where(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(
        yaml.safe_dump(
            {
                "negsim_sweep": 1,
                "id": "d",
                "scenario": S400,
                "grid": {"sanction_cost": {"start": 4, "stop": 6, "count": 3}},
                "dynamics": {"follow": "fictitious-play", "start": "status-quo"},
            }
        )
    )
    spec = load_sweep_spec(good)
    assert spec.dynamics.follow == "fictitious-play" and spec.dynamics.steps == 2000
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "negsim_sweep: 1\nid: d\nscenario: s400-2025-limited-use\n"
        "grid: {sanction_cost: {start: 4, stop: 6, count: 3}}\n"
        "dynamics:\n  follow: replicatr\n  horizon: -1\n"
    )
    with pytest.raises(InputError) as caught:
        load_sweep_spec(bad)
    texts = [str(p) for p in caught.value.problems]
    assert any(":6:" in t and "dynamics.follow" in t and "replicator" in t for t in texts), texts
    assert any(":7:" in t and "dynamics.horizon" in t for t in texts), texts


@pytest.mark.parametrize(
    ("scenario", "dynamics", "more", "message"),
    [
        pytest.param(S400, {"follow": "basins"}, {}, "follow: basins needs basins", id="basins"),
        pytest.param(S400, {"follow": "qre"}, {"equilibrium": "nash"}, "give dynamics", id="equilibrium"),
        pytest.param("stag-hunt", {"follow": "best-response"}, {}, "this scenario has none", id="status-quo"),
    ],
)
def test_specs_that_do_not_fit_the_scenario(scenario, dynamics, more, message, tmp_path):
    data = {"negsim_sweep": 1, "id": "d", "scenario": scenario, "dynamics": dynamics, **more}
    data["grid"] = (
        {"sanction_cost": {"start": 4, "stop": 6, "count": 3}}
        if scenario == S400
        else {"x": {"start": 0, "stop": 1, "count": 2}}
    )
    with pytest.raises(InputError) as caught:
        run_sweep(parse_sweep_spec(data), runs_dir=tmp_path / "runs")
    assert any(message in p.message for p in caught.value.problems)
    assert not (tmp_path / "runs").exists()


def test_the_command_line_sweeps_dynamics(tmp_path, capsys):
    code = main(
        ["sweep", S400, "--param", "sanction_cost=4:6:3", "--dynamics", "qre", "--runs-dir", str(tmp_path)]
    )
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "As rationality grows, the logit QRE reaches (share of points):" in out
    assert "approaches store / incentives instead of limited / keep when sanction_cost rises past 5." in out
    (folder,) = tmp_path.iterdir()
    assert (
        read_run(folder)
        .manifest["command"]
        .endswith(f"--dynamics qre --param sanction_cost=4:6:3 --runs-dir {tmp_path}")
    )
    code = main(["sweep", S400, "--param", "sanction_cost=4:6:3", "--dynamics", "replicatr"])
    assert code == 2 and "--dynamics: expected one of" in capsys.readouterr().err


def test_a_nash_sweep_records_no_dynamics(tmp_path):
    result = run_sweep(
        parse_sweep_spec(
            {
                "negsim_sweep": 1,
                "id": "n",
                "scenario": S400,
                "grid": {"sanction_cost": {"start": 4, "stop": 6, "count": 3}},
                "formats": ["csv", "json"],
            }
        ),
        runs_dir=tmp_path,
    )
    assert "analysis" not in result.manifest and "dynamics" not in result.manifest["spec"]
    assert result.manifest["tipping_tolerance"] == 1e-6
    assert "replicator.uniform" not in json.loads((result.folder / "results.json").read_text())[0]


# -- figures ------------------------------------------------------------------------------------------------


def test_figures_of_a_dynamics_run(replicator_run):
    figures = draw_run(load_run(replicator_run.folder))
    assert {"equilibria", "payoffs", "dynamics", "basins"} <= set(figures)
    strips = figures["dynamics"].axes[0]
    assert len(strips.get_yticklabels()) == 5
    assert sum(isinstance(p, Rectangle) and p.get_width() > 0 for p in strips.patches) >= 5 * 4
    stacked = figures["basins"].axes[0]
    assert any(isinstance(c, PolyCollection) for c in stacked.collections)
    legend = [t.get_text() for t in figures["basins"].legends[0].get_texts()]
    assert any("Limited activation" in t for t in legend) and any("Keep stored" in t for t in legend)
    labels = np.array(load_run(replicator_run.folder).columns["replicator.uniform"]).tolist()
    assert labels[0] == "limited / keep"


def test_negsim_plot_writes_them(replicator_run, tmp_path, capsys):
    code = main(["plot", str(replicator_run.folder), "--format", "png"])
    written = capsys.readouterr().out.split()
    assert code == 0 and {Path(w).name for w in written} >= {"dynamics.png", "basins.png", "equilibria.png"}
    assert all(Path(w).stat().st_size > 10_000 for w in written)
