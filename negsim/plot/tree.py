"""Game trees as figures, with the equilibrium path highlighted, and credibility margins.

The root is on the left and the outcomes on the right, one row per outcome, so that trees
with many outcomes stay readable. Each move is a line labelled with its name (for a tree made
from a scenario's strategies, the strategy's name: pass :func:`move_names_of` the scenario):

- thick and dark: the play of the subgame-perfect equilibrium;
- in the mover's colour: the equilibrium's move at nodes off the play (what each player
  would do there: its plan);
- thin and grey: moves the equilibrium does not make.

Nodes of one information set are joined by a dotted line. A response under study (a threat
or promise) is drawn dashed, green when credible and red when not, and labelled. Next to the
tree, :func:`plot_credibility` shows the response's *margin* (what carrying it out pays its
player compared with its best move) as each parameter that changes it moves over its range:
credible where the margin is at least 0: one panel per response asked about and parameter
that changes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negsim.errors import InputError, Problem
from negsim.plot.style import (
    INK,
    MUTED,
    OKABE_ITO,
    PLAYER_COLOURS,
    check_formats,
    colour,
    hatch,
    new_figure,
    plot_style,
    possessive,
    save_figure,
    shorten,
    wrap,
)
from negsim.plot.sweep1d import bands, mark_default, mark_tipping_points
from negsim.plot.tornado import strip_segments
from negsim.sequential.credibility import credibility_margin
from negsim.sequential.spe import SubgamePerfect
from negsim.sweep.tipping import format_value
from negsim.sweep.tipping import format_value as bracket_value
from negsim.tree.model import GameTree

__all__ = ["MoveNames", "credibility_figure", "credibility_of", "draw_credibility_sweep", "draw_moves",
           "draw_tree", "move_names_of", "plot_credibility", "plot_tree", "response_words", "tree_layout",
           "tree_run_figures"]

#: ``names(player, move)``: how a figure names a move (player index, move id).
MoveNames = Callable[[int, str], str]
#: Most margin panels beside a tree (responses times the parameters that change them).
MAX_MARGIN_PANELS = 6


def _ids(player: int, move: str) -> str:
    return move


def move_names_of(scenario: object | None, tree: GameTree | None = None) -> MoveNames:
    """The names of a scenario's strategies, for the moves of a tree made from them (a
    ``timing`` or ``types`` scenario); the move ids for anything else (an explicit tree's
    moves are ids and names at once)."""
    if scenario is None or not hasattr(scenario, "strategy_name"):
        return _ids
    players = tree.shape.players if tree is not None else tuple(getattr(scenario, "players", {}))

    def names(player: int, move: str) -> str:
        try:
            return str(scenario.strategy_name(players[player], move))  # type: ignore[attr-defined]
        except (KeyError, AttributeError, IndexError):
            return move

    return names


def response_words(tree: GameTree, node: int, action: int, names: MoveNames = _ids) -> str:
    """``United States: Impose CAATSA sanctions after Limited activation``: a response in the
    words of the figure."""
    shape = tree.shape
    mover = shape.nodes[node].player
    steps = shape.path_to(node)
    before = ", ".join(_move_label(tree, p, a, names) for p, a in steps) or "the start"
    return f"{shape.player_names[mover]}: {names(mover, shape.nodes[node].actions[action])} after {before}"


def _move_label(tree: GameTree, k: int, a: int, names: MoveNames) -> str:
    node = tree.shape.nodes[k]
    if node.kind == "chance":
        return node.actions[a]
    return names(node.player, node.actions[a])

CREDIBLE = OKABE_ITO["bluish green"]
# Not vermillion: that is the second player's colour.
NOT_CREDIBLE = OKABE_ITO["reddish purple"]
#: More outcomes than this and the outcome labels are left out.
MAX_LABELLED_OUTCOMES = 80


def tree_layout(tree: GameTree) -> np.ndarray:
    """(x, y) of every node: x is the depth, outcomes one row apart from the top, inner nodes
    at the middle of their children."""
    shape = tree.shape
    xy = np.zeros((len(shape.nodes), 2))
    row = 0
    for k in reversed(range(len(shape.nodes))):
        xy[k, 0] = shape.nodes[k].depth
    for leaf in shape.leaves:  # preorder: top to bottom
        xy[leaf, 1] = -row
        row += 1
    for k in reversed(range(len(shape.nodes))):
        node = shape.nodes[k]
        if node.children:
            xy[k, 1] = np.mean([xy[c, 1] for c in node.children])
    # Outcomes all end in the last column, so their payoffs line up.
    depth = max((n.depth for n in shape.nodes), default=0)
    for leaf in shape.leaves:
        xy[leaf, 0] = depth
    return xy


def _payoff_text(tree: GameTree, leaf: int) -> list[tuple[str, str]]:
    shape = tree.shape
    values = tree.leaf_payoffs(leaf)
    return [(f"{_short(shape.player_names[i])} {_num(values[i])}",
             PLAYER_COLOURS[i % len(PLAYER_COLOURS)]) for i in range(shape.n_players)]


def _num(value: float) -> str:
    value = float(value) + 0.0
    return str(int(value)) if value.is_integer() else f"{value:.3g}"


def _short(name: str) -> str:
    return shorten(name, 16)


def draw_tree(ax, tree: GameTree, equilibrium: SubgamePerfect | None = None, *,
              focus: Sequence[tuple[int, int, bool]] = (), names: MoveNames = _ids) -> None:
    """Draw ``tree`` on ``ax``; ``focus`` lists responses (node, move, credible) to mark;
    ``names`` names the moves."""
    shape = tree.shape
    xy = tree_layout(tree)
    many = len(shape.leaves) > MAX_LABELLED_OUTCOMES
    marked = {(k, a): credible for k, a, credible in focus}
    for k, node in enumerate(shape.nodes):
        for a, child in enumerate(node.children):
            (x0, y0), (x1, y1) = xy[k], xy[child]
            style = dict(color=MUTED, lw=1.2, zorder=1, ls="-")
            if equilibrium is not None:
                if node.kind == "chance":
                    played = equilibrium.reach[child] > 1e-12
                    if played:
                        style = dict(color=INK, lw=3.5, zorder=3, ls="-")
                else:
                    p = equilibrium.behavior[node.infoset][a]
                    if p > 1e-12 and equilibrium.reach[k] > 1e-12:
                        style = dict(color=INK, lw=4.0, zorder=3, ls="-")
                    elif p > 1e-12:
                        colour = PLAYER_COLOURS[node.player % len(PLAYER_COLOURS)]
                        style = dict(color=colour, lw=2.5, zorder=2, ls="-")
            if (k, a) in marked:
                colour = CREDIBLE if marked[(k, a)] else NOT_CREDIBLE
                style = dict(color=colour, lw=3.5, zorder=4, ls="--")
            # An elbow: across to the child's row at the parent's depth, then along.
            xs = [x0, x0 + 0.15, x1]
            ys = [y0, y1, y1]
            ax.plot(xs, ys, solid_capstyle="round", **style)
            label = _move_label(tree, k, a, names)
            if node.kind == "chance":
                label += f" ({_num(tree.move_probabilities(k)[a])})"
            if (k, a) in marked:
                label += "  (credible)" if marked[(k, a)] else "  (not credible)"
            if not many:
                ax.text(x0 + 0.2, y1 + 0.12, shorten(label, 48), fontsize=11, va="bottom",
                        ha="left", color=style["color"] if style["color"] != MUTED else INK,
                        zorder=5)
    for k, node in enumerate(shape.nodes):
        x, y = xy[k]
        if node.kind == "terminal":
            if not many:
                offset = 6.0  # points; each player's payoff in its colour, side by side
                for text, colour in _payoff_text(tree, k):
                    ax.annotate(text, (x, y), xytext=(offset, 0), textcoords="offset points",
                                fontsize=11, va="center", ha="left", color=colour, zorder=5)
                    offset += (len(text) + 2) * 6.6
            continue
        if node.kind == "chance":
            ax.plot([x], [y], marker="s", ms=11, color="white", mec=INK, mew=1.5, zorder=6)
            continue
        colour = PLAYER_COLOURS[node.player % len(PLAYER_COLOURS)]
        ax.plot([x], [y], marker="o", ms=12, color=colour, mec="white", mew=1.5, zorder=6)
        # On the line just left of the node, masked: above the line is the move's label.
        ax.text(x - 0.07, y, _short(shape.player_names[node.player]), fontsize=11,
                ha="right", va="center", color=colour, zorder=6,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for infoset in shape.infosets:
        if len(infoset.nodes) > 1:
            points = xy[list(infoset.nodes)]
            ax.plot(points[:, 0], points[:, 1], ls=":", lw=2, color=INK, zorder=2)
    depth = max((n.depth for n in shape.nodes), default=0)
    ax.set_xlim(-0.4, depth + 1.6)
    ax.set_ylim(-len(shape.leaves) + 0.4, 0.9)
    ax.set_axis_off()


def _legend(ax, tree: GameTree, focus: bool) -> None:
    handles = [Line2D([], [], color=INK, lw=4, label="equilibrium play"),
               Line2D([], [], color=MUTED, lw=1.2, label="not chosen")]
    for i, name in enumerate(tree.shape.player_names):
        handles.insert(1 + i, Line2D([], [], color=PLAYER_COLOURS[i % len(PLAYER_COLOURS)],
                                     lw=2.5, label=f"{possessive(_short(name))} plan off the play"))
    if focus:
        handles += [Line2D([], [], color=CREDIBLE, lw=3, ls="--", label="credible response"),
                    Line2D([], [], color=NOT_CREDIBLE, lw=3, ls="--",
                           label="non-credible response")]
    if any(len(i.nodes) > 1 for i in tree.shape.infosets):
        handles.append(Line2D([], [], color=INK, lw=2, ls=":", label="information set"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.02), ncol=3,
              frameon=False, fontsize=11)


def _check_path(path: str | os.PathLike[str]) -> tuple[Path, str]:
    path = Path(path)
    if not path.suffix:
        raise InputError([Problem("expected a file name ending in .png, .svg or .pdf",
                                  file=str(path))])
    fmt = check_formats([path.suffix.lstrip(".")], option=str(path))[0]
    return path, fmt


def tree_figure(tree: GameTree, equilibrium: SubgamePerfect | None = None, *,
                title: str = "", focus: Sequence[tuple[int, int, bool]] = (),
                names: MoveNames = _ids) -> Figure:
    rows = len(tree.shape.leaves)
    with plot_style():
        figure = new_figure(figsize=(12.8, max(4.5, min(40.0, 0.42 * rows + 2.5))))
        ax = figure.add_subplot()
        draw_tree(ax, tree, equilibrium, focus=focus, names=names)
        ax.set_title(title or tree.title or tree.id, loc="left")
        _legend(ax, tree, bool(focus))
    return figure


def plot_tree(tree: GameTree, path: str | os.PathLike[str],
              equilibrium: SubgamePerfect | None = None, *, title: str = "",
              names: MoveNames = _ids) -> Path:
    """Draw ``tree`` with ``equilibrium``'s play highlighted into ``path`` (.png/.svg/.pdf)."""
    path, fmt = _check_path(path)
    figure = tree_figure(tree, equilibrium, title=title, names=names)
    return save_figure(figure, path.with_suffix(""), [fmt])[0]


