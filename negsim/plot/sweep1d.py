"""Figures of a sweep along one parameter.

- :func:`draw_equilibria`: which equilibria exist where (one band per outcome; several bands
  above one value mean several equilibria), tipping points as labelled dashed lines, the
  default value marked;
- :func:`draw_payoffs`: each player's payoff in each equilibrium;
- :func:`draw_mixed`: the strategy probabilities of the mixed equilibria.

The x axis is the swept parameter in every figure, and an outcome keeps its colour in all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from negsim.plot.runs import RunData, format_value
from negsim.plot.style import (
    INK,
    MUTED,
    PLAYER_COLOURS,
    colour,
    hatch,
    new_figure,
    plot_style,
    shorten,
    wrap,
)

__all__ = ["LEGEND_HANDLE_LENGTH", "Band", "bands", "dash_period", "draw_equilibria", "draw_mixed",
           "draw_payoffs", "mark_tipping_points", "outcome_colours"]

#: The most outcomes drawn as bands (the rest are counted in a note).
MAX_BANDS = 14
MAX_MIXED_PANELS = 4
#: Line styles for the lines of one panel, in order of use (dash lengths in line widths).
_LINE_STYLES = ("-", (0, (6, 3)), (0, (2, 2)), (0, (5, 2, 1, 2)), (0, (1, 1)))
#: Legend lines this many font sizes long: two whole periods of every dash pattern above, drawn
#: 3 points wide in a legend of 12-point text (the default of two font sizes shows less than one
#: period of a dash-dot line, so the styles could not be told apart).
LEGEND_HANDLE_LENGTH = 5.0


def dash_period(style: str | tuple, linewidth: float) -> float:
    """The length in points of one period of a line style's dash pattern (0 for a solid line)."""
    if isinstance(style, str):
        return 0.0
    return float(sum(style[1])) * linewidth


@dataclass(frozen=True)
class Band:
    """Where one outcome is an equilibrium: ``[start, stop]`` intervals, ``points`` where an
    interval has no width (the outcome holds only at one value, e.g. exactly at a tipping point)."""

    outcome: str
    intervals: tuple[tuple[float, float], ...]
    points: tuple[float, ...]


def outcome_colours(outcomes: Sequence[str]) -> dict[str, int]:
    """A colour index per outcome, in the given order."""
    return {o: k for k, o in enumerate(outcomes)}


