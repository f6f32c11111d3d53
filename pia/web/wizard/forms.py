"""The one form factory: a WTForms form class for each section of the question bank.

`SectionForms(bank)` builds every section's form class once (the bank is immutable, so the classes
are shared by all requests). A question `q` becomes the field named `q` in HTML (attribute `q_<id>`
on the form, so no question id can shadow a WTForms attribute such as `data` or `validate`), its
optional note becomes `<id>-note`, and a group of numbers becomes `<id>.<group>`. Question ids never
contain `-` or `.`, so these names cannot collide.

Every answer field is optional here: a draft may be saved half-done, and "required" only matters at
submission, where the engine's Evaluation decides. The form converts both ways between what the
browser sends and the engine's answer values (see `value_of` and `field_data`).

The hidden `asked` inputs list the questions whose inputs were enabled on the page: only those
are changed by a save. A question that was hidden (its inputs disabled, so the browser sent
nothing) keeps its stored answer instead of being mistaken for a cleared one.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wtforms import Form
from wtforms.fields import (
    DateField,
    Field,
    FormField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from pia.engine.bank.model import (
    CHOICE,
    DATE,
    GROUP_NUMBERS,
    LONGTEXT,
    MULTI,
    NUMBER,
    TEXT,
    YESNO,
    Bank,
    Question,
    Section,
)
from pia.web.wizard.display import QuestionFields, SectionDisplay, selected_of, stored_fields
from pia.web.wizard.fields import (
    Bounds,
    ChosenAlone,
    MultiCheckboxField,
    NumberField,
    OptionalRadioField,
    OptionalSelectField,
)
from pia.web.wizard.layout import (
    KIND_SELECT,
    LONGTEXT_MAX,
    NOTE_MAX,
    TEXT_MAX,
    QuestionLayout,
    kind_of,
    layout,
)

NOTE_SUFFIX = "-note"
GROUP_SEPARATOR = "."
ASKED = "asked"
LOCK = "lock_version"
# Names a section POST may carry besides the questions' own fields.
CONTROL_NAMES = frozenset({"csrf_token", ASKED, LOCK})

YES, NO = "yes", "no"


def number_field(question: Question, label: str, **kwargs: Any) -> Any:
    validators: list[Any] = [Optional()]
    if question.min is not None or question.max is not None:
        validators.append(Bounds(question))
    return NumberField(label, validators=validators, **kwargs)


def group_form_class(question: Question) -> type[Form]:
    attrs = {
        f"g_{group.value}": number_field(question, group.label, name=group.value)
        for group in question.groups
    }
    return type(f"Groups_{question.id}", (Form,), attrs)


def answer_field(question: Question) -> Any:
    """The unbound WTForms field for one question's answer."""
    common: dict[str, Any] = {"description": question.help, "name": question.id, "id": question.id}
    text = question.text
    choices = [SelectChoice(c.value, c.label) for c in question.choices]
    if question.type == CHOICE:
        if kind_of(question) == KIND_SELECT:
            empty = SelectChoice("", "Choose an answer")
            return OptionalSelectField(text, choices=[empty, *choices], **common)
        return OptionalRadioField(text, choices=choices, **common)
    if question.type == MULTI:
        alone = [ChosenAlone(question)] if any(c.exclusive for c in question.choices) else []
        return MultiCheckboxField(text, choices=choices, validators=alone, **common)
    if question.type == YESNO:
        yes_no = [SelectChoice(YES, "Yes"), SelectChoice(NO, "No")]
        return OptionalRadioField(text, choices=yes_no, **common)
    if question.type == NUMBER:
        return number_field(question, text, **common)
    if question.type == TEXT:
        return StringField(text, validators=[Optional(), Length(max=TEXT_MAX)], **common)
    if question.type == LONGTEXT:
        return TextAreaField(text, validators=[Optional(), Length(max=LONGTEXT_MAX)], **common)
    if question.type == DATE:
        message = "Enter a real date, for example 2025-03-31."
        return DateField(text, validators=[Optional()], invalid_value_message=message, **common)
    if question.type == GROUP_NUMBERS:
        return FormField(group_form_class(question), text, separator=GROUP_SEPARATOR, **common)
    raise ValueError(f"question {question.id}: unknown type {question.type!r}")


def note_field(question: Question) -> Any:
    name = question.id + NOTE_SUFFIX
    return TextAreaField(
        "Note (optional)",
        validators=[Optional(), Length(max=NOTE_MAX)],
        description="Where the answer comes from, caveats, or anything a reviewer should know.",
        name=name,
        id=name,
    )


