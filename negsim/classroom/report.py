"""The report page: one self-contained HTML file to explore a scenario in class.

The page holds the story with its sources, the payoff matrix with best responses, the
equilibria, questions with hidden answers, and a precomputed sweep. Its sliders move over
parameter points whose games negsim has already solved, so the page shows exactly what negsim
computes at the point it names, and needs no server and no network.

Which points (a :class:`SweepPlan`):

* the parameters that move the equilibria most (at most :data:`MAX_JOINT`, or those the user
  names) get a full grid, so their sliders move together;
* every other parameter with a range gets its own line of values with all the others at the
  base point (the defaults, with ``--set`` overrides): moving one of those sliders puts every
  other slider back at its base value;
* values lie on a "nice" lattice through the base value (steps of 1, 2, 2.5 or 5 times a power
  of ten), so the base point itself is always on the page, plus each range's two ends.

The embedded data (:func:`page_data`) is compact JSON: per point the payoffs, the best
responses as a string of ``0``/``1`` and the equilibria as probability and payoff lists.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import shlex
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

import negsim
from negsim.compile.source import Source, load_source
from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import Game, ParametricGame
from negsim.io.atomic import refuse_existing, write_text_atomic
from negsim.solve import analyze, solve
from negsim.solve.batch import solve_points
from negsim.solve.welfare import best_responses

__all__ = [
    "DEFAULT_POINTS",
    "MAX_JOINT",
    "Axis",
    "SweepPlan",
    "axis_values",
    "check_cost",
    "format_number",
    "page_data",
    "plan_sweep",
    "read_page_data",
    "render_report",
    "write_report",
]

#: Default cap on the number of parameter points embedded in a page (about 1-2 MB for the
#: default scenario).
DEFAULT_POINTS = 4000
#: Parameters on the full grid, unless the user names them: three keep about 15 values each.
MAX_JOINT = 3
#: Values on the line of a parameter that moves alone.
LINE_VALUES = 21
#: Fewest values on any axis: the base value and the two ends of the range.
MIN_AXIS_VALUES = 3
#: Cells x players x points beyond this would make a page too heavy to open.
MAX_PAYOFF_NUMBERS = 3_000_000
#: Stored numbers keep 9 decimals: far below what the page shows, far above solver noise.
DECIMALS = 9
#: Refuse (with advice) a page whose solving would take longer than this, estimated from one
#: solve of the base point: a teacher should not wait longer, and big games (sequential ones
#: in strategic form) can take seconds per point.
MAX_SECONDS = 300.0

_PACKAGE = "negsim.classroom"
_DATA_ID = "negsim-data"


# -- which points ------------------------------------------------------------------------------


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
        raise InputError([Problem(f"expected a positive number of points, got {points}", path="--points")])
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
                    path="--points",
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
                    f"unknown parameter {name!r}{did_you_mean(name, list(game.parameters))}", path="--vary"
                )
            )
        elif name in fixed:
            problems.append(
                Problem(
                    f"{name!r} has no range (min and max) in the scenario, so it cannot be varied",
                    path="--vary",
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
            f"take about {_duration(estimate)}; {advice}", path="--points")])
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
    payoffs = game.evaluate(probe.columns())
    solved = _solve(payoffs, game.infeasible)
    supports = _supports_by_point(solved, probe.n_points)
    changes = {}
    for axis in probe.axes:
        keys = [supports[p] for p in probe.slice_through_base(axis.name)]
        changes[axis.name] = sum(a != b for a, b in zip(keys, keys[1:]))
    moving = sorted((n for n in ranged if changes[n] > 0), key=lambda n: -changes[n])
    return moving[:MAX_JOINT]


def _solve(payoffs: np.ndarray, infeasible: np.ndarray | None):
    with warnings.catch_warnings():
        # Degenerate points are flagged per point in the result and on the page.
        warnings.simplefilter("ignore")
        return solve_points(payoffs, infeasible=infeasible)


def _supports_by_point(solved, n_points: int) -> list[tuple]:
    supports: list[list] = [[] for _ in range(n_points)]
    for e, p in enumerate(solved.point):
        supports[p].append(tuple(tuple(np.flatnonzero(s[e] > 0)) for s in solved.strategies))
    return [tuple(sorted(s)) for s in supports]


# -- the embedded data -------------------------------------------------------------------------


def _number(value: float) -> float | int:
    value = round(float(value), DECIMALS) + 0.0
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def page_data(game: ParametricGame, plan: SweepPlan) -> dict[str, Any]:
    """Everything the page's script needs: labels, sliders, and every point's game and equilibria."""
    n = len(game.players)
    cells = math.prod(game.shape)
    if n * cells * plan.n_points > MAX_PAYOFF_NUMBERS:
        raise InputError(
            [
                Problem(
                    f"{plan.n_points} points of a game with {cells} profiles would make the page too large; "
                    f"use --points {max(1, MAX_PAYOFF_NUMBERS // (n * cells))} or fewer",
                    path="--points",
                )
            ]
        )
    payoffs = game.evaluate(plan.columns())
    solved = _solve(payoffs, game.infeasible)
    equilibria: list[list] = [[] for _ in range(plan.n_points)]
    for e, p in enumerate(solved.point):
        probabilities = [_number(x) for s in solved.strategies for x in s[e]]
        equilibria[p].append([probabilities, [_number(x) for x in solved.payoffs[e]]])
    best = []
    for p in range(plan.n_points):
        game_at = game.game_from_payoffs(payoffs[p], {})
        best.append("".join("1" if b else "0" for b in best_responses(game_at).ravel()))
    offsets = plan.line_offsets
    return {
        "version": 1,
        # A Game fills in missing names with ids; a ParametricGame (e.g. a sequential scenario
        # in strategic form) may leave them empty.
        "players": [{"id": pid, "name": name}
                    for pid, name in zip(game.players, game.player_names or game.players)],
        "strategies": [
            [{"id": sid, "name": name} for sid, name in zip(ids, names)]
            for ids, names in zip(game.strategies, game.strategy_names or game.strategies)
        ],
        "shape": list(game.shape),
        "infeasible": None
        if game.infeasible is None
        else "".join("1" if b else "0" for b in np.asarray(game.infeasible).ravel()),
        "sliders": [
            {
                "name": a.name,
                "values": [_number(v) for v in a.values],
                "baseIndex": a.base_index,
                "joint": a.joint,
                "offset": offsets.get(a.name),
            }
            for a in plan.axes
        ],
        "base": {name: _number(v) for name, v in plan.base.items()},
        "gridShape": list(plan.grid_shape),
        "nPoints": plan.n_points,
        "complete": bool(solved.complete),
        "points": {
            "payoffs": [[_number(x) for x in payoffs[p].ravel()] for p in range(plan.n_points)],
            "best": best,
            "equilibria": equilibria,
            "degenerate": "".join("1" if d else "0" for d in solved.degenerate),
        },
    }


def read_page_data(page: str) -> dict[str, Any]:
    """The embedded data of a report page (its ``<script type="application/json">`` block)."""
    match = re.search(rf'<script type="application/json" id="{_DATA_ID}">(.*?)</script>', page, re.S)
    if match is None:
        raise ValueError("not a negsim report page: no embedded data")
    return json.loads(match.group(1))


# -- what the page says (also drawn by the script when a slider moves) ------------------------


def format_number(value: float) -> str:
    """Three decimals at most, trailing zeros dropped; rounds half away from zero as the
    page's script does (JavaScript's ``toFixed``), so both render the same text."""
    text = str(Decimal(float(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _profiles(shape: Sequence[int]) -> list[tuple[int, ...]]:
    return list(product(*(range(m) for m in shape)))


def _matrix_html(data: Mapping[str, Any], point: int) -> str:
    """The payoff matrix at ``point``; the script's ``matrixHtml`` draws the same markup."""
    shape = data["shape"]
    players, strategies = data["players"], data["strategies"]
    n, cells = len(shape), math.prod(shape)
    payoffs = data["points"]["payoffs"][point]
    best = data["points"]["best"][point]
    infeasible = data["infeasible"]
    pure = set()
    for probabilities, _ in data["points"]["equilibria"][point]:
        profile = _pure_profile(probabilities, shape)
        if profile is not None:
            pure.add(int(np.ravel_multi_index(profile, shape)))
    rows = shape[0]
    cols = shape[1] if n > 1 else 1
    rest = list(range(2, n))
    out = []
    for fixed in product(*(range(shape[j]) for j in rest)):
        caption = ", ".join(f"{players[j]['name']}: {strategies[j][k]['name']}" for j, k in zip(rest, fixed))
        out.append('<table class="matrix">')
        if caption:
            out.append(f"<caption>{_e(caption)}</caption>")
        col_head = (
            [f'<th scope="col" class="p1">{_e(s["name"])}</th>' for s in strategies[1]]
            if n > 1
            else ['<th scope="col">payoff</th>']
        )
        corner = f"{_e(players[0]['name'])} \\ {_e(players[1]['name'])}" if n > 1 else _e(players[0]["name"])
        out.append(f'<thead><tr><th class="corner">{corner}</th>{"".join(col_head)}</tr></thead><tbody>')
        for r in range(rows):
            out.append(f'<tr><th scope="row" class="p0">{_e(strategies[0][r]["name"])}</th>')
            for c in range(cols):
                profile = (r, c, *fixed) if n > 1 else (r,)
                flat = int(np.ravel_multi_index(profile, shape))
                if infeasible and infeasible[flat] == "1":
                    out.append('<td class="infeasible">infeasible</td>')
                    continue
                spans = []
                for i in range(n):
                    is_best = best[i * cells + flat] == "1"
                    cls = f"pay p{min(i, 2)}" + (" best" if is_best else "")
                    spans.append(f'<span class="{cls}">{format_number(payoffs[i * cells + flat])}</span>')
                cls = ' class="eq"' if flat in pure else ""
                out.append(f"<td{cls}>{', '.join(spans)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
    return "".join(out)


def _equilibria_html(data: Mapping[str, Any], point: int) -> str:
    """The equilibria at ``point`` as a list; the script's ``equilibriaHtml`` draws the same."""
    shape, players, strategies = data["shape"], data["players"], data["strategies"]
    found = data["points"]["equilibria"][point]
    out = []
    if data["points"]["degenerate"][point] == "1":
        out.append(
            '<p class="note">This game is degenerate here: equilibria may form connected '
            "sets; the extreme equilibria are listed.</p>"
        )
    if not found:
        out.append('<p class="note">negsim found no equilibrium at this point.</p>')
    out.append('<ol class="equilibria">')
    for probabilities, values in found:
        at, parts, pure = 0, [], True
        for i, m in enumerate(shape):
            block = probabilities[at : at + m]
            at += m
            played = [(k, p) for k, p in enumerate(block) if p > 0]
            pure &= len(played) == 1
            mix = ", ".join(
                _e(strategies[i][k]["name"]) + ("" if len(played) == 1 else f" {format_number(p)}")
                for k, p in played
            )
            parts.append(f'<span class="p{min(i, 2)}">{_e(players[i]["name"])}</span>: {mix}')
        payoff_text = ", ".join(f"{_e(players[i]['name'])} {format_number(v)}" for i, v in enumerate(values))
        kind = "pure" if pure else "mixed"
        profile = json.dumps(probabilities, separators=(",", ":"))
        out.append(
            f'<li class="equilibrium" data-kind="{kind}" data-profile="{_e(profile)}" '
            f'data-payoffs="{_e(json.dumps(values, separators=(",", ":")))}">'
            f'<span class="kind">{kind}</span> {"; ".join(parts)}. '
            f'<span class="payoffs">Payoffs: {payoff_text}</span></li>'
        )
    out.append("</ol>")
    return "".join(out)


def _point_html(data: Mapping[str, Any], values: Mapping[str, float]) -> str:
    """Which point is shown: the parameters away from the base point, or "the base point"."""
    base = data["base"]
    moved = [
        f"{_e(s['name'])} = {format_number(values[s['name']])} (base {format_number(base[s['name']])})"
        for s in data["sliders"]
        if values[s["name"]] != base[s["name"]]
    ]
    if not moved:
        return "the base point (every parameter at its base value)"
    return "; ".join(moved) + "; every other parameter at its base value"


def _pure_profile(probabilities: Sequence[float], shape: Sequence[int]) -> tuple[int, ...] | None:
    """The pure profile an equilibrium plays, or None when some player mixes."""
    profile, at = [], 0
    for m in shape:
        played = [k for k, p in enumerate(probabilities[at : at + m]) if p > 0]
        at += m
        if len(played) != 1:
            return None
        profile.append(played[0])
    return tuple(profile)


def _labels(data: Mapping[str, Any], probabilities: Sequence[float]) -> str:
    shape, strategies = data["shape"], data["strategies"]
    at, parts = 0, []
    for i, m in enumerate(shape):
        block = probabilities[at : at + m]
        at += m
        parts.append("+".join(strategies[i][k]["name"] for k, p in enumerate(block) if p > 0))
    return " / ".join(parts)


# -- the static parts --------------------------------------------------------------------------


def _paragraphs(text: str | None) -> str:
    if not text:
        return ""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"<p>{_e(b)}</p>" for b in blocks if b)


