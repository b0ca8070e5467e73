"""Equilibrium methods and the :func:`solve` entry point.

Every method returns a :class:`~negsim.solve.result.Solution` whose equilibria have all been
verified: an equilibrium whose regret exceeds the tolerance is never reported (a warning says
that one was dropped, which would point at a numerical problem).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negsim.errors import DegenerateGameWarning, InputError, Problem, did_you_mean
from negsim.game import Game
from negsim.solve import components as comp
from negsim.solve import pivoting
from negsim.solve.bimatrix import certified_vertex_pairs
from negsim.solve.lemke_howson import lemke_howson
from negsim.solve.logit import logit_equilibrium, polish
from negsim.solve.pure import solve_pure
from negsim.solve.result import Component, Equilibrium, Solution, sort_equilibria
from negsim.solve.support import support_pairs
from negsim.solve.verify import exact_payoffs_of, make_equilibrium, payoff_scale
from negsim.solve.vertex import count_bases, enumerate_exact, enumerate_float

__all__ = ["METHODS", "Method", "solve"]

#: Above this many linear systems, ``auto`` switches from vertex enumeration to Lemke-Howson.
MAX_FLOAT_BASES = 1_500_000
#: Above this many linear systems, ``--exact`` refuses: rational arithmetic would take too long.
MAX_EXACT_BASES = 400_000
#: Up to this many (12x12), two-player games are enumerated completely by the certified pivoting
#: engine when numba is installed (``negsim[fast]``); exact arithmetic settles what it cannot.
MAX_CERTIFIED_BASES = count_bases(12, 12)


@dataclass(frozen=True)
class Method:
    name: str
    description: str
    players: str  # "2" or "any"
    complete: bool  # finds every (extreme) equilibrium
    run: Callable[..., Solution]


def _unit(m: int, k: int) -> np.ndarray:
    v = np.zeros(m)
    v[k] = 1.0
    return v


def _finish(
    game: Game,
    method: str,
    candidates: list[Equilibrium],
    *,
    complete: bool,
    tol: float,
    degenerate: bool = False,
    exact: bool = False,
    components: tuple[Component, ...] = (),
    notes: tuple[str, ...] = (),
) -> Solution:
    """Verify, de-duplicate, sort; record warnings."""
    limit = 0.0 if exact else tol * payoff_scale(game)
    kept: dict[tuple, Equilibrium] = {}
    dropped = 0
    for e in candidates:
        if e.regret > limit or any(
            game.infeasible is not None and game.infeasible[p] for p in [e.pure_profile()] if p
        ):
            dropped += 1
            continue
        kept.setdefault(e.key(), e)
    ordered = sort_equilibria(list(kept.values()))
    messages = list(notes)
    if dropped:
        messages.append(f"{dropped} candidate(s) failed verification and were dropped")
    if degenerate:
        text = (
            "the game is degenerate (some strategy with a support of k strategies has more than k "
            "best responses): equilibria may form connected sets; the extreme equilibria are listed"
        )
        messages.append(text)
        warnings.warn(text, DegenerateGameWarning, stacklevel=3)
    if not complete:
        messages.append(f"method '{method}' does not promise to find every equilibrium")
    # Component members index the candidates; re-point them at the sorted, de-duplicated list.
    position = {e.key(): k for k, e in enumerate(ordered)}
    components = tuple(
        Component(
            tuple(
                sorted({position[k] for k in (candidates[i].key() for i in c.equilibria) if k in position})
            ),
            c.description,
        )
        for c in components
    )
    return Solution(
        game=game,
        method=method,
        equilibria=tuple(ordered),
        complete=complete,
        degenerate=degenerate,
        exact=exact,
        tolerance=tol,
        components=components,
        warnings=tuple(messages),
    )


# -- one-player games ------------------------------------------------------------------------


def _solve_single(game: Game, method: str, tol: float, exact: bool) -> Solution:
    values = game.solver_payoffs[0]
    best = values.max()
    limit = 0.0 if exact else tol * payoff_scale(game)
    winners = [k for k in range(game.shape[0]) if values[k] >= best - limit and game.is_feasible((k,))]
    exact_values = exact_payoffs_of(game) if exact else None
    m = game.shape[0]
    eqs = [
        make_equilibrium(game, [[Fraction(int(j == k)) for j in range(m)]], exact_payoffs=exact_values)
        if exact
        else make_equilibrium(game, [_unit(m, k)])
        for k in winners
    ]
    components = ()
    if len(winners) > 1:
        names = ", ".join(game.strategy_names[0][k] for k in winners)
        components = (Component(tuple(range(len(eqs))), f"{game.player_names[0]} plays any mix of {names}"),)
    return _finish(
        game,
        method,
        eqs,
        complete=True,
        tol=tol,
        degenerate=len(winners) > 1,
        exact=exact,
        components=components,
    )


# -- two-player methods ----------------------------------------------------------------------


def _bimatrix(game: Game) -> tuple[np.ndarray, np.ndarray]:
    return game.solver_payoffs[0], game.solver_payoffs[1]


def solve_vertex(game: Game, *, tol: float = 1e-9, exact: bool = False) -> Solution:
    """Every extreme equilibrium by vertex enumeration, with components and degeneracy.

    Games up to :data:`MAX_EXACT_BASES` are enumerated in exact arithmetic even when ``exact``
    is false: in highly degenerate games some vertices are only reachable through
    ill-conditioned bases, which floating point can miss. Larger games, up to
    :data:`MAX_CERTIFIED_BASES`, by the certified pivoting engine when numba is installed
    (:mod:`negsim.solve.pivoting`: every decision checked against its error bound, exact
    arithmetic where one cannot be settled); otherwise in floating point.
    """
    m, n = game.shape
    bases = count_bases(m, n)
    certified = not exact and bases > MAX_EXACT_BASES and certified_enumeration(bases)
    result = certified_vertex_pairs(*_bimatrix(game)) if certified else None
    payoffs = None
    if result is None and (exact or bases <= MAX_EXACT_BASES or certified):
        # (A game the certified engine cannot settle is enumerated exactly, slowly at its size.)
        if exact and bases > MAX_EXACT_BASES:
            raise InputError(
                [
                    Problem(
                        f"game too large for exact arithmetic: a {m}x{n} game needs {bases} rational "
                        f"linear solves (limit {MAX_EXACT_BASES}); solve it in floating point instead"
                    )
                ]
            )
        payoffs = exact_payoffs_of(game)
        result = enumerate_exact(payoffs[0], payoffs[1])
        exact = True
    elif result is None:
        A, B = _bimatrix(game)
        result = enumerate_float(A, B, tol=tol)
    candidates = []
    index = {}
    for a, b in result.pairs:
        x = comp.as_mix(result.row_vertices[a], exact)
        y = comp.as_mix(result.col_vertices[b], exact)
        index[(a, b)] = len(candidates)
        candidates.append(make_equilibrium(game, [x, y], exact_payoffs=payoffs))
    components = []
    for xs, ys in comp.maximal_bicliques(result.pairs):
        members = tuple(index[(a, b)] for a in xs for b in ys)
        description = comp.describe_component(
            game,
            [comp.as_mix(result.row_vertices[a], exact) for a in xs],
            [comp.as_mix(result.col_vertices[b], exact) for b in ys],
        )
        components.append(Component(members, description))
    return _finish(
        game,
        "enumerate",
        candidates,
        complete=True,
        tol=tol,
        degenerate=result.degenerate,
        exact=exact,
        components=tuple(components),
    )


def solve_support(game: Game, *, tol: float = 1e-9, exact: bool = False) -> Solution:
    """Support enumeration (equal-size supports): complete for non-degenerate games."""
    _no_exact("support", exact)
    A, B = _bimatrix(game)
    found = [make_equilibrium(game, [x, y]) for x, y in support_pairs(A, B, tol=tol)]
    pure = solve_pure(game, tol=tol).equilibria
    degenerate = _looks_degenerate(game, found + list(pure), tol)
    return _finish(
        game,
        "support",
        found + list(pure),
        complete=not degenerate,
        tol=tol,
        degenerate=degenerate,
        notes=(
            "support enumeration can miss equilibria of degenerate games; "
            "the method 'enumerate' finds them all",
        )
        if degenerate
        else (),
    )


def solve_lemke_howson(game: Game, *, tol: float = 1e-9, exact: bool = False) -> Solution:
    """Lemke-Howson from every dropped label, plus every pure equilibrium."""
    m, n = game.shape
    if exact:
        payoffs = exact_payoffs_of(game)
        A, B = payoffs[0], payoffs[1]
    else:
        A, B = _bimatrix(game)
        payoffs = None
    found = []
    for label in range(m + n):
        x, y = lemke_howson(A, B, label, exact=exact)
        found.append(make_equilibrium(game, [x, y], exact_payoffs=payoffs))
    if exact:
        found += [_exact_pure(game, e, payoffs) for e in solve_pure(game, tol=0.0).equilibria]
    else:
        found += list(solve_pure(game, tol=tol).equilibria)
    return _finish(
        game,
        "lemke-howson",
        found,
        complete=False,
        tol=tol,
        exact=exact,
        degenerate=_looks_degenerate(game, found, tol),
    )


def _exact_pure(game: Game, e: Equilibrium, payoffs: np.ndarray) -> Equilibrium:
    profile = e.pure_profile()
    return make_equilibrium(
        game,
        [[Fraction(int(j == k)) for j in range(m)] for k, m in zip(profile, game.shape)],
        exact_payoffs=payoffs,
    )


def _looks_degenerate(game: Game, equilibria: list[Equilibrium], tol: float) -> bool:
    """Some found equilibrium has a player with more pure best responses than the opponent's
    support size (a sufficient, not necessary, sign of degeneracy)."""
    limit = tol * payoff_scale(game)
    for e in equilibria:
        for i in range(game.n_players):
            values = game.deviation_payoffs(e.strategies, i)
            best = np.count_nonzero(values >= values.max() - limit)
            others = [len(e.support[j]) for j in range(game.n_players) if j != i]
            if best > max(others):
                return True
    return False


def _nashpy(kind: str) -> Callable[..., Solution]:
    def run(game: Game, *, tol: float = 1e-9, exact: bool = False) -> Solution:
        import nashpy

        _no_exact(f"nashpy-{kind}", exact)
        A, B = _bimatrix(game)
        g = nashpy.Game(A, B)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "support":
                pairs = list(g.support_enumeration())
            elif kind == "vertex":
                pairs = list(g.vertex_enumeration())
            else:
                pairs = []
                for label in range(sum(game.shape)):
                    try:
                        pairs.append(g.lemke_howson(initial_dropped_label=label))
                    except Exception:  # nashpy raises on some degenerate pivots
                        continue
        found = [
            make_equilibrium(game, [np.nan_to_num(x), np.nan_to_num(y)])
            for x, y in pairs
            if np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and x.sum() > 0 and y.sum() > 0
        ]
        return _finish(
            game,
            f"nashpy-{kind}",
            found,
            complete=False,
            tol=tol,
            notes=("nashpy's result, verified by negsim",),
        )

    return run


# -- n-player methods ------------------------------------------------------------------------


def solve_logit(game: Game, *, tol: float = 1e-9, exact: bool = False) -> Solution:
    """Every pure equilibrium, and the equilibrium at the end of the logit path."""
    pure = solve_pure(game, tol=0.0 if exact else tol)
    found: list[Equilibrium] = []
    notes = []
    payoffs = exact_payoffs_of(game) if exact else None
    for e in pure.equilibria:
        found.append(_exact_pure(game, e, payoffs) if exact else e)
    mixed = logit_equilibrium(game)
    if mixed is not None:
        if exact:
            rational = [[Fraction(p).limit_denominator(10**6) for p in s] for s in mixed]
            rational = [[p / sum(s) for p in s] for s in rational]
            candidate = make_equilibrium(game, rational, exact_payoffs=payoffs)
            if candidate.regret == 0:
                found.append(candidate)
            else:
                notes.append(
                    "the mixed equilibrium from the logit path has no short exact form; "
                    "it is shown in floating point"
                )
                found.append(make_equilibrium(game, mixed))
        else:
            found.append(make_equilibrium(game, mixed))
    elif not pure.equilibria:
        notes.append("the logit path did not reach a verifiable equilibrium")
    if exact and any(e.exact_strategies is None for e in found):
        # A floating-point equilibrium is verified with the floating-point tolerance.
        exact = False
    return _finish(game, "logit", found, complete=False, tol=tol, exact=exact, notes=tuple(notes))


def solve_pure_method(game: Game, *, tol: float = 1e-9, exact: bool = False) -> Solution:
    pure = solve_pure(game, tol=0.0 if exact else tol)
    eqs = list(pure.equilibria)
    if exact:
        payoffs = exact_payoffs_of(game)
        eqs = [_exact_pure(game, e, payoffs) for e in eqs]
    return _finish(
        game, "pure", eqs, complete=False, tol=tol, exact=exact, notes=("only pure equilibria were searched",)
    )


def _no_exact(method: str, exact: bool) -> None:
    if exact:
        raise InputError(
            [
                Problem(
                    f"method '{method}' works in floating point only; exact arithmetic uses 'enumerate' "
                    "(two players), 'lemke-howson', 'pure' or 'logit'"
                )
            ]
        )


METHODS: dict[str, Method] = {
    m.name: m
    for m in [
        Method(
            "enumerate",
            "all extreme equilibria by vertex enumeration, with components "
            "(two players; complete also for degenerate games)",
            "2",
            True,
            solve_vertex,
        ),
        Method(
            "support",
            "support enumeration (two players; complete for non-degenerate games)",
            "2",
            False,
            solve_support,
        ),
        Method(
            "lemke-howson",
            "Lemke-Howson from every dropped label plus all pure equilibria (two players; for large games)",
            "2",
            False,
            solve_lemke_howson,
        ),
        Method("pure", "pure equilibria only (any number of players)", "any", False, solve_pure_method),
        Method(
            "logit",
            "all pure equilibria plus one mixed equilibrium by tracing the logit "
            "path (any number of players)",
            "any",
            False,
            solve_logit,
        ),
        Method(
            "nashpy-support",
            "nashpy's support enumeration, verified (two players)",
            "2",
            False,
            _nashpy("support"),
        ),
        Method(
            "nashpy-vertex",
            "nashpy's vertex enumeration, verified (two players)",
            "2",
            False,
            _nashpy("vertex"),
        ),
        Method(
            "nashpy-lemke-howson",
            "nashpy's Lemke-Howson from every label, verified (two players)",
            "2",
            False,
            _nashpy("lemke_howson"),
        ),
    ]
}


def certified_enumeration(bases: int) -> bool:
    """Whether the certified pivoting engine enumerates games of this many bases."""
    return bases <= MAX_CERTIFIED_BASES and pivoting.available()


def choose_method(game: Game, exact: bool = False) -> str:
    """What ``auto`` picks: complete enumeration where affordable."""
    if game.n_players == 2:
        bases = count_bases(*game.shape)
        limit = MAX_EXACT_BASES if exact else MAX_FLOAT_BASES
        return "enumerate" if bases <= limit or certified_enumeration(bases) else "lemke-howson"
    return "logit"


def solve(game: Game, method: str = "auto", *, exact: bool = False, tol: float = 1e-9) -> Solution:
    """Nash equilibria of ``game``, each verified.

    ``method="auto"`` enumerates every extreme equilibrium of two-player games (vertex
    enumeration; Lemke-Howson when the game is too large), and for three or more players finds
    every pure equilibrium and one mixed equilibrium by the logit path. ``exact`` computes in
    rational arithmetic (fractions in :attr:`Equilibrium.exact_strategies`).
    """
    if method == "auto":
        method = choose_method(game, exact)
    if method not in METHODS:
        raise InputError(
            [Problem(f"unknown method {method!r}{did_you_mean(method, ['auto', *METHODS])}", path="method")]
        )
    chosen = METHODS[method]
    if game.n_players == 1:
        return _solve_single(game, method, tol, exact)
    if chosen.players == "2" and game.n_players != 2:
        raise InputError(
            [
                Problem(
                    f"method '{method}' is for two-player games; this game has {game.n_players} players "
                    "(use 'logit' or 'pure')",
                    path="method",
                )
            ]
        )
    if (
        method == "enumerate"
        and not exact
        and count_bases(*game.shape) > MAX_FLOAT_BASES
        and not certified_enumeration(count_bases(*game.shape))
    ):
        raise InputError(
            [
                Problem(
                    f"game too large for 'enumerate': a {game.shape[0]}x{game.shape[1]} game needs "
                    f"{count_bases(*game.shape)} linear solves (limit {MAX_FLOAT_BASES}); "
                    "use the method 'lemke-howson'",
                    path="method",
                )
            ]
        )
    return chosen.run(game, tol=tol, exact=exact)


__all__ += ["MAX_CERTIFIED_BASES", "certified_enumeration", "choose_method", "polish"]
