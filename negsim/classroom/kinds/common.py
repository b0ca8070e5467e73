"""What every kind of exercise shares: the setting in words, quotes, names of strategies."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from negsim.classroom.articles import article_title
from negsim.classroom.calc import exact_payoffs, fmt
from negsim.classroom.exercises import Exercise, Quote, Setup
from negsim.errors import InputError, Problem
from negsim.game import Game

__all__ = [
    "check_two_players",
    "intro",
    "setting",
    "profile_text",
    "profiles_text",
    "quotes",
    "strategy",
]

#: Most quotes shown above one question: enough for context, short enough to read.
MAX_QUOTES = 2


#: Most strategies per player a worksheet's payoff table shows (and a student can work through).
MAX_STRATEGIES = 8


def check_two_players(game: Game) -> None:
    """A game a worksheet can ask about: two players, no infeasible profiles, a table that fits."""

    if game.n_players == 2 and max(game.shape) > MAX_STRATEGIES:
        raise InputError(
            [
                Problem(
                    f"{game.id or 'this game'} is a {game.shape[0]}x{game.shape[1]} game; worksheets show "
                    f"games with at most {MAX_STRATEGIES} strategies per player",
                    path="SOURCE",
                )
            ]
        )

    if game.n_players != 2:
        raise InputError(
            [
                Problem(
                    f"classroom exercises need a two-player game; {game.id or 'this game'} has "
                    f"{game.n_players} players",
                    path="SOURCE",
                )
            ]
        )
    if game.infeasible is not None:
        raise InputError(
            [
                Problem(
                    f"{game.id or 'this game'} has infeasible profiles, which worksheets do not show yet; "
                    "choose a scenario without them",
                    path="SOURCE",
                )
            ]
        )


def setting(setup: Setup) -> str:
    """The setting shared by a worksheet's exercises: the scenario, and how to read a table."""
    game = setup.game
    reading = (
        f"Both choose at the same time. In each cell the first number is {poss(game.player_names[0])} "
        f"payoff, the second {poss(game.player_names[1])}; higher is better for that player."
    )
    if setup.focus.get("tree") is not None:
        reading = (
            "The players move in turn, each seeing the earlier moves. The table lists every path "
            "through the game with each player's payoff at its end; higher is better for that player."
        )
    scenario = setup.scenario
    if scenario is None:
        return f"Two players, {game.player_names[0]} and {game.player_names[1]}. {reading}"
    description = (scenario.description or "").strip().split("\n\n")[0]
    return f"{scenario.title}. {' '.join(description.split())} {reading}"


def intro(setup: Setup, exclude: Sequence[str] = ()) -> str:
    """What is particular to one exercise: the parameter values of this version of the scenario
    (leaving out those in ``exclude``, e.g. the one a question lets vary)."""
    changed = _changed_values(setup, exclude)
    if changed:
        return "In this version of the scenario: " + ", ".join(changed) + "."
    return ""


def _changed_values(setup: Setup, exclude: Sequence[str] = ()) -> list[str]:
    if setup.parametric is None:
        return []
    defaults = setup.parametric.defaults
    return [
        f"{name} = {_number(value)}"
        for name, value in setup.values.items()
        if name in defaults and abs(value - defaults[name]) > 1e-12 and name not in exclude
    ]


def _number(value: float) -> str:
    return f"{value:g}"


def quotes(setup: Setup, strategies: Iterable[tuple[int, int]] = ()) -> tuple[Quote, ...]:
    """Passages from the articles: those behind the strategies a question is about, first."""
    scenario = setup.scenario
    if scenario is None:
        return ()
    found: list[Quote] = []
    game = setup.game
    for i, k in strategies:
        player = scenario.players.get(game.players[i])
        # (an option-form scenario's players have options, not strategies)
        entry = getattr(player, "strategies", {}).get(game.strategies[i][k]) if player else None
        source = entry.source if entry else None
        if source is not None and source.quote:
            _add(found, Quote(source.quote.strip(), article_title(source.file)))
    for source in scenario.sources:
        if source.quote:
            _add(found, Quote(source.quote.strip(), article_title(source.file)))
    return tuple(found[:MAX_QUOTES])


def _add(found: list[Quote], quote: Quote) -> None:
    if all(q.text != quote.text for q in found):
        found.append(quote)


def strategy(game: Game, player: int, k: int) -> str:
    """A strategy as a sentence names it: its identifier, the word used in answer files."""
    return game.strategies[player][k]


def profile_text(game: Game, profile: Sequence[int]) -> str:
    """``(limited, keep)``."""
    return "(" + ", ".join(game.strategies[i][k] for i, k in enumerate(profile)) + ")"


def profiles_text(game: Game, profiles: Sequence[Sequence[int]]) -> str:
    if not profiles:
        return "none"
    return ", ".join(profile_text(game, p) for p in profiles)


def and_join(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def profile_answer(game: Game, profile: Sequence[int]) -> list[str]:
    """A profile in answer notation: ``[limited, keep]``."""
    return [game.strategies[i][k] for i, k in enumerate(profile)]


def deviation(game: Game, profile: Sequence[int]) -> tuple[int, int] | None:
    """The first player who gains by switching, and the best strategy to switch to."""

    exact = exact_payoffs(game)
    for i in range(game.n_players):
        options = []
        for k in range(game.shape[i]):
            p = list(profile)
            p[i] = k
            options.append(exact[(i, *p)])
        best = max(range(len(options)), key=lambda k: (options[k], -k))
        if options[best] > options[profile[i]]:
            return i, best
    return None


def why_not_equilibrium(game: Game, profile: Sequence[int]) -> str:
    """``"(full, tighten) is not an equilibrium: Turkey would switch to limited (6.5 instead of 4)"``."""

    found = deviation(game, profile)
    if found is None:
        return f"{profile_text(game, profile)} is an equilibrium"
    i, k = found
    exact = exact_payoffs(game)
    moved = list(profile)
    moved[i] = k
    return (
        f"{profile_text(game, profile)} is not an equilibrium: {game.player_names[i]} would switch to "
        f"{game.strategies[i][k]} ({fmt(exact[(i, *moved)])} instead of {fmt(exact[(i, *profile)])})."
    )


def poss(name: str) -> str:
    """``Turkey's``, ``United States'``."""
    return name + ("'" if name.endswith("s") else "'s")


def make_exercise(setup: Setup, kind: str, title: str,
                  example: Callable[[Exercise, Sequence[Exercise]], str], *,
                  exclude: Sequence[str] = (), **fields: Any) -> Exercise:
    """An exercise of ``kind`` about ``setup``: its intro (leaving out the parameters in
    ``exclude``, which the question is about), its setting, and ``fields``; its answer format
    is ``example(exercise, [exercise])``, an example that is not the exercise's own answer."""
    exercise = Exercise(kind=kind, difficulty=setup.difficulty, title=title,
                        intro=intro(setup, exclude=exclude), setting=setting(setup),
                        answer_format="", **fields)
    return replace(exercise, answer_format=example(exercise, [exercise]))
