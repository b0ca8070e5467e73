"""Stabilities at many parameter points at once: the matrix form of the definitions.

Sweeps evaluate a conflict's payoffs at thousands of parameter points. The moves of the graph
model do not depend on the payoffs, only which moves are improvements does; so the move
matrices are built once and every concept is a few boolean matrix products over a leading
points axis (after Xu, Hipel and Kilgour 2009, "Matrix representation of solution concepts in
multiple-decision-maker graph models", IEEE Trans. SMC-A 39(1)). The definitions are those of
:mod:`negsim.conflict.stability`; the tests check that both give the same verdicts.

>>> from negsim.conflict.model import Conflict, DecisionMaker, Option
>>> c = Conflict((DecisionMaker("a", ("a_defects",)), DecisionMaker("b", ("b_defects",))),
...              (Option("a_defects"), Option("b_defects")), ((3, 4, 1, 2), (3, 1, 4, 2)))
>>> b = batch_stability(c, c.payoffs[None])          # one point (the Prisoner's Dilemma)
>>> [c.states[k] for k in np.flatnonzero(b.equilibria("SEQ")[0])]
[0, 3]
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, product

import numpy as np

from negsim.conflict.model import Conflict
from negsim.conflict.stability import CONCEPTS

__all__ = ["BatchStability", "batch_stability", "move_matrices"]


def move_matrices(conflict: Conflict) -> np.ndarray:
    """``J[i, a, b]``: decision maker ``i`` moves from the ``a``-th to the ``b``-th feasible state."""
    m = len(conflict.states)
    J = np.zeros((len(conflict.decision_makers), m, m), dtype=bool)
    for i in range(len(conflict.decision_makers)):
        for a, s in enumerate(conflict.states):
            for t in conflict.moves(i, s):
                J[i, a, conflict.index[t]] = True
    return J


def _bmm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean matrix product over the last two axes (broadcasting the leading ones)."""
    return np.asarray(np.matmul(a.astype(np.int32), b.astype(np.int32)) > 0)


def _closure(steps: np.ndarray) -> np.ndarray:
    """Legal sequences: ``steps[..., j, a, b]`` one move of member ``j``; returns ``R[..., a, b]``:
    ``b`` reachable from ``a`` by one or more moves, no member moving twice in a row."""
    last = steps.copy()  # last[..., j, a, b]: reachable, last move by j
    n = steps.shape[-3]
    while True:
        total = np.asarray(last.any(axis=-3))
        grown = last.copy()
        for j in range(n):
            before = np.asarray(np.delete(last, j, axis=-3).any(axis=-3)) if n > 1 else np.zeros_like(total)
            grown[..., j, :, :] |= _bmm(before, steps[..., j, :, :])
        if np.array_equal(grown, last):
            return total
        last = grown


@dataclass(frozen=True, eq=False)
class BatchStability:
    """``stable[concept][p, i, k]``: the ``k``-th feasible state is stable for decision maker
    ``i`` at point ``p``."""

    conflict: Conflict
    stable: dict[str, np.ndarray]

    def equilibria(self, concept: str) -> np.ndarray:
        """``[p, k]``: the ``k``-th state is stable for every decision maker at point ``p``."""
        return np.asarray(self.stable[concept].all(axis=1))


def batch_stability(
    conflict: Conflict, payoffs: np.ndarray, concepts: tuple[str, ...] = CONCEPTS
) -> BatchStability:
    """Every concept's verdicts at every point: ``payoffs`` has shape ``(points, dms, states)``."""
    P = np.asarray(payoffs, dtype=float)
    if P.ndim == 2:
        P = P[None]
    n, m = len(conflict.decision_makers), len(conflict.states)
    if P.shape[1:] != (n, m):
        raise ValueError(f"payoffs have shape {P.shape}, expected (points, {n}, {m})")
    J = move_matrices(conflict)
    # better[p, i, a, b]: i strictly prefers b to a
    better = P[:, :, None, :] > P[:, :, :, None]
    UI = J[None] & better
    has_ui = UI.any(axis=-1)
    stable: dict[str, np.ndarray] = {}
    needed = {c.split("+")[0] for c in concepts} | (
        {"SIM"} if any(c.endswith("SIM") for c in concepts) else set()
    )
    deter: dict[str, np.ndarray] = {}  # deter[c][p, i, a, b]: i's improvement a -> b is deterred
    for base in ("GMR", "SMR", "SEQ"):
        if base not in needed:
            continue
        d = np.zeros_like(UI)
        for i in range(n):
            others = [j for j in range(n) if j != i]
            if not others:
                continue
            if base == "SEQ":
                R = _closure(UI[:, others])  # (p, a, b) per point
            else:
                R = np.broadcast_to(_closure(J[others]), (P.shape[0], m, m))
            ok = ~better[:, i]  # ok[p, s, x]: x not better than s for i
            if base == "SMR":
                escape = _bmm(better[:, i], np.swapaxes(J[i], -1, -2)[None])  # (p, s, s2): i escapes from s2
                ok = ok & ~escape
            # deterred[p, s, s1] = any_s2 R[p, s1, s2] & ok[p, s, s2]
            d[:, i] = _bmm(ok, np.swapaxes(R, -1, -2))
        deter[base] = d
    if "SIM" in needed:
        d = np.zeros_like(UI)
        masks = conflict.masks
        for i in range(n):
            others = [j for j in range(n) if j != i]
            for a in range(m):
                for b in np.flatnonzero(J[i, a]):
                    s1 = conflict.states[b]
                    hit = np.zeros(P.shape[0], dtype=bool)
                    for size in range(1, len(others) + 1):
                        for group in combinations(others, size):
                            for targets in product(*[np.flatnonzero(J[j, a]) for j in group]):
                                joint = s1
                                for j, t in zip(group, targets):
                                    joint = (joint & ~masks[j]) | (conflict.states[t] & masks[j])
                                if joint not in conflict.index:
                                    continue
                                cond = ~better[:, i, a, conflict.index[joint]]
                                for j, t in zip(group, targets):
                                    cond = cond & UI[:, j, a, t]
                                hit |= cond
                    d[:, i, a, b] = hit
        deter["SIM"] = d
    for concept in concepts:
        if concept == "R":
            stable[concept] = np.asarray(~has_ui)
            continue
        parts = concept.split("+")
        d = deter[parts[0]]
        if len(parts) == 2:
            d = d | deter["SIM"]
        stable[concept] = np.asarray(~(UI & ~d).any(axis=-1))
    return BatchStability(conflict, stable)
