"""Game trees from scenario files: a move order over strategies, types, or an explicit tree.

- ``timing``: the players move in the given order; each sees the moves of the earlier movers
  it observes (all of them unless ``observes`` says otherwise). The outcomes are the
  scenario's strategy profiles, so the payoffs are those of the simultaneous game.
- ``types``: chance first draws each typed player's type from its prior; each player knows
  its own type only. Without ``timing`` the players then move without seeing each other's
  moves (a Bayesian game); with it, in the given order.
- ``tree``: the tree as written, payoffs and chance probabilities as expressions of the
  parameters.

Each is a :class:`~negsim.tree.model.ParametricTree`: payoffs and probabilities for many
parameter points in one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import permutations

import numpy as np

from negsim.compile.payoffs import type_profiles, typed_payoff_function
from negsim.scenario.expr import Names, compile_expression
from negsim.scenario.issues import Issue, ScenarioError, to_problem
from negsim.scenario.schema import Scenario, Timing, TreeNode
from negsim.tree.model import ParametricTree, TreeBuilder, TreeShape
from negsim.tree.strategic import plan_count

__all__ = ["move_orders", "plan_counts", "scenario_tree"]


def scenario_tree(scenario: Scenario, *, order: Sequence[str] | None = None,
                  observes: Mapping[str, Sequence[str]] | None = None) -> ParametricTree:
    """The game tree of a scenario.

    ``order`` and ``observes`` replace the scenario's own ``timing`` (for comparing move
    orders): ``order`` lists every player, first mover first; ``observes`` maps a player to
    the earlier movers it sees (default: all of them). ``order=()`` with ``observes`` empty for
    everyone is the simultaneous game.
    """
    if scenario.tree is not None:
        return _explicit_tree(scenario)
    if order is None:
        order, observes = _timing(scenario)
    return _timed_tree(scenario, list(order), dict(observes or {}))


def move_orders(scenario: Scenario) -> list[tuple[str, ...]]:
    """Every order in which the players could move one after another (at most 6 players)."""
    ids = tuple(scenario.players)
    if len(ids) > 6:
        return []
    return list(permutations(ids))


def plan_counts(scenario: Scenario) -> tuple[int, ...]:
    """How many reduced plans each player has in the scenario's tree."""
    shape = scenario_tree(scenario).shape
    return tuple(plan_count(shape, shape.infosets_of(i)) for i in range(shape.n_players))


def _timing(scenario: Scenario) -> tuple[list[str], dict[str, list[str]]]:
    ids = list(scenario.players)
    timing = scenario.timing
    if timing is None:  # types only: everyone moves without seeing the others
        return ids, {pid: [] for pid in ids}
    if isinstance(timing, Timing):
        return list(timing.order), {pid: list(v) for pid, v in timing.observes.items()}
    return list(timing), {}


def _timed_tree(scenario: Scenario, order: list[str], observes: dict[str, list[str]]
                ) -> ParametricTree:
    players = scenario.players
    ids = list(players)
    strategies = [list(p.strategies) for p in players.values()]
    shape = tuple(len(s) for s in strategies)
    n_profiles = int(np.prod(shape))
    profiles = type_profiles(scenario)
    types = scenario.types or {}
    typed = [pid for pid in ids if pid in types]
    seen = {pid: observes.get(pid, order[:k]) for k, pid in enumerate(order)}
    ambiguous = _ambiguous_actions(strategies)
    builder = TreeBuilder(ids, player_names=[scenario.player_name(p) for p in ids])
    owners: list[str] = []  # whose types each chance node draws, in the order of its columns

    def chance_layer(parent: int, action: int, depth: int, chosen: tuple[str, ...]) -> None:
        if depth == len(typed):
            decision_layer(parent, action, 0, dict(zip(typed, chosen)), {})
            return
        pid = typed[depth]
        kinds = list(types[pid])
        k = builder.chance(parent, action, kinds, name=f"type of {scenario.player_name(pid)}")
        owners.append(pid)
        for a, tid in enumerate(kinds):
            chance_layer(k, a, depth + 1, (*chosen, tid))

    def decision_layer(parent: int, action: int, step: int, kinds: dict[str, str],
                       moves: dict[str, int]) -> None:
        if step == len(order):
            t = profiles.index(tuple((pid, kinds[pid]) for pid in typed))
            flat = int(np.ravel_multi_index(tuple(moves[pid] for pid in ids), shape))
            label = " / ".join(strategies[ids.index(pid)][moves[pid]] for pid in ids)
            if typed:
                label = ", ".join(kinds[pid] for pid in typed) + ": " + label
            builder.terminal(parent, action, t * n_profiles + flat, name=label)
            return
        pid = order[step]
        i = ids.index(pid)
        known = [(other, strategies[ids.index(other)][moves[other]]) for other in seen[pid]]
        parts = ([kinds[pid]] if pid in kinds else []) + [
            f"{other}:{move}" if move in ambiguous else move for other, move in known]
        key = (kinds.get(pid), tuple(known))
        label = _label(kinds.get(pid), [p for p in parts[1 if pid in kinds else 0:]])
        condition = "if " + " and ".join(parts) if parts else ""
        k = builder.decision(parent, action, i, strategies[i], info=key, label=label,
                             condition=condition)
        for a in range(len(strategies[i])):
            decision_layer(k, a, step + 1, kinds, {**moves, pid: a})

    chance_layer(-1, -1, 0, ())
    tree_shape = builder.shape()
    payoffs = typed_payoff_function(scenario)
    n_outcomes = len(profiles) * n_profiles
    probability = _type_probability(scenario, owners) if typed else None

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        table = payoffs(values)  # (points, type profiles, n, *shape)
        points = table.shape[0]
        table = np.moveaxis(table, 2, 1).reshape(points, len(ids), n_outcomes)
        return table

    origin = "types" if typed and scenario.timing is None else "timing"
    return ParametricTree(
        shape=tree_shape,
        payoff_function=payoff_function,
        probability_function=probability,
        defaults={name: p.value for name, p in scenario.parameters.items()},
        bounds={name: (p.min, p.max) for name, p in scenario.parameters.items()},
        id=scenario.id,
        title=scenario.title,
        source=scenario.origin or scenario.id,
        description=scenario.description or "",
        origin=origin,
        order=tuple(order),
        typed_players=tuple(typed),
    )


