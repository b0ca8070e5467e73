"""Tipping points: where the equilibrium set changes along a line of the sweep, refined by
bisection and said in words.

Along every line (each grid axis at every combination of the other axes' values, each
one-at-a-time range) neighbouring points whose ``equilibrium_set`` differ bracket a change.
Each bracket is halved until it is narrower than ``rel_tol`` times the parameter's declared
range (its max - min; the line's span when the scenario gives no range); all brackets are
halved together, one batch of single-point solves per step. A midpoint whose set matches
neither end means more than one change inside the bracket: it is split in two and both halves
are refined. Two changes that meet at one value (a set that holds only at exactly that value,
typically where two equilibria tie) are merged into one tipping point that records that set as
``through``; if the set on both sides is the same, the tipping point is a ``point`` event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from negsim.sweep.points import Line, PointSet
from negsim.sweep.table import Labels

__all__ = ["REL_TOL", "describe_change", "find_tipping_points", "format_value"]

#: Tipping points are located to this fraction of the parameter's range.
REL_TOL = 1e-6
#: Most brackets refined in one sweep; beyond this, changes are reported unrefined.
MAX_BRACKETS = 200_000
#: Most bisection steps (each halves every open bracket).
MAX_STEPS = 200

Outcome = tuple[tuple[int, ...], ...]
Refine = Callable[[Mapping[str, np.ndarray]], tuple[np.ndarray, dict]]
Describe = Callable[[dict, dict], dict]


@dataclass
class _Bracket:
    line: int
    parameter: str
    fixed: Mapping[str, float]
    base: np.ndarray  # every parameter's value on the line (the moving one aside)
    low: float
    high: float
    low_set: str
    high_set: str
    tol: float
    refined: bool = True
    through: str | None = None


def find_tipping_points(
    points: PointSet,
    point_sets: np.ndarray,
    sets: dict[str, tuple],
    refine: Refine,
    labels: Labels | None,
    bounds: Mapping[str, tuple[float | None, float | None]],
    *,
    rel_tol: float = REL_TOL,
    describe: Describe | None = None,
) -> list[dict]:
    """Every tipping point of a grid or one-at-a-time sweep, as JSON-ready records.

    ``point_sets[k]`` is the equilibrium-set label of point ``k``; ``sets`` maps each label to
    its equilibria (supports); ``refine(values)`` returns the set labels (and their equilibria)
    at new points, given every parameter's values. ``describe(record, sets)``, when given,
    completes each record (its keys up to ``through``) in place of the words for equilibria
    of a strategic game: what game trees and credibility sweeps use, with their own labels.
    """
    sets = dict(sets)
    brackets = _brackets(points, point_sets, bounds, rel_tol)
    _bisect(brackets, points.parameters, refine, sets)
    merged = _merge(brackets)
    if describe is not None:
        return [describe(_common(b), sets) for b in merged]
    assert labels is not None, "a sweep's own tipping points are described from its labels"
    return [_record(b, labels, sets) for b in merged]


def _brackets(
    points: PointSet,
    point_sets: np.ndarray,
    bounds: Mapping[str, tuple[float | None, float | None]],
    rel_tol: float,
) -> list[_Bracket]:
    found: list[tuple[int, Line, int, int]] = []
    for number, line in enumerate(points.lines()):
        labels = point_sets[line.points]
        for k in np.flatnonzero(labels[1:] != labels[:-1]):
            found.append((number, line, int(line.points[k]), int(line.points[k + 1])))
    if not found:
        return []
    low_values = points.columns_at(np.array([f[2] for f in found]))
    high_values = points.columns_at(np.array([f[3] for f in found]))
    base = np.stack([low_values[p] for p in points.parameters], axis=1)
    brackets = []
    for b, (number, line, a, c) in enumerate(found):
        name = line.parameter
        span = _span(bounds.get(name, (None, None)), points, name)
        brackets.append(
            _Bracket(
                number,
                name,
                line.fixed,
                base[b],
                float(low_values[name][b]),
                float(high_values[name][b]),
                str(point_sets[a]),
                str(point_sets[c]),
                rel_tol * span,
                refined=len(found) <= MAX_BRACKETS,
            )
        )
    return brackets


def _span(bounds: tuple, points: PointSet, name: str) -> float:
    low, high = bounds
    if low is not None and high is not None and high > low:
        return float(high - low)
    axis = points.axes[points.swept.index(name)]
    return float(axis[-1] - axis[0]) or 1.0


def _bisect(brackets: list[_Bracket], parameters: Sequence[str], refine: Refine, sets: dict) -> None:
    column = {name: j for j, name in enumerate(parameters)}
    for _step in range(MAX_STEPS):
        open_ = [b for b in brackets if b.refined and b.high - b.low > b.tol]
        if not open_:
            return
        mids = np.array([(b.low + b.high) / 2 for b in open_])
        values = np.stack([b.base for b in open_])
        for k, b in enumerate(open_):
            values[k, column[b.parameter]] = mids[k]
        found, new_sets = refine({name: values[:, j] for name, j in column.items()})
        sets.update(new_sets)
        for b, mid, label in zip(open_, mids.tolist(), found.tolist()):
            if label == b.low_set:
                b.low = mid
            elif label == b.high_set:
                b.high = mid
            elif len(brackets) < MAX_BRACKETS:
                # A third set inside: two changes at least; follow both.
                brackets.append(
                    _Bracket(b.line, b.parameter, b.fixed, b.base, mid, b.high, label, b.high_set, b.tol)
                )
                b.high, b.high_set = mid, label
            else:
                b.refined = False


def _merge(brackets: list[_Bracket]) -> list[_Bracket]:
    """Join changes that meet at one value: L -> M at v and M -> R at v is L -> R through M."""
    brackets = sorted(brackets, key=lambda b: (b.line, b.low))
    merged: list[_Bracket] = []
    for b in brackets:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.line == b.line
            and last.refined
            and b.refined
            and last.high_set == b.low_set
            and b.low - last.high <= b.tol
        ):
            last.through = last.high_set
            last.high, last.high_set = b.high, b.high_set
            continue
        merged.append(b)
    return merged


# -- records and words ---------------------------------------------------------------------------


def format_value(low: float, high: float) -> str:
    """The shortest decimal number between ``low`` and ``high`` (a tipping point's final
    bracket): 3.33333 for 10/3 to 1e-5, and 2 rather than 1.999998 when 2 is inside."""
    if high < low:
        low, high = high, low
    middle = (low + high) / 2
    slack = 1e-12 * max(1.0, abs(low), abs(high))
    for decimals in range(0, 16):
        # The d-decimal number nearest the middle is in the bracket if any d-decimal number is.
        candidate = round(middle, decimals)
        if low - slack <= candidate <= high + slack:
            text = f"{candidate:.{decimals}f}"
            return "0" if float(text) == 0 else text
    return repr(middle)


def _common(b: _Bracket) -> dict:
    """A tipping point's keys that do not depend on what the sets hold."""
    return {
        "parameter": b.parameter,
        # The shortest decimal inside the final bracket: what the sentence says and figures show.
        "value": float(format_value(b.low, b.high)),
        "low": b.low,
        "high": b.high,
        "tolerance": b.tol,
        "refined": b.refined,
        "line": dict(b.fixed),
        "kind": "point" if b.low_set == b.high_set else "change",
        "from": b.low_set,
        "to": b.high_set,
        "through": b.through,
    }


