"""Sweep specs: which scenario, and which parameter points to solve it at (YAML, strict, versioned).

A spec names a scenario and exactly one way of choosing points: a ``grid`` (every combination of
each parameter's values), ``monte_carlo`` draws, or ``one_at_a_time`` ranges. These models check
each part on its own; :mod:`negsim.sweep.spec_loader` reads specs from files (placing every
problem at its line and column) and :mod:`negsim.sweep.spec_checks` checks a spec against its
scenario (parameter names, ranges). The format is described in ``docs/reference/run-folder.md``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    model_validator,
)

from negsim.compile.source import Source, load_source
from negsim.errors import InputError, Problem
from negsim.scenario.base import Identifier, Model, Number, ScenarioId, ShortText, Text
from negsim.scenario.issues import Issue, describe_value, to_problem
from negsim.scenario.loader import sort_problems
from negsim.scenario.yamltree import Marks
from negsim.sweep.dynamics_spec import DynamicsSweep
from negsim.sweep.settlement_spec import BargainingSweep, RepeatedSweep
from negsim.sweep.spec_errors import issues_from_validation, join_words, kind_issues, located, short_number

__all__ = [
    "FORMAT_VERSION",
    "KINDS",
    "MAX_POINTS",
    "Distribution",
    "GridAxis",
    "MonteCarlo",
    "OneAtATime",
    "SweepSpec",
    "equilibrium_concept",
    "parse_range",
    "parse_sweep_spec",
    "spec_dict",
]

#: The spec format version this code reads.
FORMAT_VERSION = 1
#: Most points one sweep may have (a grid's product, draws, or ranges x count).
MAX_POINTS = 100_000_000
#: The kinds of sweep; a spec gives exactly one.
KINDS = ("grid", "monte_carlo", "one_at_a_time")


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
                raise ValueError(
                    f"give either values or start/stop, not both (found values and {', '.join(ranged)})"
                )
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
            raise ValueError(f"stop ({short_number(self.stop)}) is below start ({short_number(self.start)})")
        if self.count is not None and self.count > 1 and self.stop == self.start:
            raise ValueError("start equals stop; give count: 1 or a wider range")
        if self.step is not None:
            if self.scale == "log":
                raise ValueError("scale: log takes count (points evenly spread on a log scale), not step")
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
        extra = [
            k
            for k in ("low", "high", "mode", "mean", "sd", "clip", "values", "weights")
            if getattr(self, k) is not None and k not in allowed
        ]
        if extra:
            raise ValueError(f"{self.distribution} takes {join_words(allowed)}, not {join_words(extra)}")
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
            raise ValueError(f"high ({short_number(self.high)}) is below low ({short_number(self.low)})")
        if self.distribution == "triangular" and self.mode is not None:
            if (self.low is not None and self.mode < self.low) or (
                self.high is not None and self.mode > self.high
            ):
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
    """Equilibrium method (as ``negsim solve --method``) for Nash equilibria."""
    formats: list[Literal["csv", "json", "jsonl", "parquet"]] | None = Field(
        default=None, min_length=1, max_length=4
    )
    """The results table's formats in the run folder (``negsim sweep --formats``): ``csv``,
    ``json`` (an array, JSON Lines above 100,000 points), ``jsonl``, ``parquet``. By default
    Parquet and CSV when pyarrow is installed (Parquet alone above 100,000 points), else CSV."""
    equilibrium: Literal["subgame-perfect", "nash"] | None = None
    """For a scenario with ``timing``, ``types`` or a ``tree`` (or a ``.efg`` file):
    ``subgame-perfect`` (the default for them: backward induction, every subgame-perfect
    equilibrium of each point) or ``nash`` (the Nash equilibria of the reduced strategic
    form, whose strategies are plans). Other scenarios have Nash equilibria only."""
    stability: Literal["R", "GMR", "SMR", "SEQ", "SIM", "GMR+SIM", "SMR+SIM", "SEQ+SIM"] | None = None
    """For a conflict in option form (players with yes/no options): the stability concept whose
    equilibria (states stable for every decision maker) the table lists and the tipping points
    follow: ``R`` (Nash), ``GMR``, ``SMR``, ``SEQ``, ``SIM`` or ``GMR+SIM``, ``SMR+SIM``,
    ``SEQ+SIM``. The default for option-form scenarios is ``SEQ`` (sequential stability);
    every row also says which of the basic concepts hold. ``equilibrium: nash`` sweeps the
    conflict's normal form instead."""
    credibility: list[ShortText] | None = Field(default=None, min_length=1, max_length=100)
    """Responses whose credibility is recorded at each point, named as ``negsim
    credibility --threat`` names them: ``["sanction after full"]`` (subgame-perfect sweeps of
    game trees)."""
    dynamics: DynamicsSweep | None = None
    """Learning dynamics at every point instead of the equilibria alone: where best responses,
    fictitious play, the replicator and the logit QRE go, and (with ``basins``) the share of
    random starts each equilibrium attracts; ``follow`` picks the one the tipping points follow
    (:mod:`negsim.sweep.dynamics_spec`)."""
    bargaining: BargainingSweep | None = None
    """Sweep a bargaining solution's agreement instead of equilibria: ``{solution: nash}``,
    with any of the scenario's ``bargaining`` declarations changed for the sweep."""
    repeated: RepeatedSweep | None = None
    """Sweep whether an outcome can last in repeated play instead of equilibria:
    ``{cooperation: [store, incentives]}``, with any of the scenario's ``repeated``
    declarations changed for the sweep."""
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
    _source: Source | None = PrivateAttr(default=None)

    @classmethod
    def from_ranges(
        cls,
        scenario: str | Source,
        grid: Mapping[str, RangeLike] | None = None,
        *,
        monte_carlo: int | None = None,
        draws: Mapping[str, RangeLike | None] | None = None,
        seed: int | None = None,
        one_at_a_time: Sequence[str] | None = None,
        count: int | None = None,
        set: Mapping[str, float] | None = None,  # noqa: A002 (the spec's own key)
        method: str = "auto",
        equilibrium: str | None = None,
        credibility: Sequence[str] | None = None,
        allow_outside_range: bool = False,
        id: str | None = None,  # noqa: A002
        stability: str | None = None,
        title: str | None = None,
        dynamics: str | Mapping[str, Any] | None = None,
        bargaining: Mapping[str, Any] | None = None,
        repeated: Mapping[str, Any] | None = None,
    ) -> SweepSpec:
        """A sweep of ``scenario`` (an id, a file, or a loaded source) from ranges, without a
        spec file.

        Give exactly one kind: ``grid`` (``{"sanction_cost": "0:10:201"}``; a range is
        ``start:stop:count``, ``start:stop:count:log``, ``v1,v2,...``, a sequence of values or a
        mapping ``{start, stop, count}``), ``monte_carlo`` (a number of draws; ``draws`` names the
        parameters drawn, each ``None`` for its min..max or ``"low:high"``; all of them by
        default), or ``one_at_a_time`` (parameter names, ``[]`` for all; ``count`` points each).

        >>> spec = SweepSpec.from_ranges("s400-2025-limited-use", {"sanction_cost": "0:10:5"})
        >>> spec.grid["sanction_cost"].count, spec.id
        (5, 's400-2025-limited-use')
        """
        source = scenario if isinstance(scenario, Source) else load_source(scenario)
        origin = source.origin if isinstance(scenario, Source) else scenario
        kinds = [
            k
            for k, given in (
                ("grid", grid is not None),
                ("monte_carlo", monte_carlo is not None),
                ("one_at_a_time", one_at_a_time is not None),
            )
            if given
        ]
        if len(kinds) != 1:
            raise InputError(
                [
                    Problem(
                        "give exactly one of grid, monte_carlo and one_at_a_time"
                        + (f" (found {join_words(kinds)})" if kinds else "")
                    )
                ]
            )
        data: dict[str, Any] = {
            "negsim_sweep": FORMAT_VERSION,
            "id": id or _run_id(source.game.id, origin),
            "scenario": origin,
            "set": dict(set or {}),
            "method": method,
            "allow_outside_range": allow_outside_range,
        }
        if title is not None:
            data["title"] = title
        if equilibrium is not None:
            data["equilibrium"] = equilibrium
        if stability is not None:
            data["stability"] = stability
        if credibility:
            data["credibility"] = list(credibility)
        if dynamics is not None:
            data["dynamics"] = {"follow": dynamics} if isinstance(dynamics, str) else dict(dynamics)
        for key, section in (("bargaining", bargaining), ("repeated", repeated)):
            if section is not None:
                data[key] = dict(section)
        if grid is not None:
            data["grid"] = {name: parse_range(name, value) for name, value in grid.items()}
        elif monte_carlo is not None:
            drawn = {name: _distribution(name, value) for name, value in (draws or {}).items()}
            data["monte_carlo"] = {
                "draws": monte_carlo,
                "parameters": drawn or "all",
                **({"seed": seed} if seed is not None else {}),
            }
        else:
            data["one_at_a_time"] = {
                "parameters": list(one_at_a_time or ()) or "all",
                **({"count": count} if count is not None else {}),
            }
        spec = parse_sweep_spec(data)
        spec._source = source
        return spec

    def with_options(
        self,
        *,
        set: Mapping[str, float] | None = None,  # noqa: A002
        method: str | None = None,
        equilibrium: str | None = None,
        credibility: Sequence[str] | None = None,
        allow_outside_range: bool | None = None,
        seed: int | None = None,
        dynamics: str | None = None,
        stability: str | None = None,
        bargaining: Mapping[str, Any] | None = None,
        repeated: Mapping[str, Any] | None = None,
    ) -> SweepSpec:
        """This spec with some keys replaced: ``set`` adds to the spec's held values, ``seed``
        reseeds its Monte Carlo draws, ``dynamics`` names what a dynamics sweep follows; the
        others replace the spec's keys."""
        update: dict[str, Any] = {}
        if set:
            update["set"] = {**self.set, **set}
        if method is not None:
            update["method"] = method
        if equilibrium is not None:
            update["equilibrium"] = equilibrium
        if credibility:
            update["credibility"] = list(credibility)
        if stability is not None:
            update["stability"] = parse_sweep_spec({**spec_dict(self), "stability": stability}).stability
        if allow_outside_range is not None:
            update["allow_outside_range"] = allow_outside_range
        if dynamics is not None:
            given = {**(spec_dict(self).get("dynamics") or {}), "follow": dynamics}
            update["dynamics"] = parse_sweep_spec({**spec_dict(self), "dynamics": given}).dynamics
        for key, section in (("bargaining", bargaining), ("repeated", repeated)):
            if section is not None:
                update[key] = getattr(parse_sweep_spec({**spec_dict(self), key: dict(section)}), key)
        if seed is not None:
            if self.monte_carlo is None:
                raise InputError([Problem("a seed seeds Monte Carlo draws; this spec has none", path="seed")])
            update["monte_carlo"] = self.monte_carlo.model_copy(update={"seed": seed})
        return self.model_copy(update=update) if update else self

    @property
    def source(self) -> Source:
        """The scenario, loaded (once)."""
        if self._source is None:
            self._source = load_source(self.scenario_source())
        return self._source

    @property
    def kind(self) -> str:
        """``grid``, ``monte_carlo`` or ``one_at_a_time``."""
        for name in KINDS:
            if getattr(self, name) is not None:
                return name
        raise ValueError("the spec names no kind of sweep")

    @property
    def file(self) -> str | None:
        """The spec file this spec was read from, if any."""
        return self._file

    def scenario_source(self) -> str:
        """The scenario as :func:`negsim.compile.source.load_source` takes it: a built-in id stays as
        it is, a file name is taken relative to the spec's folder."""
        if self._file and looks_like_file(self.scenario) and not os.path.isabs(self.scenario):
            return os.path.normpath(os.path.join(os.path.dirname(self._file), self.scenario))
        return self.scenario


