"""The points of a sweep: grids, Monte Carlo draws and one-at-a-time ranges.

A :class:`PointSet` knows how many points a sweep has and computes the parameter values of any
range of them on demand (:meth:`PointSet.columns`), so a million-point sweep never holds all
its points at once. Point ``k`` is the same whatever the chunking:

- grid: every combination of the axes' values, the first axis varying slowest (row-major);
- Monte Carlo: draws are made in fixed blocks of :data:`DRAW_BLOCK` points, block ``b`` from
  ``numpy.random.default_rng([seed, b])``, each parameter in the spec's order; so a seed gives
  the same points on any machine, with any number of workers;
- one at a time: the first parameter's ``count`` points, then the second's, and so on; the
  parameters not moved stay at their defaults (with the spec's ``set`` applied).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from negsim.game import ParametricGame
from negsim.sweep.spec import Distribution, GridAxis, SweepSpec

__all__ = [
    "DRAW_BLOCK",
    "Draw",
    "Line",
    "PointSet",
    "axis_length",
    "axis_values",
    "build_points",
]

#: Monte Carlo points are drawn in blocks of this many, each block from its own seeded stream.
DRAW_BLOCK = 65_536


def _known(value: float | None) -> float:
    """A number the spec's checks guarantee is there."""
    if value is None:
        raise ValueError("a checked sweep spec lacks a number")
    return float(value)


def axis_length(axis: GridAxis) -> int:
    """Number of values of a grid axis (without computing them)."""
    if axis.values is not None:
        return len(axis.values)
    if axis.count is not None:
        return axis.count
    # The small relative allowance keeps ``stop`` when rounding puts it a hair beyond.
    span = _known(axis.stop) - _known(axis.start)
    return int(math.floor(span / _known(axis.step) * (1 + 1e-9))) + 1


def axis_values(axis: GridAxis) -> np.ndarray:
    """The values of a grid axis, increasing; evenly spaced values are rounded to 12
    significant digits so that 0.1 steps read 0.3, not 0.30000000000000004."""
    if axis.values is not None:
        return np.array(axis.values, dtype=float)
    n = axis_length(axis)
    start = _known(axis.start)
    stop = _known(axis.stop) if axis.stop is not None else start
    values: np.ndarray
    if n == 1:
        return np.array([start])
    if axis.scale == "log":
        # Relative rounding per value: log axes span orders of magnitude.
        values = np.geomspace(start, stop, n)
        return np.array([float(f"{v:.12g}") for v in values.tolist()])
    elif axis.count is not None:
        values = np.linspace(start, stop, n)
    else:
        values = start + _known(axis.step) * np.arange(n)
    values = _tidy(values)
    if axis.count is not None:
        values[0], values[-1] = start, stop
    return values


def _tidy(values: np.ndarray) -> np.ndarray:
    """Round away the last bits of floating-point noise: 12 significant digits of the axis's
    largest magnitude (vectorised: axes can have millions of values)."""
    scale = float(np.max(np.abs(values))) if len(values) else 0.0
    if scale == 0.0:
        return values.astype(float)
    return np.round(values, 11 - math.floor(math.log10(scale))) + 0.0


@dataclass(frozen=True)
class Draw:
    """One parameter's Monte Carlo distribution with every default filled in."""

    parameter: str
    distribution: str
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.distribution == "uniform":
            return rng.uniform(_known(self.low), _known(self.high), size)
        if self.distribution == "normal":
            drawn = rng.normal(_known(self.mean), _known(self.sd), size)
            low = -np.inf if self.low is None else self.low
            high = np.inf if self.high is None else self.high
            return np.clip(drawn, low, high)
        if self.distribution == "triangular":
            if self.high == self.low:
                # numpy refuses an empty interval; every draw is then that one value.
                rng.random(size)
                return np.full(size, _known(self.low))
            return rng.triangular(_known(self.low), _known(self.mode), _known(self.high), size)
        weights = np.array(self.weights or [1.0] * len(self.values), dtype=float)
        return rng.choice(np.array(self.values, dtype=float), size, p=weights / weights.sum())


@dataclass(frozen=True)
class Line:
    """Points along which one parameter rises while the others stay put: where tipping points
    are looked for. ``points`` are point indices in increasing order of ``parameter``."""

    parameter: str
    points: np.ndarray
    fixed: Mapping[str, float]


