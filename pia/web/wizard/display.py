"""What a section page shows in its inputs, as plain text: QuestionFields per question, the data
the `question` macro (templates/wizard/_question.html) renders.

A submitted form (re-shown with its errors) gives them through SectionForm.items(); a page view
gives them straight from the stored answers (stored_fields), without building the WTForms form:
instantiating a section's fields costs more than writing out all of the page's inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pia.engine.bank.model import CHOICE, DATE, GROUP_NUMBERS, MULTI, NUMBER, YESNO, Question
from pia.web.wizard.fields import number_text
from pia.web.wizard.layout import QuestionLayout


@dataclass(frozen=True)
class QuestionFields:
    """What a template needs to render one question: its inputs' contents as text."""

    question: Question
    kind: str
    layout: QuestionLayout
    selected: frozenset[str]  # the chosen option values of a choice, multi or yes/no question
    value: str  # a text, long text, number or date input's contents
    groups: Mapping[str, str]  # group value -> its number input's contents
    note: str
    note_open: bool  # the note has text (or an error), so its <details> starts open


@dataclass(frozen=True)
class SectionDisplay:
    """A section page's inputs: from a submitted form (as typed) or from the stored answers."""

    items: tuple[QuestionFields, ...]
    lock_version: str


def selected_of(data: Any) -> frozenset[str]:
    return frozenset(data if isinstance(data, list) else [data] if data else [])


def stored_fields(
    question: Question, shape: QuestionLayout, data: Any, note: str
) -> QuestionFields:
    """What a form built from the stored answer would show, without building the form.

    `data` is the stored answer as forms.field_data gives it; each branch gives what the question's
    field's `_value()` gives for that data (tests/web/test_section_display.py holds them equal)."""
    text, groups, selected = "", {}, frozenset()
    if question.type in (CHOICE, MULTI, YESNO):
        selected = selected_of(data)
    elif question.type == NUMBER:
        text = number_text(data)
    elif question.type == DATE:
        text = data.strftime("%Y-%m-%d") if data else ""
    elif question.type == GROUP_NUMBERS:
        numbers = data or {}
        groups = {g.value: number_text(numbers.get(f"g_{g.value}")) for g in question.groups}
    elif data is not None:
        text = str(data)
    return QuestionFields(question, shape.kind, shape, selected, text, groups, note, bool(note))