def _label(kind: str | None, known: list[str]) -> str:
    parts = []
    if kind is not None:
        parts.append(kind)
    if known:
        parts.append("after " + ", ".join(known))
    return ", ".join(parts) or "start"


def _ambiguous_actions(strategies: list[list[str]]) -> set[str]:
    """Strategy ids that two players share: named ``player:move`` where they are observed."""
    counts: dict[str, int] = {}
    for labels in strategies:
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    return {label for label, c in counts.items() if c > 1}


def _type_probability(scenario: Scenario, owners: list[str]):
    names = Names(frozenset(scenario.parameters), {})
    types = scenario.types or {}
    columns = [compile_expression(kind.probability, names)
               for pid in owners for kind in types[pid].values()]

    def probability_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        size = len(next(iter(values.values()))) if values else 1
        env = {name: np.asarray(v, dtype=float) for name, v in values.items()}
        out = np.empty((size, len(columns)))
        for c, expression in enumerate(columns):
            out[:, c] = np.broadcast_to(expression(env), (size,))
        return out

    return probability_function


# -- explicit trees ------------------------------------------------------------------------------


def _explicit_tree(scenario: Scenario) -> ParametricTree:
    players = scenario.players
    ids = list(players)
    names = Names(frozenset(scenario.parameters), {pid: (frozenset(), frozenset()) for pid in ids})
    builder = TreeBuilder(ids, player_names=[scenario.player_name(p) for p in ids])
    leaves: list[list] = []       # per outcome: one compiled expression per player
    chances: list = []            # per chance move column: compiled probability
    stack: list[tuple[TreeNode, int, int]] = [(scenario.tree, -1, -1)]
    while stack:
        node, parent, action = stack.pop()
        if node.payoffs is not None:
            values = node.payoffs
            row = [values[i] if isinstance(values, list) else values[pid]
                   for i, pid in enumerate(ids)]
            builder.terminal(parent, action, len(leaves), name=node.name or "")
            leaves.append([compile_expression(v, names) for v in row])
        elif node.chance is not None:
            moves = node.chance
            k = builder.chance(parent, action, list(moves), name=node.name or "")
            chances.extend(compile_expression(child.probability, names)
                           for child in moves.values())
            stack.extend((child, k, a) for a, child in reversed(list(enumerate(moves.values()))))
        else:
            moves = node.moves
            k = builder.decision(parent, action, ids.index(node.player), list(moves),
                                 info=node.info, label=node.info or "", name=node.name or "")
            stack.extend((child, k, a) for a, child in reversed(list(enumerate(moves.values()))))
    shape = builder.shape()

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        size = len(next(iter(values.values()))) if values else 1
        env = {name: np.asarray(v, dtype=float) for name, v in values.items()}
        out = np.empty((size, len(ids), len(leaves)))
        for k, row in enumerate(leaves):
            for i, expression in enumerate(row):
                out[:, i, k] = np.broadcast_to(expression(env), (size,))
        if not np.all(np.isfinite(out)):
            _not_finite(scenario, shape, out, values)
        return out + 0.0

    def probability_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        size = len(next(iter(values.values()))) if values else 1
        env = {name: np.asarray(v, dtype=float) for name, v in values.items()}
        out = np.empty((size, len(chances)))
        for c, expression in enumerate(chances):
            out[:, c] = np.broadcast_to(expression(env), (size,))
        return out

    tree = ParametricTree(
        shape=shape,
        payoff_function=payoff_function,
        probability_function=probability_function if chances else None,
        defaults={name: p.value for name, p in scenario.parameters.items()},
        bounds={name: (p.min, p.max) for name, p in scenario.parameters.items()},
        id=scenario.id,
        title=scenario.title,
        source=scenario.origin or scenario.id,
        description=scenario.description or "",
        origin="tree",
    )
    tree.evaluate({})  # refuse a tree that is broken at the default values
    return tree


def _not_finite(scenario: Scenario, shape: TreeShape, out: np.ndarray,
                values: Mapping[str, np.ndarray]) -> None:
    point, i, k = (int(x) for x in np.argwhere(~np.isfinite(out))[0])
    leaf = shape.leaves[[shape.nodes[x].outcome for x in shape.leaves].index(k)]
    path: tuple = ("payoffs", "tree")
    for parent, action in shape.path_to(leaf):
        node = shape.nodes[parent]
        path = (*path, "chance" if node.kind == "chance" else "moves", node.actions[action])
    pid = shape.players[i]
    at = ", ".join(f"{name}={float(np.atleast_1d(v)[point]):g}" for name, v in values.items())
    message = (f"payoff of {pid!r} is not a finite number at {at or 'no parameters'} "
               "(a division by zero, or a log or sqrt of a negative number?)")
    raise ScenarioError([to_problem(Issue((*path, "payoffs"), message), scenario._marks,
                                    scenario.origin)])
