"""Problem positions land on the offending text, wherever it sits in the expression."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pia.engine.bank.model import Location
from pia.engine.bank.problems import Code
from pia.engine.expr.compiler import ValueType, compile_expression

TYPES = {"known": ValueType("text", label="known"), "other": ValueType("text", label="other")}
UNKNOWN = "nowhere"

# Text literals with characters of every width in UTF-8, which ast counts in bytes.
texts = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="'\\\n\r"
    ),
    max_size=6,
)
clauses = st.tuples(st.sampled_from(["known", "other"]), texts).map(
    lambda pair: f"{pair[0]} == '{pair[1]}'"
)


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(clauses, max_size=3),
    after=st.lists(clauses, max_size=3),
    unknown_text=texts,
    multi_line=st.booleans(),
    quoted=st.booleans(),
    start=st.tuples(st.integers(1, 500), st.integers(1, 80)),
    indent=st.integers(0, 12),
)
def test_unknown_name_is_reported_where_it_is_written(
    before: list[str],
    after: list[str],
    unknown_text: str,
    multi_line: bool,
    quoted: bool,
    start: tuple[int, int],
    indent: int,
) -> None:
    joiner = "\n  and " if multi_line else " and "
    clauses = [*before, f"{UNKNOWN} == '{unknown_text}'", *after]
    source = joiner.join(clauses)
    offset = source.index(UNKNOWN)
    line_index = source.count("\n", 0, offset)
    column_in_line = offset - (source.rfind("\n", 0, offset) + 1)
    location = Location("rules/x.yaml", *start)
    if line_index == 0:
        expected = (start[0], start[1] + column_in_line + (1 if quoted else 0))
    else:
        expected = (start[0] + line_index, indent + column_in_line + 1)

    _, problems = compile_expression(source, location, TYPES, quoted=quoted, indent=indent)

    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        (Code.UNKNOWN_NAME, *expected)
    ]
