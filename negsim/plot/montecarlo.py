"""Monte Carlo sweeps: how often each set of equilibria (and each outcome) occurs, with 95%
Wilson intervals for the share of draws."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from negsim.plot.region import point_sets
from negsim.plot.runs import RunData
from negsim.plot.style import INK, colour, new_figure, plot_style, wrap

__all__ = [
    "draw_drivers",
    "draw_outcome_shares",
    "draw_set_shares",
    "outcome_by_bins",
    "outcome_shares",
    "set_shares",
    "wilson_interval",
]

#: Most bars drawn; rarer sets are summed into one "other" bar.
MAX_BARS = 10
#: Most parameters in the drivers chart, the ones that move the first outcome most.
MAX_DRIVERS = 20
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


def _bars(
    figure: Figure,
    items: list[tuple[str, int]],
    n: int,
    labels: list[str],
    colours: list[int],
    xlabel: str,
    subtitle: str,
) -> None:
    ax = figure.add_subplot()
    ax.set_title(subtitle, fontsize=12, fontweight="normal", color="#555555")
    y = np.arange(len(items))[::-1]
    shares = np.array([c / n for _, c in items])
    intervals = np.array([wilson_interval(c, n) for _, c in items])
    size = float(np.clip(17 - 0.6 * len(items), 11, 15))
    for yk, share, k in zip(y, shares, colours):
        ax.barh(yk, share, color=colour(k) if k >= 0 else "#BBBBBB", edgecolor="white", height=0.7, zorder=2)
    ax.errorbar(
        shares,
        y,
        xerr=np.abs(intervals.T - shares),
        fmt="none",
        ecolor=INK,
        elinewidth=2,
        capsize=6,
        zorder=3,
    )
    for yk, share, (lo, hi) in zip(y, shares, intervals):
        ax.annotate(
            f"{share:.1%}  ({lo:.1%} to {hi:.1%})",
            xy=(hi, yk),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=size - 1,
            color=INK,
        )
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=size)
    ax.set_xlim(0, min(1.0, max(intervals[:, 1].max() * 1.35, 0.1)))
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", zorder=0)


_BARS = "bars: share of points, whiskers: 95% Wilson interval"


def _subtitle(data: RunData, n: int, how: str = _BARS) -> str:
    seed = data.manifest.get("seed")
    drawn = ", ".join(data.swept) if len(data.swept) <= 6 else f"{len(data.swept)} parameters"
    what = "draws" if data.kind == "monte_carlo" else "grid points"
    return wrap(
        f"{data.scenario_title}. {n:,} {what} of {drawn}"
        + (f" (seed {seed})" if seed is not None else "")
        + (f"; {how}." if how else "."),
        80,
    )


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
        _bars(figure, shown, n, labels, colours, f"share of points ({data.players_line})", _subtitle(data, n))
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
        _bars(
            figure,
            shown,
            n,
            labels,
            [0] * len(shown),
            f"share of points where it is an equilibrium ({data.players_line})",
            _subtitle(data, n),
        )
    return figure


def outcome_by_bins(data: RunData, outcome: str, parameter: str, bins: int = 5) -> np.ndarray:
    """The share of points where ``outcome`` is an equilibrium, in each of ``bins`` equal-count
    bins of ``parameter`` (lowest values first)."""
    first, _ = point_sets(data)
    point = data.columns["point"]
    has = np.zeros(int(point.max()) + 1, dtype=bool)
    has[point[data.columns["outcome"] == outcome].astype(int)] = True
    points = point[first].astype(int)
    values = data.values(parameter)[first]
    order = np.argsort(values, kind="stable")
    return np.array(
        [has[points[chunk]].mean() if len(chunk) else np.nan for chunk in np.array_split(order, bins)]
    )


def draw_drivers(data: RunData, outcomes: list[str] | None = None, bins: int = 5) -> Figure:
    """Which parameters drive the most frequent outcomes: for each outcome and parameter, the
    share of points where the outcome is an equilibrium, from the parameter's lowest fifth of
    draws to its highest. Rows are ranked by how much that share moves for the first outcome."""
    outcomes = (outcomes or [o for o, _ in outcome_shares(data)])[:3]
    parameters = data.swept
    shares = np.array([[outcome_by_bins(data, o, p, bins) for p in parameters] for o in outcomes])
    spread = np.nanmax(shares[0], axis=1) - np.nanmin(shares[0], axis=1)
    rank = np.argsort(-spread, kind="stable")[:MAX_DRIVERS]
    with plot_style():
        figure = new_figure()
        figure.suptitle("Which parameters drive each outcome?", fontweight="bold")
        axes = figure.subplots(1, len(outcomes), sharey=True, squeeze=False)[0]
        size = float(np.clip(16 - 0.35 * len(rank), 8, 13))
        for ax, o, table in zip(axes, outcomes, shares):
            shown = table[rank]
            image = ax.imshow(shown, cmap="cividis", vmin=0, vmax=1, aspect="auto")
            for (r, c), value in np.ndenumerate(shown):
                ax.text(
                    c,
                    r,
                    f"{value:.0%}",
                    ha="center",
                    va="center",
                    fontsize=size - 1,
                    color="white" if value < 0.55 else INK,
                )
            ax.set_title(wrap(data.outcome_label(o, 40), 34, max_lines=3), fontsize=13)
            ax.set_xticks([0, bins - 1])
            ax.set_xticklabels(
                ["lowest\nfifth", "highest\nfifth"] if bins == 5 else ["lowest", "highest"], fontsize=12
            )
            ax.tick_params(length=0)
            for side in ax.spines.values():
                side.set_visible(False)
        axes[0].set_yticks(range(len(rank)))
        axes[0].set_yticklabels([parameters[k] for k in rank], fontsize=size)
        figure.colorbar(
            image,
            ax=list(axes),
            shrink=0.8,
            format=lambda v, _: f"{v:.0%}",
            label="share of points where the outcome is an equilibrium",
        )
        figure.supxlabel(
            wrap(
                f"each parameter's draws cut into {bins} groups of equal size, lowest values "
                f"left. {_subtitle(data, data.n_points, '')}",
                140,
            ),
            fontsize=12,
        )
    return figure
