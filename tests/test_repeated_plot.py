"""The folk-theorem figure: a real file with the feasible set, the individually rational region,
the minmax point, and each outcome labelled with its thresholds."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from negsim.errors import InputError
from negsim.game import Game
from negsim.plot.repeated import draw_folk_region, outcome_note, plot_folk_region
from negsim.repeated import repeated_game

PD = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")),
                        player_names=("Row", "Column"))


def svg_text(path: Path) -> str:
    svg = path.read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", t) for t in texts).replace("&amp;", "&")


def test_folk_region_file(tmp_path):
    analysis = repeated_game(PD, (0, 0))
    files = plot_folk_region(analysis, tmp_path / "folk", ["svg", "pdf"])
    assert all(f.stat().st_size > 1000 for f in files)
    text = svg_text(files[0])
    for needle in ("minmax point (1, 1)", "δ ≥ 0.50 / 0.50 (grim trigger)", "stage equilibrium",
                   "Row's average payoff", "cooperation (C / C) can last"):
        assert needle in text, needle


def test_folk_region_artists():
    figure = draw_folk_region(repeated_game(PD))
    ax = figure.axes[0]
    hull, region = ax.patches
    corners = sorted([(1, 1), (13 / 3, 1), (3, 3), (1, 13 / 3)])
    assert np.allclose(sorted(map(tuple, region.get_xy()[:-1])), corners)
    assert len(hull.get_xy()) == 5  # four vertices, closed
    notes = {outcome_note(s) for s in repeated_game(PD).outcomes}
    assert notes == {"δ ≥ 0.50 / 0.50 (grim trigger)", "stage equilibrium", "never"}


def test_three_players_are_refused():
    g = Game.from_matrices(*np.arange(24).reshape(3, 2, 2, 2))
    with pytest.raises(InputError, match="two players"):
        draw_folk_region(repeated_game(g))
