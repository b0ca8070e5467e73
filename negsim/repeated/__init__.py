"""Repeated play: can cooperation last?

For a stage game: the minmax (punishment) payoffs, the folk-theorem region, and for each pure
outcome the smallest discount factor at which it can be sustained by grim trigger (Nash
reversion), one-period punishment, minmax punishment (a simple penal code) and tit-for-tat,
with the minmax bound that no equilibrium can beat; what finite repetition allows.

>>> import textwrap
>>> from negsim.game import Game
>>> from negsim.repeated import sustainability
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")),
...                         player_names=("Row", "Column"))
>>> print(textwrap.fill(sustainability(pd, (0, 0)).sentence(), 90))
cooperation (C / C) can last if Row values the future at least 0.50 and Column values the
future at least 0.50, with grim trigger (Nash reversion): after any deviation the stage
equilibrium D / D is played for ever.
"""

from negsim.repeated.analysis import RepeatedAnalysis, repeated_game
from negsim.repeated.finite import FiniteRepetition, finite_repetition
from negsim.repeated.folk import FolkRegion, clip_polygon, folk_region
from negsim.repeated.minmax import Punishment, minmax, minmax_point, pure_minmax_values
from negsim.repeated.play import RepeatedPlay, cooperative_outcomes, lasts_at, repeated_play
from negsim.repeated.trigger import (
    SCHEMES,
    PlayerThreshold,
    Scheme,
    Sustainability,
    declared_scheme,
    deviation_payoffs,
    grim_trigger_thresholds,
    linear_threshold,
    penal_code_scheme,
    pure_nash_punishments,
    stage_equilibria,
    sustainability,
    threshold,
)

__all__ = [
    "SCHEMES",
    "FiniteRepetition",
    "FolkRegion",
    "PlayerThreshold",
    "Punishment",
    "RepeatedAnalysis",
    "RepeatedPlay",
    "Scheme",
    "Sustainability",
    "clip_polygon",
    "cooperative_outcomes",
    "declared_scheme",
    "deviation_payoffs",
    "finite_repetition",
    "folk_region",
    "grim_trigger_thresholds",
    "lasts_at",
    "linear_threshold",
    "minmax",
    "minmax_point",
    "penal_code_scheme",
    "pure_minmax_values",
    "pure_nash_punishments",
    "repeated_game",
    "repeated_play",
    "stage_equilibria",
    "sustainability",
    "threshold",
]
