"""The readable reports and the JSON of ``negsim dynamics``.

Every report ends in the sentence of the result (where play went, in words); the tables show
mixes by strategy name, with the probabilities of strategies played with positive probability.
The JSON of every subcommand is one object (:func:`dynamics_to_dict`): ``analysis`` (the
subcommand), ``scenario``, ``parameters``, ``players``, ``strategies``, then the result's own
``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from negsim.dynamics import (
    Basins,
    BestResponseGraph,
    BestResponsePath,
    FictitiousPlay,
    LearningOverview,
    Portrait,
    QREPath,
    RestPoints,
    Trajectory,
)
from negsim.game import Game
from negsim.numbers import format_fraction
from negsim.render.terminal import format_number
from negsim.solve import Solution

__all__ = [
    "dynamics_to_dict",
    "mix_text",
    "render_basins",
    "render_best_responses",
    "render_fictitious_play",
    "render_overview",
    "render_portrait",
    "render_qre",
    "render_rest_points",
    "render_trajectory",
]

#: Probabilities below this are not shown in mixes.
SHOWN = 1e-6


def dynamics_to_dict(analysis: str, result: Any, game: Game, *, scenario: str | None,
                     parameters: Mapping[str, float]) -> dict[str, Any]:
    """The one JSON object of ``negsim dynamics ANALYSIS``: what was run, on what, then the result."""
    data: dict[str, Any] = {
        "analysis": analysis,
        "scenario": scenario,
        "parameters": {name: float(value) for name, value in parameters.items()},
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
    }
    data.update(result.to_dict())
    return data


def mix_text(game: Game, player: int, vector: Sequence[float] | np.ndarray) -> str:
    """``"limited"`` for (nearly) pure play, else ``"store 0.3, limited 0.7"`` (strategy ids, as
    in equilibrium labels and ``--start``)."""
    values = np.asarray(vector, dtype=float)
    names = game.strategies[player]
    shown = [k for k in range(len(values)) if values[k] > SHOWN]
    if len(shown) == 1 and values[shown[0]] > 1 - SHOWN:
        return names[shown[0]]
    return ", ".join(f"{names[k]} {format_number(values[k])}" for k in shown)


def _equilibria_line(solution: Solution) -> str:
    game = solution.game
    labels = "; ".join(f"#{k + 1} {e.label(game)}" for k, e in enumerate(solution.equilibria))
    return f"verified Nash equilibria: {labels or 'none found'}"


def _profile_table(game: Game, title: str, columns: Mapping[str, Sequence[np.ndarray]]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("player")
    for name in columns:
        table.add_column(name)
    for i in range(game.n_players):
        table.add_row(game.player_names[i], *(mix_text(game, i, profile[i]) for profile in columns.values()))
    return table


def _sentence(console: Console, text: str) -> None:
    console.print(text[:1].upper() + text[1:] + ".", markup=False)


def _recorded_start(trajectory: Trajectory) -> tuple[np.ndarray, ...]:
    recorded = trajectory.settings["start"]
    assert isinstance(recorded, list)
    return tuple(np.asarray(s, dtype=float) for s in recorded)


def render_trajectory(console: Console, trajectory: Trajectory, *, what: str) -> None:
    """A continuous trajectory (replicator, logit): start and end, the outcome, the integration."""
    game = trajectory.game
    outcome = trajectory.outcome
    start = _recorded_start(trajectory)
    end_name = f"at time {format_number(float(trajectory.times[-1]))}"
    console.print(_profile_table(game, what, {"start": start, end_name: trajectory.end}))
    _sentence(console, outcome.description)
    details = [f"nearest equilibrium: {outcome.label}, {outcome.distance:.3g} away",
               f"regret at the end {outcome.regret:.3g}"]
    if outcome.period is not None:
        details.append(f"period {outcome.period:.4g}")
    console.print("  " + "; ".join(details), markup=False)
    if trajectory.dynamics == "replicator" and any(float(np.min(s)) <= 0 for s in start):
        console.print("  strategies absent at the start stay absent under the replicator "
                      "(each face of the simplex is invariant)", style="dim", markup=False)
    if trajectory.integration is not None:
        report = trajectory.integration
        console.print(f"integration: {report.method}, rtol {report.rtol:g}, atol {report.atol:g}, "
                      f"in {report.coordinates}; {report.evaluations} evaluations; simplex error "
                      f"{report.simplex_error:.1g}", style="dim", markup=False)
    console.print(_equilibria_line(trajectory.solution), style="dim", markup=False)


def render_fictitious_play(console: Console, run: FictitiousPlay) -> None:
    """Fictitious play: the prior, the final frequencies, the cycle of play, the outcome."""
    trajectory = run.trajectory
    game = trajectory.game
    rounds = int(trajectory.times[-1])
    prior = _recorded_start(trajectory)
    console.print(_profile_table(game, f"Fictitious play ({run.mode}), {rounds} rounds",
                                 {"prior": prior, f"frequencies after {rounds} rounds": trajectory.end}))
    _sentence(console, trajectory.outcome.description)
    outcome = trajectory.outcome
    console.print(f"  nearest equilibrium: {outcome.label}, {outcome.distance:.3g} away; regret of the "
                  f"frequencies {outcome.regret:.3g}", markup=False)
    if run.cycle is not None:
        names = " -> ".join(game.profile_label(p) for p in run.cycle.profiles)
        runs = ", ".join(str(r) for r in run.cycle.runs)
        growth = (f"; the runs grow by a factor of {run.cycle.growth:.3g} a cycle"
                  if run.cycle.growth > 1.05 else "")
        console.print(f"  play cycles through {names} (last runs {runs} rounds{growth})", markup=False)
    console.print(_equilibria_line(trajectory.solution), style="dim", markup=False)


def render_best_responses(console: Console, path: BestResponsePath, graph: BestResponseGraph,
                          *, shown: int = 30) -> None:
    """Best-response play step by step, how it ended, and the sinks of the best-response graph."""
    game = path.game
    table = Table(title=f"Best responses ({path.order})", title_justify="left")
    table.add_column("step", justify="right")
    table.add_column("who moved")
    for i in range(game.n_players):
        table.add_column(game.player_names[i])
    for step, (profile, movers) in enumerate(zip(path.profiles, path.movers)):
        if step >= shown:
            break
        who = ", ".join(game.player_names[i] for i in movers) or "(start)"
        table.add_row(str(step), who, *(game.strategy_names[i][k] for i, k in enumerate(profile)))
    console.print(table)
    if len(path.profiles) > shown:
        console.print(f"  ... {len(path.profiles) - shown} more steps", style="dim", markup=False)
    _sentence(console, path.describe())
    equilibria = [game.profile_label(p) for p in graph.equilibria]
    cycles = [" -> ".join(game.profile_label(p) for p in c) for c in graph.cycles]
    console.print(f"  pure equilibria (sinks of the best-response graph): {'; '.join(equilibria) or 'none'}",
                  markup=False)
    if cycles:
        console.print(f"  best-response cycles play never leaves: {'; '.join(cycles)}", markup=False)


def render_qre(console: Console, path: QREPath, *, lambdas: Sequence[float] = ()) -> None:
    """The logit QRE at ``lambdas`` (values the path was traced through), the turning points,
    and the limit."""
    game = path.game
    table = Table(title="Logit quantal response equilibrium (principal branch)", title_justify="left")
    table.add_column("lambda", justify="right")
    for i in range(game.n_players):
        table.add_column(game.player_names[i])
    table.add_column("regret", justify="right")
    for lam in sorted(set(float(v) for v in lambdas)):
        point = path.at(lam)
        mixes = [mix_text(game, i, point.strategies[i]) for i in range(game.n_players)]
        table.add_row(format_number(lam), *mixes, f"{point.regret:.3g}")
    console.print(table)
    if path.turning_points:
        where = ", ".join(format_number(t) for t in path.turning_points)
        console.print(f"  the branch bends back in lambda at {where}", markup=False)
    label = path.limit_label()
    if path.limit is None:
        console.print("The path's end did not polish into a verified Nash equilibrium.", markup=False)
    elif path.limit_distance is not None and path.limit_distance <= 1e-6:
        console.print(f"As lambda grows the QRE approaches the Nash equilibrium {label}: the one the "
                      "logit tracing procedure selects.", markup=False)
    else:
        console.print(f"As lambda grows the QRE approaches a Nash equilibrium between the extreme ones "
                      f"listed; the nearest, {label}, is {path.limit_distance:.3g} away.", markup=False)
    if path.limit is not None:
        console.print("  limit: " + "; ".join(f"{game.player_names[i]} {mix_text(game, i, path.limit[i])}"
                                              for i in range(game.n_players)), markup=False)
    console.print(f"lambda is in payoff units (a payoff difference of 1/lambda makes a choice e times "
                  f"likelier); traced to {format_number(path.max_lambda)}", style="dim", markup=False)
    console.print(_equilibria_line(path.solution), style="dim", markup=False)


def render_basins(console: Console, basins: Basins) -> None:
    """The share of starts that reach each equilibrium, and the exact boundary where known."""
    game = basins.game
    starts = len(basins.reached)
    console.print(f"Basins of attraction ({basins.dynamics}, {starts} starts)", markup=False)
    table = Table()
    table.add_column("equilibrium reached")
    table.add_column("starts", justify="right")
    table.add_column("share", justify="right")
    exact = basins.separatrix.shares if basins.separatrix is not None else {}
    if exact:
        table.add_column("exact share", justify="right")
    for k in sorted(set(int(r) for r in basins.reached), key=lambda k: (k < 0, k)):
        label = basins.solution.equilibria[k].label(game) if k >= 0 else "none by the horizon"
        row = [label, str(int(np.sum(basins.reached == k))), f"{basins.share(k):.1%}"]
        if exact:
            row.append(f"{exact[k]:.1%}" if k in exact else "")
        table.add_row(*row)
    console.print(table)
    shares = basins.shares()
    if shares:
        best = max(shares, key=lambda name: shares[name])
        _sentence(console, f"{shares[best]:.0%} of the starts reach {best}" if best != "none"
                  else f"{shares[best]:.0%} of the starts reach no equilibrium by the horizon")
    if basins.separatrix is not None:
        console.print(f"  exact boundary: {basins.separatrix.description}", markup=False)
    settings = ", ".join(f"{k} {v}" for k, v in basins.settings.items() if k not in ("dynamics",))
    console.print(f"settings: {settings}", style="dim", markup=False)
    console.print(_equilibria_line(basins.solution), style="dim", markup=False)


def _eigenvalue_text(value: complex) -> str:
    """``-1``, ``0.5774i``, ``-0.5+0.866i`` (parts below 1e-9 are zero)."""
    real = value.real if abs(value.real) > 1e-9 else 0.0
    imag = value.imag if abs(value.imag) > 1e-9 else 0.0
    if imag == 0.0:
        return format_number(real)
    if real == 0.0:
        return f"{format_number(imag)}i"
    return f"{format_number(real)}{'+' if imag > 0 else '-'}{format_number(abs(imag))}i"


def render_rest_points(console: Console, rest: RestPoints) -> None:
    """Every rest point of the replicator with its eigenvalues and stability."""
    game = rest.game
    table = Table(title=f"Rest points of the replicator ({rest.population})", title_justify="left")
    table.add_column("rest point")
    for i in range(1 if rest.population == "single" else game.n_players):
        table.add_column("population" if rest.population == "single" else game.player_names[i])
    table.add_column("stability")
    table.add_column("eigenvalues")
    table.add_column("Nash", justify="center")
    blocks = 1 if rest.population == "single" else game.n_players
    for point in rest.points:
        if point.exact is not None:
            mixes = [", ".join(f"{game.strategies[i][k]} {format_fraction(point.exact[i][k])}"
                               for k in point.support[i]) if len(point.support[i]) > 1
                     else game.strategies[i][point.support[i][0]] for i in range(blocks)]
        else:
            mixes = [mix_text(game, i, point.strategies[i]) for i in range(blocks)]
        values = ", ".join(_eigenvalue_text(complex(v)) for v in point.eigenvalues)
        nash = "yes" if point.equilibrium else "no"
        label = point.label(game) if blocks > 1 else "+".join(game.strategies[0][k] for k in point.support[0])
        table.add_row(label, *mixes, point.stability, values, nash)
    console.print(table)
    stable = [p.label(game) for p in rest.stable]
    _sentence(console, "asymptotically stable: " + ("; ".join(stable) if stable else "no rest point"))
    if not rest.complete:
        console.print("  for three or more players only the pure profiles and the equilibria found are "
                      "examined (the list may miss rest points)", style="dim", markup=False)
    if rest.continua:
        console.print(f"  supports with a continuum of rest points (degenerate): {'; '.join(rest.continua)}",
                      style="dim", markup=False)


def render_portrait(console: Console, portrait: Portrait) -> None:
    """What a phase portrait shows: its rest points, the trajectories' ends, the separatrix."""
    render_rest_points(console, portrait.rest)
    where = ("the unit square (two populations)" if portrait.kind == "square"
             else "the simplex (one population)")
    console.print(f"Phase portrait on {where}: {len(portrait.trajectories)} trajectories to time "
                  f"{format_number(float(portrait.times[-1]))}.", markup=False)
    if portrait.separatrix is not None:
        console.print(f"  exact boundary: {portrait.separatrix.description}", markup=False)


def render_overview(console: Console, overview: LearningOverview) -> None:
    """Each dynamic, from where it started, and what it reached."""
    console.print("Where play goes", markup=False)
    table = Table()
    table.add_column("dynamic")
    table.add_column("from")
    table.add_column("reaches")
    for r in overview.results:
        table.add_row(r.dynamic, r.start, r.reached_label)
    console.print(table)
    for r in overview.results:
        console.print(f"  {r.dynamic} from {r.start}: {r.description}", markup=False)
    selected = overview.selected()
    if selected:
        _sentence(console, "equilibria some dynamic reaches: " + "; ".join(selected))
    else:
        _sentence(console, "no dynamic reaches a listed equilibrium")
    console.print(_equilibria_line(overview.solution), style="dim", markup=False)
