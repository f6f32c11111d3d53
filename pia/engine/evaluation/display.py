"""Answers written for people, as shown in a finding's triggers: labels, units, yes/no."""

from __future__ import annotations

from typing import Any

from pia.engine.bank.model import CHOICE, GROUP_NUMBERS, MULTI, Computed, Question
from pia.engine.evaluation.answers import format_number

NOT_ANSWERED = "not answered"
MAX_DISPLAY = 200  # characters; a trigger quotes an answer, the full text is in the answers


def _with_unit(number: Any, unit: str) -> str:
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return str(number)
    text = format_number(number)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "x", "×") else f"{text} {unit}"


def _short(text: str) -> str:
    return text if len(text) <= MAX_DISPLAY else text[: MAX_DISPLAY - 1] + "…"


def display_answer(question: Question, value: Any) -> str:
    if value is None:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "yes" if value else "no"
    kind = question.type
    if kind == CHOICE:
        return question.choice_label(value)
    if kind == MULTI:
        return ", ".join(question.choice_label(item) for item in value)
    if kind == GROUP_NUMBERS:
        labels = {group.value: group.label for group in question.groups}
        return ", ".join(
            f"{labels.get(group, group)}: {_with_unit(number, question.unit)}"
            for group, number in value.items()
        )
    if isinstance(value, (int, float)):
        return _with_unit(value, question.unit)
    return _short(str(value))


def display_computed(computed: Computed, value: Any) -> str:
    if value is None:
        return "not computable from the answers given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _with_unit(value, computed.unit)
    return _short(str(value))
