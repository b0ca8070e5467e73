"""Bargaining figures: real PNG, SVG and PDF files with the players' names, the disagreement point,
each solution in the legend, the frontier drawn through the exact vertices; the shares figure."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pytest
from matplotlib.lines import Line2D

from negsim.bargaining import alternating_offers, bargaining_problem, solve_bargaining
from negsim.errors import InputError
from negsim.game import Game
from negsim.plot.bargaining import (
    draw_payoff_set,
    draw_rubinstein_shares,
    plot_payoff_set,
    plot_rubinstein_shares,
)
from negsim.plot.style import DPI, FIGSIZE, PALETTE

PD = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("cooperate", "defect"),) * 2,
                        player_names=("Ankara", "Washington"), status_quo=(1, 1))


def svg_text(path: Path) -> str:
    svg = path.read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", t) for t in texts).replace("&amp;", "&")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("agreements, formats", [
    ("lotteries", ["png", "svg", "pdf"]), ("transfers", ["svg"]), ("pure", ["svg"])])
def test_payoff_set_files(tmp_path, agreements, formats):
    problem = bargaining_problem(PD, "status-quo", agreements=agreements)
    solutions = solve_bargaining(problem).agreements
    files = plot_payoff_set(problem, solutions, tmp_path / "set", formats, title="Where will they settle?")
    assert [f.suffix.lstrip(".") for f in files] == formats
    assert all(f.stat().st_size > 1000 for f in files)
    if "png" in formats:
        assert png_size(files[0]) == (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))
        assert files[2].read_bytes()[:5] == b"%PDF-"
    text = svg_text([f for f in files if f.suffix == ".svg"][0])
    for needle in ("Ankara's payoff", "Washington's payoff", "Nash bargaining solution", "Kalai-Smorodinsky",
                   "disagreement (1, 1)", "cooperate / cooperate", "Where will they settle?"):
        assert needle in text, needle


def test_payoff_set_artists():
    problem = bargaining_problem(PD, "maximin")
    solutions = solve_bargaining(problem).agreements
    figure = draw_payoff_set(problem, solutions)
    ax = figure.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["lotteries over outcomes", "zone of possible agreement"]
    assert any(t.startswith("Nash bargaining solution (3, 3)") for t in legend)
    # the frontier line runs through the exact frontier vertices
    frontier = [line for line in ax.get_lines() if line.get_label() == "Pareto frontier"][0]
    assert np.allclose(np.column_stack(frontier.get_data()), [[0, 5], [3, 3], [5, 0]])
    nash = [line for line in ax.get_lines() if line.get_label().startswith("Nash")][0]
    assert nash.get_color() == PALETTE[1] and isinstance(nash, Line2D)
    assert len(ax.patches) == 2  # hull and zone


def test_three_players_are_refused():
    g = Game.from_matrices(*np.ones((3, 2, 2, 2)) * np.arange(8).reshape(2, 2, 2))
    problem = bargaining_problem(g, [0, 0, 0], agreements="pure")
    with pytest.raises(InputError, match="two players"):
        draw_payoff_set(problem, [])


def test_rubinstein_figure(tmp_path):
    files = plot_rubinstein_shares((0.95, 0.9), tmp_path / "shares", ["svg", "png"], players=("Turkey", "US"))
    assert [f.suffix for f in files] == [".svg", ".png"]
    text = svg_text(files[0])
    assert "Turkey gets 69% of the surplus" in text
    assert "infinite horizon 0.690" in text
    figure = draw_rubinstein_shares((0.95, 0.9), players=("Turkey", "US"))
    left, right = figure.axes
    curve = [line for line in left.get_lines() if line.get_label() == "US's discount factor 0.9"][0]
    x, y = curve.get_data()
    assert np.allclose(y, (1 - 0.9) / (1 - x * 0.9))
    series = [line for line in right.get_lines() if "backward induction" in line.get_label()][0]
    assert series.get_ydata()[0] == 1.0  # one period: the proposer takes everything
    assert abs(series.get_ydata()[-1] - float(alternating_offers((0.95, 0.9)).shares[0])) < 0.1
