"""Replicator dynamics against textbook results (Weibull 1995; Hofbauer and Sigmund 1998)."""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import numpy as np
import pytest

from negsim.dynamics import (
    IntegrationError,
    Integrator,
    classify,
    discrete_replicator,
    replicator,
    replicator_jacobian,
    replicator_velocity,
    rest_points,
    tangent_eigenvalues,
)
from negsim.errors import InputError
from negsim.game import Game


def symmetric(A, names=None, title=""):
    A = np.asarray(A, dtype=float)
    strategies = [names or [str(k + 1) for k in range(len(A))]] * 2
    return Game.from_matrices(A, A.T, strategies=strategies, title=title)


def rps(win=1.0, loss=1.0):
    """Rock-Paper-Scissors with payoff ``win`` for a win and ``-loss`` for a loss (Hofbauer-Sigmund 7.7)."""
    return symmetric([[0, -loss, win], [win, 0, -loss], [-loss, win, 0]], ["rock", "paper", "scissors"])


def hawk_dove(V, C):
    return symmetric([[(V - C) / 2, V], [0, V / 2]], ["hawk", "dove"])


def hawk_dove_bourgeois(V, C):
    """Maynard Smith (1982): Bourgeois plays hawk as owner, dove as intruder, each half the time."""
    rows = [[(V - C) / 2, V, 3 * V / 4 - C / 4], [0, V / 2, V / 4], [(V - C) / 4, 3 * V / 4, V / 2]]
    return symmetric(rows, ["hawk", "dove", "bourgeois"])


PD = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=[["C", "D"], ["C", "D"]])
STAG_HUNT = symmetric([[4, 0], [3, 3]], ["stag", "hare"])


# -- Rock-Paper-Scissors -------------------------------------------------------------------------------


def test_zero_sum_rps_conserves_the_product_of_shares_to_the_integrator_tolerance():
    # Hofbauer-Sigmund 7.7: with win = loss, x1 x2 x3 is a constant of motion; orbits are closed.
    t = replicator(rps(), [0.5, 0.3, 0.2], population="single", horizon=60, samples=601)
    product = np.prod(t.states[0], axis=1)
    drift = float(np.max(np.abs(product / product[0] - 1)))
    assert drift < 1e-6, drift  # rtol 1e-9 per step; the drift measured is about 4e-9
    assert t.outcome.kind == "closed orbit"
    assert t.integration is not None and t.integration.method == "DOP853" and t.integration.rtol == 1e-9


def test_small_rps_orbits_have_the_linearised_period():
    # the interior rest point's eigenvalues are +-i/sqrt(3): small orbits take 2 pi sqrt(3)
    t = replicator(rps(), [1 / 3 + 1e-3, 1 / 3, 1 / 3 - 1e-3], population="single", horizon=40)
    assert t.outcome.kind == "closed orbit"
    assert t.outcome.period == pytest.approx(2 * math.pi * math.sqrt(3), rel=1e-4)
    centre = rest_points(rps(), population="single").find([np.full(3, 1 / 3)] * 2)
    assert centre.stability == "centre"
    assert sorted(v.imag for v in centre.eigenvalues) == pytest.approx([-1 / math.sqrt(3), 1 / math.sqrt(3)])


def test_rps_with_win_above_loss_converges_to_the_centre():
    t = replicator(rps(win=2, loss=1), [0.6, 0.3, 0.1], population="single", horizon=150)
    product = np.prod(t.states[0], axis=1)
    assert np.all(np.diff(product) > -1e-12)            # x1 x2 x3 is a Lyapunov function here
    assert t.outcome.kind == "rest point" and t.outcome.reached
    assert t.end[0] == pytest.approx([1 / 3] * 3, abs=1e-6)
    assert rest_points(rps(2, 1), population="single").find([np.full(3, 1 / 3)] * 2).stability == "sink"


def test_rps_with_win_below_loss_spirals_out_towards_the_boundary():
    t = replicator(rps(win=1, loss=2), [0.4, 0.33, 0.27], population="single", horizon=150)
    product = np.prod(t.states[0], axis=1)
    assert np.all(np.diff(product) < 1e-12)
    assert product[-1] < 1e-3 * product[0]               # near the heteroclinic cycle of the boundary
    assert t.outcome.kind in ("moving", "near unstable rest point") and not t.outcome.reached
    centre = rest_points(rps(1, 2), population="single").find([np.full(3, 1 / 3)] * 2)
    assert centre.stability == "source"