def credibility_figure(report, *, responses=None, names: MoveNames = _ids) -> Figure:
    """The figure of :func:`plot_credibility`."""

    at = report.solution.tree
    equilibrium = report.solution.equilibria[0] if report.solution.equilibria else None
    chosen = list(responses if responses is not None else report.responses)
    focus = [(r.node, r.action, r.credible) for r in report.responses]
    # One panel per response and parameter that changes it; a response that no parameter
    # changes within its range gets one panel saying so.
    panels: list[tuple[object, object | None]] = []
    for response in chosen:
        varying = [r for r in response.regions if not r.always and not r.never]
        panels.extend((response, region) for region in varying or [None])
    shown = panels[:MAX_MARGIN_PANELS]
    rows = len(at.shape.leaves)
    height = max(6.0, min(40.0, 0.42 * rows + 3.0), 2.6 * len(shown) + 1.5)
    with plot_style():
        figure = new_figure(figsize=(16.0 if shown else 12.8, height))
        if shown:
            grid = figure.add_gridspec(len(shown), 2, width_ratios=(1.7, 1))
            ax = figure.add_subplot(grid[:, 0])
        else:
            ax = figure.add_subplot()
        draw_tree(ax, at, equilibrium, focus=focus, names=names)
        title = at.title or at.id
        ax.set_title(shorten(title, 70), loc="left")
        _legend(ax, at, bool(focus))
        legend_done = False
        for row, (response, region) in enumerate(shown):
            side = figure.add_subplot(grid[row, 1])
            words = response_words(at, response.node, response.action, names)
            if region is None:
                state = "credible" if response.credible else "not credible"
                side.text(0.0, 0.5, wrap(f"{state} at every value of each parameter within its range "
                                         f"(margin {_num(response.margin)})", 50),
                          transform=side.transAxes, va="center", fontsize=12, color=INK)
                side.set_axis_off()
                side.set_title(wrap(words, 56, max_lines=2), loc="left", fontsize=13)
                continue
            grid_values = np.linspace(region.low, region.high, 201)
            points = {k: np.full(len(grid_values), v) for k, v in report.values.items()}
            points[region.parameter] = grid_values
            margin = credibility_margin(report.tree, response.node, response.action, points)
            side.axhline(0, color=INK, lw=1)
            for lo, hi in region.credible:
                side.axvspan(lo, hi, color=CREDIBLE, alpha=0.15, lw=0,
                             label="credible" if lo == region.credible[0][0] else None)
            side.plot(grid_values, margin, color=INK, lw=2.5)
            for t in region.thresholds:
                side.axvline(t, color=INK, ls="--", lw=1.2)
                side.annotate(f"{region.parameter} = {_num(t)}", (t, 0.97),
                              xycoords=("data", "axes fraction"), ha="left", va="top",
                              fontsize=11, xytext=(4, 0), textcoords="offset points")
            current = report.values[region.parameter]
            side.axvline(current, color=MUTED, lw=1.5, ls=":", label="value used")
            side.set_xlabel(region.parameter, fontsize=13)
            side.set_ylabel("margin", fontsize=13)
            side.set_title(wrap(f"{words}: margin", 56, max_lines=2), loc="left", fontsize=13)
            if not legend_done:
                side.legend(loc="best", frameon=True, framealpha=0.9, fontsize=11)
                legend_done = True
        if len(panels) > len(shown):
            figure.text(0.99, 0.005, f"{len(panels) - len(shown)} more margin panels not shown; "
                        "negsim credibility --threat selects the responses", ha="right", va="bottom",
                        fontsize=11, color="#555555")
    return figure


