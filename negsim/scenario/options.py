"""Option-form scenarios: a conflict as decision makers with yes/no options (the Graph Model
for Conflict Resolution), as strict pydantic models.

A scenario is in option form when its players list ``options`` instead of ``strategies``. Each
option is a yes/no choice of its player; a *state* is one combination of every option taken
(``Y``) or not (``N``). Options are numbered in file order, players first to last and each
player's options in order: the first option is option 1, and a state's *decimal code* adds
``2**(k-1)`` for every option ``k`` taken (as GMCR II, GMCR+ and gmcr-py number states), so
states can also be written as ``Y``/``N`` strings, one letter per option in that order.

Beside the players: ``preferences`` (for each player, exactly one of prioritization
``statements``, a ``ranking`` of the states with ties, or a ``payoff`` expression over the
parameters and the options, 0 or 1), ``infeasible`` states (patterns or rules),
``irreversible`` options and the ``status_quo`` state. The checks that relate the parts to
each other live in :mod:`negsim.scenario.option_checks`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag, ValidationInfo, model_validator

from negsim.scenario.base import Expression, Identifier, Model, ShortText, Text, expecting
from negsim.scenario.option_checks import MAX_OPTIONS, check_option_scenario
from negsim.scenario.schema import ScenarioBase
from negsim.scenario.sections import Source

__all__ = [
    "MAX_OPTIONS",
    "Direction",
    "InfeasibleRule",
    "Option",
    "OptionPlayer",
    "OptionScenario",
    "Preferences",
    "StateCode",
    "StateRef",
    "is_option_form",
]

StateText = Annotated[str, StringConstraints(pattern=r"^[YN]+$", max_length=MAX_OPTIONS)]
PatternText = Annotated[str, StringConstraints(pattern=r"^[YN-]+$", max_length=MAX_OPTIONS)]
Direction = Literal["N->Y", "Y->N"]


@expecting("a decimal code or a Y/N text")
def _code_or_text(value: Any) -> str:
    return "text" if isinstance(value, str) else "code"


StateCode = Annotated[
    Annotated[Annotated[int, Field(ge=0, lt=2**MAX_OPTIONS)], Tag("code")]
    | Annotated[StateText, Tag("text")],
    Discriminator(_code_or_text),
    Field(description="a state: its decimal code or its Y/N text"),
]
"""A state: its decimal code (``5``) or its ``Y``/``N`` text (``YNY``, one letter per option)."""


@expecting("a decimal code, a Y/N text or a list of option ids")
def _state_ref_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else _code_or_text(value)


StateRef = Annotated[
    Annotated[Annotated[int, Field(ge=0, lt=2**MAX_OPTIONS)], Tag("code")]
    | Annotated[StateText, Tag("text")]
    | Annotated[list[Identifier], Tag("list")],
    Discriminator(_state_ref_kind),
]
"""A state: a decimal code, a ``Y``/``N`` text, or the list of the option ids taken (``[]``:
none)."""


@expecting("a state or a tie (a list of states)")
def _rank_item_kind(value: Any) -> str:
    return "tie" if isinstance(value, list) else "state"


RankedState = Annotated[
    Annotated[StateCode, Tag("state")] | Annotated[list[StateCode], Tag("tie")],
    Discriminator(_rank_item_kind),
    Field(description="a state, or a tie (a list of states)"),
]

Statement = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Option(Model):
    """A yes/no choice of one player."""

    name: ShortText | None = None
    """Display name (defaults to the option id)."""
    description: Text | None = None
    """What taking the option means."""
    source: Source | None = None
    """Where this option is described: a quote from a source article, or a citation."""


class OptionPlayer(Model):
    """A decision maker of an option-form scenario."""

    name: ShortText | None = None
    """Display name (defaults to the player id)."""
    description: Text | None = None
    """Who the player is and what it wants."""
    options: dict[Identifier, Option] = Field(min_length=1)
    """The player's yes/no options, by option id, in order. Option ids are unique across all
    players (they name the options in statements and expressions)."""


class Preferences(Model):
    """How one player ranks the states: exactly one of ``statements``, ``ranking`` and
    ``payoff``."""

    statements: list[Statement] | None = Field(default=None, min_length=1, max_length=100)
    """Option prioritization: statements from most to least important, e.g. ``"-sanction"``,
    ``"activate if -sanction"``, ``"Y at 3"``, ``"N at 1 if Y at 2"`` (options by id or by
    1-based number); see [Statements](#statements). The ``j``-th of ``k`` statements is worth
    ``2**(k-j)`` and a state scores the statements it makes true."""
    ranking: list[RankedState] | None = Field(default=None, min_length=1)
    """The feasible states from most to least preferred, each exactly once; a list of states
    inside is a tie. A state is its decimal code or its ``Y``/``N`` text."""
    payoff: Expression | None = None
    """A payoff expression over the parameters and the options (each option id is 1 when
    taken, else 0; ``player.option`` also reads); larger is better. Parameters make the
    preferences move in sweeps."""
    sources: list[Source] = []
    """Why these preferences: article quotes or citations."""
    notes: Text | None = None
    """The modelling assumptions behind them."""

    @model_validator(mode="after")
    def _one_form(self) -> Preferences:
        given = [k for k in ("statements", "ranking", "payoff") if getattr(self, k) is not None]
        if len(given) != 1:
            found = f" (found {' and '.join(given)})" if given else ""
            raise ValueError(f"give exactly one of statements, ranking and payoff{found}")
        return self


class InfeasibleRule(Model):
    """States that cannot happen, as a rule: exactly one of ``mutually_exclusive``,
    ``at_least_one``, ``exactly_one`` and ``pattern``."""

    mutually_exclusive: list[Identifier] | None = Field(default=None, min_length=2)
    """At most one of these options is taken."""
    at_least_one: list[Identifier] | None = Field(default=None, min_length=1)
    """At least one of these options is taken."""
    exactly_one: list[Identifier] | None = Field(default=None, min_length=2)
    """Exactly one of these options is taken."""
    pattern: dict[Identifier, Literal["Y", "N"]] | None = Field(default=None, min_length=1)
    """Every state with these option values (``Y`` taken, ``N`` not) is infeasible; options
    left out may be either."""
    reason: Text | None = None
    """Why these states cannot happen."""

    @model_validator(mode="after")
    def _one_rule(self) -> InfeasibleRule:
        given = [
            k
            for k in ("mutually_exclusive", "at_least_one", "exactly_one", "pattern")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            found = f" (found {' and '.join(given)})" if given else ""
            raise ValueError(
                f"give exactly one of mutually_exclusive, at_least_one, exactly_one and pattern{found}"
            )
        return self


@expecting("a Y/N/- pattern or a rule (a mapping)")
def _infeasible_kind(value: Any) -> str:
    return "pattern" if isinstance(value, str) else "rule"


InfeasibleItem = Annotated[
    Annotated[PatternText, Tag("pattern")] | Annotated[InfeasibleRule, Tag("rule")],
    Discriminator(_infeasible_kind),
    Field(description="a Y/N/- pattern or a rule"),
]


class OptionScenario(ScenarioBase):
    """A conflict in option form: players with yes/no options, their preferences over the
    states, the states that cannot happen and the moves that cannot be undone."""

    players: dict[Identifier, OptionPlayer] = Field(min_length=1)
    """The players (decision makers) by id, in order, each with its options."""
    preferences: dict[Identifier, Preferences]
    """Each player's preferences over the states, by player id."""
    infeasible: list[InfeasibleItem] = []
    """States that cannot happen: ``Y``/``N``/``-`` patterns over all options in order
    (``-``: either), or rules (see [InfeasibleRule](#infeasiblerule))."""
    irreversible: dict[Identifier, Direction] = {}
    """Options that change only one way, by option id: ``N->Y`` (once taken, kept) or
    ``Y->N`` (once dropped, never taken again)."""
    status_quo: StateRef | None = None
    """The state the conflict starts from: a decimal code, a ``Y``/``N`` text or the list of
    the option ids taken (``[]`` for none)."""

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> OptionScenario:
        # The loader runs these checks itself, to place each problem in the file.
        if info.context and info.context.get("skip_checks"):
            return self
        issues = check_option_scenario(self)
        if issues:
            raise ValueError("; ".join(issue.describe() for issue in issues))
        return self

    # -- conveniences for later stages ---------------------------------------------------------

    @property
    def payoff_form(self) -> str:
        """``"options"``: preferences over the states of an option-form conflict."""
        return "options"

    @property
    def is_tree(self) -> bool:
        """An option-form conflict is not a game tree (its moves are the options' changes)."""
        return False

    @property
    def option_ids(self) -> list[str]:
        """Every option id, in option order (players in order, each one's options in order)."""
        return [o for player in self.players.values() for o in player.options]

    def player_name(self, player: str) -> str:
        return self.players[player].name or player

    def option_name(self, option: str) -> str:
        for player in self.players.values():
            if option in player.options:
                return player.options[option].name or option
        raise KeyError(option)


def is_option_form(data: object) -> bool:
    """Whether plain scenario data is in option form: some player lists ``options``, or the
    file has ``preferences`` and no ``payoffs``."""
    if not isinstance(data, dict):
        return False
    players = data.get("players")
    if isinstance(players, dict) and any(isinstance(p, dict) and "options" in p for p in players.values()):
        return True
    return "preferences" in data and "payoffs" not in data
