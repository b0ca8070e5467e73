"""The readable report of ``negsim run`` and ``negsim solve --format table``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from negsim.game import Game
from negsim.numbers import format_fraction
from negsim.render.interpretation import interpretation_of
from negsim.scenarios.articles import describe_article
from negsim.solve.analysis import Analysis
from negsim.solve.exact import as_fraction
from negsim.solve.result import Equilibrium, Solution

if TYPE_CHECKING:  # (annotations only: printing a Gambit game's solution loads no scenario code)
    from negsim.scenario.schema import ScenarioBase

__all__ = [
    "format_number",
    "paragraphs",
    "render_analysis",
    "render_parameters",
    "render_solution",
    "render_sources",
    "render_story",
    "source_text",
]


def format_number(value: float | Fraction, exact: bool = False) -> str:
    """``3/5`` in exact mode, otherwise a short decimal (``0.6``, ``-2``, ``0.3333``)."""
    if exact or isinstance(value, Fraction):
        return format_fraction(as_fraction(value))
    value = float(value) + 0.0
    if value.is_integer():
        return str(int(value))
    return f"{value:.4g}"


def _mix_text(game: Game, e: Equilibrium, i: int, exact: bool) -> str:
    names = game.strategy_names[i]
    if len(e.support[i]) == 1:
        return names[e.support[i][0]]
    probs = e.exact_strategies[i] if (exact and e.exact_strategies) else e.strategies[i]
    return ", ".join(f"{names[k]} {format_number(probs[k], exact)}" for k in e.support[i])


def _payoff_text(e: Equilibrium, i: int, exact: bool) -> str:
    if exact and e.exact_payoffs is not None:
        return format_fraction(e.exact_payoffs[i])
    return format_number(e.payoffs[i])


def payoff_matrix(
    game: Game, best: np.ndarray | None, equilibria: Sequence[Equilibrium], exact: bool = False
) -> list[Table]:
    """The payoff matrix, one table per combination of the strategies of players 3, 4, ...

    Each cell lists every player's payoff; a ``*`` marks a best response; a cell that is a pure
    equilibrium is highlighted; infeasible cells show a dash.
    """
    pure = {e.pure_profile() for e in equilibria if e.pure_profile() is not None}
    n = game.n_players
    row_player, col_player = 0, (1 if n > 1 else None)
    rest = list(range(2, n))
    tables = []
    exact_values = game.exact_payoffs if exact else None
    for fixed in product(*(range(game.shape[j]) for j in rest)):
        caption = ", ".join(
            f"{game.player_names[j]} plays {game.strategy_names[j][k]}" for j, k in zip(rest, fixed)
        )
        title = f"{game.player_names[row_player]} (rows)"
        if col_player is not None:
            title += f" vs {game.player_names[col_player]} (columns)"
        table = Table(title=title, caption=caption or None, show_lines=True, title_justify="left")
        table.add_column("")
        columns = range(game.shape[1]) if col_player is not None else [None]
        for c in columns:
            table.add_column(game.strategy_names[1][c] if c is not None else "payoff", justify="center")
        for r in range(game.shape[0]):
            cells = []
            for c in columns:
                profile = (r,) + ((c,) if c is not None else ()) + tuple(fixed)
                if not game.is_feasible(profile):
                    cells.append(Text("—", style="dim"))
                    continue
                parts = []
                for i in range(n):
                    value = game.payoffs[(i, *profile)]
                    if exact_values is not None:
                        text = format_fraction(exact_values[(i, *profile)])
                    else:
                        text = format_number(value, exact)
                    if best is not None and best[(i, *profile)]:
                        text += "*"
                    parts.append(text)
                text = ", ".join(parts)
                cell = Text(f"[{text}]" if profile in pure else text)
                if profile in pure:
                    cell.stylize("bold")
                cells.append(cell)
            table.add_row(game.strategy_names[0][r], *cells)
        tables.append(table)
    return tables


def equilibria_table(solution: Solution, exact: bool = False) -> Table:
    game = solution.game
    table = Table(title="Nash equilibria", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("kind")
    for i in range(game.n_players):
        table.add_column(game.player_names[i])
    for i in range(game.n_players):
        table.add_column(f"payoff {game.player_names[i]}", justify="right")
    table.add_column("max regret", justify="right")
    for k, e in enumerate(solution.equilibria, start=1):
        table.add_row(
            str(k),
            e.kind,
            *(_mix_text(game, e, i, exact) for i in range(game.n_players)),
            *(_payoff_text(e, i, exact) for i in range(game.n_players)),
            "0" if e.regret == 0 else f"{e.regret:.1e}",
        )
    return table


def render_solution(console: Console, solution: Solution, *, exact: bool = False) -> None:
    game = solution.game
    console.print(equilibria_table(solution, exact))
    if solution.components and any(len(c.equilibria) > 1 for c in solution.components):
        console.print("Equilibrium components (every mix inside a component is an equilibrium):")
        for k, c in enumerate(solution.components, start=1):
            members = ", ".join(f"#{i + 1}" for i in c.equilibria)
            console.print(f"  {k}. {c.description}  [{members}]", markup=False)
    status = "complete" if solution.complete else "not guaranteed complete"
    console.print(f"method: {solution.method} ({status})", style="dim")
    for w in solution.warnings:
        console.print(f"warning: {w}", style="yellow", markup=False)
    del game


def _profile_text(game: Game, profile: Sequence[int]) -> str:
    return " / ".join(game.strategy_names[i][k] for i, k in enumerate(profile))


def render_story(console: Console, heading: str, fallback: str, description: str | None) -> None:
    """The scenario's title and story in a panel."""
    body = Text(paragraphs(description)) if description else Text(fallback)
    console.print(Panel(Group(body), title=heading, title_align="left"))


