"""Declarations to arguments: a scenario's ``bargaining`` and ``repeated`` sections (and changes
made to them from the command line or Python) as the arguments of
:func:`negsim.bargaining.analyze_bargaining` and :func:`negsim.repeated.repeated_play`.

:func:`bargaining_terms` and :func:`repeated_terms` merge the changes over the scenario's
section, check the result as the scenario format does, and compile its expressions once;
``terms.at(values)`` evaluates them at one point (``terms.columns(arrays)`` at many, for
sweeps), checking each value again. A problem is reported where its value came from: at the
file's line and column for a declaration, by the API keyword (``powers``, ``discount``, ...)
for a change, which the command line names by its option.

Changes take the file's shapes (``{"turkey": 0.6, "us": 0.4}``) or Python's: a sequence in
player order, one power for the first of two players, a player's index for ``first``, strategy
indices for profiles.

>>> from negsim.compile import load_source
>>> source = load_source("prisoners-dilemma")
>>> terms = repeated_terms(source.scenario, stage_game(source.scenario, source.game),
...                        {"cooperation": [["cooperate", "cooperate"]]})
>>> terms.at({})["cooperation"]
((0, 0),)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np
from pydantic import ValidationError

from negsim.bargaining.analysis import BargainingAnalysis, analyze_bargaining
from negsim.bargaining.disagreement import Disagreement, given_point
from negsim.bargaining.numeric import fmt
from negsim.compile.matrix import compile_matrix
from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.repeated.play import RepeatedPlay, cooperative_outcomes, repeated_play
from negsim.scenario.bargaining import Bargaining, DisagreementPoint, Repeated
from negsim.scenario.bargaining_checks import check_analyses, value_rules
from negsim.scenario.expr import CompiledExpression, NameKey, Names, compile_expression
from negsim.scenario.issues import Issue, issues_from_validation, to_problem
from negsim.scenario.loader import sort_problems
from negsim.scenario.schema import Scenario
from negsim.solve.verify import exact_payoffs_of

__all__ = [
    "BARGAINING_KEYS",
    "REPEATED_KEYS",
    "BargainingTerms",
    "RepeatedTerms",
    "bargain_at",
    "bargaining_terms",
    "relocate",
    "repeated_at",
    "repeated_terms",
    "stage_game",
]

#: The keywords of a bargaining declaration (scenario keys and API arguments alike).
BARGAINING_KEYS = (
    "agreements",
    "disagreement",
    "powers",
    "discount",
    "rates",
    "period",
    "first",
    "outside_options",
    "breakdown",
)
#: The keywords of a repeated-play declaration.
REPEATED_KEYS = ("cooperation", "punishment", "discount", "rounds")
_OFFER_KEYS = ("discount", "rates", "period", "first", "outside_options", "breakdown")


def stage_game(scenario: Scenario | None, game: ParametricGame) -> ParametricGame:
    """The game bargaining and repeated play are about: for a scenario with strategies, its
    simultaneous game (a move order is set aside: the players bargain over, or repeat, the
    outcomes of their strategies); otherwise ``game`` (a tree's strategic form, a Gambit file)."""
    if scenario is not None and scenario.tree is None and scenario.types is None and scenario.timing:
        return compile_matrix(scenario)
    return game


# -- where problems are reported ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Origin:
    """Where a section's values came from: the file (``scenario``) or the caller (``changed``)."""

    section: str
    scenario: Scenario | None
    changed: frozenset[str]

    def problem(self, path: Sequence[str | int], message: str, key: str | None = None) -> Problem:
        """A problem at ``path`` inside the section (``key``: a misspelt key in the mapping there,
        which the message names)."""
        head = str(path[0]) if path else (key or "")
        if head in self.changed or self.scenario is None or not self.scenario.origin:
            rest = _dotted(path[1:])
            return Problem((f"{rest}: " if rest else "") + message, path=head or self.section)
        issue = Issue((self.section, *path), message, key=key)
        return to_problem(issue, self.scenario._marks, self.scenario.origin)


def _dotted(path: Sequence[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def relocate(error: InputError, terms: BargainingTerms | RepeatedTerms) -> InputError:
    """``error`` raised by an analysis, with each problem about a declared keyword (``powers``,
    ``disagreement.equilibrium``, ``discount[0]``) placed where that value came from."""
    keys = BARGAINING_KEYS if isinstance(terms, BargainingTerms) else REPEATED_KEYS
    problems = []
    for p in error.problems:
        head = p.path.split(".")[0].split("[")[0]
        if p.file or head not in keys:
            problems.append(p)
            continue
        tail = p.path[len(head) :].lstrip(".")
        path: list[str | int] = [head, *([tail] if tail else [])]
        problems.append(terms.origin.problem(path, p.message))
    return InputError(problems)


# -- changes in the file's shapes ---------------------------------------------------------------


def _per_player(value: Any, players: Sequence[str], *, single: bool = False) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if (
        single
        and isinstance(value, (int, float, Fraction))
        and not isinstance(value, bool)
        and len(players) == 2
    ):
        return {players[0]: float(value), players[1]: 1 - float(value)}
    if isinstance(value, (list, tuple)):
        return {
            p: (float(v) if isinstance(v, (int, float, Fraction)) and not isinstance(v, bool) else v)
            for p, v in zip(players, value)
            if v is not None
        }
    return value


def _profile(value: Any, game: Game) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (list, tuple)) and all(
        isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in value
    ):
        if len(value) == game.n_players and all(0 <= k < m for k, m in zip(value, game.shape)):
            return [game.strategies[i][int(k)] for i, k in enumerate(value)]
    return list(value) if isinstance(value, tuple) else value


def _profiles(value: Any, game: Game) -> Any:
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, (list, tuple, Mapping)) for v in value)
    ):
        return [_profile(v, game) for v in value]
    if isinstance(value, (list, tuple)) and not value:
        return []
    return [_profile(value, game)]


