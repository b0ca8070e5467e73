"""The disagreement point: what each side gets if there is no deal, chosen explicitly.

``status-quo``
    the game's declared status quo profile (:attr:`negsim.game.Game.status_quo`);
``maximin``
    each side's security level with mixed strategies (what it can guarantee whatever the other
    does); for two players computed exactly as the value of the zero-sum game of its own
    payoffs, for more players by :func:`negsim.solve.welfare.maximin`'s linear programme;
``maximin-pure``
    each side's security level with pure strategies;
``equilibrium``
    the payoffs of a Nash equilibrium of the game, named by its index in
    ``solve(game, exact=True).equilibria`` or given as a profile;
``threat``
    Nash's variable-threat point (:func:`negsim.bargaining.threat.threat_point`), which needs the
    payoff set and lives in its own module.

As everywhere in negsim's solvers, an infeasible profile counts as the worst outcome for
every player when security levels are computed (:attr:`negsim.game.Game.solver_payoffs`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negsim.bargaining.numeric import exact_tuple, fmt, json_exact, json_number
from negsim.errors import DegenerateGameWarning, InputError, Problem, did_you_mean
from negsim.game import Game
from negsim.solve import solve
from negsim.solve.exact import as_fraction
from negsim.solve.verify import exact_payoffs_of
from negsim.solve.welfare import maximin

__all__ = [
    "DISAGREEMENT_KINDS",
    "Disagreement",
    "disagreement_point",
    "equilibrium_point",
    "given_point",
    "mix_text",
    "security_point",
    "status_quo_point",
    "zero_sum_value",
]

DISAGREEMENT_KINDS: tuple[str, ...] = ("status-quo", "maximin", "maximin-pure", "equilibrium", "threat")


@dataclass(frozen=True)
class Disagreement:
    """A disagreement point and where it comes from.

    ``strategies`` are the (mixed) strategies that produce it when it comes from play: the
    status quo profile, the security strategies, the equilibrium, or the optimal threats.
    """

    kind: str
    payoffs: tuple[Fraction, ...]
    description: str
    strategies: tuple[tuple[Fraction, ...], ...] | None = None

    def to_dict(self, players: Sequence[str]) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
            "exact": {p: json_exact(v) for p, v in zip(players, self.payoffs)},
            "strategies": None if self.strategies is None
            else [[json_number(x) for x in s] for s in self.strategies],
        }


def _unit(m: int, k: int) -> tuple[Fraction, ...]:
    return tuple(Fraction(int(j == k)) for j in range(m))


def mix_text(game: Game, i: int, mix: Sequence[Fraction]) -> str:
    """``store`` for a pure strategy, ``1/3 store + 2/3 limited`` for a mix."""
    parts = [(game.strategies[i][k], p) for k, p in enumerate(mix) if p != 0]
    if len(parts) == 1:
        return parts[0][0]
    return " + ".join(f"{fmt(p)} {s}" for s, p in parts)


def status_quo_point(game: Game) -> Disagreement:
    if game.status_quo is None:
        raise InputError([Problem("the game declares no status quo; choose another disagreement point "
                                  "(maximin, maximin-pure, equilibrium, threat)", path="status_quo")])
    profile = game.status_quo
    payoffs = exact_payoffs_of(game)[(slice(None), *profile)]  # type: ignore[arg-type]
    return Disagreement(
        kind="status-quo",
        payoffs=tuple(as_fraction(v) for v in payoffs),
        description=f"the status quo {game.profile_label(profile)}",
        strategies=tuple(_unit(m, k) for m, k in zip(game.shape, profile)),
    )


def zero_sum_value(matrix: np.ndarray) -> tuple[Fraction, tuple[Fraction, ...], tuple[Fraction, ...]]:
    """Exact value of the zero-sum game where the row player gets ``matrix`` and the column
    player pays it, with an optimal strategy of each (vertex enumeration in rational numbers)."""
    game = Game.from_matrices(np.asarray(matrix, dtype=object).astype(float))
    exact = np.asarray(matrix, dtype=object)
    game = game.replace(exact_payoffs=np.stack([exact, -exact]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        e = solve(game, exact=True).equilibria[0]
    assert e.exact_payoffs is not None and e.exact_strategies is not None
    return e.exact_payoffs[0], e.exact_strategies[0], e.exact_strategies[1]


def security_point(game: Game, *, mixed: bool = True) -> Disagreement:
    """Each player's security (maximin) level, with mixed or only pure strategies."""
    payoffs = exact_payoffs_of(game)
    levels: list[Fraction] = []
    strategies: list[tuple[Fraction, ...]] = []
    if mixed and game.n_players == 2:
        for i in range(2):
            table = payoffs[0] if i == 0 else payoffs[1].T
            value, own, _ = zero_sum_value(table)
            levels.append(value)
            strategies.append(own)
    elif mixed:
        for m in maximin(game):
            levels.append(as_fraction(m.level))
            strategies.append(tuple(as_fraction(p) for p in m.mixed))
    else:
        for i in range(game.n_players):
            table = np.moveaxis(payoffs[i], i, 0).reshape(game.shape[i], -1)
            worst = [min(row) for row in table]
            best = max(range(len(worst)), key=lambda k: worst[k])
            levels.append(worst[best])
            strategies.append(_unit(game.shape[i], best))
    text = ", ".join(f"{game.player_names[i]} {fmt(v)} ({mix_text(game, i, strategies[i])})"
                     for i, v in enumerate(levels))
    kind = "maximin" if mixed else "maximin-pure"
    what = "security levels" if mixed else "security levels with pure strategies"
    return Disagreement(kind=kind, payoffs=tuple(levels), description=f"the {what}: {text}",
                        strategies=tuple(strategies))


