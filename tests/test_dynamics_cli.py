"""negsim dynamics: every subcommand in tables and JSON, the same answers as the Python API,
starts as users write them, clean errors that leave nothing behind, figures, progress."""

from __future__ import annotations

import json
import re
import struct

import numpy as np
import pytest
import typer

from negsim.cli import app, main
from negsim.compile.source import load_source
from negsim.dynamics import (
    basins,
    equilibria_of,
    fictitious_play,
    learning_overview,
    pure_start,
    qre_path,
    replicator,
    rest_points,
    start_profile,
)
from negsim.errors import InputError
from negsim.game import Game

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

S400 = "s400-2025-limited-use"
STAG = "stag-hunt"
SUBCOMMANDS = ("best-response", "fictitious-play", "replicator", "logit", "qre", "basins", "rest-points",
               "portrait", "overview")


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def flat(text: str) -> str:
    return " ".join(text.split())


# -- help -----------------------------------------------------------------------------------------------


def _subcommands() -> dict:
    group = typer.main.get_command(app).commands["dynamics"]
    return dict(group.commands)


def test_every_dynamic_has_a_subcommand():
    assert tuple(_subcommands()) == SUBCOMMANDS


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_subcommand_help_follows_the_command_line_style(name):
    # the rules of tests/test_cli_conventions.py, for the commands of the dynamics group (Typer
    # vendors click: its options are typer.core.TyperOption)
    command = _subcommands()[name]
    options = {o for p in command.params for o in getattr(p, "opts", ())}
    checked = 0
    for param in command.params:
        if not isinstance(param, typer.core.TyperOption):
            continue
        checked += 1
        metavar = "" if param.is_flag else param.metavar
        assert metavar is not None, param.opts  # every option that takes a value names it
        assert "<" not in metavar and "list[" not in metavar, (param.opts, metavar)
        assert metavar == metavar.upper(), (param.opts, metavar)
        if "--set" in param.opts:
            assert metavar == "NAME=VALUE"
        if "-o" in param.opts:
            assert "--output" in param.opts
        if param.show_default and param.default not in (None, False, ()):
            assert "default" not in (param.help or "").lower(), (param.opts, param.help)
    assert {"--set", "--allow-outside-range", "--format"} <= options and checked >= 4


# -- the same answers as the API ------------------------------------------------------------------------


def test_overview_of_the_2025_scenario_where_the_start_decides(capsys):
    code, out, _ = run(capsys, "dynamics", "overview", S400, "--set", "sanction_cost=6")
    assert code == 0
    text = flat(out)
    assert "at sanction_cost = 6" in text
    assert "│ best responses │ status quo │ limited / keep │" in text
    assert "│ replicator │ uniform │ store / incentives │" in text
    assert "Equilibria some dynamic reaches: limited / keep; store / incentives." in text
    code, out, _ = run(capsys, "dynamics", "overview", S400, "--set", "sanction_cost=6", "--format", "json")
    data = json.loads(out)
    assert data["analysis"] == "overview" and data["scenario"] == S400
    assert data["parameters"]["sanction_cost"] == 6
    reached = {(r["dynamic"], r["start"]): r["reached_label"] for r in data["results"]}
    assert reached == {("best responses", "status quo"): "limited / keep",
                       ("fictitious play", "uniform"): "store / incentives",
                       ("fictitious play", "status quo"): "store / incentives",
                       ("replicator", "uniform"): "store / incentives",
                       ("logit QRE", "uniform"): "store / incentives"}


def test_overview_says_when_play_cycles(capsys):
    game = load_source(S400).at({"sanction_cost": 2})
    overview = learning_overview(game)
    labels = {(r.dynamic, r.start): r.reached_label for r in overview.results}
    assert labels[("best responses", "status quo")] == "none (cycle)"
    assert labels[("replicator", "uniform")] == "none (closed orbit)"
    assert labels[("logit QRE", "uniform")] == "limited+full / tighten+keep"
    code, out, _ = run(capsys, "dynamics", "overview", S400, "--set", "sanction_cost=2")
    assert code == 0 and "none (closed orbit)" in out and "circles on a closed orbit" in flat(out)


def test_replicator_json_is_the_api_result(capsys):
    code, out, _ = run(capsys, "dynamics", "replicator", STAG, "--start",
                       "hunter_1.stag=0.7,hunter_1.hare=0.3", "--horizon", "40", "--samples", "101",
                       "--format", "json")
    data = json.loads(out)
    game = load_source(STAG).at()
    expected = replicator(game, [[0.7, 0.3], [0.5, 0.5]], horizon=40, samples=101).to_dict()
    assert code == 0 and data["analysis"] == "replicator"
    for key in ("outcome", "states", "times", "settings", "equilibrium"):
        assert data[key] == expected[key], key
    assert data["outcome"]["reached"] and data["equilibrium"]["label"] == "stag / stag"


