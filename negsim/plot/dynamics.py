"""Figures of learning dynamics: phase portraits, simplex plots, basins, fictitious play, the QRE path.

Each ``draw_*`` function takes a result of :mod:`negsim.dynamics` and returns a figure (not
saved); :func:`save_dynamics_figure` writes it to a ``.png``, ``.svg`` or ``.pdf`` path.

Rest points are marked by their stability under the replicator: a filled disc for a sink
(asymptotically stable), an open circle for a source, a half-filled disc for a saddle, an open
diamond for a centre and a cross when the linearisation does not decide. Simplex plots put the
first strategy at the bottom left, the second at the bottom right and the third at the top.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from negsim.dynamics import Basins, FictitiousPlay, Portrait, QREPath, RestPoints, Trajectory
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.plot.style import (
    FIGSIZE,
    INK,
    MUTED,
    OKABE_ITO,
    check_formats,
    colour,
    new_figure,
    plot_style,
    save_figure,
    shorten,
    wrap,
)

__all__ = [
    "STABILITY_MARKERS",
    "draw_basins",
    "draw_fictitious_play",
    "draw_phase_portrait",
    "draw_qre_path",
    "draw_trajectory",
    "save_dynamics_figure",
    "simplex_xy",
]

FillStyle = Literal["full", "left", "none"]

#: Marker, fill style and legend text for each stability verdict.
STABILITY_MARKERS: dict[str, tuple[str, FillStyle, str]] = {
    "sink": ("o", "full", "stable (sink)"),
    "source": ("o", "none", "unstable (source)"),
    "saddle": ("o", "left", "saddle"),
    "unstable": ("o", "none", "unstable"),
    "centre": ("D", "none", "centre"),
    "non-hyperbolic": ("X", "full", "not decided by the linearisation"),
}

TRAJECTORY_COLOUR = OKABE_ITO["blue"]
SEPARATRIX_COLOUR = OKABE_ITO["vermillion"]
_SQRT3 = math.sqrt(3.0)
_MAX_PANELS = 4


def save_dynamics_figure(figure: Figure, path: str | os.PathLike[str]) -> Path:
    """Write ``figure`` to ``path`` (its suffix picks PNG, SVG or PDF), atomically."""
    target = Path(path)
    if not target.suffix:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", file=str(target))])
    fmt = check_formats([target.suffix.lstrip(".")], option=str(target))[0]
    return save_figure(figure, target.with_suffix(""), [fmt])[0]


def simplex_xy(shares: np.ndarray) -> np.ndarray:
    """Shares ``(..., 3)`` to points of the triangle with corners (0, 0), (1, 0), (1/2, sqrt(3)/2)."""
    shares = np.asarray(shares, dtype=float)
    return np.stack([shares[..., 1] + 0.5 * shares[..., 2], (_SQRT3 / 2.0) * shares[..., 2]], axis=-1)


def _title(game: Game, what: str) -> str:
    name = game.title or game.id
    return wrap(f"{what}: {name}" if name else what, 80, max_lines=2)


def _mark_rest_points(ax: Axes, rest: RestPoints, to_xy: object, *, size: float = 13) -> list[Line2D]:
    """Draw the rest points; returns legend handles, one per stability verdict shown."""
    seen: dict[str, Line2D] = {}
    for point in rest.points:
        marker, fill, text = STABILITY_MARKERS[point.stability]
        x, y = to_xy(point)  # type: ignore[operator]
        ax.plot([x], [y], linestyle="none", marker=marker, fillstyle=fill, markersize=size, color=INK,
                markerfacecoloralt="white", markeredgewidth=2, zorder=6, clip_on=False,
                label=f"rest point: {text}")
        if point.stability not in seen:
            seen[point.stability] = Line2D([], [], linestyle="none", marker=marker, fillstyle=fill,
                                           markersize=size * 0.8, color=INK, markerfacecoloralt="white",
                                           markeredgewidth=2, label=text)
    return list(seen.values())


def _arrow_along(ax: Axes, path: np.ndarray, colour_: str) -> None:
    """One arrowhead a third of the way along a trajectory, pointing the way it runs."""
    lengths = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    if lengths[-1] <= 1e-9:
        return
    k = int(np.searchsorted(lengths, lengths[-1] / 3.0))
    k = min(max(k, 1), len(path) - 1)
    ax.annotate("", xy=tuple(path[k]), xytext=tuple(path[k - 1]),
                arrowprops={"arrowstyle": "-|>", "color": colour_, "lw": 2, "mutation_scale": 22})


# -- phase portraits --------------------------------------------------------------------------------


def draw_phase_portrait(portrait: Portrait) -> Figure:
    """The replicator's vector field, trajectories and rest points (square or simplex)."""
    game = portrait.game
    with plot_style():
        figure = new_figure(FIGSIZE)
        ax = figure.subplots()
        if portrait.kind == "square":
            handles = _square_portrait(ax, portrait)
            what = "Replicator dynamics (two populations)"
        else:
            handles = _simplex_portrait(ax, portrait)
            what = "Replicator dynamics (one population)"
        figure.suptitle(_title(game, what))
        handles = [Line2D([], [], color=TRAJECTORY_COLOUR, label="trajectories"), *handles]
        if portrait.separatrix is not None:
            handles.append(Line2D([], [], color=SEPARATRIX_COLOUR, linestyle="--",
                                  label="separatrix (exact)"))
        figure.legend(handles=handles, loc="outside right center", frameon=False)
    return figure


