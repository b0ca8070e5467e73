"""The analysis kinds the sweep engine knows (see :mod:`negsim.sweep.analysis`), and which one
a spec asks for.

A spec names an analysis by its key (``stability: SEQ``, ``bargaining: {solution: nash}``,
``repeated: {...}``, ``dynamics: {follow: replicator}``); without one, a source whose default it
is gets it (an option-form conflict: its stabilities) unless the spec asks for an
``equilibrium``. Nash and subgame-perfect sweeps are not analysis kinds: they are what the
engine computes when no kind applies.
"""

from __future__ import annotations

from typing import Any

from negsim.sweep.analysis import AnalysisKind
from negsim.sweep.dynamics import DYNAMICS
from negsim.sweep.settlement import BARGAINING, REPEATED
from negsim.sweep.stability import STABILITY

__all__ = ["ANALYSES", "analysis_for"]

ANALYSES: dict[str, AnalysisKind] = {
    kind.name: kind for kind in (STABILITY, BARGAINING, REPEATED, DYNAMICS)
}


def analysis_for(spec: Any, source: Any) -> AnalysisKind | None:
    """The analysis kind a sweep of ``source`` under ``spec`` computes, or ``None`` for Nash or
    subgame-perfect equilibria."""
    for kind in ANALYSES.values():
        if getattr(spec, kind.key, None) is not None:
            return kind
    if spec.equilibrium is None:
        for kind in ANALYSES.values():
            if kind.default_for(source):
                return kind
    return None