def field_data(question: Question, value: Any) -> Any:
    """An engine answer value as the field's `data` (None for anything the field cannot show)."""
    if value is None:
        return None
    if question.type == YESNO:
        return {True: YES, False: NO}.get(value) if isinstance(value, bool) else None
    if question.type == MULTI:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else None
    if question.type == DATE:
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return None
    if question.type == GROUP_NUMBERS:
        if not isinstance(value, Mapping):
            return None
        return {f"g_{group}": number for group, number in value.items()}
    if question.type in (CHOICE, TEXT, LONGTEXT):
        return value if isinstance(value, str) else None
    return value  # numbers: NumberField.process_data checks the type


def engine_number(number: decimal.Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def clean_text(text: str | None) -> str:
    """Browsers send a textarea's line breaks as CRLF; answers keep plain line feeds."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def value_of(question: Question, answer: Field) -> Any:
    """The field's data as an engine answer value; None means "not answered"."""
    data = answer.data
    if question.type == YESNO:
        return {YES: True, NO: False}.get(data)
    if question.type == MULTI:
        return list(data) if data else None
    if question.type == NUMBER:
        return None if data is None else engine_number(data)
    if question.type in (TEXT, LONGTEXT):
        return clean_text(data) or None
    if question.type == DATE:
        return data.isoformat() if data else None
    if question.type == GROUP_NUMBERS:
        numbers = {
            group.value: engine_number(answer.form[f"g_{group.value}"].data)
            for group in question.groups
            if answer.form[f"g_{group.value}"].data is not None
        }
        return numbers or None
    return data or None  # choice


@dataclass(frozen=True)
class Changes:
    """What a save changes: new values, questions cleared, and notes (empty text clears a note)."""

    values: dict[str, Any] = field(default_factory=dict)
    clear: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.values or self.clear or self.notes)


