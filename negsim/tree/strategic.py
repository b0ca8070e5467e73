"""The reduced strategic form of a tree, and behaviour strategies from mixed plans.

A *plan* (pure strategy) of a player names one move at each of its information sets. The
*reduced* strategic form leaves out the information sets that the player's own earlier moves
already rule out, so plans that differ only there are one plan (Gambit and most textbooks do
the same). A plan is named by its moves: ``"commit"`` for a player with one information set,
``"store if offer, full if sanction"`` for one with several.

The payoff of a profile of plans is the expected payoff over the outcomes it reaches (chance
moves weigh them). For each outcome and player, a 0/1 vector over the player's plans says
which plans are consistent with the player's moves on the way to it; the strategic payoffs
are then one sum of outer products, computed for all parameter points at once.

For a game without chance moves of several types, this is the Harsanyi transformation of a
Bayesian game: the tree starts with chance picking the types, a plan names a move per type,
and the payoffs are expected over the prior.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.tree.model import GameTree, ParametricTree, TreeBuilder, TreeShape

__all__ = [
    "MAX_PROFILES",
    "ReducedForm",
    "behavior_from_mixed",
    "game_tree",
    "plan_count",
    "reduced_form",
    "strategic_form",
    "strategic_game",
]

#: Most profiles of plans a reduced strategic form may have.
MAX_PROFILES = 400_000


@dataclass(frozen=True, eq=False)
class ReducedForm:
    """The plans of every player and which outcomes each plan is consistent with.

    ``plans[i]`` lists player ``i``'s plans; each plan gives, for each of the player's
    information sets in :attr:`order` ``[i]``, the move's index or ``-1`` where the player's
    own earlier moves rule the set out. ``consistent[i]`` has shape ``(plans, leaves)``.
    """

    shape: TreeShape
    order: tuple[tuple[int, ...], ...]
    plans: tuple[tuple[tuple[int, ...], ...], ...]
    labels: tuple[tuple[str, ...], ...]
    consistent: tuple[np.ndarray, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(p) for p in self.plans)

    @cached_property
    def leaf_chance(self) -> tuple[tuple[int, ...], ...]:
        """For each leaf (in :attr:`TreeShape.leaves` order), its chance-move columns."""
        shape = self.shape
        out = []
        for leaf in shape.leaves:
            columns = []
            for parent, action in shape.path_to(leaf):
                node = shape.nodes[parent]
                if node.kind == "chance":
                    columns.append(node.chance[action])
            out.append(tuple(columns))
        return tuple(out)

    def payoffs(self, payoffs: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        """Strategic payoffs ``(points, n, m_0, ..., m_{n-1})`` from tree numbers at many
        points: ``payoffs`` ``(points, n, outcomes)``, ``probabilities`` ``(points, chance)``."""
        shape = self.shape
        outcomes = [shape.nodes[leaf].outcome for leaf in shape.leaves]
        points = payoffs.shape[0]
        weights = np.ones((points, len(outcomes)))
        for k, columns in enumerate(self.leaf_chance):
            for c in columns:
                weights[:, k] *= probabilities[:, c]
        leaf_values = payoffs[:, :, outcomes] * weights[:, None, :]  # (points, n, leaves)
        n = shape.n_players
        letters = string.ascii_letters.replace("p", "").replace("n", "").replace("l", "")
        subscripts = "pnl," + ",".join(f"{letters[i]}l" for i in range(n))
        subscripts += "->pn" + "".join(letters[i] for i in range(n))
        return np.einsum(subscripts, leaf_values, *self.consistent, optimize=True)


def reduced_form(shape: TreeShape) -> ReducedForm:
    """The players' reduced plans; refuses a form with more than :data:`MAX_PROFILES`."""
    order = tuple(tuple(shape.infosets_of(i)) for i in range(shape.n_players))
    counts = [plan_count(shape, order[i]) for i in range(shape.n_players)]
    total = math.prod(counts)
    if total > MAX_PROFILES:
        sizes = " x ".join(str(c) for c in counts)
        raise InputError([Problem(
            f"the reduced strategic form of this tree has {sizes} = {total:,} profiles of plans, "
            f"more than negsim's limit of {MAX_PROFILES:,}; the subgame-perfect analysis "
            "(negsim credibility) does not need it")])
    plans = tuple(tuple(_plans(shape, order[i])) for i in range(shape.n_players))
    labels = tuple(tuple(_plan_label(shape, order[i], p) for p in plans[i])
                   for i in range(shape.n_players))
    consistent = tuple(_consistency(shape, order[i], plans[i], i) for i in range(shape.n_players))
    return ReducedForm(shape, order, plans, labels, consistent)


