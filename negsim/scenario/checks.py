"""Checks that relate one part of a scenario to another.

The schema checks each value on its own; these check the references between values: every
name in an expression exists, every profile names real players and strategies, every player
has a payoff, tables and rankings cover every profile once, and so on. Each check reports
every problem it finds as an :class:`Issue` instead of stopping at the first.

The checks take the scenario's sections one by one and skip what depends on a section that is
missing (``None``), so that the loader can still check the valid parts of a file whose other
parts failed the schema.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product
from typing import Any

import numpy as np

from negsim.errors import did_you_mean
from negsim.scenario.bargaining_checks import check_analyses
from negsim.scenario.expr import FUNCTIONS, ExpressionError, Names, compile_expression, expression_names
from negsim.scenario.issues import Issue, expression_issue
from negsim.scenario.sections import (
    RESERVED_PAYOFF_KEYS,
    MatrixPayoffs,
    Player,
    RankingPayoffs,
    TablePayoffs,
    TreePayoffs,
)
from negsim.scenario.sequential import absent_sections, check_sequential
from negsim.scenario.yamltree import Path

__all__ = ["check_scenario", "feasible_mask", "profile_indices", "ranking_levels"]


def check_scenario(sections: Any) -> list[Issue]:
    """Every cross-reference problem of a scenario (or of an object with the same sections).

    ``sections`` has the attributes ``parameters``, ``players``, ``payoffs``, ``infeasible``
    and ``status_quo``; an attribute that is ``None`` (or missing) is skipped.
    """
    issues: list[Issue] = []
    players = getattr(sections, "players", None)
    parameters = getattr(sections, "parameters", None)
    payoffs = getattr(sections, "payoffs", None)
    infeasible = getattr(sections, "infeasible", None)
    status_quo = getattr(sections, "status_quo", None)
    types = getattr(sections, "types", None)
    absent = absent_sections(sections)
    # A tree has the players' moves in it; with payoffs that failed the schema it is unknown
    # whether they are a tree, so missing strategies are not reported then.
    has_tree = isinstance(payoffs, TreePayoffs)
    payoffs_known = payoffs is not None or "payoffs" in absent
    if players is not None:
        issues += _check_players(players, has_tree, payoffs_known)
    if parameters is not None:
        issues += _check_parameters(parameters, players)
    if players is not None and not all(p.strategies for p in players.values()):
        players = None  # the checks below need every player's strategies
    mask = None
    if players is not None and infeasible is not None:
        mask = _check_infeasible(infeasible, players, issues)
    if players is not None and status_quo is not None:
        _check_status_quo(status_quo, players, mask, issues)
    types_failed = "types" not in absent and types is None  # its names are unknown then
    if players is not None and parameters is not None and payoffs is not None and not types_failed:
        names = expression_names(parameters, players, types)
        issues += _check_payoffs(payoffs, players, names, mask)
    issues += check_sequential(sections, absent)
    issues += check_analyses(sections, absent, mask)
    return issues


# -- players and parameters ----------------------------------------------------------------------


def _check_players(players: Mapping[str, Player], has_tree: bool = False,
                   payoffs_known: bool = True) -> list[Issue]:
    issues = []
    for pid, player in players.items():
        if pid in RESERVED_PAYOFF_KEYS:
            issues.append(Issue(("players",), f"{pid!r} is reserved for a payoff form and "
                                "cannot be a player id", key=pid))
        if has_tree:
            if player.strategies:
                issues.append(Issue(("players", pid, "strategies"), "with payoffs as a tree the "
                                    "moves are in the tree; remove the strategies"))
            continue
        if not player.strategies:
            if payoffs_known:
                issues.append(Issue(("players", pid), "missing required key 'strategies'"))
            continue
        issues += _check_attributes(pid, player)
    return issues


def _check_attributes(pid: str, player: Player) -> list[Issue]:
    strategies = player.strategies
    counts: dict[str, int] = {}
    for strategy in strategies.values():
        for name in strategy.attributes:
            counts[name] = counts.get(name, 0) + 1
    first = next(iter(strategies.values()))
    n = len(strategies)
    # The expected names are those most strategies agree on; on a tie, the first strategy's.
    expected = [
        name for name, c in counts.items()
        if 2 * c > n or (2 * c == n and name in first.attributes)
    ]
    issues = []
    for sid, strategy in strategies.items():
        path = ("players", pid, "strategies", sid, "attributes")
        for name in strategy.attributes:
            if name in strategies:
                issues.append(Issue(path, f"attribute {name!r} has the name of a strategy of "
                                    f"{pid!r}; attribute names must differ from strategy ids",
                                    key=name))
            elif name not in expected:
                issues.append(Issue(path, f"unknown name {name!r}{did_you_mean(name, expected)}",
                                    key=name))
        missing = [name for name in expected if name not in strategy.attributes]
        if missing:
            names = ", ".join(repr(m) for m in missing)
            word = "attribute" if len(missing) == 1 else "attributes"
            target = path if strategy.attributes else path[:-1]
            issues.append(Issue(target, f"missing {word} {names} (every strategy of {pid!r} "
                                "needs the same attributes)"))
    return issues


def _check_parameters(parameters: Mapping[str, Any], players: Mapping[str, Player] | None
                      ) -> list[Issue]:
    issues = []
    for name, parameter in parameters.items():
        if name in FUNCTIONS:
            issues.append(Issue(("parameters",), f"{name!r} is the name of a function and "
                                "cannot be a parameter name", key=name))
        if players is not None and name in players:
            issues.append(Issue(("parameters",), f"{name!r} is a player id and cannot be a "
                                "parameter name", key=name))
        path = ("parameters", name)
        lo, hi, value = parameter.min, parameter.max, parameter.value
        if lo is not None and hi is not None and lo > hi:
            issues.append(Issue((*path, "min"), f"min ({lo:g}) is greater than max ({hi:g})"))
        elif lo is not None and value < lo:
            issues.append(Issue((*path, "value"), f"value {value:g} is below min ({lo:g})"))
        elif hi is not None and value > hi:
            issues.append(Issue((*path, "value"), f"value {value:g} is above max ({hi:g})"))
        if players is not None and parameter.direction:
            for pid in parameter.direction:
                if pid not in players:
                    issues.append(Issue((*path, "direction"), f"unknown player {pid!r}"
                                        f"{did_you_mean(pid, list(players))}", key=pid))
    return issues


# -- profiles ------------------------------------------------------------------------------------


def profile_indices(
    profile: Mapping[str, str] | Sequence[str],
    players: Mapping[str, Player],
    path: Path,
    issues: list[Issue],
    *,
    partial: bool = False,
) -> tuple[int | None, ...] | None:
    """A profile as strategy indices (``None`` for a player a partial pattern leaves out).

    Problems are appended to ``issues``; the result is ``None`` if there were any.
    """
    ids = list(players)
    before = len(issues)
    indices: list[int | None] = [None] * len(ids)
    if isinstance(profile, Mapping):
        for pid, sid in profile.items():
            if pid not in players:
                issues.append(Issue(path, f"unknown player {pid!r}{did_you_mean(pid, ids)}",
                                    key=pid))
                continue
            indices[ids.index(pid)] = _strategy_index(pid, sid, players, (*path, pid), issues)
        if not partial:
            missing = [pid for pid in ids if pid not in profile]
            if missing:
                issues.append(Issue(path, "missing the strategy of "
                                    + ", ".join(repr(m) for m in missing)))
    else:
        if len(profile) != len(ids):
            issues.append(Issue(path, f"expected one strategy per player ({len(ids)}: "
                                f"{', '.join(ids)}), got {len(profile)}"))
        else:
            for k, (pid, sid) in enumerate(zip(ids, profile)):
                indices[k] = _strategy_index(pid, sid, players, (*path, k), issues)
    if len(issues) > before:
        return None
    return tuple(indices)


def _strategy_index(pid: str, sid: str, players: Mapping[str, Player], path: Path,
                    issues: list[Issue]) -> int | None:
    strategies = list(players[pid].strategies)
    if sid not in strategies:
        issues.append(Issue(path, f"unknown strategy {sid!r} of player {pid!r}"
                            f"{did_you_mean(sid, strategies)}"))
        return None
    return strategies.index(sid)


def feasible_mask(players: Mapping[str, Player], infeasible: Sequence[Mapping[str, str]]
                  ) -> np.ndarray:
    """``True`` for each profile that can happen; assumes the patterns were checked."""
    shape = tuple(len(p.strategies) for p in players.values())
    mask = np.ones(shape, dtype=bool)
    for pattern in infeasible:
        indices = profile_indices(pattern, players, (), [], partial=True)
        if indices is not None:
            mask[tuple(slice(None) if k is None else k for k in indices)] = False
    return mask


def _check_infeasible(infeasible: Sequence[Mapping[str, str]], players: Mapping[str, Player],
                      issues: list[Issue]) -> np.ndarray | None:
    before = len(issues)
    for k, pattern in enumerate(infeasible):
        if not pattern:
            issues.append(Issue(("infeasible", k), "an empty pattern would make every profile "
                                "infeasible"))
            continue
        profile_indices(pattern, players, ("infeasible", k), issues, partial=True)
    if len(issues) > before:
        return None
    mask = feasible_mask(players, infeasible)
    if not mask.any():
        issues.append(Issue(("infeasible",), "every profile is infeasible"))
        return None
    return mask


def _check_status_quo(status_quo: Any, players: Mapping[str, Player], mask: np.ndarray | None,
                      issues: list[Issue]) -> None:
    indices = profile_indices(status_quo, players, ("status_quo",), issues)
    if indices is not None and mask is not None and not mask[indices]:
        issues.append(Issue(("status_quo",), "the status quo is an infeasible profile"))


# -- payoffs -------------------------------------------------------------------------------------


def _check_payoffs(payoffs: Any, players: Mapping[str, Player], names: Names,
                   mask: np.ndarray | None) -> list[Issue]:
    issues: list[Issue] = []
    if isinstance(payoffs, MatrixPayoffs):
        cells = payoffs.matrix
        _check_player_keys(cells, players, ("payoffs", "matrix"), issues)
        shape = tuple(len(p.strategies) for p in players.values())
        for pid, nested in cells.items():
            if pid in players:
                _check_cells(nested, shape, list(players), players,
                             ("payoffs", "matrix", pid), names, issues)
    elif isinstance(payoffs, TablePayoffs):
        _check_table(payoffs, players, names, mask, issues)
    elif isinstance(payoffs, RankingPayoffs):
        _check_ranking(payoffs, players, mask, issues)
    elif isinstance(payoffs, TreePayoffs):
        pass  # checked with the other tree sections (negsim.scenario.sequential)
    else:
        _check_player_keys(payoffs, players, ("payoffs",), issues)
        for pid, expression in payoffs.items():
            if pid in players:
                _check_expression(expression, names, ("payoffs", pid), issues)
    return issues


def _check_player_keys(mapping: Mapping[str, Any], players: Mapping[str, Player], path: Path,
                       issues: list[Issue]) -> None:
    ids = list(players)
    for pid in mapping:
        if pid not in players:
            issues.append(Issue(path, f"unknown player {pid!r}{did_you_mean(pid, ids)}", key=pid))
    missing = [pid for pid in ids if pid not in mapping]
    if missing:
        issues.append(Issue(path, "missing the payoffs of " + ", ".join(repr(m) for m in missing)))


def _check_expression(expression: Any, names: Names, path: Path, issues: list[Issue]) -> None:
    try:
        compile_expression(expression, names)
    except ExpressionError as exc:
        issues.append(expression_issue(path, exc))


def _check_cells(nested: Any, shape: tuple[int, ...], ids: list[str],
                 players: Mapping[str, Player], path: Path, names: Names,
                 issues: list[Issue]) -> None:
    depth = len(path) - 3  # path is payoffs.matrix.<player>[i][j]...
    if not shape:
        if isinstance(nested, list):
            issues.append(Issue(path, f"expected a number or an expression, got a list "
                                f"(nested deeper than the {len(ids)} players)"))
        else:
            _check_expression(nested, names, path, issues)
        return
    pid = ids[depth]
    if not isinstance(nested, list):
        issues.append(Issue(path, f"expected a list of {shape[0]} entries, one per strategy of "
                            f"{pid!r}, got {_kind(nested)}"))
        return
    if len(nested) != shape[0]:
        strategies = ", ".join(players[pid].strategies)
        issues.append(Issue(path, f"expected {shape[0]} entries (one per strategy of {pid!r}: "
                            f"{strategies}), got {len(nested)}"))
        return
    for k, item in enumerate(nested):
        _check_cells(item, shape[1:], ids, players, (*path, k), names, issues)


def _kind(value: Any) -> str:
    return "an expression" if isinstance(value, str) else f"the number {value!r}"


def _check_table(payoffs: TablePayoffs, players: Mapping[str, Player], names: Names,
                 mask: np.ndarray | None, issues: list[Issue]) -> None:
    ids = list(players)
    seen: dict[tuple, int] = {}
    for k, row in enumerate(payoffs.table):
        path = ("payoffs", "table", k)
        indices = profile_indices(row.profile, players, (*path, "profile"), issues)
        if indices is not None:
            if indices in seen:
                issues.append(Issue((*path, "profile"), f"profile listed twice (also in item "
                                    f"{seen[indices]})"))
            seen.setdefault(indices, k)
        values = row.payoffs
        if isinstance(values, list):
            if len(values) != len(ids):
                issues.append(Issue((*path, "payoffs"), f"expected one payoff per player "
                                    f"({len(ids)}: {', '.join(ids)}), got {len(values)}"))
                continue
            for i, value in enumerate(values):
                _check_expression(value, names, (*path, "payoffs", i), issues)
        else:
            _check_player_keys(values, players, (*path, "payoffs"), issues)
            for pid, value in values.items():
                if pid in players:
                    _check_expression(value, names, (*path, "payoffs", pid), issues)
    if mask is not None:
        _check_coverage(set(seen), players, mask, ("payoffs", "table"), "the table", issues)


def _check_coverage(seen: set[tuple], players: Mapping[str, Player], mask: np.ndarray,
                    path: Path, where: str, issues: list[Issue]) -> None:
    shape = mask.shape
    missing = [p for p in product(*(range(m) for m in shape)) if mask[p] and p not in seen]
    if missing:
        strategies = [list(p.strategies) for p in players.values()]
        shown = ", ".join(
            "(" + ", ".join(strategies[i][k] for i, k in enumerate(p)) + ")" for p in missing[:5]
        )
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        issues.append(Issue(path, f"{where} misses {len(missing)} feasible "
                            f"profile{'s' if len(missing) > 1 else ''}: {shown}{more}"))


def _check_ranking(payoffs: RankingPayoffs, players: Mapping[str, Player],
                   mask: np.ndarray | None, issues: list[Issue]) -> None:
    _check_player_keys(payoffs.ranking, players, ("payoffs", "ranking"), issues)
    for pid, items in payoffs.ranking.items():
        if pid not in players:
            continue
        path = ("payoffs", "ranking", pid)
        seen: dict[tuple, int] = {}
        for level, outcomes in enumerate(ranking_levels(items)):
            for k_path, outcome in outcomes:
                where = (*path, *k_path)
                if isinstance(outcome, str):
                    issues.append(Issue(where, "a tie mixes profiles and strategy ids; write "
                                        "each tied profile as a mapping or a list"))
                    continue
                indices = profile_indices(outcome, players, where, issues)
                if indices is None:
                    continue
                if indices in seen:
                    issues.append(Issue(where, "profile ranked twice"))
                seen.setdefault(indices, level)
        if mask is not None:
            _check_coverage(set(seen), players, mask, path, f"the ranking of {pid!r}", issues)


def ranking_levels(items: Sequence[Any]) -> list[list[tuple[tuple, Any]]]:
    """The outcomes of a ranking grouped by level, best first, each with its position.

    A mapping or a list of strategy ids is one outcome; a list of profiles is a tie.
    """
    levels = []
    for k, item in enumerate(items):
        if isinstance(item, list) and item and not all(isinstance(x, str) for x in item):
            levels.append([((k, j), x) for j, x in enumerate(item)])
        else:
            levels.append([((k,), item)])
    return levels
