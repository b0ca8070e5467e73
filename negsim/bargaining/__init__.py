"""Bargaining: which deal, and why.

From a game: the feasible payoff set (pure outcomes, lotteries over them, or side payments), its
Pareto frontier, a disagreement point chosen explicitly (status quo, security levels, an
equilibrium, Nash's variable threats), and the classic solutions with the agreement that reaches
each, in exact fractions; the zone of possible agreement in words; alternating offers
(Rubinstein) with patience, first-mover advantage, outside options and risk of breakdown.

>>> from negsim.game import Game
>>> from negsim.bargaining import bargaining_problem, nash_solution
>>> dollar = Game.from_matrices([[0, 1], [0, 0]], [[0, 0], [1, 0]],
...                             strategies=(("claim", "concede"), ("claim", "concede")))
>>> agreement = nash_solution(bargaining_problem(dollar, "maximin"))
>>> agreement.how()
'a lottery: concede / claim with probability 1/2, claim / concede with probability 1/2'

A dollar goes to whoever claims it alone; when both claim it nobody gets it. From the security
levels (0, 0) the Nash solution gives each side the dollar with probability 1/2.
"""

from negsim.bargaining.analysis import BargainingAnalysis, analyze_bargaining, offers_agreement
from negsim.bargaining.batch import bargain_points, nash_over_outcomes, outcome_values
from negsim.bargaining.disagreement import (
    DISAGREEMENT_KINDS,
    Disagreement,
    disagreement_point,
    equilibrium_point,
    given_point,
    security_point,
    status_quo_point,
    zero_sum_value,
)
from negsim.bargaining.division import (
    Division,
    divide_alternating_offers,
    divide_egalitarian,
    divide_kalai_smorodinsky,
    divide_nash,
    divide_utilitarian,
)
from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.payoff_set import AGREEMENTS, Outcome, PayoffSet, payoff_set, points_game
from negsim.bargaining.problem import (
    Agreement,
    BargainingProblem,
    LotteryTerm,
    bargaining_problem,
    normalise_weights,
    problem_from,
)
from negsim.bargaining.rubinstein import (
    AlternatingOffers,
    FiniteAlternatingOffers,
    FrontierOffers,
    alternating_offers,
    discount_factor,
    finite_alternating_offers,
    frontier_alternating_offers,
    rubinstein_shares,
)
from negsim.bargaining.solutions import (
    SOLUTIONS,
    BargainingSolutions,
    egalitarian,
    kalai_smorodinsky,
    nash_solution,
    solve_bargaining,
    utilitarian,
)
from negsim.bargaining.threat import threat_point
from negsim.bargaining.zopa import Zopa, zone_of_agreement

__all__ = [
    "AGREEMENTS",
    "DISAGREEMENT_KINDS",
    "SOLUTIONS",
    "Agreement",
    "AlternatingOffers",
    "BargainingAnalysis",
    "BargainingProblem",
    "BargainingSolutions",
    "Disagreement",
    "Division",
    "FiniteAlternatingOffers",
    "FrontierOffers",
    "GameLike",
    "LotteryTerm",
    "Outcome",
    "PayoffSet",
    "Zopa",
    "alternating_offers",
    "analyze_bargaining",
    "as_game",
    "bargain_points",
    "bargaining_problem",
    "disagreement_point",
    "discount_factor",
    "divide_alternating_offers",
    "divide_egalitarian",
    "divide_kalai_smorodinsky",
    "divide_nash",
    "divide_utilitarian",
    "egalitarian",
    "equilibrium_point",
    "finite_alternating_offers",
    "frontier_alternating_offers",
    "given_point",
    "kalai_smorodinsky",
    "nash_over_outcomes",
    "nash_solution",
    "normalise_weights",
    "offers_agreement",
    "outcome_values",
    "payoff_set",
    "points_game",
    "problem_from",
    "rubinstein_shares",
    "security_point",
    "solve_bargaining",
    "status_quo_point",
    "threat_point",
    "utilitarian",
    "zero_sum_value",
    "zone_of_agreement",
]
