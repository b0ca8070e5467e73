"""Can an outcome last when the stage game is repeated for ever? The smallest discount factors.

A player values a stream of stage payoffs ``x_0, x_1, ...`` as ``(1 - delta) sum delta^t x_t``
(``delta`` in [0, 1): its patience, or the probability that play continues). The outcome
``a*`` is played every period; a player who deviates gains ``d_i - u_i`` once (``d_i`` its best
stage payoff against the others' ``a*``) and is then punished. Each scheme gives every player a
threshold: ``a*`` is sustained for every ``delta_i`` from it on (at the threshold the player is
exactly indifferent), and for none below. ``None`` means not for patient players: the condition
fails for discount factors close to 1 (every condition is linear in ``delta``, see
:func:`linear_threshold`).

``nash-reversion`` (grim trigger, subgame perfect)
    after a deviation by ``i`` the stage equilibrium worst for ``i`` is played for ever (the same
    equilibrium for everyone when the stage game has only one):
    ``delta_i >= (d_i - u_i) / (d_i - e_i)``, needing ``u_i > e_i``.
``one-period`` (subgame perfect)
    one period of that stage equilibrium, then back to ``a*``:
    ``delta_i >= (d_i - u_i) / (u_i - e_i)``. Deviating during the punishment gains nothing in
    the stage (it is an equilibrium) and restarts it.
``minmax`` (subgame perfect; pure strategies, any number of players)
    the deviator is held to its pure minmax for ever, each punisher kept in line by the threat
    of being minmaxed in turn: a simple penal code (Abreu 1988) with stationary paths. Besides
    ``delta_j >= (d_j - u_j) / (d_j - v_j)`` for ``a*`` it needs, for each punishment path of
    another player ``i``, ``delta_j >= (d_j(m^i) - u_j(m^i)) / (d_j(m^i) - v_j)``. Among several
    pure minmax profiles the one easiest on the punishers is used.
``lower-bound`` (a necessary condition, not a strategy)
    no equilibrium of the repeated game plays ``a*`` every period unless
    ``delta_i >= (d_i - u_i) / (d_i - v_i)`` with ``v_i`` the (mixed, for two players) minmax:
    after a deviation ``i`` can always get at least ``v_i``.
``tit-for-tat`` (two players; a Nash equilibrium of the repeated game, not subgame perfect)
    each player plays its part of ``a*`` when the other did last period and its part of a
    punishment profile ``p`` (default: a pure stage equilibrium, the one with the smallest total)
    otherwise. Against it, the best replies are among "always cooperate", "deviate for ever" and
    "alternate", which gives Axelrod's (1984) conditions
    ``delta_i >= max((T - R) / (T - P), (T - R) / (R - S))`` with ``R = u_i(a*)``,
    ``T = d_i``, ``P`` the best stage payoff other than cooperating against ``p_j``, ``S =
    u_i(a*_i, p_j)``. After a single deviation, carrying out the echo of punishments can be
    unprofitable: in general tit-for-tat is not subgame perfect.

Everything is exact for rational payoffs. Infeasible profiles count as every player's worst
outcome (:attr:`negsim.game.Game.solver_payoffs`).

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
>>> s = sustainability(pd, (0, 0))
>>> [str(t.delta) for t in s.scheme("nash-reversion").thresholds]   # (T - R) / (T - P) = 2/4
['1/2', '1/2']
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.numeric import fmt, fmt_delta, json_exact, json_number
from negsim.errors import DegenerateGameWarning, InputError, Problem
from negsim.game import Game
from negsim.repeated.minmax import Punishment, minmax
from negsim.solve import Solution, solve
from negsim.solve.exact import as_fraction
from negsim.solve.pure import pure_equilibrium_mask
from negsim.solve.verify import exact_payoffs_of

__all__ = [
    "SCHEMES",
    "PlayerThreshold",
    "Scheme",
    "Sustainability",
    "best_deviation",
    "check_profile",
    "declared_scheme",
    "deviation_payoffs",
    "penal_code_scheme",
    "equilibrium_payoffs",
    "grim_trigger_thresholds",
    "linear_threshold",
    "pure_nash_punishments",
    "stage_equilibria",
    "sustainability",
    "threshold",
]

SCHEMES: tuple[str, ...] = ("nash-reversion", "one-period", "minmax", "declared", "penal-code",
                            "lower-bound", "tit-for-tat")


def linear_threshold(a: Fraction, b: Fraction) -> Fraction | None:
    """Smallest ``t`` such that ``a + b * delta >= 0`` for every ``delta`` in ``[t, 1)``, or ``None``
    when the condition fails for discount factors close to 1.

    Every condition here is linear in ``delta`` (after multiplying out), so it holds on an
    interval; when it holds only for *small* ``delta`` (a punishment the player would welcome),
    patient players cannot be kept in line and the answer is ``None``.
    """
    at_one = a + b
    if at_one > 0:
        return Fraction(0) if a >= 0 else -a / b
    if at_one == 0:
        return Fraction(0) if a >= 0 else None
    return None


def threshold(cooperate: Fraction, deviate: Fraction, punish: Fraction) -> Fraction | None:
    """Smallest ``delta`` from which ``cooperate >= (1 - delta) deviate + delta punish`` holds
    (deviate once, then the punishment payoff for ever).

    0 when deviating gains nothing and the punishment is no better than cooperating; ``None``
    when the punishment is no worse than cooperating but deviating pays, or when the punishment
    is better than cooperating (then a patient player would deviate to bring it on).
    """
    return linear_threshold(cooperate - deviate, deviate - punish)


@dataclass(frozen=True)
class PlayerThreshold:
    """One player's condition: cooperate (``u``), deviate once (``d``, to ``deviation``), be punished
    (``punish`` per period, or ``S``/``P`` for tit-for-tat); ``delta`` the smallest discount
    factor, ``None`` when patient players cannot be kept in line."""

    player: int
    delta: Fraction | None
    cooperate: Fraction
    deviate: Fraction
    deviation: int | None
    punish: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "delta": None if self.delta is None else json_number(self.delta),
            "delta_exact": None if self.delta is None else json_exact(self.delta),
            "cooperate": json_number(self.cooperate),
            "deviate": json_number(self.deviate),
            "deviation": self.deviation,
            "punish": json_number(self.punish),
        }


@dataclass(frozen=True)
class Scheme:
    """A way of sustaining the outcome and each player's threshold under it. ``paths[i]`` is the
    pure profile played for ever after player ``i`` deviates (minmax punishment only)."""

    name: str
    title: str
    subgame_perfect: bool
    thresholds: tuple[PlayerThreshold, ...]
    punishment: str
    note: str = ""
    paths: tuple[tuple[int, ...], ...] = ()

    @property
    def sustainable(self) -> bool:
        return all(t.delta is not None for t in self.thresholds)

    @property
    def worst(self) -> Fraction | None:
        """The largest threshold (``None`` if some player can never be kept in line)."""
        if not self.sustainable:
            return None
        return max(t.delta for t in self.thresholds)  # type: ignore[type-var]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "subgame_perfect": self.subgame_perfect,
            "sustainable": self.sustainable,
            "thresholds": [t.to_dict() for t in self.thresholds],
            "punishment": self.punishment,
            "note": self.note,
            "paths": [list(p) for p in self.paths],
        }


@dataclass(frozen=True, eq=False)
class Sustainability:
    """Which patience sustains the pure outcome ``profile`` under each scheme."""

    game: Game
    profile: tuple[int, ...]
    payoffs: tuple[Fraction, ...]
    schemes: tuple[Scheme, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return self.game.profile_label(self.profile)

    def scheme(self, name: str) -> Scheme:
        for s in self.schemes:
            if s.name == name:
                return s
        raise KeyError(name)

    def best(self) -> Scheme | None:
        """The subgame-perfect scheme that needs the least patience (ties: the first listed)."""
        ok = [s for s in self.schemes if s.subgame_perfect and s.sustainable]
        if not ok:
            return None
        return min(ok, key=lambda s: s.worst)  # type: ignore[arg-type, return-value]

    def is_equilibrium(self) -> bool:
        return all(t.deviate <= t.cooperate for t in self.schemes[0].thresholds)

    def sentence(self) -> str:
        """``cooperation (store / waive) can last if United States values the future at least
        0.62 and Turkey at least 0.40 (...)``, or why it cannot."""
        names = self.game.player_names
        label = self.label
        if self.is_equilibrium():
            return f"{label} is an equilibrium of the stage game: it lasts whatever the players' patience."
        best = self.best()
        if best is not None:
            order = sorted(best.thresholds, key=lambda t: -(t.delta or 0))
            needs = [f"{names[t.player]} values the future at least {fmt_delta(t.delta)}"
                     for t in order if t.delta]
            free = [names[t.player] for t in order if not t.delta]
            text = f"cooperation ({label}) can last if " + " and ".join(needs)
            if free:
                text += f" ({' and '.join(free)} never gains by deviating)"
            return text + f", with {best.title}: {best.punishment}."
        bound = self.scheme("lower-bound")
        reasons = []
        for t in bound.thresholds:
            if t.delta is None:
                move = self.game.strategies[t.player][t.deviation] if t.deviation is not None else "?"
                reasons.append(
                    f"{names[t.player]} gets {fmt(t.cooperate)} from it but {fmt(t.deviate)} by deviating to "
                    f"{move}, and no punishment can hold it below {fmt(t.punish)} (its minmax)")
        if reasons:
            return f"{label} cannot last at any discount factor: " + "; ".join(reasons) + "."
        bound_needs = " and ".join(f"{names[t.player]} at least {fmt_delta(t.delta)}"
                                   for t in bound.thresholds if t.delta)
        need = f"; no equilibrium sustains it unless {bound_needs}" if bound_needs else ""
        present = {s.name for s in self.schemes}
        kinds = ["grim trigger", "one-period", "minmax"]
        kinds += ["the declared"] if "declared" in present else []
        tried = ", ".join(kinds[:-1]) + f" and {kinds[-1]} punishments"
        if "penal-code" in present:
            tried = ", ".join(kinds) + " punishments and simple penal codes"
        if all(t.cooperate > t.punish for t in bound.thresholds):
            return (f"{label} gives every side more than its minmax, so by the folk theorem some "
                    "subgame-perfect equilibrium sustains it when both sides are patient enough (Fudenberg "
                    f"and Maskin 1986), but {tried} do not{need}.")
        return f"{label} cannot be sustained by {tried.replace(' and ', ' or ')}{need}."

    def to_dict(self) -> dict[str, Any]:
        players = self.game.players
        best = self.best()
        return {
            "profile": list(self.profile),
            "label": self.label,
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
            "stage_equilibrium": self.is_equilibrium(),
            "schemes": [s.to_dict() for s in self.schemes],
            "best": None if best is None else best.name,
            "sentence": self.sentence(),
            "notes": list(self.notes),
        }


# -- the computations ----------------------------------------------------------------------------


def stage_equilibria(game: Game) -> Solution:
    """Every stage equilibrium (exact for two players), warnings about degeneracy silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return solve(game, exact=game.n_players == 2)


