"""negsim: negotiation game-theory simulator.

Data flows one way: scenario YAML -> :class:`Scenario` -> :class:`Game` -> :class:`Solution`
-> sweeps -> figures and reports (``docs/discussion/architecture.md``).

``import negsim`` is quick: the names below are imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from negsim.errors import InputError, Problem
from negsim.version import __version__

if TYPE_CHECKING:
    from negsim.game import Game, ParametricGame

__all__ = ["Game", "InputError", "ParametricGame", "Problem", "__version__"]

#: Public names imported on first use, and the module each comes from.
_LAZY = {"Game": "negsim.game", "ParametricGame": "negsim.game"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negsim' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
