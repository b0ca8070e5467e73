"""Problems in a scenario, located by key path, and their translation into user messages.

An :class:`Issue` says what is wrong at a key path. The loader turns issues into
:class:`negsim.errors.Problem` lines (``file:line:col: key.path: message``) using the positions
it recorded while reading the YAML. Pydantic's validation errors are translated here too, into
the same plain words the rest of negsim uses.
"""

from __future__ import annotations

import functools
import re
import sys
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, ForwardRef, Literal, Union

from pydantic import BaseModel, Discriminator, Tag, ValidationError
from typing_extensions import TypeAliasType

from negsim.errors import InputError, Problem, did_you_mean
from negsim.scenario.base import MAX_NUMBER, expected_words
from negsim.scenario.yamltree import Marks, Path

__all__ = ["Issue", "ScenarioError", "expression_issue", "format_path", "issues_from_validation",
           "to_problem"]


class ScenarioError(InputError):
    """A scenario that cannot be used, with every problem found in it."""


@dataclass(frozen=True)
class Issue:
    """One problem at a key path.

    When ``key`` is given, the problem is that key inside the mapping at ``path`` (an unknown
    or misspelt name), and it is located at the key itself. When ``offset`` is given, the
    problem is at that character of the text value at ``path`` (a part of an expression): it
    is located there, and ``unplaced`` (the message without its position in the expression)
    is shown, unless the file position of that character is unknown.
    """

    path: Path
    message: str
    key: str | None = None
    offset: int | None = None
    unplaced: str = ""

    def describe(self) -> str:
        where = format_path(self.path)
        return f"{where}: {self.message}" if where else self.message


def format_path(path: Path) -> str:
    """``players.turkey.strategies[0]``-style text for a key path."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            shown = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else repr(part)
            text += f".{shown}" if text else shown
    return text


def expression_issue(path: Path, error: Any) -> Issue:
    """An :class:`Issue` for an :class:`negsim.scenario.expr.ExpressionError` at ``path``."""
    return Issue(path, str(error), offset=error.offset, unplaced=error.unplaced)


def to_problem(issue: Issue, marks: Marks | None, file: str) -> Problem:
    mark = None
    message = issue.message
    if marks is not None:
        mark = marks.key((*issue.path, issue.key)) if issue.key is not None else None
        if issue.offset is not None:
            mark = marks.position(issue.path, issue.offset)
            if mark is not None and issue.unplaced:
                message = issue.unplaced
        mark = mark or marks.value(issue.path)
    return Problem(
        message=message,
        path=format_path(issue.path),
        file=mark.file if mark else file,
        line=mark.line if mark else None,
        column=mark.column if mark else None,
    )


# -- pydantic errors -----------------------------------------------------------------------------

TYPE_WORDS = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
    "list_type": "a list",
}
PATTERN_WORDS = {
    r"^[a-z_][a-z0-9_]*$": "a name (lowercase letters, digits and _, not starting with a digit)",
    r"^[a-z0-9][a-z0-9-]*$": "an id (lowercase letters, digits and -, starting with a letter or "
    "digit)",
    r"^\d{4}(-\d{2}(-\d{2})?)?$": 'a date as "YYYY", "YYYY-MM" or "YYYY-MM-DD"',
    r"^[A-Za-z0-9_][A-Za-z0-9_-]*$": "a move id (letters, digits, _ and -)",
}
def describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


@dataclass
class _Place:
    path: list
    model: type[BaseModel] | None = None  # the model the last key was looked up in
    expected: str | None = None  # what a union at the error's position accepts
    at_key: bool = False  # the error is about a mapping key, not its value
    leaf: Any = None  # the annotation of the value at the error's position, when known


@functools.cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    # Without a namespace, each annotation is resolved in the module of the class that declares
    # it (a model may inherit fields from a base in another module).
    return typing.get_type_hints(model, include_extras=True)


def _unwrap(tp: Any, namespace: dict[str, Any]) -> tuple[Any, list]:
    metadata: list = []
    while True:
        if isinstance(tp, TypeAliasType):
            tp = tp.__value__
        elif isinstance(tp, (str, ForwardRef)):
            name = tp if isinstance(tp, str) else tp.__forward_arg__
            tp = namespace[name]
        elif typing.get_origin(tp) is Annotated:
            metadata.extend(tp.__metadata__)
            tp = tp.__origin__
        elif typing.get_origin(tp) in (Union, types.UnionType) and not any(
            isinstance(m, Discriminator) for m in metadata
        ):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp, metadata
            tp = args[0]
        else:
            return tp, metadata


def _member(union: Any, tag: Any) -> Any | None:
    for member in typing.get_args(union):
        if typing.get_origin(member) is Annotated and any(
            isinstance(m, Tag) and m.tag == tag for m in member.__metadata__
        ):
            return member
    return None


def _walk(loc: tuple, root: type[BaseModel]) -> _Place:
    place = _Place(path=[])
    tp: Any = root
    namespace = vars(sys.modules[root.__module__])
    for index, segment in enumerate(loc):
        last = index == len(loc) - 1
        tp, metadata = _unwrap(tp, namespace)
        discriminator = next((m for m in metadata if isinstance(m, Discriminator)), None)
        if discriminator is not None:
            member = _member(tp, segment)
            if member is not None:
                if last:
                    place.expected = expected_words(discriminator.discriminator)
                tp = member
                continue
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            place.model = tp
            place.path.append(segment)
            tp = _hints(tp).get(segment)
        elif typing.get_origin(tp) is dict:
            if index + 1 < len(loc) and loc[index + 1] == "[key]":
                place.at_key = True
                place.path.append(segment)
                break
            place.model = None
            place.path.append(segment)
            tp = typing.get_args(tp)[1]
        elif typing.get_origin(tp) is list:
            place.model = None
            place.path.append(segment)
            tp = typing.get_args(tp)[0]
        else:
            place.path.append(segment)
            tp = None
    place.leaf = tp
    return place


def _literal_words(tp: Any, namespace: dict[str, Any]) -> str | None:
    """``'better' or 'worse'``: the values a ``Literal`` annotation allows, in negsim's words."""
    if tp is None:
        return None
    try:
        tp, _metadata = _unwrap(tp, namespace)
    except KeyError:
        return None
    if typing.get_origin(tp) is not Literal:
        return None
    values = [repr(v) for v in typing.get_args(tp)]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def issues_from_validation(exc: ValidationError, root: type[BaseModel]) -> list[Issue]:
    """Each pydantic error from validating ``root`` as an :class:`Issue` in negsim's words."""
    return [_issue(error, root) for error in exc.errors(include_url=False)]


