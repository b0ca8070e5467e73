"""The report page: one self-contained HTML file to explore a scenario in class.

The page holds the story with its sources, the payoff matrix with best responses, the
equilibria, for a conflict in option form the graph model's stability table
(:mod:`negsim.render.report.stability`), questions with hidden answers, and the explorer:
sliders over parameter points that negsim has already solved (:mod:`negsim.sweep.explorer`
chooses and solves them), so the page shows exactly what negsim computes at the point it names,
and needs no server and no network.

The page is the template ``page.html`` (with its parts in ``parts.html``, escaping everything
it is given) filled with plain data; ``report.css`` and ``report.js`` are inlined. The
embedded data (:func:`page_data`) is compact JSON: per point the payoffs, the best responses
as a string of ``0``/``1`` and the equilibria as probability and payoff lists, and for the
sweep chart the colours and outcome names of negsim's figures (:mod:`negsim.plot.style`).
"""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import warnings
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from itertools import product
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
from markupsafe import Markup, escape

from negsim.compile.source import Source, load_source
from negsim.errors import InputError, Problem
from negsim.game import Game, ParametricGame
from negsim.io.atomic import refuse_existing, write_text_atomic
from negsim.plot.runs import RunData
from negsim.plot.style import INK, MUTED, PALETTE, PLAYER_COLOURS
from negsim.render.report.stability import stability_part
from negsim.solve import analyze
from negsim.sweep.explorer import (
    DEFAULT_POINTS,
    MAX_JOINT,
    MAX_SECONDS,
    ExplorerPoints,
    SweepPlan,
    check_cost,
    plan_sweep,
    solve_plan,
)
from negsim.version import __version__

__all__ = [
    "format_number",
    "inline_code",
    "page_data",
    "read_page_data",
    "render_report",
    "write_report",
]

#: Cells x players x points beyond this would make a page too heavy to open.
MAX_PAYOFF_NUMBERS = 3_000_000
#: Stored numbers keep 9 decimals: far below what the page shows, far above solver noise.
DECIMALS = 9

_PACKAGE = "negsim.render.report"
_DATA_ID = "negsim-data"


# -- text ------------------------------------------------------------------------------------------


