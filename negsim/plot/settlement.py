"""Figures of bargaining and repeated-play sweeps, drawn from their run folders.

For a repeated-play sweep along one parameter: each player's smallest discount factor under
the scheme that needs the least patience (and, when the players' own discount factors were
given, those too), with the tipping points where the outcome starts or stops lasting.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from negsim.plot.runs import RunData
from negsim.plot.style import INK, MUTED, PLAYER_COLOURS, new_figure, plot_style, wrap

__all__ = ["draw_thresholds"]


def draw_thresholds(data: RunData, parameter: str) -> Figure:
    """Smallest discount factors against ``parameter`` (gaps where the outcome cannot last, or
    is a stage equilibrium), the players' own discount factors dashed when given."""
    x = np.asarray(data.values(parameter), dtype=float)
    order = np.argsort(x, kind="stable")
    x = x[order]
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        outcome = " / ".join(data.manifest.get("repeated", {}).get("cooperation", []))
        figure.suptitle(
            wrap(data.manifest.get("title") or f"Can {outcome} last?", 80, max_lines=2), fontweight="bold"
        )
        for i, player in enumerate(data.players):
            delta = np.asarray(data.columns[f"delta.{player}"], dtype=float)[order]
            ax.plot(
                x,
                delta,
                color=PLAYER_COLOURS[i % len(PLAYER_COLOURS)],
                linewidth=2.5,
                label=f"{data.player_name(player)}: smallest discount factor",
            )
            own = data.columns.get(f"discount.{player}")
            if own is not None:
                ax.plot(
                    x,
                    np.asarray(own, dtype=float)[order],
                    color=PLAYER_COLOURS[i % len(PLAYER_COLOURS)],
                    linestyle="--",
                    linewidth=1.5,
                    label=f"{data.player_name(player)}: its discount factor",
                )
        for t in data.tipping_points:
            if t["parameter"] == parameter and not t.get("line"):
                ax.axvline(t["value"], color=INK, linestyle=":", linewidth=1.2)
                ax.annotate(
                    f"{t['value']:g}",
                    (t["value"], 1.0),
                    xytext=(3, -14),
                    textcoords="offset points",
                    fontsize=11,
                    color=INK,
                )
        ax.set_ylim(-0.02, 1.05)
        ax.set_xlabel(data.parameter_label(parameter))
        ax.set_ylabel("discount factor δ")
        ax.grid(True)
        ax.set_title(
            "a gap: the outcome cannot be sustained there, or needs no patience (a stage equilibrium)",
            fontsize=12,
            fontweight="normal",
            color=MUTED,
        )
        ax.legend(loc="lower right", fontsize=11)
    return figure
