"""and/or chains whose operands include bare names: the chain reads them from the env itself.

Every chain shape of up to four operands (a name, `not` a name, a comparison, a nested chain) is
run against every env over True, False, None, non-boolean values and missing keys, and must give
the three-valued answer written out plainly here; longer chains are sampled. Reads are recorded to
show that a chain stops as soon as an operand decides it and reads nothing twice.
"""

from __future__ import annotations

import ast
import itertools
import random
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from pia.engine.bank.model import Location
from pia.engine.expr.compiler import ValueType, compile_expression

HERE = Location("rules/chains.yaml", 1, 1)
NAMES = ("a", "b", "c", "d", "e", "f")
TYPES = {name: ValueType("any", label=name) for name in NAMES}
MISSING = object()  # the key is left out of the env
# Only True and False are known; 1, 0, "yes" and [] are as unknown as None or a missing answer.
VALUES = (True, False, None, MISSING, 1, 0, "yes", [])


def operand_shapes(name: str) -> tuple[str, ...]:
    return (name, f"not {name}", f"{name} == 1", f"({name} or not {name})", f"not not {name}")


def kleene(node: ast.AST, env: Mapping[str, Any]) -> Any:
    """The documented value of a name, `not`, `== 1` or and/or, written out plainly."""
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.UnaryOp):
        value = kleene(node.operand, env)
        return (not value) if type(value) is bool else None
    if isinstance(node, ast.Compare):
        value = kleene(node.left, env)
        return type(value) is not bool and value is not None and value == 1
    assert isinstance(node, ast.BoolOp)
    values = [kleene(value, env) for value in node.values]
    decides = isinstance(node.op, ast.Or)
    if any(value is decides for value in values):
        return decides
    return (not decides) if all(value is (not decides) for value in values) else None


def compiled(source: str) -> Any:
    expression, problems = compile_expression(source, HERE, TYPES)
    assert expression is not None, [str(p) for p in problems]
    return expression.run


def envs(names: tuple[str, ...], values: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
    for chosen in itertools.product(values, repeat=len(names)):
        yield {n: v for n, v in zip(names, chosen, strict=True) if v is not MISSING}


@pytest.mark.parametrize("joiner", [" and ", " or "])
@pytest.mark.parametrize("length", [2, 3, 4])
def test_every_short_chain_is_three_valued(joiner: str, length: int) -> None:
    names = NAMES[:length]
    values = VALUES if length < 4 else (True, False, None, MISSING, 1)
    for shapes in itertools.product(*(operand_shapes(name) for name in names)):
        source = joiner.join(shapes)
        run, tree = compiled(source), ast.parse(source, mode="eval").body
        for env in envs(names, values):
            assert run(env) is kleene(tree, env), (source, env)


@pytest.mark.parametrize("joiner", [" and ", " or "])
def test_long_chains_are_three_valued(joiner: str) -> None:
    chooser = random.Random(9)  # the same sample every run
    for _ in range(400):
        length = chooser.randint(5, 9)
        names = tuple(chooser.choice(NAMES) for _ in range(length))
        source = joiner.join(chooser.choice(operand_shapes(name)) for name in names)
        run, tree = compiled(source), ast.parse(source, mode="eval").body
        for _ in range(30):
            env = {n: chooser.choice(VALUES) for n in NAMES}
            env = {n: v for n, v in env.items() if v is not MISSING}
            assert run(env) is kleene(tree, env), (source, env)


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        # the benchmark's shapes: three names read in place, then a comparison
        ("warrant or not audit or second or threshold > 99", {}, None),
        ("warrant or not audit or second or threshold > 99", {"warrant": 1}, None),
        ("warrant or not audit or second or threshold > 99", {"audit": False}, True),
        ("warrant or not audit or second or threshold > 99", {"threshold": 100}, True),
        (
            "warrant or not audit or second or threshold > 99",
            {"warrant": False, "audit": True, "second": False, "threshold": 80},
            False,
        ),
        (
            "warrant or not audit or second or threshold > 99",
            {"warrant": False, "audit": "yes", "second": False, "threshold": 80},
            None,
        ),
        ("not warrant and audit and not second and threshold < 99", {"warrant": True}, False),
        ("not warrant and audit and not second and threshold < 99", {"threshold": 5}, None),
        (
            "not warrant and audit and not second and threshold < 99",
            {"warrant": False, "audit": True, "second": False, "threshold": 5},
            True,
        ),
        (
            "not warrant and audit and not second and threshold < 99",
            {"warrant": False, "audit": True, "second": False},
            False,  # an unanswered comparison is False, which decides an `and`
        ),
        (
            "not warrant and audit and not second and threshold < 99",
            {"warrant": False, "audit": 1, "second": False, "threshold": 5},
            None,
        ),
        # a name after the comparison is still read, and still decides
        ("threshold > 99 or warrant", {"warrant": True}, True),
        ("threshold > 99 or warrant", {"threshold": 5, "warrant": 0}, None),
        ("threshold < 99 and warrant", {"threshold": 5, "warrant": False}, False),
    ],
)
def test_chains_of_names_and_comparisons(source: str, env: dict[str, Any], expected: Any) -> None:
    types = {name: ValueType("any", label=name) for name in ast_names(source)}
    expression, problems = compile_expression(source, HERE, types)
    assert expression is not None, problems
    assert expression.run(env) is expected