def source_text(source: object) -> str:
    """One source as a reader sees it: the quote and its article's outlet, title and date, or
    the citation."""
    citation = getattr(source, "citation", None)
    if citation:
        return str(citation)
    quote = getattr(source, "quote", None)
    where: str = describe_article(getattr(source, "file", None))
    if quote:
        text = f"\u201c{' '.join(str(quote).split())}\u201d"
        return f"{text} \u2014 {where}" if where else text
    return where


def render_sources(console: Console, scenario: object) -> None:
    """The scenario's sources: the quotes under the article they come from (outlet, title and
    date, not only a file name), then the citations."""
    sources = getattr(scenario, "sources", None) or []
    if not sources:
        return
    by_article: dict[str, list[str]] = {}
    citations = []
    for source in sources:
        if getattr(source, "citation", None):
            citations.append(str(source.citation))
        else:
            quotes = by_article.setdefault(describe_article(getattr(source, "file", None)), [])
            if getattr(source, "quote", None):
                quotes.append(f"\u201c{' '.join(str(source.quote).split())}\u201d")
    console.print()
    console.print("Sources", style="bold")
    for where, quotes in by_article.items():
        console.print(f"  {where}", markup=False)
        for quote in quotes:
            console.print(f"    - {quote}", markup=False)
    for citation in citations:
        console.print(f"  {citation}", markup=False)


def render_parameters(console: Console, scenario: ScenarioBase | None, values: Mapping[str, float]) -> None:
    """The scenario's parameters: value (and default when changed), range, description."""
    if scenario is None or not scenario.parameters:
        return
    params = Table(title="Parameters", title_justify="left")
    for column in ("name", "value", "range", "description"):
        params.add_column(column)
    for name, p in scenario.parameters.items():
        value = values.get(name, p.value)
        changed = "" if value == p.value else f" (default {format_number(p.value)})"
        low = format_number(p.min) if p.min is not None else ""
        high = format_number(p.max) if p.max is not None else ""
        span = f"{low}..{high}" if low or high else ""
        params.add_row(name, format_number(value) + changed, span, p.description or "")
    console.print(params)


