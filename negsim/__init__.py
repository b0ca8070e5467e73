"""negsim: negotiation game-theory simulator.

Data flows one way: scenario YAML -> :class:`Scenario` -> :class:`Game` -> :class:`Solution`
-> sweeps -> figures and reports.

From Python, two doors (see :mod:`negsim.api`):

>>> import negsim
>>> source = negsim.load("prisoners-dilemma")   # a built-in id, or a .yaml, .nfg or .efg file
>>> source.at().shape
(2, 2)

``negsim.sweep_over(source, {"name": values})`` solves a sweep in memory: its table as a
DataFrame, its tipping points in words, its figures.
"""

from __future__ import annotations

from typing import Any

from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.version import __version__

__all__ = ["Game", "InputError", "ParametricGame", "Problem", "__version__", "load", "sweep_over"]

#: Names of :mod:`negsim.api` offered here; imported on first use, so ``import negsim`` stays fast.
_API = ("load", "sweep_over")


def __getattr__(name: str) -> Any:
    if name in _API:
        from negsim import api

        return getattr(api, name)
    raise AttributeError(f"module 'negsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
