"""Game trees: decision nodes, chance nodes and outcomes, with information sets.

A tree is stored flat: :attr:`TreeShape.nodes` lists the nodes in preorder (a node comes
before its children, children in the order of their actions), node ``0`` is the root. Each
decision node belongs to an *information set* (:class:`Infoset`): the nodes its player cannot
tell apart, which therefore offer the same actions. Each terminal node has an *outcome*: a
column of the payoff table. Each move of a chance node has a column of the probability table.

Numbers live outside the shape so that one shape serves every parameter point:

- :class:`GameTree` is a tree at one point: ``payoffs[i, k]`` is player ``i``'s payoff at
  outcome ``k``; ``probabilities[c]`` the probability of chance move ``c``.
- :class:`ParametricTree` computes both tables for many points at once:
  ``payoffs`` of shape ``(points, n, outcomes)`` and ``probabilities`` of shape
  ``(points, chance moves)``, the way :class:`~negsim.game.ParametricGame` does for matrices.

Trees must have *perfect recall* (a player never forgets what it knew or did), which is what
makes behaviour strategies, backward induction over subgames and the reduced strategic form
behave as the textbooks say.

>>> shape = TreeShape.build(("entrant", "incumbent"), {
...     "player": 0, "moves": {
...         "out": {"outcome": 0},
...         "in": {"player": 1, "moves": {"fight": {"outcome": 1}, "accommodate": {"outcome": 2}}},
...     }})
>>> [node.kind for node in shape.nodes]
['decision', 'terminal', 'decision', 'terminal', 'terminal']
>>> shape.perfect_information
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean

__all__ = [
    "MAX_NODES",
    "GameTree",
    "Infoset",
    "Node",
    "ParametricTree",
    "TreeShape",
    "subtree",
]

#: Most nodes a tree may have (a guard against trees that would take too long to analyse).
MAX_NODES = 20_000

CHANCE = -1  # the "player" of a chance node


@dataclass(frozen=True)
class Node:
    """One node. ``action`` is the index of the parent's action that leads here."""

    kind: str                        # "decision", "chance" or "terminal"
    parent: int = -1
    action: int = -1
    children: tuple[int, ...] = ()
    actions: tuple[str, ...] = ()    # labels of the moves out of this node
    player: int = CHANCE             # decision nodes: the player who moves
    infoset: int = -1                # decision nodes: index into TreeShape.infosets
    chance: tuple[int, ...] = ()     # chance nodes: the probability column of each move
    outcome: int = -1                # terminal nodes: the payoff column
    name: str = ""                   # a label people read (optional)
    depth: int = 0


@dataclass(frozen=True)
class Infoset:
    """Decision nodes of one player that the player cannot tell apart.

    ``label`` names it for people and in plans (``"after offer"``); ``condition`` is what the
    player knows there, used to name plans (``"full if offer"``); empty at a first move.
    """

    player: int
    label: str
    actions: tuple[str, ...]
    nodes: tuple[int, ...]
    condition: str = ""
    key: str = ""


