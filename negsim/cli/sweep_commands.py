"""Command: sweep (a scenario over parameter values, or a sweep spec file)."""

from __future__ import annotations

import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.app import app, console, console_err
from negsim.cli.options import parse_assignments, parse_formats
from negsim.cli.progress import ProgressBar
from negsim.errors import InputError, Problem, did_you_mean

__all__ = ["sweep"]

PARAM_HELP = (
    "Sweep a parameter: name=start:stop:count, name=start:stop:count:log or "
    "name=v1,v2,v3 (a grid; repeat for 2-D); with --mc: name or name=low:high; with "
    "--oat: name."
)
#: Most tipping points and outcomes printed; the run folder has them all.
SHOWN = 20
#: What ``--equilibrium`` takes.
EQUILIBRIA = ("subgame-perfect", "nash")


def _ranges(params: list[str], mc: int | None, seed: int | None, oat: bool, count: int | None) -> dict:
    """The keyword arguments of :meth:`SweepSpec.from_ranges` that ``--param``, ``--mc``,
    ``--seed``, ``--oat`` and ``--count`` give."""
    if mc is not None and oat:
        raise InputError([Problem("give --mc or --oat, not both", path="--mc")])
    if count is not None and not oat:
        raise InputError([Problem("--count is the number of points per parameter of --oat", path="--count")])
    if seed is not None and mc is None:
        raise InputError([Problem("--seed seeds the draws of --mc", path="--seed")])
    named = [item.partition("=") for item in params]
    if mc is not None:
        for name, sep, text in named:
            if sep and len(text.split(":")) != 2:
                raise InputError(
                    [
                        Problem(
                            f"{name}={text}: with --mc, give name (its min..max) or name=low:high",
                            path="--param",
                        )
                    ]
                )
        return {
            "monte_carlo": mc,
            "seed": seed,
            "draws": {name.strip(): text if sep else None for name, sep, text in named},
        }
    if oat:
        for name, sep, text in named:
            if sep:
                raise InputError(
                    [
                        Problem(
                            f"{name}={text}: with --oat, give parameter names only "
                            "(each moves over its min..max)",
                            path="--param",
                        )
                    ]
                )
        return {"one_at_a_time": [name.strip() for name, _, _ in named], "count": count}
    if not params:
        raise InputError(
            [
                Problem(
                    "say what to sweep: --param name=start:stop:count (repeatable), --mc N or --oat",
                    path="--param",
                )
            ]
        )
    grid: dict[str, str] = {}
    for item, (name, sep, text) in zip(params, named):
        name = name.strip()
        if not sep or not name or not text.strip():
            raise InputError(
                [Problem(f"expected name=start:stop:count or name=v1,v2,...; got {item!r}", path="--param")]
            )
        if name in grid:
            raise InputError([Problem(f"{name} is given twice", path="--param")])
        grid[name] = text
    return {"grid": grid}


_OPTION_OF = {
    "grid": "--param",
    "monte_carlo.parameters": "--param",
    "monte_carlo": "--mc",
    "one_at_a_time": "--oat",
    "set": "--set",
    "method": "--method",
    "id": "SCENARIO",
    "equilibrium": "--equilibrium",
    "credibility": "--credibility",
    "bargaining": "--bargaining",
    "repeated": "--repeated",
    "stability": "--stability",
    "dynamics": "--dynamics",
}


def _as_options(error: InputError) -> InputError:
    """Problems found in a spec built from options, named by the options."""
    problems = []
    for p in error.problems:
        head, _, rest = p.path.partition(".")
        option = _OPTION_OF.get(p.path) or _OPTION_OF.get(head.split("[")[0])
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


