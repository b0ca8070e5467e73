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

import keyword
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationInfo,
    model_validator,
)
from typing_extensions import TypeAliasType

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
#: Largest magnitude of any number in a scenario (file values and expression constants).
MAX_NUMBER = 1e12
#: Longest payoff expression, in characters.
EXPRESSION_MAX_LENGTH = 2000
#: Keys of ``payoffs`` that select a payoff form, so no player may use them as an id.
RESERVED_PAYOFF_KEYS = ("matrix", "table", "ranking", "tree")


def _not_keyword(name: str) -> str:
    # Names appear in expressions, which are parsed with Python's grammar.
    if keyword.iskeyword(name):
        raise ValueError(f"{name!r} is a reserved word of the expression grammar and cannot be a "
                         "name (the rule for names: `negsim schema --markdown`, under Names)")
    return name


Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=64),
    AfterValidator(_not_keyword),
]
"""A name used in expressions: lowercase letters, digits and ``_``, not starting with a digit,
and not a reserved word (see the module's Names paragraph)."""

MoveId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]*$", max_length=64)]
"""A move in an explicit tree: letters, digits, ``_`` and ``-`` (moves are not used in
expressions, so ``in`` and ``out`` are fine)."""

ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
Date = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Text = Annotated[str, StringConstraints(max_length=20_000)]
ShortText = Annotated[str, StringConstraints(max_length=500)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]
Expression = Annotated[str, StringConstraints(min_length=1, max_length=EXPRESSION_MAX_LENGTH)]


def _number_or_expression(value: Any) -> str:
    return "expression" if isinstance(value, str) else "number"


NumberOrExpression = Annotated[
    Annotated[Number, Tag("number")] | Annotated[Expression, Tag("expression")],
    Discriminator(_number_or_expression),
    Field(description="a number or an expression"),
]

ProfileMapping = dict[Identifier, Identifier]


def _mapping_or_list(value: Any) -> str:
    return "list" if isinstance(value, list) else "mapping"


Profile = Annotated[
    Annotated[ProfileMapping, Tag("mapping")] | Annotated[list[Identifier], Tag("list")],
    Discriminator(_mapping_or_list),
]
"""A profile: ``{player: strategy}`` or a list of strategies in player order."""


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


class Model(BaseModel):
    """Shared settings: strict types, unknown keys rejected, values immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )


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


def _payoff_form(value: Any) -> str:
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
    Discriminator(_payoff_form),
]


class Scenario(Model):
    """A negotiation as a game: players, their strategies, parameters and payoffs."""

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

    _origin: str = PrivateAttr(default="")
    _marks: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Scenario:
        # The loader runs these checks itself, to place each problem in the file.
        if info.context and info.context.get("skip_checks"):
            return self
        from negsim.scenario.checks import check_scenario

        issues = check_scenario(self)
        if issues:
            raise ValueError("; ".join(issue.describe() for issue in issues))
        return self

    # -- conveniences for later stages --------------------------------------------------------

    @property
    def payoff_form(self) -> str:
        """``"expressions"``, ``"matrix"``, ``"table"``, ``"ranking"`` or ``"tree"``."""
        return _payoff_form(self.payoffs)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player; for a game tree (``timing``, ``tree`` or
        ``types``), the number of plans of each player in its reduced strategic form."""
        if self.is_tree:
            from negsim.tree.scenario import plan_counts

            return plan_counts(self)
        return tuple(len(p.strategies) for p in self.players.values())

    @property
    def tree(self) -> TreeNode | None:
        """The root of the explicit tree, when the payoffs are a ``tree``."""
        return self.payoffs.tree if isinstance(self.payoffs, TreePayoffs) else None

    @property
    def is_tree(self) -> bool:
        """The scenario describes a game tree: it has ``timing`` or ``types``, or its payoffs
        are a ``tree``."""
        return self.timing is not None or self.tree is not None or self.types is not None

    @property
    def origin(self) -> str:
        """The file (or built-in id) this scenario was loaded from; empty if built in code."""
        return self._origin

    def player_name(self, player: str) -> str:
        return self.players[player].name or player

    def strategy_name(self, player: str, strategy: str) -> str:
        return self.players[player].strategies[strategy].name or strategy
