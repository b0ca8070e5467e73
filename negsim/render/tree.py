"""The terminal reports of game trees: ``negsim run``/``solve`` on a tree, ``negsim credibility``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from negsim.render.terminal import (
    equilibria_table,
    format_number,
    interpretation_panel,
    render_parameters,
    render_sources,
    render_story,
)
from negsim.sequential.analysis import TreeAnalysis
from negsim.sequential.bayesian import per_type, per_type_of_mixed
from negsim.sequential.credibility import CredibilityReport, OrderComparison
from negsim.sequential.spe import SubgamePerfect, TreeSolution
from negsim.tree.model import GameTree
from negsim.tree.strategic import reduced_form

__all__ = [
    "MAX_PRINTED_NODES",
    "render_credibility",
    "render_tree_analysis",
    "render_tree_solution",
    "tree_lines",
]

#: Trees with more nodes are summarised instead of printed.
MAX_PRINTED_NODES = 300


def tree_lines(tree: GameTree, equilibrium: SubgamePerfect | None = None) -> list[Text]:
    """The tree as indented lines; the equilibrium's moves marked ``*``, its play in bold."""
    shape = tree.shape
    lines: list[Text] = []

    def payoff_text(node: int) -> str:
        values = tree.leaf_payoffs(node)
        return ", ".join(f"{shape.player_names[i]} {format_number(values[i])}"
                         for i in range(shape.n_players))

    def heading(node: int) -> str:
        n = shape.nodes[node]
        if n.kind == "chance":
            return "chance" + (f" ({n.name})" if n.name else "")
        infoset = shape.infosets[n.infoset]
        shared = len(infoset.nodes) > 1
        where = f"[{infoset.label}]" if shared else ""
        return f"{shape.player_names[n.player]} {where}".rstrip()

    def walk(node: int, prefix: str) -> None:
        n = shape.nodes[node]
        for a, child in enumerate(n.children):
            last = a == len(n.children) - 1
            branch = "└─ " if last else "├─ "
            label = n.actions[a]
            if n.kind == "chance":
                label += f" ({format_number(tree.move_probabilities(node)[a])})"
            marked = False
            on_path = False
            if equilibrium is not None and n.kind == "decision":
                p = equilibrium.behavior[n.infoset][a]
                marked = p > 1e-12
                if marked and p < 1 - 1e-12:
                    label += f" {format_number(p)}"
                on_path = marked and equilibrium.reach[node] > 1e-12
            elif equilibrium is not None:
                on_path = equilibrium.reach[child] > 1e-12
            text = Text(prefix + branch)
            text.append(label + ("*" if marked else ""), style="bold" if on_path else "")
            c = shape.nodes[child]
            text.append(" -> " + (payoff_text(child) if c.kind == "terminal" else heading(child)),
                        style="bold" if on_path and c.kind == "terminal" else "")
            lines.append(text)
            if c.kind != "terminal":
                walk(child, prefix + ("   " if last else "│  "))

    root = shape.nodes[0]
    if root.kind == "terminal":
        return [Text(payoff_text(0))]
    lines.append(Text(heading(0)))
    walk(0, "")
    return lines


def _strategy_text(solution: TreeSolution, e: SubgamePerfect, player: int) -> str:
    shape = solution.shape
    parts = []
    sets = shape.infosets_of(player)
    for s in sets:
        moves = e.moves(shape, s)
        shown = " / ".join(a if p >= 1 - 1e-12 else f"{a} {format_number(p)}"
                           for a, p in moves.items())
        parts.append(shown if len(sets) == 1 else f"{shape.infosets[s].label}: {shown}")
    return "; ".join(parts)


