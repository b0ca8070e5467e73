"""Stability of each state for each decision maker, every verdict with its witness.

Notation (Fang, Hipel and Kilgour 1993, *Interactive Decision Making: The Graph Model for
Conflict Resolution*, ch. 3-4): ``N`` the decision makers, ``R_i(s)`` the states that ``i``
reaches from ``s`` in one move, ``R_i^+(s)`` its unilateral improvements (strictly preferred by
``i``), ``R_H(s)`` and ``R_H^+(s)`` the states reached by legal sequences of moves (of
improvements) of the coalition ``H`` (:func:`negsim.conflict.reach.reach`); ``s ⪰_i x`` means
``i`` does not prefer ``x`` to ``s``. A state ``s`` is, for decision maker ``i``:

- **Nash stable (R)** if ``R_i^+(s)`` is empty.
- **GMR** (general metarationality) if for every ``s1`` in ``R_i^+(s)`` some ``s2`` in
  ``R_{N-i}(s1)`` has ``s ⪰_i s2``: the others can punish every improvement, even by moves that
  hurt themselves.
- **SMR** (symmetric metarationality) if for every ``s1`` in ``R_i^+(s)`` some ``s2`` in
  ``R_{N-i}(s1)`` has ``s ⪰_i s2`` and ``s ⪰_i s3`` for every ``s3`` in ``R_i(s2)``: ``i`` cannot
  escape the punishment by a further move.
- **SEQ** (sequential stability) if for every ``s1`` in ``R_i^+(s)`` some ``s2`` in
  ``R_{N-i}^+(s1)`` has ``s ⪰_i s2``: the punishment is credible, every counter-move being an
  improvement for the one who makes it.
- **SIM** (simultaneous sanctioning, Fraser and Hipel 1984) if for every ``s1`` in ``R_i^+(s)``,
  one or more of the other decision makers, each making one of its unilateral improvements from
  ``s`` at the same moment, give a feasible joint state ``s2`` with ``s ⪰_i s2``.
- **X+SIM** (``GMR+SIM``, ``SMR+SIM``, ``SEQ+SIM``): every improvement of ``i`` is deterred by an
  X sanction or by a simultaneous one (the Fraser-Hipel reading: each improvement needs some
  deterrent; gmcr-py's ``SEQ+SIM`` instead asks for SEQ or SIM stability of the whole state, which
  is never more and can be less).

A state stable for every decision maker under a concept is an *equilibrium* under it. Nash
stability implies the others; SMR and SEQ each imply GMR (checked by the property tests).

Every :class:`Verdict` carries its witness: an unstable state the improvement that no sanction
deters; a stable state, for each improvement, the sanction (the counter-moves and the state they
lead to) that deters it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product

from negsim.conflict.model import Conflict
from negsim.conflict.reach import Move, describe_move, reach

__all__ = [
    "BASIC_CONCEPTS",
    "CONCEPTS",
    "CONCEPT_NAMES",
    "Deterrence",
    "Sanction",
    "StabilityAnalysis",
    "Verdict",
    "analyze",
    "explain",
    "stability",
]

BASIC_CONCEPTS = ("R", "GMR", "SMR", "SEQ", "SIM")
CONCEPTS = (*BASIC_CONCEPTS, "GMR+SIM", "SMR+SIM", "SEQ+SIM")
CONCEPT_NAMES = {
    "R": "Nash stability",
    "GMR": "general metarationality",
    "SMR": "symmetric metarationality",
    "SEQ": "sequential stability",
    "SIM": "simultaneous sanctioning",
    "GMR+SIM": "GMR or simultaneous sanctioning",
    "SMR+SIM": "SMR or simultaneous sanctioning",
    "SEQ+SIM": "SEQ or simultaneous sanctioning",
}


@dataclass(frozen=True)
class Sanction:
    """Counter-moves that leave the improver no better off than where it started.

    ``simultaneous`` sanctions are moves made from the original state at the same time as the
    improvement; the others are a sequence of moves starting from the improved state.
    """

    moves: tuple[Move, ...]
    result: int
    simultaneous: bool = False
    kind: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "moves": [m.to_dict() for m in self.moves],
            "result": self.result,
            "simultaneous": self.simultaneous,
        }


@dataclass(frozen=True)
class Deterrence:
    """A unilateral improvement and the sanction that deters it."""

    improvement: Move
    sanction: Sanction

    def to_dict(self) -> dict[str, object]:
        return {"improvement": self.improvement.to_dict(), "sanction": self.sanction.to_dict()}


@dataclass(frozen=True)
class Verdict:
    """Is ``state`` stable for ``dm`` under ``concept``, and why."""

    concept: str
    dm: str
    state: int
    stable: bool
    deterred: tuple[Deterrence, ...] = ()
    breaking: Move | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "concept": self.concept,
            "dm": self.dm,
            "state": self.state,
            "stable": self.stable,
            "deterred": [d.to_dict() for d in self.deterred],
            "breaking": self.breaking.to_dict() if self.breaking else None,
        }


def _others(conflict: Conflict, dm: str) -> list[str]:
    return [d for d in conflict.dm_ids if d != dm]


def _not_better(conflict: Conflict, dm: str, start: int, x: int) -> bool:
    return not conflict.prefers(dm, x, start)


_Cache = dict[tuple[str, int, bool], dict[int, tuple[Move, ...]]]


def _sequential(
    conflict: Conflict, dm: str, state: int, s1: int, kind: str, cache: _Cache
) -> Sanction | None:
    improving = kind == "SEQ"
    key = (dm, s1, improving)
    if key not in cache:
        cache[key] = reach(conflict, _others(conflict, dm), s1, improving=improving)
    for s2, path in cache[key].items():
        if not _not_better(conflict, dm, state, s2):
            continue
        if kind == "SMR" and any(conflict.prefers(dm, s3, state) for s3 in conflict.moves(dm, s2)):
            continue
        return Sanction(path, s2, False, kind)
    return None


def _simultaneous(conflict: Conflict, dm: str, state: int, s1: int) -> Sanction | None:
    others = _others(conflict, dm)
    for size in range(1, len(others) + 1):
        for group in combinations(others, size):
            choices = [conflict.improvements(j, state) for j in group]
            for targets in product(*choices):
                joint = s1
                for j, t in zip(group, targets):
                    mask = conflict.masks[conflict.dm_index(j)]
                    joint = (joint & ~mask) | (t & mask)
                if joint in conflict.index and _not_better(conflict, dm, state, joint):
                    moves = tuple(Move(j, state, t) for j, t in zip(group, targets))
                    return Sanction(moves, joint, True, "SIM")
    return None


def stability(
    conflict: Conflict, concept: str, dm: str | int, state: int, cache: _Cache | None = None
) -> Verdict:
    """The verdict, with its witness, for one concept, decision maker and state (``cache`` keeps
    the others' reachable states between calls on the same conflict)."""
    cache = {} if cache is None else cache
    if concept not in CONCEPTS:
        raise ValueError(f"unknown stability concept {concept!r}; expected one of {', '.join(CONCEPTS)}")
    dm_id = conflict.dm_ids[conflict.dm_index(dm)]
    deterred: list[Deterrence] = []
    for s1 in conflict.improvements(dm_id, state):
        move = Move(dm_id, state, s1)
        sanction: Sanction | None = None
        base = concept.split("+")[0]
        if base in ("GMR", "SMR", "SEQ"):
            sanction = _sequential(conflict, dm_id, state, s1, base, cache)
        if sanction is None and concept.endswith("SIM"):
            sanction = _simultaneous(conflict, dm_id, state, s1)
        if sanction is None:
            return Verdict(concept, dm_id, state, False, tuple(deterred), move)
        deterred.append(Deterrence(move, sanction))
    return Verdict(concept, dm_id, state, True, tuple(deterred))


@dataclass(frozen=True, eq=False)
class StabilityAnalysis:
    """Every verdict for the chosen concepts, decision makers and states."""

    conflict: Conflict
    concepts: tuple[str, ...]
    verdicts: dict[tuple[str, str, int], Verdict] = field(repr=False)

    def verdict(self, concept: str, dm: str | int, state: int) -> Verdict:
        return self.verdicts[(concept, self.conflict.dm_ids[self.conflict.dm_index(dm)], state)]

    def stable(self, concept: str, dm: str | int, state: int) -> bool:
        return self.verdict(concept, dm, state).stable

    def equilibria(self, concept: str) -> tuple[int, ...]:
        """States stable for every decision maker under ``concept``, by decimal code."""
        return tuple(
            s
            for s in self.conflict.states
            if all(self.verdicts[(concept, d, s)].stable for d in self.conflict.dm_ids)
        )

    def stable_states(self, concept: str, dm: str | int) -> tuple[int, ...]:
        return tuple(s for s in self.conflict.states if self.stable(concept, dm, s))

    def table(self) -> list[dict[str, object]]:
        """One row per feasible state: its Y/N column, and per concept the decision makers for
        whom it is stable and whether it is an equilibrium."""
        rows = []
        for k, s in enumerate(self.conflict.states):
            row: dict[str, object] = {"state": s, "ordinal": k + 1, "yn": self.conflict.yn(s)}
            for concept in self.concepts:
                stable_for = [d for d in self.conflict.dm_ids if self.verdicts[(concept, d, s)].stable]
                row[concept] = {
                    "stable_for": stable_for,
                    "equilibrium": len(stable_for) == len(self.conflict.dm_ids),
                }
            rows.append(row)
        return rows

    def to_dict(self, *, witnesses: bool = True) -> dict[str, object]:
        result: dict[str, object] = {
            "conflict": self.conflict.id,
            "concepts": list(self.concepts),
            "decision_makers": list(self.conflict.dm_ids),
            "states": self.table(),
            "equilibria": {c: list(self.equilibria(c)) for c in self.concepts},
        }
        if witnesses:
            result["verdicts"] = [v.to_dict() for v in self.verdicts.values()]
        return result


def analyze(
    conflict: Conflict, concepts: Sequence[str] = CONCEPTS, states: Iterable[int] | None = None
) -> StabilityAnalysis:
    """Stability of every feasible state (or of ``states``) for every decision maker."""
    chosen = tuple(concepts)
    cache: _Cache = {}
    verdicts = {
        (c, d, s): stability(conflict, c, d, s, cache)
        for c in chosen
        for d in conflict.dm_ids
        for s in (conflict.states if states is None else states)
    }
    return StabilityAnalysis(conflict, chosen, verdicts)


def explain(conflict: Conflict, verdict: Verdict) -> list[str]:
    """The verdict and its witness in words, one sentence a line."""
    name = conflict.decision_makers[conflict.dm_index(verdict.dm)].label
    concept = f"{verdict.concept} ({CONCEPT_NAMES[verdict.concept]})"
    head = f"State {verdict.state} is {'stable' if verdict.stable else 'unstable'} for {name} under {concept}"
    if verdict.breaking is not None:
        return [f"{head}: {describe_move(conflict, verdict.breaking)} is an improvement that nothing deters."]
    if not verdict.deterred:
        return [f"{head}: {name} has no unilateral improvement."]
    lines = [f"{head}: every improvement is deterred."]
    for d in verdict.deterred:
        how = " and ".join(describe_move(conflict, m) for m in d.sanction.moves)
        when = "at the same time" if d.sanction.simultaneous else "in answer"
        lines.append(
            f"- {describe_move(conflict, d.improvement)}; {when}: {how}, leaving state {d.sanction.result}, "
            f"which {name} does not prefer to state {verdict.state}."
        )
    return lines
