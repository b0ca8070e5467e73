"""Best-response dynamics over pure profiles: players switch to a best response, one or all at a time.

A player whose current strategy is a best response keeps it (inertia); one that is not switches
to its best response with the lowest index. Players move

- ``"sequential"``: in turn, first player first, one revision opportunity each;
- ``"simultaneous"``: all players that are not best-responding switch at once;
- ``"random"``: one player at a time, drawn (seeded) among those that are not best-responding
  (asynchronous revision).

Deterministic orders end in a pure Nash equilibrium or repeat a state, which is then a cycle.
Random order ends, with probability one, in a *sink* of the best-response graph
(:func:`best_response_graph`): a pure equilibrium or a set of profiles that play never leaves;
play stops as soon as it enters one. In a game with a potential (Monderer and Shapley 1996)
every unilateral improvement raises the potential, so sequential and random orders always reach
a pure equilibrium; simultaneous revision can still cycle (both players of a coordination game
switching at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean
from negsim.game import Game, profile_label
from negsim.solve.verify import payoff_scale

__all__ = [
    "MAX_PROFILES",
    "ORDERS",
    "BestResponseGraph",
    "BestResponsePath",
    "best_response_dynamics",
    "best_response_graph",
    "best_responses",
]

ORDERS = ("sequential", "simultaneous", "random")

#: The best-response graph has one node per pure profile; larger games are refused.
MAX_PROFILES = 200_000

PureProfile = tuple[int, ...]


def best_responses(game: Game, profile: Sequence[int], player: int, *, tol: float = 1e-9) -> tuple[int, ...]:
    """``player``'s best responses (all ties) to the others' strategies in ``profile``."""
    index: list[int | slice] = [int(k) for k in profile]
    index[player] = slice(None)
    values = game.solver_payoffs[player][tuple(index)]
    limit = float(values.max()) - tol * payoff_scale(game)
    return tuple(int(k) for k in np.flatnonzero(values >= limit))


@dataclass(frozen=True, eq=False)
class BestResponsePath:
    """The profiles visited, who moved into each, and how play ended.

    ``end`` is ``"equilibrium"`` (no player wants to switch: a pure Nash equilibrium),
    ``"cycle"`` (``cycle`` holds the profiles play repeats, in order; for random order the sink
    of the best-response graph play has entered) or ``"steps"`` (``max_steps`` reached).
    """

    game: Game
    order: str
    profiles: tuple[PureProfile, ...]
    movers: tuple[tuple[int, ...], ...]
    end: str
    cycle: tuple[PureProfile, ...] = ()
    seed: int | None = None

    @property
    def equilibrium(self) -> PureProfile | None:
        return self.profiles[-1] if self.end == "equilibrium" else None

    def describe(self) -> str:
        g = self.game
        if self.end == "equilibrium":
            label = g.profile_label(self.profiles[-1])
            return f"{self.order} best responses reach the pure equilibrium {label}"
        if self.end == "cycle" and self.order == "random":
            names = ", ".join(g.profile_label(p) for p in self.cycle)
            return f"random best responses enter a best-response cycle and stay among {names}"
        if self.end == "cycle":
            names = " -> ".join(g.profile_label(p) for p in self.cycle)
            return f"{self.order} best responses cycle through {names}"
        return f"{self.order} best responses neither settle nor repeat within {len(self.profiles) - 1} steps"

    def to_dict(self) -> dict[str, object]:
        g = self.game
        return {
            "order": self.order,
            "seed": self.seed,
            "players": list(g.players),
            "profiles": [[g.strategies[i][k] for i, k in enumerate(p)] for p in self.profiles],
            "movers": [[g.players[i] for i in m] for m in self.movers],
            "end": self.end,
            "cycle": [[g.strategies[i][k] for i, k in enumerate(p)] for p in self.cycle],
            "description": self.describe(),
        }


def _check_start(game: Game, start: Sequence[int] | None) -> PureProfile:
    if start is None:
        return game.status_quo if game.status_quo is not None else tuple(0 for _ in game.shape)
    if isinstance(start, (str, bytes)) or not isinstance(start, Sequence):
        raise InputError([Problem("expected one strategy index per player", path="start")])
    profile = tuple(start)
    problems = []
    if len(profile) != game.n_players:
        problems.append(Problem(f"expected {game.n_players} strategy indices, got {len(profile)}",
                                path="start"))
    else:
        for i, k in enumerate(profile):
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= int(k) < game.shape[i]:
                problems.append(Problem(f"expected a strategy index from 0 to {game.shape[i] - 1}, got {k!r}",
                                        path=f"start.{game.players[i]}"))
    if problems:
        raise InputError(problems)
    return tuple(int(k) for k in profile)


def best_response_dynamics(
    game: Game,
    start: Sequence[int] | None = None,
    *,
    order: str = "sequential",
    max_steps: int = 1000,
    seed: int | None = None,
) -> BestResponsePath:
    """Best-response play from the pure profile ``start``.

    ``start`` defaults to the status quo, else every player's first strategy.

    >>> from negsim.game import Game
    >>> pennies = Game.from_matrices([[1, -1], [-1, 1]], strategies=[["H", "T"], ["H", "T"]])
    >>> best_response_dynamics(pennies, (0, 0)).describe()
    'sequential best responses cycle through H / H -> H / T -> T / T -> T / H'
    """
    if order not in ORDERS:
        raise InputError([Problem(f"unknown order {order!r}{did_you_mean(order, ORDERS)}", path="order")])
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise InputError([Problem(f"expected a positive integer, got {max_steps!r}", path="max_steps")])
    profile = _check_start(game, start)
    n = game.n_players

    def unhappy(p: PureProfile) -> list[int]:
        return [i for i in range(n) if p[i] not in best_responses(game, p, i)]

    profiles: list[PureProfile] = [profile]
    movers: list[tuple[int, ...]] = [()]
    if order == "random":
        rng = np.random.default_rng(seed)
        sinks = {p: s for s in best_response_graph(game).sinks if len(s) > 1 for p in s}
        for _ in range(max_steps):
            if profile in sinks:
                return BestResponsePath(game, order, tuple(profiles), tuple(movers), "cycle",
                                        tuple(sorted(sinks[profile])), seed)
            candidates = unhappy(profile)
            if not candidates:
                return BestResponsePath(game, order, tuple(profiles), tuple(movers), "equilibrium", (), seed)
            i = int(candidates[int(rng.integers(len(candidates)))])
            profile = _switch(profile, i, best_responses(game, profile, i)[0])
            profiles.append(profile)
            movers.append((i,))
        return BestResponsePath(game, order, tuple(profiles), tuple(movers), "steps", (), seed)
    # Deterministic orders: the state is the profile (and, in turn, whose turn it is).
    seen: dict[tuple[PureProfile, int], int] = {}
    turn = 0
    calm = 0  # players in a row who did not want to move (sequential)
    for _ in range(max_steps):
        if order == "simultaneous":
            state = (profile, 0)
            if state in seen:
                return BestResponsePath(game, order, tuple(profiles), tuple(movers), "cycle",
                                        tuple(profiles[seen[state]:-1]) or (profile,))
            seen[state] = len(profiles) - 1
            moving = unhappy(profile)
            if not moving:
                return BestResponsePath(game, order, tuple(profiles), tuple(movers), "equilibrium")
            new = list(profile)
            for i in moving:
                new[i] = best_responses(game, profile, i)[0]
            profile = tuple(new)
            profiles.append(profile)
            movers.append(tuple(moving))
            continue
        # sequential: give each player in turn its chance; record only actual switches
        while True:
            state = (profile, turn)
            if state in seen:
                first = seen[state]
                cycle = tuple(profiles[first:-1]) if first < len(profiles) - 1 else (profile,)
                return BestResponsePath(game, order, tuple(profiles), tuple(movers), "cycle", cycle)
            seen[state] = len(profiles) - 1
            i = turn
            turn = (turn + 1) % n
            if profile[i] in best_responses(game, profile, i):
                calm += 1
                if calm >= n:
                    return BestResponsePath(game, order, tuple(profiles), tuple(movers), "equilibrium")
                continue
            calm = 0
            profile = _switch(profile, i, best_responses(game, profile, i)[0])
            profiles.append(profile)
            movers.append((i,))
            break
    return BestResponsePath(game, order, tuple(profiles), tuple(movers), "steps")


def _switch(profile: PureProfile, player: int, strategy: int) -> PureProfile:
    new = list(profile)
    new[player] = strategy
    return tuple(new)


@dataclass(frozen=True, eq=False)
class BestResponseGraph:
    """Unilateral switches to a best response between pure profiles, and the graph's sinks.

    ``edges[p]`` lists the profiles reachable from ``p`` by one player switching to one of its
    best responses (when its current strategy is not one). ``sinks`` are the strongly connected
    sets that play never leaves: a single profile is a pure Nash equilibrium, a larger set a
    best-response cycle.
    """

    game: Game
    edges: dict[PureProfile, tuple[PureProfile, ...]]
    sinks: tuple[tuple[PureProfile, ...], ...]

    @property
    def cycles(self) -> tuple[tuple[PureProfile, ...], ...]:
        return tuple(s for s in self.sinks if len(s) > 1)

    @property
    def equilibria(self) -> tuple[PureProfile, ...]:
        return tuple(s[0] for s in self.sinks if len(s) == 1)

    def to_dict(self) -> dict[str, object]:
        strategies = self.game.strategies
        return {
            "equilibria": [profile_label(strategies, p) for p in self.equilibria],
            "cycles": [[profile_label(strategies, p) for p in s] for s in self.cycles],
        }


def best_response_graph(game: Game) -> BestResponseGraph:
    """The best-response graph of ``game`` and its sinks (Tarjan's strongly connected components)."""
    if game.n_profiles > MAX_PROFILES:
        raise InputError([Problem(f"the game has {game.n_profiles} pure profiles (limit {MAX_PROFILES})",
                                  path="game")])
    edges: dict[PureProfile, tuple[PureProfile, ...]] = {}
    for p in game.profiles():
        targets: list[PureProfile] = []
        for i in range(game.n_players):
            best = best_responses(game, p, i)
            if p[i] not in best:
                targets.extend(_switch(p, i, k) for k in best)
        edges[p] = tuple(targets)
    components = _strongly_connected(edges)
    where = {p: k for k, c in enumerate(components) for p in c}
    sinks = [tuple(sorted(c)) for c in components
             if all(where[q] == where[c[0]] for p in c for q in edges[p])]
    return BestResponseGraph(game=game, edges=edges, sinks=tuple(sorted(sinks)))


def _strongly_connected(edges: dict[PureProfile, tuple[PureProfile, ...]]) -> list[list[PureProfile]]:
    """Tarjan's algorithm, iterative (no recursion limit on large games)."""
    index: dict[PureProfile, int] = {}
    low: dict[PureProfile, int] = {}
    on_stack: set[PureProfile] = set()
    stack: list[PureProfile] = []
    components: list[list[PureProfile]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, k = work.pop()
            if k == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges[node]
            if k < len(successors):
                work.append((node, k + 1))
                nxt = successors[k]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
