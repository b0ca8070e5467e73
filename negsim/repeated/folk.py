"""The folk-theorem region: feasible payoffs that give every player more than its minmax.

Feasible means in the convex hull of the stage game's pure outcomes (reached by alternating
outcomes over time or by public randomisation). For two players every payoff pair in the hull
above the minmax point is the average payoff of a subgame-perfect equilibrium of the repeated
game once both players are patient enough (Fudenberg and Maskin 1986, Theorem 1: two players
need no full-dimensionality condition). For more players the region is only described by the
outcomes above the pure minmax (certainly individually rational) and above the correlated
minmax (possibly so).

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> [tuple(str(v) for v in p) for p in folk_region(pd).region]
[('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.geometry import Point, convex_hull
from negsim.bargaining.numeric import fmt, json_number
from negsim.game import Game
from negsim.repeated.minmax import Punishment, minmax, minmax_point
from negsim.solve.verify import exact_payoffs_of

__all__ = ["FolkRegion", "clip_polygon", "folk_region"]


def clip_polygon(polygon: list[Point], axis: int, level: Fraction) -> list[Point]:
    """The part of a convex polygon (vertices in order) where coordinate ``axis`` is at least
    ``level`` (Sutherland-Hodgman, exact)."""
    if not polygon:
        return []
    if len(polygon) == 1:
        return list(polygon) if polygon[0][axis] >= level else []
    out: list[Point] = []
    for k, p in enumerate(polygon):
        q = polygon[(k + 1) % len(polygon)]
        p_in, q_in = p[axis] >= level, q[axis] >= level
        if p_in:
            out.append(p)
        if p_in != q_in:
            t = (level - p[axis]) / (q[axis] - p[axis])
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    cleaned: list[Point] = []
    for p in out:
        if not cleaned or cleaned[-1] != p:
            cleaned.append(p)
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()
    return cleaned


@dataclass(frozen=True, eq=False)
class FolkRegion:
    """``minmax`` is the minmax point (mixed for two players); ``hull`` the feasible polygon and
    ``region`` its part at or above the minmax point (two players; counter-clockwise);
    ``rational`` the pure outcomes strictly above the minmax point."""

    game: Game
    punishments: tuple[Punishment, ...]
    minmax: tuple[Fraction, ...]
    hull: tuple[Point, ...]
    region: tuple[Point, ...]
    rational: tuple[tuple[int, ...], ...]

    def text(self) -> str:
        names = self.game.player_names
        above = " and ".join(f"{n} more than {fmt(v)}" for n, v in zip(names, self.minmax))
        outcomes = ", ".join(self.game.profile_label(p) for p in self.rational) or "none"
        if self.game.n_players == 2:
            return (f"The folk-theorem region: every feasible payoff pair that gives {above} (their minmax "
                    "payoffs) is the average payoff of a subgame-perfect equilibrium of the repeated game "
                    f"when both sides are patient enough. Pure outcomes in it: {outcomes}.")
        return (f"Pure outcomes that give {above} (the correlated minmax, a lower bound on what punishment "
                f"can do) : {outcomes}.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "minmax": {p: json_number(v) for p, v in zip(self.game.players, self.minmax)},
            "punishments": [p.to_dict() for p in self.punishments],
            "hull": [[json_number(v) for v in p] for p in self.hull],
            "region": [[json_number(v) for v in p] for p in self.region],
            "rational": [self.game.profile_label(p) for p in self.rational],
            "text": self.text(),
        }


def folk_region(game: GameLike, punishments: tuple[Punishment, ...] | None = None) -> FolkRegion:
    """The feasible and individually rational set of the stage game ``game``."""
    game = as_game(game)
    punish = punishments if punishments is not None else minmax(game)
    v = minmax_point(punish)
    payoffs = exact_payoffs_of(game)
    profiles = [p for p in game.profiles() if game.is_feasible(p)]
    rational = tuple(p for p in profiles
                     if all(payoffs[(i, *p)] > v[i] for i in range(game.n_players)))
    hull: tuple[Point, ...] = ()
    region: tuple[Point, ...] = ()
    if game.n_players == 2:
        hull = tuple(convex_hull([(payoffs[(0, *p)], payoffs[(1, *p)]) for p in profiles]))
        clipped = clip_polygon(list(hull), 0, v[0])
        region = tuple(clip_polygon(clipped, 1, v[1]))
    return FolkRegion(game, punish, v, hull, region, rational)
