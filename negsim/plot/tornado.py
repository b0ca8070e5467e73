"""One-at-a-time sweeps: which parameters move the payoffs (tornado chart) and where each one
changes the equilibria (outcome strips)."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negsim.errors import InputError, Problem
from negsim.plot.runs import RunData, format_value
from negsim.plot.style import (
    INK,
    MANY_COLOURS,
    MUTED,
    OVERFLOW_GREY,
    PLAYER_COLOURS,
    new_figure,
    plot_style,
    wrap,
)

__all__ = ["baseline_payoffs", "draw_outcome_strips", "draw_tornado", "set_legend_label", "strip_segments"]

#: Most parameters drawn, the highest ranked first.
MAX_PARAMETERS = 20


def _records(data: RunData) -> list[dict]:
    if not data.sensitivity:
        raise InputError([Problem("the run has no sensitivity.json (written by complete "
                                  "one-at-a-time sweeps)", file=str(data.folder))])
    return sorted(data.sensitivity, key=lambda r: r.get("rank", 0))[:MAX_PARAMETERS]


def baseline_payoffs(data: RunData) -> dict[str, float] | None:
    """Each player's payoff (first equilibrium) with every parameter at its default, if the
    sweep visited that point."""
    varied = data.columns["varied"]
    first = data.columns["equilibrium"] == 0
    for name in data.swept:
        default = data.parameter(name).get("default")
        if default is None:
            continue
        rows = np.flatnonzero((varied == name) & first & np.isclose(data.values(name), default, rtol=0,
                                                                     atol=1e-12 * max(1.0, abs(default))))
        if len(rows):
            return {p: float(data.columns[f"payoff.{p}"][rows[0]]) for p in data.players}
    return None


def draw_tornado(data: RunData) -> Figure:
    """Per player: the range of its equilibrium payoff as each parameter moves over its range."""
    records = _records(data)
    base = baseline_payoffs(data)
    players = [p for p in data.players if any(p in r.get("payoff", {}) for r in records)][:3]
    n = len(records)
    size = float(np.clip(18 - 0.45 * n, 10, 15))
    with plot_style():
        figure = new_figure()
        figure.suptitle(data.manifest.get("title") or "Which parameters move the outcome most?",
                        fontweight="bold")
        axes = figure.subplots(1, len(players) + 1, sharey=True, squeeze=False,
                               width_ratios=[1.0] * len(players) + [0.32])[0]
        y = np.arange(n)[::-1]
        for ax, player in zip(axes, players):
            c = PLAYER_COLOURS[data.players.index(player) % len(PLAYER_COLOURS)]
            for yk, r in zip(y, records):
                pay = r.get("payoff", {}).get(player)
                if not pay:
                    continue
                lo, hi = float(pay["min"]), float(pay["max"])
                ax.barh(yk, max(hi - lo, 1e-9), left=lo, height=0.62, color=c, alpha=0.35, zorder=2)
                ax.plot([pay["at_low"]], [yk], marker="o", markersize=10, markerfacecolor="white",
                        markeredgecolor=c, markeredgewidth=2.5, linestyle="none", zorder=4)
                ax.plot([pay["at_high"]], [yk], marker="o", markersize=10, color=c, linestyle="none",
                        zorder=4)
            if base is not None:
                ax.axvline(base[player], color=INK, linewidth=1.5, zorder=3)
            ax.set_title(f"payoff to {data.player_name(player)}", color=c, fontsize=16)
            ax.grid(axis="x", zorder=0)
            ax.tick_params(axis="y", length=0)
            ax.margins(x=0.04)
        axes[0].set_yticks(y)
        axes[0].set_yticklabels([f"{r['parameter']} ({format_value(r['low'])} to {format_value(r['high'])})"
                                 for r in records], fontsize=size)
        side = axes[-1]
        side.set_title("equilibrium\nchanges", fontsize=14)
        side.axis("off")
        for yk, r in zip(y, records):
            changes = int(r.get("outcome_changes", 0))
            values = ", ".join(format_value(v, 3) for v in r.get("tipping_values", [])[:3])
            more = "…" if len(r.get("tipping_values", [])) > 3 else ""
            text = f"{changes}" + (f"  at {values}{more}" if changes else "")
            side.text(0.0, yk, text, va="center", fontsize=size - 1,
                      fontweight="bold" if changes else "normal", color=INK if changes else MUTED,
                      transform=side.get_yaxis_transform())
        handles = [
            Patch(facecolor=MUTED, alpha=0.35, label="range of the payoff"),
            Line2D([], [], marker="o", markersize=10, markerfacecolor="white", markeredgecolor=INK,
                   markeredgewidth=2, linestyle="none", label="parameter at its minimum"),
            Line2D([], [], marker="o", markersize=10, color=INK, linestyle="none",
                   label="parameter at its maximum"),
        ]
        if base is not None:
            handles.append(Line2D([], [], color=INK, linewidth=1.5, label="all parameters at their defaults"))
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False,
                      title=wrap(f"{data.scenario_title}: each parameter over its range, the others at their "
                                 "defaults; payoff of the first equilibrium (pure first)", 115))
    return figure


def strip_segments(xs: np.ndarray, sets: np.ndarray, tipping: list[float]) -> list[tuple[float, float, str]]:
    """``(start, stop, set)`` pieces along one parameter; the edges at tipping values where the
    sweep found them, else halfway between points."""
    pieces: list[tuple[float, float, str]] = []
    start = xs[0]
    for k in range(1, len(xs) + 1):
        if k < len(xs) and sets[k] == sets[k - 1]:
            continue
        if k == len(xs):
            stop = xs[-1]
        else:
            inside = [t for t in tipping if xs[k - 1] - 1e-12 <= t <= xs[k] + 1e-12]
            stop = min(inside) if inside else (xs[k - 1] + xs[k]) / 2
        if stop > start:
            pieces.append((float(start), float(stop), str(sets[k - 1])))
        if k < len(xs):
            inside = [t for t in tipping if xs[k - 1] - 1e-12 <= t <= xs[k] + 1e-12]
            start = max(inside) if inside else stop
    return pieces


def set_legend_label(data: RunData, equilibrium_set: str, width: int = 52) -> str:
    """A set of equilibria written out in full (never cut short): its equilibria one after the
    other, each from a new line starting with "or", long ones wrapped.

    >>> print(set_legend_label(_Names(), "a / b | a+c / b+d", width=30))
    Alpha / Beta
    or mixed: Alpha + Gamma / Beta
      + Delta
    """
    lines = []
    for k, outcome in enumerate(equilibrium_set.split(" | ")):
        label = ("or " if k else "") + data.outcome_label(outcome, 80)
        lines.extend(textwrap.wrap(label, width, subsequent_indent="  ", break_on_hyphens=False) or [label])
    return "\n".join(lines)


class _Names:
    """Stands in for a run in the example above."""

    def outcome_label(self, outcome: str, width: int = 30) -> str:
        names = {"a": "Alpha", "b": "Beta", "c": "Gamma", "d": "Delta"}
        parts = [" + ".join(names[s] for s in part.split("+")) for part in outcome.split(" / ")]
        return ("mixed: " if "+" in outcome else "") + " / ".join(parts)


def draw_outcome_strips(data: RunData) -> Figure:
    """One strip per parameter over its range (0% = min, 100% = max), coloured by the set of
    equilibria; the default marked.

    Every set of equilibria on the chart has its own colour (:data:`MANY_COLOURS`, in order of
    how much of the chart it covers), its own number, written on its pieces where they are wide
    enough, and a legend entry that writes it out in full. Only beyond sixteen sets do the ones
    that cover least share one grey, counted in the legend as such.
    """
    records = _records(data)
    varied = data.columns["varied"]
    first = data.columns["equilibrium"] == 0
    strips = []
    length: dict[str, float] = {}
    for r in records:
        name = r["parameter"]
        rows = np.flatnonzero((varied == name) & first)
        xs = data.values(name)[rows]
        order_x = np.argsort(xs, kind="stable")
        low, high = float(r["low"]), float(r["high"])
        span = (high - low) or 1.0
        tipping = [float(t["value"]) for t in data.tipping_points if t.get("parameter") == name]
        sets = data.columns["equilibrium_set"][rows][order_x]
        pieces = [((a - low) / span, (b - low) / span, s)
                  for a, b, s in strip_segments(xs[order_x], sets, tipping)]
        strips.append(pieces)
        for a, b, s in pieces:
            length[s] = length.get(s, 0.0) + (b - a)
    # Colours and numbers go to the sets in order of how much of the chart they cover.
    ordered = sorted(length, key=lambda s: (-length[s], s))
    index = {s: k for k, s in enumerate(ordered)}
    overflow = ordered[len(MANY_COLOURS):]
    n = len(records)
    size = float(np.clip(18 - 0.45 * n, 10, 15))

    def face(k: int) -> str:
        return MANY_COLOURS[k] if k < len(MANY_COLOURS) else OVERFLOW_GREY

    with plot_style():
        figure = new_figure()
        figure.suptitle("Where each parameter changes the equilibria (the others at their defaults)",
                        fontweight="bold")
        ax = figure.add_subplot()
        y = np.arange(n)[::-1]
        for yk, r, pieces in zip(y, records, strips):
            for start, stop, s in pieces:
                k = index[s]
                ax.barh(yk, stop - start, left=start, height=0.66, color=face(k), edgecolor="white",
                        linewidth=0.6, zorder=2, gid=f"set-{k + 1}")
                if k < len(MANY_COLOURS) and stop - start >= 0.035:
                    ax.text((start + stop) / 2, yk, str(k + 1), ha="center", va="center",
                            fontsize=size - 3, fontweight="bold", color=_number_colour(face(k)), zorder=3)
            low, high = float(r["low"]), float(r["high"])
            default = r.get("default")
            if default is not None:
                ax.plot([(float(default) - low) / ((high - low) or 1.0)], [yk + 0.42], marker="v",
                        markersize=11, color=INK, linestyle="none", zorder=4)
            ax.text(-0.01, yk, format_value(low), ha="right", va="center", fontsize=size - 2, color="#555555")
            ax.text(1.01, yk, format_value(high), ha="left", va="center", fontsize=size - 2, color="#555555")
        ax.set_yticks(y)
        ax.set_yticklabels([r["parameter"] for r in records], fontsize=size)
        ax.tick_params(axis="y", length=0, pad=46)
        ax.set_xlim(-0.005, 1.005)
        ax.set_ylim(-0.6, n - 0.2)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_xlabel("position in the parameter's range (its min and max written at the ends)")
        for side in ("left", "top", "right"):
            ax.spines[side].set_visible(False)
        shown = ordered[:len(MANY_COLOURS)]
        lines = sum(set_legend_label(data, s).count("\n") + 1 for s in shown)
        font = float(np.clip(13 - 0.12 * lines, 7.5, 11))
        handles: list[Artist] = [
            Patch(facecolor=face(k), edgecolor="white",
                  label=f"{k + 1}  {set_legend_label(data, s)}".replace("\n", "\n      "))
            for k, s in enumerate(shown)]
        if overflow:
            handles.append(Patch(facecolor=OVERFLOW_GREY, edgecolor="white",
                                 label=f"{len(overflow)} more sets, each on less of the chart than the "
                                       f"{len(MANY_COLOURS)} above\n({len(MANY_COLOURS)} colours at most; "
                                       "see results.csv)"))
        handles.append(Line2D([], [], marker="v", markersize=11, color=INK, linestyle="none",
                              label="scenario default"))
        figure.legend(handles=handles, loc="outside right center", frameon=False, fontsize=font,
                      title=f"equilibria ({wrap(data.players_line, 40)})", title_fontsize=font + 1,
                      labelspacing=0.45, handlelength=1.6)
    return figure


def _number_colour(background: str) -> str:
    """White on dark colours, ink on light ones."""
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else INK
