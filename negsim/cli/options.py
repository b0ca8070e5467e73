"""What the commands share: ``--set NAME=VALUE`` assignments and their ranges, ``--format``,
the help texts and metavars of common options, and the options that problems found deeper
down are named by.

This module imports nothing heavy: every command's module reads it at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from negsim.errors import InputError, Problem

if TYPE_CHECKING:
    from negsim.game import ParametricGame

__all__ = [
    "ALLOW_OUTSIDE_HELP",
    "FORMAT_HELP",
    "OPTIONS",
    "SET_HELP",
    "SET_METAVAR",
    "as_option",
    "check_format",
    "overrides_for",
    "parse_assignments",
    "shown_parameters",
]

SET_METAVAR = "NAME=VALUE"
SET_HELP = "Set a parameter to a value for this run (repeatable)."
ALLOW_OUTSIDE_HELP = "Allow --set values outside a parameter's min..max."
FORMAT_HELP = "Output: table (for people) or json (one object, for programs)."

#: The option that sets each keyword of the Python API, for problems the API reports by
#: keyword (``method``) or parameter path (``parameters.sanction_cost``).
OPTIONS = {
    "method": "--method",
    "workers": "--workers",
    "dask": "--dask",
    "kinds": "--kinds",
    "difficulty": "--difficulty",
    "points": "--points",
    "vary": "--vary",
    "threat": "--threat",
    "format": "--format",
    "formats": "--formats",
    "force": "--force",
    # negsim dynamics
    "start": "--start",
    "order": "--order",
    "mode": "--mode",
    "ties": "--ties",
    "steps": "--steps",
    "max_steps": "--steps",
    "prior_weight": "--prior-weight",
    "population": "--population",
    "horizon": "--horizon",
    "samples": "--samples",
    "resolution": "--resolution",
    "seed": "--seed",
    "lambda": "--lambda",
    "lambdas": "--lambda",
    "max_lambda": "--max-lambda",
    "rtol": "--rtol",
    "atol": "--atol",
    "concepts": "--concepts",
    "without": "--without",
    "agreements": "--agreements",
    "disagreement": "--disagreement",
    "disagreement.equilibrium": "--disagreement",
    "powers": "--powers",
    "discount": "--discount",
    "rates": "--discount",
    "first": "--first",
    "outside_options": "--outside-options",
    "breakdown": "--breakdown",
    "cooperation": "--cooperate",
    "punishment": "--punishment",
    "rounds": "--rounds",
}

#: API paths whose first part is set by an option, the rest naming what inside it
#: (``start.turkey`` is ``--start turkey``).
OPTION_PREFIXES = {"start": "--start"}


def as_option(problem: Problem) -> Problem:
    """A problem with an API argument, named by the command-line option that sets it
    (``parameters.x`` is ``--set x``). Problems located in a file keep their key path."""
    if problem.file:
        return problem
    if problem.path.startswith("parameters."):
        return replace(problem, path="--set " + problem.path.removeprefix("parameters."))
    option = OPTIONS.get(problem.path)
    if option is None:
        head, dot, rest = problem.path.partition(".")
        if dot and head in OPTION_PREFIXES:
            return replace(problem, path=f"{OPTION_PREFIXES[head]} {rest}")
    return replace(problem, path=option) if option else problem


def parse_assignments(items: Sequence[str], *, option: str = "--set") -> dict[str, float]:
    """``["sanction_cost=6", "security=2.5"]`` -> ``{"sanction_cost": 6.0, "security": 2.5}``."""
    values: dict[str, float] = {}
    problems = []
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(Problem(f"expected name=value, got {item!r}", path=option))
            continue
        try:
            value = float(text)
        except ValueError:
            problems.append(Problem(f"{name}: expected a number, got {text.strip()!r}", path=option))
            continue
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(Problem(f"{name}: expected a finite number, got {text.strip()!r}", path=option))
            continue
        values[name] = value
    if problems:
        raise InputError(problems)
    return values


def overrides_for(
    game: ParametricGame, items: Sequence[str], *, allow_outside_range: bool = False
) -> dict[str, float]:
    """The ``--set`` values for ``game``: known parameters only, and inside each parameter's
    min..max unless ``allow_outside_range`` (the same rule as ``negsim sweep``)."""
    overrides = parse_assignments(items)
    game.values(overrides)  # unknown names, with did-you-mean
    if not allow_outside_range:
        outside = game.outside_range(overrides)
        if outside:
            raise InputError(
                [replace(p, message=p.message + " (add --allow-outside-range to use it)") for p in outside]
            )
    return overrides


def check_format(value: str, allowed: Sequence[str] = ("table", "json")) -> str:
    """``--format``: one of ``allowed``."""
    if value not in allowed:
        words = " or ".join(repr(a) for a in allowed)
        raise InputError([Problem(f"expected {words}, got {value!r}", path="--format")])
    return value


def parse_formats(text: str | None) -> list[str] | None:
    """``--formats csv,parquet``: the results table's formats (checked by the sweep, which
    names a bad one under ``--formats``); ``None`` when the option is not given."""
    if text is None:
        return None
    return [item.strip() for item in text.split(",") if item.strip()]


def shown_parameters(values: Mapping[str, float]) -> str:
    """``sanction_cost = 7, security = 6``."""
    return ", ".join(f"{name} = {value:g}" for name, value in values.items())
