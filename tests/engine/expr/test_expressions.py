"""Compiled expressions compute what docs/question-bank.md says, including for unanswered values."""

from __future__ import annotations

import math

import pytest

from pia.engine.bank.model import Expression, Location
from pia.engine.expr.compiler import ValueType, compile_expression, compile_typed, infer_type

HERE = Location("sections/accuracy.yaml", 7, 11)

TYPES = {
    "mode": ValueType("text", frozenset({"search", "live", "none"}), "mode"),
    "threshold": ValueType("number", label="threshold"),
    "retention_days": ValueType("number", label="retention_days"),
    "second_examiner": ValueType("bool", label="second_examiner"),
    "warrant": ValueType("bool", label="warrant"),
    "uses": ValueType("list", frozenset({"lead", "arrest", "watchlist"}), "uses"),
    "fmr": ValueType("groups", label="fmr"),
    "vendor": ValueType("text", label="vendor"),
    "review_date": ValueType("text", label="review_date"),
    "anything": ValueType("any", label="anything"),
}

ANSWERED = {
    "mode": "live",
    "threshold": 80,
    "retention_days": 30.5,
    "second_examiner": False,
    "warrant": True,
    "uses": ["lead", "watchlist"],
    "fmr": {"women": 0.4, "men": 0.1},
    "vendor": "Acme",
    "review_date": "2025-03-01",
}


def run(source: str, env: dict) -> object:
    expression, problems = compile_expression(source, HERE, TYPES)
    assert problems == [], [str(p) for p in problems]
    assert expression is not None
    return expression.run(env)