@dataclass(frozen=True, eq=False)
class TreeShape:
    """The structure of a tree: players, nodes and information sets, without numbers."""

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    infosets: tuple[Infoset, ...]
    n_outcomes: int
    n_chance: int
    player_names: tuple[str, ...] = ()
    outcome_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "player_names", tuple(self.player_names) or tuple(self.players))
        if not self.outcome_names:
            object.__setattr__(self, "outcome_names", tuple("" for _ in range(self.n_outcomes)))
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, players: Sequence[str], spec: Mapping[str, Any], *,
              player_names: Sequence[str] = ()) -> TreeShape:
        """A shape from nested mappings (handy in code and tests).

        A decision is ``{"player": i, "moves": {action: child}, "info": key}`` (``info``
        optional: nodes of one player with the same key form one information set); a chance
        node is ``{"chance": {action: child}}``; a terminal is ``{"outcome": k}``. Chance
        moves get probability columns in preorder.
        """
        builder = TreeBuilder(players, player_names=player_names)

        def add(node: Mapping[str, Any], parent: int, action: int) -> None:
            if "outcome" in node:
                builder.terminal(parent, action, int(node["outcome"]), name=node.get("name", ""))
            elif "chance" in node:
                moves = node["chance"]
                k = builder.chance(parent, action, tuple(moves), name=node.get("name", ""))
                for a, child in enumerate(moves.values()):
                    add(child, k, a)
            else:
                moves = node["moves"]
                key = node.get("info")
                k = builder.decision(parent, action, int(node["player"]), tuple(moves),
                                     info=key, name=node.get("name", ""))
                for a, child in enumerate(moves.values()):
                    add(child, k, a)

        add(spec, -1, -1)
        return builder.shape()

    # -- checks ---------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """What makes this shape unusable (empty when it is fine)."""
        out = []
        if len(self.nodes) > MAX_NODES:
            out.append(f"the tree has {len(self.nodes):,} nodes; negsim analyses trees of up to "
                       f"{MAX_NODES:,}")
            return out
        if not self.nodes:
            return ["the tree has no nodes"]
        for infoset in self.infosets:
            first = self.nodes[infoset.nodes[0]]
            for k in infoset.nodes[1:]:
                if self.nodes[k].actions != first.actions:
                    out.append(f"the nodes of information set {infoset.label!r} of "
                               f"{self.players[infoset.player]!r} offer different moves "
                               f"({', '.join(first.actions)} / {', '.join(self.nodes[k].actions)})")
                    break
        if not out:
            out += self._recall_problems()
        return out

    def _recall_problems(self) -> list[str]:
        out = []
        for infoset in self.infosets:
            histories = {self.own_history(k) for k in infoset.nodes}
            if len(histories) > 1:
                out.append(
                    f"information set {infoset.label!r} of {self.players[infoset.player]!r} "
                    "joins nodes the player can tell apart by its own earlier moves or "
                    "information (the tree lacks perfect recall)"
                )
        return out

    def own_history(self, node: int) -> tuple[tuple[int, int], ...]:
        """The (information set, action) pairs of the mover of ``node`` on the way to it."""
        player = self.nodes[node].player
        steps = []
        k = node
        while self.nodes[k].parent >= 0:
            parent = self.nodes[self.nodes[k].parent]
            if parent.kind == "decision" and parent.player == player:
                steps.append((parent.infoset, self.nodes[k].action))
            k = self.nodes[k].parent
        return tuple(reversed(steps))

    # -- derived facts --------------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.players)

    @cached_property
    def perfect_information(self) -> bool:
        """Every information set is a single node."""
        return all(len(i.nodes) == 1 for i in self.infosets)

    @cached_property
    def subtree_end(self) -> tuple[int, ...]:
        """``subtree_end[v]``: one past the last node of ``v``'s subtree (preorder ranges)."""
        end = list(range(1, len(self.nodes) + 1))
        for k in reversed(range(len(self.nodes))):
            node = self.nodes[k]
            if node.children:
                end[k] = end[node.children[-1]]
        return tuple(end)

    @cached_property
    def subgame_roots(self) -> tuple[bool, ...]:
        """``True`` where a subgame starts: no information set straddles the subtree's edge."""
        n = len(self.nodes)
        low = [n] * n
        high = [-1] * n
        for infoset in self.infosets:
            first, last = min(infoset.nodes), max(infoset.nodes)
            for k in infoset.nodes:
                low[k] = min(low[k], first)
                high[k] = max(high[k], last)
        for k in reversed(range(n)):
            for c in self.nodes[k].children:
                low[k] = min(low[k], low[c])
                high[k] = max(high[k], high[c])
        end = self.subtree_end
        return tuple(
            self.nodes[k].kind != "terminal" and low[k] >= k and high[k] < end[k]
            for k in range(n)
        )

    @cached_property
    def leaves(self) -> tuple[int, ...]:
        return tuple(k for k, node in enumerate(self.nodes) if node.kind == "terminal")

    def path_to(self, node: int) -> list[tuple[int, int]]:
        """The (node, action) steps from the root to ``node``."""
        steps = []
        k = node
        while self.nodes[k].parent >= 0:
            steps.append((self.nodes[k].parent, self.nodes[k].action))
            k = self.nodes[k].parent
        return list(reversed(steps))

    def history_text(self, node: int) -> str:
        """``"offer, full"``: the moves that lead to ``node`` (``"start"`` at the root)."""
        steps = self.path_to(node)
        if not steps:
            return "start"
        return ", ".join(self.nodes[p].actions[a] for p, a in steps)

    def mover(self, node: int) -> str:
        n = self.nodes[node]
        return "chance" if n.kind == "chance" else self.players[n.player]

    def infosets_of(self, player: int) -> list[int]:
        """The player's information sets in the order they first occur in the tree."""
        mine = [k for k, i in enumerate(self.infosets) if i.player == player]
        return sorted(mine, key=lambda k: min(self.infosets[k].nodes))

    def find_node(self, history: Sequence[str]) -> int | None:
        """The node reached from the root by the moves ``history`` (action labels), or None."""
        k = 0
        for label in history:
            node = self.nodes[k]
            if label not in node.actions:
                return None
            k = node.children[node.actions.index(label)]
        return k


