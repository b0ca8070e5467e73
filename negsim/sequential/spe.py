"""Subgame-perfect equilibria by backward induction over subgames.

A *subgame* starts at a node whose subtree no information set crosses. The method works from
the smallest subgames up. In each subgame, the deeper subgames are replaced by the payoffs of
an equilibrium found for them, and what is left (the subgame's *own part*) is solved:

- a single decision node: its player picks a move with the highest payoff; with ties, every
  best move gives an equilibrium of its own, so **all** subgame-perfect equilibria of a game
  of perfect information are listed;
- a single chance node: the expected payoffs;
- a part with information sets of several nodes (imperfect information): its strategic form
  is solved with :func:`negsim.solve.solve`, and every equilibrium found (every extreme one,
  for two players) continues the induction.

Each equilibrium found for a deeper subgame may combine with each one found above it, so the
number of equilibria can grow quickly with ties; at most :data:`MAX_EQUILIBRIA` are listed
(the solution then says it is incomplete).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.solve import solve
from negsim.tree.model import GameTree, TreeShape

__all__ = [
    "MAX_EQUILIBRIA",
    "SubgamePerfect",
    "TreeSolution",
    "behavior_values",
    "path_text",
    "subgame_perfect",
]

#: Most subgame-perfect equilibria listed for one tree.
MAX_EQUILIBRIA = 1000
#: Most profiles of plans in the own part of one subgame with imperfect information.
MAX_PART_PROFILES = 100_000


@dataclass(frozen=True, eq=False)
class SubgamePerfect:
    """One subgame-perfect equilibrium.

    ``behavior[s]`` is the probability of each move at information set ``s``;
    ``values[k]`` each player's expected payoff from node ``k`` on; ``reach[k]`` the
    probability that play reaches node ``k``; ``payoffs`` the expected payoffs of the game.
    """

    behavior: tuple[np.ndarray, ...]
    values: np.ndarray
    reach: np.ndarray

    @property
    def payoffs(self) -> np.ndarray:
        return self.values[0]

    @property
    def pure(self) -> bool:
        return all(np.max(b) >= 1 - 1e-12 for b in self.behavior)

    def key(self, decimals: int = 9) -> tuple:
        return tuple(tuple(np.round(b, decimals) + 0.0) for b in self.behavior)

    def choice(self, infoset: int) -> int | None:
        """The move at ``infoset`` when it is pure, else None."""
        b = self.behavior[infoset]
        k = int(np.argmax(b))
        return k if b[k] >= 1 - 1e-12 else None

    def moves(self, shape: TreeShape, infoset: int) -> dict[str, float]:
        """The moves played at ``infoset`` with positive probability."""
        labels = shape.infosets[infoset].actions
        return {labels[a]: _clean(p) for a, p in enumerate(self.behavior[infoset]) if p > 1e-12}

    def path(self, shape: TreeShape) -> list[dict]:
        """Every move made with positive probability on the way through the tree, in order:
        ``{"node", "player", "action", "probability"}`` (the probability of the move given
        that its node is reached)."""
        steps = []
        for k, node in enumerate(shape.nodes):
            if node.kind == "terminal" or self.reach[k] <= 1e-12:
                continue
            if node.kind == "chance":
                probabilities = [self.reach[c] / self.reach[k] for c in node.children]
            else:
                probabilities = list(self.behavior[node.infoset])
            for a, p in enumerate(probabilities):
                if p > 1e-12:
                    steps.append({"node": shape.history_text(k), "player": shape.mover(k),
                                  "action": node.actions[a], "probability": _clean(p)})
        return steps

    def outcome(self, shape: TreeShape) -> str:
        """The equilibrium path in words: ``"offer -> full"``."""
        return path_text(shape, self)


def _clean(p: float) -> float:
    """A probability for people: 0.1, not 0.09999999999999998 (from 1 - 0.9)."""
    return round(float(p), 12) + 0.0


@dataclass(frozen=True, eq=False)
class TreeSolution:
    """The subgame-perfect equilibria of a tree at one point.

    ``complete`` is false when the listing stopped at :data:`MAX_EQUILIBRIA`, or when a part
    with imperfect information was solved by a method that does not promise every
    equilibrium (three or more players).
    """

    tree: GameTree
    equilibria: tuple[SubgamePerfect, ...]
    complete: bool
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def shape(self) -> TreeShape:
        return self.tree.shape


# -- the method ---------------------------------------------------------------------------------

Assignment = dict[int, np.ndarray]


@dataclass
class _Alternative:
    values: np.ndarray          # (n,) expected payoffs from the subgame's root
    assignment: Assignment      # behaviour at every information set inside the subgame


def subgame_perfect(tree: GameTree, *, tol: float = 1e-9, limit: int = MAX_EQUILIBRIA
                    ) -> TreeSolution:
    """Every subgame-perfect equilibrium of ``tree`` (up to ``limit``), each verified."""
    shape = tree.shape
    if shape.nodes[0].kind == "terminal":
        only = SubgamePerfect((), tree.payoffs[:, [shape.nodes[0].outcome]].T.copy(),
                              np.ones(1))
        return TreeSolution(tree, (only,), True)
    roots = shape.subgame_roots
    limit_tol = tol * tree.scale
    notes: list[str] = []
    state = {"truncated": False, "incomplete": False}
    solved: dict[int, list[_Alternative]] = {}
    for v in reversed(range(len(shape.nodes))):
        if not roots[v]:
            continue
        part, frontier = _own_part(shape, v, roots)
        options = []
        for u in frontier:
            if shape.nodes[u].kind == "terminal":
                options.append([_Alternative(tree.leaf_payoffs(u), {})])
            else:
                options.append(solved.pop(u))
        results: dict[tuple, _Alternative] = {}
        for combo in _combinations(options, limit, state):
            values = {u: alt.values for u, alt in zip(frontier, combo)}
            inherited: Assignment = {}
            for alt in combo:
                inherited.update(alt.assignment)
            for alt in _solve_part(tree, v, part, values, limit_tol, state, notes):
                alt.assignment.update(inherited)
                key = tuple(sorted((s, tuple(np.round(b, 9))) for s, b in alt.assignment.items()))
                results.setdefault(key, alt)
                if len(results) >= limit:
                    state["truncated"] = True
                    break
            if len(results) >= limit:
                break
        solved[v] = list(results.values())
    equilibria = []
    for alt in solved[0]:
        behavior = tuple(alt.assignment[s] for s in range(len(shape.infosets)))
        values, reach = behavior_values(tree, behavior)
        equilibria.append(SubgamePerfect(behavior, values, reach))
    equilibria.sort(key=lambda e: (not e.pure, tuple(-p for b in e.behavior for p in b)))
    if state["truncated"]:
        notes.append(f"more than {limit} subgame-perfect equilibria (from ties); the first "
                     f"{limit} are listed")
    return TreeSolution(tree, tuple(equilibria),
                        complete=not state["truncated"] and not state["incomplete"],
                        warnings=tuple(dict.fromkeys(notes)))


def _combinations(options: list[list[_Alternative]], limit: int, state: dict
                  ) -> Iterator[tuple[_Alternative, ...]]:
    count = 0
    for combo in product(*options):
        yield combo
        count += 1
        if count >= limit:
            total = int(np.prod([len(o) for o in options], dtype=float))
            if total > limit:
                state["truncated"] = True
            return


def _own_part(shape: TreeShape, v: int, roots: Sequence[bool]) -> tuple[list[int], list[int]]:
    """The nodes of the subgame at ``v`` outside deeper subgames, and where it ends (deeper
    subgame roots and terminal nodes), both in preorder."""
    part, frontier = [v], []
    stack = list(reversed(shape.nodes[v].children))
    while stack:
        k = stack.pop()
        if shape.nodes[k].kind == "terminal" or roots[k]:
            frontier.append(k)
        else:
            part.append(k)
            stack.extend(reversed(shape.nodes[k].children))
    return part, sorted(frontier)


def _solve_part(tree: GameTree, v: int, part: list[int], values: dict[int, np.ndarray],
                tol: float, state: dict, notes: list[str]) -> list[_Alternative]:
    shape = tree.shape
    node = shape.nodes[v]
    if len(part) == 1:
        children = np.array([values[c] for c in node.children])  # (moves, n)
        if node.kind == "chance":
            return [_Alternative(tree.move_probabilities(v) @ children, {})]
        own = children[:, node.player]
        best = np.flatnonzero(own >= own.max() - tol)
        out = []
        for a in best:
            unit = np.zeros(len(node.actions))
            unit[a] = 1.0
            out.append(_Alternative(children[a].copy(), {node.infoset: unit}))
        return out
    return _solve_imperfect(tree, v, part, values, tol, state, notes)


def _solve_imperfect(tree: GameTree, v: int, part: list[int], values: dict[int, np.ndarray],
                     tol: float, state: dict, notes: list[str]) -> list[_Alternative]:
    """The own part of a subgame with imperfect information, through its strategic form."""

    shape = tree.shape
    plans = PartPlans.of(shape, part)
    if int(np.prod(plans.sizes, dtype=float)) > MAX_PART_PROFILES:
        raise InputError([Problem(
            f"the part of the tree at {shape.history_text(v)} with imperfect information has "
            f"{' x '.join(map(str, plans.sizes))} profiles of plans, more than negsim's limit of "
            f"{MAX_PART_PROFILES:,}")])
    movers, sets_of = plans.movers, plans.sets_of
    game = plans.game(tree, v, values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(game)
    if not solution.complete and not solution.degenerate:
        state["incomplete"] = True
        notes.append(f"the part at {shape.history_text(v)} was solved by '{solution.method}', "
                     "which does not promise every equilibrium")
    out = []
    for e in solution.equilibria:
        assignment: Assignment = {}
        for slot, i in enumerate(movers):
            assignment.update(_behavior(shape, sets_of[i], plans.plans[i], e.strategies[slot]))
        out.append(_Alternative(_part_value(tree, v, assignment, values), assignment))
    return out


@dataclass(frozen=True)
class PartPlans:
    """The players who move in a part of a tree, their information sets there, and their plans
    (one move per information set): the strategies of the part's strategic form."""

    movers: list[int]
    sets_of: dict[int, list[int]]
    plans: dict[int, list[tuple[int, ...]]]

    @classmethod
    def of(cls, shape: TreeShape, part: Sequence[int]) -> PartPlans:
        infosets = sorted({shape.nodes[k].infoset for k in part if shape.nodes[k].kind == "decision"})
        movers = sorted({shape.infosets[s].player for s in infosets})
        sets_of = {i: [s for s in infosets if shape.infosets[s].player == i] for i in movers}
        plans = {i: list(product(*(range(len(shape.infosets[s].actions)) for s in sets_of[i])))
                 for i in movers}
        return cls(movers, sets_of, plans)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(self.plans[i]) for i in self.movers)

    def game(self, tree: GameTree, v: int, values: dict[int, np.ndarray]) -> Game:
        """The part's strategic form at the node ``v``, with ``values`` known below it."""
        shape = tree.shape
        table = np.zeros((len(self.movers), *self.sizes))
        for profile in product(*(range(m) for m in self.sizes)):
            behavior: Assignment = {}
            for slot, i in enumerate(self.movers):
                for s, a in zip(self.sets_of[i], self.plans[i][profile[slot]]):
                    unit = np.zeros(len(shape.infosets[s].actions))
                    unit[a] = 1.0
                    behavior[s] = unit
            value = _part_value(tree, v, behavior, values)
            for slot, i in enumerate(self.movers):
                table[(slot, *profile)] = value[i]
        labels = tuple(tuple(str(k) for k in range(m)) for m in self.sizes)
        return Game(tuple(shape.players[i] for i in self.movers), labels, table)


