"""Sensitivity ranking from one-at-a-time ranges: the data of a tornado chart.

For each parameter moved alone over its min..max: the equilibrium set at each end, how often it
changes along the range, and how far each player's equilibrium payoff swings. A point's payoff
is that of its first equilibrium in the table (pure ones first; see
:func:`negsim.solve.result.sort_equilibria`), so a point with several equilibria contributes one
number per player. Parameters are ranked by their largest swing of any player's payoff.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from negsim.sweep.points import PointSet
from negsim.sweep.table import Labels

__all__ = ["sensitivity_ranking"]


def sensitivity_ranking(
    points: PointSet,
    point_sets: np.ndarray,
    lead_payoffs: np.ndarray,
    tipping_points: Sequence[Mapping],
    labels: Labels,
    parameters: Mapping[str, Mapping],
) -> list[dict]:
    """One record per moved parameter, ranked (``rank`` 1 = largest payoff swing).

    ``parameters`` holds each parameter's metadata (``description``, ``unit``) where the
    scenario gives it.
    """
    count = len(points.axes[0]) if points.axes else 0
    records: list[dict[str, Any]] = []
    for k, name in enumerate(points.swept):
        index = np.arange(k * count, (k + 1) * count)
        sets = point_sets[index]
        payoff = {}
        for i, player in enumerate(labels.players):
            values = lead_payoffs[index, i]
            found = values[~np.isnan(values)]
            if len(found):
                low, high = float(found.min()), float(found.max())
                payoff[player] = {
                    "at_low": _number(values[0]),
                    "at_high": _number(values[-1]),
                    "min": low,
                    "max": high,
                    "swing": high - low,
                }
            else:
                payoff[player] = {"at_low": None, "at_high": None, "min": None, "max": None, "swing": None}
        changes = [t for t in tipping_points if t["parameter"] == name and t["kind"] == "change"]
        meta = parameters.get(name, {})
        records.append(
            {
                "parameter": name,
                "description": meta.get("description"),
                "unit": meta.get("unit"),
                "default": float(points.base[name]),
                "low": float(points.axes[k][0]),
                "high": float(points.axes[k][-1]),
                "outcome_low": str(sets[0]),
                "outcome_high": str(sets[-1]),
                "outcomes": list(dict.fromkeys(str(s) for s in sets)),
                "outcome_changes": len(changes),
                "tipping_values": [t["value"] for t in changes],
                "payoff": payoff,
                "swing": max((p["swing"] for p in payoff.values() if p["swing"] is not None), default=0.0),
            }
        )
    records.sort(key=lambda r: (-r["swing"], -r["outcome_changes"], r["parameter"]))
    for rank, record in enumerate(records, 1):
        record["rank"] = rank
    return records


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
