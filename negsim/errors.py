"""Errors that users cause and can fix: every problem found, each on one line.

An :class:`InputError` carries a list of :class:`Problem`; the command prints one line per
problem as ``file:line:col: key.path: message`` and exits with code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["InputError", "Problem", "did_you_mean"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know."""

    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        path = f"{self.path}: " if self.path else ""
        return f"{where}{path}{self.message}"


class InputError(Exception):
    """Invalid input (a file, an option, a value): exit code 2, no traceback."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class DegenerateGameWarning(UserWarning):
    """A game is degenerate: equilibria may come in connected sets, not isolated points."""


def did_you_mean(name: str, candidates: Sequence[str]) -> str:
    """`` (did you mean 'active'?)`` or, without a close match, the list of known names."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if candidates and len(candidates) <= 12:
        return f" (expected one of: {', '.join(repr(c) for c in candidates)})"
    return ""
