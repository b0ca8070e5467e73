"""Preference statements: the option prioritization language of option-form scenarios.

A decision maker's preferences can be given as statements, most important first (Fang, Hipel,
Kilgour and Peng 2003; the option prioritization of GMCR II, GMCR+ and gmcr-py). A statement
is a logical formula over options:

- ``3`` or ``Y at 3`` (also ``Y at option 3``): option 3 is taken (options by 1-based number
  or by id);
- ``-3`` or ``N at 3`` (also ``not 3``, ``!3``, ``~3``): option 3 is not taken;
- ``1 & 2`` (also ``and``): both;
- ``1 | -3`` (also ``or``): either;
- ``1 if 2``: if 2 is taken then 1 is (true when 2 is not taken), e.g. ``N at 1 if Y at 2``;
- ``1 iff 2``: 1 is taken exactly when 2 is;
- ``(1 | 2) & -3``: parentheses group.

``-`` binds tightest, then ``&``, then ``|``, then ``if`` / ``iff``. With ``k`` statements the
``j``-th (1-based) is worth ``2**(k-j)``; a state scores the sum of the statements it
satisfies, and a higher score is preferred (equal scores tie), so a more important statement
outweighs all less important ones together.

A statement that is not in the language is reported at its column, with what was expected
there (:class:`StatementError` carries the 1-based column within the statement).

>>> s = parse_statement("N at 1 if Y at 2", ["modify", "delay"])
>>> [s.holds(state) for state in (0, 1, 2, 3)]     # state = the taken options as bits
[True, True, True, False]
>>> parse_statement("modify & -delay", ["modify", "delay"]).holds(0b01)
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import did_you_mean

__all__ = ["MAX_STATEMENT_LENGTH", "Statement", "StatementError", "parse_statement"]

#: Longest statement, in characters.
MAX_STATEMENT_LENGTH = 500
#: Deepest nesting of parentheses and negations.
MAX_STATEMENT_DEPTH = 40

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-&|()!~]))")
_WORDS = {"if", "iff", "and", "or", "not"}

Tree = tuple[Any, ...]


class StatementError(ValueError):
    """A statement that is not in the language; ``column`` is 1-based within the statement."""

    def __init__(self, message: str, column: int, hint: str = "") -> None:
        self.message = message
        self.column = column
        self.hint = hint
        # The did-you-mean hint reads best at the end, after the position.
        super().__init__(f"{message} at column {column} of the statement{hint}")


@dataclass(frozen=True)
class Statement:
    """A parsed statement. ``tree`` is a nested tuple: ``("opt", k)`` (0-based option index),
    ``("not", a)``, ``("and", a, b)``, ``("or", a, b)``, ``("if", then, condition)`` and
    ``("iff", a, b)``."""

    text: str
    tree: Tree

    def holds(self, state: int) -> bool:
        """Whether the statement is true at a state (the taken options as bits)."""
        return bool(self.evaluate(np.array([state]))[0])

    def evaluate(self, states: np.ndarray) -> np.ndarray:
        """Truth value at each state (decimal codes), as a boolean array."""
        return _evaluate(self.tree, np.asarray(states, dtype=np.int64))

    def options(self) -> set[int]:
        """The 0-based indices of the options the statement names."""
        return _options(self.tree)


def _evaluate(node: Tree, states: np.ndarray) -> np.ndarray:
    kind = node[0]
    if kind == "opt":
        return np.asarray((states >> int(node[1])) & 1 == 1, dtype=bool)
    if kind == "not":
        return np.asarray(~_evaluate(node[1], states))
    a = _evaluate(node[1], states)
    b = _evaluate(node[2], states)
    if kind == "and":
        return np.asarray(a & b)
    if kind == "or":
        return np.asarray(a | b)
    if kind == "if":
        return np.asarray(a | ~b)
    return np.asarray(a == b, dtype=bool)  # iff


def _options(node: Tree) -> set[int]:
    if node[0] == "opt":
        return {int(node[1])}
    found: set[int] = set()
    for child in node[1:]:
        found |= _options(child)
    return found


class _Parser:
    def __init__(self, text: str, option_ids: Sequence[str]) -> None:
        self.text = text
        self.option_ids = list(option_ids)
        self.tokens: list[tuple[str, str, int]] = []  # (kind, value, 1-based column)
        self.depth = 0
        pos = 0
        while text[pos:].strip():
            m = _TOKEN.match(text, pos)
            if m is None:
                column = pos + 1 + len(text[pos:]) - len(text[pos:].lstrip())
                raise StatementError(
                    "expected an option number, an option id, '-', '&', '|', 'if', 'iff' or a "
                    f"parenthesis, found {text[column - 1]!r}",
                    column,
                )
            kind = m.lastgroup or ""
            value = m.group(kind)
            if kind == "name" and value.lower() in _WORDS:
                kind, value = "op", value.lower()
            self.tokens.append((kind, value, m.start(kind) + 1))
            pos = m.end()
        self.k = 0

    def peek(self, ahead: int = 0) -> tuple[str, str, int]:
        if self.k + ahead < len(self.tokens):
            return self.tokens[self.k + ahead]
        return ("end", "", len(self.text) + 1)

    @staticmethod
    def found(token: tuple[str, str, int]) -> str:
        return "the end of the statement" if token[0] == "end" else repr(token[1])

    def fail(self, token: tuple[str, str, int], expected: str) -> StatementError:
        return StatementError(f"expected {expected}, found {self.found(token)}", token[2])

    def parse(self) -> Tree:
        if not self.tokens:
            raise StatementError("expected an option, found an empty statement", 1)
        tree = self.implication()
        token = self.peek()
        if token[0] != "end":
            raise self.fail(token, "'&', '|', 'if', 'iff' or the end of the statement")
        return tree

    def implication(self) -> Tree:
        left = self.disjunction()
        token = self.peek()
        if token[:2] in (("op", "if"), ("op", "iff")):
            self.k += 1
            return (token[1], left, self.disjunction())
        return left

    def disjunction(self) -> Tree:
        left = self.conjunction()
        while self.peek()[:2] in (("op", "|"), ("op", "or")):
            self.k += 1
            left = ("or", left, self.conjunction())
        return left

    def conjunction(self) -> Tree:
        left = self.unary()
        while self.peek()[:2] in (("op", "&"), ("op", "and")):
            self.k += 1
            left = ("and", left, self.unary())
        return left

    def unary(self) -> Tree:
        self.depth += 1
        if self.depth > MAX_STATEMENT_DEPTH:
            raise StatementError(f"nested too deeply (at most {MAX_STATEMENT_DEPTH} levels)", self.peek()[2])
        try:
            return self._unary()
        finally:
            self.depth -= 1

    def _unary(self) -> Tree:
        token = self.peek()
        if token[0] == "op" and token[1] in ("-", "!", "~", "not"):
            self.k += 1
            return ("not", self.unary())
        if token[:2] == ("op", "("):
            self.k += 1
            inner = self.implication()
            close = self.peek()
            if close[:2] != ("op", ")"):
                raise self.fail(close, f"')' to close the parenthesis at column {token[2]}")
            self.k += 1
            return inner
        if token[0] == "name" and token[1] in ("Y", "N", "y", "n") and self.peek(1)[:2] == ("name", "at"):
            # GMCR+ phrasing: "Y at option 3", "N at modify"
            self.k += 2
            if self.peek()[:2] == ("name", "option") and "option" not in self.option_ids:
                self.k += 1
            target = self.option()
            return target if token[1] in ("Y", "y") else ("not", target)
        return self.option()

    def option(self) -> Tree:
        token = self.peek()
        if token[0] == "num":
            self.k += 1
            number = int(token[1])
            if not 1 <= number <= len(self.option_ids):
                raise StatementError(
                    f"expected an option number from 1 to {len(self.option_ids)}, found {token[1]}", token[2]
                )
            return ("opt", number - 1)
        if token[0] == "name":
            self.k += 1
            if token[1] not in self.option_ids:
                raise StatementError(
                    f"unknown option {token[1]!r}", token[2], did_you_mean(token[1], self.option_ids)
                )
            return ("opt", self.option_ids.index(token[1]))
        raise self.fail(token, "an option number, an option id, '-' or '('")


def parse_statement(text: str, option_ids: Sequence[str]) -> Statement:
    """Parse one statement; options by 1-based number or by id in ``option_ids``.

    Raises :class:`StatementError` (with the column within ``text``) when the statement is not
    in the language.
    """
    if len(text) > MAX_STATEMENT_LENGTH:
        raise StatementError(f"statement longer than {MAX_STATEMENT_LENGTH} characters", 1)
    return Statement(text, _Parser(text, option_ids).parse())
