"""Sweeps of sequential and Bayesian scenarios: subgame-perfect equilibria point by point,
credibility thresholds, prior sweeps, figures.

The thresholds follow from the scenario files' payoffs (see their interpretations): in the
2019 scenario sanctioning full activation pays the United States caatsa_credibility -
alliance_cost = 6 - alliance_cost, so the threat is credible up to alliance_cost 6 (what
``negsim credibility`` reports); with uncertain resolve Turkey's full activation pays
8 - 6 p_resolute against 3 for storage, so Turkey stores above p_resolute = 5/6.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from negsim.cli import main
from negsim.compile import scenario_tree
from negsim.compile.source import load_source
from negsim.scenario import resolve_scenario
from negsim.sequential import subgame_perfect
from negsim.sequential.batch import solve_tree_points
from negsim.sweep import parse_sweep_spec, run_sweep
from negsim.sweep.tree_table import TreeLabels, tabulate_tree

ACTIVATION = "s400-2019-activation-then-sanctions"
UNCERTAIN = "s400-2019-us-resolve-uncertain"
COMMITMENT = "s400-2018-commitment-sequential"


def sweep(tmp_path, scenario, *, runs="runs", **keys):
    data = {"negsim_sweep": 1, "id": "tree-sweep", "scenario": scenario, **keys}
    return run_sweep(parse_sweep_spec(data), runs_dir=tmp_path / runs)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- the 2019 sanctions threat ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def threat_sweep(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("threat"), ACTIVATION,
                 grid={"alliance_cost": {"start": 0, "stop": 8, "count": 41}},
                 credibility=["sanction after full"])


def test_the_credibility_threshold_of_the_sanctions_threat_is_found_to_the_tolerance(threat_sweep):
    record = threat_sweep.credibility
    [threshold] = record["tipping_points"]
    assert threshold["parameter"] == "alliance_cost"
    assert abs(threshold["value"] - 6) <= 1e-6 * 8          # 1e-6 of alliance_cost's range 0..8
    assert threshold["low"] <= 6 <= threshold["high"]
    assert (threshold["from"], threshold["to"]) == ("credible", "not credible")
    assert threshold["sentence"] == ("United States: sanction after full stops being credible "
                                     "when alliance_cost rises past 6.")
    [response] = record["responses"]
    assert response["column"] == "margin.sanction after full"
    # Credible on 0, 0.2, ..., 6: 31 of 41 points.
    assert response["points_credible"] == 31


def test_the_margin_column_is_what_sanctioning_pays_the_us_over_holding_off(threat_sweep):
    rows = list(threat_sweep.rows())
    for row in rows:
        assert row["margin.sanction after full"] == pytest.approx(6 - row["alliance_cost"])


def test_the_spe_tipping_points_say_what_changes_on_and_off_the_play(threat_sweep):
    sentences = [t["sentence"] for t in threat_sweep.tipping_points]
    assert ("Turkey's equilibrium choice moves from Limited activation to Full activation and "
            "United States' equilibrium response to Full activation moves from Impose CAATSA "
            "sanctions to Hold off when alliance_cost rises past 6.") in sentences
    assert ("Turkey's equilibrium choice moves from Keep stored to Limited activation and "
            "United States' equilibrium response to Limited activation moves from Impose "
            "CAATSA sanctions to Hold off when alliance_cost rises past 3.") in sentences
    at_six = next(t for t in threat_sweep.tipping_points if abs(t["value"] - 6) < 1e-3)
    assert abs(at_six["value"] - 6) <= 1e-6 * 8
    assert at_six["moves"] == [
        {"player": "turkey", "information_set": "start", "from": "limited", "to": "full"},
        {"player": "us", "information_set": "after full", "from": "sanction", "to": "hold_off"}]
    # Exactly at 6 the United States is indifferent: both plays are subgame perfect there.
    assert at_six["through"] == ("limited -> hold_off {us after store: hold_off; us after full: "
                                 "sanction} | full -> hold_off {us after store: hold_off; us "
                                 "after limited: hold_off}")


def test_the_table_has_one_row_per_subgame_perfect_equilibrium(threat_sweep):
    rows = list(threat_sweep.rows())
    assert {r["kind"] for r in rows} == {"spe"}
    by_point: dict[int, list] = {}
    for r in rows:
        by_point.setdefault(r["point"], []).append(r)
    assert len(by_point) == 41
    default = by_point[10]     # alliance_cost 2, the scenario's default
    assert [r["outcome"] for r in default] == ["store -> hold_off"]
    assert default[0]["p.turkey.start: store"] == 1.0
    assert default[0]["p.us.after full: sanction"] == 1.0
    assert (default[0]["payoff.turkey"], default[0]["payoff.us"]) == (3.0, -1.0)
    assert default[0]["regret"] == 0.0 and default[0]["degenerate"] is False
    tie = by_point[30]         # alliance_cost 6
    assert [r["outcome"] for r in tie] == ["limited -> hold_off", "full -> hold_off"]
    assert all(r["n_equilibria"] == 2 and r["degenerate"] for r in tie)
    manifest = threat_sweep.manifest
    assert manifest["equilibrium"] == "subgame-perfect"
    assert manifest["method"] == "backward induction" and manifest["dominance"] is None
    assert manifest["labels"]["players"] == {"turkey": "Turkey", "us": "United States"}
    assert manifest["credibility"] == 1


# -- a prior --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prior_sweep(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("prior"), UNCERTAIN,
                 grid={"p_resolute": {"start": 0, "stop": 1, "count": 61}},
                 credibility=["sanction after full"])


def test_the_prior_sweep_tips_at_five_sixths(prior_sweep):
    [tipping] = prior_sweep.tipping_points
    assert abs(tipping["value"] - 5 / 6) <= 1e-6
    assert tipping["sentence"].startswith("Turkey's equilibrium choice moves from Full "
                                          "activation to Keep stored when p_resolute rises past "
                                          "0.83333")
    assert tipping["moves"] == [{"player": "turkey", "information_set": "start",
                                 "from": "full", "to": "store"}]


def test_the_prior_sweep_has_each_types_moves_and_payoffs(prior_sweep):
    rows = list(prior_sweep.rows())
    # p_resolute = 50/60 = 5/6 is on the grid: Turkey is indifferent there, two equilibria.
    tie = [r for r in rows if r["point"] == 50]
    assert [r["outcome"] for r in tie] == [
        "[resolute: store -> hold_off; hesitant: store -> hold_off]",
        "[resolute: full -> sanction; hesitant: full -> hold_off]"]
    rows = [r for r in rows if r["point"] != 50]
    assert len(rows) == 60 and all(r["n_equilibria"] == 1 for r in rows)
    for row in rows:
        p = row["p_resolute"]
        full = p < 5 / 6
        assert row["outcome"] == ("[resolute: full -> sanction; hesitant: full -> hold_off]" if full
                                  else "[resolute: store -> hold_off; hesitant: store -> hold_off]")
        # Each type's plan: the resolute type sanctions activation, the hesitant one never.
        assert row["p.us.resolute, after full: sanction"] == 1.0
        assert row["p.us.hesitant, after full: hold_off"] == 1.0
        assert row["payoff.turkey"] == pytest.approx(8 - 6 * p if full else 3)
        # Interim payoffs, given the type: also for a type of prior 0.
        assert row["payoff.us.resolute"] == pytest.approx(-3 if full else -1)
        assert row["payoff.us.hesitant"] == pytest.approx(-7 if full else -1)
        assert row["payoff.us"] == pytest.approx(p * row["payoff.us.resolute"]
                                                 + (1 - p) * row["payoff.us.hesitant"])
    # Only the resolute type's threat is credible, at every prior.
    shares = {r["response"]: r["share_credible"] for r in prior_sweep.credibility["responses"]}
    assert shares == {"sanction after resolute, full": 1.0, "sanction after hesitant, full": 0.0}
    assert prior_sweep.credibility["tipping_points"] == []


def test_a_bayesian_game_with_mixed_equilibria_tips_where_the_textbook_says(tmp_path):
    """Osborne's Battle of the Sexes where Bob wants to meet Alice with probability p_meet
    (tests/test_bayesian.py): Alice goes to Bach with Bob's types (Bach, Stravinsky) from
    p_meet = 1/3 on, to Stravinsky with (Stravinsky, Bach) from 2/3 on. Mixed equilibria are
    named by their supports, so their probabilities moving with p_meet is no tipping point."""
    from test_bayesian import BOS

    path = tmp_path / "bos.yaml"
    path.write_text(BOS)
    result = sweep(tmp_path, str(path), grid={"p_meet": {"start": 0, "stop": 1, "count": 31}})
    inside = [t for t in result.tipping_points if 0.01 < t["value"] < 0.99]
    assert [round(t["value"], 5) for t in inside] == [round(1 / 3, 5), round(2 / 3, 5)]
    assert all(abs(t["value"] - v) <= 1e-6 for t, v in zip(inside, (1 / 3, 2 / 3)))
    assert inside[0]["appeared"][0] == "[meet: b -> b; avoid: b -> s]"
    assert "[meet: s -> s; avoid: s -> b]" in inside[1]["appeared"]
    mixed = [r for r in result.rows() if "+" in r["outcome"]]
    assert mixed and {r["kind"] for r in mixed} == {"spe"}
    assert len({r["p.bob.avoid: b"] for r in mixed}) > 5     # probabilities move, labels do not


# -- the vectorised pass equals the per-point solver ---------------------------------------------


def points_for(tree, n, seed):
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(*tree.bounds[name], n) for name in tree.parameters}


def with_ties(tree, values, parameter, ties):
    """The points ``values`` and, appended, the defaults with ``parameter`` at each tie."""
    out = {k: np.concatenate([v, np.full(len(ties), tree.defaults[k])]) for k, v in values.items()}
    out[parameter][-len(ties):] = ties
    return out


CASES = [
    pytest.param(ACTIVATION, "alliance_cost", [0.0, 3.0, 6.0], id="activation"),
    pytest.param(UNCERTAIN, "p_resolute", [5 / 6, 0.0, 1.0], id="uncertain"),
    pytest.param(COMMITMENT, "sanction_cost", [8.5], id="commitment"),
]


@pytest.mark.parametrize("scenario_id, parameter, ties", CASES)
def test_vectorised_rows_equal_a_per_point_loop(scenario_id, parameter, ties):
    source = load_source(scenario_id)
    tree = source.tree
    labels = TreeLabels.of(tree, source.scenario, source.game.parameters)
    values = with_ties(tree, points_for(tree, 150, 11), parameter, ties)
    vectorised = solve_tree_points(tree, values)
    # Only ties are solved point by point (random points have none).
    assert 1 <= vectorised.ties.sum() <= len(ties)
    fast = tabulate_tree(labels, 0, values, None, vectorised)
    slow = tabulate_tree(labels, 0, values, None,
                         solve_tree_points(tree, values, vectorised=False))
    assert fast.columns.keys() == slow.columns.keys()
    for name, column in fast.columns.items():
        other = slow.columns[name]
        if column.dtype == object:
            assert column.tolist() == other.tolist(), name
        else:
            np.testing.assert_allclose(column, other, atol=1e-9, err_msg=name)
    assert fast.point_sets.tolist() == slow.point_sets.tolist()
    assert len(set(fast.point_sets.tolist())) > 1


@pytest.mark.parametrize("scenario_id, parameter, ties", CASES)
def test_every_point_has_exactly_the_subgame_perfect_equilibria_of_the_tree_solver(
        scenario_id, parameter, ties):
    tree = scenario_tree(resolve_scenario(scenario_id))
    values = with_ties(tree, points_for(tree, 40, 5), parameter, ties)
    found = solve_tree_points(tree, values)
    for p in range(found.n_points):
        at = tree.tree({name: float(v[p]) for name, v in values.items()})
        expected = subgame_perfect(at).equilibria
        mine = np.flatnonzero(found.point == p)
        assert len(mine) == len(expected)
        for row, e in zip(mine, expected):
            np.testing.assert_allclose(found.behavior[row], np.concatenate(e.behavior))
            np.testing.assert_allclose(found.payoffs[row], e.payoffs, atol=1e-9)
            assert found.regret[row] <= 1e-9
            if (at.probabilities > 0).all():
                assert found.profiles[found.profile[row]].path == e.outcome(at.shape)


# -- the command and the figures ------------------------------------------------------------------


def test_one_command_answers_is_the_threat_credible_and_for_which_values(capsys, tmp_path):
    code, out, err = run(capsys, "sweep", ACTIVATION, "--param", "alliance_cost=0:8:17",
                         "--credibility", "sanction after full", "--runs-dir", tmp_path)
    assert code == 0, err
    text = out.splitlines()
    assert text[2] == "subgame-perfect equilibria (share of points):"
    assert "credibility (share of points where carrying it out is a best reply):" in text
    assert "   76.5%  United States: sanction after full" in text      # 13 of 17 points
    assert ("  - United States: sanction after full stops being credible when alliance_cost "
            "rises past 6.") in text
    folder = Path(text[0].removeprefix("run folder: "))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["spec"]["credibility"] == ["sanction after full"]
    assert "--credibility 'sanction after full'" in manifest["command"]

    code, out, err = run(capsys, "plot", folder, "--format", "png,svg")
    assert code == 0, err
    written = {Path(line).name for line in out.split()}
    assert {"equilibria.png", "payoffs.png", "moves.png", "credibility.png",
            "credibility.svg", "moves.svg"} <= written
    png = (folder / "figures" / "credibility.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 30_000
    svg = (folder / "figures" / "credibility.svg").read_text()
    assert "alliance_cost = 6" in svg                     # the threshold, labelled
    assert "United States: sanction after full" in svg
    assert "credible (margin" in svg and "not credible" in svg
    assert "limited -&gt; hold_off" in svg                # the subgame-perfect bands
    moves = (folder / "figures" / "moves.svg").read_text()
    assert "United States: after full" in moves and "United States: Impose CAATSA" in moves


def test_the_prior_figure_shows_each_types_moves(capsys, tmp_path):
    result = sweep(tmp_path, UNCERTAIN, grid={"p_resolute": {"start": 0, "stop": 1, "count": 21}})
    code, out, err = run(capsys, "plot", result.folder, "--format", "svg")
    assert code == 0, err
    moves = (result.folder / "figures" / "moves.svg").read_text()
    for row in ("United States: resolute, after full", "United States: hesitant, after full",
                "Turkey: first move"):
        assert row in moves
    assert "0.8333" in moves                               # the tipping point, labelled
    assert not (result.folder / "figures" / "credibility.svg").exists()


def test_nash_keeps_the_strategic_form_with_plans(tmp_path):
    result = sweep(tmp_path, ACTIVATION, equilibrium="nash",
                   grid={"alliance_cost": {"values": [2.0]}})
    assert result.manifest["equilibrium"] == "nash"
    rows = list(result.rows())
    assert {r["kind"] for r in rows} == {"pure", "mixed"}
    assert "store / hold_off if store, sanction if limited, sanction if full" in \
        {r["outcome"] for r in rows}


def test_other_kinds_of_sweep_over_trees(tmp_path):
    mc = sweep(tmp_path, ACTIVATION, runs="mc", credibility=["sanction after full"],
               monte_carlo={"draws": 200, "seed": 4,
                            "parameters": {"alliance_cost": {"distribution": "uniform"}}})
    share = mc.credibility["responses"][0]["share_credible"]
    assert share == pytest.approx(sum(r["alliance_cost"] <= 6 for r in mc.rows()
                                      if r["equilibrium"] == 0) / 200)
    assert mc.credibility["tipping_points"] is None         # Monte Carlo has no lines
    oat = sweep(tmp_path, ACTIVATION, runs="oat", one_at_a_time={
        "parameters": ["alliance_cost", "caatsa_credibility"], "count": 9})
    ranked = {r["parameter"]: r for r in oat.sensitivity}
    # At alliance_cost 0 exactly the US is indifferent after storage: a tie, gone above 0.
    assert ranked["alliance_cost"]["tipping_values"] == pytest.approx([0, 3, 6], abs=1e-4)
    assert ranked["caatsa_credibility"]["tipping_values"] == pytest.approx([2, 4], abs=1e-4)


def test_processes_write_the_same_tables(tmp_path):
    spec = parse_sweep_spec({"negsim_sweep": 1, "id": "procs", "scenario": UNCERTAIN,
                             "grid": {"p_resolute": {"start": 0, "stop": 1, "count": 700}},
                             "credibility": ["sanction after full"]})
    one = run_sweep(spec, runs_dir=tmp_path / "one")
    two = run_sweep(spec, runs_dir=tmp_path / "two", workers=2, chunk_size=256)
    assert two.manifest["chunks"] == 3
    for name in ("results.csv", "points.csv", "tipping_points.json", "credibility.json"):
        assert (one.folder / name).read_bytes() == (two.folder / name).read_bytes(), name


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--credibility", "sanction after ful"],
     "--credibility: no response 'sanction after ful' in this tree"),
    (["--method", "pure"], "--method: method 'pure' solves for Nash equilibria"),
    (["--equilibrium", "nash", "--credibility", "sanction after full"],
     "--credibility: credibility is measured by backward induction"),
    (["--equilibrium", "perfect"], "--equilibrium: expected subgame-perfect or nash, got 'perfect'"),
])
def test_bad_options_exit_2_and_write_nothing(capsys, tmp_path, args, message):
    code, out, err = run(capsys, "sweep", ACTIVATION, "--param", "alliance_cost=0:8:5", *args,
                         "--runs-dir", tmp_path / "runs")
    assert code == 2 and out == ""
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "runs").exists()


def test_a_simultaneous_game_has_no_subgame_perfect_sweep(capsys, tmp_path):
    spec = tmp_path / "spe.yaml"
    spec.write_text("negsim_sweep: 1\nid: spe\nscenario: s400-2025-limited-use\n"
                    "equilibrium: subgame-perfect\ncredibility: [sanction after full]\n"
                    "grid:\n  sanction_cost: {start: 0, stop: 8, count: 5}\n")
    code, out, err = run(capsys, "sweep", spec, "--runs-dir", tmp_path / "runs")
    assert code == 2
    assert err.splitlines() == [
        f"{spec}:4:14: equilibrium: subgame-perfect equilibria need a game tree: this is a "
        "simultaneous game; give the scenario a move order (timing: [first, second]) or a tree",
        f"{spec}:5:14: credibility: threats and promises need a game tree: this is a "
        "simultaneous game; give the scenario a move order (timing: [first, second]) or a tree",
    ]
    assert not (tmp_path / "runs").exists()


def test_matrix_sweeps_keep_their_table(tmp_path):
    result = sweep(tmp_path, "s400-2025-limited-use",
                   grid={"sanction_cost": {"start": 0, "stop": 8, "count": 5}})
    assert result.manifest["equilibrium"] == "nash"
    assert result.credibility is None and "tree" not in result.manifest
    header = (result.folder / "results.csv").read_text().splitlines()[0]
    assert header.endswith(",welfare,regret,degenerate,dominance")
    assert {r["kind"] for r in result.rows()} <= {"pure", "mixed"}


def test_a_spec_file_takes_credibility_from_the_command_line(capsys, tmp_path):
    spec = tmp_path / "threat.yaml"
    spec.write_text(f"negsim_sweep: 1\nid: threat\nscenario: {ACTIVATION}\n"
                    "grid:\n  alliance_cost: {start: 0, stop: 8, count: 9}\n")
    code, out, err = run(capsys, "sweep", spec, "--credibility", "bogus after x",
                         "--runs-dir", tmp_path / "runs")
    assert code == 2 and err.startswith("--credibility: no response 'bogus after x'"), err
    assert not (tmp_path / "runs").exists()
    code, out, err = run(capsys, "sweep", spec, "--credibility", "sanction after limited",
                         "--runs-dir", tmp_path / "runs")
    assert code == 0, err
    assert ("  - United States: sanction after limited stops being credible when alliance_cost "
            "rises past 3.") in out.splitlines()