class TreeBuilder:
    """Adds nodes one by one in preorder and returns the finished :class:`TreeShape`."""

    def __init__(self, players: Sequence[str], *, player_names: Sequence[str] = ()) -> None:
        self.players = tuple(players)
        self.player_names = tuple(player_names)
        self.nodes: list[dict[str, Any]] = []
        self.infoset_keys: dict[tuple[int, Any], int] = {}
        self.infosets: list[dict[str, Any]] = []
        self.n_chance = 0
        self.outcome_names: dict[int, str] = {}

    def _add(self, parent: int, action: int, **fields: Any) -> int:
        k = len(self.nodes)
        if len(self.nodes) >= MAX_NODES:
            raise ValueError(f"the tree has more than {MAX_NODES:,} nodes (negsim's limit)")
        depth = self.nodes[parent]["depth"] + 1 if parent >= 0 else 0
        self.nodes.append({"parent": parent, "action": action, "children": [], "depth": depth,
                           **fields})
        if parent >= 0:
            siblings = self.nodes[parent]["children"]
            if len(siblings) != action:
                raise ValueError("children must be added in the order of their actions")
            siblings.append(k)
        return k

    def decision(self, parent: int, action: int, player: int, actions: Sequence[str], *,
                 info: Any = None, label: str = "", condition: str = "", name: str = "") -> int:
        """A decision of ``player``; nodes with the same ``info`` key share an information set
        (``None``: a set of its own)."""
        if not actions:
            raise ValueError("a decision needs at least one move")
        k = self._add(parent, action, kind="decision", actions=tuple(actions), player=player,
                      name=name)
        key = (player, info if info is not None else ("node", k))
        index = self.infoset_keys.get(key)
        if index is None:
            index = self.infoset_keys[key] = len(self.infosets)
            self.infosets.append({"player": player, "nodes": [], "actions": tuple(actions),
                                  "label": label, "condition": condition,
                                  "key": "" if info is None else str(info)})
        self.infosets[index]["nodes"].append(k)
        self.nodes[k]["infoset"] = index
        return k

    def chance(self, parent: int, action: int, actions: Sequence[str], *, name: str = "") -> int:
        columns = tuple(range(self.n_chance, self.n_chance + len(actions)))
        self.n_chance += len(actions)
        return self._add(parent, action, kind="chance", actions=tuple(actions), chance=columns,
                         name=name)

    def terminal(self, parent: int, action: int, outcome: int, *, name: str = "") -> int:
        if name:
            self.outcome_names.setdefault(outcome, name)
        return self._add(parent, action, kind="terminal", outcome=outcome, name=name)

    def shape(self) -> TreeShape:
        nodes = tuple(
            Node(kind=n["kind"], parent=n["parent"], action=n["action"],
                 children=tuple(n["children"]), actions=n.get("actions", ()),
                 player=n.get("player", CHANCE), infoset=n.get("infoset", -1),
                 chance=n.get("chance", ()), outcome=n.get("outcome", -1), name=n.get("name", ""),
                 depth=n["depth"])
            for n in self.nodes
        )
        for node in nodes:
            if node.kind != "terminal" and len(node.children) != len(node.actions):
                raise ValueError("a node is missing children for some of its moves")
        n_outcomes = max((n.outcome for n in nodes if n.kind == "terminal"), default=-1) + 1
        infosets = _unique_labels([self._infoset(k, i, nodes)
                                   for k, i in enumerate(self.infosets)])
        return TreeShape(
            players=self.players,
            nodes=nodes,
            infosets=infosets,
            n_outcomes=n_outcomes,
            n_chance=self.n_chance,
            player_names=self.player_names,
            outcome_names=tuple(self.outcome_names.get(k, "") for k in range(n_outcomes)),
        )

    def _infoset(self, index: int, data: dict[str, Any], nodes: tuple[Node, ...]) -> Infoset:
        label = data["label"]
        if not label:
            # Unnamed sets are named by what leads to them, which people can follow.
            label = _set_history(nodes, data["nodes"])
        return Infoset(player=data["player"], label=label, actions=data["actions"],
                       nodes=tuple(data["nodes"]), condition=data["condition"], key=data["key"])


