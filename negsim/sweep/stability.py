"""Sweeps of option-form conflicts: the stable states at every point, under every concept.

The analysis kind ``stability`` (:mod:`negsim.sweep.analysis`): at each point the preferences
of the conflict are evaluated (its payoff expressions over the parameters), and every
stability concept's verdicts come from :func:`negsim.conflict.batch.batch_stability` for the
whole chunk at once. The table has one row per point and state that is an equilibrium (stable
for every decision maker) under the spec's concept (``stability: SEQ``, the default), and
records for each row whether the state is an equilibrium under the other concepts too, and for
each point every concept's set of equilibria. Tipping points follow the chosen concept's set:
where a state starts or stops being stable, and for whom.

The columns are described in ``docs/reference/run-folder.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.compile.conflict import compile_conflict
from negsim.conflict.batch import batch_stability
from negsim.conflict.normal_form import normal_form_layout
from negsim.conflict.parametric import ParametricConflict
from negsim.conflict.report import state_words
from negsim.conflict.stability import BASIC_CONCEPTS, CONCEPT_NAMES
from negsim.scenario.issues import Issue
from negsim.scenario.options import OptionScenario
from negsim.sweep.analysis import AnalysisKind, Describe, Refine
from negsim.sweep.engine import ChunkResult, ChunkTask, GameRecipe
from negsim.sweep.table import _FIXED, NO_EQUILIBRIUM, encode_csv, encode_rows, row_layout

__all__ = ["DEFAULT_CONCEPT", "KIND", "STABILITY", "StabilityLabels", "solve_stability_chunk"]

#: The concept a sweep of an option-form conflict follows when the spec names none: sequential
#: stability, the graph model's reading of credible sanctions (every counter-move is an
#: improvement for the one who makes it).
DEFAULT_CONCEPT = "SEQ"
#: The ``kind`` column of the table: a stable state.
KIND = "stable"
METHOD = "graph-model stabilities in boolean matrix form (negsim.conflict.batch)"

#: How a sentence says "an equilibrium under this concept".
_STABLE_WORDS = {
    "R": "Nash stable",
    "GMR": "GMR stable (general metarationality)",
    "SMR": "SMR stable (symmetric metarationality)",
    "SEQ": "sequentially stable",
    "SIM": "stable under simultaneous sanctioning",
    "GMR+SIM": "GMR+SIM stable",
    "SMR+SIM": "SMR+SIM stable",
    "SEQ+SIM": "SEQ+SIM stable",
}


@dataclass(frozen=True)
class StabilityLabels:
    """What the table and the sentences call decision makers, states and parameters."""

    players: tuple[str, ...]
    player_names: tuple[str, ...]
    parameters: tuple[str, ...]
    concept: str
    concepts: tuple[str, ...]
    states: tuple[int, ...]
    yn: tuple[str, ...]
    outcomes: tuple[str, ...]
    words: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    strategy_names: tuple[tuple[str, ...], ...]
    #: ``profile[k, i]``: the strategy (option combination) of decision maker ``i`` in state ``k``.
    profile: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, conflict: ParametricConflict, concept: str) -> StabilityLabels:
        skeleton = conflict.skeleton
        layout = normal_form_layout(skeleton)
        profile = tuple(layout.profile_of(skeleton, s) for s in skeleton.states)
        outcomes = tuple(" / ".join(layout.strategies[i][k] for i, k in enumerate(p)) for p in profile)
        recorded = tuple(dict.fromkeys((*BASIC_CONCEPTS, concept)))
        return cls(
            skeleton.dm_ids,
            tuple(d.label for d in skeleton.decision_makers),
            tuple(conflict.parameters),
            concept,
            recorded,
            tuple(skeleton.states),
            tuple(skeleton.yn(s) for s in skeleton.states),
            outcomes,
            tuple(state_words(skeleton, s) for s in skeleton.states),
            layout.strategies,
            layout.strategy_names,
            profile,
        )

    def parameter_column(self, name: str) -> str:
        return f"param.{name}" if name in _FIXED or name in ("state", "yn") else name

    def columns(self) -> list[str]:
        """Every column of the results table, in order."""
        return [
            "point",
            "varied",
            *(self.parameter_column(p) for p in self.parameters),
            "equilibrium",
            "n_equilibria",
            "kind",
            "outcome",
            "equilibrium_set",
            "state",
            "yn",
            *(
                f"p.{player}.{s}"
                for player, strategies in zip(self.players, self.strategies)
                for s in strategies
            ),
            *(f"payoff.{player}" for player in self.players),
            *(f"stable.{c}" for c in self.concepts),
            *(f"set.{c}" for c in self.concepts),
        ]

    def point_columns(self) -> list[str]:
        return ["point", "varied", *(self.parameter_column(p) for p in self.parameters)]

    def state_phrase(self, state: int) -> str:
        """``keep&limited / incentives (Turkey: Keep the S-400s, Limited activation; ...)``."""
        k = self.states.index(state)
        return f"{self.outcomes[k]} ({self.words[k]})"


# -- the conflict, rebuilt once per worker process --------------------------------------------

_CONFLICTS: dict[str, ParametricConflict] = {}


def _conflict(recipe: GameRecipe) -> ParametricConflict:
    conflict = _CONFLICTS.get(recipe.key)
    if conflict is None:
        assert isinstance(recipe.scenario, OptionScenario)
        conflict = _CONFLICTS[recipe.key] = compile_conflict(recipe.scenario)
    return conflict


def _set_labels(labels: StabilityLabels, eq: np.ndarray) -> tuple[np.ndarray, dict[str, tuple[int, ...]]]:
    """Each point's set label (its equilibria's outcomes joined by `` | ``, in state order) and
    each label's states."""
    if eq.shape[0] == 0:
        return np.zeros(0, dtype=object), {}
    distinct, inverse = np.unique(eq, axis=0, return_inverse=True)
    names, sets = [], {}
    for row in distinct:
        members = tuple(labels.states[k] for k in np.flatnonzero(row))
        name = " | ".join(labels.outcomes[labels.states.index(s)] for s in members) or NO_EQUILIBRIUM
        names.append(name)
        sets[name] = members
    return np.array(names, dtype=object)[inverse.reshape(-1)], sets