def _strategy_axis_label(game: Game, player: int) -> str:
    return shorten(f"{game.player_names[player]}: share playing {game.strategy_names[player][0]}", 60)


def _square_portrait(ax: Axes, portrait: Portrait) -> list[Line2D]:
    game = portrait.game
    points, field = portrait.field_points, portrait.field
    norm = np.hypot(field[:, 0], field[:, 1])
    safe = np.where(norm > 0, norm, 1.0)
    ax.quiver(points[:, 0], points[:, 1], field[:, 0] / safe, field[:, 1] / safe, color=MUTED,
              angles="xy", pivot="middle", scale=1.0 / (0.6 / math.sqrt(len(points))), scale_units="xy",
              width=0.003, zorder=1)
    for path in portrait.trajectories:
        ax.plot(path[:, 0], path[:, 1], color=TRAJECTORY_COLOUR, linewidth=2.2, zorder=3)
        _arrow_along(ax, path, TRAJECTORY_COLOUR)
    if portrait.separatrix is not None and len(portrait.separatrix.points):
        curve = portrait.separatrix.points
        ax.plot(curve[:, 0], curve[:, 1], color=SEPARATRIX_COLOUR, linestyle="--", linewidth=2.5, zorder=4)
    handles = _mark_rest_points(ax, portrait.rest, lambda p: (p.strategies[0][0], p.strategies[1][0]))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(_strategy_axis_label(game, 0))
    ax.set_ylabel(_strategy_axis_label(game, 1))
    return handles


def _triangle(ax: Axes, game: Game) -> None:
    corners = simplex_xy(np.eye(3))
    ax.add_patch(Polygon(corners, closed=True, fill=False, edgecolor=INK, linewidth=1.5, zorder=2))
    offsets = ((-0.04, -0.05, "right", "top"), (0.04, -0.05, "left", "top"), (0.0, 0.04, "center", "bottom"))
    for k, (dx, dy, ha, va) in enumerate(offsets):
        ax.text(corners[k, 0] + dx, corners[k, 1] + dy, wrap(game.strategy_names[0][k], 18, max_lines=2),
                ha=ha, va=va, fontsize=15)
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.15, _SQRT3 / 2 + 0.12)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _simplex_portrait(ax: Axes, portrait: Portrait) -> list[Line2D]:
    game = portrait.game
    _triangle(ax, game)
    xy = simplex_xy(portrait.field_points)
    v = simplex_xy(portrait.field_points + portrait.field) - xy  # the map is linear
    norm = np.hypot(v[:, 0], v[:, 1])
    safe = np.where(norm > 0, norm, 1.0)
    ax.quiver(xy[:, 0], xy[:, 1], v[:, 0] / safe, v[:, 1] / safe, color=MUTED, angles="xy", pivot="middle",
              scale=1.0 / (0.5 / math.sqrt(len(xy))), scale_units="xy", width=0.003, zorder=1)
    for path in portrait.trajectories:
        line = simplex_xy(path)
        ax.plot(line[:, 0], line[:, 1], color=TRAJECTORY_COLOUR, linewidth=2.0, zorder=3)
        _arrow_along(ax, line, TRAJECTORY_COLOUR)
    return _mark_rest_points(ax, portrait.rest, lambda p: tuple(simplex_xy(p.strategies[0])))


# -- basins -----------------------------------------------------------------------------------------


