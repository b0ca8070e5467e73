"""negsim: negotiation game-theory simulator.

Data flows one way: scenario YAML -> :class:`Scenario` -> :class:`Game` -> :class:`Solution`
-> sweeps -> figures and reports.
"""

from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.version import __version__

__all__ = ["Game", "InputError", "ParametricGame", "Problem", "__version__"]