# -- Hawk-Dove, Prisoner's Dilemma, stag hunt --------------------------------------------------------


@pytest.mark.parametrize("V, C", [pytest.param(2, 4, id="V2-C4"), pytest.param(1, 3, id="V1-C3"),
                                  pytest.param(3, 5, id="V3-C5")])
def test_hawk_dove_one_population_goes_to_the_mixed_ess(V, C):
    game = hawk_dove(V, C)
    t = replicator(game, [0.05, 0.95], population="single")
    assert t.outcome.kind == "rest point" and t.outcome.reached
    assert float(t.end[0][0]) == pytest.approx(V / C, abs=1e-9)
    rest = rest_points(game, population="single")
    (ess,) = rest.stable
    assert ess.exact[0] == (F(V, C), 1 - F(V, C))       # Weibull 1995, ex. 3.4: hawks at V/C, exactly
    assert ess.eigenvalues[0].real == pytest.approx(-(V / C) * (1 - V / C) * C / 2)


def test_hawk_dove_two_populations_split_into_a_hawk_and_a_dove():
    # Weibull ch. 5: with two populations the mixed equilibrium is a saddle; one side turns hawk
    game = hawk_dove(2, 4)
    assert replicator(game, [[0.6, 0.4], [0.4, 0.6]]).outcome.label == "hawk / dove"
    assert replicator(game, [[0.4, 0.6], [0.6, 0.4]]).outcome.label == "dove / hawk"
    verdicts = {p.label(game): p.stability for p in rest_points(game).points}
    assert verdicts == {"hawk / dove": "sink", "dove / hawk": "sink", "hawk+dove / hawk+dove": "saddle",
                        "hawk / hawk": "source", "dove / dove": "source"}


@pytest.mark.parametrize("population", ["single", "per-player"])
def test_defection_takes_over_in_the_prisoners_dilemma(population):
    start = [0.99, 0.01] if population == "single" else [[0.99, 0.01], [0.95, 0.05]]
    t = replicator(PD, start, population=population, horizon=60)
    assert t.outcome.kind == "rest point" and t.outcome.label == "D / D" and t.outcome.reached
    cooperation = t.states[0][:, 0]
    assert np.all(np.diff(cooperation) < 0)              # C is strictly dominated: it falls all the time


def test_discrete_replicator_also_eliminates_cooperation():
    t = discrete_replicator(PD, [0.9, 0.1], population="single", steps=400)
    assert t.outcome.label == "D / D" and t.outcome.reached
    assert np.all(np.diff(t.states[0][:, 0]) < 0)
    with pytest.raises(InputError):
        discrete_replicator(PD, population="single", background=-0.5)   # fitness 0 at payoff 0


def test_stag_hunt_one_population_splits_at_the_mixed_equilibrium():
    assert replicator(STAG_HUNT, [0.76, 0.24], population="single").outcome.label == "stag / stag"
    assert replicator(STAG_HUNT, [0.74, 0.26], population="single").outcome.label == "hare / hare"


def test_hawk_dove_bourgeois_makes_bourgeois_the_ess():
    # Maynard Smith (1982): with V < C the Bourgeois convention is the only ESS
    game = hawk_dove_bourgeois(2, 4)
    t = replicator(game, [0.3, 0.5, 0.2], population="single")
    assert t.outcome.label == "bourgeois / bourgeois" and t.outcome.reached
    rest = rest_points(game, population="single")
    assert [p.label(game) for p in rest.stable] == ["bourgeois / bourgeois"]
    hawk_dove_mix = rest.find([np.array([0.5, 0.5, 0.0])] * 2)
    assert hawk_dove_mix.equilibrium and hawk_dove_mix.stability == "non-hyperbolic"


# -- the machinery -------------------------------------------------------------------------------------


def test_faces_are_invariant_and_a_missing_strategy_stays_missing():
    t = replicator(rps(), [0.5, 0.5, 0.0], population="single", horizon=30)
    assert np.all(t.states[0][:, 2] == 0.0)
    # on the rock-paper edge paper beats rock: all paper is a rest point, but no equilibrium
    # (scissors would invade), so the outcome does not claim to have reached one
    assert t.end[0][1] == pytest.approx(1.0, abs=1e-9)
    assert t.outcome.kind == "rest point" and not t.outcome.reached and t.outcome.regret == pytest.approx(1.0)


