"""Bayesian games: types with a prior, the Harsanyi transformation, results per type.

Known equilibria: Osborne's Battle of the Sexes in which Bob may wish to meet Alice or to
avoid her (Osborne, An Introduction to Game Theory, section 9.2), and an entry game whose
entrant does not know whether the incumbent is strong (it fights) or weak (it does not),
which deters entry exactly when the incumbent is strong with probability above one half.
Every Bayesian Nash equilibrium is also checked directly: each type's move is a best reply
given its own type, computed from the payoff tables without the tree machinery.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from negsim.cli import main
from negsim.compile import compile_scenario, scenario_shape, scenario_tree
from negsim.errors import InputError
from negsim.scenario import ScenarioError, parse_scenario
from negsim.sequential import analyze_tree, backward_induction_points, per_type_of_mixed, subgame_perfect
from negsim.solve import solve
from negsim.tree import reduced_form

# Osborne, figure 274.1: payoffs (Alice, Bob) by Bob's type; rows Alice B, S; columns Bob B, S.
MEET = {"alice": [[2, 0], [0, 1]], "bob": [[1, 0], [0, 2]]}
AVOID = {"alice": [[2, 0], [0, 1]], "bob": [[0, 2], [1, 0]]}

BOS = """
negsim: 1
id: bos-private-type
title: Battle of the Sexes, Bob may wish to avoid Alice
parameters:
  p_meet: {value: 0.5, min: 0, max: 1}
players:
  alice:
    strategies: {b: {attributes: {x: 0}}, s: {attributes: {x: 1}}}
  bob:
    strategies: {b: {attributes: {x: 0}}, s: {attributes: {x: 1}}}
types:
  bob:
    meet: {probability: p_meet}
    avoid:
      probability: 1 - p_meet
      payoff: "2 * (alice.b * bob.s) + (alice.s * bob.b)"
payoffs:
  alice: 2 * alice.b * bob.b + alice.s * bob.s
  bob: bob.meet * (bob.b * alice.b + 2 * bob.s * alice.s)
"""

ENTRY = """
negsim: 1
id: entry-incomplete
title: Entry against a strong or weak incumbent
parameters:
  p_strong: {value: 0.3, min: 0, max: 1}
players:
  entrant:
    strategies: {out: {attributes: {enters: 0}}, enter: {attributes: {enters: 1}}}
  incumbent:
    strategies: {fight: {attributes: {fights: 1}}, accommodate: {attributes: {fights: 0}}}
types:
  incumbent:
    strong: {probability: p_strong, payoff: "2 * entrant.out + entrant.enters * incumbent.fights"}
    weak: {probability: 1 - p_strong}
payoffs:
  entrant: entrant.enters * (1 - 2 * incumbent.fights)
  incumbent: 2 * entrant.out + entrant.enters * (1 - 2 * incumbent.fights)
timing: [entrant, incumbent]
"""


def bayesian_best_replies_hold(alice: np.ndarray, bob: dict[str, np.ndarray], p_meet: float) -> bool:
    """Alice best-responds to the mix of Bob's types; each type of Bob to Alice."""
    tables = {"meet": MEET, "avoid": AVOID}
    prior = {"meet": p_meet, "avoid": 1 - p_meet}
    alice_values = sum(prior[t] * np.array(tables[t]["alice"], float) @ bob[t] for t in prior)
    ok = all(alice_values[k] >= alice_values.max() - 1e-9 for k in np.flatnonzero(alice > 1e-9))
    for t in prior:
        values = alice @ np.array(tables[t]["bob"], float)
        ok &= all(values[k] >= values.max() - 1e-9 for k in np.flatnonzero(bob[t] > 1e-9))
    return bool(ok)


def test_the_harsanyi_form_has_type_contingent_plans():
    scenario = parse_scenario(BOS)
    assert scenario_shape(scenario) == (2, 4)
    game = compile_scenario(scenario).game()
    assert game.strategies[1] == ("b if meet, b if avoid", "b if meet, s if avoid",
                                  "s if meet, b if avoid", "s if meet, s if avoid")
    # Ex-ante payoffs: Alice plays b, Bob "b if meet, s if avoid": Alice 2 x 1/2 (she meets
    # only the meeting type), Bob 1/2 x 1 (meeting) + 1/2 x 2 (avoiding).
    assert game.payoffs[:, 0, 1].tolist() == [1.0, 1.5]


def test_bos_with_a_private_type_has_the_known_pure_equilibrium_and_only_true_ones():
    tree = scenario_tree(parse_scenario(BOS))
    analysis = analyze_tree(tree)
    nash = analysis.nash
    assert nash.complete
    form = reduced_form(tree.shape)
    reports = [per_type_of_mixed(tree, analysis.at, form, e.strategies) for e in nash.equilibria]
    pure = [r.simple() for r, e in zip(reports, nash.equilibria) if e.kind == "pure"]
    assert pure == [{"alice": {"-": {"b": 1.0}}, "bob": {"meet": {"b": 1.0}, "avoid": {"s": 1.0}}}]
    assert reports[0].interim["bob"] == {"meet": 1.0, "avoid": 2.0}
    assert reports[0].interim["alice"] == {"-": 1.0}
    for report in reports:
        moves = report.simple()
        alice = np.array([moves["alice"]["-"].get(a, 0.0) for a in "bs"])
        bob = {t: np.array([moves["bob"][t].get(a, 0.0) for a in "bs"]) for t in ("meet", "avoid")}
        assert bayesian_best_replies_hold(alice, bob, 0.5)


