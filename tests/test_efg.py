"""Gambit extensive-form files: reading, writing, round trips, errors, and Gambit itself.

Fixtures in ``data/efg/`` (sources in its README): textbook trees from Gambit's catalogue and
one file written for negsim. Where pygambit is installed, every file negsim writes is read
by Gambit, which must see the same tree and the same subgames, and every subgame-perfect
equilibrium negsim finds must be a Nash equilibrium of every subgame as Gambit computes it.
"""

from __future__ import annotations

import io
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from negsim.cli import main
from negsim.errors import InputError
from negsim.io.efg import parse_efg, read_efg, write_efg
from negsim.sequential import subgame_perfect
from negsim.tree.model import subtree

DATA = Path(__file__).parent / "data" / "efg"
GOOD = sorted(p.name for p in DATA.glob("*.efg") if p.name != "absent_minded.efg")


def test_features_file_is_read_exactly():
    tree = read_efg(DATA / "features.efg")
    assert tree.title == 'Features "negsim" reads'
    assert tree.players == ("Ann", "Bob")
    assert [n.kind for n in tree.shape.nodes] == [
        "chance", "decision", "decision", "terminal", "terminal", "terminal",
        "decision", "decision", "terminal", "terminal", "terminal"]
    assert tree.exact_probabilities == (Fraction(2, 3), Fraction(1, 3))
    # The root's outcome (-1/2, 1/2) is added to every outcome below it; outcome 0 adds nothing.
    assert tree.exact_payoffs[:, 0].tolist() == [Fraction(5, 2), Fraction(3, 2)]   # win
    assert tree.exact_payoffs[:, 2].tolist() == [Fraction(5, 2), Fraction(3, 2)]   # win again
    assert tree.exact_payoffs[:, 3].tolist() == [Fraction(1), Fraction(-1, 2)]    # draw 1.5e0
    assert tree.exact_payoffs[:, 5].tolist() == [Fraction(-1, 2), Fraction(1, 2)]  # outcome 0
    # Bob's set "B" spans both chance outcomes; the second node omitted its moves.
    bob = [i for i in tree.shape.infosets if i.player == 1]
    assert [(i.label, len(i.nodes), i.actions) for i in bob] == [("B", 2, ("left", "right"))]


@pytest.mark.parametrize("name", GOOD)
def test_round_trip_keeps_the_tree_and_its_exact_numbers(name):
    tree = read_efg(DATA / name)
    again = parse_efg(write_efg(tree))
    assert again.players == tree.players
    assert [(n.kind, n.actions, n.player, n.parent) for n in again.shape.nodes] == [
        (n.kind, n.actions, n.player, n.parent) for n in tree.shape.nodes]
    assert [i.nodes for i in again.shape.infosets] == [i.nodes for i in tree.shape.infosets]
    assert (again.exact_payoffs == tree.exact_payoffs).all()
    assert again.exact_probabilities == tree.exact_probabilities
    # Writing the tree read back gives the same text: the writer is a fixed point.
    assert write_efg(again) == write_efg(tree)


def test_round_trip_of_a_scenario_tree_keeps_its_equilibria(capsys, tmp_path):
    out = tmp_path / "s19.efg"
    assert main(["convert", "s400-2019-activation-then-sanctions", str(out)]) == 0
    tree = read_efg(out)
    assert [e.outcome(tree.shape) for e in subgame_perfect(tree).equilibria] == [
        "store -> hold_off"]
    assert main(["solve", str(out), "--format", "json"]) == 0
    capsys.readouterr()


def test_a_strategic_form_game_becomes_a_tree_of_unseen_moves(tmp_path, capsys):
    out = tmp_path / "pd.efg"
    assert main(["convert", "prisoners-dilemma", str(out)]) == 0
    tree = read_efg(out)
    assert len(tree.shape.infosets) == 2 and not tree.shape.perfect_information
    [e] = subgame_perfect(tree).equilibria
    assert e.pure
    capsys.readouterr()


@pytest.mark.parametrize("text, where, message", [
    ('NFG 1 R "x" { "a" }', "1:1", "expected 'EFG' at the start of a Gambit extensive-form file "
     "(this is a strategic-form .nfg file), found 'NFG'"),
    ('EFG 2 R "x" { "A" }\np "" 2 1 "" { "a" } 0\nt "" 1 "" { 1 }', "2:1",
     "nodes: player 2 does not exist (the game has 1)"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1 }', "3:16",
     "nodes: the file ends before every move has a node"),
    ('EFG 2 R "x" { "A" }\nc "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 1 "" { 1 }\nt "" 2 "" { 2 }',
     "2:1", "nodes: the probabilities of a chance node must add up to exactly 1; they add up "
     "to 5/6"),
    ('EFG 2 R "x" { "A" "B" }\np "" 1 1 "" { "a" } 0\nt "" 1 "" { 1 }', "3:11",
     "outcomes: an outcome has 1 payoffs, expected 2 (one per player)"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 3', "3:1",
     "outcomes: outcome 3 is used without payoffs (give them where it first appears)"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 1 "" { 1 }\nt "" 2 "" { 2 }', "4:1",
     "nodes: text after the last node of the tree"),
    ('EFG 2 R "x" { "A" }\np "" 1 1 "" { "a" } 0\nt "" 1 "" { x }', "3:13",
     "outcomes: expected a payoff (a number), found 'x'"),
])
def test_malformed_files_are_refused_with_their_position(text, where, message):
    with pytest.raises(InputError) as caught:
        parse_efg(text, file="bad.efg")
    assert str(caught.value) == f"bad.efg:{where}: {message}"


