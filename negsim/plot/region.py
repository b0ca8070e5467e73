"""The region map of a sweep over two parameters: each region coloured and labelled by its set
of equilibria, refined tipping points as dots on the boundaries, the default point marked."""

from __future__ import annotations

from typing import cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from scipy import ndimage

from negsim.plot.runs import RunData, format_value
from negsim.plot.style import INK, PALETTE, colour, new_figure, plot_style, wrap

__all__ = ["draw_region_map", "point_sets"]

#: A set covering less of the map than this is drawn in the shared grey of "other sets".
_MIN_COLOURED_SHARE = 0.005
OTHER = -1
OTHER_COLOUR = "#C8C8C8"


def point_sets(data: RunData) -> tuple[np.ndarray, np.ndarray]:
    """The first row of every point, and its equilibrium set (one per point)."""
    point = data.columns["point"]
    _, first = np.unique(point, return_index=True)
    return first, data.columns["equilibrium_set"][first]


def _edges(values: np.ndarray, log: bool) -> np.ndarray:
    """Cell edges halfway between grid values (geometric middle on a log axis)."""
    v = np.log(values) if log else values
    if len(v) == 1:
        e = np.array([v[0] - 0.5, v[0] + 0.5])
    else:
        mid = (v[1:] + v[:-1]) / 2
        e = np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])
    return np.exp(e) if log else e


def _is_log(data: RunData, name: str) -> bool:
    axis = data.manifest.get("spec", {}).get("grid", {}).get(name, {})
    return isinstance(axis, dict) and axis.get("scale") == "log"


def draw_region_map(data: RunData, x_name: str, y_name: str) -> Figure:
    """Which equilibria hold where, over two swept parameters."""
    first, sets = point_sets(data)
    xv, yv = data.values(x_name)[first], data.values(y_name)[first]
    xs, ys = np.unique(xv), np.unique(yv)
    names, inverse, counts = np.unique(sets, return_inverse=True, return_counts=True)
    where = (np.searchsorted(ys, yv), np.searchsorted(xs, xv))
    grid = np.full((len(ys), len(xs)), -1, dtype=int)
    grid[where] = inverse
    # Colours go to the largest regions; sets that hold only on boundaries (ties: no cell whose
    # four neighbours share its set) or in tiny regions share one grey, so that the map and its
    # legend stay readable.
    by_area = sorted(range(len(names)), key=lambda k: (-counts[k], str(names[k])))
    solid = _has_interior(grid)
    coloured = [k for k in by_area if counts[k] >= _MIN_COLOURED_SHARE * len(sets) and k in solid]
    coloured = coloured[: len(PALETTE)]
    rank = {k: r for r, k in enumerate(coloured)}
    codes = np.full((len(ys), len(xs)), OTHER, dtype=int)
    codes[where] = [rank.get(k, OTHER) for k in inverse]
    log_x, log_y = _is_log(data, x_name), _is_log(data, y_name)
    xe, ye = _edges(xs, log_x), _edges(ys, log_y)
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        figure.suptitle(
            wrap(data.manifest.get("title") or f"Equilibria over {x_name} and {y_name}", 72, max_lines=2),
            fontweight="bold",
        )
        if data.scenario_title:
            ax.set_title(wrap(data.scenario_title, 72), fontsize=13, fontweight="normal", color="#555555")
        cmap = ListedColormap([OTHER_COLOUR] + [colour(r) for r in range(len(coloured))])
        norm = BoundaryNorm(np.arange(-1.5, len(coloured) + 0.5), cmap.N)
        ax.pcolormesh(
            xe,
            ye,
            codes,
            cmap=cmap,
            norm=norm,
            shading="flat",
            linewidth=0,
            antialiased=False,
            rasterized=True,
            zorder=1,
        )
        if log_x:
            ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        ax.set_xlim(xe[0], xe[-1])
        ax.set_ylim(ye[0], ye[-1])
        _tipping_dots(ax, data, x_name, y_name)
        _default_point(ax, data, x_name, y_name)
        ax.set_xlabel(data.parameter_label(x_name, 64), fontsize=14)
        ax.set_ylabel(data.parameter_label(y_name, 55), fontsize=14)
        # Every coloured set has a number in the legend; the map writes the set out where it
        # fits and the number where it does not. The legend comes first: it moves the axes.
        handles = []
        for r, k in enumerate(coloured):
            handles.append(
                Patch(
                    facecolor=colour(r),
                    edgecolor="white",
                    label=f"{r + 1}  {wrap(data.set_label(str(names[k])), 50, max_lines=5)}  "
                    f"({counts[k] / len(sets):.0%} of the map)",
                )
            )
        others = [k for k in by_area if k not in rank]
        if others:
            share = sum(counts[k] for k in others) / len(sets)
            what = (
                "other sets: ties on boundaries and\nsmall regions"
                if len(others) > 1
                else "other set: ties on boundaries or\na small region"
            )
            handles.append(
                Patch(
                    facecolor=OTHER_COLOUR,
                    edgecolor="white",
                    label=f"{len(others)} {what} ({_percent(share)} of the map; see results.csv)",
                )
            )
        figure.legend(
            handles=handles,
            loc="outside right center",
            frameon=False,
            fontsize=12,
            title=f"equilibria\n({wrap(data.players_line, 30)})",
            labelspacing=0.9,
        )
        _label_regions(figure, ax, codes, xe, ye, [data.set_label(str(names[k]), 32) for k in coloured])
    return figure


