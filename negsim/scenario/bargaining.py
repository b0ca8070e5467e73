"""The optional scenario sections that declare a bargaining analysis (``bargaining``) and an
analysis of repeated play (``repeated``), as strict pydantic models.

Both only say what the analyses need; the engine's defaults apply to what they leave out.
Numbers that describe the players (bargaining powers, discount factors, outside options, the
risk of breakdown, disagreement payoffs) may be expressions of the parameters, so that a sweep
can vary them. Profiles name strategies by their ids, as ``status_quo`` does. The checks that
relate these sections to the rest of the file live in :mod:`negsim.scenario.bargaining_checks`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from negsim.scenario.base import Identifier, Model, ShortText, Text, expecting
from negsim.scenario.sections import NumberOrExpression, Profile, ProfileMapping, Source

__all__ = [
    "AGREEMENT_KINDS",
    "DISAGREEMENT_KINDS",
    "Bargaining",
    "Cooperation",
    "DisagreementForm",
    "DisagreementPoint",
    "PerPlayer",
    "PunishmentForm",
    "Repeated",
]

#: What the players can agree on: pure outcomes, lotteries over them, or side payments.
AGREEMENT_KINDS = ("pure", "lotteries", "transfers")
#: Disagreement points named by a word.
DISAGREEMENT_KINDS = ("status-quo", "maximin", "maximin-pure", "equilibrium", "threat")

PerPlayer = dict[Identifier, NumberOrExpression]
"""A number or an expression of the parameters for each player id."""


class DisagreementPoint(Model):
    """A disagreement point written out: exactly one of ``equilibrium``, ``outcome`` and
    ``payoffs``."""

    equilibrium: Annotated[
        Annotated[int, Tag("number")] | Annotated[ProfileMapping, Tag("mapping")],
        Discriminator(expecting("a whole number or a profile")(
            lambda value: "mapping" if isinstance(value, dict) else "number")),
    ] | None = None
    """A Nash equilibrium of the game: its number in the list ``negsim solve`` prints (1 for
    the first), or a pure equilibrium as a profile ``{player: strategy}`` (checked to be one)."""
    outcome: Profile | None = None
    """The profile the players fall back to when talks fail, ``{player: strategy}`` (need not
    be an equilibrium)."""
    payoffs: PerPlayer | None = None
    """What each player gets without a deal, by player id: numbers or expressions of the
    parameters."""
    description: ShortText | None = None
    """What the point stands for, in words (shown with the results)."""


@expecting("one of 'status-quo', 'maximin', 'maximin-pure', 'equilibrium', 'threat', or a mapping")
def _disagreement_form(value: Any) -> str:
    return "kind" if isinstance(value, str) else "mapping"


DisagreementForm = Annotated[
    Annotated[Literal["status-quo", "maximin", "maximin-pure", "equilibrium", "threat"], Tag("kind")]
    | Annotated[DisagreementPoint, Tag("mapping")],
    Discriminator(_disagreement_form),
]
"""A disagreement point: a word or a [DisagreementPoint](#disagreementpoint) mapping."""


class Bargaining(Model):
    """What a bargaining analysis needs: which agreements are possible, where the players
    stand without one, and (for alternating offers) how patient each side is and who
    proposes first. Every key is optional.

    ``disagreement`` is ``status-quo`` (the payoffs of ``status_quo``), ``maximin`` (each
    side's security level, mixed strategies allowed), ``maximin-pure`` (with pure strategies),
    ``equilibrium`` (the first Nash equilibrium ``negsim solve`` lists), ``threat`` (Nash's
    variable-threat point: each side's optimal threat, for lotteries or side payments), or a
    [DisagreementPoint](#disagreementpoint): a named equilibrium, a fallback outcome, or
    payoffs (which may be expressions of the parameters).

    Alternating offers (Rubinstein) are analysed when ``discount``, ``rates`` or ``breakdown``
    is given; they need two players and lotteries or side payments. With side payments the
    surplus over the disagreement point is split like a pie (with outside options); with
    lotteries the offers are points of the Pareto frontier.
    """

    agreements: Literal["pure", "lotteries", "transfers"] = "lotteries"
    """``pure`` (only the game's outcomes), ``lotteries`` (also any lottery over outcomes: their
    convex hull; two players) or ``transfers`` (also side payments in the payoffs' units)."""
    disagreement: DisagreementForm = "status-quo"
    """The disagreement point: a word or a mapping (see above)."""
    powers: PerPlayer | None = None
    """Bargaining power of each player (positive; scaled to add up to 1) for the asymmetric
    Nash solution; equal powers if left out."""
    discount: PerPlayer | None = None
    """Each player's discount factor per round of offers, in (0, 1]: its patience. Give it
    for both players (or give ``rates`` instead)."""
    rates: PerPlayer | None = None
    """Each player's rate of time preference (0 or more) instead of ``discount``: the
    discount factor is ``exp(-rate * period)``."""
    period: NumberOrExpression | None = None
    """Length of one round of offers, in the time unit of ``rates`` (default 1); only with
    ``rates``."""
    first: Identifier | None = None
    """The player who makes the first offer (default: the first player)."""
    outside_options: PerPlayer | None = None
    """What a player can walk away to while it is responding, by player id (players left out
    have none); with side payments only."""
    breakdown: NumberOrExpression | None = None
    """Probability, in [0, 1), that talks break down after an offer is rejected, leaving
    the disagreement point."""
    rationale: Text | None = None
    """Why these declarations: the assumptions behind them, in words."""
    sources: list[Source] = []
    """Quotes or citations that support the declarations."""


@expecting("a profile or a list of profiles")
def _cooperation_form(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "profile"
    return "list" if isinstance(value, list) else "mapping"


Cooperation = Annotated[
    Annotated[ProfileMapping, Tag("mapping")]
    | Annotated[list[Identifier], Tag("profile")]
    | Annotated[list[Profile], Tag("list")],
    Discriminator(_cooperation_form),
]
"""One profile, or a list of profiles."""


@expecting("a profile, or a profile for each player")
def _punishment_form(value: Any) -> str:
    if isinstance(value, dict) and value and not all(isinstance(v, str) for v in value.values()):
        return "per-player"
    return "list" if isinstance(value, list) else "mapping"


PunishmentForm = Annotated[
    Annotated[ProfileMapping, Tag("mapping")]
    | Annotated[list[Identifier], Tag("list")]
    | Annotated[dict[Identifier, Profile], Tag("per-player")],
    Discriminator(_punishment_form),
]
"""A profile, or a profile for each player (played after that player deviates)."""


class Repeated(Model):
    """What an analysis of repeated play needs: the outcomes whose lasting is in question,
    and optionally the punishments, the players' patience and a finite horizon.

    ``punishment`` is one profile played for ever after any deviation (and the profile
    tit-for-tat falls back to), or a profile per player: the one played for ever after that
    player deviates (a simple penal code). Either way negsim checks that the punishers would
    carry it out, and reports the discount factors it needs beside grim trigger, one-period
    and minmax punishments.
    """

    cooperation: Cooperation = Field(default_factory=list)
    """The cooperative outcome(s): a profile ``{player: strategy}``, or a list of them."""
    punishment: PunishmentForm | None = None
    """A profile, or ``{player: profile}`` (see above)."""
    discount: PerPlayer | None = None
    """Each player's discount factor per period, in (0, 1): how much it values the future. When
    given, the results say whether each outcome lasts at these values."""
    rounds: int | None = None
    """A known, finite number of rounds (1 or more), for the finitely repeated game."""
    rationale: Text | None = None
    """Why these declarations: the assumptions behind them, in words."""
    sources: list[Source] = []
    """Quotes or citations that support the declarations."""