def test_imperfect_recall_is_refused(capsys):
    assert main(["solve", str(DATA / "absent_minded.efg")]) == 2
    err = capsys.readouterr().err
    assert "lacks perfect recall" in err and "Traceback" not in err


def test_labels_gambit_would_refuse_are_listed_before_writing(tmp_path):
    tree = read_efg(DATA / "sharing.efg")
    from negsim.tree.model import GameTree, TreeShape

    shape = tree.shape
    nodes = list(shape.nodes)
    nodes[0] = type(nodes[0])(**{**nodes[0].__dict__, "actions": ("2-0", "1 - 1", "zwei  null")})
    broken = GameTree(TreeShape(shape.players, tuple(nodes), shape.infosets, shape.n_outcomes,
                                shape.n_chance), tree.payoffs, tree.probabilities)
    with pytest.raises(InputError) as caught:
        write_efg(broken)
    assert "move 'zwei  null' cannot be a Gambit label" in str(caught.value)


def test_solve_json_of_an_efg_file(capsys):
    assert main(["solve", str(DATA / "sharing.efg"), "--format", "json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["players"] == ["1", "2"]
    assert sorted(e["outcome"] for e in data["subgame_perfect"]) == ["1-1 -> yes", "2-0 -> yes"]
    assert data["tree"]["origin"] == "gambit" and data["tree"]["perfect_information"]


# -- against Gambit ------------------------------------------------------------------------------


@pytest.fixture
def gbt():
    return pytest.importorskip("pygambit", reason="pygambit is not installed")


def _gambit(gbt, tree):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gbt.read_efg(io.StringIO(write_efg(tree)))


@pytest.mark.parametrize("name", GOOD)
def test_gambit_reads_what_negsim_writes_and_sees_the_same_subgames(gbt, name):
    tree = read_efg(DATA / name)
    game = _gambit(gbt, tree)
    nodes = list(game.nodes)  # preorder, as negsim stores them
    assert len(nodes) == len(tree.shape.nodes)
    for node, ours in zip(nodes, tree.shape.nodes):
        assert node.is_terminal == (ours.kind == "terminal")
        if node.is_terminal:
            payoffs = [Fraction(str(node.outcome[p])) for p in game.players]
            assert payoffs == list(tree.exact_payoffs[:, ours.outcome])
    roots = [k for k, n in enumerate(nodes) if not n.is_terminal and n.is_subgame_root]
    assert roots == [k for k, r in enumerate(tree.shape.subgame_roots) if r]


def _regret_in_gambit(gbt, tree, behavior) -> float:
    game = _gambit(gbt, tree)
    profile = game.mixed_behavior_profile(rational=False)
    for player_index, player in enumerate(game.players):
        sets = tree.shape.infosets_of(player_index)  # Gambit numbers sets in this order
        for infoset, ours in zip(player.infosets, sets):
            for action, p in zip(infoset.actions, behavior[ours]):
                profile[action] = float(p)
    return float(profile.max_regret())


@pytest.mark.parametrize("name", GOOD)
def test_every_subgame_perfect_equilibrium_is_nash_in_every_subgame_for_gambit(gbt, name):
    tree = read_efg(DATA / name)
    solution = subgame_perfect(tree)
    assert solution.equilibria
    roots = [k for k, r in enumerate(tree.shape.subgame_roots) if r]
    for e in solution.equilibria:
        for root in roots:
            part = subtree(tree, root)
            # The equilibrium's behaviour restricted to the subgame, set by set.
            index = {s: k for k, s in enumerate(sorted(
                {tree.shape.nodes[j].infoset for j in range(root, tree.shape.subtree_end[root])
                 if tree.shape.nodes[j].kind == "decision"}))}
            behavior = [None] * len(index)
            for s, k in index.items():
                behavior[k] = e.behavior[s]
            assert _regret_in_gambit(gbt, part, behavior) <= 1e-9, (name, root)


def test_a_non_credible_nash_equilibrium_fails_gambits_check_in_a_subgame(gbt):
    # Sharing game: the brother keeps both presents and the sister refuses every split.
    tree = read_efg(DATA / "sharing.efg")
    refuse = [np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0]), np.array([1.0, 0.0]),
              np.array([1.0, 0.0])]
    assert _regret_in_gambit(gbt, tree, refuse) == 0   # a Nash equilibrium of the game ...
    assert _regret_in_gambit(gbt, subtree(tree, 4), [refuse[2]]) > 0  # ... not of a subgame
