"""The payoff matrix as a figure: best responses boxed, pure equilibria shaded, mixed ones listed.

Rows are the first player's strategies, columns the second's; with three or more players there
is one panel per combination of the others' strategies (as in the terminal report). Each cell
shows every player's payoff in that player's colour, left to right in player order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from itertools import product
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.plot.style import (
    FIGSIZE,
    INK,
    MUTED,
    OKABE_ITO,
    PLAYER_COLOURS,
    check_formats,
    new_figure,
    plot_style,
    save_figure,
    shorten,
    wrap,
)
from negsim.solve.analysis import Analysis
from negsim.solve.result import Equilibrium

__all__ = ["EQUILIBRIUM_FILL", "MAX_PANELS", "draw_payoff_matrix", "format_payoff", "plot_payoff_matrix"]

EQUILIBRIUM_FILL = OKABE_ITO["yellow"]
#: More panels than this would be unreadable on one slide.
MAX_PANELS = 9
_MAX_LISTED_MIXED = 4


def format_payoff(value: float) -> str:
    value = float(value) + 0.0
    if value.is_integer():
        return str(int(value))
    return f"{value:.3g}"


def plot_payoff_matrix(game: Game, analysis: Analysis, path: str | os.PathLike[str]) -> Path:
    """Draw the payoff matrix of ``game`` into ``path`` (``.png``, ``.svg`` or ``.pdf``)."""
    path = Path(path)
    fmt = check_formats([path.suffix.lstrip(".")], option=str(path))[0] if path.suffix else None
    if fmt is None:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", file=str(path))])
    figure = draw_payoff_matrix(game, analysis)
    return save_figure(figure, path.with_suffix(""), [fmt])[0]


def draw_payoff_matrix(game: Game, analysis: Analysis) -> Figure:
    """The payoff-matrix figure (not saved)."""
    n = game.n_players
    rest = list(range(2, n))
    panels = list(product(*(range(game.shape[j]) for j in rest)))
    if len(panels) > MAX_PANELS:
        raise InputError(
            [
                Problem(
                    f"the payoff matrix would need {len(panels)} panels (one per combination of the "
                    f"strategies of players 3 and up); at most {MAX_PANELS} fit in a figure"
                )
            ]
        )
    equilibria = analysis.solution.equilibria
    pure = {cell for e in equilibria if (cell := e.pure_profile()) is not None}
    mixed = [e for e in equilibria if e.pure_profile() is None]
    rows, cols = game.shape[0], (game.shape[1] if n > 1 else 1)
    with plot_style():
        figure = new_figure(FIGSIZE)
        title = wrap(game.title or game.id or "Payoff matrix", 80, max_lines=2)
        figure.suptitle(title)
        grid_cols = math.ceil(math.sqrt(len(panels)))
        grid_rows = math.ceil(len(panels) / grid_cols)
        has_notes = bool(mixed) or len(equilibria) == 0
        notes_height = 0.16 + 0.07 * min(len(mixed), _MAX_LISTED_MIXED)
        heights = [1.0] * grid_rows + ([notes_height] if has_notes else [])
        spec = figure.add_gridspec(len(heights), grid_cols, height_ratios=heights)
        # Text scales down with the number of cells on the slide.
        cells_across = max(cols * grid_cols, rows * grid_rows)
        size = float(np.clip(19 - 1.2 * cells_across, 8, 16))
        label_width = max(10, int(60 / max(cols * grid_cols, 1)))
        # Payoffs side by side while the cells are wide enough, else one above the other.
        stacked = cols * grid_cols * n > 10
        for p, fixed in enumerate(panels):
            ax = figure.add_subplot(spec[p // grid_cols, p % grid_cols])
            _draw_panel(
                ax,
                game,
                analysis.best_responses,
                pure,
                tuple(fixed),
                rest,
                size=size,
                label_width=label_width,
                rows=rows,
                cols=cols,
                stacked=stacked,
            )
        legend_ax = figure.add_subplot(spec[-1, :]) if has_notes else None
        _legend(figure, game, legend_ax, mixed, no_equilibria=not equilibria, size=size)
    return figure


def _draw_panel(
    ax: Axes,
    game: Game,
    best: np.ndarray,
    pure: set[tuple[int, ...]],
    fixed: tuple[int, ...],
    rest: Sequence[int],
    *,
    size: float,
    label_width: int,
    rows: int,
    cols: int,
    stacked: bool,
) -> None:
    n = game.n_players
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_aspect("auto")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xticks([c + 0.5 for c in range(cols)])
    ax.set_yticks([r + 0.5 for r in range(rows)])
    col_names = game.strategy_names[1] if n > 1 else ("payoff",)
    ax.set_xticklabels([wrap(s, label_width, max_lines=3) for s in col_names], fontsize=size)
    ax.set_yticklabels([wrap(s, 22, max_lines=3) for s in game.strategy_names[0]], fontsize=size)
    ax.set_ylabel(f"{game.player_names[0]} (rows)", color=PLAYER_COLOURS[0], fontweight="bold")
    if n > 1:
        ax.set_xlabel(f"{game.player_names[1]} (columns)", color=PLAYER_COLOURS[1], fontweight="bold")
    if rest:
        caption = ", ".join(
            f"{game.player_names[j]}: {shorten(game.strategy_names[j][k], 30)}" for j, k in zip(rest, fixed)
        )
        ax.set_title(
            caption,
            fontsize=size + 1,
            color=PLAYER_COLOURS[2],
            pad=6,
            loc="center",
            y=-0.02,
            verticalalignment="top",
        )
    for r in range(rows):
        for c in range(cols):
            profile = (r,) + ((c,) if n > 1 else ()) + fixed
            feasible = game.is_feasible(profile)
            is_eq = profile in pure
            face = EQUILIBRIUM_FILL if is_eq else "white"
            ax.add_patch(
                Rectangle(
                    (c, r),
                    1,
                    1,
                    facecolor=face,
                    edgecolor=MUTED,
                    linewidth=1,
                    alpha=0.55 if is_eq else 1.0,
                    zorder=1,
                )
            )
            if is_eq:
                ax.add_patch(
                    Rectangle(
                        (c + 0.02, r + 0.03), 0.96, 0.94, fill=False, edgecolor=INK, linewidth=3, zorder=3
                    )
                )
            if game.status_quo is not None and profile == game.status_quo:
                ax.add_patch(
                    Rectangle(
                        (c + 0.06, r + 0.09),
                        0.88,
                        0.82,
                        fill=False,
                        edgecolor=INK,
                        linewidth=1.5,
                        linestyle=(0, (4, 3)),
                        zorder=3,
                    )
                )
            if not feasible:
                ax.add_patch(
                    Rectangle((c, r), 1, 1, facecolor="#EEEEEE", edgecolor=MUTED, hatch="//", zorder=2)
                )
                ax.text(
                    c + 0.5,
                    r + 0.5,
                    "infeasible",
                    ha="center",
                    va="center",
                    color="#555555",
                    fontsize=size * 0.85,
                    zorder=4,
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="#EEEEEE", edgecolor="none"),
                )
                continue
            for i in range(n):
                x, y = (c + 0.5, r + (i + 1) / (n + 1)) if stacked else (c + (i + 1) / (n + 1), r + 0.5)
                is_best = bool(best[(i, *profile)])
                ax.text(
                    x,
                    y,
                    format_payoff(game.payoffs[(i, *profile)]),
                    ha="center",
                    va="center",
                    fontsize=size,
                    zorder=4,
                    color=PLAYER_COLOURS[i],
                    fontweight="bold" if is_best else "normal",
                    bbox=dict(
                        boxstyle="round,pad=0.25", facecolor="white", edgecolor=PLAYER_COLOURS[i], linewidth=2
                    )
                    if is_best
                    else None,
                )


def _legend(
    figure: Figure,
    game: Game,
    ax: Axes | None,
    mixed: Sequence[Equilibrium],
    *,
    no_equilibria: bool,
    size: float,
) -> None:
    handles = [
        Patch(
            facecolor=to_rgba(EQUILIBRIUM_FILL, 0.55),
            edgecolor=INK,
            linewidth=3,
            label="pure Nash equilibrium",
        ),
        Line2D(
            [],
            [],
            marker="s",
            markersize=14,
            markerfacecolor="white",
            markeredgecolor=INK,
            markeredgewidth=2,
            linestyle="none",
            label="boxed: a best response",
        ),
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            markersize=12,
            color=PLAYER_COLOURS[i],
            linestyle="none",
            label=f"payoff to {game.player_names[i]}",
        )
        for i in range(game.n_players)
    ]
    if game.status_quo is not None:
        handles.append(Patch(facecolor="white", edgecolor=INK, linestyle="--", label="status quo"))
    if game.infeasible is not None:
        handles.append(Patch(facecolor="#EEEEEE", edgecolor=MUTED, hatch="//", label="infeasible"))
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 4),
        frameon=False,
        fontsize=max(size - 2, 9),
    )
    if ax is None:
        return
    ax.axis("off")
    lines = []
    if no_equilibria:
        lines.append("No equilibrium was found by the method used.")
    for k, e in enumerate(mixed[:_MAX_LISTED_MIXED], start=1):
        parts = []
        for i in range(game.n_players):
            support = e.support[i]
            mix = ", ".join(
                f"{shorten(game.strategy_names[i][s], 24)} {e.strategies[i][s]:.0%}" for s in support
            )
            parts.append(f"{game.player_names[i]}: {mix}")
        payoffs = ", ".join(format_payoff(v) for v in e.payoffs)
        lines.append(f"Mixed equilibrium {k}:  " + ";  ".join(parts) + f"  (payoffs {payoffs})")
    if len(mixed) > _MAX_LISTED_MIXED:
        lines.append(f"... and {len(mixed) - _MAX_LISTED_MIXED} more mixed equilibria (see negsim solve)")
    fontsize = max(size - 2, 9)
    # About 0.55 em per character; the notes span the figure's width.
    width = int(0.85 * figure.get_figwidth() * 72 / (0.55 * fontsize))
    notes = ax.text(
        0.0,
        1.0,
        "\n".join(wrap(line, width) for line in lines),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=fontsize,
        linespacing=1.4,
    )
    notes.set_in_layout(False)  # long notes must not squeeze the matrix