def _record(b: _Bracket, labels: Labels, sets: dict) -> dict:
    before, after = sets.get(b.low_set, ()), sets.get(b.high_set, ())
    record = _common(b)
    kind = record["kind"]
    text_value = format_value(b.low, b.high)
    left, right = Counter(before), Counter(after)
    record.update(
        {
            "appeared": [labels.outcome_label(o) for o in (right - left).elements()],
            "disappeared": [labels.outcome_label(o) for o in (left - right).elements()],
            "players": _player_moves(labels, before, after),
            "sentence": "",
        }
    )
    if kind == "point":
        record["sentence"] = _point_sentence(labels, b, text_value, before, sets.get(b.through, ()))
    else:
        record["sentence"] = describe_change(
            labels, b.parameter, text_value, before, after, fixed=b.fixed, approximate=not b.refined
        )
    return record


def _player_moves(labels: Labels, before: Sequence[Outcome], after: Sequence[Outcome]) -> dict:
    """With one equilibrium on each side: each player's strategy before and after."""
    if len(before) != 1 or len(after) != 1:
        return {}
    return {
        labels.players[i]: {
            "from": "+".join(labels.strategies[i][k] for k in a),
            "to": "+".join(labels.strategies[i][k] for k in b),
        }
        for i, (a, b) in enumerate(zip(before[0], after[0]))
        if a != b
    }


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _strategy_words(labels: Labels, player: int, support: Sequence[int]) -> str:
    names = [labels.strategy_names[player][k] for k in support]
    return names[0] if len(names) == 1 else "a mix of " + _and(names)


