"""Conflict analysis in option form: the Graph Model for Conflict Resolution (GMCR).

Decision makers control yes/no options; a state is a combination of options; the analysis
finds, for every state and decision maker, whether the state is stable under Nash stability
(R), general and symmetric metarationality (GMR, SMR), sequential stability (SEQ) and
simultaneous sanctioning (SIM), each verdict with its witness; then equilibria, coalitions and
the paths from the status quo.

>>> from negsim.conflict import analyze, classic
>>> elmira = classic("gmcr-elmira")
>>> analyze(elmira, ("R",)).equilibria("R")       # published states 5, 8 and 9 (9 = four codes here)
(8, 9, 18, 21, 24, 25)
"""

from negsim.conflict.batch import BatchStability, batch_stability, move_matrices
from negsim.conflict.classics import CLASSICS, classic
from negsim.conflict.coalition import (
    CoalitionAnalysis,
    CoalitionVerdict,
    coalition_analysis,
    coalition_improvements,
)
from negsim.conflict.format import ConflictSpec, build_conflict, parse_conflict
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
from negsim.conflict.normal_form import Comparison, compare_with_matrix, from_normal_form, to_normal_form
from negsim.conflict.preferences import (
    Statement,
    option_values,
    parse_statement,
    payoff_scores,
    prioritization_scores,
    ranking_scores,
)
from negsim.conflict.reach import Move, describe_move, move_graph, reach
from negsim.conflict.s400 import S400, s400, s400_2025_payoffs, without_options
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
    "CLASSICS",
    "CONCEPTS",
    "CONCEPT_NAMES",
    "S400",
    "BatchStability",
    "CoalitionAnalysis",
    "CoalitionVerdict",
    "Comparison",
    "Conflict",
    "ConflictSpec",
    "DecisionMaker",
    "Deterrence",
    "Direction",
    "Move",
    "Option",
    "Pattern",
    "Sanction",
    "StabilityAnalysis",
    "Statement",
    "StatusQuoPath",
    "Verdict",
    "analyze",
    "at_least_one",
    "batch_stability",
    "build_conflict",
    "classic",
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
    "mutually_exclusive",
    "option_values",
    "parse_conflict",
    "parse_statement",
    "payoff_scores",
    "prioritization_scores",
    "ranking_scores",
    "reach",
    "s400",
    "s400_2025_payoffs",
    "stability",
    "status_quo_paths",
    "to_normal_form",
    "without_options",
]
