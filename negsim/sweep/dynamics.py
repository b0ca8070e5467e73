"""Sweeps of learning dynamics: where play goes at every point, and where that changes.

The analysis kind ``dynamics`` (:mod:`negsim.sweep.analysis`): at each point the game is built,
its equilibria solved and verified, and :func:`negsim.dynamics.learning_overview` runs best
responses from the status quo, fictitious play from uniform play and from the status quo, the
replicator from uniform play and the logit QRE path; with ``basins`` in the spec, the same
random starts (one seed) are run at every point and the share reaching each equilibrium is
recorded. The table has one row per point. Its ``equilibrium_set`` (and ``outcome``) is what
the followed dynamic reaches: an equilibrium's label (``store / incentives``), ``none
(cycle)`` and the like when it reaches none, or for ``basins`` the labels of every equilibrium
some start reaches (``limited / keep | store / incentives``, in label order). Tipping points are
where that changes, bisected with the same computation.

The columns are described in ``docs/reference/run-folder.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.dynamics import basins, equilibria_of, learning_overview, qre_path
from negsim.dynamics.overview import (
    PlayResult,
    best_response_result,
    fictitious_play_result,
    qre_result,
    replicator_result,
)
from negsim.game import Game
from negsim.scenario.issues import Issue
from negsim.solve import Solution, solve
from negsim.sweep.analysis import AnalysisKind, Describe, Refine
from negsim.sweep.dynamics_spec import FOLLOW, DynamicsSweep
from negsim.sweep.engine import ChunkResult, ChunkTask
from negsim.sweep.table import _FIXED, encode_csv, encode_rows

__all__ = ["DYNAMICS", "RESULTS", "DynamicsLabels", "followed", "point_results", "solve_dynamics_chunk"]

#: Every result a row records: its column and the (dynamic, start) of the overview it comes from.
RESULTS = {
    "best_response.status_quo": ("best responses", "status quo"),
    "fictitious_play.uniform": ("fictitious play", "uniform"),
    "fictitious_play.status_quo": ("fictitious play", "status quo"),
    "replicator.uniform": ("replicator", "uniform"),
    "qre.limit": ("logit QRE", "uniform"),
}
#: The results column each ``follow`` reads (basins have their own).
_FOLLOWED = {
    "best-response": "best_response.status_quo",
    "replicator": "replicator.uniform",
    "qre": "qre.limit",
}
#: Tipping points of dynamics are located to this fraction of the parameter's range: where play
#: goes is itself decided only to the replicator's tolerance (1e-3), and near a tipping point
#: play slows down, so finer brackets would only resolve bands where it is still moving.
TIPPING_TOLERANCE = 1e-3
METHOD = "learning dynamics (negsim.dynamics), compared with the verified equilibria of negsim.solve"


@dataclass(frozen=True)
class DynamicsLabels:
    """What the table calls players, strategies and parameters, and what the sweep runs."""

    players: tuple[str, ...]
    player_names: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    strategy_names: tuple[tuple[str, ...], ...]
    parameters: tuple[str, ...]
    settings: dict[str, Any]
    method: str
    #: Every pure profile's label, for the basin columns.
    profiles: tuple[str, ...]

    @property
    def follow(self) -> str:
        return str(self.settings["follow"])

    @property
    def basins(self) -> dict[str, Any] | None:
        value = self.settings.get("basins")
        return dict(value) if value is not None else None

    def parameter_column(self, name: str) -> str:
        return f"param.{name}" if name in _FIXED or name in RESULTS or name.startswith("basin.") else name

    def columns(self) -> list[str]:
        out = [
            "point",
            "varied",
            *(self.parameter_column(p) for p in self.parameters),
            "equilibrium",
            "n_equilibria",
            "kind",
            "outcome",
            "equilibrium_set",
            *(
                f"p.{player}.{s}"
                for player, strategies in zip(self.players, self.strategies)
                for s in strategies
            ),
            *(f"payoff.{player}" for player in self.players),
            "nash",
            *(c for name in RESULTS for c in (name, f"{name}.distance")),
        ]
        if self.basins is not None:
            out += [*(f"basin.{p}" for p in self.profiles), "basin.other", "basin.none"]
        return out

    def point_columns(self) -> list[str]:
        return ["point", "varied", *(self.parameter_column(p) for p in self.parameters)]

    def subject(self) -> str:
        """``From uniform play, the replicator dynamic``: the subject of a sentence."""
        follow = self.follow
        if follow == "fictitious-play":
            start = "uniform play" if self.settings["start"] == "uniform" else "the status quo"
            return f"From {start}, fictitious play"
        if follow == "best-response":
            return "From the status quo, best responses"
        if follow == "replicator":
            return "From uniform play, the replicator dynamic"
        if follow == "qre":
            return "As rationality grows, the logit QRE"
        basin = self.basins or {}
        dynamic = (
            "the replicator" if basin.get("dynamics", "replicator") == "replicator" else "fictitious play"
        )
        return f"From {basin.get('samples')} random starts, {dynamic}"


# -- one point ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PointResult:
    """Everything a row records for one point."""

    solution: Solution
    results: dict[str, PlayResult]
    shares: dict[str, float] | None  # by equilibrium label (and "none")


def _game_at(parametric: Any, values: Mapping[str, np.ndarray], k: int) -> Game:
    return parametric.game({name: float(np.asarray(v)[k]) for name, v in values.items()})  # type: ignore[no-any-return]


def _solution(game: Game, method: str) -> Solution:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return equilibria_of(game, solve(game, method))


def point_results(game: Game, settings: Mapping[str, Any], method: str = "auto") -> PointResult:
    """The overview (and the basin shares) at one point, as a row records them."""
    solution = _solution(game, method)
    overview = learning_overview(
        game, solution=solution, steps=int(settings["steps"]), horizon=float(settings["horizon"])
    )
    results = {name: overview.result(*key) for name, key in RESULTS.items()}
    found = {name: r for name, r in results.items() if r is not None}
    shares = _shares(game, settings, solution) if settings.get("basins") is not None else None
    return PointResult(solution, found, shares)


def _shares(game: Game, settings: Mapping[str, Any], solution: Solution) -> dict[str, float]:
    spec = settings["basins"]
    dynamic = "replicator" if spec.get("dynamics", "replicator") == "replicator" else "fictitious play"
    found = basins(
        game,
        dynamics=dynamic,
        samples=int(spec["samples"]),
        seed=int(spec["seed"]),
        horizon=float(settings["horizon"]),
        steps=int(settings["steps"]),
        solution=solution,
    )
    return found.shares()


def followed(game: Game, settings: Mapping[str, Any], method: str = "auto") -> tuple[str, tuple[str, ...]]:
    """The followed result alone (what tipping points are bisected with): its label and members,
    computed as :func:`point_results` computes it."""
    follow = settings["follow"]
    solution = _solution(game, method)
    steps, horizon = int(settings["steps"]), float(settings["horizon"])
    if follow == "basins":
        return _basin_label(_shares(game, settings, solution))
    if follow == "best-response":
        result = best_response_result(game, solution, steps=steps)
    elif follow == "qre":
        result = qre_result(qre_path(game, solution=solution))
    elif follow == "replicator":
        result = replicator_result(game, solution, horizon=horizon)
    else:
        start = "uniform" if settings["start"] == "uniform" else "status quo"
        result = fictitious_play_result(game, solution, start, steps=steps)
    return result.reached_label, (result.reached_label,)


def _basin_label(shares: Mapping[str, float]) -> tuple[str, tuple[str, ...]]:
    """The equilibria some start reaches, in label order (starts that reach none by the horizon,
    slow near a tipping point, are counted in ``basin.none`` but are no part of the label)."""
    reached = tuple(sorted(k for k, v in shares.items() if v > 0 and k != "none"))
    return (" | ".join(reached) if reached else "none"), reached


def _followed_of(
    labels: DynamicsLabels, result: PointResult
) -> tuple[str, tuple[str, ...], PlayResult | None]:
    follow = labels.follow
    if follow == "basins":
        label, members = _basin_label(result.shares or {})
        return label, members, None
    if follow == "fictitious-play":
        column = (
            "fictitious_play.uniform"
            if labels.settings["start"] == "uniform"
            else "fictitious_play.status_quo"
        )
    else:
        column = _FOLLOWED[follow]
    played = result.results.get(column)
    label = played.reached_label if played is not None else "none (no status quo)"
    return label, (label,), played


# -- one chunk ---------------------------------------------------------------------------------------------


def solve_dynamics_chunk(task: ChunkTask) -> ChunkResult:
    """One chunk of a dynamics sweep: every point's dynamics, one row per point (runs in a worker)."""
    labels = task.labels
    assert isinstance(labels, DynamicsLabels)
    parametric = task.recipe.build()
    n = len(next(iter(task.values.values()))) if task.values else 1
    rows: dict[str, list[Any]] = {name: [] for name in labels.columns()}
    point_sets = np.empty(n, dtype=object)
    sets: dict[str, tuple[str, ...]] = {}
    lead = np.full((n, len(labels.players)), np.nan)
    for k in range(n):
        game = _game_at(parametric, task.values, k)
        result = point_results(game, labels.settings, labels.method)
        label, members, played = _followed_of(labels, result)
        point_sets[k] = label
        sets[label] = members
        solution = result.solution
        index = played.equilibrium if played is not None else None
        if labels.follow == "basins" and result.shares:
            shares = result.shares
            best = max((name for name in shares if name != "none"), key=lambda s: shares[s], default=None)
            index = next((j for j, e in enumerate(solution.equilibria) if e.label(game) == best), None)
        rows["point"].append(task.start + k)
        rows["varied"].append(task.varied[k] if task.varied is not None else None)
        for name in labels.parameters:
            rows[labels.parameter_column(name)].append(float(np.asarray(task.values[name])[k]))
        rows["equilibrium"].append(index if index is not None else -1)
        rows["n_equilibria"].append(len(solution.equilibria))
        equilibrium = solution.equilibria[index] if index is not None else None
        rows["kind"].append(equilibrium.kind if equilibrium is not None else None)
        rows["outcome"].append(label)
        rows["equilibrium_set"].append(label)
        for i, (player, strategies) in enumerate(zip(labels.players, labels.strategies)):
            for j, s in enumerate(strategies):
                rows[f"p.{player}.{s}"].append(
                    float(equilibrium.strategies[i][j]) if equilibrium is not None else np.nan
                )
        for i, player in enumerate(labels.players):
            value = float(equilibrium.payoffs[i]) if equilibrium is not None else np.nan
            rows[f"payoff.{player}"].append(value)
            lead[k, i] = value
        rows["nash"].append(" | ".join(e.label(game) for e in solution.equilibria) or "none")
        for name in RESULTS:
            r = result.results.get(name)
            rows[name].append(r.reached_label if r is not None else None)
            distance = r.distance if r is not None and r.distance is not None else np.nan
            rows[f"{name}.distance"].append(float(distance))
        if labels.basins is not None:
            shares = result.shares or {}
            for profile in labels.profiles:  # a pure equilibrium's label is its profile's
                rows[f"basin.{profile}"].append(float(shares.get(profile, 0.0)))
            other = sum(v for name, v in shares.items() if name != "none" and name not in labels.profiles)
            rows["basin.other"].append(float(other))
            rows["basin.none"].append(float(shares.get("none", 0.0)))
    columns = {name: _array(values) for name, values in rows.items()}
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
        n_rows=n,
        csv=csv_text,
        json_lines=json_text,
        points_csv=encode_csv(point_columns, labels.point_columns()),
        point_sets=point_sets,
        sets=sets,
        lead_payoffs=lead,
        complete=True,
        columns=columns if task.keep_columns else None,
    )


