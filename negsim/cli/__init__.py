"""The ``negsim`` command: a thin layer over the Python API.

Each command module registers its commands on :data:`app`; :func:`main` turns invalid input
into one clean message per problem and exit code 2, internal errors into exit code 1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click
import typer

# Importing a command module registers its commands.
from negsim.cli import (
    bargain_commands,  # noqa: E402,F401
    classroom_commands,  # noqa: E402,F401
    conflict_commands,  # noqa: E402,F401
    core_commands,  # noqa: E402,F401
    dynamics_commands,  # noqa: E402,F401
    plot_commands,  # noqa: E402,F401
    repeated_commands,  # noqa: E402,F401
    report_commands,  # noqa: E402,F401
    scenario_commands,  # noqa: E402,F401
    sweep_commands,  # noqa: E402,F401
    tree_commands,  # noqa: E402,F401
)
from negsim.cli.app import app, console_err
from negsim.cli.options import as_option
from negsim.errors import InputError

__all__ = ["app", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a script, exits with) the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = app(args=args, prog_name="negsim", standalone_mode=False)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:  # `negsim run | head -1`: the reader has what it wanted
        _silence_stdout()
        return _finish(0, argv)
    except (typer.Exit, click.exceptions.Exit) as exc:
        return _finish(exc.exit_code, argv)
    except (typer.Abort, click.exceptions.Abort):
        console_err.print("negsim: stopped.")
        return _finish(130, argv)
    except InputError as exc:
        if debug:
            raise
        for problem in exc.problems:
            print(str(as_option(problem)), file=sys.stderr)
        return _finish(2, argv)
    except KeyboardInterrupt:
        console_err.print("negsim: interrupted.")
        return _finish(130, argv)
    except Exception as exc:  # an internal error: say so plainly, traceback on --debug
        if _is_usage_error(exc):  # Typer's (vendored) click exceptions: usage errors, exit 2
            exc.show()
            return _finish(exc.exit_code, argv)
        if debug:
            raise
        print(f"negsim: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Run again with --debug for the traceback.", file=sys.stderr)
        return _finish(1, argv)
    code = result if isinstance(result, int) else 0
    return _finish(code, argv)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (captured in tests)
        pass


def _is_usage_error(exc: Exception) -> bool:
    return isinstance(exc, click.ClickException) or (
        callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)
    )


def _finish(code: int, argv: Sequence[str] | None) -> int:
    if argv is None:  # called as the console script
        sys.exit(code)
    return code