def _line(data: RunData, parameter: str, line: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the table on one line of the sweep (all rows for a 1-D sweep) and x per row."""
    mask = np.ones(len(data.columns["point"]), dtype=bool)
    for name, value in (line or {}).items():
        mask &= np.isclose(data.values(name), value, rtol=0, atol=1e-12 * max(1.0, abs(value)))
    return mask, data.values(parameter)


def bands(data: RunData, parameter: str, line: dict | None = None,
          tipping: Sequence[dict] | None = None) -> list[Band]:
    """Each outcome's intervals along ``parameter``; edges at the tipping points where known,
    else halfway between grid points."""
    mask, x_all = _line(data, parameter, line)
    outcome = data.columns["outcome"][mask]
    x_rows = x_all[mask]
    xs = np.unique(x_rows)
    if tipping is None:
        tipping = [t for t in data.tipping_points if t.get("parameter") == parameter
                   and _same_line(t.get("line", {}), line)]
    result = []
    for o in _ordered(outcome):
        present = np.isin(xs, np.unique(x_rows[outcome == o]))
        intervals, points = [], []
        k = 0
        while k < len(xs):
            if not present[k]:
                k += 1
                continue
            start = k
            while k + 1 < len(xs) and present[k + 1]:
                k += 1
            left = xs[0] if start == 0 else _edge(xs[start - 1], xs[start], o, tipping, "appeared", "left")
            right = (xs[-1] if k == len(xs) - 1
                     else _edge(xs[k], xs[k + 1], o, tipping, "disappeared", "right"))
            if right - left <= 1e-9 * max(1.0, abs(right)):
                points.append(float(xs[start]))
            else:
                intervals.append((float(left), float(right)))
            k += 1
        result.append(Band(o, tuple(intervals), tuple(points)))
    return result


def _ordered(outcome: np.ndarray) -> list[str]:
    names, first = np.unique(outcome[outcome != ""], return_index=True)
    return [str(names[k]) for k in np.argsort(first)]


def _same_line(a: dict, b: dict | None) -> bool:
    b = b or {}
    return set(a) == set(b) and all(abs(float(a[k]) - float(b[k])) <= 1e-12 * max(1.0, abs(b[k])) for k in a)


def _edge(lo: float, hi: float, outcome: str, tipping: Sequence[dict], key: str, side: str) -> float:
    """Where between grid points ``lo`` and ``hi`` the outcome starts (or stops)."""
    inside = [t for t in tipping if lo - 1e-12 <= float(t["value"]) <= hi + 1e-12]
    matching = [t for t in inside if outcome in (t.get(key) or [])]
    chosen = matching or inside
    if not chosen:
        return (lo + hi) / 2
    values = [float(t["value"]) for t in chosen]
    # Several changes in one step: the outcome's own change nearest to where it holds.
    return max(values) if side == "left" else min(values)


def _default_value(data: RunData, parameter: str) -> float | None:
    info = data.parameter(parameter)
    value = info.get("default")
    return None if value is None else float(value)


def mark_tipping_points(ax: Axes, values: Sequence[float], *, label_axes: bool, size: float = 13) -> None:
    """Dashed vertical lines; with ``label_axes``, each value written above the plot."""
    seen: list[float] = []
    for v in sorted(values):
        ax.axvline(v, color=INK, linestyle=(0, (5, 4)), linewidth=1.4, zorder=5)
        if label_axes:
            # Values closer than 4% of the axis would overprint: the later one moves up a line.
            span = np.diff(ax.get_xlim())[0] or 1.0
            lift = sum(1 for s in seen if abs(s - v) < 0.04 * span)
            ax.annotate(format_value(v), xy=(v, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(0, 4 + 16 * lift), textcoords="offset points", ha="center", va="bottom",
                        fontsize=size, fontweight="bold", color=INK, annotation_clip=False)
            seen.append(v)


def mark_default(ax: Axes, value: float | None, *, label: bool, size: float = 13) -> None:
    if value is None:
        return
    ax.axvline(value, color=MUTED, linewidth=3, alpha=0.6, zorder=0)
    if label:
        ax.annotate(f"default {format_value(value)}", xy=(value, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(5, -6), textcoords="offset points", ha="left", va="top", rotation=90,
                    fontsize=size - 1, color="#555555", annotation_clip=False, zorder=7,
                    bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8))


def _tipping_values(data: RunData, parameter: str) -> list[float]:
    values = []
    for t in data.tipping_points:
        if t.get("parameter") == parameter and not t.get("line"):
            v = float(t["value"])
            if not any(abs(v - u) < 1e-9 for u in values):
                values.append(v)
    return values


def _x_limits(data: RunData, parameter: str) -> tuple[float, float]:
    x = data.values(parameter)
    return float(np.nanmin(x)), float(np.nanmax(x))


def _figure_title(figure: Figure, data: RunData, headline: str, ax: Axes | None = None) -> None:
    """The headline on top; the scenario's title under it, above the tipping-point labels."""
    figure.suptitle(wrap(headline, 90, max_lines=2), fontsize=19, fontweight="bold")
    subtitle = data.scenario_title
    if ax is not None and subtitle and subtitle != headline:
        ax.set_title(wrap(subtitle, 110, max_lines=2), fontsize=13, fontweight="normal", color="#555555",
                     pad=26)


def draw_equilibria(data: RunData, parameter: str, *, short_names: bool = False) -> Figure:
    """Bands: for each outcome, where along ``parameter`` it is an equilibrium.

    With ``short_names`` each band is labelled with the strategy ids (``store+limited / keep``,
    as answers are written) instead of the strategies' names, never shortened.
    """
    all_bands = bands(data, parameter)
    order = {o: k for k, o in enumerate(data.outcomes_by_frequency())}
    all_bands.sort(key=lambda b: order.get(b.outcome, len(order)))
    colours = outcome_colours([b.outcome for b in all_bands])
    # Outcomes that hold only at single values (ties exactly at a tipping point) would crowd
    # the chart; they are counted in the legend and listed in tipping_points.json.
    knife_edge = [b for b in all_bands if not b.intervals]
    wide = [b for b in all_bands if b.intervals]
    shown = wide[:MAX_BANDS]
    # First-seen order from the left reads best top to bottom.
    shown.sort(key=lambda b: (b.intervals[0][0], b.intervals[0][1]))
    lo, hi = _x_limits(data, parameter)
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        _figure_title(figure, data, data.manifest.get("title") or f"Equilibria as {parameter} changes", ax)
        n = len(shown)
        size = float(np.clip(17 - 0.5 * n, 10, 15))
        for row, band in enumerate(shown):
            k = colours[band.outcome]
            y = n - 1 - row
            for start, stop in band.intervals:
                ax.barh(y, stop - start, left=start, height=0.62, color=colour(k), hatch=hatch(k),
                        edgecolor="white", linewidth=0.5, zorder=2)
        ax.set_yticks(range(n))
        if short_names:
            labels = [wrap(b.outcome, 34) for b in reversed(shown)]
        else:
            labels = [wrap(data.outcome_label(b.outcome), 34, max_lines=3) for b in reversed(shown)]
        ax.set_yticklabels(labels, fontsize=size)
        ax.set_ylim(-0.6, n - 0.4)
        pad = 0.01 * (hi - lo or 1.0)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_xlabel(data.parameter_label(parameter))
        ax.set_ylabel(f"equilibrium ({data.players_line})", fontsize=14)
        ax.grid(axis="x", zorder=0)
        tipping = _tipping_values(data, parameter)
        mark_tipping_points(ax, tipping, label_axes=True)
        mark_default(ax, _default_value(data, parameter), label=True)
        handles = [Line2D([], [], color=INK, linestyle=(0, (5, 4)), linewidth=1.4,
                          label="tipping point (value above)"),
                   Line2D([], [], color=MUTED, linewidth=6, alpha=0.6, label="scenario default")]
        notes = ["Several bars above one value: several equilibria."]
        if len(wide) > len(shown):
            notes.append(f"{len(wide) - len(shown)} rarer outcomes not shown.")
        if knife_edge:
            notes.append(f"{len(knife_edge)} more hold only exactly at a tipping point.")
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False,
                      title=" ".join(notes))
    return figure


