"""Who can get where: unilateral moves, coalitions' legal move sequences, and their witnesses.

A *legal sequence* of moves by a coalition ``H`` is a sequence of unilateral moves, each by a
member of ``H``, in which no decision maker moves twice in a row (a decision maker's single move
may already change several of its options). ``R_H(s)`` is the set of states reached from ``s``
by legal sequences of one or more moves; ``R_H^+(s)`` those reached when every move is a
unilateral improvement for the member making it (Fang, Hipel and Kilgour 1993, ch. 3).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from negsim.conflict.model import Conflict

__all__ = ["Move", "describe_move", "move_graph", "reach"]


@dataclass(frozen=True)
class Move:
    """One decision maker moving the conflict from state ``source`` to state ``target``."""

    dm: str
    source: int
    target: int

    def to_dict(self) -> dict[str, object]:
        return {"dm": self.dm, "from": self.source, "to": self.target}


def describe_move(conflict: Conflict, move: Move) -> str:
    """``'US: takes sanction, drops waiver (state 1 -> 6)'``."""
    dm = conflict.decision_makers[conflict.dm_index(move.dm)]
    taken = [
        conflict.options[conflict.option_index(o)].label
        for o, now in conflict.changes(move.source, move.target)
        if now
    ]
    dropped = [
        conflict.options[conflict.option_index(o)].label
        for o, now in conflict.changes(move.source, move.target)
        if not now
    ]
    parts = []
    if taken:
        parts.append("takes " + ", ".join(taken))
    if dropped:
        parts.append("drops " + ", ".join(dropped))
    return f"{dm.label}: {'; '.join(parts)} (state {move.source} -> {move.target})"


def reach(
    conflict: Conflict, members: Iterable[str | int], start: int, *, improving: bool = False
) -> dict[int, tuple[Move, ...]]:
    """Every state reachable from ``start`` by a legal sequence of moves of ``members``, each with
    one shortest such sequence: ``R_H(s)``, or ``R_H^+(s)`` with ``improving=True``."""
    ids = [conflict.dm_ids[conflict.dm_index(m)] for m in members]
    found: dict[int, tuple[Move, ...]] = {}
    seen: set[tuple[int, str | None]] = {(start, None)}
    queue: deque[tuple[int, str | None, tuple[Move, ...]]] = deque([(start, None, ())])
    while queue:
        state, last, path = queue.popleft()
        for dm in ids:
            if dm == last:
                continue
            targets = conflict.improvements(dm, state) if improving else conflict.moves(dm, state)
            for t in targets:
                if (t, dm) in seen:
                    continue
                seen.add((t, dm))
                step = (*path, Move(dm, state, t))
                found.setdefault(t, step)
                queue.append((t, dm, step))
    return found


def move_graph(conflict: Conflict, members: Iterable[str | int] | None = None) -> dict[str, object]:
    """Every unilateral move of the decision makers (default: all) as graph data: nodes (decimal
    code, ordinal number, Y/N column) and edges (who moves, from, to, whether it improves)."""
    ids = conflict.dm_ids if members is None else [conflict.dm_ids[conflict.dm_index(m)] for m in members]
    return {
        "nodes": [
            {"state": s, "ordinal": k + 1, "yn": conflict.yn(s)} for k, s in enumerate(conflict.states)
        ],
        "edges": [
            {"dm": d, "from": s, "to": t, "improvement": conflict.prefers(d, t, s)}
            for d in ids
            for s in conflict.states
            for t in conflict.moves(d, s)
        ],
    }
