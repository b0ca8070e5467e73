"""Checks of the ``bargaining`` and ``repeated`` sections against the rest of a scenario.

Every player id, strategy id and profile must exist; expressions may use the parameters only,
and at the parameters' default values each must give a value the analysis accepts (a discount
factor in (0, 1], a probability of breakdown in [0, 1), positive bargaining powers, ...). The
compile stage checks the same at every other point it is asked for. Like the other checks,
each problem is an :class:`Issue` at its key path, and sections that are missing or failed the
schema are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from negsim.errors import did_you_mean
from negsim.scenario.bargaining import Bargaining, DisagreementPoint, Repeated
from negsim.scenario.expr import ExpressionError, NameKey, Names, compile_expression
from negsim.scenario.issues import Issue
from negsim.scenario.sections import TreePayoffs
from negsim.scenario.yamltree import Path

__all__ = ["MAX_ROUNDS", "ValueRule", "check_analyses", "value_rules"]

#: Most rounds of a finitely repeated game a scenario may declare.
MAX_ROUNDS = 1_000_000

#: What a declared number must satisfy: a test, and the words that say what is expected.
ValueRule = tuple[Callable[[float], bool], str]


def value_rules() -> dict[str, ValueRule]:
    """The rule each kind of declared number follows (also used by the compile stage)."""
    return {
        "powers": (lambda v: v > 0, "a bargaining power is positive"),
        "discount": (lambda v: 0 < v <= 1, "a discount factor lies in (0, 1]"),
        "rates": (lambda v: v >= 0, "a rate of time preference is 0 or more"),
        "period": (lambda v: v > 0, "a period is longer than 0"),
        "breakdown": (lambda v: 0 <= v < 1, "a probability of breakdown lies in [0, 1)"),
        "repeated.discount": (lambda v: 0 < v < 1, "a discount factor of repeated play lies in (0, 1)"),
        "outside_options": (lambda v: True, "a number"),
        "payoffs": (lambda v: True, "a number"),
    }


def check_analyses(sections: Any, absent: set[str], mask: np.ndarray | None) -> list[Issue]:
    """Every problem of the ``bargaining`` and ``repeated`` sections.

    ``mask`` marks the feasible profiles (``None`` when unknown); ``absent`` names the sections
    the file leaves out.
    """
    bargaining = getattr(sections, "bargaining", None)
    repeated = getattr(sections, "repeated", None)
    if bargaining is None and repeated is None:
        return []
    issues: list[Issue] = []
    players = getattr(sections, "players", None)
    parameters = getattr(sections, "parameters", None)
    payoffs = getattr(sections, "payoffs", None)
    if isinstance(payoffs, TreePayoffs) or getattr(sections, "types", None):
        for name, section in (("bargaining", bargaining), ("repeated", repeated)):
            if section is not None:
                issues.append(Issue((name,), f"{name} is declared on the strategies of a game; this "
                                    "scenario is a tree (payoffs: tree, or types), whose strategies are "
                                    "plans: analyse it with negsim bargain or negsim repeated without "
                                    "declarations"))
        return issues
    if players is None or parameters is None or not all(p.strategies for p in players.values()):
        return issues
    check = _Check(players, parameters, mask, issues)
    if bargaining is not None:
        check.bargaining(bargaining, getattr(sections, "status_quo", None), "status_quo" not in absent)
    if repeated is not None:
        check.repeated(repeated)
    return issues


class _Check:
    def __init__(self, players: Mapping[str, Any], parameters: Mapping[str, Any],
                 mask: np.ndarray | None, issues: list[Issue]) -> None:
        self.players = players
        self.ids = list(players)
        self.names = Names(frozenset(parameters), {})
        self.defaults: dict[NameKey, Any] = {name: np.float64(p.value) for name, p in parameters.items()}
        self.mask = mask
        self.issues = issues
        self.rules = value_rules()

    # -- bargaining --------------------------------------------------------------------------

    def bargaining(self, b: Bargaining, status_quo: Any, has_status_quo: bool) -> None:
        path: Path = ("bargaining",)
        n = len(self.ids)
        given = b.model_fields_set
        offers = bool({"discount", "rates", "breakdown"} & given)
        if b.agreements == "lotteries" and n > 2:
            self.add((*path, "agreements"), f"lotteries over outcomes are supported for two players; this "
                     f"game has {n} (declare agreements: pure or transfers)")
        self._disagreement(b, path, has_status_quo and status_quo is not None)
        if b.powers is not None:
            self.per_player(b.powers, (*path, "powers"), "powers", every=True)
        if b.discount is not None and b.rates is not None:
            self.add(path, "give discount factors or rates, not both", key="rates")
        if b.discount is not None:
            self.per_player(b.discount, (*path, "discount"), "discount", every=True)
        if b.rates is not None:
            self.per_player(b.rates, (*path, "rates"), "rates", every=True)
        if b.period is not None:
            if b.rates is None:
                self.add(path, "period is the length of a round for rates; give rates too", key="period")
            else:
                self.value(b.period, (*path, "period"), "period")
        if b.breakdown is not None:
            self.value(b.breakdown, (*path, "breakdown"), "breakdown")
        if offers and n != 2:
            self.add(path, f"alternating offers are between two players; this game has {n}",
                     key=next(k for k in ("discount", "rates", "breakdown") if k in given))
        if offers and b.agreements == "pure":
            self.add((*path, "agreements"), "alternating offers split a divisible surplus: declare "
                     "agreements: lotteries or transfers, or leave out discount, rates and breakdown")
        if b.first is not None:
            if b.first not in self.players:
                self.add((*path, "first"), f"unknown player {b.first!r}{did_you_mean(b.first, self.ids)}")
            elif not offers:
                self.add(path, "first names who opens alternating offers; give discount (or rates or "
                         "breakdown) too", key="first")
        if b.outside_options is not None:
            self.per_player(b.outside_options, (*path, "outside_options"), "outside_options", every=False)
            if b.agreements != "transfers":
                self.add(path, "outside options are used in alternating offers with side payments "
                         "(agreements: transfers)", key="outside_options")
            elif not offers:
                self.add(path, "outside options matter in alternating offers; give discount (or rates or "
                         "breakdown) too", key="outside_options")

    def _disagreement(self, b: Bargaining, path: Path, has_status_quo: bool) -> None:
        d = b.disagreement
        where = (*path, "disagreement")
        if isinstance(d, str):
            if d == "status-quo" and not has_status_quo:
                if "disagreement" in b.model_fields_set:
                    self.add(where, "the scenario declares no status_quo; declare one, or choose another "
                             "disagreement point (maximin, maximin-pure, equilibrium, threat, or a mapping)")
                else:
                    self.add(path, "without a status_quo, say which disagreement point to use: "
                             "disagreement: maximin, maximin-pure, equilibrium, threat, or a mapping")
            if d == "threat" and b.agreements == "pure":
                self.add(where, "the variable-threat point needs lotteries or side payments (agreements: "
                         "lotteries or transfers)")
            if d == "threat" and len(self.ids) != 2:
                self.add(where, "the variable-threat point is defined for two players")
            return
        self._point(d, where)

    def _point(self, d: DisagreementPoint, where: Path) -> None:
        forms = [k for k in ("equilibrium", "outcome", "payoffs") if getattr(d, k) is not None]
        if len(forms) != 1:
            what = "none" if not forms else " and ".join(forms)
            self.add(where, f"give exactly one of equilibrium (a Nash equilibrium), outcome (the fallback "
                     f"profile) or payoffs; found {what}")
            return
        if d.equilibrium is not None:
            if isinstance(d.equilibrium, int):
                if d.equilibrium < 1:
                    self.add((*where, "equilibrium"), f"equilibria are numbered from 1, as negsim solve "
                             f"lists them; got {d.equilibrium}")
            else:
                self.profile(d.equilibrium, (*where, "equilibrium"))
        elif d.outcome is not None:
            self.profile(d.outcome, (*where, "outcome"))
        elif d.payoffs is not None:
            self.per_player(d.payoffs, (*where, "payoffs"), "payoffs", every=True)

    # -- repeated play -------------------------------------------------------------------------

    def repeated(self, r: Repeated) -> None:
        path: Path = ("repeated",)
        cooperation = r.cooperation
        if isinstance(cooperation, dict) or (cooperation and all(isinstance(c, str) for c in cooperation)):
            self.profile(cooperation, (*path, "cooperation"))  # type: ignore[arg-type]
        else:
            for k, profile in enumerate(cooperation):
                self.profile(profile, (*path, "cooperation", k))
        p = r.punishment
        if p is not None:
            where = (*path, "punishment")
            if isinstance(p, dict) and p and not all(isinstance(v, str) for v in p.values()):
                for pid, profile in p.items():
                    if pid not in self.players:
                        self.add(where, f"unknown player {pid!r}{did_you_mean(pid, self.ids)}", key=pid)
                    else:
                        self.profile(profile, (*where, pid))
                missing = [pid for pid in self.ids if pid not in p]
                if missing:
                    self.add(where, "a punishment for each player who might deviate; missing "
                             + ", ".join(repr(m) for m in missing))
            else:
                self.profile(p, where)  # type: ignore[arg-type]
        if r.discount is not None:
            self.per_player(r.discount, (*path, "discount"), "repeated.discount", every=True)
        if r.rounds is not None and not 1 <= r.rounds <= MAX_ROUNDS:
            self.add((*path, "rounds"), f"the number of rounds lies in 1..{MAX_ROUNDS:,}, got {r.rounds}")

    # -- shared ------------------------------------------------------------------------------

    def add(self, path: Path, message: str, key: str | None = None) -> None:
        self.issues.append(Issue(path, message, key=key))

    def per_player(self, values: Mapping[str, Any], path: Path, rule: str, *, every: bool) -> None:
        for pid, value in values.items():
            if pid not in self.players:
                self.add(path, f"unknown player {pid!r}{did_you_mean(pid, self.ids)}", key=pid)
            else:
                self.value(value, (*path, pid), rule)
        missing = [pid for pid in self.ids if pid not in values]
        if every and missing:
            self.add(path, "missing " + ", ".join(repr(m) for m in missing)
                     + " (give a value for every player)")

    def value(self, value: Any, path: Path, rule: str) -> None:
        try:
            compiled = compile_expression(value, self.names)
        except ExpressionError as exc:
            self.add(path, str(exc))
            return
        number = float(np.asarray(compiled(self.defaults)))
        test, words = self.rules[rule]
        at = ", ".join(f"{name}={float(self.defaults[name]):g}" for name in sorted(map(str, compiled.names)))
        shown = f"{number:g}" + (f" at the default values ({at})" if at else "")
        if not np.isfinite(number):
            self.add(path, f"is not a finite number ({shown})")
        elif not test(number):
            self.add(path, f"{words}; got {shown}")

    def profile(self, profile: Mapping[str, str] | Sequence[str], path: Path) -> None:
        """A full profile of strategy ids, feasible."""
        indices: list[int | None] = []
        before = len(self.issues)
        if isinstance(profile, Mapping):
            for pid in profile:
                if pid not in self.players:
                    self.add(path, f"unknown player {pid!r}{did_you_mean(pid, self.ids)}", key=pid)
            missing = [pid for pid in self.ids if pid not in profile]
            if missing:
                self.add(path, "missing the strategy of " + ", ".join(repr(m) for m in missing))
            items = [(pid, profile.get(pid), (*path, pid)) for pid in self.ids]
        else:
            if len(profile) != len(self.ids):
                self.add(path, f"expected one strategy per player ({len(self.ids)}: {', '.join(self.ids)}), "
                         f"got {len(profile)}")
                return
            items = [(pid, sid, (*path, k)) for k, (pid, sid) in enumerate(zip(self.ids, profile))]
        for pid, sid, where in items:
            if sid is None:
                continue
            strategies = list(self.players[pid].strategies)
            if sid not in strategies:
                self.add(where, f"unknown strategy {sid!r} of player {pid!r}{did_you_mean(sid, strategies)}")
            else:
                indices.append(strategies.index(sid))
        if len(self.issues) == before and self.mask is not None and not self.mask[tuple(indices)]:
            self.add(path, "an infeasible profile")
