"""The tidy table of a sweep over a game tree: one row per point and subgame-perfect
equilibrium.

The columns follow the table of strategic games where they mean the same (``point``,
parameters, ``equilibrium``, ``n_equilibria``, ``kind``, ``outcome``, ``equilibrium_set``,
``payoff.<player>``, ``welfare``, ``regret``, ``degenerate``); strategies are moves at
information sets (``p.<player>.<information set>: <move>``), games with types add each
type's expected payoff (``payoff.<player>.<type>``), and a credibility sweep adds the margin
of each response (``margin.<move> after <moves>``). ``docs/reference/run-folder.md``
describes every column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from negsim.errors import InputError, Problem
from negsim.sequential.batch import TreeEquilibria, type_starts
from negsim.sequential.credibility import describe_response
from negsim.sequential.credibility import find_responses as find
from negsim.sweep.table import _FIXED, NO_EQUILIBRIUM, Tabulated, row_layout
from negsim.sweep.tipping import _possessive
from negsim.tree.model import ParametricTree, TreeShape

__all__ = ["KIND", "Response", "TreeLabels", "tabulate_tree"]

#: The ``kind`` of every row of a sweep over a tree.
KIND = "spe"


@dataclass(frozen=True)
class Response:
    """A move asked about in a credibility sweep, at one node (a response named after moves
    of chance, e.g. types, is one response per chance outcome)."""

    asked: str          # as the user wrote it: "sanction after full"
    node: int
    action: int
    name: str           # "sanction after resolute, full": the move after every move before
    description: str    # "United States: sanction after resolute, full"

    @property
    def column(self) -> str:
        return f"margin.{self.name}"


@dataclass(frozen=True)
class TreeLabels:
    """What the table and the sentences call players, moves, types and parameters."""

    players: tuple[str, ...]
    player_names: tuple[str, ...]
    parameters: tuple[str, ...]
    #: Per information set (the tree's order): (player, label, moves).
    infosets: tuple[tuple[int, str, tuple[str, ...]], ...]
    #: Per information set: who decides what there, for sentences ("Turkey's equilibrium
    #: choice", "the United States's equilibrium response to Full activation when hesitant").
    infoset_words: tuple[str, ...]
    #: Per information set: the display name of each move.
    move_names: tuple[tuple[str, ...], ...]
    #: Per type of each typed player: (player, type).
    types: tuple[tuple[int, str], ...]
    responses: tuple[Response, ...] = ()

    @classmethod
    def of(cls, tree: ParametricTree, scenario: object | None, parameters: Sequence[str],
           credibility: Sequence[str] = ()) -> TreeLabels:
        shape = tree.shape
        names = _move_name_lookup(tree, scenario)
        infosets = tuple((i.player, i.label, tuple(i.actions)) for i in shape.infosets)
        move_names = tuple(tuple(names(i.player, a) for a in i.actions) for i in shape.infosets)
        words = tuple(_infoset_words(tree, scenario, s, names) for s in range(len(infosets)))
        types = tuple((i, kind) for i, kind, _nodes, _level in type_starts(tree))
        return cls(tuple(shape.players), tuple(shape.player_names), tuple(parameters),
                   infosets, words, move_names, types, find_responses(shape, credibility))

    @property
    def shape(self) -> tuple[int, ...]:
        """Moves per information set."""
        return tuple(len(moves) for _p, _l, moves in self.infosets)

    def parameter_column(self, name: str) -> str:
        return f"param.{name}" if name in _FIXED else name

    def move_columns(self) -> list[str]:
        return [f"p.{self.players[player]}.{label}: {move}"
                for player, label, moves in self.infosets for move in moves]

    def type_columns(self) -> list[str]:
        return [f"payoff.{self.players[i]}.{kind}" for i, kind in self.types]

    def columns(self) -> list[str]:
        """Every column of the results table, in order."""
        return [
            "point", "varied", *(self.parameter_column(p) for p in self.parameters),
            "equilibrium", "n_equilibria", "kind", "outcome", "equilibrium_set",
            *self.move_columns(),
            *(f"payoff.{player}" for player in self.players),
            *self.type_columns(),
            "welfare", "regret", "degenerate",
            *(r.column for r in self.responses),
        ]

    def point_columns(self) -> list[str]:
        """The columns of ``points.csv``."""
        return ["point", "varied", *(self.parameter_column(p) for p in self.parameters)]

    def manifest(self) -> dict:
        """The tree as the manifest records it: what the figures read."""
        return {
            "information_sets": [
                {"player": self.players[player], "label": label, "moves": list(moves),
                 "move_names": list(names), "in_words": words,
                 "columns": [f"p.{self.players[player]}.{label}: {m}" for m in moves]}
                for (player, label, moves), names, words in zip(
                    self.infosets, self.move_names, self.infoset_words)],
            "types": [{"player": self.players[i], "type": kind,
                       "column": f"payoff.{self.players[i]}.{kind}"} for i, kind in self.types],
            "responses": [{"asked": r.asked, "response": r.name, "description": r.description,
                           "column": r.column} for r in self.responses],
        }


def find_responses(shape: TreeShape, asked: Sequence[str]) -> tuple[Response, ...]:
    """The responses named ``"MOVE after MOVES"``; an :class:`InputError` for a name that
    is not a response of this tree (at ``--credibility``)."""

    out: list[Response] = []
    problems = []
    for text in asked:
        try:
            found = find(shape, text)
        except InputError as exc:
            problems += [Problem(p.message, path="credibility") for p in exc.problems]
            continue
        for node, action in found:
            history = ", ".join(shape.nodes[p].actions[a] for p, a in shape.path_to(node))
            response = Response(text, node, action, f"{shape.nodes[node].actions[action]} after "
                                f"{history}", describe_response(shape, node, action))
            if response.name not in {r.name for r in out}:
                out.append(response)
    if problems:
        raise InputError(problems)
    return tuple(out)


def _move_name_lookup(tree: ParametricTree, scenario: object | None):
    """``names(player, move)``: a scenario's strategy name for trees built from its
    strategies (``timing``, ``types``); the move's label otherwise."""
    if scenario is None or tree.origin not in ("timing", "types"):
        return lambda player, move: move

    def names(player: int, move: str) -> str:
        pid = tree.shape.players[player]
        try:
            return scenario.strategy_name(pid, move)
        except (KeyError, AttributeError):
            return move

    return names


