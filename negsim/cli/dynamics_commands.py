"""Command: dynamics (learning dynamics and the quantal response equilibrium), one subcommand
per dynamic.

Subcommands rather than one ``--kind`` option: each dynamic has its own options (an order for
best responses, a horizon and an integrator for the replicator, lambda for the logit dynamic),
and ``negsim dynamics KIND --help`` then lists only the ones that apply. Every subcommand takes
SCENARIO, ``--set``, ``--format table|json`` and (where there is a figure) ``-o/--output``.

The engine is imported inside each command, so that ``negsim --help`` starts quickly.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from negsim.cli.app import app, console, console_err
from negsim.cli.options import (
    ALLOW_OUTSIDE_HELP,
    FORMAT_HELP,
    SET_HELP,
    SET_METAVAR,
    check_format,
    overrides_for,
    shown_parameters,
)
from negsim.errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from negsim.compile.source import Source
    from negsim.dynamics import Integrator
    from negsim.game import Game
    from negsim.solve import Solution

__all__ = ["dynamics_app"]

dynamics_app = typer.Typer(
    name="dynamics",
    help="How play may move and where it settles: best responses, fictitious play, replicator "
         "and logit dynamics, the quantal response equilibrium, basins of attraction, rest points "
         "and phase portraits. Each result is compared with the game's verified equilibria.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(dynamics_app, name="dynamics")

START_HELP = ("Where play starts: uniform, status-quo, or player.strategy=probability, ... "
              "(e.g. turkey.store=0.5,turkey.full=0.5; fractions such as 1/3 allowed; players "
              "left out mix uniformly).")
OUTPUT_HELP = "Also draw the figure into FILE (.png, .svg or .pdf)."
POPULATION_HELP = ("per-player (one population per player) or single (one population of a "
                   "symmetric game).")
INTEGRATOR_HELP = "scipy's integration method: DOP853, RK45, RK23, Radau, BDF or LSODA."

Scenario = Annotated[str, typer.Argument(metavar="SCENARIO",
                                         help="Scenario file, .nfg/.efg file or built-in id.")]
Set = Annotated[list[str] | None, typer.Option("--set", metavar=SET_METAVAR, help=SET_HELP)]
AllowOutside = Annotated[bool, typer.Option("--allow-outside-range", help=ALLOW_OUTSIDE_HELP)]
Format = Annotated[str, typer.Option("--format", metavar="FORMAT", help=FORMAT_HELP)]
Output = Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help=OUTPUT_HELP)]
Force = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
Start = Annotated[str, typer.Option("--start", metavar="START", help=START_HELP)]
Seed = Annotated[int | None, typer.Option("--seed", metavar="N", help="Seed of the random choices.")]
Population = Annotated[str, typer.Option("--population", metavar="POPULATION", help=POPULATION_HELP)]
IntegratorMethod = Annotated[str, typer.Option("--integrator", metavar="METHOD", help=INTEGRATOR_HELP)]
Rtol = Annotated[float | None, typer.Option(
    "--rtol", metavar="X", help="Relative tolerance of each integration step.")]
Atol = Annotated[float | None, typer.Option(
    "--atol", metavar="X", help="Absolute tolerance of each integration step.")]


# -- what every subcommand does ---------------------------------------------------------------------


def _check_figure(out: Path | None, force: bool) -> None:
    """Every check of ``-o`` before any work, so that bad input never leaves a file behind."""
    if out is None:
        return
    from negsim.io.atomic import refuse_existing

    if out.suffix.lower().lstrip(".") not in ("png", "svg", "pdf"):
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", path="--output")])
    if not out.parent.is_dir():
        raise InputError([Problem("the folder does not exist", file=str(out.parent), path="--output")])
    refuse_existing(out, force=force)


def _load(scenario: str, set_: list[str] | None, allow_outside_range: bool, format_: str,
          out: Path | None = None, force: bool = False) -> tuple[Source, dict[str, float], Game, Solution]:
    from negsim.compile.source import load_source
    from negsim.dynamics import equilibria_of

    check_format(format_)
    _check_figure(out, force)
    source = load_source(scenario)
    overrides = overrides_for(source.game, set_ or [], allow_outside_range=allow_outside_range)
    game = source.at(overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degeneracy is recorded on the solution
        solution = equilibria_of(game)
    return source, overrides, game, solution


def _heading(game: Game, what: str, overrides: dict[str, float]) -> None:
    name = game.title or game.id or "game"
    at = f" at {shown_parameters(overrides)}" if overrides else ""
    console.print(f"{what}: {name}{at}", style="bold", markup=False)


def _emit(kind: str, result: Any, source: Source, game: Game, format_: str,
          extra: dict[str, Any] | None = None) -> bool:
    """Print the JSON object and return True, or return False for the table."""
    if format_ != "json":
        return False
    from negsim.render.dynamics import dynamics_to_dict

    scenario = source.scenario.id if source.scenario is not None else (game.id or source.origin)
    data = dynamics_to_dict(kind, result, game, scenario=scenario, parameters=game.parameters)
    data.update(extra or {})
    typer.echo(json.dumps(data, indent=2))
    return True


def _save(figure: Any, out: Path | None, format_: str) -> None:
    if out is None:
        return
    from negsim.plot.dynamics import save_dynamics_figure

    written = save_dynamics_figure(figure, out)
    if format_ == "table":
        console.print(f"wrote {written}", markup=False)


def _integrator(method: str, rtol: float | None, atol: float | None, default: Integrator) -> Integrator:
    from dataclasses import replace

    from negsim.dynamics import METHODS

    if method not in METHODS:
        raise InputError([Problem(
            f"unknown integration method {method!r}{did_you_mean(method, list(METHODS))}",
            path="--integrator")])
    changes: dict[str, Any] = {"method": method}
    if rtol is not None:
        changes["rtol"] = rtol
    if atol is not None:
        changes["atol"] = atol
    return replace(default, **changes)


def _start_name(start: str) -> str:
    return {"uniform": "uniform play", "status-quo": "the status quo"}.get(start.strip(), start)


# -- the subcommands ----------------------------------------------------------------------------------


@dynamics_app.command(name="best-response")
def best_response_command(
    scenario: Scenario,
    start: Annotated[str | None, typer.Option(
        "--start", metavar="START",
        help="A pure profile to start from: status-quo, or player.strategy, ... with one strategy "
             "per player; by default the status quo, else every player's first strategy.")] = None,
    order: Annotated[str, typer.Option(
        "--order", metavar="ORDER",
        help="Who revises: sequential (in turn), simultaneous (all at once) or random (one at a "
             "time, drawn).")] = "sequential",
    steps: Annotated[int, typer.Option("--steps", metavar="N", min=1, help="Most steps.")] = 1000,
    seed: Seed = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
) -> None:
    """Best-response dynamics over pure profiles: players switch to a best response until no one
    wants to (a pure equilibrium) or play repeats (a cycle)."""
    from negsim.dynamics import best_response_dynamics, best_response_graph, pure_start
    from negsim.render.dynamics import render_best_responses

    source, overrides, game, _solution = _load(scenario, set_, allow_outside_range, format_)
    profile = pure_start(game, start)
    path = best_response_dynamics(game, profile, order=order, max_steps=steps, seed=seed)
    graph = best_response_graph(game)
    if _emit("best-response", path, source, game, format_, {"graph": graph.to_dict()}):
        return
    _heading(game, "Best-response dynamics", overrides)
    render_best_responses(console, path, graph)


@dynamics_app.command(name="fictitious-play")
def fictitious_play_command(
    scenario: Scenario,
    start: Annotated[str, typer.Option(
        "--start", metavar="START", help="The prior beliefs: " + START_HELP[len("Where play starts: "):])]
    = "uniform",
    steps: Annotated[int, typer.Option("--steps", metavar="N", min=1, help="Rounds of play.")] = 2000,
    mode: Annotated[str, typer.Option(
        "--mode", metavar="MODE",
        help="simultaneous (everyone answers the same history) or alternating (in turn).")] = "simultaneous",
    prior_weight: Annotated[float, typer.Option(
        "--prior-weight", metavar="W", help="How many rounds the prior beliefs count for.")] = 1.0,
    ties: Annotated[str, typer.Option(
        "--ties", metavar="RULE", help="first (the lowest-numbered best response) or random.")] = "first",
    seed: Seed = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """Fictitious play: each round every player best-responds to the empirical frequencies of the
    others' past play. Shows where the frequencies go and the cycle of play."""
    from negsim.dynamics import fictitious_play, start_profile
    from negsim.render.dynamics import render_fictitious_play

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_, out, force)
    prior = start_profile(game, start)
    run = fictitious_play(game, prior, steps=steps, mode=mode, prior_weight=prior_weight, ties=ties,
                          seed=seed, solution=solution)
    if not _emit("fictitious-play", run, source, game, format_):
        _heading(game, f"Fictitious play from {_start_name(start)}", overrides)
        render_fictitious_play(console, run)
    if out is not None:
        from negsim.plot.dynamics import draw_fictitious_play

        _save(draw_fictitious_play(run), out, format_)