def _quote(source: Any) -> str:
    if source is None:
        return ""
    if source.citation:
        return f'<blockquote class="citation">{_e(source.citation)}</blockquote>'
    cite = f"<cite>{_e(source.file)}</cite>" if source.file else ""
    quote = f"\u201c{_e(source.quote)}\u201d" if source.quote else ""
    return f"<blockquote>{quote} {cite}</blockquote>"


def _story_html(source: Source, game: ParametricGame) -> str:
    scenario = source.scenario
    if scenario is None:
        return (
            f'<section id="story"><h2>The game</h2><p>Read from {_e(source.origin)}: '
            f"{_e(len(game.players))} players, strategies "
            f"{_e(' x '.join(str(m) for m in game.shape))}.</p></section>"
        )
    date = f'<p class="date">{_e(scenario.date)}</p>' if scenario.date else ""
    more = ' <a href="#background">Players, options and sources below.</a>'
    return f'<section id="story"><h2>The story</h2>{date}{_paragraphs(scenario.description)}{more}</section>'


def _background_html(source: Source) -> str:
    """Players and their options with the quotes behind them, the sources, the assumptions."""
    scenario = source.scenario
    if scenario is None:
        return ""
    out = ['<section id="background"><h2>Players, options and sources</h2>']
    for pid, player in scenario.players.items():
        out.append(f"<h3>{_e(player.name or pid)}</h3>{_paragraphs(player.description)}<dl>")
        for sid, strategy in player.strategies.items():
            out.append(
                f"<dt>{_e(strategy.name or sid)} <code>{_e(sid)}</code></dt>"
                f"<dd>{_e(strategy.description or '')}{_quote(strategy.source)}</dd>"
            )
        out.append("</dl>")
    if scenario.sources:
        out.append('<h3 id="sources">Sources</h3>')
        out.append("".join(_quote(s) for s in scenario.sources))
    if scenario.assumptions:
        out.append('<h3 id="assumptions">Assumptions</h3><ul>')
        out.append("".join(f"<li>{_e(a)}</li>" for a in scenario.assumptions))
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _interpretation_html(source: Source) -> str:
    scenario = source.scenario
    if scenario is None or not scenario.interpretation:
        return ""
    # The author's reading answers the questions, so it stays folded until asked for.
    return (
        '<section id="interpretation"><h2>Interpretation</h2><details><summary>The scenario '
        "author's reading of the results (it gives the answers away)</summary>"
        f"{_paragraphs(scenario.interpretation)}</details></section>"
    )


