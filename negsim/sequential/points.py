"""Backward induction at many parameter points at once: the hot path of sweeps over trees.

:func:`backward_induction_points` evaluates the tree's payoffs for all points in one call and
runs the induction over subgames with array operations across the points: a decision node
compares its moves for every point at once, a chance node averages, and the own part of a
subgame where a single player has information sets of several nodes (an uninformed first
mover facing types, say) compares that player's plans for every point at once. Only parts
where several players have such sets are solved point by point.

Where a player is indifferent between moves, the first best move (in the order of the file)
is taken. When the moves it is indifferent between pay someone differently, the point is
flagged in :attr:`PointPaths.ties`: the tree has other subgame-perfect equilibria there,
possibly with other play, which :func:`negsim.tree.subgame_perfect` lists. (Ties between
moves that pay everyone the same are not flagged: they change nothing.)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import product

import numpy as np

from negsim.sequential.spe import PartPlans, SubgamePerfect, _behavior, _own_part, _part_value, path_text
from negsim.solve import solve
from negsim.tree.model import GameTree, ParametricTree, TreeShape

__all__ = ["PointPaths", "backward_induction_points"]


@dataclass(frozen=True, eq=False)
class PointPaths:
    """One subgame-perfect equilibrium at each of many points.

    ``behavior[s]`` has shape ``(points, moves of s)``; ``values`` ``(points, nodes, n)``
    holds each player's expected payoff from every node on; ``ties[p]`` says that some
    player is indifferent at point ``p`` between moves that pay someone differently (so the
    point has other subgame-perfect equilibria, possibly with other play). :meth:`outcomes`
    names the play at each point.
    """

    tree: ParametricTree
    behavior: tuple[np.ndarray, ...]
    values: np.ndarray
    ties: np.ndarray
    probabilities: np.ndarray

    @property
    def n_points(self) -> int:
        return self.values.shape[0]

    @property
    def payoffs(self) -> np.ndarray:
        """Expected payoffs of the game at each point: ``(points, n)``."""
        return self.values[:, 0, :]

    def choice(self, infoset: int) -> np.ndarray:
        """The move taken at ``infoset`` at each point (``-1`` where it is mixed)."""
        b = self.behavior[infoset]
        best = np.argmax(b, axis=1)
        pure = b[np.arange(len(b)), best] >= 1 - 1e-12
        return np.where(pure, best, -1)

    def equilibrium(self, point: int) -> SubgamePerfect:
        """The equilibrium at one point, as :func:`negsim.tree.subgame_perfect` returns it."""
        behavior = tuple(b[point] for b in self.behavior)
        reach = _reach(self.tree.shape, behavior, self.probabilities[point])
        return SubgamePerfect(behavior, self.values[point], reach)

    def outcomes(self) -> list[str]:
        """The play at each point in words (``"offer -> full"``), one label per point."""
        shape = self.tree.shape
        if not self.behavior:
            return [""] * self.n_points
        rows = np.concatenate([np.round(b, 9) for b in self.behavior] +
                              [np.round(self.probabilities, 9)], axis=1)
        unique, inverse = np.unique(rows, axis=0, return_inverse=True)
        texts = []
        for row in range(len(unique)):
            point = int(np.flatnonzero(inverse.reshape(-1) == row)[0])
            texts.append(path_text(shape, self.equilibrium(point)))
        return [texts[k] for k in inverse.reshape(-1)]


def _reach(shape: TreeShape, behavior, probabilities: np.ndarray) -> np.ndarray:
    reach = np.zeros(len(shape.nodes))
    reach[0] = 1.0
    for k, node in enumerate(shape.nodes):
        if node.kind == "terminal":
            continue
        weights = (probabilities[list(node.chance)] if node.kind == "chance"
                   else behavior[node.infoset])
        for c, w in zip(node.children, weights):
            reach[c] = reach[k] * w
    return reach


@cache
def subgame_parts(shape: TreeShape) -> tuple[tuple[int, tuple[int, ...], tuple[int, ...]], ...]:
    """Each subgame root (deepest first) with its own part and where the part ends."""
    roots = shape.subgame_roots
    out = []
    for v in reversed(range(len(shape.nodes))):
        if roots[v]:
            part, frontier = _own_part(shape, v, roots)
            out.append((v, tuple(part), tuple(frontier)))
    return tuple(out)


def backward_induction_points(tree: ParametricTree, points: Mapping[str, object], *,
                              force: Mapping[int, int] | None = None, tol: float = 1e-9
                              ) -> PointPaths:
    """A subgame-perfect equilibrium of ``tree`` at every point of ``points``.

    ``points`` maps parameter names to equal-length arrays (others keep their defaults).
    ``force`` maps decision nodes at a single-node information set to a move that is taken
    there whatever it pays (to ask what follows from a commitment).
    """
    shape = tree.shape
    payoffs, probabilities = tree.evaluate(points)
    size, n = payoffs.shape[0], shape.n_players
    scale = np.maximum(1.0, np.abs(payoffs).reshape(size, -1).max(axis=1, initial=0.0))
    limit = tol * scale
    values = np.zeros((size, len(shape.nodes), n))
    for leaf in shape.leaves:
        values[:, leaf] = payoffs[:, :, shape.nodes[leaf].outcome]
    behavior = [np.zeros((size, len(i.actions))) for i in shape.infosets]
    ties = np.zeros(size, dtype=bool)
    force = dict(force or {})
    for v, part, _frontier in subgame_parts(shape):
        node = shape.nodes[v]
        if len(part) == 1 and node.kind == "chance":
            weights = probabilities[:, list(node.chance)]
            values[:, v] = np.einsum("pk,pkn->pn", weights, values[:, list(node.children)])
        elif len(part) == 1:
            children = values[:, list(node.children)]            # (points, moves, n)
            own = children[:, :, node.player]
            if v in force:
                best = np.full(size, force[v])
            else:
                best = np.argmax(own, axis=1)
                near = own >= own.max(axis=1, keepdims=True) - limit[:, None]
                ties |= _relevant_ties(children, best, near, limit)
            values[:, v] = children[np.arange(size), best]
            behavior[node.infoset][np.arange(size), best] = 1.0
        else:
            movers = {shape.infosets[shape.nodes[k].infoset].player
                      for k in part if shape.nodes[k].kind == "decision"}
            if len(movers) == 1:
                _one_player_part(shape, v, part, values, probabilities, behavior, ties, limit)
            else:
                _part_point_by_point(tree, v, part, values, probabilities, behavior, payoffs, tol)
    roots = shape.subgame_roots
    for k in reversed(range(len(shape.nodes))):  # nodes inside parts, from the behaviour
        node = shape.nodes[k]
        if node.kind == "terminal" or roots[k]:
            continue
        weights = (probabilities[:, list(node.chance)] if node.kind == "chance"
                   else behavior[node.infoset])
        values[:, k] = np.einsum("pk,pkn->pn", weights, values[:, list(node.children)])
    return PointPaths(tree, tuple(behavior), values, ties, probabilities)


def _relevant_ties(options: np.ndarray, best: np.ndarray, near: np.ndarray, limit: np.ndarray
                   ) -> np.ndarray:
    """Points where a player is indifferent between options ``(points, options, n)`` that
    differ for some player: the choice can change what others get or do. (A tie between
    options that pay everyone the same is harmless, e.g. a follower's move after which nothing
    depends on it.)"""
    chosen = options[np.arange(len(best)), best]                    # (points, n)
    differs = np.abs(options - chosen[:, None, :]).max(axis=2) > limit[:, None]
    return (near & differs).any(axis=1)


def part_values(shape: TreeShape, v: int, part: tuple[int, ...], plan: Mapping[int, int],
                 values: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Values ``(points, n)`` of the part at ``v`` when its sets follow the pure ``plan``."""
    inside = set(part)

    def value(k: int) -> np.ndarray:
        if k not in inside:
            return values[:, k]
        node = shape.nodes[k]
        if node.kind == "chance":
            total = 0.0
            for a, c in enumerate(node.children):
                total = total + probabilities[:, node.chance[a], None] * value(c)
            return total
        return value(node.children[plan[node.infoset]])

    return value(v)


