"""The folk-theorem figure: feasible payoffs, the individually rational region above the minmax
point, and each pure outcome with the discount factors that sustain it.

>>> from negsim.game import Game
>>> from negsim.repeated import repeated_game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
>>> len(draw_folk_region(repeated_game(pd, (0, 0))).axes)
1
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from negsim.bargaining.numeric import fmt, fmt_delta
from negsim.errors import InputError, Problem
from negsim.plot.style import (
    FORMATS,
    INK,
    MUTED,
    OKABE_ITO,
    PALETTE,
    PLAYER_COLOURS,
    new_figure,
    plot_style,
    save_figure,
    shorten,
    wrap,
)
from negsim.repeated.analysis import RepeatedAnalysis
from negsim.repeated.trigger import Sustainability

__all__ = ["draw_folk_region", "outcome_note", "plot_folk_region"]

_REGION_FILL = "#DCEBF5"
_HULL_FILL = "#EEEEEE"


def outcome_note(s: Sustainability) -> str:
    """``δ ≥ 0.50 / 0.50 (grim trigger)``, ``stage equilibrium`` or ``never``."""
    if s.is_equilibrium():
        return "stage equilibrium"
    best = s.best()
    if best is None:
        bound = s.scheme("lower-bound")
        if not bound.sustainable:
            return "never"
        parts = " / ".join(fmt_delta(t.delta) for t in bound.thresholds)  # type: ignore[arg-type]
        return f"other punishments, δ ≥ {parts} at least"
    parts = " / ".join(fmt_delta(t.delta) for t in best.thresholds)  # type: ignore[arg-type]
    short = {"nash-reversion": "grim trigger", "one-period": "one-period", "minmax": "minmax",
             "declared": "declared", "penal-code": "penal code"}.get(best.name, best.name)
    return f"δ ≥ {parts} ({short})"


def draw_folk_region(analysis: RepeatedAnalysis, *, title: str | None = None) -> Figure:
    """Feasible payoffs, the folk-theorem region, the minmax point, and each pure outcome's
    smallest sustaining discount factors (players in order) under the best subgame-perfect
    scheme."""
    game = analysis.game
    if game.n_players != 2:
        raise InputError([Problem("the folk-theorem figure is drawn for two players", path="players")])
    folk = analysis.folk
    names = game.player_names
    v = folk.minmax
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        figure.suptitle(wrap(title or "Which outcomes can last in repeated play?", 80, max_lines=2),
                        fontweight="bold")
        subtitle = f"δ: the smallest discount factors of {names[0]} / {names[1]}"
        if analysis.cooperation is not None:
            subtitle = f"{analysis.cooperation.sentence()} ({subtitle})"
        ax.set_title(wrap(subtitle, 110, max_lines=3), fontsize=12, fontweight="normal", color="#555555")
        if len(folk.hull) >= 3:
            ax.add_patch(Polygon(np.array([[float(a), float(b)] for a, b in folk.hull]), closed=True,
                                 facecolor=_HULL_FILL, edgecolor=MUTED, linewidth=1, zorder=1,
                                 label="feasible payoffs"))
        if len(folk.region) >= 3:
            ax.add_patch(Polygon(np.array([[float(a), float(b)] for a, b in folk.region]), closed=True,
                                 facecolor=_REGION_FILL, edgecolor=PALETTE[0], linewidth=1.5, zorder=1.5,
                                 label="feasible and individually rational (folk theorem)"))
        ax.axvline(float(v[0]), color=MUTED, linestyle=":", linewidth=1)
        ax.axhline(float(v[1]), color=MUTED, linestyle=":", linewidth=1)
        ax.plot([float(v[0])], [float(v[1])], marker="X", color=INK, markersize=13, linestyle="none",
                zorder=6,
                label=f"minmax point ({fmt(v[0])}, {fmt(v[1])})")
        groups: dict[tuple[Fraction, ...], list[Sustainability]] = {}
        for s in analysis.outcomes:
            groups.setdefault(s.payoffs, []).append(s)
        coop = analysis.cooperation.profile if analysis.cooperation is not None else None
        shown = {"stage equilibrium": False, "sustainable": False, "never": False, "other": False}
        for point, items in groups.items():
            x, y = float(point[0]), float(point[1])
            first = items[0]
            note = outcome_note(first)
            style: dict[str, Any]
            if note == "stage equilibrium":
                style = dict(marker="s", color=OKABE_ITO["orange"], label="stage equilibrium")
                key = "stage equilibrium"
            elif note == "never":
                style = dict(marker="o", color=MUTED, label="cannot last (not individually rational)")
                key = "never"
            elif note.startswith("other"):
                style = dict(marker="o", color=OKABE_ITO["sky blue"],
                             label="individually rational; no simple punishment sustains it")
                key = "other"
            else:
                style = dict(marker="o", color=OKABE_ITO["bluish green"], label="can last (threshold δ)")
                key = "sustainable"
            if shown[key]:
                style["label"] = "_"
            shown[key] = True
            ax.plot([x], [y], linestyle="none", markersize=9, markeredgecolor=INK, zorder=5, **style)
            label = shorten(first.label, 24) + (f" (+{len(items) - 1})" if len(items) > 1 else "")
            bold = coop is not None and any(s.profile == coop for s in items)
            ax.annotate(f"{label}\n{note}", (x, y), xytext=(6, 4), textcoords="offset points", fontsize=9,
                        color=INK if note != "never" else MUTED, fontweight="bold" if bold else "normal",
                        zorder=6)
        ax.set_xlabel(f"{names[0]}'s average payoff", color=PLAYER_COLOURS[0])
        ax.set_ylabel(f"{names[1]}'s average payoff", color=PLAYER_COLOURS[1])
        ax.grid(True, zorder=0)
        ax.margins(0.1)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), framealpha=0.9, fontsize=11)
    return figure


def plot_folk_region(analysis: RepeatedAnalysis, stem: str | os.PathLike[str],
                     formats: Sequence[str] = FORMATS, *, title: str | None = None) -> list[Path]:
    """Draw :func:`draw_folk_region` and write ``stem.png`` ... atomically; returns the files."""
    return save_figure(draw_folk_region(analysis, title=title), stem, formats)
