"""The points of a sweep: grids, Monte Carlo draws and one-at-a-time ranges, on their own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from negsim.compile.source import load_source
from negsim.sweep import parse_sweep_spec
from negsim.sweep.points import DRAW_BLOCK, axis_values, build_points
from negsim.sweep.spec import GridAxis

SCENARIO = str(Path(__file__).parent / "data" / "sweeps" / "threshold.yaml")
GAME = load_source(SCENARIO).game   # sanction_cost 0..10 (default 2), security 0..10 (default 5)


def points_of(**kinds):
    spec = parse_sweep_spec({"negsim_sweep": 1, "id": "t", "scenario": SCENARIO, **kinds})
    return build_points(spec, GAME)


@pytest.mark.parametrize("axis, expected", [
    ({"start": 0, "stop": 10, "count": 5}, [0, 2.5, 5, 7.5, 10]),
    ({"start": 0, "stop": 1, "step": 0.1}, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]),
    ({"start": 0, "stop": 1, "step": 0.3}, [0, 0.3, 0.6, 0.9]),
    ({"start": 1, "stop": 1000, "count": 4, "scale": "log"}, [1, 10, 100, 1000]),
    ({"start": 0.5, "stop": 0.5, "count": 1}, [0.5]),
    ({"values": [2, 4, 8]}, [2, 4, 8]),
])
def test_grid_axis_values(axis, expected):
    values = axis_values(GridAxis(**axis))
    assert values.tolist() == expected      # exact: 0.3, not 0.30000000000000004


def test_linspace_ends_are_exact_and_every_value_lies_in_the_range():
    values = axis_values(GridAxis(start=0.1, stop=0.7, count=7))
    assert values[0] == 0.1 and values[-1] == 0.7
    assert np.all(np.diff(values) > 0)


def test_grid_points_first_parameter_slowest_others_at_their_values():
    points = points_of(grid={"security": {"values": [1, 2]},
                             "sanction_cost": {"start": 0, "stop": 10, "count": 3}},
                       set={})
    assert points.n_points == 6
    columns = points.columns(0, 6)
    assert columns["security"].tolist() == [1, 1, 1, 2, 2, 2]
    assert columns["sanction_cost"].tolist() == [0, 5, 10, 0, 5, 10]
    assert points.varied(0, 6) is None
    # any range of points gives the same values
    assert points.columns(2, 5)["sanction_cost"].tolist() == [10, 0, 5]


def test_grid_lines_run_along_each_axis_at_every_combination_of_the_others():
    points = points_of(grid={"security": {"values": [1, 2]},
                             "sanction_cost": {"start": 0, "stop": 10, "count": 3}})
    lines = list(points.lines())
    assert points.n_lines() == len(lines) == 3 + 2
    along_cost = [(line.points.tolist(), dict(line.fixed)) for line in lines
                  if line.parameter == "sanction_cost"]
    assert along_cost == [([0, 1, 2], {"security": 1.0}), ([3, 4, 5], {"security": 2.0})]
    along_security = [line.points.tolist() for line in lines if line.parameter == "security"]
    assert along_security == [[0, 3], [1, 4], [2, 5]]


def test_set_values_hold_for_every_point():
    points = points_of(grid={"sanction_cost": {"values": [1, 2]}}, set={"security": 9})
    assert points.columns(0, 2)["security"].tolist() == [9, 9]


def test_monte_carlo_is_reproducible_by_seed_and_independent_of_chunking():
    n = DRAW_BLOCK + 5_000
    mc = {"draws": n, "seed": 2025, "parameters": "all"}
    a = points_of(monte_carlo=mc)
    b = points_of(monte_carlo=mc)
    whole = a.columns(0, n)
    pieces = [b.columns(s, min(s + 30_000, n)) for s in range(0, n, 30_000)]
    for name in ("sanction_cost", "security"):
        assert np.array_equal(whole[name], np.concatenate([p[name] for p in pieces]))
        assert whole[name].min() >= 0 and whole[name].max() <= 10
    other = points_of(monte_carlo={**mc, "seed": 2026}).columns(0, 100)
    assert not np.array_equal(other["sanction_cost"], whole["sanction_cost"][:100])


def test_monte_carlo_without_a_seed_chooses_and_records_one():
    a = points_of(monte_carlo={"draws": 10})
    assert isinstance(a.seed, int)
    spec = parse_sweep_spec({"negsim_sweep": 1, "id": "t", "scenario": SCENARIO,
                             "monte_carlo": {"draws": 10}})
    again = build_points(spec, GAME, seed=a.seed)
    assert np.array_equal(a.columns(0, 10)["security"], again.columns(0, 10)["security"])


def test_distribution_parameters_shape_the_draws():
    n = 40_000
    points = points_of(monte_carlo={"draws": n, "seed": 7, "parameters": {
        "sanction_cost": {"distribution": "triangular", "low": 1, "mode": 2, "high": 6},
        "security": {"distribution": "normal", "mean": 9, "sd": 1},
    }})
    columns = points.columns(0, n)
    cost, security = columns["sanction_cost"], columns["security"]
    assert cost.min() >= 1 and cost.max() <= 6
    assert cost.mean() == pytest.approx(3.0, abs=0.03)          # (1 + 2 + 6) / 3
    # normal(9, 1) clipped to security's max 10: about 16% of draws sit exactly at 10
    assert security.max() == 10
    assert np.mean(security == 10) == pytest.approx(0.1587, abs=0.01)
    assert np.median(security) == pytest.approx(9, abs=0.03)


def test_uniform_defaults_to_the_range_and_choice_follows_weights():
    n = 20_000
    points = points_of(monte_carlo={"draws": n, "seed": 1, "parameters": {
        "sanction_cost": {"distribution": "uniform", "low": 2},
        "security": {"distribution": "choice", "values": [1, 4], "weights": [1, 3]},
    }})
    columns = points.columns(0, n)
    assert columns["sanction_cost"].min() >= 2 and columns["sanction_cost"].max() <= 10
    assert columns["sanction_cost"].mean() == pytest.approx(6, abs=0.1)
    assert set(np.unique(columns["security"])) == {1.0, 4.0}
    assert np.mean(columns["security"] == 4) == pytest.approx(0.75, abs=0.015)


def test_one_at_a_time_moves_one_parameter_at_a_time():
    points = points_of(one_at_a_time={"parameters": "all", "count": 3})
    assert points.n_points == 6
    columns = points.columns(0, 6)
    assert columns["sanction_cost"].tolist() == [0, 5, 10, 2, 2, 2]
    assert columns["security"].tolist() == [5, 5, 5, 0, 5, 10]
    assert points.varied(0, 6).tolist() == ["sanction_cost"] * 3 + ["security"] * 3
    lines = list(points.lines())
    assert [(line.parameter, line.points.tolist()) for line in lines] == [
        ("sanction_cost", [0, 1, 2]), ("security", [3, 4, 5])]


def test_one_at_a_time_of_a_list_keeps_the_others_at_set_values():
    points = points_of(one_at_a_time={"parameters": ["security"], "count": 2},
                       set={"sanction_cost": 7})
    columns = points.columns(0, 2)
    assert columns["security"].tolist() == [0, 10]
    assert columns["sanction_cost"].tolist() == [7, 7]
