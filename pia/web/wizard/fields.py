"""WTForms fields that WTForms lacks for bank answers: optional choice groups, checkbox groups,
and numbers typed as text with the bank's bounds and unit in the message."""

from __future__ import annotations

import decimal
from typing import Any

from wtforms import Form
from wtforms.fields import Field, RadioField, SelectField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from pia.engine.bank.model import Question
from pia.engine.evaluation.answers import exclusive_clash

# A number without bounds in the bank still has to fit in JSON and mean something.
NUMBER_MAGNITUDE_MAX = decimal.Decimal(10) ** 15


class EmptyMeansUnanswered:
    """For single-choice fields: the empty value means "not answered yet" (None), and only a real
    value is checked against the choices, so a draft may leave the question unanswered."""

    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        super().process_formdata(valuelist)  # type: ignore[misc]

    def pre_validate(self, form: Form) -> None:
        if self.data is not None:
            super().pre_validate(form)  # type: ignore[misc]


class OptionalRadioField(EmptyMeansUnanswered, RadioField):
    """A radio group whose last, empty option ("not answered yet") takes an answer back."""


class OptionalSelectField(EmptyMeansUnanswered, SelectField):
    """A select whose first, empty option means "not answered yet"."""


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; the template wraps it in a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NumberField(Field):
    """A decimal number typed as text (GOV.UK advice: type=text with inputmode, not type=number).

    `data` is a finite Decimal or None; the unit and bounds live on the question.
    """

    widget = TextInput()

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.render_kw = {"inputmode": "decimal", "autocomplete": "off", **(self.render_kw or {})}

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format_number(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip().replace(",", "") if valuelist else ""
        if not text:
            self.data = None
            return
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.data = None
            raise ValueError("Enter a number, like 12 or 0.5.")
        if abs(number) >= NUMBER_MAGNITUDE_MAX:
            self.data = None
            raise ValueError("Enter a number smaller than a thousand million million.")
        self.data = number

    def process_data(self, value: Any) -> None:
        self.data = number_data(value)


def number_data(value: Any) -> decimal.Decimal | None:
    """A stored answer as a NumberField's data: a finite Decimal, or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return None
    number = decimal.Decimal(str(value))
    return number if number.is_finite() else None


def number_text(value: Any) -> str:
    """A stored number as its input shows it (what NumberField._value gives for stored data)."""
    number = number_data(value)
    return "" if number is None else format_number(number)


def format_number(number: decimal.Decimal | int | float) -> str:
    """12 not 12.0, 0.5 not 5E-1."""
    value = decimal.Decimal(str(number))
    if value == value.to_integral_value():
        return str(value.quantize(decimal.Decimal(1)))
    return format(value.normalize(), "f")


class ChosenAlone:
    """A multiple-choice answer whose exclusive option ("None of these") comes without others."""

    def __init__(self, question: Question) -> None:
        self.question = question

    def __call__(self, form: Form, field: Field) -> None:
        alone = exclusive_clash(self.question, field.data or [])
        if alone is not None:
            raise ValidationError(f"Choose “{alone.label}” on its own, or untick it.")


class Bounds:
    """The bank's inclusive bounds, with a message that names them and the unit."""

    def __init__(self, question: Question) -> None:
        self.low = None if question.min is None else decimal.Decimal(str(question.min))
        self.high = None if question.max is None else decimal.Decimal(str(question.max))
        unit = f" {question.unit}" if question.unit and question.unit != "%" else question.unit
        low = "" if self.low is None else format_number(self.low) + unit
        high = "" if self.high is None else format_number(self.high) + unit
        if low and high:
            self.message = f"Enter a number from {low} to {high}."
        elif low:
            self.message = f"Enter a number of at least {low}."
        else:
            self.message = f"Enter a number of at most {high}."

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None:
            return
        if (self.low is not None and field.data < self.low) or (
            self.high is not None and field.data > self.high
        ):
            raise ValidationError(self.message)
