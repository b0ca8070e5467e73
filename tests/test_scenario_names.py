"""Reserved words: refused as names, listed in the format reference, and named as such."""

from __future__ import annotations

import keyword
import re

import pytest

from negsim.scenario import ScenarioError, parse_scenario, schema
from negsim.scenario.reference import reference_markdown

LOWERCASE_KEYWORDS = sorted(k for k in keyword.kwlist if k.islower())


def _documented_words(text: str) -> list[str]:
    names = text[text.index("Names."):].split("\n\n")[0]
    listed = names[names.index("reserved words"):names.index("(write")]
    return sorted(re.findall(r"`+([a-z]+)`+", listed))


def test_the_documented_reserved_words_are_the_grammars():
    # The rule is Python's keyword list (expressions are parsed with Python's grammar); the
    # docs list the words themselves, so a Python with a new keyword fails here first.
    assert _documented_words(schema.__doc__ or "") == LOWERCASE_KEYWORDS


def test_the_reference_page_lists_them_under_names():
    page = reference_markdown()
    assert _documented_words(page) == LOWERCASE_KEYWORDS
    assert "`raise`, `return`" in page


SCENARIO = """negsim: 1
id: t
title: T
parameters:
  {param}: {{value: 1}}
players:
  {player}:
    strategies:
      {strategy}: {{attributes: {{{attribute}: 1}}}}
      other: {{attributes: {{{attribute}: 0}}}}
  col:
    strategies:
      left: {{}}
      right: {{}}
payoffs:
  {player}: 1
  col: 0
"""


@pytest.mark.parametrize("word", LOWERCASE_KEYWORDS)
@pytest.mark.parametrize("role", ["param", "player", "strategy", "attribute"])
def test_every_reserved_word_is_refused_with_a_pointer_to_the_rule(word, role):
    names = {"param": "p", "player": "row", "strategy": "s", "attribute": "a"}
    names[role] = word
    with pytest.raises(ScenarioError) as info:
        parse_scenario(SCENARIO.format(**names), file="t.yaml")
    messages = [p.message for p in info.value.problems]
    assert (
        f"{word!r} is a reserved word of the expression grammar and cannot be a name (the rule "
        "for names: `negsim schema --markdown`, under Names)"
    ) in messages


def test_names_that_merely_contain_a_reserved_word_are_fine():
    names = {"param": "raise_tariffs", "player": "notary", "strategy": "hold_in", "attribute": "iff"}
    scenario = parse_scenario(SCENARIO.format(**names), file="t.yaml")
    assert list(scenario.players) == ["notary", "col"]
