"""Status quo analysis: how the conflict can travel from the status quo to each equilibrium.

Two kinds of paths, both legal sequences of unilateral moves of all decision makers (no one
moving twice in a row), shortest first (Li, Hipel, Kilgour and Noakes 2004, "Integrating
uncertain preferences into status quo analysis", IEEE SMC-A 34(6)):

- *by moves*: any unilateral moves, wanted or not (``R_N(s)``);
- *by improvements*: every move a unilateral improvement for the one making it (``R_N^+(s)``),
  the path that the decision makers' own interests could take.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from negsim.conflict.model import Conflict
from negsim.conflict.reach import Move, describe_move, reach

__all__ = ["StatusQuoPath", "improvement_graph", "status_quo_paths"]


@dataclass(frozen=True)
class StatusQuoPath:
    """The shortest path from the status quo to ``target`` (``None`` when it is unreachable)."""

    target: int
    by_moves: tuple[Move, ...] | None
    by_improvements: tuple[Move, ...] | None

    def words(self, conflict: Conflict, improvements: bool = True) -> list[str]:
        """The path in words, one step a line; empty when the target is the status quo."""
        path = self.by_improvements if improvements else self.by_moves
        if path is None:
            kind = "unilateral improvements" if improvements else "unilateral moves"
            return [f"state {self.target} cannot be reached from the status quo by {kind}"]
        return [describe_move(conflict, m) for m in path]

    def to_dict(self) -> dict[str, object]:
        def steps(path: tuple[Move, ...] | None) -> list[dict[str, object]] | None:
            return None if path is None else [m.to_dict() for m in path]

        return {
            "target": self.target,
            "by_moves": steps(self.by_moves),
            "by_improvements": steps(self.by_improvements),
        }


def status_quo_paths(
    conflict: Conflict, targets: Iterable[int], start: int | None = None
) -> tuple[StatusQuoPath, ...]:
    """Paths from the status quo (or ``start``) to each target state."""
    origin = conflict.status_quo if start is None else start
    if origin is None:
        raise ValueError("the conflict has no status quo; give start=")
    moves = reach(conflict, conflict.dm_ids, origin)
    ups = reach(conflict, conflict.dm_ids, origin, improving=True)
    out = []
    for t in targets:
        if t == origin:
            out.append(StatusQuoPath(t, (), ()))
        else:
            out.append(StatusQuoPath(t, moves.get(t), ups.get(t)))
    return tuple(out)


def improvement_graph(conflict: Conflict, start: int | None = None) -> dict[str, object]:
    """The graph of unilateral improvements reachable from the status quo: nodes and edges."""
    origin = conflict.status_quo if start is None else start
    if origin is None:
        raise ValueError("the conflict has no status quo; give start=")
    nodes = {origin, *reach(conflict, conflict.dm_ids, origin, improving=True)}
    edges = [
        Move(d, s, t).to_dict()
        for s in sorted(nodes)
        for d in conflict.dm_ids
        for t in conflict.improvements(d, s)
    ]
    return {"start": origin, "nodes": sorted(nodes), "edges": edges}
