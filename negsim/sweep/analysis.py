"""Analysis kinds: the extension point of the sweep engine for what is computed at each point.

A sweep of a game computes Nash equilibria (:mod:`negsim.sweep.table`), a sweep of a game tree
subgame-perfect ones (:mod:`negsim.sweep.tree_table`). Any other analysis plugs in as an
:class:`AnalysisKind`, and the engine does the rest the same way for all of them: points,
chunks on every executor, run folders written so nothing incomplete looks complete, tipping
points bracketed and bisected, sensitivity ranking, figures.

An analysis kind gives:

- ``name`` and ``key``: the spec key that selects it (``stability: SEQ``), and ``default_for``,
  whether it is what a sweep of a source computes when the spec names no analysis;
- ``check(spec, source)``: problems of the spec for this analysis, as issues at key paths;
- ``labels(source, spec)``: the table's labels, an object with ``players`` (ids),
  ``parameters``, ``columns()`` (the results table's columns, in order), ``point_columns()``
  and ``parameter_column(name)``;
- ``solve_chunk(task)``: a module-level function (it is pickled to worker processes) that
  turns one :class:`~negsim.sweep.engine.ChunkTask` into a
  :class:`~negsim.sweep.engine.ChunkResult`: the chunk's rows as CSV and JSON text, each
  point's set label (``point_sets``, what tipping points follow), each label's members
  (``sets``) and each point's lead payoffs (for sensitivity);
- ``refine(source, labels, spec)``: a function from parameter values (every parameter, one
  array each) to the set labels and members at those points, computed exactly as in the
  table: what tipping points are bisected with;
- ``describe(source, labels, spec, base)``: completes each tipping point's record (its keys up
  to ``through``) with words (``sentence``) and what appears and disappears; ``base`` holds the
  parameters' values where they do not move;
- ``manifest(source, labels, spec)``: the keys it adds to the run's manifest (at least
  ``analysis``, its name, and ``labels``, the display names of players and strategies);
- ``tolerance`` (optional): how finely tipping points are located, as a fraction of the
  parameter's range, for analyses whose results are themselves only that precise (by default
  :data:`negsim.sweep.tipping.REL_TOL`).

The stability analysis of option-form conflicts (:mod:`negsim.sweep.stability`) is the first
kind; :mod:`negsim.sweep.analyses` lists the kinds the engine knows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.scenario.issues import Issue

__all__ = ["AnalysisKind", "Describe", "Refine"]

#: Parameter values (every parameter, one array each) -> (set label per point, members per label).
Refine = Callable[[Mapping[str, np.ndarray]], tuple[np.ndarray, dict[str, tuple[Any, ...]]]]
#: (a tipping point's common keys, every set's members) -> the completed record.
Describe = Callable[[dict[str, Any], dict[str, tuple[Any, ...]]], dict[str, Any]]


@dataclass(frozen=True)
class AnalysisKind:
    """One kind of analysis a sweep can compute at each point (see the module docstring)."""

    name: str
    key: str
    default_for: Callable[[Any], bool]
    check: Callable[[Any, Any], list[Issue]]
    labels: Callable[[Any, Any], Any]
    solve_chunk: Callable[[Any], Any]
    refine: Callable[[Any, Any, Any], Refine]
    describe: Callable[[Any, Any, Any, Mapping[str, float]], Describe]
    manifest: Callable[[Any, Any, Any], dict[str, Any]]
    tolerance: float | None = None