@app.command(name="sweep")
def sweep(
    source: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO_OR_SPEC",
            help="A sweep spec (.yaml with negsim_sweep: 1), or a scenario file, .nfg file or built-in id.",
        ),
    ],
    param: Annotated[list[str] | None, typer.Option("--param", metavar="NAME=RANGE", help=PARAM_HELP)] = None,
    mc: Annotated[
        int | None, typer.Option("--mc", metavar="N", help="Monte Carlo: this many random points.")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="SEED", help="Seed of the --mc draws.")
    ] = None,
    oat: Annotated[
        bool,
        typer.Option(
            "--oat", help="One at a time: each parameter over its min..max, the others at their defaults."
        ),
    ] = False,
    count: Annotated[
        int | None, typer.Option("--count", metavar="N", help="Points per parameter for --oat (default 41).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="NAME=VALUE", help="Hold a parameter at a value: name=value (repeatable)."
        ),
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", metavar="METHOD", help="Equilibrium method (default auto).")
    ] = None,
    equilibrium: Annotated[
        str | None,
        typer.Option(
            "--equilibrium",
            metavar="KIND",
            help="For scenarios with timing, types or a tree: subgame-perfect (the default: "
            "backward induction) or nash (the strategic form, whose strategies are plans).",
        ),
    ] = None,
    credibility: Annotated[
        list[str] | None,
        typer.Option(
            "--credibility",
            metavar="'MOVE after MOVES'",
            help="Record whether this response is credible at each point, and where that changes, "
            "e.g. 'sanction after full' (repeatable).",
        ),
    ] = None,
    stability: Annotated[
        str | None,
        typer.Option(
            "--stability",
            metavar="CONCEPT",
            help="For conflicts in option form: the stability concept whose stable states the table "
            "lists and the tipping points follow: R, GMR, SMR, SEQ (the default), SIM, GMR+SIM, "
            "SMR+SIM or SEQ+SIM.",
        ),
    ] = None,
    bargaining: Annotated[
        str | None,
        typer.Option(
            "--bargaining",
            metavar="SOLUTION",
            help="Sweep a bargaining solution's agreement instead of equilibria, from the scenario's "
            "bargaining declarations: nash, kalai-smorodinsky, egalitarian, utilitarian or "
            "alternating-offers.",
        ),
    ] = None,
    repeated: Annotated[
        str | None,
        typer.Option(
            "--repeated",
            metavar="PROFILE",
            help="Sweep whether this outcome can last in repeated play (store,incentives), or "
            "'declared' for the scenario's first cooperative outcome.",
        ),
    ] = None,
    dynamics: Annotated[
        str | None,
        typer.Option(
            "--dynamics",
            metavar="DYNAMIC",
            help="Run learning dynamics at every point instead: the table and tipping points follow "
            "best-response, fictitious-play, replicator, qre or basins (300 random starts, seed 0; "
            "a spec's dynamics key sets more).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", metavar="N", help="Solve in this many processes.")] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask", metavar="ADDRESS", help="Run on a Dask cluster: a scheduler address, or 'local'."
        ),
    ] = None,
    runs_dir: Annotated[Path, typer.Option("--runs-dir", metavar="DIR", help="Where run folders go.")] = Path(
        "runs"
    ),
    formats: Annotated[
        str | None,
        typer.Option(
            "--formats",
            metavar="LIST",
            help="The results table's formats, comma-separated: csv, json, jsonl, parquet "
            "(default: parquet and csv with pyarrow installed, parquet alone above 100,000 "
            "points; else csv).",
        ),
    ] = None,
    allow_outside_range: Annotated[
        bool, typer.Option("--allow-outside-range", help="Allow values outside parameters' min..max.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only the run folder.")] = False,
) -> None:
    """Solve a scenario at many parameter points; write a run folder with the table of
    equilibria, the tipping points and a manifest; print a summary."""
    from negsim.sweep import SweepInterrupted, SweepSpec, load_sweep_spec, run_sweep
    from negsim.sweep.runfolder import table_formats
    from negsim.sweep.spec_loader import is_sweep_spec_file

    param, set_ = param or [], set_ or []
    chosen_formats = parse_formats(formats)
    if chosen_formats is not None:
        try:
            table_formats(chosen_formats, 0)
        except InputError as exc:
            raise InputError([replace(p, path="--formats") for p in exc.problems]) from None
    overridden: set[str] = set()
    if equilibrium is not None and equilibrium not in EQUILIBRIA:
        raise InputError(
            [
                Problem(
                    f"expected subgame-perfect or nash, got {equilibrium!r}"
                    f"{did_you_mean(equilibrium, list(EQUILIBRIA))}",
                    path="--equilibrium",
                )
            ]
        )
    if workers < 1:
        raise InputError([Problem(f"expected at least 1, got {workers}", path="--workers")])
    overrides = parse_assignments(set_)
    sections = _settlement_options(bargaining, repeated)
    if is_sweep_spec_file(source):
        for flag, given in (
            ("--param", param),
            ("--mc", mc is not None),
            ("--oat", oat),
            ("--count", count is not None),
        ):
            if given:
                raise InputError(
                    [
                        Problem(
                            f"{source} says what to sweep; {flag} is for sweeping "
                            "a scenario (edit the spec instead)",
                            path=flag,
                        )
                    ]
                )
        spec = load_sweep_spec(source)
        spec.source.game.values(overrides)  # a misspelt --set is not the spec file's fault
        if seed is not None and spec.monte_carlo is None:
            raise InputError([Problem("--seed seeds Monte Carlo draws; this spec has none", path="--seed")])
        spec = spec.with_options(
            set=overrides,
            method=method,
            equilibrium=equilibrium,
            credibility=credibility,
            seed=seed,
            stability=stability,
            dynamics=_follow(dynamics),
            allow_outside_range=True if allow_outside_range else None,
            **sections,
        )
        overridden = {
            key
            for key, given in (
                ("equilibrium", equilibrium is not None),
                ("credibility", bool(credibility)),
                ("stability", stability is not None),
                ("dynamics", dynamics is not None),
            )
            if given
        } | set(sections)
    else:
        try:
            spec = SweepSpec.from_ranges(
                source,
                **_ranges(param, mc, seed, oat, count),
                set=overrides,
                method=method or "auto",
                equilibrium=equilibrium,
                credibility=credibility,
                allow_outside_range=allow_outside_range,
                stability=stability,
                dynamics=_dynamics_spec(dynamics),
                **sections,
            )
        except InputError as exc:
            raise _as_options(exc) from None
    if Path(sys.argv[0]).name == "negsim" and sys.argv[1:2] == ["sweep"]:
        command = shlex.join(["negsim", *sys.argv[1:]])  # as typed in the shell
    else:  # called as a function
        command = shlex.join(
            [
                "negsim",
                "sweep",
                source,
                *_given_options(
                    param,
                    mc,
                    seed,
                    oat,
                    count,
                    set_,
                    method,
                    workers,
                    dask,
                    runs_dir,
                    equilibrium,
                    credibility,
                    bargaining,
                    repeated,
                    stability,
                    dynamics,
                    formats,
                ),
            ]
        )
    try:
        with ProgressBar(console_err, enabled=not quiet) as bar:
            result = run_sweep(
                spec,
                workers=workers,
                dask=dask,
                progress=bar,
                runs_dir=runs_dir,
                command=command,
                formats=chosen_formats,
            )
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


