"""The scenario's "what it means" text, with whether it describes the parameter values shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from negsim.solve.result import json_number as _number

__all__ = ["interpretation_of"]


def interpretation_of(scenario: Any, parameters: Mapping[str, float]) -> dict[str, Any] | None:
    """The scenario's "what it means" text and whether it applies: it is written for the
    default parameter values, so at other values it describes a different game."""
    text = getattr(scenario, "interpretation", None)
    if not text:
        return None
    defaults = {name: p.value for name, p in scenario.parameters.items()}
    changed = {
        name: value for name, value in parameters.items() if name in defaults and value != defaults[name]
    }
    return {
        "text": text,
        "at_defaults": not changed,
        "defaults": {name: _number(defaults[name]) for name in changed},
    }
