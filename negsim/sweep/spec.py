"""Sweep specs: which scenario, and which parameter points to solve it at (YAML, strict, versioned).

A spec names a scenario and exactly one way of choosing points: a ``grid`` (every combination of
each parameter's values), ``monte_carlo`` draws, or ``one_at_a_time`` ranges. Every key is
checked; problems are reported like scenario problems, ``file:line:col: key.path: message``,
all at once. :func:`load_sweep_spec` reads a file; :func:`parse_sweep_spec` checks plain data
(what the command line builds); :func:`check_against_scenario` checks the parts that need the
scenario (parameter names, ranges).
"""

from __future__ import annotations

import math
import os
import re
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    model_validator,
)

from negsim.errors import InputError, Problem, did_you_mean
from negsim.scenario.issues import Issue, describe_value, format_path, to_problem
from negsim.scenario.loader import _sorted as sorted_problems
from negsim.scenario.schema import Identifier, Number, ScenarioId, ShortText, Text
from negsim.scenario.yamltree import MAX_FILE_BYTES, Marks, read_tree

__all__ = [
    "FORMAT_VERSION",
    "MAX_POINTS",
    "Distribution",
    "GridAxis",
    "MonteCarlo",
    "OneAtATime",
    "SweepSpec",
    "check_against_scenario",
    "is_sweep_spec_file",
    "load_sweep_spec",
    "parse_sweep_spec",
]

#: The spec format version this code reads.
FORMAT_VERSION = 1
#: Most points one sweep may have (a grid's product, draws, or ranges x count).
MAX_POINTS = 100_000_000


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              use_attribute_docstrings=True)


Count = Annotated[int, Field(ge=1, le=MAX_POINTS)]


class GridAxis(Model):
    """The values of one parameter in a grid: ``values``, or ``start``/``stop`` with ``count``
    or ``step``; ``scale: log`` spreads ``count`` points evenly on a log scale."""

    start: Number | None = None
    """First value."""
    stop: Number | None = None
    """Last value (included; with ``step``, the last value not beyond it)."""
    count: Count | None = None
    """Number of values from ``start`` to ``stop``, both included."""
    step: Number | None = None
    """Distance between neighbouring values (linear scale only)."""
    scale: Literal["linear", "log"] = "linear"
    """``linear`` (equal steps) or ``log`` (equal ratios; ``start`` and ``stop`` above 0)."""
    values: list[Number] | None = Field(default=None, min_length=1, max_length=1_000_000)
    """Explicit values, in increasing order."""

    @model_validator(mode="after")
    def _one_form(self) -> GridAxis:
        ranged = [k for k in ("start", "stop", "count", "step") if getattr(self, k) is not None]
        if self.values is not None:
            if ranged:
                raise ValueError(f"give either values or start/stop, not both (found values and "
                                 f"{', '.join(ranged)})")
            if any(b <= a for a, b in zip(self.values, self.values[1:])):
                raise ValueError("values must be in increasing order, each listed once")
            if self.scale == "log" and min(self.values) <= 0:
                raise ValueError("scale: log needs values above 0")
            return self
        if self.start is None or self.stop is None:
            missing = " and ".join(k for k in ("start", "stop") if getattr(self, k) is None)
            raise ValueError(f"missing {missing} (or give values: [...])")
        if (self.count is None) == (self.step is None):
            raise ValueError("give exactly one of count and step")
        if self.stop < self.start:
            raise ValueError(f"stop ({_num(self.stop)}) is below start ({_num(self.start)})")
        if self.count is not None and self.count > 1 and self.stop == self.start:
            raise ValueError("start equals stop; give count: 1 or a wider range")
        if self.step is not None:
            if self.scale == "log":
                raise ValueError("scale: log takes count (points evenly spread on a log scale), "
                                 "not step")
            if self.step <= 0:
                raise ValueError("step must be above 0")
            if (self.stop - self.start) / self.step >= MAX_POINTS:
                raise ValueError(f"step too small: more than {MAX_POINTS} values")
        if self.scale == "log" and self.start <= 0:
            raise ValueError("scale: log needs start and stop above 0")
        return self


