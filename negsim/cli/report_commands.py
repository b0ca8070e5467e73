"""Command: report (the interactive HTML page for class)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app, console
from negsim.cli.options import ALLOW_OUTSIDE_HELP, SET_HELP, SET_METAVAR, overrides_for
from negsim.scenarios import DEFAULT_SCENARIO

#: Most parameter points a page embeds by default (negsim.sweep.explorer.DEFAULT_POINTS; not
#: imported from there, so that the command line starts without the engine).
DEFAULT_POINTS = 4000


@app.command()
def report(
    out: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="The page to write (.html).")],
    scenario: Annotated[str, typer.Argument(
        metavar="SCENARIO", help="Scenario file, .nfg file or built-in id.")] = DEFAULT_SCENARIO,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar=SET_METAVAR, help=SET_HELP + " The page's base point.")] = None,
    allow_outside_range: Annotated[bool, typer.Option(
        "--allow-outside-range", help=ALLOW_OUTSIDE_HELP)] = False,
    points: Annotated[int, typer.Option(
        "--points", metavar="N", help="Most parameter points to solve and embed.")] = DEFAULT_POINTS,
    vary: Annotated[list[str] | None, typer.Option(
        "--vary", metavar="NAME",
        help="Put this parameter on the full grid, so its slider moves together with the other "
             "--vary ones (repeatable; default: the parameters that move the equilibria most).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Write one self-contained HTML page to explore a scenario in class: story and sources,
    payoff matrix with best responses, equilibria, sliders over a precomputed sweep, questions
    with answers. Without SCENARIO: the built-in default scenario."""
    from negsim.compile.source import load_source
    from negsim.render.report import write_report

    overrides = overrides_for(load_source(scenario).game, set_ or [],
                              allow_outside_range=allow_outside_range)
    written = write_report(scenario, out, overrides=overrides, points=points,
                           vary=vary or None, force=force)
    size = written.stat().st_size
    console.print(f"wrote {written} ({size / 1e6:.2f} MB)", markup=False)
