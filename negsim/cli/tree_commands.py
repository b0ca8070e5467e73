"""Commands about game trees: credibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app, console
from negsim.cli.options import (
    ALLOW_OUTSIDE_HELP,
    FORMAT_HELP,
    SET_HELP,
    SET_METAVAR,
    check_format,
    overrides_for,
)
from negsim.errors import InputError, Problem


@app.command()
def credibility(
    scenario: Annotated[str, typer.Argument(
        metavar="SCENARIO", help="Scenario with timing, tree or types; or a .efg file.")],
    threat: Annotated[str | None, typer.Option(
        "--threat", metavar="'MOVE after MOVES'",
        help="One response to analyse, e.g. 'sanction after full'.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", metavar=SET_METAVAR, help=SET_HELP)] = None,
    allow_outside_range: Annotated[bool, typer.Option(
        "--allow-outside-range", help=ALLOW_OUTSIDE_HELP)] = False,
    out: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE",
        help="Also draw the tree (.png, .svg or .pdf) with the equilibrium path and the "
             "responses marked.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    samples: Annotated[int, typer.Option(
        "--samples", metavar="N", min=11, max=100_001,
        help="Points scanned over each parameter's range (11 to 100001).")] = 401,
    format_: Annotated[str, typer.Option("--format", metavar="FORMAT", help=FORMAT_HELP)] = "table",
) -> None:
    """Which threats and promises are credible, and for which parameter values.

    Finds the subgame-perfect equilibrium, the responses that would change the play if they
    were believed (or that hold it in place), and for each the parameter values where its
    player would carry it out (one parameter at a time over its range). Compares the
    simultaneous game with each move order (the value of moving first)."""
    from negsim.compile.orders import compare_orders
    from negsim.compile.source import load_source
    from negsim.io.atomic import refuse_existing
    from negsim.plot.tree import move_names_of, plot_credibility
    from negsim.render.solution_json import credibility_to_dict
    from negsim.render.tree import render_credibility
    from negsim.sequential.credibility import analyze_credibility

    check_format(format_)
    source = load_source(scenario)
    if source.tree is None:
        raise InputError([Problem(
            "this is a simultaneous game; give the scenario a move order (timing: [first, "
            "second]) or a tree to ask which threats are credible", file=source.origin)])
    if out is not None:
        refuse_existing(out, force=force, option="--force")
    overrides = overrides_for(source.game, set_ or [], allow_outside_range=allow_outside_range)
    report = analyze_credibility(source.tree, overrides, threat=threat, samples=samples)
    orders = compare_orders(source.scenario, overrides) if source.scenario is not None else ()
    if format_ == "json":
        typer.echo(json.dumps(credibility_to_dict(report, orders), indent=2))
    else:
        render_credibility(console, report, orders)
    if out is not None:
        written = plot_credibility(report, out, names=move_names_of(source.scenario, report.solution.tree))
        if format_ == "table":
            console.print(f"wrote {written}", markup=False)
