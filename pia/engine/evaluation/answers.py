"""Answer values: checking and normalising each against its question.

Answers arrive from JSON, YAML or a web form, so a value may be the right thing in the wrong form
("80" for 80, "yes" for true, a YAML date for "2024-05-01"). `validator_for` builds, once per
question, a function that turns a raw value into the stored form, into None (unanswered), or into
an AnswerIssue; it never raises. Reading answer files lives in answers_file.py.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pia.engine.bank.model import (
    CHOICE,
    DATE,
    GROUP_NUMBERS,
    MULTI,
    NUMBER,
    YESNO,
    Bank,
    Choice,
    Question,
)
from pia.engine.bank.problems import did_you_mean
from pia.engine.evaluation.result import AnswerIssue

# AnswerIssue codes.
UNKNOWN_QUESTION = "unknown-question"
WRONG_TYPE = "wrong-type"
UNKNOWN_CHOICE = "unknown-choice"
NOT_ALONE = "not-alone"  # an exclusive choice ("None of these") chosen with others
OUT_OF_BOUNDS = "out-of-bounds"
BAD_DATE = "bad-date"
UNKNOWN_GROUP = "unknown-group"
MAX_TEXT = 100_000  # characters in one answer; a page of prose is about 3,000

# A checked value: (stored value, None), (None, None) when unanswered, or (None, issue).
Checked = tuple[Any, AnswerIssue | None]
Validator = Callable[[Any], Checked]

_NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_YES = {"yes": True, "true": True, "no": False, "false": False}


def is_blank(value: Any) -> bool:
    """Null, blank text, an empty list or mapping: all count as unanswered."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return "a date"
    return type(value).__name__