def equilibrium_payoffs(solution: Solution) -> list[tuple[tuple[Fraction, ...], str]]:
    """Each equilibrium's payoffs (exact when known) and its label."""
    out = []
    for e in solution.equilibria:
        values = e.exact_payoffs if e.exact_payoffs is not None else tuple(as_fraction(v) for v in e.payoffs)
        out.append((tuple(values), e.label(solution.game)))
    return out


def best_deviation(payoffs: np.ndarray, profile: tuple[int, ...], i: int) -> tuple[Fraction, int | None]:
    """Player i's best stage payoff from a strategy other than its own in ``profile``."""
    best: Fraction | None = None
    move = None
    for a in range(payoffs.shape[1 + i]):
        if a == profile[i]:
            continue
        cell = list(profile)
        cell[i] = a
        v = payoffs[(i, *cell)]
        if best is None or v > best:
            best, move = v, a
    if best is None:
        return payoffs[(i, *profile)], None
    return best, move


def check_profile(game: Game, profile: Sequence[int], path: str) -> tuple[int, ...]:
    """``profile`` as a feasible pure profile of ``game``; an :class:`InputError` otherwise."""
    prof = tuple(int(k) for k in profile)
    if len(prof) != game.n_players or any(not 0 <= k < m for k, m in zip(prof, game.shape)):
        raise InputError([Problem(f"{tuple(profile)} is not a profile of this game", path=path)])
    if not game.is_feasible(prof):
        raise InputError([Problem(f"{game.profile_label(prof)} is infeasible", path=path)])
    return prof