def _behavior(shape: TreeShape, sets: list[int], plans: list[tuple[int, ...]],
              sigma: np.ndarray) -> Assignment:
    """Kuhn's behaviour strategy for a mixed plan over the sets of one player in one part."""
    plan_array = np.array(plans, dtype=int).reshape(len(plans), len(sets))
    position = {s: k for k, s in enumerate(sets)}
    out: Assignment = {}
    for s in sets:
        allowed = np.ones(len(plans), dtype=bool)
        for j, a in shape.own_history(shape.infosets[s].nodes[0]):
            if j in position:
                allowed &= plan_array[:, position[j]] == a
        mass = sigma[allowed].sum()
        weights = sigma if mass <= 1e-12 else np.where(allowed, sigma, 0.0)
        total = weights.sum()
        k = len(shape.infosets[s].actions)
        column = plan_array[:, position[s]]
        out[s] = np.array([weights[column == a].sum() for a in range(k)]) / total
    return out


def _part_value(tree: GameTree, v: int, behavior: Assignment, values: dict[int, np.ndarray]
                ) -> np.ndarray:
    shape = tree.shape

    def value(k: int) -> np.ndarray:
        if k in values:
            return values[k]
        node = shape.nodes[k]
        weights = (tree.move_probabilities(k) if node.kind == "chance"
                   else behavior[node.infoset])
        total = np.zeros(shape.n_players)
        for c, w in zip(node.children, weights):
            if w > 0:
                total = total + w * value(c)
        return total

    return value(v)


