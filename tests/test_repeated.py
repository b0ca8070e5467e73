"""Repeated play: minmax payoffs, the folk-theorem region, discount-factor thresholds pinned to
textbook results, and each threshold checked by brute force on discounted sums of payoff streams
(sustained exactly from the threshold on, not below)."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.errors import InputError
from negsim.game import Game
from negsim.repeated import (
    finite_repetition,
    folk_region,
    grim_trigger_thresholds,
    minmax,
    pure_minmax_values,
    pure_nash_punishments,
    repeated_game,
    sustainability,
    threshold,
)
from negsim.solve import solve
from negsim.solve.welfare import maximin


def pd(T, R, P, S) -> Game:
    return Game.from_matrices([[R, S], [T, P]], [[R, T], [S, P]], strategies=(("C", "D"), ("C", "D")),
                              player_names=("Row", "Column"))


@pytest.mark.parametrize("T, R, P, S, grim, once, tft", [
    # Grim trigger sustains (C, C) iff delta >= (T - R) / (T - P) (Osborne 2004, "An Introduction to
    # Game Theory", Ch. 14); one period of (D, D) iff delta >= (T - R) / (R - P) (Osborne 2004,
    # Ch. 14, limited punishment); tit-for-tat is a best reply to itself iff
    # delta >= max((T - R) / (T - P), (T - R) / (R - S)) (Axelrod 1984, "The Evolution of
    # Cooperation", Proposition 2).
    pytest.param(5, 3, 1, 0, F(1, 2), None, F(2, 3), id="T5-R3-P1-S0"),
    pytest.param(4, 3, 1, 0, F(1, 3), F(1, 2), F(1, 3), id="T4-R3-P1-S0"),
    pytest.param(3, 2, 0, -1, F(1, 3), F(1, 2), F(1, 3), id="T3-R2-P0-Sm1"),
    pytest.param(10, 6, 1, 0, F(4, 9), F(4, 5), F(2, 3), id="T10-R6-P1-S0"),
])
def test_prisoners_dilemma_thresholds(T, R, P, S, grim, once, tft):
    s = sustainability(pd(T, R, P, S), (0, 0))
    for name, expected in (("nash-reversion", grim), ("one-period", once), ("tit-for-tat", tft)):
        assert [t.delta for t in s.scheme(name).thresholds] == [expected, expected], name
    assert s.scheme("nash-reversion").subgame_perfect
    assert not s.scheme("tit-for-tat").subgame_perfect
    # in the PD the minmax is the Nash payoff, so minmax punishment and the bound agree with grim trigger
    assert [t.delta for t in s.scheme("minmax").thresholds] == [grim, grim]
    assert [t.delta for t in s.scheme("lower-bound").thresholds] == [grim, grim]


def test_pd_sentence_and_best_scheme():
    s = sustainability(pd(5, 3, 1, 0), (0, 0))
    assert s.best().name == "nash-reversion"
    assert s.sentence().startswith("cooperation (C / C) can last if Row values the future at least 0.50")


def test_threshold_edges():
    assert threshold(F(3), F(3), F(1)) == 0          # no gain from deviating
    assert threshold(F(3), F(5), F(3)) is None       # punishment no worse than cooperation
    assert threshold(F(3), F(5), F(1)) == F(1, 2)


@pytest.mark.parametrize("A, B, pure, mixed", [
    # Matching pennies: pure minmax 1, mixed minmax 0 for both (the value of the zero-sum game).
    pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], (1, 1), (0, 0), id="matching-pennies"),
    # Battle of the sexes (2, 1 / 1, 2): pure minmax 1 each; mixed 2/3 each.
    pytest.param([[2, 0], [0, 1]], [[1, 0], [0, 2]], (1, 1), (F(2, 3), F(2, 3)), id="battle-of-the-sexes"),
    pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]], (1, 1), (1, 1), id="prisoners-dilemma"),
])
def test_minmax_payoffs(A, B, pure, mixed):
    punish = minmax(Game.from_matrices(A, B))
    assert tuple(p.pure_value for p in punish) == pure
    assert tuple(p.mixed_value for p in punish) == mixed
    assert pure_minmax_values(np.array([[A, B]], dtype=float), 2).tolist() == [list(map(float, pure))]
    # two methods: the exact zero-sum value against the security level by linear programming
    levels = [m.level for m in maximin(Game.from_matrices(A, B))]
    assert [float(p.mixed_value) for p in punish] == pytest.approx(levels, abs=1e-9)


def test_three_player_minmax_bounds():
    rng = np.random.default_rng(5)
    payoffs = rng.integers(-3, 4, size=(3, 2, 2, 2)).astype(float)
    g = Game.from_matrices(*payoffs)
    for p in minmax(g):
        assert p.mixed_value is None
        assert p.correlated_value <= float(p.pure_value) + 1e-9
    assert pure_minmax_values(payoffs[None], 3)[0].tolist() == [float(p.pure_value) for p in minmax(g)]


def test_folk_region_of_the_pd():
    region = folk_region(pd(5, 3, 1, 0))
    assert region.minmax == (1, 1)
    assert set(region.region) == {(1, 1), (F(13, 3), 1), (3, 3), (1, F(13, 3))}
    assert [g for g in region.rational] == [(0, 0)]
    assert "more than 1" in region.text()


def test_finite_repetition_unravels_with_a_unique_stage_equilibrium():
    f = finite_repetition(pd(5, 3, 1, 0), (0, 0), rounds=10)
    assert f.unique
    assert "unravelling" in f.text and "D / D in every round" in f.text
    assert "cannot be sustained" in f.text


def test_finite_repetition_with_two_stage_equilibria():
    # Benoit and Krishna (1985): a PD with an extra punishing strategy P; (D, D) and (P, P) are
    # both stage equilibria, so one final round of (D, D) can reward cooperation in the rounds before.
    A = [[4, 0, 0], [5, 1, 0], [0, 0, F(1, 2)]]
    g = Game.from_matrices(np.array(A, dtype=float), np.array(A, dtype=float).T,
                           strategies=(("C", "D", "P"), ("C", "D", "P")))
    f = finite_repetition(g, (0, 0))
    assert not f.unique
    assert f.final_rounds == 2 and f.reward == "D / D"
    assert "Benoit and Krishna" in f.text


def test_bad_profiles_are_input_errors():
    g = pd(5, 3, 1, 0)
    with pytest.raises(InputError, match="not a profile"):
        sustainability(g, (0, 2))
    with pytest.raises(InputError, match="infeasible"):
        sustainability(g.replace(infeasible=np.array([[True, False], [False, False]])), (0, 0))


def test_repeated_game_to_dict():
    import json

    r = repeated_game(pd(5, 3, 1, 0), (0, 0))
    data = json.loads(json.dumps(r.to_dict()))
    assert data["cooperation"]["best"] == "nash-reversion"
    assert data["cooperation"]["schemes"][0]["thresholds"][0]["delta_exact"] == "1/2"
    assert len(data["outcomes"]) == 4


# -- brute force: discounted sums of payoff streams ------------------------------------------------

HORIZON = 400


def discounted(stream, delta: float) -> float:
    """(1 - delta) sum delta^t x_t over a stream long enough that the tail is below 1e-12."""
    x = np.asarray(stream, dtype=float)
    return float((1 - delta) * np.sum(x * delta ** np.arange(len(x))))


def _sustained_by_streams(u, d, punish, delta) -> bool:
    """Cooperate for ever against deviate once, then the punishment payoff for ever."""
    stay = discounted([u] * HORIZON, delta)
    leave = discounted([d] + [punish] * (HORIZON - 1), delta)
    return stay >= leave - 1e-9


small = st.integers(-4, 6)


@settings(max_examples=40, deadline=None)
@given(st.lists(small, min_size=18, max_size=18), st.integers(0, 2), st.integers(0, 2))
def test_grim_trigger_thresholds_hold_exactly_from_the_threshold_on(values, a, b):
    payoffs = np.array(values, dtype=float).reshape(2, 3, 3)
    g = Game.from_matrices(payoffs[0], payoffs[1])
    s = sustainability(g, (a, b))
    for scheme in ("nash-reversion", "lower-bound"):
        for t in s.scheme(scheme).thresholds:
            if t.delta is None:
                # never: even with delta close to 1 the deviation pays
                assert not _sustained_by_streams(t.cooperate, t.deviate, t.punish, 0.999)
                continue
            assert 0 <= t.delta < 1
            above = min(float(t.delta) + 0.01, 0.995)
            assert _sustained_by_streams(t.cooperate, t.deviate, t.punish, above)
            if t.delta > F(1, 100):
                assert not _sustained_by_streams(t.cooperate, t.deviate, t.punish, float(t.delta) - 0.01)


@settings(max_examples=30, deadline=None)
@given(st.lists(small, min_size=8, max_size=8))
def test_one_period_punishment_by_streams(values):
    payoffs = np.array(values, dtype=float).reshape(2, 2, 2)
    g = Game.from_matrices(payoffs[0], payoffs[1])
    for profile in product(range(2), range(2)):
        s = sustainability(g, profile)
        for t in s.scheme("one-period").thresholds:
            def ok(delta, t=t):
                # deviate, one period of punishment, then back: against cooperating throughout
                stay = discounted([t.cooperate] * HORIZON, delta)
                leave = discounted([t.deviate, t.punish] + [t.cooperate] * (HORIZON - 2), delta)
                return stay >= leave - 1e-9
            if t.delta is None:
                assert not ok(0.999)
            else:
                assert ok(min(float(t.delta) + 0.01, 0.995))
                if t.delta > F(1, 100):
                    assert not ok(float(t.delta) - 0.01)


@settings(max_examples=40, deadline=None)
@given(st.lists(small, min_size=18, max_size=18), st.tuples(st.integers(0, 2), st.integers(0, 2)))
def test_minmax_penal_code_is_subgame_perfect_from_its_thresholds(values, a):
    """One-shot deviations from every state of the simple penal code (cooperation, and each
    player's punishment path), valued by discounted streams: none pays at the thresholds + 0.01,
    and some player's pays just below its threshold."""
    payoffs = np.array(values, dtype=float).reshape(2, 3, 3)
    g = Game.from_matrices(payoffs[0], payoffs[1])
    scheme = sustainability(g, a).scheme("minmax")
    states = [tuple(a), *scheme.paths]

    def holds(deltas) -> bool:
        for state in states:
            for j in range(2):
                stay = discounted([payoffs[j][state]] * HORIZON, deltas[j])
                for move in range(3):
                    if move == state[j]:
                        continue
                    cell = list(state)
                    cell[j] = move
                    punished = payoffs[j][scheme.paths[j]]
                    leave = discounted([payoffs[j][tuple(cell)]] + [punished] * (HORIZON - 1), deltas[j])
                    if leave > stay + 1e-9:
                        return False
        return True

    ts = [t.delta for t in scheme.thresholds]
    if all(t is not None for t in ts):
        assert holds([min(float(t) + 0.01, 0.995) for t in ts])
        for j in range(2):
            if ts[j] > F(1, 100):
                lower = [min(float(t) + 0.01, 0.995) for t in ts]
                lower[j] = float(ts[j]) - 0.01
                assert not holds(lower)
    else:
        assert not holds([0.995, 0.995])


def _best_reply_to_tit_for_tat(R, T, P, S, delta) -> float:
    """The best discounted payoff against tit-for-tat, by value iteration on the two-state
    decision problem (the state is tit-for-tat's next move, which copies my last one)."""
    u = {("c", "c"): R, ("d", "c"): T, ("c", "d"): S, ("d", "d"): P}
    V = {"c": 0.0, "d": 0.0}
    for _ in range(5000):
        V = {s: max((1 - delta) * u[(m, s)] + delta * V[m] for m in "cd") for s in "cd"}
    return V["c"]


@pytest.mark.parametrize("T, R, P, S", [(5, 3, 1, 0), (4, 3, 1, 0), (10, 6, 1, 0)])
def test_tit_for_tat_by_value_iteration(T, R, P, S):
    t = sustainability(pd(T, R, P, S), (0, 0)).scheme("tit-for-tat").thresholds[0].delta
    for delta in (float(t) + 0.02, 0.97):
        assert _best_reply_to_tit_for_tat(R, T, P, S, delta) <= R + 1e-9
    assert _best_reply_to_tit_for_tat(R, T, P, S, float(t) - 0.02) > R + 1e-9


@settings(max_examples=40, deadline=None)
@given(st.lists(small, min_size=18, max_size=18), st.tuples(st.integers(0, 2), st.integers(0, 2)),
       st.tuples(st.integers(0, 2), st.integers(0, 2)))
def test_tit_for_tat_thresholds_on_random_games(values, c, p):
    """Tit-for-tat with any cooperative profile c and punishment profile p of a 3x3 game: the
    threshold agrees with value iteration of the deviator's decision problem (state: whether the
    other side will cooperate, i.e. whether I played my part of c last period)."""
    payoffs = np.array(values, dtype=float).reshape(2, 3, 3)
    g = Game.from_matrices(payoffs[0], payoffs[1])
    scheme = sustainability(g, c, punishment=p).scheme("tit-for-tat")
    for t in scheme.thresholds:
        i = t.player

        def at(mine, theirs, i=i):
            cell = [0, 0]
            cell[i], cell[1 - i] = mine, theirs
            return payoffs[i][tuple(cell)]

        def best_reply(delta, i=i):
            # exhaustive over stationary policies (one move per state), each valued exactly: the
            # optimum of a discounted decision problem is attained by one of them
            best = -np.inf
            for plan in product(range(3), repeat=2):  # plan[s]: move when the other side plays c (s=0)
                states = (0, 1)
                reward = np.array([at(plan[s], c[1 - i] if s == 0 else p[1 - i]) for s in states])
                nxt = [0 if plan[s] == c[i] else 1 for s in states]
                M = np.eye(2) - delta * np.array([[float(nxt[s] == k) for k in states] for s in states])
                V = np.linalg.solve(M, (1 - delta) * reward)
                best = max(best, V[0])
            return best

        R = at(c[i], c[1 - i])
        if t.delta is None:
            assert best_reply(0.995) > R + 1e-7
        else:
            assert best_reply(min(float(t.delta) + 0.01, 0.99)) <= R + 1e-7
            if t.delta > F(1, 100):
                assert best_reply(float(t.delta) - 0.01) > R + 1e-9


# -- many points at once ---------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::negsim.errors.DegenerateGameWarning")
def test_vectorised_thresholds_match_the_exact_ones():
    rng = np.random.default_rng(11)
    payoffs = rng.integers(-3, 6, size=(60, 2, 3, 3)).astype(float)
    punish = pure_nash_punishments(payoffs, 2)
    profile = (0, 1)
    fast = grim_trigger_thresholds(payoffs, profile, punish, 2)
    for k in range(len(payoffs)):
        g = Game.from_matrices(payoffs[k, 0], payoffs[k, 1])
        if np.isnan(punish[k]).any():
            continue
        pure = [e for e in solve(g).equilibria if e.kind == "pure"]
        for i in range(2):
            worst = min(float(e.payoffs[i]) for e in pure)
            assert punish[k, i] == worst
            u = payoffs[k, i][profile]
            cell = list(profile)
            devs = []
            for a in range(3):
                cell[i] = a
                devs.append(payoffs[k, i][tuple(cell)])
            exact = threshold(F(u), F(max(devs)), F(worst))
            assert fast[k, i] == (np.inf if exact is None else float(exact))


def test_three_player_public_goods_game():
    # Each of three players contributes (cost 1) or not; contributions are doubled and shared
    # equally. All contributing gives 1 each, free-riding on the other two 4/3, nobody contributing 0:
    # grim trigger needs delta >= (4/3 - 1) / (4/3 - 0) = 1/4 for everyone.
    shape = (2, 2, 2)
    payoffs = np.zeros((3, *shape))
    for profile in product(range(2), repeat=3):
        gives = [1 - k for k in profile]  # strategy 0: contribute
        for i in range(3):
            payoffs[(i, *profile)] = 2 * sum(gives) / 3 - gives[i]
    g = Game.from_matrices(*payoffs, strategies=(("give", "keep"),) * 3)
    s = sustainability(g, (0, 0, 0))
    assert [t.delta for t in s.scheme("nash-reversion").thresholds] == [F(1, 4)] * 3
    assert [p.pure_value for p in minmax(g)] == [0, 0, 0]
    assert [t.delta for t in s.scheme("minmax").thresholds] == [F(1, 4)] * 3
    assert "tit-for-tat" not in [sc.name for sc in s.schemes]  # two players only
