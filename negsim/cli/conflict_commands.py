"""Command: conflict (the Graph Model stability analysis of an option-form scenario)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from negsim.conflict.report import ConflictReport

__all__ = ["conflict"]

DEFAULT_CONCEPTS = "R,GMR,SMR,SEQ,SIM"


def _check_figure(path: Path | None, option: str, force: bool) -> None:
    """A figure file: .png, .svg or .pdf, in an existing folder, not overwritten unless --force."""
    if path is None:
        return
    from negsim.io.atomic import refuse_existing
    from negsim.plot.style import check_formats

    if not path.suffix:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", path=option)])
    check_formats([path.suffix], option=option)
    if not path.parent.is_dir():
        raise InputError([Problem("the folder does not exist", file=str(path.parent), path=option)])
    refuse_existing(path, force=force)


@app.command(name="conflict")
def conflict(
    scenario: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO",
            help="Scenario in option form (players with options), file or built-in id; a game in "
            "normal form is read in option form (one option per strategy).",
        ),
    ],
    concepts: Annotated[
        str,
        typer.Option(
            "--concepts",
            metavar="LIST",
            help="Stability concepts, comma-separated: R (Nash), GMR, SMR, SEQ, SIM, GMR+SIM, SMR+SIM, "
            "SEQ+SIM.",
        ),
    ] = DEFAULT_CONCEPTS,
    coalitions: Annotated[
        bool,
        typer.Option(
            "--coalitions", help="Also the coalition analysis: which groups can do better together."
        ),
    ] = False,
    status_quo: Annotated[
        bool,
        typer.Option(
            "--status-quo", help="Also the moves from the status quo to each equilibrium, in words."
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="STATE",
            help="Explain every verdict on this state with its witness: a code (5), a Y/N text (YNY) "
            "or the options taken (keep,limited).",
        ),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option(
            "--compare", help="Also the matrix's Nash equilibria beside the graph model's equilibria."
        ),
    ] = False,
    without: Annotated[
        list[str] | None,
        typer.Option(
            "--without",
            metavar="OPTION",
            help="Leave an option out: every state taking it becomes infeasible, e.g. --without "
            "sanction (repeatable).",
        ),
    ] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", metavar=SET_METAVAR, help=SET_HELP)] = None,
    allow_outside_range: Annotated[
        bool, typer.Option("--allow-outside-range", help=ALLOW_OUTSIDE_HELP)
    ] = False,
    format_: Annotated[str, typer.Option("--format", metavar="FORMAT", help=FORMAT_HELP)] = "table",
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Also draw the state graph (.png, .svg or .pdf): moves coloured by decision maker, "
            "equilibria marked per concept.",
        ),
    ] = None,
    status_quo_figure: Annotated[
        Path | None,
        typer.Option(
            "--status-quo-figure",
            metavar="FILE",
            help="Also draw the paths from the status quo to each equilibrium (.png, .svg or .pdf).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the figure files if they exist.")] = False,
) -> None:
    """Which states of a conflict are stable, for whom, under which concept, and why.

    The Graph Model for Conflict Resolution: for every feasible state and decision maker,
    Nash stability (R), general and symmetric metarationality (GMR, SMR), sequential stability
    (SEQ) and simultaneous sanctioning (SIM); equilibria are states stable for all. Every
    verdict has its witness: the improvement nothing deters, or the sanction that deters each
    one (--explain says them in words)."""
    from negsim.compile.source import load_source
    from negsim.conflict.normal_form import from_normal_form
    from negsim.conflict.report import conflict_report, parse_concepts, parse_state
    from negsim.plot.conflict import plot_state_graph, plot_status_quo_paths
    from negsim.render.conflict import conflict_to_dict, render_conflict

    check_format(format_)
    chosen = parse_concepts(concepts)
    for path, option in ((out, "--output"), (status_quo_figure, "--status-quo-figure")):
        _check_figure(path, option, force)
    if out is not None and status_quo_figure is not None and out.resolve() == status_quo_figure.resolve():
        raise InputError(
            [Problem("the state graph and the status quo figure need two files", path="--status-quo-figure")]
        )
    source = load_source(scenario)
    overrides = overrides_for(source.game, set_ or [], allow_outside_range=allow_outside_range)
    if source.conflict is not None:
        parametric = source.conflict.without_options(without) if without else source.conflict
        graph = parametric.conflict(overrides)
        note = ""
    else:
        graph = from_normal_form(source.at(overrides))
        if without:
            graph, _kept = graph.without_options(without)
        note = "a game in normal form, read in option form: one option per strategy, exactly one taken"
    explained = parse_state(graph, explain, path="--explain") if explain is not None else None
    if status_quo_figure is not None and graph.status_quo is None:
        raise InputError(
            [Problem("the conflict has no status quo to draw paths from", path="--status-quo-figure")]
        )
    report = conflict_report(
        graph,
        chosen,
        coalitions=coalitions,
        status_quo=status_quo or status_quo_figure is not None,
        explain_state=explained,
        compare=compare,
        without=without or (),
    )
    parameters = source.game.values(overrides)
    if format_ == "json":
        data = conflict_to_dict(
            report, scenario=getattr(source.scenario, "id", "") or graph.id, parameters=parameters
        )
        if note:
            data["note"] = note
        if not status_quo:
            data.pop("status_quo_paths", None)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        description = getattr(source.scenario, "description", None)
        if note:
            console.print(note, markup=False, style="dim")
        shown = report if status_quo else _without_paths(report)
        render_conflict(console, shown, parameters=parameters, description=description)
    written = []
    if out is not None:
        written.append(plot_state_graph(report.analysis, out))
    if status_quo_figure is not None:
        written.append(plot_status_quo_paths(graph, report.paths, status_quo_figure))
    if format_ == "table":
        for path in written:
            console.print(f"wrote {path}", markup=False)


def _without_paths(report: ConflictReport) -> ConflictReport:  # paths made for the figure only
    from dataclasses import replace

    return replace(report, paths=())
