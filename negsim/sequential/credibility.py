"""Commitment and credibility: which threats and promises a player would carry out.

A *response* is a move planned at a node where a player answers another player's earlier
move (the *target*): "sanction after full activation". It is **credible** when it is a best
reply there, given how play continues (by backward induction); its *margin* is what carrying
it out pays the responder compared with the best of its other moves there (``>= 0``:
credible; the size says by how much it is, or is not). A response is a
*threat* when the target gets less from it than from the responder's best move there, a
*promise* when it gets more.

:func:`analyze_credibility` reports the responses that matter: those that would change what
happens if they were believed (the responder's best move there would not hold the outcome in
place, or a different move would). For each, the parameter values where it is credible are
found one parameter at a time over the parameter's range (the others at their values): a scan
of :data:`SAMPLES` points, each change located by bisection, and said in words ("credible
when alliance_cost < 2.1").

:func:`negsim.compile.orders.compare_orders` compares the simultaneous game with each order of moves: the
subgame-perfect outcome of each order and the value of moving first (the first mover's
payoff minus what it gets in the equilibria of the simultaneous game).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean
from negsim.sequential.points import backward_induction_points
from negsim.sequential.spe import SubgamePerfect, TreeSolution, behavior_values, path_text, subgame_perfect
from negsim.solve.pure import solve_pure
from negsim.tree.model import ParametricTree, TreeShape
from negsim.tree.strategic import behavior_from_mixed, reduced_form, strategic_game

__all__ = [
    "SAMPLES",
    "CredibilityReport",
    "OrderComparison",
    "Region",
    "ResponseCredibility",
    "analyze_credibility",
    "credibility_margin",
    "credibility_regions",
    "find_responses",
    "nash_on_non_credible_moves",
    "response_nodes",
]

#: Points of the scan over each parameter's range (then refined by bisection).
SAMPLES = 401
_BISECTIONS = 60
_TOL = 1e-9


# -- responses -----------------------------------------------------------------------------------


def response_nodes(shape: TreeShape) -> list[int]:
    """Decision nodes where a player answers another player's earlier, observed move: the
    player knows it is at the node (a set of one node) and another player moved before."""
    out = []
    for k, node in enumerate(shape.nodes):
        if node.kind != "decision" or len(shape.infosets[node.infoset].nodes) != 1:
            continue
        if target_of(shape, k) is not None:
            out.append(k)
    return out


def target_of(shape: TreeShape, node: int) -> int | None:
    """The player whose move the mover at ``node`` answers: the nearest earlier mover who is
    someone else (None at a first move)."""
    mover = shape.nodes[node].player
    k = node
    while shape.nodes[k].parent >= 0:
        k = shape.nodes[k].parent
        parent = shape.nodes[k]
        if parent.kind == "decision" and parent.player != mover:
            return parent.player
    return None


def find_responses(shape: TreeShape, text: str) -> list[tuple[int, int]]:
    """The (node, move) pairs a user names as ``"sanction after full"`` (moves after
    ``after`` separated by commas or spaces; chance moves may be left out, which names the
    response at every chance outcome, e.g. for every type)."""
    move, _, history = text.partition(" after ")
    move, history = move.strip(), history.strip()
    steps = [s for s in history.replace(",", " ").split() if s]
    found = []
    for k in response_nodes(shape) if steps else []:
        if _decision_history(shape, k) != steps and _full_history(shape, k) != steps:
            continue
        node = shape.nodes[k]
        if move in node.actions:
            found.append((k, node.actions.index(move)))
    if not found:
        moves = sorted({a for k in response_nodes(shape) for a in shape.nodes[k].actions})
        histories = sorted({", ".join(_decision_history(shape, k)) for k in response_nodes(shape)})
        raise InputError([Problem(
            f"no response {text!r} in this tree: expected 'MOVE after MOVES' with a MOVE of a "
            f"later mover{did_you_mean(move, moves)} and MOVES leading to it (one of: "
            f"{'; '.join(histories[:12])}{'; ...' if len(histories) > 12 else ''})",
            path="threat")])
    return found


def _decision_history(shape: TreeShape, node: int) -> list[str]:
    return [shape.nodes[p].actions[a] for p, a in shape.path_to(node)
            if shape.nodes[p].kind == "decision"]


def _full_history(shape: TreeShape, node: int) -> list[str]:
    return [shape.nodes[p].actions[a] for p, a in shape.path_to(node)]


def describe_response(shape: TreeShape, node: int, action: int) -> str:
    """``"United States: sanction after full"`` (chance moves such as types included)."""
    history = ", ".join(_full_history(shape, node))
    mover = shape.player_names[shape.nodes[node].player]
    return f"{mover}: {shape.nodes[node].actions[action]} after {history}"


# -- margins and regions -------------------------------------------------------------------------


def credibility_margin(tree: ParametricTree, node: int, action: int,
                       points: Mapping[str, object]) -> np.ndarray:
    """What carrying out ``action`` at ``node`` pays its mover compared with the best of its
    other moves there, at every point (``>= 0``: credible, a best reply), play continuing by
    backward induction."""
    paths = backward_induction_points(tree, points)
    return _margin(tree.shape, paths.values, node, action)


def _margin(shape: TreeShape, values: np.ndarray, node: int, action: int) -> np.ndarray:
    n = shape.nodes[node]
    own = values[:, list(n.children), n.player]     # (points, moves)
    others = np.delete(own, action, axis=1)
    if others.shape[1] == 0:  # a single move is always carried out
        return np.zeros(len(own))
    return own[:, action] - others.max(axis=1)


@dataclass(frozen=True)
class Region:
    """Where a response is credible as one parameter moves over its range (the others fixed).

    ``credible`` lists the intervals (low, high) of the range where it is; ``thresholds``
    the values where that changes.
    """

    parameter: str
    low: float
    high: float
    credible: tuple[tuple[float, float], ...]
    thresholds: tuple[float, ...]

    @property
    def always(self) -> bool:
        return len(self.credible) == 1 and not self.thresholds

    @property
    def never(self) -> bool:
        return not self.credible

    def describe(self) -> str:
        """``"alliance_cost < 2.1"``, ``"2 < x < 3"``, ``"any x in 0..6"``, ``"never"``."""
        name = self.parameter
        if self.never:
            return f"for no {name} in {_num(self.low)}..{_num(self.high)}"
        if self.always:
            return f"for any {name} in {_num(self.low)}..{_num(self.high)}"
        parts = []
        for lo, hi in self.credible:
            if lo <= self.low and hi >= self.high:
                parts.append(f"any {name}")
            elif lo <= self.low:
                parts.append(f"{name} < {_num(hi)}")
            elif hi >= self.high:
                parts.append(f"{name} > {_num(lo)}")
            else:
                parts.append(f"{_num(lo)} < {name} < {_num(hi)}")
        return " or ".join(parts)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _num(value)


def _num(value: float) -> str:
    value = float(value) + 0.0
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.4g}"


def credibility_regions(tree: ParametricTree, node: int, action: int,
                        values: Mapping[str, float], *, samples: int = SAMPLES,
                        parameters: Sequence[str] | None = None) -> list[Region]:
    """For each parameter with a range (or those named), where the response is credible."""
    regions = []
    for name in parameters or tree.parameters:
        low, high = tree.bounds.get(name, (None, None))
        if low is None or high is None or not high > low:
            continue
        regions.append(_region(tree, node, action, values, name, low, high, samples))
    return regions


def _region(tree: ParametricTree, node: int, action: int, values: Mapping[str, float],
            name: str, low: float, high: float, samples: int) -> Region:
    grid = np.linspace(low, high, samples)
    credible = _credible_at(tree, node, action, values, name, grid)
    thresholds = []
    for k in np.flatnonzero(credible[1:] != credible[:-1]):
        thresholds.append(_bisect(tree, node, action, values, name, grid[k], grid[k + 1],
                                  bool(credible[k])))
    intervals = []
    start = low if credible[0] else None
    for t, k in zip(thresholds, np.flatnonzero(credible[1:] != credible[:-1])):
        if credible[k]:
            intervals.append((start, t))
            start = None
        else:
            start = t
    if start is not None:
        intervals.append((start, high))
    return Region(name, float(low), float(high), tuple(intervals), tuple(thresholds))


def _credible_at(tree: ParametricTree, node: int, action: int, values: Mapping[str, float],
                 name: str, column: np.ndarray) -> np.ndarray:
    points = {k: np.full(len(column), v) for k, v in values.items()}
    points[name] = column
    paths = backward_induction_points(tree, points)
    margin = _margin(tree.shape, paths.values, node, action)
    scale = np.maximum(1.0, np.abs(paths.values).reshape(len(column), -1).max(axis=1))
    # Only rounding-size slack here, so that thresholds come out where the margin is 0.
    return margin >= -1e-12 * scale


def _bisect(tree: ParametricTree, node: int, action: int, values: Mapping[str, float],
            name: str, a: float, b: float, credible_at_a: bool) -> float:
    for _ in range(_BISECTIONS):
        middle = 0.5 * (a + b)
        if middle in (a, b):
            break
        here = bool(_credible_at(tree, node, action, values, name, np.array([middle]))[0])
        if here == credible_at_a:
            a = middle
        else:
            b = middle
    # The change happens between a and b: rounded to 10 digits, which removes float noise
    # (6.000000000000001) and keeps everything the bisection resolved.
    x = 0.5 * (a + b)
    return float(f"{x:.10g}")


# -- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseCredibility:
    """One response: is it credible, what would believing it change, and where it holds."""

    node: int
    action: int
    mover: str
    target: str
    kind: str                       # "threat", "promise" or "response"
    description: str                # "United States: sanction after full"
    credible: bool
    margin: float                   # carrying it out minus the best move, for the mover
    best: tuple[str, ...]           # the mover's best moves there
    in_equilibrium: bool            # it is the equilibrium's move there
    on_path: bool                   # play reaches its node in the equilibrium
    outcome_if_played: str          # the play if the mover were bound to it
    gain_if_played: float           # the mover's payoff then, minus its equilibrium payoff
    regions: tuple[Region, ...] = ()
    #: For an equilibrium move that holds the play in place: the play if the mover made the
    #: other move there (the one its target likes best among those that change the play), and
    #: what that would change for the target and for the mover.
    outcome_without: str = ""
    target_gain_without: float = 0.0
    mover_gain_without: float = 0.0

    @property
    def consequence(self) -> str:
        """What the response does, in a few words."""
        if self.outcome_without:
            return (f"without it: {self.outcome_without} ({self.target} "
                    f"{_signed(self.target_gain_without)}, {self.mover} "
                    f"{_signed(self.mover_gain_without)})")
        return (f"if believed: {self.outcome_if_played} ({self.mover} "
                f"{_signed(self.gain_if_played)})")

    @property
    def statement(self) -> str:
        """The answer in words."""
        what = f"{self.description} ({self.kind})"
        if self.credible:
            head = f"{what} is credible at these values"
            if self.margin > 1e-9:
                head += f": it pays {self.mover} {_num(self.margin)} more than its next best move"
            else:
                head += f" ({self.mover} is indifferent)"
        else:
            head = (f"{what} is not credible at these values: {self.mover} would rather "
                    f"{' or '.join(self.best)} (carrying it out would cost it "
                    f"{_num(-self.margin)})")
        changing = [r for r in self.regions if not r.always and not r.never]
        if changing:
            head += "; it is credible when " + ", or when ".join(
                f"{r.describe()} (range {_num(r.low)}..{_num(r.high)})" for r in changing)
            if len(changing) < len(self.regions):
                head += "; no other parameter changes this within its range (one at a time)"
        elif self.regions and self.credible:
            head += "; it stays credible over the whole range of every parameter (one at a time)"
        elif self.regions:
            head += "; it is not credible anywhere in the parameters' ranges (one at a time)"
        return head + "."


@dataclass(frozen=True)
class CredibilityReport:
    """What :func:`analyze_credibility` found at one parameter point."""

    tree: ParametricTree
    values: Mapping[str, float]
    solution: TreeSolution
    responses: tuple[ResponseCredibility, ...]
    nash_not_credible: tuple[tuple[str, tuple[str, ...]], ...] = ()
    orders: tuple[OrderComparison, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def analyze_credibility(tree: ParametricTree, overrides: Mapping[str, float] | None = None, *,
                        threat: str | None = None, regions: bool = True,
                        samples: int = SAMPLES) -> CredibilityReport:
    """The subgame-perfect equilibria and the credibility of the responses that matter.

    ``threat`` names one response (``"sanction after full"``) to analyse whatever it
    changes; otherwise every response that would change the play if it were believed, and
    every equilibrium response that keeps the play where it is, is analysed.
    """
    values = tree.values(overrides)
    point = {k: np.array([v]) for k, v in values.items()}
    at_point = tree.tree(overrides)
    solution = subgame_perfect(at_point)
    shape = tree.shape
    base = backward_induction_points(tree, point)
    base_outcome = base.outcomes()[0]
    base_payoffs = base.payoffs[0]
    chosen = base.equilibrium(0)
    named = find_responses(shape, threat) if threat else None
    items = []
    for k in response_nodes(shape):
        node = shape.nodes[k]
        target = target_of(shape, k)
        forced = {}
        for a in range(len(node.actions)):
            paths = backward_induction_points(tree, point, force={k: a})
            forced[a] = (paths.outcomes()[0], paths.payoffs[0].copy())
        own = base.values[0, list(node.children), node.player]
        their = base.values[0, list(node.children), target]
        best = [a for a in range(len(own)) if own[a] >= own.max() - _TOL * max(1, abs(own).max())]
        equilibrium_move = int(np.argmax(chosen.behavior[node.infoset]))
        for a in range(len(node.actions)):
            if named is not None:
                if (k, a) not in named:
                    continue
            elif a == equilibrium_move:
                # Off the path, the equilibrium move holds the play in place when another move
                # there would change it: that is what deters (or what is promised).
                holds = chosen.reach[k] <= 1e-12 and any(
                    forced[b][0] != base_outcome for b in forced if b != a)
                if not holds:
                    continue
            else:
                # Worth announcing: believed, it would change the play in the mover's favour.
                gain = float(forced[a][1][node.player] - base_payoffs[node.player])
                if forced[a][0] == base_outcome or gain <= _TOL * max(1.0, abs(gain)):
                    continue
            reference = equilibrium_move if a != equilibrium_move else _most_different(
                their, a, forced, base_outcome)
            if their[a] < their[reference] - 1e-12:
                kind = "threat"
            elif their[a] > their[reference] + 1e-12:
                kind = "promise"
            else:
                kind = "response"
            margin = float(_margin(shape, base.values, k, a)[0])
            found = credibility_regions(tree, k, a, values, samples=samples) if regions else []
            without = {}
            if a == equilibrium_move and forced[reference][0] != base_outcome:
                delta = forced[reference][1] - base_payoffs
                without = dict(outcome_without=forced[reference][0],
                               target_gain_without=float(delta[target]),
                               mover_gain_without=float(delta[node.player]))
            items.append(ResponseCredibility(
                node=k, action=a, mover=shape.player_names[node.player],
                target=shape.player_names[target], kind=kind,
                description=describe_response(shape, k, a),
                credible=a in best, margin=margin,
                best=tuple(node.actions[b] for b in best),
                in_equilibrium=a == equilibrium_move,
                on_path=bool(chosen.reach[k] > 1e-12),
                outcome_if_played=forced[a][0],
                gain_if_played=float(forced[a][1][node.player] - base_payoffs[node.player]),
                regions=tuple(found),
                **without,
            ))
    return CredibilityReport(tree, values, solution, tuple(items),
                             nash_on_non_credible_moves(tree, overrides))


def _most_different(their: np.ndarray, a: int, forced: dict, base_outcome: str) -> int:
    """For an equilibrium move ``a``: the other move there that would change the play (the
    target's favourite among them), to say whether ``a`` is a threat or a promise."""
    changing = [b for b in forced if b != a and forced[b][0] != base_outcome]
    pool = changing or [b for b in forced if b != a] or [a]
    return max(pool, key=lambda b: their[b])


# -- Nash equilibria that are not subgame perfect -------------------------------------------------


def nash_on_non_credible_moves(tree: ParametricTree, overrides: Mapping[str, float] | None = None,
                               *, limit: int = 20) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Pure Nash equilibria of the tree's strategic form that rest on moves their player would
    not make when the time came: (the equilibrium's play, the non-credible moves).

    Empty when the strategic form is too large to search.
    """

    at_point = tree.tree(overrides)
    shape = tree.shape
    try:
        form = reduced_form(shape)
    except InputError:
        return ()
    game = strategic_game(at_point, form)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pure = solve_pure(game).equilibria
    found: list[tuple[str, tuple[str, ...]]] = []
    roots = shape.subgame_roots
    perfect_plays = {e.outcome(shape) for e in subgame_perfect(at_point).equilibria}
    for e in pure:
        behavior = [np.full(len(i.actions), 1.0 / len(i.actions)) for i in shape.infosets]
        for player in range(shape.n_players):
            for s, b in behavior_from_mixed(form, player, e.strategies[player]).items():
                if b is not None:
                    behavior[s] = b
        values, reach = behavior_values(at_point, behavior)
        bad = []
        for k, node in enumerate(shape.nodes):
            if node.kind != "decision" or not roots[k]:
                continue
            own = values[list(node.children), node.player]
            move = int(np.argmax(behavior[node.infoset]))
            if own[move] < own.max() - _TOL * at_point.scale:
                bad.append(describe_response(shape, k, move) if target_of(shape, k) is not None
                           else f"{shape.player_names[node.player]}: {node.actions[move]}")
        if bad:
            play = path_text(shape, SubgamePerfect(tuple(behavior), values, reach))
            if play not in perfect_plays and play not in {p for p, _ in found}:
                found.append((play, tuple(bad)))
        if len(found) >= limit:
            break
    return tuple(found)


@dataclass(frozen=True)
class OrderComparison:
    """One way of playing a scenario: simultaneous (``order == ()``) or a move order."""

    order: tuple[str, ...]
    label: str
    outcomes: tuple[str, ...]
    payoffs: tuple[tuple[float, ...], ...]     # per equilibrium, per player
    value_of_moving_first: tuple[float, float] | None = None  # (min, max) over equilibria
