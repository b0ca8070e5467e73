"""Equilibrium components of two-player games, described in words.

Extreme equilibria are pairs ``(x, y)`` of vertices. If every pair in ``X x Y`` is an
equilibrium, every point of ``conv(X) x conv(Y)`` is one too (the labels of a convex combination
include the common labels). The maximal such products -- maximal bicliques of the bipartite
graph "x and y form an equilibrium" -- are the maximal convex sets of equilibria; their union is
the set of all equilibria. In a non-degenerate game each is a single point.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from negsim.game import Game
from negsim.numbers import format_fraction

__all__ = ["maximal_bicliques", "describe_set", "describe_strategy"]


def maximal_bicliques(pairs: Sequence[tuple[int, int]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Maximal ``(X, Y)`` with ``X x Y`` a subset of ``pairs``, by closing neighbourhoods under
    intersection (each maximal biclique's ``Y`` is an intersection of neighbourhoods)."""
    neighbours: dict[int, frozenset[int]] = {}
    for a, b in pairs:
        neighbours[a] = neighbours.get(a, frozenset()) | {b}
    intents: set[frozenset[int]] = set()
    frontier = set(neighbours.values())
    while frontier:
        intents |= frontier
        frontier = {
            s & t for s in frontier for t in neighbours.values() if s & t
        } - intents
    cliques = []
    for ys in intents:
        xs = tuple(sorted(a for a, nb in neighbours.items() if ys <= nb))
        cliques.append((xs, tuple(sorted(ys))))
    # Keep only maximal ones (an intent's extent is maximal by construction; intents may nest).
    maximal = [
        c for c in cliques
        if not any(c != d and set(c[0]) <= set(d[0]) and set(c[1]) <= set(d[1]) for d in cliques)
    ]
    return sorted(maximal)


def _fmt(p: float | Fraction) -> str:
    if isinstance(p, Fraction):
        return format_fraction(p)
    return f"{p:.4g}"


def describe_strategy(names: Sequence[str], mix: Sequence[float | Fraction]) -> str:
    """``plays store`` or ``mixes store 2/3, limited 1/3``."""
    support = [(names[k], p) for k, p in enumerate(mix) if p > 0]
    if len(support) == 1:
        return f"plays {support[0][0]}"
    return "mixes " + ", ".join(f"{name} {_fmt(p)}" for name, p in support)


def describe_set(player: str, names: Sequence[str], mixes: Sequence[Sequence[float | Fraction]]) -> str:
    """One player's part of a component: a point, a segment, or a polytope of mixed strategies."""
    if len(mixes) == 1:
        return f"{player} {describe_strategy(names, mixes[0])}"
    used = [k for k in range(len(names)) if any(m[k] > 0 for m in mixes)]
    if len(mixes) == 2 and len(used) == 2:
        first = used[0]
        values = sorted(m[first] for m in mixes)
        low, high = values
        pair = f"{names[used[0]]}/{names[used[1]]}"
        if high == 1 or (not isinstance(high, Fraction) and abs(high - 1) < 1e-12):
            return f"{player} mixes {pair} with {names[first]} at least {_fmt(low)}"
        if low == 0 or (not isinstance(low, Fraction) and abs(low) < 1e-12):
            return f"{player} mixes {pair} with {names[first]} at most {_fmt(high)}"
        return f"{player} mixes {pair} with {names[first]} between {_fmt(low)} and {_fmt(high)}"
    corners = [describe_strategy(names, m).removeprefix("plays ").removeprefix("mixes ") for m in mixes]
    if len(mixes) == 2:
        return f"{player} plays any mix between ({corners[0]}) and ({corners[1]})"
    return f"{player} plays any mixture of the extreme strategies " + ", ".join(f"({c})" for c in corners)


def describe_component(game: Game, xs: Sequence, ys: Sequence) -> str:
    return "; ".join(
        describe_set(game.player_names[i], game.strategy_names[i], mixes)
        for i, mixes in enumerate((xs, ys))
    )


def as_mix(vector: Sequence, exact: bool) -> list:
    if exact:
        total = sum(vector, Fraction(0))
        return [Fraction(v) / total for v in vector]
    v = np.asarray(vector, float)
    return list(v / v.sum())
