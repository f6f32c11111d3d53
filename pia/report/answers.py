"""Answers as people read them, and the redaction of sensitive ones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pia.engine.bank.model import GROUP_NUMBERS, MULTI, NUMBER, YESNO, Bank, Question
from pia.report.meta import REDACTED


def plain_data(value: Any) -> Any:
    """Answers as JSON would give them back (dates as text, tuples as lists), so a report
    rendered from its own embedded data is rendered from exactly the same values."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def note_texts(notes: Mapping[str, Any] | None) -> dict[str, str]:
    """Notes as text; kept as given (empty ones too) because the fingerprint covers them."""
    return {str(key): "" if value is None else str(value) for key, value in (notes or {}).items()}


def is_answered(value: Any) -> bool:
    """The bank format's rule: null, empty text and an empty list or mapping are unanswered."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | tuple | dict):
        return len(value) > 0
    return True


def format_number(value: Any, unit: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = str(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "x", "×") else f"{text} {unit}"


def display_answer(question: Question, value: Any) -> str:
    """The answer in words: choice labels, "Yes"/"No", numbers with their unit."""
    if not is_answered(value):
        return ""
    if question.type == YESNO and isinstance(value, bool):
        return "Yes" if value else "No"
    if question.type == MULTI and isinstance(value, list | tuple):
        return "; ".join(question.choice_label(str(item)) for item in value)
    if question.type == NUMBER:
        return format_number(value, question.unit)
    if question.type == GROUP_NUMBERS and isinstance(value, Mapping):
        labels = {group.value: group.label for group in question.groups}
        order = [group.value for group in question.groups if group.value in value]
        order += sorted(str(key) for key in value if key not in labels)
        return "; ".join(
            f"{labels.get(key, key)}: {format_number(value[key], question.unit)}" for key in order
        )
    if question.choices and isinstance(value, str):
        return question.choice_label(value)
    return str(value)


def sensitive_questions(bank: Bank) -> frozenset[str]:
    return frozenset(qid for qid, question in bank.questions.items() if question.sensitive)


def redact_answers(bank: Bank, answers: Mapping[str, Any]) -> dict[str, Any]:
    hidden = sensitive_questions(bank)
    return {
        qid: (REDACTED if qid in hidden and is_answered(value) else value)
        for qid, value in answers.items()
    }


def redact_notes(bank: Bank, notes: Mapping[str, str]) -> dict[str, str]:
    hidden = sensitive_questions(bank)
    return {qid: (REDACTED if qid in hidden and note else note) for qid, note in notes.items()}
