"""Finitely repeated games: unravelling, and what several stage equilibria make possible.

With a unique stage equilibrium, the subgame-perfect equilibrium of the game repeated a known,
finite number of times plays that equilibrium in every round: in the last round nothing comes
after, so only the stage equilibrium can be played; then the round before is effectively the
last, and so on back to the first (backward induction).

With several stage equilibria that some player ranks differently, the last rounds can reward
cooperation (a good equilibrium) or punish a deviation (a bad one), so an outcome that is not a
stage equilibrium can be played in the early rounds (Benoit and Krishna 1985). For a named
cooperative outcome, :func:`finite_repetition` counts how many final rounds of the reward
equilibrium are needed without discounting: for each player,
``k * (reward_i - punishment_i) >= d_i - u_i`` (the gain from deviating in the last cooperative
round must not exceed what the switch to its worst equilibrium costs it afterwards). Deviating
earlier costs more as long as cooperating is worth at least the punishment to each player.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negsim.bargaining.numeric import fmt, json_number
from negsim.game import Game
from negsim.repeated.trigger import best_deviation, check_profile, equilibrium_payoffs, stage_equilibria
from negsim.solve import Solution
from negsim.solve.verify import exact_payoffs_of

__all__ = ["FiniteRepetition", "finite_repetition"]


@dataclass(frozen=True)
class FiniteRepetition:
    """``unique``: the stage game has exactly one equilibrium (and the search was complete);
    ``final_rounds``: for the cooperative outcome, the number of final rounds of ``reward`` that
    sustain it in the earlier rounds (``None`` when it cannot be done this way)."""

    unique: bool
    complete: bool
    equilibria: tuple[str, ...]
    text: str
    cooperation: str | None = None
    final_rounds: int | None = None
    reward: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unique": self.unique,
            "complete": self.complete,
            "equilibria": list(self.equilibria),
            "cooperation": self.cooperation,
            "final_rounds": None if self.final_rounds is None else json_number(self.final_rounds),
            "reward": self.reward,
            "text": self.text,
        }


def finite_repetition(game: Game, cooperation: Sequence[int] | None = None, *,
                      rounds: int | None = None, equilibria: Solution | None = None) -> FiniteRepetition:
    """What finite repetition allows; ``cooperation`` optionally names the outcome to sustain."""
    solution = equilibria if equilibria is not None else stage_equilibria(game)
    eq = equilibrium_payoffs(solution)
    labels = tuple(label for _, label in eq)
    n = game.n_players
    horizon = f"{rounds} times" if rounds else "a known, finite number of times"
    coop_label = None
    if cooperation is not None:
        prof = check_profile(game, cooperation, "cooperation")
        coop_label = game.profile_label(prof)
    if len(eq) == 1 and solution.complete and not solution.degenerate:
        (e, label), = eq
        text = (f"The stage game has a unique equilibrium, {label}. Repeated {horizon}, the only "
                f"subgame-perfect equilibrium plays {label} in every round: in the last round nothing "
                "comes after, so only the stage equilibrium can be played; knowing that, the round before "
                "is effectively the last, and so on back to the first round (unravelling).")
        if coop_label is not None and coop_label != label:
            text += f" Cooperation ({coop_label}) cannot be sustained in any round."
        return FiniteRepetition(True, True, labels, text, coop_label)
    if not eq:
        return FiniteRepetition(False, solution.complete, labels, "No stage equilibrium was found.",
                                coop_label)
    distinct = {values for values, _ in eq}
    if len(distinct) == 1:
        text = (f"The stage game has several equilibria ({', '.join(labels)}) but every player gets the same "
                "from each, so they can neither reward nor punish: as with a unique equilibrium, only stage "
                "equilibria are played in the subgame-perfect equilibria of the finitely repeated game.")
        return FiniteRepetition(False, solution.complete, labels, text, coop_label)
    text = (f"The stage game has several equilibria ({', '.join(labels)}) that the players rank differently, "
            "so the last rounds can reward cooperation or punish a deviation: an outcome that is not a stage "
            "equilibrium can be played in the early rounds (Benoit and Krishna 1985).")
    if coop_label is None:
        return FiniteRepetition(False, solution.complete, labels, text)
    payoffs = exact_payoffs_of(game)
    u = [payoffs[(i, *prof)] for i in range(n)]
    gains = [max(best_deviation(payoffs, prof, i)[0] - u[i], Fraction(0)) for i in range(n)]
    worst = [min(values[i] for values, _ in eq) for i in range(n)]
    best_k: int | None = None
    best_reward: str | None = None
    for values, label in eq:
        k = 0
        ok = True
        for i in range(n):
            if gains[i] == 0:
                continue
            loss = values[i] - worst[i]
            if loss <= 0 or u[i] < worst[i]:
                ok = False
                break
            k = max(k, math.ceil(gains[i] / loss))
        if ok and (best_k is None or k < best_k):
            best_k, best_reward = k, label
    if best_k is None:
        text += (f" For {coop_label} this does not work: some player either cannot be punished by switching "
                 "equilibria or prefers the punishment to cooperating.")
    elif best_k == 0:
        text += f" {coop_label} is itself a stage equilibrium."
    else:
        deficit = ", ".join(f"{game.player_names[i]} gains {fmt(gains[i])}" for i in range(n) if gains[i])
        text += (f" For {coop_label}: play it in every round but the last {best_k}, then {best_reward}; a "
                 "deviation switches the remaining rounds to the equilibrium worst for the deviator. "
                 f"Deviating in the last cooperative round ({deficit}) does not pay without discounting.")
    return FiniteRepetition(False, solution.complete, labels, text, coop_label, best_k, best_reward)
