"""Command: bargain (where will they settle: bargaining solutions and alternating offers).

The engine is imported inside the command, so that ``negsim --help`` starts quickly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from negsim.cli.analysis_options import disagreement_option, per_player_option
from negsim.cli.app import app, console
from negsim.cli.core_commands import SOURCE_HELP, AllowOutside, Format, Set
from negsim.cli.options import check_format, overrides_for
from negsim.errors import InputError, Problem

Output = Annotated[Path | None, typer.Option(
    "-o", "--output", metavar="FILE",
    help="Also draw the payoff set with its frontier, the disagreement point and each solution "
         "(.png, .svg or .pdf); with alternating offers also FILE-offers: the shares against the "
         "discount factor.")]
Force = Annotated[bool, typer.Option("--force", help="Replace the output files if they exist.")]


def check_output(out: Path | None, force: bool, extra: tuple[str, ...] = ()) -> list[Path]:
    """The figure files ``-o FILE`` would write (``FILE`` and ``FILE-<extra>``), checked before
    any work so that bad input writes nothing."""
    from negsim.io.atomic import refuse_existing
    from negsim.plot.style import check_formats

    if out is None:
        return []
    if not out.suffix:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf", path="--output")])
    check_formats([out.suffix], option="--output")
    if not out.parent.is_dir():
        raise InputError([Problem("the folder does not exist", file=str(out.parent), path="--output")])
    files = [out, *(out.with_name(f"{out.stem}-{name}{out.suffix}") for name in extra)]
    for file in files:
        refuse_existing(file, force=force, option="--force")
    return files


@app.command(name="bargain")
def bargain(
    scenario: Annotated[str, typer.Argument(metavar="SCENARIO", help=SOURCE_HELP)],
    agreements: Annotated[str | None, typer.Option(
        "--agreements", metavar="KIND",
        help="What they can agree on: pure (outcomes only), lotteries (over outcomes) or transfers "
             "(side payments). Default: the scenario's declaration, else lotteries.")] = None,
    disagreement: Annotated[str | None, typer.Option(
        "--disagreement", metavar="POINT",
        help="Where they stand without a deal: status-quo, maximin, maximin-pure, equilibrium, "
             "equilibrium=N, equilibrium=PROFILE, outcome=PROFILE, threat, or payoffs (3,-1).")] = None,
    powers: Annotated[str | None, typer.Option(
        "--powers", metavar="VALUES",
        help="Bargaining powers for the asymmetric Nash solution: 0.6,0.4 or turkey=0.6,us=0.4.")] = None,
    discount: Annotated[str | None, typer.Option(
        "--discount", metavar="VALUES",
        help="Discount factors per round of offers (alternating offers): 0.95,0.9 or "
             "turkey=0.95,us=0.9.")] = None,
    first: Annotated[str | None, typer.Option(
        "--first", metavar="PLAYER", help="Who makes the first offer (a player id).")] = None,
    outside_options: Annotated[str | None, typer.Option(
        "--outside-options", metavar="VALUES",
        help="What a responder can walk away to (with side payments): turkey=4 or 4,-2.")] = None,
    breakdown: Annotated[float | None, typer.Option(
        "--breakdown", metavar="P",
        help="Probability that talks break down after a rejected offer.")] = None,
    set_: Set = None,
    allow_outside_range: AllowOutside = False,
    format_: Format = "table",
    out: Output = None,
    force: Force = False,
) -> None:
    """Where will they settle? The feasible payoffs and their Pareto frontier, the
    disagreement point, the zone of possible agreement, the Nash (also asymmetric),
    Kalai-Smorodinsky, egalitarian and utilitarian solutions with the outcome, lottery or side
    payment that reaches each (exact fractions), and with discount factors the
    alternating-offers (Rubinstein) agreement. Options override the scenario's bargaining
    declarations."""
    from negsim.compile.source import load_source
    from negsim.plot.bargaining import plot_offers, plot_payoff_set
    from negsim.render.bargaining import bargaining_to_dict, render_bargaining

    check_format(format_)
    changes: dict[str, Any] = {
        "agreements": agreements,
        "disagreement": None if disagreement is None else disagreement_option(disagreement),
        "powers": None if powers is None else per_player_option(powers, "--powers"),
        "discount": None if discount is None else per_player_option(discount, "--discount"),
        "first": first,
        "outside_options": None if outside_options is None else per_player_option(
            outside_options, "--outside-options"),
        "breakdown": breakdown,
    }
    source = load_source(scenario)
    overrides = overrides_for(source.game, set_ or [], allow_outside_range=allow_outside_range)
    result = source.bargain(overrides, **changes)
    files = check_output(out, force, ("offers",) if result.offers is not None else ())
    values = source.game.values(overrides)
    if format_ == "json":
        typer.echo(json.dumps(bargaining_to_dict(result, scenario=source.game.id or source.origin,
                                                 parameters=values), indent=2))
    else:
        render_bargaining(console, result, scenario=source.scenario, parameters=values)
    if files:
        title = f"Where will they settle? {source.game.title or source.game.id}"
        written = plot_payoff_set(result.problem, result.agreements, files[0].with_suffix(""),
                                  [files[0].suffix.lstrip(".")], title=title)
        if len(files) > 1:
            written += plot_offers(result, files[1].with_suffix(""), [files[1].suffix.lstrip(".")])
        if format_ == "table":
            for path in written:
                console.print(f"wrote {path}", markup=False)
