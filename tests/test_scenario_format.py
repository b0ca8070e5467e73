"""The scenario format on small inline files: each feature, and the problems it reports."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from negsim.compile import compile_scenario
from negsim.errors import InputError
from negsim.scenario import Scenario, ScenarioError, load_scenario, parse_scenario, resolve_scenario

DATA = Path(__file__).parent / "data" / "scenarios"

PLAYERS = """
players:
  row:
    strategies:
      c: {attributes: {nice: 1}}
      d: {attributes: {nice: 0}}
  col:
    strategies:
      c: {attributes: {nice: 1}}
      d: {attributes: {nice: 0}}
"""


def scenario(body: str, head: str = "negsim: 1\nid: t\ntitle: T\n", **kwargs) -> Scenario:
    return parse_scenario(head + textwrap.dedent(body), file="t.yaml", **kwargs)


def problems(body: str, **kwargs) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        compile_scenario(scenario(body, **kwargs))
    return [str(p) for p in info.value.problems]


PD = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)

PD_FORMS = {
    "expressions": """
        payoffs:
          row: 3 * row.nice * col.nice + 5 * (1 - row.nice) * col.nice + (1 - row.nice) * (1 - col.nice)
          col: 3 * row.c * col.c + 5 * row.c * col.d + row.d * col.d
        """,
    "matrix": """
        payoffs:
          matrix:
            row: [[3, 0], [5, 1]]
            col: [[3, "5"], [0, "0.5 * 2"]]
        """,
    "table (mappings)": """
        payoffs:
          table:
            - {profile: {row: c, col: c}, payoffs: {row: 3, col: 3}}
            - {profile: {row: c, col: d}, payoffs: {row: 0, col: 5}}
            - {profile: {row: d, col: c}, payoffs: {row: 5, col: 0}}
            - {profile: {row: d, col: d}, payoffs: {row: 1, col: 1}}
        """,
    "table (lists)": """
        payoffs:
          table:
            - {profile: [c, c], payoffs: [3, 3]}
            - {profile: [c, d], payoffs: [0, 5]}
            - {profile: [d, c], payoffs: [5, "2 + 3 - 5"]}
            - {profile: [d, d], payoffs: [1, 1]}
        """,
}


@pytest.mark.parametrize("form", PD_FORMS, ids=list(PD_FORMS))
def test_every_payoff_form_gives_the_same_prisoners_dilemma(form):
    game = compile_scenario(scenario(PLAYERS + textwrap.dedent(PD_FORMS[form]))).game()
    np.testing.assert_array_equal(game.payoffs, PD)
    assert game.players == ("row", "col")
    assert game.strategies == (("c", "d"), ("c", "d"))


def test_ranking_gives_levels_best_highest_and_ties_share_a_level():
    s = scenario(PLAYERS + textwrap.dedent("""
        payoffs:
          ranking:
            row: [[d, c], [c, c], [[d, d], {row: c, col: d}]]
            col: [{row: c, col: d}, [c, c], [d, d], [d, c]]
        """))
    assert s.payoff_form == "ranking"
    payoffs = compile_scenario(s).game().payoffs
    np.testing.assert_array_equal(payoffs[0], [[2, 1], [3, 1]])
    np.testing.assert_array_equal(payoffs[1], [[3, 4], [1, 2]])


def test_the_s400_fixture_compiles_with_names_bounds_infeasible_and_status_quo():
    s = load_scenario(DATA / "s400-mini.yaml")
    game = compile_scenario(s)
    assert game.id == "s400-mini"
    assert game.source == str(DATA / "s400-mini.yaml")
    assert game.player_names == ("Turkey", "United States")
    assert game.strategy_names[0] == ("scrap", "store", "Limited activation")
    assert game.defaults == {"sanction_cost": 4.0, "security": 6.0}
    assert game.bounds == {"sanction_cost": (0.0, 10.0), "security": (0.0, 10.0)}
    assert game.status_quo == (1, 1)
    assert game.infeasible.tolist() == [[True, False], [False, False], [False, False]]
    # turkey: security * active + 2 * kept - sanction_cost * sanctions, at limited/sanction
    assert game.game().payoffs[0, 2, 0] == pytest.approx(6 * 0.5 + 2 - 4)
    assert s.parameters["sanction_cost"].direction == {"turkey": "worse", "us": "better"}
    assert s.sources[0].file == "003_cb3be27c97f79b91.txt"


def test_a_sweep_is_one_vectorised_call_equal_to_point_by_point():
    game = compile_scenario(load_scenario(DATA / "s400-mini.yaml"))
    rng = np.random.default_rng(1)
    points = {"sanction_cost": rng.uniform(0, 10, 50), "security": rng.uniform(0, 10, 50)}
    batch = game.evaluate(points)
    assert batch.shape == (50, 2, 3, 2)
    for k in range(50):
        single = game.game({name: values[k] for name, values in points.items()}).payoffs
        np.testing.assert_allclose(batch[k], single)


def test_matrix_cells_with_parameters_are_evaluated_for_all_points():
    s = scenario("""
        parameters: {x: {value: 1}}
        players:
          a: {strategies: {u: {}, v: {}}}
        payoffs:
          matrix:
            a: ["2 * x", "x ** 2"]
        """)
    payoffs = compile_scenario(s).evaluate({"x": [1, 2, 3]})
    np.testing.assert_array_equal(payoffs[:, 0], [[2, 1], [4, 4], [6, 9]])


def test_yaml_scalars_follow_yaml_1_2_so_no_and_dates_stay_text():
    s = scenario("""
        date: 2025-11
        players:
          a: {strategies: {no: {}, yes: {}}}
        payoffs: {a: a.no}
        """)
    assert s.date == "2025-11"
    assert list(s.players["a"].strategies) == ["no", "yes"]


def test_a_scenario_built_in_python_is_checked_too():
    with pytest.raises(ValueError, match="unknown player 'b'"):
        Scenario.model_validate({
            "negsim": 1, "id": "x", "title": "x",
            "players": {"a": {"strategies": {"s": {}}}},
            "payoffs": {"a": 1, "b": 2},
        })


def test_division_by_zero_in_a_sweep_names_player_profile_and_parameter_values():
    game = compile_scenario(scenario("""
        parameters: {x: {value: 1}}
        players:
          a: {strategies: {u: {}, v: {}}}
        payoffs:
          a: 1 / x if a.v else 0
        """))
    with pytest.raises(InputError) as info:
        game.evaluate({"x": [1.0, 0.0, 2.0]})
    assert [str(p) for p in info.value.problems] == [
        "t.yaml:9:6: payoffs.a: payoff of 'a' is infinite at profile (v) with x=0 "
        "(a division by zero, or a log or sqrt of a negative number?)"
    ]


def test_invalid_payoffs_at_infeasible_profiles_do_not_matter():
    game = compile_scenario(scenario("""
        players:
          a: {strategies: {u: {}, v: {}}}
        payoffs:
          a: log(a.u)
        infeasible: [{a: v}]
        """)).game()
    assert game.payoffs.tolist() == [[0.0, 0.0]]  # log(1) at u; log(0) at v is replaced


def test_problems_in_several_sections_are_reported_together():
    lines = problems("""
        parameters:
          cost: {value: 1, min: 2}
        players:
          a:
            strategies:
              u: {attributes: {k: 1}}
              v: {attributes: {kk: 1}}
        payoffs:
          a: cost * a.k + b.k
        status_quo: {a: w}
        """)
    assert lines == [
        "t.yaml:6:17: parameters.cost.value: value 1 is below min (2)",
        "t.yaml:11:23: players.a.strategies.v.attributes: missing attribute 'k' (every strategy "
        "of 'a' needs the same attributes)",
        "t.yaml:11:24: players.a.strategies.v.attributes: unknown name 'kk' (did you mean 'k'?)",
        "t.yaml:13:19: payoffs.a: unknown player 'b' (expected one of: 'a')",
        "t.yaml:14:17: status_quo.a: unknown strategy 'w' of player 'a' (expected one of: "
        "'u', 'v')",
    ]


def test_schema_problems_and_reference_problems_come_together():
    lines = problems("""
        colour: red
        players:
          a: {strategies: {u: {}}}
        payoffs:
          a: a.w
        """)
    assert lines == [
        "t.yaml:5:1: unknown key 'colour'",
        "t.yaml:9:6: payoffs.a: unknown attribute or strategy 'w' of player 'a' (expected one "
        "of: 'u')",
    ]


def test_extends_merges_mappings_and_replaces_lists(tmp_path):
    base = (DATA / "s400-mini.yaml").read_text()
    (tmp_path / "base.yaml").write_text(base)
    (tmp_path / "variant.yaml").write_text(textwrap.dedent("""\
        negsim: 1
        id: s400-mini-costly
        extends: base.yaml
        title: Costlier sanctions
        tags: [variant]
        parameters:
          sanction_cost: {value: 8}
        """))
    variant = load_scenario(tmp_path / "variant.yaml")
    assert variant.parameters["sanction_cost"].value == 8
    assert variant.parameters["sanction_cost"].max == 10  # merged, not replaced
    assert variant.tags == ["variant"]  # lists replace
    assert variant.extends == "base.yaml"
    assert compile_scenario(variant).defaults["sanction_cost"] == 8


def test_extends_reports_problems_where_they_are(tmp_path):
    (tmp_path / "base.yaml").write_text((DATA / "s400-mini.yaml").read_text())
    (tmp_path / "variant.yaml").write_text(textwrap.dedent("""\
        negsim: 1
        id: v
        extends: base.yaml
        parameters:
          sanction_cost: {value: 11}
        """))
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "variant.yaml")
    variant = str(tmp_path / "variant.yaml")
    assert [str(p) for p in info.value.problems] == [
        f"{variant}:5:26: parameters.sanction_cost.value: value 11 is above max (10)",
    ]


def test_extends_a_built_in_scenario_by_id():
    s = scenario("""
        extends: prisoners-dilemma
        payoffs:
          matrix:
            row: [[3, 0], [4, 1]]
            column: [[3, 4], [0, 1]]
        """, head="negsim: 1\nid: weak-dilemma\n")
    assert s.title == "Prisoner's dilemma"
    assert compile_scenario(s).game().payoffs[0, 1, 0] == 4


def test_a_relative_extends_needs_a_folder():
    lines = [str(p) for p in pytest.raises(ScenarioError, scenario,
                                             "extends: base.yaml\n").value.problems]
    assert lines == ["t.yaml:4:10: extends: 'base.yaml': a relative path needs the scenario's "
                     "folder; only built-in ids can be extended here"]


def test_resolve_scenario_by_path_or_id_and_unknown_ids():
    assert resolve_scenario(str(DATA / "s400-mini.yaml")).id == "s400-mini"
    assert resolve_scenario("prisoners-dilemma").origin == "prisoners-dilemma"
    with pytest.raises(InputError, match=r"did you mean 'prisoners-dilemma'\?"):
        resolve_scenario("prisoners-dilema")