def _follow(dynamics: str | None) -> str | None:
    """``--dynamics``: what a dynamics sweep follows."""
    from negsim.sweep.dynamics_spec import FOLLOW

    if dynamics is not None and dynamics not in FOLLOW:
        raise InputError(
            [
                Problem(
                    f"expected one of {', '.join(FOLLOW)}, got {dynamics!r}"
                    f"{did_you_mean(dynamics, list(FOLLOW))}",
                    path="--dynamics",
                )
            ]
        )
    return dynamics


def _dynamics_spec(dynamics: str | None) -> dict | None:
    """The spec's ``dynamics`` key for ``--dynamics`` (basins with their default starts)."""
    follow = _follow(dynamics)
    if follow is None:
        return None
    return {"follow": follow, **({"basins": {}} if follow == "basins" else {})}


def _settlement_options(bargaining: str | None, repeated: str | None) -> dict:
    """``--bargaining`` and ``--repeated`` as the spec's ``bargaining`` and ``repeated`` keys."""
    sections: dict = {}
    if bargaining is not None:
        sections["bargaining"] = {"solution": bargaining}
    if repeated is not None:
        sections["repeated"] = (
            {} if repeated == "declared" else {"cooperation": [item.strip() for item in repeated.split(",")]}
        )
    return sections