def plot_credibility(report, path: str | os.PathLike[str], *, responses=None,
                     names: MoveNames = _ids) -> Path:
    """The tree with its equilibrium and the responses of a
    :class:`~negsim.sequential.credibility.CredibilityReport` marked, and beside it the margin of
    every response reported (or of ``responses``) over each parameter that changes its
    credibility, moves named by ``names`` (see :func:`move_names_of`)."""
    path, fmt = _check_path(path)
    figure = credibility_figure(report, responses=responses, names=names)
    return save_figure(figure, path.with_suffix(""), [fmt])[0]


# -- sweeps over game trees -----------------------------------------------------------------------


def tree_run_figures(data) -> dict[str, Figure]:
    """The figures a 1-D sweep over a game tree adds to the bands and payoffs of every 1-D
    sweep: ``moves`` (each information set's equilibrium move, per type where there are
    types) and, for a credibility sweep, ``credibility`` (the margins, credible and not
    credible regions shaded, thresholds marked, under the subgame-perfect bands)."""
    parameter = data.swept[0]
    figures = {"moves": draw_moves(data, parameter)}
    record = credibility_of(data)
    if record and record.get("responses"):
        figures["credibility"] = draw_credibility_sweep(data, parameter, record)
    return figures


def credibility_of(data) -> dict | None:
    """The run's ``credibility.json`` (None when the run has none)."""
    import json

    if getattr(data, "credibility", None) is not None:
        return data.credibility
    name = data.manifest.get("files", {}).get("credibility")
    if not name:
        return None
    path = data.folder / name
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError([Problem(f"cannot read the credibility record ({exc})",
                                  file=str(path))]) from None
    if not isinstance(record, dict) or not isinstance(record.get("responses"), list):
        raise InputError([Problem("not a credibility record (no responses)", file=str(path))])
    return record