@dynamics_app.command(name="replicator")
def replicator_command(
    scenario: Scenario,
    start: Start = "uniform",
    horizon: Annotated[float, typer.Option("--horizon", metavar="T", help="How long to integrate.")] = 100.0,
    samples: Annotated[int, typer.Option(
        "--samples", metavar="N", min=2, help="States kept along the trajectory.")] = 1001,
    population: Population = "per-player",
    integrator: IntegratorMethod = "DOP853",
    rtol: Rtol = None,
    atol: Atol = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """Replicator dynamics: strategies grow in proportion to how much better than average they do.
    Says whether play comes to rest, and at which verified equilibrium, or circles."""
    from negsim.dynamics import Integrator, replicator, start_profile
    from negsim.render.dynamics import render_trajectory

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_, out, force)
    method = _integrator(integrator, rtol, atol, Integrator())
    profile = start_profile(game, start, population=population)
    trajectory = replicator(game, profile, horizon=horizon, samples=samples, population=population,
                            integrator=method, solution=solution)
    if not _emit("replicator", trajectory, source, game, format_):
        _heading(game, f"Replicator dynamics from {_start_name(start)}", overrides)
        render_trajectory(console, trajectory, what=f"Replicator dynamics ({population})")
    if out is not None:
        from negsim.plot.dynamics import draw_trajectory

        _save(draw_trajectory(trajectory), out, format_)


