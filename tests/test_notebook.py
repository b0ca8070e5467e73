"""The tutorial notebook runs from top to bottom, and what it prints is what the engine says."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from negsim.compile.source import load_source
from negsim.solve import solve

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "tutorial" / "s400-class-session.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as exc:
        pytest.fail(f"the notebook test needs nbformat, nbclient and ipykernel: {exc}")

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Run in a scratch folder so that nothing the notebook might write lands in the checkout.
    workdir = tmp_path_factory.mktemp("notebook")
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return notebook


def output_of(notebook, tag: str) -> str:
    for cell in notebook.cells:
        if tag in cell.get("metadata", {}).get("tags", []):
            return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    raise AssertionError(f"no cell tagged {tag!r}")


def supports(solution) -> tuple:
    return tuple(sorted(tuple(tuple(int(k) for k in np.flatnonzero(s > 0)) for s in e.strategies)
                        for e in solution.equilibria))


def solved(values: dict):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return solve(load_source("s400-2025-limited-use").at(values))


def test_runs_without_errors(executed):
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert any("image/png" in o.get("data", {}) for o in outputs), "the sweep figure was not drawn"


def test_by_hand_finds_the_engines_pure_equilibria(executed):
    solution = solved({})
    game = solution.game
    expected = sorted(
        f"Turkey: {game.strategy_names[0][p[0]]}  /  United States: {game.strategy_names[1][p[1]]}"
        for e in solution.equilibria if (p := e.pure_profile()) is not None)
    assert sorted(output_of(executed, "by-hand").strip().splitlines()) == expected


def test_equilibria_printed_are_the_engines(executed):
    text = output_of(executed, "equilibria-at-defaults")
    solution = solved({})
    assert len(text.strip().splitlines()) == len(solution.equilibria)
    for e in solution.equilibria:
        assert f"payoffs ({', '.join(f'{v:.3g}' for v in e.payoffs)})" in text
    by_value = output_of(executed, "sanction-cost")
    for value in (1, 2, 4, 6, 8):
        block = by_value.split(f"sanction_cost = {value}\n")[1].split("\n\n")[0]
        assert len(block.strip().splitlines()) == len(solved({"sanction_cost": value}).equilibria)


def test_tipping_points_are_where_the_engine_changes(executed):
    line = output_of(executed, "tipping-points").strip()
    tipping = ast.literal_eval(re.search(r"tipping points of sanction_cost: (\[.*\])", line).group(1))
    assert len(tipping) >= 2
    edges = [0.0, *tipping, 10.0]
    for low, high in zip(edges, edges[1:]):
        # Inside a regime the set of equilibria does not change ...
        inside = [supports(solved({"sanction_cost": v})) for v in np.linspace(low, high, 7)[1:-1]]
        assert all(s == inside[0] for s in inside), (low, high)
    for t in tipping:
        # ... and across every tipping point it does, within a hair of the printed value.
        assert supports(solved({"sanction_cost": t - 1e-4})) != supports(solved({"sanction_cost": t + 1e-4}))
    regimes = output_of(executed, "regimes").strip().splitlines()
    assert len(regimes) == len(tipping) + 1


def test_library_sweep_agrees_with_the_bisection(executed):
    ours = ast.literal_eval(re.search(r"tipping points of sanction_cost: (\[.*\])",
                                      output_of(executed, "tipping-points")).group(1))
    lines = output_of(executed, "library-sweep").strip().splitlines()
    reported = [float(line.split(":")[0]) for line in lines]
    assert reported == pytest.approx(ours, abs=1e-4)