@pytest.mark.parametrize("p_meet", [0.2, 0.5, 0.9])
def test_every_bayesian_equilibrium_is_a_best_reply_per_type_at_other_priors(p_meet):
    tree = scenario_tree(parse_scenario(BOS))
    analysis = analyze_tree(tree, {"p_meet": p_meet})
    form = reduced_form(tree.shape)
    assert analysis.nash.equilibria
    for e in analysis.nash.equilibria:
        moves = per_type_of_mixed(tree, analysis.at, form, e.strategies).simple()
        alice = np.array([moves["alice"]["-"].get(a, 0.0) for a in "bs"])
        bob = {t: np.array([moves["bob"][t].get(a, 0.0) for a in "bs"]) for t in ("meet", "avoid")}
        assert bayesian_best_replies_hold(alice, bob, p_meet)


def test_solve_json_reports_each_type(tmp_path, capsys):
    path = tmp_path / "bos.yaml"
    path.write_text(BOS)
    assert main(["solve", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["equilibria"][0]
    assert first["strategies"] == {"alice": {"b": 1.0}, "bob": {"b if meet, s if avoid": 1.0}}
    assert first["types"] == {"alice": {"-": {"b": 1.0}},
                              "bob": {"meet": {"b": 1.0}, "avoid": {"s": 1.0}}}
    assert first["interim_payoffs"] == {"alice": {"-": 1}, "bob": {"meet": 1, "avoid": 2}}
    assert data["tree"]["origin"] == "types" and data["tree"]["typed_players"] == ["bob"]


# -- entry with an incumbent of unknown strength -------------------------------------------------


@pytest.mark.parametrize("p_strong, entrant", [(0.3, "enter"), (0.7, "out")])
def test_entry_is_deterred_by_a_likely_strong_incumbent(p_strong, entrant):
    tree = scenario_tree(parse_scenario(ENTRY))
    solution = subgame_perfect(tree.tree({"p_strong": p_strong}))
    # After "out" nothing depends on the incumbent's move, so each type may take either there:
    # four equilibria, all with the entrant's same move and the same moves after entry.
    assert len(solution.equilibria) == 4
    for e in solution.equilibria:
        assert e.choice(0) == tree.shape.infosets[0].actions.index(entrant)
        if entrant == "enter":
            assert e.outcome(tree.shape) == "[strong: enter -> fight; weak: enter -> accommodate]"
        assert e.payoffs[0] == pytest.approx(1 - 2 * p_strong if entrant == "enter" else 0)
    for e in solution.equilibria:
        after_entry = {tree.shape.infosets[s].label: e.moves(tree.shape, s)
                       for s in tree.shape.infosets_of(1) if "enter" in tree.shape.infosets[s].label}
        assert after_entry == {"strong, after enter": {"fight": 1.0},
                               "weak, after enter": {"accommodate": 1.0}}


def test_a_sweep_over_the_prior_finds_the_tipping_point_at_one_half():
    tree = scenario_tree(parse_scenario(ENTRY))
    prior = np.linspace(0, 1, 101)
    paths = backward_induction_points(tree, {"p_strong": prior})
    enters = np.array(["enter" in text for text in paths.outcomes()])
    assert enters[prior < 0.5].all() and not enters[prior > 0.5].any()
    # At exactly one half the entrant is indifferent: the point is flagged.
    assert paths.ties[50] and not paths.ties[:50].any()
    assert paths.payoffs[10, 0] == pytest.approx(1 - 2 * 0.1)


def test_prior_outside_zero_one_is_refused(capsys, tmp_path):
    path = tmp_path / "entry.yaml"
    path.write_text(ENTRY)
    assert main(["solve", str(path), "--set", "p_strong=1.5", "--allow-outside-range"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: the chance move at start has probabilities outside 0..1 "
                          "(1.5, -0.5) at p_strong=1.5")


def test_types_need_probabilities_that_add_up(capsys):
    broken = BOS.replace("avoid:\n      probability: 1 - p_meet", "avoid:\n      probability: 0.4")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(broken, file="bos.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bos.yaml:14:5: types.bob: probabilities of the types of 'bob' add up to 0.9, not 1 "
        "(0.5, 0.4 at p_meet=0.5)"]


def test_the_prior_sweeps_through_the_strategic_form_too():
    game = compile_scenario(parse_scenario(ENTRY))
    payoffs = game.evaluate({"p_strong": [0.0, 1.0]})
    # Entrant's plan "enter" against the incumbent plan (fight if strong, accommodate if weak).
    plan = game.strategies[1].index(
        "fight if strong and out, fight if strong and enter, fight if weak and out, "
        "accommodate if weak and enter")
    assert payoffs[:, 0, 1, plan].tolist() == [1.0, -1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert solve(game.game({"p_strong": 0.7}), "pure").equilibria


def test_unknown_player_and_clashing_type_ids_are_refused():
    text = BOS.replace("types:\n  bob:", "types:\n  bobb:\n    x: {probability: 1}\n  bob:")
    text = text.replace("    meet: {probability: p_meet}", "    b: {probability: p_meet}")
    with pytest.raises(InputError) as caught:
        parse_scenario(text, file="bos.yaml")
    messages = [p.message for p in caught.value.problems]
    assert "unknown player 'bobb' (did you mean 'bob'?)" in messages
    assert ("type 'b' has the name of a strategy of 'bob'; type ids must differ from strategy "
            "ids") in messages
