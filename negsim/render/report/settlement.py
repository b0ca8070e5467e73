"""The report page's sections on where the sides may settle, at the page's base point: the
bargaining solutions (``negsim bargain``), whether cooperation can last in repeated play
(``negsim repeated``) and where learning dynamics go (``negsim dynamics overview``). Each
section is left out, with the reason, where its analysis does not apply to the game."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from negsim.compile.source import Source
from negsim.dynamics.overview import learning_overview
from negsim.errors import InputError
from negsim.numbers import format_fraction

__all__ = ["bargaining_part", "dynamics_part", "repeated_part"]

#: Rounds of fictitious play and the replicator's horizon on the page: enough for the scenario
#: games to settle, small enough that every page is made in a second or two.
PAGE_STEPS = 1000
PAGE_HORIZON = 60.0


#: Why the page leaves these sections out of a conflict in option form.
ORDINAL = (
    "in option form the preferences are an order of the states; bargaining, repeated play "
    "and learning dynamics read payoffs as amounts (run negsim bargain, repeated or dynamics "
    "on the conflict's normal form where its payoffs mean that)"
)


def _reason(error: InputError) -> str:
    return "; ".join(p.message for p in error.problems)


def bargaining_part(source: Source, overrides: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The bargaining solutions from the scenario's declarations (or its defaults), or why not."""
    if source.conflict is not None:
        return {"skipped": ORDINAL}
    try:
        analysis = source.bargain(overrides)
    except InputError as error:
        return {"skipped": _reason(error)}
    problem = analysis.problem
    names = problem.names
    return {
        "agreements": problem.feasible.agreements,
        "disagreement": problem.disagreement.description,
        "disagreement_payoffs": [(n, format_fraction(v)) for n, v in zip(names, problem.d)],
        "zopa": analysis.zopa.text,
        "names": list(names),
        "solutions": [
            {
                "title": a.title,
                "how": a.how(names) + (f" ({a.note})" if a.note else ""),
                "payoffs": [format_fraction(v) for v in a.payoffs],
            }
            for a in analysis.agreements
        ],
        "offers": analysis.offers_sentence() if analysis.offers is not None else None,
    }


def repeated_part(source: Source, overrides: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Whether the scenario's cooperative outcomes can last, and the folk-theorem region, or
    why not."""
    if source.conflict is not None:
        return {"skipped": ORDINAL}
    try:
        play = source.repeated(overrides)
    except InputError as error:
        return {"skipped": _reason(error)}
    return {
        "folk": play.folk.text(),
        "cooperation": [
            {
                "label": s.label,
                "sentence": s.sentence(),
                "verdict": play.verdict(s) if play.discount is not None else None,
            }
            for s in play.cooperation
        ],
        "finite": list(dict.fromkeys(f.text for f in play.finite)),
    }


def dynamics_part(source: Source, overrides: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Where each learning dynamic goes from its starts, beside the equilibria, or why not."""
    if source.conflict is not None:
        return {"skipped": ORDINAL}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            overview = learning_overview(source.at(overrides), steps=PAGE_STEPS, horizon=PAGE_HORIZON)
    except InputError as error:
        return {"skipped": _reason(error)}
    return {
        "results": [
            {"dynamic": r.dynamic, "start": r.start, "reached": r.reached_label, "description": r.description}
            for r in overview.results
        ],
        "selected": overview.selected(),
        "steps": PAGE_STEPS,
        "horizon": PAGE_HORIZON,
    }
