"""The sequential S-400 scenarios: equilibria and credibility pinned, sweeps, commands end to end.

Numbers follow from the scenario files' payoffs (see their interpretations): in 2019 the
United States gains caatsa_credibility x activation - alliance_cost by sanctioning, so the
threat after full activation is credible while alliance_cost < 6 (or caatsa_credibility > 2)
and after limited activation while alliance_cost < 3 (or caatsa_credibility > 4).
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from negsim.cli import main
from negsim.compile import compare_orders, scenario_tree
from negsim.scenario import resolve_scenario
from negsim.sequential import analyze_credibility, backward_induction_points, subgame_perfect

ACTIVATION = "s400-2019-activation-then-sanctions"
UNCERTAIN = "s400-2019-us-resolve-uncertain"
COMMITMENT = "s400-2018-commitment-sequential"


def tree_of(scenario_id):
    return scenario_tree(resolve_scenario(scenario_id))


def plays(scenario_id, overrides=None):
    tree = tree_of(scenario_id)
    solution = subgame_perfect(tree.tree(overrides))
    return [(e.outcome(tree.shape), e.payoffs.tolist()) for e in solution.equilibria]


# -- equilibria at the defaults ------------------------------------------------------------------


def test_2019_turkey_stores_and_the_us_holds_off():
    assert plays(ACTIVATION) == [("store -> hold_off", [3.0, -1.0])]


def test_2019_without_a_credible_threat_turkey_activates_fully():
    assert plays(ACTIVATION, {"alliance_cost": 7}) == [("full -> hold_off", [8.0, -7.0])]


def test_2019_uncertain_resolve_keeps_the_systems_stored_at_a_high_prior():
    assert plays(UNCERTAIN) == [
        ("[resolute: store -> hold_off; hesitant: store -> hold_off]", [3.0, -1.0])]


def test_2018_the_offer_is_made_and_turkey_uses_the_systems():
    assert plays(COMMITMENT) == [("offer -> full", [-0.5, -5.5])]
    assert plays(COMMITMENT, {"sanction_cost": 9}) == [("sanction -> cancel", [-3.0, 0.0])]


# -- credibility ---------------------------------------------------------------------------------


def _region(response, name):
    return next(r for r in response.regions if r.parameter == name)


def test_2019_the_sanctions_threat_is_credible_and_where():
    report = analyze_credibility(tree_of(ACTIVATION), samples=101)
    by_name = {r.description: r for r in report.responses}
    assert set(by_name) == {"United States: sanction after limited",
                            "United States: sanction after full"}
    full = by_name["United States: sanction after full"]
    assert (full.kind, full.credible, full.margin) == ("threat", True, pytest.approx(4.0))
    assert full.outcome_without == "full -> hold_off"
    assert (full.target_gain_without, full.mover_gain_without) == (5.0, -6.0)
    assert _region(full, "alliance_cost").describe() == "alliance_cost < 6"
    assert _region(full, "caatsa_credibility").describe() == "caatsa_credibility > 2"
    assert _region(full, "sanction_cost").always   # Turkey's costs do not move the US choice
    limited = by_name["United States: sanction after limited"]
    assert limited.margin == pytest.approx(1.0)
    assert _region(limited, "alliance_cost").thresholds == pytest.approx((3.0,))
    assert _region(limited, "caatsa_credibility").thresholds == pytest.approx((4.0,))
    assert report.nash_not_credible == (("full -> sanction", ("United States: sanction after store",)),)


def test_2019_a_threat_that_is_not_credible_is_said_so():
    report = analyze_credibility(tree_of(ACTIVATION), {"alliance_cost": 7},
                                 threat="sanction after full", samples=101)
    [response] = report.responses
    assert not response.credible and response.margin == pytest.approx(-1.0)
    # Bound to sanction full activation, the US would still not sanction a limited one.
    assert response.outcome_if_played == "limited -> hold_off"
    assert response.statement.startswith(
        "United States: sanction after full (threat) is not credible at these values: United "
        "States would rather hold_off (carrying it out would cost it 1); it is credible when "
        "caatsa_credibility > 7 (range 0..10), or when alliance_cost < 6 (range 0..8); no other "
        "parameter changes this within its range (one at a time).")


def test_2019_uncertain_only_the_resolute_type_would_sanction_full_activation():
    report = analyze_credibility(tree_of(UNCERTAIN), threat="sanction after full", samples=101)
    by_type = {r.description: r for r in report.responses}
    resolute = by_type["United States: sanction after resolute, full"]
    hesitant = by_type["United States: sanction after hesitant, full"]
    assert resolute.credible and resolute.margin == pytest.approx(4.0)
    assert not hesitant.credible and hesitant.margin == pytest.approx(-0.2)
    assert _region(hesitant, "alliance_cost").describe() == "alliance_cost < 1.8"
    assert _region(hesitant, "hesitant_share").thresholds == pytest.approx((1 / 3,), abs=1e-6)


def test_2019_moving_first_is_worth_one_to_turkey():
    orders = {o.label: o for o in compare_orders(resolve_scenario(ACTIVATION))}
    assert orders["simultaneous"].outcomes == ("full / sanction",)
    assert orders["simultaneous"].payoffs == ((2.0, -3.0),)
    assert orders["Turkey then United States"].value_of_moving_first == (1.0, 1.0)
    assert orders["United States then Turkey"].outcomes == ("sanction -> full",)
    assert orders["United States then Turkey"].value_of_moving_first == (0.0, 0.0)


def test_2018_committing_first_pays_the_us_only_when_sanctions_hurt_enough():
    scenario = resolve_scenario(COMMITMENT)
    at_defaults = {o.label: o.value_of_moving_first for o in compare_orders(scenario)}
    assert at_defaults["United States then Turkey"] == (0.0, 0.0)
    painful = {o.label: o for o in compare_orders(scenario, {"sanction_cost": 9})}
    assert painful["United States then Turkey"].value_of_moving_first == (1.0, 1.0)
    assert painful["simultaneous"].outcomes == ("store / offer",)


# -- sweeps --------------------------------------------------------------------------------------


def test_a_prior_sweep_tips_turkey_into_full_activation_below_five_sixths():
    prior = np.linspace(0, 1, 601)
    tree = tree_of(UNCERTAIN)
    paths = backward_induction_points(tree, {"p_resolute": prior})
    [turkey] = tree.shape.infosets_of(0)
    full = paths.choice(turkey) == tree.shape.infosets[turkey].actions.index("full")
    assert full[prior < 5 / 6 - 1e-9].all() and not full[prior > 5 / 6 + 1e-9].any()
    assert paths.payoffs[0, 0] == pytest.approx(8.0)       # certain of a hesitant US


@pytest.mark.parametrize("scenario_id", [ACTIVATION, UNCERTAIN, COMMITMENT])
def test_vectorised_backward_induction_agrees_with_the_point_by_point_solver(scenario_id):
    tree = tree_of(scenario_id)
    rng = np.random.default_rng(7)
    points = {}
    for name in tree.parameters:
        low, high = tree.bounds[name]
        points[name] = rng.uniform(low, high, 40)
    paths = backward_induction_points(tree, points)
    for p in range(40):
        at = tree.tree({name: float(v[p]) for name, v in points.items()})
        solution = subgame_perfect(at)
        # The vectorised pass takes one of the equilibria (the first best move at ties).
        assert any(np.allclose(e.payoffs, paths.payoffs[p]) for e in solution.equilibria)
        if not paths.ties[p]:
            assert paths.outcomes()[p] in {e.outcome(at.shape) for e in solution.equilibria}


def test_backward_induction_over_many_points_is_fast():
    tree = tree_of(UNCERTAIN)
    prior = np.linspace(0, 1, 100_000)
    start = time.perf_counter()
    paths = backward_induction_points(tree, {"p_resolute": prior})
    elapsed = time.perf_counter() - start
    assert paths.payoffs.shape == (100_000, 2)
    assert elapsed < 5.0


# -- commands ------------------------------------------------------------------------------------


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_credibility_answers_in_one_command_and_draws_the_tree(capsys, tmp_path):
    figure = tmp_path / "tree.png"
    code, out, err = run(capsys, "credibility", ACTIVATION, "--samples", "101", "-o", str(figure))
    assert code == 0, err
    text = " ".join(out.split())
    assert "Subgame-perfect equilibrium 1: store -> hold_off (Turkey 3, United States -1)" in text
    assert "it is credible when caatsa_credibility > 2 (range 0..10), or when alliance_cost < 6" \
        in text
    assert f"wrote {figure}" in text
    data = figure.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_credibility_json(capsys):
    code, out, _ = run(capsys, "credibility", ACTIVATION, "--format", "json", "--samples", "51",
                       "--threat", "sanction after full", "--set", "alliance_cost=7")
    assert code == 0
    data = json.loads(out)
    assert data["parameters"]["alliance_cost"] == 7
    [response] = data["responses"]
    assert response["credible"] is False and response["player"] == "us"
    regions = {r["parameter"]: r for r in response["regions"]}
    assert regions["alliance_cost"]["credible_when"] == [[0, 6]]
    assert regions["alliance_cost"]["in_words"] == "alliance_cost < 6"
    assert data["subgame_perfect"][0]["outcome"] == "full -> hold_off"
    assert [o["label"] for o in data["orders"]] == [
        "simultaneous", "Turkey then United States", "United States then Turkey"]


@pytest.mark.parametrize("args, message", [
    (["credibility", ACTIVATION, "--threat", "sanctoin after full"],
     "--threat: no response 'sanctoin after full' in this tree: expected 'MOVE after MOVES' with "
     "a MOVE of a later mover (did you mean 'sanction'?) and MOVES leading to it (one of: full; "
     "limited; store)"),
    (["credibility", "s400-2025-limited-use"],
     "this is a simultaneous game; give the scenario a move order (timing: [first, second]) or "
     "a tree to ask which threats are credible"),
    (["credibility", ACTIVATION, "--set", "p_resolute=0.5"],
     "--set p_resolute: unknown parameter 'p_resolute'"),
    (["credibility", ACTIVATION, "--format", "yaml"], "--format: expected 'table' or 'json', got 'yaml'"),
])
def test_credibility_refuses_bad_input_cleanly(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out == ""


def test_credibility_does_not_replace_a_figure_without_force(capsys, tmp_path):
    figure = tmp_path / "tree.png"
    figure.write_bytes(b"keep")
    code, _, err = run(capsys, "credibility", ACTIVATION, "-o", str(figure))
    assert code == 2 and "pass --force to replace it" in err
    assert figure.read_bytes() == b"keep"
    code, _, err = run(capsys, "credibility", ACTIVATION, "-o", str(tmp_path / "tree.gif"))
    assert code == 2 and "unknown figure format 'gif'" in err
    assert not (tmp_path / "tree.gif").exists()


def test_run_and_solve_on_a_sequential_scenario(capsys):
    code, out, err = run(capsys, "run", UNCERTAIN)
    assert code == 0, err
    assert "Game tree" in out and "Subgame-perfect equilibria, per type" in out
    code, out, _ = run(capsys, "solve", ACTIVATION, "--format", "json")
    assert code == 0
    data = json.loads(out)
    # The contract keys hold, for the strategic form whose strategies are plans.
    assert data["players"] == ["turkey", "us"]
    assert data["strategies"]["turkey"] == ["store", "limited", "full"]
    assert len(data["strategies"]["us"]) == 8
    [perfect] = data["subgame_perfect"]
    assert perfect["path"] == [
        {"node": "start", "player": "turkey", "action": "store", "probability": 1.0},
        {"node": "store", "player": "us", "action": "hold_off", "probability": 1.0}]
    assert perfect["strategies"]["us"] == {"after store": {"hold_off": 1.0},
                                           "after limited": {"sanction": 1.0},
                                           "after full": {"sanction": 1.0}}
    assert data["tree"] == {
        "origin": "timing", "order": ["turkey", "us"], "typed_players": [], "nodes": 10,
        "outcomes": 6, "perfect_information": True,
        "information_sets": {"turkey": ["start"],
                             "us": ["after store", "after limited", "after full"]}}


def test_list_shows_the_plans_of_sequential_scenarios(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    line = next(line for line in out.splitlines() if ACTIVATION[:28] in line)
    assert "3x8" in line
