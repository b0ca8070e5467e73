"""Command: repeated (can cooperation last: minmax payoffs, the folk-theorem region, the
discount factors that sustain an outcome, unravelling).

The engine is imported inside the command, so that ``negsim --help`` starts quickly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from negsim.cli.analysis_options import per_player_option, profile_option, punishment_option
from negsim.cli.app import app, console
from negsim.cli.bargain_commands import Force, check_output
from negsim.cli.core_commands import SOURCE_HELP, AllowOutside, Format, Set
from negsim.cli.options import check_format, overrides_for


@app.command(name="repeated")
def repeated(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help=SOURCE_HELP)],
    cooperate: Annotated[list[str] | None, typer.Option(
        "--cooperate", metavar="PROFILE",
        help="An outcome whose lasting is in question: store,waive or turkey=store,us=waive "
             "(repeatable). Default: the scenario's declaration, else the Pareto-efficient outcomes "
             "above the minmax that are not stage equilibria.")] = None,
    punishment: Annotated[list[str] | None, typer.Option(
        "--punishment", metavar="PROFILE",
        help="What is played for ever after a deviation: one profile (limited,keep), or "
             "PLAYER:PROFILE once per player (after that player deviates).")] = None,
    discount: Annotated[str | None, typer.Option(
        "--discount", metavar="VALUES",
        help="The players' discount factors, to say whether each outcome lasts at them: 0.9,0.8 "
             "or turkey=0.9,us=0.8.")] = None,
    rounds: Annotated[int | None, typer.Option(
        "--rounds", metavar="N", min=1, help="A known, finite number of rounds.")] = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE",
        help="Also draw the folk-theorem region with every outcome's smallest discount factors "
             "(.png, .svg or .pdf).")] = None,
    force: Force = False,
) -> None:
    """Can cooperation last? The minmax (punishment) payoffs, the folk-theorem region, and
    for each outcome the smallest discount factors at which grim trigger, one-period
    punishment, minmax punishment, a declared punishment and tit-for-tat sustain it (exact
    fractions, with sentences); what a finite horizon allows (unravelling). Options override
    the scenario's repeated-play declarations."""
    from negsim.compile.source import load_source
    from negsim.plot.repeated import plot_folk_region
    from negsim.render.bargaining import render_repeated, repeated_to_dict
    from negsim.repeated.analysis import RepeatedAnalysis

    check_format(format_)
    files = check_output(out, force)
    changes = {
        "cooperation": None if not cooperate else [profile_option(c, "--cooperate") for c in cooperate],
        "punishment": punishment_option(punishment or []),
        "discount": None if discount is None else per_player_option(discount, "--discount"),
        "rounds": rounds,
    }
    source = load_source(scenario)
    overrides = overrides_for(source.game, set_ or [], allow_outside_range=allow_outside_range)
    play = source.repeated(overrides, **changes)
    values = source.game.values(overrides)
    if format_ == "json":
        typer.echo(json.dumps(repeated_to_dict(play, scenario=source.game.id or source.origin,
                                               parameters=values), indent=2))
    else:
        render_repeated(console, play, scenario=source.scenario, parameters=values)
    if files:
        analysis = RepeatedAnalysis(play.game, play.punishments, play.folk, play.outcomes,
                                    play.cooperation[0] if play.cooperation else None, play.finite[0])
        title = f"Which outcomes can last? {source.game.title or source.game.id}"
        written = plot_folk_region(analysis, files[0].with_suffix(""), [files[0].suffix.lstrip(".")],
                                   title=title)
        if format_ == "table":
            for path in written:
                console.print(f"wrote {path}", markup=False)
