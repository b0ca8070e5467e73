"""Command: sweep (a scenario over parameter values, or a sweep spec file)."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app, console, console_err
from negsim.cli.options import parse_assignments
from negsim.cli.progress import ProgressBar
from negsim.errors import InputError, Problem

__all__ = ["build_spec", "sweep"]

PARAM_HELP = ("Sweep a parameter: name=start:stop:count, name=start:stop:count:log or "
              "name=v1,v2,v3 (a grid; repeat for 2-D); with --mc: name or name=low:high; with "
              "--oat: name.")
#: Most tipping points and outcomes printed; the run folder has them all.
SHOWN = 20
#: What ``--equilibrium`` takes.
EQUILIBRIA = ("subgame-perfect", "nash")


def _number(text: str, option: str, item: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError([Problem(f"{item}: expected a number, got {text.strip()!r}",
                                  path=option)]) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError([Problem(f"{item}: expected a finite number, got {text!r}",
                                  path=option)])
    return value


def _whole(text: str, option: str, item: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError([Problem(f"{item}: expected a whole number of points, got "
                                  f"{text.strip()!r}", path=option)]) from None


def _grid_axis(item: str) -> tuple[str, dict]:
    name, sep, text = item.partition("=")
    name = name.strip()
    if not sep or not name or not text.strip():
        raise InputError([Problem(f"expected name=start:stop:count or name=v1,v2,...; got "
                                  f"{item!r}", path="--param")])
    if ":" in text:
        parts = text.split(":")
        if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3].strip() not in ("log", "linear")):
            raise InputError([Problem(f"{item}: expected start:stop:count or "
                                      "start:stop:count:log", path="--param")])
        axis = {"start": _number(parts[0], "--param", item), "stop": _number(parts[1], "--param", item),
                "count": _whole(parts[2], "--param", item)}
        if len(parts) == 4:
            axis["scale"] = parts[3].strip()
        return name, axis
    return name, {"values": [_number(v, "--param", item) for v in text.split(",")]}


def _drawn(item: str) -> tuple[str, dict]:
    name, sep, text = item.partition("=")
    name = name.strip()
    if not sep:
        return name, {"distribution": "uniform"}
    parts = text.split(":")
    if len(parts) != 2:
        raise InputError([Problem(f"{item}: with --mc, give name (its min..max) or "
                                  "name=low:high", path="--param")])
    return name, {"distribution": "uniform", "low": _number(parts[0], "--param", item),
                  "high": _number(parts[1], "--param", item)}


def build_spec(scenario_id: str, source: str, *, params: list[str], mc: int | None,
               seed: int | None, oat: bool, count: int | None, set_: dict[str, float],
               method: str, allow_outside_range: bool, equilibrium: str | None = None,
               credibility: list[str] | None = None) -> dict:
    """The sweep spec (as plain data) that the command-line options describe."""
    if mc is not None and oat:
        raise InputError([Problem("give --mc or --oat, not both", path="--mc")])
    if count is not None and not oat:
        raise InputError([Problem("--count is the number of points per parameter of --oat",
                                  path="--count")])
    if seed is not None and mc is None:
        raise InputError([Problem("--seed seeds the draws of --mc", path="--seed")])
    spec: dict = {"negsim_sweep": 1, "id": scenario_id, "scenario": source, "set": set_,
                  "method": method, "allow_outside_range": allow_outside_range}
    if equilibrium is not None:
        spec["equilibrium"] = equilibrium
    if credibility:
        spec["credibility"] = list(credibility)
    if mc is not None:
        draws = dict(_drawn(p) for p in params)
        spec["monte_carlo"] = {"draws": mc, "parameters": draws or "all",
                               **({"seed": seed} if seed is not None else {})}
    elif oat:
        names = []
        for item in params:
            if "=" in item:
                raise InputError([Problem(f"{item}: with --oat, give parameter names only (each "
                                          "moves over its min..max)", path="--param")])
            names.append(item.strip())
        spec["one_at_a_time"] = {"parameters": names or "all",
                                 **({"count": count} if count is not None else {})}
    else:
        if not params:
            raise InputError([Problem("say what to sweep: --param name=start:stop:count "
                                      "(repeatable), --mc N or --oat", path="--param")])
        grid = {}
        for item in params:
            name, axis = _grid_axis(item)
            if name in grid:
                raise InputError([Problem(f"{name} is given twice", path="--param")])
            grid[name] = axis
        spec["grid"] = grid
    return spec


_OPTION_OF = {"grid": "--param", "monte_carlo": "--mc", "one_at_a_time": "--oat", "set": "--set",
              "method": "--method", "id": "SCENARIO", "equilibrium": "--equilibrium",
              "credibility": "--credibility"}


def _as_options(error: InputError) -> InputError:
    """Problems found in a spec built from options, named by the options."""
    problems = []
    for p in error.problems:
        head, _, rest = p.path.partition(".")
        option = _OPTION_OF.get(head.split("[")[0])
        if option is None or p.file:
            problems.append(p)
            continue
        where = rest.split(".")[0] if rest and head in ("grid", "set") else ""
        if f"'{where}'" in p.message:  # the message names it already
            where = ""
        problems.append(Problem(f"{where + ': ' if where else ''}{p.message}", path=option))
    return InputError(problems)


def _from_options(error: InputError, keys: set[str]) -> InputError:
    """Problems with spec keys that the command line set (``--equilibrium``,
    ``--credibility``) named by those options, not placed in the spec file."""
    problems = []
    for p in error.problems:
        head = p.path.partition(".")[0].split("[")[0]
        problems.append(Problem(p.message, path=_OPTION_OF[head]) if head in keys else p)
    return InputError(problems)


def _run_id(game_id: str, source: str) -> str:
    text = game_id or Path(source).stem
    text = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return text[:100] or "sweep"


@app.command(name="sweep")
def sweep(
    source: Annotated[str, typer.Argument(
        metavar="SCENARIO_OR_SPEC",
        help="A sweep spec (.yaml with negsim_sweep: 1), or a scenario file, .nfg file or "
             "built-in id.")],
    param: Annotated[list[str] | None, typer.Option("--param", metavar="NAME=RANGE", help=PARAM_HELP)] = None,
    mc: Annotated[int | None, typer.Option(
        "--mc", metavar="N", help="Monte Carlo: this many random points.")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", metavar="SEED", help="Seed of the --mc draws.")] = None,
    oat: Annotated[bool, typer.Option(
        "--oat", help="One at a time: each parameter over its min..max, the others at their "
                      "defaults.")] = False,
    count: Annotated[int | None, typer.Option(
        "--count", metavar="N", help="Points per parameter for --oat (default 41).")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME=VALUE", help="Hold a parameter at a value: name=value (repeatable).")] = None,
    method: Annotated[str | None, typer.Option(
        "--method", metavar="METHOD", help="Equilibrium method (default auto).")] = None,
    equilibrium: Annotated[str | None, typer.Option(
        "--equilibrium", metavar="KIND",
        help="For scenarios with timing, types or a tree: subgame-perfect (the default: "
             "backward induction) or nash (the strategic form, whose strategies are plans).")
    ] = None,
    credibility: Annotated[list[str] | None, typer.Option(
        "--credibility", metavar="'MOVE after MOVES'",
        help="Record whether this response is credible at each point, and where that changes, "
             "e.g. 'sanction after full' (repeatable).")] = None,
    workers: Annotated[int, typer.Option("--workers", metavar="N", help="Solve in this many processes.")] = 1,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="Run on a Dask cluster: a scheduler address, or 'local'.")] = None,
    runs_dir: Annotated[Path, typer.Option(
        "--runs-dir", metavar="DIR", help="Where run folders go.")] = Path("runs"),
    allow_outside_range: Annotated[bool, typer.Option(
        "--allow-outside-range", help="Allow values outside parameters' min..max.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only the run folder.")] = False,
) -> None:
    """Solve a scenario at many parameter points; write a run folder with the table of
    equilibria, the tipping points and a manifest; print a summary."""
    from negsim.sweep import SweepInterrupted, load_sweep_spec, parse_sweep_spec, run_sweep
    from negsim.sweep.spec_loader import is_sweep_spec_file

    param, set_ = param or [], set_ or []
    overridden: set[str] = set()
    if equilibrium is not None and equilibrium not in EQUILIBRIA:
        from negsim.errors import did_you_mean

        raise InputError([Problem(f"expected subgame-perfect or nash, got {equilibrium!r}"
                                  f"{did_you_mean(equilibrium, list(EQUILIBRIA))}",
                                  path="--equilibrium")])
    if workers < 1:
        raise InputError([Problem(f"expected at least 1, got {workers}", path="--workers")])
    overrides = parse_assignments(set_)
    if is_sweep_spec_file(source):
        for flag, given in (("--param", param), ("--mc", mc is not None), ("--oat", oat),
                            ("--count", count is not None)):
            if given:
                raise InputError([Problem(f"{source} says what to sweep; {flag} is for sweeping "
                                          "a scenario (edit the spec instead)", path=flag)])
        spec = load_sweep_spec(source)
        update = {}
        if overrides:
            from negsim.compile.source import load_source

            # Checked here, so that a misspelt --set is not blamed on the spec file.
            load_source(spec.scenario_source()).game.values(overrides)
            update["set"] = {**spec.set, **overrides}
        if method is not None:
            update["method"] = method
        if equilibrium is not None:
            update["equilibrium"] = equilibrium
        if credibility:
            update["credibility"] = list(credibility)
        overridden = {key for key in ("equilibrium", "credibility") if key in update}
        if allow_outside_range:
            update["allow_outside_range"] = True
        if seed is not None:
            if spec.monte_carlo is None:
                raise InputError([Problem("--seed seeds Monte Carlo draws; this spec has none",
                                          path="--seed")])
            update["monte_carlo"] = spec.monte_carlo.model_copy(update={"seed": seed})
        if update:
            spec = spec.model_copy(update=update)
    else:
        from negsim.compile.source import load_source

        loaded = load_source(source)
        data = build_spec(_run_id(loaded.game.id, source), source, params=param, mc=mc,
                          seed=seed, oat=oat, count=count, set_=overrides,
                          method=method or "auto", allow_outside_range=allow_outside_range,
                          equilibrium=equilibrium, credibility=credibility)
        try:
            spec = parse_sweep_spec(data)
        except InputError as exc:
            raise _as_options(exc) from None
    if Path(sys.argv[0]).name == "negsim" and sys.argv[1:2] == ["sweep"]:
        command = shlex.join(["negsim", *sys.argv[1:]])      # as typed in the shell
    else:                                                    # called as a function
        command = shlex.join(["negsim", "sweep", source,
                              *_given_options(param, mc, seed, oat, count, set_, method,
                                              workers, dask, runs_dir, equilibrium,
                                              credibility)])
    try:
        with ProgressBar(console_err, enabled=not quiet) as bar:
            result = run_sweep(spec, workers=workers, dask=dask, progress=bar,
                               runs_dir=runs_dir, command=command)
    except SweepInterrupted as stop:
        _report_interrupted(stop.result)
        raise typer.Exit(130) from None
    except InputError as exc:
        if spec.file is None:
            raise _as_options(exc) from None
        if overridden:
            raise _from_options(exc, overridden) from None
        raise
    if quiet:
        _Say.print(str(result.folder))
        return
    _report(result)


def _given_options(param, mc, seed, oat, count, set_, method, workers, dask, runs_dir,
                   equilibrium=None, credibility=None) -> list[str]:
    """The command's options as given, for the manifest."""
    args: list[str] = []
    if equilibrium is not None:
        args += ["--equilibrium", equilibrium]
    for c in credibility or []:
        args += ["--credibility", c]
    for p in param:
        args += ["--param", p]
    for flag, value in (("--mc", mc), ("--seed", seed), ("--count", count), ("--method", method),
                        ("--dask", dask)):
        if value is not None:
            args += [flag, str(value)]
    if oat:
        args.append("--oat")
    for s in set_:
        args += ["--set", s]
    if workers != 1:
        args += ["--workers", str(workers)]
    if runs_dir != Path("runs"):
        args += ["--runs-dir", str(runs_dir)]
    return args