def behavior_values(tree: GameTree, behavior: Sequence[np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs from every node on ``(nodes, n)`` and the probability of reaching
    every node ``(nodes,)`` when everyone plays the behaviour strategy ``behavior``."""
    shape = tree.shape
    count = len(shape.nodes)
    values = np.zeros((count, shape.n_players))
    for k in reversed(range(count)):
        node = shape.nodes[k]
        if node.kind == "terminal":
            values[k] = tree.leaf_payoffs(k)
            continue
        weights = (tree.move_probabilities(k) if node.kind == "chance"
                   else behavior[node.infoset])
        values[k] = np.asarray(weights) @ values[list(node.children)]
    reach = np.zeros(count)
    reach[0] = 1.0
    for k in range(count):
        node = shape.nodes[k]
        if node.kind == "terminal":
            continue
        weights = (tree.move_probabilities(k) if node.kind == "chance"
                   else behavior[node.infoset])
        for c, w in zip(node.children, weights):
            reach[c] = reach[k] * w
    return values, reach


def path_text(shape: TreeShape, equilibrium: SubgamePerfect) -> str:
    """The play of an equilibrium in words: ``"offer -> full"``; chance moves in brackets
    (``"[strong: fight; weak: accommodate]"``), mixed moves with their probabilities."""

    def describe(k: int) -> str:
        node = shape.nodes[k]
        if node.kind == "terminal":
            return ""
        if node.kind == "chance":
            parts = []
            for a, c in enumerate(node.children):
                if equilibrium.reach[c] > 1e-12:
                    rest = describe(c)
                    parts.append(f"{node.actions[a]}: {rest}" if rest else node.actions[a])
            return "[" + "; ".join(parts) + "]"
        b = equilibrium.behavior[node.infoset]
        played = [a for a in range(len(b)) if b[a] > 1e-12]
        if len(played) == 1:
            rest = describe(node.children[played[0]])
            return node.actions[played[0]] + (f" -> {rest}" if rest else "")
        parts = []
        for a in played:
            rest = describe(node.children[a])
            head = f"{node.actions[a]} {b[a]:.3g}"
            parts.append(f"{head}: {rest}" if rest else head)
        return "(" + " | ".join(parts) + ")"

    return describe(0)