def _number(value: Any) -> Any:
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return float(value)
    return value


def _bargaining_change(key: str, value: Any, game: Game) -> Any:
    players = game.players
    if key == "disagreement":
        if isinstance(value, Mapping):
            point = dict(value)
            if isinstance(point.get("equilibrium"), (list, tuple)):
                point["equilibrium"] = dict(zip(players, _profile(point["equilibrium"], game)))
            if isinstance(point.get("outcome"), (list, tuple)):
                point["outcome"] = _profile(point["outcome"], game)
            if isinstance(point.get("payoffs"), (list, tuple)):
                point["payoffs"] = _per_player(point["payoffs"], players)
            return point
        if isinstance(value, (list, tuple)):
            return {"payoffs": _per_player(value, players)}
        return value
    if key in ("powers",):
        return _per_player(value, players, single=True)
    if key in ("discount", "rates", "outside_options"):
        return _per_player(value, players)
    if key == "first" and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return players[int(value)] if 0 <= value < len(players) else str(value)
    if key in ("period", "breakdown"):
        return _number(value)
    return value


def _repeated_change(key: str, value: Any, game: Game) -> Any:
    if key == "cooperation":
        return _profiles(value, game)
    if key == "punishment":
        if isinstance(value, Mapping) and value and not all(isinstance(v, str) for v in value.values()):
            return {p: _profile(v, game) for p, v in value.items()}
        if (
            isinstance(value, (list, tuple))
            and value
            and all(isinstance(v, (list, tuple, Mapping)) for v in value)
        ):
            return {p: _profile(v, game) for p, v in zip(game.players, value)}
        return _profile(value, game)
    if key == "discount":
        return _per_player(value, game.players)
    return value


# -- checking a merged section ------------------------------------------------------------------


def _namespace(scenario: Scenario | None, game: ParametricGame, section: str, model: Any) -> SimpleNamespace:
    """The sections :func:`check_analyses` reads, for the game actually analysed."""
    players = {
        pid: SimpleNamespace(strategies={s: None for s in strategies})
        for pid, strategies in zip(game.players, game.strategies)
    }
    parameters = (
        scenario.parameters
        if scenario is not None
        else {name: SimpleNamespace(value=value) for name, value in game.defaults.items()}
    )
    status_quo = None
    if game.status_quo is not None:
        status_quo = [game.strategies[i][k] for i, k in enumerate(game.status_quo)]
    return SimpleNamespace(
        players=players,
        parameters=parameters,
        payoffs=None,
        types=None,
        status_quo=status_quo,
        **{section: model},
    )


