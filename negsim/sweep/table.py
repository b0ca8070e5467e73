"""The tidy table of a sweep: one row per point and equilibrium, built with array operations.

:func:`tabulate` turns one chunk's solved points into columns (numpy arrays, strings as object
arrays with ``None`` for "not applicable"); :func:`encode_csv` and :func:`encode_json_lines`
turn columns into text. The columns are described in ``docs/reference/run-folder.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from negsim.game import Game, ParametricGame
from negsim.solve.batch import PointEquilibria

__all__ = [
    "NO_EQUILIBRIUM",
    "SUPPORT_EPS",
    "Labels",
    "Tabulated",
    "csv_header",
    "encode_csv",
    "encode_json_lines",
    "encode_rows",
    "tabulate",
]

#: A probability above this counts as played (in the support).
SUPPORT_EPS = 1e-12
#: ``equilibrium_set`` of a point where no equilibrium was found (possible with ``--method pure``).
NO_EQUILIBRIUM = "(none)"

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


@dataclass(frozen=True)
class Labels:
    """What the table and the sentences call players, strategies and parameters."""

    players: tuple[str, ...]
    player_names: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    strategy_names: tuple[tuple[str, ...], ...]
    parameters: tuple[str, ...]

    @classmethod
    def of(cls, game: Game | ParametricGame) -> Labels:
        """From a :class:`negsim.game.ParametricGame` (or a :class:`~negsim.game.Game`)."""
        return cls(
            tuple(game.players),
            tuple(game.player_names or game.players),
            tuple(tuple(s) for s in game.strategies),
            tuple(tuple(s) for s in (game.strategy_names or game.strategies)),
            tuple(getattr(game, "parameters", ()) or ()),
        )

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)

    def parameter_column(self, name: str) -> str:
        """A parameter's column: its name, or ``param.<name>`` when that is a fixed column."""
        return f"param.{name}" if name in _FIXED else name

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
            *(
                f"p.{player}.{s}"
                for player, strategies in zip(self.players, self.strategies)
                for s in strategies
            ),
            *(f"payoff.{player}" for player in self.players),
            "welfare",
            "regret",
            "degenerate",
            "dominance",
        ]

    def point_columns(self) -> list[str]:
        """The columns of ``points.csv``."""
        return ["point", "varied", *(self.parameter_column(p) for p in self.parameters)]

    def outcome_label(self, supports: Sequence[Sequence[int]]) -> str:
        """``"limited / waive"``; a mixed strategy's support joined by ``+``."""
        return " / ".join("+".join(self.strategies[i][k] for k in s) for i, s in enumerate(supports))


Support = tuple[tuple[int, ...], ...]


@dataclass(frozen=True, eq=False)
class Tabulated:
    """One chunk's table (``columns``, one entry per row) and what the run keeps per point:
    ``point_sets[p]`` the equilibrium set's label, ``lead_payoffs[p]`` each player's payoff in
    the point's first equilibrium (NaN where none), and ``sets`` every set label's equilibria
    as supports, in the order of the label."""

    columns: dict[str, np.ndarray]
    point_sets: np.ndarray
    lead_payoffs: np.ndarray
    sets: dict[str, tuple[Any, ...]]  # supports (matrix games) or profiles (trees)

    @property
    def n_rows(self) -> int:
        return len(self.columns["point"])


def _unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D array and, for each row, the index of its distinct row."""
    if matrix.shape[0] == 0:
        return matrix, np.zeros(0, dtype=np.int64)
    unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)


def _split(row: np.ndarray, shape: Sequence[int]) -> Support:
    out, at = [], 0
    for m in shape:
        out.append(tuple(int(k) for k in np.flatnonzero(row[at : at + m])))
        at += m
    return tuple(out)


def _grouped(eq: PointEquilibria) -> PointEquilibria:
    """The equilibria in point order (stable): what the row numbering below relies on."""
    if len(eq.point) < 2 or np.all(np.diff(eq.point) >= 0):
        return eq
    order = np.argsort(eq.point, kind="stable")
    return replace(
        eq,
        point=eq.point[order],
        strategies=tuple(s[order] for s in eq.strategies),
        payoffs=eq.payoffs[order],
        regret=eq.regret[order],
    )


def row_layout(point: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows of a table: every equilibrium (``point`` says whose), plus one empty row for each
    point without any, in point order. Returns each row's point, its equilibrium index (-1 for
    an empty row), whether it has one, and an index safe to take with."""
    empty = np.flatnonzero(counts == 0)
    row_point = np.concatenate([point, empty]).astype(np.int64)
    row_eq = np.concatenate([np.arange(len(point)), np.full(len(empty), -1)])
    order = np.argsort(row_point, kind="stable")
    row_point, row_eq = row_point[order], row_eq[order]
    has = row_eq >= 0
    return row_point, row_eq, has, np.where(has, row_eq, 0)


