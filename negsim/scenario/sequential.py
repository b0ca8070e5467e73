"""Checks of the sections that make a scenario a game tree: ``timing``, ``tree`` and ``types``.

Like :mod:`negsim.scenario.checks`, every problem is reported as an :class:`Issue` at its key
path, and sections that are missing or failed the schema are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel

from negsim.errors import did_you_mean
from negsim.scenario.expr import ExpressionError, Names, compile_expression, expression_names
from negsim.scenario.issues import Issue, expression_issue, format_path
from negsim.scenario.sections import Timing, TreeNode, TreePayoffs
from negsim.scenario.yamltree import Path

__all__ = ["MAX_TREE_NODES", "MAX_TYPE_PROFILES", "absent_sections", "check_sequential",
           "timing_order"]

#: Most nodes of an explicit tree in a scenario file.
MAX_TREE_NODES = 5_000
#: Most combinations of the players' types.
MAX_TYPE_PROFILES = 64

_SECTIONS = ("parameters", "players", "payoffs", "infeasible", "status_quo", "timing", "types")


def absent_sections(sections: Any) -> set[str]:
    """The top-level sections a file leaves out (not those that failed the schema)."""
    absent = getattr(sections, "absent", None)
    if absent is not None:
        return set(absent)
    if isinstance(sections, BaseModel):
        return {name for name in _SECTIONS if name not in sections.model_fields_set}
    return {name for name in _SECTIONS if getattr(sections, name, None) is None}


def timing_order(timing: Any) -> tuple[list[str], Path]:
    """The move order of a ``timing`` section and the key path of its list."""
    if isinstance(timing, Timing):
        return list(timing.order), ("timing", "order")
    return list(timing), ("timing",)


def check_sequential(sections: Any, absent: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    players = getattr(sections, "players", None)
    parameters = getattr(sections, "parameters", None)
    timing = getattr(sections, "timing", None)
    payoffs = getattr(sections, "payoffs", None)
    tree = payoffs.tree if isinstance(payoffs, TreePayoffs) else None
    types = getattr(sections, "types", None)
    if tree is not None:
        for section, why in (
            ("timing", "the tree already says who moves when; remove timing"),
            ("types", "in a scenario with a tree, model types as chance moves at its root"),
            ("infeasible", "in a tree, leave out the moves that cannot happen instead"),
            ("status_quo", "a status quo is a profile of strategies; a tree has none"),
        ):
            if section not in absent:
                issues.append(Issue((section,), why))
    if timing is not None and players is not None:
        _check_timing(timing, players, issues)
        if "infeasible" not in absent and getattr(sections, "infeasible", None):
            issues.append(Issue(("infeasible",), "a scenario with timing cannot have "
                                "infeasible profiles: every move must be possible after every "
                                "history; give those profiles payoffs instead"))
    if tree is not None and players is not None and parameters is not None:
        _TreeCheck(players, parameters, issues).check(tree)
    if types is not None and players is not None and parameters is not None:
        _check_types(types, players, parameters, issues)
    return issues


# -- timing --------------------------------------------------------------------------------------


def _check_timing(timing: Any, players: Mapping[str, Any], issues: list[Issue]) -> None:
    order, path = timing_order(timing)
    ids = list(players)
    seen: dict[str, int] = {}
    for k, pid in enumerate(order):
        if pid not in players:
            issues.append(Issue((*path, k), f"unknown player {pid!r}{did_you_mean(pid, ids)}"))
        elif pid in seen:
            issues.append(Issue((*path, k), f"{pid!r} is listed twice (also at item {seen[pid]})"))
        seen.setdefault(pid, k)
    missing = [pid for pid in ids if pid not in seen]
    if missing:
        issues.append(Issue(path, "every player moves once; missing "
                            + ", ".join(repr(m) for m in missing)))
    if not isinstance(timing, Timing):
        return
    for pid, seen_players in timing.observes.items():
        where = ("timing", "observes")
        if pid not in players:
            issues.append(Issue(where, f"unknown player {pid!r}{did_you_mean(pid, ids)}", key=pid))
            continue
        before = order[:order.index(pid)] if pid in order else []
        for k, other in enumerate(seen_players):
            if other not in players:
                issues.append(Issue((*where, pid, k), f"unknown player {other!r}"
                                    f"{did_you_mean(other, ids)}"))
            elif other == pid:
                issues.append(Issue((*where, pid, k), "a player does not observe itself"))
            elif other not in before:
                issues.append(Issue((*where, pid, k), f"{other!r} moves after {pid!r}, so "
                                    f"{pid!r} cannot see its move"))


# -- explicit trees ------------------------------------------------------------------------------


class _TreeCheck:
    """Walks an explicit tree, checking each node and the information sets across nodes."""

    def __init__(self, players: Mapping[str, Any], parameters: Mapping[str, Any],
                 issues: list[Issue]) -> None:
        self.players = players
        self.ids = list(players)
        self.parameters = parameters
        self.issues = issues
        self.names = Names(frozenset(parameters), {pid: (frozenset(), frozenset())
                                                   for pid in players})
        self.defaults = {name: p.value for name, p in parameters.items()}
        self.count = 0
        self.sets: dict[tuple[str, str], tuple[Path, tuple[str, ...], tuple]] = {}

    def check(self, root: TreeNode) -> None:
        # Iterative, with each player's own history (its information sets and moves) carried
        # down, so that perfect recall can be checked where a set is used a second time.
        stack: list[tuple[TreeNode, Path, dict[str, tuple], bool]] = [
            (root, ("payoffs", "tree"), {}, False)]
        while stack:
            node, path, history, under_chance = stack.pop()
            self.count += 1
            if self.count > MAX_TREE_NODES:
                self.issues.append(Issue(("payoffs", "tree"), f"the tree has more than "
                                         f"{MAX_TREE_NODES:,} nodes (negsim's limit for "
                                         "scenario files)"))
                return
            children = self._node(node, path, history, under_chance)
            stack.extend(reversed(children))

    def _node(self, node: TreeNode, path: Path, history: dict[str, tuple], under_chance: bool
              ) -> list[tuple[TreeNode, Path, dict[str, tuple], bool]]:
        issues = self.issues
        if node.probability is not None:
            if not under_chance:
                issues.append(Issue((*path, "probability"), "only the moves of a chance node "
                                    "have a probability"))
            else:
                self._expression(node.probability, (*path, "probability"))
        forms = [k for k in ("moves", "chance", "payoffs") if getattr(node, k) is not None]
        if len(forms) != 1:
            what = "none" if not forms else " and ".join(forms)
            issues.append(Issue(path, f"a node has exactly one of moves (a decision), chance "
                                f"(a chance move) or payoffs (an outcome); this one has {what}"))
            return []
        form = forms[0]
        if form != "moves":
            for key in ("player", "info"):
                if getattr(node, key) is not None:
                    issues.append(Issue(path, f"{key!r} belongs to decision nodes (with moves)",
                                        key=key))
        if form == "payoffs":
            self._payoffs(node, path)
            return []
        if form == "chance":
            moves = node.chance
            if not moves:
                issues.append(Issue((*path, "chance"), "a chance node needs at least one move"))
                return []
            for move, child in moves.items():
                if child.probability is None:
                    issues.append(Issue((*path, "chance", move), "missing required key "
                                        "'probability' (the chance of this move)"))
            self._chance_sum(moves, (*path, "chance"))
            return [(child, (*path, "chance", move), history, True)
                    for move, child in moves.items()]
        return self._decision(node, path, history)

    def _decision(self, node: TreeNode, path: Path, history: dict[str, tuple]
                  ) -> list[tuple[TreeNode, Path, dict[str, tuple], bool]]:
        issues = self.issues
        moves = node.moves or {}
        if node.player is None:
            issues.append(Issue(path, "missing required key 'player' (who moves here)"))
            return []
        if node.player not in self.players:
            issues.append(Issue((*path, "player"), f"unknown player {node.player!r}"
                                f"{did_you_mean(node.player, self.ids)}"))
            return []
        if not moves:
            issues.append(Issue((*path, "moves"), "a decision needs at least one move"))
            return []
        pid = node.player
        own = history.get(pid, ())
        if node.info is not None:
            key = (pid, node.info)
            first = self.sets.get(key)
            if first is None:
                self.sets[key] = (path, tuple(moves), own)
            else:
                first_path, first_moves, first_own = first
                shown = _format(first_path)
                if tuple(moves) != first_moves:
                    issues.append(Issue((*path, "moves"), f"information set {node.info!r} of "
                                        f"{pid!r} offers {', '.join(first_moves)} at {shown}; "
                                        "every node of a set offers the same moves"))
                elif own != first_own:
                    issues.append(Issue((*path, "info"), f"{pid!r} can tell this node from "
                                        f"{shown} by its own earlier moves or information, so "
                                        "they cannot share an information set (perfect recall)"))
        marker = node.info if node.info is not None else _format(path)
        children = []
        for move, child in moves.items():
            after = dict(history)
            after[pid] = (*own, (marker, move))
            children.append((child, (*path, "moves", move), after, False))
        return children

    def _payoffs(self, node: TreeNode, path: Path) -> None:
        values = node.payoffs
        where = (*path, "payoffs")
        if isinstance(values, list):
            if len(values) != len(self.ids):
                self.issues.append(Issue(where, f"expected one payoff per player "
                                         f"({len(self.ids)}: {', '.join(self.ids)}), got "
                                         f"{len(values)}"))
                return
            for i, value in enumerate(values):
                self._expression(value, (*where, i))
            return
        for pid in values:
            if pid not in self.players:
                self.issues.append(Issue(where, f"unknown player {pid!r}"
                                         f"{did_you_mean(pid, self.ids)}", key=pid))
        missing = [pid for pid in self.ids if pid not in values]
        if missing:
            self.issues.append(Issue(where, "missing the payoffs of "
                                     + ", ".join(repr(m) for m in missing)))
        for pid, value in values.items():
            if pid in self.players:
                self._expression(value, (*where, pid))

    def _expression(self, value: Any, path: Path) -> Any:
        try:
            return compile_expression(value, self.names)
        except ExpressionError as exc:
            self.issues.append(expression_issue(path, exc))
            return None

    def _chance_sum(self, moves: Mapping[str, TreeNode], path: Path) -> None:
        values = []
        for child in moves.values():
            if child.probability is None:
                return
            compiled = self._expression(child.probability, ())
            if compiled is None:
                return
            values.append(compiled)
        _check_distribution(values, self.defaults, path, "the moves of this chance node",
                            self.issues)


def _format(path: Path) -> str:
    return format_path(path)


def _check_distribution(expressions: list[Any], defaults: Mapping[str, float], path: Path,
                        what: str, issues: list[Issue]) -> None:
    """Probabilities at the default parameter values: each in 0..1, adding up to 1."""
    env = {name: np.float64(v) for name, v in defaults.items()}
    values = [float(np.asarray(e(env))) for e in expressions]
    at = ", ".join(f"{name}={v:g}" for name, v in defaults.items() if any(
        name in e.names for e in expressions))
    where = f" at {at}" if at else ""
    shown = ", ".join(f"{v:g}" for v in values)
    if not all(np.isfinite(values)) or any(v < -1e-9 or v > 1 + 1e-9 for v in values):
        issues.append(Issue(path, f"probabilities of {what} must lie in 0..1; they are "
                            f"{shown}{where}"))
    elif abs(sum(values) - 1.0) > 1e-7:
        issues.append(Issue(path, f"probabilities of {what} add up to {sum(values):g}, not 1 "
                            f"({shown}{where})"))


# -- types ---------------------------------------------------------------------------------------


def _check_types(types: Mapping[str, Mapping[str, Any]], players: Mapping[str, Any],
                 parameters: Mapping[str, Any], issues: list[Issue]) -> None:

    ids = list(players)
    only_parameters = Names(frozenset(parameters), {})
    known_types = {pid: kinds for pid, kinds in types.items() if pid in players}
    names = expression_names(parameters, players, known_types) if all(
        p.strategies for p in players.values()) else None
    defaults = {name: p.value for name, p in parameters.items()}
    count = 1
    for pid, kinds in types.items():
        if pid not in players:
            issues.append(Issue(("types",), f"unknown player {pid!r}{did_you_mean(pid, ids)}",
                                key=pid))
            continue
        path = ("types", pid)
        if not kinds:
            issues.append(Issue(path, "a player with types needs at least one type"))
            continue
        count *= len(kinds)
        player = players[pid]
        attributes = {a for s in player.strategies.values() for a in s.attributes}
        compiled = []
        for tid, kind in kinds.items():
            if tid in player.strategies:
                issues.append(Issue(path, f"type {tid!r} has the name of a strategy of {pid!r}; "
                                    "type ids must differ from strategy ids", key=tid))
            elif tid in attributes:
                issues.append(Issue(path, f"type {tid!r} has the name of an attribute of "
                                    f"{pid!r}; type ids must differ from attribute names",
                                    key=tid))
            try:
                compiled.append(compile_expression(kind.probability, only_parameters))
            except ExpressionError as exc:
                issues.append(expression_issue((*path, tid, "probability"), exc))
            if kind.payoff is not None and names is not None:
                try:
                    compile_expression(kind.payoff, names)
                except ExpressionError as exc:
                    issues.append(expression_issue((*path, tid, "payoff"), exc))
        if len(compiled) == len(kinds):
            _check_distribution(compiled, defaults, path, f"the types of {pid!r}", issues)
    if count > MAX_TYPE_PROFILES:
        issues.append(Issue(("types",), f"{count} combinations of types; negsim handles up to "
                            f"{MAX_TYPE_PROFILES}"))
