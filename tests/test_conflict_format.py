"""The option-form format: strict models, every problem located, statements parsed with columns."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError

from negsim.conflict.classics import CLASSICS, classic
from negsim.conflict.format import ConflictSpec, build_conflict, parse_conflict
from negsim.conflict.preferences import parse_statement, prioritization_scores
from negsim.errors import InputError

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
        pytest.param(
            "blokade & 3", 1, "unknown option 'blokade' (did you mean 'blockade'?)", id="did-you-mean"
        ),
        pytest.param(
            "withdraw # escalate", 10, "expected an option number, an option id", id="bad-character"
        ),
        pytest.param("   ", 1, "expected an option, found an empty statement", id="empty"),
        pytest.param("3 if", 5, "found the end of the statement", id="if-without-condition"),
    ],
)
def test_statement_errors_name_the_column_and_what_was_expected(text, column, expected):
    with pytest.raises(InputError) as error:
        parse_statement(text, OPTIONS, path="decision_makers.us.preferences.statements[0]")
    (problem,) = error.value.problems
    assert problem.column == column
    assert expected in problem.message
    assert problem.path == "decision_makers.us.preferences.statements[0]"


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
    ],
)
def test_statement_semantics(text, holds_at, fails_at):
    st = parse_statement(text, OPTIONS)
    assert all(st.holds(s) for s in holds_at)
    assert not any(st.holds(s) for s in fails_at)


def test_prioritization_weights_are_binary():
    c = classic("gmcr-prisoners-dilemma")
    scores = prioritization_scores(
        c, {"prisoner_1": ["-p2_defects", "p1_defects"], "prisoner_2": ["p2_defects"]}
    )
    assert scores.tolist() == [[2, 3, 0, 1], [0, 0, 1, 1]]


def _elmira() -> dict:
    return copy.deepcopy(CLASSICS["gmcr-elmira"])


def test_every_problem_at_once_with_paths():
    data = _elmira()
    data["irreversible"]["modfy"] = "N->Y"
    data["infeasible"].append({"mutually_exclusive": ["delay", "acept"]})
    data["infeasible"].append("YY")
    data["decision_makers"]["moe"]["preferences"] = {"statements": ["modify &", "insst"]}
    with pytest.raises(InputError) as error:
        build_conflict(parse_conflict(data))
    problems = {(p.path, p.message) for p in error.value.problems}
    paths = [p for p, _ in problems]
    assert "irreversible.modfy" in paths
    assert any("did you mean 'modify'" in m for p, m in problems if p == "irreversible.modfy")
    assert any("did you mean 'accept'" in m for p, m in problems if p == "infeasible[1]")
    assert any("expected 5" in m for p, m in problems if p == "infeasible[2]")
    assert any(p.endswith("statements[0]") and "column 9" in m for p, m in problems)
    assert any(p.endswith("statements[1]") and "did you mean 'insist'" in m for p, m in problems)


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        pytest.param(lambda d: d.update(colour="red"), "colour", "Extra inputs", id="unknown-key"),
        pytest.param(
            lambda d: d["decision_makers"]["lg"]["preferences"].update(statements=["insist"]),
            "decision_makers.lg.preferences",
            "exactly one of",
            id="two-preference-forms",
        ),
        pytest.param(
            lambda d: d["decision_makers"]["lg"]["options"].update(Insist2={}),
            "decision_makers.lg.options.Insist2",
            "",
            id="bad-option-id",
        ),
        pytest.param(
            lambda d: d["infeasible"].append({"at_least_one": ["delay"], "pattern": {"delay": "Y"}}),
            "infeasible[1]",
            "exactly one of",
            id="two-rules",
        ),
    ],
)
def test_shape_errors(change, path, fragment):
    data = _elmira()
    change(data)
    with pytest.raises(InputError) as error:
        parse_conflict(data)
    assert any(p.path.startswith(path) and fragment in p.message for p in error.value.problems), (
        error.value.problems
    )


def test_ranking_and_status_quo_checks():
    data = _elmira()
    data["decision_makers"]["lg"]["preferences"] = {"ranking": [20, 4, 4, 7]}
    data["status_quo"] = ["delay", "accept"]
    with pytest.raises(InputError) as error:
        build_conflict(parse_conflict(data))
    messages = " | ".join(str(p) for p in error.value.problems)
    assert "state 4 is ranked twice" in messages
    assert "state 7 is not a feasible state" in messages
    assert "states not ranked" in messages
    assert "status_quo" in messages and "infeasible" in messages


def test_payoff_preferences_need_compiled_payoffs():
    data = _elmira()
    data["decision_makers"]["lg"]["preferences"] = {"payoff": "3 * insist - modify"}
    spec = parse_conflict(data)
    with pytest.raises(InputError) as error:
        build_conflict(spec)
    assert "need compiled payoffs" in str(error.value)
    c = build_conflict(
        spec, payoffs=lambda x: {d: 3 * x["insist"] - x["modify"] for d in ("moe", "ur", "lg")}
    )
    assert c.payoff("lg", 18) == 3 and c.payoff("lg", 19) == 2
    # the other decision makers keep their rankings
    assert c.ranking("moe") == classic("gmcr-elmira").ranking("moe")


def test_models_are_strict_and_frozen():
    spec = parse_conflict(_elmira())
    assert isinstance(spec, ConflictSpec)
    with pytest.raises(ValidationError):
        spec.id = "other"  # type: ignore[misc]
    assert ConflictSpec.model_fields["irreversible"].description
    data = _elmira()
    data["status_quo"] = 2.0
    with pytest.raises(InputError):
        parse_conflict(data)
