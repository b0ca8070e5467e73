"""Everything negsim says about a repeated stage game, in one frozen result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from negsim.bargaining.games import GameLike, as_game
from negsim.game import Game
from negsim.repeated.finite import FiniteRepetition, finite_repetition
from negsim.repeated.folk import FolkRegion, folk_region
from negsim.repeated.minmax import Punishment, minmax
from negsim.repeated.trigger import Sustainability, stage_equilibria, sustainability

__all__ = ["RepeatedAnalysis", "repeated_game"]


@dataclass(frozen=True, eq=False)
class RepeatedAnalysis:
    """The stage game's punishments and folk-theorem region, every feasible pure outcome's
    discount-factor thresholds (``outcomes``, row-major order), the named cooperative outcome's
    (``cooperation``), and what finite repetition allows."""

    game: Game
    punishments: tuple[Punishment, ...]
    folk: FolkRegion
    outcomes: tuple[Sustainability, ...]
    cooperation: Sustainability | None
    finite: FiniteRepetition

    def lines(self) -> list[str]:
        out = [self.folk.text()]
        if self.cooperation is not None:
            out.append(self.cooperation.sentence())
        out.append(self.finite.text)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.game.players),
            "folk": self.folk.to_dict(),
            "outcomes": [s.to_dict() for s in self.outcomes],
            "cooperation": None if self.cooperation is None else self.cooperation.to_dict(),
            "finite": self.finite.to_dict(),
        }


def repeated_game(game: GameLike, cooperation: Sequence[int] | None = None, *,
                  punishment: Sequence[int] | None = None) -> RepeatedAnalysis:
    """Analyse ``game`` as the stage game of a repeated game; ``cooperation`` names the outcome
    of interest (strategy indices), ``punishment`` the pure profile tit-for-tat falls back to."""
    game = as_game(game)
    equilibria = stage_equilibria(game)
    punishments = minmax(game)
    outcomes = tuple(
        sustainability(game, p, punishment=punishment, equilibria=equilibria, punishments=punishments)
        for p in game.profiles() if game.is_feasible(p)
    )
    chosen = None
    if cooperation is not None:
        chosen = sustainability(game, cooperation, punishment=punishment, equilibria=equilibria,
                                punishments=punishments)
    return RepeatedAnalysis(game, punishments, folk_region(game, punishments), outcomes, chosen,
                            finite_repetition(game, cooperation, equilibria=equilibria))
