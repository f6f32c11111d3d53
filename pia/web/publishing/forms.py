"""The redaction and publication forms. WTForms reads the shape (whole numbers, dates); what the
values mean (a reason from the list, an item of this assessment, a period that closes after it
opens and does not open in the past) is the store's to check, so every message has one source."""

from __future__ import annotations

from wtforms import DateField, Form, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from pia.store.public_models import REDACTION_REASONS

DATE_MESSAGE = "Enter the date as YYYY-MM-DD (for example 2026-12-01)."
REVISION_MESSAGE = "The page's hidden revision number is missing or altered; reload the page."


class RedactionForm(Form):
    item = SelectField(
        "What to withhold",
        description=(
            "An answer, a note or an evidence file of the latest revision, or one that a "
            "publication still shows."
        ),
        validate_choice=False,
    )
    reason = SelectField(
        "Reason",
        choices=[
            SelectChoice("", "Choose a reason"),
            *(SelectChoice(value, label) for value, label in REDACTION_REASONS.items()),
        ],
        description="The public reads “[withheld: reason]” in its place.",
        validate_choice=False,
    )
    explanation = TextAreaField(
        "Explanation for the reviewer",
        description="Why this must be withheld (not published).",
        validators=[Optional()],
    )


class AllowForm(Form):
    revision = IntegerField(
        validators=[InputRequired(REVISION_MESSAGE), NumberRange(1, 2**31, REVISION_MESSAGE)]
    )
    note = TextAreaField("Note (optional)", validators=[Optional()])


class CommentPeriodForm(Form):
    opens_on = DateField(
        "Comment period opens",
        format="%Y-%m-%d",
        validators=[Optional()],
        description="YYYY-MM-DD; today or later.",
    )
    closes_on = DateField(
        "Comment period closes",
        format="%Y-%m-%d",
        validators=[Optional()],
        description="YYYY-MM-DD; after the day it opens.",
    )