@dynamics_app.command(name="logit")
def logit_command(
    scenario: Scenario,
    lam: Annotated[float, typer.Option(
        "--lambda", metavar="LAMBDA",
        help="Rationality in payoff units (0: uniform play; large: best responses).")],
    start: Start = "uniform",
    horizon: Annotated[float, typer.Option("--horizon", metavar="T", help="How long to integrate.")] = 50.0,
    samples: Annotated[int, typer.Option(
        "--samples", metavar="N", min=2, help="States kept along the trajectory.")] = 501,
    integrator: IntegratorMethod = "DOP853",
    rtol: Rtol = None,
    atol: Atol = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """Logit (quantal) response dynamics: each mix moves towards its logit response. Its rest
    points are the logit QRE with the same lambda."""
    from negsim.dynamics import Integrator, logit_dynamics, start_profile
    from negsim.render.dynamics import render_trajectory

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_, out, force)
    method = _integrator(integrator, rtol, atol, Integrator())
    trajectory = logit_dynamics(game, start_profile(game, start), lam=lam, horizon=horizon, samples=samples,
                                integrator=method, solution=solution)
    if not _emit("logit", trajectory, source, game, format_):
        _heading(game, f"Logit dynamics (lambda {lam:g}) from {_start_name(start)}", overrides)
        render_trajectory(console, trajectory, what="Logit response dynamics")
    if out is not None:
        from negsim.plot.dynamics import draw_trajectory

        _save(draw_trajectory(trajectory), out, format_)