def _infoset_words(tree: ParametricTree, scenario: object | None, s: int, names) -> str:
    """``"Turkey's equilibrium choice"``, ``"the United States's equilibrium response to Full
    activation when hesitant"``: what is decided at information set ``s``, in words."""

    shape = tree.shape
    infoset = shape.infosets[s]
    paths = [shape.path_to(k) for k in infoset.nodes]
    seen, own_type = [], None
    for depth, steps in enumerate(zip(*paths)):
        labels = {shape.nodes[p].actions[a] for p, a in steps}
        if len(labels) > 1:
            continue  # the player does not know this step
        parent, action = steps[0]
        node = shape.nodes[parent]
        if node.kind == "chance":
            if depth < len(tree.typed_players) and \
                    tree.typed_players[depth] == shape.players[infoset.player]:
                own_type = node.actions[action]
            elif depth >= len(tree.typed_players):
                seen.append(node.actions[action])
        elif node.player != infoset.player:
            seen.append(names(node.player, node.actions[action]))
    subject = _possessive(shape.player_names[infoset.player])
    words = f"{subject} equilibrium " + (
        f"response to {', then '.join(seen)}" if seen else "choice")
    if own_type is not None:
        words += f" when {own_type}"
    return words


# -- rows ------------------------------------------------------------------------------------------


def tabulate_tree(labels: TreeLabels, start: int, values: Mapping[str, np.ndarray],
                  varied: np.ndarray | None, eq: TreeEquilibria) -> Tabulated:
    """The rows of points ``start ..``: ``values`` holds every parameter's value per point."""
    n_points = eq.n_points
    counts = eq.count()
    first = np.cumsum(counts) - counts
    n_eq = len(eq.point)
    row_point, row_eq, has, take = row_layout(eq.point, counts)

    # Each point's equilibrium set, labelled once per distinct set.
    set_of: dict[tuple[int, ...], int] = {}
    set_ids = np.empty(n_points, dtype=np.int64)
    profile = eq.profile.tolist()
    for p, (a, c) in enumerate(zip(first.tolist(), counts.tolist())):
        set_ids[p] = set_of.setdefault(tuple(profile[a:a + c]), len(set_of))
    set_labels, sets = [], {}
    for members in set_of:
        # A fixed order, so that the same equilibria always read the same: pure first, then
        # by the number of mixed moves, then in the order of the tree's moves.
        chosen = sorted({eq.profiles[k] for k in members}, key=lambda p: (
            not p.pure, sum(len(m) > 1 for m in p.order), p.order))
        label = " | ".join(p.label for p in chosen) or NO_EQUILIBRIUM
        set_labels.append(label)
        sets[label] = tuple(chosen)
    point_sets = (np.array(set_labels, dtype=object)[set_ids] if n_points
                  else np.zeros(0, dtype=object))

    def per_eq(array: np.ndarray) -> np.ndarray:
        out = np.asarray(array, dtype=float)[take] if n_eq else np.zeros(len(take))
        return np.where(has, out, np.nan)

    paths = np.array([p.path for p in eq.profiles] + [None], dtype=object)
    columns: dict[str, np.ndarray] = {
        "point": start + row_point,
        "varied": (varied[row_point] if varied is not None
                   else np.full(len(row_point), None, dtype=object)),
    }
    for name in labels.parameters:
        columns[labels.parameter_column(name)] = np.asarray(values[name], dtype=float)[row_point]
    columns["equilibrium"] = np.where(has, row_eq - first[row_point], -1)
    columns["n_equilibria"] = counts[row_point]
    columns["kind"] = np.where(has, KIND, None).astype(object)
    columns["outcome"] = paths[np.where(has, eq.profile[take] if n_eq else 0, len(paths) - 1)]
    columns["equilibrium_set"] = point_sets[row_point]
    for k, name in enumerate(labels.move_columns()):
        columns[name] = per_eq(eq.behavior[:, k] if n_eq else [])
    payoffs = [per_eq(eq.payoffs[:, i] if n_eq else []) for i in range(len(labels.players))]
    for player, column in zip(labels.players, payoffs):
        columns[f"payoff.{player}"] = column
    for t, name in enumerate(labels.type_columns()):
        columns[name] = per_eq(eq.interim[:, t] if n_eq else [])
    columns["welfare"] = np.sum(payoffs, axis=0)
    columns["regret"] = per_eq(eq.regret)
    columns["degenerate"] = np.asarray(eq.ties, dtype=bool)[row_point]
    for r, response in enumerate(labels.responses):
        columns[response.column] = eq.margins[row_point, r].astype(float)

    lead = np.full((n_points, len(labels.players)), np.nan)
    with_eq = counts > 0
    if n_eq:
        lead[with_eq] = eq.payoffs[first[with_eq]]
    return Tabulated(columns, point_sets, lead, sets)
