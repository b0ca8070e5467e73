"""A sweep's run folder read back for drawing: the table as columns, and names for labels.

Everything a figure shows comes from the run folder (``docs/reference/run-folder.md``); nothing
is solved again. Display names of players and strategies come from the manifest's ``labels``
when it has them; otherwise from the scenario the run names, if it can still be read and has
the same players and strategies; otherwise the figure uses the identifiers of the table.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from negsim.compile.source import load_source
from negsim.errors import InputError, Problem
from negsim.plot.style import shorten, wrap
from negsim.sweep import read_run

__all__ = ["RunData", "format_value", "load_run"]

_TEXT = {"varied", "kind", "outcome", "equilibrium_set", "dominance", "degenerate"}
_FIXED = (
    "point",
    "varied",
    "equilibrium",
    "n_equilibria",
    "kind",
    "outcome",
    "equilibrium_set",
    "welfare",
    "regret",
    "degenerate",
    "dominance",
)
NO_EQUILIBRIUM = "(none)"


def format_value(value: float, digits: int = 4) -> str:
    """``1.5``, ``3.333``, ``-2``, ``1.2e+06``: short, for labels."""
    value = float(value) + 0.0
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e9:
        return str(int(value))
    return f"{value:.{digits}g}"


@dataclass(frozen=True, eq=False)
class RunData:
    """One complete run: the manifest, tipping points, sensitivity, and the table's columns."""

    folder: Path
    manifest: dict[str, Any]
    tipping_points: list[dict[str, Any]]
    sensitivity: list[dict[str, Any]] | None
    columns: dict[str, np.ndarray]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    player_names: dict[str, str] = field(default_factory=dict)
    strategy_names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: ``credibility.json`` when the run is held in memory (a folder's is read from its file).
    credibility: dict[str, Any] | None = None

    # -- what the run is ------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        kind: str = self.manifest.get("kind", "")
        return kind

    @property
    def swept(self) -> list[str]:
        return list(self.manifest.get("swept", []))

    @property
    def title(self) -> str:
        title: str = (
            self.manifest.get("title")
            or self.manifest.get("scenario", {}).get("title")
            or self.manifest.get("id", "")
        )
        return title

    @property
    def scenario_title(self) -> str:
        title: str = self.manifest.get("scenario", {}).get("title") or ""
        return title

    def parameter(self, name: str) -> dict[str, Any]:
        """The manifest's record of a parameter: value, default, min, max, unit, description."""
        record: dict[str, Any] = self.manifest.get("parameters", {}).get(name, {})
        return record

    def parameter_column(self, name: str) -> str:
        return f"param.{name}" if name in _FIXED else name

    def values(self, name: str) -> np.ndarray:
        """A parameter's value on every row."""
        return self.columns[self.parameter_column(name)]

    def parameter_label(self, name: str, width: int = 80) -> str:
        """``sanction_cost (utility): Cost to Turkey of ...``, cut to about two lines."""
        info = self.parameter(name)
        unit = f" ({info['unit']})" if info.get("unit") else ""
        description = info.get("description") or ""
        text = f"{name}{unit}" + (f": {description}" if description else "")
        return wrap(text, width, max_lines=2)

    # -- names ----------------------------------------------------------------------------------

    def player_name(self, player: str) -> str:
        return self.player_names.get(player, player)

    def strategy_name(self, player: str, strategy: str) -> str:
        return self.strategy_names.get(player, {}).get(strategy, strategy)

    def outcome_label(self, outcome: str | None, width: int = 30) -> str:
        """``limited / keep`` -> ``Limited activation / Keep current sanctions``; a mixed
        strategy's support joined by ``+`` (each name shortened to ``width`` characters)."""
        if not outcome:
            return "no equilibrium found"
        parts = outcome.split(" / ")
        if len(parts) != len(self.players):
            return outcome
        names = []
        for player, part in zip(self.players, parts):
            support = part.split("+")
            names.append(" + ".join(shorten(self.strategy_name(player, s), width) for s in support))
        prefix = "mixed: " if any("+" in p for p in parts) else ""
        return prefix + " / ".join(names)

    def set_label(self, equilibrium_set: str, width: int = 30) -> str:
        """An equilibrium set in names, its outcomes joined by `` or ``."""
        if equilibrium_set == NO_EQUILIBRIUM:
            return "no equilibrium found"
        return "  or  ".join(self.outcome_label(o, width) for o in equilibrium_set.split(" | "))

    @property
    def players_line(self) -> str:
        """``Turkey / United States``: the order in which outcomes name the strategies."""
        return " / ".join(self.player_name(p) for p in self.players)

    # -- the table ------------------------------------------------------------------------------

    @property
    def n_points(self) -> int:
        return int(self.manifest.get("points_done", 0))

    def outcomes_by_frequency(self) -> list[str]:
        """Every outcome in the table, the most frequent first (ties: first seen)."""
        outcome = self.columns["outcome"]
        names, first, counts = np.unique(outcome[outcome != ""], return_index=True, return_counts=True)
        order = sorted(range(len(names)), key=lambda k: (-counts[k], first[k]))
        return [str(names[k]) for k in order]


def load_run(folder: str | os.PathLike[str]) -> RunData:
    """Read a complete run folder; :class:`InputError` for anything else."""

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem("not a folder (expected a sweep run folder)", file=str(folder))])
    result = read_run(folder)
    manifest = result.manifest
    status = result.status
    if status != "complete":
        why = {
            "interrupted": "the sweep was interrupted, so its tables hold only part of the points",
            "failed": f"the sweep failed ({manifest.get('error') or 'no reason recorded'})",
            "running": "the sweep is still running, or was killed before it finished",
        }.get(status, f"unknown run status {status!r}")
        raise InputError(
            [
                Problem(
                    f"{why}; figures are drawn from complete runs only: run the sweep again",
                    file=str(folder / "manifest.json"),
                )
            ]
        )
    text_columns = {k for k, v in manifest.get("column_types", {}).items() if v in ("text", "boolean")}
    path = result.file("results_csv")
    parquet = result.file("results_parquet")
    if path is not None and path.is_file():
        columns, header = _read_columns(path, text_columns)
    elif parquet is not None and parquet.is_file():
        columns, header = _read_parquet_columns(parquet, text_columns)
    else:
        raise InputError(
            [Problem("the run's results table (results.csv or results.parquet) is missing", file=str(folder))]
        )
    players, strategies = _players_from_header(header)
    if not players:
        raise InputError(
            [Problem("no probability columns (p.<player>.<strategy>) in the table", file=str(path))]
        )
    player_names, strategy_names = _names(manifest, players, strategies)
    return RunData(
        folder=folder,
        manifest=manifest,
        tipping_points=result.tipping_points,
        sensitivity=result.sensitivity,
        columns=columns,
        players=players,
        strategies=strategies,
        player_names=player_names,
        strategy_names=strategy_names,
    )