def _first_rows(data, parameter: str) -> tuple[np.ndarray, np.ndarray]:
    """Each point's first equilibrium row, in order of the parameter, and its x."""
    rows = np.flatnonzero(data.columns["equilibrium"] == 0)
    x = data.values(parameter)[rows]
    order = np.argsort(x, kind="stable")
    return rows[order], x[order]


def _line_tipping(data, parameter: str) -> list[float]:
    """The tipping values along a 1-D sweep, each the shortest decimal within its final
    bracket (6, not 6.000003)."""

    return sorted({float(format_value(float(t["low"]), float(t["high"])))
                   for t in data.tipping_points
                   if t.get("parameter") == parameter and not t.get("line")})


def _information_sets(data) -> list[dict]:
    sets = (data.manifest.get("tree") or {}).get("information_sets")
    if not isinstance(sets, list) or not sets:
        raise InputError([Problem("the manifest describes no information sets (tree.information_"
                                  "sets): not a sweep over a game tree",
                                  file=str(data.folder / "manifest.json"))])
    missing = [c for s in sets for c in s.get("columns", []) if c not in data.columns]
    if missing:
        raise InputError([Problem(f"column {missing[0]!r} of the manifest's tree is not in the "
                                  "table", file=str(data.folder / "results.csv"))])
    return sets