def _parameters_html(source: Source, game: ParametricGame, plan: SweepPlan) -> str:
    if not game.parameters:
        return ""
    declared = source.scenario.parameters if source.scenario is not None else {}
    out = [
        '<section id="parameters"><h2>Parameters</h2><table class="parameters"><thead><tr>'
        "<th>name</th><th>base value</th><th>range</th><th>unit</th><th>what it is</th>"
        "</tr></thead><tbody>"
    ]
    for name in game.parameters:
        info = declared.get(name)
        low, high = game.bounds.get(name, (None, None))
        span = "none" if low is None or high is None else f"{format_number(low)} to {format_number(high)}"
        text = _e(info.description or "") if info else ""
        if info and info.rationale:
            text += f"<details><summary>why this value</summary>{_e(info.rationale)}</details>"
        unit = _e(info.unit or "") if info else ""
        out.append(
            f"<tr><td><code>{_e(name)}</code></td><td>{format_number(plan.base[name])}</td>"
            f"<td>{span}</td><td>{unit}</td><td>{text}</td></tr>"
        )
    out.append("</tbody></table></section>")
    return "".join(out)


def _sliders_html(plan: SweepPlan, declared: Mapping[str, Any]) -> str:
    def slider(axis: Axis) -> str:
        info = declared.get(axis.name)
        hint = ""
        if info is not None:
            hint = " ".join(x for x in (info.description or "", f"({info.unit})" if info.unit else "") if x)
        return (
            f'<div class="slider" title="{_e(hint)}"><label for="slider-{_e(axis.name)}">'
            f"<code>{_e(axis.name)}</code> "
            f'<output id="value-{_e(axis.name)}">{format_number(axis.base)}</output></label>'
            f'<input type="range" id="slider-{_e(axis.name)}" data-name="{_e(axis.name)}" min="0" '
            f'max="{len(axis.values) - 1}" step="1" value="{axis.base_index}" '
            f'aria-label="{_e(axis.name)}">'
            f'<span class="range">{format_number(axis.values[0])} to {format_number(axis.values[-1])}, '
            f"{len(axis.values)} values</span></div>"
        )

    out = [f'<p class="plan">This page holds {_e(plan.describe())}</p>']
    if plan.joint:
        out.append("<fieldset><legend>Move together (full grid)</legend>")
        out.extend(slider(a) for a in plan.joint)
        out.append("</fieldset>")
    if plan.lines:
        out.append(
            f'<details class="more"><summary>{len(plan.lines)} more parameters, one at a time '
            "(moving one puts every other slider back at its base value)</summary><fieldset>"
        )
        out.extend(slider(a) for a in plan.lines)
        out.append("</fieldset></details>")
    if plan.fixed:
        names = ", ".join(f"<code>{_e(n)}</code>" for n in plan.fixed)
        out.append(f'<p class="note">Fixed at their base values (no range in the scenario): {names}.</p>')
    if plan.axes:
        out.append('<button type="button" id="reset">Back to the base point</button>')
    return "".join(out)


