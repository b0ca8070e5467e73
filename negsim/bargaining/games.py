"""What the bargaining and repeated-play functions accept as a game.

A :class:`~negsim.game.Game`; a :class:`~negsim.game.ParametricGame` (taken at its default
parameter values); or a loaded source (:func:`negsim.compile.load_source`, anything with an
``at()`` method that gives the game at the defaults). For a scenario's own declarations
(agreements, disagreement point, patience, cooperative outcomes) use the source's
:meth:`~negsim.compile.source.Source.bargain` and :meth:`~negsim.compile.source.Source.repeated`.

>>> from negsim.compile import load_source
>>> as_game(load_source("prisoners-dilemma")).shape
(2, 2)
"""

from __future__ import annotations

from typing import Any

from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame

__all__ = ["GameLike", "as_game"]

#: A game, a parametric game, or a loaded source.
GameLike = Game | ParametricGame | Any


def as_game(game: GameLike) -> Game:
    """The :class:`Game` a game, parametric game or source stands for (at its defaults)."""
    if isinstance(game, Game):
        return game
    if isinstance(game, ParametricGame):
        return game.game()
    at = getattr(game, "at", None)
    if callable(at):
        found = at()
        if isinstance(found, Game):
            return found
    raise InputError([Problem(f"expected a game, a parametric game or a loaded source, got "
                              f"{type(game).__name__}", path="game")])