def tabulate(
    labels: Labels,
    start: int,
    values: Mapping[str, np.ndarray],
    varied: np.ndarray | None,
    equilibria: PointEquilibria,
    alive: Sequence[np.ndarray],
) -> Tabulated:
    """The rows of points ``start ..``: ``values`` holds every parameter's value per point,
    ``equilibria`` is a :class:`negsim.solve.batch.PointEquilibria`, ``alive`` the survivors of
    iterated strict dominance per player (``(points, m_i)`` booleans)."""
    eq = _grouped(equilibria)
    shape = labels.shape
    n_points = eq.n_points
    counts = eq.count()
    first = np.cumsum(counts) - counts
    n_eq = len(eq.point)
    row_point, row_eq, has, take = row_layout(eq.point, counts)

    # Outcomes: each equilibrium's supports, labelled once per distinct support.
    supports = (
        np.concatenate([s > SUPPORT_EPS for s in eq.strategies], axis=1)
        if n_eq
        else np.zeros((0, sum(shape)), dtype=bool)
    )
    distinct, outcome_id = _unique_rows(supports)
    outcome_supports = [_split(r, shape) for r in distinct]
    outcome_labels = np.array([labels.outcome_label(s) for s in outcome_supports] + [None], dtype=object)
    outcome_pure = np.array([all(len(s) == 1 for s in sup) for sup in outcome_supports], dtype=bool)
    # Canonical order inside a set: pure first, then by support size, then strategy order;
    # so the same set of equilibria always gets the same label.
    ranking = sorted(
        range(len(distinct)),
        key=lambda k: (not outcome_pure[k], sum(len(s) for s in outcome_supports[k]), outcome_supports[k]),
    )
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[ranking] = np.arange(len(distinct))
    width = max(1, int(counts.max()) if n_points else 1)
    members = np.full((n_points, width), len(distinct), dtype=np.int64)  # padding sorts last
    if n_eq:
        members[eq.point, np.arange(n_eq) - first[eq.point]] = rank[outcome_id]
    members.sort(axis=1)
    set_rows, set_of_point = _unique_rows(members)
    set_labels, sets = [], {}
    for row in set_rows:
        chosen = [ranking[r] for r in row if r < len(distinct)]
        label = " | ".join(outcome_labels[k] for k in chosen) or NO_EQUILIBRIUM
        set_labels.append(label)
        sets[label] = tuple(outcome_supports[k] for k in chosen)
    point_sets = np.array(set_labels, dtype=object)[set_of_point] if n_points else np.zeros(0, dtype=object)

    # Dominance: the survivors of each point, labelled once per distinct result.
    survivors = np.concatenate([np.asarray(a, dtype=bool) for a in alive], axis=1)
    dom_rows, dom_of_point = _unique_rows(survivors)
    dom_labels = np.array(
        [
            " / ".join(",".join(labels.strategies[i][k] for k in s) for i, s in enumerate(_split(r, shape)))
            for r in dom_rows
        ],
        dtype=object,
    )

    def per_eq(array: np.ndarray | Sequence[float]) -> np.ndarray:
        out = np.asarray(array, dtype=float)[take] if n_eq else np.zeros(len(take))
        return np.where(has, out, np.nan)

    columns: dict[str, np.ndarray] = {
        "point": start + row_point,
        "varied": (varied[row_point] if varied is not None else np.full(len(row_point), None, dtype=object)),
    }
    for name in labels.parameters:
        columns[labels.parameter_column(name)] = np.asarray(values[name], dtype=float)[row_point]
    columns["equilibrium"] = np.where(has, row_eq - first[row_point], -1)
    columns["n_equilibria"] = counts[row_point]
    outcome_kinds = np.array(["pure" if pure else "mixed" for pure in outcome_pure] + [None], dtype=object)
    oid = np.where(has, outcome_id[take], len(distinct)) if n_eq else np.full(len(take), len(distinct))
    columns["kind"] = outcome_kinds[oid]
    columns["outcome"] = outcome_labels[oid]
    columns["equilibrium_set"] = point_sets[row_point]
    for i, (player, strategies) in enumerate(zip(labels.players, labels.strategies)):
        for k, s in enumerate(strategies):
            columns[f"p.{player}.{s}"] = per_eq(eq.strategies[i][:, k] if n_eq else [])
    payoffs = [per_eq(eq.payoffs[:, i] if n_eq else []) for i in range(len(shape))]
    for player, column in zip(labels.players, payoffs):
        columns[f"payoff.{player}"] = column
    columns["welfare"] = np.sum(payoffs, axis=0)
    columns["regret"] = per_eq(eq.regret)
    columns["degenerate"] = np.asarray(eq.degenerate, dtype=bool)[row_point]
    columns["dominance"] = dom_labels[dom_of_point][row_point]

    lead = np.full((n_points, len(shape)), np.nan)
    with_eq = counts > 0
    if n_eq:
        lead[with_eq] = eq.payoffs[first[with_eq]]
    return Tabulated(columns, point_sets, lead, sets)


