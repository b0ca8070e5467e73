"""Option form <-> normal form, and the equilibrium concepts of both side by side.

Option form to normal form: each decision maker's strategies are the combinations of its own
options that occur in some feasible state (``keep&limited``: the options taken, joined by
``&``; ``none`` when none); a profile is infeasible when its joint state is; the payoffs are
the preference numbers of :attr:`Conflict.payoffs` (ranks or given payoffs).

Normal form to option form: each strategy of a player becomes one option of that player, with
exactly one of them taken; infeasible profiles become infeasible patterns.

Nash stability in the graph model and pure Nash equilibrium in the matrix agree whenever every
decision maker can move between any two of its strategies (no irreversible options): both ask
that no one gains by changing its own choice alone. The non-myopic concepts (GMR, SMR, SEQ)
add the states where every such gain is deterred by a sanction.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

import numpy as np

from negsim.conflict.model import Conflict, DecisionMaker, Option, Pattern, exactly_one
from negsim.conflict.parametric import ParametricConflict
from negsim.conflict.stability import analyze
from negsim.game import Game, ParametricGame
from negsim.solve import solve

__all__ = [
    "JOIN",
    "Comparison",
    "NormalFormLayout",
    "compare_with_matrix",
    "from_normal_form",
    "normal_form_layout",
    "parametric_normal_form",
    "strategy_combinations",
    "strategy_label",
    "strategy_name",
    "to_normal_form",
]


def strategy_combinations(conflict: Conflict, dm: str | int) -> tuple[int, ...]:
    """``dm``'s own option combinations (as bits of the state code) found in feasible states."""
    mask = conflict.masks[conflict.dm_index(dm)]
    return tuple(sorted({s & mask for s in conflict.states}))


#: Joins the options a strategy of the normal form takes (``keep&limited``); ``+`` is kept for
#: the supports of mixed strategies in sweep tables.
JOIN = "&"


def strategy_label(conflict: Conflict, dm: int, combo: int) -> str:
    """A normal-form strategy's id: the options taken joined by ``&`` (``keep&limited``);
    ``none`` when none (``nothing`` if ``none`` is an option id of that decision maker)."""
    names = [o for o in conflict.decision_makers[dm].options if combo >> conflict.option_index(o) & 1]
    empty = "nothing" if "none" in conflict.decision_makers[dm].options else "none"
    return JOIN.join(names) if names else empty


def strategy_name(conflict: Conflict, dm: int, combo: int) -> str:
    """What people read for a normal-form strategy: the options' names joined by `` & ``."""
    names = [
        conflict.options[conflict.option_index(o)].label
        for o in conflict.decision_makers[dm].options
        if combo >> conflict.option_index(o) & 1
    ]
    return " & ".join(names) if names else "no option taken"


@dataclass(frozen=True, eq=False)
class NormalFormLayout:
    """How the states of a conflict sit in its normal form: each decision maker's strategies
    (its option combinations), and ``index[profile]``, the position in :attr:`Conflict.states`
    of the profile's joint state, or -1 for an infeasible profile."""

    combos: tuple[tuple[int, ...], ...]
    strategies: tuple[tuple[str, ...], ...]
    strategy_names: tuple[tuple[str, ...], ...]
    index: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(c) for c in self.combos)

    @property
    def infeasible(self) -> np.ndarray | None:
        mask = self.index < 0
        return mask if mask.any() else None

    def profile_of(self, conflict: Conflict, state: int) -> tuple[int, ...]:
        """The profile (strategy indices) whose joint state is ``state``."""
        return tuple(self.combos[i].index(state & conflict.masks[i]) for i in range(len(self.combos)))

    def payoffs(self, preferences: np.ndarray) -> np.ndarray:
        """Normal-form payoffs ``(points, players, m_0, ...)`` from preferences ``(points, dms,
        states)``; an infeasible profile gets the point's lowest preference (the solvers treat
        infeasible profiles as everyone's worst anyway)."""
        P = np.asarray(preferences, dtype=float)
        safe = np.where(self.index < 0, 0, self.index)
        out = P[:, :, safe]
        if (self.index < 0).any():
            low = P.min(axis=(1, 2))
            out[:, :, self.index < 0] = low[:, None, None]
        return out