def equilibrium_concept(spec: SweepSpec, is_tree: bool) -> str:
    """``subgame-perfect`` or ``nash``: what the sweep solves for (the spec's ``equilibrium``,
    by default subgame-perfect for game trees and Nash for strategic games)."""
    if spec.equilibrium is not None:
        return spec.equilibrium
    return "subgame-perfect" if is_tree else "nash"


def looks_like_file(source: str) -> bool:
    return source.lower().endswith((".yaml", ".yml", ".nfg")) or "/" in source or os.sep in source


def spec_dict(spec: SweepSpec) -> dict:
    """The spec as plain data, as the manifest records it: every key with its value as run
    (defaults included), keys without a value left out."""
    return spec.model_dump(mode="json", exclude_none=True)


# -- checking data as a spec ---------------------------------------------------------------------


def parse_sweep_spec(data: object, *, file: str | None = None, marks: Marks | None = None) -> SweepSpec:
    """Check plain data as a sweep spec; every problem of its shape at once.

    ``file`` and ``marks`` (from :func:`negsim.scenario.yamltree.read_tree`) place problems in
    a file; without them problems are located by key path only.
    """
    shown = file or ""
    if not isinstance(data, dict):
        got = "an empty document" if data is None else describe_value(data)
        raise InputError(
            [to_problem(Issue((), f"expected a mapping of keys (a sweep spec), got {got}"), marks, shown)]
        )
    issues = kind_issues(data, KINDS)
    spec = None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        issues += issues_from_validation(exc, SweepSpec)
    if issues:
        raise InputError(sort_problems(located(i, marks, file) for i in issues))
    assert spec is not None
    spec._file = file
    spec._marks = marks
    return spec