def test_replicator_table_names_the_equilibrium_and_the_integration(capsys):
    code, out, _ = run(capsys, "dynamics", "replicator", S400, "--set", "sanction_cost=6")
    text = flat(out)
    assert code == 0
    assert "The replicator dynamic comes to rest at the equilibrium store / incentives." in text
    assert "integration: DOP853, rtol 1e-09, atol 1e-12, in log-probabilities" in text
    code, out, _ = run(capsys, "dynamics", "replicator", S400, "--start", "status-quo")
    assert code == 0 and "strategies absent at the start stay absent" in flat(out)


def test_fictitious_play_from_the_status_quo(capsys):
    code, out, _ = run(capsys, "dynamics", "fictitious-play", S400, "--start", "status-quo", "--steps", "500",
                       "--format", "json")
    data = json.loads(out)
    game = load_source(S400).at()
    api = fictitious_play(game, start_profile(game, "status-quo"), steps=500)
    assert code == 0 and data["outcome"] == api.trajectory.outcome.to_dict()
    assert data["settings"]["start"][0] == [0, 1, 0, 0, 0]  # stored S-400s
    assert data["outcome"]["nearest_label"] == "limited / keep"


def test_rock_paper_scissors_play_cycles_with_growing_runs(capsys):
    code, out, _ = run(capsys, "dynamics", "fictitious-play", "rock-paper-scissors", "--steps", "3000")
    assert code == 0 and "play cycles through" in flat(out)
    code, out, _ = run(capsys, "dynamics", "rest-points", "rock-paper-scissors", "--population", "single")
    text = flat(out)
    assert code == 0 and "centre" in text and "0.5774i, -0.5774i" in text and "scissors 1/3" in text