class SectionForm(Form):
    """Base class of the generated forms; `section` and `questions` are set per section."""

    section: Section
    questions: tuple[Question, ...]
    layouts: Mapping[str, QuestionLayout]
    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(0)])
    asked = SelectMultipleField(choices=[], validate_choice=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked.choices = [SelectChoice(q.id) for q in self.questions]

    @classmethod
    def field_names(cls) -> frozenset[str]:
        """Every name a browser may send for this section."""
        names = set(CONTROL_NAMES)
        for question in cls.questions:
            names.update((question.id, question.id + NOTE_SUFFIX))
            names.update(question.id + GROUP_SEPARATOR + group.value for group in question.groups)
        return frozenset(names)

    @classmethod
    def unknown_names(cls, names: Iterable[str]) -> list[str]:
        known = cls.field_names()
        return sorted({name for name in names if name not in known})

    def answer(self, question_id: str) -> Field:
        return self[f"q_{question_id}"]

    def note(self, question_id: str) -> Field:
        return self[f"n_{question_id}"]

    def items(self) -> list[QuestionFields]:
        """Each question's inputs as the form holds them (as typed, for a submitted form)."""
        items = []
        for q in self.questions:
            answer = self.answer(q.id)
            note = self.note(q.id)
            shape = self.layouts[q.id]
            choice = q.type in (CHOICE, MULTI, YESNO)
            groups = {g.value: answer.form[f"g_{g.value}"]._value() for g in q.groups}
            text = "" if choice or q.type == GROUP_NUMBERS else answer._value()
            selected = selected_of(answer.data) if choice else frozenset()
            open_note = bool(note.data or note.errors)
            items.append(
                QuestionFields(
                    q, shape.kind, shape, selected, text, groups, note._value(), open_note
                )
            )
        return items

    def display(self) -> SectionDisplay:
        return SectionDisplay(tuple(self.items()), self.lock_version._value())

    def asked_ids(self) -> tuple[str, ...]:
        asked = set(self.asked.data or ())
        return tuple(q.id for q in self.questions if q.id in asked)

    def fill_unasked(self, answers: Mapping[str, Any], notes: Mapping[str, str]) -> None:
        """Show the stored answers for questions whose inputs were not on the submitted page."""
        asked = set(self.asked_ids())
        for question in self.questions:
            if question.id not in asked:
                self.answer(question.id).process(
                    None, field_data(question, answers.get(question.id))
                )
                self.note(question.id).process(None, notes.get(question.id) or "")

    def control_errors(self) -> list[str]:
        """Errors in fields no person types into: only a tampered or broken page has them."""
        return [
            f"{name}: {'; '.join(self[name].errors)}" for name in (LOCK, ASKED) if self[name].errors
        ]

    @classmethod
    def owners(cls) -> dict[str, str]:
        """Input name -> the question it belongs to (answer, note and group inputs)."""
        owner: dict[str, str] = {}
        for question in cls.questions:
            owner[question.id] = owner[question.id + NOTE_SUFFIX] = question.id
            for group in question.groups:
                owner[question.id + GROUP_SEPARATOR + group.value] = question.id
        return owner

    def stray_names(self, names: Iterable[str]) -> list[str]:
        """Answer names sent for questions the page did not ask (their inputs were disabled)."""
        asked = set(self.asked_ids())
        owner = self.owners()
        return sorted({n for n in names if n in owner and owner[n] not in asked})

    def question_errors(self) -> dict[str, list[str]]:
        """Asked question id -> messages, for the answers and notes that did not validate."""
        errors: dict[str, list[str]] = {}
        asked = set(self.asked_ids())
        for question in self.questions:
            if question.id not in asked:
                continue
            messages = list(flatten_errors(self.answer(question.id).errors))
            messages += [f"Note: {m}" for m in self.note(question.id).errors]
            if messages:
                errors[question.id] = messages
        return errors

    def changes(self) -> Changes:
        """The asked questions' values and notes, leaving out any that did not validate."""
        values: dict[str, Any] = {}
        clear: list[str] = []
        notes: dict[str, str] = {}
        asked = set(self.asked_ids())
        for question in self.questions:
            if question.id not in asked:
                continue
            answer = self.answer(question.id)
            if not answer.errors:
                value = value_of(question, answer)
                if value is None:
                    clear.append(question.id)
                else:
                    values[question.id] = value
            note = self.note(question.id)
            if not note.errors:
                notes[question.id] = clean_text(note.data)
        return Changes(values=values, clear=tuple(clear), notes=notes)


def flatten_errors(errors: Any) -> Iterable[str]:
    """FormField errors are a dict of lists; plain fields' a list."""
    if isinstance(errors, Mapping):
        for nested in errors.values():
            yield from flatten_errors(nested)
    else:
        yield from errors


def stored_data(
    questions: Iterable[Question], answers: Mapping[str, Any], notes: Mapping[str, str]
) -> dict[str, Any]:
    """`data=` for a form showing the stored answers."""
    data: dict[str, Any] = {}
    for question in questions:
        data[f"q_{question.id}"] = field_data(question, answers.get(question.id))
        data[f"n_{question.id}"] = notes.get(question.id) or ""
    return data


class SectionForms:
    """Every section's form class, built once per bank."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._classes: dict[str, type[SectionForm]] = {}
        for section in bank.sections:
            questions = tuple(bank.questions[qid] for qid in section.questions)
            attrs: dict[str, Any] = {
                "section": section,
                "questions": questions,
                "layouts": {q.id: layout(q, kind_of(q)) for q in questions},
            }
            for question in questions:
                attrs[f"q_{question.id}"] = answer_field(question)
                attrs[f"n_{question.id}"] = note_field(question)
            self._classes[section.id] = type(f"Section_{section.id}", (SectionForm,), attrs)

    def layouts(self) -> dict[str, QuestionLayout]:
        """Question id -> layout, for every question of the bank."""
        return {qid: shape for cls in self._classes.values() for qid, shape in cls.layouts.items()}

    def form_class(self, section_id: str) -> type[SectionForm]:
        """The form class of a section; KeyError for an unknown section."""
        return self._classes[section_id]

    def for_display(
        self,
        section_id: str,
        answers: Mapping[str, Any],
        notes: Mapping[str, str],
        lock_version: int,
    ) -> SectionForm:
        cls = self.form_class(section_id)
        data = stored_data(cls.questions, answers, notes)
        data[LOCK] = lock_version
        return cls(data=data)

    def display(
        self,
        section_id: str,
        answers: Mapping[str, Any],
        notes: Mapping[str, str],
        lock_version: int,
    ) -> SectionDisplay:
        """The page's inputs for the stored answers: what for_display(...).display() gives."""
        cls = self.form_class(section_id)
        items = tuple(
            stored_fields(
                q, cls.layouts[q.id], field_data(q, answers.get(q.id)), str(notes.get(q.id) or "")
            )
            for q in cls.questions
        )
        return SectionDisplay(items, str(lock_version))

    def from_post(
        self, section_id: str, formdata: Any, answers: Mapping[str, Any], notes: Mapping[str, str]
    ) -> SectionForm:
        """A submitted form, validated; questions not asked on the page show the stored answers."""
        form = self.form_class(section_id)(formdata)
        form.validate()
        form.fill_unasked(answers, notes)
        return form
