"""The sweep-spec keys that sweep bargaining and repeated play instead of equilibria.

``bargaining: {solution: nash}`` follows one bargaining solution's agreement over the points;
``repeated: {cooperation: [store, incentives]}`` follows whether an outcome can last. Both take
the scenario's own ``bargaining`` and ``repeated`` declarations (see the scenario format) and
may change any of them for the sweep, with the same keys; numbers there may be expressions of
the parameters, so a sweep can vary patience, powers or the disagreement point through
parameters.
"""

from __future__ import annotations

from typing import Literal

from negsim.scenario.bargaining import Cooperation, DisagreementForm, PerPlayer, PunishmentForm
from negsim.scenario.base import Identifier, Model
from negsim.scenario.sections import NumberOrExpression

__all__ = ["BARGAINING_SOLUTIONS", "REPEATED_SCHEMES", "BargainingSweep", "RepeatedSweep"]

#: What a bargaining sweep can follow: a solution, or the alternating-offers agreement.
BARGAINING_SOLUTIONS = ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian", "alternating-offers")
#: What a repeated-play sweep can follow: the least patience under the best subgame-perfect
#: scheme (``best``), or under one scheme.
REPEATED_SCHEMES = (
    "best",
    "nash-reversion",
    "one-period",
    "minmax",
    "declared",
    "penal-code",
    "lower-bound",
    "tit-for-tat",
)


class BargainingSweep(Model):
    """A sweep of one bargaining solution's agreement. Keys other than ``solution`` change the
    scenario's ``bargaining`` declarations for the sweep (see [Bargaining](#bargaining) in the
    scenario format)."""

    solution: Literal["nash", "kalai-smorodinsky", "egalitarian", "utilitarian", "alternating-offers"] = (
        "nash"
    )
    """The solution whose agreement each point records: ``nash`` (with the declared powers),
    ``kalai-smorodinsky``, ``egalitarian``, ``utilitarian`` or ``alternating-offers``."""
    agreements: Literal["pure", "lotteries", "transfers"] | None = None
    """``pure``, ``lotteries`` or ``transfers``."""
    disagreement: DisagreementForm | None = None
    """The disagreement point, as in the scenario format."""
    powers: PerPlayer | None = None
    """Bargaining powers by player id."""
    discount: PerPlayer | None = None
    """Discount factors by player id (alternating offers)."""
    rates: PerPlayer | None = None
    """Rates of time preference by player id, instead of ``discount``."""
    period: NumberOrExpression | None = None
    """Length of a round of offers (with ``rates``)."""
    first: Identifier | None = None
    """Who makes the first offer."""
    outside_options: PerPlayer | None = None
    """Outside options by player id (side payments only)."""
    breakdown: NumberOrExpression | None = None
    """Probability that talks break down after a rejection."""


class RepeatedSweep(Model):
    """A sweep of whether (and with how much patience) an outcome can last in repeated play.
    Keys other than ``scheme`` change the scenario's ``repeated`` declarations for the sweep."""

    scheme: Literal[
        "best",
        "nash-reversion",
        "one-period",
        "minmax",
        "declared",
        "penal-code",
        "lower-bound",
        "tit-for-tat",
    ] = "best"
    """What the tipping points follow: ``best`` (the subgame-perfect scheme that needs the
    least patience, the best simple penal code among them) or one scheme."""
    cooperation: Cooperation | None = None
    """The outcome to follow (a profile; of a list, the first); default: the scenario's first
    declared cooperative outcome."""
    punishment: PunishmentForm | None = None
    """A punishment profile, or one per player (the ``declared`` scheme)."""
    discount: PerPlayer | None = None
    """The players' discount factors: each point then says whether the outcome lasts at them."""
