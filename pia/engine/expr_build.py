"""Compiling a checked expression tree into nested closures, once, at load time.

Each node becomes a function `env -> value`. Common shapes get their own closures so a condition
costs few calls: a name compared with a constant reads the env and compares in one step, `in`
against a list of literals is a frozenset lookup, and `and`/`or` of two or three operands are
unrolled.
Every closure follows the runtime rules in expr_runtime and never raises, whatever the env holds.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from pia.engine import expr_runtime as rt
from pia.engine.expr_check import ARITHMETIC_SYMBOLS, COMPARISON_SYMBOLS, literal_item

Env = Mapping[str, Any]
Closure = Callable[[Env], Any]

# `constant < name` is `name > constant`.
MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


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
        return _and(operands) if isinstance(node.op, ast.And) else _or(operands)
    if isinstance(node, ast.UnaryOp):
        return _unary(node)
    if isinstance(node, ast.BinOp):
        return _binary(ARITHMETIC_SYMBOLS[type(node.op)], build(node.left), build(node.right))
    if isinstance(node, ast.Compare):
        return _compare(node)
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


def _compare(node: ast.Compare) -> Closure:
    symbols = [COMPARISON_SYMBOLS[type(op)] for op in node.ops]
    if len(symbols) == 1:
        special = _special_comparison(node.left, symbols[0], node.comparators[0])
        if special is not None:
            return special
    operands = tuple(build(operand) for operand in (node.left, *node.comparators))
    tests = tuple(rt.COMPARISONS[symbol] for symbol in symbols)
    if len(tests) == 1:
        test, (left, right) = tests[0], operands
        return lambda env: test(left(env), right(env))

    def chain(env: Env) -> bool:
        left = operands[0](env)
        for test, operand in zip(tests, operands[1:], strict=True):
            right = operand(env)
            if not test(left, right):
                return False
            left = right
        return True

    return chain


def _special_comparison(left: ast.AST, symbol: str, right: ast.AST) -> Closure | None:
    """A single-step closure for `name OP constant` and `name in [literals]` shapes, else None."""
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name) and symbol in MIRRORED:
        left, right, symbol = right, left, MIRRORED[symbol]
    if not isinstance(left, ast.Name):
        if isinstance(left, ast.Constant) and isinstance(right, ast.Name) and symbol == "in":
            return _constant_in_name(left.value, right.id)
        return None
    name = left.id
    if isinstance(right, ast.Constant):
        if right.value is None:  # the checker refuses this; it would always be false
            return lambda env: False
        return _name_against_constant(name, symbol, right.value)
    if isinstance(right, ast.List) and symbol in ("in", "not in"):
        members = frozenset(literal_item(e)[1] for e in right.elts) - {None}
        return _name_in_set(name, members, negated=symbol == "not in")
    return None


def _name_against_constant(name: str, symbol: str, constant: Any) -> Closure | None:
    if symbol == "==":

        def equal(env: Env) -> bool:
            try:
                return (env[name] == constant) is True
            except Exception:
                return False

        return equal
    if symbol == "!=":

        def not_equal(env: Env) -> bool:
            try:
                value = env[name]
                return value is not None and (value != constant) is True
            except Exception:
                return False

        return not_equal
    if symbol in ("<", "<=", ">", ">="):
        # None and values of another type raise TypeError when ordered: that is False.
        return _ORDERINGS[symbol](name, constant)
    return None


def _less(name: str, constant: Any) -> Closure:
    def less(env: Env) -> bool:
        try:
            return (env[name] < constant) is True
        except Exception:
            return False

    return less


def _less_or_equal(name: str, constant: Any) -> Closure:
    def less_or_equal(env: Env) -> bool:
        try:
            return (env[name] <= constant) is True
        except Exception:
            return False

    return less_or_equal


def _greater(name: str, constant: Any) -> Closure:
    def greater(env: Env) -> bool:
        try:
            return (env[name] > constant) is True
        except Exception:
            return False

    return greater


def _greater_or_equal(name: str, constant: Any) -> Closure:
    def greater_or_equal(env: Env) -> bool:
        try:
            return (env[name] >= constant) is True
        except Exception:
            return False

    return greater_or_equal


_ORDERINGS = {"<": _less, "<=": _less_or_equal, ">": _greater, ">=": _greater_or_equal}


def _name_in_set(name: str, members: frozenset[Any], *, negated: bool) -> Closure:
    if negated:

        def not_in(env: Env) -> bool:
            try:
                value = env[name]
                return value is not None and value not in members
            except Exception:  # missing, or unhashable (a value of the wrong type)
                return False

        return not_in

    def is_in(env: Env) -> bool:
        try:
            return env[name] in members
        except Exception:
            return False

    return is_in


def _constant_in_name(constant: Any, name: str) -> Closure:
    if constant is None:  # the checker refuses this; None is never in anything
        return lambda env: False
    sequence_types = rt.SEQUENCE_TYPES

    def constant_in(env: Env) -> bool:
        try:
            value = env[name]
            return type(value) in sequence_types and (constant in value) is True
        except Exception:
            return False

    return constant_in


def _call(node: ast.Call) -> Closure:
    name = node.func.id  # type: ignore[attr-defined]
    if name == "answered":
        read = _name(node.args[0].id)  # type: ignore[attr-defined]
        return lambda env: read(env) is not None
    arguments = tuple(build(argument) for argument in node.args)
    if name == "count":
        return lambda env: sum(1 for argument in arguments if argument(env) is True)
    if name in ("min", "max"):
        pick = rt.SMALLEST if name == "min" else rt.LARGEST
        return lambda env: pick([argument(env) for argument in arguments])
    apply = rt.length if name == "len" else rt.absolute
    (argument,) = arguments
    return lambda env: apply(argument(env))
