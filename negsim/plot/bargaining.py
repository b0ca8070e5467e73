"""Bargaining figures: the payoff set with its frontier, disagreement point and solutions; the
alternating-offers shares against the discount factor.

>>> from negsim.game import Game
>>> from negsim.bargaining import bargaining_problem, solve_bargaining
>>> dollar = Game.from_matrices([[0, 1], [0, 0]], [[0, 0], [1, 0]])
>>> problem = bargaining_problem(dollar, "maximin")
>>> figure = draw_payoff_set(problem, solve_bargaining(problem).agreements)
>>> len(figure.axes)
1
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from negsim.bargaining.analysis import BargainingAnalysis
from negsim.bargaining.geometry import Point
from negsim.bargaining.numeric import fmt, fmt_delta
from negsim.bargaining.problem import Agreement, BargainingProblem
from negsim.bargaining.rubinstein import (
    AlternatingOffers,
    alternating_offers,
    finite_alternating_offers,
    frontier_alternating_offers,
    rubinstein_shares,
)
from negsim.errors import InputError, Problem
from negsim.plot.style import (
    FORMATS,
    INK,
    MUTED,
    PALETTE,
    PLAYER_COLOURS,
    new_figure,
    plot_style,
    save_figure,
    shorten,
    wrap,
)

__all__ = [
    "draw_offers",
    "draw_payoff_set",
    "draw_rubinstein_shares",
    "plot_offers",
    "plot_payoff_set",
    "plot_rubinstein_shares",
]

_MARKERS = ("*", "D", "^", "s", "P", "v", "X")
_HULL_FILL = "#EEEEEE"
_ZONE_FILL = "#DCEBF5"


def _short(value: Fraction) -> str:
    """Three significant digits for figure labels (the exact value is in the results)."""
    return f"{float(value):.3g}"


def _xy(points: Sequence[Point]) -> tuple[list[float], list[float]]:
    return [float(p[0]) for p in points], [float(p[1]) for p in points]


def _zone(problem: BargainingProblem) -> list[Point]:
    """The region every side prefers to no deal, as a polygon (comprehensive set above ``d``)."""
    d = problem.d
    front = list(problem.frontier)
    if not front or problem.feasible.agreements == "pure":
        return []
    corner = (d[0], d[1])
    return [corner, (d[0], front[0][1]), *front, (front[-1][0], d[1])]


def draw_payoff_set(problem: BargainingProblem, agreements: Sequence[Agreement], *,
                    title: str | None = None) -> Figure:
    """The feasible payoffs (outcomes, their hull or the side-payment line), the Pareto frontier,
    the zone of possible agreement, the disagreement point and each solution, labelled."""
    if problem.n_players != 2:
        raise InputError([Problem("the payoff-set figure is drawn for two players", path="players")])
    feasible = problem.feasible
    names = problem.names
    d = problem.d
    values = feasible.values()
    with plot_style():
        figure = new_figure()
        ax = figure.add_subplot()
        figure.suptitle(wrap(title or "Where will they settle?", 80, max_lines=2), fontweight="bold")
        ax.set_title(wrap(f"Disagreement point: {problem.disagreement.description}", 100, max_lines=2),
                     fontsize=13, fontweight="normal", color="#555555")
        if feasible.agreements == "lotteries" and len(feasible.hull) >= 3:
            ax.add_patch(Polygon(np.array(_xy(feasible.hull)).T, closed=True, facecolor=_HULL_FILL,
                                 edgecolor=MUTED, linewidth=1, zorder=1, label="lotteries over outcomes"))
        zone = _zone(problem)
        if zone:
            ax.add_patch(Polygon(np.array(_xy(zone)).T, closed=True, facecolor=_ZONE_FILL, edgecolor="none",
                                 zorder=1.5, label="zone of possible agreement"))
        if feasible.agreements == "transfers":
            lo = float(min(values[:, 0].min(), float(d[0]))) - 1
            hi = float(max(values[:, 0].max(), float(feasible.total - d[1]))) + 1
            xs = np.array([lo, hi])
            ax.plot(xs, float(feasible.total) - xs, color=INK, linestyle="--", linewidth=1.5, zorder=2,
                    label=f"side payments: total {fmt(feasible.total)}")
        elif feasible.agreements == "lotteries":
            fx, fy = _xy(feasible.frontier)
            ax.plot(fx, fy, color=INK, linewidth=2, zorder=2, label="Pareto frontier")
        bx, by = _xy(problem.frontier)
        if len(problem.frontier) > 1 and feasible.agreements != "pure":
            ax.plot(bx, by, color=PALETTE[0], linewidth=5, alpha=0.6, zorder=2.5, solid_capstyle="round",
                    label="efficient agreements both prefer to no deal")
        # outcomes, one label per distinct payoff pair
        groups: dict[tuple[Fraction, Fraction], list[str]] = {}
        for o in feasible.outcomes:
            groups.setdefault((o.payoffs[0], o.payoffs[1]), []).append(o.label)
        efficient = {(o.payoffs[0], o.payoffs[1]) for o in feasible.efficient_outcomes()}
        for point, labels in groups.items():
            x, y = float(point[0]), float(point[1])
            ax.plot([x], [y], "o", color=INK if point in efficient else MUTED, markersize=7, zorder=4)
            text = shorten(labels[0], 26) + (f" (+{len(labels) - 1})" if len(labels) > 1 else "")
            ax.annotate(text, (x, y), xytext=(6, 5), textcoords="offset points", fontsize=10,
                        color=INK if point in efficient else MUTED, zorder=5)
        ax.axvline(float(d[0]), color=MUTED, linestyle=":", linewidth=1, zorder=1.6)
        ax.axhline(float(d[1]), color=MUTED, linestyle=":", linewidth=1, zorder=1.6)
        ax.plot([float(d[0])], [float(d[1])], marker="X", color=INK, markersize=13, linestyle="none",
                zorder=6,
                label=f"disagreement ({_short(d[0])}, {_short(d[1])})")
        for k, agreement in enumerate(agreements):
            x, y = float(agreement.payoffs[0]), float(agreement.payoffs[1])
            ax.plot([x], [y], marker=_MARKERS[k % len(_MARKERS)], color=PALETTE[(k + 1) % len(PALETTE)],
                    markersize=15 if k == 0 else 11, markeredgecolor=INK, linestyle="none", zorder=7 + k,
                    label=shorten(f"{agreement.title} ({_short(agreement.payoffs[0])}, "
                                  f"{_short(agreement.payoffs[1])})", 70))
        if agreements:
            ax.text(1.02, 0.0, wrap(f"{agreements[0].title}: {agreements[0].how(names)}", 48, max_lines=6),
                    transform=ax.transAxes, fontsize=11, va="bottom", ha="left", color=INK)
        ax.set_xlabel(f"{names[0]}'s payoff", color=PLAYER_COLOURS[0])
        ax.set_ylabel(f"{names[1]}'s payoff", color=PLAYER_COLOURS[1])
        ax.grid(True, zorder=0)
        ax.margins(0.08)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), framealpha=0.9, fontsize=12)
    return figure


def plot_payoff_set(problem: BargainingProblem, agreements: Sequence[Agreement],
                    stem: str | os.PathLike[str], formats: Sequence[str] = FORMATS, *,
                    title: str | None = None) -> list[Path]:
    """Draw :func:`draw_payoff_set` and write ``stem.png`` ... atomically; returns the files."""
    return save_figure(draw_payoff_set(problem, agreements, title=title), stem, formats)


def draw_rubinstein_shares(discount: Sequence[float | Fraction], *, first: int = 0,
                           players: Sequence[str] = ("player 1", "player 2"),
                           others: Sequence[float] = (0.5, 0.8, 0.9, 0.95, 0.99),
                           periods: int = 30) -> Figure:
    """Left: the first proposer's share against its own discount factor, one line per discount
    factor of the other side (and the equal-patience diagonal), the given pair marked. Right: the
    finite-horizon shares by backward induction against the number of periods, converging to
    the infinite-horizon share."""
    result = alternating_offers(discount, first=first, players=players)
    own = np.linspace(0.0, 0.995, 400)
    names = result.players
    mover = names[first]
    with plot_style():
        figure = new_figure()
        left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        figure.suptitle(wrap(result.sentence(), 70, max_lines=3), fontweight="bold")
        for k, other in enumerate(others):
            share = rubinstein_shares(own, other, 0) if first == 0 else 1 - rubinstein_shares(other, own, 1)
            left.plot(own, share, color=PALETTE[(k + 1) % len(PALETTE)],
                      label=f"{names[1 - first]}'s discount factor {other:g}")
        same = rubinstein_shares(own, own, 0)
        left.plot(own, same, color=INK, linestyle="--", linewidth=1.8, label="equal patience")
        x = float(result.discount[first])
        y = float(result.shares[first] / result.pie)
        left.plot([x], [y], marker="o", color=PLAYER_COLOURS[first], markersize=12, markeredgecolor=INK,
                  zorder=5, label=f"{fmt_delta(result.discount[0])} and {fmt_delta(result.discount[1])}: "
                  f"{y:.0%} to {mover}")
        left.axhline(0.5, color=MUTED, linewidth=1, linestyle=":")
        left.set_xlim(0, 1)
        left.set_ylim(0, 1.02)
        left.set_xlabel(f"{mover}'s discount factor (proposes first)")
        left.set_ylabel(f"{mover}'s share of the surplus")
        left.grid(True)
        left.legend(loc="lower right", fontsize=11)
        finite = finite_alternating_offers(discount, periods, first=first, players=players)
        horizon = np.arange(1, periods + 1)
        shares = [float(finite_alternating_offers(discount, int(t), first=first).shares[first])
                  for t in horizon]
        right.plot(horizon, shares, "o-", color=PLAYER_COLOURS[first], markersize=5,
                   label=f"{mover}'s share by backward induction")
        right.axhline(y, color=INK, linestyle="--", linewidth=1.5, label=f"infinite horizon {y:.3f}")
        right.set_xlabel("number of periods (offers) before talks end")
        right.set_ylabel(f"{mover}'s share")
        right.set_ylim(0, 1.02)
        right.grid(True)
        right.legend(loc="lower right", fontsize=11)
        right.set_title(f"finite horizon: {finite.periods} periods give {float(finite.shares[first]):.3f}",
                        fontsize=13, fontweight="normal", color="#555555")
    return figure


def plot_rubinstein_shares(discount: Sequence[float | Fraction], stem: str | os.PathLike[str],
                           formats: Sequence[str] = FORMATS, *, first: int = 0,
                           players: Sequence[str] = ("player 1", "player 2")) -> list[Path]:
    return save_figure(draw_rubinstein_shares(discount, first=first, players=players), stem, formats)


def _possessive(name: str) -> str:
    """``Turkey's``, ``United States'``."""
    return name + ("'" if name.endswith("s") else "'s")


def _offer_curve(analysis: BargainingAnalysis, player: int, grid: np.ndarray) -> np.ndarray:
    """Each side's result of alternating offers as ``player``'s discount factor runs over
    ``grid`` (the other's as given): shares of the surplus with side payments, payoffs over a
    frontier of lotteries. NaN where the game has no such equilibrium."""
    offers = analysis.offers
    assert offers is not None
    out = np.full((len(grid), 2), np.nan)
    for k, x in enumerate(grid):
        factors = list(offers.discount)
        factors[player] = Fraction(float(x)).limit_denominator(10_000)
        try:
            if isinstance(offers, AlternatingOffers):
                split = alternating_offers(factors, first=offers.first, pie=offers.pie,
                                           breakdown=offers.breakdown, outside_options=offers.outside_options,
                                           players=offers.players)
                out[k] = [float(s / split.pie) for s in split.shares]
            else:
                point = frontier_alternating_offers(analysis.problem, factors, first=offers.first,
                                                    breakdown=offers.breakdown).agreement
                out[k] = [float(v) for v in point]
        except InputError:
            continue
    return out


def draw_offers(analysis: BargainingAnalysis) -> Figure:
    """Alternating offers against patience: each panel moves one side's discount factor (the
    other's as given) and shows what each side gets (shares of the surplus with side payments,
    payoffs over a frontier of lotteries), the given pair marked and the Nash bargaining
    solution dashed."""
    offers = analysis.offers
    if offers is None:
        raise InputError([Problem("the figure of alternating offers needs discount factors",
                                  path="discount")])
    names = analysis.names
    surplus = isinstance(offers, AlternatingOffers)
    nash = analysis.solutions["nash"]
    if isinstance(offers, AlternatingOffers):
        d = analysis.problem.d
        pie = analysis.problem.surplus
        reference = [float((v - di) / pie) for v, di in zip(nash.payoffs, d)]
        at = [float(s / offers.pie) for s in offers.shares]
    else:
        reference = [float(v) for v in nash.payoffs]
        at = [float(v) for v in offers.agreement]
    grid = np.linspace(0.02, 0.995, 80)
    with plot_style():
        figure = new_figure()
        panels = figure.subplots(1, 2, sharey=True)
        figure.suptitle(wrap(analysis.offers_sentence(), 70, max_lines=3), fontweight="bold")
        for player, ax in enumerate(panels):
            curve = _offer_curve(analysis, player, grid)
            for i in range(2):
                ax.plot(grid, curve[:, i], color=PLAYER_COLOURS[i], linewidth=2.2, label=names[i])
                ax.axhline(reference[i], color=PLAYER_COLOURS[i], linestyle="--", linewidth=1.2,
                           label=f"{names[i]}: {nash.title}" if player == 0 else "_")
                ax.plot([float(offers.discount[player])], [at[i]], marker="o", markersize=11,
                        color=PLAYER_COLOURS[i], markeredgecolor=INK, zorder=5, linestyle="none")
            ax.axvline(float(offers.discount[player]), color=MUTED, linestyle=":", linewidth=1)
            other = 1 - player
            ax.set_title(f"{_possessive(names[other])} discount factor {fmt_delta(offers.discount[other])}; "
                         f"{names[offers.first]} proposes first", fontsize=12, fontweight="normal",
                         color="#555555")
            ax.set_xlabel(f"{_possessive(names[player])} discount factor")
            ax.set_xlim(0, 1)
            ax.grid(True)
        panels[0].set_ylabel("share of the surplus" if surplus else "payoff in the agreement")
        if surplus:
            panels[0].set_ylim(0, 1.02)
        panels[0].legend(loc="best", fontsize=11)
    return figure


def plot_offers(analysis: BargainingAnalysis, stem: str | os.PathLike[str],
                formats: Sequence[str] = FORMATS) -> list[Path]:
    """Draw :func:`draw_offers` and write ``stem.png`` ... atomically; returns the files."""
    return save_figure(draw_offers(analysis), stem, formats)
