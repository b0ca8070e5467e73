"""Coalition analysis: can a group of decision makers do better together?

A *coalitional improvement* of a coalition ``H`` from state ``s`` is a state ``t`` in
``R_H(s)`` (reached by a legal sequence of moves of ``H``'s members) that every member of ``H``
strictly prefers to ``s`` (Kilgour, Hipel, Fang and Peng 2001, "Coalition analysis in group
decision support", Group Decision and Negotiation 10). A state is, for ``H``:

- **coalition Nash stable** if ``H`` has no coalitional improvement from it;
- **coalition SEQ stable** if every coalitional improvement ``s1`` of ``H`` can be answered by
  a legal sequence of unilateral improvements of decision makers outside ``H``, ending at a
  state ``s2`` that some member of ``H`` does not prefer to ``s`` (so the coalition's move no
  longer pays for all of it; after Inohara and Hipel 2008, "Coalition analysis in the graph
  model for conflict resolution", Systems Engineering 11(4)).

A *coalition equilibrium* under a concept is stable for every coalition, single decision makers
included (so coalition Nash equilibria are Nash equilibria, coalition SEQ equilibria SEQ ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from negsim.conflict.model import Conflict
from negsim.conflict.reach import Move, reach
from negsim.conflict.stability import Sanction

__all__ = ["CoalitionAnalysis", "CoalitionVerdict", "coalition_analysis", "coalition_improvements"]


def coalition_improvements(
    conflict: Conflict, coalition: Sequence[str], state: int
) -> dict[int, tuple[Move, ...]]:
    """The coalitional improvements of ``coalition`` from ``state``, each with a move sequence."""
    return {
        t: path
        for t, path in reach(conflict, coalition, state).items()
        if all(conflict.prefers(d, t, state) for d in coalition)
    }


@dataclass(frozen=True)
class CoalitionVerdict:
    """Is ``state`` stable for ``coalition`` under ``concept`` (``CNash`` or ``CSEQ``), and why:
    ``breaking`` is the coalitional improvement (its moves) that nothing deters; ``deterred``
    pairs each deterred improvement's moves with its sanction."""

    concept: str
    coalition: tuple[str, ...]
    state: int
    stable: bool
    breaking: tuple[Move, ...] | None = None
    deterred: tuple[tuple[tuple[Move, ...], Sanction], ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "concept": self.concept,
            "coalition": list(self.coalition),
            "state": self.state,
            "stable": self.stable,
            "breaking": [m.to_dict() for m in self.breaking] if self.breaking else None,
            "deterred": [
                {"improvement": [m.to_dict() for m in moves], "sanction": s.to_dict()}
                for moves, s in self.deterred
            ],
        }


def _verdict(conflict: Conflict, concept: str, coalition: tuple[str, ...], state: int) -> CoalitionVerdict:
    outside = [d for d in conflict.dm_ids if d not in coalition]
    deterred: list[tuple[tuple[Move, ...], Sanction]] = []
    for s1, moves in coalition_improvements(conflict, coalition, state).items():
        sanction = None
        if concept == "CSEQ":
            for s2, path in reach(conflict, outside, s1, improving=True).items():
                if any(not conflict.prefers(d, s2, state) for d in coalition):
                    sanction = Sanction(path, s2, False, "CSEQ")
                    break
        if sanction is None:
            return CoalitionVerdict(concept, coalition, state, False, moves, tuple(deterred))
        deterred.append((moves, sanction))
    return CoalitionVerdict(concept, coalition, state, True, None, tuple(deterred))


@dataclass(frozen=True, eq=False)
class CoalitionAnalysis:
    conflict: Conflict
    coalitions: tuple[tuple[str, ...], ...]
    verdicts: dict[tuple[str, tuple[str, ...], int], CoalitionVerdict] = field(repr=False)

    def stable(self, concept: str, coalition: Iterable[str], state: int) -> bool:
        key = tuple(d for d in self.conflict.dm_ids if d in set(coalition))
        return self.verdicts[(concept, key, state)].stable

    def equilibria(self, concept: str) -> tuple[int, ...]:
        """States stable for every analysed coalition under ``concept`` (``CNash``, ``CSEQ``)."""
        return tuple(
            s
            for s in self.conflict.states
            if all(self.verdicts[(concept, h, s)].stable for h in self.coalitions)
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "conflict": self.conflict.id,
            "coalitions": [list(h) for h in self.coalitions],
            "equilibria": {c: list(self.equilibria(c)) for c in ("CNash", "CSEQ")},
            "verdicts": [v.to_dict() for v in self.verdicts.values()],
        }


def coalition_analysis(
    conflict: Conflict, coalitions: Iterable[Iterable[str]] | None = None
) -> CoalitionAnalysis:
    """Coalition Nash and coalition SEQ stability of every state for every coalition (by default
    every non-empty set of decision makers)."""
    ids = conflict.dm_ids
    if coalitions is None:
        chosen = [h for k in range(1, len(ids) + 1) for h in combinations(ids, k)]
    else:
        chosen = [tuple(d for d in ids if d in set(h)) for h in coalitions]
    verdicts = {
        (c, h, s): _verdict(conflict, c, h, s)
        for c in ("CNash", "CSEQ")
        for h in chosen
        for s in conflict.states
    }
    return CoalitionAnalysis(conflict, tuple(chosen), verdicts)
