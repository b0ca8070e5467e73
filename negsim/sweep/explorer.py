"""The explorer's grid: the parameter points a report page embeds, and their solving.

A page's sliders move over points negsim has already solved, so the page shows exactly what
negsim computes at the point it names. Which points (a :class:`SweepPlan`, from
:func:`plan_sweep`):

* the parameters that move the equilibria most (at most :data:`MAX_JOINT`, or those the user
  names) get a full grid, so their sliders move together;
* every other parameter with a range gets its own line of values with all the others at the
  base point (the defaults, with overrides): moving one of those sliders puts every other
  slider back at its base value;
* values lie on a "nice" lattice through the base value (steps of 1, 2, 2.5 or 5 times a power
  of ten), so the base point itself is always there, plus each range's two ends.

:func:`solve_plan` solves every point at once with :func:`negsim.solve.batch.solve_points` and
tabulates them as a sweep's table does (:func:`negsim.sweep.table.tabulate`): each point's
equilibria, each equilibrium's outcome and each point's equilibrium set carry the labels of
``negsim sweep``.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import ParametricGame
from negsim.solve import solve
from negsim.solve.batch import PointEquilibria, solve_points
from negsim.sweep.table import Labels, Tabulated, tabulate

__all__ = [
    "DEFAULT_POINTS",
    "MAX_JOINT",
    "MAX_SECONDS",
    "MIN_AXIS_VALUES",
    "Axis",
    "ExplorerPoints",
    "SweepPlan",
    "axis_values",
    "check_cost",
    "plan_sweep",
    "solve_plan",
]

#: Default cap on the number of parameter points of a page (about 1-2 MB for the default
#: scenario).
DEFAULT_POINTS = 4000
#: Parameters on the full grid, unless the user names them: three keep about 15 values each.
MAX_JOINT = 3
#: Values on the line of a parameter that moves alone.
LINE_VALUES = 21
#: Fewest values on any axis: the base value and the two ends of the range.
MIN_AXIS_VALUES = 3
#: Refuse (with advice) a page whose solving would take longer than this, estimated from one
#: solve of the base point: a teacher should not wait longer, and big games (sequential ones
#: in strategic form) can take seconds per point.
MAX_SECONDS = 300.0


@dataclass(frozen=True)
class Axis:
    """The values one parameter's slider moves over; ``joint`` axes form the full grid."""

    name: str
    values: tuple[float, ...]
    base_index: int
    joint: bool

    @property
    def base(self) -> float:
        return self.values[self.base_index]


@dataclass(frozen=True)
class SweepPlan:
    """The points a page embeds: a full grid over the joint axes, then one line per other axis.

    Point ``g`` of the grid has joint-axis indices ``np.unravel_index(g, grid_shape)`` (in
    parameter order); the line of axis ``a`` follows at ``line_offsets[a]``.
    """

    base: Mapping[str, float]
    axes: tuple[Axis, ...]
    fixed: tuple[str, ...]  # parameters without a range: no slider, always at the base value

    @property
    def joint(self) -> tuple[Axis, ...]:
        return tuple(a for a in self.axes if a.joint)

    @property
    def lines(self) -> tuple[Axis, ...]:
        return tuple(a for a in self.axes if not a.joint)

    @property
    def grid_shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.joint)

    @property
    def grid_size(self) -> int:
        return math.prod(self.grid_shape)

    @property
    def line_offsets(self) -> dict[str, int]:
        offsets, at = {}, self.grid_size
        for axis in self.lines:
            offsets[axis.name] = at
            at += len(axis.values)
        return offsets

    @property
    def n_points(self) -> int:
        return self.grid_size + sum(len(a.values) for a in self.lines)

    @property
    def base_point(self) -> int:
        return self.index({})

    def columns(self) -> dict[str, np.ndarray]:
        """Every parameter's value at every point, ready for :meth:`ParametricGame.evaluate`."""
        columns = {name: np.full(self.n_points, value, dtype=float) for name, value in self.base.items()}
        joint = self.joint
        if joint:
            mesh = np.meshgrid(*(np.array(a.values) for a in joint), indexing="ij")
            for axis, values in zip(joint, mesh):
                columns[axis.name][: self.grid_size] = values.ravel()
        for axis in self.lines:
            start = self.line_offsets[axis.name]
            columns[axis.name][start : start + len(axis.values)] = axis.values
        return columns

    def values_at(self, point: int) -> dict[str, float]:
        return {name: float(column[point]) for name, column in self.columns().items()}

    def index(self, moved: Mapping[str, int]) -> int:
        """The point with the axes in ``moved`` at the given value indices, the rest at base.

        As on the page: a line axis away from its base value names a point of its line (and
        may only move alone); otherwise the point is on the grid.
        """
        by_name = {a.name: a for a in self.axes}
        off_line = [n for n, k in moved.items() if not by_name[n].joint and k != by_name[n].base_index]
        if off_line:
            if len(off_line) > 1 or any(
                by_name[n].joint and k != by_name[n].base_index for n, k in moved.items()
            ):
                raise ValueError("a parameter off the grid moves alone")
            name = off_line[0]
            return self.line_offsets[name] + moved[name]
        indices = [moved.get(a.name, a.base_index) for a in self.joint]
        return int(np.ravel_multi_index(indices, self.grid_shape)) if indices else 0

    def slice_through_base(self, name: str) -> list[int]:
        """The points where only ``name`` moves, in the order of its values."""
        axis = next(a for a in self.axes if a.name == name)
        return [self.index({name: k}) for k in range(len(axis.values))]

    def describe(self) -> str:
        """One sentence for the page: how many points and how they are laid out."""
        parts = []
        if self.joint:
            dims = " x ".join(str(len(a.values)) for a in self.joint)
            names = ", ".join(a.name for a in self.joint)
            parts.append(f"a full grid of {dims} values over {names} (every combination)")
        if self.lines:
            sizes = sorted({len(a.values) for a in self.lines})
            size = str(sizes[0]) if len(sizes) == 1 else f"{sizes[0]} to {sizes[-1]}"
            parts.append(
                f"{size} values for each of the {len(self.lines)} other parameters, "
                "one at a time with the rest at the base point"
            )
        if not parts:
            return "1 point: the base point (no parameter has a range)."
        return f"{self.n_points} points: " + "; ".join(parts) + "."


