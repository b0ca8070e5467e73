"""Solvers: plain functions over games, one module per method, and :func:`solve` to pick one.

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> [e.label(pd) for e in solve(pd).equilibria]
['2 / 2']
"""

from negsim.solve.equilibria import METHODS, Method, choose_method, solve
from negsim.solve.result import Component, Equilibrium, Solution

__all__ = ["METHODS", "Component", "Equilibrium", "Method", "Solution", "choose_method", "solve"]

from negsim.solve.analysis import Analysis, analyze  # noqa: E402

__all__ += ["Analysis", "analyze"]
