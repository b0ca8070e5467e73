"""The scenario sections ``bargaining`` and ``repeated``: each problem located in the file with a
did-you-mean, declarations compiled into the engine's arguments (parameters included, so sweeps
can vary them), changes from Python and the command line merged over them, and problems at other
parameter values placed where the value came from."""

from __future__ import annotations

import textwrap
from fractions import Fraction as F

import numpy as np
import pytest

from negsim.compile import load_source
from negsim.compile.bargaining import bargaining_terms, repeated_terms, stage_game
from negsim.compile.source import source_of
from negsim.errors import InputError
from negsim.scenario import ScenarioError, parse_scenario

HEAD = """\
negsim: 1
id: split
title: Split the pie
parameters:
  patience: {value: 0.9, min: 0.5, max: 0.99}
  power: {value: 0.5, min: 0.1, max: 0.9}
  fallback: {value: 0, min: -1, max: 1}
players:
  ann:
    strategies: {high: {}, low: {}}
  bob:
    strategies: {high: {}, low: {}}
payoffs:
  matrix:
    ann: [[0, 3], [1, 2]]
    bob: [[0, 1], [3, 2]]
status_quo: {ann: high, bob: high}
"""


def load(body: str):
    return parse_scenario(HEAD + textwrap.dedent(body), file="s.yaml")


def problems(body: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load(body)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("body, expected", [
    pytest.param("bargaining: {agreements: lotterys}\n",
                 "s.yaml:18:26: bargaining.agreements: expected 'pure', 'lotteries' or 'transfers', got "
                 "'lotterys' (did you mean 'lotteries'?)", id="agreements"),
    pytest.param("bargaining: {powers: {ann: 1, bobb: 2}}\n",
                 "bargaining.powers: unknown player 'bobb' (did you mean 'bob'?)", id="player"),
    pytest.param("bargaining: {discount: {ann: patience, bob: patience + 0.2}}\n",
                 "bargaining.discount.bob: a discount factor lies in (0, 1]; got 1.1 at the default values "
                 "(patience=0.9)", id="discount-range"),
    pytest.param("bargaining: {discount: {ann: patiense, bob: 0.9}}\n",
                 "bargaining.discount.ann: unknown name 'patiense'", id="expression-name"),
    pytest.param("bargaining: {discount: {ann: 0.9, bob: 0.9}, rates: {ann: 1, bob: 1}}\n",
                 "bargaining: give discount factors or rates, not both", id="discount-and-rates"),
    pytest.param("bargaining: {first: ann}\n",
                 "bargaining: first names who opens alternating offers", id="first-without-offers"),
    pytest.param("bargaining: {disagreement: {outcome: {ann: hihg, bob: low}}}\n",
                 "bargaining.disagreement.outcome.ann: unknown strategy 'hihg' of player 'ann' (did you mean "
                 "'high'?)", id="outcome"),
    pytest.param("bargaining: {disagreement: {equilibrium: 0}}\n",
                 "bargaining.disagreement.equilibrium: equilibria are numbered from 1",
                 id="equilibrium-number"),
    pytest.param("bargaining: {disagreement: {payoffs: {ann: 1}, outcome: [high, low]}}\n",
                 "bargaining.disagreement: give exactly one of", id="two-forms"),
    pytest.param("bargaining: {disagreement: maximim}\n",
                 "(did you mean 'maximin'?)", id="kind"),
    pytest.param("bargaining: {agreements: pure, discount: {ann: 0.9, bob: 0.9}}\n",
                 "bargaining.agreements: alternating offers split a divisible surplus", id="pure-offers"),
    pytest.param("bargaining: {outside_options: {ann: 1}, discount: {ann: 0.9, bob: 0.9}}\n",
                 "bargaining: outside options are used in alternating offers with side payments",
                 id="outside-options"),
    pytest.param("bargaining: {breakdown: 1.5}\n",
                 "bargaining.breakdown: a probability of breakdown lies in [0, 1); got 1.5", id="breakdown"),
    pytest.param("repeated: {cooperation: [low, lwo]}\n",
                 "repeated.cooperation[1]: unknown strategy 'lwo' of player 'bob' (did you mean 'low'?)",
                 id="cooperation"),
    pytest.param("repeated: {cooperation: [[low, low], {ann: low}]}\n",
                 "repeated.cooperation[1]: missing the strategy of 'bob'", id="cooperation-list"),
    pytest.param("repeated: {punishment: {ann: {ann: high, bob: high}}}\n",
                 "repeated.punishment: a punishment for each player who might deviate; missing 'bob'",
                 id="penal-code"),
    pytest.param("repeated: {discount: {ann: 1, bob: 0.5}}\n",
                 "repeated.discount.ann: a discount factor of repeated play lies in (0, 1); got 1",
                 id="delta-one"),
    pytest.param("repeated: {rounds: 0}\n", "repeated.rounds: the number of rounds lies in 1..", id="rounds"),
    pytest.param("repeated: {coperation: [low, low]}\n",
                 "repeated: unknown key 'coperation' (did you mean 'cooperation'?)", id="unknown-key"),
])
def test_problems_are_located_and_said(body, expected):
    found = problems(body)
    assert any(expected in p for p in found), found
    assert all(p.startswith("s.yaml:") for p in found)


def test_every_problem_of_both_sections_comes_at_once():
    found = problems("bargaining: {powers: {ann: -1, bob: 1}, first: carl}\n"
                     "repeated: {cooperation: [low, nope], rounds: 0}\n")
    assert len(found) == 4, found


def test_status_quo_is_needed_unless_another_point_is_chosen():
    text = HEAD.replace("status_quo: {ann: high, bob: high}\n", "") + "bargaining: {agreements: pure}\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="s.yaml")
    assert "without a status_quo, say which disagreement point to use" in str(info.value.problems[0])


def test_a_tree_scenario_refuses_the_sections():
    text = """\
negsim: 1
id: tree
title: T
players: {a: {}, b: {}}
payoffs:
  tree:
    player: a
    moves:
      l: {payoffs: {a: 1, b: 0}}
      r: {payoffs: {a: 0, b: 1}}
repeated: {rounds: 2}
"""
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="t.yaml")
    assert "repeated is declared on the strategies of a game" in str(info.value.problems[0])


