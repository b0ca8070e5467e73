"""The Typer application object and the consoles the commands print to."""

from __future__ import annotations

import typer
from rich.console import Console

import negsim

app = typer.Typer(
    name="negsim",
    help="Negotiation game-theory simulator: scenarios in, verified equilibria out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

console = Console(highlight=False, soft_wrap=False)
console_err = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        console.print(f"negsim {negsim.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Negotiation game-theory simulator: scenarios in, verified equilibria out."""
