"""Payoff expressions: the language accepted, its meaning, and batch = point-by-point."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.scenario import ExpressionError, compile_expression
from negsim.scenario.expr import Names

NAMES = Names(
    parameters=frozenset({"x", "y"}),
    players={"a": (frozenset({"k"}), frozenset({"u", "v"}))},
)


def value(text: str, **env: float) -> float:
    compiled = compile_expression(text, NAMES)
    values = {"x": 2.0, "y": -3.0, ("a", "k"): 0.5, ("a", "u"): 1.0, ("a", "v"): 0.0}
    values.update({k: v for k, v in env.items()})
    return float(compiled(values))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("x ** 2 - y", 7.0),
        ("-x ** 2", -4.0),
        ("x / 4", 0.5),
        ("2 ** -1", 0.5),
        ("a.k * 4 + a.u", 3.0),
        ("a.v", 0.0),
        ("x > y", 1.0),
        ("x <= y", 0.0),
        ("y < 0 < x", 1.0),
        ("y < x < 0", 0.0),
        ("x == 2 and y != 1", 1.0),
        ("0 or a.v", 0.0),
        ("not a.v", 1.0),
        ("10 if a.u else 20", 10.0),
        ("min(x, y, 0)", -3.0),
        ("max(x, y)", 2.0),
        ("abs(y)", 3.0),
        ("clip(y, -1, 1)", -1.0),
        ("exp(0) + log(1) + sqrt(x * 8)", 5.0),
        ("1 / (x - 2) if x != 2 else 0", 0.0),
        ("7", 7.0),
        ("  x  ", 2.0),
    ],
)
def test_meaning(text, expected):
    assert value(text) == pytest.approx(expected)


def test_a_plain_number_is_a_constant_expression():
    assert compile_expression(4, NAMES).constant == 4.0
    assert compile_expression("2 * 3", NAMES).constant == 6.0
    assert compile_expression("x", NAMES).constant is None


def test_names_lists_what_an_expression_reads():
    assert compile_expression("x * a.k + a.u", NAMES).names == {"x", ("a", "k"), ("a", "u")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("xx + 1", "unknown name 'xx' at column 1 of the expression (did you mean 'x'?)"),
        ("a.kk", "unknown attribute or strategy 'kk' of player 'a' at column 1 of the "
                 "expression (did you mean 'k'?)"),
        ("b.k", "unknown player 'b' at column 1 of the expression (expected one of: 'a')"),
        ("x.k", "'x' is a parameter, not a player at column 1 of the expression"),
        ("a", "'a' is a player; write a.<attribute> or a.<strategy> at column 1 of the expression"),
        ("1 + __import__('os')", "unknown function '__import__' at column 5 of the expression "
                                 "(expected one of: 'min', 'max', 'abs', 'clip', 'exp', 'log', "
                                 "'sqrt')"),
        ("a.k.__class__", "only player.attribute or player.strategy may use a dot at column 1 "
                          "of the expression"),
        ("x[0]", "subscripts ([...]) not allowed in an expression at column 1 of the expression"),
        ("(lambda: 1)()", "only the functions min, max, abs, clip, exp, log, sqrt may be called "
                          "at column 1 of the expression"),
        ("[i for i in x]", "comprehensions not allowed in an expression at column 1 of the "
                           "expression"),
        ("'a'", "text (strings) not allowed in an expression at column 1 of the expression"),
        ("True", "True is not allowed; use 1 or 0 at column 1 of the expression"),
        ("x // 2", "operator '//' not allowed at column 1 of the expression"),
        ("x % 2", "operator '%' not allowed at column 1 of the expression"),
        ("x is y", "operator 'is' not allowed at column 1 of the expression"),
        ("x ** y", "the exponent of ** must be a constant number at column 6 of the expression"),
        ("x ** 11", "exponent too large (at most 10 in size) at column 6 of the expression"),
        ("2e12", "number too large (at most 1e12 in size) at column 1 of the expression"),
        ("1j", "imaginary numbers not allowed at column 1 of the expression"),
        ("min(x)", "min() takes at least 2 arguments, got 1 at column 1 of the expression"),
        ("clip(x, 1)", "clip() takes 3 arguments, got 2 at column 1 of the expression"),
        ("abs(x, key=1)", "abs() takes no keyword arguments at column 8 of the expression"),
        ("x +", "the expression ends too early (after an operator) at column 3 of the expression"),
        ("min(x, 1", "'(' is never closed at column 4 of the expression"),
        ("(x + 1))", "')' closes a bracket that is not open at column 8 of the expression"),
        ("x +\n  zz", "unknown name 'zz' at line 2, column 3 of the expression (expected one of: "
                      "'x', 'y', 'a.k', 'a.u', 'a.v')"),
        ("", "empty expression"),
        ("1 +" + " 1 +" * 1000 + " 1", "expression too long (at most 2000 characters)"),
        ("-" * 50 + "x", "expression nested too deeply (at most 40 levels)"),
        ("é + x", "unknown name 'é' at column 1 of the expression (expected one of: 'x', 'y', "
                  "'a.k', 'a.u', 'a.v')"),
        ("x + é", "unknown name 'é' at column 5 of the expression (expected one of: 'x', 'y', "
                  "'a.k', 'a.u', 'a.v')"),
    ],
)
def test_refused(text, message):
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, NAMES)
    assert str(info.value) == message


def test_invalid_arithmetic_gives_inf_or_nan_for_the_caller_to_report():
    assert math.isinf(value("1 / (x - 2)"))
    assert math.isnan(value("log(y)"))
    assert math.isnan(value("sqrt(y)"))


# -- property: one call over all points equals one call per point --------------------------------

LEAVES = st.sampled_from(["x", "y", "a.k", "a.u", "a.v", "0", "1", "2.5", "-3"])


def _combine(children):
    unary = st.tuples(st.sampled_from(["-({})", "not ({})", "abs({})", "exp({})", "log({})",
                                       "sqrt({})", "({}) ** 2", "({}) ** -1"]), children)
    binary = st.tuples(st.sampled_from(["({}) + ({})", "({}) - ({})", "({}) * ({})",
                                        "({}) / ({})", "({}) < ({})", "({}) == ({})",
                                        "({}) and ({})", "({}) or ({})", "min({}, {})",
                                        "max({}, {})"]), children, children)
    ternary = st.tuples(st.sampled_from(["({}) if ({}) else ({})", "clip({}, {}, {})"]),
                        children, children, children)
    return st.one_of(
        unary.map(lambda t: t[0].format(t[1])),
        binary.map(lambda t: t[0].format(t[1], t[2])),
        ternary.map(lambda t: t[0].format(t[1], t[2], t[3])),
    )


EXPRESSIONS = st.recursive(LEAVES, _combine, max_leaves=12)
POINT_VALUES = st.floats(min_value=-5, max_value=5, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS, st.lists(st.tuples(POINT_VALUES, POINT_VALUES, POINT_VALUES,
                                       st.sampled_from([0.0, 1.0])), min_size=1, max_size=8))
def test_batch_evaluation_equals_point_by_point(text, points):
    compiled = compile_expression(text, NAMES)
    columns = np.array(points, dtype=float).T
    batch_env = {"x": columns[0], "y": columns[1], ("a", "k"): columns[2],
                 ("a", "u"): columns[3], ("a", "v"): 1.0 - columns[3]}
    batch = np.broadcast_to(compiled(batch_env), (len(points),))
    for i, (x, y, k, u) in enumerate(points):
        single = compiled({"x": x, "y": y, ("a", "k"): k, ("a", "u"): u, ("a", "v"): 1.0 - u})
        np.testing.assert_allclose(batch[i], float(single), rtol=1e-12, atol=0, equal_nan=True)
