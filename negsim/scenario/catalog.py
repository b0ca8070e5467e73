"""The built-in scenarios shipped in the package ``negsim.scenarios``, found by id.

A built-in scenario is a ``.yaml`` file in a folder of ``negsim.scenarios`` (for example
``s400/2025-limited-use.yaml``), found by the ``id`` it declares. They are read through
:mod:`importlib.resources`, so they work from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

import functools
import os
import posixpath
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from negsim.errors import did_you_mean
from negsim.scenario.issues import ScenarioError
from negsim.scenario.yamltree import MAX_FILE_BYTES, read_tree

__all__ = ["Location", "ReadError", "builtin_entries", "builtin_ids", "builtin_location", "builtin_path"]

PACKAGE = "negsim.scenarios"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Location:
    """Where a scenario's text comes from, and the folder its ``extends`` may reach into.

    ``root`` is a folder (a filesystem path or a package resource) and ``parts`` the path
    below it; ``shown`` is how messages name the file.
    """

    root: Path | Traversable
    parts: tuple[str, ...]
    shown: str

    @property
    def resource(self) -> Path | Traversable:
        return self.root.joinpath(*self.parts) if self.parts else self.root

    @property
    def identity(self) -> str:
        resource = self.resource
        if isinstance(resource, Path):
            return str(resource.resolve())
        return "resource:" + "/".join(self.parts) + ":" + str(self.root)

    def read(self) -> str:
        resource = self.resource
        if isinstance(resource, Path):
            if resource.is_dir():
                raise ReadError("is a folder, not a scenario file")
            if not resource.exists():
                raise ReadError("no such file")
            root = Path(self.root).resolve()
            if not resource.resolve().is_relative_to(root):
                raise ReadError("refers (through a link) to a file outside the scenario's "
                                 "folder")
        try:
            with resource.open("rb") as handle:
                # Read one byte past the limit so that endless files (/dev/zero) stop too.
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise ReadError("no such file") from None
        except OSError as exc:
            raise ReadError(f"cannot be read ({exc.strerror or exc})") from None
        if len(data) > MAX_FILE_BYTES:
            raise ReadError(f"file too large (more than {MAX_FILE_BYTES} bytes)")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReadError(f"not UTF-8 text (byte {exc.start})") from None

    def relative(self, target: str) -> Location | None:
        """The location of ``target`` relative to this file, or None if it leaves the root."""
        parts: list[str] = list(self.parts[:-1])
        for part in target.replace("\\", "/").split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    return None
                parts.pop()
            else:
                parts.append(part)
        shown = posixpath.normpath(posixpath.join(posixpath.dirname(self.shown), target))
        return Location(self.root, tuple(parts), shown)


class ReadError(Exception):
    pass


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


def builtin_entries() -> list[tuple[str, str]]:
    """Each built-in id with its file's path inside the package (``s400/2025-limited-use.yaml``),
    sorted by id."""
    return [(scenario_id, "/".join(parts)) for scenario_id, parts in _index().items()]


def builtin_path(scenario_id: str) -> Traversable:
    """The resource holding the built-in scenario ``scenario_id``."""
    parts = _index().get(scenario_id)
    if parts is None:
        raise ScenarioError(f"no built-in scenario {scenario_id!r}"
                            f"{did_you_mean(scenario_id, builtin_ids())}")
    return files(PACKAGE).joinpath(*parts)


def builtin_location(scenario_id: str) -> Location | None:
    parts = _index().get(scenario_id)
    if parts is None:
        return None
    folder = files(PACKAGE).joinpath(*parts[:-1]) if len(parts) > 1 else files(PACKAGE)
    return Location(folder, (parts[-1],), _shown(folder, parts))


def _shown(folder: Traversable, parts: tuple[str, ...]) -> str:
    if isinstance(folder, Path):
        path = folder / parts[-1]
        try:
            relative = os.path.relpath(path)
        except ValueError:
            return str(path)
        return str(path) if relative.startswith("..") else relative
    return "/".join((PACKAGE, *parts))
