"""Option values shared by the commands: ``--set NAME=VALUE`` assignments, and the options that
problems found deeper down are named by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from negsim.errors import InputError, Problem

__all__ = ["OPTIONS", "as_option", "parse_assignments"]

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
}


def as_option(problem: Problem) -> Problem:
    """A problem with an API argument, named by the command-line option that sets it
    (``parameters.x`` is ``--set x``). Problems located in a file keep their key path."""
    if problem.file:
        return problem
    if problem.path.startswith("parameters."):
        return replace(problem, path="--set " + problem.path.removeprefix("parameters."))
    option = OPTIONS.get(problem.path)
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