def test_best_responses_from_a_pure_start_and_the_graph(capsys):
    code, out, _ = run(capsys, "dynamics", "best-response", S400, "--set", "sanction_cost=2",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["end"] == "cycle" and data["profiles"][0] == ["store", "keep"]
    assert data["graph"] == {"equilibria": [], "cycles": [["limited / tighten", "limited / keep",
                                                           "full / tighten", "full / keep"]]}
    code, out, _ = run(capsys, "dynamics", "best-response", STAG, "--start", "hunter_1.stag,hunter_2.hare")
    assert code == 0 and "Sequential best responses reach the pure equilibrium hare / hare." in flat(out)


def test_qre_reports_round_lambdas_and_the_selected_equilibrium(capsys):
    code, out, _ = run(capsys, "dynamics", "qre", S400, "--set", "sanction_cost=6")
    text = flat(out)
    assert code == 0 and "│ 0.1 │" in text and "│ 30 │" in text
    assert ("approaches the Nash equilibrium store / incentives: the one the logit tracing procedure "
            "selects") in text
    # the ordinal stag hunt (payoffs 3, 2, 1) has both pure equilibria equally risk-dominant: at
    # uniform play both hunts pay 2, so the QRE stays there and selects the mixed equilibrium
    code, out, _ = run(capsys, "dynamics", "qre", STAG, "--lambda", "0.5", "--lambda", "2",
                       "--format", "json")
    data = json.loads(out)
    path = qre_path(load_source(STAG).at(), lambdas=[0.5, 2])
    assert data["equilibrium"]["label"] == "stag+hare / stag+hare"
    assert all(p["profile"] == [[0.5, 0.5], [0.5, 0.5]] for p in data["points"])
    asked = [p for p in data["points"] if p["lambda"] in (0.5, 2.0)]
    assert asked == [path.at(0.5).to_dict(), path.at(2).to_dict()]


def test_rest_points_in_exact_fractions(capsys):
    code, out, _ = run(capsys, "dynamics", "rest-points", STAG, "--format", "json")
    data = json.loads(out)
    game = load_source(STAG).at()
    assert code == 0 and data["rest_points"] == rest_points(game).to_dict()["rest_points"]
    stable = [p["label"] for p in data["rest_points"] if p["stability"] == "sink"]
    assert stable == ["stag / stag", "hare / hare"]
    mixed = next(p for p in data["rest_points"] if p["label"] == "stag+hare / stag+hare")
    assert mixed["exact"] == [["1/2", "1/2"], ["1/2", "1/2"]] and mixed["stability"] == "saddle"


def test_basins_of_the_stag_hunt_match_the_exact_separatrix(capsys):
    code, out, _ = run(capsys, "dynamics", "basins", STAG, "--population", "single", "--resolution", "10")
    text = flat(out)
    assert code == 0 and "above 1/2 goes to stag, below it to hare" in text
    assert "stag / stag │ 5 │ 50.0% │ 50.0%" in text


def test_basins_of_a_game_without_a_grid_use_fixed_random_starts(capsys, monkeypatch):
    import negsim.cli.progress as progress

    calls = []

    class Recording(progress.ProgressBar):
        def __call__(self, done: int, total: int) -> None:
            calls.append((done, total))
            super().__call__(done, total)

    monkeypatch.setattr(progress, "ProgressBar", Recording)
    code, out, _ = run(capsys, "dynamics", "basins", S400, "--set", "sanction_cost=6", "--samples", "300",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["settings"]["samples"] == 300 and data["settings"]["seed"] == 0
    game = load_source(S400).at({"sanction_cost": 6})
    assert data["shares"] == basins(game, samples=300, seed=0).shares()
    assert data["shares"]["store / incentives"] > data["shares"]["limited / keep"] > 0.02
    assert calls[-1] == (300, 300) and [d for d, _ in calls] == sorted(d for d, _ in calls)


# -- starts ---------------------------------------------------------------------------------------------

HAWK_DOVE = Game.from_matrices([[-1, 2], [0, 1]], [[-1, 0], [2, 1]], players=("row", "column"),
                               strategies=[["hawk", "dove"]] * 2, status_quo=(1, 1))


@pytest.mark.parametrize(("start", "expected"), [
    pytest.param(None, [[0.5, 0.5], [0.5, 0.5]], id="none-is-uniform"),
    pytest.param("uniform", [[0.5, 0.5], [0.5, 0.5]], id="uniform"),
    pytest.param("status-quo", [[0, 1], [0, 1]], id="status-quo"),
    pytest.param("row.hawk=1/3,row.dove=2/3", [[1 / 3, 2 / 3], [0.5, 0.5]], id="fractions"),
    pytest.param("row.hawk, column.dove", [[1, 0], [0, 1]], id="bare-ids-mean-one"),
    pytest.param({"row": {"hawk": 1}, "column": [0.2, 0.8]}, [[1, 0], [0.2, 0.8]], id="mapping"),
])
def test_starts_as_users_write_them(start, expected):
    profile = start_profile(HAWK_DOVE, start)
    assert all(np.allclose(s, e) for s, e in zip(profile, expected, strict=True))


@pytest.mark.parametrize(("start", "message"), [
    pytest.param("row.hawk=0.5", "probabilities must sum to 1, they sum to 0.5", id="sum"),
    pytest.param("row.hawke=1", "unknown strategy 'hawke' of row (did you mean 'hawk'?)", id="strategy"),
    pytest.param("rw.hawk=1", "expected player.strategy with a player of row, column", id="player"),
    pytest.param("row.hawk=x", "expected a probability such as 0.5 or 1/3", id="number"),
    pytest.param("row.hawk=1,row.hawk=0", "row.hawk is given twice", id="twice"),
    pytest.param("row.hawk=-1,row.dove=2", "probabilities must not be negative", id="negative"),
])
def test_bad_starts_are_input_errors(start, message):
    with pytest.raises(InputError) as caught:
        start_profile(HAWK_DOVE, start)
    assert any(message in p.message for p in caught.value.problems)


def test_pure_starts_and_one_population():
    assert pure_start(HAWK_DOVE) == (1, 1) and pure_start(HAWK_DOVE, "row.hawk,column.hawk") == (0, 0)
    with pytest.raises(InputError, match="pure profile"):
        pure_start(HAWK_DOVE, "uniform")
    no_status_quo = Game.from_matrices([[1, 0], [0, 1]])
    assert pure_start(no_status_quo) == (0, 0)
    with pytest.raises(InputError, match="no status quo"):
        start_profile(no_status_quo, "status-quo")
    single = start_profile(HAWK_DOVE, "hawk=0.9,dove=0.1", population="single")
    assert [s.tolist() for s in single] == [[0.9, 0.1], [0.9, 0.1]]


# -- errors: one line per problem, exit code 2, nothing written ----------------------------------------


@pytest.mark.parametrize(("args", "expected"), [
    pytest.param(["replicator", S400, "--start", "turkey.stor=1"],
                 "--start: 'turkey.stor': unknown strategy 'stor' of turkey (did you mean 'store'?)",
                 id="start"),
    pytest.param(["replicator", S400, "--start", "turkey.store=0.5"],
                 "--start turkey: probabilities must sum to 1, they sum to 0.5", id="sum"),
    pytest.param(["replicator", S400, "--population", "single"], "--population: one-population dynamics need "
                 "a symmetric two-player game", id="population"),
    pytest.param(["replicator", S400, "--integrator", "RK4"],
                 "--integrator: unknown integration method 'RK4' (did you mean 'RK45'?)", id="integrator"),
    pytest.param(["replicator", S400, "--horizon", "-1"], "--horizon: expected a finite number above 0",
                 id="horizon"),
    pytest.param(["fictitious-play", S400, "--mode", "alt"], "--mode: unknown mode 'alt'", id="mode"),
    pytest.param(["best-response", S400, "--order", "rnd"], "--order: unknown order 'rnd'", id="order"),
    pytest.param(["best-response", S400, "--start", "uniform"], "--start: best responses start from a pure "
                 "profile", id="pure"),
    pytest.param(["basins", S400, "--dynamics", "fp"], "--dynamics: unknown dynamics 'fp'", id="dynamics"),
    pytest.param(["portrait", S400], "s400-2025-limited-use: phase portraits are drawn for 2x2 games",
                 id="portrait"),
    pytest.param(["qre", S400, "--lambda", "5", "--max-lambda", "1"], "--lambda: --lambda 5 is beyond "
                 "--max-lambda 1", id="lambda"),
    pytest.param(["replicator", S400, "--set", "sanction_cost=70"],
                 "--set sanction_cost: 70 is outside sanction_cost's range 0..10 (add --allow-outside-range "
                 "to use it)", id="set"),
])
def test_bad_input_is_one_line_per_problem_and_writes_nothing(capsys, tmp_path, args, expected):
    figure = tmp_path / "figure.png"
    extra = ["-o", figure] if args[0] not in ("best-response", "rest-points", "overview") else []
    code, out, err = run(capsys, "dynamics", *args, *extra)
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err
    assert not figure.exists()


def test_an_existing_figure_is_kept_without_force(capsys, tmp_path):
    figure = tmp_path / "fp.png"
    figure.write_bytes(b"keep")
    code, _, err = run(capsys, "dynamics", "fictitious-play", STAG, "-o", figure)
    assert code == 2 and "pass --force to replace it" in err and figure.read_bytes() == b"keep"
    code, _, err = run(capsys, "dynamics", "fictitious-play", STAG, "-o", tmp_path / "fp.txt")
    assert code == 2 and "--output: expected a file name ending in .png, .svg or .pdf" in err


# -- figures ---------------------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(("args", "words"), [
    pytest.param(["portrait", STAG], ["Replicator dynamics (two populations)", "separatrix (exact)"],
                 id="portrait"),
    pytest.param(["portrait", "rock-paper-scissors"], ["Replicator dynamics (one population)", "centre"],
                 id="simplex"),
    pytest.param(["basins", STAG], ["Basins of attraction (replicator)", "stag / stag: 50%"], id="basins"),
    pytest.param(["fictitious-play", STAG, "--steps", "300"], ["Fictitious play (simultaneous)", "round"],
                 id="fictitious-play"),
    pytest.param(["qre", STAG], ["Logit quantal response equilibrium", "stag+hare / stag+hare"], id="qre"),
    pytest.param(["replicator", STAG, "--horizon", "20"], ["Replicator dynamics", "time"], id="replicator"),
    pytest.param(["logit", STAG, "--lambda", "3", "--horizon", "20"], ["Logit dynamics"], id="logit"),
])
def test_figures_are_real_files_with_their_labels(capsys, tmp_path, args, words):
    svg = tmp_path / "figure.svg"
    code, out, _ = run(capsys, "dynamics", *args, "-o", svg)
    assert code == 0 and f"wrote {svg}" in flat(out)
    texts = "\n".join(re.sub(r"<[^>]+>", "", t) for t in
                      re.findall(r"<text[^>]*>(.*?)</text>", svg.read_text(encoding="utf-8"), flags=re.S))
    texts = flat(texts.replace("&amp;", "&"))
    for word in words:
        assert word in texts, word
    png = tmp_path / "figure.png"
    code, out, _ = run(capsys, "dynamics", *args, "-o", png, "--format", "json")
    assert code == 0 and json.loads(out)["analysis"] == args[0] and png_size(png.read_bytes())[0] > 500


def test_the_s400_basins_figure_is_a_bar_of_shares(tmp_path, capsys):
    png = tmp_path / "basins.png"
    code, _, _ = run(capsys, "dynamics", "basins", S400, "--set", "sanction_cost=6", "--samples", "100",
                     "-o", png)
    assert code == 0 and png.stat().st_size > 10_000


def test_three_players_run_too(capsys):
    code, out, _ = run(capsys, "dynamics", "overview", "s400-2025-with-russia", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["players"] == ["turkey", "us", "russia"]
    assert {r["reached_label"] for r in data["results"]} == {"limited / keep / support"}
    game = load_source("s400-2025-with-russia").at()
    assert np.isclose(sum(equilibria_of(game).equilibria[0].strategies[2]), 1.0)
