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
    """==, except that None equals nothing and True and False equal only bools (not 1 and 0)."""
    if left is None or right is None or (type(left) is bool) is not (type(right) is bool):
        return False
    try:
        return (left == right) is True
    except Exception:
        return False


def not_equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    if (type(left) is bool) is not (type(right) is bool):
        return True
    try:
        return (left != right) is True
    except Exception:
        return False


def _membership(item: Any, container: Any) -> bool | None:
    """Whether item is in the list (by `equal`); None when that cannot be said."""
    if item is None or type(container) not in SEQUENCE_TYPES:
        return None
    try:
        if item not in container:  # Python's `in`, a quick answer for most misses
            return False
        if type(item) is str:
            return True
        return any(equal(item, member) for member in container)
    except Exception:  # unhashable, or a value whose == raises
        return None


def contained(item: Any, container: Any) -> bool:
    return _membership(item, container) is True


def not_contained(item: Any, container: Any) -> bool:
    return _membership(item, container) is False


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


def length(value: Any) -> int | None:
    if type(value) in SIZED_TYPES:
        return len(value)
    return None


def absolute(value: Any) -> Any:
    return abs(value) if type(value) in NUMBER_TYPES else None


def extreme_of_one(pick: Callable[[Any], Any], value: Any) -> Any:
    """min or max of one argument: a number, a list of numbers or a group_numbers mapping.

    None for an empty collection, or unless every item is a number (not a bool, not None).
    """
    kind = type(value)
    if kind is dict:
        value = value.values()
    elif kind not in SEQUENCE_TYPES:
        return value if kind in NUMBER_TYPES else None
    # map(type) and issuperset run in C: the check costs little beside min() itself.
    if not value or not NUMBER_TYPES.issuperset(map(type, value)):
        return None
    try:
        return pick(value)
    except Exception:  # numbers always compare; kept so no path can raise
        return None


def extreme_of_several(pick: Callable[[list[Any]], Any], values: list[Any]) -> Any:
    """min or max of two or more arguments, which must all be numbers."""
    if not NUMBER_TYPES.issuperset(map(type, values)):
        return None
    try:
        return pick(values)
    except Exception:  # numbers always compare; kept so no path can raise
        return None
