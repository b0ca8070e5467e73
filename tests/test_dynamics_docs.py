"""The docstring examples of the learning-dynamics modules run as tests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import negsim.dynamics

MODULES = ["negsim.dynamics",
           *(f"negsim.dynamics.{m.name}" for m in pkgutil.iter_modules(negsim.dynamics.__path__))]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