def _steps(nodes: Sequence[Node], k: int) -> list[str]:
    steps = []
    while nodes[k].parent >= 0:
        steps.append(nodes[nodes[k].parent].actions[nodes[k].action])
        k = nodes[k].parent
    return list(reversed(steps))


def _set_history(nodes: Sequence[Node], members: Sequence[int]) -> str:
    """``"after ?, s"``: the moves leading to a set's nodes, ``?`` where they differ (what
    the player does not know)."""
    histories = [_steps(nodes, k) for k in members]
    if not histories[0]:
        return "start"
    if len({len(h) for h in histories}) > 1:
        return "after " + ", ".join(histories[0]) + " (or others)"
    shown = [h[0] if len(set(h)) == 1 else "?" for h in zip(*histories)]
    return "after " + ", ".join(shown)


def _unique_labels(infosets_in: list[Infoset]) -> tuple[Infoset, ...]:
    """Information-set labels made unique within each player (plans are named by them)."""
    seen: dict[tuple[int, str], int] = {}
    infosets = []
    for infoset in infosets_in:
        key = (infoset.player, infoset.label)
        count = seen.get(key, 0)
        seen[key] = count + 1
        label = infoset.label if count == 0 else f"{infoset.label} ({count + 1})"
        infosets.append(Infoset(infoset.player, label, infoset.actions, infoset.nodes,
                                infoset.condition, infoset.key))
    return tuple(infosets)


# -- numbers ------------------------------------------------------------------------------------


def _check_probabilities(shape: TreeShape, probabilities: np.ndarray, tol: float = 1e-9
                         ) -> list[tuple[int, int, str]]:
    """(point, chance node, what) for each chance node whose probabilities are not a
    distribution at some point; ``probabilities`` has shape ``(points, n_chance)``."""
    bad = []
    for k, node in enumerate(shape.nodes):
        if node.kind != "chance":
            continue
        p = probabilities[:, list(node.chance)]
        negative = np.any(p < -tol, axis=1) | np.any(p > 1 + tol, axis=1)
        total = np.abs(p.sum(axis=1) - 1.0) > 1e-7
        finite = np.all(np.isfinite(p), axis=1)
        wrong = negative | total | ~finite
        if wrong.any():
            point = int(np.flatnonzero(wrong)[0])
            row = p[point]
            if not finite[point]:
                what = "not a number"
            elif negative[point]:
                what = "outside 0..1 (" + ", ".join(f"{v:g}" for v in row) + ")"
            else:
                what = f"summing to {row.sum():g}, not 1"
            bad.append((point, k, what))
    return bad