def _percent(share: float) -> str:
    return "under 0.1%" if 0 < share < 0.001 else f"{share:.1%}"


def _has_interior(grid: np.ndarray) -> set[int]:
    """The sets with at least one cell whose four neighbours belong to the same set."""
    if min(grid.shape) < 3:
        return set(np.unique(grid).tolist())
    centre = grid[1:-1, 1:-1]
    same = (
        (centre == grid[:-2, 1:-1])
        & (centre == grid[2:, 1:-1])
        & (centre == grid[1:-1, :-2])
        & (centre == grid[1:-1, 2:])
    )
    return set(np.unique(centre[same]).tolist())


def _tipping_dots(ax: Axes, data: RunData, x_name: str, y_name: str) -> None:
    """The refined change points: the exact boundaries between the grid's cells."""
    px, py = [], []
    for t in data.tipping_points:
        line = t.get("line") or {}
        if t.get("parameter") == x_name and y_name in line:
            px.append(float(t["value"]))
            py.append(float(line[y_name]))
        elif t.get("parameter") == y_name and x_name in line:
            px.append(float(line[x_name]))
            py.append(float(t["value"]))
    if px:
        ax.scatter(px, py, s=6, color=INK, linewidths=0, zorder=3, label="tipping point")


def _default_point(ax: Axes, data: RunData, x_name: str, y_name: str) -> None:
    x = data.parameter(x_name).get("default")
    y = data.parameter(y_name).get("default")
    if x is None or y is None:
        return
    ax.plot(
        [x],
        [y],
        marker="*",
        markersize=26,
        color="white",
        markeredgecolor=INK,
        markeredgewidth=2,
        zorder=6,
        linestyle="none",
    )
    # The label goes towards the middle of the map, so that it stays inside it.
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    right = x > (x0 + x1) / 2 if ax.get_xscale() == "linear" else x > np.sqrt(x0 * x1)
    high = y > (y0 + y1) / 2 if ax.get_yscale() == "linear" else y > np.sqrt(y0 * y1)
    note = ax.annotate(
        f"default ({format_value(x)}, {format_value(y)})",
        xy=(x, y),
        xytext=(-14 if right else 14, -12 if high else 10),
        ha="right" if right else "left",
        va="top" if high else "bottom",
        textcoords="offset points",
        fontsize=13,
        fontweight="bold",
        color=INK,
        zorder=7,
        bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=INK, alpha=0.9),
    )
    note.set_in_layout(False)