def _read_columns(
    path: Path, text_columns: set[str] | frozenset[str] = frozenset()
) -> tuple[dict[str, np.ndarray], list[str]]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise InputError([Problem("the table is empty (no header line)", file=str(path))])
            raw: list[list[str]] = [[] for _ in header]
            for line, row in enumerate(reader, start=2):
                if len(row) != len(header):
                    raise InputError(
                        [
                            Problem(
                                f"expected {len(header)} fields, found {len(row)}", file=str(path), line=line
                            )
                        ]
                    )
                for k, text in enumerate(row):
                    raw[k].append(text)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError([Problem(f"cannot read the table ({exc})", file=str(path))]) from None
    columns: dict[str, np.ndarray] = {}
    for name, texts in zip(header, raw):
        if name in _TEXT or name in text_columns:
            columns[name] = np.array(texts, dtype=object)
            continue
        try:
            columns[name] = np.array([float(t) if t else np.nan for t in texts], dtype=float)
        except ValueError:
            raise InputError([Problem(f"column {name!r}: expected numbers", file=str(path))]) from None
    if "point" not in columns or "outcome" not in columns or "equilibrium_set" not in columns:
        raise InputError(
            [
                Problem(
                    "not a sweep results table (columns point, outcome and equilibrium_set expected)",
                    file=str(path),
                )
            ]
        )
    return columns, header


