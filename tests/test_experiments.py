"""The experiments: every spec validates against its scenario, every experiment runs and draws
its figures on a coarse grid, and every page links the figures it publishes."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import warnings
from pathlib import Path

import pytest

from negsim.compile.source import load_source
from negsim.sweep import load_sweep_spec

EXPERIMENTS = Path(__file__).resolve().parent.parent / "experiments"


def load_reproduce():
    spec = importlib.util.spec_from_file_location("experiments_reproduce", EXPERIMENTS / "reproduce.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


reproduce = load_reproduce()
NAMES = sorted(reproduce.EXPERIMENTS)
SPECS = sorted(EXPERIMENTS.glob("*/*.yaml"))


def test_there_are_five_experiments_and_every_spec_is_run():
    assert NAMES == sorted(p.name for p in EXPERIMENTS.iterdir() if p.is_dir() and p.name[:2].isdigit())
    assert len(NAMES) >= 5
    registered = {EXPERIMENTS / name / spec for name in NAMES
                  for spec in reproduce.EXPERIMENTS[name].specs.values()}
    assert set(SPECS) == registered


@pytest.mark.parametrize("path", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_spec_validates_against_its_scenario(path):
    spec = load_sweep_spec(path)
    game = load_source(spec.scenario_source()).game
    moved = list(spec.grid or {}) + list(spec.set)
    if spec.monte_carlo is not None and spec.monte_carlo.parameters != "all":
        moved += list(spec.monte_carlo.parameters)
    assert set(moved) <= set(game.parameters)  # the scenario's actual parameter names
    assert spec.title


@pytest.mark.parametrize("name", NAMES)
def test_experiment_runs_and_draws_on_a_coarse_grid(name, tmp_path):
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (EXPERIMENTS / name).rglob("*"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figures = reproduce.run_experiment(name, tmp_path, quick=True, publish=False)
    experiment = reproduce.EXPERIMENTS[name]
    expected = {f"{short}-{figure}" for short, names in experiment.figures.items() for figure in names}
    assert expected <= set(figures)
    assert all(figure.axes for figure in figures.values())
    # a quick run leaves the published figures and findings alone
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (EXPERIMENTS / name).rglob("*")) == before


@pytest.mark.parametrize("name", NAMES)
def test_page_links_its_figures_and_says_how_to_reproduce(name):
    folder = EXPERIMENTS / name
    page = (folder / "README.md").read_text(encoding="utf-8")
    assert f"python experiments/reproduce.py {name}" in page
    linked = set(re.findall(r"\]\((figures/[^)]+)\)", page))
    assert linked, "the page embeds no figure"
    for link in linked:
        assert (folder / link).is_file(), link
    published = {f"figures/{p.name}" for p in (folder / "figures").glob("*.png")}
    assert published <= linked, f"figures not shown on the page: {sorted(published - linked)}"
    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    assert findings["experiment"] == name and findings["findings"]


def test_index_lists_every_experiment():
    index = (EXPERIMENTS / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"({name}/README.md)" in index


def test_findings_compare_numbers_with_a_tolerance():
    old = {"a": [1.0, {"b": "x"}], "c": 2}
    assert reproduce.compare(old, {"a": [1.0 + 1e-9, {"b": "x"}], "c": 2}) == []
    assert reproduce.compare(old, {"a": [1.1, {"b": "y"}], "c": 2}, "e") == [
        "e.a[0]: committed 1.0, now 1.1", "e.a[1].b: committed 'x', now 'y'"]
    assert reproduce.compare(old, {"a": [1.0]}, "e") == [
        "e.a: 2 items committed, 1 now", "e.c: only in the committed findings"]