def normal_form_layout(conflict: Conflict) -> NormalFormLayout:
    """The normal form's strategies and the state of each profile."""
    n = len(conflict.decision_makers)
    combos = tuple(strategy_combinations(conflict, i) for i in range(n))
    shape = tuple(len(c) for c in combos)
    index = np.full(shape, -1, dtype=np.int64)
    for profile in product(*(range(m) for m in shape)):
        state = sum(combos[i][k] for i, k in enumerate(profile))
        if state in conflict.index:
            index[profile] = conflict.index[state]
    return NormalFormLayout(
        combos,
        tuple(tuple(strategy_label(conflict, i, c) for c in combos[i]) for i in range(n)),
        tuple(tuple(strategy_name(conflict, i, c) for c in combos[i]) for i in range(n)),
        index,
    )


def to_normal_form(conflict: Conflict) -> tuple[Game, dict[tuple[int, ...], int]]:
    """The normal-form game of ``conflict`` and the state of each feasible profile. Strategies
    are named by their ids (``keep&limited``), which read shorter in a matrix than the options'
    names (:attr:`NormalFormLayout.strategy_names` has those)."""
    layout = normal_form_layout(conflict)
    payoffs = layout.payoffs(conflict.payoffs[None])[0]
    states = {
        tuple(int(k) for k in profile): conflict.states[int(layout.index[profile])]
        for profile in zip(*np.nonzero(layout.index >= 0))
    }
    game = Game(
        players=conflict.dm_ids,
        strategies=layout.strategies,
        payoffs=payoffs,
        id=conflict.id,
        title=conflict.title,
        player_names=tuple(d.label for d in conflict.decision_makers),
        infeasible=layout.infeasible,
        status_quo=None if conflict.status_quo is None else layout.profile_of(conflict, conflict.status_quo),
    )
    return game, states


def parametric_normal_form(conflict: ParametricConflict, source: str = "") -> ParametricGame:
    """The normal form of a parametric conflict: its payoffs move with the parameters."""
    skeleton = conflict.skeleton
    layout = normal_form_layout(skeleton)

    def payoff_function(values: Mapping[str, np.ndarray]) -> np.ndarray:
        return layout.payoffs(conflict.payoff_function(values))

    sq = skeleton.status_quo
    return ParametricGame(
        players=skeleton.dm_ids,
        strategies=layout.strategies,
        payoff_function=payoff_function,
        defaults=dict(conflict.defaults),
        bounds=dict(conflict.bounds),
        id=skeleton.id,
        title=skeleton.title,
        player_names=tuple(d.label for d in skeleton.decision_makers),
        infeasible=layout.infeasible,
        status_quo=None if sq is None else layout.profile_of(skeleton, sq),
        source=source or skeleton.id,
    )


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
    are equilibria under each graph-model concept.

    The pure equilibria come from pure enumeration (complete for any number of players); for
    two players the mixed ones are counted with ``method`` too."""
    game, states = to_normal_form(conflict)
    with warnings.catch_warnings():
        # A degenerate matrix is recorded in the comparison (``degenerate``, ``warnings``).
        warnings.simplefilter("ignore")
        return _compare(conflict, game, states, concepts, method)


def _compare(conflict: Conflict, game: Game, states: Mapping[tuple[int, ...], int], concepts: tuple[str, ...],
             method: str) -> Comparison:
    found = solve(game, method="pure")
    profiles = [e.pure_profile() for e in found.equilibria]
    pure = sorted({states[p] for p in profiles if p is not None and p in states})
    mixed, used, degenerate = 0, found.method, found.degenerate
    warnings: tuple[str, ...] = ("mixed equilibria were not searched: pure enumeration finds every pure "
                                 "equilibrium, the ones the graph model's states compare with",)
    if game.n_players == 2 and method != "pure":
        solution = solve(game, method=method)
        mixed = sum(1 for e in solution.equilibria if e.pure_profile() is None)
        used, degenerate, warnings = solution.method, solution.degenerate, tuple(solution.warnings)
    analysis = analyze(conflict, concepts)
    return Comparison(
        tuple(pure),
        mixed,
        {c: analysis.equilibria(c) for c in concepts},
        used,
        degenerate,
        warnings,
    )