RESULTS = [
    # names and literals
    ("threshold", ANSWERED, 80),
    ("threshold", {}, None),
    ("'text'", {}, "text"),
    ("-3.5", {}, -3.5),
    ("True", {}, True),
    ("[1, -2, 'a', None]", {}, [1, -2, "a", None]),
    # comparisons
    ("threshold < 99", ANSWERED, True),
    ("threshold < 80", ANSWERED, False),
    ("threshold <= 80", ANSWERED, True),
    ("threshold > 79.5", ANSWERED, True),
    ("threshold >= 81", ANSWERED, False),
    ("99 > threshold", ANSWERED, True),
    ("threshold == 80", ANSWERED, True),
    ("threshold == 80.0", ANSWERED, True),
    ("threshold != 80", ANSWERED, False),
    ("mode == 'live'", ANSWERED, True),
    ("'live' == mode", ANSWERED, True),
    ("mode != 'search'", ANSWERED, True),
    ("mode in ['search', 'live']", ANSWERED, True),
    ("mode not in ['search', 'live']", ANSWERED, False),
    ("mode not in ['search', 'none']", ANSWERED, True),
    ("'lead' in uses", ANSWERED, True),
    ("'arrest' in uses", ANSWERED, False),
    ("'arrest' not in uses", ANSWERED, True),
    ("threshold in [70, 80]", ANSWERED, True),
    ("10 < threshold < 90", ANSWERED, True),
    ("10 < threshold < 50", ANSWERED, False),
    ("0 <= threshold <= retention_days", ANSWERED, False),
    ("threshold > retention_days", ANSWERED, True),
    ("review_date < '2025-06-30'", ANSWERED, True),
    ("review_date >= vendor", ANSWERED, False),
    ("second_examiner == False", ANSWERED, True),
    ("warrant == True", ANSWERED, True),
    ("uses == ['lead', 'watchlist']", ANSWERED, True),
    # unanswered values never compare
    ("threshold < 99", {}, False),
    ("threshold >= 0", {"threshold": None}, False),
    ("threshold == 80", {}, False),
    ("threshold != 80", {}, False),
    ("mode != 'search'", {}, False),
    ("mode in ['search', 'live']", {}, False),
    ("mode not in ['search', 'live']", {}, False),
    ("'lead' in uses", {}, False),
    ("'lead' not in uses", {}, False),
    ("mode in anything", {"mode": "live"}, False),
    ("mode not in anything", {"mode": "live"}, False),
    ("10 < threshold < 90", {}, False),
    ("threshold == retention_days", {}, False),
    ("threshold != retention_days", {"threshold": 1}, False),
    ("second_examiner == False", {}, False),
    # values of the wrong type that slipped through compare as False, never raise
    ("threshold < 99", {"threshold": "eighty"}, False),
    ("anything > vendor", {"anything": 5, "vendor": "x"}, False),
    ("mode in ['search', 'live']", {"mode": ["live"]}, False),
    ("mode not in ['search', 'live']", {"mode": 3}, True),
    ("anything not in ['search', 'live']", {"anything": ["live"]}, True),
    ("anything not in ['search', 'live']", {"anything": {"a": 1}}, True),
    ("anything in ['search', 'live']", {"anything": ["live"]}, False),
    ("'lead' in uses", {"uses": "lead"}, False),
    ("mode == 'live'", {"mode": 1}, False),
    ("anything < 3", {"anything": {"a": 1}}, False),
    ("anything == 3", {"anything": math.nan}, False),
    # ranges, either way round
    ("80 < threshold < 99", ANSWERED, False),
    ("80 <= threshold <= 99", ANSWERED, True),
    ("0 < threshold <= 80", ANSWERED, True),
    ("0 <= threshold < 80", ANSWERED, False),
    ("99 > threshold >= 80", ANSWERED, True),
    ("99 >= threshold > 80", ANSWERED, False),
    ("0 < threshold > 50", ANSWERED, True),
    ("0 < threshold < 99", {"threshold": "50"}, False),
    ("'2025-01-01' <= review_date <= '2025-12-31'", ANSWERED, True),
    # True and False equal only bools, whichever shape the comparison has
    ("anything == 1", {"anything": True}, False),
    ("anything != 1", {"anything": True}, True),
    ("anything == True", {"anything": 1}, False),
    ("anything != True", {"anything": 1}, True),
    ("anything == False", {"anything": False}, True),
    ("anything == threshold", {"anything": True, "threshold": 1}, False),
    ("anything != threshold", {"anything": True, "threshold": 1}, True),
    ("anything in [1, 2]", {"anything": True}, False),
    ("anything in [True]", {"anything": 1}, False),
    ("anything in [True, 2]", {"anything": True}, True),
    ("anything not in [1]", {"anything": True}, True),
    ("1 in anything", {"anything": [True]}, False),
    ("1 in anything", {"anything": [2, 1]}, True),
    ("True not in anything", {"anything": [1]}, True),
    ("answered(mode) == True", ANSWERED, True),
    ("answered(mode) != False", {}, False),
    # arithmetic
    ("threshold + 1", ANSWERED, 81),
    ("threshold - retention_days", ANSWERED, 49.5),
    ("threshold * 2", ANSWERED, 160),
    ("threshold / 8", ANSWERED, 10.0),
    ("-threshold", ANSWERED, -80),
    ("2 + 3 * 4", {}, 14),
    ("(2 + 3) * 4", {}, 20),
    ("threshold + 1", {}, None),
    ("-threshold", {}, None),
    ("threshold / 0", ANSWERED, None),
    ("threshold / (retention_days - 30.5)", ANSWERED, None),
    ("threshold * retention_days", {"threshold": 2}, None),
    ("threshold + 1", {"threshold": "80"}, None),
    ("threshold + 1", {"threshold": True}, None),
    ("anything * 3", {"anything": "ab"}, None),
    ("anything / 2", {"anything": 10**400}, None),
    ("-anything", {"anything": [1]}, None),
    # three-valued logic
    ("warrant and second_examiner", ANSWERED, False),
    ("warrant and not second_examiner", ANSWERED, True),
    ("warrant or second_examiner", ANSWERED, True),
    ("second_examiner or second_examiner", ANSWERED, False),
    ("second_examiner and warrant", {"second_examiner": False}, False),
    ("warrant and second_examiner", {"warrant": True}, None),
    ("warrant and second_examiner", {}, None),
    ("warrant or second_examiner", {"warrant": True}, True),
    ("warrant or second_examiner", {"warrant": False}, None),
    ("second_examiner or warrant", {"warrant": True}, True),
    ("not warrant", {}, None),
    ("not warrant", {"warrant": True}, False),
    ("not not warrant", {"warrant": False}, False),
    ("warrant and second_examiner and answered(mode)", {"warrant": True, "mode": "x"}, None),
    ("warrant and second_examiner and answered(mode)", {"second_examiner": False}, False),
    ("warrant and not second_examiner and answered(mode)", ANSWERED, True),
    ("warrant and warrant and warrant and warrant", ANSWERED, True),
    ("warrant and warrant and warrant and second_examiner", {"warrant": True}, None),
    ("second_examiner or second_examiner or warrant", {"warrant": True}, True),
    ("second_examiner or second_examiner or warrant", ANSWERED, True),
    ("second_examiner or second_examiner or second_examiner", {}, None),
    ("warrant or warrant or warrant", {"warrant": False}, False),
    # and/or of comparisons, which are never unknown
    ("threshold > 1 and answered(mode)", ANSWERED, True),
    ("threshold > 1 and answered(mode)", {"threshold": 5}, False),
    ("threshold > 1 and threshold > 2 and mode == 'live'", ANSWERED, True),
    ("threshold > 1 and threshold > 2 and mode == 'none'", ANSWERED, False),
    ("threshold > 1 and threshold > 2 and answered(mode) and mode == 'live'", ANSWERED, True),
    ("threshold > 1 and threshold > 2 and answered(mode) and mode == 'live'", {}, False),
    ("threshold > 100 or answered(mode)", ANSWERED, True),
    ("threshold > 100 or answered(mode)", {}, False),
    ("threshold > 100 or threshold < 0 or mode == 'live'", ANSWERED, True),
    ("threshold > 100 or threshold < 0 or mode == 'none'", ANSWERED, False),
    ("threshold > 100 or threshold < 0 or mode == 'none' or answered(vendor)", ANSWERED, True),
    ("threshold > 100 or threshold < 0 or mode == 'none' or answered(vendor)", {}, False),
    ("not (threshold > 100)", {}, True),  # the comparison is False, so its negation is True
    ("not (threshold > 1 and answered(mode))", ANSWERED, False),
    ("anything and True", {"anything": 1}, None),  # only True is true
    ("anything or False", {"anything": "yes"}, None),
    ("not anything", {"anything": 0}, None),
    (
        "mode in ['search', 'live'] and threshold < 99 and not second_examiner",
        ANSWERED,
        True,
    ),
    ("mode in ['search', 'live'] and threshold < 99 and not second_examiner", {}, False),
    # functions
    ("answered(threshold)", ANSWERED, True),
    ("answered(threshold)", {}, False),
    ("answered(threshold)", {"threshold": None}, False),
    ("not answered(threshold)", {}, True),
    ("len(uses)", ANSWERED, 2),
    ("len(vendor)", ANSWERED, 4),
    ("len(fmr)", ANSWERED, 2),
    ("len(uses)", {}, None),
    ("len(anything)", {"anything": 5}, None),
    ("min(fmr)", ANSWERED, 0.1),
    ("max(fmr)", ANSWERED, 0.4),
    ("max(fmr) / min(fmr)", ANSWERED, 4.0),
    ("max(fmr) / min(fmr)", {"fmr": {"women": 0.4, "men": 0}}, None),
    ("max(fmr) / min(fmr)", {}, None),
    ("max(fmr)", {"fmr": {}}, None),
    ("max(fmr)", {"fmr": {"women": 1, "men": None}}, None),
    ("max(fmr)", {"fmr": {"women": 1, "men": "2"}}, None),
    ("min(threshold, retention_days)", ANSWERED, 30.5),
    ("max(threshold, retention_days, 100)", ANSWERED, 100),
    ("max(threshold, retention_days)", {"threshold": 3}, None),
    ("min([3, 1, 2])", {}, 1),
    ("min([])", {}, None),
    ("min(threshold)", ANSWERED, 80),
    ("min(anything)", {"anything": [True, 2]}, None),
    ("min(anything)", {"anything": "abc"}, None),
    ("max(anything)", {"anything": [True, 2]}, None),
    ("max(anything)", {"anything": ["a", "b"]}, None),
    ("max(anything)", {"anything": (1, 5.5)}, 5.5),
    ("max(anything, 2)", {"anything": True}, None),
    ("count(warrant, second_examiner, answered(mode))", ANSWERED, 2),
    ("count(warrant, second_examiner, answered(mode))", {}, 0),
    ("count(anything)", {"anything": 1}, 0),
    ("count(warrant, not second_examiner) >= 2", ANSWERED, True),
    ("count(warrant, second_examiner) >= 2", ANSWERED, False),
    ("len(uses) == 2", ANSWERED, True),
    ("len(uses) != 2", {}, False),
    ("max(fmr) / min(fmr) > 3.5", ANSWERED, True),
    ("max(fmr) / min(fmr) > 3.5", {}, False),
    ("2 <= len(uses)", ANSWERED, True),
    ("abs(threshold - 100)", ANSWERED, 20),
    ("abs(threshold)", {}, None),
    ("abs(anything)", {"anything": "x"}, None),
]