def _rows_of(data: RunData, outcome: str) -> np.ndarray:
    return data.columns["outcome"] == outcome


def _lasting(data: RunData, parameter: str) -> list[str]:
    """Outcomes that hold over an interval (not only at one value), the most frequent first."""
    wide = {b.outcome for b in bands(data, parameter) if b.intervals}
    return [o for o in data.outcomes_by_frequency() if o in wide]


def draw_payoffs(data: RunData, parameter: str) -> Figure:
    """Each player's payoff in each equilibrium (one panel per player)."""
    outcomes = data.outcomes_by_frequency()
    colours = outcome_colours(outcomes)
    shown = _lasting(data, parameter)[:MAX_BANDS]
    x = data.values(parameter)
    lo, hi = _x_limits(data, parameter)
    tipping = _tipping_values(data, parameter)
    with plot_style():
        figure = new_figure()
        axes = figure.subplots(len(data.players), 1, sharex=True, squeeze=False)[:, 0]
        _figure_title(figure, data, f"Equilibrium payoffs as {parameter} changes", axes[0])
        for i, (ax, player) in enumerate(zip(axes, data.players)):
            y_all = data.columns[f"payoff.{player}"]
            for o in shown:
                rows = _rows_of(data, o)
                xs, ys = _continuous(x[rows], y_all[rows], np.unique(x))
                k = colours[o]
                ax.plot(xs, ys, color=colour(k), linestyle=_LINE_STYLES[k % len(_LINE_STYLES)],
                        linewidth=3, label=wrap(data.outcome_label(o), 40, max_lines=2), zorder=3,
                        gid=f"style-{k % len(_LINE_STYLES)}")
            ax.set_ylabel(wrap(f"payoff to {data.player_name(player)}", 16), color=PLAYER_COLOURS[i % 5])
            ax.grid(axis="y")
            mark_tipping_points(ax, tipping, label_axes=(i == 0))
            mark_default(ax, _default_value(data, parameter), label=(i == len(axes) - 1))
        axes[-1].set_xlabel(data.parameter_label(parameter))
        pad = 0.01 * (hi - lo or 1.0)
        axes[-1].set_xlim(lo - pad, hi + pad)
        handles, labels = axes[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside right center", frameon=False,
                      title=f"equilibrium\n({wrap(data.players_line, 30)})", fontsize=12,
                      handlelength=LEGEND_HANDLE_LENGTH)
    return figure


