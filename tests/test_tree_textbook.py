"""Textbook game trees with their known subgame-perfect equilibria.

Entry deterrence (a Nash equilibrium resting on a non-credible threat), the centipede game,
an ultimatum game on a discrete offer grid (ties give two equilibria), the sharing game, and
random trees of perfect information checked against a brute-force search over every pure
behaviour profile (an independent method: sequential rationality tested node by node).
"""

from __future__ import annotations

import warnings
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.compile import scenario_tree
from negsim.scenario import parse_scenario
from negsim.sequential import analyze_credibility, subgame_perfect
from negsim.sequential.spe import behavior_values
from negsim.solve import solve
from negsim.solve.pure import solve_pure
from negsim.tree import GameTree, TreeShape, behavior_from_mixed, reduced_form, strategic_game


def plays(tree: GameTree) -> list[str]:
    return [e.outcome(tree.shape) for e in subgame_perfect(tree).equilibria]


ENTRY = """
negsim: 1
id: entry
title: Entry deterrence
parameters:
  fight_cost: {value: 1, min: -3, max: 3}
players:
  entrant: {}
  incumbent: {}
payoffs:
  tree:
    player: entrant
    moves:
      out: {payoffs: {entrant: 0, incumbent: 2}}
      in:
        player: incumbent
        moves:
          fight: {payoffs: {entrant: -1, incumbent: -fight_cost}}
          accommodate: {payoffs: {entrant: 1, incumbent: 1}}
"""


@pytest.fixture
def entry():
    return scenario_tree(parse_scenario(ENTRY))


# -- entry deterrence: Nash versus subgame perfect -----------------------------------------------


def test_entry_deterrence_has_one_subgame_perfect_equilibrium(entry):
    solution = subgame_perfect(entry.tree())
    assert solution.complete
    [e] = solution.equilibria
    assert e.outcome(entry.shape) == "in -> accommodate"
    assert e.payoffs.tolist() == [1, 1]
    assert e.path(entry.shape) == [
        {"node": "start", "player": "entrant", "action": "in", "probability": 1.0},
        {"node": "in", "player": "incumbent", "action": "accommodate", "probability": 1.0},
    ]


def test_entry_deterrence_nash_equilibrium_rests_on_a_non_credible_threat(entry):
    game = strategic_game(entry.tree())
    assert game.strategies == (("out", "in"), ("fight", "accommodate"))
    pure = sorted(e.label(game) for e in solve_pure(game).equilibria)
    assert pure == ["in / accommodate", "out / fight"]     # two Nash equilibria ...
    report = analyze_credibility(entry)
    # ... and the one with entry kept out rests on fighting, which the incumbent would not do.
    assert report.nash_not_credible == (("out", ("incumbent: fight after in",)),)
    [threat] = report.responses
    assert (threat.description, threat.kind, threat.credible) == (
        "incumbent: fight after in", "threat", False)
    assert threat.margin == pytest.approx(-2.0)
    assert threat.outcome_if_played == "out"
    assert threat.gain_if_played == pytest.approx(1.0)


def test_the_threat_becomes_credible_where_fighting_pays(entry):
    report = analyze_credibility(entry, threat="fight after in")
    [threat] = report.responses
    [region] = threat.regions
    # Fighting pays -fight_cost against 1 for accommodating: credible when fight_cost <= -1.
    assert region.parameter == "fight_cost"
    assert region.thresholds == pytest.approx((-1.0,))
    assert region.credible[0] == pytest.approx((-3.0, -1.0))
    assert region.describe() == "fight_cost < -1"
    assert "credible when fight_cost < -1 (range -3..3)" in threat.statement
    # Where it is credible the equilibrium changes: entry is deterred.
    assert plays(entry.tree({"fight_cost": -2})) == ["out"]


def test_ties_list_every_subgame_perfect_equilibrium(entry):
    # At fight_cost = -1 the incumbent is indifferent: two equilibria with different plays.
    tree = entry.tree({"fight_cost": -1})
    assert sorted(plays(tree)) == ["in -> accommodate", "out"]


# -- centipede -----------------------------------------------------------------------------------


