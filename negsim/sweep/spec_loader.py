"""Reading sweep specs: YAML with positions, every problem at once, in negsim's words.

:func:`load_sweep_spec` reads a file and checks it also against its scenario;
:func:`parse_sweep_spec` checks plain data (what the command line builds). Problems are
reported like scenario problems, ``file:line:col: key.path: message``, using the scenario
loader's YAML reader (positions, limits on hostile input) and its issue helpers.
"""

from __future__ import annotations

import os
import re
from typing import Any

from negsim.compile.source import load_source
from negsim.errors import InputError, Problem
from negsim.io.text_files import read_text_file
from negsim.scenario.issues import Issue, to_problem
from negsim.scenario.loader import sort_problems
from negsim.scenario.yamltree import MAX_FILE_BYTES, Marks, read_tree
from negsim.sweep.spec import SweepSpec, looks_like_file, parse_sweep_spec
from negsim.sweep.spec_checks import check_against_scenario

__all__ = ["is_sweep_spec_file", "load_sweep_spec"]


_SPEC_KEY = re.compile(rb"^[\s-]*negsim_sweep\s*:", re.MULTILINE)


def is_sweep_spec_file(path: str) -> bool:
    """True when ``path`` is a YAML file that names the key ``negsim_sweep`` (scenario files
    start with ``negsim:`` instead)."""
    if not path.lower().endswith((".yaml", ".yml")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return False
    return _SPEC_KEY.search(head) is not None


def load_sweep_spec(path: str | os.PathLike[str]) -> SweepSpec:
    """Read and check a sweep spec file (also against its scenario: names and ranges)."""
    shown = os.fspath(path)
    text = read_text_file(shown, limit=MAX_FILE_BYTES, kind="sweep specs", bom=True)
    tree, problems = read_tree(text, shown)
    if tree is None:
        raise InputError(sort_problems(
            to_problem(Issue(p.path, p.message), _single(p.mark), shown) for p in problems))
    spec = parse_sweep_spec(tree.data, file=shown, marks=tree.marks)

    scenario = spec.scenario_source()
    if looks_like_file(spec.scenario) and not os.path.exists(scenario):
        raise InputError([to_problem(Issue(("scenario",), f"no such file {scenario!r} (a path "
                                                          "is taken from the spec's folder)"),
                                     spec._marks, shown)])
    try:
        source = load_source(scenario)
    except InputError as exc:
        raise InputError(_scenario_problems(spec, exc)) from None
    check_against_scenario(spec, source.game, source.tree, source)
    spec._source = source
    return spec


def _single(mark: Any) -> Marks | None:
    if mark is None:
        return None
    marks = Marks()
    marks.values[()] = mark
    return marks


def _scenario_problems(spec: SweepSpec, exc: InputError) -> list[Problem]:
    """A scenario that cannot be loaded: say so at the spec's ``scenario`` key, then why."""
    first = to_problem(Issue(("scenario",), f"cannot load scenario {spec.scenario!r}"),
                       spec._marks, spec._file or "")
    rest = [p for p in exc.problems]
    if len(rest) == 1 and rest[0].file is None:
        return [to_problem(Issue(("scenario",), rest[0].message), spec._marks, spec._file or "")]
    return [first, *rest]
