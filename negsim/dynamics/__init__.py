"""Learning dynamics: how play may move, and where it settles.

Plain functions over a :class:`~negsim.game.Game` (any number of players; infeasible profiles
get the solver payoffs, every player's worst outcome), each returning a frozen result with a
``to_dict()`` for JSON:

- :func:`best_response_dynamics` and :func:`best_response_graph`: pure best responses, in turn,
  all at once or in random order; pure equilibria and best-response cycles;
- :func:`fictitious_play`: empirical frequencies, simultaneous or alternating, with the cycle
  of play;
- :func:`replicator` (continuous time, one population per player or one population of a
  symmetric game) and :func:`discrete_replicator`; :func:`rest_points` with the eigenvalues of
  the linearisation and a stability verdict;
- :func:`logit_dynamics`, whose rest points are logit QRE; :func:`qre_path` and
  :func:`logit_qre`, the quantal response equilibrium as a behavioural prediction;
- :func:`basins`: which equilibrium play reaches from where, with the exact :func:`separatrix`
  of 2x2 coordination games; :func:`phase_portrait` for figures;
- :func:`learning_overview`: each dynamic from uniform play and from the status quo, in one look.

Starts are written as users write them by :func:`start_profile` (``"uniform"``,
``"status-quo"``, ``"turkey.store=0.5,turkey.full=0.5"``) and :func:`pure_start`.

Every trajectory's end is compared with the verified equilibria of :func:`negsim.solve.solve`
(:class:`Outcome`: the nearest one and the distance to it). Randomness is seeded.

>>> from negsim.game import Game
>>> hawk_dove = Game.from_matrices([[-1, 2], [0, 1]], [[-1, 0], [2, 1]],
...                                strategies=[["hawk", "dove"], ["hawk", "dove"]])
>>> t = replicator(hawk_dove, [0.9, 0.1], population="single")
>>> t.outcome.kind, [round(float(p), 6) for p in t.end[0]]      # the mixed ESS: hawks at V/C = 1/2
('rest point', [0.5, 0.5])
"""

from negsim.dynamics.basins import BASIN_DYNAMICS, Basins, Separatrix, basins, grid_starts, separatrix
from negsim.dynamics.best_response import (
    ORDERS,
    BestResponseGraph,
    BestResponsePath,
    best_response_dynamics,
    best_response_graph,
    best_responses,
)
from negsim.dynamics.fictitious_play import MODES, FictitiousPlay, PlayCycle, fictitious_play, play_cycle
from negsim.dynamics.integrate import METHODS, IntegrationError, IntegrationReport, Integrator
from negsim.dynamics.logit_dynamics import logit_dynamics
from negsim.dynamics.overview import DYNAMICS, LearningOverview, PlayResult, learning_overview, qre_result
from negsim.dynamics.portrait import Portrait, phase_portrait, portrait_kind
from negsim.dynamics.profiles import (
    NAMED_STARTS,
    Profile,
    as_profile,
    distance,
    is_symmetric,
    pure_start,
    start_profile,
    status_quo_profile,
    uniform_profile,
)
from negsim.dynamics.qre import QREPath, QREPoint, logit_qre, logit_response, qre_path
from negsim.dynamics.replicator import (
    POPULATIONS,
    discrete_replicator,
    replicator,
    replicator_jacobian,
    replicator_velocity,
    tangent_eigenvalues,
)
from negsim.dynamics.rest_points import RestPoint, RestPoints, classify, rest_points
from negsim.dynamics.trajectory import Outcome, Trajectory, equilibria_of, nearest_equilibrium

__all__ = [
    "BASIN_DYNAMICS",
    "DYNAMICS",
    "METHODS",
    "MODES",
    "NAMED_STARTS",
    "ORDERS",
    "POPULATIONS",
    "Basins",
    "BestResponseGraph",
    "BestResponsePath",
    "FictitiousPlay",
    "IntegrationError",
    "IntegrationReport",
    "Integrator",
    "LearningOverview",
    "Outcome",
    "PlayCycle",
    "PlayResult",
    "Portrait",
    "Profile",
    "QREPath",
    "QREPoint",
    "RestPoint",
    "RestPoints",
    "Separatrix",
    "Trajectory",
    "as_profile",
    "basins",
    "best_response_dynamics",
    "best_response_graph",
    "best_responses",
    "classify",
    "discrete_replicator",
    "distance",
    "equilibria_of",
    "fictitious_play",
    "grid_starts",
    "is_symmetric",
    "learning_overview",
    "logit_dynamics",
    "logit_qre",
    "logit_response",
    "nearest_equilibrium",
    "phase_portrait",
    "play_cycle",
    "portrait_kind",
    "pure_start",
    "qre_path",
    "qre_result",
    "replicator",
    "replicator_jacobian",
    "replicator_velocity",
    "rest_points",
    "separatrix",
    "start_profile",
    "status_quo_profile",
    "tangent_eigenvalues",
    "uniform_profile",
]