def _one_player_part(shape: TreeShape, v: int, part: tuple[int, ...], values: np.ndarray,
                     probabilities: np.ndarray, behavior: list[np.ndarray], ties: np.ndarray,
                     limit: np.ndarray) -> None:
    """A part where one player (and chance) moves: compare its plans at every point."""
    sets = sorted({shape.nodes[k].infoset for k in part if shape.nodes[k].kind == "decision"})
    player = shape.infosets[sets[0]].player
    plans = list(product(*(range(len(shape.infosets[s].actions)) for s in sets)))
    results = np.stack([part_values(shape, v, part, dict(zip(sets, plan)), values,
                                     probabilities) for plan in plans], axis=1)  # (P, plans, n)
    own = results[:, :, player]
    best = np.argmax(own, axis=1)
    near = own >= own.max(axis=1, keepdims=True) - limit[:, None]
    ties |= _relevant_ties(results, best, near, limit)
    size = values.shape[0]
    values[:, v] = results[np.arange(size), best]
    chosen = np.array(plans)[best]  # (P, sets)
    for column, s in enumerate(sets):
        behavior[s][np.arange(size), chosen[:, column]] = 1.0


def _part_point_by_point(tree: ParametricTree, v: int, part: tuple[int, ...], values: np.ndarray,
                         probabilities: np.ndarray, behavior: list[np.ndarray],
                         payoffs: np.ndarray, tol: float) -> None:
    """A part where several players have information sets of several nodes: solve its
    strategic form at each point and keep the first equilibrium found."""

    shape = tree.shape
    plans = PartPlans.of(shape, part)
    inside = set(part)
    frontier = {k for k in range(len(shape.nodes)) if k not in inside}
    for p in range(values.shape[0]):
        point_tree = GameTree(shape, payoffs[p], probabilities[p])
        known = {k: values[p, k] for k in frontier}
        game = plans.game(point_tree, v, known)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            first = solve(game, tol=tol).equilibria[0]
        assignment = {}
        for slot, i in enumerate(plans.movers):
            assignment.update(_behavior(shape, plans.sets_of[i], plans.plans[i], first.strategies[slot]))
        for s, b in assignment.items():
            behavior[s][p] = b
        values[p, v] = _part_value(point_tree, v, assignment, known)
