"""The feasible payoff set of a game: its pure outcomes, their lotteries, and side payments.

What the players can agree on is declared, not assumed:

``pure``
    only the game's feasible pure profiles (:attr:`negsim.game.Game.infeasible` ones excluded);
``lotteries``
    also any lottery over them (a jointly randomised agreement, e.g. "store / incentives with
    probability 3/4, patriot / incentives with 1/4"): the convex hull of the outcomes;
``transfers``
    also side payments in the payoffs' units (transferable utility): any split of the largest
    total payoff. Lotteries add nothing then.

For two players the hull and its Pareto frontier are exact polygons
(:mod:`negsim.bargaining.geometry`); for more players the pure outcomes and, with transfers, the
total are what is computed.

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                         strategies=(("C", "D"), ("C", "D")))
>>> s = payoff_set(pd, "lotteries")
>>> [o.label for o in s.frontier_outcomes()]
['C / D', 'C / C', 'D / C']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.geometry import Point, convex_hull, pareto_chain, pareto_points
from negsim.bargaining.numeric import exact_tuple, fmt, json_exact, json_number
from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import Game
from negsim.solve.exact import fraction_array

__all__ = ["AGREEMENTS", "Agreements", "Outcome", "PayoffSet", "exact_game_payoffs", "payoff_set",
           "points_game"]

Agreements = Literal["pure", "lotteries", "transfers"]
AGREEMENTS: tuple[str, ...] = ("pure", "lotteries", "transfers")


def exact_game_payoffs(game: Game) -> np.ndarray:
    """The game's payoffs as fractions (the file's exact values when it has them)."""
    if game.exact_payoffs is not None:
        return np.asarray(game.exact_payoffs, dtype=object)
    return fraction_array(game.payoffs)


@dataclass(frozen=True)
class Outcome:
    """A feasible pure profile and its payoffs."""

    profile: tuple[int, ...]
    label: str
    payoffs: tuple[Fraction, ...]

    def to_dict(self, game_players: tuple[str, ...]) -> dict[str, Any]:
        return {
            "profile": list(self.profile),
            "label": self.label,
            "payoffs": {p: json_number(v) for p, v in zip(game_players, self.payoffs)},
            "exact": {p: json_exact(v) for p, v in zip(game_players, self.payoffs)},
        }


@dataclass(frozen=True, eq=False)
class PayoffSet:
    """What the players can agree on, as payoffs.

    ``outcomes`` are the feasible pure profiles in row-major order. For two players ``hull`` is
    the convex hull of their payoffs (counter-clockwise) and ``frontier`` its Pareto-efficient
    vertices from top-left (best for player 1) to bottom-right (best for player 0); with
    ``agreements="pure"`` the frontier is only the Pareto-efficient outcomes' points, in the same
    order. ``total`` is the largest sum of payoffs (what side payments can split).
    """

    players: tuple[str, ...]
    player_names: tuple[str, ...]
    agreements: str
    outcomes: tuple[Outcome, ...]
    hull: tuple[Point, ...]
    frontier: tuple[Point, ...]
    total: Fraction

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def convex(self) -> bool:
        """Lotteries or side payments: any mix of agreements is an agreement."""
        return self.agreements != "pure"

    def values(self) -> np.ndarray:
        """Payoffs of the outcomes as floats, shape ``(outcomes, players)``."""
        return np.array([[float(v) for v in o.payoffs] for o in self.outcomes], dtype=float).reshape(
            len(self.outcomes), self.n_players)

    def outcomes_at(self, point: tuple[Fraction, ...]) -> list[Outcome]:
        """Every outcome with exactly these payoffs."""
        return [o for o in self.outcomes if o.payoffs == tuple(point)]

    def efficient_outcomes(self) -> list[Outcome]:
        """Pure outcomes that no other pure outcome Pareto-dominates."""
        pts = [o.payoffs for o in self.outcomes]
        keep = []
        for a, p in enumerate(pts):
            if not any(all(q[i] >= p[i] for i in range(len(p))) and q != p for q in pts):
                keep.append(self.outcomes[a])
        return keep

    def frontier_outcomes(self) -> list[Outcome]:
        """One outcome per frontier vertex (the first in row-major order), top-left first."""
        return [self.outcomes_at(p)[0] for p in self.frontier]

    def max_total_outcomes(self) -> list[Outcome]:
        return [o for o in self.outcomes if sum(o.payoffs) == self.total]

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.players),
            "agreements": self.agreements,
            "outcomes": [o.to_dict(self.players) for o in self.outcomes],
            "frontier": [[json_number(v) for v in p] for p in self.frontier],
            "frontier_exact": [[json_exact(v) for v in p] for p in self.frontier],
            "hull": [[json_number(v) for v in p] for p in self.hull],
            "total": json_number(self.total),
            "total_exact": json_exact(self.total),
        }

    def describe(self) -> str:
        """One sentence: how many outcomes, what agreements, which are efficient."""
        eff = ", ".join(f"{o.label} ({', '.join(fmt(v) for v in o.payoffs)})"
                        for o in self.efficient_outcomes())
        how = {"pure": "pure outcomes only", "lotteries": "lotteries over outcomes allowed",
               "transfers": "side payments allowed"}[self.agreements]
        return f"{len(self.outcomes)} feasible outcomes, {how}; Pareto-efficient outcomes: {eff}."


def payoff_set(game: GameLike, agreements: str = "lotteries") -> PayoffSet:
    """The feasible payoff set of ``game`` (a game, parametric game or loaded source) with the
    declared kind of agreements.

    Raises :class:`InputError` for an unknown kind, a one-player game, or lotteries among more
    than two players (the hull is computed in the plane only).
    """
    game = as_game(game)
    if agreements not in AGREEMENTS:
        raise InputError([Problem(f"unknown kind of agreement {agreements!r}"
                                  f"{did_you_mean(agreements, AGREEMENTS)}", path="agreements")])
    if game.n_players < 2:
        raise InputError([Problem("bargaining needs at least two players", path="players")])
    if agreements == "lotteries" and game.n_players > 2:
        raise InputError([Problem(
            f"lotteries over outcomes are supported for two players; this game has {game.n_players} "
            "(use pure outcomes or side payments)", path="agreements")])
    exact = exact_game_payoffs(game)
    outcomes = tuple(
        Outcome(p, game.profile_label(p), tuple(exact[(slice(None), *p)]))  # type: ignore[arg-type]
        for p in game.profiles() if game.is_feasible(p)
    )
    total = max(sum(o.payoffs, Fraction(0)) for o in outcomes)
    hull: tuple[Point, ...] = ()
    frontier: tuple[Point, ...] = ()
    if game.n_players == 2:
        points: list[Point] = [(o.payoffs[0], o.payoffs[1]) for o in outcomes]
        hull = tuple(convex_hull(points))
        if agreements == "pure":
            distinct = sorted(set(points))
            keep = [distinct[k] for k in pareto_points(distinct)]
            frontier = tuple(sorted(keep, key=lambda p: (p[0], -p[1])))
        else:
            frontier = tuple(pareto_chain(hull))
    return PayoffSet(
        players=game.players,
        player_names=game.player_names,
        agreements=agreements,
        outcomes=outcomes,
        hull=hull,
        frontier=frontier,
        total=total,
    )


def points_game(points: Sequence[Sequence[float | Fraction]], labels: Sequence[str] | None = None, *,
                player_names: Sequence[str] = ("player 1", "player 2")) -> Game:
    """A game whose outcomes are the given payoff pairs (or tuples): the first player picks the
    outcome, the others have one strategy each. For bargaining over a set given by its points.

    >>> g = points_game([(1, 0), (0, 1)], ["all to 1", "all to 2"])
    >>> [o.label for o in payoff_set(g).outcomes]
    ['all to 1 / agree', 'all to 2 / agree']
    """
    rows = [exact_tuple(p, path=f"points[{k}]") for k, p in enumerate(points)]
    if not rows:
        raise InputError([Problem("expected at least one point", path="points")])
    n = len(rows[0])
    if n < 2 or any(len(r) != n for r in rows):
        raise InputError([Problem("every point needs the same number (at least 2) of payoffs",
                                  path="points")])
    names = tuple(labels) if labels is not None else tuple(f"outcome {k + 1}" for k in range(len(rows)))
    exact = np.empty((n, len(rows), *([1] * (n - 1))), dtype=object)
    for k, r in enumerate(rows):
        for i in range(n):
            exact[(i, k, *([0] * (n - 1)))] = r[i]
    return Game(
        players=tuple(f"player{i + 1}" for i in range(n)),
        strategies=(names, *(("agree",) for _ in range(n - 1))),
        payoffs=exact.astype(float),
        player_names=tuple(player_names)[:n] if len(player_names) >= n
        else tuple(f"player {i + 1}" for i in range(n)),
        exact_payoffs=exact,
    )
