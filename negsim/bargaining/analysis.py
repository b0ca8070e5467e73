"""Everything ``negsim bargain`` reports about one game, in one frozen result.

:func:`analyze_bargaining` builds the bargaining problem (payoff set and disagreement point),
every solution with the agreement that reaches it, the zone of possible agreement, and, when
discount factors (or a risk of breakdown) are given, the alternating-offers agreement: with
side payments the surplus over the disagreement point is split as Rubinstein's pie (outside
options measured from the disagreement point); with lotteries the offers are points of the
Pareto frontier (:func:`negsim.bargaining.rubinstein.frontier_alternating_offers`).

>>> from negsim.game import Game
>>> dollar = Game.from_matrices([[0, 1], [0, 0]], [[0, 0], [1, 0]],
...                             strategies=(("claim", "concede"), ("claim", "concede")),
...                             player_names=("Ann", "Bob"))
>>> result = analyze_bargaining(dollar, "maximin", agreements="transfers", discount=(0.9, 0.8))
>>> result.offers.sentence()
'Ann gets 71% of the surplus because it is more patient (discount factor 0.9 against 0.8) and proposes first.'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negsim.bargaining.disagreement import Disagreement
from negsim.bargaining.games import GameLike, as_game
from negsim.bargaining.numeric import exact, fmt, json_exact, json_number
from negsim.bargaining.problem import (
    Agreement,
    BargainingProblem,
    LotteryTerm,
    bargaining_problem,
    normalise_weights,
)
from negsim.bargaining.rubinstein import (
    AlternatingOffers,
    FrontierOffers,
    alternating_offers,
    frontier_alternating_offers,
)
from negsim.bargaining.solutions import BargainingSolutions, solve_bargaining
from negsim.bargaining.zopa import Zopa, zone_of_agreement
from negsim.errors import InputError, Problem
from negsim.game import Game

__all__ = ["BargainingAnalysis", "analyze_bargaining", "offers_agreement"]

Weights = Sequence[float | Fraction] | float | Fraction | None


@dataclass(frozen=True, eq=False)
class BargainingAnalysis:
    """A game's bargaining problem, its solutions, the zone of possible agreement and (when
    asked for) the alternating-offers agreement.

    ``offers`` is Rubinstein's split of the surplus (side payments) or the frontier proposals
    (lotteries), ``None`` without discount factors; ``offers_agreement`` the agreement the
    first offer makes, as payoffs with its lottery or side payments.
    """

    game: Game
    problem: BargainingProblem
    solutions: BargainingSolutions
    zopa: Zopa
    powers: tuple[Fraction, ...]
    offers: AlternatingOffers | FrontierOffers | None = None
    offers_agreement: Agreement | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        return self.problem.names

    @property
    def agreements(self) -> tuple[Agreement, ...]:
        """The solutions' agreements, then the alternating-offers one."""
        extra = (self.offers_agreement,) if self.offers_agreement is not None else ()
        return (*self.solutions.agreements, *extra)

    def offers_sentence(self) -> str:
        """Who gets what from alternating offers, and why, in one sentence."""
        offers = self.offers
        if offers is None:
            return ""
        if isinstance(offers, AlternatingOffers):
            return offers.sentence()
        names = self.names
        d = self.problem.d
        first = offers.first
        point = offers.agreement
        gains = ", ".join(f"{n} {fmt(v - di)}" for n, v, di in zip(names, point, d))
        patience = " and ".join(f"{n} {fmt(f)}" for n, f in zip(names, offers.discount))
        assert self.offers_agreement is not None
        return (f"{names[first]} proposes first and {names[1 - first]} accepts at once: "
                f"{self.offers_agreement.how(names)}; the gains over the disagreement point are {gains} "
                f"(discount factors {patience}).")

    def lines(self) -> list[str]:
        out = [self.problem.feasible.describe(),
               f"Disagreement point: {self.problem.disagreement.description}.",
               self.zopa.text, *self.solutions.lines()]
        if self.offers is not None:
            out.append(self.offers_sentence())
        return out + list(self.problem.notes) + list(self.notes)

    def to_dict(self) -> dict[str, Any]:
        data = self.solutions.to_dict()
        players = self.problem.players
        offers = None
        if self.offers is not None:
            assert self.offers_agreement is not None
            offers = {**self.offers.to_dict(), "kind": "surplus" if isinstance(self.offers, AlternatingOffers)
                      else "frontier", "agreement": self.offers_agreement.to_dict(players),
                      "sentence": self.offers_sentence()}
        return {
            "players": list(players),
            "names": {p: n for p, n in zip(players, self.names)},
            "agreements": self.problem.feasible.agreements,
            "powers": {p: json_number(w) for p, w in zip(players, self.powers)},
            "powers_exact": {p: json_exact(w) for p, w in zip(players, self.powers)},
            **data,
            "zopa": self.zopa.to_dict(players),
            "alternating_offers": offers,
            "notes": list(self.notes),
        }


