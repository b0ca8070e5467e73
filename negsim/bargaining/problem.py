"""A bargaining problem: a feasible payoff set and a disagreement point; and what an agreement is.

:func:`bargaining_problem` builds one from a game, checking that some agreement makes every
player better off than the disagreement point (otherwise there is nothing to bargain over and
an :class:`InputError` says so). An :class:`Agreement` is a point of the set together with how
to reach it: a pure outcome, a lottery over outcomes, or an outcome plus side payments.

>>> from negsim.game import Game
>>> dollar = Game.from_matrices([[0, 1], [0, 0]], [[0, 0], [1, 0]],
...                             strategies=(("claim", "concede"), ("claim", "concede")))
>>> problem = bargaining_problem(dollar, "maximin", agreements="lotteries")
>>> [str(v) for v in problem.disagreement.payoffs]
['0', '0']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negsim.bargaining.disagreement import Disagreement, disagreement_point, given_point
from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.geometry import Point, clip_chain, segment_parameter
from negsim.bargaining.numeric import exact_tuple, fmt, fmt_probability, json_exact, json_number
from negsim.bargaining.payoff_set import Outcome, PayoffSet, payoff_set
from negsim.bargaining.threat import threat_point
from negsim.errors import InputError, Problem

__all__ = ["Agreement", "BargainingProblem", "LotteryTerm", "bargaining_problem", "normalise_weights"]


@dataclass(frozen=True)
class LotteryTerm:
    outcome: Outcome
    probability: Fraction


@dataclass(frozen=True)
class Agreement:
    """A solution's agreement: its payoffs and how it is reached.

    ``lottery`` lists the pure outcomes and their probabilities (one term with probability 1 for
    a pure outcome); ``transfers`` is the side payment each player receives (summing to zero),
    or ``None`` without side payments. ``ties`` are other pure outcomes the solution rates
    equally well (pure agreements only); ``note`` says how a tie or corner was resolved.
    """

    solution: str
    title: str
    payoffs: tuple[Fraction, ...]
    lottery: tuple[LotteryTerm, ...]
    transfers: tuple[Fraction, ...] | None = None
    weights: tuple[Fraction, ...] | None = None
    ties: tuple[Outcome, ...] = ()
    note: str = ""

    @property
    def pure_outcome(self) -> Outcome | None:
        return self.lottery[0].outcome if len(self.lottery) == 1 and self.transfers is None else None

    def how(self, names: Sequence[str] | None = None) -> str:
        """``store / incentives``, ``a lottery: store / incentives with probability 3/4, ...``, or
        an outcome with side payments (``... and Turkey pays United States 1/2``)."""
        if len(self.lottery) == 1:
            text = self.lottery[0].outcome.label
        else:
            text = ", ".join(f"{t.outcome.label} with probability {fmt_probability(t.probability)}"
                             for t in self.lottery)
            text = f"a lottery: {text}"
        if self.transfers is not None and any(self.transfers):
            who = names or tuple(f"player {i + 1}" for i in range(len(self.transfers)))
            if len(self.transfers) == 2:
                payer = 0 if self.transfers[0] < 0 else 1
                text += f", and {who[payer]} pays {who[1 - payer]} {fmt(-self.transfers[payer])}"
            else:
                pays = [f"{who[i]} pays {fmt(-t)}" for i, t in enumerate(self.transfers) if t < 0]
                gets = [f"{who[i]} receives {fmt(t)}" for i, t in enumerate(self.transfers) if t > 0]
                text += f", with side payments ({', '.join(pays + gets)})"
        return text

    def describe(self, names: Sequence[str]) -> str:
        """``Nash bargaining solution: store / incentives (Turkey 4, United States 2)``."""
        values = ", ".join(f"{n} {fmt(v)}" for n, v in zip(names, self.payoffs))
        return f"{self.title}: {self.how(names)} ({values})" + (f"; {self.note}" if self.note else "")

    def to_dict(self, players: Sequence[str]) -> dict[str, Any]:
        return {
            "solution": self.solution,
            "title": self.title,
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
            "exact": {p: json_exact(v) for p, v in zip(players, self.payoffs)},
            "lottery": [
                {"profile": list(t.outcome.profile), "label": t.outcome.label,
                 "probability": json_number(t.probability), "exact": json_exact(t.probability)}
                for t in self.lottery
            ],
            "transfers": None if self.transfers is None
            else {p: json_number(v) for p, v in zip(players, self.transfers)},
            "weights": None if self.weights is None else [json_number(w) for w in self.weights],
            "ties": [t.label for t in self.ties],
            "note": self.note,
        }


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """A payoff set and a disagreement point with something to gain for everyone.

    ``frontier`` is the bargaining frontier: for two players with lotteries the part of the
    Pareto frontier where both get at least ``d`` (exact vertices, top-left first); with side
    payments the two ends of the efficient line within that region; with pure outcomes the
    efficient outcomes' points there. ``candidates`` are the pure outcomes that give every
    player at least ``d``. ``threat_agreement`` is set when ``d`` is Nash's variable-threat point.
    """

    feasible: PayoffSet
    disagreement: Disagreement
    frontier: tuple[Point, ...]
    candidates: tuple[Outcome, ...]
    threat_agreement: Point | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def players(self) -> tuple[str, ...]:
        return self.feasible.players

    @property
    def names(self) -> tuple[str, ...]:
        return self.feasible.player_names

    @property
    def d(self) -> tuple[Fraction, ...]:
        return self.disagreement.payoffs

    @property
    def n_players(self) -> int:
        return self.feasible.n_players

    @property
    def surplus(self) -> Fraction:
        """With side payments: the largest total minus the disagreement total."""
        return self.feasible.total - sum(self.d, Fraction(0))

    def improving(self) -> list[Outcome]:
        """Pure outcomes that make every player strictly better off than ``d``."""
        return [o for o in self.candidates if all(u > di for u, di in zip(o.payoffs, self.d))]

    def lottery_for(self, point: Sequence[Fraction]) -> tuple[LotteryTerm, ...]:
        """How to reach a point of the lotteries' frontier: a frontier vertex (a pure outcome)
        or a mix of the two outcomes at the ends of its segment."""
        target = (point[0], point[1])
        full = self.feasible.frontier
        for p in full:
            if p == target:
                return (LotteryTerm(self.feasible.outcomes_at(p)[0], Fraction(1)),)
        for p, q in zip(full, full[1:]):
            if p[0] <= target[0] <= q[0]:
                t = segment_parameter(p, q, target)
                on_line = p[1] + t * (q[1] - p[1]) == target[1]
                if on_line and 0 <= t <= 1:
                    return (LotteryTerm(self.feasible.outcomes_at(p)[0], 1 - t),
                            LotteryTerm(self.feasible.outcomes_at(q)[0], t))
        raise AssertionError(f"{target} is not on the Pareto frontier")

    def to_dict(self) -> dict[str, Any]:
        return {
            "feasible": self.feasible.to_dict(),
            "disagreement": self.disagreement.to_dict(self.players),
            "frontier": [[json_number(v) for v in p] for p in self.frontier],
            "frontier_exact": [[json_exact(v) for v in p] for p in self.frontier],
            "improving": [o.label for o in self.improving()],
            "notes": list(self.notes),
        }


def normalise_weights(weights: Sequence[float | Fraction] | float | Fraction | None, n: int,
                      *, path: str = "powers") -> tuple[Fraction, ...]:
    """Bargaining powers or weights as positive fractions summing to 1.

    ``None`` gives equal weights; a single number ``a`` for two players means ``(a, 1 - a)``.
    """
    if weights is None:
        return tuple(Fraction(1, n) for _ in range(n))
    if isinstance(weights, (int, float, Fraction)):
        if n != 2:
            raise InputError([Problem(f"give one weight per player ({n})", path=path)])
        a = exact_tuple([weights], path=path)[0]
        values: tuple[Fraction, ...] = (a, 1 - a)
    else:
        values = exact_tuple(list(weights), path=path)
    if len(values) != n:
        raise InputError([Problem(f"expected {n} weights, one per player, got {len(values)}", path=path)])
    if any(v <= 0 for v in values):
        raise InputError([Problem(f"weights must be positive (a single power must lie strictly between "
                                  f"0 and 1), got {', '.join(fmt(v) for v in values)}", path=path)])
    total = sum(values, Fraction(0))
    return tuple(v / total for v in values)


def bargaining_problem(
    game: GameLike,
    disagreement: str | Disagreement | Sequence[float | Fraction] = "status-quo",
    *,
    agreements: str = "lotteries",
    equilibrium: int | Sequence[int] | Sequence[Sequence[float]] = 0,
    powers: Sequence[float | Fraction] | float | Fraction | None = None,
) -> BargainingProblem:
    """The bargaining problem of ``game`` with a disagreement point chosen explicitly.

    ``disagreement`` is a kind (``status-quo``, ``maximin``, ``maximin-pure``, ``equilibrium``
    with ``equilibrium=`` index or profile, ``threat``), a :class:`Disagreement`, or payoffs.
    ``agreements`` is ``pure``, ``lotteries`` or ``transfers`` (see
    :mod:`negsim.bargaining.payoff_set`). ``powers`` matter only for the variable-threat point,
    whose threats depend on the bargaining powers of the Nash solution that follows.
    """
    game = as_game(game)
    feasible = payoff_set(game, agreements)
    threat_agreement: Point | None = None
    if isinstance(disagreement, Disagreement):
        d = disagreement
    elif isinstance(disagreement, str):
        if disagreement == "threat":
            if not feasible.convex:
                raise InputError([Problem(
                    "the variable-threat point needs a convex payoff set: allow lotteries or side "
                    "payments", path="disagreement")])
            weights = normalise_weights(powers, game.n_players)
            if feasible.agreements == "transfers":
                d, threat_agreement = threat_point(game, None, weights, total=feasible.total)
            else:
                d, threat_agreement = threat_point(game, feasible.frontier, weights)
        else:
            d = disagreement_point(game, disagreement, equilibrium=equilibrium)
    else:
        d = given_point(disagreement)
    if len(d.payoffs) != game.n_players:
        raise InputError([Problem(f"the disagreement point needs {game.n_players} payoffs, one per player, "
                                  f"got {len(d.payoffs)}", path="disagreement")])
    return problem_from(feasible, d, threat_agreement=threat_agreement)


def problem_from(feasible: PayoffSet, d: Disagreement, *,
                 threat_agreement: Point | None = None) -> BargainingProblem:
    """A :class:`BargainingProblem` from a payoff set and a disagreement point, checked."""
    dp = d.payoffs
    candidates = tuple(o for o in feasible.outcomes if all(u >= di for u, di in zip(o.payoffs, dp)))
    frontier: tuple[Point, ...] = ()
    notes: list[str] = []
    if feasible.agreements == "transfers":
        surplus = feasible.total - sum(dp, Fraction(0))
        ok = surplus > 0
        if feasible.n_players == 2:
            frontier = ((dp[0], feasible.total - dp[0]), (feasible.total - dp[1], dp[1]))
    elif feasible.agreements == "lotteries":
        frontier = tuple(clip_chain(feasible.frontier, (dp[0], dp[1])))
        ok = len(frontier) > 1 or (len(frontier) == 1 and all(u > di for u, di in zip(frontier[0], dp)))
        if len(frontier) == 1 and ok:
            notes.append("the frontier is a single point: every solution picks it")
    else:
        improving = [o for o in candidates if all(u > di for u, di in zip(o.payoffs, dp))]
        ok = bool(improving)
        if feasible.n_players == 2:
            pts = sorted({(o.payoffs[0], o.payoffs[1]) for o in candidates})
            eff = [p for p in pts if not any(q[0] >= p[0] and q[1] >= p[1] and q != p for q in pts)]
            frontier = tuple(sorted(eff, key=lambda p: (p[0], -p[1])))
    if not ok and threat_agreement is not None:
        # The optimal threats themselves reach the frontier: that point is the agreement.
        ok = True
        notes.append("the optimal threats already give a Pareto-efficient point: it is the agreement")
    if not ok:
        names = feasible.player_names
        minimums = " and ".join(f"{n} more than {fmt(v)}" for n, v in zip(names, dp))
        what = {"pure": "no outcome", "lotteries": "no outcome or lottery",
                "transfers": "no outcome with side payments"}[feasible.agreements]
        raise InputError([Problem(
            f"nothing to bargain over: {what} gives {minimums} ({d.description}); the disagreement point "
            "is Pareto-efficient or outside the feasible set", path="disagreement")])
    return BargainingProblem(feasible, d, frontier, candidates, threat_agreement, tuple(notes))
