"""The parts of a scenario file: sources, parameters, players and strategies, the payoff forms,
timing, explicit trees and player types, as strict pydantic models.

:mod:`negsim.scenario.schema` assembles them into a :class:`~negsim.scenario.schema.Scenario`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag
from typing_extensions import TypeAliasType

from negsim.scenario.base import (
    Expression,
    Identifier,
    Model,
    MoveId,
    Number,
    ShortText,
    Text,
    expecting,
)

__all__ = [
    "RESERVED_PAYOFF_KEYS",
    "Cells",
    "ExpressionPayoffs",
    "MatrixPayoffs",
    "Parameter",
    "Payoffs",
    "Player",
    "PlayerType",
    "Profile",
    "ProfileMapping",
    "RankingPayoffs",
    "Source",
    "Strategy",
    "TableRow",
    "TablePayoffs",
    "Timing",
    "TimingForm",
    "TreeNode",
    "TreePayoffs",
    "payoff_form",
]

#: Keys of ``payoffs`` that select a payoff form, so no player may use them as an id.
RESERVED_PAYOFF_KEYS = ("matrix", "table", "ranking", "tree")



@expecting('a number or an expression')
def _number_or_expression(value: Any) -> str:
    return "expression" if isinstance(value, str) else "number"


NumberOrExpression = Annotated[
    Annotated[Number, Tag("number")] | Annotated[Expression, Tag("expression")],
    Discriminator(_number_or_expression),
    Field(description="a number or an expression"),
]

ProfileMapping = dict[Identifier, Identifier]


@expecting('a mapping or a list')
def _mapping_or_list(value: Any) -> str:
    return "list" if isinstance(value, list) else "mapping"


Profile = Annotated[
    Annotated[ProfileMapping, Tag("mapping")] | Annotated[list[Identifier], Tag("list")],
    Discriminator(_mapping_or_list),
]
"""A profile: ``{player: strategy}`` or a list of strategies in player order."""


@expecting('a number, an expression or a nested list')
def _cell_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    return _number_or_expression(value)


Cells = TypeAliasType(
    "Cells",
    list[
        Annotated[
            Annotated[Number, Tag("number")]
            | Annotated[Expression, Tag("expression")]
            | Annotated["Cells", Tag("list")],
            Discriminator(_cell_kind),
            Field(description="a number, an expression or a nested list"),
        ]
    ],
)


@expecting('a strategy id or a profile')
def _rank_member_kind(value: Any) -> str:
    if isinstance(value, str):
        return "strategy"
    return _mapping_or_list(value)


RankMember = Annotated[
    Annotated[Identifier, Tag("strategy")]
    | Annotated[ProfileMapping, Tag("mapping")]
    | Annotated[list[Identifier], Tag("list")],
    Discriminator(_rank_member_kind),
    Field(description="a strategy id, or a profile in a tie"),
]

RankItem = Annotated[
    Annotated[ProfileMapping, Tag("mapping")] | Annotated[list[RankMember], Tag("list")],
    Discriminator(_mapping_or_list),
    Field(description="an outcome (a profile) or a tie (a list of profiles)"),
]


class Source(Model):
    """Where a fact comes from: a quote from a source article, or a citation."""

    file: ShortText | None = None
    """File name of a source article (in the project's seed articles), e.g.
    ``003_cb3be27c97f79b91.txt``; give it with ``quote``. Reports and worksheets name the
    article by the outlet, title and date that the scenario library's sources index
    (``_sources.yaml`` in ``negsim.scenarios``) records for the file; the index also holds a
    digest of every quote verified against its article."""
    quote: Text | None = None
    """The passage of ``file`` that supports the fact, quoted exactly."""
    citation: Text | None = None
    """A citation of a public record, instead of ``file`` and ``quote``."""


class Parameter(Model):
    """A number the payoffs depend on: an assumption that sweeps can vary."""

    value: Number
    """The default value (required). Must lie within ``min`` and ``max`` when they are given."""
    min: Number | None = None
    """Smallest sensible value; sweeps use ``min``..``max`` as their default range."""
    max: Number | None = None
    """Largest sensible value."""
    unit: ShortText | None = None
    """Unit of the value, free text (e.g. ``utility``, ``billion USD``)."""
    description: Text | None = None
    """What the parameter stands for."""
    rationale: Text | None = None
    """Why the default value: an article quote, a public fact or a stated assumption."""
    direction: dict[Identifier, Literal["better", "worse"]] | None = None
    """For whom more of it is ``better`` or ``worse``, by player id, e.g.
    ``{turkey: worse, us: better}``."""


class Strategy(Model):
    """One option of a player."""

    name: ShortText | None = None
    """Display name (defaults to the strategy id)."""
    description: Text | None = None
    """What the option means in the negotiation."""
    attributes: dict[Identifier, Number] = {}
    """Numeric features used by payoff expressions as ``player.attribute``. Every strategy of a
    player has the same attribute names; attribute names differ from the player's strategy
    ids."""
    source: Source | None = None
    """Where this option is described."""


class Player(Model):
    """A party to the negotiation."""

    name: ShortText | None = None
    """Display name (defaults to the player id)."""
    description: Text | None = None
    """Who the player is and what it wants."""
    strategies: dict[Identifier, Strategy] = Field(default_factory=dict, min_length=1)
    """The player's options, by strategy id, in order (the order of the game's axis).
    Required, except when the payoffs are a ``tree``, whose moves are in the tree."""


class MatrixPayoffs(Model):
    """Payoffs as one nested list per player."""

    matrix: dict[Identifier, Cells]
    """For each player id, a nested list indexed by the players' strategies in declaration order:
    rows are the first player's strategies, columns the second's, further nesting for more
    players. Cells are numbers or expressions."""


class TableRow(Model):
    """One profile of a payoff table and what each player gets there."""

    profile: Profile
    """The strategies played: ``{player: strategy}`` or a list in player order."""
    payoffs: Annotated[
        Annotated[dict[Identifier, NumberOrExpression], Tag("mapping")]
        | Annotated[list[NumberOrExpression], Tag("list")],
        Discriminator(_mapping_or_list),
    ]
    """Each player's payoff: ``{player: number or expression}`` or a list in player order."""


