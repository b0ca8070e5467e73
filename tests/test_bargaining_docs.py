"""The docstring examples of the bargaining and repeated-play modules and their figures run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "negsim.bargaining", "negsim.bargaining.batch", "negsim.bargaining.division",
    "negsim.bargaining.geometry", "negsim.bargaining.numeric", "negsim.bargaining.payoff_set",
    "negsim.bargaining.points", "negsim.bargaining.problem", "negsim.bargaining.rubinstein",
    "negsim.repeated", "negsim.repeated.folk", "negsim.repeated.minmax", "negsim.repeated.trigger",
    "negsim.plot.bargaining", "negsim.plot.repeated",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