def _tidy(value: float) -> float:
    # Lattice arithmetic leaves binary noise (0.30000000000000004); 12 digits remove it.
    return float(f"{value:.12g}") + 0.0


def _lattice_point(base: float, k: int, step: float) -> float:
    value = base + k * step
    # 0.7 - 7 * 0.1 is -1.1e-16, not 0: relative rounding alone cannot see that.
    return 0.0 if abs(value) < 1e-9 * step else _tidy(value)


def axis_values(base: float, low: float, high: float, max_count: int) -> tuple[float, ...]:
    """At most ``max_count`` values from ``low`` to ``high``: both ends, ``base``, and a lattice
    through ``base`` with the finest step of 1, 2, 2.5 or 5 times a power of ten that fits.

    >>> axis_values(4, 0, 10, 21)
    (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0)
    >>> axis_values(1.5, -4, 4, 9)
    (-4.0, -2.5, -0.5, 1.5, 3.5, 4.0)
    """
    low, high = min(low, base), max(high, base)
    ends = {float(low), float(base), float(high)}
    if high <= low or max_count < MIN_AXIS_VALUES:
        return tuple(sorted(ends))
    raw = (high - low) / (max_count - 1)
    exponent = math.floor(math.log10(raw))
    for power in range(exponent, exponent + 3):
        for multiple in (1, 2, 2.5, 5):
            step = multiple * 10.0**power
            if step < raw * (1 - 1e-12):
                continue
            first = math.ceil((low - base) / step - 1e-9)
            last = math.floor((high - base) / step + 1e-9)
            values = {_lattice_point(base, k, step) for k in range(first, last + 1)} | ends
            if len(values) <= max_count:
                return tuple(sorted(values))
    return tuple(sorted(ends))


def _ranged(game: ParametricGame, base: Mapping[str, float]) -> tuple[list[str], list[str]]:
    ranged, fixed = [], []
    for name in game.parameters:
        low, high = game.bounds.get(name, (None, None))
        if low is None or high is None or max(high, base[name]) <= min(low, base[name]):
            fixed.append(name)
        else:
            ranged.append(name)
    return ranged, fixed


def _bounds(game: ParametricGame, name: str) -> tuple[float, float]:
    low, high = game.bounds[name]
    return float(low), float(high)


def _integer_root(total: int, k: int) -> int:
    root = int(round(total ** (1.0 / k)))
    while root**k > total:
        root -= 1
    while (root + 1) ** k <= total:
        root += 1
    return root