def _segments(data: Mapping[str, Any], plan: SweepPlan, name: str) -> list[tuple[float, float, str]]:
    """Along ``name``'s slice through the base point: (from, to, equilibria) runs."""
    axis = next(a for a in plan.axes if a.name == name)
    runs: list[tuple[float, float, str]] = []
    for value, point in zip(axis.values, plan.slice_through_base(name)):
        found = data["points"]["equilibria"][point]
        labels = "; ".join(_labels(data, probs) for probs, _ in found) or "no equilibrium found"
        if runs and runs[-1][2] == labels:
            runs[-1] = (runs[-1][0], value, labels)
        else:
            runs.append((value, value, labels))
    return runs


def _questions_html(
    data: Mapping[str, Any], plan: SweepPlan, base_game: Game, has_overrides: bool, moving: Sequence[str]
) -> str:
    analysis = analyze(base_game)
    at = "at the values this page was made with" if has_overrides else "at the default values"
    items = []
    base = plan.base_point
    equilibria = data["points"]["equilibria"][base]
    answer = _equilibria_html(data, base)
    items.append((f"What is the equilibrium {at}?", answer))
    steps = analysis.strict_dominance.steps
    if steps:
        answer = "".join(f"<li>{_e(s.describe(base_game))} (round {s.round})</li>" for s in steps)
        answer = f"<ul>{answer}</ul>"
    else:
        answer = "<p>No: no strategy is strictly dominated, even by a mix.</p>"
    items.append(("Does any player have a strictly dominated strategy?", answer))
    efficient = [" / ".join(base_game.strategy_names[i][k] for i, k in enumerate(p)) for p in analysis.pareto]
    on_frontier = [
        _labels(data, pr) for pr, _ in equilibria if _pure_profile(pr, data["shape"]) in set(analysis.pareto)
    ]
    answer = "<p>Pareto-efficient outcomes: " + _e("; ".join(efficient)) + ".</p>"
    answer += (
        ("<p>Pure equilibria among them: " + _e("; ".join(on_frontier)) + ".</p>")
        if on_frontier
        else "<p>No pure equilibrium is among them: both players could do better together.</p>"
    )
    items.append(("Which outcomes are Pareto-efficient, and is the equilibrium one of them?", answer))
    for name in moving:
        axis = next(a for a in plan.axes if a.name == name)
        runs = _segments(data, plan, name)
        rows = "".join(
            f"<li>{format_number(lo)}{'' if lo == hi else ' to ' + format_number(hi)}: {_e(text)}</li>"
            for lo, hi, text in runs
        )
        items.append(
            (
                f"As <code>{_e(name)}</code> moves from {format_number(axis.values[0])} to "
                f"{format_number(axis.values[-1])} (everything else at base), "
                "where does the equilibrium change?",
                f"<p>On this page's values of <code>{_e(name)}</code>:</p><ul>{rows}</ul>"
                "<p>A value listed on its own is usually a tipping point, where two regimes meet and "
                "their equilibria coexist; otherwise the change lies between two neighbouring rows. "
                "<code>negsim sweep</code> locates tipping points precisely.</p>",
            )
        )
    out = ['<section id="questions"><h2>Questions</h2>']
    for k, (question, answer) in enumerate(items, 1):
        out.append(
            f'<details class="qa" id="q{k}"><summary>{question}</summary>'
            f'<div class="answer">{answer}</div></details>'
        )
    out.append("</section>")
    return "".join(out)


