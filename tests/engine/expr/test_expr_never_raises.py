"""No compiled expression raises at run time, whatever the env holds.

Two generators (expr_strategies): well-typed expressions that the checker accepts (names typed
"any"), run through compile_expression; and any shape the whitelist allows, however ill-typed
(`[1] < 'a'`, `-'x'`), handed straight to the builder, which must be just as safe. The env holds
arbitrary values: huge integers, NaN, nested containers, bytes, sets, and objects whose every
operator raises.
"""

from __future__ import annotations

import ast
from typing import Any

from expr_strategies import (
    HERE,
    TYPES,
    hostile_names,
    plain_envs,
    typed_expressions,
    untyped_expressions,
    with_hostile,
)
from hypothesis import HealthCheck, given, settings

from pia.engine.expr.build import build
from pia.engine.expr.compiler import compile_expression


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_expressions(), plain_envs, hostile_names, hostile_names)
def test_checked_expressions_never_raise(
    source: str, env: dict[str, Any], hostile: set[str], hostile_lists: set[str]
) -> None:
    env = with_hostile(env, hostile, hostile_lists)
    expression, problems = compile_expression(source, HERE, TYPES)
    assert problems == [], (source, [str(p) for p in problems])
    assert expression is not None
    result = expression.run(env)
    if source not in env:  # a bare name gives back whatever the env holds
        assert result is None or type(result) in (bool, int, float, str, list)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(untyped_expressions(), plain_envs, hostile_names, hostile_names)
def test_any_whitelisted_shape_never_raises(
    source: str, env: dict[str, Any], hostile: set[str], hostile_lists: set[str]
) -> None:
    env = with_hostile(env, hostile, hostile_lists)
    tree = ast.parse(source, mode="eval")
    run = build(tree.body)
    run(env)
