"""Figures of a graph-model conflict: the state graph and the paths from the status quo.

The state graph puts states in layers by how many options are taken (left to right), each node
labelled with its decimal code and its Y/N column; arrows are unilateral moves in the colour of
the decision maker making them, solid when the move is a unilateral improvement for it, dashed
and light otherwise. A node's badges name the concepts under which it is an equilibrium, and an
equilibrium under any concept gets a thick outline.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from negsim.conflict.model import Conflict
from negsim.conflict.reach import describe_move
from negsim.conflict.stability import StabilityAnalysis
from negsim.conflict.status_quo import StatusQuoPath
from negsim.errors import InputError, Problem
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
    wrap,
)

__all__ = [
    "EQUILIBRIUM_FILL",
    "MAX_STATES",
    "draw_state_graph",
    "draw_status_quo_paths",
    "plot_state_graph",
    "plot_status_quo_paths",
    "state_positions",
]

EQUILIBRIUM_FILL = OKABE_ITO["yellow"]
#: Beyond this many states the graph is unreadable on a slide.
MAX_STATES = 64
#: With more states than this, only improvements are drawn by default.
_ALL_MOVES_UP_TO = 16


def _dm_colour(k: int) -> str:
    return PLAYER_COLOURS[k % len(PLAYER_COLOURS)]


def _path_of(path: str | os.PathLike[str]) -> tuple[Path, str]:
    p = Path(path)
    if not p.suffix:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", file=str(p))])
    return p, check_formats([p.suffix.lstrip(".")], option=str(p))[0]


def state_positions(conflict: Conflict) -> dict[int, tuple[float, float]]:
    """Layered layout: x the number of options taken, y the rank within the layer (top first)."""
    layers: dict[int, list[int]] = {}
    for s in conflict.states:
        layers.setdefault(bin(s).count("1"), []).append(s)
    tallest = max(len(v) for v in layers.values())
    out = {}
    for x, key in enumerate(sorted(layers)):
        members = layers[key]
        offset = (tallest - len(members)) / 2
        for y, s in enumerate(members):
            out[s] = (float(x), -(offset + y))
    return out


def draw_state_graph(
    analysis: StabilityAnalysis, concepts: Sequence[str] | None = None, moves: str = "auto"
) -> Figure:
    """The state graph with each concept's equilibria marked (``moves``: ``all``,
    ``improvements`` or ``auto``)."""
    conflict = analysis.conflict
    if len(conflict.states) > MAX_STATES:
        raise InputError(
            [Problem(f"{len(conflict.states)} states: the state graph draws at most {MAX_STATES}")]
        )
    chosen = (
        tuple(concepts)
        if concepts is not None
        else tuple(c for c in ("R", "GMR", "SMR", "SEQ", "SIM") if c in analysis.concepts)
    )
    if moves not in ("all", "improvements", "auto"):
        raise ValueError("moves is 'all', 'improvements' or 'auto'")
    show_all = moves == "all" or (moves == "auto" and len(conflict.states) <= _ALL_MOVES_UP_TO)
    pos = state_positions(conflict)
    equilibria = {c: set(analysis.equilibria(c)) for c in chosen}
    width = max(x for x, _ in pos.values()) + 1
    height = max(-y for _, y in pos.values()) + 1
    with plot_style():
        figure = new_figure(FIGSIZE)
        figure.suptitle(wrap(conflict.title or conflict.id or "State graph", 80, max_lines=2))
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.6, width - 0.4)
        ax.set_ylim(-height + 0.4, 0.7)
        size = max(6.0, min(13.0, 60.0 / max(height, width * 1.5)))
        box_w, box_h = 0.36, min(0.42, 0.8 / max(1.0, height / 6))
        for i, dm in enumerate(conflict.dm_ids):
            for s in conflict.states:
                for t in conflict.moves(dm, s):
                    improving = conflict.prefers(dm, t, s)
                    if not improving and not show_all:
                        continue
                    (x0, y0), (x1, y1) = pos[s], pos[t]
                    arrow = FancyArrowPatch(
                        (x0, y0),
                        (x1, y1),
                        arrowstyle="-|>",
                        mutation_scale=10 if improving else 7,
                        color=_dm_colour(i),
                        alpha=0.95 if improving else 0.35,
                        linestyle="-" if improving else (0, (3, 3)),
                        linewidth=1.8 if improving else 0.9,
                        connectionstyle=f"arc3,rad={0.18 if s < t else -0.18}",
                        shrinkA=18,
                        shrinkB=20,
                        gid=f"move-{dm}-{s}-{t}",
                    )
                    arrow.set_label(f"{'improvement' if improving else 'move'} {dm} {s}->{t}")
                    ax.add_patch(arrow)
        for s, (x, y) in pos.items():
            marked = [c for c in chosen if s in equilibria[c]]
            box = FancyBboxPatch(
                (x - box_w / 2, y - box_h / 2),
                box_w,
                box_h,
                boxstyle="round,pad=0.02",
                facecolor=EQUILIBRIUM_FILL if marked else "white",
                edgecolor=INK,
                linewidth=2.6 if marked else 0.8,
                zorder=3,
                gid=f"state-{s}",
            )
            box.set_label(f"state {s}")
            ax.add_patch(box)
            sq = " (SQ)" if s == conflict.status_quo else ""
            ax.text(
                x,
                y + box_h * 0.12,
                f"{s}{sq}",
                ha="center",
                va="center",
                fontsize=size,
                weight="bold",
                zorder=4,
            )
            ax.text(
                x,
                y - box_h * 0.22,
                conflict.yn(s),
                ha="center",
                va="center",
                fontsize=size * 0.8,
                family="DejaVu Sans Mono",
                zorder=4,
            )
            if marked:
                ax.text(
                    x,
                    y - box_h / 2 - 0.04,
                    " ".join(marked),
                    ha="center",
                    va="top",
                    fontsize=size * 0.7,
                    color=INK,
                    zorder=4,
                    gid=f"badge-{s}",
                )
        handles = [
            Line2D([], [], color=_dm_colour(i), linewidth=2, label=d.label)
            for i, d in enumerate(conflict.decision_makers)
        ]
        handles.append(Line2D([], [], color=MUTED, linewidth=2, label="improvement (solid)"))
        if show_all:
            handles.append(
                Line2D([], [], color=MUTED, linewidth=1, linestyle=(0, (3, 3)), label="other move")
            )
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="",
                markersize=12,
                markerfacecolor=EQUILIBRIUM_FILL,
                markeredgecolor=INK,
                label="equilibrium (concepts named under the state)",
            )
        )
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        # a figure-level caption: the axes' own left edge can lie outside the drawn area
        figure.supxlabel(
            wrap("options, in Y/N column order: " + ", ".join(o.label for o in conflict.options), 120),
            fontsize=10,
            color=MUTED,
        )
    return figure


def plot_state_graph(
    analysis: StabilityAnalysis,
    path: str | os.PathLike[str],
    concepts: Sequence[str] | None = None,
    moves: str = "auto",
) -> Path:
    """Draw :func:`draw_state_graph` into ``path`` (``.png``, ``.svg`` or ``.pdf``)."""
    p, fmt = _path_of(path)
    return save_figure(draw_state_graph(analysis, concepts, moves), p.with_suffix(""), [fmt])[0]


def draw_status_quo_paths(
    conflict: Conflict, paths: Sequence[StatusQuoPath], improvements: bool = True
) -> Figure:
    """One row per target: the states from the status quo to it, each step labelled with the
    decision maker and the options it changes; unreachable targets say so."""
    if not paths:
        raise InputError([Problem("no paths to draw")])
    rows = len(paths)
    longest = max(len((p.by_improvements if improvements else p.by_moves) or ()) for p in paths)
    with plot_style():
        figure = new_figure(FIGSIZE)
        kind = "unilateral improvements" if improvements else "unilateral moves"
        figure.suptitle(
            wrap(f"{conflict.title or conflict.id}: from the status quo by {kind}", 80, max_lines=2)
        )
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.6, max(longest, 1) + 0.6)
        ax.set_ylim(-rows + 0.4, 0.6)
        size = max(7.0, min(12.0, 40.0 / max(rows, longest + 1)))
        index = {d: i for i, d in enumerate(conflict.dm_ids)}
        for r, p in enumerate(paths):
            y = -r
            steps = p.by_improvements if improvements else p.by_moves
            if steps is None:
                ax.text(
                    0,
                    y,
                    f"state {p.target}: not reachable from the status quo by {kind}",
                    ha="left",
                    va="center",
                    fontsize=size,
                    color=MUTED,
                    gid=f"unreachable-{p.target}",
                )
                continue
            chain: list[int] = (
                [m.source for m in steps[:1]] + [m.target for m in steps] if steps else [p.target]
            )
            for k, s in enumerate(chain):
                face = EQUILIBRIUM_FILL if k == len(chain) - 1 else "white"
                box = FancyBboxPatch(
                    (k - 0.3, y - 0.22),
                    0.6,
                    0.44,
                    boxstyle="round,pad=0.02",
                    facecolor=face,
                    edgecolor=INK,
                    linewidth=1.2,
                    zorder=3,
                    gid=f"path-{p.target}-state-{s}",
                )
                ax.add_patch(box)
                ax.text(k, y + 0.06, str(s), ha="center", va="center", fontsize=size, weight="bold", zorder=4)
                ax.text(
                    k,
                    y - 0.12,
                    conflict.yn(s),
                    ha="center",
                    va="center",
                    fontsize=size * 0.8,
                    family="DejaVu Sans Mono",
                    zorder=4,
                )
            for k, m in enumerate(steps):
                colour = _dm_colour(index[m.dm])
                arrow = FancyArrowPatch(
                    (k + 0.3, y),
                    (k + 0.7, y),
                    arrowstyle="-|>",
                    mutation_scale=12,
                    color=colour,
                    linewidth=2,
                    gid=f"step-{p.target}-{k}",
                )
                ax.add_patch(arrow)
                words = describe_move(conflict, m).split(" (state")[0]
                ax.text(
                    k + 0.5,
                    y + 0.26,
                    wrap(words, 24, max_lines=3),
                    ha="center",
                    va="bottom",
                    fontsize=size * 0.65,
                    color=colour,
                )
        handles = [
            Line2D([], [], color=_dm_colour(i), linewidth=2, label=d.label)
            for i, d in enumerate(conflict.decision_makers)
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return figure


def plot_status_quo_paths(
    conflict: Conflict,
    paths: Sequence[StatusQuoPath],
    path: str | os.PathLike[str],
    improvements: bool = True,
) -> Path:
    """Draw :func:`draw_status_quo_paths` into ``path`` (``.png``, ``.svg`` or ``.pdf``)."""
    p, fmt = _path_of(path)
    return save_figure(draw_status_quo_paths(conflict, paths, improvements), p.with_suffix(""), [fmt])[0]