# -- declarations to arguments -------------------------------------------------------------------


SPLIT = """
bargaining:
  agreements: lotteries
  disagreement: {payoffs: {ann: fallback, bob: 0}, description: walking away}
  powers: {ann: power, bob: 1 - power}
  discount: {ann: patience, bob: 0.8}
  first: bob
repeated:
  cooperation: {ann: low, bob: low}
  punishment: [high, high]
  discount: {ann: patience, bob: patience}
"""


def test_declarations_become_the_engines_arguments_at_each_point():
    scenario = load(SPLIT)
    source = source_of(scenario)
    terms = bargaining_terms(scenario, source.game)
    args = terms.at(source.game.values({"power": 0.25, "fallback": 0.5}))
    assert args["agreements"] == "lotteries" and args["first"] == 1
    assert args["powers"] == [0.25, 0.75] and args["discount"] == [0.9, 0.8]
    assert args["disagreement"].payoffs == (F(1, 2), 0)
    assert args["disagreement"].description.startswith("walking away")
    columns = terms.columns({"patience": np.array([0.6, 0.7]), "power": np.array([0.5, 0.5]),
                             "fallback": np.array([0.0, 0.0])})
    np.testing.assert_allclose(columns["discount"], [[0.6, 0.8], [0.7, 0.8]])
    play = repeated_terms(scenario, source.game).at(source.game.values({"patience": 0.75}))
    assert play == {"cooperation": ((1, 1),), "punishment": (0, 0), "rounds": None, "discount": [0.75, 0.75]}


def test_a_value_out_of_range_at_another_point_is_placed_in_the_file():
    scenario = load(SPLIT)
    source = source_of(scenario)
    with pytest.raises(InputError) as info:
        source.bargain({"power": 1.2})
    (problem,) = info.value.problems
    assert str(problem).startswith("s.yaml:22:29:")
    assert "bargaining.powers.bob: a bargaining power is positive; got -0.2 at power=1.2" in str(problem)


def test_changes_override_declarations_and_are_named_by_their_keyword():
    scenario = load(SPLIT)
    source = source_of(scenario)
    result = source.bargain(powers=(0.5, 0.5), discount=None, disagreement="maximin")
    assert result.solutions["nash"].weights == (F(1, 2), F(1, 2))
    assert result.problem.disagreement.kind == "maximin"
    with pytest.raises(InputError) as info:
        source.bargain(powers={"ann": 1, "bobby": 1})
    assert {p.path for p in info.value.problems} == {"powers"}
    assert all(p.file is None for p in info.value.problems)
    assert any("unknown player 'bobby' (did you mean 'bob'?)" in p.message for p in info.value.problems)
    # setting rates replaces the declared discount factors
    rates = source.bargain(rates=(0.1, 0.2), period=1)
    assert float(rates.offers.discount[0]) == pytest.approx(np.exp(-0.1), abs=1e-9)


def test_pure_outcomes_from_the_command_line_set_alternating_offers_aside():
    source = source_of(load(SPLIT))
    result = source.bargain(agreements="pure")
    assert result.offers is None
    assert any("set aside" in note for note in result.notes)


def test_a_timing_scenario_bargains_over_its_simultaneous_game():
    source = load_source("s400-2018-commitment-sequential")
    assert source.tree is not None
    stage = stage_game(source.scenario, source.game)
    assert stage.strategies == tuple(tuple(p.strategies) for p in source.scenario.players.values())


def test_a_gambit_file_bargains_from_its_security_levels(tmp_path):
    path = tmp_path / "pd.nfg"
    path.write_text('NFG 1 R "PD" { "Row" "Column" } { 2 2 }\n3 3 5 0 0 5 1 1\n')
    result = load_source(str(path)).bargain()
    assert result.problem.disagreement.kind == "maximin"
    assert any("No status quo is declared" in n for n in result.notes)
    assert result.solutions["nash"].payoffs == (3, 3)


def test_the_engine_functions_take_a_loaded_source_or_a_parametric_game():
    from negsim.bargaining import bargaining_problem, nash_solution
    from negsim.repeated import minmax, sustainability

    source = load_source("prisoners-dilemma")
    for game in (source, source.game, source.at()):
        assert nash_solution(bargaining_problem(game, "maximin")).payoffs == (3, 3)
        assert [t.delta for t in sustainability(game, (0, 0)).scheme("nash-reversion").thresholds] == [
            F(1, 2), F(1, 2)]
        assert [p.pure_value for p in minmax(game)] == [1, 1]
    with pytest.raises(InputError, match="expected a game"):
        bargaining_problem("prisoners-dilemma")
