"""Writing a :class:`Scenario` back to YAML that reads back to the same scenario."""

from __future__ import annotations

import re

import yaml

from negsim.scenario.schema import Scenario

__all__ = ["dump_scenario"]

# Text that the scenario reader (YAML 1.2 core schema) would take for a number, a boolean or
# null; PyYAML follows YAML 1.1 and would leave some of it unquoted (e.g. ``1e5``).
_NOT_TEXT = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no types
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if value == "" or _NOT_TEXT.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _text)


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as a self-contained YAML file (``extends`` already merged in, so left out).

    Keys that hold their default value are left out; reading the text back with
    :func:`negsim.scenario.parse_scenario` gives an equal scenario.
    """
    data = scenario.model_dump(mode="python", exclude_defaults=True, exclude={"extends"})
    text = yaml.dump(_whole_numbers(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return str(text)


def _whole_numbers(value: object) -> object:
    """``4`` rather than ``4.0``: reads back as the same number, and reads better."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    return value
