"""Minmax (punishment) payoffs of a stage game: the least the others can hold a player to.

Player ``i``'s minmax payoff is ``min over the others' play of max over i's replies``:

``pure``
    the others choose a pure profile (any number of players, exact);
``mixed``
    for two players the punisher mixes; by the minimax theorem this equals ``i``'s security
    level, the value of the zero-sum game of ``i``'s payoffs, computed exactly;
``correlated``
    for three or more players the others may correlate their punishment (a linear programme,
    floats). It is a lower bound on the minmax with independent mixes, and the pure minmax an
    upper bound; the independent-mix minmax in between (a non-convex problem) is not computed.

An infeasible profile counts as the worst outcome (:attr:`negsim.game.Game.solver_payoffs`).

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> [str(p.pure_value) for p in minmax(pd)]
['1', '1']
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from negsim.bargaining.disagreement import zero_sum_value
from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.numeric import json_exact, json_number
from negsim.solve.exact import as_fraction
from negsim.solve.verify import exact_payoffs_of

__all__ = ["Punishment", "minmax", "minmax_point", "pure_minmax_values"]


@dataclass(frozen=True)
class Punishment:
    """How hard the others can punish ``player``.

    ``pure_profiles`` are the profiles where the others minmax ``player`` with pure strategies
    and ``player`` replies as well as it can (every such pair, ties included).
    ``mixed_value`` is the two-player mixed minmax (exact) with the punisher's ``mixed_strategy``;
    for more players ``correlated_value`` is the correlated minmax (a float) and ``mixed_value``
    is ``None``.
    """

    player: int
    pure_value: Fraction
    pure_profiles: tuple[tuple[int, ...], ...]
    mixed_value: Fraction | None
    mixed_strategy: tuple[Fraction, ...] | None
    correlated_value: float | None

    @property
    def value(self) -> Fraction | float:
        """The lowest punishment payoff computed: mixed for two players, correlated for more."""
        if self.mixed_value is not None:
            return self.mixed_value
        assert self.correlated_value is not None
        return self.correlated_value

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "pure": json_number(self.pure_value),
            "pure_exact": json_exact(self.pure_value),
            "pure_profiles": [list(p) for p in self.pure_profiles],
            "mixed": None if self.mixed_value is None else json_number(self.mixed_value),
            "mixed_exact": None if self.mixed_value is None else json_exact(self.mixed_value),
            "mixed_strategy": None if self.mixed_strategy is None
            else [json_number(p) for p in self.mixed_strategy],
            "correlated": self.correlated_value,
        }


def _correlated_minmax(table: np.ndarray) -> float:
    """min over distributions q of the others' profiles of max over i's strategies (LP)."""
    from scipy.optimize import linprog

    m, k = table.shape  # i's strategies x the others' joint profiles
    c = np.zeros(k + 1)
    c[-1] = 1.0
    # table[a] . q - v <= 0 for every a;  sum q = 1
    A_ub = np.hstack([table, -np.ones((m, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(m), A_eq=np.hstack([np.ones((1, k)), np.zeros((1, 1))]),
                  b_eq=[1.0], bounds=[(0, None)] * k + [(None, None)], method="highs")
    return float(res.x[-1])


def minmax(game: GameLike) -> tuple[Punishment, ...]:
    """Every player's minmax payoffs (see the module docstring for what is computed)."""
    game = as_game(game)
    payoffs = exact_payoffs_of(game)
    n = game.n_players
    out = []
    for i in range(n):
        table = np.moveaxis(payoffs[i], i, 0)  # (m_i, others...)
        others_shape = table.shape[1:]
        best = {}
        for rest in product(*(range(m) for m in others_shape)):
            column = table[(slice(None), *rest)]
            best[rest] = max(column)
        value = min(best.values())
        profiles = []
        for rest, top in best.items():
            if top != value:
                continue
            column = table[(slice(None), *rest)]
            for a, v in enumerate(column):
                if v == top:
                    profiles.append(tuple([*rest[:i], a, *rest[i:]]))
        mixed_value: Fraction | None = None
        mixed_strategy: tuple[Fraction, ...] | None = None
        correlated: float | None = None
        if n == 2:
            # i maximises, the other minimises i's payoff: the zero-sum game of i's payoffs
            matrix = payoffs[0] if i == 0 else payoffs[1].T
            mixed_value, _, mixed_strategy = zero_sum_value(matrix)
        else:
            correlated = _correlated_minmax(np.asarray(table.reshape(table.shape[0], -1), dtype=float))
        out.append(Punishment(i, value, tuple(profiles), mixed_value, mixed_strategy, correlated))
    return tuple(out)


def minmax_point(punishments: tuple[Punishment, ...]) -> tuple[Fraction, ...]:
    """The minmax point: each player's lowest computed punishment payoff, as fractions."""
    return tuple(p.value if isinstance(p.value, Fraction) else as_fraction(p.value) for p in punishments)


def pure_minmax_values(payoffs: np.ndarray, n_players: int) -> np.ndarray:
    """Pure minmax payoffs at many points: ``(..., n, m_0, ...)`` -> ``(..., n)`` (floats)."""
    payoffs = np.asarray(payoffs, dtype=float)
    lead = payoffs.ndim - n_players - 1
    values = []
    for i in range(n_players):
        table = np.take(payoffs, i, axis=lead)
        best = table.max(axis=lead + i)
        values.append(best.reshape(*best.shape[:lead], -1).min(axis=-1))
    return np.stack(values, axis=-1)
