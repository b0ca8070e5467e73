"""Tipping points of sweeps over game trees, in words: where the subgame-perfect equilibria
change (on the play or off it), and where a threat or promise becomes or stops being
credible.

Both complete the records of :func:`negsim.sweep.tipping.find_tipping_points` (its
``describe`` hook), so they are found, refined and merged exactly as for strategic games.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from negsim.sequential.batch import Profile
from negsim.sweep.tipping import _and, _capital, _where, format_value
from negsim.sweep.tree_table import Response, TreeLabels

__all__ = ["CREDIBLE", "NOT_CREDIBLE", "describe_credibility", "describe_spe"]

CREDIBLE = "credible"
NOT_CREDIBLE = "not credible"


def describe_spe(labels: TreeLabels) -> Callable[[dict, dict], dict]:
    """Completes a tipping point of the subgame-perfect equilibria: ``appeared`` and
    ``disappeared`` (equilibria, as in ``equilibrium_set``), ``moves`` (with one equilibrium
    on each side: every information set whose move changes) and ``sentence``."""

    def describe(record: dict, sets: dict) -> dict:
        before, after = sets.get(record["from"], ()), sets.get(record["to"], ())
        left, right = Counter(before), Counter(after)
        record["appeared"] = [p.label for p in (right - left).elements()]
        record["disappeared"] = [p.label for p in (left - right).elements()]
        record["moves"] = _moves(labels, before, after)
        value = format_value(record["low"], record["high"])
        if record["kind"] == "point":
            record["sentence"] = _point_sentence(record, value, before,
                                                 sets.get(record["through"], ()))
        else:
            record["sentence"] = _change_sentence(labels, record, value, before, after)
        return record

    return describe


def _moves(labels: TreeLabels, before: Sequence[Profile], after: Sequence[Profile]) -> list:
    if len(before) != 1 or len(after) != 1:
        return []
    return [{"player": labels.players[player], "information_set": label,
             "from": before[0].moves[s], "to": after[0].moves[s]}
            for s, (player, label, _moves) in enumerate(labels.infosets)
            if before[0].moves[s] != after[0].moves[s]]


def _move_words(labels: TreeLabels, s: int, move: str) -> str:
    """A move by its name; a mixed move (``b+s``) as "a mix of B and S"."""
    moves = labels.infosets[s][2]
    if move in moves:
        return labels.move_names[s][moves.index(move)]
    names = [labels.move_names[s][moves.index(m)] if m in moves else m for m in move.split("+")]
    return "a mix of " + _and(names)


def _change_sentence(labels: TreeLabels, record: dict, value: str,
                     before: Sequence[Profile], after: Sequence[Profile]) -> str:
    where = _where(record["parameter"], value, record["line"], not record["refined"])
    if len(before) == 1 and len(after) == 1:
        parts = [f"{labels.infoset_words[s]} moves from "
                 f"{_move_words(labels, s, before[0].moves[s])} to "
                 f"{_move_words(labels, s, after[0].moves[s])}"
                 for s in range(len(labels.infosets)) if before[0].moves[s] != after[0].moves[s]]
        if parts:
            return _capital(f"{_and(parts)} {where}.")
        # The same moves, with another play: a type's prior probability reached 0 or 1.
        return (f"{_capital(where)}, the play changes from {before[0].path} to "
                f"{after[0].path}.")
    left, right = Counter(before), Counter(after)
    appeared = list((right - left).elements())
    gone = list((left - right).elements())
    kept = list((left & right).elements())
    if appeared and not gone:
        verb = "becomes a subgame-perfect equilibrium" if len(appeared) == 1 else \
            "become subgame-perfect equilibria"
        return f"{_capital(where)}, {_words(appeared)} {verb} too, beside {_words(kept)}."
    if gone and not appeared:
        verb = "stops being a subgame-perfect equilibrium" if len(gone) == 1 else \
            "stop being subgame-perfect equilibria"
        remain = "remains" if len(kept) == 1 else "remain"
        return f"{_capital(where)}, {_words(gone)} {verb}; {_words(kept)} {remain}."
    return (f"{_capital(where)}, the subgame-perfect equilibria change from {_words(before)} "
            f"to {_words(after)}.")


def _words(profiles: Sequence[Profile]) -> str:
    return _and([p.label for p in profiles]) if profiles else "none"


def _point_sentence(record: dict, value: str, around: Sequence[Profile],
                    at: Sequence[Profile]) -> str:
    where = f"At {record['parameter']} = {value} exactly"
    if record["line"]:
        where += " (with " + ", ".join(f"{k} = {v:g}" for k, v in record["line"].items()) + ")"
    extra = list((Counter(at) - Counter(around)).elements())
    if extra and not (Counter(around) - Counter(at)):
        verb = "is also a subgame-perfect equilibrium" if len(extra) == 1 else \
            "are also subgame-perfect equilibria"
        return f"{where}, {_words(extra)} {verb} (on both sides: {_words(around)})."
    return (f"{where}, the subgame-perfect equilibria are {_words(at)} (on both sides: "
            f"{_words(around)}).")


def describe_credibility(response: Response) -> Callable[[dict, dict], dict]:
    """Completes a tipping point of a response's credibility: ``response``, ``column`` and
    ``sentence`` ("United States: sanction after full stops being credible when alliance_cost
    rises past 6.")."""

    def describe(record: dict, _sets: dict) -> dict:
        value = format_value(record["low"], record["high"])
        record["response"] = response.description
        record["column"] = response.column
        if record["kind"] == "point":
            where = f"At {record['parameter']} = {value} exactly"
            if record["line"]:
                where += " (with " + ", ".join(f"{k} = {v:g}" for k, v in
                                               record["line"].items()) + ")"
            state = "credible" if record["through"] == CREDIBLE else "not credible"
            record["sentence"] = (f"{where}, {response.description} is {state} (on both "
                                  f"sides: {record['from']}).")
        else:
            verb = "becomes credible" if record["to"] == CREDIBLE else "stops being credible"
            where = _where(record["parameter"], value, record["line"], not record["refined"])
            record["sentence"] = f"{response.description} {verb} {where}."
        return record

    return describe
