"""negsim.conflict: doctests run, and the package imports only the stages before it."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import negsim.conflict

MODULES = sorted(m.name for m in pkgutil.iter_modules(negsim.conflict.__path__, "negsim.conflict."))
ALLOWED = ("negsim.errors", "negsim.game", "negsim.solve", "negsim.conflict")


@pytest.mark.parametrize("name", ["negsim.conflict", *MODULES, "negsim.plot.conflict"])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_imports_only_earlier_stages(name):
    source = Path(importlib.import_module(name).__file__).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("negsim"):
            assert node.module.startswith(ALLOWED), (name, node.module)
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith("negsim") or alias.name.startswith(ALLOWED)