def sustainability(game: GameLike, profile: Sequence[int], *, punishment: Sequence[int] | None = None,
                   equilibria: Solution | None = None,
                   punishments: tuple[Punishment, ...] | None = None,
                   paths: Sequence[Sequence[int]] | None = None, search: bool = False) -> Sustainability:
    """Every scheme's thresholds for the pure outcome ``profile`` (strategy indices).

    ``punishment`` is the pure profile tit-for-tat falls back to (default: a pure stage
    equilibrium with the smallest total). ``paths`` adds the ``declared`` scheme: ``paths[i]``
    is the pure profile played for ever after player ``i`` deviates (see
    :func:`declared_scheme`); ``search`` adds the ``penal-code`` scheme, the best such paths
    (:func:`penal_code_scheme`). ``equilibria`` and ``punishments`` may be passed in when already
    computed (:func:`stage_equilibria`, :func:`negsim.repeated.minmax.minmax`).
    """
    game = as_game(game)
    if game.n_players < 2:
        raise InputError([Problem("repeated play needs at least two players", path="players")])
    prof = check_profile(game, profile, "cooperation")
    payoffs = exact_payoffs_of(game)
    n = game.n_players
    names = game.player_names
    u = tuple(payoffs[(i, *prof)] for i in range(n))
    dev = [best_deviation(payoffs, prof, i) for i in range(n)]
    solution = equilibria if equilibria is not None else stage_equilibria(game)
    eq = equilibrium_payoffs(solution)
    punish = punishments if punishments is not None else minmax(game)
    notes: list[str] = []
    schemes: list[Scheme] = []
    if not solution.complete:
        notes.append("the stage equilibria found may not be all of them (a harsher one may exist)")

    # Nash reversion and one-period punishment, each deviator punished by its worst equilibrium
    if eq:
        worst = [min(eq, key=lambda item: item[0][i]) for i in range(n)]
        grim, once = [], []
        for i in range(n):
            e_i = worst[i][0][i]
            grim.append(PlayerThreshold(i, threshold(u[i], dev[i][0], e_i), u[i], dev[i][0], dev[i][1], e_i))
            # u (1 + delta) >= d + delta e: deviate once, one period of punishment, then back
            t: Fraction | None = linear_threshold(u[i] - dev[i][0], u[i] - e_i)
            once.append(PlayerThreshold(i, t, u[i], dev[i][0], dev[i][1], e_i))
        labels = sorted({w[1] for w in worst})
        if len(labels) == 1:
            what = f"after any deviation the stage equilibrium {labels[0]} is played"
        else:
            what = "a deviator is punished by the stage equilibrium worst for it (" + ", ".join(
                f"{names[i]}: {worst[i][1]}" for i in range(n)) + ")"
        schemes.append(Scheme("nash-reversion", "grim trigger (Nash reversion)", True, tuple(grim),
                              what + " for ever"))
        schemes.append(Scheme("one-period", "one-period punishment", True, tuple(once),
                              what + " for one period, then cooperation resumes"))
    else:
        notes.append("no stage equilibrium was found: Nash reversion is not available")

    schemes.append(_minmax_scheme(game, payoffs, prof, u, dev, punish))
    if paths is not None:
        schemes.append(declared_scheme(game, prof, paths, payoffs=payoffs))
    if search:
        found = penal_code_scheme(game, prof, payoffs=payoffs)
        if found is not None:
            schemes.append(found)

    bound = []
    for i in range(n):
        v = punish[i].value
        v_exact = v if isinstance(v, Fraction) else as_fraction(v)
        bound.append(PlayerThreshold(i, threshold(u[i], dev[i][0], v_exact), u[i], dev[i][0], dev[i][1],
                                     v_exact))
    kind = "mixed minmax" if n == 2 else "correlated minmax (a lower bound on the minmax)"
    schemes.append(Scheme("lower-bound", "the minmax bound", False, tuple(bound),
                          f"no punishment can hold a player below its {kind}",
                          "a necessary condition for any equilibrium that plays this outcome every period"))

    if n == 2:
        tft = _tit_for_tat(game, payoffs, prof, u, dev, punishment)
        if tft is not None:
            schemes.append(tft)
        else:
            notes.append("tit-for-tat needs a pure punishment profile: the stage game has no pure "
                         "equilibrium")
    return Sustainability(game, prof, u, tuple(schemes), tuple(notes))


