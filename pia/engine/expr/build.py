"""Compiling a checked expression tree into nested closures, once, at load time.

Each node becomes a function `env -> value`. Common shapes get their own closures so a condition
costs few calls: comparisons (comparisons.py) read the env and compare in one step, `and`/`or`
chains (chains.py) and count() are unrolled (no generator or loop over the operands), `not name`,
`answered(name)` and `min(name)`/`max(name)` read the env directly. Every closure follows the
runtime rules in runtime.py and never raises, whatever the env holds.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from pia.engine.expr import runtime as rt
from pia.engine.expr.chains import build_chain
from pia.engine.expr.comparisons import build_comparison
from pia.engine.expr.grammar import ARITHMETIC_SYMBOLS, literal_item

Env = Mapping[str, Any]
Closure = Callable[[Env], Any]


def build(node: ast.AST) -> Closure:
    """The closure for a node the Checker accepted without problems."""
    if isinstance(node, ast.Constant):
        return _constant(node.value)
    if isinstance(node, ast.Name):
        return _name(node.id)
    if isinstance(node, ast.List):
        values = [literal_item(element)[1] for element in node.elts]
        # A fresh list per run, so a caller that mutates a result cannot change the expression.
        return lambda env: list(values)
    if isinstance(node, ast.BoolOp):
        return build_chain(node, build)
    if isinstance(node, ast.UnaryOp):
        return _unary(node)
    if isinstance(node, ast.BinOp):
        return _binary(ARITHMETIC_SYMBOLS[type(node.op)], build(node.left), build(node.right))
    if isinstance(node, ast.Compare):
        return build_comparison(node, build)
    if isinstance(node, ast.Call):
        return _call(node)
    raise AssertionError(f"the checker let through {type(node).__name__}")  # pragma: no cover


def _constant(value: Any) -> Closure:
    return lambda env: value


def _name(name: str) -> Closure:
    def read(env: Env) -> Any:
        try:
            return env[name]
        except Exception:  # a missing key is an unanswered question
            return None

    return read


def _unary(node: ast.UnaryOp) -> Closure:
    operand = build(node.operand)
    if isinstance(node.op, ast.USub):
        negate = rt.negate
        return lambda env: negate(operand(env))
    if isinstance(node.operand, ast.Name):
        name = node.operand.id

        def not_name(env: Env) -> bool | None:
            try:
                value = env[name]
            except Exception:
                return None
            if value is True:
                return False
            if value is False:
                return True
            return None

        return not_name

    def logical_not(env: Env) -> bool | None:
        value = operand(env)
        if value is True:
            return False
        if value is False:
            return True
        return None

    return logical_not


def _binary(symbol: str, left: Closure, right: Closure) -> Closure:
    if symbol == "/":
        number_types = rt.NUMBER_TYPES

        def divide(env: Env) -> Any:
            a = left(env)
            b = right(env)
            if type(a) in number_types and type(b) in number_types and b:
                try:
                    return a / b
                except (ArithmeticError, ValueError):
                    return None
            return None

        return divide
    apply = rt.ARITHMETIC[symbol]
    return lambda env: apply(left(env), right(env))


def _call(node: ast.Call) -> Closure:
    name = node.func.id  # type: ignore[attr-defined]
    if name == "answered":
        return _answered(node.args[0].id)  # type: ignore[attr-defined]
    arguments = tuple(build(argument) for argument in node.args)
    if name == "count":
        return _count(arguments)
    if name in ("min", "max"):
        return _extreme(min if name == "min" else max, node.args, arguments)
    apply = rt.length if name == "len" else rt.absolute
    (argument,) = arguments
    return lambda env: apply(argument(env))


def _count(arguments: tuple[Closure, ...]) -> Closure:
    """How many arguments are True, as an int; unrolled like the and/or chains (no generator)."""
    if len(arguments) == 1:
        (first,) = arguments
        return lambda env: 1 if first(env) is True else 0
    # Adding bools gives an int: (True is True) + (False is True) == 1.
    if len(arguments) == 2:
        first, second = arguments
        return lambda env: (first(env) is True) + (second(env) is True)
    if len(arguments) == 3:
        first, second, third = arguments
        return lambda env: (first(env) is True) + (second(env) is True) + (third(env) is True)
    if len(arguments) == 4:
        first, second, third, fourth = arguments
        return lambda env: (
            (first(env) is True)
            + (second(env) is True)
            + (third(env) is True)
            + (fourth(env) is True)
        )
    first, second, third = arguments[:3]
    rest = _count(arguments[3:])
    return lambda env: (
        (first(env) is True) + (second(env) is True) + (third(env) is True) + rest(env)
    )


def _answered(name: str) -> Closure:
    def answered(env: Env) -> bool:
        try:
            return env[name] is not None
        except Exception:
            return False

    return answered


def _extreme(
    pick: Callable[..., Any], nodes: list[ast.expr], arguments: tuple[Closure, ...]
) -> Closure:
    if len(arguments) > 1:
        several = rt.extreme_of_several
        return lambda env: several(pick, [argument(env) for argument in arguments])
    one = rt.extreme_of_one
    if isinstance(nodes[0], ast.Name):
        name, number_types = nodes[0].id, rt.NUMBER_TYPES

        def extreme_of_name(env: Env) -> Any:
            # rt.extreme_of_one, inlined for the common min(groups)/max(groups): one call fewer.
            try:
                value = env[name]
                kind = type(value)
                if kind is dict:
                    value = value.values()
                elif kind is not list and kind is not tuple:
                    return value if kind in number_types else None
                if not value or not number_types.issuperset(map(type, value)):
                    return None
                return pick(value)
            except Exception:
                return None

        return extreme_of_name
    (argument,) = arguments
    return lambda env: one(pick, argument(env))
