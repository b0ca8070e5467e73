"""Commands about game trees: credibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app, console
from negsim.errors import InputError, Problem
from negsim.sources import load_source, parse_assignments

SET_HELP = "Override a parameter: --set name=value (repeatable)."


@app.command()
def credibility(
    scenario: Annotated[str, typer.Argument(
        metavar="SCENARIO", help="Scenario with timing, tree or types; or a .efg file.")],
    threat: Annotated[str | None, typer.Option(
        "--threat", metavar="'MOVE after MOVES'",
        help="One response to analyse, e.g. 'sanction after full'.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)] = None,
    out: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE",
        help="Also draw the tree (.png, .svg or .pdf) with the equilibrium path and the "
             "responses marked.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    samples: Annotated[int, typer.Option(
        "--samples", min=11, max=100_001, help="Points scanned over each parameter's range.")] = 401,
    format_: Annotated[str, typer.Option("--format", help="Output format: table or json.")] = "table",
) -> None:
    """Which threats and promises are credible, and for which parameter values.

    Finds the subgame-perfect equilibrium, the responses that would change the play if they
    were believed (or that hold it in place), and for each the parameter values where its
    player would carry it out (one parameter at a time over its range). Compares the
    simultaneous game with each move order (the value of moving first)."""
    from negsim.io.atomic import refuse_existing
    from negsim.io.solution_json import credibility_to_dict
    from negsim.plot.tree import move_names_of, plot_credibility
    from negsim.tree.credibility import analyze_credibility, compare_orders
    from negsim.tree.render import render_credibility

    if format_ not in ("table", "json"):
        raise InputError([Problem(f"expected 'table' or 'json', got {format_!r}", path="--format")])
    source = load_source(scenario)
    if source.tree is None:
        raise InputError([Problem(
            "this is a simultaneous game; give the scenario a move order (timing: [first, "
            "second]) or a tree to ask which threats are credible", file=source.origin)])
    if out is not None:
        refuse_existing(out, force=force, option="--force")
    overrides = parse_assignments(set_ or [])
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