def ast_names(source: str) -> set[str]:
    return {
        node.id for node in ast.walk(ast.parse(source, mode="eval")) if isinstance(node, ast.Name)
    }


class Recording(Mapping[str, Any]):
    """An env that notes every key read from it."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.reads: list[str] = []

    def __getitem__(self, key: str) -> Any:
        self.reads.append(key)
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


@pytest.mark.parametrize(
    ("source", "values", "reads"),
    [
        # an operand that decides the chain stops it: nothing after it is read
        ("a or b or c or d > 1", {"a": True}, ["a"]),
        ("a or not b or c or d > 1", {"a": False, "b": False}, ["a", "b"]),
        ("a and b and c and d > 1", {"a": True, "b": True, "c": False}, ["a", "b", "c"]),
        ("a and b and c and d > 1", {"a": True, "b": True, "c": True}, ["a", "b", "c", "d"]),
        # operands are read in the order written, names after a comparison too
        ("d > 1 or a", {"a": True, "d": 5}, ["d"]),
        ("d > 1 and a and b", {"a": True, "b": False, "d": 5}, ["d", "a", "b"]),
        ("a and d > 1 and b and c", {"a": True, "b": False, "d": 5}, ["a", "d", "b"]),
        # nothing decides: every operand is read, each once
        ("a or b or c or d or e > 1", {}, ["a", "b", "c", "d", "e"]),
        ("a and b and c and d and e", {n: True for n in "abcde"}, ["a", "b", "c", "d", "e"]),
        ("a or b", {"a": None, "b": False}, ["a", "b"]),
    ],
)
def test_chains_stop_at_the_operand_that_decides(
    source: str, values: dict[str, Any], reads: list[str]
) -> None:
    env = Recording(values)
    compiled(source)(env)
    assert env.reads == reads


class Refusing(Mapping[str, Any]):
    """A mapping whose every read fails with something other than KeyError."""

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("no reads")

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@pytest.mark.parametrize("source", ["a or b or c or d > 1", "not a and b", "a and b and c and d"])
def test_a_failing_read_is_an_unanswered_name(source: str) -> None:
    assert compiled(source)(Refusing()) is None


@pytest.mark.parametrize(
    ("source", "closure"),
    [
        ("a or b", "name_then_rest"),
        ("a or not b or c", "two_names_then_rest"),
        ("a and not b and c and d > 1", "three_names_then_rest"),
        ("a and b and c and d and e", "three_names_then_rest"),
        ("a or b > 1 or c", "name_then_rest"),
        ("a > 1 or b or c", "chain3"),  # only names at the start are read in place
    ],
)
def test_bare_names_are_read_by_the_chain_itself(source: str, closure: str) -> None:
    # So that the tests above exercise the chain closures that read names in place.
    assert compiled(source).__name__ == closure
