"""The S-400 questions of the 2025 scenario, answered by the bargaining and repeated-play engines:
which agreement the Nash bargaining solution picks from the status quo and how it moves with the
sanction cost, and whether storage with a waiver can last."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from negsim.bargaining import bargain_points, bargaining_problem, nash_solution, zone_of_agreement
from negsim.compile import compile_scenario
from negsim.repeated import sustainability
from negsim.scenario import resolve_scenario


@pytest.fixture(scope="module")
def scenario():
    return compile_scenario(resolve_scenario("s400-2025-limited-use"))


def test_nash_solution_from_the_status_quo(scenario):
    game = scenario.game()
    assert game.profile_label(game.status_quo) == "store / keep"
    pure = nash_solution(bargaining_problem(game, "status-quo", agreements="pure"))
    assert pure.pure_outcome.label == "store / incentives" and pure.payoffs == (4, 2)
    lottery = nash_solution(bargaining_problem(game, "status-quo", agreements="lotteries"))
    assert [(t.outcome.label, t.probability) for t in lottery.lottery] == [
        ("patriot / incentives", F(101, 117)), ("full / waive", F(16, 117))]
    assert lottery.payoffs == (F(107, 26), F(20, 9))
    side = nash_solution(bargaining_problem(game, "status-quo", agreements="transfers"))
    assert side.lottery[0].outcome.label == "patriot / incentives" and side.transfers == (F(9, 4), F(-9, 4))
    zopa = zone_of_agreement(bargaining_problem(game, "status-quo", agreements="pure"))
    assert [o.label for o in zopa.better] == ["store / incentives", "patriot / incentives"]


def test_how_the_nash_solution_moves_with_the_sanction_cost(scenario):
    game = scenario.game()
    grid = np.round(np.arange(0, 10.0001, 0.25), 2)
    payoffs = scenario.evaluate({"sanction_cost": grid})
    pure = bargain_points(game, payoffs, agreements="pure")
    assert {a.pure_outcome.label for a in pure} == {"store / incentives"}  # never moves
    lotteries = bargain_points(game, payoffs, agreements="lotteries")
    partners = [a.lottery[1].outcome.label for a in lotteries]
    assert partners[0] == "full / tighten"            # no sanction cost: full activation, tightened
    assert set(partners[1:5]) == {"full / keep"}      # 0.25 to 1: full activation under sanctions
    assert set(partners[5:]) == {"full / waive"}      # from 1.25 on: the lottery no longer moves
    # the switch is where full / keep drops below the frontier's patriot / incentives - full / waive edge
    for cost, partner in ((F(63, 52) - F(1, 1000), "full / keep"), (F(63, 52), "full / waive")):
        a = nash_solution(bargaining_problem(scenario.game({"sanction_cost": float(cost)}), "status-quo"))
        assert a.lottery[1].outcome.label == partner


def test_storage_with_a_waiver_cannot_last(scenario):
    game = scenario.game()
    coop = (game.strategy_index(0, "store"), game.strategy_index(1, "waive"))
    s = sustainability(game, coop)
    assert s.best() is None
    turkey = s.scheme("lower-bound").thresholds[0]
    assert (turkey.cooperate, turkey.deviate, turkey.punish, turkey.delta) == (3, 8, 3, None)
    assert s.sentence().startswith("store / waive cannot last at any discount factor: Turkey gets 3")
    assert [t.delta for t in s.scheme("nash-reversion").thresholds] == [None, F(20, 21)]
    for cost in (0, 2, 6, 10):  # storing guarantees Turkey its autonomy value whatever the sanctions
        assert sustainability(scenario.game({"sanction_cost": cost}), coop).best() is None


def test_storage_for_the_package_is_in_the_folk_region(scenario):
    game = scenario.game()
    s = sustainability(game, (game.strategy_index(0, "store"), game.strategy_index(1, "incentives")))
    assert s.best() is None
    assert [t.delta for t in s.scheme("lower-bound").thresholds] == [F(1, 3), 0]
    assert "folk theorem" in s.sentence()
