"""Figures of conflicts: real files in each format, with the expected artists."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from negsim.compile.conflict import load_conflict as classic
from negsim.conflict.stability import analyze
from negsim.conflict.status_quo import status_quo_paths
from negsim.errors import InputError
from negsim.plot.conflict import (
    EQUILIBRIUM_FILL,
    draw_state_graph,
    draw_status_quo_paths,
    plot_state_graph,
    plot_status_quo_paths,
)


@pytest.fixture(scope="module")
def elmira():
    c = classic("elmira")
    return c, analyze(c)


def _by_gid(figure, kind):
    return {p.get_gid(): p for ax in figure.axes for p in ax.patches if isinstance(p, kind) and p.get_gid()}


def test_state_graph_has_a_node_per_state_and_an_arrow_per_move(elmira):
    c, a = elmira
    figure = draw_state_graph(a, moves="all")
    nodes = _by_gid(figure, FancyBboxPatch)
    arrows = _by_gid(figure, FancyArrowPatch)
    assert set(nodes) == {f"state-{s}" for s in c.states}
    expected = {f"move-{d}-{s}-{t}" for d in c.dm_ids for s in c.states for t in c.moves(d, s)}
    assert set(arrows) == expected
    for gid, arrow in arrows.items():
        _, dm, s, t = gid.split("-")
        solid = arrow.get_linestyle() in ("-", "solid")
        assert solid == c.prefers(dm, int(t), int(s)), gid
    seq = set(a.equilibria("SEQ")) | set(a.equilibria("GMR"))
    for s in c.states:
        filled = nodes[f"state-{s}"].get_facecolor()[:3]
        assert (
            filled == pytest.approx(tuple(int(EQUILIBRIUM_FILL[k : k + 2], 16) / 255 for k in (1, 3, 5)))
        ) == (s in seq or s in a.equilibria("R"))
    improvements_only = _by_gid(draw_state_graph(a, moves="improvements"), FancyArrowPatch)
    assert set(improvements_only) == {
        f"move-{d}-{s}-{t}" for d in c.dm_ids for s in c.states for t in c.improvements(d, s)
    }


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_state_graph_file(tmp_path, elmira, fmt):
    _, a = elmira
    path = plot_state_graph(a, tmp_path / f"graph.{fmt}")
    data = path.read_bytes()
    assert len(data) > 10_000
    if fmt == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        root = ET.fromstring(data)
        text = "".join(root.itertext())
        assert "YNYNY" in text and "R GMR SMR SEQ SIM" in text
    assert [p.name for p in tmp_path.iterdir()] == [f"graph.{fmt}"]


def test_status_quo_paths_figure(tmp_path, elmira):
    c, a = elmira
    paths = status_quo_paths(c, a.equilibria("SEQ"))
    figure = draw_status_quo_paths(c, paths, improvements=False)
    steps = {g for g in _by_gid(figure, FancyArrowPatch) if g.startswith("step-")}
    assert steps == {f"step-{p.target}-{k}" for p in paths for k in range(len(p.by_moves))}
    by_improvements = draw_status_quo_paths(c, paths, improvements=True)
    texts = [t.get_text() for ax in by_improvements.axes for t in ax.texts]
    assert any("not reachable from the status quo" in t for t in texts)
    path = plot_status_quo_paths(c, paths, tmp_path / "paths.svg", improvements=False)
    text = " ".join("".join(ET.fromstring(path.read_bytes()).itertext()).split())
    assert "Local Government: takes Insist" in text


def test_bad_file_names(tmp_path, elmira):
    _, a = elmira
    with pytest.raises(InputError):
        plot_state_graph(a, tmp_path / "graph.gif")
    with pytest.raises(InputError):
        plot_state_graph(a, tmp_path / "graph")
    assert list(tmp_path.iterdir()) == []