@dataclass(frozen=True, eq=False)
class PointSet:
    """Which points a sweep visits; see the module docstring for their order."""

    kind: str  # grid | monte_carlo | one_at_a_time
    parameters: tuple[str, ...]  # every parameter of the scenario, scenario order
    swept: tuple[str, ...]  # the parameters that move, spec order
    base: Mapping[str, float]  # every parameter's value where it does not move
    n_points: int
    axes: tuple[np.ndarray, ...] = ()  # grid: values per swept parameter; OAT: range
    draws: tuple[Draw, ...] = ()
    seed: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def columns(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Every parameter's value at points ``start .. stop-1``."""
        start, stop = max(0, start), min(self.n_points, stop)
        if self.kind == "monte_carlo":
            return self._complete(self._drawn_columns(start, stop), max(0, stop - start))
        return self.columns_at(np.arange(start, stop))

    def columns_at(self, index: np.ndarray) -> dict[str, np.ndarray]:
        """Every parameter's value at the points ``index`` (grids and one-at-a-time ranges)."""
        index = np.asarray(index, dtype=np.int64)
        if self.kind == "grid":
            moving = self._grid_columns(index)
        elif self.kind == "one_at_a_time":
            moving = self._oat_columns(index)
        else:
            raise ValueError("Monte Carlo points are drawn in order; use columns(start, stop)")
        return self._complete(moving, len(index))

    def _complete(self, moving: dict[str, np.ndarray], size: int) -> dict[str, np.ndarray]:
        return {
            name: moving[name] if name in moving else np.full(size, self.base[name], dtype=float)
            for name in self.parameters
        }

    def varied(self, start: int, stop: int) -> np.ndarray | None:
        """One-at-a-time: the name of the parameter moved at each point; otherwise ``None``."""
        if self.kind != "one_at_a_time":
            return None
        count = len(self.axes[0])
        names = np.array(self.swept, dtype=object)
        return names[np.arange(start, stop) // count]

    def at(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Full columns for points given by some parameters' values; the rest at ``base``."""
        size = len(next(iter(values.values())))
        return {
            name: np.asarray(values[name], dtype=float)
            if name in values
            else np.full(size, self.base[name], dtype=float)
            for name in self.parameters
        }

    # -- grid ----------------------------------------------------------------------------------

    @property
    def grid_shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.axes)

    def _grid_columns(self, index: np.ndarray) -> dict[str, np.ndarray]:
        where = np.unravel_index(index, self.grid_shape)
        return {name: self.axes[k][where[k]] for k, name in enumerate(self.swept)}

    # -- Monte Carlo -----------------------------------------------------------------------------

    def _block(self, b: int) -> dict[str, np.ndarray]:
        cached = self._cache.get("block")
        if cached is not None and cached[0] == b:
            block: dict[str, np.ndarray] = cached[1]
            return block
        rng = np.random.default_rng([int(_known(self.seed)), b])
        size = min(DRAW_BLOCK, self.n_points - b * DRAW_BLOCK)
        block = {d.parameter: d.sample(rng, size) for d in self.draws}
        self._cache["block"] = (b, block)
        return block

    def _drawn_columns(self, start: int, stop: int) -> dict[str, np.ndarray]:
        parts: dict[str, list[np.ndarray]] = {d.parameter: [] for d in self.draws}
        for b in range(start // DRAW_BLOCK, (stop - 1) // DRAW_BLOCK + 1 if stop > start else 0):
            block = self._block(b)
            lo = max(start - b * DRAW_BLOCK, 0)
            hi = min(stop - b * DRAW_BLOCK, DRAW_BLOCK)
            for name, values in block.items():
                parts[name].append(values[lo:hi])
        return {name: np.concatenate(p) if p else np.zeros(0) for name, p in parts.items()}

    # -- one at a time -------------------------------------------------------------------------

    def _oat_columns(self, index: np.ndarray) -> dict[str, np.ndarray]:
        count = len(self.axes[0])
        which, step = index // count, index % count
        columns = {}
        for k, name in enumerate(self.swept):
            column = np.full(len(index), self.base[name], dtype=float)
            mine = which == k
            column[mine] = self.axes[k][step[mine]]
            columns[name] = column
        return columns

    # -- lines for tipping points ------------------------------------------------------------

    def lines(self) -> Iterator[Line]:
        """Every line of the sweep: each grid axis at every combination of the other axes'
        values, and each one-at-a-time range. Monte Carlo sweeps have none."""
        if self.kind == "one_at_a_time":
            count = len(self.axes[0])
            for k, name in enumerate(self.swept):
                # The others sit at their base values, the same on every line: not repeated.
                yield Line(name, np.arange(k * count, (k + 1) * count), {})
        elif self.kind == "grid":
            shape = self.grid_shape
            strides = [math.prod(shape[k + 1 :]) for k in range(len(shape))]
            for k, name in enumerate(self.swept):
                if shape[k] < 2:
                    continue
                others = [j for j in range(len(shape)) if j != k]
                for combo in np.ndindex(*[shape[j] for j in others]):
                    first = sum(i * strides[j] for i, j in zip(combo, others))
                    fixed = {self.swept[j]: float(self.axes[j][i]) for i, j in zip(combo, others)}
                    yield Line(name, first + strides[k] * np.arange(shape[k]), fixed)

    def n_lines(self) -> int:
        if self.kind == "one_at_a_time":
            return len(self.swept)
        if self.kind == "grid":
            shape = self.grid_shape
            return sum(math.prod(shape) // n for n in shape if n >= 2)
        return 0


def build_points(spec: SweepSpec, game: ParametricGame, *, seed: int | None = None) -> PointSet:
    """The points of ``spec`` for ``game`` (a :class:`negsim.game.ParametricGame`).

    The spec must have been checked against the game
    (:func:`negsim.sweep.spec_checks.check_against_scenario`). ``seed`` replaces the spec's Monte
    Carlo seed; when neither gives one, a fresh seed is chosen (and recorded on the result).
    """
    parameters = tuple(game.parameters)
    base = {**dict(game.defaults), **{k: float(v) for k, v in spec.set.items()}}
    bounds = dict(game.bounds)
    if spec.grid is not None:
        axes = tuple(axis_values(a) for a in spec.grid.values())
        return PointSet(
            "grid", parameters, tuple(spec.grid), base, math.prod(len(a) for a in axes), axes=axes
        )
    if spec.monte_carlo is not None:
        mc = spec.monte_carlo
        if mc.parameters == "all":
            draws = tuple(Draw(name, "uniform", *bounds[name]) for name in parameters)
        else:
            draws = tuple(
                _draw(name, d, base[name], bounds.get(name, (None, None)))
                for name, d in mc.parameters.items()
            )
        chosen = seed if seed is not None else mc.seed
        if chosen is None:
            chosen = secrets.randbits(63)
        return PointSet(
            "monte_carlo",
            parameters,
            tuple(d.parameter for d in draws),
            base,
            mc.draws,
            draws=draws,
            seed=int(chosen),
        )
    oat = spec.one_at_a_time
    assert oat is not None  # a spec has exactly one kind
    names = parameters if oat.parameters == "all" else tuple(oat.parameters)
    axes = tuple(
        _tidy(np.linspace(_known(bounds[name][0]), _known(bounds[name][1]), oat.count)) for name in names
    )
    return PointSet("one_at_a_time", parameters, names, base, len(names) * oat.count, axes=axes)


def _draw(name: str, d: Distribution, value: float, bounds: tuple) -> Draw:
    low, high = bounds
    if d.distribution == "uniform":
        return Draw(name, "uniform", _given(d.low, low), _given(d.high, high))
    if d.distribution == "normal":
        clip = d.clip is not False
        return Draw(
            name, "normal", low if clip else None, high if clip else None, mean=_given(d.mean, value), sd=d.sd
        )
    if d.distribution == "triangular":
        lo, hi = _given(d.low, low), _given(d.high, high)
        mode = d.mode if d.mode is not None else min(max(value, lo), hi)
        return Draw(name, "triangular", lo, hi, mode=mode)
    return Draw(name, "choice", values=tuple(d.values or ()), weights=tuple(d.weights or ()))


def _given(value: float | None, default: float | None) -> float:
    return _known(value if value is not None else default)