@dataclass(frozen=True, eq=False)
class GameTree:
    """A tree at one parameter point: payoffs ``(n, outcomes)`` and chance probabilities.

    ``exact_payoffs``/``exact_probabilities`` optionally hold the same numbers as
    :class:`~fractions.Fraction` (from a Gambit file), so writing the tree back is exact.
    """

    shape: TreeShape
    payoffs: np.ndarray
    probabilities: np.ndarray
    id: str = ""
    title: str = ""
    parameters: Mapping[str, float] = field(default_factory=dict)
    exact_payoffs: np.ndarray | None = None
    exact_probabilities: tuple[Fraction, ...] | None = None
    description: str = ""

    def __post_init__(self) -> None:
        payoffs = np.array(self.payoffs, dtype=float)
        probabilities = np.array(self.probabilities, dtype=float).reshape(-1)
        n = self.shape.n_players
        if payoffs.shape != (n, self.shape.n_outcomes):
            raise ValueError(f"payoffs have shape {payoffs.shape}, expected "
                             f"{(n, self.shape.n_outcomes)}")
        if probabilities.shape != (self.shape.n_chance,):
            raise ValueError(f"{probabilities.shape[0]} chance probabilities, expected "
                             f"{self.shape.n_chance}")
        if not np.all(np.isfinite(payoffs)):
            raise ValueError("payoffs must be finite numbers")
        bad = _check_probabilities(self.shape, probabilities[None, :])
        if bad:
            _point, k, what = bad[0]
            raise ValueError(f"the chance move at {self.shape.history_text(k)} has "
                             f"probabilities {what}")
        payoffs.setflags(write=False)
        probabilities.setflags(write=False)
        object.__setattr__(self, "payoffs", payoffs)
        object.__setattr__(self, "probabilities", probabilities)
        object.__setattr__(self, "parameters", dict(self.parameters))

    @property
    def players(self) -> tuple[str, ...]:
        return self.shape.players

    @property
    def n_players(self) -> int:
        return self.shape.n_players

    def leaf_payoffs(self, node: int) -> np.ndarray:
        return self.payoffs[:, self.shape.nodes[node].outcome]

    def move_probabilities(self, node: int) -> np.ndarray:
        return self.probabilities[list(self.shape.nodes[node].chance)]

    @cached_property
    def scale(self) -> float:
        """The size of the payoffs, so that tolerances are relative."""
        return max(1.0, float(np.max(np.abs(self.payoffs))) if self.payoffs.size else 1.0)


