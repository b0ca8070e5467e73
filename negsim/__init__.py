"""negsim: negotiation game-theory simulator.

Data flows one way: scenario YAML -> :class:`Scenario` -> :class:`Game` -> :class:`Solution`
-> sweeps -> figures and reports (``docs/discussion/architecture.md``).

``import negsim`` is quick: the names below are imported when first used. From Python, two
doors (see :mod:`negsim.api`):

>>> import negsim
>>> source = negsim.load("prisoners-dilemma")   # a built-in id, or a .yaml, .nfg or .efg file
>>> source.at().shape
(2, 2)

``negsim.sweep_over(source, {"name": values})`` solves a sweep in memory: its table as a
DataFrame, its tipping points in words, its figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from negsim.errors import InputError, Problem
from negsim.version import __version__

if TYPE_CHECKING:
    from negsim.game import Game, ParametricGame

__all__ = ["Game", "InputError", "ParametricGame", "Problem", "__version__", "load", "sweep_over"]

#: Public names imported on first use, and the module each comes from.
_LAZY = {"Game": "negsim.game", "ParametricGame": "negsim.game",
         "load": "negsim.api", "sweep_over": "negsim.api"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negsim' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
