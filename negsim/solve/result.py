"""What solvers return: labelled equilibria, each verified, inside one frozen :class:`Solution`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from negsim.game import Game

__all__ = ["Component", "Equilibrium", "Solution"]


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One Nash equilibrium: a mixed strategy per player, its payoffs and its regret.

    ``regret`` is the largest gain any player could get by deviating to a pure strategy
    (0 for an exact equilibrium); every equilibrium negsim reports has ``regret <= tolerance``.
    ``exact_strategies``/``exact_payoffs`` hold rational values when the game was solved exactly.
    """

    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    regret: float
    exact_strategies: tuple[tuple[Fraction, ...], ...] | None = None
    exact_payoffs: tuple[Fraction, ...] | None = None

    @property
    def kind(self) -> str:
        return "pure" if self.pure_profile() is not None else "mixed"

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        if self.exact_strategies is not None:
            return tuple(tuple(k for k, p in enumerate(s) if p != 0) for s in self.exact_strategies)
        return tuple(tuple(int(k) for k in np.flatnonzero(s > 0)) for s in self.strategies)

    def pure_profile(self) -> tuple[int, ...] | None:
        support = self.support
        if all(len(s) == 1 for s in support):
            return tuple(s[0] for s in support)
        return None

    def key(self, decimals: int = 9) -> tuple:
        """A hashable key that identifies this equilibrium: its exact probabilities when known,
        otherwise its probabilities rounded to ``decimals``."""
        if self.exact_strategies is not None:
            return self.exact_strategies
        return tuple(tuple(np.round(s, decimals) + 0.0) for s in self.strategies)

    def label(self, game: Game) -> str:
        """``"limited / waive"`` for a pure equilibrium; supports joined by ``+`` for mixed."""
        return " / ".join(
            "+".join(game.strategies[i][k] for k in support)
            for i, support in enumerate(self.support)
        )


@dataclass(frozen=True)
class Component:
    """A maximal set of extreme equilibria whose convex hull consists of equilibria.

    In a non-degenerate game every component is a single point. ``equilibria`` indexes into
    :attr:`Solution.equilibria`; ``description`` says in words what the component is.
    """

    equilibria: tuple[int, ...]
    description: str


@dataclass(frozen=True, eq=False)
class Solution:
    """The equilibria of one game found by one method.

    ``complete`` is true when the method finds every equilibrium (every extreme equilibrium in
    a degenerate two-player game); a Lemke-Howson or pure-only search is not complete.
    """

    game: Game
    method: str
    equilibria: tuple[Equilibrium, ...]
    complete: bool
    degenerate: bool = False
    exact: bool = False
    tolerance: float = 1e-9
    components: tuple[Component, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def pure(self) -> tuple[Equilibrium, ...]:
        return tuple(e for e in self.equilibria if e.kind == "pure")

    @property
    def mixed(self) -> tuple[Equilibrium, ...]:
        return tuple(e for e in self.equilibria if e.kind == "mixed")

    @property
    def max_regret(self) -> float:
        return max((e.regret for e in self.equilibria), default=0.0)


def sort_equilibria(equilibria: Sequence[Equilibrium]) -> list[Equilibrium]:
    """Pure equilibria first, then by support size, then lexicographically by probabilities."""

    def order(e: Equilibrium) -> tuple:
        size = sum(len(s) for s in e.support)
        return (e.kind != "pure", size, tuple(-p for s in e.strategies for p in s))

    return sorted(equilibria, key=order)