# -- ranges as text ------------------------------------------------------------------------------

#: A range of a grid axis or a Monte Carlo draw, as text (``"0:10:201"``) or values.
RangeLike = str | Sequence[float] | Mapping[str, Any]


def parse_range(name: str, value: RangeLike) -> dict[str, Any]:
    """A grid axis from ``start:stop:count``, ``start:stop:count:log``, ``v1,v2,...``, a
    sequence of values (a list, tuple or array: the values themselves) or a :class:`GridAxis`
    mapping (``{"start": 0, "stop": 10, "count": 5}``).

    >>> parse_range("x", "0:10:3:log")
    {'start': 0.0, 'stop': 10.0, 'count': 3, 'scale': 'log'}
    >>> parse_range("x", "1,2.5")
    {'values': [1.0, 2.5]}
    """
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str):
        return {"values": [float(v) for v in value]}
    item = f"{name}={value}"
    if not value.strip():
        raise InputError(
            [Problem(f"expected name=start:stop:count or name=v1,v2,...; got {item!r}", path="grid")]
        )
    if ":" in value:
        parts = value.split(":")
        if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3].strip() not in ("log", "linear")):
            raise InputError(
                [Problem(f"{item}: expected start:stop:count or start:stop:count:log", path="grid")]
            )
        axis: dict[str, Any] = {
            "start": _number(parts[0], item),
            "stop": _number(parts[1], item),
            "count": _whole(parts[2], item),
        }
        if len(parts) == 4:
            axis["scale"] = parts[3].strip()
        return axis
    return {"values": [_number(v, item) for v in value.split(",")]}


