"""Commands: plot (a sweep's figures, redrawn from its run folder) and matrix (the payoff
matrix as a figure)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app
from negsim.cli.core_commands import AllowOutside, Method, Set, check_method
from negsim.cli.options import overrides_for
from negsim.errors import InputError, Problem

FORMAT_HELP = "Figure formats, comma-separated: png, svg, pdf."


@app.command(name="plot")
def plot(
    run_folders: Annotated[list[Path], typer.Argument(
        metavar="RUN_FOLDER", help="Run folders written by negsim sweep.")],
    format_: Annotated[str, typer.Option("--format", metavar="FORMATS", help=FORMAT_HELP)] = "png,svg,pdf",
    compare: Annotated[Path | None, typer.Option(
        "--compare", metavar="FILE",
        help="Also draw the runs' equilibria one above the other into FILE (.png, .svg or .pdf); "
             "for sweeps of the same single parameter, e.g. two variants of a scenario.")] = None,
    label: Annotated[list[str] | None, typer.Option(
        "--label", metavar="NAME",
        help="A name for each run in the --compare figure (repeatable, in order).")] = None,
) -> None:
    """Draw a sweep's figures into RUN_FOLDER/figures from its saved results (nothing is
    solved again): bands and tipping points, region maps, Monte Carlo shares or tornado charts,
    by the kind of sweep."""
    from negsim.plot import load_run, plot_run
    from negsim.plot.compare import draw_comparison
    from negsim.plot.style import check_formats, save_figure

    formats = check_formats(format_.split(","))
    comparison = None
    if compare is not None:  # checked and drawn first: bad input writes nothing
        if not compare.suffix:
            raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", path="--compare")])
        fmt = check_formats([compare.suffix], option="--compare")[0]
        if label and len(label) != len(run_folders):
            raise InputError([Problem(f"{len(label)} labels for {len(run_folders)} run folders",
                                      path="--label")])
        if not compare.parent.is_dir():
            raise InputError([Problem("the folder does not exist", file=str(compare.parent),
                                      path="--compare")])
        comparison = draw_comparison([load_run(folder) for folder in run_folders], label)
    elif label:
        raise InputError([Problem("--label names the runs of a --compare figure", path="--label")])
    for folder in run_folders:
        for path in plot_run(folder, formats):
            typer.echo(str(path))
    if comparison is not None:
        typer.echo(str(save_figure(comparison, compare.with_suffix(""), [fmt])[0]))


@app.command(name="matrix")
def matrix(
    source: Annotated[str, typer.Argument(
        metavar="SOURCE", help="Scenario file, .nfg/.efg file or built-in id.")],
    out: Annotated[Path, typer.Option(
        "-o", "--output", metavar="FILE", help="The figure to write: .png, .svg or .pdf.")],
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    method: Method = "auto",
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Draw the payoff matrix with best responses boxed and equilibria marked."""
    from negsim.compile.source import load_source
    from negsim.io.atomic import refuse_existing
    from negsim.plot import plot_payoff_matrix
    from negsim.plot.style import check_formats
    from negsim.solve import analyze

    # Every check before any work, so that bad input never leaves a file behind.
    if not out.suffix:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", path="--output")])
    check_formats([out.suffix], option="--output")
    if not out.parent.is_dir():
        raise InputError([Problem("the folder does not exist", file=str(out.parent), path="--output")])
    refuse_existing(out, force=force)
    check_method(method)
    loaded = load_source(source)
    game = loaded.at(overrides_for(loaded.game, set_ or [], allow_outside_range=allow_outside_range))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degeneracy is shown by the figure's list of equilibria
        analysis = analyze(game, method)
    typer.echo(str(plot_payoff_matrix(game, analysis, out)))