def centipede(stages: int) -> GameTree:
    """Rosenthal's centipede: at stage k the mover takes (ending the game) or passes; the pot
    doubles at each pass. Taking at stage k gives the mover 2^(k+1) and the other 2^(k-1)."""
    def node(k: int) -> dict:
        if k == stages:
            return {"outcome": k}
        return {"player": k % 2, "moves": {"take": {"outcome": k}, "pass": node(k + 1)}}

    shape = TreeShape.build(("first", "second"), node(0))
    payoffs = np.zeros((2, stages + 1))
    for k in range(stages + 1):
        mover = k % 2
        payoffs[mover, k] = 2.0 ** (k + 1)
        payoffs[1 - mover, k] = 2.0 ** (k - 1)
    return GameTree(shape, payoffs, np.zeros(0))


@pytest.mark.parametrize("stages", [2, 4, 6, 9])
def test_centipede_the_first_mover_takes_at_once(stages):
    tree = centipede(stages)
    [e] = subgame_perfect(tree).equilibria
    assert e.outcome(tree.shape) == "take"
    assert e.payoffs.tolist() == [2.0, 0.5]
    # Off the path too, every mover takes: the plan of each player is "take" everywhere.
    assert all(e.moves(tree.shape, s) == {"take": 1.0} for s in range(len(tree.shape.infosets)))


def test_centipede_reduced_strategic_form_has_one_plan_per_stop():
    game = strategic_game(centipede(4))
    # First player moves at stages 0 and 2: take, or pass then take/pass.
    assert game.strategies[0] == ("take (start)", "pass (start), take (after pass, pass)",
                                  "pass (start), pass (after pass, pass)")


# -- ultimatum game on a grid --------------------------------------------------------------------


def ultimatum(pie: int) -> GameTree:
    """The proposer offers 0..pie units; the responder accepts (split) or rejects (nothing)."""
    moves = {}
    for offer in range(pie + 1):
        moves[f"offer{offer}"] = {"player": 1, "moves": {
            "accept": {"outcome": 2 * offer}, "reject": {"outcome": 2 * offer + 1}}}
    shape = TreeShape.build(("proposer", "responder"), {"player": 0, "moves": moves})
    payoffs = np.zeros((2, 2 * (pie + 1)))
    for offer in range(pie + 1):
        payoffs[:, 2 * offer] = (pie - offer, offer)
    return GameTree(shape, payoffs, np.zeros(0))


@pytest.mark.parametrize("pie", [2, 4, 10])
def test_ultimatum_has_exactly_two_subgame_perfect_equilibria(pie):
    tree = ultimatum(pie)
    solution = subgame_perfect(tree)
    # Every positive offer is accepted; the responder is indifferent at 0. Accepting 0: the
    # proposer offers 0; rejecting 0: the proposer offers the smallest positive amount.
    assert sorted(e.outcome(tree.shape) for e in solution.equilibria) == [
        "offer0 -> accept", "offer1 -> accept"]
    for e in solution.equilibria:
        for offer in range(1, pie + 1):
            infoset = tree.shape.nodes[tree.shape.find_node([f"offer{offer}"])].infoset
            assert e.moves(tree.shape, infoset) == {"accept": 1.0}


def test_ultimatum_with_one_unit_has_a_third_equilibrium():
    # With one unit, after "reject 0" the proposer gets nothing either way: a third tie.
    tree = ultimatum(1)
    assert sorted(plays(tree)) == ["offer0 -> accept", "offer0 -> reject", "offer1 -> accept"]


# -- the sharing game from Shoham and Leyton-Brown (2008), Fig. 5.1 ---------------------------------


def test_sharing_game():
    moves = {split: {"player": 1, "moves": {"no": {"outcome": 2 * k}, "yes": {"outcome": 2 * k + 1}}}
             for k, split in enumerate(("2-0", "1-1", "0-2"))}
    shape = TreeShape.build(("brother", "sister"), {"player": 0, "moves": moves})
    payoffs = np.array([[0, 2, 0, 1, 0, 0], [0, 0, 0, 1, 0, 2]], dtype=float)
    tree = GameTree(shape, payoffs, np.zeros(0))
    assert sorted(plays(tree)) == ["1-1 -> yes", "2-0 -> yes"]


# -- random trees against brute force ------------------------------------------------------------


