"""Figures: the payoff matrix, and the figures of a sweep's run folder.

:func:`plot_run` redraws a run's figures from its saved files (nothing is solved again) and
chooses them by the kind of sweep:

==========================  ====================================================================
grid over one parameter     ``equilibria`` (bands and tipping points), ``payoffs``,
                            ``mixed-strategies`` (when mixed equilibria hold over an interval);
                            over a game tree also ``moves`` (each information set's move) and,
                            for a credibility sweep, ``credibility`` (margins and thresholds)
grid over two parameters    ``regions`` (region map); for a stability sweep of a conflict also
                            ``state-regions`` (where each state is stable)
grid over three or more     ``equilibrium-sets`` (share of grid points)
Monte Carlo                 ``equilibrium-sets`` and ``outcomes`` (shares with 95% intervals),
                            ``drivers`` (each outcome's share by fifths of each parameter)
one at a time               ``tornado`` and ``outcome-strips``
==========================  ====================================================================

Figures are written to the run folder's ``figures/``, each file atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from negsim.errors import InputError, Problem
from negsim.plot import dynamics_runs, montecarlo, region, settlement, stability, sweep1d, tornado
from negsim.plot.matrix import draw_payoff_matrix, plot_payoff_matrix
from negsim.plot.runs import RunData, load_run
from negsim.plot.style import FORMATS, check_formats, save_figure
from negsim.plot.tree import tree_run_figures

__all__ = ["FORMATS", "RunData", "draw_payoff_matrix", "draw_run", "load_run", "plot_payoff_matrix",
           "plot_run"]


def draw_run(data: RunData) -> dict[str, object]:
    """The run's figures by file name (without extension), not saved."""

    kind, swept = data.kind, data.swept
    figures: dict[str, object] = {}
    if kind == "grid" and len(swept) == 1:
        figures["equilibria"] = sweep1d.draw_equilibria(data, swept[0])
        figures["payoffs"] = sweep1d.draw_payoffs(data, swept[0])
        if data.manifest.get("analysis") == "repeated":
            figures["thresholds"] = settlement.draw_thresholds(data, swept[0])
        elif data.manifest.get("equilibrium") == "subgame-perfect":
            # Strategies are moves at information sets: the moves figure shows them.

            figures.update(tree_run_figures(data))
        else:
            mixed = sweep1d.draw_mixed(data, swept[0])
            if mixed is not None:
                figures["mixed-strategies"] = mixed
    elif kind == "grid" and len(swept) == 2:
        figures["regions"] = region.draw_region_map(data, swept[0], swept[1])
        if data.manifest.get("analysis") == "stability":
            figures["state-regions"] = stability.draw_state_regions(data, swept[0], swept[1])
    elif kind == "grid":
        figures["equilibrium-sets"] = montecarlo.draw_set_shares(data)
    elif kind == "monte_carlo":
        figures["equilibrium-sets"] = montecarlo.draw_set_shares(data)
        figures["outcomes"] = montecarlo.draw_outcome_shares(data)
        figures["drivers"] = montecarlo.draw_drivers(data)
    elif kind == "one_at_a_time":
        figures["tornado"] = tornado.draw_tornado(data)
        figures["outcome-strips"] = tornado.draw_outcome_strips(data)
    else:
        raise InputError([Problem(f"unknown kind of sweep {kind!r}",
                                  file=str(data.folder / "manifest.json"))])
    if data.manifest.get("analysis") == "dynamics":
        figures.update(dynamics_runs.dynamics_figures(data))
    return figures


def plot_run(folder: str | os.PathLike[str], formats: Sequence[str] = FORMATS) -> list[Path]:
    """Draw a complete run's figures into ``folder/figures/``; returns the files written."""
    formats = check_formats(formats)
    data = load_run(folder)
    figures = draw_run(data)  # all drawn before any is written: a failure leaves no mix of old and new
    target = Path(folder) / "figures"
    target.mkdir(exist_ok=True)
    written: list[Path] = []
    for name, figure in figures.items():
        written += save_figure(figure, target / name, formats)
    return written