def _equilibria(
    conflict: ParametricConflict, values: Mapping[str, np.ndarray], concepts: tuple[str, ...]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    preferences = conflict.evaluate(values)
    batch = batch_stability(conflict.skeleton, preferences, concepts)
    return preferences, {c: batch.equilibria(c) for c in concepts}


def solve_stability_chunk(task: ChunkTask) -> ChunkResult:
    """One chunk of a stability sweep: every concept's verdicts at every point, the rows of the
    chosen concept's equilibria (runs in a worker)."""
    labels = task.labels
    assert isinstance(labels, StabilityLabels)
    conflict = _conflict(task.recipe)
    preferences, eq = _equilibria(conflict, task.values, labels.concepts)
    chosen = eq[labels.concept]
    n = chosen.shape[0]
    point_of, state_of = np.nonzero(chosen)
    counts = chosen.sum(axis=1)
    first = np.cumsum(counts) - counts
    row_point, row_eq, has, take = row_layout(point_of, counts)
    row_state = np.where(has, state_of[take] if len(state_of) else 0, -1)
    safe = np.where(row_state < 0, 0, row_state)
    point_sets, sets = _set_labels(labels, chosen)
    columns: dict[str, np.ndarray] = {
        "point": task.start + row_point,
        "varied": (
            task.varied[row_point] if task.varied is not None else np.full(len(row_point), None, dtype=object)
        ),
    }
    for name in labels.parameters:
        columns[labels.parameter_column(name)] = np.asarray(task.values[name], dtype=float)[row_point]
    columns["equilibrium"] = np.where(has, row_eq - first[row_point], -1)
    columns["n_equilibria"] = counts[row_point]
    columns["kind"] = np.where(has, KIND, None).astype(object)
    outcomes = np.array([*labels.outcomes, None], dtype=object)
    columns["outcome"] = outcomes[np.where(has, row_state, len(labels.outcomes))]
    columns["equilibrium_set"] = point_sets[row_point] if n else np.zeros(0, dtype=object)
    columns["state"] = np.where(has, np.array(labels.states, dtype=np.int64)[safe], -1)
    yn = np.array([*labels.yn, None], dtype=object)
    columns["yn"] = yn[np.where(has, row_state, len(labels.yn))]
    profile = np.array(labels.profile, dtype=np.int64).reshape(len(labels.states), len(labels.players))
    for i, (player, strategies) in enumerate(zip(labels.players, labels.strategies)):
        for k, s in enumerate(strategies):
            played = (profile[safe, i] == k).astype(float)
            columns[f"p.{player}.{s}"] = np.where(has, played, np.nan)
    for i, player in enumerate(labels.players):
        columns[f"payoff.{player}"] = np.where(has, preferences[row_point, i, safe], np.nan)
    for c in labels.concepts:
        columns[f"stable.{c}"] = np.asarray(eq[c][row_point, safe] & has, dtype=bool)
    for c in labels.concepts:
        named, _ = _set_labels(labels, eq[c])
        columns[f"set.{c}"] = named[row_point] if n else np.zeros(0, dtype=object)
    lead = np.full((n, len(labels.players)), np.nan)
    with_eq = counts > 0
    if with_eq.any():
        lead[with_eq] = preferences[np.flatnonzero(with_eq), :, state_of[first[with_eq]]]
    point_columns = {
        "point": task.start + np.arange(n),
        "varied": (task.varied if task.varied is not None else np.full(n, None, dtype=object)),
    }
    for name in labels.parameters:
        point_columns[labels.parameter_column(name)] = np.asarray(task.values[name])
    csv_text, json_text = encode_rows(columns, labels.columns())
    return ChunkResult(
        start=task.start,
        stop=task.start + n,
        n_rows=len(row_point),
        csv=csv_text,
        json_lines=json_text,
        points_csv=encode_csv(point_columns, labels.point_columns()),
        point_sets=point_sets,
        sets=sets,
        lead_payoffs=lead,
        complete=True,
        columns=columns if task.keep_columns else None,
    )


# -- the analysis kind --------------------------------------------------------------------------


def _default_for(source: Any) -> bool:
    return getattr(source, "conflict", None) is not None


def _check(spec: Any, source: Any) -> list[Issue]:
    issues: list[Issue] = []
    if spec.stability is not None and getattr(source, "conflict", None) is None:
        issues.append(
            Issue(
                ("stability",),
                "stability concepts need a conflict in option form (players with "
                "yes/no options); this scenario is a game: remove stability for "
                "its Nash equilibria",
            )
        )
    if spec.stability is not None and spec.equilibrium is not None:
        issues.append(
            Issue(
                ("stability",),
                f"give stability (the graph model's stable states) or equilibrium "
                f"({spec.equilibrium}), not both",
            )
        )
    if spec.method != "auto" and spec.equilibrium is None and _default_for(source):
        issues.append(
            Issue(
                ("method",),
                f"method {spec.method!r} solves for Nash equilibria; a sweep of an "
                "option-form conflict computes stabilities (add equilibrium: nash to "
                "solve its normal form with this method)",
            )
        )
    return issues


def _labels(source: Any, spec: Any) -> StabilityLabels:
    conflict = source.conflict
    _CONFLICTS[GameRecipe.of(source).key] = conflict  # this process compiled it already
    return StabilityLabels.of(conflict, spec.stability or DEFAULT_CONCEPT)


def _refine(source: Any, labels: StabilityLabels, spec: Any) -> Refine:
    def refine(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, tuple[Any, ...]]]:
        _, eq = _equilibria(source.conflict, values, (labels.concept,))
        return _set_labels(labels, eq[labels.concept])

    return refine


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _describe(source: Any, labels: StabilityLabels, spec: Any, base: Mapping[str, float]) -> Describe:
    conflict: ParametricConflict = source.conflict
    concept = labels.concept

    def stable_for(record: dict[str, Any], value: float, state: int) -> list[str]:
        point = {name: np.array([float(v)]) for name, v in base.items()}
        for name, v in record["line"].items():
            point[name] = np.array([float(v)])
        point[record["parameter"]] = np.array([value])
        batch = batch_stability(conflict.skeleton, conflict.evaluate(point), (concept,))
        k = labels.states.index(state)
        return [labels.players[i] for i in range(len(labels.players)) if batch.stable[concept][0, i, k]]

    def names(ids: list[str]) -> str:
        return _and([labels.player_names[labels.players.index(d)] for d in ids])

    def describe(record: dict[str, Any], sets: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
        before, after = set(sets.get(record["from"], ())), set(sets.get(record["to"], ()))
        appeared, gone = sorted(after - before), sorted(before - after)
        value = f"{'about ' if not record['refined'] else ''}{record['value']:g}"
        line = ""
        if record["line"]:
            line = " (with " + ", ".join(f"{k} = {v:g}" for k, v in record["line"].items()) + ")"
        words = _STABLE_WORDS[concept]
        parts = []
        lost: dict[str, list[str]] = {}
        won: dict[str, list[str]] = {}
        for s in gone:
            low, high = stable_for(record, record["low"], s), stable_for(record, record["high"], s)
            lost[str(s)] = [d for d in low if d not in high]
            who = f" (no longer stable for {names(lost[str(s)])})" if lost[str(s)] else ""
            parts.append((f"state {labels.state_phrase(s)} stops being {words}", who))
        for s in appeared:
            low, high = stable_for(record, record["low"], s), stable_for(record, record["high"], s)
            won[str(s)] = [d for d in high if d not in low]
            who = f" (now stable for {names(won[str(s)])})" if won[str(s)] else ""
            parts.append((f"state {labels.state_phrase(s)} becomes {words}", who))
        where = f"when {record['parameter']} rises past {value}{line}"
        if record["kind"] == "point":
            at = sets.get(record["through"] or "", ())
            extra = sorted(set(at) - before)
            shown = _and([f"state {labels.state_phrase(s)}" for s in extra]) if extra else "no other state"
            sentence = (
                f"At {record['parameter']} = {record['value']:g} exactly{line}, {shown} "
                f"{'is' if len(extra) <= 1 else 'are'} also {words}."
            )
        elif len(parts) == 1:
            ((what, who),) = parts
            sentence = f"{what[:1].upper()}{what[1:]} {where}{who}."
        elif parts:
            sentence = (
                f"{where[:1].upper()}{where[1:]}: " + "; ".join(what + who for what, who in parts) + "."
            )
        else:
            sentence = f"Nothing changes {where}."
        record.update(
            {
                "appeared": [labels.outcomes[labels.states.index(s)] for s in appeared],
                "disappeared": [labels.outcomes[labels.states.index(s)] for s in gone],
                "states_appeared": appeared,
                "states_disappeared": gone,
                "no_longer_stable_for": lost,
                "newly_stable_for": won,
                "sentence": sentence,
            }
        )
        return record

    return describe


def _manifest(source: Any, labels: StabilityLabels, spec: Any) -> dict[str, Any]:
    skeleton = source.conflict.skeleton
    concept = CONCEPT_NAMES[labels.concept]
    return {
        "title": spec.title or f"{labels.concept} ({concept}): the states stable for every decision maker",
        "analysis": "stability",
        "equilibrium": "stability",
        "method": METHOD,
        "dominance": None,
        "all_equilibria_searched": True,
        "stability": {
            "concept": labels.concept,
            "concept_name": CONCEPT_NAMES[labels.concept],
            "concepts": list(labels.concepts),
            "options": [
                {"id": o.id, "name": o.label, "bit": 1 << k, "direction": o.direction}
                for k, o in enumerate(skeleton.options)
            ],
            "states": [
                {"state": s, "yn": y, "outcome": o, "words": w}
                for s, y, o, w in zip(labels.states, labels.yn, labels.outcomes, labels.words)
            ],
            "status_quo": skeleton.status_quo,
        },
        "column_types": {
            "state": "integer",
            "yn": "text",
            **{f"stable.{c}": "boolean" for c in labels.concepts},
            **{f"set.{c}": "text" for c in labels.concepts},
        },
        "labels": {
            "players": dict(zip(labels.players, labels.player_names)),
            "strategies": {
                p: dict(zip(ids, names))
                for p, ids, names in zip(labels.players, labels.strategies, labels.strategy_names)
            },
        },
    }


STABILITY = AnalysisKind(
    name="stability",
    key="stability",
    default_for=_default_for,
    check=_check,
    labels=_labels,
    solve_chunk=solve_stability_chunk,
    refine=_refine,
    describe=_describe,
    manifest=_manifest,
)
