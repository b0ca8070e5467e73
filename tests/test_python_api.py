"""The Python API of a notebook user: one door to load, sweeps in memory, JSON and HTML views."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.cli import main
from negsim.compile.source import Source, load_source
from negsim.errors import DegenerateGameWarning, InputError
from negsim.game import Game
from negsim.plot import plot_run
from negsim.scenario import load_scenario, resolve_scenario
from negsim.solve import solve
from negsim.sweep import SweepSpec, run_sweep

DATA = Path(__file__).parent / "data"
SCENARIO = "s400-2025-limited-use"
FILE = Path(__file__).resolve().parent.parent / "scenarios" / "s400" / "2025-limited-use.yaml"


# -- one door ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(SCENARIO, id="built-in-id"),
        pytest.param(str(FILE), id="path-text"),
        pytest.param(FILE, id="path"),
        pytest.param(resolve_scenario(SCENARIO), id="scenario"),
        pytest.param(load_source(SCENARIO), id="source"),
    ],
)
def test_load_takes_every_kind_of_source(given):
    source = negsim.load(given)
    assert isinstance(source, Source)
    assert source.game.id == SCENARIO
    assert np.array_equal(source.at().payoffs, load_source(SCENARIO).at().payoffs)


def test_load_reads_gambit_files():
    assert negsim.load(DATA / "nfg" / "2x2x2.nfg").at().shape == (2, 2, 2)
    efg = next((DATA / "efg").glob("*.efg"))
    assert negsim.load(efg).tree is not None


def test_load_refuses_what_it_cannot_read():
    with pytest.raises(InputError, match="did you mean 's400-2025-limited-use'"):
        negsim.load("s400-2025-limited-us")
    with pytest.raises(InputError, match="expected a scenario id, a file path"):
        negsim.load(42)


def test_load_scenario_reads_files_and_names_the_door_for_ids():
    assert load_scenario(FILE).id == SCENARIO
    with pytest.raises(InputError, match=r"id of a built-in scenario: negsim\.load"):
        load_scenario(SCENARIO)


@pytest.mark.slow
def test_import_negsim_stays_light():
    code = (
        "import sys, negsim; print(sorted(m for m in ('negsim.api', 'matplotlib', 'scipy', "
        "'negsim.sweep') if m in sys.modules)); print(callable(negsim.load), "
        "'sweep_over' in dir(negsim))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True True"]


# -- sweeps in memory ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def swept():
    return negsim.sweep_over(SCENARIO, {"sanction_cost": np.linspace(0, 10, 101)})


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The same sweep through the folder path (``negsim sweep``)."""
    spec = SweepSpec.from_ranges(SCENARIO, {"sanction_cost": np.linspace(0, 10, 101)})
    return run_sweep(spec, runs_dir=tmp_path_factory.mktemp("runs"))


@pytest.mark.slow
def test_in_memory_sweep_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = negsim.sweep_over(SCENARIO, {"sanction_cost": [0, 5, 10]})
    assert result.n_points == 3 and result.folder is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_table_tipping_points_and_points_are_the_run_folders(swept, folder):
    pd = pytest.importorskip("pandas")
    frame = swept.to_pandas()
    assert list(frame.columns) == folder.file("results_csv").read_text().splitlines()[0].split(",")
    pd.testing.assert_frame_equal(frame, folder.dataframe(), check_exact=False, rtol=1e-12)
    assert swept.tipping_points == folder.tipping_points
    assert [t["value"] for t in swept.tipping_points] == [1.5, 3.0, 5.0, 7.0]
    assert swept.sentences == [t["sentence"] for t in folder.tipping_points]
    assert swept.outcomes == folder.outcomes
    points = swept.to_pandas("points")
    assert list(points.columns) == folder.file("points_csv").read_text().splitlines()[0].split(",")
    assert np.allclose(points["sanction_cost"], np.linspace(0, 10, 101))
    assert np.array_equal(swept.points["point"], np.arange(101))


@pytest.mark.slow
def test_save_writes_what_run_sweep_writes(swept, folder, tmp_path):
    saved = swept.save(tmp_path / "runs")
    assert saved.complete and saved.folder.parent == tmp_path / "runs"
    assert sorted(p.name for p in saved.folder.iterdir()) == sorted(p.name for p in folder.folder.iterdir())
    for key in ("results_csv", "points_csv", "tipping_points"):
        assert saved.file(key).read_bytes() == folder.file(key).read_bytes(), key
    volatile = {"timings", "started", "finished", "command", "scenario"}
    assert {k: v for k, v in saved.manifest.items() if k not in volatile} == {
        k: v for k, v in folder.manifest.items() if k not in volatile
    }
    assert plot_run(saved.folder, formats=["png"])


@pytest.mark.slow
def test_runs_dir_saves_as_it_goes(tmp_path):
    result = negsim.sweep_over(negsim.load(SCENARIO), {"sanction_cost": "0:10:11"}, runs_dir=tmp_path)
    assert result.folder is not None and result.folder.parent == tmp_path
    assert (result.folder / "results.csv").is_file()
    assert json.loads((result.folder / "manifest.json").read_text())["status"] == "complete"


@pytest.mark.slow
def test_other_kinds_of_sweep(tmp_path):
    mc = negsim.sweep_over(SCENARIO, monte_carlo=200, draws={"sanction_cost": None}, seed=3)
    again = negsim.sweep_over(SCENARIO, monte_carlo=200, draws={"sanction_cost": None}, seed=3)
    assert mc.kind == "monte_carlo" and mc.tipping_points == []
    assert np.array_equal(mc.points["sanction_cost"], again.points["sanction_cost"])
    oat = negsim.sweep_over(SCENARIO, one_at_a_time=["sanction_cost", "security"], count=11)
    assert [r["parameter"] for r in oat.sensitivity][:1] == ["sanction_cost"]
    assert set(oat.figures()) == {"tornado", "outcome-strips"}


