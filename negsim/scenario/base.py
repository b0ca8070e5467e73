"""What every negsim file format shares: one strict base model, constrained value types, and
discriminators that say in words what they accept.

Scenario files, sweep specs and the formats built on them all derive from :class:`Model`, so
that unknown keys, wrong types and misspelt names are refused the same way everywhere, and
:mod:`negsim.scenario.issues` can put every validation error into the same plain words.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "EXPRESSION_MAX_LENGTH",
    "MAX_NUMBER",
    "Date",
    "Expression",
    "Identifier",
    "Model",
    "MoveId",
    "Number",
    "ScenarioId",
    "ShortText",
    "Text",
    "expecting",
    "expected_words",
]

#: Largest magnitude of any number in a scenario (file values and expression constants).
MAX_NUMBER = 1e12
#: Longest payoff expression, in characters.
EXPRESSION_MAX_LENGTH = 2000

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
and not a reserved word (see the Names paragraph of :mod:`negsim.scenario.schema`)."""

MoveId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_-]*$", max_length=64)]
"""A move in an explicit tree: letters, digits, ``_`` and ``-`` (moves are not used in
expressions, so ``in`` and ``out`` are fine)."""

ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
Date = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Text = Annotated[str, StringConstraints(max_length=20_000)]
ShortText = Annotated[str, StringConstraints(max_length=500)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]
Expression = Annotated[str, StringConstraints(min_length=1, max_length=EXPRESSION_MAX_LENGTH)]


class Model(BaseModel):
    """Shared settings: strict types, unknown keys rejected, values immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )



_Discriminate = TypeVar("_Discriminate", bound=Callable[[Any], str])


def expecting(words: str) -> Callable[[_Discriminate], _Discriminate]:
    """Mark a union's discriminator with what the union accepts, in words ("a number or an
    expression"), for messages about values that fit none of its members."""

    def mark(function: _Discriminate) -> _Discriminate:
        function.expected = words  # type: ignore[attr-defined]
        return function

    return mark


def expected_words(discriminator: object) -> str | None:
    """What a discriminator marked with :func:`expecting` accepts, or ``None``."""
    words = getattr(discriminator, "expected", None)
    return words if isinstance(words, str) else None