def offers_agreement(problem: BargainingProblem, offers: AlternatingOffers | FrontierOffers) -> Agreement:
    """The agreement the first offer makes: on the frontier with its lottery, or (side
    payments) the disagreement point plus each side's share of the surplus, reached by the
    outcome with the largest total and a transfer."""
    title = "alternating offers (Rubinstein)"
    if isinstance(offers, FrontierOffers):
        return Agreement("alternating-offers", title, tuple(offers.agreement), offers.lottery)
    d = problem.d
    payoffs = tuple(di + s for di, s in zip(d, offers.shares))
    base = problem.feasible.max_total_outcomes()[0]
    transfers = tuple(p - b for p, b in zip(payoffs, base.payoffs))
    return Agreement("alternating-offers", title, payoffs, (LotteryTerm(base, Fraction(1)),), transfers)


def analyze_bargaining(
    game: GameLike,
    disagreement: str | Disagreement | Sequence[float | Fraction] = "status-quo",
    *,
    agreements: str = "lotteries",
    equilibrium: int | Sequence[int] | Sequence[Sequence[float]] = 0,
    powers: Weights = None,
    discount: Sequence[float | Fraction] | None = None,
    first: int = 0,
    outside_options: Sequence[float | Fraction | None] | None = None,
    breakdown: float | Fraction = 0,
) -> BargainingAnalysis:
    """The whole bargaining analysis of ``game`` (see :func:`bargaining_problem` for
    ``disagreement``, ``agreements`` and ``equilibrium``).

    ``powers`` are the Nash solution's bargaining powers (also those the variable threats are
    chosen for). ``discount`` (one factor per player, two players), ``first`` (0 or 1, who opens),
    ``outside_options`` (payoffs a responder can walk away to; side payments only) and
    ``breakdown`` (the chance talks end after a rejection) set up alternating offers; they are
    analysed when ``discount`` is given or ``breakdown`` is above 0.
    """
    game = as_game(game)
    problem = bargaining_problem(game, disagreement, agreements=agreements, equilibrium=equilibrium,
                                 powers=powers)
    weights = normalise_weights(powers, game.n_players)
    solutions = solve_bargaining(problem, powers=weights)
    zopa = zone_of_agreement(problem)
    p = exact(breakdown, path="breakdown")
    if discount is None and p == 0:
        if outside_options is not None and any(w is not None for w in outside_options):
            raise InputError([Problem("outside options matter in alternating offers: give discount factors "
                                      "(or a risk of breakdown) too", path="outside_options")])
        return BargainingAnalysis(game, problem, solutions, zopa, weights)
    if game.n_players != 2:
        raise InputError([Problem("alternating offers are between two players; this game has "
                                  f"{game.n_players}", path="discount")])
    factors = list(discount) if discount is not None else [1, 1]
    kind = problem.feasible.agreements
    if kind == "pure":
        raise InputError([Problem("alternating offers split a divisible surplus: allow lotteries or side "
                                  "payments (agreements)", path="agreements")])
    notes: list[str] = []
    offers: AlternatingOffers | FrontierOffers
    if kind == "transfers":
        d = problem.d
        options = [None if w is None else exact(w, path=f"outside_options[{k}]") - d[k]
                   for k, w in enumerate(outside_options or (None, None))]
        offers = alternating_offers(factors, first=first, pie=problem.surplus, breakdown=p,
                                    outside_options=(options[0], options[1]), players=problem.names)
    else:
        if outside_options is not None and any(w is not None for w in outside_options):
            raise InputError([Problem("outside options are analysed with side payments (agreements: "
                                      "transfers); over a frontier of lotteries they are not",
                                      path="outside_options")])
        offers = frontier_alternating_offers(problem, factors, first=first, breakdown=p)
        notes.append("As the time between offers shrinks, the alternating-offers agreement tends to the "
                     "(asymmetric) Nash bargaining solution.")
    return BargainingAnalysis(game, problem, solutions, zopa, weights, offers,
                              offers_agreement(problem, offers), tuple(notes))