def equilibrium_point(game: Game, which: int | Sequence[int] | Sequence[Sequence[float]]) -> Disagreement:
    """The payoffs of a Nash equilibrium: an index into ``solve(game, exact=True).equilibria``,
    a pure profile (strategy indices), or one mixed strategy per player (checked to be one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        solution = solve(game, exact=game.n_players == 2)
    if isinstance(which, (int, np.integer)) and not isinstance(which, bool):
        if not 0 <= which < len(solution.equilibria):
            raise InputError([Problem(
                f"no equilibrium {which}: the game has {len(solution.equilibria)} "
                f"(indices 0 to {len(solution.equilibria) - 1})", path="disagreement.equilibrium")])
        e = solution.equilibria[int(which)]
        if e.exact_strategies is not None and e.exact_payoffs is not None:
            strategies = e.exact_strategies
            values = e.exact_payoffs
        else:
            strategies = tuple(tuple(as_fraction(p) for p in s) for s in e.strategies)
            values = tuple(as_fraction(v) for v in e.payoffs)
        return Disagreement("equilibrium", tuple(values),
                            f"the equilibrium {e.label(game)}", tuple(strategies))
    items = list(which)  # type: ignore[arg-type]
    if len(items) != game.n_players:
        raise InputError([Problem(f"expected one entry per player ({game.n_players}), got {len(items)}",
                                  path="disagreement.equilibrium")])
    if all(isinstance(k, (int, np.integer)) for k in items):
        profile = tuple(int(k) for k in items)  # type: ignore[call-overload]
        if any(not 0 <= k < m for k, m in zip(profile, game.shape)):
            raise InputError([Problem(f"{profile} is not a profile of this game",
                                      path="disagreement.equilibrium")])
        mixes = [_unit(m, k) for m, k in zip(game.shape, profile)]
    else:
        mixes = [exact_tuple(s, path="disagreement.equilibrium") for s in items]  # type: ignore[arg-type]
        for i, s in enumerate(mixes):
            if len(s) != game.shape[i] or any(p < 0 for p in s) or sum(s) != 1:
                raise InputError([Problem(
                    f"{game.players[i]}: expected {game.shape[i]} probabilities summing to 1",
                    path=f"disagreement.equilibrium[{i}]")])
    values, regret = _expected_and_regret(exact_payoffs_of(game), mixes)
    if regret > 0:
        raise InputError([Problem(f"this profile is not a Nash equilibrium: a player gains {fmt(regret)} "
                                  "by deviating", path="disagreement.equilibrium")])
    label = " / ".join(mix_text(game, i, s) for i, s in enumerate(mixes))
    return Disagreement("equilibrium", values, f"the equilibrium {label}", tuple(mixes))


def _expected_and_regret(payoffs: np.ndarray, mixes: Sequence[Sequence[Fraction]]
                         ) -> tuple[tuple[Fraction, ...], Fraction]:
    n = payoffs.shape[0]
    values = []
    regret = Fraction(0)
    for i in range(n):
        table = payoffs[i]
        for j in reversed(range(n)):
            if j != i:
                table = np.tensordot(table, np.asarray(mixes[j], dtype=object), axes=([j], [0]))
        own = sum((p * v for p, v in zip(mixes[i], table)), Fraction(0))
        values.append(own)
        regret = max(regret, max(table) - own)
    return tuple(values), regret


def given_point(payoffs: Sequence[float | Fraction], description: str = "") -> Disagreement:
    values = exact_tuple(payoffs, path="disagreement")
    return Disagreement("given", values, description or "the given disagreement point "
                        f"({', '.join(fmt(v) for v in values)})")


def disagreement_point(game: Game, kind: str = "status-quo", *,
                       equilibrium: int | Sequence[int] | Sequence[Sequence[float]] = 0) -> Disagreement:
    """The disagreement point by name (all but ``threat``, which needs a payoff set: see
    :func:`negsim.bargaining.problem.bargaining_problem`)."""
    if kind == "status-quo":
        return status_quo_point(game)
    if kind == "maximin":
        return security_point(game, mixed=True)
    if kind == "maximin-pure":
        return security_point(game, mixed=False)
    if kind == "equilibrium":
        return equilibrium_point(game, equilibrium)
    raise InputError([Problem(f"unknown disagreement point {kind!r}{did_you_mean(kind, DISAGREEMENT_KINDS)}",
                              path="disagreement")])