def draw_basins(basins: Basins) -> Figure:
    """Which equilibrium each start reaches: a map for 2x2 games and one population with 2 or 3
    strategies, otherwise the share of starts reaching each equilibrium."""
    game = basins.game
    reached = basins.reached
    targets = sorted(set(int(r) for r in reached))
    colours = {k: (MUTED if k < 0 else colour(k)) for k in targets}
    labels = {k: ("no equilibrium by the horizon" if k < 0 else basins.solution.equilibria[k].label(game))
              for k in targets}
    with plot_style():
        figure = new_figure(FIGSIZE)
        ax = figure.subplots()
        figure.suptitle(_title(game, f"Basins of attraction ({basins.dynamics})"))
        handles: list[Patch | Line2D] = [
            Patch(facecolor=colours[k], edgecolor=INK,
                  label=f"{shorten(labels[k], 40)}: {basins.share(k):.0%}")
            for k in targets]
        resolution = basins.settings.get("resolution")
        if len(basins.grid) == 2:
            _square_basins(ax, basins, colours)
        elif len(basins.grid) == 1:
            _strip_basins(ax, basins, colours)
        elif basins.population == "single" and game.shape[0] == 3 and isinstance(resolution, int):
            _simplex_basins(ax, basins, colours, resolution)
        else:
            _bar_basins(ax, basins, targets, colours, labels)
            handles = []
        if basins.separatrix is not None:
            handles.append(Line2D([], [], color=INK, linestyle="--", label="exact separatrix"))
        if handles:
            figure.legend(handles=handles, loc="outside right center", frameon=False)
    return figure


def _square_basins(ax: Axes, basins: Basins, colours: dict[int, str]) -> None:
    from matplotlib.colors import ListedColormap

    n = basins.grid[0]
    keys = sorted(colours)
    codes = np.searchsorted(keys, basins.reached).reshape(n, n)
    ax.imshow(codes, origin="lower", extent=(0, 1, 0, 1), cmap=ListedColormap([colours[k] for k in keys]),
              vmin=-0.5, vmax=len(keys) - 0.5, interpolation="nearest", zorder=1)
    if basins.separatrix is not None and len(basins.separatrix.points):
        curve = basins.separatrix.points
        ax.plot(curve[:, 0], curve[:, 1], color=INK, linestyle="--", linewidth=2.5, zorder=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(_strategy_axis_label(basins.game, 0))
    ax.set_ylabel(_strategy_axis_label(basins.game, 1))


def _strip_basins(ax: Axes, basins: Basins, colours: dict[int, str]) -> None:
    from matplotlib.colors import ListedColormap

    keys = sorted(colours)
    codes = np.searchsorted(keys, basins.reached)[None, :]
    ax.imshow(codes, origin="lower", extent=(0, 1, 0, 0.15), aspect="auto",
              cmap=ListedColormap([colours[k] for k in keys]), vmin=-0.5, vmax=len(keys) - 0.5,
              interpolation="nearest")
    if basins.separatrix is not None and basins.separatrix.threshold is not None:
        x = float(basins.separatrix.threshold)
        ax.axvline(x, color=INK, linestyle="--", linewidth=2.5)
        ax.text(x, 0.17, f"{basins.separatrix.threshold}", ha="center", va="bottom")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 0.3)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    game = basins.game
    ax.set_xlabel(shorten(f"share of the population playing {game.strategy_names[0][0]}", 60))


def _simplex_basins(ax: Axes, basins: Basins, colours: dict[int, str], n: int) -> None:
    triangles = []
    for i in range(n):
        for j in range(n - i):
            triangles.append(((i, j), (i + 1, j), (i, j + 1)))
            if i + j <= n - 2:
                triangles.append(((i + 1, j), (i, j + 1), (i + 1, j + 1)))
    # (i, j) are n times the shares of the first two strategies, in the order of simplex_cells
    polygons = [simplex_xy(np.array([[a / n, b / n, 1 - (a + b) / n] for a, b in t])) for t in triangles]
    faces = [colours[int(r)] for r in basins.reached]
    ax.add_collection(PolyCollection(polygons, facecolors=faces, edgecolors="white", linewidths=0.3))
    _triangle(ax, basins.game)


def _bar_basins(ax: Axes, basins: Basins, targets: Sequence[int], colours: dict[int, str],
                labels: dict[int, str]) -> None:
    shares = [basins.share(k) for k in targets]
    ax.barh(range(len(targets)), shares, color=[colours[k] for k in targets], edgecolor=INK)
    ax.set_yticks(range(len(targets)), [wrap(labels[k], 30, max_lines=2) for k in targets])
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of {len(basins.reached)} starts")
    for y, s in enumerate(shares):
        ax.text(s + 0.01, y, f"{s:.0%}", va="center")


# -- time paths -------------------------------------------------------------------------------------


def _player_panels(figure: Figure, game: Game, count: int | None = None) -> list[Axes]:
    """One panel per player (the first four of larger games), sharing the probability axis."""
    n = min(game.n_players if count is None else count, _MAX_PANELS)
    axes = figure.subplots(1, n, sharey=True, squeeze=False)[0]
    return list(axes)