@st.composite
def perfect_information_trees(draw):
    n_players = draw(st.integers(2, 3))
    outcomes = []

    def node(depth: int) -> dict:
        if depth >= 3 or (depth > 0 and draw(st.booleans())):
            outcomes.append(len(outcomes))
            return {"outcome": outcomes[-1]}
        moves = draw(st.integers(1, 3))
        return {"player": draw(st.integers(0, n_players - 1)),
                "moves": {f"m{k}": node(depth + 1) for k in range(moves)}}

    spec = node(0)
    players = tuple(f"p{i}" for i in range(n_players))
    shape = TreeShape.build(players, spec)
    # Small integers make ties (several equilibria) common.
    payoffs = np.array(draw(st.lists(st.lists(st.integers(-2, 2), min_size=len(outcomes),
                                              max_size=len(outcomes)),
                                     min_size=n_players, max_size=n_players)), dtype=float)
    return GameTree(shape, payoffs, np.zeros(0))


def brute_force_spe(tree: GameTree) -> set[tuple]:
    """Every pure behaviour profile in which each mover's move is a best reply at its node,
    given the profile's own continuation: the definition of subgame perfection, tested
    directly."""
    shape = tree.shape
    found = set()
    for choice in product(*(range(len(i.actions)) for i in shape.infosets)):
        behavior = [np.eye(len(i.actions))[a] for i, a in zip(shape.infosets, choice)]
        values, _ = behavior_values(tree, behavior)
        ok = True
        for _k, node in enumerate(shape.nodes):
            if node.kind != "decision":
                continue
            own = values[list(node.children), node.player]
            if own[choice[node.infoset]] < own.max() - 1e-9:
                ok = False
                break
        if ok:
            found.add(choice)
    return found


@settings(max_examples=60, deadline=None)
@given(perfect_information_trees())
def test_backward_induction_finds_exactly_the_brute_force_set(tree):
    solution = subgame_perfect(tree)
    assert solution.complete
    ours = {tuple(int(np.argmax(b)) for b in e.behavior) for e in solution.equilibria}
    assert all(e.pure for e in solution.equilibria)
    assert ours == brute_force_spe(tree)


@settings(max_examples=40, deadline=None)
@given(perfect_information_trees())
def test_every_subgame_perfect_equilibrium_is_a_nash_equilibrium_of_the_strategic_form(tree):
    form = reduced_form(tree.shape)
    game = strategic_game(tree, form)
    for e in subgame_perfect(tree).equilibria:
        profile = []
        for player in range(tree.n_players):
            # The reduced plan that agrees with the equilibrium wherever it is defined.
            choices = {s: int(np.argmax(e.behavior[s])) for s in form.order[player]}
            matches = [k for k, plan in enumerate(form.plans[player]) if all(
                a < 0 or choices[s] == a for s, a in zip(form.order[player], plan))]
            assert len(matches) == 1
            mixed = np.zeros(len(form.plans[player]))
            mixed[matches[0]] = 1.0
            back = behavior_from_mixed(form, player, mixed)
            assert all(np.allclose(back[s], e.behavior[s]) for s in back if back[s] is not None)
            profile.append(mixed)
        assert np.allclose(game.expected_payoffs(profile), e.payoffs)
        from negsim.solve.verify import regret

        assert regret(game, profile) <= 1e-9


def test_imperfect_information_is_solved_through_the_strategic_form():
    # Matching pennies as a tree: the second player does not see the first's move.
    shape = TreeShape.build(("row", "col"), {"player": 0, "moves": {
        "heads": {"player": 1, "info": "guess", "moves": {"heads": {"outcome": 0},
                                                          "tails": {"outcome": 1}}},
        "tails": {"player": 1, "info": "guess", "moves": {"heads": {"outcome": 2},
                                                          "tails": {"outcome": 3}}},
    }})
    assert not shape.perfect_information
    tree = GameTree(shape, np.array([[1, -1, -1, 1], [-1, 1, 1, -1]], dtype=float), np.zeros(0))
    [e] = subgame_perfect(tree).equilibria
    assert not e.pure
    assert np.allclose(e.behavior[0], [0.5, 0.5]) and np.allclose(e.behavior[1], [0.5, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(solve(strategic_game(tree)).equilibria) == 1
