"""Monte Carlo sweeps: how often each set of equilibria (and each outcome) occurs, with 95%
Wilson intervals for the share of draws."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from negsim.plot.region import point_sets
from negsim.plot.runs import RunData
from negsim.plot.style import INK, colour, new_figure, plot_style, wrap

__all__ = ["draw_outcome_shares", "draw_set_shares", "outcome_shares", "set_shares", "wilson_interval"]

#: Most bars drawn; rarer sets are summed into one "other" bar.
MAX_BARS = 10
Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (good also near 0 and 1, unlike the normal
    approximation)."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def set_shares(data: RunData) -> list[tuple[str, int]]:
    """Each equilibrium set with its number of points, the most frequent first."""
    _, sets = point_sets(data)
    names, counts = np.unique(sets, return_counts=True)
    order = np.lexsort((names, -counts))
    return [(str(names[k]), int(counts[k])) for k in order]


def outcome_shares(data: RunData) -> list[tuple[str, int]]:
    """Each outcome with the number of points where it is an equilibrium (points with several
    equilibria count for each), the most frequent first."""
    point, outcome = data.columns["point"], data.columns["outcome"]
    keep = outcome != ""
    pairs = np.unique(np.rec.fromarrays([point[keep], outcome[keep].astype(str)]))
    names, counts = np.unique(pairs["f1"], return_counts=True)
    order = np.lexsort((names, -counts))
    return [(str(names[k]), int(counts[k])) for k in order]


def _bars(figure: Figure, items: list[tuple[str, int]], n: int, labels: list[str], colours: list[int],
          xlabel: str, subtitle: str) -> None:
    ax = figure.add_subplot()
    ax.set_title(subtitle, fontsize=12, fontweight="normal", color="#555555")
    y = np.arange(len(items))[::-1]
    shares = np.array([c / n for _, c in items])
    intervals = np.array([wilson_interval(c, n) for _, c in items])
    size = float(np.clip(17 - 0.6 * len(items), 11, 15))
    for yk, share, k in zip(y, shares, colours):
        ax.barh(yk, share, color=colour(k) if k >= 0 else "#BBBBBB", edgecolor="white", height=0.7, zorder=2)
    ax.errorbar(shares, y, xerr=np.abs(intervals.T - shares), fmt="none", ecolor=INK, elinewidth=2,
                capsize=6, zorder=3)
    for yk, share, (lo, hi) in zip(y, shares, intervals):
        ax.annotate(f"{share:.1%}  ({lo:.1%} to {hi:.1%})", xy=(hi, yk), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=size - 1, color=INK)
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=size)
    ax.set_xlim(0, min(1.0, max(intervals[:, 1].max() * 1.35, 0.1)))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", zorder=0)


def _subtitle(data: RunData, n: int) -> str:
    seed = data.manifest.get("seed")
    drawn = ", ".join(data.swept) if len(data.swept) <= 6 else f"{len(data.swept)} parameters"
    what = "draws" if data.kind == "monte_carlo" else "grid points"
    return wrap(f"{data.scenario_title}. {n:,} {what} of {drawn}"
                + (f" (seed {seed})" if seed is not None else "")
                + "; bars: share of points, whiskers: 95% Wilson interval.", 80)


def draw_set_shares(data: RunData) -> Figure:
    """How often each set of equilibria occurs (the sets partition the points)."""
    items = set_shares(data)
    n = sum(c for _, c in items)
    shown, rest = items[:MAX_BARS], items[MAX_BARS:]
    labels = [wrap(data.set_label(s, 28), 70, max_lines=2) for s, _ in shown]
    # One colour: the bars' lengths carry the message; grey for the sum of the rare sets.
    colours = [0] * len(shown)
    if rest:
        shown = [*shown, ("other", sum(c for _, c in rest))]
        labels.append(f"{len(rest)} other sets")
        colours.append(-1)
    with plot_style():
        figure = new_figure()
        headline = data.manifest.get("title") or "How likely is each set of equilibria?"
        figure.suptitle(wrap(headline, 90, max_lines=2), fontweight="bold")
        _bars(figure, shown, n, labels, colours, f"share of points ({data.players_line})",
              _subtitle(data, n))
    return figure


def draw_outcome_shares(data: RunData) -> Figure:
    """How often each outcome is an equilibrium (shares add up to more than 100% where points
    have several equilibria)."""
    items = outcome_shares(data)
    n = data.n_points or len(np.unique(data.columns["point"]))
    shown = items[:MAX_BARS]
    labels = [wrap(data.outcome_label(o, 28), 50, max_lines=3) for o, _ in shown]
    with plot_style():
        figure = new_figure()
        figure.suptitle("How often is each outcome an equilibrium?", fontweight="bold")
        _bars(figure, shown, n, labels, [0] * len(shown),
              f"share of points where it is an equilibrium ({data.players_line})", _subtitle(data, n))
    return figure
