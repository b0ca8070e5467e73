"""The option-form scenario format: strict models, statements parsed with columns, every problem
of a file reported at once as ``file:line:col: key.path: message``."""

from __future__ import annotations

import numpy as np
import pytest

from negsim.compile.conflict import compile_conflict, load_conflict
from negsim.compile.source import load_source
from negsim.conflict.preferences import prioritization_scores
from negsim.errors import InputError
from negsim.scenario import parse_scenario
from negsim.scenario.options import OptionScenario
from negsim.scenario.statements import StatementError, parse_statement

OPTIONS = ["air_strike", "blockade", "withdraw", "escalate"]


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        pytest.param("1 &", 4, "expected an option number, an option id, '-' or '('", id="dangling-and"),
        pytest.param("& 2", 1, "expected an option number", id="leading-operator"),
        pytest.param(
            "1 2", 3, "expected '&', '|', 'if', 'iff' or the end of the statement", id="two-options"
        ),
        pytest.param("(1 | 2", 7, "expected ')' to close the parenthesis at column 1", id="open-paren"),
        pytest.param("-7", 2, "expected an option number from 1 to 4", id="number-out-of-range"),
        pytest.param("blokade & 3", 1, "unknown option 'blokade'", id="unknown-option"),
        pytest.param(
            "withdraw # escalate", 10, "expected an option number, an option id", id="bad-character"
        ),
        pytest.param("   ", 1, "expected an option, found an empty statement", id="empty"),
        pytest.param("3 if", 5, "found the end of the statement", id="if-without-condition"),
        pytest.param("Y at option", 12, "expected an option number, an option id", id="y-at-nothing"),
    ],
)
def test_statement_errors_name_the_column_and_what_was_expected(text, column, expected):
    with pytest.raises(StatementError) as error:
        parse_statement(text, OPTIONS)
    assert error.value.column == column
    assert expected in error.value.message


def test_unknown_options_get_a_did_you_mean():
    with pytest.raises(StatementError) as error:
        parse_statement("blokade & 3", OPTIONS)
    assert str(error.value).endswith("(did you mean 'blockade'?)")


@pytest.mark.parametrize(
    ("text", "holds_at", "fails_at"),
    [
        pytest.param("3", [4, 5], [0, 3]),
        pytest.param("-1", [0, 2], [1, 3]),
        pytest.param("1 iff 2", [0, 3], [1, 2]),
        pytest.param("-1 if 2", [0, 1, 2], [3]),
        pytest.param("1 & 2", [3, 7], [1, 2]),
        pytest.param("1 | -3", [0, 1, 5], [4]),
        pytest.param("withdraw & -(air_strike | blockade)", [4], [5, 6, 0]),
        pytest.param("not 1 and 2 or 3", [2, 4], [0, 3]),
        pytest.param("Y at option 3", [4, 5], [0, 3], id="gmcr-plus-y-at"),
        pytest.param("N at 1 if Y at 2", [0, 1, 2], [3], id="gmcr-plus-n-if-y"),
        pytest.param("Y at withdraw & N at escalate", [4, 5], [12, 0], id="gmcr-plus-ids"),
    ],
)
def test_statement_semantics(text, holds_at, fails_at):
    st = parse_statement(text, OPTIONS)
    assert all(st.holds(s) for s in holds_at)
    assert not any(st.holds(s) for s in fails_at)


def test_prioritization_weights_are_binary():
    c = load_conflict("prisoners-dilemma-options")
    ids = list(c.option_ids)
    scores = prioritization_scores(
        c,
        {
            "prisoner_1": [parse_statement("-p2_defects", ids), parse_statement("p1_defects", ids)],
            "prisoner_2": [parse_statement("p2_defects", ids)],
        },
    )
    assert scores.tolist() == [[2, 3, 0, 1], [0, 0, 1, 1]]


