"""What the figures let a reader tell apart: dash patterns in legends, one colour per set of
equilibria in the outcome strips (and its full name), moves by name in the tree figure with a
margin panel for every response, and possessives of names ending in s.

Checked on the artists of real figures drawn from the fixture runs and a real scenario.
"""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path

import pytest
from matplotlib.colors import to_hex

from negsim.compile.source import load_source
from negsim.plot import draw_run, load_run, tornado
from negsim.plot.style import MANY_COLOURS, OVERFLOW_GREY, possessive
from negsim.plot.sweep1d import _LINE_STYLES, LEGEND_HANDLE_LENGTH, dash_period, draw_equilibria
from negsim.plot.tree import credibility_figure, move_names_of

RUNS = Path(__file__).parent / "data" / "runs"


# -- dash patterns --------------------------------------------------------------------------------


def _styled_lines(ax):
    return [line for line in ax.get_lines() if (line.get_gid() or "").startswith("style-")]


def _handle_points(legend) -> float:
    return legend.handlelength * legend.prop.get_size_in_points()


def test_mixed_strategy_legends_are_long_enough_for_two_periods_of_every_dash():
    figure = draw_run(load_run(RUNS / "grid-1d"))["mixed-strategies"]
    panels = [ax for ax in figure.axes if ax.get_legend() is not None]
    assert panels
    for ax in panels:
        lines = _styled_lines(ax)
        legend = ax.get_legend()
        assert len(legend.get_lines()) == len(lines) >= 2
        styles = {line.get_gid() for line in lines}
        assert len(styles) == len(lines), "two lines of one panel share a style"
        for line in lines:
            period = dash_period(_LINE_STYLES[int(line.get_gid().split("-")[1])], line.get_linewidth())
            assert _handle_points(legend) >= 2 * period, (line.get_label(), period)


def test_payoff_legend_is_long_enough_too():
    figure = draw_run(load_run(RUNS / "grid-1d"))["payoffs"]
    (legend,) = figure.legends
    periods = [dash_period(_LINE_STYLES[int(line.get_gid().split("-")[1])], line.get_linewidth())
               for ax in figure.axes for line in _styled_lines(ax)]
    assert periods and _handle_points(legend) >= 2 * max(periods)
    # The default of two font sizes would not do: a dash-dot line needs the longer handle.
    assert 2.0 * legend.prop.get_size_in_points() < 2 * max(periods) <= _handle_points(legend)
    assert legend.handlelength == LEGEND_HANDLE_LENGTH


# -- the outcome strips ---------------------------------------------------------------------------


def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = linear(r), linear(g), linear(b)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_many_colours_differ_clearly_from_each_other_and_from_the_overflow_grey():
    assert len(set(MANY_COLOURS)) == len(MANY_COLOURS) == 16
    for a, b in combinations([*MANY_COLOURS, OVERFLOW_GREY], 2):
        assert math.dist(_lab(a), _lab(b)) >= 20, (a, b)


def _bars_by_set(figure):
    ax = figure.axes[0]
    found: dict[str, set[str]] = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith("set-"):
            found.setdefault(gid, set()).add(to_hex(patch.get_facecolor()).upper())
    return found


def test_every_set_on_the_strips_has_its_own_colour_and_a_full_legend_entry():
    data = load_run(RUNS / "one-at-a-time")
    figure = tornado.draw_outcome_strips(data)
    bars = _bars_by_set(figure)
    assert len(bars) >= 8  # the fixture's strips hold many sets: a real test of the palette
    assert all(len(colours) == 1 for colours in bars.values()), "a set drawn in two colours"
    colours = [next(iter(c)) for c in bars.values()]
    assert len(set(colours)) == len(colours), "two sets share a colour"
    assert OVERFLOW_GREY.upper() not in colours  # fewer sets than colours: nothing grey
    (legend,) = figure.legends
    texts = [t.get_text() for t in legend.get_texts()]
    entries = [t for t in texts if t[:1].isdigit()]
    assert len(entries) == len(bars)
    assert not any("\u2026" in t for t in texts), "a legend entry is cut short"
    # Each entry names every equilibrium of its set in full.
    by_number = {int(t.split()[0]): " ".join(t.split()[1:]) for t in entries}
    sets = _sets_on_strips(data)
    for k, equilibrium_set in enumerate(sets, start=1):
        for outcome in equilibrium_set.split(" | "):
            assert " ".join(data.outcome_label(outcome, 80).split()) in by_number[k]
    # The legend's patches have the colours of the bars, set by set.
    for k, handle in enumerate(legend.legend_handles[:len(bars)], start=1):
        assert to_hex(handle.get_facecolor()).upper() == next(iter(bars[f"set-{k}"]))