def format_number(value: float) -> str:
    """Three decimals at most, trailing zeros dropped; rounds half away from zero as the
    page's script does (JavaScript's ``toFixed``), so both render the same text.

    >>> format_number(0.0625), format_number(2.0), format_number(-0.0001)
    ('0.063', '2', '0')
    """
    text = str(Decimal(float(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def inline_code(text: str | None) -> Markup:
    """Scenario prose for the page: escaped, with ```name``` spans set as code.

    >>> str(inline_code("bite of `sanction_cost` < 1"))
    'bite of <code>sanction_cost</code> &lt; 1'
    """
    parts = re.split(r"`([^`\n]+)`", text or "")
    return Markup("").join(Markup("<code>{}</code>").format(p) if k % 2 else escape(p)
                           for k, p in enumerate(parts))


def _blocks(text: str | None) -> list[str]:
    """Paragraphs of prose: blank lines separate them, other line breaks are spaces."""
    if not text:
        return []
    return [b for b in (" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())) if b]


@cache
def _environment() -> jinja2.Environment:
    folder = resources.files(_PACKAGE)
    templates = {name: folder.joinpath(name).read_text(encoding="utf-8")
                 for name in ("page.html", "parts.html")}
    environment = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True,
                                     undefined=jinja2.StrictUndefined)
    environment.filters.update(number=format_number, prose=inline_code, blocks=_blocks)
    return environment


def _static(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


# -- the embedded data -------------------------------------------------------------------------


def _number(value: float) -> float | int:
    value = round(float(value), DECIMALS) + 0.0
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _bits(values: Any) -> str:
    return "".join("1" if b else "0" for b in np.asarray(values, dtype=bool).ravel())


def _outcome_names(game: ParametricGame, outcomes: Sequence[str]) -> dict[str, str]:
    """Each outcome (``limited / keep``) by name, exactly as negsim's sweep figures name it."""
    player_names = game.player_names or game.players
    strategy_names = game.strategy_names or game.strategies
    names = RunData(folder=Path(), manifest={}, tipping_points=[], sensitivity=None, columns={},
                    players=tuple(game.players), strategies=tuple(map(tuple, game.strategies)),
                    player_names=dict(zip(game.players, player_names)),
                    strategy_names={p: dict(zip(ids, shown)) for p, ids, shown in
                                    zip(game.players, game.strategies, strategy_names)})
    return {o: names.outcome_label(o) for o in outcomes}


def _check_size(game: ParametricGame, plan: SweepPlan) -> None:
    n, cells = len(game.players), math.prod(game.shape)
    if n * cells * plan.n_points > MAX_PAYOFF_NUMBERS:
        raise InputError([Problem(
            f"{plan.n_points} points of a game with {cells} profiles would make the page too large; "
            f"use --points {max(1, MAX_PAYOFF_NUMBERS // (n * cells))} or fewer", path="points")])


def page_data(game: ParametricGame, plan: SweepPlan, solved: ExplorerPoints | None = None
              ) -> dict[str, Any]:
    """Everything the page's script needs: labels, sliders, every point's game and equilibria,
    and the colours and names of the sweep chart."""
    _check_size(game, plan)
    solved = solved or solve_plan(game, plan)
    equilibria: list[list[Any]] = [[] for _ in range(plan.n_points)]
    for p in range(plan.n_points):
        equilibria[p] = [[[_number(x) for x in probabilities], [_number(x) for x in values]]
                         for probabilities, values in solved.at(p)]
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
        "infeasible": None if game.infeasible is None else _bits(game.infeasible),
        "sliders": [
            {"name": a.name, "values": [_number(v) for v in a.values], "baseIndex": a.base_index,
             "joint": a.joint, "offset": offsets.get(a.name)}
            for a in plan.axes
        ],
        "base": {name: _number(v) for name, v in plan.base.items()},
        "gridShape": list(plan.grid_shape),
        "nPoints": plan.n_points,
        "complete": bool(solved.equilibria.complete),
        "points": {
            "payoffs": [[_number(x) for x in solved.payoffs[p].ravel()] for p in range(plan.n_points)],
            "best": [_bits(solved.best[p]) for p in range(plan.n_points)],
            "equilibria": equilibria,
            "degenerate": _bits(solved.equilibria.degenerate),
        },
        # The sweep chart names and colours outcomes as negsim's figures do.
        "figures": {
            "palette": list(PALETTE),
            "players": list(PLAYER_COLOURS),
            "ink": INK,
            "muted": MUTED,
            "outcomes": _outcome_names(game, solved.outcomes),
        },
    }


def read_page_data(page: str) -> dict[str, Any]:
    """The embedded data of a report page (its ``<script type="application/json">`` block)."""
    match = re.search(rf'<script type="application/json" id="{_DATA_ID}">(.*?)</script>', page, re.S)
    if match is None:
        raise ValueError("not a negsim report page: no embedded data")
    data: dict[str, Any] = json.loads(match.group(1))
    return data


# -- what the page says (also drawn by the script when a slider moves) ------------------------


def _played(probabilities: Sequence[float], shape: Sequence[int]) -> list[list[tuple[int, float]]]:
    """Each player's strategies played with positive probability, as (index, probability)."""
    out, at = [], 0
    for m in shape:
        out.append([(k, p) for k, p in enumerate(probabilities[at:at + m]) if p > 0])
        at += m
    return out


def _pure_profile(probabilities: Sequence[float], shape: Sequence[int]) -> tuple[int, ...] | None:
    """The pure profile an equilibrium plays, or None when some player mixes."""
    played = _played(probabilities, shape)
    return tuple(p[0][0] for p in played) if all(len(p) == 1 for p in played) else None


def _names(data: Mapping[str, Any], probabilities: Sequence[float]) -> str:
    """``Limited activation / Keep current sanctions``: the strategies played, by name."""
    strategies = data["strategies"]
    return " / ".join("+".join(strategies[i][k]["name"] for k, _ in played)
                      for i, played in enumerate(_played(probabilities, data["shape"])))


def _matrix(data: Mapping[str, Any], point: int) -> dict[str, Any]:
    """The payoff matrix at ``point`` for the template: one panel per profile of the players
    after the first two."""
    shape, players, strategies = data["shape"], data["players"], data["strategies"]
    n, cells = len(shape), math.prod(shape)
    payoffs, best = data["points"]["payoffs"][point], data["points"]["best"][point]
    infeasible = data["infeasible"]
    found = data["points"]["equilibria"][point]
    pure = {int(np.ravel_multi_index(profile, shape)) for probabilities, _ in found
            if (profile := _pure_profile(probabilities, shape)) is not None}
    rest = list(range(2, n))
    panels = []
    for fixed in product(*(range(shape[j]) for j in rest)):
        rows = []
        for r in range(shape[0]):
            row: list[dict[str, Any]] = []
            for c in range(shape[1] if n > 1 else 1):
                flat = int(np.ravel_multi_index((r, c, *fixed) if n > 1 else (r,), shape))
                if infeasible and infeasible[flat] == "1":
                    row.append({"infeasible": True})
                    continue
                row.append({"infeasible": False, "equilibrium": flat in pure, "payoffs": [
                    {"player": min(i, 2), "best": best[i * cells + flat] == "1",
                     "value": payoffs[i * cells + flat]} for i in range(n)]})
            rows.append({"name": strategies[0][r]["name"], "cells": row})
        caption = ", ".join(f"{players[j]['name']}: {strategies[j][k]['name']}" for j, k in zip(rest, fixed))
        panels.append({"caption": caption, "rows": rows})
    return {
        "corner": f"{players[0]['name']} \\ {players[1]['name']}" if n > 1 else players[0]["name"],
        "columns": [s["name"] for s in strategies[1]] if n > 1 else [],
        "panels": panels,
    }


def _equilibria(data: Mapping[str, Any], point: int) -> dict[str, Any]:
    """The equilibria at ``point`` for the template."""
    shape, players, strategies = data["shape"], data["players"], data["strategies"]
    items = []
    for probabilities, values in data["points"]["equilibria"][point]:
        played = _played(probabilities, shape)
        items.append({
            "kind": "pure" if all(len(p) == 1 for p in played) else "mixed",
            "profile": json.dumps(probabilities, separators=(",", ":")),
            "payoff_json": json.dumps(values, separators=(",", ":")),
            "parts": [{"colour": min(i, 2), "player": players[i]["name"],
                       "played": [(strategies[i][k]["name"], p) for k, p in block]}
                      for i, block in enumerate(played)],
            "payoffs": [(players[i]["name"], v) for i, v in enumerate(values)],
        })
    return {"degenerate": data["points"]["degenerate"][point] == "1", "listed": items}


def _point_text(data: Mapping[str, Any], values: Mapping[str, float]) -> str:
    """Which point is shown: the parameters away from the base point, or "the base point"."""
    base = data["base"]
    moved = [f"{s['name']} = {format_number(values[s['name']])} (base {format_number(base[s['name']])})"
             for s in data["sliders"] if values[s["name"]] != base[s["name"]]]
    if not moved:
        return "the base point (every parameter at its base value)"
    return "; ".join(moved) + "; every other parameter at its base value"


def _runs(data: Mapping[str, Any], plan: SweepPlan, name: str) -> list[tuple[float, float, str]]:
    """Along ``name``'s slice through the base point: (from, to, equilibria) runs."""
    axis = next(a for a in plan.axes if a.name == name)
    runs: list[tuple[float, float, str]] = []
    for value, point in zip(axis.values, plan.slice_through_base(name)):
        found = data["points"]["equilibria"][point]
        text = "; ".join(_names(data, probabilities) for probabilities, _ in found) or "no equilibrium found"
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], value, text)
        else:
            runs.append((value, value, text))
    return runs


def _questions(data: Mapping[str, Any], plan: SweepPlan, base_game: Game, has_overrides: bool,
               moving: Sequence[str]) -> list[dict[str, Any]]:
    analysis = analyze(base_game)
    at = "at the values this page was made with" if has_overrides else "at the default values"
    base = plan.base_point
    shape = data["shape"]
    pareto = set(analysis.pareto)
    questions: list[dict[str, Any]] = [
        {"kind": "equilibria", "question": f"What is the equilibrium {at}?",
         "found": _equilibria(data, base)},
        {"kind": "dominance", "question": "Does any player have a strictly dominated strategy?",
         "steps": [f"{s.describe(base_game)} (round {s.round})" for s in analysis.strict_dominance.steps]},
        {"kind": "pareto",
         "question": "Which outcomes are Pareto-efficient, and is the equilibrium one of them?",
         "efficient": [" / ".join(base_game.strategy_names[i][k] for i, k in enumerate(p))
                       for p in analysis.pareto],
         "on_frontier": [_names(data, pr) for pr, _ in data["points"]["equilibria"][base]
                         if _pure_profile(pr, shape) in pareto]},
    ]
    for name in moving:
        axis = next(a for a in plan.axes if a.name == name)
        questions.append({"kind": "moving", "name": name, "low": axis.values[0],
                          "high": axis.values[-1], "runs": _runs(data, plan, name)})
    return questions


def _made_with(source: Source, overrides: Mapping[str, float] | None, points: int,
               vary: Sequence[str] | None) -> str:
    """The version and the command that make this page again."""
    words = ["negsim", "report", source.origin, "-o", "PAGE.html"]
    for name, value in (overrides or {}).items():
        text = repr(float(value))  # exact, so the command rebuilds the same page
        words += ["--set", f"{name}={text.removesuffix('.0')}"]
    if points != DEFAULT_POINTS:
        words += ["--points", str(points)]
    for name in vary or ():
        words += ["--vary", name]
    return f"negsim {__version__}: {shlex.join(words)}"


def _parameter_rows(source: Source, game: ParametricGame, plan: SweepPlan) -> list[dict[str, Any]]:
    declared = source.scenario.parameters if source.scenario is not None else {}
    rows = []
    for name in game.parameters:
        info = declared.get(name)
        low, high = game.bounds.get(name, (None, None))
        rows.append({"name": name, "base": plan.base[name], "low": low, "high": high,
                     "unit": (info.unit or "") if info else "",
                     "description": (info.description or "") if info else "",
                     "rationale": info.rationale if info else None})
    return rows


def _slider_hints(source: Source) -> dict[str, str]:
    declared = source.scenario.parameters if source.scenario is not None else {}
    return {name: " ".join(x for x in (info.description or "", f"({info.unit})" if info.unit else "") if x)
            for name, info in declared.items()}


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
    ``max_seconds``: see :func:`negsim.sweep.explorer.check_cost`.
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
            a.name for a in plan.lines if len(_runs(data, plan, a.name)) > 1][:MAX_JOINT]
        questions = _questions(data, plan, base_game, bool(overrides), moving)
    scenario = source.scenario
    base_point = plan.base_point
    return _environment().get_template("page.html").render(
        title=(scenario.title if scenario is not None else "") or game.title or game.id or source.origin,
        scenario_id=game.id or source.origin,
        scenario=scenario,
        origin=source.origin,
        game=game,
        plan=plan,
        player_colours=PLAYER_COLOURS[:3],
        css=_static("report.css"),
        script=_static("report.js"),
        slider_hints=_slider_hints(source),
        parameter_rows=_parameter_rows(source, game, plan),
        point_text=_point_text(data, plan.values_at(base_point)),
        base_matrix=_matrix(data, base_point),
        base_equilibria=_equilibria(data, base_point),
        questions=questions,
        stability=stability_part(source, overrides),
        made_with=_made_with(source, overrides, points, vary),
        data_id=_DATA_ID,
        data=json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c"),
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
