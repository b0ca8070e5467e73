"""Figures of stability sweeps (option-form conflicts): where each state is stable.

A region map of whole equilibrium sets gets crowded when many states are stable at once, so a
sweep over two parameters also gets ``state-regions``: one small map per state whose stability
changes somewhere on the grid (a state stable everywhere or nowhere says nothing about the
parameters), shaded where the state is an equilibrium under the sweep's concept, with the
scenario's default values marked. Everything comes from the run folder's ``results.csv``.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from negsim.plot.region import _edges, _is_log
from negsim.plot.runs import RunData
from negsim.plot.style import INK, MUTED, OKABE_ITO, new_figure, plot_style, wrap

__all__ = ["MAX_PANELS", "changing_states", "draw_state_regions"]

#: Most states drawn (those stable on the largest share of the grid, below all of it, first).
MAX_PANELS = 9
STABLE_COLOUR = OKABE_ITO["blue"]
UNSTABLE_COLOUR = "#EDEDED"


def _grid(data: RunData, x_name: str, y_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    point = data.columns["point"].astype(int)
    first = np.unique(point, return_index=True)[1]
    return data.values(x_name)[first], data.values(y_name)[first], point[first]


def changing_states(data: RunData) -> list[tuple[int, float]]:
    """The states that are equilibria at some but not every point, with their share of the
    points, largest share first."""
    point = data.columns["point"].astype(int)
    state = data.columns["state"]
    n_points = len(np.unique(point))
    shares = []
    for s in np.unique(state[~np.isnan(state)]).astype(int):
        share = len(np.unique(point[state == s])) / n_points
        if 0 < share < 1:
            shares.append((int(s), share))
    return sorted(shares, key=lambda t: (-t[1], t[0]))


def _state_title(data: RunData, state: int) -> str:
    for record in data.manifest.get("stability", {}).get("states", []):
        if record["state"] == state:
            return f"{record['outcome']} ({record['yn']})"
    return str(state)


def draw_state_regions(data: RunData, x_name: str, y_name: str, states: list[int] | None = None) -> Figure:
    """One panel per state whose stability changes over the grid (or per state of ``states``,
    by decimal code): where it is stable."""
    xv, yv, points = _grid(data, x_name, y_name)
    xs, ys = np.unique(xv), np.unique(yv)
    col = {p: (int(np.searchsorted(ys, y)), int(np.searchsorted(xs, x))) for p, x, y in zip(points, xv, yv)}
    shares = dict(changing_states(data))
    if states is None:
        chosen = list(shares.items())[:MAX_PANELS]
    else:
        n_points = len(points)
        chosen = [
            (s, shares.get(s, len(np.unique(data.columns["point"][data.columns["state"] == s])) / n_points))
            for s in states
        ]
    states_shown = chosen
    concept = data.manifest.get("stability", {}).get("concept", "")
    log_x, log_y = _is_log(data, x_name), _is_log(data, y_name)
    xe, ye = _edges(xs, log_x), _edges(ys, log_y)
    panels = max(1, len(states_shown))
    ncols = min(3, panels)
    nrows = math.ceil(panels / ncols)
    with plot_style():
        width = 4.6 * ncols + 1.2
        figure = new_figure((width, 4.1 * nrows + 1.6))
        chars = int(6.5 * width)  # what fits across the figure at the title's size
        title = data.manifest.get("title") or f"Where each state is {concept} stable"
        figure.suptitle(wrap(title, chars, max_lines=3), fontweight="bold")
        axes = figure.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
        for ax in axes.ravel()[len(states_shown) :]:
            ax.set_visible(False)
        if not states_shown:
            ax = axes[0, 0]
            ax.set_visible(True)
            ax.text(
                0.5,
                0.5,
                "no state's stability changes over this grid",
                ha="center",
                va="center",
                color=MUTED,
                transform=ax.transAxes,
            )
        point = data.columns["point"].astype(int)
        state_column = data.columns["state"]
        default_x = data.parameter(x_name).get("default")
        default_y = data.parameter(y_name).get("default")
        for ax, (state, share) in zip(axes.ravel(), states_shown):
            grid = np.zeros((len(ys), len(xs)))
            for p in np.unique(point[state_column == state]):
                grid[col[int(p)]] = 1.0
            ax.pcolormesh(
                xe,
                ye,
                grid,
                cmap=ListedColormap([UNSTABLE_COLOUR, STABLE_COLOUR]),
                vmin=0,
                vmax=1,
                shading="flat",
                linewidth=0,
                antialiased=False,
                rasterized=True,
            )
            if log_x:
                ax.set_xscale("log")
            if log_y:
                ax.set_yscale("log")
            ax.set_xlim(xe[0], xe[-1])
            ax.set_ylim(ye[0], ye[-1])
            ax.set_title(
                wrap(_state_title(data, state), 34, max_lines=2) + f"\nstable on {share:.0%}",
                fontsize=11,
                color=INK,
            )
            if default_x is not None and default_y is not None:
                ax.plot(
                    [default_x],
                    [default_y],
                    marker="*",
                    markersize=14,
                    color="white",
                    markeredgecolor=INK,
                    zorder=3,
                )
            ax.tick_params(labelsize=10)
        for ax in axes[-1, :]:
            ax.set_xlabel(wrap(x_name, 30), fontsize=12)
        for ax in axes[:, 0]:
            ax.set_ylabel(wrap(y_name, 30), fontsize=12)
        figure.supxlabel(
            wrap(
                f"blue: the state is an equilibrium ({concept} stable for every decision "
                "maker); star: the scenario's defaults",
                int(11 * width),
            ),
            fontsize=11,
            color=MUTED,
        )
    return figure
