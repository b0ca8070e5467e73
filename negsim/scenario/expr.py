"""Payoff expressions: a small arithmetic language, compiled once, evaluated on numpy arrays.

An expression is data, never code. It is parsed with Python's expression grammar and then
accepted only if every part is on this list:

- numbers and names: parameters, ``player.attribute`` (the attribute of
  the strategy that player plays) and ``player.strategy`` (1 when that player plays that
  strategy, 0 otherwise);
- ``+ - * /`` and ``**`` (the exponent must be a small constant number), unary ``-`` and
  ``+``;
- comparisons ``< <= > >= == !=`` (1.0 when true, 0.0 when false; ``a < b < c`` means
  ``a < b and b < c``);
- ``and``, ``or``, ``not`` (any non-zero value counts as true; the result is 1.0 or 0.0);
- ``x if condition else y``;
- the functions ``min``, ``max``, ``abs``, ``clip``, ``exp``, ``log`` and ``sqrt``.

An expression may run over several lines (a YAML folded ``>-`` or literal ``|`` block): a
line break counts as a space, and a mistake is reported at its own line and column in the
file.

Nothing else is accepted: no other names or calls, no attribute access beyond
``player.attribute``/``player.strategy``, no subscripts, strings, lambdas, comprehensions or
assignments. The length and nesting of an expression, the size of its numbers and of its
exponents are limited (see the limits below).

Compiling turns the expression into a tree of numpy operations. Evaluating it with arrays
for the names returns the broadcast result, so one call computes every profile at every
parameter point. Both branches of ``if``/``else`` are computed and the condition selects
between them, so ``1 / x if x != 0 else 0`` is safe.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.errors import did_you_mean
from negsim.scenario.base import EXPRESSION_MAX_LENGTH, MAX_NUMBER
from negsim.scenario.sections import Player

__all__ = [
    "expression_names",
    "FUNCTIONS",
    "MAX_EXPONENT",
    "MAX_EXPRESSION_DEPTH",
    "CompiledExpression",
    "ExpressionError",
    "Names",
    "compile_expression",
]

#: Largest size of a constant exponent in ``x ** c``.
MAX_EXPONENT = 10
#: Deepest nesting of an expression's syntax tree.
MAX_EXPRESSION_DEPTH = 40

Array = np.ndarray | float


def _clip(x: Array, lo: Array, hi: Array) -> Array:
    return np.minimum(np.maximum(x, lo), hi)


@dataclass(frozen=True)
class Function:
    """A function allowed in expressions."""

    name: str
    min_args: int
    max_args: int | None
    apply: Callable[..., Array]
    doc: str


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("min", 2, None, lambda *a: _reduce(np.minimum, a), "smallest of two or more values"),
        Function("max", 2, None, lambda *a: _reduce(np.maximum, a), "largest of two or more values"),
        Function("abs", 1, 1, np.abs, "absolute value"),
        Function("clip", 3, 3, _clip, "``clip(x, lo, hi)``: x limited to the range lo..hi"),
        Function("exp", 1, 1, np.exp, "e to the power x"),
        Function("log", 1, 1, np.log, "natural logarithm (x must be positive)"),
        Function("sqrt", 1, 1, np.sqrt, "square root (x must not be negative)"),
    )
}


def _reduce(op: Callable[[Array, Array], Array], args: tuple[Array, ...]) -> Array:
    result = args[0]
    for a in args[1:]:
        result = op(result, a)
    return result


class ExpressionError(ValueError):
    """An expression that is not in the language, or names something that does not exist.

    ``offset`` is the 0-based position of the offending part within the expression text (so
    that a reader who knows where the text stands in a file can point at it), ``column`` the
    same counted from 1. ``message`` and ``hint`` are the words without the position.
    """

    def __init__(self, message: str, column: int | None = None, hint: str = "", *,
                 text: str = "") -> None:
        self.message = message
        self.column = column
        self.offset = column - 1 if column is not None else None
        self.hint = hint
        where = ""
        if column is not None:
            before = text[: column - 1]
            if "\n" in before:
                line = before.count("\n") + 1
                where = (f" at line {line}, column {column - 1 - before.rfind(chr(10))} of the "
                         "expression")
            else:
                where = f" at column {column} of the expression"
        # The did-you-mean hint reads best at the end, after the position.
        super().__init__(f"{message}{where}{hint}")

    @property
    def unplaced(self) -> str:
        """The message without its position in the expression (for a caller that shows the
        position itself, as a file's line and column)."""
        return f"{self.message}{self.hint}"


@dataclass(frozen=True)
class Names:
    """What an expression may refer to.

    ``parameters``: parameter names. ``players``: for each player id, its attribute names and
    its strategy ids.
    """

    parameters: frozenset[str]
    players: Mapping[str, tuple[frozenset[str], frozenset[str]]]

    def dotted(self) -> list[str]:
        return [
            f"{player}.{name}"
            for player, (attributes, strategies) in self.players.items()
            for name in (*sorted(attributes), *sorted(strategies))
        ]


# A name an expression reads: a parameter ("x") or a player's attribute or strategy indicator
# (("turkey", "active")). The evaluation environment maps these keys to arrays.
NameKey = str | tuple[str, str]
Env = Mapping[NameKey, Array]
_Node = Callable[[Env], Array]


@dataclass(frozen=True)
class CompiledExpression:
    """An expression ready to evaluate; ``names`` lists everything it reads."""

    text: str
    names: frozenset[NameKey]
    _evaluate: _Node
    constant: float | None

    def __call__(self, env: Env) -> Array:
        """Evaluate with arrays (or numbers) for every name in :attr:`names`.

        Arrays broadcast against each other; invalid operations (division by zero, log of a
        negative number) give inf or nan rather than raising, for the caller to check.
        """
        with np.errstate(all="ignore"):
            return self._evaluate(env)


def compile_expression(text: str | float | int, names: Names) -> CompiledExpression:
    """Parse and check an expression; raises :class:`ExpressionError` if it is not allowed.

    An expression may run over several lines (a YAML literal block keeps its line breaks):
    a line break counts as a space.
    """
    if isinstance(text, bool):
        raise ExpressionError("expected a number or an expression, got true/false")
    if isinstance(text, (int, float)):
        value = float(text)
        return CompiledExpression(str(text), frozenset(), lambda env: value, value)
    if len(text) > EXPRESSION_MAX_LENGTH:
        raise ExpressionError(f"expression too long (at most {EXPRESSION_MAX_LENGTH} characters)")
    if not text.strip():
        raise ExpressionError("empty expression")
    # One character for one, so positions in the flat text are positions in ``text``.
    flat = "".join(" " if c in "\r\n\t\f\v" else c for c in text)
    try:
        tree = ast.parse(flat.strip(), mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(text, flat, exc) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression too complex") from None
    _check_depth(tree.body)
    compiler = _Compiler(text, flat, names)
    node = compiler.compile(tree.body)
    constant = None
    if not compiler.used:
        with np.errstate(all="ignore"):
            constant = float(node({}))
    return CompiledExpression(text, frozenset(compiler.used), node, constant)


def _leading_blanks(text: str) -> int:
    return len(text) - len(text.lstrip())


_CLOSING = {")": "(", "]": "[", "}": "{"}
_ENDS_EARLY = ("+", "-", "*", "/", "<", ">", "=", "!", ",", "(", "[", "{")


def _syntax_error(text: str, flat: str, exc: SyntaxError) -> ExpressionError:
    """negsim's own words for text Python's grammar refuses (Python's differ between versions)."""
    opened: list[int] = []
    for k, char in enumerate(flat):
        if char in "([{":
            opened.append(k)
        elif char in _CLOSING:
            if not opened or flat[opened[-1]] != _CLOSING[char]:
                return ExpressionError(f"{char!r} closes a bracket that is not open", k + 1,
                                       text=text)
            opened.pop()
    if opened:
        return ExpressionError(f"{flat[opened[-1]]!r} is never closed", opened[-1] + 1, text=text)
    body = flat.rstrip()
    words = body.split()
    if body.endswith(_ENDS_EARLY) or (words and words[-1] in ("and", "or", "not", "if", "else")):
        return ExpressionError("the expression ends too early (after an operator)", len(body),
                               text=text)
    column = None
    if exc.offset:
        column = min(exc.offset + _leading_blanks(flat), len(body))
    return ExpressionError("not a valid expression (a missing operator, name or number?)", column,
                           text=text)


def _check_depth(root: ast.AST) -> None:
    # Iterative, so that a pathological tree cannot exhaust the Python stack here.
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXPRESSION_DEPTH:
            raise ExpressionError(
                f"expression nested too deeply (at most {MAX_EXPRESSION_DEPTH} levels)"
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


_BINARY: dict[type, tuple[str, Callable[[Array, Array], Array]]] = {
    ast.Add: ("+", np.add),
    ast.Sub: ("-", np.subtract),
    ast.Mult: ("*", np.multiply),
    ast.Div: ("/", np.true_divide),
}
_COMPARE: dict[type, Callable[[Array, Array], Array]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_FORBIDDEN_OPERATORS = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.Invert: "~", ast.Is: "is",
    ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
_FORBIDDEN_NODES = {
    ast.Subscript: "subscripts ([...])",
    ast.Lambda: "lambda",
    ast.NamedExpr: "assignment (:=)",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dictionaries",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Starred: "starred arguments (*)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


def _as_float(value: Array) -> Array:
    return np.asarray(value, dtype=float) if isinstance(value, np.ndarray) else float(value)


def _truth(value: Array) -> Array:
    return np.not_equal(value, 0.0)


class _Compiler:
    """Turns an accepted syntax tree into nested closures over numpy functions."""

    def __init__(self, text: str, flat: str, names: Names) -> None:
        self.text = text
        self.names = names
        self.used: set[NameKey] = set()
        # ast columns count UTF-8 bytes of the stripped (one-line) text; users count characters.
        self.stripped = flat.strip().encode("utf-8")
        self.offset = _leading_blanks(flat)

    def column(self, node: ast.AST) -> int | None:
        col = getattr(node, "col_offset", None)
        if col is None:
            return None
        return len(self.stripped[:col].decode("utf-8", errors="ignore")) + self.offset + 1

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExpressionError:
        return ExpressionError(message, self.column(node), hint, text=self.text)

    def compile(self, node: ast.AST) -> _Node:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, self._forbidden(node))
        return method(node)

    def _forbidden(self, node: ast.AST) -> str:
        what = _FORBIDDEN_NODES.get(type(node))
        if what:
            return f"{what} not allowed in an expression"
        return f"{type(node).__name__} not allowed in an expression"

    # -- leaves -------------------------------------------------------------------------------

    def _Constant(self, node: ast.Constant) -> _Node:
        value = node.value
        if isinstance(value, bool) or value is None:
            raise self.fail(node, f"{value!r} is not allowed; use 1 or 0")
        if isinstance(value, str):
            raise self.fail(node, "text (strings) not allowed in an expression")
        if isinstance(value, complex):
            raise self.fail(node, "imaginary numbers not allowed")
        if not isinstance(value, (int, float)):
            raise self.fail(node, f"{value!r} not allowed in an expression")
        if abs(value) > MAX_NUMBER:
            raise self.fail(node, "number too large (at most 1e12 in size)")
        number = float(value)
        return lambda env: number

    def _Name(self, node: ast.Name) -> _Node:
        name = node.id
        if name in self.names.parameters:
            self.used.add(name)
            return lambda env: env[name]
        if name in self.names.players:
            raise self.fail(
                node, f"{name!r} is a player; write {name}.<attribute> or {name}.<strategy>"
            )
        if name in FUNCTIONS:
            raise self.fail(node, f"{name!r} is a function; call it as {name}(...)")
        candidates = sorted(self.names.parameters) + self.names.dotted()
        hint = _hint(name, candidates)
        raise self.fail(node, f"unknown name {name!r}", hint)

    def _Attribute(self, node: ast.Attribute) -> _Node:
        if not isinstance(node.value, ast.Name):
            raise self.fail(node, "only player.attribute or player.strategy may use a dot")
        player = node.value.id
        if player in self.names.parameters and player not in self.names.players:
            raise self.fail(node, f"{player!r} is a parameter, not a player")
        if player not in self.names.players:
            hint = _hint(player, list(self.names.players))
            raise self.fail(node, f"unknown player {player!r}", hint)
        attributes, strategies = self.names.players[player]
        name = node.attr
        if name not in attributes and name not in strategies:
            hint = _hint(name, sorted(attributes | strategies))
            raise self.fail(
                node, f"unknown attribute or strategy {name!r} of player {player!r}", hint
            )
        key = (player, name)
        self.used.add(key)
        return lambda env: env[key]

    # -- operators ----------------------------------------------------------------------------

    def _BinOp(self, node: ast.BinOp) -> _Node:
        if isinstance(node.op, ast.Pow):
            return self._power(node)
        if type(node.op) not in _BINARY:
            symbol = _FORBIDDEN_OPERATORS.get(type(node.op), type(node.op).__name__)
            raise self.fail(node, f"operator {symbol!r} not allowed")
        _symbol, op = _BINARY[type(node.op)]
        left, right = self.compile(node.left), self.compile(node.right)
        return lambda env: op(left(env), right(env))

    def _power(self, node: ast.BinOp) -> _Node:
        exponent = _constant_number(node.right)
        if exponent is None:
            raise self.fail(node.right, "the exponent of ** must be a constant number")
        if abs(exponent) > MAX_EXPONENT:
            raise self.fail(node.right, f"exponent too large (at most {MAX_EXPONENT} in size)")
        base = self.compile(node.left)
        return lambda env: np.power(_as_float(base(env)), exponent)

    def _UnaryOp(self, node: ast.UnaryOp) -> _Node:
        operand = self.compile(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda env: np.negative(operand(env))
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return lambda env: _as_float(np.logical_not(_truth(operand(env))))
        raise self.fail(node, f"operator {_FORBIDDEN_OPERATORS.get(type(node.op), '?')!r} "
                              "not allowed")

    def _BoolOp(self, node: ast.BoolOp) -> _Node:
        values = [self.compile(v) for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or

        def evaluate(env: Env) -> Array:
            result = _truth(values[0](env))
            for value in values[1:]:
                result = combine(result, _truth(value(env)))
            return _as_float(result)

        return evaluate

    def _Compare(self, node: ast.Compare) -> _Node:
        operands = [self.compile(node.left)] + [self.compile(c) for c in node.comparators]
        ops = []
        for op in node.ops:
            if type(op) not in _COMPARE:
                symbol = _FORBIDDEN_OPERATORS.get(type(op), type(op).__name__)
                raise self.fail(node, f"operator {symbol!r} not allowed")
            ops.append(_COMPARE[type(op)])

        def evaluate(env: Env) -> Array:
            values = [o(env) for o in operands]
            result = ops[0](values[0], values[1])
            for k in range(1, len(ops)):
                result = np.logical_and(result, ops[k](values[k], values[k + 1]))
            return _as_float(result)

        return evaluate

    def _IfExp(self, node: ast.IfExp) -> _Node:
        test, body, orelse = (self.compile(n) for n in (node.test, node.body, node.orelse))
        return lambda env: _as_float(np.where(_truth(test(env)), body(env), orelse(env)))

    def _Call(self, node: ast.Call) -> _Node:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only the functions " + ", ".join(FUNCTIONS) + " may be called")
        name = node.func.id
        function = FUNCTIONS.get(name)
        if function is None:
            raise self.fail(node, f"unknown function {name!r}", _hint(name, list(FUNCTIONS)))
        if node.keywords:
            raise self.fail(node.keywords[0], f"{name}() takes no keyword arguments")
        count = len(node.args)
        if count < function.min_args or (
            function.max_args is not None and count > function.max_args
        ):
            raise self.fail(node, f"{name}() takes {_arity(function)}, got {count}")
        args = [self.compile(a) for a in node.args]
        apply = function.apply
        return lambda env: apply(*(a(env) for a in args))


def _arity(function: Function) -> str:
    if function.max_args is None:
        return f"at least {function.min_args} arguments"
    if function.min_args == 1:
        return "1 argument"
    return f"{function.min_args} arguments"


def _constant_number(node: ast.AST) -> float | None:
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(
        node.value, bool
    ):
        value = float(node.value)
        return sign * value if math.isfinite(value) else None
    return None


def _hint(name: str, candidates: list[str]) -> str:
    return did_you_mean(name, candidates) if candidates else ""


def expression_names(parameters: Mapping[str, Any], players: Mapping[str, Player],
                     types: Mapping[str, Mapping[str, Any]] | None = None) -> Names:
    """What payoff expressions of this scenario may refer to (with ``types``, also each
    player's type ids, as ``player.type``)."""
    table = {}
    for pid, player in players.items():
        attributes = frozenset(
            name for strategy in player.strategies.values() for name in strategy.attributes
        )
        if types and isinstance(types.get(pid), Mapping):
            # A type named like a strategy is an error reported elsewhere; the name means the
            # strategy here.
            attributes |= frozenset(t for t in types[pid] if t not in player.strategies)
        table[pid] = (attributes, frozenset(player.strategies))
    return Names(frozenset(parameters), table)