def _nearest(trajectory: Trajectory) -> tuple[np.ndarray, ...] | None:
    index = trajectory.outcome.equilibrium
    return trajectory.solution.equilibria[index].strategies if index is not None else None


def _mark_equilibrium(ax: Axes, values: Sequence[float] | np.ndarray) -> None:
    for k, p in enumerate(values):
        ax.axhline(float(p), color=colour(k), linestyle=":", linewidth=1.8, zorder=1)


def _caption(figure: Figure, xlabel: str, note: str) -> None:
    """The shared x-axis label with a sentence under it (laid out with the axes, never on them)."""
    figure.supxlabel(f"{xlabel}\n{wrap(note, 140, max_lines=2)}", fontsize=14, color=INK)


def draw_fictitious_play(run: FictitiousPlay) -> Figure:
    """Each player's empirical frequencies against the round (log scale), with the nearest
    equilibrium's probabilities dotted."""
    trajectory = run.trajectory
    game = trajectory.game
    outcome = trajectory.outcome
    nearest = _nearest(trajectory)
    rounds = trajectory.times
    shown = rounds >= 1
    with plot_style():
        figure = new_figure(FIGSIZE)
        figure.suptitle(_title(game, f"Fictitious play ({run.mode})"))
        for i, ax in enumerate(_player_panels(figure, game)):
            freq = trajectory.states[i]
            for k in range(game.shape[i]):
                ax.plot(rounds[shown], freq[shown, k], color=colour(k),
                        label=shorten(game.strategy_names[i][k], 28))
            if nearest is not None:
                _mark_equilibrium(ax, nearest[i])
            ax.set_xscale("log")
            ax.set_ylim(-0.02, 1.02)
            ax.set_title(shorten(game.player_names[i], 30))
            if i == 0:
                ax.set_ylabel("empirical frequency")
            ax.legend(loc="best", frameon=False, fontsize=12)
        _caption(figure, "round", outcome.description)
    return figure


def draw_trajectory(trajectory: Trajectory) -> Figure:
    """Each player's mix against time (any game), with the nearest equilibrium's probabilities dotted."""
    game = trajectory.game
    outcome = trajectory.outcome
    nearest = _nearest(trajectory)
    single = trajectory.settings.get("population") == "single"
    with plot_style():
        figure = new_figure(FIGSIZE)
        figure.suptitle(_title(game, f"{trajectory.dynamics.capitalize()} dynamics"))
        panels = _player_panels(figure, game, 1 if single else None)
        for i, ax in enumerate(panels):
            for k in range(game.shape[i]):
                ax.plot(trajectory.times, trajectory.states[i][:, k], color=colour(k),
                        label=shorten(game.strategy_names[i][k], 28))
            if nearest is not None:
                _mark_equilibrium(ax, nearest[i])
            ax.set_ylim(-0.02, 1.02)
            ax.set_title("population" if single else shorten(game.player_names[i], 30))
            if i == 0:
                ax.set_ylabel("probability")
            ax.legend(loc="best", frameon=False, fontsize=12)
        _caption(figure, "round" if trajectory.dynamics == "discrete replicator" else "time",
                 outcome.description)
    return figure


def draw_qre_path(path: QREPath) -> Figure:
    """Each player's logit-QRE probabilities against lambda (log scale), the limit dotted."""
    game = path.game
    lambdas = path.lambdas
    shown = lambdas > 0
    with plot_style():
        figure = new_figure(FIGSIZE)
        label = path.limit_label()
        figure.suptitle(_title(game, "Logit quantal response equilibrium"))
        for i, ax in enumerate(_player_panels(figure, game)):
            probabilities = path.probabilities(i)
            for k in range(game.shape[i]):
                ax.plot(lambdas[shown], probabilities[shown, k], color=colour(k),
                        label=shorten(game.strategy_names[i][k], 28))
            if path.limit is not None:
                _mark_equilibrium(ax, path.limit[i])
            for t in path.turning_points:
                ax.axvline(t, color=MUTED, linewidth=1.2)
            ax.set_xscale("log")
            ax.set_ylim(-0.02, 1.02)
            ax.set_title(shorten(game.player_names[i], 30))
            if i == 0:
                ax.set_ylabel("probability")
            ax.legend(loc="best", frameon=False, fontsize=12)
        note = (f"as λ grows the QRE approaches the Nash equilibrium {label} (dotted)" if label
                else "the path's end did not polish into a verified Nash equilibrium")
        _caption(figure, "rationality λ (per payoff unit, log scale)", note)
    return figure
