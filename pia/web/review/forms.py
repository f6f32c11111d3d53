"""The review forms. WTForms parses and checks the shape of what was posted (whole numbers,
dates); what the values mean (a rationale is required, a due date must be after today, a question
must be one the revision shows) is the store's to check, so every message has one source.

Every form that acts on a revision carries the revision number the page showed, so a form left
open while the officer resubmitted cannot act on a revision the reviewer has not read.
"""

from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

REVISION_MESSAGE = "The page's hidden revision number is missing or altered; reload the page."
DATE_MESSAGE = "Enter the date as YYYY-MM-DD (for example 2026-12-01)."
VOTES_MESSAGE = "Enter a whole number of votes (0 or more)."


class RevisionForm(Form):
    revision = IntegerField(
        validators=[InputRequired(REVISION_MESSAGE), NumberRange(1, 2**31, REVISION_MESSAGE)]
    )


class TakeUpForm(RevisionForm):
    pass


class CommentForm(RevisionForm):
    kind = StringField(default="assessment")
    target = StringField(default="")
    body = TextAreaField("Comment")


class ReplyForm(Form):
    body = TextAreaField("Reply")


class RatingForm(RevisionForm):
    criterion = StringField()
    level = StringField("Board's level")
    reason = TextAreaField("Reason")


class RequestChangesForm(RevisionForm):
    message = TextAreaField("What should change")


class ConditionEntry(Form):
    text = TextAreaField("Condition", validators=[Optional()])
    owner = StringField("Owner", validators=[Optional()])
    due_on = DateField("Due date", validators=[Optional()], format="%Y-%m-%d")
    finding_rule = StringField("Answers finding", default="")
    plan_item = IntegerField("Action-plan item", validators=[Optional()])

    @property
    def is_blank(self) -> bool:
        return not ((self.text.data or "").strip() or (self.owner.data or "").strip())


class DecisionForm(RevisionForm):
    outcome = StringField("Decision")
    rationale = TextAreaField("Rationale")
    meeting_on = DateField("Meeting date", format="%Y-%m-%d", validators=[Optional()])
    votes_for = IntegerField(
        "Votes for", default=0, validators=[Optional(), NumberRange(0, 10_000, VOTES_MESSAGE)]
    )
    votes_against = IntegerField(
        "Votes against", default=0, validators=[Optional(), NumberRange(0, 10_000, VOTES_MESSAGE)]
    )
    votes_abstain = IntegerField(
        "Abstentions", default=0, validators=[Optional(), NumberRange(0, 10_000, VOTES_MESSAGE)]
    )
    names_for = StringField("Names of those voting for")
    names_against = StringField("Names of those voting against")
    names_abstain = StringField("Names of those abstaining")
    review_due_on = DateField("Review date", format="%Y-%m-%d", validators=[Optional()])
    conditions = FieldList(FormField(ConditionEntry), min_entries=3, max_entries=20)


NEW_CONDITION = "new_condition"  # the field prefix of AddConditionForm (ids unique on the page)
CONDITION_FIELDS = ("text", "owner", "due_on", "finding_rule", "plan_item")


class AddConditionForm(ConditionEntry):
    """One more condition on the approval in force, after the decision."""


class ConditionMetForm(Form):
    note = TextAreaField("How the condition is met")


class VerifyConditionForm(Form):
    verdict = StringField()  # "verify" or "reopen"
    note = TextAreaField("Note")


def first_error(form: Form) -> str:
    """The first message WTForms found, for the refusal at the top of the page."""
    for field in form:
        if field.errors:
            errors = field.errors
            if isinstance(errors, dict):  # a FieldList of FormFields
                for entry in errors.values() if isinstance(errors, dict) else errors:
                    return str(entry)
            message = errors[0]
            while isinstance(message, (list, dict)):
                message = next(iter(message.values() if isinstance(message, dict) else message))
            if isinstance(field, DateField):
                message = DATE_MESSAGE
            return f"{field.label.text}: {message}"
    return "The form could not be read."