# -- text ----------------------------------------------------------------------------------------


def _csv_text(value: str) -> str:
    if any(c in value for c in ',"\n\r') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def _tokens(column: np.ndarray) -> tuple[list, np.ndarray | None]:
    """A number column as text, and where values are missing (or ``None``).

    Values are written with ``repr`` (the shortest text that reads back as the same float).
    Sweep columns repeat few distinct values (probabilities 0 and 1, fixed parameters), so each
    distinct value is formatted once.
    """
    if column.dtype == bool:
        return np.where(column, "true", "false").tolist(), None
    if np.issubdtype(column.dtype, np.integer):
        # Only ``equilibrium`` can be negative: -1 marks a point without equilibria.
        missing = column < 0
        return list(map(str, column.tolist())), missing if missing.any() else None
    missing = ~np.isfinite(column)
    distinct, inverse = np.unique(column, return_inverse=True)
    if len(distinct) * 4 > len(column):
        text = list(map(repr, column.tolist()))
    else:
        text = np.array(list(map(repr, distinct.tolist())), dtype=object)[inverse.reshape(-1)].tolist()
    return text, missing if missing.any() else None


def _texts(column: np.ndarray, encode: Callable[[Any], str], missing: str) -> list[str]:
    cache: dict = {None: missing}
    out = []
    for v in column.tolist():
        text = cache.get(v)
        if text is None:
            text = cache[v] = encode(v)
        out.append(text)
    return out


def _with_missing(tokens: list, missing: np.ndarray | None, marker: str) -> list:
    if missing is None:
        return tokens
    tokens = list(tokens)
    for k in np.flatnonzero(missing).tolist():
        tokens[k] = marker
    return tokens


def encode_rows(
    columns: Mapping[str, np.ndarray], names: Sequence[str], *, csv: bool = True, json_lines: bool = True
) -> tuple[str, str]:
    """The rows as CSV (no header; missing values are empty fields) and as JSON Lines (one
    object per line; missing values are ``null``). Numbers are formatted once for both; an
    encoding not wanted (``csv=False``, ``json_lines=False``) is the empty string."""
    if not names or len(columns[names[0]]) == 0 or not (csv or json_lines):
        return "", ""
    csv_fields, json_fields = [], []
    for name in names:
        column = columns[name]
        if column.dtype == object:
            if csv:
                csv_fields.append(_texts(column, _csv_text, ""))
            if json_lines:
                json_fields.append(_texts(column, json.dumps, "null"))
            continue
        tokens, missing = _tokens(column)
        if csv:
            csv_fields.append(_with_missing(tokens, missing, ""))
        if json_lines:
            json_fields.append(_with_missing(tokens, missing, "null"))
    csv_row = ",".join(["%s"] * len(names))
    json_row = "{" + ", ".join(json.dumps(n).replace("%", "%%") + ": %s" for n in names) + "}"
    return (
        "\n".join(map(csv_row.__mod__, zip(*csv_fields))) + "\n" if csv else "",
        "\n".join(map(json_row.__mod__, zip(*json_fields))) + "\n" if json_lines else "",
    )


def encode_csv(columns: Mapping[str, np.ndarray], names: Sequence[str]) -> str:
    """Rows of CSV (no header), one per table row; missing values are empty fields."""
    if not names or len(columns[names[0]]) == 0:
        return ""
    fields = []
    for name in names:
        column = columns[name]
        if column.dtype == object:
            fields.append(_texts(column, _csv_text, ""))
        else:
            fields.append(_with_missing(*_tokens(column), ""))
    return "\n".join(map(",".join(["%s"] * len(names)).__mod__, zip(*fields))) + "\n"


def encode_json_lines(columns: Mapping[str, np.ndarray], names: Sequence[str]) -> str:
    """One JSON object per row, one per line; missing values are ``null``."""
    return encode_rows(columns, names)[1]


def csv_header(names: Sequence[str]) -> str:
    return ",".join(_csv_text(n) for n in names) + "\n"