class TablePayoffs(Model):
    """Payoffs as a table of profiles."""

    table: list[TableRow]
    """Every feasible profile exactly once (infeasible profiles may be left out)."""


class RankingPayoffs(Model):
    """Ordinal payoffs: each player ranks the outcomes, best first."""

    ranking: dict[Identifier, list[RankItem]]
    """For each player id, the outcomes from best to worst. An outcome is a profile; an item that
    is a list of profiles is a tie. Every feasible profile appears exactly once. The payoff of an
    outcome is the number of distinct levels minus its 0-based level, so the best gets the
    highest number and the worst gets 1."""


class Timing(Model):
    """A move order: who moves first, and what each later mover sees."""

    order: list[Identifier] = Field(min_length=1)
    """Every player id once, first mover first."""
    observes: dict[Identifier, list[Identifier]] = {}
    """For a player id, the earlier movers whose moves it sees before it moves; players not
    listed see every earlier move. ``[]`` means it moves without seeing any (as in a
    simultaneous game)."""


TimingForm = Annotated[
    Annotated[list[Identifier], Tag("list")] | Annotated[Timing, Tag("mapping")],
    Discriminator(_mapping_or_list),
]
"""A move order: a list of player ids, or a :class:`Timing` mapping."""


class TreeNode(Model):
    """A node of an explicit game tree: a decision (``player`` and ``moves``), a chance move
    (``chance``) or an outcome (``payoffs``); exactly one of ``moves``, ``chance`` and
    ``payoffs``."""

    name: ShortText | None = None
    """A label for the node, shown in figures."""
    description: Text | None = None
    """What the node stands for."""
    probability: NumberOrExpression | None = None
    """Only for the moves of a chance node: the probability of this move, a number or an
    expression of the parameters. The moves of a chance node add up to 1."""
    player: Identifier | None = None
    """Decision nodes: the id of the player who moves."""
    info: MoveId | None = None
    """Decision nodes: an information set id. Decision nodes of one player with the same
    ``info`` are nodes the player cannot tell apart, so they offer the same moves. Without
    it, the player knows it is at this node."""
    moves: dict[MoveId, TreeNode] | None = None
    """Decision nodes: the player's moves, by move id, each leading to a node."""
    chance: dict[MoveId, TreeNode] | None = None
    """Chance nodes: the moves of chance, by move id, each a node with a ``probability``."""
    payoffs: Annotated[
        Annotated[dict[Identifier, NumberOrExpression], Tag("mapping")]
        | Annotated[list[NumberOrExpression], Tag("list")],
        Discriminator(_mapping_or_list),
    ] | None = None
    """Outcomes: each player's payoff, ``{player: number or expression}`` or a list in player
    order. Expressions use parameters only."""


class TreePayoffs(Model):
    """Payoffs as an explicit game tree, for games that are not a reordering of a matrix
    (several stages, chance moves, information sets)."""

    tree: TreeNode
    """The root of the tree; see [TreeNode](#treenode). The players then list no strategies:
    their moves are in the tree."""


class PlayerType(Model):
    """One possible type of a player: a private characteristic that the others only know
    the prior probability of."""

    name: ShortText | None = None
    """Display name (defaults to the type id)."""
    description: Text | None = None
    """What this type stands for."""
    probability: NumberOrExpression
    """The prior probability of the type: a number or an expression of the parameters (so a
    sweep can vary it). A player's types add up to 1."""
    payoff: NumberOrExpression | None = None
    """The player's payoff when it is of this type (replaces its entry in ``payoffs``); an
    expression like those in ``payoffs``."""
    source: Source | None = None
    """Where this type is described."""


_FORMS: dict[str, Any] = {"matrix": MatrixPayoffs, "table": TablePayoffs,
                          "ranking": RankingPayoffs, "tree": TreePayoffs}

ExpressionPayoffs = dict[Identifier, NumberOrExpression]
"""Payoffs as one expression per player id."""


@expecting('a mapping')
def payoff_form(value: Any) -> str:
    # Called with file data when validating and with the model when serialising.
    for form in RESERVED_PAYOFF_KEYS:
        if (isinstance(value, dict) and form in value) or isinstance(value, _FORMS[form]):
            return form
    return "expressions"


Payoffs = Annotated[
    Annotated[ExpressionPayoffs, Tag("expressions")]
    | Annotated[MatrixPayoffs, Tag("matrix")]
    | Annotated[TablePayoffs, Tag("table")]
    | Annotated[RankingPayoffs, Tag("ranking")]
    | Annotated[TreePayoffs, Tag("tree")],
    Discriminator(payoff_form),
]


