"""Tipping points: located to 1e-6 of the parameter's range where the threshold is known
analytically, and said in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from negsim.sweep import parse_sweep_spec, run_sweep
from negsim.sweep.table import Labels
from negsim.sweep.tipping import describe_change, format_value

SWEEPS = Path(__file__).parent / "data" / "sweeps"


def sweep(tmp_path, scenario, **kinds):
    spec = parse_sweep_spec({"negsim_sweep": 1, "id": "tipping",
                             "scenario": str(SWEEPS / scenario), **kinds})
    return run_sweep(spec, runs_dir=tmp_path)


def test_threshold_at_ten_thirds_to_one_millionth_of_the_range(tmp_path):
    result = sweep(tmp_path, "threshold.yaml",
                   grid={"sanction_cost": {"start": 0, "stop": 10, "count": 11}})
    (tip,) = result.tipping_points
    assert abs(tip["value"] - 10 / 3) <= 1e-6 * 10
    assert tip["low"] < 10 / 3 < tip["high"] and tip["high"] - tip["low"] <= 1e-5
    assert tip["sentence"] == ("Turkey's equilibrium strategy moves from Full activation to "
                               "Limited activation when sanction_cost rises past 3.33333.")
    assert tip["from"] == "full / keep" and tip["to"] == "limited / keep"
    assert tip["players"] == {"turkey": {"from": "full", "to": "limited"}}
    assert tip["kind"] == "change" and tip["refined"] and tip["line"] == {}
    assert result.manifest["tipping_points"] == 1


def test_several_changes_inside_one_grid_step_are_all_found(tmp_path):
    result = sweep(tmp_path, "three-regimes.yaml", grid={"x": {"values": [0, 10]}})
    values = [t["value"] for t in result.tipping_points]
    assert values == pytest.approx([2, 4], abs=1e-5)
    assert [t["sentence"] for t in result.tipping_points] == [
        "Turkey's equilibrium strategy moves from Scrap to Store when x rises past 2.",
        "Turkey's equilibrium strategy moves from Store to Full activation when x rises past 4.",
    ]


def test_a_tie_exactly_on_a_grid_point(tmp_path):
    # At sanction_cost = 5 both activations pay the same; elsewhere limited is better.
    result = sweep(tmp_path, "tie-at-five.yaml",
                   grid={"sanction_cost": {"start": 0, "stop": 10, "count": 11}})
    (tip,) = result.tipping_points
    assert tip["kind"] == "point" and tip["value"] == pytest.approx(5, abs=1e-5)
    assert tip["through"] == "limited / keep | full / keep"
    assert tip["sentence"] == (
        "At sanction_cost = 5 exactly, full / keep (Full activation / keep) is also an "
        "equilibrium (on both sides: limited / keep (Limited activation / keep)).")


def test_two_dimensional_grid_has_change_points_along_both_directions(tmp_path):
    # Turkey activates fully while security + 0.5 > sanction_cost.
    result = sweep(tmp_path, "diagonal.yaml",
                   grid={"sanction_cost": {"start": 0, "stop": 10, "count": 5},
                         "security": {"start": 0, "stop": 10, "count": 5}})
    along_cost = [(t["line"]["security"], t["value"]) for t in result.tipping_points
                  if t["parameter"] == "sanction_cost"]
    along_security = [(t["line"]["sanction_cost"], t["value"]) for t in result.tipping_points
                      if t["parameter"] == "security"]
    assert along_cost == [(s, pytest.approx(s + 0.5, abs=1e-5)) for s in (0, 2.5, 5, 7.5)]
    assert along_security == [(c, pytest.approx(c - 0.5, abs=1e-5)) for c in (2.5, 5, 7.5, 10)]
    assert result.tipping_points[0]["sentence"] == (
        "Turkey's equilibrium strategy moves from Full activation to Limited activation when "
        "sanction_cost rises past 0.5 (with security = 0).")


def test_a_threshold_on_a_grid_point_is_one_tipping_point_through_the_tie(tmp_path):
    result = sweep(tmp_path, "diagonal.yaml",
                   grid={"sanction_cost": {"start": 0, "stop": 10, "count": 5}},
                   set={"security": 2})
    (tip,) = result.tipping_points
    assert tip["value"] == pytest.approx(2.5, abs=1e-5)
    assert tip["from"] == "full / keep" and tip["to"] == "limited / keep"
    assert tip["through"] == "limited / keep | full / keep"


def test_one_at_a_time_ranking(tmp_path):
    result = sweep(tmp_path, "threshold.yaml", one_at_a_time={"count": 11})
    first, second = result.sensitivity
    assert first["parameter"] == "sanction_cost" and first["rank"] == 1
    assert first["outcome_low"] == "full / keep" and first["outcome_high"] == "limited / keep"
    assert first["outcome_changes"] == 1
    assert first["tipping_values"] == [pytest.approx(10 / 3, abs=1e-5)]
    assert first["payoff"]["turkey"] == {"at_low": 10.0, "at_high": 0.0, "min": 0.0,
                                         "max": 10.0, "swing": 10.0}
    assert first["swing"] == 10.0 and first["default"] == 2.0
    assert second["parameter"] == "security" and second["outcome_changes"] == 0
    assert second["swing"] == 0.0 and second["outcomes"] == ["full / keep"]


LABELS = Labels(players=("turkey", "us"), player_names=("Turkey", "United States"),
                strategies=(("store", "limited", "full"), ("keep", "incentives")),
                strategy_names=(("Keep stored", "Limited activation", "Full activation"),
                                ("Keep sanctions", "Sanctions plus incentives")),
                parameters=("sanction_cost",))
STORE_INC = ((0,), (1,))
LIMITED_KEEP = ((1,), (0,))
FULL_KEEP = ((2,), (0,))
MIXED = ((1, 2), (0, 1))


@pytest.mark.parametrize("before, after, sentence", [
    ([FULL_KEEP], [LIMITED_KEEP],
     "Turkey's equilibrium strategy moves from Full activation to Limited activation when "
     "sanction_cost rises past 3.724."),
    ([FULL_KEEP], [STORE_INC],
     "Turkey's equilibrium strategy moves from Full activation to Keep stored and United "
     "States' from Keep sanctions to Sanctions plus incentives when sanction_cost rises past "
     "3.724."),
    ([FULL_KEEP], [MIXED],
     "Turkey's equilibrium strategy moves from Full activation to a mix of Limited activation "
     "and Full activation and United States' from Keep sanctions to a mix of Keep sanctions and "
     "Sanctions plus incentives when sanction_cost rises past 3.724."),
    ([LIMITED_KEEP], [STORE_INC, LIMITED_KEEP],
     "When sanction_cost rises past 3.724, store / incentives (Keep stored / Sanctions plus "
     "incentives) becomes an equilibrium too, beside limited / keep (Limited activation / Keep "
     "sanctions)."),
    ([STORE_INC, LIMITED_KEEP], [STORE_INC],
     "When sanction_cost rises past 3.724, limited / keep (Limited activation / Keep sanctions) "
     "stops being an equilibrium; store / incentives (Keep stored / Sanctions plus incentives) "
     "remains."),
    ([STORE_INC, LIMITED_KEEP], [FULL_KEEP],
     "When sanction_cost rises past 3.724, the equilibria change from store / incentives (Keep "
     "stored / Sanctions plus incentives) and limited / keep (Limited activation / Keep "
     "sanctions) to full / keep (Full activation / Keep sanctions)."),
    ([], [FULL_KEEP],
     "When sanction_cost rises past 3.724, an equilibrium is found: full / keep (Full "
     "activation / Keep sanctions)."),
])
def test_sentences(before, after, sentence):
    assert describe_change(LABELS, "sanction_cost", "3.724", before, after) == sentence


@pytest.mark.parametrize("low, high, text", [
    (3.3333282, 3.3333358, "3.33333"), (1.999996, 2.0, "2"), (0.2499995, 0.2500005, "0.25"),
    (1234.1, 1234.9, "1234.5"), (1234.1, 1235.2, "1235"), (-0.000004, 0.000005, "0"),
    (-2.0000004, -1.9999996, "-2"), (2.0, 2.0, "2"),
])
def test_values_are_shown_as_the_shortest_decimal_in_the_bracket(low, high, text):
    assert format_value(low, high) == text