def render_analysis(
    console: Console, analysis: Analysis, *, scenario: ScenarioBase | None = None, exact: bool = False
) -> None:
    """The full report: story, parameters, matrix, equilibria, dominance, Pareto, maximin."""
    game = analysis.game
    solution = analysis.solution
    description = getattr(scenario, "description", None)
    render_story(console, game.title or game.id or "game", game.id, description)
    render_parameters(console, scenario, game.parameters)
    for table in payoff_matrix(game, analysis.best_responses, solution.equilibria, exact):
        console.print(table)
    console.print("* best response; [ ] pure Nash equilibrium; — infeasible", style="dim", markup=False)
    render_solution(console, solution, exact=exact)

    strict = analysis.strict_dominance
    console.print()
    console.print("Iterated elimination of strictly dominated strategies:", style="bold")
    if not strict.steps:
        console.print("  no strategy is strictly dominated")
    for step in strict.steps:
        console.print(f"  round {step.round}: {step.describe(game)}", markup=False)
    if strict.steps:
        console.print(f"  survivors: {_survivors(game, strict.surviving)}", markup=False)
    weak = analysis.weak_dominance
    if weak.steps and [s.strategy for s in weak.steps] != [s.strategy for s in strict.steps]:
        console.print(
            "Iterated elimination of weakly dominated strategies "
            "(order-dependent: another order can leave a different game):",
            style="bold",
        )
        for step in weak.steps:
            console.print(f"  round {step.round}: {step.describe(game)}", markup=False)
        console.print(f"  survivors: {_survivors(game, weak.surviving)}", markup=False)

    console.print()
    console.print(
        "Pareto-efficient outcomes: " + "; ".join(_profile_text(game, p) for p in analysis.pareto),
        markup=False,
    )
    for m in analysis.maximin:
        names = game.strategy_names[m.player]
        mixed = ""
        if np.count_nonzero(m.mixed) > 1 and m.level > m.pure_level + 1e-9:
            mix = ", ".join(f"{names[k]} {format_number(p)}" for k, p in enumerate(m.mixed) if p > 0)
            mixed = f"; mixing {mix} guarantees {format_number(m.level)}"
        console.print(
            f"Maximin for {game.player_names[m.player]}: "
            f"{' or '.join(names[k] for k in m.pure)} guarantees {format_number(m.pure_level)}{mixed}",
            markup=False,
        )
    for k, w in enumerate(analysis.welfare, start=1):
        console.print(
            f"Welfare of equilibrium #{k}: total {format_number(w.total)}, "
            f"worst-off player {format_number(w.minimum)}",
            markup=False,
        )
    if game.status_quo is not None:
        sq = game.status_quo
        values = ", ".join(
            f"{game.player_names[i]} {format_number(game.payoffs[(i, *sq)])}" for i in range(game.n_players)
        )
        in_eq = any(e.pure_profile() == sq for e in solution.equilibria)
        console.print(
            f"Status quo {_profile_text(game, sq)}: {values}"
            f" ({'an equilibrium' if in_eq else 'not an equilibrium'})",
            markup=False,
        )
    interpretation_panel(console, scenario, game.parameters)
    render_sources(console, scenario)


def interpretation_panel(console: Console, scenario: Any, parameters: Mapping[str, float]) -> None:
    """The scenario's "What it means" text, which describes its default parameter values: shown
    at those values; at others, a note says so instead of text that may contradict the
    equilibria above."""
    meaning = interpretation_of(scenario, parameters)
    if meaning is None:
        return
    console.print()
    if meaning["at_defaults"]:
        console.print(Panel(Text(paragraphs(meaning["text"])), title="What it means", title_align="left"))
        return
    defaults = ", ".join(f"{name} = {value:g}" for name, value in meaning["defaults"].items())
    console.print(
        f"The scenario's interpretation describes its default values ({defaults}); it "
        "is not shown for the values of this run.",
        style="dim",
        markup=False,
    )


def paragraphs(text: str) -> str:
    """Paragraphs separated by blank lines, each joined into one line for the terminal to wrap.

    A folded YAML block (``>``) keeps one newline between paragraphs, each on one long line; a
    literal block (``|``) keeps the author's wrapped lines. Without blank lines, short lines
    (at most 100 characters) are read as wrapped text, long ones as paragraphs.
    """
    text = text.strip()
    if "\n\n" in text:
        blocks = text.split("\n\n")
    elif all(len(line) <= 100 for line in text.splitlines()[:-1]):
        blocks = [text]
    else:
        blocks = text.splitlines()
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())


def _survivors(game: Game, surviving: Sequence[Sequence[int]]) -> str:
    return "; ".join(
        f"{game.player_names[i]}: {', '.join(game.strategy_names[i][k] for k in ks)}"
        for i, ks in enumerate(surviving)
    )