def _own_history(shape: TreeShape, infoset: int) -> tuple[tuple[int, int], ...]:
    return shape.own_history(shape.infosets[infoset].nodes[0])


def plan_count(shape: TreeShape, order: Sequence[int]) -> int:
    """How many reduced plans, without listing them (a product over independent branches)."""
    # The own-history relation forms a forest: a set counts under the (set, move) it follows.
    children: dict[tuple[int, int] | None, list[int]] = {}
    for infoset in order:
        history = _own_history(shape, infoset)
        children.setdefault(history[-1] if history else None, []).append(infoset)

    def count(infoset: int) -> int:
        total = 0
        for a in range(len(shape.infosets[infoset].actions)):
            total += math.prod(count(j) for j in children.get((infoset, a), []))
            if total > MAX_PROFILES:
                return total
        return total

    return math.prod(count(j) for j in children.get(None, []))


def _plans(shape: TreeShape, order: Sequence[int]) -> list[tuple[int, ...]]:
    histories = [_own_history(shape, infoset) for infoset in order]
    position = {infoset: k for k, infoset in enumerate(order)}
    plans: list[tuple[int, ...]] = []
    choice = [-1] * len(order)

    def extend(k: int) -> None:
        if k == len(order):
            plans.append(tuple(choice))
            return
        reachable = all(choice[position[j]] == a for j, a in histories[k])
        if not reachable:
            choice[k] = -1
            extend(k + 1)
            return
        for a in range(len(shape.infosets[order[k]].actions)):
            choice[k] = a
            extend(k + 1)
        choice[k] = -1

    extend(0)
    return plans


def _plan_label(shape: TreeShape, order: Sequence[int], plan: Sequence[int]) -> str:
    parts = []
    for infoset, a in zip(order, plan):
        if a < 0:
            continue
        info = shape.infosets[infoset]
        action = info.actions[a]
        if len(order) == 1:
            parts.append(action)
        elif info.condition:
            parts.append(f"{action} {info.condition}")
        else:
            parts.append(f"{action} ({info.label})")
    return ", ".join(parts) or "-"


def _consistency(shape: TreeShape, order: Sequence[int], plans: Sequence[Sequence[int]],
                 player: int) -> np.ndarray:
    position = {infoset: k for k, infoset in enumerate(order)}
    table = np.ones((len(plans), len(shape.leaves)))
    plan_array = np.array(plans, dtype=int).reshape(len(plans), len(order))
    for column, leaf in enumerate(shape.leaves):
        for parent, action in shape.path_to(leaf):
            node = shape.nodes[parent]
            if node.kind == "decision" and node.player == player:
                table[:, column] *= plan_array[:, position[node.infoset]] == action
    return table


# -- games --------------------------------------------------------------------------------------


def strategic_form(tree: ParametricTree) -> ParametricGame:
    """The reduced strategic form as a :class:`ParametricGame`, evaluated for all points at once.

    For a Bayesian game this is the Harsanyi transformation (plans are type-contingent); its
    Nash equilibria are the Bayesian Nash equilibria.
    """
    form = reduced_form(tree.shape)
    shape = tree.shape

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        payoffs, probabilities = tree.evaluate(values)
        return form.payoffs(payoffs, probabilities)

    return ParametricGame(
        players=shape.players,
        strategies=form.labels,
        payoff_function=payoff_function,
        defaults=dict(tree.defaults),
        bounds=dict(tree.bounds),
        id=tree.id,
        title=tree.title,
        player_names=shape.player_names,
        source=tree.source,
    )


