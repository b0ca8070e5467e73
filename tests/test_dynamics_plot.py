"""Figures of learning dynamics: real files, the expected artists, the labels people read."""

from __future__ import annotations

import re
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.image import AxesImage
from matplotlib.quiver import Quiver

from negsim.dynamics import basins, fictitious_play, phase_portrait, qre_path, replicator
from negsim.errors import InputError
from negsim.game import Game
from negsim.plot.dynamics import (
    draw_basins,
    draw_fictitious_play,
    draw_phase_portrait,
    draw_qre_path,
    draw_trajectory,
    save_dynamics_figure,
    simplex_xy,
)
from negsim.plot.style import DPI, FIGSIZE

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

STAG_HUNT = Game.from_matrices([[4, 0], [3, 3]], [[4, 3], [0, 3]], strategies=[["stag", "hare"]] * 2,
                               players=("hunter_1", "hunter_2"), player_names=("Hunter 1", "Hunter 2"),
                               title="Stag Hunt")
RPS_MATRIX = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
RPS = Game.from_matrices(RPS_MATRIX, RPS_MATRIX.T, strategies=[["rock", "paper", "scissors"]] * 2,
                         title="Rock-Paper-Scissors")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_text(path: Path) -> str:
    svg = path.read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", t) for t in texts).replace("&amp;", "&")


def write_png(figure, tmp_path: Path, name: str) -> Path:
    png = save_dynamics_figure(figure, tmp_path / f"{name}.png")
    assert png.stat().st_size > 10_000
    assert png_size(png) == (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))
    return png


def write_svg(figure, tmp_path: Path, name: str) -> Path:
    svg = save_dynamics_figure(figure, tmp_path / f"{name}.svg")
    assert svg.stat().st_size > 2_000 and svg.read_text(encoding="utf-8").rstrip().endswith("</svg>")
    return svg


def write_both(figure, tmp_path: Path, name: str) -> tuple[Path, Path]:
    return write_png(figure, tmp_path, name), write_svg(figure, tmp_path, name)


@pytest.fixture(scope="module")
def stag_portrait():
    return phase_portrait(STAG_HUNT, horizon=15, samples=151, resolution=8)


def test_phase_portrait_of_a_2x2_game(tmp_path, stag_portrait):
    figure = draw_phase_portrait(stag_portrait)
    ax = figure.axes[0]
    assert any(isinstance(c, Quiver) for c in ax.collections)
    # five rest points, marked by stability: two sinks, a saddle, two sources
    marks = [line for line in ax.lines if line.get_marker() in ("o", "D", "X") and len(line.get_xdata()) == 1]
    assert sorted(m.get_fillstyle() for m in marks) == ["full", "full", "left", "none", "none"]
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1                               # the exact separatrix
    assert len([line for line in ax.lines if line.get_linestyle() == "-"]) == len(stag_portrait.trajectories)
    _, svg = write_both(figure, tmp_path, "portrait")
    text = svg_text(svg)
    assert "Hunter 1: share playing stag" in text and "saddle" in text and "separatrix (exact)" in text


def test_simplex_plot_of_rock_paper_scissors(tmp_path):
    portrait = phase_portrait(RPS, horizon=12, samples=121, resolution=6)
    assert portrait.kind == "simplex"
    figure = draw_phase_portrait(portrait)
    ax = figure.axes[0]
    assert any(isinstance(c, Quiver) for c in ax.collections)
    centre = [line for line in ax.lines if line.get_marker() == "D"]
    assert len(centre) == 1
    assert centre[0].get_xydata()[0] == pytest.approx(simplex_xy(np.full(3, 1 / 3)))
    svg = write_svg(figure, tmp_path, "rps")
    text = svg_text(svg)
    assert all(name in text for name in ("rock", "paper", "scissors", "centre"))


def test_portraits_are_for_2x2_and_symmetric_3x3_games_only():
    with pytest.raises(InputError):
        phase_portrait(Game.from_matrices(np.eye(3), np.eye(3)[::-1]))
    with pytest.raises(InputError):
        phase_portrait(STAG_HUNT, starts=[(0.5, 1.5)])


def test_basin_map_of_a_2x2_game(tmp_path):
    figure = draw_basins(basins(STAG_HUNT, resolution=12))
    ax = figure.axes[0]
    images = [im for im in ax.images if isinstance(im, AxesImage)]
    assert len(images) == 1 and images[0].get_array().shape == (12, 12)
    svg = write_svg(figure, tmp_path, "basins")
    text = svg_text(svg)
    assert "stag / stag" in text and "hare / hare" in text and "exact separatrix" in text


def test_basin_map_on_the_simplex(tmp_path):
    coordination = Game.from_matrices(np.eye(3), np.eye(3), strategies=[["a", "b", "c"]] * 2)
    result = basins(coordination, population="single", resolution=5, horizon=40)
    figure = draw_basins(result)
    (cells,) = [c for c in figure.axes[0].collections if isinstance(c, PolyCollection)]
    assert len(cells.get_paths()) == 25
    write_png(figure, tmp_path, "simplex-basins")


def test_basins_of_a_larger_game_are_drawn_as_shares(tmp_path):
    result = basins(Game.from_matrices(np.eye(4), np.eye(4)), samples=20, seed=1, horizon=40)
    figure = draw_basins(result)
    bars = figure.axes[0].patches
    assert len(bars) == len(set(result.reached.tolist()))
    write_svg(figure, tmp_path, "shares")


def test_fictitious_play_frequencies(tmp_path):
    run = fictitious_play(RPS, [[1, 0, 0], [0, 1, 0]], steps=500)
    figure = draw_fictitious_play(run)
    assert len(figure.axes) == 2
    for ax in figure.axes:
        assert ax.get_xscale() == "log"
        solid = [line for line in ax.lines if line.get_linestyle() == "-"]
        assert len(solid) == 3
    svg = write_svg(figure, tmp_path, "fp")
    assert "empirical frequency" in svg_text(svg)


def test_qre_path_against_lambda(tmp_path):
    path = qre_path(STAG_HUNT)
    figure = draw_qre_path(path)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    dotted = [line for line in ax.lines if line.get_linestyle() == ":"]
    assert sorted(float(line.get_ydata()[0]) for line in dotted) == [0.0, 1.0]   # the limit: all hare
    _, svg = write_both(figure, tmp_path, "qre")
    assert "hare / hare" in svg_text(svg)


def test_trajectory_of_a_three_player_game(tmp_path):
    rng = np.random.default_rng(0)
    game = Game.from_matrices(*rng.normal(size=(3, 2, 3, 2)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figure = draw_trajectory(replicator(game, horizon=10, samples=51))
    assert len(figure.axes) == 3
    write_png(figure, tmp_path, "trajectory")


def test_saving_needs_a_figure_suffix(tmp_path, stag_portrait):
    figure = draw_phase_portrait(stag_portrait)
    with pytest.raises(InputError):
        save_dynamics_figure(figure, tmp_path / "portrait")
    with pytest.raises(InputError):
        save_dynamics_figure(figure, tmp_path / "portrait.gif")
    assert not list(tmp_path.iterdir())