def _read_parquet_columns(
    path: Path, text_columns: set[str] | frozenset[str] = frozenset()
) -> tuple[dict[str, np.ndarray], list[str]]:
    """The columns of ``results.parquet`` as :func:`_read_columns` reads them from the CSV: text
    (``""`` where missing; booleans as ``true``/``false``) or floats (NaN where missing)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            [
                Problem(
                    "the run wrote its table as Parquet only; reading it needs pyarrow: pip install pyarrow",
                    file=str(path),
                )
            ]
        ) from None
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise InputError([Problem(f"cannot read the table ({exc})", file=str(path))]) from None
    header = list(table.column_names)
    columns: dict[str, np.ndarray] = {}
    for name in header:
        values = table.column(name).to_pylist()
        if name in _TEXT or name in text_columns:
            columns[name] = np.array(
                [
                    "" if v is None else ("true" if v else "false") if isinstance(v, bool) else str(v)
                    for v in values
                ],
                dtype=object,
            )
        else:
            columns[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if "point" not in columns or "outcome" not in columns or "equilibrium_set" not in columns:
        raise InputError(
            [
                Problem(
                    "not a sweep results table (columns point, outcome and equilibrium_set expected)",
                    file=str(path),
                )
            ]
        )
    return columns, header


def _players_from_header(header: Sequence[str]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    players: list[str] = []
    strategies: dict[str, list[str]] = {}
    for name in header:
        if not name.startswith("p."):
            continue
        player, _, strategy = name[2:].partition(".")
        if player not in strategies:
            players.append(player)
            strategies[player] = []
        strategies[player].append(strategy)
    return tuple(players), tuple(tuple(strategies[p]) for p in players)


def _names(
    manifest: dict[str, Any], players: Iterable[str], strategies: Sequence[Sequence[str]]
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    players = tuple(players)
    labels = manifest.get("labels")
    if isinstance(labels, dict):
        return _names_from_manifest(labels)
    # Older manifests have no names: read them from the scenario, if it is still there and
    # still has the run's players and strategies. Only names are taken from it.
    record = manifest.get("scenario", {})
    for source in (record.get("id"), record.get("file"), record.get("source")):
        if not source:
            continue
        try:
            game = load_source(str(source)).game
        except (InputError, OSError, ValueError):
            continue
        same_strategies = tuple(map(tuple, game.strategies)) == tuple(map(tuple, strategies))
        if tuple(game.players) != players or not same_strategies:
            continue
        if record.get("id") and game.id and game.id != record["id"]:
            continue
        return (
            dict(zip(game.players, game.player_names)),
            {
                p: dict(zip(ids, names))
                for p, ids, names in zip(game.players, game.strategies, game.strategy_names)
            },
        )
    return {}, {}


def _names_from_manifest(labels: dict[str, Any]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """``{"players": {"turkey": "Turkey"}, "strategies": {"turkey": {"store": "..."}}}``."""
    given_players, given_strategies = labels.get("players"), labels.get("strategies")
    players: dict[Any, Any] = given_players if isinstance(given_players, dict) else {}
    strategies: dict[Any, Any] = given_strategies if isinstance(given_strategies, dict) else {}
    return (
        {str(k): str(v) for k, v in players.items()},
        {
            str(p): {str(k): str(v) for k, v in s.items()}
            for p, s in strategies.items()
            if isinstance(s, dict)
        },
    )
