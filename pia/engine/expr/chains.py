"""Closures for `and`/`or` chains, unrolled so that a chain costs one call plus its operands' calls.

Over operands that only ever give True or False (comparisons, answered(), nested chains of them)
three-valued logic is Python's own `and` and `or`. Otherwise only True and False are known and
anything else is unknown (None): an `and` is False as soon as one operand is False, an `or` True as
soon as one is True; failing that the chain holds its other value when every operand holds it, and
is unknown when one of them is unknown. Bare names that start such a chain, e.g. `warrant or not
audit or ...`, are read straight from the env by the chain's own closure, not by a closure each.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

Env = Mapping[str, Any]
Closure = Callable[[Env], Any]
Builder = Callable[[ast.AST], Closure]

# An operand of a three-valued chain: what gives its value, the value that decides the chain
# (False in an `and`, True in an `or`) and the value that lets the chain go on. For `not x` the two
# are swapped, so a negation costs no call of its own.
Operand = tuple[Closure, bool, bool]
NameOperand = tuple[str, bool, bool]  # the same for a bare name, read from the env in place

# Up to this many bare names are read in the chain's own closure; any more go to the rest.
INLINE_NAMES = 3


def build_chain(node: ast.BoolOp, build: Builder) -> Closure:
    """The closure for an `and` or `or` of two or more operands."""
    is_or = isinstance(node.op, ast.Or)
    if all(two_valued(value) for value in node.values):
        plain = tuple(build(value) for value in node.values)
        return _plain_or(plain) if is_or else _plain_and(plain)
    # (node, value deciding the chain, value letting it go on), `not` folded into the two values.
    operands = []
    for value in node.values:
        decides = is_or
        while isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
            value, decides = value.operand, not decides
        operands.append((value, decides, not decides))
    return _three_valued(operands, is_or, build)


def _three_valued(
    operands: list[tuple[ast.AST, bool, bool]], decided: bool, build: Builder
) -> Closure:
    """Two or more operands, run in the order written; `decided` is True for an `or`.

    Bare names at the start (up to three, and never the whole chain) are read in place, then one
    operand stands for the rest of the chain.
    """
    leading = 0
    while leading < min(INLINE_NAMES, len(operands) - 1) and _is_name(operands[leading][0]):
        leading += 1
    if not leading:
        return _unrolled([(build(node), d, g) for node, d, g in operands], decided)
    names = [(node.id, d, g) for node, d, g in operands[:leading]]  # type: ignore[attr-defined]
    rest = operands[leading:]
    if len(rest) == 1:
        ((node, decides, goes_on),) = rest
        return _names_then(names, (build(node), decides, goes_on), decided)
    rest_of_chain = _three_valued(rest, decided, build)
    return _names_then(names, (rest_of_chain, decided, not decided), decided)


def _is_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Name)


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


# Longer chains are unrolled four operands at a time, the last one standing for the rest of the
# chain: a generator over the operands (all(), any()) costs several times the calls themselves.


def _plain_and(operands: tuple[Closure, ...]) -> Closure:
    if len(operands) == 2:
        first, second = operands
        return lambda env: first(env) and second(env)
    if len(operands) == 3:
        first, second, third = operands
        return lambda env: first(env) and second(env) and third(env)
    if len(operands) == 4:
        first, second, third, fourth = operands
        return lambda env: first(env) and second(env) and third(env) and fourth(env)
    first, second, third = operands[:3]
    rest = _plain_and(operands[3:])
    return lambda env: first(env) and second(env) and third(env) and rest(env)


def _plain_or(operands: tuple[Closure, ...]) -> Closure:
    if len(operands) == 2:
        first, second = operands
        return lambda env: first(env) or second(env)
    if len(operands) == 3:
        first, second, third = operands
        return lambda env: first(env) or second(env) or third(env)
    if len(operands) == 4:
        first, second, third, fourth = operands
        return lambda env: first(env) or second(env) or third(env) or fourth(env)
    first, second, third = operands[:3]
    rest = _plain_or(operands[3:])
    return lambda env: first(env) or second(env) or third(env) or rest(env)


def _names_then(names: list[NameOperand], rest: Operand, decided: bool) -> Closure:
    """One to three names read from the env, then `rest`: the values decide as in _unrolled."""
    undecided = not decided
    last, r_decides, r_goes_on = rest
    if len(names) == 1:
        ((a_name, a_decides, a_goes_on),) = names

        def name_then_rest(env: Env) -> bool | None:
            try:
                a = env[a_name]
            except Exception:  # a missing key is an unanswered question
                a = None
            if a is a_decides:
                return decided
            r = last(env)
            if r is r_decides:
                return decided
            return undecided if a is a_goes_on and r is r_goes_on else None

        return name_then_rest
    if len(names) == 2:
        (a_name, a_decides, a_goes_on), (b_name, b_decides, b_goes_on) = names

        def two_names_then_rest(env: Env) -> bool | None:
            try:
                a = env[a_name]
            except Exception:
                a = None
            if a is a_decides:
                return decided
            try:
                b = env[b_name]
            except Exception:
                b = None
            if b is b_decides:
                return decided
            r = last(env)
            if r is r_decides:
                return decided
            return undecided if a is a_goes_on and b is b_goes_on and r is r_goes_on else None

        return two_names_then_rest
    (a_name, a_decides, a_goes_on), (b_name, b_decides, b_goes_on) = names[:2]
    ((c_name, c_decides, c_goes_on),) = names[2:]

    def three_names_then_rest(env: Env) -> bool | None:
        try:
            a = env[a_name]
        except Exception:
            a = None
        if a is a_decides:
            return decided
        try:
            b = env[b_name]
        except Exception:
            b = None
        if b is b_decides:
            return decided
        try:
            c = env[c_name]
        except Exception:
            c = None
        if c is c_decides:
            return decided
        r = last(env)
        if r is r_decides:
            return decided
        if a is a_goes_on and b is b_goes_on and c is c_goes_on and r is r_goes_on:
            return undecided
        return None

    return three_names_then_rest


def _unrolled(operands: list[Operand], decided: bool) -> Closure:
    """Two or more operands; beyond four, the fourth is the rest of the chain (associativity)."""
    undecided = not decided
    if len(operands) == 2:
        (first, a_decides, a_goes_on), (second, b_decides, b_goes_on) = operands

        def chain2(env: Env) -> bool | None:
            a = first(env)
            if a is a_decides:
                return decided
            b = second(env)
            if b is b_decides:
                return decided
            return undecided if a is a_goes_on and b is b_goes_on else None

        return chain2
    if len(operands) == 3:
        (first, a_decides, a_goes_on), (second, b_decides, b_goes_on) = operands[:2]
        ((third, c_decides, c_goes_on),) = operands[2:]

        def chain3(env: Env) -> bool | None:
            a = first(env)
            if a is a_decides:
                return decided
            b = second(env)
            if b is b_decides:
                return decided
            c = third(env)
            if c is c_decides:
                return decided
            return undecided if a is a_goes_on and b is b_goes_on and c is c_goes_on else None

        return chain3
    (first, a_decides, a_goes_on), (second, b_decides, b_goes_on) = operands[:2]
    (third, c_decides, c_goes_on) = operands[2]
    fourth, d_decides, d_goes_on = (
        operands[3]
        if len(operands) == 4
        else (_unrolled(operands[3:], decided), decided, undecided)
    )

    def chain4(env: Env) -> bool | None:
        a = first(env)
        if a is a_decides:
            return decided
        b = second(env)
        if b is b_decides:
            return decided
        c = third(env)
        if c is c_decides:
            return decided
        d = fourth(env)
        if d is d_decides:
            return decided
        if a is a_goes_on and b is b_goes_on and c is c_goes_on and d is d_goes_on:
            return undecided
        return None

    return chain4
