"""Repeated play of a stage game as ``negsim repeated`` reports it: the minmax payoffs, the
folk-theorem region, every pure outcome's thresholds, the cooperative outcomes asked about
(each with every scheme's thresholds, and whether it lasts at the players' discount factors
when they are given), and what a finite horizon allows.

>>> from negsim.game import Game
>>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=(("C", "D"), ("C", "D")),
...                         player_names=("Row", "Column"))
>>> play = repeated_play(pd, [(0, 0)], discount=(0.6, 0.4))
>>> import textwrap
>>> print(textwrap.fill(play.verdict(play.cooperation[0]), 90))
At discount factors Row 0.60 and Column 0.40, C / C does not last with grim trigger (Nash
reversion) (Column needs at least 0.50), one-period punishment (never), minmax punishment
(a simple penal code) (Column needs at least 0.50), the best simple penal code (Column
needs at least 0.50); no equilibrium of the repeated game sustains it at these discount
factors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.numeric import exact_tuple, fmt_delta, json_exact, json_number
from negsim.errors import InputError, Problem
from negsim.game import Game
from negsim.repeated.finite import FiniteRepetition, finite_repetition
from negsim.repeated.folk import FolkRegion, folk_region
from negsim.repeated.minmax import Punishment, minmax, minmax_point
from negsim.repeated.trigger import Scheme, Sustainability, check_profile, stage_equilibria, sustainability
from negsim.solve.pure import pure_equilibrium_mask
from negsim.solve.verify import exact_payoffs_of

__all__ = ["RepeatedPlay", "cooperative_outcomes", "lasts_at", "repeated_play"]


def lasts_at(scheme: Scheme, discount: Sequence[Fraction]) -> bool:
    """Whether ``scheme`` sustains its outcome when each player's discount factor is ``discount``."""
    return scheme.sustainable and all(t.delta is None or d >= t.delta
                                      for d, t in zip(discount, scheme.thresholds))


@dataclass(frozen=True, eq=False)
class RepeatedPlay:
    """The stage game's punishments and folk-theorem region (``folk``), every feasible pure
    outcome's thresholds (``outcomes``, row-major order), the cooperative outcomes asked about
    (``cooperation``), the players' discount factors if given (``discount``), and the finite
    repetition of each cooperative outcome (``finite``; one entry without any)."""

    game: Game
    punishments: tuple[Punishment, ...]
    folk: FolkRegion
    outcomes: tuple[Sustainability, ...]
    cooperation: tuple[Sustainability, ...]
    finite: tuple[FiniteRepetition, ...]
    discount: tuple[Fraction, ...] | None = None
    rounds: int | None = None
    punishment: tuple[tuple[int, ...], ...] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def verdict(self, s: Sustainability) -> str:
        """At the declared discount factors: which schemes sustain ``s`` and which do not."""
        if self.discount is None:
            return ""
        names = self.game.player_names
        at = " and ".join(f"{n} {fmt_delta(d)}" for n, d in zip(names, self.discount))
        head = f"At discount factors {at}, {s.label}"
        if s.is_equilibrium():
            return f"{head} lasts: it is an equilibrium of the stage game."
        perfect = [sc for sc in s.schemes if sc.subgame_perfect]
        yes = [sc.title for sc in perfect if lasts_at(sc, self.discount)]
        no = []
        for sc in perfect:
            if lasts_at(sc, self.discount):
                continue
            if not sc.sustainable:
                no.append(f"{sc.title} (never)")
                continue
            short = [f"{names[t.player]} needs at least {fmt_delta(t.delta)}" for t, d in
                     zip(sc.thresholds, self.discount) if t.delta is not None and d < t.delta]
            no.append(f"{sc.title} ({'; '.join(short)})")
        bound = s.scheme("lower-bound")
        if yes:
            text = f"{head} lasts with {', '.join(yes)}"
            return text + (f"; not with {', '.join(no)}." if no else ".")
        text = f"{head} does not last with {', '.join(no)}"
        if not lasts_at(bound, self.discount):
            return text + "; no equilibrium of the repeated game sustains it at these discount factors."
        return text + "."

    def lines(self) -> list[str]:
        out = [self.folk.text()]
        for s in self.cooperation:
            out.append(s.sentence())
            if self.discount is not None:
                out.append(self.verdict(s))
        out += [f.text for f in self.finite]
        return out + list(self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.game.players),
            "strategies": {p: list(s) for p, s in zip(self.game.players, self.game.strategies)},
            "folk": self.folk.to_dict(),
            "outcomes": [s.to_dict() for s in self.outcomes],
            "cooperation": [
                {**s.to_dict(), "at_discount": None if self.discount is None else {
                    "lasts": {sc.name: lasts_at(sc, self.discount) for sc in s.schemes},
                    "sentence": self.verdict(s)}}
                for s in self.cooperation],
            "discount": None if self.discount is None else
            {p: json_number(d) for p, d in zip(self.game.players, self.discount)},
            "discount_exact": None if self.discount is None else
            {p: json_exact(d) for p, d in zip(self.game.players, self.discount)},
            "rounds": self.rounds,
            "punishment": None if self.punishment is None else [list(p) for p in self.punishment],
            "finite": [f.to_dict() for f in self.finite],
            "notes": list(self.notes),
        }