def _sets_on_strips(data):
    import numpy as np

    records = sorted(data.sensitivity, key=lambda r: r.get("rank", 0))[:tornado.MAX_PARAMETERS]
    length: dict[str, float] = {}
    for r in records:
        rows = np.flatnonzero((data.columns["varied"] == r["parameter"]) & (data.columns["equilibrium"] == 0))
        xs = data.values(r["parameter"])[rows]
        order = np.argsort(xs, kind="stable")
        tipping = [float(t["value"]) for t in data.tipping_points if t.get("parameter") == r["parameter"]]
        span = (float(r["high"]) - float(r["low"])) or 1.0
        sets = data.columns["equilibrium_set"][rows][order]
        for a, b, s in tornado.strip_segments(xs[order], sets, tipping):
            length[s] = length.get(s, 0.0) + (b - a) / span
    return sorted(length, key=lambda s: (-length[s], s))


def test_only_sets_beyond_the_palette_are_grey_and_they_are_counted(monkeypatch):
    data = load_run(RUNS / "one-at-a-time")
    monkeypatch.setattr(tornado, "MANY_COLOURS", MANY_COLOURS[:3])
    figure = tornado.draw_outcome_strips(data)
    bars = _bars_by_set(figure)
    beyond = {gid for gid in bars if int(gid.split("-")[1]) > 3}
    assert beyond
    assert all(bars[gid] == {OVERFLOW_GREY.upper()} for gid in beyond)
    assert all(OVERFLOW_GREY.upper() not in bars[f"set-{k}"] for k in (1, 2, 3))
    texts = [t.get_text() for t in figure.legends[0].get_texts()]
    assert any(t.startswith(f"{len(beyond)} more sets") for t in texts)


# -- the sweep plot of a worksheet ----------------------------------------------------------------


def test_equilibrium_bands_can_be_labelled_with_short_names():
    data = load_run(RUNS / "grid-1d")
    parameter = data.swept[0]
    named = [t.get_text() for t in draw_equilibria(data, parameter).axes[0].get_yticklabels()]
    short = [t.get_text().replace("\n", " ")
             for t in draw_equilibria(data, parameter, short_names=True).axes[0].get_yticklabels()]
    assert set(short) <= set(data.columns["outcome"])
    assert len(short) == len(named) and short != named


# -- the tree figure ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def activation_report():
    from negsim.sequential.credibility import analyze_credibility

    source = load_source("s400-2019-activation-then-sanctions")
    return source, analyze_credibility(source.tree, {}, samples=101)


def test_the_tree_names_its_moves_and_shows_a_margin_panel_for_every_response(activation_report):
    source, report = activation_report
    tree = report.solution.tree
    figure = credibility_figure(report, names=move_names_of(source.scenario, tree))
    tree_ax = figure.axes[0]
    words = [t.get_text() for t in tree_ax.texts]
    for name in ("Keep stored", "Limited activation", "Full activation", "Hold off"):
        assert any(w.startswith(name) for w in words), name
    assert any("Impose CAATSA sanctions  (credible)" in w for w in words)
    for move_id in ("store", "hold_off", "sanction"):
        assert move_id not in words
    # One margin panel per response and parameter that changes it.
    expected = sum(max(1, len([r for r in resp.regions if not r.always and not r.never]))
                   for resp in report.responses)
    assert len(report.responses) >= 2
    panels = figure.axes[1:]
    assert len(panels) == expected
    titles = " ".join(ax.get_title(loc="left").replace("\n", " ") for ax in panels)
    for resp in report.responses:
        after = tree.shape.nodes[resp.node]
        assert source.scenario.strategy_name("us", after.actions[resp.action]) in titles
    assert "after Limited activation" in titles and "after Full activation" in titles
    legend = [t.get_text() for t in tree_ax.get_legend().get_texts()]
    assert "United States' plan off the play" in legend
    assert not any("States's" in t for t in legend)


def test_without_names_a_tree_keeps_its_move_ids(activation_report):
    _source, report = activation_report
    figure = credibility_figure(report)
    words = [t.get_text() for t in figure.axes[0].texts]
    assert "hold_off" in words


@pytest.mark.parametrize("name, expected", [("Turkey", "Turkey's"), ("United States", "United States'"),
                                            ("Council of Quills", "Council of Quills'")])
def test_possessive(name, expected):
    assert possessive(name) == expected


def test_the_strip_legend_example_holds():
    import doctest

    assert doctest.testmod(tornado).failed == 0