def plan_sweep(
    game: ParametricGame,
    base: Mapping[str, float],
    *,
    points: int = DEFAULT_POINTS,
    vary: Sequence[str] | None = None,
) -> SweepPlan:
    """Choose the page's points: at most ``points`` of them.

    ``vary`` names the parameters to put on the full grid; without it, the (at most
    :data:`MAX_JOINT`) parameters whose lines change the equilibria most are chosen.
    """
    base = {name: float(base[name]) for name in game.parameters}
    ranged, fixed = _ranged(game, base)
    if points < 1:
        raise InputError([Problem(f"expected a positive number of points, got {points}", path="points")])
    if vary is not None:
        joint = _check_vary(game, vary, ranged, fixed)
    else:
        joint = _most_moving(game, base, ranged, points)
        # Few points: fewer parameters on the grid, so that every slider keeps its range.
        while joint and _needed(len(joint), len(ranged)) > points:
            joint.pop()
    lines = [n for n in ranged if n not in joint]
    needed = _needed(len(joint), len(ranged))
    if points < needed:
        raise InputError(
            [
                Problem(
                    f"{points} points are too few for {len(joint)} parameter(s) on the grid and "
                    f"{len(lines)} on their own lines: at least {needed} are needed",
                    path="points",
                )
            ]
        )
    # Lines take at most half of the points and the grid the rest; without a grid, the base
    # point stands for it.
    share = points // 2 if joint else points - 1
    per_line = max(MIN_AXIS_VALUES, min(LINE_VALUES, share // max(len(lines), 1)))
    line_axes = {n: axis_values(base[n], *_bounds(game, n), per_line) for n in lines}
    budget = points - sum(len(v) for v in line_axes.values())
    joint_axes = _fill_grid(game, base, joint, budget)
    axes = []
    for name in ranged:
        values = joint_axes.get(name) or line_axes[name]
        axes.append(Axis(name, values, values.index(base[name]), name in joint_axes))
    return SweepPlan(base=base, axes=tuple(axes), fixed=tuple(fixed))


def _needed(n_joint: int, n_ranged: int) -> int:
    """Fewest points for a plan: the smallest grid and the shortest lines."""
    return MIN_AXIS_VALUES**n_joint + MIN_AXIS_VALUES * (n_ranged - n_joint)


def _fill_grid(
    game: ParametricGame, base: Mapping[str, float], joint: Sequence[str], budget: int
) -> dict[str, tuple[float, ...]]:
    """Axes for the grid with at most ``budget`` points: equal counts first, then (since nice
    steps come in jumps) each axis refined once per round, in the order of ``joint`` (the one
    that moves the equilibria most first), while the grid still fits."""
    if not joint:
        return {}
    per_axis = _integer_root(budget, len(joint))
    axes = {n: axis_values(base[n], *_bounds(game, n), per_axis) for n in joint}
    refined = True
    while refined:
        refined = False
        for name in joint:
            finer = _finer(base[name], _bounds(game, name), axes[name])
            others = math.prod(len(axes[n]) for n in joint if n != name)
            if finer is not None and others * len(finer) <= budget:
                axes[name] = finer
                refined = True
    return axes


def _finer(base: float, bounds: tuple[float, float], values: tuple[float, ...]) -> tuple[float, ...] | None:
    """The next finer nice lattice than ``values`` (None past 1000 values)."""
    for count in range(len(values) + 1, 1000):
        finer = axis_values(base, *bounds, count)
        if len(finer) > len(values):
            return finer
    return None


def _check_vary(game: ParametricGame, vary: Sequence[str], ranged: list[str], fixed: list[str]) -> list[str]:
    problems = []
    for name in vary:
        if name not in game.parameters:
            problems.append(
                Problem(
                    f"unknown parameter {name!r}{did_you_mean(name, list(game.parameters))}", path="vary"
                )
            )
        elif name in fixed:
            problems.append(
                Problem(
                    f"{name!r} has no range (min and max) in the scenario, so it cannot be varied",
                    path="vary",
                )
            )
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(vary))


def _probe_values(n_ranged: int, points: int) -> int:
    return max(MIN_AXIS_VALUES, min(LINE_VALUES, (points // 2) // max(n_ranged, 1)))


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} minutes"


def _seconds_per_point(game: ParametricGame, base: Mapping[str, float]) -> float:
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solve(game.game(base))
    return max(time.perf_counter() - started, 1e-6)


def check_cost(game: ParametricGame, base: Mapping[str, float], *, points: int,
               vary: Sequence[str] | None, max_seconds: float = MAX_SECONDS) -> float:
    """Estimated seconds to solve a page's points (from one timed solve of the base point); an
    :class:`InputError` with advice when that exceeds ``max_seconds``."""
    per_point = _seconds_per_point(game, base)
    ranged, _ = _ranged(game, base)
    # Choosing the grid parameters solves one line per parameter first.
    probe = 0 if vary is not None else len(ranged) * _probe_values(len(ranged), points)
    estimate = per_point * (probe + points)
    if estimate > max_seconds:
        affordable = int(max_seconds / per_point)
        if vary is None and affordable - probe >= _needed(0, len(ranged)):
            advice = f"use --points {affordable - probe} or fewer"
        elif affordable >= _needed(len(vary or ()) or 1, len(ranged)):
            advice = (f"use --vary NAME (which skips the search for the sliders that move together) "
                      f"and --points {affordable} or fewer")
        else:
            advice = (f"a page needs at least {_needed(0, len(ranged))} points (three values per "
                      "parameter), too many for this game: use negsim run and negsim sweep instead")
        raise InputError([Problem(
            f"this game takes about {per_point:.2g} s to solve per point, so {points} points would "
            f"take about {_duration(estimate)}; {advice}", path="points")])
    return estimate


def _most_moving(
    game: ParametricGame, base: Mapping[str, float], ranged: list[str], points: int
) -> list[str]:
    """The parameters whose lines change the equilibria most often, most first (ties in
    parameter order)."""
    if not ranged:
        return []
    per_line = _probe_values(len(ranged), points)
    probe = SweepPlan(
        base=base,
        axes=tuple(
            Axis(n, v, v.index(base[n]), False)
            for n in ranged
            for v in [axis_values(base[n], *_bounds(game, n), per_line)]
        ),
        fixed=(),
    )
    sets = solve_plan(game, probe).point_sets
    changes = {}
    for axis in probe.axes:
        keys = [sets[p] for p in probe.slice_through_base(axis.name)]
        changes[axis.name] = sum(a != b for a, b in zip(keys, keys[1:]))
    moving = sorted((n for n in ranged if changes[n] > 0), key=lambda n: -changes[n])
    return moving[:MAX_JOINT]


# -- solving the points ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ExplorerPoints:
    """Every point of a plan solved: the payoffs (``(points, n, m_0, ...)``), the equilibria,
    each player's best responses at each point (:attr:`best`), and the sweep table of them
    (one row per point and equilibrium, with ``outcome`` and ``equilibrium_set`` labels as in
    ``negsim sweep``)."""

    game: ParametricGame
    plan: SweepPlan
    payoffs: np.ndarray
    equilibria: PointEquilibria
    table: Tabulated

    @cached_property
    def best(self) -> np.ndarray:
        """``best[p, i, profile]``: player ``i``'s strategy in ``profile`` is a best response at
        point ``p`` (as :meth:`negsim.game.Game.best_responses`)."""
        return np.stack([self.game.game_from_payoffs(self.payoffs[p], {}).best_responses()
                         for p in range(self.plan.n_points)])

    @property
    def point_sets(self) -> np.ndarray:
        """Each point's equilibrium-set label."""
        return self.table.point_sets

    @property
    def outcomes(self) -> list[str]:
        """Every outcome (one equilibrium's supports, ``limited / keep``) found at some point,
        in order of first appearance."""
        found = [o for o in self.table.columns["outcome"].tolist() if o is not None]
        return list(dict.fromkeys(found))

    def at(self, point: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """The equilibria of ``point``, in the solver's order: every player's probabilities in
        one flat vector, and the payoffs."""
        rows = np.flatnonzero(self.equilibria.point == point)
        return [(np.concatenate([s[e] for s in self.equilibria.strategies]), self.equilibria.payoffs[e])
                for e in rows]


def solve_plan(game: ParametricGame, plan: SweepPlan) -> ExplorerPoints:
    """Solve every point of ``plan`` (in one batch) and tabulate the equilibria."""
    values = plan.columns()
    payoffs = game.evaluate(values)
    with warnings.catch_warnings():
        # Degenerate points are flagged per point in the result and on the page.
        warnings.simplefilter("ignore")
        equilibria = solve_points(payoffs, infeasible=game.infeasible)
    labels = Labels.of(game)
    alive = [np.ones((plan.n_points, m), dtype=bool) for m in labels.shape]
    table = tabulate(labels, 0, values, None, equilibria, alive)
    return ExplorerPoints(game, plan, payoffs, equilibria, table)
