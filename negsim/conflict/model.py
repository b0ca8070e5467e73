"""Conflicts in option form: decision makers, their yes/no options, feasible states, moves.

A *state* is one combination of options, each taken (``Y``) or not (``N``). States are numbered
by the decimal code of the Graph Model literature (Fang, Hipel and Kilgour 1993): option ``k``
(0-based, in the order of :attr:`Conflict.options`) contributes ``2**k`` when taken, so option 1
of a published table is the least significant bit and published tables compare state by state.

>>> pd = Conflict(
...     decision_makers=(DecisionMaker("a", ("a_defects",)), DecisionMaker("b", ("b_defects",))),
...     options=(Option("a_defects"), Option("b_defects")),
...     payoffs=((3, 1, 4, 2), (3, 4, 1, 2)),
... )
>>> pd.states
(0, 1, 2, 3)
>>> pd.yn(1)
'YN'
>>> pd.moves("a", 0)
(1,)

Preferences are one number per decision maker and feasible state (:attr:`Conflict.payoffs`,
larger is better, equal numbers are ties); only their order matters to the stability analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np

from negsim.errors import InputError, Problem, did_you_mean

__all__ = [
    "Conflict",
    "DecisionMaker",
    "Direction",
    "Option",
    "Pattern",
    "at_least_one",
    "exactly_one",
    "mutually_exclusive",
]

#: Which way an option may be changed: both ways, only taken (``N->Y``: once taken it stays),
#: or only dropped (``Y->N``: once dropped it cannot be taken again).
Direction = Literal["both", "N->Y", "Y->N"]


@dataclass(frozen=True)
class Option:
    """A yes/no choice controlled by one decision maker."""

    id: str
    name: str = ""
    description: str = ""
    direction: Direction = "both"

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class DecisionMaker:
    """A party to the conflict and the options it controls (by option id)."""

    id: str
    options: tuple[str, ...]
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Pattern:
    """A set of states given by some options' values: ``{option index: True (Y) / False (N)}``.

    Written as a string of ``Y``, ``N`` and ``-`` (don't care), one character per option in
    option order, as GMCR II and gmcr-py show infeasible states.
    """

    values: tuple[tuple[int, bool], ...]

    @classmethod
    def parse(cls, text: str, n_options: int) -> Pattern:
        """``Pattern.parse("-YY-", 4)``: options 2 and 3 both taken."""
        text = text.strip()
        if len(text) != n_options or any(c not in "YN-" for c in text.upper()):
            raise ValueError(f"pattern {text!r}: expected {n_options} characters of Y, N and -")
        return cls(tuple((k, c == "Y") for k, c in enumerate(text.upper()) if c != "-"))

    def matches(self, state: int) -> bool:
        return all(bool(state >> k & 1) == v for k, v in self.values)

    def text(self, n_options: int) -> str:
        chars = ["-"] * n_options
        for k, v in self.values:
            chars[k] = "Y" if v else "N"
        return "".join(chars)


def mutually_exclusive(indices: Iterable[int]) -> tuple[Pattern, ...]:
    """At most one of these options: every pair taken together is infeasible."""
    idx = sorted(set(indices))
    return tuple(Pattern(((a, True), (b, True))) for n, a in enumerate(idx) for b in idx[n + 1 :])


def at_least_one(indices: Iterable[int]) -> tuple[Pattern, ...]:
    """At least one of these options: the state with all of them ``N`` is infeasible."""
    return (Pattern(tuple((k, False) for k in sorted(set(indices)))),)


def exactly_one(indices: Iterable[int]) -> tuple[Pattern, ...]:
    return mutually_exclusive(indices) + at_least_one(indices)


@dataclass(frozen=True, eq=False)
class Conflict:
    """A graph model in option form, with ordinal preferences.

    ``payoffs[i][k]`` is decision maker ``i``'s preference for the ``k``-th feasible state (in
    increasing decimal code, :attr:`states`): larger is better, equal values are ties.
    """

    decision_makers: tuple[DecisionMaker, ...]
    options: tuple[Option, ...]
    payoffs: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    """Any array-like ``(decision makers, feasible states)``; empty means all indifferent."""
    infeasible: tuple[Pattern, ...] = ()
    status_quo: int | None = None
    id: str = ""
    title: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        dms = tuple(self.decision_makers)
        options = tuple(self.options)
        object.__setattr__(self, "decision_makers", dms)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "infeasible", tuple(self.infeasible))
        problems: list[Problem] = []
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            problems.append(Problem("option ids must be unique", path="options"))
        if len({d.id for d in dms}) != len(dms):
            problems.append(Problem("decision maker ids must be unique", path="decision_makers"))
        if len(dms) < 1 or not options:
            problems.append(Problem("a conflict needs decision makers and options"))
        owner: dict[str, str] = {}
        for d in dms:
            for o in d.options:
                if o not in ids:
                    problems.append(
                        Problem(
                            f"unknown option {o!r}{did_you_mean(o, ids)}",
                            path=f"decision_makers.{d.id}.options",
                        )
                    )
                elif o in owner:
                    problems.append(
                        Problem(
                            f"option {o!r} is already controlled by {owner[o]!r}",
                            path=f"decision_makers.{d.id}.options",
                        )
                    )
                else:
                    owner[o] = d.id
        for o in ids:
            if o not in owner:
                problems.append(Problem(f"option {o!r} is controlled by no decision maker", path="options"))
        if len(options) > 20:
            problems.append(
                Problem(f"{len(options)} options: at most 20 (about a million states)", path="options")
            )
        if problems:
            raise InputError(problems)
        if not self.states:
            raise InputError([Problem("every state is infeasible", path="infeasible")])
        if self.status_quo is not None and self.status_quo not in self.index:
            raise InputError(
                [Problem(f"status quo {self.status_quo} is not a feasible state", path="status_quo")]
            )
        payoffs = np.asarray(self.payoffs, dtype=float)
        if payoffs.size == 0:
            payoffs = np.zeros((len(dms), len(self.states)))
        if payoffs.shape != (len(dms), len(self.states)):
            raise InputError(
                [
                    Problem(
                        f"preferences have shape {payoffs.shape}, expected "
                        f"({len(dms)} decision makers, {len(self.states)} feasible states)",
                        path="preferences",
                    )
                ]
            )
        if not np.all(np.isfinite(payoffs)):
            raise InputError([Problem("preferences must be finite numbers", path="preferences")])
        payoffs = payoffs.copy()
        payoffs.setflags(write=False)
        object.__setattr__(self, "payoffs", payoffs)
        object.__setattr__(self, "notes", dict(self.notes))

    # -- names ---------------------------------------------------------------------------------

    @property
    def n_options(self) -> int:
        return len(self.options)

    @property
    def dm_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.decision_makers)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def dm_index(self, dm: int | str) -> int:
        if isinstance(dm, int):
            return dm
        try:
            return self.dm_ids.index(dm)
        except ValueError:
            raise KeyError(f"no decision maker {dm!r}{did_you_mean(dm, self.dm_ids)}") from None

    def option_index(self, option: str) -> int:
        try:
            return self.option_ids.index(option)
        except ValueError:
            raise KeyError(f"no option {option!r}{did_you_mean(option, self.option_ids)}") from None

    @cached_property
    def masks(self) -> tuple[int, ...]:
        """Bit mask of each decision maker's options."""
        return tuple(sum(1 << self.option_index(o) for o in d.options) for d in self.decision_makers)

    # -- states --------------------------------------------------------------------------------

    def is_feasible(self, state: int) -> bool:
        return not any(p.matches(state) for p in self.infeasible)

    @cached_property
    def states(self) -> tuple[int, ...]:
        """Feasible states by decimal code, in increasing order."""
        return tuple(s for s in range(1 << self.n_options) if self.is_feasible(s))

    @cached_property
    def index(self) -> dict[int, int]:
        """Position of each feasible state in :attr:`states` (its 0-based ordinal number)."""
        return {s: k for k, s in enumerate(self.states)}

    def yn(self, state: int) -> str:
        """``'YNN-'`` style: one character per option, in option order."""
        return "".join("Y" if state >> k & 1 else "N" for k in range(self.n_options))

    def state_of(self, taken: Iterable[str] | str) -> int:
        """Decimal code of a state from the option ids taken, or from a ``Y``/``N`` string."""
        if isinstance(taken, str) and set(taken.upper()) <= {"Y", "N"} and len(taken) == self.n_options:
            return sum(1 << k for k, c in enumerate(taken.upper()) if c == "Y")
        taken = [taken] if isinstance(taken, str) else list(taken)
        return sum(1 << self.option_index(o) for o in taken)

    def payoff(self, dm: int | str, state: int) -> float:
        return float(self.payoffs[self.dm_index(dm), self.index[state]])

    def prefers(self, dm: int | str, better: int, worse: int) -> bool:
        """``better`` strictly preferred to ``worse`` by ``dm``."""
        i = self.dm_index(dm)
        return bool(self.payoffs[i, self.index[better]] > self.payoffs[i, self.index[worse]])

    def ranking(self, dm: int | str) -> tuple[tuple[int, ...], ...]:
        """``dm``'s preference ranking, most preferred first; ties share a group."""
        i = self.dm_index(dm)
        values = sorted({float(v) for v in self.payoffs[i]}, reverse=True)
        return tuple(tuple(s for k, s in enumerate(self.states) if self.payoffs[i, k] == v) for v in values)

    # -- moves ---------------------------------------------------------------------------------

    def _allowed(self, source: int, target: int) -> bool:
        changed = source ^ target
        for k, option in enumerate(self.options):
            if changed >> k & 1:
                if option.direction == "N->Y" and source >> k & 1:
                    return False
                if option.direction == "Y->N" and not source >> k & 1:
                    return False
        return True

    @cached_property
    def _moves(self) -> tuple[dict[int, tuple[int, ...]], ...]:
        result = []
        for mask in self.masks:
            table: dict[int, tuple[int, ...]] = {}
            for s in self.states:
                rest = s & ~mask
                table[s] = tuple(
                    t for t in self.states if t != s and t & ~mask == rest and self._allowed(s, t)
                )
            result.append(table)
        return tuple(result)

    def moves(self, dm: int | str, state: int) -> tuple[int, ...]:
        """States ``dm`` reaches from ``state`` in one move: ``R_i(s)`` (changing any of its own
        options at once, to a feasible state, in the options' allowed directions)."""
        return self._moves[self.dm_index(dm)][state]

    def improvements(self, dm: int | str, state: int) -> tuple[int, ...]:
        """``dm``'s unilateral improvements from ``state``: ``R_i^+(s)``."""
        i = self.dm_index(dm)
        return tuple(t for t in self.moves(i, state) if self.prefers(i, t, state))

    def changes(self, source: int, target: int) -> tuple[tuple[str, bool], ...]:
        """Options changed between two states: ``(option id, taken now)``."""
        diff = source ^ target
        return tuple((o.id, bool(target >> k & 1)) for k, o in enumerate(self.options) if diff >> k & 1)

    def without_options(self, options: Iterable[str]) -> tuple[Conflict, np.ndarray]:
        """The conflict in which ``options`` are never taken (every state taking one becomes
        infeasible), and the positions of the kept states in :attr:`states`: for questions like
        "which states are stable once the US can sanction?" (compare with and without its
        sanction option). Preferences among the kept states are unchanged."""
        ids = list(options)
        problems = [
            Problem(f"unknown option {o!r}{did_you_mean(o, self.option_ids)}", path="without")
            for o in ids
            if o not in self.option_ids
        ]
        if problems:
            raise InputError(problems)
        extra = tuple(Pattern(((self.option_index(o), True),)) for o in ids)
        bits = sum(1 << self.option_index(o) for o in ids)
        kept = np.array([k for k, s in enumerate(self.states) if not s & bits], dtype=np.int64)
        if not len(kept):
            raise InputError([Problem("every state takes one of these options", path="without")])
        if self.status_quo is not None and self.status_quo & bits:
            taken = [o for o in ids if self.status_quo >> self.option_index(o) & 1]
            raise InputError(
                [Problem(f"the status quo takes {', '.join(taken)}; it cannot be left out", path="without")]
            )
        restricted = Conflict(
            self.decision_makers,
            self.options,
            self.payoffs[:, kept],
            (*self.infeasible, *extra),
            self.status_quo,
            self.id,
            self.title,
            self.notes,
        )
        return restricted, kept

    def with_payoffs(self, payoffs: np.ndarray) -> Conflict:
        return Conflict(
            self.decision_makers,
            self.options,
            payoffs,
            self.infeasible,
            self.status_quo,
            self.id,
            self.title,
            self.notes,
        )

    def to_dict(self) -> dict[str, object]:
        """The conflict as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "decision_makers": [
                {"id": d.id, "name": d.label, "options": list(d.options)} for d in self.decision_makers
            ],
            "options": [
                {
                    "id": o.id,
                    "name": o.label,
                    "description": o.description,
                    "direction": o.direction,
                    "bit": 1 << k,
                }
                for k, o in enumerate(self.options)
            ],
            "infeasible": [p.text(self.n_options) for p in self.infeasible],
            "status_quo": self.status_quo,
            "states": [
                {
                    "decimal": s,
                    "ordinal": k + 1,
                    "yn": self.yn(s),
                    "preferences": {
                        d.id: float(self.payoffs[i, k]) for i, d in enumerate(self.decision_makers)
                    },
                }
                for k, s in enumerate(self.states)
            ],
        }
