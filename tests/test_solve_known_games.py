"""Textbook games with their known equilibria, checked exactly (and in floating point)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from fractions import Fraction as F

import numpy as np
import pytest

from negsim.game import Game
from negsim.solve import solve


@dataclass
class Case:
    A: list
    B: list
    equilibria: set  # each: (tuple of row probs, tuple of column probs) as Fractions
    degenerate: bool = False
    components: int | None = None


def fr(*values):
    return tuple(F(v) for v in values)


CASES = {
    "prisoners-dilemma": Case([[3, 0], [5, 1]], [[3, 5], [0, 1]], {(fr(0, 1), fr(0, 1))}),
    "chicken": Case(
        [[0, -1], [1, -10]],
        [[0, 1], [-1, -10]],
        {(fr(1, 0), fr(0, 1)), (fr(0, 1), fr(1, 0)), (fr("9/10", "1/10"), fr("9/10", "1/10"))},
    ),
    "battle-of-the-sexes": Case(
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        {(fr(1, 0), fr(1, 0)), (fr(0, 1), fr(0, 1)), (fr("2/3", "1/3"), fr("1/3", "2/3"))},
    ),
    "matching-pennies": Case([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], {(fr("1/2", "1/2"), fr("1/2", "1/2"))}),
    "rock-paper-scissors": Case(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        {(fr("1/3", "1/3", "1/3"), fr("1/3", "1/3", "1/3"))},
    ),
    "stag-hunt": Case(
        [[4, 0], [3, 3]],
        [[4, 3], [0, 3]],
        {(fr(1, 0), fr(1, 0)), (fr(0, 1), fr(0, 1)), (fr("3/4", "1/4"), fr("3/4", "1/4"))},
    ),
    "shapley": Case(
        [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
        {(fr("1/3", "1/3", "1/3"), fr("1/3", "1/3", "1/3"))},
    ),
    "coordination-3x3-seven-equilibria": Case(
        np.eye(3).tolist(),
        np.eye(3).tolist(),
        {
            (fr(1, 0, 0), fr(1, 0, 0)),
            (fr(0, 1, 0), fr(0, 1, 0)),
            (fr(0, 0, 1), fr(0, 0, 1)),
            (fr("1/2", "1/2", 0), fr("1/2", "1/2", 0)),
            (fr("1/2", 0, "1/2"), fr("1/2", 0, "1/2")),
            (fr(0, "1/2", "1/2"), fr(0, "1/2", "1/2")),
            (fr("1/3", "1/3", "1/3"), fr("1/3", "1/3", "1/3")),
        },
    ),
    # von Stengel (2007), "Equilibrium computation for two-player games", the degenerate example:
    # the row player's Top is a best response to a whole segment of column strategies.
    "von-stengel-degenerate": Case(
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        {(fr(1, 0, 0), fr(1, 0)), (fr(1, 0, 0), fr("2/3", "1/3")), (fr(0, "1/3", "2/3"), fr("1/3", "2/3"))},
        degenerate=True,
        components=2,
    ),
    # Every profile is an equilibrium: one component spanned by the four pure profiles.
    "all-ties": Case(
        [[1, 1], [1, 1]],
        [[2, 2], [2, 2]],
        {(fr(1, 0), fr(1, 0)), (fr(1, 0), fr(0, 1)), (fr(0, 1), fr(1, 0)), (fr(0, 1), fr(0, 1))},
        degenerate=True,
        components=1,
    ),
    # Entry deterrence in strategic form: a pure equilibrium supported by a threat, and a
    # continuum where the entrant stays out against any mix with enough fighting.
    "entry-deterrence": Case(
        [[0, 0], [-1, 2]],
        [[4, 4], [-1, 2]],
        {(fr(1, 0), fr(1, 0)), (fr(1, 0), fr("2/3", "1/3")), (fr(0, 1), fr(0, 1))},
        degenerate=True,
        components=2,
    ),
}


def exact_set(solution):
    return {tuple(tuple(s) for s in e.exact_strategies) for e in solution.equilibria}


def rounded_set(solution, digits=9):
    return {
        tuple(tuple(round(float(p), digits) for p in s) for s in e.strategies) for e in solution.equilibria
    }


def as_rounded(fractions_set, digits=9):
    return {tuple(tuple(round(float(p), digits) for p in s) for s in eq) for eq in fractions_set}


@pytest.mark.parametrize("name", list(CASES))
def test_exact_enumeration_finds_exactly_the_known_equilibria(name):
    case = CASES[name]
    game = Game.from_matrices(case.A, case.B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(game, exact=True)
    assert exact_set(solution) == case.equilibria
    assert solution.degenerate == case.degenerate
    assert solution.complete
    assert all(e.regret == 0 for e in solution.equilibria)
    if case.components is not None:
        assert len(solution.components) == case.components


@pytest.mark.parametrize("name", list(CASES))
def test_float_enumeration_agrees_with_exact(name):
    case = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(Game.from_matrices(case.A, case.B))
    assert rounded_set(solution) == as_rounded(case.equilibria)
    assert solution.degenerate == case.degenerate
    assert solution.max_regret <= 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not c.degenerate])
@pytest.mark.parametrize("method", ["support", "nashpy-support", "nashpy-vertex"])
def test_other_complete_methods_agree_on_nondegenerate_games(name, method):
    case = CASES[name]
    solution = solve(Game.from_matrices(case.A, case.B), method)
    assert rounded_set(solution) == as_rounded(case.equilibria)


@pytest.mark.parametrize("name", list(CASES))
def test_lemke_howson_finds_only_extreme_equilibria(name):
    case = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exact = solve(Game.from_matrices(case.A, case.B), "lemke-howson", exact=True)
        floating = solve(Game.from_matrices(case.A, case.B), "lemke-howson")
    assert exact_set(exact) <= case.equilibria
    assert exact_set(exact)
    assert rounded_set(floating) <= as_rounded(case.equilibria)


def test_component_described_in_words():
    game = Game.from_matrices(
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        players=("row", "column"),
        strategies=(("Top", "Middle", "Bottom"), ("Left", "Right")),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(game, exact=True)
    descriptions = [c.description for c in solution.components]
    assert "row plays Top; column mixes Left/Right with Left at least 2/3" in descriptions
    assert "row mixes Middle 1/3, Bottom 2/3; column mixes Left 1/3, Right 2/3" in descriptions


def test_degenerate_game_warns_and_records_it():
    game = Game.from_matrices([[1, 1], [1, 1]], [[2, 2], [2, 2]])
    with pytest.warns(Warning, match="degenerate"):
        solution = solve(game)
    assert any("degenerate" in w for w in solution.warnings)


# -- three players ---------------------------------------------------------------------------


def three_player(payoff):
    """A 2x2x2 game from ``payoff(i, profile)``."""
    payoffs = np.zeros((3, 2, 2, 2))
    for i in range(3):
        for a in range(2):
            for b in range(2):
                for c in range(2):
                    payoffs[i, a, b, c] = payoff(i, (a, b, c))
    return Game(("p1", "p2", "p3"), (("H", "T"),) * 3, payoffs)


def test_three_player_matching_pennies_has_its_unique_mixed_equilibrium():
    # Jordan's game: 1 wants to match 2, 2 to match 3, 3 to mismatch 1. The only equilibrium
    # has everyone mixing half-half.
    def payoff(i, p):
        if i == 0:
            return 1 if p[0] == p[1] else -1
        if i == 1:
            return 1 if p[1] == p[2] else -1
        return 1 if p[2] != p[0] else -1

    game = three_player(payoff)
    solution = solve(game)
    assert solution.method == "logit"
    assert len(solution.equilibria) == 1
    (eq,) = solution.equilibria
    for s in eq.strategies:
        assert s == pytest.approx([0.5, 0.5], abs=1e-10)
    exact = solve(game, exact=True)
    assert exact.equilibria[0].exact_strategies == ((F(1, 2), F(1, 2)),) * 3


def test_three_player_coordination_pure_equilibria_and_a_verified_mixed_one():
    game = three_player(lambda i, p: 1.0 if len(set(p)) == 1 else 0.0)
    solution = solve(game)
    pure = {e.pure_profile() for e in solution.pure}
    assert pure == {(0, 0, 0), (1, 1, 1)}
    assert solution.max_regret <= 1e-9


@pytest.mark.slow
def test_pure_equilibria_of_three_player_game_match_brute_force():
    rng = np.random.default_rng(3)
    payoffs = rng.integers(0, 4, size=(3, 3, 3, 3)).astype(float)
    game = Game(("a", "b", "c"), (("x", "y", "z"),) * 3, payoffs)
    expected = set()
    for profile in game.profiles():
        if all(
            payoffs[(i, *profile)] >= max(payoffs[(i, *profile[:i], k, *profile[i + 1 :])] for k in range(3))
            for i in range(3)
        ):
            expected.add(profile)
    assert {e.pure_profile() for e in solve(game, "pure").equilibria} == expected
    assert {e.pure_profile() for e in solve(game).pure} == expected


def test_one_player_game():
    game = Game(("solo",), (("a", "b", "c"),), np.array([[1.0, 3.0, 3.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(game)
    assert {e.pure_profile() for e in solution.equilibria} == {(1,), (2,)}
    assert solution.degenerate


def test_infeasible_profile_is_never_an_equilibrium():
    # Without the restriction (D, D) would be the equilibrium of this Prisoner's Dilemma.
    mask = np.array([[False, False], [False, True]])
    game = Game(
        ("r", "c"),
        (("C", "D"), ("C", "D")),
        np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], float),
        infeasible=mask,
    )
    solution = solve(game)
    assert (1, 1) not in {e.pure_profile() for e in solution.equilibria}
    assert solution.equilibria
    assert solution.max_regret <= 1e-9
