"""Best responses, fictitious play, logit dynamics and the logit QRE against textbook results
(Fudenberg and Levine 1998; Robinson 1951; Miyasawa 1961; Shapley 1964; McKelvey and Palfrey 1995)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from negsim.dynamics import (
    best_response_dynamics,
    best_response_graph,
    fictitious_play,
    logit_dynamics,
    logit_qre,
    logit_response,
    play_cycle,
    qre_path,
)
from negsim.errors import InputError
from negsim.game import Game

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def game(A, B, names=None, title=""):
    A = np.asarray(A, dtype=float)
    strategies = names or [[str(k + 1) for k in range(m)] for m in A.shape]
    return Game.from_matrices(A, B, strategies=strategies, title=title)


PENNIES = game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [["H", "T"], ["H", "T"]])
RPS = game([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
#: Shapley (1964): each player wants to be one step ahead of the other (rock-paper-scissors without ties)
SHAPLEY = game(np.eye(3), [[0, 1, 0], [0, 0, 1], [1, 0, 0]], title="Shapley")
STAG_HUNT = game([[4, 0], [3, 3]], [[4, 3], [0, 3]], [["stag", "hare"], ["stag", "hare"]])
COORDINATION = game(np.eye(2), np.eye(2), [["A", "B"], ["A", "B"]])
#: McKelvey and Palfrey (1995): asymmetric matching pennies; Nash: row (1/2, 1/2), column (1/10, 9/10)
ASYMMETRIC_PENNIES = game([[9, 0], [0, 1]], [[0, 1], [1, 0]])


def test_shapleys_game_has_uniform_play_as_its_only_equilibrium():
    from negsim.solve import solve

    (only,) = solve(SHAPLEY).equilibria
    assert [list(s) for s in only.strategies] == [[1 / 3] * 3] * 2


# -- best responses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["sequential", "simultaneous"])
def test_best_responses_cycle_in_matching_pennies(order):
    path = best_response_dynamics(PENNIES, (0, 0), order=order)
    assert path.end == "cycle"
    assert path.cycle == ((0, 0), (0, 1), (1, 1), (1, 0))


def test_simultaneous_best_responses_can_cycle_in_a_coordination_game_where_turns_converge():
    assert best_response_dynamics(COORDINATION, (0, 1), order="simultaneous").cycle == ((0, 1), (1, 0))
    assert best_response_dynamics(COORDINATION, (0, 1), order="sequential").equilibrium == (1, 1)
    assert best_response_dynamics(COORDINATION, (0, 1), order="random", seed=3).end == "equilibrium"


def test_random_order_stops_inside_a_best_response_cycle_and_is_reproducible():
    a = best_response_dynamics(SHAPLEY, (0, 0), order="random", seed=7)
    b = best_response_dynamics(SHAPLEY, (0, 0), order="random", seed=7)
    assert a.end == "cycle" and len(a.cycle) == 6 and a.to_dict() == b.to_dict()


@pytest.mark.parametrize("g, equilibria, cycles", [
    pytest.param(PENNIES, [], [4], id="matching-pennies"),
    pytest.param(SHAPLEY, [], [6], id="shapley"),
    pytest.param(COORDINATION, [(0, 0), (1, 1)], [], id="coordination"),
    pytest.param(STAG_HUNT, [(0, 0), (1, 1)], [], id="stag-hunt"),
])
def test_best_response_graph_sinks(g, equilibria, cycles):
    graph = best_response_graph(g)
    assert list(graph.equilibria) == equilibria
    assert [len(c) for c in graph.cycles] == cycles


def test_best_response_start_defaults_to_the_status_quo_and_is_checked():
    g = COORDINATION.replace(status_quo=(1, 0))
    assert best_response_dynamics(g).profiles[0] == (1, 0)
    with pytest.raises(InputError):
        best_response_dynamics(g, (0, 2))
    with pytest.raises(InputError):
        best_response_dynamics(g, order="whenever")


# -- fictitious play -----------------------------------------------------------------------------------


@pytest.mark.parametrize("g, start", [
    pytest.param(PENNIES, None, id="matching-pennies"),
    pytest.param(RPS, [[1, 0, 0], [0, 1, 0]], id="rock-paper-scissors"),
    pytest.param(game([[3, -1, 2, 0], [-2, 2, 1, 1], [0, 1, -3, 2]],
                      -np.array([[3, -1, 2, 0], [-2, 2, 1, 1], [0, 1, -3, 2]])), None, id="zero-sum-3x4"),
])
def test_fictitious_play_converges_in_zero_sum_games(g, start):
    # Robinson (1951): in every zero-sum game the empirical frequencies approach the equilibria;
    # the gap each player could gain against them (their regret) goes to zero, slowly
    run = fictitious_play(g, start, steps=20_000, record=60, tolerance=0.05)
    assert run.trajectory.outcome.reached, run.trajectory.outcome.description
    rounds = run.trajectory.times
    early = run.regrets[np.searchsorted(rounds, 100)]
    assert run.regrets[-1] < 0.02 and run.regrets[-1] < early / 4


@pytest.mark.parametrize("g", [
    pytest.param(game([[3, 0], [5, 1]], [[3, 5], [0, 1]]), id="prisoners-dilemma"),
    pytest.param(STAG_HUNT, id="stag-hunt"),
    pytest.param(game([[2, 0], [0, 1]], [[1, 0], [0, 2]]), id="battle-of-the-sexes"),
    pytest.param(game([[0, -1], [1, -10]], [[0, 1], [-1, -10]]), id="chicken"),
    pytest.param(game([[3, 1], [0, 2]], [[1, 3], [2, 0]]), id="mixed-only-2x2"),
    pytest.param(game([[0.3, -1.2], [0.8, 0.1]], [[1.1, -0.4], [0.2, 0.9]]), id="generic"),
])
@pytest.mark.parametrize("mode", ["simultaneous", "alternating"])
def test_fictitious_play_converges_in_2x2_games(g, mode):
    # Miyasawa (1961): in every 2x2 game (non-degenerate, as these) the frequencies converge
    run = fictitious_play(g, steps=4000, mode=mode, record=30)
    assert run.trajectory.outcome.reached, run.trajectory.outcome.description


def test_fictitious_play_does_not_converge_in_shapleys_game():
    run = fictitious_play(SHAPLEY, [[1, 0, 0], [0, 1, 0]], steps=10_000, record=80)
    outcome = run.trajectory.outcome
    assert outcome.kind == "cycle" and not outcome.reached
    assert min(run.regrets[len(run.regrets) // 2:]) > 0.1     # the regret never dies out
    cycle = run.cycle
    assert cycle is not None and len(cycle.profiles) == 6 and cycle.growth > 5  # runs grow geometrically
    assert set(cycle.profiles) == {(0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 0)}


def test_fictitious_play_can_miscoordinate_for_ever_while_the_frequencies_converge():
    # Fudenberg and Levine (1998), ch. 2: symmetric beliefs make both players switch together
    # in a game that rewards doing the opposite; they get 0 every round, yet the frequencies
    # converge to the mixed equilibrium
    g = game([[0, 1], [1, 0]], [[0, 1], [1, 0]], [["A", "B"], ["A", "B"]])
    weights = np.array([1.0, math.sqrt(2)])
    run = fictitious_play(g, [weights / weights.sum()] * 2, prior_weight=float(weights.sum()), steps=3000)
    assert run.cycle is not None and run.cycle.profiles in (((0, 0), (1, 1)), ((1, 1), (0, 0)))
    assert run.trajectory.outcome.reached and run.trajectory.outcome.label == "A+B / A+B"
    # taking turns lets the second player see the first's move and coordinate on opposite actions
    alternating = fictitious_play(g, [weights / weights.sum()] * 2, prior_weight=float(weights.sum()),
                                  steps=300, mode="alternating")
    assert alternating.trajectory.outcome.kind == "settled"
    assert alternating.trajectory.outcome.label in ("A / B", "B / A")


def test_fictitious_play_is_seeded_and_json_ready():
    a = fictitious_play(COORDINATION, steps=200, ties="random", seed=5)
    b = fictitious_play(COORDINATION, steps=200, ties="random", seed=5)
    assert np.array_equal(a.play, b.play)
    data = json.loads(json.dumps(a.to_dict()))
    assert data["mode"] == "simultaneous" and data["settings"]["seed"] == 5
    with pytest.raises(InputError) as error:
        fictitious_play(COORDINATION, steps=0, mode="sometimes")
    assert {p.path for p in error.value.problems} == {"steps", "mode"}


def test_play_cycle_finds_the_repeating_tail():
    play = np.array([[0, 0]] * 3 + [[0, 1], [1, 1], [1, 0], [0, 0]] * 4)
    cycle = play_cycle(play)
    assert cycle is not None and len(cycle.profiles) == 4 and cycle.runs == (1, 1, 1, 1)
    assert play_cycle(np.array([[0, 0]] * 10)) is None


# -- logit dynamics and the logit QRE ------------------------------------------------------------------


def closed_form_qre(lam):
    """The asymmetric-pennies QRE by one-dimensional root finding (an independent method).

    ``p`` = P(row plays 1), ``q`` = P(column plays 1); the row's advantage of 1 is ``10 q - 1``,
    the column's ``1 - 2 p``.
    """
    logistic = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    fixed_point = lambda p: p - logistic(lam * (10 * logistic(lam * (1 - 2 * p)) - 1))  # noqa: E731
    p = brentq(fixed_point, 1e-12, 1 - 1e-12, xtol=1e-15)
    return p, logistic(lam * (1 - 2 * p))


@pytest.mark.parametrize("lam", [0.1, 0.5, 1.0, 2.0, 5.0, 20.0])
def test_logit_qre_matches_the_closed_form_of_asymmetric_matching_pennies(lam):
    point = logit_qre(ASYMMETRIC_PENNIES, lam)
    p, q = closed_form_qre(lam)
    assert point.strategies[0][0] == pytest.approx(p, abs=1e-9)
    assert point.strategies[1][0] == pytest.approx(q, abs=1e-9)
    # a QRE is a fixed point of the logit response
    response = logit_response(ASYMMETRIC_PENNIES, point.strategies, lam)
    assert np.concatenate(response) == pytest.approx(np.concatenate(point.strategies), abs=1e-10)


def test_asymmetric_pennies_qre_shows_the_own_payoff_effect_and_approaches_nash():
    # McKelvey and Palfrey (1995): the row player, whose own payoff 9 is large, plays Top more
    # than in equilibrium for every lambda, converging to 1/2 from above; the column goes to 1/10
    path = qre_path(ASYMMETRIC_PENNIES)
    lambdas, row, column = path.lambdas, path.probabilities(0)[:, 0], path.probabilities(1)[:, 0]
    inside = lambdas > 0
    assert np.all(row[inside] > 0.5) and np.all(column[inside] < 0.5)
    assert path.limit_label() == "1+2 / 1+2"
    assert path.limit[0] == pytest.approx([0.5, 0.5]) and path.limit[1] == pytest.approx([0.1, 0.9])
    assert path.limit_distance == pytest.approx(0.0, abs=1e-9)
    distances = np.array([p.distance for p in path.points])
    late = lambdas > 10
    assert np.all(np.diff(distances[late]) < 1e-12)           # closer and closer once lambda is large
    assert path.points[-1].distance < 1e-3


@pytest.mark.parametrize("g, label", [
    pytest.param(STAG_HUNT, "hare / hare", id="stag-hunt-risk-dominant"),
    pytest.param(game([[5, 0], [0, 1]], [[5, 0], [0, 1]]), "1 / 1",
                 id="coordination-payoff-and-risk-dominant"),
    pytest.param(game([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "1+2 / 1+2", id="battle-of-the-sexes-mixed"),
    pytest.param(RPS, "1+2+3 / 1+2+3", id="rock-paper-scissors"),
])
def test_qre_limit_selects_the_known_equilibrium(g, label):
    # the principal branch ends at the risk-dominant equilibrium of a symmetric 2x2 coordination
    # game (McKelvey and Palfrey 1995; Turocy 2005); in the Battle of the Sexes, whose symmetric
    # QRE never favours either pure equilibrium, at the mixed one
    path = qre_path(g)
    assert path.limit_label() == label
    assert path.limit_distance == pytest.approx(0.0, abs=1e-9)


def test_qre_regret_shrinks_like_one_over_lambda():
    # towards a mixed equilibrium the QRE's regret falls like 1/lambda (the logit choice
    # probabilities of two strategies differ by a factor exp(lambda * payoff gap))
    lambdas = [1, 10, 100, 1000]
    path = qre_path(ASYMMETRIC_PENNIES, lambdas=lambdas)
    regrets = [path.at(v).regret for v in lambdas]
    assert all(b < a for a, b in zip(regrets, regrets[1:]))
    scaled = [r * v for r, v in zip(regrets, lambdas)]
    assert scaled[-1] == pytest.approx(scaled[-2], rel=0.05)
    # towards a strict pure equilibrium it falls exponentially fast
    assert qre_path(STAG_HUNT, lambdas=[10]).at(10).regret < 1e-10
    with pytest.raises(KeyError):
        path.at(3.0)


def test_qre_path_follows_a_branch_that_bends_back():
    # a 3x3 game whose principal branch turns back in lambda twice before reaching 3 / 1+3
    g = game([[4, 4, 0], [3, 2, 2], [1, 6, 9]], [[0, 0, 1], [8, 5, 0], [2, 0, 2]])
    path = qre_path(g)
    assert len(path.turning_points) == 2 and path.turning_points[0] > path.turning_points[1]
    assert path.limit is not None and path.points[-1].regret < 1e-3
    assert json.loads(json.dumps(path.to_dict()))["turning_points"] == list(path.turning_points)


def test_three_player_qre_path_ends_at_a_verified_equilibrium():
    rng = np.random.default_rng(11)
    g = Game.from_matrices(*rng.normal(size=(3, 2, 2, 2)))
    path = qre_path(g)
    assert path.limit is not None and path.equilibrium is not None
    assert path.points[-1].distance < 1e-2


def test_logit_dynamics_come_to_rest_at_the_logit_qre():
    t = logit_dynamics(ASYMMETRIC_PENNIES, [[0.1, 0.9], [0.8, 0.2]], lam=1.0, horizon=60)
    assert t.outcome.kind == "rest point"
    p, q = closed_form_qre(1.0)
    assert t.end[0][0] == pytest.approx(p, abs=1e-7) and t.end[1][0] == pytest.approx(q, abs=1e-7)
    assert t.integration is not None and t.integration.simplex_error < 1e-9


def test_logit_dynamics_in_shapleys_game_settle_for_low_lambda_and_circle_for_high():
    # Benaim, Hofbauer and Hopkins (2009): the centre is stable under smoothed best responses
    # only while the players respond noisily enough; with sharp responses play keeps circling
    calm = logit_dynamics(SHAPLEY, [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], lam=1.0, horizon=60)
    assert calm.outcome.kind == "rest point" and calm.outcome.reached
    sharp = logit_dynamics(SHAPLEY, [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], lam=10.0, horizon=60, samples=1201)
    assert sharp.outcome.kind == "closed orbit" and sharp.outcome.distance > 0.1


def test_lambda_must_be_a_non_negative_number():
    with pytest.raises(InputError):
        logit_qre(PENNIES, -1.0)
    with pytest.raises(InputError):
        logit_dynamics(PENNIES, lam=float("nan"))
    assert [float(v) for v in logit_qre(STAG_HUNT, 0.0).strategies[0]] == [0.5, 0.5]


def test_best_responses_and_fictitious_play_avoid_infeasible_profiles():
    game = Game.from_matrices([[9, 0], [0, 1]], [[9, 0], [0, 1]], strategies=[["A", "B"]] * 2,
                              infeasible=np.array([[True, False], [False, False]]))
    assert best_response_dynamics(game, (0, 1)).equilibrium == (1, 1)
    run = fictitious_play(game, [[0.9, 0.1], [0.9, 0.1]], steps=200)
    assert run.trajectory.outcome.label == "B / B"
    assert not np.any((run.play[:, 0] == 0) & (run.play[:, 1] == 0))
