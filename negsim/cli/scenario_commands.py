"""Commands about scenario files: validate, schema, list."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from negsim.cli.app import app, console
from negsim.compile import list_scenarios
from negsim.compile.source import load_source
from negsim.errors import InputError, Problem
from negsim.scenario.schema import Scenario


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(str(m) for m in shape)


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE", help="Scenario files (or ids of built-in scenarios).")],
) -> None:
    """Check scenario files (or Gambit .nfg files): every problem in each, one per line."""
    problems: list[Problem] = []
    for source in files:
        try:
            # Loading compiles the game, which also evaluates the payoffs at the defaults.
            loaded = load_source(source)
        except InputError as exc:
            # A base file shared through `extends` reports its problems once, not per variant.
            problems.extend(p for p in exc.problems if p not in problems)
            continue
        game = loaded.game
        name = loaded.scenario.id if isinstance(loaded.scenario, Scenario) else game.id or "-"
        n = len(game.players)
        # Plain echo, not rich: a long path must not be wrapped or styled.
        typer.echo(f"ok  {source}  (id: {name}, {n} player{'s' if n != 1 else ''}, "
                   f"{_shape(game.shape)})")
    if problems:
        raise InputError(problems)


@app.command()
def schema(
    markdown: Annotated[bool, typer.Option(
        "--markdown", help="Print the reference page of the format instead.")] = False,
) -> None:
    """Print the JSON Schema of scenario files (or their reference page)."""
    if markdown:
        from negsim.scenario.reference import reference_markdown

        typer.echo(reference_markdown(), nl=False)
    else:
        typer.echo(json.dumps(Scenario.model_json_schema(), indent=2))


@app.command("list")
def list_command() -> None:
    """List the built-in scenarios."""
    table = Table(title="Built-in scenarios", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("players", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    wide = console.width >= 140
    if wide:
        table.add_column("tags", overflow="fold")
    for info in list_scenarios():
        players = f"{len(info.players)} ({_shape(info.shape)})"
        if info.form == "options":  # a conflict in option form: its size is its options and states
            players = f"{len(info.players)} ({info.options} options, {info.states} states)"
        row = [info.id, players, info.title]
        if wide:
            row.append(", ".join(info.tags))
        table.add_row(*row)
    console.print(table)