DistributionName = Literal["uniform", "normal", "triangular", "choice"]
_DISTRIBUTION_KEYS = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd", "clip"),
    "triangular": ("low", "mode", "high"),
    "choice": ("values", "weights"),
}


class Distribution(Model):
    """How one parameter is drawn in a Monte Carlo sweep.

    ``uniform`` (``low``, ``high``; default the parameter's min..max), ``normal`` (``mean``,
    default the parameter's value; ``sd``; ``clip``, default true: values are clipped to
    min..max), ``triangular`` (``low``, ``mode``, ``high``; default min, value, max),
    ``choice`` (``values``, optional ``weights``)."""

    distribution: DistributionName
    """``uniform``, ``normal``, ``triangular`` or ``choice``."""
    low: Number | None = None
    """Lowest value (uniform, triangular)."""
    high: Number | None = None
    """Highest value (uniform, triangular)."""
    mode: Number | None = None
    """Most likely value (triangular)."""
    mean: Number | None = None
    """Mean (normal)."""
    sd: Number | None = None
    """Standard deviation, above 0 (normal)."""
    clip: bool | None = None
    """Clip normal draws to the parameter's min..max (default true)."""
    values: list[Number] | None = Field(default=None, min_length=1, max_length=100_000)
    """The values to choose from (choice)."""
    weights: list[Number] | None = Field(default=None, min_length=1, max_length=100_000)
    """Relative weight of each value (choice; default equal)."""

    @model_validator(mode="after")
    def _keys_fit(self) -> Distribution:
        allowed = _DISTRIBUTION_KEYS[self.distribution]
        extra = [k for k in ("low", "high", "mode", "mean", "sd", "clip", "values", "weights")
                 if getattr(self, k) is not None and k not in allowed]
        if extra:
            raise ValueError(f"{self.distribution} takes {_words(allowed)}, not "
                             f"{_words(extra)}")
        if self.distribution == "normal":
            if self.sd is None:
                raise ValueError("normal needs sd (the standard deviation)")
            if self.sd <= 0:
                raise ValueError("sd must be above 0")
        if self.distribution == "choice":
            if self.values is None:
                raise ValueError("choice needs values: [...]")
            if self.weights is not None:
                if len(self.weights) != len(self.values):
                    raise ValueError(f"{len(self.weights)} weights for {len(self.values)} values")
                if min(self.weights) < 0 or sum(self.weights) <= 0:
                    raise ValueError("weights must be 0 or more, and not all 0")
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"high ({_num(self.high)}) is below low ({_num(self.low)})")
        if self.distribution == "triangular" and self.mode is not None:
            if (self.low is not None and self.mode < self.low) or (
                    self.high is not None and self.mode > self.high):
                raise ValueError("mode must lie between low and high")
        return self


def _all_or(value: Any) -> str:
    return "all" if isinstance(value, str) else "named"


AllParameters = Annotated[Literal["all"], Tag("all")]


class MonteCarlo(Model):
    """Random points: every parameter named is drawn independently from its distribution."""

    draws: Count
    """Number of points drawn."""
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    """Seed of the random draws: the same seed gives the same points. Without one, a seed is
    chosen and written to the run's manifest."""
    parameters: Annotated[
        AllParameters | Annotated[dict[Identifier, Distribution], Tag("named")],
        Discriminator(_all_or),
    ] = "all"
    """``all`` (uniform over every parameter's min..max) or a distribution per parameter."""


class OneAtATime(Model):
    """Each parameter moved alone over its min..max, the others at their defaults."""

    parameters: Annotated[
        AllParameters | Annotated[list[Identifier], Tag("named")],
        Discriminator(_all_or),
    ] = "all"
    """``all`` or a list of parameter names."""
    count: Annotated[int, Field(ge=2, le=MAX_POINTS)] = 41
    """Points along each parameter's range, both ends included."""


