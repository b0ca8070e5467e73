"""Game trees: sequential moves, chance moves, information sets and types.

A scenario with ``timing``, ``types`` or payoffs as a ``tree`` (or a Gambit ``.efg`` file)
is a :class:`ParametricTree`. From it:

- :func:`subgame_perfect` lists the subgame-perfect equilibria at one point (all of them
  for perfect information, ties included);
- :func:`strategic_form` gives the reduced strategic form as a
  :class:`~negsim.game.ParametricGame` (the Harsanyi transformation for types), whose Nash
  equilibria :func:`negsim.solve.solve` finds;
- :func:`backward_induction_points` finds a subgame-perfect equilibrium at many parameter
  points at once (for sweeps);
- :func:`analyze_credibility` says which threats and promises are credible and for which
  parameter values; :func:`compare_orders` compares move orders with simultaneous play;
- :func:`per_type` reads an equilibrium per type.

>>> from negsim.scenario import resolve_scenario
>>> tree = scenario_tree(resolve_scenario("s400-2019-activation-then-sanctions"))
>>> [e.outcome(tree.shape) for e in subgame_perfect(tree.tree()).equilibria]
['store -> hold_off']
"""

from negsim.tree.analysis import TreeAnalysis, analyze_tree
from negsim.tree.bayesian import TypeReport, per_type, per_type_of_mixed
from negsim.tree.credibility import (
    CredibilityReport,
    OrderComparison,
    Region,
    ResponseCredibility,
    analyze_credibility,
    compare_orders,
    credibility_margin,
    credibility_regions,
    find_responses,
    response_nodes,
)
from negsim.tree.model import GameTree, Infoset, Node, ParametricTree, TreeBuilder, TreeShape
from negsim.tree.points import PointPaths, backward_induction_points
from negsim.tree.scenario import export_tree, game_tree, scenario_tree
from negsim.tree.spe import SubgamePerfect, TreeSolution, subgame_perfect
from negsim.tree.strategic import (
    ReducedForm,
    behavior_from_mixed,
    reduced_form,
    strategic_form,
    strategic_game,
)

__all__ = [
    "CredibilityReport",
    "GameTree",
    "Infoset",
    "Node",
    "OrderComparison",
    "ParametricTree",
    "PointPaths",
    "ReducedForm",
    "Region",
    "ResponseCredibility",
    "SubgamePerfect",
    "TreeAnalysis",
    "TreeBuilder",
    "TreeShape",
    "TreeSolution",
    "TypeReport",
    "analyze_credibility",
    "analyze_tree",
    "backward_induction_points",
    "behavior_from_mixed",
    "compare_orders",
    "credibility_margin",
    "credibility_regions",
    "export_tree",
    "find_responses",
    "game_tree",
    "per_type",
    "per_type_of_mixed",
    "reduced_form",
    "response_nodes",
    "scenario_tree",
    "strategic_form",
    "strategic_game",
    "subgame_perfect",
]
