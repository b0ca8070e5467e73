"""Reading sweep specs: YAML with positions, every problem at once, in negsim's words.

:func:`load_sweep_spec` reads a file and checks it also against its scenario;
:func:`parse_sweep_spec` checks plain data (what the command line builds). Problems are
reported like scenario problems, ``file:line:col: key.path: message``, using the scenario
loader's YAML reader (positions, limits on hostile input) and its issue helpers.
"""

from __future__ import annotations

import os
import re
import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Tag, ValidationError

from negsim.compile.source import load_source
from negsim.errors import InputError, Problem, did_you_mean
from negsim.io.text_files import read_text_file
from negsim.scenario.issues import PATTERN_WORDS, TYPE_WORDS, Issue, describe_value, to_problem
from negsim.scenario.loader import sort_problems
from negsim.scenario.yamltree import MAX_FILE_BYTES, Marks, read_tree
from negsim.sweep.spec import KINDS, SweepSpec, join_words, looks_like_file
from negsim.sweep.spec_checks import check_against_scenario, located

__all__ = ["is_sweep_spec_file", "load_sweep_spec", "parse_sweep_spec"]


_SPEC_KEY = re.compile(rb"^[\s-]*negsim_sweep\s*:", re.MULTILINE)


def is_sweep_spec_file(path: str) -> bool:
    """True when ``path`` is a YAML file that names the key ``negsim_sweep`` (scenario files
    start with ``negsim:`` instead)."""
    if not path.lower().endswith((".yaml", ".yml")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return False
    return _SPEC_KEY.search(head) is not None


def load_sweep_spec(path: str | os.PathLike[str]) -> SweepSpec:
    """Read and check a sweep spec file (also against its scenario: names and ranges)."""
    shown = os.fspath(path)
    text = read_text_file(shown, limit=MAX_FILE_BYTES, kind="sweep specs", bom=True)
    tree, problems = read_tree(text, shown)
    if tree is None:
        raise InputError(sort_problems(
            to_problem(Issue(p.path, p.message), _single(p.mark), shown) for p in problems))
    spec = parse_sweep_spec(tree.data, file=shown, marks=tree.marks)

    scenario = spec.scenario_source()
    if looks_like_file(spec.scenario) and not os.path.exists(scenario):
        raise InputError([to_problem(Issue(("scenario",), f"no such file {scenario!r} (a path "
                                                          "is taken from the spec's folder)"),
                                     spec._marks, shown)])
    try:
        source = load_source(scenario)
    except InputError as exc:
        raise InputError(_scenario_problems(spec, exc)) from None
    check_against_scenario(spec, source.game, source.tree)
    return spec


def _single(mark: Any) -> Marks | None:
    if mark is None:
        return None
    marks = Marks()
    marks.values[()] = mark
    return marks


def _scenario_problems(spec: SweepSpec, exc: InputError) -> list[Problem]:
    """A scenario that cannot be loaded: say so at the spec's ``scenario`` key, then why."""
    first = to_problem(Issue(("scenario",), f"cannot load scenario {spec.scenario!r}"),
                       spec._marks, spec._file or "")
    rest = [p for p in exc.problems]
    if len(rest) == 1 and rest[0].file is None:
        return [to_problem(Issue(("scenario",), rest[0].message), spec._marks, spec._file or "")]
    return [first, *rest]


def parse_sweep_spec(data: object, *, file: str | None = None, marks: Marks | None = None
                     ) -> SweepSpec:
    """Check plain data as a sweep spec; every problem of its shape at once.

    ``file`` and ``marks`` (from :func:`negsim.scenario.yamltree.read_tree`) place problems in
    a file; without them problems are located by key path only.
    """
    shown = file or ""
    if not isinstance(data, dict):
        got = "an empty document" if data is None else describe_value(data)
        raise InputError([to_problem(Issue((), f"expected a mapping of keys (a sweep spec), "
                                               f"got {got}"), marks, shown)])
    issues = _kind_issues(data)
    spec = None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        issues += [_issue(error) for error in exc.errors(include_url=False)]
    if issues:
        raise InputError(sort_problems(located(i, marks, file) for i in issues))
    assert spec is not None
    spec._file = file
    spec._marks = marks
    return spec


def _kind_issues(data: dict) -> list[Issue]:
    given = [k for k in KINDS if data.get(k) is not None]
    if len(given) == 1:
        return []
    if not given:
        return [Issue((), "say what to sweep: give one of grid, monte_carlo or one_at_a_time")]
    return [Issue((), f"give only one of grid, monte_carlo and one_at_a_time (found "
                      f"{join_words(given)})", key=given[1])]


# -- pydantic errors in the spec's words ----------------------------------------------------------



def _walk(loc: tuple) -> tuple[list, type[BaseModel] | None, bool, bool]:
    """The key path of a pydantic location, the model of its last key, whether the error is
    about a mapping key, and whether it is at an ``all``-or-named choice."""
    tp: Any = SweepSpec
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


def _issue(error: dict) -> Issue:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    path, model, at_key, choice = _walk(tuple(error["loc"]))
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
