"""Ordinal preferences over states: option prioritization, direct rankings, payoffs.

Option prioritization (Fang, Hipel, Kilgour and Peng 2003; GMCR II, GMCR+ and gmcr-py) lists a
decision maker's *preference statements* from most to least important. A statement is a logical
formula over options:

==================  ==============================================================
``3``               option 3 is taken (options by 1-based number or by id)
``-3``              option 3 is not taken
``1 & 2``           both
``1 | -3``          either
``1 if 2``          if 2 is taken then 1 is (true when 2 is not taken)
``1 iff 2``         1 is taken exactly when 2 is
``(1 | 2) & -3``    parentheses group
==================  ==============================================================

``-`` binds tightest, then ``&``, then ``|``, then ``if`` / ``iff``. With ``k`` statements, the
``j``-th (1-based) is worth ``2**(k-j)``; a state scores the sum of the statements it satisfies,
and a higher score is preferred (equal scores tie). So a more important statement outweighs all
less important ones together.

>>> parse_statement("-1 if 2").holds(0b10)   # option 2 taken, option 1 not
True
>>> parse_statement("1 & -2").holds(0b11)
False
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.conflict.model import Conflict
from negsim.errors import InputError, Problem, did_you_mean

__all__ = [
    "Statement",
    "option_values",
    "parse_statement",
    "payoff_scores",
    "prioritization_scores",
    "ranking_scores",
]

MAX_STATEMENT_LENGTH = 500

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-&|()!~]))")


@dataclass(frozen=True)
class Statement:
    """A parsed preference statement; ``tree`` is a nested tuple ``("opt", k)``, ``("not", a)``,
    ``("and", a, b)``, ``("or", a, b)``, ``("if", then, cond)``, ``("iff", a, b)``."""

    text: str
    tree: tuple[object, ...]

    def holds(self, state: int) -> bool:
        return bool(self.evaluate(np.array([state]))[0])

    def evaluate(self, states: np.ndarray) -> np.ndarray:
        """Truth value at each state (decimal codes), as a boolean array."""
        return _eval(self.tree, np.asarray(states, dtype=np.int64))

    def options(self) -> set[int]:
        return _options(self.tree)


def _eval(node: tuple[Any, ...], states: np.ndarray) -> np.ndarray:
    kind = node[0]
    if kind == "opt":
        return np.asarray((states >> int(node[1])) & 1 == 1, dtype=bool)
    if kind == "not":
        return ~_eval(node[1], states)
    a = _eval(node[1], states)
    b = _eval(node[2], states)
    if kind == "and":
        return np.asarray(a & b)
    if kind == "or":
        return np.asarray(a | b)
    if kind == "if":
        return np.asarray(a | ~b)
    return np.asarray(a == b, dtype=bool)  # iff


def _options(node: tuple[Any, ...]) -> set[int]:
    if node[0] == "opt":
        return {int(node[1])}
    return set().union(*(_options(n) for n in node[1:]))


class _Parser:
    def __init__(self, text: str, option_ids: Sequence[str], path: str) -> None:
        self.text = text
        self.option_ids = list(option_ids)
        self.path = path
        self.tokens: list[tuple[str, str, int]] = []  # (kind, value, 1-based column)
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None:
                col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
                self.fail(
                    col,
                    "an option number, an option id, '-', '&', '|', 'if', 'iff' or a parenthesis",
                    repr(text[col - 1]),
                )
            assert m is not None
            kind = m.lastgroup or ""
            value = m.group(kind)
            col = m.start(kind) + 1
            if kind == "name" and value.lower() in ("if", "iff", "and", "or", "not"):
                kind, value = "op", value.lower()
            self.tokens.append((kind, value, col))
            pos = m.end()
        self.k = 0

    def fail(self, column: int, expected: str, found: str) -> None:
        raise InputError(
            [
                Problem(
                    f"column {column}: expected {expected}, found {found} in {self.text!r}",
                    path=self.path,
                    column=column,
                )
            ]
        )

    def peek(self) -> tuple[str, str, int]:
        if self.k < len(self.tokens):
            return self.tokens[self.k]
        return ("end", "", len(self.text) + 1)

    def found(self, tok: tuple[str, str, int]) -> str:
        return "the end of the statement" if tok[0] == "end" else repr(tok[1])

    def parse(self) -> tuple[object, ...]:
        if not self.tokens:
            self.fail(1, "an option", "an empty statement")
        tree = self.implication()
        tok = self.peek()
        if tok[0] != "end":
            self.fail(tok[2], "'&', '|', 'if', 'iff' or the end of the statement", self.found(tok))
        return tree

    def implication(self) -> tuple[object, ...]:
        left = self.disjunction()
        tok = self.peek()
        if tok[:2] in (("op", "if"), ("op", "iff")):
            self.k += 1
            right = self.disjunction()
            return (tok[1], left, right)
        return left

    def disjunction(self) -> tuple[object, ...]:
        left = self.conjunction()
        while self.peek()[:2] in (("op", "|"), ("op", "or")):
            self.k += 1
            left = ("or", left, self.conjunction())
        return left

    def conjunction(self) -> tuple[object, ...]:
        left = self.unary()
        while self.peek()[:2] in (("op", "&"), ("op", "and")):
            self.k += 1
            left = ("and", left, self.unary())
        return left

    def unary(self) -> tuple[object, ...]:
        tok = self.peek()
        if tok[0] == "op" and tok[1] in ("-", "!", "~", "not"):
            self.k += 1
            return ("not", self.unary())
        if tok[:2] == ("op", "("):
            self.k += 1
            inner = self.implication()
            close = self.peek()
            if close[:2] != ("op", ")"):
                self.fail(close[2], f"')' to close the parenthesis at column {tok[2]}", self.found(close))
            self.k += 1
            return inner
        if tok[0] == "num":
            self.k += 1
            number = int(tok[1])
            if not 1 <= number <= len(self.option_ids):
                self.fail(tok[2], f"an option number from 1 to {len(self.option_ids)}", tok[1])
            return ("opt", number - 1)
        if tok[0] == "name":
            self.k += 1
            if tok[1] not in self.option_ids:
                raise InputError(
                    [
                        Problem(
                            f"column {tok[2]}: unknown option {tok[1]!r}"
                            f"{did_you_mean(tok[1], self.option_ids)} "
                            f"in {self.text!r}",
                            path=self.path,
                            column=tok[2],
                        )
                    ]
                )
            return ("opt", self.option_ids.index(tok[1]))
        self.fail(tok[2], "an option number, an option id, '-' or '('", self.found(tok))
        raise AssertionError  # unreachable: fail raises


def parse_statement(text: str, option_ids: Sequence[str] = (), *, path: str = "") -> Statement:
    """Parse one preference statement; options by 1-based number or by id in ``option_ids``.

    Bad statements raise :class:`~negsim.errors.InputError` whose problem has the 1-based
    ``column`` of the error and says what was expected there.
    """
    if len(option_ids) == 0:
        option_ids = [str(k) for k in range(1, 21)]
    if len(text) > MAX_STATEMENT_LENGTH:
        raise InputError([Problem(f"statement longer than {MAX_STATEMENT_LENGTH} characters", path=path)])
    return Statement(text, _Parser(text, option_ids, path).parse())


def prioritization_scores(
    conflict: Conflict, statements: Mapping[str, Sequence[str | Statement]]
) -> np.ndarray:
    """Scores of each feasible state for each decision maker from its ordered statements.

    ``statements`` maps every decision maker id to its statements, most important first. All
    problems in all statements are reported together.
    """
    problems: list[Problem] = []
    states = np.array(conflict.states, dtype=np.int64)
    scores = np.zeros((len(conflict.decision_makers), len(states)))
    unknown = [d for d in statements if d not in conflict.dm_ids]
    for d in unknown:
        problems.append(
            Problem(f"unknown decision maker {d!r}{did_you_mean(d, conflict.dm_ids)}", path="preferences")
        )
    for i, dm in enumerate(conflict.dm_ids):
        items = list(statements.get(dm, ()))
        if dm not in statements:
            problems.append(Problem(f"no preference statements for {dm!r}", path=f"preferences.{dm}"))
        k = len(items)
        for j, item in enumerate(items):
            try:
                st = (
                    item
                    if isinstance(item, Statement)
                    else parse_statement(item, conflict.option_ids, path=f"preferences.{dm}[{j}]")
                )
            except InputError as error:
                problems.extend(error.problems)
                continue
            scores[i] += st.evaluate(states) * float(2 ** (k - 1 - j))
    if problems:
        raise InputError(problems)
    return scores


def ranking_scores(conflict: Conflict, rankings: Mapping[str, Sequence[int | Sequence[int]]]) -> np.ndarray:
    """Scores from direct rankings, most preferred first; a list inside is a tie.

    States are given by decimal code; every feasible state must appear exactly once.
    """
    problems: list[Problem] = []
    scores = np.zeros((len(conflict.decision_makers), len(conflict.states)))
    for d in rankings:
        if d not in conflict.dm_ids:
            problems.append(
                Problem(f"unknown decision maker {d!r}{did_you_mean(d, conflict.dm_ids)}", path="preferences")
            )
    for i, dm in enumerate(conflict.dm_ids):
        path = f"preferences.{dm}"
        if dm not in rankings:
            problems.append(Problem(f"no ranking for {dm!r}", path=path))
            continue
        groups = [[g] if isinstance(g, int) else list(g) for g in rankings[dm]]
        seen: set[int] = set()
        for pos, group in enumerate(groups):
            for s in group:
                if s not in conflict.index:
                    problems.append(Problem(f"state {s} is not a feasible state", path=f"{path}[{pos}]"))
                elif s in seen:
                    problems.append(Problem(f"state {s} is ranked twice", path=f"{path}[{pos}]"))
                else:
                    seen.add(s)
                    scores[i, conflict.index[s]] = len(groups) - pos
        missing = [s for s in conflict.states if s not in seen]
        if missing:
            problems.append(Problem(f"states not ranked: {', '.join(map(str, missing))}", path=path))
    if problems:
        raise InputError(problems)
    return scores


def option_values(conflict: Conflict) -> dict[str, np.ndarray]:
    """Each option as a 0/1 array over the feasible states: the inputs of payoff expressions."""
    states = np.array(conflict.states, dtype=np.int64)
    return {o: ((states >> k) & 1).astype(float) for k, o in enumerate(conflict.option_ids)}


def payoff_scores(
    conflict: Conflict,
    payoffs: np.ndarray
    | Sequence[Sequence[float]]
    | Callable[[dict[str, np.ndarray]], Mapping[str, np.ndarray]],
) -> np.ndarray:
    """Payoffs per decision maker and feasible state, from an array or a callable.

    An array has shape ``(decision makers, states)`` or, for a sweep, ``(points, decision makers,
    states)``. A callable receives :func:`option_values` and returns ``{dm id: values}``, each
    broadcastable to ``(states,)`` or ``(points, states)``.
    """
    n, m = len(conflict.decision_makers), len(conflict.states)
    if callable(payoffs):
        values = payoffs(option_values(conflict))
        missing = [d for d in conflict.dm_ids if d not in values]
        if missing:
            raise InputError([Problem(f"no payoffs for {', '.join(missing)}", path="preferences")])
        arrays = [np.asarray(values[d], dtype=float) for d in conflict.dm_ids]
        points = max((a.shape[0] for a in arrays if a.ndim == 2), default=None)
        if points is None:
            result = np.stack([np.broadcast_to(a, (m,)) for a in arrays])
        else:
            result = np.stack([np.broadcast_to(a, (points, m)) for a in arrays], axis=1)
    else:
        result = np.asarray(payoffs, dtype=float)
    if result.shape[-2:] != (n, m) or result.ndim not in (2, 3):
        raise InputError(
            [
                Problem(
                    f"payoffs have shape {result.shape}, expected ({n}, {m}) or (points, {n}, {m})",
                    path="preferences",
                )
            ]
        )
    if not np.all(np.isfinite(result)):
        raise InputError([Problem("payoffs must be finite numbers", path="preferences")])
    return result
