"""Sweeps of bargaining and repeated play: every row equal to the single-point analysis, tipping
points at the exact values (bisected from a coarse grid) and said in words, parameters that
enter through the declarations, figures, every executor the same, and clean errors."""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction as F

import matplotlib.image as mpimg
import numpy as np
import pytest

from negsim.cli import main
from negsim.compile import load_source
from negsim.errors import InputError
from negsim.sweep import SweepSpec, parse_sweep_spec, read_run, run_sweep

S400 = "s400-2025-limited-use"
PATIENCE = """\
negsim: 1
id: s400-2025-patience
extends: s400-2025-limited-use
title: The 2025 dispute with the players' patience as parameters
parameters:
  turkey_patience: {value: 0.95, min: 0.05, max: 0.99, description: Turkey's discount factor, rationale: r}
  us_patience: {value: 0.9, min: 0.05, max: 0.99, description: the US discount factor, rationale: r}
bargaining:
  discount: {turkey: turkey_patience, us: us_patience}
repeated:
  discount: {turkey: turkey_patience, us: us_patience}
"""


def tipping(result) -> list[dict]:
    return json.loads((result.folder / "tipping_points.json").read_text())["tipping_points"]


@pytest.fixture(scope="module")
def nash_run(tmp_path_factory):
    spec = SweepSpec.from_ranges(
        S400, {"sanction_cost": "0:10:21"}, bargaining={"solution": "nash", "agreements": "lotteries"}
    )
    return run_sweep(spec, runs_dir=tmp_path_factory.mktemp("runs"))


def test_bargaining_tipping_points_are_the_exact_switches(nash_run):
    """Phase-1 tests pin the switches at 9/40 and 63/52 point by point; the sweep finds them from
    a grid of step 0.5 by bisection, and says them."""
    found = tipping(nash_run)
    assert [t["value"] for t in found] == pytest.approx([9 / 40, 63 / 52], abs=1e-5)
    assert found[0]["sentence"] == (
        "The Nash bargaining solution switches from a lottery of patriot / incentives and full / tighten "
        "to a lottery of patriot / incentives and full / keep when sanction_cost rises past 0.225."
    )
    assert (found[1]["from"], found[1]["to"]) == (
        "patriot / incentives + full / keep",
        "patriot / incentives + full / waive",
    )
    assert nash_run.manifest["analysis"] == "bargaining"
    assert nash_run.manifest["bargaining"]["changes"] == {"agreements": "lotteries"}


def test_every_row_is_the_single_point_analysis(nash_run):
    source = load_source(S400)
    rows = list(nash_run.rows())
    assert len(rows) == 21
    for row in rows[::5]:
        result = source.bargain({"sanction_cost": row["sanction_cost"]}, agreements="lotteries")
        nash = result.solutions["nash"]
        assert (row["payoff.turkey"], row["payoff.us"]) == pytest.approx([float(v) for v in nash.payoffs])
        assert row["lottery"] == "; ".join(f"{t.outcome.label} {t.probability}" for t in nash.lottery)
        assert (row["disagreement.turkey"], row["disagreement.us"]) == (3, -1)
        probability = sum(t.probability for t in nash.lottery if t.outcome.label.startswith("patriot"))
        assert row["p.turkey.patriot"] == pytest.approx(float(probability))


def test_a_parameter_entering_the_disagreement_point_moves_the_agreement(tmp_path):
    """The declared disagreement point is an expression of sanction_cost (the stand-off's payoffs:
    Turkey 6.5 - sanction_cost / 2, the US -3.25): with pure outcomes there is nothing to bargain over
    below 5, store / incentives from 5, and patriot / incentives above 8.625."""
    spec = SweepSpec.from_ranges(
        S400,
        {"sanction_cost": "0:10:11"},
        bargaining={
            "agreements": "pure",
            "disagreement": {"payoffs": {"turkey": "6.5 - sanction_cost / 2", "us": -3.25}},
        },
    )
    found = tipping(run_sweep(spec, runs_dir=tmp_path))
    assert [(t["from"], t["to"]) for t in found] == [
        ("(none)", "store / incentives"),
        ("store / incentives", "patriot / incentives"),
    ]
    assert [t["value"] for t in found] == pytest.approx([5, 8.625], abs=1e-5)
    assert found[0]["sentence"].startswith(
        "The Nash bargaining solution switches from no agreement (nothing "
        "to bargain over) to store / incentives when sanction_cost rises past 5"
    )


