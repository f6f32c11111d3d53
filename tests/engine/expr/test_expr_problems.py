"""Load-time problems: each code, where it points, and that every problem is reported."""

from __future__ import annotations

import pytest

from pia.engine.bank.model import Location
from pia.engine.bank.problems import Code
from pia.engine.expr.compiler import MAX_SOURCE_LENGTH, ValueType, compile_expression

# The scalar starts at line 7, column 11; a node at offset c of the first line is at 11 + c.
HERE = Location("rules/accuracy.yaml", 7, 11)

TYPES = {
    "mode": ValueType("text", frozenset({"search", "live", "none"}), "mode"),
    "threshold": ValueType("number", label="threshold"),
    "second_examiner": ValueType("bool", label="second_examiner"),
    "uses": ValueType("list", frozenset({"lead", "arrest"}), "uses"),
    "fmr": ValueType("groups", label="fmr"),
    "vendor": ValueType("text", label="vendor"),
    "anything": ValueType("any", label="anything"),
}


def problems_of(source: str, *, want: str | None = None, quoted: bool = False) -> list:
    expression, problems = compile_expression(source, HERE, TYPES, want=want, quoted=quoted)
    assert (expression is None) == bool(problems)
    return problems


def codes_and_columns(source: str, **options: object) -> list[tuple[Code, int]]:
    return [(p.code, p.location.column) for p in problems_of(source, **options)]


# (source, code, column of the first problem)
PROBLEMS = [
    ("threshold <", Code.EXPR_SYNTAX, 11 + 11),
    ("threshold = 1", Code.EXPR_SYNTAX, 11 + 10),
    ("(mode == 'live'", Code.EXPR_SYNTAX, 11),
    ("", Code.EXPR_SYNTAX, 11),
    ("   ", Code.EXPR_SYNTAX, 11),
    ("x\0", Code.EXPR_SYNTAX, 11),
    ("thresold < 99", Code.UNKNOWN_NAME, 11),
    ("mode == 'live' and secnd_examiner", Code.UNKNOWN_NAME, 11 + 19),
    ("len", Code.UNKNOWN_NAME, 11),
    ("answered(nothing)", Code.UNKNOWN_NAME, 11 + 9),
    ("sum(fmr)", Code.UNKNOWN_FUNCTION, 11),
    ("threshold > 1 and lenn(uses) > 0", Code.UNKNOWN_FUNCTION, 11 + 18),
    ("mode == 'serch'", Code.UNKNOWN_CHOICE, 11 + 8),
    ("'serch' != mode", Code.UNKNOWN_CHOICE, 11),
    ("mode in ['search', 'lve']", Code.UNKNOWN_CHOICE, 11 + 19),
    ("mode not in ['none', 'x']", Code.UNKNOWN_CHOICE, 11 + 21),
    ("'arest' in uses", Code.UNKNOWN_CHOICE, 11),
    ("uses == ['lead', 'x']", Code.UNKNOWN_CHOICE, 11 + 17),
    ("threshold == 'high'", Code.TYPE_MISMATCH, 11),
    ("threshold + vendor > 1", Code.TYPE_MISMATCH, 11 + 12),
    ("-vendor", Code.TYPE_MISMATCH, 11 + 1),
    ("second_examiner * 2", Code.TYPE_MISMATCH, 11),
    ("'lead' in vendor", Code.TYPE_MISMATCH, 11),
    ("threshold in fmr", Code.TYPE_MISMATCH, 11),
    ("uses in ['a']", Code.TYPE_MISMATCH, 11),
    ("threshold in ['a', 'b']", Code.TYPE_MISMATCH, 11),
    ("fmr > 3", Code.TYPE_MISMATCH, 11),
    ("second_examiner < True", Code.TYPE_MISMATCH, 11),
    ("vendor and second_examiner", Code.TYPE_MISMATCH, 11),
    ("not threshold", Code.TYPE_MISMATCH, 11 + 4),
    ("threshold == None", Code.TYPE_MISMATCH, 11),
    ("len(threshold) > 1", Code.TYPE_MISMATCH, 11 + 4),
    ("max(uses) > 1", Code.TYPE_MISMATCH, 11 + 4),
    ("min(threshold, vendor) > 1", Code.TYPE_MISMATCH, 11 + 15),
    ("abs(vendor) > 1", Code.TYPE_MISMATCH, 11 + 4),
    ("count(threshold) > 1", Code.TYPE_MISMATCH, 11 + 6),
    ("answered(mode, vendor)", Code.TYPE_MISMATCH, 11),
    ("min() > 1", Code.TYPE_MISMATCH, 11),
    ("threshold", Code.TYPE_MISMATCH, 11),  # want="bool" below
]