def _distribution(name: str, value: RangeLike | None) -> dict[str, Any]:
    """A Monte Carlo draw: uniform over the parameter's min..max (``None``), over ``low:high``,
    or a :class:`Distribution` mapping."""
    if value is None:
        return {"distribution": "uniform"}
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str):
        low, high = value
        return {"distribution": "uniform", "low": float(low), "high": float(high)}
    item = f"{name}={value}"
    parts = value.split(":")
    where = "monte_carlo.parameters"
    if len(parts) != 2:
        raise InputError([Problem(f"{item}: expected low:high", path=where)])
    return {
        "distribution": "uniform",
        "low": _number(parts[0], item, where),
        "high": _number(parts[1], item, where),
    }


def _number(text: str, item: str, path: str = "grid") -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError([Problem(f"{item}: expected a number, got {text.strip()!r}", path=path)]) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError([Problem(f"{item}: expected a finite number, got {text!r}", path=path)])
    return value


def _whole(text: str, item: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(
            [Problem(f"{item}: expected a whole number of points, got {text.strip()!r}", path="grid")]
        ) from None


def _run_id(game_id: str, source: str) -> str:
    """A sweep id from the game's id (or the file's name): what names the run folder."""
    text = game_id or Path(source).stem
    text = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return text[:100] or "sweep"