def _minmax_scheme(game: Game, payoffs: np.ndarray, prof: tuple[int, ...], u: tuple[Fraction, ...],
                   dev: list[tuple[Fraction, int | None]], punish: tuple[Punishment, ...]) -> Scheme:
    n = game.n_players
    v = [p.pure_value for p in punish]

    def carry_out(j: int, path: tuple[int, ...]) -> Fraction | None:
        """Player j's threshold for playing its part of punishment path ``path`` for ever."""
        best = max(payoffs[(j, *path[:j], a, *path[j + 1:])] for a in range(game.shape[j]))
        return threshold(payoffs[(j, *path)], best, v[j])

    def worst_of(ts: Sequence[Fraction | None]) -> Fraction | None:
        if any(t is None for t in ts):
            return None
        return max(ts, default=Fraction(0))  # type: ignore[type-var]

    chosen: list[tuple[int, ...]] = []
    for i in range(n):
        def cost(path: tuple[int, ...], i: int = i) -> tuple[int, Fraction]:
            ts = [carry_out(j, path) for j in range(n) if j != i]
            w = worst_of(ts)
            return (1, Fraction(0)) if w is None else (0, w)
        chosen.append(min(punish[i].pure_profiles, key=cost))
    thresholds = []
    for j in range(n):
        parts = [threshold(u[j], dev[j][0], v[j])] + [carry_out(j, chosen[i]) for i in range(n) if i != j]
        thresholds.append(PlayerThreshold(j, worst_of(parts), u[j], dev[j][0], dev[j][1], v[j]))
    names = game.player_names
    paths = "; ".join(f"{names[i]} is held to {fmt(v[i])} by {game.profile_label(chosen[i])}"
                      for i in range(n))
    return Scheme("minmax", "minmax punishment (a simple penal code)", True, tuple(thresholds),
                  f"a deviator is held to its pure minmax for ever ({paths}), and a punisher who shirks is "
                  "punished in turn", paths=tuple(chosen))


