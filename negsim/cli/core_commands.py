"""Commands: run, solve, convert.

The engine is imported inside each command, so that ``negsim --help`` starts quickly.
"""

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
from negsim.errors import InputError, Problem, did_you_mean
from negsim.scenarios import DEFAULT_SCENARIO

METHODS_TEXT = (
    "enumerate, support, lemke-howson, pure, logit, nashpy-support, nashpy-vertex, nashpy-lemke-howson"
)
METHOD_HELP = f"Equilibrium method: auto (the default), {METHODS_TEXT}."
SOURCE_HELP = "Scenario file, .nfg/.efg file or built-in id."

Set = Annotated[list[str] | None, typer.Option("--set", metavar=SET_METAVAR, help=SET_HELP)]
AllowOutside = Annotated[bool, typer.Option("--allow-outside-range", help=ALLOW_OUTSIDE_HELP)]
Method = Annotated[str, typer.Option("--method", metavar="METHOD", help=METHOD_HELP, show_default=False)]
Exact = Annotated[bool, typer.Option("--exact", help="Rational arithmetic; prints fractions.")]
Format = Annotated[str, typer.Option("--format", metavar="FORMAT", help=FORMAT_HELP)]


def check_method(method: str) -> str:
    """``--method``: ``auto`` or a method of :mod:`negsim.solve`."""
    from negsim.solve import METHODS

    if method != "auto" and method not in METHODS:
        raise InputError(
            [Problem(f"unknown method {method!r}{did_you_mean(method, ['auto', *METHODS])}", path="--method")]
        )
    return method


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help=SOURCE_HELP)] = DEFAULT_SCENARIO,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    method: Method = "auto",
    exact: Exact = False,
    format_: Format = "table",
) -> None:
    """Print a readable report: payoff matrix with best responses, equilibria, dominance,
    Pareto set, maximin, warnings; for a game tree the tree, its subgame-perfect equilibria
    and the Nash equilibria that rest on non-credible moves. Without SCENARIO: the built-in
    default scenario."""
    from negsim.compile.source import load_source
    from negsim.render.solution_json import analysis_to_dict
    from negsim.render.terminal import render_analysis
    from negsim.render.tree import render_tree_analysis
    from negsim.sequential.analysis import TreeAnalysis

    check_format(format_)
    check_method(method)
    source = load_source(scenario)
    overrides = overrides_for(source.game, set_ or [], allow_outside_range=allow_outside_range)
    analysis = source.analyze(overrides, method, exact=exact)
    if format_ == "json":
        typer.echo(json.dumps(analysis_to_dict(analysis, source.scenario), indent=2))
    elif isinstance(analysis, TreeAnalysis):
        render_tree_analysis(console, analysis, scenario=source.scenario, exact=exact)
    else:
        render_analysis(console, analysis, scenario=source.scenario, exact=exact)


@app.command(name="solve")
def solve_command(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help=SOURCE_HELP)],
    method: Method = "auto",
    exact: Exact = False,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
) -> None:
    """Compute the Nash equilibria of a game, each verified (no profitable deviation); for a
    game tree also its subgame-perfect equilibria."""
    check_format(format_)
    check_method(method)
    if source.lower().endswith(".nfg") and Path(source).is_file():
        # A Gambit game in normal form: read and solved without the scenario machinery.
        _solve_nfg(
            source,
            method,
            exact=exact,
            set_=set_ or [],
            allow_outside_range=allow_outside_range,
            format_=format_,
        )
        return
    from negsim.compile.source import load_source
    from negsim.render.solution_json import solution_to_dict, tree_solution_to_dict
    from negsim.render.terminal import render_solution
    from negsim.render.tree import render_tree_solution
    from negsim.sequential.analysis import TreeAnalysis

    loaded = load_source(source)
    overrides = overrides_for(loaded.game, set_ or [], allow_outside_range=allow_outside_range)
    solved = loaded.solve(overrides, method, exact=exact)
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


def _solve_nfg(
    source: str, method: str, *, exact: bool, set_: list[str], allow_outside_range: bool, format_: str
) -> None:
    import warnings

    from negsim.game import ParametricGame
    from negsim.io.gambit import read_nfg
    from negsim.render.terminal import render_solution
    from negsim.solve import solve

    game = read_nfg(source)
    overrides_for(ParametricGame.constant(game), set_, allow_outside_range=allow_outside_range)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solved = solve(game, method, exact=exact)
    if format_ == "json":
        typer.echo(json.dumps(solved.to_dict(), indent=2))
    else:
        render_solution(console, solved, exact=exact)


@app.command()
def convert(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help=SOURCE_HELP)],
    out: Annotated[
        Path, typer.Argument(metavar="OUT", help="Output file: .nfg or .efg (Gambit) or .yaml (scenario).")
    ],
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Convert between scenarios and Gambit .nfg/.efg files (a scenario is written at its
    default parameters, or at the --set values). A .efg file gets the game's tree; a
    simultaneous game becomes a tree whose players move without seeing each other."""
    from negsim.compile.convert import convert_source
    from negsim.compile.source import load_source
    from negsim.io.atomic import refuse_existing
    from negsim.io.efg import save_efg, write_efg

    loaded = load_source(source)
    overrides = overrides_for(loaded.game, set_ or [], allow_outside_range=allow_outside_range)
    if out.suffix.lower() == ".efg":
        tree = loaded.tree_at(overrides)
        write_efg(tree)  # any problem with the labels surfaces before the disk is touched
        refuse_existing(out, force=force)
        written = save_efg(tree, out)
    else:
        written = convert_source(loaded, out, overrides=overrides, force=force)
    console.print(f"wrote {written}", markup=False)