def cooperative_outcomes(game: Game) -> tuple[tuple[int, ...], ...]:
    """The outcomes whose lasting is worth asking about when none is named: the feasible pure
    outcomes that are Pareto-efficient (among pure outcomes), not stage equilibria, and give
    every player more than its minmax (mixed for two players).

    >>> pd = Game.from_matrices([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> cooperative_outcomes(pd)
    ((0, 0),)
    """
    payoffs = exact_payoffs_of(game)
    n = game.n_players
    v = minmax_point(minmax(game))
    stage = pure_equilibrium_mask(game.solver_payoffs, n, tol=1e-12)
    feasible = [p for p in game.profiles() if game.is_feasible(p)]
    values = {p: tuple(payoffs[(i, *p)] for i in range(n)) for p in feasible}
    out = []
    for p in feasible:
        u = values[p]
        dominated = any(all(w[i] >= u[i] for i in range(n)) and w != u for w in values.values())
        if not dominated and not stage[p] and all(u[i] > v[i] for i in range(n)):
            out.append(p)
    return tuple(out)


def repeated_play(
    game: GameLike,
    cooperation: Sequence[Sequence[int]] = (),
    *,
    punishment: Sequence[int] | Sequence[Sequence[int]] | None = None,
    discount: Sequence[float | Fraction] | None = None,
    rounds: int | None = None,
) -> RepeatedPlay:
    """Analyse ``game`` as the stage game of a repeated game.

    ``cooperation`` lists the outcomes of interest (strategy indices). ``punishment`` is one pure
    profile (played for ever after any deviation, and tit-for-tat's fallback) or one profile per
    player (after that player deviates); either adds the ``declared`` scheme. ``discount`` gives
    each player's discount factor, in (0, 1), for verdicts at those values; ``rounds`` a finite
    horizon.
    """
    game = as_game(game)
    n = game.n_players
    if n < 2:
        raise InputError([Problem("repeated play needs at least two players", path="players")])
    paths: list[tuple[int, ...]] | None = None
    fallback: Sequence[int] | None = None
    if punishment is not None:
        items = list(punishment)
        if items and not any(isinstance(k, (list, tuple)) for k in items):
            fallback = check_profile(game, items, "punishment")  # type: ignore[arg-type]
            paths = [tuple(fallback)] * n
        else:
            if len(items) != n:
                raise InputError([Problem(f"expected one punishment profile per player ({n}), got "
                                          f"{len(items)}", path="punishment")])
            paths = [check_profile(game, p, "punishment") for p in items]  # type: ignore[arg-type]
    factors = None
    if discount is not None:
        factors = exact_tuple(list(discount), path="discount")
        if len(factors) != n:
            raise InputError([Problem(f"expected one discount factor per player ({n}), got {len(factors)}",
                                      path="discount")])
        bad = [fmt_delta(d) for d in factors if not 0 < d < 1]
        if bad:
            raise InputError([Problem("a discount factor of repeated play lies in (0, 1), got "
                                      + ", ".join(bad), path="discount")])
    if rounds is not None and (not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 1):
        raise InputError([Problem(f"rounds is a whole number of at least 1, got {rounds!r}", path="rounds")])
    chosen = [check_profile(game, c, "cooperation") for c in cooperation]
    equilibria = stage_equilibria(game)
    punish = minmax(game)

    def of(profile: Sequence[int]) -> Sustainability:
        return sustainability(game, profile, punishment=fallback, equilibria=equilibria, punishments=punish,
                              paths=paths, search=True)

    outcomes = tuple(of(p) for p in game.profiles() if game.is_feasible(p))
    asked = tuple(of(c) for c in chosen)
    finite = tuple(finite_repetition(game, c, rounds=rounds, equilibria=equilibria) for c in chosen) or (
        finite_repetition(game, None, rounds=rounds, equilibria=equilibria),)
    notes = []
    for f in finite:
        if rounds is not None and f.final_rounds is not None and f.final_rounds >= rounds:
            notes.append(f"With {rounds} rounds there is no room for {f.cooperation}: it needs "
                         f"{f.final_rounds} final rounds of the reward equilibrium after it.")
    return RepeatedPlay(game, punish, folk_region(game, punish), outcomes, asked, finite, factors, rounds,
                        None if paths is None else tuple(paths), tuple(notes))