class SweepSpec(Model):
    """A sweep: a scenario and the parameter points to solve it at."""

    negsim_sweep: Literal[1]
    """The spec format version; must be 1."""
    id: ScenarioId
    """Identifier of the sweep: lowercase letters, digits and ``-``; names the run folder."""
    title: ShortText | None = None
    """One line that says what the sweep asks."""
    description: Text | None = None
    """The question, in a few sentences."""
    scenario: ShortText
    """A built-in scenario id, or a scenario file (``.yaml``/``.yml``/``.nfg``) relative to
    the spec's folder."""
    set: dict[Identifier, Number] = {}
    """Parameters held at other values than their defaults throughout the sweep."""
    method: ShortText = "auto"
    """Equilibrium method (as ``negsim solve --method``)."""
    allow_outside_range: bool = False
    """Allow grid and Monte Carlo values outside a parameter's declared min..max."""
    grid: dict[Identifier, GridAxis] | None = Field(default=None, min_length=1)
    """Every combination of the parameters' values (the first parameter varies slowest)."""
    monte_carlo: MonteCarlo | None = None
    """Random draws."""
    one_at_a_time: OneAtATime | None = None
    """One-at-a-time ranges, for sensitivity ranking."""

    _file: str | None = PrivateAttr(default=None)
    _marks: Any = PrivateAttr(default=None)

    @property
    def kind(self) -> str:
        """``grid``, ``monte_carlo`` or ``one_at_a_time``."""
        for name in ("grid", "monte_carlo", "one_at_a_time"):
            if getattr(self, name) is not None:
                return name
        raise ValueError("the spec names no kind of sweep")

    @property
    def file(self) -> str | None:
        """The spec file this spec was read from, if any."""
        return self._file

    def scenario_source(self) -> str:
        """The scenario as :func:`negsim.sources.load_source` takes it: a built-in id stays as
        it is, a file name is taken relative to the spec's folder."""
        if self._file and _looks_like_file(self.scenario) and not os.path.isabs(self.scenario):
            return os.path.normpath(os.path.join(os.path.dirname(self._file), self.scenario))
        return self.scenario


_KINDS = ("grid", "monte_carlo", "one_at_a_time")


def _looks_like_file(source: str) -> bool:
    return source.lower().endswith((".yaml", ".yml", ".nfg")) or "/" in source or os.sep in source


def _words(names: typing.Iterable[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _num(x: float) -> str:
    return f"{x:g}"


# -- reading -------------------------------------------------------------------------------------


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
    try:
        with open(shown, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError([Problem("no such file", file=shown)]) from None
    except IsADirectoryError:
        raise InputError([Problem("is a folder, not a sweep spec", file=shown)]) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot be read ({exc.strerror or exc})", file=shown)]) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError([Problem(f"file too large (more than {MAX_FILE_BYTES} bytes)",
                                  file=shown)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"not UTF-8 text (byte {exc.start})", file=shown)]) from None
    tree, problems = read_tree(text, shown)
    if tree is None:
        raise InputError(sorted_problems(
            to_problem(Issue(p.path, p.message), _single(p.mark), shown) for p in problems))
    spec = parse_sweep_spec(tree.data, file=shown, marks=tree.marks)
    from negsim.sources import load_source

    scenario = spec.scenario_source()
    if _looks_like_file(spec.scenario) and not os.path.exists(scenario):
        raise InputError([to_problem(Issue(("scenario",), f"no such file {scenario!r} (a path "
                                                          "is taken from the spec's folder)"),
                                     spec._marks, shown)])
    try:
        source = load_source(scenario)
    except InputError as exc:
        raise InputError(_scenario_problems(spec, exc)) from None
    check_against_scenario(spec, source.game)
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
        raise InputError(sorted_problems(_located(i, marks, file) for i in issues))
    assert spec is not None
    spec._file = file
    spec._marks = marks
    return spec


def _located(issue: Issue, marks: Marks | None, file: str | None) -> Problem:
    if file is None:
        return Problem(issue.message, path=format_path(
            (*issue.path, issue.key) if issue.key else issue.path))
    return to_problem(issue, marks, file)


