"""Option form <-> normal form, and the equilibrium concepts of both side by side.

Option form to normal form: each decision maker's strategies are the combinations of its own
options that occur in some feasible state; a profile is infeasible when its joint state is; the
payoffs are the preference numbers of :attr:`Conflict.payoffs` (ranks or given payoffs).

Normal form to option form: each strategy of a player becomes one option of that player, with
exactly one of them taken; infeasible profiles become infeasible patterns.

Nash stability in the graph model and pure Nash equilibrium in the matrix agree whenever every
decision maker can move between any two of its strategies (no irreversible options): both ask
that no one gains by changing its own choice alone. The non-myopic concepts (GMR, SMR, SEQ)
add the states where every such gain is deterred by a sanction.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from negsim.conflict.model import Conflict, DecisionMaker, Option, Pattern, exactly_one
from negsim.conflict.stability import analyze
from negsim.game import Game
from negsim.solve import solve

__all__ = ["Comparison", "compare_with_matrix", "from_normal_form", "strategy_combinations", "to_normal_form"]


def strategy_combinations(conflict: Conflict, dm: str | int) -> tuple[int, ...]:
    """``dm``'s own option combinations (as bits of the state code) found in feasible states."""
    mask = conflict.masks[conflict.dm_index(dm)]
    return tuple(sorted({s & mask for s in conflict.states}))


def _label(conflict: Conflict, dm: int, combo: int) -> str:
    names = [o for o in conflict.decision_makers[dm].options if combo >> conflict.option_index(o) & 1]
    return "+".join(names) if names else "none"


def to_normal_form(conflict: Conflict) -> tuple[Game, dict[tuple[int, ...], int]]:
    """The normal-form game of ``conflict`` and the state of each feasible profile."""
    combos = [strategy_combinations(conflict, i) for i in range(len(conflict.decision_makers))]
    shape = tuple(len(c) for c in combos)
    n = len(combos)
    payoffs = np.zeros((n, *shape))
    infeasible = np.zeros(shape, dtype=bool)
    states: dict[tuple[int, ...], int] = {}
    for profile in product(*(range(m) for m in shape)):
        state = sum(combos[i][k] for i, k in enumerate(profile))
        if state in conflict.index:
            states[profile] = state
            payoffs[(slice(None), *profile)] = conflict.payoffs[:, conflict.index[state]]  # type: ignore[index]
        else:
            infeasible[profile] = True
    low = float(conflict.payoffs.min())
    payoffs[:, infeasible] = low  # shown as infeasible; solvers treat them as everyone's worst
    game = Game(
        players=conflict.dm_ids,
        strategies=tuple(tuple(_label(conflict, i, c) for c in combos[i]) for i in range(n)),
        payoffs=payoffs,
        id=conflict.id,
        title=conflict.title,
        player_names=tuple(d.label for d in conflict.decision_makers),
        infeasible=infeasible if infeasible.any() else None,
        status_quo=next((p for p, s in states.items() if s == conflict.status_quo), None),
    )
    return game, states


def from_normal_form(game: Game) -> Conflict:
    """The option form of a normal-form game: one option per strategy, exactly one taken."""
    dms: list[DecisionMaker] = []
    options: list[Option] = []
    patterns: list[Pattern] = []
    offsets = []
    k = 0
    for i, player in enumerate(game.players):
        ids = tuple(f"{player}__{s}" for s in game.strategies[i])
        options.extend(
            Option(o, f"{game.player_names[i]}: {name}") for o, name in zip(ids, game.strategy_names[i])
        )
        dms.append(DecisionMaker(player, ids, game.player_names[i]))
        patterns.extend(exactly_one(range(k, k + len(ids))))
        offsets.append(k)
        k += len(ids)
    profiles = list(product(*(range(m) for m in game.shape)))
    if game.infeasible is not None:
        for p in profiles:
            if game.infeasible[p]:
                patterns.append(Pattern(tuple((offsets[i] + s, True) for i, s in enumerate(p))))
    skeleton = Conflict(
        tuple(dms), tuple(options), np.zeros((0, 0)), tuple(patterns), id=game.id, title=game.title
    )
    values = np.zeros((game.n_players, len(skeleton.states)))
    for p in profiles:
        state = sum(1 << (offsets[i] + s) for i, s in enumerate(p))
        if state in skeleton.index:
            values[:, skeleton.index[state]] = game.payoffs[(slice(None), *p)]  # type: ignore[arg-type]
    status_quo = None
    if game.status_quo is not None:
        status_quo = sum(1 << (offsets[i] + s) for i, s in enumerate(game.status_quo))
    return Conflict(tuple(dms), tuple(options), values, tuple(patterns), status_quo, game.id, game.title)


@dataclass(frozen=True)
class Comparison:
    """The matrix's pure Nash equilibria (as states) beside the graph model's equilibria."""

    matrix_pure: tuple[int, ...]
    matrix_mixed: int
    graph: dict[str, tuple[int, ...]]
    method: str = ""
    degenerate: bool = False
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "matrix_method": self.method,
            "matrix_degenerate": self.degenerate,
            "warnings": list(self.warnings),
            "matrix_pure_nash": list(self.matrix_pure),
            "matrix_mixed_equilibria": self.matrix_mixed,
            "graph_model": {k: list(v) for k, v in self.graph.items()},
        }


def compare_with_matrix(
    conflict: Conflict, concepts: tuple[str, ...] = ("R", "GMR", "SMR", "SEQ"), method: str = "auto"
) -> Comparison:
    """Nash equilibria of the normal form (via :func:`negsim.solve.solve`) against the states that
    are equilibria under each graph-model concept."""
    game, states = to_normal_form(conflict)
    solution = solve(game, method=method)
    pure = []
    mixed = 0
    for e in solution.equilibria:
        profile = e.pure_profile()
        if profile is None:
            mixed += 1
        elif profile in states:
            pure.append(states[profile])
    analysis = analyze(conflict, concepts)
    return Comparison(
        tuple(sorted(set(pure))),
        mixed,
        {c: analysis.equilibria(c) for c in concepts},
        solution.method,
        solution.degenerate,
        tuple(solution.warnings),
    )