@dynamics_app.command(name="qre")
def qre_command(
    scenario: Scenario,
    lam: Annotated[list[float] | None, typer.Option(
        "--lambda", metavar="LAMBDA",
        help="Report the QRE at this lambda, in payoff units (repeatable).")] = None,
    max_lambda: Annotated[float | None, typer.Option(
        "--max-lambda", metavar="LAMBDA",
        help="How far to follow the path (by default 10000 divided by the payoff range).")] = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """The logit quantal response equilibrium as a behavioural prediction: the principal branch
    from uniform play (lambda 0) to the Nash equilibrium it selects."""
    from negsim.dynamics.qre import qre_path, report_lambdas
    from negsim.render.dynamics import render_qre

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_, out, force)
    asked = list(lam or [])
    top = max_lambda
    if top is not None and asked and max(asked) > top:
        raise InputError([Problem(f"--lambda {max(asked):g} is beyond --max-lambda {top:g}",
                                  path="--lambda")])
    shown = asked or report_lambdas(game, top)
    path = qre_path(game, max_lambda=top, lambdas=shown, solution=solution)
    if asked and max(asked) > path.max_lambda:
        raise InputError([Problem(f"--lambda {max(asked):g} is beyond the end of the path "
                                  f"({path.max_lambda:g}); raise --max-lambda", path="--lambda")])
    if not _emit("qre", path, source, game, format_):
        _heading(game, "Quantal response equilibrium", overrides)
        render_qre(console, path, lambdas=[v for v in shown if v <= path.max_lambda])
    if out is not None:
        from negsim.plot.dynamics import draw_qre_path

        _save(draw_qre_path(path), out, format_)


BASIN_DYNAMICS = {"replicator": "replicator", "fictitious-play": "fictitious play"}


@dynamics_app.command(name="basins")
def basins_command(
    scenario: Scenario,
    dynamics: Annotated[str, typer.Option(
        "--dynamics", metavar="DYNAMICS", help="replicator or fictitious-play.")] = "replicator",
    population: Population = "per-player",
    resolution: Annotated[int, typer.Option(
        "--resolution", metavar="N", min=1,
        help="Starts on an N x N grid (2x2 games) or N^2 triangles (3 strategies).")] = 20,
    samples: Annotated[int | None, typer.Option(
        "--samples", metavar="N", min=1,
        help="Random starts instead of a grid (1000 when the game has no grid).")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", metavar="N", help="Seed of the random starts (0 when the game has no grid).")] = None,
    horizon: Annotated[float, typer.Option(
        "--horizon", metavar="T", help="How long the replicator runs from each start.")] = 100.0,
    steps: Annotated[int, typer.Option(
        "--steps", metavar="N", min=1, help="Rounds of fictitious play from each start.")] = 2000,
    integrator: IntegratorMethod = "DOP853",
    rtol: Rtol = None,
    atol: Atol = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """Basins of attraction: from many starts, which verified equilibrium play reaches, and the
    share of starts each gets; with the exact boundary of 2x2 coordination games."""
    from negsim.cli.progress import ProgressBar
    from negsim.dynamics import Integrator, basins, grid_starts
    from negsim.render.dynamics import render_basins

    if dynamics not in BASIN_DYNAMICS:
        raise InputError([Problem(
            f"unknown dynamics {dynamics!r}{did_you_mean(dynamics, list(BASIN_DYNAMICS))}",
            path="--dynamics")])
    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_, out, force)
    method = _integrator(integrator, rtol, atol, Integrator(rtol=1e-8, atol=1e-10))
    if samples is None:
        try:
            grid_starts(game, 1, population if population in ("per-player", "single") else "per-player")
        except InputError:  # no grid for this game: random starts
            samples, seed = 1000, 0 if seed is None else seed
    elif seed is None:
        seed = 0
    with ProgressBar(console_err, "basins", unit="starts") as bar:
        found = basins(game, dynamics=BASIN_DYNAMICS[dynamics], population=population,
                       resolution=resolution, samples=samples, seed=seed, horizon=horizon, steps=steps,
                       integrator=method, solution=solution, progress=bar)
    if not _emit("basins", found, source, game, format_):
        _heading(game, "Basins of attraction", overrides)
        render_basins(console, found)
    if out is not None:
        from negsim.plot.dynamics import draw_basins

        _save(draw_basins(found), out, format_)


@dynamics_app.command(name="rest-points")
def rest_points_command(
    scenario: Scenario,
    population: Population = "per-player",
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
) -> None:
    """Rest points of the replicator in exact fractions, with the eigenvalues of the
    linearisation and their stability (sink, saddle, source, centre)."""
    from negsim.dynamics import rest_points
    from negsim.render.dynamics import render_rest_points

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_)
    rest = rest_points(game, population=population, solution=solution)
    if _emit("rest-points", rest, source, game, format_):
        return
    _heading(game, "Rest points", overrides)
    render_rest_points(console, rest)


