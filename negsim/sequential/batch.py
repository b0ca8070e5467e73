"""Every subgame-perfect equilibrium of a game tree at many parameter points: the solver of
sweeps over sequential and Bayesian scenarios.

Backward induction runs for all points at once
(:func:`negsim.sequential.points.backward_induction_points`); where it cannot promise the whole
answer, the point is solved on its own with :func:`negsim.tree.subgame_perfect`, which lists
every subgame-perfect equilibrium:

- at points where some player is indifferent between moves (or, where a player moves at
  information sets of several nodes, between plans): ties give several equilibria, and the
  vectorised pass keeps only one;
- at every point of a tree with a part where several players move at information sets of
  several nodes (imperfect information between them): that part is a strategic game of its
  own, whose equilibria :func:`negsim.solve.solve` lists.

Elsewhere the vectorised pass gives the unique subgame-perfect equilibrium, so the result is
the same as a per-point :func:`~negsim.tree.subgame_perfect` loop (``vectorised=False``),
which the tests check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from negsim.errors import InputError, Problem
from negsim.sequential.points import backward_induction_points, part_values, subgame_parts
from negsim.sequential.spe import SubgamePerfect, subgame_perfect
from negsim.tree.model import GameTree, ParametricTree, TreeShape

__all__ = ["CREDIBLE_SLACK", "TOL", "Profile", "TreeEquilibria", "credible_at", "move_text",
           "solve_tree_points", "type_starts"]

#: Payoff tolerance, relative to each point's largest payoff (as in the tree solvers).
TOL = 1e-9
#: A probability above this counts as played, a node with a higher chance as reached.
EPS = 1e-12
#: A response is credible when its margin is at least minus this times the largest payoff:
#: only rounding-size slack, as in :mod:`negsim.sequential.credibility`, so that thresholds come
#: out where the margin is 0.
CREDIBLE_SLACK = 1e-12


@dataclass(frozen=True)
class Profile:
    """One subgame-perfect equilibrium as the table and its sentences name it: by the moves
    it plays, as the outcomes of strategic games are named by their supports.

    ``path`` is the play (``"store -> hold_off"``, as :func:`negsim.sequential.spe.path_text`
    writes it, a mixed move by its support: ``"(b: ... | s: ...)"``, or ``"b+s"`` where
    nothing follows it), counting every move of chance as possible whatever its
    probability: it shows every type's play, also of a type with prior 0. ``label`` adds
    the moves at the information sets that play does not reach, which the path leaves out
    (``"store -> hold_off {us after limited: sanction; us after full: sanction}"``).
    ``moves`` holds the move at each information set (in the tree's order of information
    sets), ``reached`` whether play reaches it; ``pure``: no move is mixed.
    """

    label: str
    path: str
    moves: tuple[str, ...]
    reached: tuple[bool, ...]
    pure: bool = True
    #: The played moves' indices per information set: orders equilibria as the tree orders
    #: its moves.
    order: tuple[tuple[int, ...], ...] = ()


@dataclass(frozen=True, eq=False)
class TreeEquilibria:
    """The subgame-perfect equilibria of many points, one row per point and equilibrium.

    Rows are grouped by point, in point order; within a point in the order of
    :func:`negsim.tree.subgame_perfect` (pure first). ``behavior`` holds every information
    set's move probabilities side by side (the tree's order of information sets);
    ``interim`` each typed player's expected payoff per type (see :func:`type_starts`);
    ``regret`` the most any player gains by changing its move at a node that is an
    information set of its own (0 up to rounding: the check of subgame perfection);
    ``profile`` indexes ``profiles``. Per point: ``ties`` (some player is indifferent
    between moves there), ``margins`` (per response asked for, what carrying it out pays
    its player compared with its best other move, play continuing as in the point's first
    equilibrium) and ``credible`` (the margin is at least 0, up to rounding:
    :data:`CREDIBLE_SLACK` times the point's largest payoff).
    """

    n_points: int
    point: np.ndarray
    behavior: np.ndarray
    payoffs: np.ndarray
    interim: np.ndarray
    regret: np.ndarray
    profile: np.ndarray
    profiles: tuple[Profile, ...]
    ties: np.ndarray
    margins: np.ndarray
    credible: np.ndarray
    complete: bool

    def count(self) -> np.ndarray:
        """Equilibria per point."""
        return np.bincount(self.point, minlength=self.n_points)


def move_text(actions: Sequence[str], played: Sequence[int]) -> str:
    """``"sanction"``; a mixed move by its support, ``"sanction+hold_off"`` (as the outcomes
    of strategic games: probabilities that move with the parameters do not make a new
    equilibrium at every point)."""
    return "+".join(actions[a] for a in played)


def type_starts(tree: ParametricTree) -> list[tuple[int, str, tuple[int, ...], int]]:
    """``(player, type, nodes, level)`` for each type of each typed player: the nodes right
    after the chance moves that draw the types where the player has that type, and which of
    those chance moves (``level``, from the root) draws the player's type. A type's *interim*
    payoff is the player's payoff expected over those nodes, weighted by the chance of the
    other players' types."""
    shape = tree.shape
    depth = len(tree.typed_players)
    if not depth:
        return []
    starts = [k for k, node in enumerate(shape.nodes) if node.depth == depth and all(
        shape.nodes[p].kind == "chance" for p, _ in shape.path_to(k))]
    out = []
    for level, pid in enumerate(tree.typed_players):
        parent, _ = shape.path_to(starts[0])[level]
        i = shape.players.index(pid)
        for kind in shape.nodes[parent].actions:
            nodes = tuple(k for k in starts if _step(shape, k, level) == kind)
            out.append((i, kind, nodes, level))
    return out


def _step(shape: TreeShape, node: int, level: int) -> str:
    parent, action = shape.path_to(node)[level]
    return shape.nodes[parent].actions[action]


# -- the solver -----------------------------------------------------------------------------------


def solve_tree_points(tree: ParametricTree, values: Mapping[str, np.ndarray],
                      responses: Sequence[tuple[int, int]] = (), *, tol: float = TOL,
                      vectorised: bool = True) -> TreeEquilibria:
    """Every subgame-perfect equilibrium of ``tree`` at each point of ``values`` (every
    parameter's value per point), and the margin of each response ``(node, move)``.

    ``vectorised=False`` solves every point on its own (what the vectorised pass must equal).
    """
    shape = tree.shape
    n_points = len(next(iter(values.values()))) if values else 1
    builder = _Rows(tree, responses, n_points)
    if vectorised and not _needs_every_point(shape):
        paths = backward_induction_points(tree, values, tol=tol)
        state = paths.values
        _check_finite(state, tree)
        scale = np.maximum(1.0, np.abs(state[:, list(shape.leaves)]).reshape(n_points, -1)
                           .max(axis=1, initial=0.0))
        ties = _indifferent(shape, state, paths.probabilities, tol * scale)
        fine = np.flatnonzero(~ties)
        behavior = [b[fine] for b in paths.behavior]
        builder.add_vectorised(fine, behavior, state[fine], paths.probabilities[fine])
        builder.margins[fine] = _margins(shape, state[fine], responses)
        builder.scale[:] = scale
        hard = np.flatnonzero(ties)
    else:
        ties = np.zeros(n_points, dtype=bool)
        hard = np.arange(n_points)
    if len(hard):
        subset = {name: np.asarray(column)[hard] for name, column in values.items()}
        payoffs, probabilities = tree.evaluate(subset)
        for j, p in enumerate(hard.tolist()):
            at = GameTree(shape, _finite(payoffs[j], tree), probabilities[j])
            builder.scale[p] = at.scale
            solution = subgame_perfect(at, tol=tol)
            builder.add_point(p, solution.equilibria, probabilities[j])
            builder.complete &= solution.complete
            if len(solution.equilibria) > 1:
                ties[p] = True
    return builder.result(n_points, ties)


def _needs_every_point(shape: TreeShape) -> bool:
    """A part of a subgame where several players move at sets of several nodes: solved as a
    strategic game at each point (the vectorised pass keeps only its first equilibrium)."""
    for _v, part, _frontier in subgame_parts(shape):
        if len(part) > 1:
            movers = {shape.infosets[shape.nodes[k].infoset].player
                      for k in part if shape.nodes[k].kind == "decision"}
            if len(movers) > 1:
                return True
    return False


def _check_finite(state: np.ndarray, tree: ParametricTree) -> None:
    if not np.all(np.isfinite(state)):
        raise InputError([Problem("a payoff is not a finite number at some parameter point "
                                  "(a division by zero?)", file=tree.source or None)])


def _finite(payoffs: np.ndarray, tree: ParametricTree) -> np.ndarray:
    if not np.all(np.isfinite(payoffs)):
        _check_finite(payoffs, tree)
    return payoffs


def _indifferent(shape: TreeShape, values: np.ndarray, probabilities: np.ndarray,
                 limit: np.ndarray) -> np.ndarray:
    """Points where some player has several best moves (or, in a part where it moves at sets
    of several nodes, several best plans): other equilibria may exist there."""
    tied = np.zeros(values.shape[0], dtype=bool)
    for v, part, _frontier in subgame_parts(shape):
        node = shape.nodes[v]
        if len(part) == 1:
            if node.kind != "decision":
                continue
            own = values[:, list(node.children), node.player]
        else:
            sets = sorted({shape.nodes[k].infoset for k in part
                           if shape.nodes[k].kind == "decision"})
            player = shape.infosets[sets[0]].player
            plans = product(*(range(len(shape.infosets[s].actions)) for s in sets))
            own = np.stack([part_values(shape, v, part, dict(zip(sets, plan)), values,
                                         probabilities)[:, player] for plan in plans], axis=1)
        near = own >= own.max(axis=1, keepdims=True) - limit[:, None]
        tied |= near.sum(axis=1) > 1
    return tied


def _play(shape: TreeShape, played: Sequence[Sequence[int]]) -> str:
    """The play in words, as :func:`negsim.sequential.spe.path_text` writes it, with every move of
    chance shown (types of prior 0 too) and a mixed move by its support."""

    def describe(k: int) -> str:
        node = shape.nodes[k]
        if node.kind == "terminal":
            return ""
        if node.kind == "chance":
            parts = []
            for a, c in enumerate(node.children):
                rest = describe(c)
                parts.append(f"{node.actions[a]}: {rest}" if rest else node.actions[a])
            return "[" + "; ".join(parts) + "]"
        moves = played[node.infoset]
        rests = [describe(node.children[a]) for a in moves]
        if len(moves) == 1:
            return node.actions[moves[0]] + (f" -> {rests[0]}" if rests[0] else "")
        if not any(rests):
            return "+".join(node.actions[a] for a in moves)
        return "(" + " | ".join(f"{node.actions[a]}: {rest}" if rest else node.actions[a]
                                for a, rest in zip(moves, rests)) + ")"

    return describe(0)


def _reachable(shape: TreeShape, played: Sequence[Sequence[int]]) -> np.ndarray:
    """The nodes that the played moves lead to, for some moves of chance."""
    reach = np.zeros(len(shape.nodes), dtype=bool)
    reach[0] = True
    for k, node in enumerate(shape.nodes):
        if node.kind == "terminal" or not reach[k]:
            continue
        for a, c in enumerate(node.children):
            reach[c] = node.kind == "chance" or a in played[node.infoset]
    return reach


def _margins(shape: TreeShape, values: np.ndarray, responses: Sequence[tuple[int, int]]
             ) -> np.ndarray:
    out = np.zeros((values.shape[0], len(responses)))
    for r, (k, a) in enumerate(responses):
        node = shape.nodes[k]
        own = values[:, list(node.children), node.player]
        others = np.delete(own, a, axis=1)
        out[:, r] = own[:, a] - others.max(axis=1) if others.shape[1] else 0.0
    return out


def _regret(shape: TreeShape, values: np.ndarray) -> np.ndarray:
    """The largest gain from changing the move at a node that is an information set of its
    own ``(points,)``; ``values`` has shape ``(points, nodes, n)``."""
    regret = np.zeros(values.shape[0])
    for k, node in enumerate(shape.nodes):
        if node.kind != "decision" or len(shape.infosets[node.infoset].nodes) != 1:
            continue
        best = values[:, list(node.children), node.player].max(axis=1)
        regret = np.maximum(regret, best - values[:, k, node.player])
    return regret


# -- rows ------------------------------------------------------------------------------------------


class _Rows:
    """Collects the rows of vectorised points and of points solved one by one, naming each
    distinct equilibrium once."""

    def __init__(self, tree: ParametricTree, responses: Sequence[tuple[int, int]],
                 n_points: int) -> None:
        self.tree = tree
        self.shape = tree.shape
        self.responses = list(responses)
        self.types = type_starts(tree)
        self.profiles: list[Profile] = []
        self.index: dict[bytes, int] = {}
        self.parts: list[dict[str, np.ndarray]] = []
        self.margins = np.zeros((n_points, len(self.responses)))
        self.scale = np.ones(n_points)
        self.complete = True
        self.width = sum(len(i.actions) for i in self.shape.infosets)

    def _profile_of(self, behavior: np.ndarray) -> int:
        # An equilibrium is named by the moves it plays (its supports), as in strategic games.
        played = behavior > EPS
        raw = played.tobytes()
        found = self.index.get(raw)
        if found is None:
            found = self.index[raw] = len(self.profiles)
            self.profiles.append(_profile(self.shape, played))
        return found

    def _interim(self, values: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        """Each type's expected payoff ``(rows, types)``: over the nodes where the player has
        that type, weighted by the chance of the other players' types (defined also for a
        type of prior 0)."""
        out = np.full((values.shape[0], len(self.types)), np.nan)
        shape = self.shape
        with np.errstate(invalid="ignore", divide="ignore"):
            for t, (i, _kind, nodes, level) in enumerate(self.types):
                weight = np.ones((values.shape[0], len(nodes)))
                for j, k in enumerate(nodes):
                    for depth, (parent, action) in enumerate(shape.path_to(k)):
                        if depth != level:
                            column = shape.nodes[parent].chance[action]
                            weight[:, j] *= probabilities[:, column]
                total = weight.sum(axis=1)
                mass = (weight * values[:, list(nodes), i]).sum(axis=1)
                out[:, t] = np.where(total > EPS, mass / np.where(total > EPS, total, 1.0),
                                     np.nan)
        return out

    def add_vectorised(self, points: np.ndarray, behavior: Sequence[np.ndarray],
                       values: np.ndarray, probabilities: np.ndarray) -> None:
        size = len(points)
        flat = (np.concatenate(behavior, axis=1) if behavior else np.zeros((size, 0)))
        profile = np.zeros(size, dtype=np.int64)
        if size:
            distinct, first, inverse = np.unique(flat > EPS, axis=0, return_index=True,
                                                 return_inverse=True)
            ids = np.array([self._profile_of(flat[first[d]]) for d in range(len(distinct))],
                           dtype=np.int64)
            profile = ids[inverse.reshape(-1)]
        self.parts.append({
            "point": points.astype(np.int64), "behavior": flat, "payoffs": values[:, 0, :],
            "interim": self._interim(values, probabilities),
            "regret": _regret(self.shape, values), "profile": profile,
            "order": np.zeros(size, dtype=np.int64)})

    def add_point(self, point: int, equilibria: Sequence[SubgamePerfect],
                  probabilities: np.ndarray) -> None:
        if not equilibria:
            return
        behavior = np.array([np.concatenate(e.behavior) if e.behavior else np.zeros(0)
                             for e in equilibria]).reshape(len(equilibria), self.width)
        values = np.array([e.values for e in equilibria])
        profile = np.array([self._profile_of(row) for row in behavior], dtype=np.int64)
        self.margins[point] = _margins(self.shape, values[:1], self.responses)[0]
        chance = np.broadcast_to(probabilities, (len(equilibria), len(probabilities)))
        self.parts.append({
            "point": np.full(len(equilibria), point, dtype=np.int64), "behavior": behavior,
            "payoffs": values[:, 0, :], "interim": self._interim(values, chance),
            "regret": _regret(self.shape, values), "profile": profile,
            "order": np.arange(len(equilibria), dtype=np.int64)})

    def result(self, n_points: int, ties: np.ndarray) -> TreeEquilibria:
        n = self.shape.n_players
        if self.parts:
            joined = {key: np.concatenate([part[key] for part in self.parts])
                      for key in self.parts[0]}
        else:
            joined = {"point": np.zeros(0, dtype=np.int64),
                      "behavior": np.zeros((0, self.width)), "payoffs": np.zeros((0, n)),
                      "interim": np.zeros((0, len(self.types))), "regret": np.zeros(0),
                      "profile": np.zeros(0, dtype=np.int64),
                      "order": np.zeros(0, dtype=np.int64)}
        order = np.lexsort((joined["order"], joined["point"]))
        return TreeEquilibria(
            n_points=n_points, point=joined["point"][order],
            behavior=joined["behavior"][order], payoffs=joined["payoffs"][order],
            interim=joined["interim"][order], regret=joined["regret"][order],
            profile=joined["profile"][order], profiles=tuple(self.profiles),
            ties=ties, margins=self.margins,
            credible=self.margins >= -CREDIBLE_SLACK * self.scale[:, None],
            complete=self.complete)


def _profile(shape: TreeShape, mask: np.ndarray) -> Profile:
    """An equilibrium named from the moves it plays (``mask``: every information set's moves
    side by side, True where played)."""
    played, at = [], 0
    for infoset in shape.infosets:
        width = len(infoset.actions)
        played.append(tuple(int(a) for a in np.flatnonzero(mask[at:at + width])))
        at += width
    reach = _reachable(shape, played)
    moves = tuple(move_text(i.actions, played[s]) for s, i in enumerate(shape.infosets))
    reached = tuple(bool(reach[list(i.nodes)].any()) for i in shape.infosets)
    off = [f"{shape.players[i.player]} {i.label}: {moves[s]}"
           for s, i in enumerate(shape.infosets) if not reached[s]]
    path = _play(shape, played)
    label = path + (" {" + "; ".join(off) + "}" if off else "")
    return Profile(label, path, moves, reached, pure=all(len(m) == 1 for m in played),
                   order=tuple(played))


def credible_at(tree: ParametricTree, responses: Sequence[tuple[int, int]],
                values: Mapping[str, np.ndarray], *, tol: float = TOL) -> np.ndarray:
    """Whether each response is credible at each point ``(points, responses)``, play
    continuing by backward induction: what credibility thresholds are refined with."""
    shape = tree.shape
    paths = backward_induction_points(tree, values, tol=tol)
    _check_finite(paths.values, tree)
    leaves = np.abs(paths.values[:, list(shape.leaves)]).reshape(paths.n_points, -1)
    scale = np.maximum(1.0, leaves.max(axis=1, initial=0.0))
    return _margins(shape, paths.values, responses) >= -CREDIBLE_SLACK * scale[:, None]
