"""Everything ``negsim conflict`` reports about one conflict, as data: the stability of every
state for every decision maker under each concept, and on request the coalition analysis, the
paths from the status quo, the witnesses of one state's verdicts, and the comparison with the
normal form's Nash equilibria.

>>> from negsim.conflict.model import Conflict, DecisionMaker, Option
>>> pd = Conflict((DecisionMaker("a", ("a_defects",)), DecisionMaker("b", ("b_defects",))),
...               (Option("a_defects"), Option("b_defects")), ((3, 4, 1, 2), (3, 1, 4, 2)), status_quo=0)
>>> report = conflict_report(pd, ("R", "SEQ"), status_quo=True, explain_state=0)
>>> report.analysis.equilibria("SEQ"), [p.target for p in report.paths]
((0, 3), [0, 3])
>>> concept, dm, sentences = report.explanations[2]     # R for a and b first, then SEQ
>>> concept, dm, sentences[0]
('SEQ', 'a', 'State 0 is stable for a under SEQ (sequential stability): every improvement is deterred.')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from negsim.conflict.coalition import CoalitionAnalysis, coalition_analysis
from negsim.conflict.model import Conflict
from negsim.conflict.normal_form import Comparison, compare_with_matrix
from negsim.conflict.stability import BASIC_CONCEPTS, CONCEPTS, StabilityAnalysis, analyze, explain
from negsim.conflict.status_quo import StatusQuoPath, status_quo_paths
from negsim.errors import InputError, Problem, did_you_mean

__all__ = ["ConflictReport", "conflict_report", "parse_concepts", "parse_state", "state_words"]


@dataclass(frozen=True, eq=False)
class ConflictReport:
    """``analysis`` always; the others when asked for (else empty or ``None``).

    ``explanations`` holds, for the state explained, every verdict as ``(concept, dm,
    sentences)``; ``paths`` the paths from the status quo to every state that is an equilibrium
    under one of the concepts."""

    analysis: StabilityAnalysis
    coalitions: CoalitionAnalysis | None = None
    paths: tuple[StatusQuoPath, ...] = ()
    explained: int | None = None
    explanations: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    comparison: Comparison | None = None
    without: tuple[str, ...] = ()

    @property
    def conflict(self) -> Conflict:
        return self.analysis.conflict


def parse_concepts(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"R,SEQ"`` (or a list) as concepts, in the order given; every problem at once."""
    items = [t.strip() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    problems = []
    for item in items:
        if item.upper() not in CONCEPTS:
            problems.append(
                Problem(
                    f"unknown concept {item!r}{did_you_mean(item.upper(), list(CONCEPTS))}", path="concepts"
                )
            )
    if not items:
        problems.append(Problem(f"give at least one concept ({', '.join(CONCEPTS)})", path="concepts"))
    if problems:
        raise InputError(problems)
    return tuple(dict.fromkeys(i.upper() for i in items))


def parse_state(conflict: Conflict, text: str, *, path: str = "state") -> int:
    """A state given as its decimal code, its ``Y``/``N`` text, or the option ids taken joined by
    ``,`` or ``+`` (``none`` for none); it must be feasible."""
    text = text.strip()
    n = conflict.n_options
    if text.isdigit():
        code = int(text)
    elif text and set(text) <= {"Y", "N"} and len(text) == n:
        code = conflict.state_of(text)
    else:
        names = [t.strip() for t in text.replace("+", ",").replace("&", ",").split(",") if t.strip()]
        if names == ["none"] and "none" not in conflict.option_ids:
            names = []
        unknown = [o for o in names if o not in conflict.option_ids]
        if unknown or not text:
            what = (
                f"unknown option {unknown[0]!r}{did_you_mean(unknown[0], conflict.option_ids)}"
                if unknown
                else "expected a state"
            )
            raise InputError(
                [
                    Problem(
                        f"{what}; give a state as its code (e.g. {conflict.states[0]}), its "
                        f"Y/N text ({n} letters) or the options taken (e.g. "
                        f"{','.join(conflict.option_ids[:2])})",
                        path=path,
                    )
                ]
            )
        code = conflict.state_of(names)
    if code not in conflict.index:
        shown = conflict.yn(code) if code < 1 << n else str(code)
        raise InputError([Problem(f"state {code} ({shown}) is not a feasible state", path=path)])
    return code


def state_words(conflict: Conflict, state: int) -> str:
    """``Keep the S-400s, Limited activation; Incentives``: each decision maker's options taken
    (its names), ``nothing`` for a decision maker that takes none."""
    parts = []
    for d in conflict.decision_makers:
        taken = [
            conflict.options[conflict.option_index(o)].label
            for o in d.options
            if state >> conflict.option_index(o) & 1
        ]
        parts.append(f"{d.label}: {', '.join(taken) if taken else 'nothing'}")
    return "; ".join(parts)


def conflict_report(
    conflict: Conflict,
    concepts: Sequence[str] = BASIC_CONCEPTS,
    *,
    coalitions: bool = False,
    status_quo: bool = False,
    explain_state: int | None = None,
    compare: bool = False,
    without: Iterable[str] = (),
) -> ConflictReport:
    """The stability analysis of ``conflict`` under ``concepts`` and the parts asked for.

    ``status_quo`` needs the conflict's status quo; ``explain_state`` is a feasible state's
    decimal code; ``without`` only records which options were left out (the caller restricts
    the conflict with :meth:`Conflict.without_options`)."""
    chosen = parse_concepts(concepts)
    analysis = analyze(conflict, chosen)
    paths: tuple[StatusQuoPath, ...] = ()
    if status_quo:
        if conflict.status_quo is None:
            raise InputError(
                [
                    Problem(
                        "the conflict has no status quo (give the scenario a status_quo state)",
                        path="status_quo",
                    )
                ]
            )
        targets = sorted({s for c in chosen for s in analysis.equilibria(c)})
        paths = status_quo_paths(conflict, targets)
    explanations: list[tuple[str, str, tuple[str, ...]]] = []
    if explain_state is not None:
        if explain_state not in conflict.index:
            raise InputError([Problem(f"state {explain_state} is not a feasible state", path="explain")])
        for c in chosen:
            for d in conflict.dm_ids:
                explanations.append((c, d, tuple(explain(conflict, analysis.verdict(c, d, explain_state)))))
    return ConflictReport(
        analysis,
        coalition_analysis(conflict) if coalitions else None,
        paths,
        explain_state,
        tuple(explanations),
        compare_with_matrix(conflict, tuple(c for c in chosen if c in BASIC_CONCEPTS)) if compare else None,
        tuple(without),
    )