def _given_options(
    param,
    mc,
    seed,
    oat,
    count,
    set_,
    method,
    workers,
    dask,
    runs_dir,
    equilibrium=None,
    credibility=None,
    bargaining=None,
    repeated=None,
    stability=None,
    dynamics=None,
    formats=None,
) -> list[str]:
    """The command's options as given, for the manifest."""
    args: list[str] = []
    if formats is not None:
        args += ["--formats", formats]
    for flag, value in (("--bargaining", bargaining), ("--repeated", repeated)):
        if value is not None:
            args += [flag, value]
    if equilibrium is not None:
        args += ["--equilibrium", equilibrium]
    if stability is not None:
        args += ["--stability", stability]
    if dynamics is not None:
        args += ["--dynamics", dynamics]
    for c in credibility or []:
        args += ["--credibility", c]
    for p in param:
        args += ["--param", p]
    for flag, value in (
        ("--mc", mc),
        ("--seed", seed),
        ("--count", count),
        ("--method", method),
        ("--dask", dask),
    ):
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
    out.print(f"{result.n_points:,} points, {result.n_rows:,} rows, {seconds:.1f} s{seed}", markup=False)
    if manifest.get("all_equilibria_searched") is False:
        out.print(
            f"note: method '{manifest.get('method')}' does not search for every "
            "equilibrium of these games; the equilibrium sets may be incomplete"
        )
    outcomes = result.outcomes
    spe = manifest.get("equilibrium") == "subgame-perfect"
    stability = (manifest.get("stability") or {}).get("concept")
    heading = {"bargaining": "agreements", "repeated": "verdicts"}.get(manifest.get("analysis") or "")
    if spe:
        heading = "subgame-perfect equilibria"
    elif stability:
        heading = f"{stability} equilibria, the states stable for all"
    heading = f"{heading or 'equilibrium sets'} (share of points)"
    out.print(f"{manifest.get('outcome_heading') or heading}:", markup=False)
    for o in outcomes[:SHOWN]:
        out.print(f"  {100 * o['share']:5.1f}%  {o['equilibrium_set']}", markup=False)
    if len(outcomes) > SHOWN:
        out.print(f"  ... and {len(outcomes) - SHOWN} more (results.csv)", markup=False)
    _report_credibility(result)
    if manifest.get("kind") == "monte_carlo":
        return
    tipping = result.tipping_points
    if not tipping:
        out.print(
            "tipping points: none (the equilibrium set is the same at every point of every line)",
            markup=False,
        )
        return
    out.print(f"tipping points ({len(tipping)}):", markup=False)
    for t in tipping[:SHOWN]:
        out.print(f"  - {t['sentence']}", markup=False)
    if len(tipping) > SHOWN:
        out.print(f"  ... and {len(tipping) - SHOWN} more (tipping_points.json)", markup=False)
    if result.sensitivity:
        out.print("sensitivity (largest swing of an equilibrium payoff):", markup=False)
        for r in result.sensitivity[:SHOWN]:
            out.print(
                f"  {r['rank']:3d}. {r['parameter']}: swing {r['swing']:.3g}, "
                f"{r['outcome_changes']} change(s) of the equilibrium set",
                markup=False,
            )


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
        "interrupted)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
