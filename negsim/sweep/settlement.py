"""Sweeps of bargaining and of repeated play: two analysis kinds of the sweep engine
(:mod:`negsim.sweep.analysis`).

``bargaining`` records at each point the agreement of one bargaining solution (its outcome,
lottery or side payment, and its payoffs), computed exactly from the scenario's declarations
as :meth:`negsim.compile.source.Source.bargain` computes it; tipping points are where the
outcomes the agreement uses change ("the Nash bargaining solution switches from ... to ...
when sanction_cost rises past 0.225"). ``repeated`` records for one outcome the smallest
discount factors under every scheme of :func:`negsim.repeated.sustainability` (the best simple
penal code included) and, when the players' discount factors are declared, whether it lasts at
them; tipping points are where the verdict changes ("store / incentives starts to last when
us_patience rises past 0.7619").

Each point is one row; the columns are described in ``docs/reference/run-folder.md``. Numbers
that the declarations give as expressions of the parameters are evaluated at every point, so
discount factors, powers and the disagreement point can be swept through parameters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.bargaining.analysis import analyze_bargaining
from negsim.bargaining.problem import Agreement, bargaining_problem
from negsim.bargaining.solutions import egalitarian, kalai_smorodinsky, nash_solution, utilitarian
from negsim.compile.bargaining import (
    BargainingTerms,
    RepeatedTerms,
    bargaining_terms,
    repeated_terms,
    stage_game,
)
from negsim.errors import InputError
from negsim.game import Game, ParametricGame
from negsim.repeated.play import cooperative_outcomes, lasts_at
from negsim.repeated.trigger import SCHEMES, Scheme, Sustainability, sustainability
from negsim.scenario.issues import Issue
from negsim.sweep.analysis import AnalysisKind, Describe, Refine
from negsim.sweep.engine import ChunkResult, ChunkTask, GameRecipe
from negsim.sweep.table import _FIXED, NO_EQUILIBRIUM, encode_csv, encode_rows

__all__ = ["BARGAINING", "REPEATED", "SettlementLabels", "solve_bargaining_chunk", "solve_repeated_chunk"]

_TITLES = {
    "nash": "Nash bargaining solution",
    "kalai-smorodinsky": "Kalai-Smorodinsky solution",
    "egalitarian": "egalitarian solution",
    "utilitarian": "utilitarian solution",
    "alternating-offers": "alternating-offers agreement",
}
_NOTHING = "nothing to bargain over"


@dataclass(frozen=True)
class SettlementLabels:
    """What the table and the sentences call players, strategies and parameters, and what the
    sweep follows (``analysis``: ``bargaining`` or ``repeated``; ``follows``: the solution or
    scheme; ``changes``: the spec's changes to the scenario's declarations)."""

    analysis: str
    follows: str
    players: tuple[str, ...]
    player_names: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    strategy_names: tuple[tuple[str, ...], ...]
    parameters: tuple[str, ...]
    changes: dict[str, Any] = field(default_factory=dict)
    schemes: tuple[str, ...] = ()
    cooperation: tuple[int, ...] = ()
    discounted: bool = False

    @property
    def title(self) -> str:
        return _TITLES.get(self.follows, self.follows)

    def parameter_column(self, name: str) -> str:
        own = {"lottery", "scheme", "lasts"}
        return f"param.{name}" if name in _FIXED or name in own else name

    def _profile_columns(self) -> list[str]:
        return [
            f"p.{player}.{s}" for player, strategies in zip(self.players, self.strategies) for s in strategies
        ]

    def columns(self) -> list[str]:
        """Every column of the results table, in order."""
        head = [
            "point",
            "varied",
            *(self.parameter_column(p) for p in self.parameters),
            "equilibrium",
            "n_equilibria",
            "kind",
            "outcome",
            "equilibrium_set",
            *self._profile_columns(),
            *(f"payoff.{p}" for p in self.players),
        ]
        if self.analysis == "bargaining":
            return [
                *head,
                *(f"disagreement.{p}" for p in self.players),
                *(f"transfer.{p}" for p in self.players),
                "lottery",
            ]
        return [
            *head,
            "scheme",
            *(f"delta.{p}" for p in self.players),
            *(["lasts", *(f"discount.{p}" for p in self.players)] if self.discounted else []),
            *(f"delta.{s}.{p}" for s in self.schemes for p in self.players),
        ]

    def point_columns(self) -> list[str]:
        return ["point", "varied", *(self.parameter_column(p) for p in self.parameters)]


# -- what a worker rebuilds once --------------------------------------------------------------------

_CONTEXTS: dict[tuple[str, str], tuple[ParametricGame, Any]] = {}


def _context(recipe: GameRecipe, labels: SettlementLabels) -> tuple[ParametricGame, Any]:
    key = (recipe.key, repr((labels.analysis, sorted(labels.changes.items()))))
    found = _CONTEXTS.get(key)
    if found is None:
        scenario = recipe.scenario
        stage = stage_game(scenario, recipe.build())
        make = bargaining_terms if labels.analysis == "bargaining" else repeated_terms
        found = _CONTEXTS[key] = (stage, make(scenario, stage, labels.changes))
    return found


def _games(stage: ParametricGame, values: Mapping[str, np.ndarray]) -> list[Game]:
    payoffs = stage.evaluate(values)
    names = list(stage.parameters)
    return [
        stage.game_from_payoffs(payoffs[k], {n: float(np.asarray(values[n])[k]) for n in names})
        for k in range(payoffs.shape[0])
    ]


def _base_columns(task: ChunkTask, labels: SettlementLabels, n: int) -> tuple[dict[str, np.ndarray], str]:
    columns: dict[str, np.ndarray] = {
        "point": task.start + np.arange(n),
        "varied": task.varied if task.varied is not None else np.full(n, None, dtype=object),
    }
    for name in labels.parameters:
        columns[labels.parameter_column(name)] = np.asarray(task.values[name], dtype=float)
    return columns, encode_csv(columns, labels.point_columns())


def _result(
    task: ChunkTask,
    labels: SettlementLabels,
    columns: dict[str, np.ndarray],
    points_csv: str,
    point_sets: np.ndarray,
    sets: dict[str, Any],
    lead: np.ndarray,
) -> ChunkResult:
    n = len(point_sets)
    csv_text, json_text = encode_rows(columns, labels.columns())
    return ChunkResult(
        start=task.start,
        stop=task.start + n,
        n_rows=n,
        csv=csv_text,
        json_lines=json_text,
        points_csv=points_csv,
        point_sets=point_sets,
        sets=sets,
        lead_payoffs=lead,
        complete=True,
        columns=columns if task.keep_columns else None,
    )


# -- bargaining ---------------------------------------------------------------------------------------


def _agreement(
    game: Game, args: Mapping[str, Any], solution: str
) -> tuple[Agreement | None, tuple[Fraction, ...] | None]:
    """The solution's agreement at one point and the disagreement point; ``(None, None)`` when
    there is nothing to bargain over."""
    try:
        if solution == "alternating-offers":
            result = analyze_bargaining(game, **args)
            return result.offers_agreement, result.problem.d
        problem = bargaining_problem(
            game,
            args["disagreement"],
            agreements=args["agreements"],
            equilibrium=args.get("equilibrium", 0),
            powers=args.get("powers"),
        )
    except InputError as error:
        if any(p.message.startswith("nothing to bargain") for p in error.problems):
            return None, None
        raise
    if solution == "nash":
        return nash_solution(problem, args.get("powers")), problem.d
    if solution == "kalai-smorodinsky":
        return kalai_smorodinsky(problem), problem.d
    return (egalitarian if solution == "egalitarian" else utilitarian)(problem), problem.d


def _agreement_label(agreement: Agreement | None) -> tuple[str, tuple[str, ...]]:
    """The set label tipping points follow (the outcomes the agreement uses) and its members."""
    if agreement is None:
        return NO_EQUILIBRIUM, ()
    members = tuple(t.outcome.label for t in agreement.lottery)
    label = " + ".join(members)
    if agreement.transfers is not None and any(agreement.transfers):
        label += " with a side payment"
    return label, members


def _bargain(
    stage: ParametricGame, terms: BargainingTerms, labels: SettlementLabels, values: Mapping[str, np.ndarray]
) -> list[tuple[Agreement | None, tuple[Fraction, ...] | None]]:
    games = _games(stage, values)
    declared = terms.columns(values)
    return [
        _agreement(game, terms.arguments(declared, k, game), labels.follows) for k, game in enumerate(games)
    ]


def solve_bargaining_chunk(task: ChunkTask) -> ChunkResult:
    """One chunk of a bargaining sweep: the agreement at every point (runs in a worker)."""
    labels = task.labels
    assert isinstance(labels, SettlementLabels)
    stage, terms = _context(task.recipe, labels)
    found = _bargain(stage, terms, labels, task.values)
    agreements = [a for a, _ in found]
    n = len(agreements)
    columns, points_csv = _base_columns(task, labels, n)
    some = [a is not None for a in agreements]
    columns["equilibrium"] = np.where(some, 0, -1)
    columns["n_equilibria"] = np.asarray(some, dtype=np.int64)
    columns["kind"] = np.array(
        [
            None
            if a is None
            else ("pure" if a.pure_outcome is not None else "lottery" if len(a.lottery) > 1 else "transfer")
            for a in agreements
        ],
        dtype=object,
    )
    named = [_agreement_label(a) for a in agreements]
    columns["outcome"] = np.array(
        [None if a is None else _agreement_words(label) for a, (label, _) in zip(agreements, named)],
        dtype=object,
    )
    point_sets = np.array([label for label, _ in named], dtype=object)
    columns["equilibrium_set"] = point_sets
    sets = dict(named)
    for i, (player, strategies) in enumerate(zip(labels.players, labels.strategies)):
        for k, s in enumerate(strategies):
            columns[f"p.{player}.{s}"] = np.array(
                [
                    np.nan
                    if a is None
                    else float(sum(t.probability for t in a.lottery if t.outcome.profile[i] == k))
                    for a in agreements
                ]
            )
    width = len(labels.players)
    lead = np.array(
        [[np.nan] * width if a is None else [float(v) for v in a.payoffs] for a in agreements], dtype=float
    ).reshape(n, width)
    for i, player in enumerate(labels.players):
        columns[f"payoff.{player}"] = lead[:, i]
    for i, player in enumerate(labels.players):
        columns[f"disagreement.{player}"] = np.array([np.nan if d is None else float(d[i]) for _, d in found])
        columns[f"transfer.{player}"] = np.array(
            [np.nan if a is None or a.transfers is None else float(a.transfers[i]) for a in agreements]
        )
    columns["lottery"] = np.array(
        [
            None if a is None else "; ".join(f"{t.outcome.label} {t.probability}" for t in a.lottery)
            for a in agreements
        ],
        dtype=object,
    )
    return _result(task, labels, columns, points_csv, point_sets, sets, lead)


def _bargaining_refine(source: Any, labels: SettlementLabels, spec: Any) -> Refine:
    stage = stage_game(source.scenario, source.game)
    terms = bargaining_terms(source.scenario, stage, labels.changes)

    def refine(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, tuple[Any, ...]]]:
        named = [_agreement_label(a) for a, _ in _bargain(stage, terms, labels, values)]
        return np.array([label for label, _ in named], dtype=object), dict(named)

    return refine


def _agreement_words(label: str) -> str:
    if label == NO_EQUILIBRIUM:
        return f"no agreement ({_NOTHING})"
    side = label.endswith(" with a side payment")
    core = label.removesuffix(" with a side payment")
    parts = core.split(" + ")
    words = parts[0] if len(parts) == 1 else "a lottery of " + " and ".join(parts)
    return words + (" with a side payment" if side else "")


def _where(record: dict[str, Any]) -> str:
    value = f"{'about ' if not record['refined'] else ''}{record['value']:g}"
    line = ""
    if record["line"]:
        line = " (with " + ", ".join(f"{k} = {v:g}" for k, v in record["line"].items()) + ")"
    return f"when {record['parameter']} rises past {value}{line}"


def _bargaining_describe(
    source: Any, labels: SettlementLabels, spec: Any, base: Mapping[str, float]
) -> Describe:
    def describe(record: dict[str, Any], sets: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
        before, after = sets.get(record["from"], ()), sets.get(record["to"], ())
        record["appeared"] = [o for o in after if o not in before]
        record["disappeared"] = [o for o in before if o not in after]
        if record["kind"] == "point":
            at = record["through"] or record["from"]
            record["sentence"] = (
                f"At {record['parameter']} = {record['value']:g} exactly, the {labels.title} is "
                f"{_agreement_words(at)} (on both sides: {_agreement_words(record['from'])})."
            )
        else:
            record["sentence"] = (
                f"The {labels.title} switches from {_agreement_words(record['from'])} to "
                f"{_agreement_words(record['to'])} {_where(record)}."
            )
        return record

    return describe


# -- repeated play ----------------------------------------------------------------------------------


def _scheme_of(s: Sustainability, follows: str) -> Scheme | None:
    if follows == "best":
        return s.best()
    return next((sc for sc in s.schemes if sc.name == follows), None)


def _verdict(s: Sustainability, follows: str, discount: list[float] | None) -> str:
    """The label a repeated-play sweep follows at one point."""
    if s.is_equilibrium():
        return "a stage equilibrium"
    scheme = _scheme_of(s, follows)
    if discount is not None:
        if scheme is not None and lasts_at(scheme, [_fraction(d) for d in discount]):
            return "lasts"
        return "does not last"
    if scheme is not None and scheme.sustainable:
        return f"sustainable ({scheme.title})"
    if follows != "best":
        return "not sustainable this way"
    if s.scheme("lower-bound").sustainable:
        return "no simple punishment sustains it"
    return "never (below a minmax payoff)"


def _fraction(value: float) -> Fraction:
    return Fraction(value).limit_denominator(10**9)


def _repeat(
    stage: ParametricGame, terms: RepeatedTerms, labels: SettlementLabels, values: Mapping[str, np.ndarray]
) -> tuple[list[Sustainability], list[list[float] | None], list[Game]]:
    games = _games(stage, values)
    declared = terms.columns(values)
    found, factors = [], []
    for k, game in enumerate(games):
        args = terms.arguments(declared, k)
        punishment = args["punishment"]
        paths = fallback = None
        if punishment is not None:
            if isinstance(punishment[0], tuple):
                paths = list(punishment)
            else:
                fallback, paths = punishment, [punishment] * game.n_players
        found.append(sustainability(game, labels.cooperation, punishment=fallback, paths=paths, search=True))
        factors.append(args.get("discount"))
    return found, factors, games


def solve_repeated_chunk(task: ChunkTask) -> ChunkResult:
    """One chunk of a repeated-play sweep: the outcome's thresholds at every point."""
    labels = task.labels
    assert isinstance(labels, SettlementLabels)
    stage, terms = _context(task.recipe, labels)
    found, factors, _ = _repeat(stage, terms, labels, task.values)
    n = len(found)
    columns, points_csv = _base_columns(task, labels, n)
    columns["equilibrium"] = np.zeros(n, dtype=np.int64)
    columns["n_equilibria"] = np.ones(n, dtype=np.int64)
    columns["kind"] = np.full(n, "outcome", dtype=object)
    label = found[0].label if found else ""
    columns["outcome"] = np.full(n, label, dtype=object)
    point_sets = np.array([_verdict(s, labels.follows, d) for s, d in zip(found, factors)], dtype=object)
    columns["equilibrium_set"] = point_sets
    for i, (player, strategies) in enumerate(zip(labels.players, labels.strategies)):
        for k, s_id in enumerate(strategies):
            columns[f"p.{player}.{s_id}"] = np.full(n, float(labels.cooperation[i] == k))
    lead = np.array([[float(v) for v in s.payoffs] for s in found], dtype=float).reshape(
        n, len(labels.players)
    )
    for i, player in enumerate(labels.players):
        columns[f"payoff.{player}"] = lead[:, i]
    chosen = [_scheme_of(s, labels.follows) for s in found]
    columns["scheme"] = np.array([None if sc is None else sc.name for sc in chosen], dtype=object)
    for i, player in enumerate(labels.players):
        columns[f"delta.{player}"] = np.array([_delta(sc, i) for sc in chosen])
    if labels.discounted:
        columns["lasts"] = np.array(
            [
                sc is not None
                and d is not None
                and lasts_at(sc, [_fraction(x) for x in d])
                or s.is_equilibrium()
                for s, sc, d in zip(found, chosen, factors)
            ],
            dtype=bool,
        )
        for i, player in enumerate(labels.players):
            columns[f"discount.{player}"] = np.array([math.nan if d is None else d[i] for d in factors])
    for name in labels.schemes:
        for i, player in enumerate(labels.players):
            columns[f"delta.{name}.{player}"] = np.array(
                [_delta(next((sc for sc in s.schemes if sc.name == name), None), i) for s in found]
            )
    sets = {v: (label,) for v in set(point_sets.tolist())}
    return _result(task, labels, columns, points_csv, point_sets, sets, lead)


