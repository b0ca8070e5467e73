"""Commands about scenario files: validate, schema, list."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from negsim.cli.app import app, console
from negsim.cli.options import FORMAT_HELP, check_format
from negsim.errors import InputError, Problem

Format = Annotated[str, typer.Option("--format", metavar="FORMAT", help=FORMAT_HELP)]


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(str(m) for m in shape)


def _problem_dict(problem: Problem) -> dict[str, object]:
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "path": problem.path, "message": problem.message, "text": str(problem)}


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="Scenario files (or ids of built-in scenarios).")],
    format_: Format = "table",
) -> None:
    """Check scenario files (or Gambit .nfg/.efg files): every problem in each, one per line
    on stderr (exit code 2); with --format json also in the JSON on stdout."""
    from negsim.compile.source import load_source

    check_format(format_)
    problems: list[Problem] = []
    checked = []
    for source in files:
        try:
            # Loading compiles the game, which also evaluates the payoffs at the defaults.
            loaded = load_source(source)
        except InputError as exc:
            # A base file shared through `extends` reports its problems once, not per variant.
            new = [p for p in exc.problems if p not in problems]
            problems.extend(new)
            checked.append({"source": source, "ok": False,
                            "problems": [_problem_dict(p) for p in exc.problems]})
            continue
        game = loaded.game
        name = loaded.scenario.id if loaded.scenario is not None else game.id or "-"
        checked.append({"source": source, "ok": True, "id": name, "players": list(game.players),
                        "shape": list(game.shape)})
        if format_ == "table":
            n = len(game.players)
            # Plain echo, not rich: a long path must not be wrapped or styled.
            typer.echo(f"ok  {source}  (id: {name}, {n} player{'s' if n != 1 else ''}, "
                       f"{_shape(game.shape)})")
    if format_ == "json":
        typer.echo(json.dumps({"ok": not problems, "files": checked}, indent=2))
    if problems:
        raise InputError(problems)


@app.command()
def schema(
    markdown: Annotated[bool, typer.Option(
        "--markdown", help="Print the reference page of the format instead.")] = False,
    option_form: Annotated[bool, typer.Option(
        "--option-form", help="The JSON Schema of option-form scenarios (conflicts whose players "
                              "list yes/no options).")] = False,
) -> None:
    """Print the JSON Schema of scenario files (or their reference page)."""
    if markdown:
        from negsim.scenario.reference import reference_markdown

        typer.echo(reference_markdown(), nl=False)
    elif option_form:
        from negsim.scenario.options import OptionScenario

        typer.echo(json.dumps(OptionScenario.model_json_schema(), indent=2))
    else:
        from negsim.scenario.schema import Scenario

        typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


@app.command("list")
def list_command(format_: Format = "table") -> None:
    """List the built-in scenarios."""
    from rich.table import Table

    from negsim.compile import list_scenarios

    check_format(format_)
    infos = list_scenarios()
    if format_ == "json":
        rows = [{**asdict(info), "players": list(info.players), "shape": list(info.shape),
                 "tags": list(info.tags)} for info in infos]
        typer.echo(json.dumps({"scenarios": rows}, indent=2))
        return
    table = Table(title="Built-in scenarios", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("players", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    wide = console.width >= 140
    if wide:
        table.add_column("tags", overflow="fold")
    for info in infos:
        players = f"{len(info.players)} ({_shape(info.shape)})"
        if info.form == "options":  # a conflict in option form: its size is its options and states
            players = f"{len(info.players)} ({info.options} options, {info.states} states)"
        row = [info.id, players, info.title]
        if wide:
            row.append(", ".join(info.tags))
        table.add_row(*row)
    console.print(table)