def draw_moves(data, parameter: str) -> Figure:
    """One strip per information set along ``parameter``, coloured by the move the (first)
    subgame-perfect equilibrium makes there: the play and the plans off it, each type's
    moves on rows of their own."""

    sets = _information_sets(data)
    rows, x = _first_rows(data, parameter)
    tipping = _line_tipping(data, parameter)
    keys: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    strips = []
    for s in sets:
        probabilities = np.stack([data.columns[c][rows] for c in s["columns"]], axis=1)
        # A mixed move by its support (b+s), as in the table's outcomes.
        moves = np.array(["+".join(m for m, p in zip(s["moves"], row) if p > 1e-12)
                          for row in probabilities.tolist()], dtype=object)
        pieces = strip_segments(x, moves, tipping) if len(x) else []
        named = dict(zip(s["moves"], s.get("move_names") or s["moves"]))
        for _a, _b, move in pieces:
            key = (s["player"], move)
            if key not in keys:
                keys[key] = len(keys)
                parts = [named.get(m, m) for m in move.split("+")]
                shown = parts[0] if len(parts) == 1 else "mix of " + " and ".join(parts)
                names[key] = f"{data.player_name(s['player'])}: {shown}"
        strips.append(pieces)
    n = len(sets)
    size = float(np.clip(17 - 0.45 * n, 10, 15))
    lo, hi = (float(x[0]), float(x[-1])) if len(x) else (0.0, 1.0)
    with plot_style():
        figure = new_figure(figsize=(12.8, max(5.0, min(20.0, 0.55 * n + 3.2))))
        figure.suptitle(wrap(f"Equilibrium moves as {parameter} changes", 90, max_lines=2),
                        fontsize=19, fontweight="bold")
        ax = figure.add_subplot()
        y = np.arange(n)[::-1]
        for yk, s, pieces in zip(y, sets, strips):
            for start, stop, move in pieces:
                k = keys[(s["player"], move)]
                ax.barh(yk, stop - start, left=start, height=0.66, color=colour(k),
                        hatch=hatch(k), edgecolor="white", linewidth=0.6, zorder=2)
        labels = [f"{data.player_name(s['player'])}: "
                  f"{'first move' if s['label'] == 'start' else s['label']}" for s in sets]
        ax.set_yticks(y)
        ax.set_yticklabels([wrap(label, 40, max_lines=2) for label in labels], fontsize=size)
        ax.set_ylim(-0.6, n - 0.4)
        pad = 0.01 * (hi - lo or 1.0)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_xlabel(data.parameter_label(parameter))
        ax.set_title(wrap(data.scenario_title, 110, max_lines=2), fontsize=13,
                     fontweight="normal", color="#555555", pad=26)
        mark_tipping_points(ax, tipping, label_axes=True)
        default = data.parameter(parameter).get("default")
        mark_default(ax, None if default is None else float(default), label=True)
        handles = [Patch(facecolor=colour(k), hatch=hatch(k), edgecolor="white",
                         label=wrap(names[key], 34, max_lines=2)) for key, k in keys.items()]
        figure.legend(handles=handles, loc="outside right center", frameon=False, fontsize=12,
                      title="move (first\nequilibrium)")
    return figure