def _array(values: list[Any]) -> np.ndarray:
    if values and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.int64)
    if values and all(isinstance(v, float) for v in values):
        return np.asarray(values, dtype=float)
    return np.asarray(values, dtype=object)


# -- the analysis kind ---------------------------------------------------------------------------------------


def _default_for(source: Any) -> bool:
    return False


def _check(spec: Any, source: Any) -> list[Issue]:
    settings: DynamicsSweep | None = getattr(spec, "dynamics", None)
    if settings is None:
        return []
    issues: list[Issue] = []
    if spec.equilibrium is not None:
        issues.append(
            Issue(
                ("dynamics",),
                f"give dynamics (learning dynamics on the strategic form) or "
                f"equilibrium ({spec.equilibrium}), not both",
            )
        )
    if spec.credibility:
        issues.append(
            Issue(
                ("dynamics",),
                "credibility is recorded by subgame-perfect sweeps of game trees, not by sweeps of dynamics",
            )
        )
    game = source.game
    if settings.follow == "best-response" and game.status_quo is None:
        issues.append(
            Issue(
                ("dynamics", "follow"),
                "best responses start from the status quo, and this scenario has none (give it a status_quo)",
            )
        )
    if settings.follow == "fictitious-play" and settings.start == "status-quo" and game.status_quo is None:
        issues.append(Issue(("dynamics", "start"), "this scenario has no status quo: start from uniform"))
    if settings.follow == "basins" and settings.basins is None:
        issues.append(
            Issue(
                ("dynamics", "basins"),
                "follow: basins needs basins: {samples: N, seed: S} ({} for 300 starts with seed 0)",
            )
        )
    return issues