def test_patience_swept_through_parameters(tmp_path):
    (tmp_path / "patience.yaml").write_text(PATIENCE)
    source = str(tmp_path / "patience.yaml")
    run = run_sweep(
        SweepSpec.from_ranges(
            source, {"us_patience": "0.5:0.95:10"}, repeated={"cooperation": ["store", "incentives"]}
        ),
        runs_dir=tmp_path,
    )
    (t,) = tipping(run)
    assert t["value"] == pytest.approx(16 / 21, abs=1e-5)
    assert t["sentence"].startswith(
        "store / incentives starts to last at the given discount factors when us_patience rises past 0.76190"
    )
    rows = list(run.rows())
    assert {r["scheme"] for r in rows} == {"penal-code"}
    assert all((r["delta.turkey"], r["delta.us"]) == pytest.approx((1 / 3, 16 / 21)) for r in rows)
    assert [r["lasts"] for r in rows] == [r["us_patience"] >= 16 / 21 for r in rows]
    # the alternating-offers agreement follows the discount factors too: Turkey's share falls
    offers = run_sweep(
        SweepSpec.from_ranges(
            source, {"us_patience": "0.5:0.95:4"}, bargaining={"solution": "alternating-offers"}
        ),
        runs_dir=tmp_path,
    )
    turkey = [r["payoff.turkey"] for r in offers.rows()]
    assert turkey == sorted(turkey, reverse=True)
    d0, d1 = F(95, 100), F(1, 2)
    share = 1 - (1 - d0) / (1 - d0 * d1)  # the US proposes first: Turkey gets what is left
    assert turkey[0] == pytest.approx(float(3 + share * F(11, 2)))


def test_storage_with_a_waiver_never_lasts_at_any_sanction_cost(tmp_path):
    spec = SweepSpec.from_ranges(
        S400, {"sanction_cost": "0:10:6"}, repeated={"cooperation": ["store", "waive"]}
    )
    run = run_sweep(spec, runs_dir=tmp_path)
    assert {r["equilibrium_set"] for r in run.rows()} == {"does not last"}
    assert all(
        np.isnan(r["delta.lower-bound.turkey"]) if r["delta.lower-bound.turkey"] is not None else True
        for r in run.rows()
    )


def test_workers_give_byte_identical_tables(tmp_path):
    spec = SweepSpec.from_ranges(S400, {"sanction_cost": "0:10:600"}, bargaining={"agreements": "lotteries"})
    one = run_sweep(spec, runs_dir=tmp_path / "one", chunk_size=100)
    two = run_sweep(spec, runs_dir=tmp_path / "two", workers=2, chunk_size=100)
    assert (one.folder / "results.csv").read_bytes() == (two.folder / "results.csv").read_bytes()


def test_a_spec_file_and_the_figures(tmp_path, capsys):
    (tmp_path / "patience.yaml").write_text(PATIENCE)
    (tmp_path / "spec.yaml").write_text(
        textwrap.dedent("""\
        negsim_sweep: 1
        id: us-patience
        scenario: patience.yaml
        repeated: {cooperation: {turkey: store, us: incentives}}
        grid:
          us_patience: {start: 0.5, stop: 0.95, count: 4}
        """)
    )
    code = main(["sweep", str(tmp_path / "spec.yaml"), "--runs-dir", str(tmp_path / "runs"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    folder = out.strip()
    code = main(["plot", folder, "--format", "png"])
    assert code == 0
    image = mpimg.imread(f"{folder}/figures/thresholds.png")
    assert image.shape[0] > 500 and image.std() > 0.05
    assert read_run(folder).manifest["repeated"]["cooperation"] == ["store", "incentives"]


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param({"bargaining": {"solution": "nsh"}}, "(did you mean 'nash'?)", id="solution"),
        pytest.param(
            {"bargaining": {"powers": {"turkey": 1, "usa": 1}}},
            "bargaining.powers: unknown player 'usa' (did you mean 'us'?)",
            id="powers",
        ),
        pytest.param(
            {"repeated": {"cooperation": ["store", "wave"]}}, "unknown strategy 'wave'", id="cooperation"
        ),
        pytest.param({"bargaining": {}, "repeated": {}}, "give bargaining or repeated, not both", id="both"),
        pytest.param(
            {"bargaining": {"solution": "alternating-offers", "agreements": "pure"}},
            "alternating offers",
            id="offers-pure",
        ),
    ],
)
def test_spec_problems_are_reported(data, message, tmp_path):
    with pytest.raises(InputError) as info:
        spec = parse_sweep_spec(
            {
                "negsim_sweep": 1,
                "id": "x",
                "scenario": S400,
                "grid": {"sanction_cost": {"values": [1, 2]}},
                **data,
            }
        )
        run_sweep(spec, runs_dir=tmp_path)
    assert message in str(info.value), str(info.value)
    assert not (tmp_path / "x").exists() and not any(tmp_path.iterdir())


def test_the_command_line_names_its_options(capsys, tmp_path):
    code = main(
        [
            "sweep",
            S400,
            "--param",
            "sanction_cost=0:10:3",
            "--bargaining",
            "egalitarian",
            "--runs-dir",
            str(tmp_path),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "agreements (share of points):" in out
    code = main(
        [
            "sweep",
            S400,
            "--param",
            "sanction_cost=0:10:3",
            "--repeated",
            "store,wave",
            "--runs-dir",
            str(tmp_path),
        ]
    )
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("--repeated: ")
