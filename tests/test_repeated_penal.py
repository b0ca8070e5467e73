"""Punishments the user declares and the best simple penal code: thresholds checked against the
one-shot deviation principle on random games (no profitable deviation in any state from the
threshold on, a profitable one just below it), the search never worse than the simple schemes,
and the S-400 answers."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.compile import load_source
from negsim.game import Game
from negsim.repeated import declared_scheme, penal_code_scheme, repeated_play, sustainability
from negsim.solve.verify import exact_payoffs_of


def deviation_pays(game: Game, profile, paths, delta) -> bool:
    """Whether some player gains from a one-shot deviation in some state of the simple penal
    code (the outcome, then each player's path), by the definition: deviate once, then the
    deviator's own path for ever."""
    payoffs = exact_payoffs_of(game)
    states = [tuple(profile), *(tuple(p) for p in paths)]
    for j in range(game.n_players):
        w = payoffs[(j, *paths[j])]
        for s in states:
            keep = payoffs[(j, *s)]
            for a in range(game.shape[j]):
                if s == states[0] and a == s[j]:
                    continue
                cell = list(s)
                cell[j] = a
                if (1 - delta[j]) * payoffs[(j, *cell)] + delta[j] * w > keep:
                    return True
    return False


@st.composite
def games(draw):
    shape = draw(st.sampled_from([(2, 2), (2, 3), (3, 3)]))
    values = draw(st.lists(st.integers(-3, 6), min_size=2 * shape[0] * shape[1],
                           max_size=2 * shape[0] * shape[1]))
    a = np.array(values).reshape(2, *shape)
    return Game.from_matrices(a[0], a[1])


@settings(max_examples=40, deadline=None)
@given(games(), st.data())
def test_the_best_penal_code_holds_from_its_thresholds_on_and_not_below(game, data):
    profile = data.draw(st.sampled_from(game.profiles()))
    scheme = penal_code_scheme(game, profile)
    assert scheme is not None
    if not scheme.sustainable:
        return
    deltas = [t.delta for t in scheme.thresholds]
    assert not deviation_pays(game, profile, scheme.paths, deltas)
    assert not deviation_pays(game, profile, scheme.paths, [(1 + d) / 2 for d in deltas])
    for j, d in enumerate(deltas):
        if d > 0:
            below = list(deltas)
            below[j] = d - F(1, 10**6)
            assert deviation_pays(game, profile, scheme.paths, below)
    # never more demanding than minmax punishment or any declared code, which are such codes too
    minmax_scheme = sustainability(game, profile).scheme("minmax")
    if minmax_scheme.sustainable:
        assert scheme.worst <= minmax_scheme.worst
    paths = [data.draw(st.sampled_from(game.profiles())) for _ in range(2)]
    declared = declared_scheme(game, profile, paths)
    if declared.sustainable:
        assert scheme.worst <= declared.worst


@settings(max_examples=40, deadline=None)
@given(games(), st.data())
def test_a_declared_punishment_holds_exactly_from_its_thresholds(game, data):
    profile = data.draw(st.sampled_from(game.profiles()))
    paths = [data.draw(st.sampled_from(game.profiles())) for _ in range(2)]
    scheme = declared_scheme(game, profile, paths)
    if not scheme.sustainable:
        # some player can never be kept in line: a deviation pays even for very patient players
        assert deviation_pays(game, profile, paths, [F(999999, 10**6)] * 2) or any(
            t.delta is None for t in scheme.thresholds)
        return
    deltas = [t.delta for t in scheme.thresholds]
    assert not deviation_pays(game, profile, paths, deltas)
    for j, d in enumerate(deltas):
        if d > 0:
            below = list(deltas)
            below[j] = d - F(1, 10**6)
            assert deviation_pays(game, profile, paths, below)


def test_the_prisoners_dilemma_with_reversion_to_mutual_defection_is_grim_trigger():
    pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    declared = declared_scheme(pd, (0, 0), [(1, 1), (1, 1)])
    assert [t.delta for t in declared.thresholds] == [F(1, 2), F(1, 2)]
    assert declared.title == "reversion to D / D"
    # reverting to (C, D) is no punishment for the column player, who would then deviate
    assert declared_scheme(pd, (0, 0), [(0, 1), (0, 1)]).sustainable is False


def test_storage_for_the_package_lasts_under_the_best_penal_code():
    """2025: if Turkey breaks the deal the US tightens for ever (Turkey's best is then to keep
    the systems stored); if the US breaks it, or fails to tighten, both go back to the limited-use
    stand-off. Turkey needs 1/3 (gain 1/2 from limited use, loss 3/2 per period), the US 16/21
    (tightening costs it 4 against offering the package again, the stand-off 21/4 less)."""
    game = load_source("s400-2025-limited-use").at()
    profile = (game.strategy_index(0, "store"), game.strategy_index(1, "incentives"))
    scheme = penal_code_scheme(game, profile)
    assert [t.delta for t in scheme.thresholds] == [F(1, 3), F(16, 21)]
    assert [game.profile_label(p) for p in scheme.paths] == ["store / tighten", "limited / keep"]
    assert not deviation_pays(game, profile, scheme.paths, [F(1, 3), F(16, 21)])


def test_storage_with_a_waiver_has_no_penal_code():
    play = load_source("s400-2025-limited-use").repeated()
    labels = [s.label for s in play.cooperation]
    assert labels == ["store / waive", "store / incentives", "limited / waive"]
    waive, package, compromise = play.cooperation
    assert not waive.scheme("penal-code").sustainable and waive.best() is None
    assert package.best().name == "penal-code"
    assert play.verdict(package).startswith(
        "At discount factors Turkey 0.95 and United States 0.90, store / incentives lasts with the best "
        "simple penal code")
    # Turkey's compromise gives the US -6, below what it can always hold itself to (-5)
    us = compromise.scheme("lower-bound").thresholds[1]
    assert (us.cooperate, us.punish, us.delta) == (-6, -5, None)


def test_finite_rounds_and_verdicts_at_given_discount_factors():
    pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    play = repeated_play(pd, [(0, 0)], discount=(F(1, 2), F(1, 2)), rounds=10)
    assert play.to_dict()["cooperation"][0]["at_discount"]["lasts"]["nash-reversion"] is True
    assert "unravelling" in play.finite[0].text and "Repeated 10 times" in play.finite[0].text
    play = repeated_play(pd, [(0, 0)], discount=(F(49, 100), F(1, 2)))
    assert play.to_dict()["cooperation"][0]["at_discount"]["lasts"]["nash-reversion"] is False
    with pytest.raises(Exception, match="lies in"):
        repeated_play(pd, [(0, 0)], discount=(1, 0.5))