def _delta(scheme: Scheme | None, player: int) -> float:
    if scheme is None:
        return math.nan
    t = scheme.thresholds[player].delta
    return math.nan if t is None else float(t)


def _repeated_refine(source: Any, labels: SettlementLabels, spec: Any) -> Refine:
    stage = stage_game(source.scenario, source.game)
    terms = repeated_terms(source.scenario, stage, labels.changes)

    def refine(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, tuple[Any, ...]]]:
        found, factors, _ = _repeat(stage, terms, labels, values)
        names = [_verdict(s, labels.follows, d) for s, d in zip(found, factors)]
        label = found[0].label if found else ""
        return np.array(names, dtype=object), {v: (label,) for v in names}

    return refine


def _repeated_describe(
    source: Any, labels: SettlementLabels, spec: Any, base: Mapping[str, float]
) -> Describe:
    outcome = " / ".join(labels.strategies[i][k] for i, k in enumerate(labels.cooperation))

    def describe(record: dict[str, Any], sets: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
        before, after = record["from"], record["to"]
        record["appeared"], record["disappeared"] = [after], [before]
        where = _where(record)
        if record["kind"] == "point":
            record["sentence"] = (
                f"At {record['parameter']} = {record['value']:g} exactly, {outcome} "
                f"{record['through'] or before} (on both sides: {before})."
            )
        elif (before, after) == ("does not last", "lasts"):
            record["sentence"] = f"{outcome} starts to last at the given discount factors {where}."
        elif (before, after) == ("lasts", "does not last"):
            record["sentence"] = f"{outcome} stops lasting at the given discount factors {where}."
        else:
            record["sentence"] = f"{outcome} goes from {before} to {after} {where}."
        return record

    return describe


# -- the analysis kinds ----------------------------------------------------------------------------------


def _changes(section: Any) -> dict[str, Any]:
    data = section.model_dump(exclude_none=True, exclude={"solution", "scheme"})
    return {k: v for k, v in data.items() if k in section.model_fields_set}


def _labels_of(
    source: Any, analysis: str, follows: str, changes: dict[str, Any], **extra: Any
) -> SettlementLabels:
    stage = stage_game(source.scenario, source.game)
    return SettlementLabels(
        analysis,
        follows,
        tuple(stage.players),
        tuple(stage.player_names or stage.players),
        tuple(tuple(s) for s in stage.strategies),
        tuple(tuple(s) for s in (stage.strategy_names or stage.strategies)),
        tuple(stage.parameters),
        changes,
        **extra,
    )


def _bargaining_terms(source: Any, spec: Any) -> BargainingTerms:
    return bargaining_terms(
        source.scenario, stage_game(source.scenario, source.game), _changes(spec.bargaining)
    )


def _bargaining_labels(source: Any, spec: Any) -> SettlementLabels:
    return _labels_of(source, "bargaining", spec.bargaining.solution, _changes(spec.bargaining))


def _repeated_labels(source: Any, spec: Any) -> SettlementLabels:
    changes = _changes(spec.repeated)
    stage = stage_game(source.scenario, source.game)
    terms = repeated_terms(source.scenario, stage, changes)
    cooperation = terms.cooperation
    first = cooperation[0] if cooperation else (cooperative_outcomes(stage.game()) or (None,))[0]
    if first is None:
        raise InputError(
            [
                terms.origin.problem(
                    ["cooperation"],
                    "name the outcome to follow: no outcome of "
                    "this game is Pareto-efficient, above the minmax and not a stage "
                    "equilibrium",
                )
            ]
        )
    schemes = [s for s in SCHEMES if s != "declared" or terms.punishment is not None]
    if len(stage.players) != 2:
        schemes = [s for s in schemes if s != "tit-for-tat"]
    changes = {**changes, "cooperation": [list(stage.strategies[i][k] for i, k in enumerate(first))]}
    return _labels_of(
        source,
        "repeated",
        spec.repeated.scheme,
        changes,
        schemes=tuple(schemes),
        cooperation=tuple(first),
        discounted=terms.section.discount is not None,
    )


def _check(key: str, make: Any) -> Any:
    def check(spec: Any, source: Any) -> list[Issue]:
        section = getattr(spec, key, None)
        if section is None:
            return []
        others = [k for k in ("bargaining", "repeated") if k != key and getattr(spec, k, None) is not None]
        issues = [Issue((key,), f"give {key} or {other}, not both") for other in others]
        if spec.equilibrium is not None:
            issues.append(
                Issue((key,), f"a {key} sweep follows {key} results, not equilibria: remove equilibrium")
            )
        if spec.credibility:
            issues.append(
                Issue((key,), f"credibility is recorded in sweeps of game trees, not in {key} sweeps")
            )
        if spec.method != "auto":
            issues.append(
                Issue(
                    ("method",),
                    f"method {spec.method!r} solves for Nash equilibria; a {key} sweep does not use it",
                )
            )
        if getattr(source, "scenario", None) is None and getattr(source, "tree", None) is not None:
            issues.append(
                Issue((key,), f"a {key} sweep needs a game with strategies; a Gambit .efg tree has plans")
            )
            return issues
        try:
            make(source, spec)
        except InputError as error:
            for p in error.problems:
                where = tuple(part for part in p.path.replace("[", ".").replace("]", "").split(".") if part)
                issues.append(Issue((key, *where), p.message))
        if key == "bargaining" and section.solution == "alternating-offers":
            stage = stage_game(source.scenario, source.game)
            terms = bargaining_terms(source.scenario, stage, _changes(section))
            if not terms.offers:
                issues.append(
                    Issue(
                        (key, "solution"),
                        "alternating offers need discount factors (or a risk of "
                        "breakdown): declare them in the scenario or here",
                    )
                )
        return issues

    return check


def _manifest(source: Any, labels: SettlementLabels, spec: Any) -> dict[str, Any]:
    text = {"lottery": "text", "scheme": "text"}
    if labels.analysis == "bargaining":
        record: dict[str, Any] = {
            "solution": labels.follows,
            "title": labels.title,
            "changes": labels.changes,
        }
        method = "exact bargaining solutions in rational arithmetic (negsim.bargaining), point by point"
    else:
        record = {
            "scheme": labels.follows,
            "cooperation": list(labels.changes["cooperation"][0]),
            "schemes": list(labels.schemes),
            "changes": labels.changes,
        }
        method = "exact discount-factor thresholds (negsim.repeated.sustainability), point by point"
    types: dict[str, str] = {k: v for k, v in text.items() if k in labels.columns()}
    if labels.discounted:
        types["lasts"] = "boolean"
    if labels.analysis == "bargaining":
        title = f"The {labels.title} as the parameters change"
    else:
        title = f"Can {' / '.join(labels.changes['cooperation'][0])} last?"
    return {
        "title": spec.title or title,
        "analysis": labels.analysis,
        "equilibrium": labels.analysis,
        "method": method,
        "dominance": None,
        "all_equilibria_searched": True,
        labels.analysis: record,
        "column_types": types,
        "labels": {
            "players": dict(zip(labels.players, labels.player_names)),
            "strategies": {
                p: dict(zip(ids, names))
                for p, ids, names in zip(labels.players, labels.strategies, labels.strategy_names)
            },
        },
    }


BARGAINING = AnalysisKind(
    name="bargaining",
    key="bargaining",
    default_for=lambda source: False,
    check=_check("bargaining", _bargaining_terms),
    labels=_bargaining_labels,
    solve_chunk=solve_bargaining_chunk,
    refine=_bargaining_refine,
    describe=_bargaining_describe,
    manifest=_manifest,
)
REPEATED = AnalysisKind(
    name="repeated",
    key="repeated",
    default_for=lambda source: False,
    check=_check("repeated", _repeated_labels),
    labels=_repeated_labels,
    solve_chunk=solve_repeated_chunk,
    refine=_repeated_refine,
    describe=_repeated_describe,
    manifest=_manifest,
)