@pytest.mark.parametrize(("source", "code", "column"), PROBLEMS)
def test_problem_code_and_column(source: str, code: Code, column: int) -> None:
    problems = problems_of(source, want="bool")
    assert problems, source
    first = problems[0]
    assert (first.code, first.location.column, first.location.line) == (code, column, 7)
    assert first.location.file == "rules/accuracy.yaml"
    assert first.message


def test_unknown_name_hint_says_did_you_mean() -> None:
    (problem,) = problems_of("thresold < 99")
    assert "'threshold'" in problem.hint


def test_unknown_function_hint_lists_the_functions() -> None:
    (problem,) = problems_of("sum(fmr) > 1")
    for name in ("answered", "len", "min", "max", "count", "abs"):
        assert f"{name}()" in problem.hint


def test_unknown_choice_hint_lists_the_choices() -> None:
    (problem,) = problems_of("mode == 'serch'")
    assert "did you mean 'search'" in problem.hint
    assert all(repr(choice) in problem.hint for choice in ("search", "live", "none"))


def test_every_problem_is_reported_in_order() -> None:
    source = "thresold < 99 and mode == 'serch' and x.y and foo(1) and vendor + 1 > 2"
    found = codes_and_columns(source)
    assert found == [
        (Code.UNKNOWN_NAME, 11),
        (Code.UNKNOWN_CHOICE, 11 + 26),
        (Code.EXPR_FORBIDDEN, 11 + 38),
        (Code.UNKNOWN_FUNCTION, 11 + 46),
        (Code.TYPE_MISMATCH, 11 + 57),
    ]


def test_quoted_scalar_moves_first_line_columns_right() -> None:
    assert codes_and_columns("mode == 'serch'", quoted=True) == [(Code.UNKNOWN_CHOICE, 11 + 9)]


def test_later_lines_count_from_their_own_start() -> None:
    (problem,) = problems_of("mode == 'live'\n  and thresold < 99")
    assert (problem.location.line, problem.location.column) == (8, 7)


def test_block_scalar_lines_count_from_the_block_indent() -> None:
    # when: |
    #   mode == 'live'
    #     and thresold < 99
    block = Location("rules/accuracy.yaml", 8, 3)
    source = "mode == 'live'\n  and thresold < 99\n"
    _, problems = compile_expression(source, block, TYPES, indent=2)
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        (Code.UNKNOWN_NAME, 9, 9)
    ]


def test_syntax_error_on_a_later_line() -> None:
    (problem,) = problems_of("mode == 'live' and\n  threshold <")
    assert problem.code == Code.EXPR_SYNTAX
    assert (problem.location.line, problem.location.column) == (8, 14)


def test_syntax_error_inside_a_later_line() -> None:
    (problem,) = problems_of("mode == 'live' and\n  threshold < < 3")
    assert problem.code == Code.EXPR_SYNTAX
    assert (problem.location.line, problem.location.column) == (8, 15)


def test_multi_line_source_compiles() -> None:
    expression, problems = compile_expression("mode == 'live'\n  and threshold < 99", HERE, TYPES)
    assert problems == []
    assert expression is not None
    assert expression.run({"mode": "live", "threshold": 1}) is True