def perfect_table(solution: TreeSolution) -> Table:
    shape = solution.shape
    table = Table(title="Subgame-perfect equilibria", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("play")
    for i in range(shape.n_players):
        table.add_column(f"{shape.player_names[i]} plans", overflow="fold")
    for i in range(shape.n_players):
        table.add_column(f"payoff {shape.player_names[i]}", justify="right")
    for k, e in enumerate(solution.equilibria, start=1):
        table.add_row(str(k), Text(e.outcome(shape)),
                      *(Text(_strategy_text(solution, e, i)) for i in range(shape.n_players)),
                      *(format_number(e.payoffs[i]) for i in range(shape.n_players)))
    return table


def types_table(analysis: TreeAnalysis) -> Table:
    """Each equilibrium per type: what each type plays and expects to get.

    For a Bayesian game (types, no move order) the equilibria are the Nash equilibria of the
    strategic form, i.e. the Bayesian Nash equilibria; with a move order, the subgame-perfect
    ones.
    """

    tree, at = analysis.tree, analysis.at
    if tree.origin == "types":
        form = reduced_form(tree.shape)
        reports = [per_type_of_mixed(tree, at, form, e.strategies)
                   for e in analysis.nash.equilibria]
        title = "Bayesian Nash equilibria, per type"
    else:
        reports = [per_type(tree, at, e.behavior) for e in analysis.perfect.equilibria]
        title = "Subgame-perfect equilibria, per type"
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("#", "player", "type", "plays", "expected payoff"):
        table.add_column(column, overflow="fold")
    names = dict(zip(tree.shape.players, tree.shape.player_names))
    for k, report in enumerate(reports, start=1):
        for pid, kinds in report.moves.items():
            for kind, sets in kinds.items():
                plays = "; ".join(
                    (f"{label}: " if len(sets) > 1 else "") + " / ".join(
                        a if p >= 1 - 1e-12 else f"{a} {format_number(p)}" for a, p in m.items())
                    for label, m in sets.items())
                table.add_row(str(k), names[pid], kind, Text(plays),
                              format_number(report.interim[pid][kind]))
    return table


def render_tree_solution(console: Console, analysis: TreeAnalysis, *, exact: bool = False) -> None:
    """``negsim solve`` on a tree: the subgame-perfect equilibria, then the Nash equilibria of
    the reduced strategic form."""
    perfect = analysis.perfect
    console.print(perfect_table(perfect))
    if not perfect.complete:
        console.print("not every subgame-perfect equilibrium is listed", style="yellow")
    for w in perfect.warnings:
        console.print(f"warning: {w}", style="yellow", markup=False)
    nash = analysis.nash
    table = equilibria_table(nash, exact)
    table.title = "Nash equilibria of the reduced strategic form (strategies are plans)"
    console.print(table)
    status = "complete" if nash.complete else "not guaranteed complete"
    console.print(f"method: {nash.method} ({status})", style="dim")
    if nash.method == "pure" and analysis.shape.perfect_information:
        console.print("only pure equilibria of the strategic form were searched (a tree with "
                      "perfect information); --method enumerate lists mixed ones too",
                      style="dim")
    for w in nash.warnings:
        if "does not promise" in w or "degenerate" in w:
            continue
        console.print(f"warning: {w}", style="yellow", markup=False)
    if analysis.tree.typed_players:
        console.print(types_table(analysis))
    if analysis.non_credible:
        console.print()
        console.print("Nash equilibria that rest on moves their player would not make:",
                      style="bold")
        for play, moves in analysis.non_credible:
            console.print(f"  play {play}: not credible: {'; '.join(moves)}", markup=False)


def render_tree_analysis(console: Console, analysis: TreeAnalysis, *, scenario=None,
                         exact: bool = False) -> None:
    """``negsim run`` on a tree: story, parameters, the tree, its equilibria, what it means."""
    at = analysis.at
    description = getattr(scenario, "description", None) or at.description
    render_story(console, at.title or at.id or "game tree", at.id, description)
    render_parameters(console, scenario, at.parameters)
    shape = analysis.shape
    order = analysis.tree.order
    if order:
        names = [shape.player_names[shape.players.index(p)] for p in order]
        console.print(f"Move order: {' then '.join(names)}", markup=False)
    first = analysis.perfect.equilibria[0] if analysis.perfect.equilibria else None
    if len(shape.nodes) <= MAX_PRINTED_NODES:
        console.print(Text("Game tree", style="bold"))
        for line in tree_lines(at, first):
            console.print(line)
        console.print("* the first subgame-perfect equilibrium's moves; bold: its play",
                      style="dim")
    else:
        console.print(f"Game tree: {len(shape.nodes)} nodes, {len(shape.leaves)} outcomes "
                      "(too large to print)")
    render_tree_solution(console, analysis, exact=exact)
    interpretation_panel(console, scenario, analysis.game.parameters)
    render_sources(console, scenario)


def _orders_table(orders: Sequence[OrderComparison], player_names: Sequence[str]) -> Table:
    table = Table(title="Simultaneous play and each move order", title_justify="left",
                  show_lines=True)
    table.add_column("timing")
    table.add_column("equilibrium play")
    table.add_column("payoffs", overflow="fold")
    table.add_column("value of moving first", justify="right")
    for o in orders:
        payoffs = "; ".join(", ".join(format_number(x) for x in p) for p in o.payoffs)
        value = ""
        if o.value_of_moving_first is not None:
            lo, hi = o.value_of_moving_first
            value = format_number(lo) if abs(hi - lo) < 1e-12 else (
                f"{format_number(lo)} to {format_number(hi)}")
        table.add_row(Text(o.label), Text("; ".join(o.outcomes) or "-"), payoffs, value)
    table.caption = "payoffs in the order " + ", ".join(player_names)
    return table


def render_credibility(console: Console, report: CredibilityReport,
                       orders: Sequence[OrderComparison] = ()) -> None:
    """``negsim credibility``: the equilibrium, each response that matters, and the orders."""
    tree = report.tree
    shape = tree.shape
    at = report.solution.tree
    console.print(Panel(Text(at.title or at.id or "game tree"), title="Credibility",
                        title_align="left"))
    if tree.order:
        names = [shape.player_names[shape.players.index(p)] for p in tree.order]
        console.print(f"Move order: {' then '.join(names)}", markup=False)
    for k, e in enumerate(report.solution.equilibria, start=1):
        payoffs = ", ".join(f"{shape.player_names[i]} {format_number(e.payoffs[i])}"
                            for i in range(shape.n_players))
        console.print(f"Subgame-perfect equilibrium {k}: {e.outcome(shape)} ({payoffs})",
                      markup=False)
    console.print()
    if not report.responses:
        console.print("No threat or promise would change the play if it were believed.")
    table = Table(title="Threats and promises", title_justify="left", show_lines=True)
    for column in ("response", "kind", "credible now", "margin", "what it does"):
        table.add_column(column, overflow="fold")
    for r in report.responses:
        table.add_row(Text(r.description), r.kind, "yes" if r.credible else "no",
                      format_number(r.margin), Text(r.consequence))
    if report.responses:
        console.print(table)
        console.print("margin: what carrying the move out pays its player compared with its "
                      "best other move there (>= 0: credible)", style="dim")
        console.print()
        for r in report.responses:
            console.print(f"- {r.statement}", markup=False)
    if report.nash_not_credible:
        console.print()
        console.print("Nash equilibria that rest on non-credible moves:", style="bold")
        for play, moves in report.nash_not_credible:
            console.print(f"  play {play}: {'; '.join(moves)}", markup=False)
    if orders:
        console.print()
        console.print(_orders_table(orders, shape.player_names))
    for note in report.notes:
        console.print(f"note: {note}", style="dim", markup=False)
