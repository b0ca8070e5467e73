"""Reading scenario files: YAML with positions, ``extends``, validation, every problem at once.

:func:`load_scenario` reads a file, :func:`parse_scenario` a string, :func:`resolve_scenario`
either a file or the id of a built-in scenario. All three raise :class:`ScenarioError` (an
:class:`~negsim.errors.InputError`) listing every problem as
``file:line:col: key.path: message``.

``extends`` names the scenario a file varies: a relative path ending in ``.yaml``/``.yml``,
resolved from the extending file's folder, or the id of a built-in scenario. The file is merged
over its base: mappings key by key, recursively; lists and other values replace. For safety a
relative path may not leave the folder of the file that was asked for (absolute paths are
refused), so a scenario can only pull in scenarios that sit beside it or below it, or built-in
ones; chains are at most :data:`MAX_EXTENDS_DEPTH` long and may not loop.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path as FsPath
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from negsim.errors import Problem, did_you_mean
from negsim.scenario.catalog import Location, ReadError, builtin_ids, builtin_location, builtin_path
from negsim.scenario.checks import check_scenario
from negsim.scenario.issues import (
    Issue,
    ScenarioError,
    describe_value,
    issues_from_validation,
    to_problem,
)
from negsim.scenario.option_checks import OPTION_SECTIONS, check_option_scenario
from negsim.scenario.options import OptionScenario, is_option_form
from negsim.scenario.schema import Scenario
from negsim.scenario.yamltree import Mark, Marks, Tree, read_tree

__all__ = [
    "MAX_EXTENDS_DEPTH",
    "ScenarioError",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
]

#: Longest chain of ``extends`` (a variant of a variant of ...).
MAX_EXTENDS_DEPTH = 8

_SECTIONS = ("parameters", "players", "payoffs", "infeasible", "status_quo", "timing", "types",
             "bargaining", "repeated")


# -- public API ----------------------------------------------------------------------------------


def load_scenario(path: str | os.PathLike[str]) -> Scenario | OptionScenario:
    """Read and check a scenario file (a path only; :func:`resolve_scenario` also takes the id
    of a built-in scenario, and ``negsim.load`` any source as a game)."""
    shown = os.fspath(path)
    fs = FsPath(shown)
    if not fs.exists() and builtin_location(shown) is not None:
        raise ScenarioError([Problem(
            f"no such file; {shown!r} is the id of a built-in scenario: negsim.load({shown!r}) "
            f"reads it as a game, resolve_scenario({shown!r}) as a scenario", file=shown)])
    location = Location(fs.parent.resolve(), (fs.name,), shown)
    return _load(location, origin=shown)


def parse_scenario(text: str, *, file: str = "<string>", base_dir: FsPath | None = None
                   ) -> Scenario | OptionScenario:
    """Check a scenario given as YAML text.

    ``file`` names the text in messages. ``base_dir`` is the folder relative ``extends`` paths
    start from; without it, ``extends`` may only name built-in scenarios.
    """
    location = Location(FsPath(base_dir).resolve(), (file,), file) if base_dir else None
    tree = _tree_from_text(text, file, location, chain=())
    return _build(tree, origin=file)


def resolve_scenario(source: str) -> Scenario | OptionScenario:
    """A scenario file (a path ending in ``.yaml``/``.yml`` or an existing file) or the id of a
    built-in scenario."""
    if _looks_like_path(source):
        return load_scenario(source)
    if builtin_location(source) is None:
        ids = builtin_ids()
        raise ScenarioError([Problem(
            f"no scenario file or built-in scenario {source!r}{did_you_mean(source, ids)}"
        )])
    return load_builtin(source)


def _looks_like_path(source: str) -> bool:
    return (
        source.endswith((".yaml", ".yml"))
        or "/" in source
        or os.sep in source
        or FsPath(source).is_file()
    )


# -- loading -------------------------------------------------------------------------------------


def load_builtin(scenario_id: str) -> Scenario | OptionScenario:
    """The built-in scenario ``scenario_id``, checked."""
    location = builtin_location(scenario_id)
    if location is None:
        builtin_path(scenario_id)  # raises the did-you-mean error
        raise AssertionError("unreachable")
    return _load(location, origin=scenario_id)


def _load(location: Location, origin: str) -> Scenario | OptionScenario:
    tree = _read(location, chain=(), mark=None, path=())
    return _build(tree, origin=origin)


def _read(location: Location, chain: tuple[str, ...], mark: Mark | None, path: tuple
          ) -> Tree:
    """The tree of one file with its ``extends`` chain merged in."""
    try:
        text = location.read()
    except ReadError as exc:
        where = (mark.file, mark.line, mark.column) if mark else (location.shown, None, None)
        raise ScenarioError([Problem(
            message=f"{location.shown}: {exc}" if mark else str(exc),
            path=".".join(path),
            file=where[0], line=where[1], column=where[2],
        )]) from None
    return _tree_from_text(text, location.shown, location, chain)


def _tree_from_text(text: str, file: str, location: Location | None, chain: tuple[str, ...]
                    ) -> Tree:
    tree, problems = read_tree(text, file)
    if tree is None:
        raise ScenarioError(
            [to_problem(Issue(p.path, p.message), _marks_of(p.mark), file) for p in problems]
        )
    if not isinstance(tree.data, dict):
        raise ScenarioError([to_problem(
            Issue((), "expected a mapping of keys (a scenario), got "
                  + ("an empty document" if tree.data is None else describe_value(tree.data))),
            tree.marks, file,
        )])
    extends = tree.data.get("extends")
    if extends is None:
        return tree
    identity = location.identity if location else file
    return _extend(tree, extends, location, (*chain, identity))


def _marks_of(mark: Mark | None) -> Marks | None:
    if mark is None:
        return None
    marks = Marks()
    marks.values[()] = mark
    return marks


def _extend(tree: Tree, target: Any, location: Location | None, chain: tuple[str, ...]
            ) -> Tree:
    def fail(message: str, key: str = "extends") -> ScenarioError:
        return ScenarioError([to_problem(Issue((key,), message), tree.marks, tree.file)])

    if not isinstance(target, str) or not target:
        raise fail("expected a relative path to a .yaml file or the id of a built-in scenario")
    if "id" not in tree.data:
        raise fail("a scenario that extends another must give its own id")
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise fail(f"extends chain too long (at most {MAX_EXTENDS_DEPTH} files)")
    if target.endswith((".yaml", ".yml")):
        if os.path.isabs(target) or target.startswith(("/", "\\")) or (
            len(target) > 1 and target[1] == ":"
        ):
            raise fail(f"{target!r}: extends takes a relative path (or a built-in id), not an "
                       "absolute one")
        if location is None:
            raise fail(f"{target!r}: a relative path needs the scenario's folder; only built-in "
                       "ids can be extended here")
        base_location = location.relative(target)
        if base_location is None:
            raise fail(f"{target!r} is outside the folder of the scenario being loaded")
    else:
        base_location = builtin_location(target)
        if base_location is None:
            raise fail(f"no built-in scenario {target!r}{_close_match(target, builtin_ids())}")
    if base_location.identity in chain:
        raise fail(f"extends {target!r} goes round in a circle")
    mark = tree.marks.value(("extends",))
    base = _read(base_location, chain, mark, ("extends",))
    if base.data.get("id") == tree.data.get("id"):
        raise fail(f"the id {tree.data['id']!r} is that of the scenario it extends; give this "
                   "variant its own id", key="id")
    return _merge_trees(base, tree)


def _close_match(name: str, candidates: list[str]) -> str:
    hint = did_you_mean(name, candidates)
    return hint if hint.startswith(" (did you mean") else ""


def _merge_trees(base: Tree, over: Tree) -> Tree:
    replaced: set[tuple] = set()
    data = _merge(base.data, over.data, (), replaced)
    marks = Marks()
    tables: tuple[tuple[dict[Any, Any], dict[Any, Any]], ...] = (
        (marks.values, base.marks.values), (marks.keys, base.marks.keys),
        (marks.scalars, base.marks.scalars))
    for table, source in tables:
        for path, mark in source.items():
            if not any(path[:n] in replaced for n in range(1, len(path) + 1)):
                table[path] = mark
    marks.update(over.marks)
    return Tree(data, marks, over.file)


def _merge(base: dict, over: dict, path: tuple, replaced: set[tuple]) -> dict:
    result = dict(base)
    for key, value in over.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            result[key] = _merge(base[key], value, here, replaced)
        else:
            result[key] = value
            replaced.add(here)
    return result


# -- validation ----------------------------------------------------------------------------------


def _build(tree: Tree, origin: str) -> Scenario | OptionScenario:
    issues: list[Issue] = []
    scenario: Scenario | OptionScenario | None = None
    model, check, names = ((OptionScenario, check_option_scenario, OPTION_SECTIONS)
                           if is_option_form(tree.data) else (Scenario, check_scenario, _SECTIONS))
    try:
        scenario = model.model_validate(tree.data, context={"skip_checks": True})
    except ValidationError as exc:
        issues = [_in_words(i, model) for i in issues_from_validation(exc, model)]
        issues += check(_valid_sections(tree.data, issues, model, names))
    else:
        issues = check(scenario)
    if issues:
        raise ScenarioError(sort_problems(to_problem(i, tree.marks, tree.file) for i in issues))
    assert scenario is not None
    scenario._origin = origin
    scenario._marks = tree.marks
    return scenario


def _in_words(issue: Issue, model: type) -> Issue:
    """Schema problems that mean the file mixes the two forms, said so."""
    if model is OptionScenario and issue.key == "strategies" and len(issue.path) == 2:
        return Issue(issue.path, "a player lists either strategies (a game) or options (a conflict in "
                                 "option form), not both; in option form every player lists options",
                     key=issue.key)
    if model is OptionScenario and issue.key == "payoffs" and not issue.path:
        return Issue((), "an option-form scenario (its players list options) gives preferences, not "
                         "payoffs: preferences: {player: {payoff: expression}}", key=issue.key)
    return issue


def _valid_sections(data: dict, issues: list[Issue], model: type = Scenario,
                    names: tuple[str, ...] = _SECTIONS) -> SimpleNamespace:
    """The sections of a file that passed the schema, validated one by one; others ``None``."""
    failed = {issue.path[0] if issue.path else issue.key for issue in issues}
    sections = SimpleNamespace(**{name: None for name in names})
    # Checks must tell a section the file leaves out from one that failed the schema.
    sections.absent = {name for name in names if name not in data}
    for name in names:
        if name in failed:
            continue
        if name not in data:
            field = model.model_fields[name]
            if not field.is_required():
                setattr(sections, name, field.get_default(call_default_factory=True))
            continue
        try:
            value = _section_adapter(model, name).validate_python(data[name])
        except ValidationError:
            continue
        setattr(sections, name, value)
    return sections


@functools.cache
def _section_adapter(model: type, name: str) -> TypeAdapter:
    field = model.model_fields[name]
    return TypeAdapter(Annotated[field.annotation, field], config=ConfigDict(strict=True))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file or "", p.line or 0, p.column or 0))
