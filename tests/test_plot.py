"""Figures: real PNG, SVG and PDF files with the scenario's names, tipping points and palette
colours; band and strip edges at the tipping points; Wilson intervals; region labels."""

from __future__ import annotations

import csv
import json
import re
import shutil
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_hex

from negsim.compile.source import load_source
from negsim.errors import InputError
from negsim.game import Game
from negsim.plot import draw_payoff_matrix, draw_run, load_run, plot_payoff_matrix, plot_run
from negsim.plot.compare import draw_comparison, plot_comparison
from negsim.plot.matrix import EQUILIBRIUM_FILL
from negsim.plot.montecarlo import outcome_by_bins, outcome_shares, set_shares, wilson_interval
from negsim.plot.region import draw_region_map
from negsim.plot.style import DPI, FIGSIZE, PALETTE, PLAYER_COLOURS, check_formats, wrap
from negsim.plot.sweep1d import bands, draw_equilibria
from negsim.plot.tornado import baseline_payoffs, strip_segments
from negsim.solve import analyze

RUNS = Path(__file__).parent / "data" / "runs"
SLIDE = (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_text(path: Path) -> str:
    """Every text element of an SVG, one per line (text stays text: svg.fonttype none)."""
    svg = path.read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", t) for t in texts).replace("&amp;", "&")


@pytest.fixture
def run_copy(tmp_path):
    """A fresh copy of a fixture run folder (figures are written into it)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(RUNS / name, target)
        return target

    return copy


@pytest.fixture(scope="module")
def limited_use():
    source = load_source("s400-2025-limited-use")
    game = source.at()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degenerate or not, the figure is the same kind
        analysis = analyze(game)
    return game, analysis


# -- the payoff matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_payoff_matrix_is_written_in_each_format(tmp_path, limited_use, fmt):
    game, analysis = limited_use
    path = plot_payoff_matrix(game, analysis, tmp_path / f"matrix.{fmt}")
    assert path == tmp_path / f"matrix.{fmt}"
    data = path.read_bytes()
    assert len(data) > 5_000
    if fmt == "png":
        assert png_size(path) == SLIDE
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        text = svg_text(path)
        for label in ("Limited activation", "Scrap or remove", "Full activation", "Turkey (rows)",
                      "United States (columns)", "4.5", "-3.25"):
            assert label in text
    assert [p.name for p in tmp_path.iterdir()] == [f"matrix.{fmt}"]  # no temporary files left


def test_payoff_matrix_boxes_exactly_the_best_responses(limited_use):
    game, analysis = limited_use
    figure = draw_payoff_matrix(game, analysis)
    boxed = {i: 0 for i in range(game.n_players)}
    for ax in figure.axes:
        for text in ax.texts:
            patch = text.get_bbox_patch()
            if patch is None:
                continue
            colour = to_hex(text.get_color())
            assert colour in {c.lower() for c in PLAYER_COLOURS}
            boxed[[c.lower() for c in PLAYER_COLOURS].index(colour)] += 1
            assert text.get_fontweight() == "bold"
    expected = analysis.best_responses.reshape(game.n_players, -1).sum(axis=1)
    assert [boxed[i] for i in range(game.n_players)] == list(expected)
    fills = [to_hex(p.get_facecolor()) for ax in figure.axes for p in ax.patches
             if to_hex(p.get_facecolor()) == EQUILIBRIUM_FILL.lower()]
    assert len(fills) == len(analysis.solution.pure) == 1


def test_payoff_matrix_of_three_players_has_a_panel_per_third_strategy(tmp_path):
    source = load_source("s400-2025-with-russia")
    game = source.at()
    analysis = analyze(game)
    figure = draw_payoff_matrix(game, analysis)
    captions = [ax.get_title() for ax in figure.axes if ax.get_title()]
    assert captions == ["Russia: Keep supporting", "Russia: Withhold support"]
    path = plot_payoff_matrix(game, analysis, tmp_path / "m.svg")
    assert "Russia: Withhold support" in svg_text(path)


def test_payoff_matrix_lists_mixed_equilibria():
    game = Game.from_matrices([[1, -1], [-1, 1]], players=("Ann", "Bob"),
                              strategies=(("Heads", "Tails"), ("Heads", "Tails")))
    analysis = analyze(game)
    figure = draw_payoff_matrix(game, analysis)
    notes = [t.get_text() for ax in figure.axes for t in ax.texts if "Mixed equilibrium" in t.get_text()]
    assert notes == ["Mixed equilibrium 1:  Ann: Heads 50%, Tails 50%;  Bob: Heads 50%, Tails 50%  "
                     "(payoffs 0, 0)"]


def test_payoff_matrix_needs_a_figure_suffix(tmp_path, limited_use):
    game, analysis = limited_use
    for name in ("matrix", "matrix.gif"):
        with pytest.raises(InputError):
            plot_payoff_matrix(game, analysis, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_formats_are_checked():
    assert check_formats(["PNG", " svg", "png", ".pdf"]) == ("png", "svg", "pdf")
    with pytest.raises(InputError) as caught:
        check_formats(["png", "jpg"])
    assert str(caught.value) == "--format: unknown figure format 'jpg' (did you mean 'png'?)"
    with pytest.raises(InputError):
        check_formats([""])


def test_long_labels_are_wrapped_and_cut_visibly():
    assert wrap("Patriot co-purchase, S-400 stored", 18) == "Patriot\nco-purchase, S-400\nstored"
    assert wrap("one two three four five six", 9, max_lines=2) == "one two\nthree…"


# -- 1-D sweeps ----------------------------------------------------------------------------------


def test_one_parameter_run_draws_bands_payoffs_and_mixed_strategies(run_copy):
    folder = run_copy("grid-1d")
    written = plot_run(folder, ["png", "svg"])  # PDF: see the payoff-matrix test
    names = sorted(p.name for p in written)
    assert names == sorted(f"{stem}.{fmt}" for stem in ("equilibria", "payoffs", "mixed-strategies")
                           for fmt in ("png", "svg"))
    assert all(p.parent == folder / "figures" and p.stat().st_size > 5_000 for p in written)
    assert all(png_size(p) == SLIDE for p in written if p.suffix == ".png")
    text = svg_text(folder / "figures" / "equilibria.svg")
    # the scenario's strategy names, the tipping points (1.5, 3, 5, 7) and the default
    for label in ("Full activation / Tighten", "Limited activation / Keep current", "1.5", "3", "5", "7",
                  "default 4", "When does Turkey stop activating its S-400s?", "sanction_cost (utility)"):
        assert label in text, label
    assert sorted(p.name for p in (folder / "figures").iterdir()) == names  # nothing else left


def test_bands_end_at_the_tipping_points():
    data = load_run(RUNS / "grid-1d")
    found = {b.outcome: b for b in bands(data, "sanction_cost")}
    tipping = sorted(float(t["value"]) for t in data.tipping_points)
    assert tipping == pytest.approx([1.5, 3, 5, 7])
    assert np.allclose(found["full / tighten"].intervals, [(0, 1.5)])
    assert np.allclose(found["limited / keep"].intervals, [(3, 7)])
    assert np.allclose(found["store / incentives"].intervals, [(5, 10)])
    # an outcome that holds only at a tie is a point, not a band
    tie = found["limited+full / tighten"]
    assert tie.intervals == () and tie.points == (1.5,)


def test_bands_without_tipping_points_end_halfway(tmp_path):
    folder = write_run(tmp_path / "run", xs=[0, 1, 2, 3], outcomes=["a / x", "a / x", "b / y", "b / y"])
    data = load_run(folder)
    found = {b.outcome: b.intervals for b in bands(data, "cost")}
    assert found == {"a / x": ((0.0, 1.5),), "b / y": ((1.5, 3.0),)}
    tipping = [{"parameter": "cost", "value": 1.2, "line": {}, "appeared": ["b / y"],
                "disappeared": ["a / x"]}]
    found = {b.outcome: b.intervals for b in bands(data, "cost", tipping=tipping)}
    assert found == {"a / x": ((0.0, 1.2),), "b / y": ((1.2, 3.0),)}


def test_band_colours_come_from_the_palette():
    data = load_run(RUNS / "grid-1d")
    figure = draw_equilibria(data, "sanction_cost")
    colours = {to_hex(p.get_facecolor()) for p in figure.axes[0].patches}
    assert colours and colours <= {c.lower() for c in PALETTE}
    assert len(colours) == 5  # five outcomes hold over an interval


# -- 2-D sweeps ----------------------------------------------------------------------------------


def test_region_map_labels_regions_and_marks_the_default(run_copy):
    folder = run_copy("grid-2d")
    written = plot_run(folder, ["png", "svg"])
    assert [p.name for p in written] == ["regions.png", "regions.svg"]
    assert png_size(folder / "figures" / "regions.png") == SLIDE
    text = svg_text(folder / "figures" / "regions.svg")
    assert "default (3, 6)" in text
    for name in ("Buy and use", "Buy and store unused"):
        assert name in text
    data = load_run(folder)
    figure = draw_region_map(data, "autonomy", "sanction_cost")
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.texts if t.get_text() and not t.get_text().startswith("default")]
    # the two regions are written out; the line of ties between them (storage and use both
    # equilibria, at sanction_cost = autonomy + 5) is grey and counted in the legend
    assert sorted(labels) == ["Buy and store\nunused / Offer:\nno sanctions\nunless used",
                              "Buy and use / Offer: no\nsanctions unless used"]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[0].startswith("1  Buy and use / Offer: no sanctions")
    assert legend[-1].startswith("1 other set: ties on boundaries")


# -- Monte Carlo ---------------------------------------------------------------------------------


def test_wilson_interval_matches_known_values():
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.27753), abs=1e-5)
    assert wilson_interval(5, 10) == pytest.approx((0.23659, 0.76341), abs=1e-5)
    assert wilson_interval(10, 10) == pytest.approx((0.72247, 1.0), abs=1e-5)
    lo, hi = wilson_interval(218, 1000)
    assert lo < 0.218 < hi and hi - lo == pytest.approx(0.0513, abs=1e-3)


def test_monte_carlo_shares_count_points(run_copy):
    folder = run_copy("monte-carlo")
    data = load_run(folder)
    sets = set_shares(data)
    assert sum(c for _, c in sets) == data.n_points == 200
    assert sets == sorted(sets, key=lambda item: -item[1]) or sets[0][1] >= sets[-1][1]
    manifest_counts = {o["equilibrium_set"]: o["points"] for o in data.manifest["outcomes"]}
    assert dict(sets) == manifest_counts
    # an outcome is an equilibrium at least as often as the sets made of it alone
    outcomes = dict(outcome_shares(data))
    for s, count in sets:
        for o in s.split(" | "):
            if s != "(none)":
                assert outcomes[o] >= count
    written = plot_run(folder, ["svg"])
    assert [p.name for p in written] == ["equilibrium-sets.svg", "outcomes.svg", "drivers.svg"]
    text = svg_text(written[0])
    top, count = sets[0]
    assert f"{count / 200:.1%}" in text and "seed 7" in text


# -- one at a time -------------------------------------------------------------------------------


def test_one_at_a_time_run_draws_tornado_and_strips(run_copy):
    folder = run_copy("one-at-a-time")
    written = plot_run(folder, ["png", "svg"])
    assert [p.name for p in written] == ["tornado.png", "tornado.svg", "outcome-strips.png",
                                         "outcome-strips.svg"]
    data = load_run(folder)
    text = svg_text(folder / "figures" / "tornado.svg")
    top = min(data.sensitivity, key=lambda r: r["rank"])
    assert top["parameter"] in text and "payoff to Turkey" in text
    # every parameter at its default: the scenario's equilibrium, limited / keep (4.5, -3.25)
    assert baseline_payoffs(data) == {"turkey": 4.5, "us": -3.25}


def test_strip_segments_break_at_tipping_points():
    xs = np.array([0.0, 1.0, 2.0, 3.0])
    sets = np.array(["a", "a", "b", "b"], dtype=object)
    assert strip_segments(xs, sets, []) == [(0.0, 1.5, "a"), (1.5, 3.0, "b")]
    assert strip_segments(xs, sets, [1.25]) == [(0.0, 1.25, "a"), (1.25, 3.0, "b")]
    # a set that holds only at one grid point between two tipping points has no width
    sets = np.array(["a", "t", "b", "b"], dtype=object)
    assert strip_segments(xs, sets, [1.0]) == [(0.0, 1.0, "a"), (1.0, 3.0, "b")]


# -- what is not a complete run ------------------------------------------------------------------


def test_folders_that_are_not_complete_runs_are_refused(tmp_path, run_copy):
    with pytest.raises(InputError, match="not a sweep run folder"):
        plot_run(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        plot_run(tmp_path / "missing")
    folder = run_copy("grid-1d")
    manifest = json.loads((folder / "manifest.json").read_text())
    for status, words in (("interrupted", "interrupted"), ("running", "still running"),
                          ("failed", "failed")):
        (folder / "manifest.json").write_text(json.dumps({**manifest, "status": status}))
        with pytest.raises(InputError, match=words):
            plot_run(folder)
    assert not (folder / "figures").exists() or list((folder / "figures").iterdir()) == []


def test_names_come_from_the_manifest_when_it_has_them(run_copy):
    folder = run_copy("grid-1d")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["scenario"] = {**manifest["scenario"], "id": "gone", "file": "gone.yaml", "source": "gone.yaml"}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    data = load_run(folder)
    assert data.outcome_label("limited / keep") == "limited / keep"  # ids: the scenario is gone
    manifest["labels"] = {"players": {"turkey": "Türkiye", "us": "USA"},
                          "strategies": {"turkey": {"limited": "Limited use"}, "us": {"keep": "Keep"}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    data = load_run(folder)
    assert data.outcome_label("limited / keep") == "Limited use / Keep"
    assert data.players_line == "Türkiye / USA"


def test_draw_run_draws_every_kind_of_fixture():
    for name, expected in (("grid-1d", {"equilibria", "payoffs", "mixed-strategies"}),
                           ("grid-2d", {"regions"}),
                           ("monte-carlo", {"equilibrium-sets", "outcomes", "drivers"}),
                           ("one-at-a-time", {"tornado", "outcome-strips"})):
        assert set(draw_run(load_run(RUNS / name))) == expected


def test_drivers_split_each_parameter_into_fifths(tmp_path):
    # "a / x" holds exactly where cost is at least 2: the top three fifths of five points each
    xs = [float(v) for v in range(5) for _ in range(5)]
    folder = write_run(tmp_path / "run", xs=xs, outcomes=["a / x" if x >= 2 else "b / y" for x in xs])
    data = load_run(folder)
    assert list(outcome_by_bins(data, "a / x", "cost")) == [0, 0, 1, 1, 1]
    assert list(outcome_by_bins(data, "b / y", "cost", bins=1)) == [0.4]


def test_comparison_keeps_an_outcome_s_colour_across_variants(tmp_path):
    a = write_run(tmp_path / "a", xs=[0, 1, 2, 3], outcomes=["a / x", "a / x", "b / y", "b / y"])
    b = write_run(tmp_path / "b", xs=[0, 1, 2, 3], outcomes=["b / y"] * 4)
    figure = draw_comparison([load_run(a), load_run(b)], ["with", "without"])
    first, second = figure.axes[:2]
    assert [ax.get_title(loc="left") for ax in (first, second)] == ["with", "without"]
    colour_of = {}
    for ax in (first, second):
        labels = [t.get_text() for t in ax.get_yticklabels()][::-1]
        bars = sorted(ax.patches, key=lambda p: -p.get_y())
        for label, bar in zip(labels, bars):
            colour_of.setdefault(label, set()).add(to_hex(bar.get_facecolor()))
    assert all(len(c) == 1 for c in colour_of.values()) and len(colour_of) == 2
    path = plot_comparison([a, b], tmp_path / "cmp.svg", ["with", "without"])
    assert "without" in svg_text(path)
    grid = RUNS / "grid-2d"
    with pytest.raises(InputError, match="sweeps of one grid parameter"):
        plot_comparison([a, grid], tmp_path / "bad.png")
    assert not (tmp_path / "bad.png").exists()


# -- helpers ---------------------------------------------------------------------------------


def write_run(folder: Path, *, xs: list[float], outcomes: list[str]) -> Path:
    """A minimal complete one-parameter run folder with one pure equilibrium per point."""
    folder.mkdir(parents=True)
    (folder / "figures").mkdir()
    header = ["point", "varied", "cost", "equilibrium", "n_equilibria", "kind", "outcome",
              "equilibrium_set", "p.row.a", "p.row.b", "p.col.x", "p.col.y", "payoff.row", "payoff.col",
              "welfare", "regret", "degenerate", "dominance"]
    with open(folder / "results.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for k, (x, o) in enumerate(zip(xs, outcomes)):
            a = o.startswith("a")
            writer.writerow([k, "", x, 0, 1, "pure", o, o, int(a), int(not a), int(a), int(not a), x, -x,
                             0, 0, "false", o])
    sets = sorted(set(outcomes), key=outcomes.index)
    manifest = {
        "negsim_run": 1, "status": "complete", "kind": "grid", "id": "toy", "title": None,
        "scenario": {"id": "toy", "title": "A toy game"}, "swept": ["cost"],
        "parameters": {"cost": {"value": 1, "default": 1, "min": 0, "max": 3, "unit": None,
                                "description": None}},
        "points_done": len(xs), "n_rows": len(xs),
        "files": {"results_csv": "results.csv", "manifest": "manifest.json"},
        "outcomes": [{"equilibrium_set": s, "points": outcomes.count(s),
                      "share": outcomes.count(s) / len(xs)} for s in sets],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder
