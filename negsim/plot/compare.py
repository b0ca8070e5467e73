"""Several one-parameter sweeps of the same parameter, one above the other: how the equilibria
differ between variants of a scenario (e.g. with and without a linkage)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from negsim.errors import InputError, Problem
from negsim.plot.runs import RunData, load_run
from negsim.plot.style import (
    INK,
    MUTED,
    check_formats,
    colour,
    hatch,
    new_figure,
    plot_style,
    save_figure,
    wrap,
)
from negsim.plot.sweep1d import _default_value, _tipping_values, bands, mark_default, mark_tipping_points

__all__ = ["draw_comparison", "plot_comparison"]


def _swept_parameter(runs: Sequence[RunData]) -> str:
    problems = []
    for data in runs:
        if data.kind != "grid" or len(data.swept) != 1:
            problems.append(Problem("a comparison needs sweeps of one grid parameter; this run is a "
                                    f"{data.kind} sweep of {', '.join(data.swept) or 'nothing'}",
                                    file=str(data.folder)))
    if problems:
        raise InputError(problems)
    names = {data.swept[0] for data in runs}
    if len(names) != 1:
        raise InputError([Problem("the runs sweep different parameters: " + ", ".join(sorted(names)))])
    return names.pop()


def draw_comparison(runs: Sequence[RunData], names: Sequence[str] | None = None) -> Figure:
    """One panel of equilibrium bands per run, on a shared x axis; an outcome has the same
    colour in every panel."""
    if not runs:
        raise InputError([Problem("give at least one run folder to compare")])
    parameter = _swept_parameter(runs)
    names = list(names or [d.manifest.get("title") or d.scenario_title for d in runs])
    per_run = [[b for b in bands(d, parameter) if b.intervals] for d in runs]
    colours: dict[str, int] = {}
    for found in per_run:
        for b in sorted(found, key=lambda b: b.intervals[0]):
            colours.setdefault(b.outcome, len(colours))
    heights = [max(len(found), 1) + 0.8 for found in per_run]
    lo = min(float(np.nanmin(d.values(parameter))) for d in runs)
    hi = max(float(np.nanmax(d.values(parameter))) for d in runs)
    with plot_style():
        figure = new_figure()
        figure.suptitle(f"Equilibria along {parameter}, {len(runs)} variants", fontweight="bold")
        axes = figure.subplots(len(runs), 1, sharex=True, squeeze=False, height_ratios=heights)[:, 0]
        for ax, data, found, name in zip(axes, runs, per_run, names):
            found = sorted(found, key=lambda b: b.intervals[0])
            n = len(found)
            for row, band in enumerate(found):
                k = colours[band.outcome]
                for start, stop in band.intervals:
                    ax.barh(n - 1 - row, stop - start, left=start, height=0.62, color=colour(k),
                            hatch=hatch(k), edgecolor="white", linewidth=0.5, zorder=2)
            ax.set_yticks(range(n))
            ax.set_yticklabels([wrap(data.outcome_label(b.outcome), 34, max_lines=2)
                                for b in reversed(found)], fontsize=12)
            ax.set_ylim(-0.6, n - 0.4)
            ax.set_title(wrap(name, 100, max_lines=2), fontsize=14, loc="left", pad=20)
            ax.grid(axis="x", zorder=0)
            mark_tipping_points(ax, _tipping_values(data, parameter), label_axes=True, size=12)
            mark_default(ax, _default_value(data, parameter), label=True, size=12)
        pad = 0.01 * (hi - lo or 1.0)
        axes[-1].set_xlim(lo - pad, hi + pad)
        axes[-1].set_xlabel(runs[0].parameter_label(parameter))
        handles = [Line2D([], [], color=INK, linestyle=(0, (5, 4)), linewidth=1.4, label="tipping point"),
                   Line2D([], [], color=MUTED, linewidth=6, alpha=0.6, label="scenario default")]
        figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False,
                      title=f"equilibria ({runs[0].players_line}); several bars above one value: "
                            "several equilibria")
    return figure


def plot_comparison(folders: Sequence[str | os.PathLike[str]], path: str | os.PathLike[str],
                    names: Sequence[str] | None = None) -> Path:
    """Draw :func:`draw_comparison` of complete run folders into ``path`` (.png, .svg or .pdf)."""

    path = Path(path)
    fmt = check_formats([path.suffix or "?"], option=str(path))[0]
    figure = draw_comparison([load_run(f) for f in folders], names)
    return save_figure(figure, path.with_suffix(""), [fmt])[0]
