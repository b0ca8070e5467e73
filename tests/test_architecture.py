"""The package's layers: data flows one way, scenario -> game -> solution -> sweep -> rendering.

Each top-level part of ``negsim`` (a subpackage or a module) has a stage; a module may import
only from its own part or from parts of earlier stages. No part imports one of a later stage,
no two modules import each other round a circle, and imports of negsim's own modules sit at
the top of a module (only the command line imports lazily, to start quickly).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "negsim"

#: The stages, first to last; parts in one stage may not import each other.
STAGES: list[set[str]] = [
    {"errors", "version", "numbers", "scenarios"},
    {"game"},
    {"tree"},
    {"scenario"},
    {"io"},
    {"solve"},
    {"sequential", "conflict", "bargaining", "dynamics"},
    {"repeated"},
    {"compile"},
    {"sweep"},
    {"plot"},
    {"render"},
    {"classroom"},
    {"api"},
    {"cli"},
    {"__main__"},
]
STAGE = {part: k for k, parts in enumerate(STAGES) for part in parts}
#: Parts whose imports of negsim modules may sit inside functions (to start quickly).
LAZY = {"cli", "__init__"}
#: Modules imported inside a function for a reason other than a cycle: the pivoting kernel
#: imports numba (an optional extra) and compiles on first use.
OPTIONAL_IMPORTS = {("negsim.solve.pivoting", "negsim.solve.pivot_kernel")}


#: The scenario library is installed as ``negsim.scenarios`` from its own folder.
LIBRARY = PACKAGE.parent / "scenarios"


def _files() -> list[Path]:
    return sorted([*PACKAGE.rglob("*.py"), *LIBRARY.glob("*.py")])


def _module_name(path: Path) -> str:
    if path.parent == LIBRARY:
        parts = ["negsim", "scenarios", path.stem]
    else:
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = {_module_name(p) for p in _files()}


def _imports() -> list[tuple[str, str, int, bool]]:
    """Every import of a negsim module: (importer, imported, line, inside a function)."""
    found = []
    for path in _files():
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node: ast.AST, in_function: bool, module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
                if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                    if child.module == "negsim" or child.module.startswith("negsim."):
                        for alias in child.names:
                            # ``from negsim.solve import components`` imports a submodule.
                            name = f"{child.module}.{alias.name}"
                            imported = name if name in MODULES else child.module
                            found.append((module, imported, child.lineno, in_function))
                elif isinstance(child, ast.Import):
                    for alias in child.names:
                        if alias.name.startswith("negsim"):
                            found.append((module, alias.name, child.lineno, in_function))
                visit(child, inside)

        visit(tree, False)
    return found


IMPORTS = _imports()


def test_every_part_has_a_stage():
    parts = {_part(m) for m in MODULES} - {"__init__"}
    assert parts <= set(STAGE), f"parts without a stage: {sorted(parts - set(STAGE))}"


def test_no_part_imports_a_later_stage():
    upward = []
    for importer, imported, line, _ in IMPORTS:
        a, b = _part(importer), _part(imported)
        if a == b or a == "__init__" or b == "__init__":
            continue
        if STAGE[b] >= STAGE[a]:
            upward.append(f"{importer}:{line} imports {imported}")
    assert upward == []


def test_the_root_package_imports_only_the_first_stages():
    eager = [imported for importer, imported, _, lazy in IMPORTS if importer == "negsim" and not lazy]
    assert all(STAGE[_part(m)] <= STAGE["game"] for m in eager), eager


def test_negsim_modules_are_imported_at_the_top_of_a_module():
    inside = [
        f"{importer}:{line} imports {imported}"
        for importer, imported, line, lazy in IMPORTS
        if lazy and _part(importer) not in LAZY and (importer, imported) not in OPTIONAL_IMPORTS
    ]
    assert inside == []


def test_no_import_cycle():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for importer, imported, _, _ in IMPORTS:
        if imported in MODULES and imported != importer:
            graph[importer].add(imported)
    cycles = []
    state: dict[str, int] = {}

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                walk(nxt, stack)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [])
    assert cycles == [], "\n".join(cycles)


@pytest.mark.parametrize("part", sorted({_part(m) for m in MODULES} - {"__init__", "__main__"}))
def test_each_part_is_described_in_the_architecture_page(part):
    page = PACKAGE.parent / "docs" / "discussion" / "architecture.md"
    assert f"`{part}`" in page.read_text(encoding="utf-8")
