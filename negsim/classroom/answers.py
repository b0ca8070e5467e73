"""The answer notation: reading what a student wrote into indices and fractions.

Answers are small YAML values (see ``docs/how-to/grading.md``): strategies by their short
names (``store``), profiles as lists (``[store, waive]``), mixed strategies as mappings
(``{store: 1/3, limited: 2/3}``), numbers as integers, decimals or fractions. Every reader
here raises :class:`AnswerError` with the path inside the answer, so the grader can point at
the line of the answer file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from negsim.classroom.calc import parse_number
from negsim.errors import did_you_mean
from negsim.game import Game
from negsim.numbers import format_fraction

__all__ = [
    "AnswerError",
    "Grade",
    "number",
    "parse_mix",
    "parse_player",
    "parse_profile",
    "parse_profiles",
    "parse_strategy",
    "parse_strategy_list",
]

#: A decimal answer is right when it is this close to the exact value (two decimals suffice).
DECIMAL_TOLERANCE = Fraction(1, 200)


class AnswerError(Exception):
    """An answer that cannot be read; ``path`` locates the bad part inside the answer."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)


@dataclass
class Grade:
    """The result of grading one answer: a score from 0 to 1, feedback, mistakes by name.

    ``mistakes`` are short phrases counted across the class ("missed the mixed equilibrium").
    """

    score: Fraction
    feedback: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)


def number(raw: object, path: Sequence[str | int] = (), what: str = "a number") -> Fraction:
    value = parse_number(raw)
    if value is None:
        raise AnswerError(f"expected {what} (like 3, 2.5 or 1/3), got {_show(raw)}", path)
    return value


def close_enough(given: Fraction, exact: Fraction, raw: object) -> bool:
    """Exact for fractions and integers; within :data:`DECIMAL_TOLERANCE` for decimals."""
    if given == exact:
        return True
    return _is_decimal(raw) and abs(given - exact) <= DECIMAL_TOLERANCE


def _is_decimal(raw: object) -> bool:
    return isinstance(raw, float) or (isinstance(raw, str) and "." in raw and "/" not in raw)


def _show(raw: object) -> str:
    text = repr(raw) if isinstance(raw, str) else str(raw)
    if isinstance(raw, dict):
        text = "a mapping"
    elif isinstance(raw, list):
        text = "a list"
    elif raw is None:
        text = "nothing"
    return text if len(text) <= 60 else text[:57] + "..."


def parse_player(game: Game, raw: object, path: Sequence[str | int] = ()) -> int:
    if not isinstance(raw, str):
        raise AnswerError(f"expected a player ({', '.join(game.players)}), got {_show(raw)}", path)
    lowered = {p.lower(): i for i, p in enumerate(game.players)}
    index = lowered.get(raw.strip().lower())
    if index is None:
        raise AnswerError(f"unknown player {raw!r}{did_you_mean(raw, list(game.players))}", path)
    return index


def parse_strategy(game: Game, player: int, raw: object, path: Sequence[str | int] = ()) -> int:
    strategies = game.strategies[player]
    if not isinstance(raw, str):
        raise AnswerError(
            f"expected a strategy of {game.players[player]} ({', '.join(strategies)}), got {_show(raw)}", path
        )
    lowered = {s.lower(): k for k, s in enumerate(strategies)}
    index = lowered.get(raw.strip().lower())
    if index is None:
        raise AnswerError(
            f"unknown strategy {raw!r} for {game.players[player]}{did_you_mean(raw, list(strategies))}", path
        )
    return index


def parse_strategy_list(game: Game, player: int, raw: object, path: Sequence[str | int] = ()) -> set[int]:
    """One strategy, or a list of them."""
    if isinstance(raw, str):
        return {parse_strategy(game, player, raw, path)}
    if not isinstance(raw, list):
        raise AnswerError(f"expected a list of strategies of {game.players[player]}, got {_show(raw)}", path)
    return {parse_strategy(game, player, item, (*path, k)) for k, item in enumerate(raw)}


def parse_profile(game: Game, raw: object, path: Sequence[str | int] = ()) -> tuple[int, ...]:
    """``[store, waive]`` (one strategy per player, in player order) or ``{turkey: store, us: waive}``."""
    n = game.n_players
    if isinstance(raw, dict):
        chosen: dict[int, int] = {}
        for key, value in raw.items():
            i = parse_player(game, key, (*path, key))
            chosen[i] = parse_strategy(game, i, value, (*path, key))
        missing = [game.players[i] for i in range(n) if i not in chosen]
        if missing:
            raise AnswerError(f"the profile gives no strategy for {', '.join(missing)}", path)
        return tuple(chosen[i] for i in range(n))
    if not isinstance(raw, list) or len(raw) != n:
        example = "[" + ", ".join(s[0] for s in game.strategies) + "]"
        raise AnswerError(
            f"expected a profile: {n} strategies in the order {', '.join(game.players)}, "
            f"e.g. {example}; got {_show(raw)}",
            path,
        )
    return tuple(parse_strategy(game, i, item, (*path, i)) for i, item in enumerate(raw))


def parse_profiles(game: Game, raw: object, path: Sequence[str | int] = ()) -> list[tuple[int, ...]]:
    """A list of profiles; ``[]`` or ``none`` for none; one bare profile is accepted too."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("none", "")):
        return []
    if not isinstance(raw, list):
        raise AnswerError(
            f"expected a list of profiles, e.g. [[{', '.join(s[0] for s in game.strategies)}]], "
            f"got {_show(raw)}",
            path,
        )
    if raw and all(isinstance(item, str) for item in raw):
        return [parse_profile(game, raw, path)]
    return [parse_profile(game, item, (*path, k)) for k, item in enumerate(raw)]


def parse_mix(
    game: Game, player: int, raw: object, path: Sequence[str | int] = ()
) -> tuple[tuple[Fraction, ...], tuple[object, ...]]:
    """A mixed strategy: ``{store: 1/3, limited: 2/3}`` or one strategy name (played for sure).

    Returns the probabilities (in strategy order) and what was written for each, so decimals
    can be compared with a tolerance.
    """
    m = len(game.strategies[player])
    if isinstance(raw, str):
        k = parse_strategy(game, player, raw, path)
        probs = [Fraction(0)] * m
        probs[k] = Fraction(1)
        return tuple(probs), tuple(1 if j == k else 0 for j in range(m))
    if not isinstance(raw, dict) or not raw:
        raise AnswerError(
            f"expected a mixed strategy of {game.players[player]} such as "
            f"{{{game.strategies[player][0]}: 1/2, {game.strategies[player][-1]}: 1/2}}, got {_show(raw)}",
            path,
        )
    probs = [Fraction(0)] * m
    written: list[object] = [0] * m
    for key, value in raw.items():
        k = parse_strategy(game, player, key, (*path, key))
        p = number(value, (*path, key), "a probability")
        if not 0 <= p <= 1:
            raise AnswerError(f"a probability must be between 0 and 1, got {_show(value)}", (*path, key))
        probs[k] = p
        written[k] = value
    total = sum(probs)
    decimals = any(_is_decimal(w) for w in written)
    if total != 1 and not (decimals and abs(total - 1) <= DECIMAL_TOLERANCE * m):
        raise AnswerError(f"the probabilities add up to {format_fraction(total)}, not 1", path)
    return tuple(probs), tuple(written)