def declared_scheme(game: Game, profile: Sequence[int], paths: Sequence[Sequence[int]], *,
                    payoffs: np.ndarray | None = None) -> Scheme:
    """The ``declared`` scheme: after player ``i`` deviates, ``paths[i]`` is played for ever
    (one profile for everyone is Nash reversion to a profile of the user's choice).

    A simple penal code with stationary paths (Abreu 1988): with ``w_j`` player ``j``'s payoff
    on its own path, ``j`` keeps to the outcome when ``delta_j >= (d_j - u_j) / (d_j - w_j)``
    and to every path ``p`` (its own included) when ``delta_j >= (d_j(p) - u_j(p)) / (d_j(p) -
    w_j)``: a deviation from a path starts the deviator's own path. Subgame perfect from the
    largest of these thresholds on.

    >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> [str(t.delta) for t in declared_scheme(pd, (0, 0), [(1, 1), (1, 1)]).thresholds]
    ['1/2', '1/2']
    """
    prof = check_profile(game, profile, "cooperation")
    n = game.n_players
    if len(paths) != n:
        raise InputError([Problem(f"expected a punishment for each of the {n} players, got {len(paths)}",
                                  path="punishment")])
    chosen = [check_profile(game, p, "punishment") for p in paths]
    values = payoffs if payoffs is not None else exact_payoffs_of(game)

    def best(j: int, cell: tuple[int, ...]) -> Fraction:
        top: Fraction = max(values[(j, *cell[:j], a, *cell[j + 1:])] for a in range(game.shape[j]))
        return top

    thresholds = []
    for j in range(n):
        w = values[(j, *chosen[j])]
        u = values[(j, *prof)]
        d, move = best_deviation(values, prof, j)
        parts: list[Fraction | None] = [threshold(u, d, w)]
        for path in chosen:
            parts.append(threshold(values[(j, *path)], best(j, path), w))
        worst = None if any(t is None for t in parts) else max(parts)  # type: ignore[type-var]
        thresholds.append(PlayerThreshold(j, worst, u, d, move, w))
    names = game.player_names
    if len(set(chosen)) == 1:
        what = f"after any deviation {game.profile_label(chosen[0])} is played for ever"
        title = f"reversion to {game.profile_label(chosen[0])}"
    else:
        what = "; ".join(f"after a deviation by {names[i]}, {game.profile_label(chosen[i])} for ever"
                         for i in range(n))
        title = "the declared punishments"
    return Scheme("declared", title, True, tuple(thresholds), what,
                  "a punisher who shirks is punished by its own path in turn", paths=tuple(chosen))


