"""Every construct outside the whitelist stays outside it, reported at the right column."""

from __future__ import annotations

import pytest

from pia.engine.bank.model import Location
from pia.engine.bank.problems import Code
from pia.engine.expr.compiler import ValueType, compile_expression

HERE = Location("rules/x.yaml", 3, 9)

TYPES = {
    "a": ValueType("number", label="a"),
    "b": ValueType("number", label="b"),
    "t": ValueType("text", label="t"),
    "flag": ValueType("bool", label="flag"),
    "items": ValueType("list", label="items"),
}

# (source, offset of the column the problem points at, words the message must contain)
FORBIDDEN = [
    ("t.upper", 0, "attribute access"),
    ("t.upper() == 'X'", 0, "attribute access"),
    ("a.__class__", 0, "attribute access"),
    ("items[0] == 'x'", 0, "subscript"),
    ("items[0:2]", 0, "subscript"),
    ("(lambda: 1)()", 1, "calling the result"),
    ("lambda: 1", 0, "lambda"),
    ("[x for x in items]", 0, "list comprehension"),
    ("{x for x in items}", 0, "set comprehension"),
    ("{x: 1 for x in items}", 0, "dict comprehension"),
    ("count(x for x in items)", 5, "generator expression"),
    ("f'{t}' == 'x'", 0, "f-string"),
    ("(a := 1)", 1, "assignment expression"),
    ("a if flag else b", 0, "if-expression"),
    ("__import__('os')", 0, "__import__() is not a function"),
    ("__builtins__", 0, "dunder name"),
    ("a ** 2", 2, "**"),
    ("a // 2", 2, "//"),
    ("a % 2", 2, "%"),
    ("a @ b", 2, "@"),
    ("a << 1", 2, "<<"),
    ("a >> 1", 2, ">>"),
    ("a | b", 2, "|"),
    ("a ^ b", 2, "^"),
    ("a & b", 2, "&"),
    ("~a", 0, "~"),
    ("+a", 0, "unary +"),
    ("a is None", 2, "is"),
    ("a is not None", 2, "is not"),
    ("(a) ** (b)", 4, "**"),
    ("{1, 2}", 0, "set"),
    ("{'a': 1}", 0, "dict"),
    ("(1, 2)", 0, "tuple"),
    ("t in ('x', 'y')", 5, "tuple"),
    ("b'x'", 0, "bytes"),
    ("1j", 0, "complex"),
    ("...", 0, "..."),
    ("[*items]", 1, "unpacking"),
    ("max(*items)", 4, "unpacking"),
    ("max(a, key=b)", 7, "keyword argument"),
    ("max(**items)", 4, "keyword argument"),
    ("[a]", 1, "inside a list"),
    ("[[1]]", 1, "inside a list"),
    ("answered(a + 1)", 9, "answered()"),
    ("(yield)", 1, "yield"),
    ("await a", 0, "await"),
]

SYNTAX_ERRORS = [
    ("a = 1", 2),
    ("import os", 0),
    ("def f(): pass", 0),
    ("a; b", 1),
    ("a if flag", 0),
    ("print 'x'", 0),
]


@pytest.mark.parametrize(("source", "offset", "words"), FORBIDDEN)
def test_deliberately_missed_features(source: str, offset: int, words: str) -> None:
    expression, problems = compile_expression(source, HERE, TYPES)
    assert expression is None
    first = problems[0]
    assert first.code in (Code.EXPR_FORBIDDEN, Code.UNKNOWN_FUNCTION)
    assert first.code == (
        Code.UNKNOWN_FUNCTION if "not a function" in words else Code.EXPR_FORBIDDEN
    )
    assert (first.location.line, first.location.column) == (3, 9 + offset)
    assert words in first.message


@pytest.mark.parametrize(("source", "offset"), SYNTAX_ERRORS)
def test_statements_are_syntax_errors(source: str, offset: int) -> None:
    expression, problems = compile_expression(source, HERE, TYPES)
    assert expression is None
    assert [p.code for p in problems] == [Code.EXPR_SYNTAX]
    assert problems[0].location.column >= 9 + offset


def test_forbidden_constructs_do_not_hide_other_problems() -> None:
    _, problems = compile_expression("a ** 2 > 1 and nope and t.x", HERE, TYPES)
    assert [(p.code, p.location.column) for p in problems] == [
        (Code.EXPR_FORBIDDEN, 9 + 2),
        (Code.UNKNOWN_NAME, 9 + 15),
        (Code.EXPR_FORBIDDEN, 9 + 24),
    ]