def _outcome_words(labels: Labels, outcome: Outcome) -> str:
    """``limited / keep (Limited activation / Keep current sanctions)``; ids alone when the
    names are the ids."""
    ids = labels.outcome_label(outcome)
    words = " / ".join(_strategy_words(labels, i, s) for i, s in enumerate(outcome))
    return ids if words == ids else f"{ids} ({words})"


def _set_words(labels: Labels, outcomes: Sequence[Outcome]) -> str:
    if not outcomes:
        return "no equilibrium"
    return _and([_outcome_words(labels, o) for o in outcomes])


def _where(parameter: str, value: str, fixed: Mapping[str, float], approximate: bool) -> str:
    text = f"when {parameter} rises past {'about ' if approximate else ''}{value}"
    if fixed:
        text += " (with " + ", ".join(f"{k} = {v:g}" for k, v in fixed.items()) + ")"
    return text


def describe_change(
    labels: Labels,
    parameter: str,
    value: str,
    before: Sequence[Outcome],
    after: Sequence[Outcome],
    *,
    fixed: Mapping[str, float] | None = None,
    approximate: bool = False,
) -> str:
    """The change of equilibria at a tipping point in a sentence, e.g. "Turkey's equilibrium
    strategy moves from Full activation to Limited activation when sanction_cost rises past
    3.724"."""
    where = _where(parameter, value, fixed or {}, approximate)
    left, right = Counter(before), Counter(after)
    if len(before) == 1 and len(after) == 1:
        moves = [(i, a, b) for i, (a, b) in enumerate(zip(before[0], after[0])) if a != b]
        parts = []
        for n, (i, a, b) in enumerate(moves):
            # "Turkey's equilibrium strategy moves from X to Y and the US's from P to Q"
            subject = _possessive(labels.player_names[i])
            subject += " equilibrium strategy moves" if n == 0 else ""
            parts.append(f"{subject} from {_strategy_words(labels, i, a)} to {_strategy_words(labels, i, b)}")
        return _capital(f"{_and(parts)} {where}.")
    appeared = list((right - left).elements())
    gone = list((left - right).elements())
    kept = list((left & right).elements())
    if not before:
        return f"{_capital(where)}, an equilibrium is found: {_set_words(labels, after)}."
    if not after:
        return f"{_capital(where)}, no equilibrium is found (before: {_set_words(labels, before)})."
    if appeared and not gone:
        verb = "becomes an equilibrium" if len(appeared) == 1 else "become equilibria"
        return (
            f"{_capital(where)}, {_set_words(labels, appeared)} {verb} too, beside "
            f"{_set_words(labels, kept)}."
        )
    if gone and not appeared:
        verb = "stops being an equilibrium" if len(gone) == 1 else "stop being equilibria"
        remain = "remains" if len(kept) == 1 else "remain"
        return f"{_capital(where)}, {_set_words(labels, gone)} {verb}; {_set_words(labels, kept)} {remain}."
    return (
        f"{_capital(where)}, the equilibria change from {_set_words(labels, before)} to "
        f"{_set_words(labels, after)}."
    )


def _point_sentence(
    labels: Labels, b: _Bracket, value: str, around: Sequence[Outcome], at: Sequence[Outcome]
) -> str:
    extra = list((Counter(at) - Counter(around)).elements())
    where = f"At {b.parameter} = {value} exactly"
    if b.fixed:
        where += " (with " + ", ".join(f"{k} = {v:g}" for k, v in b.fixed.items()) + ")"
    if extra and not (Counter(around) - Counter(at)):
        verb = "is also an equilibrium" if len(extra) == 1 else "are also equilibria"
        return f"{where}, {_set_words(labels, extra)} {verb} (on both sides: {_set_words(labels, around)})."
    return (
        f"{where}, the equilibria are {_set_words(labels, at)} (on both sides: {_set_words(labels, around)})."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
