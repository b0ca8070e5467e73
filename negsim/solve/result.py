"""What solvers return: labelled equilibria, each verified, inside one frozen :class:`Solution`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from html import escape
from typing import Any

import numpy as np

from negsim.game import Game
from negsim.numbers import format_fraction

__all__ = ["Component", "Equilibrium", "Solution", "json_number"]


def json_number(value: float) -> float | int:
    """Integral values as integers (``1``, ``0``), others as floats; never ``-0.0``."""
    value = float(value) + 0.0
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _short(value: float) -> str:
    return f"{float(value) + 0.0:.4g}"


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

    def describe(self, game: Game) -> str:
        """Each player's strategy by name, with its probabilities when it mixes:
        ``Turkey: Limited activation; United States: Keep 0.25, Tighten 0.75``."""
        parts = []
        for i, support in enumerate(self.support):
            names = game.strategy_names[i]
            if len(support) == 1:
                parts.append(f"{game.player_names[i]}: {names[support[0]]}")
            else:
                mix = ", ".join(f"{names[k]} {self._probability(i, k)}" for k in support)
                parts.append(f"{game.player_names[i]}: {mix}")
        return "; ".join(parts)

    def _probability(self, player: int, strategy: int) -> str:
        if self.exact_strategies is not None:
            return format_fraction(self.exact_strategies[player][strategy])
        return _short(self.strategies[player][strategy])

    def __repr__(self) -> str:
        strategies = "; ".join(", ".join(self._probability(i, k) for k in range(len(s)))
                               for i, s in enumerate(self.strategies))
        payoffs = ", ".join(format_fraction(v) for v in self.exact_payoffs) \
            if self.exact_payoffs is not None else ", ".join(_short(v) for v in self.payoffs)
        return f"Equilibrium({self.kind}: strategies [{strategies}], payoffs [{payoffs}], " \
               f"regret {self.regret:.2g})"


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

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of this solution: the contract of ``negsim solve --format json``
        (``docs/reference``: keys ``scenario``, ``players``, ``strategies``, ``parameters``,
        ``degenerate``, ``equilibria``; then ``method``, ``complete``, ``exact``,
        ``components``, ``warnings``; per equilibrium ``kind``, ``profile``, ``strategies``,
        ``payoffs``, ``regret`` and, when solved exactly, ``exact`` fractions).

        >>> from negsim.solve import solve
        >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("row", "col"))
        >>> solve(pd).to_dict()["equilibria"][0]["strategies"]
        {'row': {'2': 1.0}, 'col': {'2': 1.0}}
        """
        game = self.game
        equilibria = []
        for e in self.equilibria:
            item: dict[str, Any] = {
                "kind": e.kind,
                "profile": [[json_number(p) for p in s] for s in e.strategies],
                "strategies": {
                    player: {game.strategies[i][k]: float(e.strategies[i][k]) + 0.0
                             for k in e.support[i]}
                    for i, player in enumerate(game.players)
                },
                "payoffs": {player: float(e.payoffs[i]) + 0.0 for i, player in enumerate(game.players)},
                "regret": e.regret,
            }
            if e.exact_strategies is not None and e.exact_payoffs is not None:
                item["exact"] = {
                    "profile": [[format_fraction(p) for p in s] for s in e.exact_strategies],
                    "payoffs": {player: format_fraction(e.exact_payoffs[i])
                                for i, player in enumerate(game.players)},
                }
            equilibria.append(item)
        return {
            "scenario": game.id,
            "players": list(game.players),
            "strategies": {player: list(game.strategies[i]) for i, player in enumerate(game.players)},
            "parameters": {name: json_number(v) for name, v in game.parameters.items()},
            "degenerate": self.degenerate,
            "equilibria": equilibria,
            "method": self.method,
            "complete": self.complete,
            "exact": self.exact,
            "components": [{"equilibria": list(c.equilibria), "description": c.description}
                           for c in self.components],
            "warnings": list(self.warnings),
        }

    # -- in a notebook ------------------------------------------------------------------------

    def _summary(self) -> str:
        game = self.game
        count = len(self.equilibria)
        found = f"{count} equilibri{'um' if count == 1 else 'a'}"
        facts = [f"method {self.method}", "complete" if self.complete else "not complete"]
        if self.degenerate:
            facts.append("degenerate: the extreme equilibria are listed")
        facts.append(f"max regret {self.max_regret:.2g}")
        return f"{game.title or game.id or 'game'}: {found} ({'; '.join(facts)})"

    def __repr__(self) -> str:
        lines = [f"<Solution of {self._summary()}"]
        for k, e in enumerate(self.equilibria, 1):
            payoffs = ", ".join(f"{name} {_short(v)}" for name, v in zip(self.game.player_names, e.payoffs))
            lines.append(f"  {k}. {e.kind}: {e.describe(self.game)} (payoffs {payoffs})")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines) + ">"

    def _repr_html_(self) -> str:
        """The equilibria as a table: strategies by name, payoffs, regret; degeneracy and
        warnings under it."""
        game = self.game
        head = "".join(f"<th>{escape(n)}</th>" for n in
                       ("", "kind", *game.player_names, *(f"payoff {p}" for p in game.player_names),
                        "regret"))
        rows = []
        for k, e in enumerate(self.equilibria, 1):
            cells = [str(k), e.kind]
            for i, support in enumerate(e.support):
                names = game.strategy_names[i]
                cells.append(names[support[0]] if len(support) == 1 else
                             ", ".join(f"{names[j]} {e._probability(i, j)}" for j in support))
            exact = e.exact_payoffs
            cells += [format_fraction(exact[i]) if exact is not None else _short(v)
                      for i, v in enumerate(e.payoffs)]
            cells.append(f"{e.regret:.2g}")
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        notes = [c.description for c in self.components if len(c.equilibria) > 1]
        notes += list(self.warnings)
        footer = "".join(f"<p><small>{escape(n)}</small></p>" for n in notes)
        return (f'<div class="negsim-solution"><p>{escape(self._summary())}</p>'
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                f"{footer}</div>")


def sort_equilibria(equilibria: Sequence[Equilibrium]) -> list[Equilibrium]:
    """Pure equilibria first, then by support size, then lexicographically by probabilities."""

    def order(e: Equilibrium) -> tuple:
        size = sum(len(s) for s in e.support)
        return (e.kind != "pure", size, tuple(-p for s in e.strategies for p in s))

    return sorted(equilibria, key=order)