def _labels(source: Any, spec: Any) -> DynamicsLabels:
    game = source.game
    settings = spec.dynamics.model_dump(mode="json")
    profiles = tuple(
        " / ".join(game.strategies[i][k] for i, k in enumerate(p)) for p in _profiles(game.shape)
    )
    return DynamicsLabels(
        tuple(game.players),
        tuple(game.player_names or game.players),
        tuple(tuple(s) for s in game.strategies),
        tuple(tuple(s) for s in (game.strategy_names or game.strategies)),
        tuple(game.parameters or ()),
        settings,
        spec.method,
        profiles,
    )


def _profiles(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [tuple(int(k) for k in p) for p in np.ndindex(*shape)]


def _refine(source: Any, labels: DynamicsLabels, spec: Any) -> Refine:
    parametric = source.game

    def refine(values: Mapping[str, np.ndarray]) -> tuple[np.ndarray, dict[str, tuple[Any, ...]]]:
        n = len(next(iter(values.values())))
        found = np.empty(n, dtype=object)
        members: dict[str, tuple[Any, ...]] = {}
        for k in range(n):
            label, reached = followed(_game_at(parametric, values, k), labels.settings, labels.method)
            found[k] = label
            members[label] = reached
        return found, members

    return refine


def _words(label: str) -> str:
    if label.startswith("none ("):
        return f"no equilibrium ({label[6:-1]})"
    if label == "none":
        return "no equilibrium"
    if " | " in label:
        return " and ".join(label.split(" | "))
    if label.startswith("equilibrium near "):
        return f"an equilibrium between the extreme ones, near {label[17:]}"
    return label


def _describe(source: Any, labels: DynamicsLabels, spec: Any, base: Mapping[str, float]) -> Describe:
    subject = labels.subject()
    verb = "approaches" if labels.follow == "qre" else "reaches"
    if labels.follow == "best-response":
        verb = "reach"

    def describe(record: dict[str, Any], sets: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
        before, after = sets.get(record["from"], (record["from"],)), sets.get(record["to"], (record["to"],))
        appeared = [s for s in after if s not in before]
        gone = [s for s in before if s not in after]
        value = f"{'about ' if not record['refined'] else ''}{record['value']:g}"
        line = ""
        if record["line"]:
            line = " (with " + ", ".join(f"{k} = {v:g}" for k, v in record["line"].items()) + ")"
        where = f"when {record['parameter']} rises past {value}{line}"
        if record["kind"] == "point":
            through = record["through"] or ""
            sentence = (
                f"At {record['parameter']} = {record['value']:g} exactly{line}, {subject[:1].lower()}"
                f"{subject[1:]} {verb} {_words(through)} (on both sides: {_words(record['from'])})."
            )
        elif labels.follow == "basins":
            parts = []
            if appeared:
                parts.append(f"{' and '.join(appeared)} gains a basin")
            if gone:
                parts.append(f"{' and '.join(gone)} loses its basin")
            sentence = (
                f"{where[:1].upper()}{where[1:]}, "
                + "; ".join(parts)
                + f": {subject[:1].lower()}{subject[1:]} {verb} {_words(record['to'])}."
            )
        else:
            sentence = f"{subject} {verb} {_words(record['to'])} instead of {_words(record['from'])} {where}."
        record.update({"appeared": appeared, "disappeared": gone, "sentence": sentence})
        return record

    return describe


def _manifest(source: Any, labels: DynamicsLabels, spec: Any) -> dict[str, Any]:
    settings = labels.settings
    text_columns = ["nash", *RESULTS]
    return {
        "title": spec.title or f"Where {FOLLOW[labels.follow]} goes",
        "analysis": "dynamics",
        "method": METHOD,
        "dominance": None,
        "all_equilibria_searched": None,
        "dynamics": {
            "settings": settings,
            "follow": labels.follow,
            "subject": labels.subject(),
            "results": {
                name: f"{d} from {s}" if d != "logit QRE" else "the logit QRE's limit"
                for name, (d, s) in RESULTS.items()
            },
            "basin_profiles": list(labels.profiles) if labels.basins is not None else [],
        },
        "outcome_heading": f"{labels.subject()} reaches (share of points)",
        "column_types": {name: "text" for name in text_columns},
        "labels": {
            "players": dict(zip(labels.players, labels.player_names)),
            "strategies": {
                p: dict(zip(ids, names))
                for p, ids, names in zip(labels.players, labels.strategies, labels.strategy_names)
            },
        },
    }


DYNAMICS = AnalysisKind(
    name="dynamics",
    key="dynamics",
    default_for=_default_for,
    check=_check,
    labels=_labels,
    solve_chunk=solve_dynamics_chunk,
    refine=_refine,
    describe=_describe,
    manifest=_manifest,
    tolerance=TIPPING_TOLERANCE,
)