@dynamics_app.command(name="portrait")
def portrait_command(
    scenario: Scenario,
    start: Annotated[list[str] | None, typer.Option(
        "--start", metavar="START",
        help="Draw the trajectory from this start (repeatable): player.strategy=probability, ...; "
             "by default a spread of starts.")] = None,
    horizon: Annotated[float, typer.Option("--horizon", metavar="T", help="How long each trajectory runs.")]
    = 30.0,
    resolution: Annotated[int, typer.Option(
        "--resolution", metavar="N", min=2, help="Arrows of the vector field per side.")] = 15,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """The replicator's phase portrait: the vector field, trajectories and rest points on the
    unit square of a 2x2 game or the simplex of a symmetric game with 3 strategies."""
    from negsim.dynamics import phase_portrait, portrait_kind, start_profile
    from negsim.render.dynamics import render_portrait

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_, out, force)
    try:
        kind = portrait_kind(game)
    except InputError as error:  # the game, not an option, is the problem: name the scenario
        raise InputError([Problem(p.message, file=source.origin) for p in error.problems]) from None
    starts = None
    if start:
        profiles = [start_profile(game, s, population="per-player" if kind == "square" else "single")
                    for s in start]
        starts = ([(float(x[0][0]), float(x[1][0])) for x in profiles] if kind == "square"
                  else [tuple(float(v) for v in x[0]) for x in profiles])
    portrait = phase_portrait(game, starts=starts, horizon=horizon, resolution=resolution, solution=solution)
    if not _emit("portrait", portrait, source, game, format_):
        _heading(game, "Phase portrait", overrides)
        render_portrait(console, portrait)
    if out is not None:
        from negsim.plot.dynamics import draw_phase_portrait

        _save(draw_phase_portrait(portrait), out, format_)


@dynamics_app.command(name="overview")
def overview_command(
    scenario: Scenario,
    steps: Annotated[int, typer.Option(
        "--steps", metavar="N", min=1, help="Rounds of fictitious play (and most best-response steps).")]
    = 2000,
    horizon: Annotated[float, typer.Option("--horizon", metavar="T", help="How long the replicator runs.")]
    = 100.0,
    max_lambda: Annotated[float | None, typer.Option(
        "--max-lambda", metavar="LAMBDA", help="How far to follow the QRE path.")] = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
) -> None:
    """Where play goes, in one table: best responses from the status quo, fictitious play from
    uniform play and from the status quo, the replicator from uniform play, the QRE limit."""
    from negsim.dynamics import learning_overview
    from negsim.render.dynamics import render_overview

    source, overrides, game, solution = _load(scenario, set_, allow_outside_range, format_)
    overview = learning_overview(game, solution=solution, steps=steps, horizon=horizon, max_lambda=max_lambda)
    if _emit("overview", overview, source, game, format_):
        return
    _heading(game, "Learning dynamics", overrides)
    render_overview(console, overview)
