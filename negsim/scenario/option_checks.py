"""Checks of option-form scenarios that relate one part to another, and the state space they
describe.

Every option named in a rule, a pattern, a statement or a status quo exists (with a
did-you-mean); option ids are unique and differ from parameter names; patterns have one letter
per option; rankings list every feasible state once; statements parse (a problem is placed at
its column inside the statement); payoff expressions name only parameters and options; some
state is feasible. Like :mod:`negsim.scenario.checks`, each check reports every problem as an
:class:`~negsim.scenario.issues.Issue` and skips what depends on a section that is missing or
failed the schema (``None``).

The helpers here (:func:`option_layout`, :func:`infeasible_patterns`, :func:`feasible_states`,
:func:`state_code`) are also what the compile stage builds its conflict from, so the file and
the analysis agree on which states exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import did_you_mean
from negsim.scenario.checks import _check_parameters
from negsim.scenario.expr import FUNCTIONS, ExpressionError, Names, compile_expression
from negsim.scenario.issues import Issue
from negsim.scenario.statements import StatementError, parse_statement
from negsim.scenario.yamltree import Path

__all__ = [
    "MAX_OPTIONS",
    "MAX_STATES",
    "OPTION_SECTIONS",
    "OptionLayout",
    "check_option_scenario",
    "feasible_states",
    "infeasible_patterns",
    "option_layout",
    "option_names",
    "state_code",
]

#: Most options of an option-form scenario (2**16 combinations before infeasibility).
MAX_OPTIONS = 16
#: Most feasible states of an option-form scenario: the analysis compares every pair of states.
MAX_STATES = 1024
#: The sections of an option-form scenario that the checks read.
OPTION_SECTIONS = ("parameters", "players", "preferences", "infeasible", "irreversible", "status_quo")

#: A set of states given by some options' values: (bits that must match, their values).
Pattern = tuple[int, int]


@dataclass(frozen=True)
class OptionLayout:
    """The options in order (players in order, each one's options in order) and who owns each."""

    option_ids: tuple[str, ...]
    owners: tuple[str, ...]

    @property
    def n_options(self) -> int:
        return len(self.option_ids)

    def bit(self, option: str) -> int:
        return 1 << self.option_ids.index(option)


def option_layout(players: Mapping[str, Any]) -> OptionLayout:
    ids: list[str] = []
    owners: list[str] = []
    for pid, player in players.items():
        for o in player.options:
            ids.append(o)
            owners.append(pid)
    return OptionLayout(tuple(ids), tuple(owners))


def option_names(parameters: Mapping[str, Any], players: Mapping[str, Any]) -> Names:
    """What a payoff expression may name: parameters, option ids, and ``player.option``."""
    layout = option_layout(players)
    return Names(
        frozenset(parameters) | frozenset(layout.option_ids),
        {pid: (frozenset(), frozenset(player.options)) for pid, player in players.items()},
    )


def infeasible_patterns(infeasible: Sequence[Any], layout: OptionLayout) -> list[Pattern]:
    """Every infeasible item as patterns ``(mask, value)``: a state is infeasible when
    ``state & mask == value`` for one of them. Assumes the items were checked."""
    out: list[Pattern] = []
    for item in infeasible:
        if isinstance(item, str):
            mask = sum(1 << k for k, c in enumerate(item) if c != "-")
            value = sum(1 << k for k, c in enumerate(item) if c == "Y")
            out.append((mask, value))
            continue
        if item.pattern is not None:
            mask = sum(layout.bit(o) for o in item.pattern)
            value = sum(layout.bit(o) for o, v in item.pattern.items() if v == "Y")
            out.append((mask, value))
            continue
        bits = [layout.bit(o) for o in (item.mutually_exclusive or item.at_least_one or item.exactly_one)]
        if item.mutually_exclusive is not None or item.exactly_one is not None:
            out += [(a | b, a | b) for n, a in enumerate(bits) for b in bits[n + 1 :]]
        if item.at_least_one is not None or item.exactly_one is not None:
            out.append((sum(bits), 0))
    return out


def feasible_states(n_options: int, patterns: Sequence[Pattern]) -> np.ndarray:
    """The decimal codes of the states no pattern excludes, in increasing order."""
    codes = np.arange(1 << n_options, dtype=np.int64)
    keep = np.ones(len(codes), dtype=bool)
    for mask, value in patterns:
        keep &= (codes & mask) != value
    return codes[keep]


def state_code(ref: Any, layout: OptionLayout) -> int:
    """A state given as a decimal code, a ``Y``/``N`` text or the option ids taken; assumes it
    was checked."""
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        return sum(1 << k for k, c in enumerate(ref) if c == "Y")
    return sum(layout.bit(o) for o in ref)


def _state_issues(ref: Any, layout: OptionLayout, path: Path) -> list[Issue]:
    n = layout.n_options
    if isinstance(ref, int):
        if ref >= 1 << n:
            return [
                Issue(
                    path,
                    f"state {ref} does not exist: with {n} options the codes run from 0 to {(1 << n) - 1}",
                )
            ]
        return []
    if isinstance(ref, str):
        if len(ref) != n:
            return [
                Issue(
                    path,
                    f"{ref!r} has {len(ref)} letters; a state has one Y or N per option "
                    f"({n}: {', '.join(layout.option_ids)})",
                )
            ]
        return []
    issues = []
    for k, o in enumerate(ref):
        if o not in layout.option_ids:
            issues.append(
                Issue((*path, k), f"unknown option {o!r}{did_you_mean(o, list(layout.option_ids))}")
            )
    return issues


def _shown(code: int, layout: OptionLayout) -> str:
    return "".join("Y" if code >> k & 1 else "N" for k in range(layout.n_options))


def check_option_scenario(sections: Any) -> list[Issue]:
    """Every cross-reference problem of an option-form scenario (or of an object with the same
    sections; a section that is ``None`` or missing is skipped)."""
    issues: list[Issue] = []
    players = getattr(sections, "players", None)
    parameters = getattr(sections, "parameters", None)
    preferences = getattr(sections, "preferences", None)
    infeasible = getattr(sections, "infeasible", None)
    irreversible = getattr(sections, "irreversible", None)
    status_quo = getattr(sections, "status_quo", None)
    if parameters is not None:
        issues += _check_parameters(parameters, players)
    if players is None:
        return issues
    layout = option_layout(players)
    before = len(issues)
    _check_options(players, layout, parameters, issues)
    options_ok = len(issues) == before
    if preferences is not None:
        for pid in preferences:
            if pid not in players:
                issues.append(
                    Issue(
                        ("preferences",), f"unknown player {pid!r}{did_you_mean(pid, list(players))}", key=pid
                    )
                )
        missing = [pid for pid in players if pid not in preferences]
        if missing:
            issues.append(
                Issue(("preferences",), "missing the preferences of " + ", ".join(repr(m) for m in missing))
            )
    if not options_ok:
        return issues
    if irreversible is not None:
        for o in irreversible:
            if o not in layout.option_ids:
                issues.append(
                    Issue(
                        ("irreversible",),
                        f"unknown option {o!r}{did_you_mean(o, list(layout.option_ids))}",
                        key=o,
                    )
                )
    states = None
    if infeasible is not None:
        before = len(issues)
        _check_infeasible(infeasible, layout, issues)
        if len(issues) == before:
            states = feasible_states(layout.n_options, infeasible_patterns(infeasible, layout))
            if len(states) == 0:
                issues.append(Issue(("infeasible",), "every state is infeasible"))
                states = None
            elif len(states) > MAX_STATES:
                issues.append(
                    Issue(
                        ("infeasible",) if infeasible else ("players",),
                        f"{len(states):,} feasible states; negsim analyses at most "
                        f"{MAX_STATES:,} (fewer options, or more infeasible states)",
                    )
                )
                states = None
    feasible = set(states.tolist()) if states is not None else None
    if status_quo is not None:
        found = _state_issues(status_quo, layout, ("status_quo",))
        issues += found
        if not found and feasible is not None:
            code = state_code(status_quo, layout)
            if code not in feasible:
                issues.append(
                    Issue(
                        ("status_quo",), f"the status quo {_shown(code, layout)} (state {code}) is infeasible"
                    )
                )
    if preferences is not None:
        for pid, prefs in preferences.items():
            if pid in players:
                _check_preferences(pid, prefs, layout, parameters, players, feasible, issues)
    return issues


def _check_options(
    players: Mapping[str, Any],
    layout: OptionLayout,
    parameters: Mapping[str, Any] | None,
    issues: list[Issue],
) -> None:
    seen: dict[str, str] = {}
    for pid, player in players.items():
        for o in player.options:
            if o in seen:
                issues.append(
                    Issue(
                        ("players", pid, "options"),
                        f"option {o!r} is already an option of "
                        f"{seen[o]!r}; option ids are unique across players",
                        key=o,
                    )
                )
            seen.setdefault(o, pid)
            if parameters is not None and o in parameters:
                issues.append(
                    Issue(
                        ("players", pid, "options"),
                        f"{o!r} is both an option and a parameter; "
                        "rename one (both are names in payoff expressions)",
                        key=o,
                    )
                )
            if o in FUNCTIONS:
                issues.append(
                    Issue(
                        ("players", pid, "options"),
                        f"{o!r} is the name of a function and cannot be an option id",
                        key=o,
                    )
                )
    if layout.n_options > MAX_OPTIONS:
        issues.append(
            Issue(
                ("players",), f"{layout.n_options} options; an option-form scenario has at most {MAX_OPTIONS}"
            )
        )


def _check_infeasible(infeasible: Sequence[Any], layout: OptionLayout, issues: list[Issue]) -> None:
    ids = list(layout.option_ids)
    for k, item in enumerate(infeasible):
        path: Path = ("infeasible", k)
        if isinstance(item, str):
            if len(item) != layout.n_options:
                issues.append(
                    Issue(
                        path,
                        f"pattern {item!r} has {len(item)} letters; expected one Y, N or - "
                        f"per option ({layout.n_options}: {', '.join(ids)})",
                    )
                )
            elif set(item) == {"-"}:
                issues.append(Issue(path, "a pattern of - only would make every state infeasible"))
            continue
        for key in ("mutually_exclusive", "at_least_one", "exactly_one", "pattern"):
            named = getattr(item, key)
            if named is None:
                continue
            for j, o in enumerate(named):
                if o not in layout.option_ids:
                    where = (*path, key) if key == "pattern" else (*path, key, j)
                    issues.append(
                        Issue(
                            where,
                            f"unknown option {o!r}{did_you_mean(o, ids)}",
                            key=o if key == "pattern" else None,
                        )
                    )
            if key != "pattern" and len(set(named)) != len(named):
                issues.append(Issue((*path, key), "an option is listed twice"))


def _check_preferences(
    pid: str,
    prefs: Any,
    layout: OptionLayout,
    parameters: Mapping[str, Any] | None,
    players: Mapping[str, Any],
    feasible: set[int] | None,
    issues: list[Issue],
) -> None:
    path: Path = ("preferences", pid)
    if prefs.statements is not None:
        for j, text in enumerate(prefs.statements):
            try:
                parse_statement(text, layout.option_ids)
            except StatementError as exc:
                issues.append(
                    Issue(
                        (*path, "statements", j),
                        str(exc),
                        # A problem at the end is placed at the last character.
                        offset=min(exc.column - 1, len(text.rstrip()) - 1),
                        unplaced=f"{exc.message}{exc.hint}",
                    )
                )
    elif prefs.ranking is not None:
        seen: dict[int, int] = {}
        for k, item in enumerate(prefs.ranking):
            members = item if isinstance(item, list) else [item]
            for j, ref in enumerate(members):
                where: Path = (*path, "ranking", k, j) if isinstance(item, list) else (*path, "ranking", k)
                found = _state_issues(ref, layout, where)
                if found:
                    issues += found
                    continue
                code = state_code(ref, layout)
                if feasible is not None and code not in feasible:
                    issues.append(Issue(where, f"state {_shown(code, layout)} ({code}) is infeasible"))
                elif code in seen:
                    issues.append(
                        Issue(
                            where,
                            f"state {_shown(code, layout)} ({code}) is ranked twice (also "
                            f"in item {seen[code]})",
                        )
                    )
                seen.setdefault(code, k)
        if feasible is not None:
            missing = sorted(feasible - set(seen))
            if missing:
                shown = ", ".join(f"{_shown(s, layout)} ({s})" for s in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                issues.append(
                    Issue(
                        (*path, "ranking"),
                        f"the ranking misses {len(missing)} feasible "
                        f"state{'s' if len(missing) > 1 else ''}: {shown}{more}",
                    )
                )
    elif prefs.payoff is not None and parameters is not None:
        try:
            compile_expression(prefs.payoff, option_names(parameters, players))
        except ExpressionError as exc:
            issues.append(Issue((*path, "payoff"), str(exc)))