def _kind_issues(data: dict) -> list[Issue]:
    given = [k for k in _KINDS if data.get(k) is not None]
    if len(given) == 1:
        return []
    if not given:
        return [Issue((), "say what to sweep: give one of grid, monte_carlo or one_at_a_time")]
    return [Issue((), f"give only one of grid, monte_carlo and one_at_a_time (found "
                      f"{_words(given)})", key=given[1])]


# -- pydantic errors in the spec's words ----------------------------------------------------------

_TYPE_WORDS = {
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
_PATTERNS = {
    r"^[a-z_][a-z0-9_]*$": "a name (lowercase letters, digits and _, not starting with a digit)",
    r"^[a-z0-9][a-z0-9-]*$": "an id (lowercase letters, digits and -, starting with a letter or "
    "digit)",
}


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
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
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
        what = _PATTERNS.get(ctx.get("pattern"), "a valid name")
        return Issue(path_t[:-1], f"{path_t[-1]!r} is not {what}", key=path_t[-1])
    if choice and path_t and path_t[-1] == "parameters" and kind in (
            "literal_error", "dict_type", "list_type"):
        other = "a mapping of parameter names" if "monte_carlo" in path_t else \
            "a list of parameter names"
        return Issue(path_t, f"expected 'all' or {other}, got {describe_value(value)}")
    if kind in _TYPE_WORDS:
        return Issue(path_t, f"expected {_TYPE_WORDS[kind]}, got {describe_value(value)}")
    if kind == "string_pattern_mismatch":
        what = _PATTERNS.get(ctx.get("pattern"), f"text matching {ctx.get('pattern')}")
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


# -- checks that need the scenario ------------------------------------------------------------


def check_against_scenario(spec: SweepSpec, game: Any) -> None:
    """Parameter names exist, ranges lie within min..max (unless allowed), the method exists,
    the sweep is not too large: an :class:`InputError` listing every problem."""
    issues = scenario_issues(spec, game)
    if issues:
        file = spec._file
        raise InputError(sorted_problems(_located(i, spec._marks, file) for i in issues)
                         if file else [_located(i, None, None) for i in issues])


def scenario_issues(spec: SweepSpec, game: Any) -> list[Issue]:
    from negsim.solve import METHODS

    issues: list[Issue] = []
    names = list(game.parameters)
    bounds = dict(game.bounds)

    def unknown(path: tuple, name: str) -> None:
        hint = did_you_mean(name, names) if names else " (the scenario has no parameters)"
        issues.append(Issue(path, f"unknown parameter {name!r}{hint}", key=name))

    def check_range(path: tuple, name: str, value: float) -> None:
        if spec.allow_outside_range:
            return
        low, high = bounds.get(name, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            issues.append(Issue(path, f"{_num(value)} is outside {name}'s range "
                                      f"{_range(low, high)} (add allow_outside_range: true to "
                                      "sweep beyond it)"))

    def needs_bounds(path: tuple, name: str, what: str) -> bool:
        low, high = bounds.get(name, (None, None))
        if low is None or high is None:
            issues.append(Issue(path, f"{name} has no min and max in the scenario; {what}"))
            return False
        return True

    if spec.method != "auto" and spec.method not in METHODS:
        issues.append(Issue(("method",), f"unknown method {spec.method!r}"
                                         f"{did_you_mean(spec.method, ['auto', *METHODS])}"))
    for name in spec.set:
        if name not in names:
            unknown(("set",), name)
    swept: list[str] = []
    if spec.grid is not None:
        for name, axis in spec.grid.items():
            if name not in names:
                unknown(("grid",), name)
                continue
            swept.append(name)
            if axis.values is not None:
                for k, v in enumerate(axis.values):
                    check_range(("grid", name, "values", k), name, v)
            else:
                check_range(("grid", name, "start"), name, axis.start)
                check_range(("grid", name, "stop"), name, axis.stop)
        from negsim.sweep.points import axis_length

        total = math.prod(axis_length(a) for a in spec.grid.values())
        if total > MAX_POINTS:
            issues.append(Issue(("grid",), f"{total:,} points; a sweep may have at most "
                                           f"{MAX_POINTS:,}"))
    elif spec.monte_carlo is not None:
        mc = spec.monte_carlo
        if mc.parameters == "all":
            for name in names:
                swept.append(name)
                needs_bounds(("monte_carlo", "parameters"), name,
                             "list the parameters to draw, each with low and high")
            if not names:
                issues.append(Issue(("monte_carlo", "parameters"),
                                    "the scenario has no parameters to draw"))
        else:
            for name, dist in mc.parameters.items():
                here = ("monte_carlo", "parameters", name)
                if name not in names:
                    unknown(("monte_carlo", "parameters"), name)
                    continue
                swept.append(name)
                issues += _distribution_issues(spec, here, name, dist, bounds, check_range)
    else:
        oat = spec.one_at_a_time
        chosen = names if oat.parameters == "all" else oat.parameters
        if oat.parameters == "all" and not names:
            issues.append(Issue(("one_at_a_time", "parameters"),
                                "the scenario has no parameters to move"))
        for k, name in enumerate(chosen):
            here = ("one_at_a_time", "parameters") if oat.parameters == "all" else \
                ("one_at_a_time", "parameters", k)
            if name not in names:
                issues.append(Issue(here, f"unknown parameter {name!r}{did_you_mean(name, names)}"))
                continue
            if name in swept:
                issues.append(Issue(here, f"{name} is listed twice"))
            swept.append(name)
            needs_bounds(here, name, "one-at-a-time ranges run from min to max")
        if len(chosen) * oat.count > MAX_POINTS:
            issues.append(Issue(("one_at_a_time",), f"{len(chosen) * oat.count:,} points; a "
                                                    f"sweep may have at most {MAX_POINTS:,}"))
    for name in spec.set:
        if name in swept:
            issues.append(Issue(("set",), f"{name} is both held fixed (set) and swept", key=name))
    return issues


def _distribution_issues(spec: SweepSpec, here: tuple, name: str, dist: Distribution,
                         bounds: dict, check_range: Any) -> list[Issue]:
    issues: list[Issue] = []
    low, high = bounds.get(name, (None, None))
    kind = dist.distribution
    if kind in ("uniform", "triangular"):
        for key, default in (("low", low), ("high", high)):
            given = getattr(dist, key)
            if given is None and default is None:
                issues.append(Issue(here, f"{name} has no {'min' if key == 'low' else 'max'} in "
                                          f"the scenario; give {key}"))
            elif given is not None:
                check_range((*here, key), name, given)
        lo = dist.low if dist.low is not None else low
        hi = dist.high if dist.high is not None else high
        if lo is not None and hi is not None and hi < lo:
            issues.append(Issue(here, f"high ({_num(hi)}) is below low ({_num(lo)})"))
        elif kind == "triangular" and lo is not None and hi is not None:
            mode = dist.mode
            if mode is not None and not lo <= mode <= hi:
                issues.append(Issue((*here, "mode"), f"mode must lie between low ({_num(lo)}) "
                                                     f"and high ({_num(hi)})"))
    elif kind == "normal":
        if dist.clip is False and not spec.allow_outside_range and (
                low is not None or high is not None):
            issues.append(Issue((*here, "clip"), "clip: false can draw values outside "
                                                 f"{name}'s range {_range(low, high)}; add "
                                                 "allow_outside_range: true"))
        if dist.mean is not None:
            check_range((*here, "mean"), name, dist.mean)
    elif kind == "choice":
        for k, v in enumerate(dist.values or []):
            check_range((*here, "values", k), name, v)
    return issues


def _range(low: float | None, high: float | None) -> str:
    return f"{'-inf' if low is None else _num(low)}..{'inf' if high is None else _num(high)}"


def spec_dict(spec: SweepSpec) -> dict:
    """The spec as plain data (what the manifest records), keys at their defaults left out."""
    return spec.model_dump(mode="json", exclude_none=True)


def spec_path(spec: SweepSpec) -> Path | None:
    return Path(spec._file) if spec._file else None
