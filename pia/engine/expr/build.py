"""Compiling a checked expression tree into nested closures, once, at load time.

Each node becomes a function `env -> value`. Common shapes get their own closures so a condition
costs few calls: comparisons (comparisons.py) read the env and compare in one step, `and`/`or` of
two or three operands are unrolled, `not name`, `answered(name)` and `min(name)`/`max(name)` read
the env directly. Every closure follows the runtime rules in runtime.py and never raises, whatever
the env holds.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from pia.engine.expr import runtime as rt
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
        operands = tuple(build(value) for value in node.values)
        if all(two_valued(value) for value in node.values):
            return _plain_and(operands) if isinstance(node.op, ast.And) else _plain_or(operands)
        return _and(operands) if isinstance(node.op, ast.And) else _or(operands)
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


def two_valued(node: ast.AST) -> bool:
    """Whether the node's closure only ever gives True or False (never None or another value)."""
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.Call):
        return node.func.id == "answered"  # type: ignore[attr-defined]
    if isinstance(node, ast.BoolOp):
        return all(two_valued(value) for value in node.values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return two_valued(node.operand)
    return isinstance(node, ast.Constant) and type(node.value) is bool


# Over True and False only, three-valued logic is Python's own `and` and `or`.


def _plain_and(operands: tuple[Closure, ...]) -> Closure:
    if len(operands) == 2:
        first, second = operands
        return lambda env: first(env) and second(env)
    if len(operands) == 3:
        first, second, third = operands
        return lambda env: first(env) and second(env) and third(env)

    def and_n(env: Env) -> bool:
        return all(operand(env) for operand in operands)

    return and_n


def _plain_or(operands: tuple[Closure, ...]) -> Closure:
    if len(operands) == 2:
        first, second = operands
        return lambda env: first(env) or second(env)
    if len(operands) == 3:
        first, second, third = operands
        return lambda env: first(env) or second(env) or third(env)

    def or_n(env: Env) -> bool:
        return any(operand(env) for operand in operands)

    return or_n


# and / or in three-valued logic: only True and False are known; anything else is unknown (None).


def _and(operands: tuple[Closure, ...]) -> Closure:
    if len(operands) == 2:
        first, second = operands

        def and2(env: Env) -> bool | None:
            a = first(env)
            if a is False:
                return False
            b = second(env)
            if b is False:
                return False
            return True if a is True and b is True else None

        return and2
    if len(operands) == 3:
        first, second, third = operands

        def and3(env: Env) -> bool | None:
            a = first(env)
            if a is False:
                return False
            b = second(env)
            if b is False:
                return False
            c = third(env)
            if c is False:
                return False
            return True if a is True and b is True and c is True else None

        return and3

    def and_n(env: Env) -> bool | None:
        result: bool | None = True
        for operand in operands:
            value = operand(env)
            if value is False:
                return False
            if value is not True:
                result = None
        return result

    return and_n


def _or(operands: tuple[Closure, ...]) -> Closure:
    if len(operands) == 2:
        first, second = operands

        def or2(env: Env) -> bool | None:
            a = first(env)
            if a is True:
                return True
            b = second(env)
            if b is True:
                return True
            return False if a is False and b is False else None

        return or2

    def or_n(env: Env) -> bool | None:
        result: bool | None = False
        for operand in operands:
            value = operand(env)
            if value is True:
                return True
            if value is not False:
                result = None
        return result

    return or_n


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
        return lambda env: sum(1 for argument in arguments if argument(env) is True)
    if name in ("min", "max"):
        return _extreme(min if name == "min" else max, node.args, arguments)
    apply = rt.length if name == "len" else rt.absolute
    (argument,) = arguments
    return lambda env: apply(argument(env))


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