def test_jacobian_matches_finite_differences_for_three_players():
    rng = np.random.default_rng(3)
    game = Game.from_matrices(*rng.normal(size=(3, 2, 3, 2)))
    x = (np.array([0.3, 0.7]), np.array([0.2, 0.5, 0.3]), np.array([0.6, 0.4]))
    J = replicator_jacobian(game, x)
    flat = np.concatenate(x)
    h = 1e-6
    numeric = np.zeros_like(J)
    for k in range(len(flat)):
        up, down = flat.copy(), flat.copy()
        up[k] += h
        down[k] -= h
        split = lambda v: [v[:2], v[2:5], v[5:]]  # noqa: E731
        numeric[:, k] = (np.concatenate(replicator_velocity(game, split(up)))
                         - np.concatenate(replicator_velocity(game, split(down)))) / (2 * h)
    assert J == pytest.approx(numeric, abs=1e-7)
    assert len(tangent_eigenvalues(J, game.shape)) == 4


@pytest.mark.parametrize("eigenvalues, verdict", [
    pytest.param([-1, -2], "sink", id="sink"), pytest.param([1, 2], "source", id="source"),
    pytest.param([1, -1], "saddle", id="saddle"), pytest.param([1j, -1j], "centre", id="centre"),
    pytest.param([0, -1], "non-hyperbolic", id="zero-and-negative"),
    pytest.param([0, 1], "unstable", id="zero-and-positive"),
    pytest.param([-1 + 1j, -1 - 1j], "sink", id="stable-spiral"),
])
def test_stability_verdicts(eigenvalues, verdict):
    assert classify(eigenvalues) == verdict


def test_bad_requests_are_input_errors_naming_the_key():
    with pytest.raises(InputError) as error:
        replicator(PD, [[0.5, 0.6], [1.0]])
    assert {p.path for p in error.value.problems} == {"start.player1", "start.player2"}
    with pytest.raises(InputError, match="horizon"):
        replicator(PD, horizon=-1)
    with pytest.raises(InputError, match="symmetric"):
        replicator(Game.from_matrices([[1, 0], [0, 1]], [[0, 1], [1, 0]]), population="single")
    with pytest.raises(InputError):
        replicator(PD, population="everyone")
    with pytest.raises(InputError):
        Integrator(method="Euler")
    with pytest.raises(InputError):
        replicator(PD, {"player1": {"C": 1.0}, "player3": {"C": 1.0}})


def test_a_failing_integration_raises_instead_of_returning_a_short_trajectory():
    with pytest.raises(IntegrationError):   # the step size collapses: payoffs near the float limit
        replicator(symmetric([[1e300, 0], [0, -1e300]]), [0.5, 0.5], population="single", horizon=10)


def test_trajectories_are_json_ready_and_reproducible():
    a = replicator(hawk_dove(2, 4), [0.2, 0.8], population="single", horizon=20, samples=21)
    b = replicator(hawk_dove(2, 4), [0.2, 0.8], population="single", horizon=20, samples=21)
    data = json.loads(json.dumps(a.to_dict()))
    assert data == json.loads(json.dumps(b.to_dict()))
    assert data["outcome"]["kind"] == a.outcome.kind and len(data["times"]) == 21
    assert data["integration"]["method"] == "DOP853"
    rest = json.loads(json.dumps(rest_points(hawk_dove(2, 4)).to_dict()))
    assert rest["rest_points"][0]["stability"] == "sink"


def test_three_player_rest_points_list_the_pure_profiles_and_the_equilibria_found():
    rng = np.random.default_rng(5)
    game = Game.from_matrices(*rng.normal(size=(3, 2, 2, 2)))
    rest = rest_points(game)
    assert not rest.complete   # supports are not enumerated beyond two players
    for profile in game.profiles():
        assert rest.find([np.eye(2)[k] for k in profile]) is not None
    from negsim.solve import solve

    for e in solve(game).equilibria:
        assert rest.find(e.strategies).equilibrium


def test_infeasible_profiles_are_every_players_worst_outcome_for_the_dynamics():
    # (A, A) would pay both players 9, but it cannot happen: play must not go there
    game = Game.from_matrices([[9, 0], [0, 1]], [[9, 0], [0, 1]], strategies=[["A", "B"]] * 2,
                              infeasible=np.array([[True, False], [False, False]]))
    t = replicator(game, [[0.9, 0.1], [0.9, 0.1]], horizon=60)
    assert t.outcome.label == "B / B" and t.outcome.reached
    assert [p.label(game) for p in rest_points(game).stable] == ["B / B"]
