"""Basins of attraction: simulated shares against the exact separatrix of 2x2 games."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest

from negsim.dynamics import basins, grid_starts, rest_points, separatrix
from negsim.dynamics.replicator import replicator_flow
from negsim.dynamics.trajectory import nearest_equilibrium
from negsim.errors import InputError
from negsim.game import Game

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

STAG_HUNT = Game.from_matrices([[4, 0], [3, 3]], [[4, 3], [0, 3]], strategies=[["stag", "hare"]] * 2)
#: an asymmetric coordination game: the row player's mixed-equilibrium threshold differs from the column's
ASYMMETRIC = Game.from_matrices([[5, 0], [1, 2]], [[3, 0], [0, 1]])
CHICKEN = Game.from_matrices(
    [[0, -1], [1, -10]], [[0, 1], [-1, -10]], strategies=[["swerve", "straight"]] * 2
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "game, top, bottom",
    [
        pytest.param(STAG_HUNT, "stag / stag", "hare / hare", id="stag-hunt"),
        pytest.param(ASYMMETRIC, "1 / 1", "2 / 2", id="asymmetric-coordination"),
        pytest.param(CHICKEN, "straight / swerve", "swerve / straight", id="chicken-anti-coordination"),
    ],
)
def test_two_population_basins_are_split_by_the_exact_separatrix(game, top, bottom):
    n = 16
    result = basins(game, resolution=n)
    boundary = result.separatrix
    assert boundary is not None
    labels = {
        k: game_label
        for k, game_label in ((k, result.solution.equilibria[k].label(game)) for k in boundary.shares)
    }
    assert sorted(labels.values()) == sorted([top, bottom])
    curve = boundary.points
    # the curve passes through the mixed equilibrium
    mixed = next(e for e in result.solution.equilibria if e.kind == "mixed")
    p_star, q_star = mixed.strategies[0][0], mixed.strategies[1][0]
    assert np.interp(p_star, curve[:, 0], curve[:, 1]) == pytest.approx(q_star)
    # every start clearly on one side of the curve reaches that side's equilibrium
    spacing = 1.0 / n
    for start, reached in zip(result.starts, result.reached):
        p, q = float(start[0][0]), float(start[1][0])
        q_sep = np.interp(p, curve[:, 0], curve[:, 1])
        if abs(q - q_sep) > spacing:
            expected = top if q > q_sep else bottom
            assert result.solution.equilibria[reached].label(game) == expected, (p, q)
    # and the simulated shares estimate the exact areas to within the grid's resolution
    for k, exact in boundary.shares.items():
        assert result.share(k) == pytest.approx(exact, abs=2.5 * spacing)
    assert sum(boundary.shares.values()) == pytest.approx(1.0)


@pytest.mark.slow
def test_stag_hunt_basin_of_stag_is_the_smaller_one():
    # the risk-dominant equilibrium (hare) has the larger basin under the replicator
    boundary = separatrix(STAG_HUNT)
    equilibria = basins(STAG_HUNT, resolution=2).solution.equilibria
    shares = {
        STAG_HUNT.profile_label(e.pure_profile()): boundary.shares[k]
        for k, e in enumerate(equilibria)
        if k in boundary.shares
    }
    assert shares["stag / stag"] == pytest.approx(0.16095, abs=1e-4)
    assert shares["hare / hare"] > 0.8


def test_one_population_stag_hunt_splits_exactly_at_three_quarters():
    result = basins(STAG_HUNT, population="single", resolution=20)
    assert result.separatrix.threshold == F(3, 4)
    assert result.shares() == {"stag / stag": 0.25, "hare / hare": 0.75}
    for start, reached in zip(result.starts, result.reached):
        expected = "stag / stag" if start[0][0] > 0.75 else "hare / hare"
        assert result.solution.equilibria[reached].label(STAG_HUNT) == expected


@pytest.mark.parametrize(
    "game",
    [
        pytest.param(Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]]), id="prisoners-dilemma"),
        pytest.param(Game.from_matrices([[1, -1], [-1, 1]]), id="matching-pennies"),
    ],
)
def test_no_separatrix_without_an_interior_saddle(game):
    assert separatrix(game) is None


@pytest.mark.parametrize("population, resolution", [("single", 6), ("per-player", 3)])
def test_three_strategy_coordination_basins_are_symmetric(population, resolution):
    coordination = Game.from_matrices(np.eye(3), np.eye(3))
    result = basins(coordination, population=population, resolution=resolution, horizon=60)
    pure = [k for k, e in enumerate(result.solution.equilibria) if e.kind == "pure"]
    shares = [result.share(k) for k in pure]
    assert len(shares) == 3 and shares[0] > 0.2
    assert shares == pytest.approx([shares[0]] * 3)  # the grid is as symmetric as the game
    # the other starts lie on basin boundaries (symmetry planes of the grid), on the stable
    # manifold of a mixed equilibrium that is a saddle of the replicator: they end at it, or
    # (where rounding has begun to push them off the manifold) still beside it at the horizon
    rest = rest_points(coordination, population=population)
    others = [k for k, r in enumerate(result.reached) if int(r) not in pure]
    assert others, "the symmetric grid has starts on the symmetry planes"
    times = np.array([0.0, 60.0])
    for k in others:
        xs, _, _ = replicator_flow(coordination, [result.starts[k]], times, population=population)
        end = tuple(x[0, -1] for x in xs)
        index, gap = nearest_equilibrium(result.solution, end)
        assert index is not None and gap < 1e-2
        assert int(result.reached[k]) in (index, -1)
        assert rest.find(result.solution.equilibria[index].strategies).stability == "saddle"


@pytest.mark.slow
def test_fictitious_play_basins_favour_the_risk_dominant_equilibrium():
    result = basins(STAG_HUNT, dynamics="fictitious play", resolution=6, steps=300)
    shares = result.shares()
    assert shares["hare / hare"] > shares["stag / stag"] > 0
    assert result.separatrix is None  # the exact curve is the replicator's


@pytest.mark.slow
def test_random_starts_are_seeded_and_json_ready():
    game = Game.from_matrices(np.eye(4), np.eye(4))
    a = basins(game, samples=40, seed=2, horizon=40)
    b = basins(game, samples=40, seed=2, horizon=40)
    assert np.array_equal(a.reached, b.reached) and len(a.starts) == 40
    data = json.loads(json.dumps(a.to_dict()))
    assert data["settings"]["seed"] == 2 and sum(data["shares"].values()) == pytest.approx(1.0)
    assert data["integration"]["method"] == "DOP853"


def test_grid_starts_are_cell_centres_of_equal_area():
    starts, grid = grid_starts(STAG_HUNT, 4)
    assert grid == (4, 4) and len(starts) == 16
    assert sorted({float(s[0][0]) for s in starts}) == [0.125, 0.375, 0.625, 0.875]
    cells, _ = grid_starts(Game.from_matrices(np.eye(3), np.eye(3)), 5, "single")
    shares = np.array([c[0] for c in cells])
    assert len(cells) == 25 and shares.mean(axis=0) == pytest.approx([1 / 3] * 3)


def test_bad_basin_requests_are_input_errors():
    with pytest.raises(InputError):
        basins(STAG_HUNT, dynamics="gradient")
    with pytest.raises(InputError):
        basins(Game.from_matrices(np.eye(4), np.eye(4)))  # no grid for 4x4: give samples
    with pytest.raises(InputError):
        basins(STAG_HUNT, dynamics="fictitious play", population="single")


def test_phase_portraits_are_json_ready():
    from negsim.dynamics import phase_portrait

    data = json.loads(json.dumps(phase_portrait(STAG_HUNT, horizon=5, samples=11, resolution=4).to_dict()))
    assert data["kind"] == "square" and len(data["field_points"]) == 16
    assert {p["stability"] for p in data["rest"]["rest_points"]} == {"sink", "saddle", "source"}
    assert data["separatrix"]["shares"]