@pytest.mark.parametrize(("source", "env", "expected"), RESULTS)
def test_result(source: str, env: dict, expected: object) -> None:
    result = run(source, env)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("threshold < 99", {"threshold"}),
        ("answered(mode) and max(fmr) > min(fmr)", {"mode", "fmr"}),
        ("count(warrant, warrant)", {"warrant"}),
        ("1 + 2", set()),
    ],
)
def test_names_are_the_ids_referenced(source: str, names: set[str]) -> None:
    expression, _ = compile_expression(source, HERE, TYPES)
    assert expression is not None
    assert expression.names == frozenset(names)


def test_compiled_expression_keeps_source_and_location() -> None:
    expression, problems = compile_expression("threshold < 99", HERE, TYPES, want="bool")
    assert problems == []
    assert isinstance(expression, Expression)
    assert expression.source == "threshold < 99"
    assert expression.location == HERE


def test_env_may_be_any_mapping() -> None:
    from types import MappingProxyType

    env = MappingProxyType({"threshold": 50})
    assert run("threshold < 99 and not answered(mode)", env) is True


def test_list_results_are_fresh_each_run() -> None:
    expression, _ = compile_expression("[1, 2]", HERE, TYPES)
    assert expression is not None
    first = expression.run({})
    first.append(3)
    assert expression.run({}) == [1, 2]