def _label_regions(
    figure: Figure, ax: Axes, codes: np.ndarray, xe: np.ndarray, ye: np.ndarray, labels: list[str]
) -> list[int]:
    """Write each coloured set's name inside its largest region where it fits without
    covering another label, else its number in the legend; returns the sets given a number."""
    # Figures are drawn on an Agg canvas (see new_figure), which has get_renderer; the stubs type
    # figure.canvas as the base canvas, which has not.
    renderer: RendererBase = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    figure.draw_without_rendering()  # lay out first, so that positions on the page are final
    xc, yc = (xe[1:] + xe[:-1]) / 2, (ye[1:] + ye[:-1]) / 2
    # Labels keep clear of what is already written on the map (the default point's note).
    placed = [_extent(t, renderer) for t in ax.texts]
    placed += [line.get_window_extent(renderer) for line in ax.lines]
    numbered: list[int] = []
    for r, label in enumerate(labels):
        regions, count = ndimage.label(codes == r)
        if count == 0:
            continue
        sizes = ndimage.sum(np.ones_like(codes), regions, index=range(1, count + 1))
        inside = regions == int(np.argmax(sizes)) + 1
        # Deep cells first (far from the region's edge), then near the region's centre.
        depth = ndimage.distance_transform_edt(np.pad(inside, 1))[1:-1, 1:-1]
        cells = np.argwhere(inside)
        centre = cells.mean(axis=0)
        order = np.lexsort((((cells - centre) ** 2).sum(axis=1), -depth[inside]))
        candidates = cells[order[:60]]
        text = ax.text(
            0,
            0,
            wrap(label, 26, max_lines=4),
            ha="center",
            va="center",
            fontsize=12,
            color=INK,
            zorder=5,
            bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.85),
        )
        text.set_in_layout(False)  # labels inside the map must not move the axes
        spot = _first_fit(ax, renderer, text, candidates, xc, yc, xe, ye, codes, r, placed)
        if spot is None:  # narrower lines may fit a tall region
            text.set_text(wrap(label, 15, max_lines=6))
            spot = _first_fit(ax, renderer, text, candidates, xc, yc, xe, ye, codes, r, placed)
        if spot is None:
            numbered.append(r)
            text.set_text(str(r + 1))
            text.set_fontweight("bold")
            text.set_fontsize(13)
            text.set_bbox(dict(boxstyle="circle,pad=0.25", facecolor="white", edgecolor=INK))
            spot = _first_fit(ax, renderer, text, candidates, xc, yc, xe, ye, codes, r, placed, loose=True)
        assert spot is not None  # a loose fit always gives a spot
        text.set_position(spot)
        placed.append(_extent(text, renderer))
    return numbered


def _extent(text: Text, renderer: RendererBase) -> Bbox:
    """A label's box on the page, with the padding of its rounded background."""
    # The stubs allow a font size name and an array here; a drawn text has a size in points.
    size = cast(float, text.get_fontsize())
    return text.get_window_extent(renderer).padded(0.5 * size * cast(float, renderer.points_to_pixels(1)))


def _first_fit(
    ax: Axes,
    renderer: RendererBase,
    text: Text,
    candidates: np.ndarray,
    xc: np.ndarray,
    yc: np.ndarray,
    xe: np.ndarray,
    ye: np.ndarray,
    codes: np.ndarray,
    r: int,
    placed: list[Bbox],
    *,
    loose: bool = False,
) -> tuple[float, float] | None:
    """The first candidate cell where the label lies inside region ``r`` and clear of the
    labels placed so far (``loose``: only clear of them; else the first candidate)."""
    inverse = ax.transData.inverted()
    for row, col in candidates:
        text.set_position((xc[col], yc[row]))
        box = _extent(text, renderer)
        if any(box.overlaps(other) for other in placed):
            continue
        if loose:
            return (xc[col], yc[row])
        corners = inverse.transform(
            [
                (box.x0, box.y0),
                (box.x0, box.y1),
                (box.x1, box.y0),
                (box.x1, box.y1),
                ((box.x0 + box.x1) / 2, box.y0),
                ((box.x0 + box.x1) / 2, box.y1),
                (box.x0, (box.y0 + box.y1) / 2),
                (box.x1, (box.y0 + box.y1) / 2),
            ]
        )
        ci = np.searchsorted(xe, corners[:, 0]) - 1
        ri = np.searchsorted(ye, corners[:, 1]) - 1
        if ((ci >= 0) & (ci < codes.shape[1]) & (ri >= 0) & (ri < codes.shape[0])).all() and (
            codes[ri, ci] == r
        ).all():
            return (xc[col], yc[row])
    if loose:
        row, col = candidates[0]
        return (xc[col], yc[row])
    return None