def _validated(
    model: type[Bargaining] | type[Repeated],
    data: dict[str, Any],
    origin: _Origin,
    scenario: Scenario | None,
    game: ParametricGame,
) -> Any:
    try:
        section = model.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            sort_problems(
                origin.problem(i.path, i.message, i.key) for i in issues_from_validation(exc, model)
            )
        ) from None
    namespace = _namespace(scenario, game, origin.section, section)
    absent = {"status_quo"} if namespace.status_quo is None else set()
    feasible = None if game.infeasible is None else ~np.asarray(game.infeasible)
    issues = check_analyses(
        namespace, absent, feasible if feasible is not None else np.ones(game.shape, dtype=bool)
    )
    if issues:
        raise InputError(sort_problems(origin.problem(i.path[1:], i.message, i.key) for i in issues))
    return section


# -- bargaining -------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BargainingTerms:
    """A checked bargaining declaration with its expressions compiled.

    :meth:`at` gives the keyword arguments of :func:`negsim.bargaining.analyze_bargaining` at
    one point; ``notes`` say which defaults were taken.
    """

    section: Bargaining
    game: ParametricGame
    origin: _Origin
    expressions: dict[tuple[str, ...], CompiledExpression]
    declared: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def offers(self) -> bool:
        """Alternating offers are asked for."""
        return bool({"discount", "rates", "breakdown"} & self.section.model_fields_set)

    def _value(self, key: tuple[str, ...], rule: str, env: Mapping[str, np.ndarray]) -> np.ndarray:
        return checked_values(
            self.expressions[key], rule, env, lambda message: self.origin.problem(list(key), message)
        )

    def columns(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Each declared number at many points (arrays of the parameters' values), checked:
        ``powers``, ``discount`` (from ``rates`` too), ``outside_options`` and ``payoffs`` as
        ``(points, players)`` arrays (NaN for an outside option left out), ``breakdown`` as
        ``(points,)``."""
        env = {name: np.asarray(v, dtype=float).reshape(-1) for name, v in values.items()}
        size = max((a.size for a in env.values()), default=1)
        players = self.game.players
        s = self.section
        out: dict[str, np.ndarray] = {}

        def per_player(name: str, rule: str) -> np.ndarray:
            table = np.full((size, len(players)), np.nan)
            for i, p in enumerate(players):
                if (name, p) in self.expressions:
                    table[:, i] = np.broadcast_to(self._value((name, p), rule, env), (size,))
            return table

        if s.powers is not None:
            out["powers"] = per_player("powers", "powers")
        if s.discount is not None:
            out["discount"] = per_player("discount", "discount")
        elif s.rates is not None:
            rates = per_player("rates", "rates")
            period = (
                np.broadcast_to(self._value(("period",), "period", env), (size,))
                if s.period is not None
                else np.ones(size)
            )
            out["discount"] = np.exp(-rates * period[:, None])
        if s.outside_options is not None:
            out["outside_options"] = per_player("outside_options", "outside_options")
        if s.breakdown is not None:
            out["breakdown"] = np.broadcast_to(self._value(("breakdown",), "breakdown", env), (size,)).copy()
        d = s.disagreement
        if isinstance(d, DisagreementPoint) and d.payoffs is not None:
            table = np.full((size, len(players)), np.nan)
            for i, p in enumerate(players):
                table[:, i] = np.broadcast_to(
                    self._value(("disagreement", "payoffs", p), "payoffs", env), (size,)
                )
            out["payoffs"] = table
        return out

    def at(self, values: Mapping[str, float], game: Game | None = None) -> dict[str, Any]:
        """The keyword arguments of :func:`negsim.bargaining.analyze_bargaining` at one point
        (``game``: the game there, needed for a fallback ``outcome``)."""
        return self.arguments(self.columns({k: [v] for k, v in values.items()}), 0, game)

    def arguments(
        self, columns: Mapping[str, np.ndarray], k: int, game: Game | None = None
    ) -> dict[str, Any]:
        """The keyword arguments at point ``k`` of :meth:`columns`."""
        s = self.section
        players = self.game.players
        args: dict[str, Any] = {"agreements": s.agreements}
        d = s.disagreement
        if isinstance(d, str):
            args["disagreement"] = d
        elif d.equilibrium is not None:
            args["disagreement"] = "equilibrium"
            if isinstance(d.equilibrium, int):
                args["equilibrium"] = d.equilibrium - 1
            else:
                args["equilibrium"] = tuple(
                    self.game.strategies[i].index(d.equilibrium[p]) for i, p in enumerate(players)
                )
        elif d.outcome is not None:
            if game is None:
                raise ValueError("a fallback outcome needs the game at the point")
            args["disagreement"] = _outcome_point(game, d)
        else:
            values = [_short(v) for v in columns["payoffs"][k]]
            args["disagreement"] = given_point(values, _payoff_words(d, self.game, values))
        if "powers" in columns:
            args["powers"] = [_short(v) for v in columns["powers"][k]]
        if "discount" in columns:
            args["discount"] = [_short(v) for v in columns["discount"][k]]
        if "breakdown" in columns:
            args["breakdown"] = _short(columns["breakdown"][k])
        if "outside_options" in columns:
            args["outside_options"] = [
                None if math.isnan(v) else _short(v) for v in columns["outside_options"][k]
            ]
        if s.first is not None:
            args["first"] = players.index(s.first)
        return args


def checked_values(
    expression: CompiledExpression, rule: str, env: Mapping[str, np.ndarray], locate: Callable[[str], Problem]
) -> np.ndarray:
    """``expression`` at every point of ``env``, each value checked by ``rule`` (see
    :func:`negsim.scenario.bargaining_checks.value_rules`); the first bad one is an
    :class:`InputError` naming its value and the parameters there."""
    point_env: dict[NameKey, Any] = {k: v for k, v in env.items()}
    values = np.atleast_1d(np.asarray(expression(point_env), dtype=float))
    test, words = value_rules()[rule]
    for k, v in enumerate(values):
        if math.isfinite(v) and test(float(v)):
            continue
        at = ", ".join(
            f"{n}={float(np.atleast_1d(a)[k if np.size(a) > 1 else 0]):g}"
            for n, a in env.items()
            if n in expression.names
        )
        where = f" at {at}" if at else ""
        raise InputError(
            [locate(f"{words}; got {v:g}{where}" if math.isfinite(v) else f"is not a finite number{where}")]
        )
    return values


def _short(value: float) -> float:
    """A float as its shortest decimal (expressions give ``0.1 + 0.2``-style noise)."""
    return float(f"{value:.12g}")


def _outcome_point(game: Game, d: DisagreementPoint) -> Disagreement:
    outcome = d.outcome
    assert outcome is not None
    if isinstance(outcome, Mapping):
        profile = tuple(game.strategies[i].index(outcome[p]) for i, p in enumerate(game.players))
    else:
        profile = tuple(game.strategies[i].index(s) for i, s in enumerate(outcome))
    exact = exact_payoffs_of(game)
    payoffs = tuple(Fraction(exact[(i, *profile)]) for i in range(game.n_players))
    text = d.description or f"the fallback outcome {game.profile_label(profile)}"
    return Disagreement(
        "outcome",
        payoffs,
        text,
        tuple(tuple(Fraction(int(j == k)) for j in range(m)) for m, k in zip(game.shape, profile)),
    )


def _payoff_words(d: DisagreementPoint, game: ParametricGame, values: Sequence[float]) -> str:
    shown = ", ".join(
        f"{n} {fmt(Fraction(v).limit_denominator(10**6))}" for n, v in zip(game.player_names, values)
    )
    return f"{d.description} ({shown})" if d.description else f"the declared payoffs ({shown})"


def bargaining_terms(
    scenario: Scenario | None, game: ParametricGame, changes: Mapping[str, Any] | None = None
) -> BargainingTerms:
    """The scenario's ``bargaining`` section with ``changes`` merged over it, checked and
    compiled. Without a section the engine's defaults apply: lotteries (pure outcomes for more
    than two players) from the status quo (the security levels when there is none)."""
    changes = {k: v for k, v in (changes or {}).items() if v is not None}
    unknown = [k for k in changes if k not in BARGAINING_KEYS]
    if unknown:
        raise TypeError(f"unknown bargaining keywords: {', '.join(unknown)}")
    given = scenario.bargaining if scenario is not None else None
    data: dict[str, Any] = (
        given.model_dump(exclude_unset=True, exclude={"sources", "rationale"}) if given else {}
    )
    notes: list[str] = []
    sample = game.game()
    if given is None:
        if "agreements" not in changes and len(game.players) > 2:
            data["agreements"] = "pure"
        if "disagreement" not in changes and game.status_quo is None:
            data["disagreement"] = "maximin"
            notes.append(
                "No status quo is declared, so the disagreement point is each side's security level "
                "(maximin)."
            )
    new = {k: _bargaining_change(k, v, sample) for k, v in changes.items()}
    if "discount" in new:
        data.pop("rates", None)
        data.pop("period", None)
    if "rates" in new:
        data.pop("discount", None)
    if (
        new.get("agreements", "transfers") != "transfers"
        and "outside_options" in data
        and "outside_options" not in new
    ):
        data.pop("outside_options")
        notes.append("The declared outside options are used with side payments only; set aside here.")
    if new.get("agreements") == "pure" and not (set(_OFFER_KEYS) & set(new)):
        if set(_OFFER_KEYS) & set(data):
            notes.append(
                "Alternating offers need lotteries or side payments; with pure outcomes only they "
                "are set aside."
            )
        for key in _OFFER_KEYS:
            data.pop(key, None)
    data.update(new)
    origin = _Origin("bargaining", scenario, frozenset(new))
    section = _validated(Bargaining, data, origin, scenario, game)
    names = Names(frozenset(game.parameters), {})
    expressions: dict[tuple[str, ...], CompiledExpression] = {}
    for key in ("powers", "discount", "rates", "outside_options"):
        for p, text in (getattr(section, key) or {}).items():
            expressions[(key, p)] = compile_expression(text, names)
    for key in ("period", "breakdown"):
        if getattr(section, key) is not None:
            expressions[(key,)] = compile_expression(getattr(section, key), names)
    d = section.disagreement
    if isinstance(d, DisagreementPoint) and d.payoffs is not None:
        for p, text in d.payoffs.items():
            expressions[("disagreement", "payoffs", p)] = compile_expression(text, names)
    return BargainingTerms(section, game, origin, expressions, given is not None, tuple(notes))


# -- repeated play ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RepeatedTerms:
    """A checked repeated-play declaration; :meth:`at` gives the keyword arguments of
    :func:`negsim.repeated.repeated_play` at one point."""

    section: Repeated
    game: ParametricGame
    origin: _Origin
    expressions: dict[tuple[str, ...], CompiledExpression]
    declared: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    def profile(self, value: Any) -> tuple[int, ...]:
        if isinstance(value, Mapping):
            return tuple(self.game.strategies[i].index(value[p]) for i, p in enumerate(self.game.players))
        return tuple(self.game.strategies[i].index(s) for i, s in enumerate(value))

    @property
    def cooperation(self) -> tuple[tuple[int, ...], ...]:
        c = self.section.cooperation
        if isinstance(c, dict) or (c and all(isinstance(x, str) for x in c)):
            return (self.profile(c),)
        return tuple(self.profile(x) for x in c)

    @property
    def punishment(self) -> tuple[int, ...] | tuple[tuple[int, ...], ...] | None:
        p = self.section.punishment
        if p is None:
            return None
        if isinstance(p, dict) and p and not all(isinstance(v, str) for v in p.values()):
            return tuple(self.profile(p[pid]) for pid in self.game.players)
        return self.profile(p)

    def columns(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """The declared discount factors at many points, ``(points, players)``."""
        if self.section.discount is None:
            return {}
        env = {name: np.asarray(v, dtype=float).reshape(-1) for name, v in values.items()}
        size = max((a.size for a in env.values()), default=1)
        table = np.full((size, len(self.game.players)), np.nan)
        for i, p in enumerate(self.game.players):
            key = ("discount", p)

            def locate(message: str, key: tuple[str, ...] = key) -> Problem:
                return self.origin.problem(list(key), message)

            column = checked_values(self.expressions[key], "repeated.discount", env, locate)
            table[:, i] = np.broadcast_to(column, (size,))
        return {"discount": table}

    def at(self, values: Mapping[str, float]) -> dict[str, Any]:
        """The keyword arguments of :func:`negsim.repeated.repeated_play` at one point."""
        return self.arguments(self.columns({k: [v] for k, v in values.items()}), 0)

    def arguments(self, columns: Mapping[str, np.ndarray], k: int) -> dict[str, Any]:
        args: dict[str, Any] = {
            "cooperation": self.cooperation,
            "punishment": self.punishment,
            "rounds": self.section.rounds,
        }
        if "discount" in columns:
            args["discount"] = [_short(v) for v in columns["discount"][k]]
        return args


def repeated_terms(
    scenario: Scenario | None, game: ParametricGame, changes: Mapping[str, Any] | None = None
) -> RepeatedTerms:
    """The scenario's ``repeated`` section with ``changes`` merged over it, checked and
    compiled. Without cooperative outcomes declared, the Pareto-efficient pure outcomes that are
    not stage equilibria and give every player more than its minmax are analysed (see
    :func:`negsim.repeated.cooperative_outcomes`; chosen by the caller at each point)."""
    changes = {k: v for k, v in (changes or {}).items() if v is not None}
    unknown = [k for k in changes if k not in REPEATED_KEYS]
    if unknown:
        raise TypeError(f"unknown repeated-play keywords: {', '.join(unknown)}")
    given = scenario.repeated if scenario is not None else None
    data: dict[str, Any] = (
        given.model_dump(exclude_unset=True, exclude={"sources", "rationale"}) if given else {}
    )
    sample = game.game()
    new = {k: _repeated_change(k, v, sample) for k, v in changes.items()}
    data.update(new)
    origin = _Origin("repeated", scenario, frozenset(new))
    section = _validated(Repeated, data, origin, scenario, game)
    names = Names(frozenset(game.parameters), {})
    expressions: dict[tuple[str, ...], CompiledExpression] = {
        ("discount", p): compile_expression(text, names) for p, text in (section.discount or {}).items()
    }
    return RepeatedTerms(section, game, origin, expressions, given is not None)


# -- the analyses at one point -------------------------------------------------------------------


def bargain_at(
    scenario: Scenario | None,
    game: ParametricGame,
    overrides: Mapping[str, float] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> BargainingAnalysis:
    """The bargaining analysis of a scenario (or game) at the default parameters with
    ``overrides``, from its declarations with ``changes`` (see :func:`bargaining_terms`)."""
    stage = stage_game(scenario, game)
    terms = bargaining_terms(scenario, stage, changes)
    values = stage.values(overrides)
    at = stage.game(overrides)
    arguments = terms.at(values, at)
    try:
        result = analyze_bargaining(at, **arguments)
    except InputError as error:
        raise relocate(_numbered_from_one(error, arguments), terms) from None
    return replace(result, notes=(*terms.notes, *result.notes))


def _numbered_from_one(error: InputError, arguments: Mapping[str, Any]) -> InputError:
    """The engine counts equilibria from 0; files and options count them from 1, as ``negsim
    solve`` lists them."""
    index = arguments.get("equilibrium")
    if not isinstance(index, int):
        return error
    problems = []
    for p in error.problems:
        found = re.match(r"no equilibrium \d+: the game has (\d+)", p.message)
        if p.path == "disagreement.equilibrium" and found:
            count = int(found.group(1))
            p = replace(
                p,
                message=f"no equilibrium {index + 1}: the game has {count} (negsim solve lists them, "
                "numbered from 1)",
            )
        problems.append(p)
    return InputError(problems)


def repeated_at(
    scenario: Scenario | None,
    game: ParametricGame,
    overrides: Mapping[str, float] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> RepeatedPlay:
    """Repeated play of a scenario's (or game's) stage game at the default parameters with
    ``overrides``, from its declarations with ``changes`` (see :func:`repeated_terms`)."""
    stage = stage_game(scenario, game)
    terms = repeated_terms(scenario, stage, changes)
    at = stage.game(overrides)
    args = terms.at(stage.values(overrides))
    notes: tuple[str, ...] = ()
    if not args["cooperation"]:
        args["cooperation"] = cooperative_outcomes(at)
        notes = (
            (
                "No cooperative outcome is declared: shown are the Pareto-efficient outcomes that are not "
                "stage equilibria and give every side more than its minmax.",
            )
            if args["cooperation"]
            else ()
        )
    try:
        result = repeated_play(at, **args)
    except InputError as error:
        raise relocate(error, terms) from None
    return replace(result, notes=(*notes, *result.notes))