#: Most combinations of punishment paths :func:`penal_code_scheme` tries.
MAX_PENAL_CODES = 200_000


def penal_code_scheme(game: Game, profile: Sequence[int], *,
                      payoffs: np.ndarray | None = None) -> Scheme | None:
    """The ``penal-code`` scheme: the simple penal code with stationary pure paths that needs
    the least patience, found by trying every combination of paths (``None`` when there are
    more than :data:`MAX_PENAL_CODES`; with every threshold ``None`` when no combination works).

    The conditions are those of :func:`declared_scheme`; a player's own path must be one where
    it plays a best reply (else restarting it is no punishment). Among the combinations, the
    one whose largest threshold is smallest is kept (then the smallest sum, then the first in
    row-major order). It is at least as good as Nash reversion to a pure equilibrium and as
    minmax punishment, which are such codes too; a stationary code can still need more patience
    than codes with paths that change over time (Abreu 1988), which are not searched.

    >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> s = penal_code_scheme(pd, (0, 0))
    >>> [str(t.delta) for t in s.thresholds], s.paths
    (['1/2', '1/2'], ((1, 1), (1, 1)))
    """
    prof = check_profile(game, profile, "cooperation")
    n = game.n_players
    values = payoffs if payoffs is not None else exact_payoffs_of(game)
    cells = [c for c in game.profiles() if game.is_feasible(c)]

    def best(j: int, cell: tuple[int, ...]) -> Fraction:
        top: Fraction = max(values[(j, *cell[:j], a, *cell[j + 1:])] for a in range(game.shape[j]))
        return top

    own = [[c for c in cells if best(j, c) == values[(j, *c)]] for j in range(n)]
    if math.prod(len(o) for o in own) > MAX_PENAL_CODES or not all(own):
        return None
    u = [values[(j, *prof)] for j in range(n)]
    dev = [best_deviation(values, prof, j) for j in range(n)]
    carry = {(j, c): (values[(j, *c)], best(j, c)) for j in range(n) for c in cells}
    chosen: tuple[tuple[int, ...], ...] | None = None
    chosen_key: tuple[Any, ...] | None = None
    for code in product(*own):
        needs = []
        for j in range(n):
            w = values[(j, *code[j])]
            parts = [threshold(u[j], dev[j][0], w)]
            parts += [threshold(*carry[(j, c)], w) for c in code]
            needs.append(None if any(t is None for t in parts) else max(parts))  # type: ignore[type-var]
        if any(t is None for t in needs):
            continue
        key = (max(needs), sum(needs, Fraction(0)))  # type: ignore[type-var]
        if chosen_key is None or key < chosen_key:
            chosen, chosen_key = tuple(code), key
    title = "the best simple penal code"
    if chosen is None:
        lowest = [min(values[(j, *c)] for c in own[j]) for j in range(n)]
        return Scheme("penal-code", title, True, tuple(
            PlayerThreshold(j, None, u[j], dev[j][0], dev[j][1], lowest[j]) for j in range(n)),
            "no stationary pure punishment paths sustain it", "searched every combination of paths")
    scheme = declared_scheme(game, prof, chosen, payoffs=values)
    return Scheme("penal-code", title, True, scheme.thresholds, scheme.punishment,
                  "the stationary pure punishment paths that need the least patience, found by search",
                  paths=scheme.paths)


