"""The load-time check of an expression's syntax tree: the whitelist, names, choices and types.

`Checker.check` walks the tree once, records every problem it finds (it does not stop at the first)
and returns the expression's ValueType. A tree that passes without problems uses only the nodes the
builder (build.py) knows how to compile.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import cached_property

from pia.engine.bank.model import Location
from pia.engine.bank.problems import Code, Problem, did_you_mean
from pia.engine.expr.grammar import (
    ARITHMETIC_SYMBOLS,
    COMPARISON_SYMBOLS,
    FORBIDDEN_NODES,
    FORBIDDEN_OPERATORS,
    FUNCTIONS,
    FUNCTIONS_HINT,
    MAX_DEPTH,
    NONE_HINT,
    SPELLED_CONSTANTS,
    literal_item,
)
from pia.engine.expr.positions import SourceMap
from pia.engine.expr.value_types import (
    ANY,
    ANY_TYPE,
    BOOL,
    BOOL_TYPE,
    GROUPS,
    LIST,
    NONE,
    NUMBER,
    NUMBER_TYPE,
    TEXT,
    ValueType,
    is_a,
)


class Checker:
    def __init__(self, source_map: SourceMap, types: Mapping[str, ValueType]) -> None:
        self.source_map = source_map
        self.types = types
        self.problems: list[Problem] = []
        self.names: set[str] = set()
        self._too_deep = False

    @cached_property
    def _choice_values(self) -> frozenset[str]:
        """Every choice value of every question, for "put it in quotes" hints."""
        return frozenset(c for t in self.types.values() for c in (t.choices or ()))

    def report(self, code: Code, where: ast.AST | Location, message: str, hint: str = "") -> None:
        location = where if isinstance(where, Location) else self.source_map.node(where)
        self.problems.append(Problem(code, location, message, hint))

    def forbid(self, node: ast.AST, what: str, hint: str = "") -> ValueType:
        self.report(Code.EXPR_FORBIDDEN, node, f"{what} is not allowed in expressions", hint)
        return ANY_TYPE

    def check(self, node: ast.AST, depth: int = 0) -> ValueType:
        if depth > MAX_DEPTH:
            if not self._too_deep:
                self._too_deep = True
                self.forbid(node, f"nesting deeper than {MAX_DEPTH} levels", "split it up")
            return ANY_TYPE
        depth += 1
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.List):
            return self._list(node)
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            for operand in node.values:
                self._logical_operand(operand, depth, word)
            return BOOL_TYPE
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self._binary(node, depth)
        if isinstance(node, ast.Compare):
            return self._compare(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        what, hint = FORBIDDEN_NODES.get(type(node), (type(node).__name__, ""))
        return self.forbid(node, what, hint)

    # Leaves

    def _constant(self, node: ast.Constant) -> ValueType:
        value = node.value
        if isinstance(value, bool):
            return BOOL_TYPE
        if isinstance(value, (int, float)):
            return NUMBER_TYPE
        if isinstance(value, str):
            return ValueType(TEXT)
        if value is None:
            return ValueType(NONE)
        what = {bytes: "a bytes literal", complex: "a complex number"}.get(type(value), "`...`")
        return self.forbid(node, what)

    def _name(self, node: ast.Name) -> ValueType:
        name = node.id
        if name.startswith("__"):
            return self.forbid(node, f"the dunder name {name!r}")
        if name in self.types:
            self.names.add(name)
            return self.types[name]
        if name in FUNCTIONS:
            hint = f"{name} is a function: call it, e.g. {name}(x)"
        elif name.lower() in SPELLED_CONSTANTS:
            hint = SPELLED_CONSTANTS[name.lower()]
        elif name in self._choice_values:
            hint = f"to compare with the choice {name!r}, put it in quotes: '{name}'"
        else:
            hint = did_you_mean(name, self.types)
        self.report(Code.UNKNOWN_NAME, node, f"{name!r} is no question or computed value", hint)
        return ANY_TYPE

    def _list(self, node: ast.List) -> ValueType:
        kinds = set()
        for element in node.elts:
            is_literal, value = literal_item(element)
            if not is_literal:
                what, hint = FORBIDDEN_NODES.get(type(element), ("", ""))
                what = what or "an expression inside a list (lists hold only literals)"
                self.forbid(element, what, hint)
                continue
            kind = _kind_of(value)
            if kind != NONE:
                kinds.add(kind)
        item = kinds.pop() if len(kinds) == 1 else ANY
        return ValueType(LIST, item=item)

    # Operators

    def _logical_operand(self, node: ast.AST, depth: int, operator: str) -> None:
        value_type = self.check(node, depth)
        if not is_a(value_type, BOOL):
            label = value_type.label
            hint = f"to test whether it is answered, write answered({label})" if label else ""
            self.report(
                Code.TYPE_MISMATCH,
                node,
                f"`{operator}` needs true/false values, but this is {value_type.describe()}",
                hint,
            )

    def _unary(self, node: ast.UnaryOp, depth: int) -> ValueType:
        if isinstance(node.op, ast.Not):
            self._logical_operand(node.operand, depth, "not")
            return BOOL_TYPE
        if isinstance(node.op, ast.USub):
            self._arithmetic_operand(node.operand, depth, "-")
            return NUMBER_TYPE
        what = "unary +" if isinstance(node.op, ast.UAdd) else "bitwise not (~)"
        return self.forbid(node, what)

    def _arithmetic_operand(self, node: ast.AST, depth: int, symbol: str) -> None:
        value_type = self.check(node, depth)
        if not is_a(value_type, NUMBER):
            self.report(
                Code.TYPE_MISMATCH,
                node,
                f"`{symbol}` works on numbers, but this is {value_type.describe()}",
            )

    def _binary(self, node: ast.BinOp, depth: int) -> ValueType:
        symbol = ARITHMETIC_SYMBOLS.get(type(node.op))
        if symbol is None:
            token, what = FORBIDDEN_OPERATORS.get(type(node.op), ("", type(node.op).__name__))
            where = self.source_map.token_between(node.left, node.right, token)
            self.report(Code.EXPR_FORBIDDEN, where, f"{what} is not allowed in expressions")
            return ANY_TYPE
        self._arithmetic_operand(node.left, depth, symbol)
        self._arithmetic_operand(node.right, depth, symbol)
        return NUMBER_TYPE

    def _compare(self, node: ast.Compare, depth: int) -> ValueType:
        operands = [node.left, *node.comparators]
        types = [self.check(operand, depth) for operand in operands]
        for index, op in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            symbol = COMPARISON_SYMBOLS.get(type(op))
            if symbol is None:
                token, what = FORBIDDEN_OPERATORS[type(op)]
                where = self.source_map.token_between(left, right, token)
                self.report(Code.EXPR_FORBIDDEN, where, f"{what} is not allowed", NONE_HINT)
                continue
            self._comparison_types(symbol, left, types[index], right, types[index + 1])
        return BOOL_TYPE

    def _comparison_types(
        self,
        symbol: str,
        left: ast.AST,
        left_type: ValueType,
        right: ast.AST,
        right_type: ValueType,
    ) -> None:
        def mismatch(message: str, hint: str = "") -> None:
            self.report(Code.TYPE_MISMATCH, left, message, hint)

        if NONE in (left_type.kind, right_type.kind):
            mismatch(f"`{symbol}` with None is always false", NONE_HINT)
            return
        if symbol in ("in", "not in"):
            if not is_a(right_type, LIST):
                hint = "use == to compare single values" if right_type.kind == TEXT else ""
                mismatch(f"`{symbol}` needs a list on its right, not {right_type.describe()}", hint)
            elif not is_a(left_type, TEXT, NUMBER, BOOL):
                mismatch(f"`{symbol}` looks for one value, not {left_type.describe()}")
            elif right_type.kind == LIST and not _kinds_match(left_type.kind, right_type.item):
                mismatch(f"{left_type.describe()} is never in {right_type.describe()}")
            else:
                self._choices_in(left, left_type, right, right_type)
            return
        if symbol in ("==", "!="):
            if not _kinds_match(left_type.kind, right_type.kind):
                mismatch(f"`{symbol}` compares {left_type.describe()} with {right_type.describe()}")
                return
            self._choices_equal(left, left_type, right)
            self._choices_equal(right, right_type, left)
            return
        for value_type in (left_type, right_type):
            if not is_a(value_type, NUMBER, TEXT):
                mismatch(f"`{symbol}` orders numbers or text, not {value_type.describe()}")
                return
        if not _kinds_match(left_type.kind, right_type.kind):
            mismatch(f"`{symbol}` compares {left_type.describe()} with {right_type.describe()}")

    def _choices_equal(self, named: ast.AST, named_type: ValueType, other: ast.AST) -> None:
        if named_type.choices is None:
            return
        if isinstance(other, ast.List):
            for element in other.elts:
                self._offered(element, named_type)
        else:
            self._offered(other, named_type)

    def _choices_in(
        self, left: ast.AST, left_type: ValueType, right: ast.AST, right_type: ValueType
    ) -> None:
        if right_type.choices is not None:
            self._offered(left, right_type)
        if left_type.choices is not None and isinstance(right, ast.List):
            for element in right.elts:
                self._offered(element, left_type)

    def _offered(self, node: ast.AST, named_type: ValueType) -> None:
        """Report a text literal that the question's choices do not include."""
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return
        choices = named_type.choices or frozenset()
        if node.value in choices:
            return
        close = did_you_mean(node.value, choices)
        listed = "choices are " + ", ".join(repr(c) for c in sorted(choices))
        hint = f"{close} {listed}" if close else listed
        whose = named_type.label or "the question"
        message = f"{node.value!r} is not a choice of {whose}"
        self.report(Code.UNKNOWN_CHOICE, node, message, hint)

    # Calls

    def _call(self, node: ast.Call, depth: int) -> ValueType:
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                return self.forbid(node.func, "attribute access (a method call)", FUNCTIONS_HINT)
            return self.forbid(node.func, "calling the result of an expression", FUNCTIONS_HINT)
        name = node.func.id
        if name not in FUNCTIONS:
            message = f"{name}() is not a function expressions can call"
            hint = did_you_mean(name, FUNCTIONS)
            hint = f"{hint} {FUNCTIONS_HINT}" if hint else FUNCTIONS_HINT
            self.report(Code.UNKNOWN_FUNCTION, node.func, message, hint)
            return ANY_TYPE
        for keyword in node.keywords:
            self.forbid(keyword, "a keyword argument")
        if node.keywords:
            return ANY_TYPE
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                return self.forbid(argument, "* unpacking")
        return getattr(self, f"_call_{name}")(node, depth)

    def _arity(self, node: ast.Call, at_least: int, at_most: int | None) -> bool:
        count = len(node.args)
        if count >= at_least and (at_most is None or count <= at_most):
            return True
        name = node.func.id  # type: ignore[attr-defined]
        if at_most == at_least:
            wanted = f"exactly {at_least} argument" + ("s" if at_least != 1 else "")
        else:
            wanted = f"at least {at_least} argument" + ("s" if at_least != 1 else "")
        self.report(Code.TYPE_MISMATCH, node, f"{name}() takes {wanted} ({count} given)")
        return False

    def _call_answered(self, node: ast.Call, depth: int) -> ValueType:
        if self._arity(node, 1, 1):
            argument = node.args[0]
            if isinstance(argument, ast.Name):
                self._name(argument)
            else:
                self.forbid(argument, "answered() of anything but a question or computed id")
        return BOOL_TYPE

    def _call_len(self, node: ast.Call, depth: int) -> ValueType:
        if self._arity(node, 1, 1):
            value_type = self.check(node.args[0], depth)
            if not is_a(value_type, TEXT, LIST, GROUPS):
                self.report(Code.TYPE_MISMATCH, node.args[0], f"len() of {value_type.describe()}")
        return NUMBER_TYPE

    def _call_abs(self, node: ast.Call, depth: int) -> ValueType:
        if self._arity(node, 1, 1):
            self._arithmetic_operand(node.args[0], depth, "abs()")
        return NUMBER_TYPE

    def _call_min(self, node: ast.Call, depth: int) -> ValueType:
        if not self._arity(node, 1, None):
            return NUMBER_TYPE
        name = node.func.id  # type: ignore[attr-defined]
        if len(node.args) == 1:
            value_type = self.check(node.args[0], depth)
            numbers = is_a(value_type, NUMBER, GROUPS) or (
                value_type.kind == LIST and value_type.item in (NUMBER, ANY)
            )
            if not numbers:
                message = f"{name}() works on numbers, but this is {value_type.describe()}"
                self.report(Code.TYPE_MISMATCH, node.args[0], message)
            return NUMBER_TYPE
        for argument in node.args:
            self._arithmetic_operand(argument, depth, f"{name}()")
        return NUMBER_TYPE

    _call_max = _call_min

    def _call_count(self, node: ast.Call, depth: int) -> ValueType:
        if self._arity(node, 1, None):
            for argument in node.args:
                self._logical_operand(argument, depth, "count()")
        return NUMBER_TYPE


def _kinds_match(left: str, right: str) -> bool:
    return ANY in (left, right) or left == right


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    return NONE