def test_columns_count_characters_not_bytes() -> None:
    found = codes_and_columns("mode != 'é' or thresold > 1")
    assert found == [(Code.UNKNOWN_CHOICE, 11 + 8), (Code.UNKNOWN_NAME, 11 + 15)]


def test_leading_blanks_keep_columns() -> None:
    assert codes_and_columns("  thresold") == [(Code.UNKNOWN_NAME, 13)]


@pytest.mark.parametrize(
    ("want", "source", "fails"),
    [
        ("bool", "threshold > 1", False),
        ("bool", "answered(vendor)", False),
        ("bool", "anything", False),
        ("bool", "vendor", True),
        ("bool", "threshold + 1", True),
        ("number", "max(fmr) / min(fmr)", False),
        ("number", "count(second_examiner)", False),
        ("number", "anything", False),
        ("number", "threshold > 1", True),
        ("number", "mode", True),
        ("number", "uses", True),
    ],
)
def test_want(want: str, source: str, fails: bool) -> None:
    found = codes_and_columns(source, want=want)
    assert found == ([(Code.TYPE_MISMATCH, 11)] if fails else [])


def test_long_source_is_refused_before_parsing() -> None:
    source = " or ".join(["second_examiner"] * (MAX_SOURCE_LENGTH // 19 + 1))
    assert len(source) > MAX_SOURCE_LENGTH
    assert codes_and_columns(source) == [(Code.EXPR_FORBIDDEN, 11)]


@pytest.mark.parametrize(
    "source",
    [
        "(" * 500 + "threshold" + ")" * 500,
        "not " * 2400 + "second_examiner",
        "-" * 9000 + "threshold",
        "threshold" + " + threshold" * 800,
        "[" * 150 + "]" * 150,
        "answered(" * 300 + "mode" + ")" * 300,
        "x" * 100_000,
    ],
)
def test_deep_or_huge_sources_give_a_clean_problem(source: str) -> None:
    problems = problems_of(source)
    assert len(problems) == 1
    assert problems[0].code in (Code.EXPR_FORBIDDEN, Code.EXPR_SYNTAX)


def test_moderate_nesting_still_compiles() -> None:
    expression, problems = compile_expression(
        "(" * 50 + "threshold" + ")" * 50 + " + 1" * 60, HERE, TYPES
    )
    assert problems == []
    assert expression is not None
    assert expression.run({"threshold": 1}) == 61


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("second_examiner == true", "True"),
        ("second_examiner == false", "False"),
        ("mode == null", "answered"),
        ("threshold > 1 and mode != none", "answered"),
    ],
)
def test_constants_spelled_as_in_yaml_get_a_hint(source: str, words: str) -> None:
    problems = problems_of(source)
    assert [p.code for p in problems] == [Code.UNKNOWN_NAME]
    assert words in problems[0].hint


@pytest.mark.parametrize(
    ("source", "code", "words"),
    [
        ("mode == search", Code.UNKNOWN_NAME, "put it in quotes: 'search'"),
        ("second_examiner && answered(mode)", Code.EXPR_SYNTAX, "and"),
        ("second_examiner || answered(mode)", Code.EXPR_SYNTAX, "or"),
        ("!second_examiner", Code.EXPR_SYNTAX, "not"),
        ("mode === 'live'", Code.EXPR_SYNTAX, "=="),
        ("vendor == 'Hi!' and (", Code.EXPR_SYNTAX, ""),  # a ! in quotes is no operator
        ("vendor and second_examiner", Code.TYPE_MISMATCH, "answered(vendor)"),
        ("vendor", Code.TYPE_MISMATCH, "answered(vendor)"),
    ],
)
def test_hints_for_likely_slips(source: str, code: Code, words: str) -> None:
    problems = problems_of(source, want="bool")
    assert problems[0].code == code
    assert words in problems[0].hint
    if not words:
        assert problems[0].hint == ""
