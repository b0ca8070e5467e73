"""The JSON form of a solution (the contract of ``negsim solve --format json``).

Contract keys: ``scenario``, ``players``, ``strategies``, ``parameters``, ``degenerate``,
``equilibria`` (each with ``kind``, ``profile``, ``strategies``, ``payoffs``). Further keys add
detail without changing those: ``method``, ``complete``, ``exact``, ``components``,
``warnings``, and per equilibrium its ``regret`` and, with ``--exact``, ``exact`` fractions.
"""

from __future__ import annotations

from typing import Any

from negsim.solve.exact import format_fraction
from negsim.solve.result import Solution

__all__ = ["solution_to_dict"]


def _number(value: float) -> float | int:
    """Integral values as integers (``1``, ``0``), others as floats; never ``-0.0``."""
    value = float(value) + 0.0
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    game = solution.game
    equilibria = []
    for e in solution.equilibria:
        item: dict[str, Any] = {
            "kind": e.kind,
            "profile": [[_number(p) for p in s] for s in e.strategies],
            "strategies": {
                player: {
                    game.strategies[i][k]: float(e.strategies[i][k]) + 0.0
                    for k in e.support[i]
                }
                for i, player in enumerate(game.players)
            },
            "payoffs": {player: float(e.payoffs[i]) + 0.0 for i, player in enumerate(game.players)},
            "regret": e.regret,
        }
        if e.exact_strategies is not None:
            item["exact"] = {
                "profile": [[format_fraction(p) for p in s] for s in e.exact_strategies],
                "payoffs": {
                    player: format_fraction(e.exact_payoffs[i]) for i, player in enumerate(game.players)
                },
            }
        equilibria.append(item)
    return {
        "scenario": game.id,
        "players": list(game.players),
        "strategies": {player: list(game.strategies[i]) for i, player in enumerate(game.players)},
        "parameters": {name: _number(v) for name, v in game.parameters.items()},
        "degenerate": solution.degenerate,
        "equilibria": equilibria,
        "method": solution.method,
        "complete": solution.complete,
        "exact": solution.exact,
        "components": [
            {"equilibria": list(c.equilibria), "description": c.description}
            for c in solution.components
        ],
        "warnings": list(solution.warnings),
    }
