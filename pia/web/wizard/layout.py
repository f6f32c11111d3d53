"""How a question is laid out on the section page, worked out once per bank rather than per request.

The section page renders its inputs itself from these values and the form's data (rather than
through WTForms widgets): a page holds a dozen questions with their options, notes and uploads, and
this keeps a page render in the low milliseconds. Names and ids follow pia.web.wizard.forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from pia.engine.bank.model import (
    CHOICE,
    DATE,
    GROUP_NUMBERS,
    LONGTEXT,
    MULTI,
    NUMBER,
    TEXT,
    YESNO,
    Question,
)
from pia.web.wizard.fields import format_number

YES_NO = (("yes", "Yes"), ("no", "No"))
# Single-choice questions with more options than this are a <select>, not a wall of radios.
SELECT_AFTER = 8
# How a question is rendered: the templates' macros switch on this.
KIND_RADIO, KIND_CHECKBOXES, KIND_SELECT = "radio", "checkboxes", "select"
KIND_NUMBER, KIND_TEXT, KIND_TEXTAREA, KIND_DATE, KIND_GROUPS = (
    "number",
    "text",
    "textarea",
    "date",
    "groups",
)

# A radio group's last option. Once a radio is chosen a browser cannot unchoose it, so without
# this an officer who clicked an answer by mistake could only replace it with another answer.
UNANSWERED_LABEL = "Not answered yet"

TEXT_MAX = 2_000  # one line of text
LONGTEXT_MAX = 20_000  # a long answer: several pages
NOTE_MAX = 5_000


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    label: str


@dataclass(frozen=True)
class QuestionLayout:
    kind: str  # see pia.web.wizard.forms.KIND_*
    hint_id: str  # "" when the question has neither help nor citations
    unit_id: str  # "" when there is no unit or bound to explain
    unit_hint: str  # e.g. "In %, from 0 to 100."
    described_by: str  # the ids describing the input, errors aside
    first_input: str  # where the error summary's link goes
    options: tuple[Option, ...]  # radios, checkboxes, select options
    groups: tuple[Option, ...]  # group_numbers: one input per group
    maxlength: int  # text inputs; 0 for none


def kind_of(question: Question) -> str:
    """How the question is rendered: the section template switches on this."""
    return {
        CHOICE: KIND_SELECT if len(question.choices) > SELECT_AFTER else KIND_RADIO,
        MULTI: KIND_CHECKBOXES,
        YESNO: KIND_RADIO,
        NUMBER: KIND_NUMBER,
        TEXT: KIND_TEXT,
        LONGTEXT: KIND_TEXTAREA,
        DATE: KIND_DATE,
        GROUP_NUMBERS: KIND_GROUPS,
    }[question.type]


def unit_hint(question: Question) -> str:
    """ "In %, from 0 to 100." — the unit and bounds of a number in words."""
    low = None if question.min is None else format_number(question.min)
    high = None if question.max is None else format_number(question.max)
    if low is not None and high is not None:
        bounds = f"from {low} to {high}"
    elif low is not None:
        bounds = f"at least {low}"
    elif high is not None:
        bounds = f"at most {high}"
    else:
        bounds = ""
    if question.unit and bounds:
        return f"In {question.unit}, {bounds}."
    if question.unit:
        return f"In {question.unit}."
    return f"{bounds[0].upper()}{bounds[1:]}." if bounds else ""


def layout(question: Question, kind: str) -> QuestionLayout:
    qid = question.id
    hint_id = f"{qid}-hint" if question.help or question.citations else ""
    explains_number = question.type in (NUMBER, GROUP_NUMBERS)
    hint = unit_hint(question) if explains_number else ""
    unit_id = f"{qid}-unit" if hint else ""
    if question.type == YESNO:
        pairs = YES_NO
    else:
        pairs = tuple((choice.value, choice.label) for choice in question.choices)
    options = tuple(Option(f"{qid}-{i}", value, label) for i, (value, label) in enumerate(pairs))
    if kind == KIND_RADIO:
        options += (Option(f"{qid}-unanswered", "", UNANSWERED_LABEL),)
    groups = tuple(
        Option(f"{qid}.{group.value}", group.value, group.label) for group in question.groups
    )
    if kind in (KIND_RADIO, KIND_CHECKBOXES) and options:
        first = options[0].id
    elif groups:
        first = groups[0].id
    else:
        first = qid
    maxlength = {TEXT: TEXT_MAX, LONGTEXT: LONGTEXT_MAX}.get(question.type, 0)
    if question.type == CHOICE and kind == KIND_SELECT:
        first = qid
    return QuestionLayout(
        kind=kind,
        hint_id=hint_id,
        unit_id=unit_id,
        unit_hint=hint,
        described_by=" ".join(i for i in (hint_id, unit_id) if i),
        first_input=first,
        options=options,
        groups=groups,
        maxlength=maxlength,
    )