def draw_credibility_sweep(data, parameter: str, record: dict) -> Figure:
    """The subgame-perfect bands along ``parameter`` and, under them, each response's margin
    (what carrying it out pays its player compared with its best other move): shaded where
    it is credible (margin at least 0) and where not, each threshold marked and labelled."""

    responses = [r for r in record["responses"] if r.get("column") in data.columns][:4]
    if not responses:
        raise InputError([Problem("the credibility record names no column of the table",
                                  file=str(data.folder / "credibility.json"))])
    thresholds = record.get("tipping_points") or []
    rows, x = _first_rows(data, parameter)
    lo, hi = (float(x[0]), float(x[-1])) if len(x) else (0.0, 1.0)
    pad = 0.01 * (hi - lo or 1.0)
    # Play that holds only at a tie (a bracket's width) would be an empty row.
    all_bands = [b for b in bands(data, parameter)
                 if sum(stop - start for start, stop in b.intervals) > 1e-4 * (hi - lo)]
    all_bands.sort(key=lambda b: (b.intervals[0][0], b.intervals[0][1]))
    default = data.parameter(parameter).get("default")
    default = None if default is None else float(default)
    with plot_style():
        figure = new_figure(figsize=(12.8, 3.2 + 2.6 * len(responses)
                                     + 0.35 * max(1, len(all_bands))))
        figure.suptitle(wrap(f"Credibility as {parameter} changes", 90, max_lines=2),
                        fontsize=19, fontweight="bold")
        grid = figure.add_gridspec(1 + len(responses), 1, height_ratios=(
            max(1.0, 0.45 * len(all_bands)), *[2.0] * len(responses)))
        top = figure.add_subplot(grid[0])
        for row, band in enumerate(all_bands):
            yk = len(all_bands) - 1 - row
            for start, stop in band.intervals:
                top.barh(yk, stop - start, left=start, height=0.62, color=colour(row),
                         edgecolor="white", linewidth=0.5, zorder=2)
        top.set_yticks(range(len(all_bands)))
        top.set_yticklabels([wrap(b.outcome, 44, max_lines=2) for b in reversed(all_bands)],
                            fontsize=12)
        top.set_ylim(-0.6, max(1, len(all_bands)) - 0.4)
        top.set_title("subgame-perfect play", fontsize=14, loc="left")
        mark_tipping_points(top, _line_tipping(data, parameter), label_axes=False)
        mark_default(top, default, label=False)
        axes = [top]
        for k, response in enumerate(responses):
            ax = figure.add_subplot(grid[1 + k], sharex=top)
            axes.append(ax)
            margin = data.columns[response["column"]][rows]
            mine = [t for t in thresholds if t.get("column") == response["column"]
                    and t.get("parameter") == parameter and not t.get("line")]
            credible = np.where(margin >= -1e-9 * np.maximum(1.0, np.abs(margin)), "credible",
                                "not credible").astype(object)
            for start, stop, state in strip_segments(x, credible, [t["value"] for t in mine]):
                ax.axvspan(start, stop, color=CREDIBLE if state == "credible" else NOT_CREDIBLE,
                           alpha=0.16, lw=0, zorder=0)
            ax.axhline(0, color=INK, lw=1)
            ax.plot(x, margin, color=INK, lw=2.5, zorder=3)
            for t in mine:
                value = float(t["value"])
                ax.axvline(value, color=INK, ls=(0, (5, 4)), lw=1.4, zorder=4)
                ax.annotate(f"{parameter} = {bracket_value(t['low'], t['high'])}",
                            (value, 0.97), xycoords=("data", "axes fraction"), ha="left",
                            va="top", fontsize=12, fontweight="bold", xytext=(5, 0),
                            textcoords="offset points", zorder=5,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                      alpha=0.85))
            mark_default(ax, default, label=False)
            ax.set_ylabel("margin", fontsize=13)
            share = float(np.mean(credible == "credible")) if len(credible) else 0.0
            ax.set_title(wrap(f"{response['description']}: credible at {share:.0%} of the "
                              "points", 100, max_lines=2), fontsize=14, loc="left")
        for ax in axes[:-1]:
            ax.tick_params(labelbottom=False)
        axes[-1].set_xlim(lo - pad, hi + pad)
        axes[-1].set_xlabel(data.parameter_label(parameter))
        handles = [Patch(facecolor=CREDIBLE, alpha=0.35, label="credible (margin ≥ 0)"),
                   Patch(facecolor=NOT_CREDIBLE, alpha=0.35, label="not credible"),
                   Line2D([], [], color=INK, ls=(0, (5, 4)), lw=1.4, label="threshold"),
                   Line2D([], [], color=MUTED, lw=6, alpha=0.6, label="scenario default")]
        figure.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                      frameon=False, fontsize=12)
    return figure
