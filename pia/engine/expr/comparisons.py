"""Closures for comparisons, the commonest node in bank conditions, specialised by shape.

`name OP constant`, `name in [literals]`, `'x' in name`, `name OP name` and the range
`low < name < high` each get one closure that reads the env and compares in a single step; any
other comparison composes operand closures with the None-safe tests of runtime.py. Every shape
gives the same answers as the general path: None compares with nothing, True and False equal only
bools, and values that cannot be compared give False.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from pia.engine.expr import runtime as rt
from pia.engine.expr.grammar import COMPARISON_SYMBOLS, literal_item

Env = Mapping[str, Any]
Closure = Callable[[Env], Any]
Builder = Callable[[ast.AST], Closure]

# `constant < name` is `name > constant`.
MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
ORDER_OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_NEVER: Closure = lambda env: False  # noqa: E731


def build_comparison(node: ast.Compare, build: Builder) -> Closure:
    symbols = [COMPARISON_SYMBOLS[type(op)] for op in node.ops]
    operands = [node.left, *node.comparators]
    special = None
    if len(symbols) == 1:
        special = _single(operands[0], symbols[0], operands[1])
    elif len(symbols) == 2:
        special = _range(operands, symbols)
    if special is not None:
        return special
    closures = tuple(build(operand) for operand in operands)
    tests = tuple(rt.COMPARISONS[symbol] for symbol in symbols)
    if len(tests) == 1:
        test, (left, right) = tests[0], closures
        if isinstance(operands[1], ast.Constant):  # e.g. count(...) >= 2: no call for the 2
            constant = operands[1].value
            direct = _COUNT_TESTS.get(symbols[0])
            if _is_count(operands[0]) and type(constant) in rt.NUMBER_TYPES and direct:
                # count() always gives an int, which compares with any number without raising.
                return lambda env: direct(left(env), constant)
            return lambda env: test(left(env), constant)
        return lambda env: test(left(env), right(env))

    def chain(env: Env) -> bool:
        left = closures[0](env)
        for test, operand in zip(tests, closures[1:], strict=True):
            right = operand(env)
            if not test(left, right):
                return False
            left = right
        return True

    return chain


_COUNT_TESTS = {**ORDER_OPERATORS, "==": operator.eq, "!=": operator.ne}


def _is_count(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "count"
    )


def _single(left: ast.AST, symbol: str, right: ast.AST) -> Closure | None:
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name) and symbol in MIRRORED:
        left, right, symbol = right, left, MIRRORED[symbol]
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
        if symbol in ("in", "not in"):
            return _constant_in_name(left.value, right.id, negated=symbol == "not in")
        return None
    if not isinstance(left, ast.Name):
        return None
    if isinstance(right, ast.Name):
        return _name_against_name(left.id, symbol, right.id)
    if isinstance(right, ast.Constant):
        if right.value is None:  # the checker refuses this; None compares with nothing
            return _NEVER
        return _name_against_constant(left.id, symbol, right.value)
    if isinstance(right, ast.List) and symbol in ("in", "not in"):
        members = frozenset(literal_item(e)[1] for e in right.elts) - {None}
        return _name_in_set(left.id, members, negated=symbol == "not in")
    return None


def _name_against_name(left: str, symbol: str, right: str) -> Closure:
    test = rt.COMPARISONS[symbol]

    def compare_names(env: Env) -> bool:
        try:
            return test(env[left], env[right])
        except Exception:  # a missing name is unanswered: the comparison is False
            return False

    return compare_names


def _name_against_constant(name: str, symbol: str, constant: Any) -> Closure:
    if symbol == "==":
        return _equal_to(name, constant)
    if symbol == "!=":
        return _not_equal_to(name, constant)
    if symbol in ORDER_OPERATORS:
        return _ORDERINGS[symbol](name, constant)
    return _constant_membership(name, symbol, constant)


def _constant_membership(name: str, symbol: str, constant: Any) -> Closure:
    # `name in 'text'` and the like: the checker refuses them (in needs a list); stay None-safe.
    test = rt.COMPARISONS[symbol]

    def membership(env: Env) -> bool:
        try:
            return test(env[name], constant)
        except Exception:
            return False

    return membership


def _equal_to(name: str, constant: Any) -> Closure:
    if type(constant) is bool:

        def is_bool(env: Env) -> bool:
            try:
                return env[name] is constant
            except Exception:
                return False

        return is_bool
    if type(constant) is str:

        def equal_text(env: Env) -> bool:
            try:
                return (env[name] == constant) is True
            except Exception:
                return False

        return equal_text

    def equal_number(env: Env) -> bool:
        try:
            value = env[name]
            return (value == constant) is True and type(value) is not bool
        except Exception:
            return False

    return equal_number


def _not_equal_to(name: str, constant: Any) -> Closure:
    if type(constant) is bool:

        def is_not_bool(env: Env) -> bool:
            try:
                value = env[name]
                return value is not None and value is not constant
            except Exception:
                return False

        return is_not_bool
    number = type(constant) is not str

    def not_equal(env: Env) -> bool:
        try:
            value = env[name]
            if value is None:
                return False
            if number and type(value) is bool:
                return True
            return (value != constant) is True
        except Exception:
            return False

    return not_equal


def _less(name: str, constant: Any) -> Closure:
    def less(env: Env) -> bool:
        try:  # None and values of another type raise TypeError when ordered: that is False
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


def _range(operands: list[ast.AST], symbols: list[str]) -> Closure | None:
    """`low < name <= high` and the like, with constants at both ends."""
    low, middle, high = operands
    if not (
        isinstance(low, ast.Constant)
        and isinstance(middle, ast.Name)
        and isinstance(high, ast.Constant)
        and all(symbol in ORDER_OPERATORS for symbol in symbols)
    ):
        return None
    if low.value is None or high.value is None:
        return _NEVER
    name, low_value, high_value = middle.id, low.value, high.value
    if symbols[0] in (">", ">=") and symbols[1] in (">", ">="):  # 99 > x >= 0 is 0 <= x < 99
        low_value, high_value, symbols = high_value, low_value, [MIRRORED[s] for s in symbols[::-1]]
    if symbols == ["<", "<"]:
        return _between(name, low_value, high_value)
    if symbols == ["<=", "<="]:
        return _between_inclusive(name, low_value, high_value)
    first, second = ORDER_OPERATORS[symbols[0]], ORDER_OPERATORS[symbols[1]]

    def in_range(env: Env) -> bool:
        try:
            value = env[name]
            return first(low_value, value) is True and second(value, high_value) is True
        except Exception:
            return False

    return in_range


def _between(name: str, low: Any, high: Any) -> Closure:
    def between(env: Env) -> bool:
        try:
            return (low < env[name] < high) is True
        except Exception:
            return False

    return between


def _between_inclusive(name: str, low: Any, high: Any) -> Closure:
    def between_inclusive(env: Env) -> bool:
        try:
            return (low <= env[name] <= high) is True
        except Exception:
            return False

    return between_inclusive


def _name_in_set(name: str, members: frozenset[Any], *, negated: bool) -> Closure:
    if not all(type(member) is str for member in members):
        # Numbers or bools among the literals: the general test keeps True apart from 1.
        return _name_against_list(name, tuple(members), negated=negated)
    if negated:
        not_contained, listed = rt.not_contained, tuple(members)

        def not_in(env: Env) -> bool:
            try:
                value = env[name]
            except Exception:  # missing: unanswered
                return False
            try:
                return value is not None and value not in members
            except Exception:  # unhashable: a list or mapping, which is not any of the texts
                return not_contained(value, listed)

        return not_in

    def is_in(env: Env) -> bool:
        try:
            return env[name] in members
        except Exception:  # missing, or unhashable (a list or mapping is none of the texts)
            return False

    return is_in


def _name_against_list(name: str, members: tuple[Any, ...], *, negated: bool) -> Closure:
    test = rt.not_contained if negated else rt.contained

    def against_list(env: Env) -> bool:
        try:
            return test(env[name], members)
        except Exception:
            return False

    return against_list


def _constant_in_name(constant: Any, name: str, *, negated: bool) -> Closure:
    if constant is None:  # the checker refuses this; None is never in anything
        return _NEVER
    if type(constant) is str:  # text equals only text: Python's `in` is exact here
        return _text_in_name(constant, name, negated=negated)
    test = rt.not_contained if negated else rt.contained

    def constant_in(env: Env) -> bool:
        try:
            return test(constant, env[name])
        except Exception:
            return False

    return constant_in


def _text_in_name(text: str, name: str, *, negated: bool) -> Closure:
    sequence_types = rt.SEQUENCE_TYPES
    if negated:

        def text_not_in(env: Env) -> bool:
            try:
                value = env[name]
                return type(value) in sequence_types and text not in value
            except Exception:  # a member whose == raises
                return False

        return text_not_in

    def text_in(env: Env) -> bool:
        try:
            value = env[name]
            return type(value) in sequence_types and text in value
        except Exception:
            return False

    return text_in
