"""A mistake inside an expression is reported at its own line and column in the file.

YAML joins a folded (``>``, ``>-``) or literal (``|``) block, and a plain or quoted value over
several lines, into one text; the position of a mistake in that text is carried back to the
file. Each case writes the misspelt name ``secruity`` once and expects the report exactly
where it stands in the file (found by searching the text, and pinned by hand for two cases).
"""

from __future__ import annotations

import pytest

from negsim.compile import compile_scenario
from negsim.scenario import ScenarioError, parse_scenario

HEAD = """negsim: 1
id: t
title: T
parameters:
  security: {value: 6, min: 0, max: 10}
  cost: {value: 2, min: 0, max: 5}
players:
  row:
    strategies:
      keep: {attributes: {kept: 1}}
      drop: {attributes: {kept: 0}}
  col:
    strategies:
      hit: {attributes: {hits: 1}}
      wait: {attributes: {hits: 0}}
"""

WRONG = "secruity"
MESSAGE = "unknown name 'secruity' (did you mean 'security'?)"

CASES = {
    "folded-strip": """payoffs:
  row: >-
    cost * col.hits
    + secruity * row.kept
  col: -cost * row.kept
""",
    "folded-clip": """payoffs:
  col: -cost * row.kept
  row: >
      cost * col.hits - 1
      + 2 * row.kept
      + secruity * row.kept
""",
    "folded-with-blank-line": """payoffs:
  row: >-
    cost * col.hits

    + secruity
  col: 0
""",
    "literal": """payoffs:
  row: |
    (cost * col.hits
     + secruity * row.kept)
  col: 0
""",
    "literal-keep-indented": """payoffs:
  row: |+
        cost * col.hits +
          secruity * row.kept

  col: 0
""",
    "literal-indentation-indicator": """payoffs:
  row: |2-
      cost * col.hits +
      secruity
  col: 0
""",
    "plain-over-two-lines": """payoffs:
  row: cost * col.hits +
    secruity * row.kept
  col: 0
""",
    "double-quoted-over-two-lines": """payoffs:
  row: "cost * col.hits +
    secruity * row.kept"
  col: 0
""",
    "single-quoted-over-three-lines": """payoffs:
  row: 'cost *
        col.hits +

    secruity'
  col: 0
""",
    "in-a-matrix-cell": """payoffs:
  matrix:
    row:
      - - 1
        - >-
          2 +
            secruity
      - [0, 0]
    col: [[0, 0], [0, 0]]
""",
}


def _located(text: str) -> tuple[int, int]:
    index = text.index(WRONG)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _problems(text: str) -> list:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="t.yaml")
    return info.value.problems


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_the_mistake_is_reported_where_it_stands(name):
    text = HEAD + CASES[name]
    found = [p for p in _problems(text) if "secruity" in p.message]
    assert len(found) == 1, [str(p) for p in _problems(text)]
    problem = found[0]
    assert (problem.line, problem.column) == _located(text), str(problem)
    assert problem.message == MESSAGE


def test_two_cases_pinned_by_hand():
    lines = [str(p) for p in _problems(HEAD + CASES["folded-strip"])]
    assert lines == ["t.yaml:19:7: payoffs.row: " + MESSAGE]
    lines = [str(p) for p in _problems(HEAD + CASES["literal-keep-indented"])]
    assert lines == ["t.yaml:19:11: payoffs.row: " + MESSAGE]


def test_without_its_own_position_the_message_says_where_in_the_expression():
    # A value repeated by a YAML alias has no place of its own in the file: the report stands
    # at the alias and says where in the expression the mistake is.
    text = HEAD + """payoffs:
  row: &same |
    cost +
      secruity
  col: *same
"""
    assert [str(p) for p in _problems(text)] == [
        "t.yaml:19:7: payoffs.row: " + MESSAGE,
        "t.yaml:20:8: payoffs.col: unknown name 'secruity' at line 2, column 3 of the expression "
        "(did you mean 'security'?)",
    ]


def test_a_literal_block_expression_is_valid_over_several_lines():
    text = HEAD + """payoffs:
  row: |
    cost * col.hits
    + security * row.kept
  col: >-
    - cost
    * row.kept
"""
    game = compile_scenario(parse_scenario(text, file="t.yaml")).game({})
    assert game.payoffs[0].tolist() == [[8.0, 6.0], [2.0, 0.0]]
    assert game.payoffs[1].tolist() == [[-2.0, -2.0], [0.0, 0.0]]
