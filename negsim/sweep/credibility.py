"""Credibility sweeps: where a threat or promise is credible, point by point, and the
parameter values where that changes.

A response (``"sanction after full"``) is credible at a point when carrying it out is a best
reply there, play continuing by backward induction: its margin (the ``margin.<response>``
column) is at least 0. Along every line of a grid or one-at-a-time sweep, neighbouring points
on either side of that bracket a threshold, refined by bisection exactly like the tipping
points of equilibria (:func:`negsim.sweep.tipping.find_tipping_points`) and said in words.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from negsim.sequential.batch import credible_at
from negsim.sweep.points import PointSet
from negsim.sweep.tipping import REL_TOL, find_tipping_points
from negsim.sweep.tree_table import TreeLabels
from negsim.sweep.tree_words import CREDIBLE, NOT_CREDIBLE, describe_credibility

__all__ = ["credibility_record", "credibility_thresholds"]


def _labels(credible: np.ndarray) -> np.ndarray:
    return np.where(credible, CREDIBLE, NOT_CREDIBLE).astype(object)


def credibility_thresholds(points: PointSet, credible: np.ndarray, tree: object,
                           labels: TreeLabels,
                           bounds: Mapping[str, tuple[float | None, float | None]]
                           ) -> list[dict]:
    """Every change of credibility along the sweep's lines, for every response
    (``credible`` is ``(points, responses)``), located to :data:`REL_TOL` of the range."""
    records: list[dict] = []
    for r, response in enumerate(labels.responses):
        move = [(response.node, response.action)]

        def refine(values, move=move):
            return _labels(credible_at(tree, move, values)[:, 0]), {}

        records += find_tipping_points(points, _labels(credible[:, r]), {}, refine, None, bounds,
                                       describe=describe_credibility(response))
    return records


def credibility_record(labels: TreeLabels, counts: np.ndarray, n_points: int,
                       thresholds: list[dict] | None) -> dict:
    """``credibility.json``: each response with its share of credible points, and the
    thresholds (``None`` for Monte Carlo sweeps, which have no lines)."""
    responses = []
    for r, response in enumerate(labels.responses):
        n = int(counts[r]) if len(counts) else 0
        responses.append({
            "asked": response.asked,
            "response": response.name,
            "description": response.description,
            "column": response.column,
            "points_credible": n,
            "share_credible": n / n_points if n_points else 0.0,
        })
    return {"tolerance": REL_TOL, "responses": responses, "tipping_points": thresholds}