BASE = """\
negsim: 1
id: small
title: A small conflict
parameters:
  cost: {value: 2, min: 0, max: 5}
players:
  a:
    name: A
    options:
      modify: {}
      delay: {}
  b:
    options:
      insist: {}
preferences:
  a: {statements: ["-insist", "modify"]}
  b: {ranking: [YNY, [NNN, NNY], YNN, NYN, NYY, YYN, YYY]}
infeasible: []
irreversible: {modify: N->Y}
status_quo: [delay]
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as error:
        parse_scenario(text, file="x.yaml")
    return [str(p) for p in error.value.problems]


def test_a_valid_file_is_an_option_scenario():
    s = parse_scenario(BASE, file="x.yaml")
    assert isinstance(s, OptionScenario)
    assert s.option_ids == ["modify", "delay", "insist"]
    c = compile_conflict(s).conflict()
    assert c.status_quo == 2 and c.options[0].direction == "N->Y"
    assert c.ranking("b")[1] == (0, 4)  # the tie NNN, NNY


def test_statement_problems_sit_at_their_column_in_the_file():
    text = BASE.replace('["-insist", "modify"]', '["-insist", "modify & delya"]')
    (problem,) = _problems(text)
    # line 16: `  a: {statements: ["-insist", "modify & delya"]}`; "delya" starts at column 41
    assert problem.startswith("x.yaml:16:41: preferences.a.statements[1]: unknown option 'delya'")
    # Placed in the file, the message drops its column within the statement.
    assert problem.endswith("unknown option 'delya' (did you mean 'delay'?)")


def test_statement_problems_in_block_lists_and_plain_scalars():
    text = BASE.replace(
        '  a: {statements: ["-insist", "modify"]}', "  a:\n    statements:\n      - -insist\n      - modify &"
    )
    (problem,) = _problems(text)
    # `      - modify &`: the statement starts at column 9; the problem (the end) is placed at
    # its last character, the `&` at column 9 + 7
    assert problem.startswith("x.yaml:19:16: preferences.a.statements[1]: expected an option number")


def test_every_problem_at_once_with_did_you_mean():
    text = (
        BASE.replace("irreversible: {modify: N->Y}", "irreversible: {modfy: N->Y}")
        .replace("infeasible: []", 'infeasible: ["YY", {mutually_exclusive: [delay, acept]}]')
        .replace("status_quo: [delay]", "status_quo: [dely]")
        .replace("b: {ranking", "c: {ranking")
    )
    problems = _problems(text)
    joined = "\n".join(problems)
    assert "irreversible: unknown option 'modfy' (did you mean 'modify'?)" in joined
    assert "infeasible[0]: pattern 'YY' has 2 letters; expected one Y, N or - per option (3" in joined
    assert "infeasible[1].mutually_exclusive[1]: unknown option 'acept' (did you mean 'accept'" not in joined
    assert "infeasible[1].mutually_exclusive[1]: unknown option 'acept'" in joined
    assert "status_quo[0]: unknown option 'dely' (did you mean 'delay'?)" in joined
    assert "preferences: unknown player 'c'" in joined and "missing the preferences of 'b'" in joined
    assert all(p.startswith("x.yaml:") and p.split(":")[1].isdigit() for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        pytest.param(
            "title: A small conflict",
            "title: A small conflict\ncolour: red",
            "unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            'a: {statements: ["-insist", "modify"]}',
            'a: {statements: ["-insist"], payoff: "cost"}',
            "give exactly one of statements, ranking and payoff (found statements and payoff)",
            id="two-preference-forms",
        ),
        pytest.param("      insist: {}", "      Insist: {}", "'Insist' is not a name", id="bad-option-id"),
        pytest.param(
            "infeasible: []",
            "infeasible: [{at_least_one: [delay], pattern: {delay: Y}}]",
            "give exactly one of mutually_exclusive",
            id="two-rules",
        ),
        pytest.param(
            "      insist: {}",
            "      insist: {}\n    strategies: {x: {}}",
            "a player lists either strategies (a game) or options",
            id="strategies-and-options",
        ),
        pytest.param(
            "infeasible: []",
            "infeasible: []\npayoffs: {a: 1, b: 1}",
            "gives preferences, not payoffs",
            id="payoffs-in-option-form",
        ),
        pytest.param(
            "      insist: {}",
            "      cost: {}",
            "'cost' is both an option and a parameter",
            id="option-named-like-a-parameter",
        ),
        pytest.param(
            "  b:\n    options:\n      insist: {}",
            "  b:\n    options:\n      delay: {}",
            "option 'delay' is already an option of 'a'",
            id="duplicate-option",
        ),
    ],
)
def test_shape_and_reference_errors(old, new, fragment):
    problems = _problems(BASE.replace(old, new))
    assert any(fragment in p for p in problems), problems


def test_ranking_and_status_quo_checks():
    text = BASE.replace("[YNY, [NNN, NNY], YNN, NYN, NYY, YYN, YYY]", "[YNY, YNY, 9, NYNN]").replace(
        "infeasible: []", 'infeasible: ["-YN"]'
    )
    joined = "\n".join(_problems(text))
    assert "is ranked twice" in joined
    assert "state 9 does not exist: with 3 options the codes run from 0 to 7" in joined
    assert "'NYNN' has 4 letters" in joined
    assert "the ranking misses" in joined
    assert "status_quo: the status quo NYN (state 2) is infeasible" in joined


def test_payoff_expressions_name_parameters_and_options():
    text = BASE.replace(
        "b: {ranking: [YNY, [NNN, NNY], YNN, NYN, NYY, YYN, YYY]}",
        'b: {payoff: "cost * insist - b.insist * modify + dela"}',
    )
    (problem,) = _problems(text)
    assert "preferences.b.payoff: unknown name 'dela'" in problem and "did you mean 'delay'" in problem
    ok = parse_scenario(text.replace(" + dela", " - a.modify"), file="x.yaml")
    pc = compile_conflict(ok)
    values = pc.evaluate({"cost": [1.0, 3.0]})
    k = pc.skeleton.index[pc.skeleton.state_of(["modify", "insist"])]
    assert values.shape == (2, 2, 8) and values[:, 1, k].tolist() == [-1.0, 1.0]


def test_a_payoff_that_is_not_finite_is_located():
    text = BASE.replace(
        "b: {ranking: [YNY, [NNN, NNY], YNN, NYN, NYY, YYN, YYY]}", 'b: {payoff: "1 / (cost - 2) * insist"}'
    )
    with pytest.raises(InputError) as error:
        load_source_text(text)
    (problem,) = error.value.problems
    assert "payoff of 'b' is not a number at state NNN (0) with cost=2" in str(problem)
    assert str(problem).startswith("x.yaml:17:")


def load_source_text(text: str):
    from negsim.compile.source import source_of

    return source_of(parse_scenario(text, file="x.yaml"))


def test_the_normal_form_of_an_option_scenario_is_its_game():
    source = load_source("prisoners-dilemma-options")
    game = source.at()
    assert game.strategies == (("none", "p1_defects"), ("none", "p2_defects"))
    assert np.array_equal(game.payoffs[0], [[2, 0], [3, 1]])
    assert source.conflict is not None and source.conflict_at().payoff("prisoner_1", 1) == 3
