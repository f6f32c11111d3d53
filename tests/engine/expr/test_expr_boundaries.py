"""Comparisons decided right at their edges: equal, one above, one below, a fraction off, None.

Random expressions over random values rarely hit the one value where `<` and `<=` (or `in` and
`not in`) part ways, so an operator swapped in one of the builder's specialised shapes can pass
the reference test on an unlucky seed. Here each drawn (shape, operator, constant) is run against
every boundary value at once, and every shape the builder specialises is drawn, so such a swap
fails on every seed. The expected answers come from the plain reference of test_expr_reference.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
from expr_strategies import HERE, TYPES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_expr_reference import reference, same

from pia.engine.expr.compiler import compile_expression

ORDERED = ("<", "<=", ">", ">=", "==", "!=")
MEMBERSHIP = ("in", "not in")

# Each shape is built by a different closure of pia/engine/expr/comparisons.py.
ORDERED_SHAPES = {
    "name OP constant": "n0 {op} {k}",
    "constant OP name": "{k} {op} n0",
    "name OP name": "n0 {op} n1",
    "expression OP constant": "(n0 + 0) {op} {k}",
    "constant OP expression": "{k} {op} (n0 + 0)",
    "expression OP expression": "(n0 + 0) {op} (n1 + 0)",
    "range, name in the middle": "{low} {op} n0 {op2} {high}",
    "range, bounds reversed": "{high} {op} n0 {op2} {low}",
    "chain of names": "n2 {op} n0 {op2} n1",
}
MEMBERSHIP_SHAPES = {
    "name OP literal list": "n0 {op} [{k}, {high}]",
    "constant OP name": "{k} {op} n1",
    "name OP name": "n0 {op} n1",
    "expression OP literal list": "(n0 + 0) {op} [{k}, {high}]",
    "name OP list of texts": "n0 {op} ['a', 'b']",
    "text OP name": "'a' {op} n1",
}


def boundary_values(k: int) -> list[Any]:
    return [k, k + 1, k - 1, k + 0.5, k - 0.5, float(k), None, True, ""]


def ordered_envs(k: int) -> list[dict[str, Any]]:
    """n0 at each boundary of k; n1 (and n2) at k itself and one either side."""
    envs = []
    for value in boundary_values(k):
        for other in (k, k - 1, k + 1, None):
            envs.append({"n0": value, "n1": other, "n2": other})
    return envs


def membership_envs(k: int) -> list[dict[str, Any]]:
    lists = [[k], [k + 1], [], [k - 1, k], None, [None], ["a"], ["b", "c"], [""]]
    values = [*boundary_values(k), "a", "b", "A", ["a"]]
    return [{"n0": value, "n1": members} for value in values for members in lists]


def check(source: str, envs: list[dict[str, Any]]) -> None:
    expression, problems = compile_expression(source, HERE, TYPES)
    assert expression is not None, problems
    tree = ast.parse(source, mode="eval").body
    for env in envs:
        assert same(expression.run(env), reference(tree, env)), (source, env)


constants = st.integers(-3, 3) | st.sampled_from([0, 99, 1000])


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(ORDERED_SHAPES)),
    st.sampled_from(ORDERED),
    st.sampled_from(ORDERED),
    constants,
)
def test_ordered_comparisons_at_their_edges(shape: str, op: str, op2: str, k: int) -> None:
    source = ORDERED_SHAPES[shape].format(op=op, op2=op2, k=k, low=k - 1, high=k + 1)
    check(source, ordered_envs(k))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(MEMBERSHIP_SHAPES)), st.sampled_from(MEMBERSHIP), constants)
def test_membership_at_its_edges(shape: str, op: str, k: int) -> None:
    source = MEMBERSHIP_SHAPES[shape].format(op=op, k=k, high=k + 7)
    check(source, membership_envs(k))


# The same grid without chance: every shape and operator at least once, whatever the seed.
@pytest.mark.parametrize("op2", ORDERED)
@pytest.mark.parametrize("op", ORDERED)
@pytest.mark.parametrize("shape", sorted(ORDERED_SHAPES))
def test_every_ordered_shape_and_operator(shape: str, op: str, op2: str) -> None:
    source = ORDERED_SHAPES[shape].format(op=op, op2=op2, k=2, low=1, high=3)
    check(source, ordered_envs(2))


@pytest.mark.parametrize("op", MEMBERSHIP)
@pytest.mark.parametrize("shape", sorted(MEMBERSHIP_SHAPES))
def test_every_membership_shape_and_operator(shape: str, op: str) -> None:
    check(MEMBERSHIP_SHAPES[shape].format(op=op, k=2, high=9), membership_envs(2))
