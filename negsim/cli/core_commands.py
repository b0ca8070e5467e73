"""Commands: run, solve, convert."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import typer

from negsim.cli.app import app, console
from negsim.errors import InputError, Problem, did_you_mean
from negsim.io.convert import convert_source
from negsim.io.solution_json import solution_to_dict
from negsim.render.terminal import render_analysis, render_solution
from negsim.solve import METHODS, analyze, solve
from negsim.sources import DEFAULT_SCENARIO, load_source, parse_assignments

METHOD_HELP = "Equilibrium method: auto, " + ", ".join(METHODS) + "."
SET_HELP = "Override a parameter: --set name=value (repeatable)."


def _check_method(method: str) -> str:
    if method != "auto" and method not in METHODS:
        raise InputError([Problem(
            f"unknown method {method!r}{did_you_mean(method, ['auto', *METHODS])}", path="--method")])
    return method


@app.command()
def run(
    scenario: str = typer.Argument(DEFAULT_SCENARIO, metavar="SCENARIO",
                                   help="Scenario file, .nfg file or built-in id."),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    method: str = typer.Option("auto", "--method", help=METHOD_HELP),
    exact: bool = typer.Option(False, "--exact", help="Rational arithmetic; prints fractions."),
) -> None:
    """Print a readable report: payoff matrix with best responses, equilibria, dominance,
    Pareto set, maximin, warnings. Without SCENARIO: the built-in default scenario."""
    _check_method(method)
    source = load_source(scenario)
    game = source.at(parse_assignments(set_))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = analyze(game, method, exact=exact)
    render_analysis(console, analysis, scenario=source.scenario, exact=exact)


@app.command(name="solve")
def solve_command(
    source: str = typer.Argument(..., metavar="SOURCE", help="Scenario file, .nfg file or built-in id."),
    method: str = typer.Option("auto", "--method", help=METHOD_HELP),
    exact: bool = typer.Option(False, "--exact", help="Rational arithmetic; prints fractions."),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    format_: str = typer.Option("table", "--format", help="Output format: table or json."),
) -> None:
    """Compute the Nash equilibria of a game, each verified (no profitable deviation)."""
    if format_ not in ("table", "json"):
        raise InputError([Problem(f"expected 'table' or 'json', got {format_!r}", path="--format")])
    _check_method(method)
    loaded = load_source(source)
    game = loaded.at(parse_assignments(set_))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solution = solve(game, method, exact=exact)
    if format_ == "json":
        typer.echo(json.dumps(solution_to_dict(solution), indent=2))
    else:
        render_solution(console, solution, exact=exact)


@app.command()
def convert(
    source: str = typer.Argument(..., metavar="SOURCE", help="Scenario file, built-in id or .nfg file."),
    out: Path = typer.Argument(..., metavar="OUT", help="Output file: .nfg (Gambit) or .yaml (scenario)."),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
) -> None:
    """Convert between scenarios and Gambit .nfg files (a scenario is written at its default
    parameters, or at the --set values)."""
    written = convert_source(source, out, overrides=parse_assignments(set_), force=force)
    console.print(f"wrote {written}", markup=False)
