"""The built-in scenarios shipped in the package ``negsim.scenarios``, found by id.

A built-in scenario is a ``.yaml`` file in a folder of ``negsim.scenarios`` (for example
``s400/2025-limited-use.yaml``), found by the ``id`` it declares. They are read through
:mod:`importlib.resources`, so they work from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from negsim.errors import did_you_mean
from negsim.scenario.loader import ScenarioError, _load, _Location
from negsim.scenario.schema import Scenario
from negsim.scenario.yamltree import read_tree

__all__ = ["ScenarioInfo", "builtin_ids", "builtin_location", "builtin_path", "list_scenarios"]

PACKAGE = "negsim.scenarios"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ScenarioInfo:
    """What ``negsim list`` shows about a built-in scenario."""

    id: str
    title: str
    players: tuple[str, ...]
    shape: tuple[int, ...]
    tags: tuple[str, ...]
    path: str
    """Where the file is, relative to the package (e.g. ``s400/2025-limited-use.yaml``)."""


@functools.cache
def _index() -> dict[str, tuple[str, ...]]:
    """Built-in ids and the resource path of each file (folder parts, then the file name).

    The id is read from each file (its top-level ``id`` key); files without a readable id are
    indexed under their file name, so that loading them reports what is wrong.
    """
    index: dict[str, tuple[str, ...]] = {}
    root = files(PACKAGE)
    stack: list[tuple[Traversable, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                stack.append((entry, (*parts, entry.name)))
            elif entry.name.endswith(_SUFFIXES):
                index.setdefault(_declared_id(entry), (*parts, entry.name))
    return dict(sorted(index.items()))


def _declared_id(entry: Traversable) -> str:
    stem = entry.name.rsplit(".", 1)[0]
    try:
        tree, _problems = read_tree(entry.read_text(encoding="utf-8"), entry.name)
    except (OSError, UnicodeDecodeError):
        return stem
    if tree is not None and isinstance(tree.data, dict) and isinstance(tree.data.get("id"), str):
        return tree.data["id"]
    return stem


def builtin_ids() -> list[str]:
    """Ids of all built-in scenarios, sorted."""
    return list(_index())


def builtin_path(scenario_id: str) -> Traversable:
    """The resource holding the built-in scenario ``scenario_id``."""
    parts = _index().get(scenario_id)
    if parts is None:
        raise ScenarioError(f"no built-in scenario {scenario_id!r}"
                            f"{did_you_mean(scenario_id, builtin_ids())}")
    return files(PACKAGE).joinpath(*parts)


def builtin_location(scenario_id: str) -> _Location | None:
    parts = _index().get(scenario_id)
    if parts is None:
        return None
    folder = files(PACKAGE).joinpath(*parts[:-1]) if len(parts) > 1 else files(PACKAGE)
    return _Location(folder, (parts[-1],), _shown(folder, parts))


def _shown(folder: Traversable, parts: tuple[str, ...]) -> str:
    if isinstance(folder, Path):
        path = folder / parts[-1]
        try:
            relative = os.path.relpath(path)
        except ValueError:
            return str(path)
        return str(path) if relative.startswith("..") else relative
    return "/".join((PACKAGE, *parts))


def load_builtin(scenario_id: str) -> Scenario:
    """The built-in scenario ``scenario_id``, checked."""
    location = builtin_location(scenario_id)
    if location is None:
        builtin_path(scenario_id)  # raises the did-you-mean error
    return _load(location, origin=scenario_id)


def list_scenarios() -> list[ScenarioInfo]:
    """Every built-in scenario, sorted by id; raises if one of them is invalid."""
    infos = []
    for scenario_id, parts in _index().items():
        scenario = load_builtin(scenario_id)
        infos.append(ScenarioInfo(
            id=scenario.id,
            title=scenario.title,
            players=tuple(scenario.players),
            shape=scenario.shape,
            tags=tuple(scenario.tags),
            path="/".join(parts),
        ))
    return infos
