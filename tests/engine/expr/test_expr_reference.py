"""The compiled closures agree with a plain reading of the documented semantics.

The builder has many closures specialised by shape (comparisons.py, build.py); this walks the same
syntax tree with the rules of docs/question-bank.md written out as simply as possible, and demands
the same answer for random expressions over random envs. Values here are ordinary ones (hostile
objects are for test_expr_never_raises: for them "cannot tell" is the only right answer).
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any

from expr_strategies import HERE, TYPES, plain_envs, typed_expressions, untyped_expressions
from hypothesis import HealthCheck, given, settings

from pia.engine.expr.build import build
from pia.engine.expr.compiler import compile_expression

NUMBERS = (int, float)
SEQUENCES = (list, tuple)
ORDER = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def is_number(value: Any) -> bool:
    return type(value) in NUMBERS


def equal(a: Any, b: Any) -> bool:
    if a is None or b is None or (type(a) is bool) != (type(b) is bool):
        return False
    return a == b


def member(a: Any, b: Any) -> bool | None:
    if a is None or type(b) not in SEQUENCES:
        return None
    return any(equal(a, item) for item in b)


def compare(op: ast.cmpop, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    if isinstance(op, ast.Eq):
        return equal(a, b)
    if isinstance(op, ast.NotEq):
        return not equal(a, b)
    if isinstance(op, ast.In):
        return member(a, b) is True
    if isinstance(op, ast.NotIn):
        return member(a, b) is False
    try:
        return ORDER[type(op)](a, b) is True
    except TypeError:
        return False


def extreme(pick: Any, arguments: list[Any]) -> Any:
    if len(arguments) == 1:
        (value,) = arguments
        if is_number(value):
            return value
        items = list(value.values()) if type(value) is dict else value
        if type(items) not in SEQUENCES:
            return None
    else:
        items = arguments
    if not items or not all(is_number(item) for item in items):
        return None
    return pick(items)


def reference(node: ast.AST, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.List):
        return [reference(item, env) for item in node.elts]
    if isinstance(node, ast.BoolOp):
        values = [reference(value, env) for value in node.values]
        stop, go = (False, True) if isinstance(node.op, ast.And) else (True, False)
        if any(value is stop for value in values):
            return stop
        return go if all(value is go for value in values) else None
    if isinstance(node, ast.UnaryOp):
        value = reference(node.operand, env)
        if isinstance(node.op, ast.Not):
            return (not value) if type(value) is bool else None
        return -value if is_number(value) else None
    if isinstance(node, ast.BinOp):
        a, b = reference(node.left, env), reference(node.right, env)
        if not (is_number(a) and is_number(b)):
            return None
        try:
            if isinstance(node.op, ast.Div):
                return a / b
            return ARITHMETIC[type(node.op)](a, b)
        except (ZeroDivisionError, OverflowError):
            return None
    if isinstance(node, ast.Compare):
        operands = [reference(o, env) for o in (node.left, *node.comparators)]
        pairs = zip(node.ops, operands, operands[1:], strict=False)
        return all(compare(op, a, b) for op, a, b in pairs)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    name = node.func.id
    if name == "answered":
        return reference(node.args[0], env) is not None
    arguments = [reference(argument, env) for argument in node.args]
    if name == "count":
        return sum(1 for value in arguments if value is True)
    if name in ("min", "max"):
        return extreme(min if name == "min" else max, arguments)
    (value,) = arguments
    if name == "len":
        return len(value) if type(value) in (str, list, tuple, dict) else None
    return abs(value) if is_number(value) else None


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and (a is b or a == b)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_expressions(), plain_envs)
def test_checked_expressions_match_the_reference(source: str, env: dict[str, Any]) -> None:
    expression, problems = compile_expression(source, HERE, TYPES)
    assert expression is not None, problems
    expected = reference(ast.parse(source, mode="eval").body, env)
    assert same(expression.run(env), expected), (source, env)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(untyped_expressions(), plain_envs)
def test_any_shape_matches_the_reference(source: str, env: dict[str, Any]) -> None:
    tree = ast.parse(source, mode="eval").body
    if "None" in source:  # the checker refuses comparisons with None; the builder folds them
        return
    assert same(build(tree)(env), reference(tree, env)), (source, env)
