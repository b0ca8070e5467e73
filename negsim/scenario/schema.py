"""The scenario file format, version 1, as strict pydantic models.

A scenario file describes one negotiation as a game: who takes part (players), what each can do
(strategies, with numeric attributes), the assumptions that can vary (parameters), and how much
each outcome is worth to each player (payoffs). Every key is checked: unknown keys, wrong types
and misspelt names are errors, never silently ignored.

These models only describe the shape of a file. The checks that relate one part to another
(every name in an expression exists, every profile names real strategies, ...) live in
:mod:`negsim.scenario.checks` and run when a :class:`Scenario` is built.

Names. The ids of players, strategies, parameters, attributes and types are the words of
payoff expressions, so they follow one rule: 1 to 64 lowercase letters, digits and ``_``, not
starting with a digit, and none of these reserved words, which the expression grammar keeps
for itself: ``and``, ``as``, ``assert``, ``async``, ``await``, ``break``, ``class``,
``continue``, ``def``, ``del``, ``elif``, ``else``, ``except``, ``finally``, ``for``,
``from``, ``global``, ``if``, ``import``, ``in``, ``is``, ``lambda``, ``nonlocal``, ``not``,
``or``, ``pass``, ``raise``, ``return``, ``try``, ``while``, ``with``, ``yield`` (write
``raise_tariffs`` or ``hold_in`` instead). A parameter may not have the name of a function
(``min``, ``max``, ...) or of a player. Scenario ids use ``-`` instead of ``_``; the moves of
an explicit game tree may be any letters, digits, ``_`` and ``-`` (they are not used in
expressions, so ``in`` and ``out`` are fine there).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, model_validator

from negsim.scenario.bargaining import Bargaining, Repeated
from negsim.scenario.base import (
    EXPRESSION_MAX_LENGTH,
    MAX_NUMBER,
    Date,
    Identifier,
    Model,
    ScenarioId,
    ShortText,
    Text,
)
from negsim.scenario.checks import check_scenario
from negsim.scenario.sections import (
    RESERVED_PAYOFF_KEYS,
    Cells,
    ExpressionPayoffs,
    MatrixPayoffs,
    Parameter,
    Payoffs,
    Player,
    PlayerType,
    Profile,
    ProfileMapping,
    RankingPayoffs,
    Source,
    Strategy,
    TablePayoffs,
    TableRow,
    Timing,
    TimingForm,
    TreeNode,
    TreePayoffs,
    payoff_form,
)

__all__ = [
    "EXPRESSION_MAX_LENGTH",
    "FORMAT_VERSION",
    "MAX_NUMBER",
    "RESERVED_PAYOFF_KEYS",
    "Cells",
    "ExpressionPayoffs",
    "MatrixPayoffs",
    "Parameter",
    "Player",
    "PlayerType",
    "Profile",
    "RankingPayoffs",
    "Scenario",
    "ScenarioBase",
    "Source",
    "Strategy",
    "TableRow",
    "TablePayoffs",
    "Timing",
    "TreeNode",
    "TreePayoffs",
]

#: The format version this code reads and writes.
FORMAT_VERSION = 1


class ScenarioBase(Model):
    """What every scenario file has, whatever its form: its identity, its story and evidence,
    and the parameters its numbers depend on."""

    negsim: Literal[1]
    """The format version; must be 1."""
    id: ScenarioId
    """Identifier: lowercase letters, digits and ``-``, starting with a letter or digit; unique
    in the library."""
    title: ShortText
    """One line that names the scenario."""
    description: Text | None = None
    """The story, in a few sentences."""
    date: Date | None = None
    """When the situation described holds: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (as text)."""
    tags: list[ShortText] = []
    """Keywords for finding the scenario."""
    extends: ShortText | None = None
    """Another scenario this one varies: a path relative to this file (ending in ``.yaml`` or
    ``.yml``) or the id of a built-in scenario. This file is merged over it key by key."""
    sources: list[Source] = []
    """The evidence: quotes from source articles, or citations."""
    assumptions: list[Text] = []
    """Modelling assumptions, one per item."""
    interpretation: Text | None = None
    """What the equilibria at the default parameter values mean, in words."""
    parameters: dict[Identifier, Parameter] = {}
    """Named numbers the payoffs depend on, by parameter name."""

    _origin: str = PrivateAttr(default="")
    _marks: Any = PrivateAttr(default=None)

    @property
    def origin(self) -> str:
        """The file (or built-in id) this scenario was loaded from; empty if built in code."""
        return self._origin


class Scenario(ScenarioBase):
    """A negotiation as a game: players, their strategies, parameters and payoffs."""

    players: dict[Identifier, Player] = Field(min_length=1)
    """The players by id, in order: the order of the game's axes."""
    payoffs: Payoffs
    """Exactly one payoff form: expressions, ``matrix``, ``table``, ``ranking`` or ``tree``."""
    infeasible: list[ProfileMapping] = []
    """Profiles that cannot happen, each a pattern ``{player: strategy}``; players left out
    match any strategy."""
    status_quo: Profile | None = None
    """The current state of affairs, a profile of every player."""
    timing: TimingForm | None = None
    """Who moves when: turns the same strategies and payoffs into a game tree. A list of
    player ids, first mover first (each later mover sees the earlier moves), or a mapping with
    ``order`` and ``observes``; see [Timing](#timing)."""
    types: dict[Identifier, dict[Identifier, PlayerType]] | None = None
    """Incomplete information: for some players, their possible types (by type id, in order),
    each with its prior probability and optionally its own payoff; see
    [PlayerType](#playertype). Expressions may use ``player.type_id`` (1 when the player is
    of that type, else 0)."""
    bargaining: Bargaining | None = None
    """What a bargaining analysis (``negsim bargain``) needs: the agreements possible, the
    disagreement point, bargaining powers, patience; see [Bargaining](#bargaining)."""
    repeated: Repeated | None = None
    """What an analysis of repeated play (``negsim repeated``) needs: the cooperative
    outcomes, punishments, patience; see [Repeated](#repeated)."""

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Scenario:
        # The loader runs these checks itself, to place each problem in the file.
        if info.context and info.context.get("skip_checks"):
            return self
        issues = check_scenario(self)
        if issues:
            raise ValueError("; ".join(issue.describe() for issue in issues))
        return self

    # -- conveniences for later stages --------------------------------------------------------

    @property
    def payoff_form(self) -> str:
        """``"expressions"``, ``"matrix"``, ``"table"``, ``"ranking"`` or ``"tree"``."""
        return payoff_form(self.payoffs)

    @property
    def tree(self) -> TreeNode | None:
        """The root of the explicit tree, when the payoffs are a ``tree``."""
        return self.payoffs.tree if isinstance(self.payoffs, TreePayoffs) else None

    @property
    def is_tree(self) -> bool:
        """The scenario describes a game tree: it has ``timing`` or ``types``, or its payoffs
        are a ``tree``."""
        return self.timing is not None or self.tree is not None or self.types is not None

    def player_name(self, player: str) -> str:
        return self.players[player].name or player

    def strategy_name(self, player: str, strategy: str) -> str:
        return self.players[player].strategies[strategy].name or strategy
