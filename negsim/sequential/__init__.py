"""Solving game trees: subgame-perfect equilibria, credible threats and promises, types.

From a :class:`~negsim.tree.ParametricTree`:

- :func:`subgame_perfect` lists the subgame-perfect equilibria at one point (all of them
  for perfect information, ties included);
- :func:`backward_induction_points` finds a subgame-perfect equilibrium at many parameter
  points at once, and :func:`perfect_points` every one of them (for sweeps);
- :func:`analyze_credibility` says which threats and promises are credible and for which
  parameter values; :func:`compare_orders` compares move orders with simultaneous play;
- :func:`per_type` reads an equilibrium per type;
- :func:`analyze_tree` is what ``negsim run`` reports for a tree.

>>> from negsim.compile import resolve_scenario, scenario_tree
>>> tree = scenario_tree(resolve_scenario("s400-2019-activation-then-sanctions"))
>>> [e.outcome(tree.shape) for e in subgame_perfect(tree.tree()).equilibria]
['store -> hold_off']
"""

from negsim.sequential.analysis import TreeAnalysis, analyze_tree
from negsim.sequential.bayesian import TypeReport, per_type, per_type_of_mixed
from negsim.sequential.credibility import (
    CredibilityReport,
    Region,
    ResponseCredibility,
    analyze_credibility,
    credibility_margin,
    credibility_regions,
    find_responses,
    response_nodes,
)
from negsim.sequential.points import PointPaths, backward_induction_points
from negsim.sequential.spe import SubgamePerfect, TreeSolution, subgame_perfect

__all__ = [
    "CredibilityReport",
    "PointPaths",
    "Region",
    "ResponseCredibility",
    "SubgamePerfect",
    "TreeAnalysis",
    "TreeSolution",
    "TypeReport",
    "analyze_credibility",
    "analyze_tree",
    "backward_induction_points",
    "credibility_margin",
    "credibility_regions",
    "find_responses",
    "per_type",
    "per_type_of_mixed",
    "response_nodes",
    "subgame_perfect",
]
