"""The readable reports of ``negsim bargain`` and ``negsim repeated``, and their JSON objects.

Numbers are exact where the results are: ``fmt`` writes ``3.875`` or ``107/26``, probabilities
as fractions with small denominators, discount factors as ``0.62`` (rounded up, so the value
shown suffices) or ``4/11``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from negsim.bargaining.analysis import BargainingAnalysis
from negsim.bargaining.numeric import fmt, fmt_delta, fmt_exact
from negsim.repeated.play import RepeatedPlay, lasts_at
from negsim.repeated.trigger import Sustainability

__all__ = ["bargaining_to_dict", "render_bargaining", "render_repeated", "repeated_to_dict"]


def _header(
    console: Console, what: str, title: str, scenario: Any, parameters: Mapping[str, float] | None
) -> None:
    console.print(f"{what} {title}", style="bold", markup=False)
    defaults = {name: p.value for name, p in (getattr(scenario, "parameters", None) or {}).items()}
    changed = {k: v for k, v in (parameters or {}).items() if k in defaults and v != defaults[k]}
    if changed:
        shown = ", ".join(f"{k} = {v:g} (default {defaults[k]:g})" for k, v in changed.items())
        console.print(f"Parameters: {shown}; the others at their defaults.", markup=False)
    elif defaults:
        console.print(
            "Parameters at their default values (negsim run lists them).", markup=False, style="dim"
        )


def _say(console: Console, text: str, style: str | None = None) -> None:
    console.print(text, markup=False, style=style)


def render_bargaining(
    console: Console,
    analysis: BargainingAnalysis,
    *,
    scenario: Any = None,
    parameters: Mapping[str, float] | None = None,
) -> None:
    """Outcomes, frontier, disagreement point, zone of agreement, solutions, alternating offers."""
    problem = analysis.problem
    feasible = problem.feasible
    names = problem.names
    d = problem.d
    _header(
        console,
        "Where will they settle?",
        analysis.game.title or analysis.game.id or "game",
        scenario,
        parameters,
    )
    how = {
        "pure": "pure outcomes only",
        "lotteries": "lotteries over outcomes allowed",
        "transfers": "side payments allowed",
    }[feasible.agreements]
    table = Table(title=f"Feasible outcomes ({how})", title_justify="left")
    table.add_column("outcome")
    for n in names:
        table.add_column(n, justify="right")
    table.add_column("Pareto-efficient")
    table.add_column("vs no deal")
    efficient = {o.profile for o in feasible.efficient_outcomes()}
    better = {o.profile for o in problem.improving()}
    weakly = {o.profile for o in problem.candidates}
    for o in feasible.outcomes:
        standing = (
            "better for all"
            if o.profile in better
            else "no worse for any"
            if o.profile in weakly
            else "worse for some"
        )
        table.add_row(
            o.label, *(fmt(v) for v in o.payoffs), "yes" if o.profile in efficient else "", standing
        )
    console.print(table)
    if feasible.n_players == 2 and feasible.frontier:
        points = "; ".join(
            f"({', '.join(fmt(v) for v in p)}) {feasible.outcomes_at(p)[0].label}" for p in feasible.frontier
        )
        _say(console, f"Pareto frontier (vertices, from the best for {names[1]}): {points}")
    if feasible.agreements == "transfers":
        _say(
            console,
            f"With side payments the frontier is every split of the largest total, {fmt(feasible.total)} "
            f"({', '.join(o.label for o in feasible.max_total_outcomes())}).",
        )
    values = ", ".join(f"{n} {fmt(v)}" for n, v in zip(names, d))
    _say(console, f"Disagreement point: {problem.disagreement.description} ({values}).")
    console.print()
    _say(console, "Zone of possible agreement", "bold")
    _say(console, analysis.zopa.text)
    console.print()
    solutions = Table(title="Bargaining solutions", title_justify="left")
    solutions.add_column("solution")
    solutions.add_column("agreement")
    for n in names:
        solutions.add_column(n, justify="right")
    for a in analysis.agreements:
        solutions.add_row(
            a.title, a.how(names) + (f" ({a.note})" if a.note else ""), *(fmt_exact(v) for v in a.payoffs)
        )
    console.print(solutions)
    if analysis.offers is not None:
        console.print()
        _say(console, "Alternating offers", "bold")
        _say(console, analysis.offers_sentence())
    for note in (*problem.notes, *analysis.notes):
        _say(console, f"note: {note}", "dim")


def bargaining_to_dict(
    analysis: BargainingAnalysis, *, scenario: str, parameters: Mapping[str, float]
) -> dict[str, Any]:
    """The object ``negsim bargain --format json`` prints."""
    return {"scenario": scenario, "parameters": dict(parameters), **analysis.to_dict()}


def _thresholds(s: Sustainability, name: str, names: tuple[str, ...]) -> str:
    scheme = s.scheme(name)
    parts = []
    for t in scheme.thresholds:
        parts.append(f"{names[t.player]} " + ("never" if t.delta is None else f"≥ {fmt_delta(t.delta)}"))
    return ", ".join(parts)


def _best(s: Sustainability) -> str:
    if s.is_equilibrium():
        return "stage equilibrium"
    best = s.best()
    if best is None:
        return "no simple scheme" if s.scheme("lower-bound").sustainable else "never"
    names = s.game.player_names
    return f"{best.title}: {_thresholds(s, best.name, names)}"


def _not_perfect(name: str) -> str:
    return "no (a bound, not a strategy)" if name == "lower-bound" else "no (Nash only)"


def render_repeated(
    console: Console,
    play: RepeatedPlay,
    *,
    scenario: Any = None,
    parameters: Mapping[str, float] | None = None,
) -> None:
    """Minmax payoffs, the folk-theorem region, every outcome's thresholds, the cooperative
    outcomes scheme by scheme, finite repetition."""
    game = play.game
    names = game.player_names
    _header(console, "Can cooperation last?", game.title or game.id or "game", scenario, parameters)
    punish = Table(title="Minmax (punishment) payoffs", title_justify="left")
    for column in ("player", "pure minmax", "held there by", "mixed minmax"):
        punish.add_column(column)
    for p in play.punishments:
        mixed = "" if p.mixed_value is None else fmt(p.mixed_value)
        if p.mixed_value is None and p.correlated_value is not None:
            mixed = f"{p.correlated_value:.4g} (correlated, a lower bound)"
        punish.add_row(
            names[p.player],
            fmt(p.pure_value),
            "; ".join(game.profile_label(q) for q in p.pure_profiles[:3]),
            mixed,
        )
    console.print(punish)
    _say(console, play.folk.text())
    if play.folk.region:
        corners = "; ".join(f"({', '.join(fmt(v) for v in q)})" for q in play.folk.region)
        _say(console, f"Its corners: {corners}.", "dim")
    console.print()
    outcomes = Table(title="Every outcome: the least patience that sustains it", title_justify="left")
    outcomes.add_column("outcome")
    for n in names:
        outcomes.add_column(n, justify="right")
    outcomes.add_column("sustained by")
    for s in play.outcomes:
        outcomes.add_row(s.label, *(fmt(v) for v in s.payoffs), _best(s))
    console.print(outcomes)
    for s in play.cooperation:
        console.print()
        _say(
            console,
            f"Cooperation: {s.label} ({', '.join(f'{n} {fmt(v)}' for n, v in zip(names, s.payoffs))})",
            "bold",
        )
        table = Table(show_header=True)
        table.add_column("scheme")
        table.add_column("subgame perfect")
        for n in names:
            table.add_column(f"{n}: smallest δ", justify="right")
        if play.discount is not None:
            table.add_column("lasts at the given δ")
        for scheme in s.schemes:
            row = [scheme.title, "yes" if scheme.subgame_perfect else _not_perfect(scheme.name)]
            row += ["never" if t.delta is None else fmt_delta(t.delta) for t in scheme.thresholds]
            if play.discount is not None:
                row.append("yes" if lasts_at(scheme, play.discount) else "no")
            table.add_row(*row)
        console.print(table)
        _say(console, s.sentence())
        if play.discount is not None:
            _say(console, play.verdict(s))
        for note in s.notes:
            _say(console, f"note: {note}", "dim")
    console.print()
    _say(console, "Finitely repeated", "bold")
    seen: set[str] = set()
    for f in play.finite:
        if f.text not in seen:
            _say(console, f.text)
            seen.add(f.text)
    for note in play.notes:
        _say(console, f"note: {note}", "dim")


def repeated_to_dict(play: RepeatedPlay, *, scenario: str, parameters: Mapping[str, float]) -> dict[str, Any]:
    """The object ``negsim repeated --format json`` prints."""
    return {"scenario": scenario, "parameters": dict(parameters), **play.to_dict()}
