"""Tokens of Gambit's text formats (``.nfg`` and ``.efg``), with positions for messages.

Both formats are whitespace-separated words, braces, commas and double-quoted labels (inside
one, ``\\"`` is a quote and ``\\\\`` a backslash).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from negsim.errors import InputError, Problem

__all__ = ["DECIMAL", "INTEGER", "RATIONAL", "SIGNED_INTEGER", "Reader", "Token", "shorten"]

# Every character belongs to exactly one alternative, so matches tile the text.
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<lbrace>\{)
    | (?P<rbrace>\})
    | (?P<comma>,)
    | (?P<text>"(?:[^"\\]|\\.)*")
    | (?P<open_quote>")
    | (?P<word>[^\s{},"]+)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r'\\(["\\])')
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
RATIONAL = re.compile(r"[+-]?\d+/\d+")
SIGNED_INTEGER = re.compile(r"[+-]?\d+")
INTEGER = re.compile(r"\d+")


def shorten(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


class Token(NamedTuple):
    kind: str  # lbrace, rbrace, comma, text, word, end
    value: str  # the label (unescaped) for text, the characters for word
    offset: int

    def describe(self) -> str:
        if self.kind == "end":
            return "end of file"
        if self.kind == "text":
            return f'"{shorten(self.value)}"'
        return f"'{shorten(self.value)}'"


class Reader:
    """Tokens on demand, with positions turned into line:column only for messages."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self._tokens = self._scan()
        self.current = next(self._tokens)

    def _scan(self) -> Iterator[Token]:
        for match in _TOKEN.finditer(self.text):
            kind = match.lastgroup or ""
            if kind == "space":
                continue
            if kind == "open_quote":
                raise self.error(match.start(), "a label's closing double quote is missing")
            value = match.group()
            if kind == "text":
                value = _ESCAPE.sub(r"\1", value[1:-1])
            yield Token(kind, value, match.start())
        while True:
            yield Token("end", "", len(self.text))

    def advance(self) -> Token:
        token = self.current
        self.current = next(self._tokens)
        return token

    # -- locating problems --------------------------------------------------------------------

    def problem(self, offset: int, message: str, path: str = "") -> Problem:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return Problem(message=message, path=path, file=self.file, line=line, column=column)

    def error(self, offset: int, message: str, path: str = "") -> InputError:
        return InputError([self.problem(offset, message, path)])

    def unexpected(self, expected: str, path: str = "") -> InputError:
        token = self.current
        return self.error(token.offset, f"expected {expected}, found {token.describe()}", path)

    # -- expecting tokens ---------------------------------------------------------------------

    def expect(self, kind: str, expected: str, path: str = "") -> Token:
        if self.current.kind != kind:
            raise self.unexpected(expected, path)
        return self.advance()

    def accept(self, kind: str) -> bool:
        if self.current.kind == kind:
            self.advance()
            return True
        return False

    def integer(self, expected: str, path: str = "") -> int:
        """A non-negative integer word."""
        token = self.current
        if token.kind != "word" or not INTEGER.fullmatch(token.value):
            raise self.unexpected(expected, path)
        self.advance()
        return int(token.value)
