"""Answer values checked and normalised against their questions, never raising."""

from __future__ import annotations

import datetime

import pytest

from pia.engine import allowed_values, check_answers

# (question, raw value, stored value or None, issue code or None)
CASES = [
    ("mode", "live", "live", None),
    ("mode", "lve", None, "unknown-choice"),
    ("mode", "", None, None),
    ("mode", 3, None, "wrong-type"),
    ("mode", ["live"], None, "wrong-type"),
    ("uses", ["violent", "theft", "violent"], ["theft", "violent"], None),
    ("uses", "theft", ["theft"], None),
    ("uses", [], None, None),
    ("uses", ["arson"], None, "unknown-choice"),
    ("uses", ["none"], ["none"], None),
    ("uses", ["none", "none"], ["none"], None),
    ("uses", ["theft", "none"], None, "not-alone"),
    ("uses", [1], None, "wrong-type"),
    ("uses", {"theft": 1}, None, "wrong-type"),
    ("warrant", True, True, None),
    ("warrant", "no", False, None),
    ("warrant", "Yes", True, None),
    ("warrant", 1, None, "wrong-type"),
    ("warrant", "perhaps", None, "wrong-type"),
    ("threshold", 99, 99, None),
    ("threshold", 99.5, 99.5, None),
    ("threshold", "80", 80, None),
    ("threshold", " 12.5 ", 12.5, None),
    ("threshold", 0, 0, None),
    ("threshold", 100, 100, None),
    ("threshold", 100.01, None, "out-of-bounds"),
    ("threshold", -1, None, "out-of-bounds"),
    ("threshold", True, None, "wrong-type"),
    ("threshold", float("nan"), None, "wrong-type"),
    ("threshold", float("inf"), None, "wrong-type"),
    ("threshold", "1e999", None, "wrong-type"),
    ("threshold", "eighty", None, "wrong-type"),
    ("threshold", [80], None, "wrong-type"),
    ("fmr", {"men": 0.1, "women": "0.3"}, {"women": 0.3, "men": 0.1}, None),
    ("fmr", {"women": None, "men": 0.1}, {"men": 0.1}, None),
    ("fmr", {"women": None}, None, None),
    ("fmr", {"children": 0.1}, None, "unknown-group"),
    ("fmr", {"women": 101}, None, "out-of-bounds"),
    ("fmr", {"women": "high"}, None, "wrong-type"),
    ("fmr", [0.1, 0.2], None, "wrong-type"),
    ("start_date", "2025-02-28", "2025-02-28", None),
    ("start_date", datetime.date(2025, 2, 28), "2025-02-28", None),
    ("start_date", "2025-02-30", None, "bad-date"),
    ("start_date", "28/02/2025", None, "bad-date"),
    ("start_date", datetime.datetime(2025, 2, 28, 9, 0), None, "bad-date"),
    ("start_date", 20250228, None, "wrong-type"),
    ("vendor", "Acme", "Acme", None),
    ("vendor", "   ", None, None),
    ("vendor", 4.2, "4.2", None),
    ("vendor", 7, "7", None),
    ("vendor", False, None, "wrong-type"),
    ("vendor", {"name": "Acme"}, None, "wrong-type"),
    ("vendor", "x" * 100_001, None, "out-of-bounds"),
]


@pytest.mark.parametrize(("question", "raw", "stored", "code"), CASES)
def test_answer_values(bank, question, raw, stored, code) -> None:
    values, issues = check_answers(bank, {question: raw})
    assert values.get(question) == stored
    assert type(values.get(question)) is type(stored)  # ints stay ints; a bool is not a number
    assert [issue.code for issue in issues] == ([code] if code else [])
    if code:
        assert issues[0].question == question
        assert "expected" in issues[0].message  # says what would have been accepted


def test_unknown_question_ids_are_reported_sorted_with_suggestions(bank) -> None:
    _values, issues = check_answers(bank, {"zeta": 1, "treshold": 2, 3: "x", "mode": "live"})
    assert [(i.question, i.code) for i in issues] == [
        ("3", "unknown-question"),
        ("treshold", "unknown-question"),
        ("zeta", "unknown-question"),
    ]
    assert "did you mean 'threshold'" in issues[1].message


def test_allowed_values_describe_each_type(bank) -> None:
    q = bank.questions
    assert allowed_values(q["mode"]) == "one of 'verify', 'search', 'live'"
    assert allowed_values(q["threshold"]) == "a number from 0 to 100"
    assert allowed_values(q["fmr"]).startswith("a mapping of groups ('women', 'men')")
    assert allowed_values(q["start_date"]) == "a date written YYYY-MM-DD"
    assert allowed_values(q["warrant"]) == "true or false"
    assert allowed_values(q["uses"]) == (
        "a list of any of 'theft', 'violent', 'none' ('none' only on its own)"
    )


def test_an_exclusive_choice_with_others_names_it(bank) -> None:
    _values, issues = check_answers(bank, {"uses": ["violent", "none", "theft"]})
    assert issues[0].message.startswith("'None of these' cannot be chosen with other answers")


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (80, "80"),
        (99.5, "99.5"),
        (0.1 + 0.2, "0.3"),
        (2.9999999999999996, "3"),
        (1234567.5, "1234567.5"),
        (-0.0, "0"),
        (1e-7, "1e-07"),
        (10**20, "100000000000000000000"),
    ],
)
def test_numbers_are_written_for_people(number, text) -> None:
    from pia.engine.evaluation.answers import format_number

    assert format_number(number) == text
