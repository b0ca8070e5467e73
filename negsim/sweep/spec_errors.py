"""Problems with sweep specs in negsim's words: pydantic's errors translated into the same
plain messages as scenario problems, each located in the spec file when there is one."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Tag, ValidationError

from negsim.errors import Problem, did_you_mean
from negsim.scenario.issues import PATTERN_WORDS, TYPE_WORDS, Issue, describe_value, format_path, to_problem
from negsim.scenario.yamltree import Marks

__all__ = ["issues_from_validation", "join_words", "kind_issues", "located", "short_number"]


def located(issue: Issue, marks: Marks | None, file: str | None) -> Problem:
    """An issue as a problem: at its line and column when the spec came from a file."""
    if file is None:
        return Problem(issue.message, path=format_path(
            (*issue.path, issue.key) if issue.key else issue.path))
    return to_problem(issue, marks, file)


def join_words(names: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def short_number(x: float) -> str:
    return f"{x:g}"


def kind_issues(data: dict[str, Any], kinds: Sequence[str]) -> list[Issue]:
    """The spec names exactly one kind of sweep."""
    given = [k for k in kinds if data.get(k) is not None]
    if len(given) == 1:
        return []
    if not given:
        return [Issue((), "say what to sweep: give one of grid, monte_carlo or one_at_a_time")]
    return [Issue((), f"give only one of grid, monte_carlo and one_at_a_time (found "
                      f"{join_words(given)})", key=given[1])]


def issues_from_validation(exc: ValidationError, root: type[BaseModel]) -> list[Issue]:
    """Each error of validating ``root`` (a spec model) as an :class:`Issue`."""
    return [_issue(error, root) for error in exc.errors(include_url=False)]


def _walk(loc: tuple, root: type[BaseModel]) -> tuple[list, type[BaseModel] | None, bool, bool]:
    """The key path of a pydantic location, the model of its last key, whether the error is
    about a mapping key, and whether it is at an ``all``-or-named choice."""
    tp: Any = root
    path: list = []
    model = None
    choice = False
    for index, segment in enumerate(loc):
        while typing.get_origin(tp) is Annotated:
            meta = tp.__metadata__
            tp = tp.__origin__
            if any(isinstance(m, Discriminator) for m in meta):
                choice = index == len(loc) - 1 or (index == len(loc) - 2)
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tagged = {m.tag: a for a in args if typing.get_origin(a) is Annotated
                      for m in a.__metadata__ if isinstance(m, Tag)}
            if segment in tagged:
                tp = tagged[segment]
                continue
            tp = args[0] if len(args) == 1 else tp
            while typing.get_origin(tp) is Annotated:
                tp = tp.__origin__
            origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            model = tp
            path.append(segment)
            tp = typing.get_type_hints(tp, include_extras=True).get(segment)
        elif origin is dict:
            if index + 1 < len(loc) and loc[index + 1] == "[key]":
                path.append(segment)
                return path, model, True, choice
            model = None
            path.append(segment)
            tp = typing.get_args(tp)[1]
        elif origin is list:
            model = None
            path.append(segment)
            tp = typing.get_args(tp)[0]
        else:
            path.append(segment)
            tp = None
    return path, model, False, choice


def _issue(error: Any, root: type[BaseModel]) -> Issue:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    path, model, at_key, choice = _walk(tuple(error["loc"]), root)
    path_t = tuple(path)
    if kind == "missing":
        return Issue(path_t[:-1], f"missing required key {path_t[-1]!r}")
    if kind == "extra_forbidden":
        known = list(model.model_fields) if model else []
        return Issue(path_t[:-1], f"unknown key {path_t[-1]!r}{did_you_mean(path_t[-1], known)}",
                     key=path_t[-1])
    if at_key:
        what = PATTERN_WORDS.get(ctx.get("pattern"), "a valid name")
        return Issue(path_t[:-1], f"{path_t[-1]!r} is not {what}", key=path_t[-1])
    if choice and path_t and path_t[-1] == "parameters" and kind in (
            "literal_error", "dict_type", "list_type"):
        other = "a mapping of parameter names" if "monte_carlo" in path_t else \
            "a list of parameter names"
        return Issue(path_t, f"expected 'all' or {other}, got {describe_value(value)}")
    if kind in TYPE_WORDS:
        return Issue(path_t, f"expected {TYPE_WORDS[kind]}, got {describe_value(value)}")
    if kind == "string_pattern_mismatch":
        what = PATTERN_WORDS.get(ctx.get("pattern"), f"text matching {ctx.get('pattern')}")
        return Issue(path_t, f"expected {what}, got {describe_value(value)}")
    if kind == "finite_number":
        return Issue(path_t, f"expected a finite number, got {describe_value(value)}")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        word = {"greater_than_equal": "at least", "less_than_equal": "at most",
                "greater_than": "above", "less_than": "below"}[kind]
        what = "a whole number" if isinstance(value, int) else "a number"
        shown = f"{bound:,}" if isinstance(bound, int) else f"{bound}"
        return Issue(path_t, f"expected {what} {word} {shown}, got {describe_value(value)}")
    if kind in ("too_short", "string_too_short"):
        return Issue(path_t, "must not be empty")
    if kind in ("too_long", "string_too_long"):
        limit = ctx.get("max_length")
        unit = "characters" if "string" in kind else "items"
        return Issue(path_t, f"too long (at most {limit} {unit})")
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        hint = ""
        if isinstance(value, str):
            options = [o.strip("'") for o in expected.replace(" or ", ", ").split(", ")]
            close = did_you_mean(value, options)
            hint = close if close.startswith(" (did you mean") else ""
        return Issue(path_t, f"expected {expected}, got {describe_value(value)}{hint}")
    if kind == "value_error":
        return Issue(path_t, str(ctx.get("error", error["msg"])))
    return Issue(path_t, error["msg"][:1].lower() + error["msg"][1:])
