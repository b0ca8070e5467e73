"""Figures of a sweep held in memory, and how a notebook shows them.

:func:`run_data_of` gives a :class:`~negsim.sweep.memory.SweepRun` the shape the figures of a
run folder read (:class:`~negsim.plot.runs.RunData`), so :func:`draw_sweep` draws exactly the
figures ``negsim plot`` draws from the folder the run would write. :class:`Figures` holds them
by name; a notebook shows it as the figures' PNG images.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import cast

import numpy as np
from matplotlib.figure import Figure

from negsim.plot import draw_run
from negsim.plot.runs import _TEXT, RunData, _names_from_manifest, _players_from_header
from negsim.plot.style import DPI, FORMATS, plot_style, save_figure
from negsim.sweep.memory import SweepRun
from negsim.sweep.table import Labels

__all__ = ["Figures", "draw_sweep", "run_data_of"]


class Figures(dict[str, Figure]):
    """A sweep's figures by name (``equilibria``, ``payoffs`` ...): matplotlib figures, shown
    one under the other in a notebook."""

    def save(self, folder: str | os.PathLike[str], formats: Sequence[str] = FORMATS) -> list[Path]:
        """Write every figure as ``folder/<name>.<format>``; returns the files written."""
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for name, figure in self.items():
            written += save_figure(figure, target / name, formats)
        return written

    def _repr_html_(self) -> str:
        parts = []
        for name, figure in self.items():
            buffer = io.BytesIO()
            with plot_style():
                figure.savefig(buffer, format="png", dpi=DPI / 2)
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            parts.append(f'<figure><img alt="{escape(name)}" style="max-width:100%" '
                         f'src="data:image/png;base64,{data}"><figcaption>{escape(name)}'
                         "</figcaption></figure>")
        return "".join(parts)


def _as_read(name: str, column: np.ndarray) -> np.ndarray:
    """A column as the figures read it from ``results.csv``: text (``""`` where missing) for
    the text columns, numbers (NaN where missing) for the rest."""
    if name in _TEXT:
        if column.dtype == bool:
            return np.where(column, "true", "false").astype(object)
        return np.array(["" if v is None else str(v) for v in column.tolist()], dtype=object)
    values = np.asarray(column, dtype=float)
    if np.issubdtype(column.dtype, np.integer):
        values = np.where(column < 0, np.nan, values)
    return values


def run_data_of(run: SweepRun) -> RunData:
    """The figures' view of a sweep held in memory; names come from the sweep's own game."""
    names = run.column_names
    columns = {name: _as_read(name, values) for name, values in run.columns.items()}
    players, strategies = _players_from_header(names)
    labels = run.manifest.get("labels")
    if not isinstance(labels, dict):
        table = run.planned.labels
        assert isinstance(table, Labels)   # a game tree's sweep records its labels
        labels = {"players": dict(zip(table.players, table.player_names)),
                  "strategies": {p: dict(zip(ids, shown)) for p, ids, shown in
                                 zip(table.players, table.strategies, table.strategy_names)}}
    player_names, strategy_names = _names_from_manifest(labels)
    return RunData(folder=Path(run.spec.id), manifest=run.manifest,
                   tipping_points=run.tipping_points, sensitivity=run.sensitivity, columns=columns,
                   players=players, strategies=strategies, player_names=player_names,
                   strategy_names=strategy_names, credibility=run.credibility)


def draw_sweep(run: SweepRun) -> Figures:
    """The figures ``negsim plot`` draws for the run folder of ``run``, not saved."""
    return Figures(cast(dict[str, Figure], draw_run(run_data_of(run))))
