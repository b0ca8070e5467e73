"""The Typer application object and the consoles the commands print to."""

from __future__ import annotations

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from negsim.version import __version__

#: The order ``negsim --help`` lists the commands in: from a first look to teaching.
ORDER = ("run", "solve", "list", "validate", "schema", "convert", "sweep", "plot", "matrix",
         "credibility", "conflict", "bargain", "repeated", "dynamics", "report", "exercise", "grade")


class _Commands(TyperGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: k for k, name in enumerate(ORDER)}
        return sorted(names, key=lambda name: (rank.get(name, len(ORDER)), name))


app = typer.Typer(
    name="negsim",
    cls=_Commands,
    help="Negotiation game-theory simulator: scenarios in, verified equilibria out.",
    epilog="Exit codes: 0 success; 1 an internal error; 2 invalid input (one line per problem, "
           "nothing written); 3 done, but some inputs were skipped (negsim grade: answer files it "
           "could not read, each reported); 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit with 1; a closed pipe means the reader has what it wanted, so
        # negsim.cli.main ends quietly with 0.
        self.quiet = True
        raise BrokenPipeError


console = _Console(highlight=False, soft_wrap=False)
console_err = _Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"negsim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Negotiation game-theory simulator: scenarios in, verified equilibria out."""
