"""The report page's conflict section: the graph model's stability table of an option-form
scenario at the page's base point, its equilibria per concept, and the paths from the status
quo to them (the same analysis as ``negsim conflict``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from negsim.compile.source import Source
from negsim.conflict.report import conflict_report, state_words
from negsim.conflict.stability import BASIC_CONCEPTS, CONCEPT_NAMES

__all__ = ["stability_part"]


def stability_part(source: Source, overrides: Mapping[str, float] | None = None) -> dict[str, Any] | None:
    """What the page's conflict section shows, or None for a source that is not a conflict in
    option form."""
    if source.conflict is None:
        return None
    conflict = source.conflict_at(overrides)
    report = conflict_report(conflict, BASIC_CONCEPTS, status_quo=conflict.status_quo is not None)
    analysis = report.analysis
    players = [{"id": d.id, "name": d.label} for d in conflict.decision_makers]
    options = [{"id": o.id, "name": o.label, "player": k}
               for k, d in enumerate(conflict.decision_makers)
               for o in (conflict.options[conflict.option_index(i)] for i in d.options)]
    rows = []
    for state in conflict.states:
        rows.append({
            "state": state,
            "yn": conflict.yn(state),
            "words": state_words(conflict, state),
            "status_quo": state == conflict.status_quo,
            "marks": [[analysis.stable(c, d.id, state) for d in conflict.decision_makers]
                      for c in analysis.concepts],
            "equilibrium": [state in analysis.equilibria(c) for c in analysis.concepts],
        })
    equilibria = [{"concept": c, "name": CONCEPT_NAMES[c],
                   "states": [{"state": s, "yn": conflict.yn(s), "words": state_words(conflict, s)}
                              for s in analysis.equilibria(c)]}
                  for c in analysis.concepts]
    paths = []
    for path in report.paths:
        improving = path.by_improvements is not None
        steps = path.words(conflict, improvements=improving or path.by_moves is None)
        paths.append({"state": path.target, "yn": conflict.yn(path.target),
                      "is_status_quo": path.target == conflict.status_quo,
                      "improving": improving, "reachable": improving or path.by_moves is not None,
                      "steps": steps})
    return {"players": players, "options": options, "concepts": list(analysis.concepts),
            "concept_names": [CONCEPT_NAMES[c] for c in analysis.concepts], "rows": rows,
            "equilibria": equilibria, "paths": paths,
            "status_quo": None if conflict.status_quo is None else conflict.yn(conflict.status_quo)}
