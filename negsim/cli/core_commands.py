"""Commands: run, solve, convert."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from negsim.cli.app import app, console
from negsim.cli.options import parse_assignments
from negsim.compile.convert import convert_source
from negsim.compile.source import DEFAULT_SCENARIO, load_source
from negsim.errors import InputError, Problem, did_you_mean
from negsim.render.solution_json import solution_to_dict, tree_solution_to_dict
from negsim.render.terminal import render_analysis, render_solution
from negsim.render.tree import render_tree_analysis, render_tree_solution
from negsim.sequential.analysis import TreeAnalysis
from negsim.solve import METHODS

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
                                   help="Scenario file, .nfg/.efg file or built-in id."),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    method: str = typer.Option("auto", "--method", help=METHOD_HELP),
    exact: bool = typer.Option(False, "--exact", help="Rational arithmetic; prints fractions."),
) -> None:
    """Print a readable report: payoff matrix with best responses, equilibria, dominance,
    Pareto set, maximin, warnings; for a game tree the tree, its subgame-perfect equilibria
    and the Nash equilibria that rest on non-credible moves. Without SCENARIO: the built-in
    default scenario."""
    _check_method(method)
    source = load_source(scenario)
    analysis = source.analyze(parse_assignments(set_), method, exact=exact)
    if isinstance(analysis, TreeAnalysis):
        render_tree_analysis(console, analysis, scenario=source.scenario, exact=exact)
    else:
        render_analysis(console, analysis, scenario=source.scenario, exact=exact)


@app.command(name="solve")
def solve_command(
    source: str = typer.Argument(..., metavar="SOURCE",
                                 help="Scenario file, .nfg/.efg file or built-in id."),
    method: str = typer.Option("auto", "--method", help=METHOD_HELP),
    exact: bool = typer.Option(False, "--exact", help="Rational arithmetic; prints fractions."),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    format_: str = typer.Option("table", "--format", help="Output format: table or json."),
) -> None:
    """Compute the Nash equilibria of a game, each verified (no profitable deviation); for a
    game tree also its subgame-perfect equilibria."""
    if format_ not in ("table", "json"):
        raise InputError([Problem(f"expected 'table' or 'json', got {format_!r}", path="--format")])
    _check_method(method)
    loaded = load_source(source)
    solved = loaded.solve(parse_assignments(set_), method, exact=exact)
    if isinstance(solved, TreeAnalysis):
        if format_ == "json":
            data = tree_solution_to_dict(solved.nash, solved.perfect, loaded.tree)
            typer.echo(json.dumps(data, indent=2))
        else:
            render_tree_solution(console, solved, exact=exact)
    elif format_ == "json":
        typer.echo(json.dumps(solution_to_dict(solved), indent=2))
    else:
        render_solution(console, solved, exact=exact)


@app.command()
def convert(
    source: str = typer.Argument(..., metavar="SOURCE",
                                 help="Scenario file, built-in id or .nfg/.efg file."),
    out: Path = typer.Argument(..., metavar="OUT",
                               help="Output file: .nfg or .efg (Gambit) or .yaml (scenario)."),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
) -> None:
    """Convert between scenarios and Gambit .nfg/.efg files (a scenario is written at its
    default parameters, or at the --set values). A .efg file gets the game's tree; a
    simultaneous game becomes a tree whose players move without seeing each other."""
    if out.suffix.lower() == ".efg":
        from negsim.io.atomic import refuse_existing
        from negsim.io.efg import save_efg, write_efg

        tree = load_source(source).tree_at(parse_assignments(set_))
        write_efg(tree)  # any problem with the labels surfaces before the disk is touched
        refuse_existing(out, force=force)
        written = save_efg(tree, out)
        console.print(f"wrote {written}", markup=False)
        return
    written = convert_source(source, out, overrides=parse_assignments(set_), force=force)
    console.print(f"wrote {written}", markup=False)
