"""The region map of a sweep over two parameters: each region coloured and labelled by its set
of equilibria, refined tipping points as dots on the boundaries, the default point marked."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from scipy import ndimage

from negsim.plot.runs import RunData, format_value
from negsim.plot.style import INK, colour, hatch, new_figure, plot_style, wrap

__all__ = ["draw_region_map", "point_sets"]

#: Regions smaller than this share of the map get a number instead of a written label.
_MIN_LABELLED_SHARE = 0.002


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
    order = data.sets_by_frequency() or list(dict.fromkeys(sets))
    index = {s: k for k, s in enumerate(order)}
    codes = np.full((len(ys), len(xs)), -1, dtype=int)
    codes[np.searchsorted(ys, yv), np.searchsorted(xs, xv)] = [index.get(s, -1) for s in sets]
    log_x, log_y = _is_log(data, x_name), _is_log(data, y_name)
    xe, ye = _edges(xs, log_x), _edges(ys, log_y)
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        figure.suptitle(wrap(data.manifest.get("title") or f"Equilibria over {x_name} and {y_name}", 90,
                             max_lines=2), fontweight="bold")
        if data.scenario_title:
            ax.set_title(wrap(data.scenario_title, 100), fontsize=13, fontweight="normal", color="#555555")
        present = [k for k in range(len(order)) if (codes == k).any()]
        colours = ListedColormap([colour(k) for k in range(max(present, default=0) + 1)])
        norm = BoundaryNorm(np.arange(-0.5, colours.N + 0.5), colours.N)
        ax.pcolormesh(xe, ye, np.ma.masked_less(codes, 0), cmap=colours, norm=norm, shading="flat",
                      linewidth=0, antialiased=False, rasterized=True, zorder=1)
        for k in present:
            if hatch(k):  # colours repeat beyond the palette: those sets also get a hatch
                ax.pcolor(xe, ye, np.ma.masked_where(codes != k, codes), hatch=hatch(k), facecolor="none",
                          edgecolor="white", linewidth=0, zorder=2)
        if log_x:
            ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        ax.set_xlim(xe[0], xe[-1])
        ax.set_ylim(ye[0], ye[-1])
        _tipping_dots(ax, data, x_name, y_name)
        _default_point(ax, data, x_name, y_name)
        numbers = _label_regions(figure, ax, data, codes, xs, ys, order, present)
        ax.set_xlabel(data.parameter_label(x_name, 70))
        ax.set_ylabel(data.parameter_label(y_name, 55), fontsize=14)
        handles = []
        for k in present:
            tag = f"{numbers[k]}  " if k in numbers else ""
            share = float((codes == k).mean())
            handles.append(Patch(facecolor=colour(k), hatch=hatch(k), edgecolor="white",
                                 label=f"{tag}{wrap(data.set_label(order[k]), 46, max_lines=3)}  "
                                       f"({share:.0%} of the map)"))
        figure.legend(handles=handles, loc="outside right center", frameon=False, fontsize=12,
                      title=f"equilibria\n({wrap(data.players_line, 30)})", labelspacing=0.9)
    return figure


def _tipping_dots(ax, data: RunData, x_name: str, y_name: str) -> None:
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


def _default_point(ax, data: RunData, x_name: str, y_name: str) -> None:
    x = data.parameter(x_name).get("default")
    y = data.parameter(y_name).get("default")
    if x is None or y is None:
        return
    ax.plot([x], [y], marker="*", markersize=26, color="white", markeredgecolor=INK, markeredgewidth=2,
            zorder=6, linestyle="none")
    ax.annotate(f"default ({format_value(x)}, {format_value(y)})", xy=(x, y), xytext=(14, 10),
                textcoords="offset points", fontsize=13, fontweight="bold", color=INK, zorder=7,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=INK, alpha=0.9))


def _label_regions(figure: Figure, ax, data: RunData, codes: np.ndarray, xs: np.ndarray, ys: np.ndarray,
                   order: list[str], present: list[int]) -> dict[int, int]:
    """Write each set's name inside its largest region where it fits, else a number that the
    legend explains; returns the numbers used."""
    renderer = figure.canvas.get_renderer()
    figure.draw_without_rendering()  # lay out first, so that text extents are final
    numbers: dict[int, int] = {}
    for k in present:
        regions, count = ndimage.label(codes == k)
        sizes = ndimage.sum(np.ones_like(codes), regions, index=range(1, count + 1))
        biggest = int(np.argmax(sizes)) + 1
        inside = regions == biggest
        # The cell farthest from the region's edge is inside even a non-convex region.
        depth = ndimage.distance_transform_edt(np.pad(inside, 1))[1:-1, 1:-1]
        # Among the deepest cells, the one nearest the region's centre (thin regions: the middle).
        deepest = np.argwhere(depth >= depth.max() - 1e-9)
        centre = np.argwhere(inside).mean(axis=0)
        row, col = deepest[np.argmin(((deepest - centre) ** 2).sum(axis=1))]
        x, y = xs[col], ys[row]
        text = ax.text(x, y, wrap(data.set_label(order[k], 24), 26, max_lines=4), ha="center", va="center",
                       fontsize=12, color=INK, zorder=5,
                       bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.85))
        rows, cols = np.nonzero(inside)
        box = ax.transData.transform([(xs[cols.min()], ys[rows.min()]), (xs[cols.max()], ys[rows.max()])])
        width, height = np.abs(box[1] - box[0])
        extent = text.get_window_extent(renderer)
        fits = (extent.width <= width * 1.05 and extent.height <= height * 1.05
                and sizes.max() >= _MIN_LABELLED_SHARE * codes.size)
        if not fits:
            numbers[k] = len(numbers) + 1
            text.set_text(str(numbers[k]))
            text.set_fontweight("bold")
            text.set_fontsize(13)
            text.set_bbox(dict(boxstyle="circle,pad=0.25", facecolor="white", edgecolor=INK))
    return numbers
