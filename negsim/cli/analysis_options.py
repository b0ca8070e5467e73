"""Option text for the bargaining and repeated-play commands, as the data the API takes.

``--powers 0.6,0.4`` (player order) or ``--powers turkey=0.6,us=0.4``; a value that is not a
number is kept as an expression of the parameters. ``--disagreement`` takes a word
(``status-quo``, ``maximin``, ``maximin-pure``, ``equilibrium``, ``threat``),
``equilibrium=2`` (the second equilibrium ``negsim solve`` lists), ``equilibrium=limited,keep``,
``outcome=store,keep`` or payoffs (``3,-1``, ``turkey=3,us=-1``). Profiles are strategy ids in
player order (``store,waive``) or ``turkey=store,us=waive``.

Nothing heavy is imported here: the command modules read it at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from negsim.errors import InputError, Problem

__all__ = ["disagreement_option", "per_player_option", "profile_option", "punishment_option"]

_KINDS = ("status-quo", "maximin", "maximin-pure", "equilibrium", "threat")


def _value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text.strip()


def per_player_option(text: str, option: str) -> list[float | str] | dict[str, float | str]:
    """``0.6,0.4`` -> ``[0.6, 0.4]``; ``turkey=0.6,us=0.4`` -> ``{"turkey": 0.6, "us": 0.4}``."""
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or any(not item for item in items):
        raise InputError([Problem(f"expected values separated by commas, got {text!r}", path=option)])
    if all("=" in item for item in items):
        pairs = [item.split("=", 1) for item in items]
        return {name.strip(): _value(value) for name, value in pairs}
    if any("=" in item for item in items):
        raise InputError([Problem(f"give every value as player=value, or none (values in player order); "
                                  f"got {text!r}", path=option)])
    return [_value(item) for item in items]


def profile_option(text: str, option: str) -> list[str] | dict[str, str]:
    """``store,waive`` -> ``["store", "waive"]``; ``turkey=store,us=waive`` -> a mapping."""
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or any(not item for item in items):
        raise InputError([Problem(f"expected strategies separated by commas, got {text!r}", path=option)])
    if all("=" in item for item in items):
        return {name.strip(): value.strip() for name, value in (item.split("=", 1) for item in items)}
    if any("=" in item for item in items):
        raise InputError([Problem(f"give every strategy as player=strategy, or none (in player order); "
                                  f"got {text!r}", path=option)])
    return items


def disagreement_option(text: str) -> Any:
    """The ``--disagreement`` text as the API's ``disagreement`` argument."""
    word = text.strip()
    if word in _KINDS:
        return word
    head, sep, rest = word.partition("=")
    if sep and head.strip() == "equilibrium":
        rest = rest.strip()
        if rest.isdigit():
            return {"equilibrium": int(rest)}
        return {"equilibrium": profile_option(rest, "--disagreement")}
    if sep and head.strip() == "outcome":
        return {"outcome": profile_option(rest, "--disagreement")}
    if any(c.isdigit() for c in word):
        return {"payoffs": per_player_option(word, "--disagreement")}
    raise InputError([Problem(f"expected {', '.join(_KINDS)}, equilibrium=N, equilibrium=PROFILE, "
                              f"outcome=PROFILE or payoffs (3,-1); got {text!r}", path="--disagreement")])


def punishment_option(items: Sequence[str]) -> Any:
    """``--punishment limited,keep`` (one profile), or ``--punishment turkey:store,tighten``
    repeated for each player (the profile played after that player deviates)."""
    if not items:
        return None
    per_player = [item for item in items if ":" in item]
    if not per_player:
        if len(items) > 1:
            raise InputError([Problem("give one profile, or one PLAYER:PROFILE per player",
                                      path="--punishment")])
        return profile_option(items[0], "--punishment")
    if len(per_player) != len(items):
        raise InputError([Problem("give one profile, or one PLAYER:PROFILE per player, not both",
                                  path="--punishment")])
    out: dict[str, Any] = {}
    for item in items:
        player, _, profile = item.partition(":")
        out[player.strip()] = profile_option(profile, "--punishment")
    return out