def _tit_for_tat(game: Game, payoffs: np.ndarray, prof: tuple[int, ...], u: tuple[Fraction, ...],
                 dev: list[tuple[Fraction, int | None]], punishment: Sequence[int] | None) -> Scheme | None:
    if punishment is None:
        mask = pure_equilibrium_mask(game.solver_payoffs, 2, tol=1e-12)
        if game.infeasible is not None:
            mask &= ~game.infeasible
        cells = [tuple(int(k) for k in c) for c in zip(*np.nonzero(mask))]
        if not cells:
            return None
        p = min(cells, key=lambda c: (sum(payoffs[(i, *c)] for i in range(2)), c))
    else:
        p = check_profile(game, punishment, "punishment")
    thresholds = []
    for i in range(2):
        j = 1 - i
        R = u[i]
        T = dev[i][0]

        def at(a_i: int, a_j: int, i: int = i) -> Fraction:
            cell = [0, 0]
            cell[i], cell[1 - i] = a_i, a_j
            value: Fraction = payoffs[(i, *cell)]
            return value

        others = [a for a in range(game.shape[i]) if a != prof[i]]
        P = max((at(a, p[j]) for a in others), default=at(prof[i], p[j]))
        S = at(prof[i], p[j])
        # "deviate for ever": R >= (1 - delta) T + delta P; "alternate": R (1 + delta) >= T + delta S
        t1 = linear_threshold(R - T, T - P)
        t2 = linear_threshold(R - T, R - S)
        t: Fraction | None = None if t1 is None or t2 is None else max(t1, t2)
        thresholds.append(PlayerThreshold(i, t, R, T, dev[i][1], S))
    labels = [game.strategies[i][p[i]] for i in range(2)]
    return Scheme("tit-for-tat", "tit-for-tat", False, tuple(thresholds),
                  f"each side cooperates if the other did last period and otherwise plays its part of "
                  f"{' / '.join(labels)}",
                  "a Nash equilibrium of the repeated game from these discount factors on, not subgame "
                  "perfect")


# -- many points at once ---------------------------------------------------------------------------


def deviation_payoffs(payoffs: np.ndarray, profile: Sequence[int], n_players: int) -> np.ndarray:
    """Each player's best stage payoff against the others' parts of ``profile``, at many points:
    ``(..., n, m_0, ...)`` -> ``(..., n)`` (its own payoff in ``profile`` included in the max,
    so a player that cannot gain gets its cooperative payoff)."""
    payoffs = np.asarray(payoffs, dtype=float)
    lead = payoffs.ndim - n_players - 1
    out = []
    for i in range(n_players):
        index: list[Any] = [slice(None)] * lead + [i] + list(profile)
        index[lead + 1 + i] = slice(None)
        out.append(payoffs[tuple(index)].max(axis=-1))
    return np.stack(out, axis=-1)


def grim_trigger_thresholds(payoffs: np.ndarray, profile: Sequence[int], punishment: np.ndarray,
                            n_players: int) -> np.ndarray:
    """Smallest discount factors at many points, ``(..., n)``, as :func:`threshold` computes them
    (``inf`` for ``None``); ``punishment`` is each player's punishment payoff, ``(..., n)``, e.g.
    :func:`pure_nash_punishments`."""
    payoffs = np.asarray(payoffs, dtype=float)
    lead = payoffs.ndim - n_players - 1
    index: list[Any] = [slice(None)] * (lead + 1) + list(profile)
    u = payoffs[tuple(index)]
    d = deviation_payoffs(payoffs, profile, n_players)
    e = np.asarray(punishment, dtype=float)
    a, b = u - d, d - e
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(a >= 0, 0.0, -a / b)
    return np.where(a + b > 0, t, np.where((a + b == 0) & (a >= 0), 0.0, np.inf))


def pure_nash_punishments(payoffs: np.ndarray, n_players: int,
                          infeasible: np.ndarray | None = None) -> np.ndarray:
    """Each player's worst payoff over the pure stage equilibria at many points, ``(..., n)``;
    NaN where a point has no pure equilibrium."""
    payoffs = np.asarray(payoffs, dtype=float)
    lead = payoffs.ndim - n_players - 1
    mask = pure_equilibrium_mask(payoffs, n_players, tol=1e-12)
    if infeasible is not None:
        mask = mask & ~np.asarray(infeasible, dtype=bool)
    flat_mask = mask.reshape(*mask.shape[:lead], -1)
    out = []
    for i in range(n_players):
        table = np.take(payoffs, i, axis=lead).reshape(*mask.shape[:lead], -1)
        values = np.where(flat_mask, table, np.inf).min(axis=-1)
        out.append(np.where(np.isfinite(values), values, np.nan))
    return np.stack(out, axis=-1)
