"""Command: report (the interactive HTML page for class)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app, console
from negsim.cli.options import parse_assignments
from negsim.compile.source import DEFAULT_SCENARIO
from negsim.sweep.explorer import DEFAULT_POINTS


@app.command()
def report(
    out: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="The page to write (.html).")],
    scenario: Annotated[str, typer.Argument(
        metavar="SCENARIO", help="Scenario file, .nfg file or built-in id.")] = DEFAULT_SCENARIO,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME=VALUE",
        help="Override a parameter: --set name=value (repeatable); the page's base point.")] = None,
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
    from negsim.render.report import write_report  # the page's renderer loads matplotlib: only here

    written = write_report(scenario, out, overrides=parse_assignments(set_ or []), points=points,
                           vary=vary or None, force=force)
    size = written.stat().st_size
    console.print(f"wrote {written} ({size / 1e6:.2f} MB)", markup=False)