def as_number(value: Any) -> int | float | None:
    """An int or finite float from a number or numeric text; None otherwise (a bool is none)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= 100:
        text = value.strip()
        if not _NUMBER_TEXT.match(text):
            return None
        if text.lstrip("+-").isdigit():
            return int(text)
        number = float(text)
        return number if math.isfinite(number) else None
    return None


def format_number(value: float) -> str:
    """A number for people: 80, 99.5, 0.003, 3 (not 2.9999999999999996), 1234567.5."""
    if isinstance(value, int):
        return str(value)
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e15:
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def allowed_values(question: Question) -> str:
    """What the question accepts, in words, for messages."""
    kind = question.type
    if kind in (CHOICE, MULTI):
        values = ", ".join(repr(c.value) for c in question.choices)
        if kind == CHOICE:
            return "one of " + values
        alone = ", ".join(repr(c.value) for c in question.choices if c.exclusive)
        return f"a list of any of {values}" + (f" ({alone} only on its own)" if alone else "")
    if kind == YESNO:
        return "true or false"
    if kind in (NUMBER, GROUP_NUMBERS):
        bounds = _bounds_text(question)
        if kind == NUMBER:
            return "a number" + bounds
        groups = ", ".join(repr(g.value) for g in question.groups)
        return f"a mapping of groups ({groups}) to numbers{bounds}"
    if kind == DATE:
        return "a date written YYYY-MM-DD"
    return "text"


def _bounds_text(question: Question) -> str:
    low, high = question.min, question.max
    if low is not None and high is not None:
        return f" from {format_number(low)} to {format_number(high)}"
    if low is not None:
        return f" of at least {format_number(low)}"
    if high is not None:
        return f" of at most {format_number(high)}"
    return ""


def exclusive_clash(question: Question, chosen: Sequence[str]) -> Choice | None:
    """The exclusive choice ("None of these") among `chosen` when others are chosen with it."""
    if len(chosen) < 2:
        return None
    return next((c for c in question.choices if c.exclusive and c.value in chosen), None)


def validator_for(question: Question) -> Validator:
    """A function checking raw values for this question (built once per bank and reused)."""
    qid = question.id

    def issue(code: str, message: str) -> Checked:
        # Worded only when an answer is refused: most banks never need most of these.
        return None, AnswerIssue(qid, code, f"{message}; expected {allowed_values(question)}")

    def wrong(value: Any) -> Checked:
        return issue(WRONG_TYPE, f"{_kind(value)} is the wrong type")

    kind = question.type
    if kind in (CHOICE, MULTI):
        order = {choice.value: index for index, choice in enumerate(question.choices)}

        def unknown(value: str) -> Checked:
            hint = did_you_mean(value, order)
            return issue(
                UNKNOWN_CHOICE, f"{value!r} is not a choice" + (f" ({hint})" if hint else "")
            )

        if kind == CHOICE:

            def check_choice(value: Any) -> Checked:
                if isinstance(value, str):
                    if value in order:
                        return value, None
                    return (None, None) if not value.strip() else unknown(value)
                return (None, None) if value is None else wrong(value)

            return check_choice

        def check_multi(value: Any) -> Checked:
            if value is None:
                return None, None
            if isinstance(value, str):  # one choice from a form or a terse answers file
                if not value.strip():
                    return None, None
                if value not in order:
                    return unknown(value)
                value = [value]
            if not isinstance(value, (list, tuple)):
                return wrong(value)
            for item in value:
                if not isinstance(item, str):
                    return issue(WRONG_TYPE, f"the list holds {_kind(item)}")
                if item not in order:
                    return unknown(item)
            if not value:
                return None, None
            chosen = sorted(set(value), key=order.__getitem__)
            alone = exclusive_clash(question, chosen)
            if alone is not None:
                return issue(NOT_ALONE, f"{alone.label!r} cannot be chosen with other answers")
            return chosen, None

        return check_multi

    if kind == YESNO:

        def check_yesno(value: Any) -> Checked:
            if isinstance(value, bool):
                return value, None
            if isinstance(value, str):
                if not value.strip():
                    return None, None
                found = _YES.get(value.strip().lower())
                return (found, None) if found is not None else wrong(value)
            return (None, None) if value is None else wrong(value)

        return check_yesno

    if kind in (NUMBER, GROUP_NUMBERS):
        low, high = question.min, question.max

        def number(value: Any, what: str) -> Checked:
            found = as_number(value)
            if found is None:
                return issue(WRONG_TYPE, f"{what}{_kind(value)} is not a number")
            if (low is not None and found < low) or (high is not None and found > high):
                return issue(OUT_OF_BOUNDS, f"{what}{format_number(found)} is out of bounds")
            return found, None

        if kind == NUMBER:

            def check_number(value: Any) -> Checked:
                if value is None or (isinstance(value, str) and not value.strip()):
                    return None, None
                return number(value, "")

            return check_number

        group_order = {group.value: index for index, group in enumerate(question.groups)}

        def check_groups(value: Any) -> Checked:
            if value is None:
                return None, None
            if not isinstance(value, Mapping):
                return wrong(value)
            found: dict[str, Any] = {}
            for group, raw in value.items():
                if group not in group_order:
                    hint = did_you_mean(str(group), group_order)
                    extra = f" ({hint})" if hint else ""
                    return issue(UNKNOWN_GROUP, f"{str(group)[:80]!r} is not a group{extra}")
                if is_blank(raw):
                    continue
                checked, problem = number(raw, f"group {group!r}: ")
                if problem is not None:
                    return None, problem
                found[group] = checked
            if not found:
                return None, None
            return {g: found[g] for g in sorted(found, key=group_order.__getitem__)}, None

        return check_groups

    if kind == DATE:

        def check_date(value: Any) -> Checked:
            if value is None:
                return None, None
            if isinstance(value, datetime.datetime):
                return issue(BAD_DATE, "a date and time was given")
            if isinstance(value, datetime.date):
                return value.isoformat(), None
            if not isinstance(value, str):
                return wrong(value)
            text = value.strip()
            if not text:
                return None, None
            if _DATE_TEXT.match(text):
                try:
                    return datetime.date.fromisoformat(text).isoformat(), None
                except ValueError:
                    pass
            return issue(BAD_DATE, f"{text[:40]!r} is not a calendar date")

        return check_date

    def check_text(value: Any) -> Checked:
        if isinstance(value, str):
            if not value.strip():
                return None, None
            if len(value) > MAX_TEXT:
                return issue(OUT_OF_BOUNDS, f"the text is {len(value):,} characters long")
            return value, None
        if value is None:
            return None, None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat(), None
        if as_number(value) is not None and not isinstance(value, str):
            return format_number(value), None  # e.g. product_version: 4.2 in a YAML file
        return wrong(value)

    return check_text


def validators(bank: Bank) -> dict[str, Validator]:
    return {question_id: validator_for(q) for question_id, q in bank.questions.items()}


def unknown_question(bank: Bank, key: Any) -> AnswerIssue:
    name = str(key)
    hint = did_you_mean(name, bank.questions)
    message = f"the bank {bank.id} {bank.version} has no question {name[:80]!r}"
    return AnswerIssue(name[:200], UNKNOWN_QUESTION, message + (f" ({hint})" if hint else ""))


def check_answers(
    bank: Bank, answers: Mapping[Any, Any], checkers: Mapping[str, Validator] | None = None
) -> tuple[dict[str, Any], tuple[AnswerIssue, ...]]:
    """(valid answers in stored form, issues): issues for known questions in bank order first,
    then unknown ids sorted, so the result does not depend on the mapping's order."""
    checkers = checkers if checkers is not None else validators(bank)
    values: dict[str, Any] = {}
    issues: list[AnswerIssue] = []
    unknown: list[AnswerIssue] = []
    for key, raw in answers.items():
        check = checkers.get(key) if isinstance(key, str) else None
        if check is None:
            unknown.append(unknown_question(bank, key))
            continue
        value, problem = check(raw)
        if problem is not None:
            issues.append(problem)
        elif value is not None:
            values[key] = value
    if len(issues) > 1:
        rank = {qid: index for index, qid in enumerate(bank.questions)}
        issues.sort(key=lambda i: rank[i.question])
    unknown.sort(key=lambda i: i.question)
    return values, (*issues, *unknown)