def _issue(error: dict, root: type[BaseModel]) -> Issue:
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    place = _walk(loc, root)
    path = tuple(place.path)
    if kind == "missing":
        return Issue(path[:-1], f"missing required key {path[-1]!r}")
    if kind == "extra_forbidden" and path[-1] == "<<":
        return Issue(path[:-1], "YAML merge keys (<<) are not supported; use extends for "
                     "variants", key=path[-1])
    if kind == "extra_forbidden":
        known = list(place.model.model_fields) if place.model else []
        return Issue(path[:-1], f"unknown key {path[-1]!r}{did_you_mean(path[-1], known)}",
                     key=path[-1])
    if place.at_key:
        what = PATTERN_WORDS.get(ctx.get("pattern"), "a valid name")
        if kind == "value_error":
            return Issue(path[:-1], str(ctx.get("error", error["msg"])), key=path[-1])
        if kind == "string_too_long":
            what = f"a name of at most {ctx.get('max_length')} characters"
        return Issue(path[:-1], f"{path[-1]!r} is not {what}", key=path[-1])
    if kind in TYPE_WORDS:
        expected = place.expected or TYPE_WORDS[kind]
        return Issue(path, f"expected {expected}, got {describe_value(value)}")
    if kind == "string_pattern_mismatch":
        what = PATTERN_WORDS.get(ctx.get("pattern"), f"text matching {ctx.get('pattern')}")
        return Issue(path, f"expected {what}, got {describe_value(value)}")
    if kind == "finite_number":
        return Issue(path, f"expected a finite number, got {describe_value(value)}")
    if kind in ("greater_than_equal", "less_than_equal"):
        return Issue(path, f"number too large (at most {MAX_NUMBER:.0e} in size)"
                     .replace("e+", "e"))
    if kind in ("too_short", "string_too_short"):
        return Issue(path, "must not be empty")
    if kind in ("too_long", "string_too_long"):
        limit = ctx.get("max_length")
        return Issue(path, f"too long (at most {limit} {'characters' if 'string' in kind else 'items'})")
    if kind == "literal_error":
        # The allowed values from the schema itself, not pydantic's wording of them.
        expected = (_literal_words(place.leaf, vars(sys.modules[root.__module__]))
                    or ctx.get("expected", ""))
        hint = ""
        if isinstance(value, str):
            options = re.findall(r"'([^']*)'", expected)
            hint = did_you_mean(value, options) if " (did you mean" in did_you_mean(
                value, options) else ""
        return Issue(path, f"expected {expected}, got {describe_value(value)}{hint}")
    if kind == "value_error":
        return Issue(path, str(ctx.get("error", error["msg"])))
    return Issue(path, error["msg"][:1].lower() + error["msg"][1:])
