"""Learning dynamics on the S-400 scenarios: where play settles, and from where."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from negsim.compile.source import load_source
from negsim.dynamics import (
    basins,
    best_response_dynamics,
    equilibria_of,
    fictitious_play,
    qre_path,
    replicator,
    rest_points,
)
from negsim.solve.dominance import iterated_elimination

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def limited_use():
    return load_source("s400-2025-limited-use")


def test_every_dynamic_settles_on_the_limited_use_stand_off_at_the_defaults(limited_use):
    game = limited_use.at()
    solution = equilibria_of(game)
    assert [e.label(game) for e in solution.equilibria] == ["limited / keep"]
    assert fictitious_play(game, steps=2000, solution=solution).trajectory.outcome.label == "limited / keep"
    assert replicator(game, horizon=100, solution=solution).outcome.reached
    assert best_response_dynamics(game).equilibrium == (game.strategy_index(0, "limited"),
                                                        game.strategy_index(1, "keep"))
    assert qre_path(game, solution=solution).limit_label() == "limited / keep"
    assert [p.label(game) for p in rest_points(game, solution=solution).stable] == ["limited / keep"]


def test_the_replicator_wipes_out_every_iteratively_dominated_option(limited_use):
    # Samuelson and Zhang (1992): along interior paths of the replicator, strategies removed by
    # iterated strict dominance die out
    game = limited_use.at()
    surviving = iterated_elimination(game).surviving
    t = replicator(game, horizon=100)
    for i, alive in enumerate(surviving):
        dead = [k for k in range(game.shape[i]) if k not in alive]
        assert dead and float(t.end[i][dead].max()) < 1e-6


def test_with_a_higher_sanction_cost_the_start_decides_between_the_two_deals(limited_use):
    # at sanction_cost 6 both the US deal (storage for incentives) and the stand-off are equilibria
    game = limited_use.at({"sanction_cost": 6})
    solution = equilibria_of(game)
    pure = sorted(e.label(game) for e in solution.pure)
    assert pure == ["limited / keep", "store / incentives"]
    # from uniform play, learning and the QRE all select the deal ...
    fp = fictitious_play(game, steps=2000, solution=solution)
    assert fp.trajectory.outcome.label == "store / incentives"
    assert replicator(game, horizon=100, solution=solution).outcome.label == "store / incentives"
    assert qre_path(game, solution=solution).limit_label() == "store / incentives"
    # ... but best responses from the status quo (storage under sanctions) end in the stand-off
    path = best_response_dynamics(game)
    assert game.profile_label(path.profiles[0]) == "store / keep"
    assert game.profile_label(path.equilibrium) == "limited / keep"
    # and both deals have a basin of attraction, the US deal's the larger
    shares = basins(game, samples=120, seed=1, horizon=100, solution=solution).shares()
    assert shares["store / incentives"] > shares["limited / keep"] > 0.02


def test_three_players_with_russia_settle_on_the_same_stand_off():
    game = load_source("s400-2025-with-russia").at()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = equilibria_of(game)
    fp = fictitious_play(game, steps=1500, solution=solution)
    t = replicator(game, horizon=100, solution=solution)
    assert fp.trajectory.outcome.label == t.outcome.label == "limited / keep / support"
    assert t.outcome.reached and np.isclose(t.end[2][0], 1.0)


def test_at_the_tipping_point_play_rests_inside_a_set_of_equilibria(limited_use):
    # at sanction_cost 5 Turkey is indifferent between storage and limited use against the
    # incentives: the equilibria form a segment, and the replicator stops inside it
    game = limited_use.at({"sanction_cost": 5})
    solution = equilibria_of(game)
    assert solution.degenerate
    outcome = replicator(game, horizon=200, solution=solution).outcome
    assert outcome.kind == "rest point" and outcome.at_equilibrium and not outcome.reached
    assert outcome.distance > 0.01 and "between the extreme equilibria" in outcome.description