def strategic_game(tree: GameTree, form: ReducedForm | None = None) -> Game:
    """The reduced strategic form of a tree at one point, as a :class:`~negsim.game.Game`.

    When the tree holds exact numbers (a Gambit file), the game holds them too.
    """
    form = form or reduced_form(tree.shape)
    payoffs = form.payoffs(tree.payoffs[None], tree.probabilities[None])[0]
    exact = None
    if tree.exact_payoffs is not None and tree.exact_probabilities is not None:
        exact = _exact_payoffs(form, tree)
    return Game(
        players=tree.shape.players,
        strategies=form.labels,
        payoffs=payoffs,
        id=tree.id,
        title=tree.title,
        player_names=tree.shape.player_names,
        parameters=tree.parameters,
        exact_payoffs=exact,
    )


def _exact_payoffs(form: ReducedForm, tree: GameTree) -> np.ndarray:
    from fractions import Fraction
    from itertools import product

    shape = tree.shape
    sizes = form.sizes
    out = np.empty((shape.n_players, *sizes), dtype=object)
    weights = []
    for columns in form.leaf_chance:
        w = Fraction(1)
        for c in columns:
            w *= tree.exact_probabilities[c]
        weights.append(w)
    outcomes = [shape.nodes[leaf].outcome for leaf in shape.leaves]
    for profile in product(*(range(m) for m in sizes)):
        totals = [Fraction(0)] * shape.n_players
        for column, (outcome, w) in enumerate(zip(outcomes, weights)):
            if w == 0 or not all(form.consistent[i][profile[i], column] for i in range(len(sizes))):
                continue
            for i in range(shape.n_players):
                totals[i] += w * tree.exact_payoffs[i, outcome]
        for i in range(shape.n_players):
            out[(i, *profile)] = totals[i]
    return out


def behavior_from_mixed(form: ReducedForm, player: int, mixed: Sequence[float]
                        ) -> dict[int, np.ndarray | None]:
    """A mixed strategy over reduced plans as a behaviour strategy (Kuhn's theorem).

    For each of the player's information sets: the probability of each move, given that the
    player's own earlier moves lead there; ``None`` where they never do.
    """
    sigma = np.asarray(mixed, dtype=float)
    plans = np.array(form.plans[player], dtype=int).reshape(len(sigma), -1)
    shape = form.shape
    position = {infoset: k for k, infoset in enumerate(form.order[player])}
    out: dict[int, np.ndarray | None] = {}
    for infoset in form.order[player]:
        history = _own_history(shape, infoset)
        allowed = np.ones(len(sigma), dtype=bool)
        for j, a in history:
            allowed &= plans[:, position[j]] == a
        mass = sigma[allowed].sum()
        if mass <= 1e-12:
            out[infoset] = None
            continue
        column = plans[:, position[infoset]]
        k = len(shape.infosets[infoset].actions)
        probs = np.array([sigma[allowed & (column == a)].sum() for a in range(k)]) / mass
        out[infoset] = probs
    return out


def game_tree(game: Game) -> GameTree:
    """A strategic-form :class:`~negsim.game.Game` as a tree: the players move in order, none
    seeing another's move (one information set each), so its strategic form is the game."""
    if game.infeasible is not None:
        raise InputError([Problem("a game with infeasible profiles has no tree: every move must "
                                  "be possible after every other", path=game.id)])
    builder = TreeBuilder(game.players, player_names=game.player_names)
    shape = game.shape

    def layer(parent: int, action: int, i: int, profile: tuple[int, ...]) -> None:
        if i == game.n_players:
            flat = int(np.ravel_multi_index(profile, shape))
            builder.terminal(parent, action, flat, name=game.profile_label(profile))
            return
        k = builder.decision(parent, action, i, game.strategies[i], info="start")
        for a in range(shape[i]):
            layer(k, a, i + 1, (*profile, a))

    layer(-1, -1, 0, ())
    payoffs = np.asarray(game.payoffs).reshape(game.n_players, -1)
    exact = None
    if game.exact_payoffs is not None:
        exact = np.asarray(game.exact_payoffs, dtype=object).reshape(game.n_players, -1)
    return GameTree(builder.shape(), payoffs, np.zeros(0), id=game.id, title=game.title,
                    parameters=game.parameters, exact_payoffs=exact,
                    exact_probabilities=() if exact is not None else None)
