"""The values and operations compiled expressions compute with, defined so that none ever raises.

The rules (docs/question-bank.md, "Expressions"): a comparison, `in` or `not in` with an unanswered
(None) operand is False, and so is one between values that cannot be compared; arithmetic is on
numbers only (not bools) and gives None otherwise, including division by zero and overflow;
`and`/`or`/`not` use three-valued logic in which only `True` and `False` are known and anything else
is unknown (None).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

# Exact types throughout: True and False (ints to Python) never count as numbers, and a subclass
# with its own __len__ or __contains__ cannot raise from inside an expression.
NUMBER_TYPES = frozenset({int, float})
SEQUENCE_TYPES = frozenset({list, tuple})
SIZED_TYPES = frozenset({str, list, tuple, dict})

Compare = Callable[[Any, Any], bool]
Arithmetic = Callable[[Any, Any], Any]


def _ordered(test: Callable[[Any, Any], Any]) -> Compare:
    # None < 1 and "a" < 1 raise TypeError in Python: both mean "not comparable" here, so False.
    def compare(left: Any, right: Any) -> bool:
        try:
            return test(left, right) is True
        except Exception:
            return False

    return compare


def equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    try:
        return (left == right) is True
    except Exception:
        return False


def not_equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    try:
        return (left != right) is True
    except Exception:
        return False


def contained(item: Any, container: Any) -> bool:
    if item is None or type(container) not in SEQUENCE_TYPES:
        return False
    try:
        return (item in container) is True
    except Exception:
        return False


def not_contained(item: Any, container: Any) -> bool:
    if item is None or type(container) not in SEQUENCE_TYPES:
        return False
    try:
        return (item not in container) is True
    except Exception:
        return False


COMPARISONS: dict[str, Compare] = {
    "==": equal,
    "!=": not_equal,
    "<": _ordered(operator.lt),
    "<=": _ordered(operator.le),
    ">": _ordered(operator.gt),
    ">=": _ordered(operator.ge),
    "in": contained,
    "not in": not_contained,
}


def _numeric(apply: Callable[[Any, Any], Any]) -> Arithmetic:
    def arithmetic(left: Any, right: Any) -> Any:
        if type(left) in NUMBER_TYPES and type(right) in NUMBER_TYPES:
            try:
                return apply(left, right)
            except (ArithmeticError, ValueError):  # division by zero, int too large for a float
                return None
        return None

    return arithmetic


ARITHMETIC: dict[str, Arithmetic] = {
    "+": _numeric(operator.add),
    "-": _numeric(operator.sub),
    "*": _numeric(operator.mul),
    "/": _numeric(operator.truediv),
}


def negate(value: Any) -> Any:
    return -value if type(value) in NUMBER_TYPES else None


def logical_not(value: Any) -> bool | None:
    if value is True:
        return False
    if value is False:
        return True
    return None


def answered(value: Any) -> bool:
    return value is not None


def length(value: Any) -> int | None:
    if type(value) in SIZED_TYPES:
        return len(value)
    return None


def absolute(value: Any) -> Any:
    return abs(value) if type(value) in NUMBER_TYPES else None


def numbers_in(value: Any) -> list[Any] | None:
    """The numbers a single min()/max() argument stands for, or None if it is not all numbers."""
    if type(value) in NUMBER_TYPES:
        return [value]
    if type(value) is dict:
        value = list(value.values())
    if type(value) not in SEQUENCE_TYPES:
        return None
    for item in value:
        if type(item) not in NUMBER_TYPES:
            return None
    return list(value)


def extreme(pick: Callable[..., Any]) -> Callable[[list[Any]], Any]:
    """min or max over the arguments' values; None if any is not a number or there are none."""

    def of(values: list[Any]) -> Any:
        if len(values) == 1:
            numbers = numbers_in(values[0])
        else:
            numbers = values if all(type(v) in NUMBER_TYPES for v in values) else None
        if not numbers:
            return None
        try:
            return pick(numbers)
        except Exception:  # e.g. huge int against a float
            return None

    return of


SMALLEST = extreme(min)
LARGEST = extreme(max)