@pytest.mark.parametrize(
    ("source", "kind", "item"),
    [
        ("max(fmr) / min(fmr)", "number", "text"),
        ("threshold", "number", "text"),
        ("mode", "text", "text"),
        ("uses", "list", "text"),
        ("[1, 2]", "list", "number"),
        ("threshold < 3", "bool", "text"),
        ("count(warrant)", "number", "text"),
        ("anything", "any", "text"),
        ("no_such_name + 1", "any", "text"),  # does not check: nothing is claimed
    ],
)
def test_infer_type(source: str, kind: str, item: str) -> None:
    inferred = infer_type(source, TYPES)
    assert (inferred.kind, inferred.item) == (kind, item)


def test_inferred_name_type_keeps_choices() -> None:
    assert infer_type("mode", TYPES).choices == TYPES["mode"].choices


def test_compile_typed_gives_expression_and_type() -> None:
    compiled = compile_typed("len(uses) * 2", HERE, TYPES, want="number")
    assert compiled.problems == ()
    assert compiled.type.kind == "number"
    assert compiled.expression is not None
    assert compiled.expression.run(ANSWERED) == 4


def test_want_must_be_known() -> None:
    with pytest.raises(ValueError, match="want"):
        compile_expression("threshold", HERE, TYPES, want="text")


def test_value_type_kind_must_be_known() -> None:
    with pytest.raises(ValueError, match="kind"):
        ValueType("string")


def test_expression_modules_never_run_text_as_code() -> None:
    """No call of eval, exec, compile or __import__ anywhere in the expression modules."""
    import ast as python_ast
    from pathlib import Path

    import pia.engine

    expr = Path(pia.engine.__file__).parent / "expr"
    modules = sorted(expr.glob("*.py"))
    assert len(modules) >= 6
    for module in modules:
        tree = python_ast.parse(module.read_text(encoding="utf-8"))
        called = {
            node.func.id
            for node in python_ast.walk(tree)
            if isinstance(node, python_ast.Call) and isinstance(node.func, python_ast.Name)
        }
        assert not called & {"eval", "exec", "compile", "__import__"}, module