@pytest.mark.slow
def test_figures_are_those_of_the_run_folder(swept, folder):
    from negsim.plot import draw_run, load_run

    drawn = swept.figures()
    from_folder = draw_run(load_run(folder.folder))
    assert list(drawn) == list(from_folder) == ["equilibria", "payoffs", "mixed-strategies"]
    for name in drawn:
        ours, theirs = drawn[name].axes[0], from_folder[name].axes[0]
        assert [t.get_text() for t in ours.get_yticklabels()] == [
            t.get_text() for t in theirs.get_yticklabels()
        ]
        assert [p.get_facecolor() for p in ours.patches] == [p.get_facecolor() for p in theirs.patches]
    shown = drawn._repr_html_()
    assert shown.count("data:image/png;base64,") == 3


@pytest.mark.slow
def test_tree_sweep_with_credibility_draws_its_figures():
    result = negsim.sweep_over(
        "s400-2019-activation-then-sanctions",
        {"sanction_cost": "0:10:11"},
        credibility=["sanction after full"],
    )
    assert result.credibility is not None and result.credibility["responses"]
    assert set(result.figures()) >= {"equilibria", "moves", "credibility"}


@pytest.mark.parametrize(
    "grid, message",
    [
        ({"sanction_cost": 5}, "grid.sanction_cost: expected values"),
        ({"sanction_cost": [[1, 2], [3, 4]]}, "1-D array"),
        ({"sanction_cots": [1, 2]}, "did you mean 'sanction_cost'"),
        ({"sanction_cost": "0:10"}, "start:stop:count"),
    ],
    ids=["scalar", "two-dimensional", "unknown-parameter", "bad-range-text"],
)
def test_bad_grids_are_input_errors(grid, message):
    with pytest.raises(InputError, match=message):
        negsim.sweep_over(SCENARIO, grid)


def test_without_pandas_the_message_names_the_extra(swept, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(InputError, match=re.escape("pip install 'negsim[parquet]'")):
        swept.to_pandas()


# -- JSON and what a notebook shows ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [[SCENARIO], [SCENARIO, "--exact"], [str(DATA / "nfg" / "2x2x2.nfg")]],
    ids=["scenario", "exact", "three-players"],
)
def test_to_dict_is_the_json_contract(args, capsys):
    assert main(["solve", *args, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    source = load_source(args[0])
    solution = solve(source.at(), exact="--exact" in args)
    assert json.loads(json.dumps(solution.to_dict())) == printed


@pytest.mark.slow
@pytest.mark.parametrize(
    "scenario", ["s400-2019-activation-then-sanctions", "s400-2019-us-resolve-uncertain"]
)
def test_a_trees_analysis_gives_the_json_of_solve(scenario, capsys):
    assert main(["solve", scenario, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    analysis = negsim.load(scenario).solve()
    assert json.loads(json.dumps(analysis.to_dict())) == printed
    assert "subgame-perfect equilibri" in repr(analysis)


def test_reprs_are_readable():
    solution = load_source(SCENARIO).solve()
    text = repr(solution)
    assert "1 equilibrium" in text
    assert "Turkey: Limited activation; United States: Keep current sanctions" in text
    assert repr(solution.equilibria[0]).startswith("Equilibrium(pure: strategies [0, 0, 1, 0, 0; 0, 1, 0, 0]")
    assert repr(solution.game) == "<Game 's400-2025-limited-use': 5 x 4, players turkey (5), us (4)>"


def test_game_html_marks_the_best_responses():
    game = load_source(SCENARIO).at()
    page = game._repr_html_()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert len(cells) == game.n_profiles
    best = game.best_responses()
    for flat, cell in enumerate(cells):
        profile = np.unravel_index(flat, game.shape)
        values = re.findall(r"(<b><u>)?(-?[\d.]+)(?:</u></b>)?", cell)
        assert [bool(b) for b, _ in values] == [bool(best[(i, *profile)]) for i in range(2)]
        assert [float(v) for _, v in values] == pytest.approx([game.payoffs[(i, *profile)] for i in range(2)])
    shaded = [k for k, c in enumerate(re.findall(r"<td([^>]*)>", page)) if "background" in c]
    pure = [e.pure_profile() for e in solve(game).equilibria if e.pure_profile() is not None]
    assert shaded == [int(np.ravel_multi_index(p, game.shape)) for p in pure]
    for name in (*game.strategy_names[0], *game.strategy_names[1]):
        assert html.escape(name) in page


def test_html_of_three_players_and_of_names_that_need_escaping():
    three = load_source(str(DATA / "nfg" / "2x2x2.nfg")).at()
    assert three._repr_html_().count("<tr>") == 1 + three.n_profiles
    game = Game.from_matrices(
        [[1, 0], [0, 1]], [[1, 0], [0, 1]], players=("a", "b"), strategies=(("x", "y"), ("x", "y"))
    )
    game = game.replace(player_names=("<A>", "B & co"))
    page = game._repr_html_()
    assert "&lt;A&gt;" in page and "B &amp; co" in page and "<A>" not in page


def test_solution_html_lists_equilibria_regret_and_degeneracy():
    with pytest.warns(DegenerateGameWarning):
        degenerate = solve(Game.from_matrices([[1, 1], [1, 1]], [[1, 1], [1, 1]]))
    page = degenerate._repr_html_()
    assert degenerate.degenerate and "degenerate" in page
    assert page.count("<tr>") == 1 + len(degenerate.equilibria)
    mixed = solve(Game.from_matrices([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), exact=True)
    page = mixed._repr_html_()
    assert "mixed" in page and "1/2" in page and "<th>regret</th>" in page