def _made_with(
    source: Source, overrides: Mapping[str, float] | None, points: int, vary: Sequence[str] | None
) -> str:
    """The version and the command that make this page again."""
    words = ["negsim", "report", source.origin, "-o", "PAGE.html"]
    for name, value in (overrides or {}).items():
        text = repr(float(value))  # exact, so the command rebuilds the same page
        words += ["--set", f"{name}={text.removesuffix('.0')}"]
    if points != DEFAULT_POINTS:
        words += ["--points", str(points)]
    for name in vary or ():
        words += ["--vary", name]
    return f"negsim {negsim.__version__}: {shlex.join(words)}"


def _template(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _fill(template: str, values: Mapping[str, str]) -> str:
    def replace(match: re.Match) -> str:
        return values[match.group(1)]

    return re.sub(r"\{\{\s*(\w+)\s*\}\}", replace, template)


def render_report(
    source: Source,
    *,
    overrides: Mapping[str, float] | None = None,
    points: int = DEFAULT_POINTS,
    vary: Sequence[str] | None = None,
    max_seconds: float = MAX_SECONDS,
) -> str:
    """The report page of ``source`` as HTML text (nothing is written).

    Refuses (an :class:`InputError` with advice) when solving the points would take more than
    ``max_seconds``: see :func:`check_cost`.
    """
    game = source.game
    base = game.values(overrides)
    check_cost(game, base, points=points, vary=vary, max_seconds=max_seconds)
    plan = plan_sweep(game, base, points=points, vary=vary)
    data = page_data(game, plan)
    base_game = game.game(overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        moving = [a.name for a in plan.joint] or [
            a.name for a in plan.lines if len(_segments(data, plan, a.name)) > 1
        ][:MAX_JOINT]
        questions = _questions_html(data, plan, base_game, bool(overrides), moving)
    scenario = source.scenario
    title = (scenario.title if scenario is not None else "") or game.title or game.id or source.origin
    base_point = plan.base_point
    encoded = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    return _fill(
        _template("templates/report.html"),
        {
            "title": _e(title),
            "scenario_id": _e(game.id or source.origin),
            "css": _template("static/report.css"),
            "script": _template("static/report.js"),
            "story": _story_html(source, game),
            "background": _background_html(source),
            "interpretation": _interpretation_html(source),
            "parameters": _parameters_html(source, game, plan),
            "sliders": _sliders_html(plan, scenario.parameters if scenario is not None else {}),
            "made_with": _e(_made_with(source, overrides, points, vary)),
            "point": _point_html(data, plan.values_at(base_point)),
            "matrix": _matrix_html(data, base_point),
            "equilibria": _equilibria_html(data, base_point),
            "chart": (
                '<h3>Sweep along a slider</h3><div id="chart"><p class="note">The sweep chart is drawn '
                "by the page's script from the embedded points.</p></div>"
            )
            if plan.axes
            else "",
            "questions": questions,
            "data_id": _DATA_ID,
            "data": encoded,
            "n_points": str(plan.n_points),
        },
    )


def write_report(
    source: str,
    path: str | os.PathLike[str],
    *,
    overrides: Mapping[str, float] | None = None,
    points: int = DEFAULT_POINTS,
    vary: Sequence[str] | None = None,
    force: bool = False,
    max_seconds: float = MAX_SECONDS,
) -> Path:
    """Write the report page of ``source`` (a scenario file, built-in id or .nfg) to ``path``.

    Checks the output path before any work, and writes atomically: invalid input leaves
    nothing behind.
    """
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise InputError([Problem("expected a file name ending in .html", file=str(target), path="-o")])
    refuse_existing(target, force=force)
    if not target.parent.is_dir():
        raise InputError([Problem("the folder does not exist", file=str(target.parent), path="-o")])
    page = render_report(load_source(source), overrides=overrides, points=points, vary=vary,
                         max_seconds=max_seconds)
    return write_text_atomic(target, page)