class _Say:
    """Plain lines on stdout, never re-wrapped (they are read and copied, also from pipes)."""

    @staticmethod
    def print(text: str, **_ignored) -> None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)


def _report(result) -> None:
    manifest = result.manifest
    out = _Say
    out.print(f"run folder: {result.folder}", markup=False)
    seconds = manifest.get("timings", {}).get("total", 0.0)
    seed = f", seed {manifest['seed']}" if manifest.get("seed") is not None else ""
    out.print(f"{result.n_points:,} points, {result.n_rows:,} rows, {seconds:.1f} s{seed}",
              markup=False)
    if manifest.get("all_equilibria_searched") is False:
        out.print(f"note: method '{manifest.get('method')}' does not search for every "
                  "equilibrium of these games; the equilibrium sets may be incomplete")
    outcomes = result.outcomes
    spe = manifest.get("equilibrium") == "subgame-perfect"
    out.print("subgame-perfect equilibria (share of points):" if spe else
              "equilibrium sets (share of points):", markup=False)
    for o in outcomes[:SHOWN]:
        out.print(f"  {100 * o['share']:5.1f}%  {o['equilibrium_set']}", markup=False)
    if len(outcomes) > SHOWN:
        out.print(f"  ... and {len(outcomes) - SHOWN} more (results.csv)", markup=False)
    _report_credibility(result)
    if manifest.get("kind") == "monte_carlo":
        return
    tipping = result.tipping_points
    if not tipping:
        out.print("tipping points: none (the equilibrium set is the same at every point of "
                  "every line)", markup=False)
        return
    out.print(f"tipping points ({len(tipping)}):", markup=False)
    for t in tipping[:SHOWN]:
        out.print(f"  - {t['sentence']}", markup=False)
    if len(tipping) > SHOWN:
        out.print(f"  ... and {len(tipping) - SHOWN} more (tipping_points.json)", markup=False)
    if result.sensitivity:
        out.print("sensitivity (largest swing of an equilibrium payoff):", markup=False)
        for r in result.sensitivity[:SHOWN]:
            out.print(f"  {r['rank']:3d}. {r['parameter']}: swing {r['swing']:.3g}, "
                      f"{r['outcome_changes']} change(s) of the equilibrium set", markup=False)


def _report_credibility(result) -> None:
    record = result.credibility
    if not record:
        return
    out = _Say
    out.print("credibility (share of points where carrying it out is a best reply):")
    for r in record.get("responses", []):
        out.print(f"  {100 * r['share_credible']:5.1f}%  {r['description']}")
    thresholds = record.get("tipping_points")
    if thresholds is None:
        return
    if not thresholds:
        out.print("  credibility changes nowhere along the sweep's lines")
    for t in thresholds[:SHOWN]:
        out.print(f"  - {t['sentence']}")
    if len(thresholds) > SHOWN:
        out.print(f"  ... and {len(thresholds) - SHOWN} more (credibility.json)")


def _report_interrupted(result) -> None:
    files = [name for key, name in result.manifest.get("files", {}).items() if key != "manifest"]
    console_err.print(
        f"negsim: sweep interrupted; kept {result.n_points:,} of "
        f"{result.manifest.get('n_points', 0):,} points ({result.n_rows:,} rows) in "
        f"{result.folder}: {', '.join(files) or 'no table rows'} (manifest.json: status "
        "interrupted)", markup=False, highlight=False, soft_wrap=True)
