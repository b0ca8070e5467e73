"""Conflict analysis in option form: the Graph Model for Conflict Resolution (GMCR).

Decision makers control yes/no options; a state is a combination of options; the analysis
finds, for every state and decision maker, whether the state is stable under Nash stability
(R), general and symmetric metarationality (GMR, SMR), sequential stability (SEQ) and
simultaneous sanctioning (SIM), each verdict with its witness; then equilibria, coalitions and
the paths from the status quo.

The conflicts themselves are scenario files in option form (``negsim.compile.conflict``
builds them; ``negsim conflict SCENARIO`` analyses them). A small one in code, the Prisoner's
Dilemma (each prisoner controls "defect"):

>>> from negsim.conflict import Conflict, DecisionMaker, Option, analyze
>>> pd = Conflict(
...     decision_makers=(DecisionMaker("a", ("a_defects",)), DecisionMaker("b", ("b_defects",))),
...     options=(Option("a_defects"), Option("b_defects")),
...     payoffs=((3, 4, 1, 2), (3, 1, 4, 2)),     # states: none, a defects, b defects, both
... )
>>> a = analyze(pd, ("R", "SEQ"))
>>> a.equilibria("R"), a.equilibria("SEQ")      # both defect; and mutual cooperation is SEQ stable
((3,), (0, 3))
"""

from negsim.conflict.batch import BatchStability, batch_stability, move_matrices
from negsim.conflict.coalition import (
    CoalitionAnalysis,
    CoalitionVerdict,
    coalition_analysis,
    coalition_improvements,
)
from negsim.conflict.model import (
    Conflict,
    DecisionMaker,
    Direction,
    Option,
    Pattern,
    at_least_one,
    exactly_one,
    mutually_exclusive,
)
from negsim.conflict.normal_form import (
    Comparison,
    NormalFormLayout,
    compare_with_matrix,
    from_normal_form,
    normal_form_layout,
    parametric_normal_form,
    to_normal_form,
)
from negsim.conflict.parametric import ParametricConflict
from negsim.conflict.preferences import (
    Formula,
    option_values,
    payoff_scores,
    prioritization_scores,
    ranking_scores,
)
from negsim.conflict.reach import Move, describe_move, move_graph, reach
from negsim.conflict.stability import (
    BASIC_CONCEPTS,
    CONCEPT_NAMES,
    CONCEPTS,
    Deterrence,
    Sanction,
    StabilityAnalysis,
    Verdict,
    analyze,
    explain,
    stability,
)
from negsim.conflict.status_quo import StatusQuoPath, improvement_graph, status_quo_paths

__all__ = [
    "BASIC_CONCEPTS",
    "CONCEPTS",
    "CONCEPT_NAMES",
    "BatchStability",
    "CoalitionAnalysis",
    "CoalitionVerdict",
    "Comparison",
    "Conflict",
    "DecisionMaker",
    "Deterrence",
    "Direction",
    "Formula",
    "Move",
    "NormalFormLayout",
    "Option",
    "ParametricConflict",
    "Pattern",
    "Sanction",
    "StabilityAnalysis",
    "StatusQuoPath",
    "Verdict",
    "analyze",
    "at_least_one",
    "batch_stability",
    "coalition_analysis",
    "coalition_improvements",
    "compare_with_matrix",
    "describe_move",
    "exactly_one",
    "explain",
    "from_normal_form",
    "improvement_graph",
    "move_graph",
    "move_matrices",
    "normal_form_layout",
    "mutually_exclusive",
    "option_values",
    "parametric_normal_form",
    "payoff_scores",
    "prioritization_scores",
    "ranking_scores",
    "reach",
    "stability",
    "status_quo_paths",
    "to_normal_form",
]
