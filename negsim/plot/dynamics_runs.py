"""Figures of a sweep of learning dynamics, from its run folder (nothing is run again).

``dynamics``: one strip per recorded dynamic (best responses from the status quo, fictitious
play from uniform play and from the status quo, the replicator from uniform play, the logit QRE
limit), coloured by the equilibrium it reaches at each value of the swept parameter, so that
one look shows where the dynamics agree and where the start decides. ``basins``: when the run
recorded basins of attraction, the share of random starts reaching each equilibrium, stacked.
Both are drawn for sweeps along one parameter; the usual band figure (``equilibria``) shows the
followed dynamic with its tipping points.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from negsim.plot.runs import RunData
from negsim.plot.style import INK, MANY_COLOURS, MUTED, new_figure, plot_style, shorten, wrap

__all__ = ["draw_basin_shares", "draw_dynamics_strips", "dynamics_figures"]

#: What each recorded column is called on the figure.
_STRIPS = {
    "best_response.status_quo": "best responses\nfrom the status quo",
    "fictitious_play.uniform": "fictitious play\nfrom uniform play",
    "fictitious_play.status_quo": "fictitious play\nfrom the status quo",
    "replicator.uniform": "replicator\nfrom uniform play",
    "qre.limit": "logit QRE\n(its limit)",
}


def dynamics_figures(data: RunData) -> dict[str, Figure]:
    """The figures of a dynamics run along one parameter (none for other kinds of sweep)."""
    if data.kind != "grid" or len(data.swept) != 1:
        return {}
    parameter = data.swept[0]
    figures = {"dynamics": draw_dynamics_strips(data, parameter)}
    if any(name.startswith("basin.") for name in data.columns):
        figures["basins"] = draw_basin_shares(data, parameter)
    return figures


def _edges(x: np.ndarray) -> np.ndarray:
    """Cell edges around sorted values: halfway between neighbours, the ends half a step out."""
    if len(x) == 1:
        return np.array([x[0] - 0.5, x[0] + 0.5])
    middle = (x[1:] + x[:-1]) / 2
    return np.concatenate([[x[0] - (middle[0] - x[0])], middle, [x[-1] + (x[-1] - middle[-1])]])


def _colours(data: RunData, parameter: str) -> dict[str, str]:
    """One colour per equilibrium for both figures, in order of first appearance as the parameter
    rises (every strip, then the basins); grey for no equilibrium."""
    order = np.argsort(np.asarray(data.values(parameter), dtype=float), kind="stable")
    names = [n for n in _STRIPS if n in data.columns]
    basins = [n for n in data.columns if n.startswith("basin.") and n not in ("basin.none", "basin.other")]
    seen: list[str] = []
    for k in order:
        for name in names:
            value = data.columns[name][k]
            if value not in (None, "") and str(value) not in seen:
                seen.append(str(value))
        for name in basins:
            if float(data.columns[name][k]) > 0 and name.removeprefix("basin.") not in seen:
                seen.append(name.removeprefix("basin."))
    reached = [label for label in seen if not label.startswith(("none", "equilibrium near"))]
    colours = {label: MANY_COLOURS[k % len(MANY_COLOURS)] for k, label in enumerate(reached)}
    for label in seen:
        colours.setdefault(label, MUTED if label.startswith("none") else "#CCCCCC")
    colours.setdefault("none", MUTED)
    colours.setdefault("other", "#CCCCCC")
    return colours


def _label_text(data: RunData, label: str) -> str:
    if label.startswith("none (") or label.startswith("equilibrium near"):
        return label
    return data.outcome_label(label, 24)


def draw_dynamics_strips(data: RunData, parameter: str) -> Figure:
    """Where each recorded dynamic goes, one strip each, along ``parameter``."""
    x = np.asarray(data.values(parameter), dtype=float)
    order = np.argsort(x, kind="stable")
    x = x[order]
    edges = _edges(x)
    strips = [
        name
        for name in _STRIPS
        if name in data.columns and any(v not in (None, "") for v in data.columns[name])
    ]
    labels: list[str] = []
    for name in strips:
        for value in data.columns[name][order]:
            if value not in (None, "") and value not in labels:
                labels.append(str(value))
    colours = _colours(data, parameter)
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        figure.suptitle(
            wrap(f"Where learning dynamics go as {parameter} changes", 80, max_lines=2),
            fontsize=19,
            fontweight="bold",
        )
        if data.scenario_title:
            ax.set_title(
                wrap(data.scenario_title, 110, max_lines=2), fontsize=13, fontweight="normal", color="#555555"
            )
        for row, name in enumerate(strips):
            values = data.columns[name][order]
            y = len(strips) - 1 - row
            for k, value in enumerate(values):
                if value in (None, ""):
                    continue
                label = str(value)
                ax.barh(
                    y,
                    edges[k + 1] - edges[k],
                    left=edges[k],
                    height=0.7,
                    color=colours[label],
                    hatch="//" if label.startswith("none") else "",
                    edgecolor="white",
                    linewidth=0.0,
                )
        ax.set_yticks(range(len(strips)))
        ax.set_yticklabels([_STRIPS[name] for name in reversed(strips)], fontsize=13)
        ax.set_ylim(-0.6, len(strips) - 0.4)
        ax.set_xlim(edges[0], edges[-1])
        ax.set_xlabel(data.parameter_label(parameter))
        default = data.parameter(parameter).get("default")
        if default is not None:
            ax.axvline(float(default), color=INK, linestyle=":", linewidth=1.6)
        handles = [
            Patch(
                facecolor=colours[label],
                hatch="//" if label.startswith("none") else "",
                edgecolor="white",
                label=wrap(shorten(_label_text(data, label), 60), 34, max_lines=2),
            )
            for label in labels
        ]
        figure.legend(
            handles=handles,
            loc="outside right center",
            frameon=False,
            title=f"reaches\n({wrap(data.players_line, 30)})",
            fontsize=12,
        )
    return figure


def draw_basin_shares(data: RunData, parameter: str) -> Figure:
    """The share of random starts reaching each equilibrium, stacked, along ``parameter``."""
    x = np.asarray(data.values(parameter), dtype=float)
    order = np.argsort(x, kind="stable")
    x = x[order]
    names = [
        name
        for name in data.columns
        if name.startswith("basin.") and np.nansum(np.asarray(data.columns[name], dtype=float)) > 0
    ]
    settings = (data.manifest.get("dynamics") or {}).get("settings", {}).get("basins") or {}
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        samples = settings.get("samples", "?")
        figure.suptitle(
            wrap(
                f"Basins of attraction as {parameter} changes ({samples} random starts, "
                f"seed {settings.get('seed', '?')})",
                80,
                max_lines=2,
            ),
            fontsize=19,
            fontweight="bold",
        )
        if data.scenario_title:
            ax.set_title(
                wrap(data.scenario_title, 110, max_lines=2), fontsize=13, fontweight="normal", color="#555555"
            )
        shares = [np.asarray(data.columns[name], dtype=float)[order] for name in names]
        palette = _colours(data, parameter)
        colours = [palette.get(name.removeprefix("basin."), MUTED) for name in names]
        labels = []
        for name in names:
            outcome = name.removeprefix("basin.")
            labels.append(
                {"none": "no equilibrium by the horizon", "other": "a mixed equilibrium"}.get(
                    outcome, wrap(data.outcome_label(outcome, 24), 34, max_lines=2)
                )
            )
        if shares:
            ax.stackplot(
                x, np.vstack(shares), colors=colours, labels=labels, edgecolor="white", linewidth=0.3
            )
        ax.set_xlim(float(x[0]), float(x[-1]))
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of starts reaching it")
        ax.set_xlabel(data.parameter_label(parameter))
        default = data.parameter(parameter).get("default")
        if default is not None:
            ax.axvline(float(default), color=INK, linestyle=":", linewidth=1.6)
        figure.legend(
            loc="outside right center",
            frameon=False,
            fontsize=12,
            title=f"equilibrium\n({wrap(data.players_line, 30)})",
        )
    return figure