TreePayoffFunction = Callable[[Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True, eq=False)
class ParametricTree:
    """A tree whose payoffs and chance probabilities depend on named parameters.

    ``payoff_function(values)`` maps every parameter name to a 1-D array of ``points`` values
    and returns payoffs of shape ``(points, n, outcomes)``; ``probability_function(values)``
    returns ``(points, chance moves)`` (``None``: a tree without chance nodes).
    """

    shape: TreeShape
    payoff_function: TreePayoffFunction
    probability_function: TreePayoffFunction | None
    defaults: Mapping[str, float]
    bounds: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    id: str = ""
    title: str = ""
    source: str = ""
    description: str = ""
    #: How the tree was made: ``"tree"`` (explicit), ``"timing"`` (a move order over a
    #: scenario's strategies), ``"types"`` (a Bayesian game) or ``"gambit"`` (a .efg file).
    origin: str = "tree"
    #: For trees built from a move order: the order, as player ids.
    order: tuple[str, ...] = ()
    #: A tree without parameters keeps its numbers here, exact ones included.
    fixed: GameTree | None = None
    #: For trees of a scenario with ``types``: the players whose types the chance moves at the
    #: root draw, in the order they are drawn (one chance level each).
    typed_players: tuple[str, ...] = ()

    @property
    def players(self) -> tuple[str, ...]:
        return self.shape.players

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self.defaults)

    def values(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Default parameter values with ``overrides`` applied; unknown names are an error."""
        values = dict(self.defaults)
        problems = []
        for name, value in (overrides or {}).items():
            if name not in values:
                problems.append(Problem(path=f"parameters.{name}", message=(
                    f"unknown parameter {name!r}{did_you_mean(name, list(values))}")))
            else:
                values[name] = float(value)
        if problems:
            raise InputError(problems)
        return values

    def _columns(self, points: Mapping[str, object]) -> tuple[dict[str, np.ndarray], int]:
        columns = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in points.items()}
        unknown = set(columns) - set(self.defaults)
        if unknown:
            name = sorted(unknown)[0]
            raise InputError([Problem(path=name, message=(
                f"unknown parameter {name!r}{did_you_mean(name, list(self.defaults))}"))])
        sizes = {len(v) for v in columns.values()}
        if len(sizes) > 1:
            raise ValueError(f"parameter arrays have different lengths: {sorted(sizes)}")
        size = sizes.pop() if sizes else 1
        full = {name: columns.get(name, np.full(size, default, dtype=float))
                for name, default in self.defaults.items()}
        return full, size

    def evaluate(self, points: Mapping[str, object]) -> tuple[np.ndarray, np.ndarray]:
        """Payoffs ``(points, n, outcomes)`` and probabilities ``(points, chance moves)``.

        Raises :class:`~negsim.errors.InputError` when chance probabilities are not a
        probability distribution at some point (a prior outside 0..1, say).
        """
        full, size = self._columns(points)
        payoffs = np.asarray(self.payoff_function(full), dtype=float)
        expected = (size, self.shape.n_players, self.shape.n_outcomes)
        if payoffs.shape != expected:
            raise ValueError(f"payoff function returned shape {payoffs.shape}, expected {expected}")
        if self.probability_function is None or self.shape.n_chance == 0:
            probabilities = np.zeros((size, self.shape.n_chance))
        else:
            probabilities = np.asarray(self.probability_function(full), dtype=float)
            probabilities = np.broadcast_to(probabilities, (size, self.shape.n_chance))
            bad = _check_probabilities(self.shape, probabilities)
            if bad:
                point, k, what = bad[0]
                at = ", ".join(f"{name}={full[name][point]:g}" for name in full) or "no parameters"
                raise InputError([Problem(
                    f"the chance move at {self.shape.history_text(k)} has probabilities {what} "
                    f"at {at}", file=self.source or None)])
        return payoffs, probabilities

    def tree(self, overrides: Mapping[str, float] | None = None) -> GameTree:
        """The tree at the default parameter values, with ``overrides`` applied."""
        values = self.values(overrides)
        if self.fixed is not None and not values:
            return self.fixed
        payoffs, probabilities = self.evaluate({k: [v] for k, v in values.items()})
        return GameTree(self.shape, payoffs[0], probabilities[0], id=self.id, title=self.title,
                        parameters=values, description=self.description)

    @classmethod
    def constant(cls, tree: GameTree, *, source: str = "", origin: str = "gambit"
                 ) -> ParametricTree:
        """A tree without parameters (e.g. from a Gambit file) seen as a parametric one."""
        payoffs, probabilities = tree.payoffs, tree.probabilities

        def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
            size = len(next(iter(values.values()))) if values else 1
            return np.broadcast_to(payoffs, (size, *payoffs.shape)).copy()

        def probability_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
            size = len(next(iter(values.values()))) if values else 1
            return np.broadcast_to(probabilities, (size, *probabilities.shape)).copy()

        return cls(tree.shape, payoff_function, probability_function, defaults={},
                   id=tree.id, title=tree.title, source=source, description=tree.description,
                   origin=origin, fixed=tree)


def subtree(tree: GameTree, root: int) -> GameTree:
    """The part of ``tree`` below ``root`` as a tree of its own (a subgame when ``root`` starts
    one); information sets, labels and numbers (exact ones too) are kept."""
    shape = tree.shape
    end = shape.subtree_end[root]
    builder = TreeBuilder(shape.players, player_names=shape.player_names)
    index: dict[int, int] = {}
    chance_columns: list[int] = []
    outcomes: list[int] = []
    for k in range(root, end):
        node = shape.nodes[k]
        parent = index.get(node.parent, -1) if k != root else -1
        action = node.action if k != root else -1
        if node.kind == "terminal":
            index[k] = builder.terminal(parent, action, len(outcomes), name=node.name)
            outcomes.append(node.outcome)
        elif node.kind == "chance":
            index[k] = builder.chance(parent, action, node.actions, name=node.name)
            chance_columns.extend(node.chance)
        else:
            infoset = shape.infosets[node.infoset]
            index[k] = builder.decision(parent, action, node.player, node.actions,
                                        info=node.infoset, label=infoset.label, name=node.name)
    exact = None if tree.exact_payoffs is None else tree.exact_payoffs[:, outcomes]
    exact_probabilities = (None if tree.exact_probabilities is None
                           else tuple(tree.exact_probabilities[c] for c in chance_columns))
    new_shape = builder.shape()
    names = tuple(shape.outcome_names[o] for o in outcomes)
    new_shape = TreeShape(new_shape.players, new_shape.nodes, new_shape.infosets,
                          new_shape.n_outcomes, new_shape.n_chance, new_shape.player_names, names)
    return GameTree(new_shape, tree.payoffs[:, outcomes], tree.probabilities[chance_columns],
                    id=tree.id, title=tree.title, parameters=tree.parameters,
                    exact_payoffs=exact, exact_probabilities=exact_probabilities)
