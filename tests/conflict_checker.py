"""An independent brute-force reading of the GMCR stability definitions, for the tests.

It shares nothing with ``negsim.conflict.reach`` or ``negsim.conflict.stability``: moves are
found by trying every state, legal sequences by depth-first search over (state, last mover).
With ``single=True`` the others sanction by one move of one decision maker, as gmcr-py does.
"""

from __future__ import annotations

from itertools import combinations, product

from negsim.conflict.model import Conflict


def better(c: Conflict, dm: int, x: int, y: int) -> bool:
    return c.payoffs[dm][c.states.index(x)] > c.payoffs[dm][c.states.index(y)]


def one_move(c: Conflict, dm: int, s: int) -> set[int]:
    own = {c.option_index(o) for o in c.decision_makers[dm].options}
    out = set()
    for t in c.states:
        if t == s:
            continue
        diff = [k for k in range(c.n_options) if (s >> k & 1) != (t >> k & 1)]
        if not set(diff) <= own:
            continue
        ok = True
        for k in diff:
            d = c.options[k].direction
            if (d == "N->Y" and s >> k & 1) or (d == "Y->N" and not s >> k & 1):
                ok = False
        if ok:
            out.add(t)
    return out


def sequences(c: Conflict, members: list[int], s: int, improving: bool, single: bool = False) -> set[int]:
    def moves(dm: int, x: int) -> set[int]:
        return {t for t in one_move(c, dm, x) if not improving or better(c, dm, t, x)}

    if single:
        return set().union(*(moves(j, s) for j in members)) if members else set()
    found: set[int] = set()
    seen: set[tuple[int, int]] = set()
    stack = [(s, -1)]
    while stack:
        x, last = stack.pop()
        for j in members:
            if j == last:
                continue
            for t in moves(j, x):
                found.add(t)
                if (t, j) not in seen:
                    seen.add((t, j))
                    stack.append((t, j))
    return found


def stable(c: Conflict, concept: str, dm: int, s: int, single: bool = False) -> bool:
    others = [j for j in range(len(c.decision_makers)) if j != dm]
    for s1 in [t for t in one_move(c, dm, s) if better(c, dm, t, s)]:
        deterred = False
        base = concept.split("+")[0]
        if base in ("GMR", "SMR"):
            for s2 in sequences(c, others, s1, False, single):
                if not better(c, dm, s2, s) and (
                    base == "GMR" or not any(better(c, dm, s3, s) for s3 in one_move(c, dm, s2))
                ):
                    deterred = True
        elif base == "SEQ":
            deterred = any(not better(c, dm, s2, s) for s2 in sequences(c, others, s1, True, single))
        if not deterred and concept.endswith("SIM"):
            for size in range(1, len(others) + 1):
                for group in combinations(others, size):
                    for targets in product(
                        *[[t for t in one_move(c, j, s) if better(c, j, t, s)] for j in group]
                    ):
                        joint = s1
                        for j, t in zip(group, targets):
                            mask = c.masks[j]
                            joint = (joint & ~mask) | (t & mask)
                        if joint in c.states and not better(c, dm, joint, s):
                            deterred = True
        if not deterred:
            return False
    return True


def equilibria(c: Conflict, concept: str, single: bool = False) -> set[int]:
    return {
        s for s in c.states if all(stable(c, concept, i, s, single) for i in range(len(c.decision_makers)))
    }