def _continuous(x: np.ndarray, y: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One value per grid point (gaps where the outcome is no equilibrium, so the line breaks)."""
    values = np.full(len(grid), np.nan)
    index = np.searchsorted(grid, x)
    values[index] = y
    return grid, values


def draw_mixed(data: RunData, parameter: str) -> Figure | None:
    """Strategy probabilities of the mixed equilibria (``None`` when there are none)."""
    outcomes = data.outcomes_by_frequency()
    colours = outcome_colours(outcomes)
    mixed = [o for o in _lasting(data, parameter) if "+" in o]
    if not mixed:
        return None
    shown = mixed[:MAX_MIXED_PANELS]
    headline = f"Mixed equilibria as {parameter} changes: who plays what, how often"
    if len(mixed) > len(shown):
        headline += f" (the {len(shown)} most frequent of {len(mixed)})"
    x = data.values(parameter)
    grid = np.unique(x)
    lo, hi = _x_limits(data, parameter)
    tipping = _tipping_values(data, parameter)
    with plot_style():
        figure = new_figure()
        axes = figure.subplots(len(shown), 1, sharex=True, squeeze=False)[:, 0]
        _figure_title(figure, data, headline)
        for ax in axes:
            mark_tipping_points(ax, tipping, label_axes=False)
        for row, (ax, o) in enumerate(zip(axes, shown)):
            rows = _rows_of(data, o)
            supports = o.split(" / ")
            style = 0
            for i, (player, support) in enumerate(zip(data.players, supports)):
                for s in support.split("+"):
                    xs, ys = _continuous(x[rows], data.columns[f"p.{player}.{s}"][rows], grid)
                    ax.plot(xs, ys, color=PLAYER_COLOURS[i % len(PLAYER_COLOURS)],
                            linestyle=_LINE_STYLES[style % len(_LINE_STYLES)], linewidth=3,
                            gid=f"style-{style % len(_LINE_STYLES)}",
                            label=f"{data.player_name(player)}: {shorten(data.strategy_name(player, s), 30)}")
                    style += 1
            ax.set_ylim(-0.05, 1.05)
            ax.set_yticks([0, 0.5, 1])
            ax.set_yticklabels(["0", "50%", "100%"])
            ax.grid(axis="y")
            ax.set_title(wrap(data.outcome_label(o, 30), 110, max_lines=2), fontsize=13, loc="left",
                         color=colour(colours[o]))
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=12,
                      handlelength=LEGEND_HANDLE_LENGTH)
            mark_default(ax, _default_value(data, parameter), label=(row == len(axes) - 1))
        axes[-1].set_xlabel(data.parameter_label(parameter))
        pad = 0.01 * (hi - lo or 1.0)
        axes[-1].set_xlim(lo - pad, hi + pad)
        figure.supylabel("probability in the equilibrium", fontsize=14)
    return figure
