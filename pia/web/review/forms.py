"""The review forms. WTForms parses and checks the shape of what was posted (whole numbers,
dates); what the values mean (a rationale is required, a due date must be after today, a question
must be one the revision shows) is the store's to check, so every message has one source.

Every form that acts on a revision carries the revision number the page showed, so a form left
open while the officer resubmitted cannot act on a revision the reviewer has not read.
"""

from __future__ import annotations

from collections.abc import Iterator

from wtforms import (
    DateField,
    Field,
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
        """Nothing typed or chosen: an entry with only a due date or a finding is not blank (it
        is refused for its missing text, rather than dropped with what was typed in it)."""
        typed = [self.text.data, self.owner.data, self.finding_rule.data]
        typed += [raw for field in (self.due_on, self.plan_item) for raw in field.raw_data or ()]
        return not any(str(value or "").strip() for value in typed)


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

    def posted_conditions(self) -> list[ConditionEntry]:
        """The entries filled in, in order: the store numbers them from 1 ("conditions-1-text"
        is the first of these, whichever entry of the form it was typed in)."""
        return [entry.form for entry in self.conditions if not entry.form.is_blank]


NEW_CONDITION = "new_condition"  # the field prefix of AddConditionForm (ids unique on the page)
CONDITION_FIELDS = ("text", "owner", "due_on", "finding_rule", "plan_item")


class AddConditionForm(ConditionEntry):
    """One more condition on the approval in force, after the decision."""


class ConditionMetForm(Form):
    note = TextAreaField("How the condition is met")


class VerifyConditionForm(Form):
    verdict = StringField()  # "verify" or "reopen"
    note = TextAreaField("Note")


def _labelled_fields(form: Form, prefix: str = "") -> Iterator[tuple[str, Field]]:
    """(label, field) of every field, into the entries of a list of conditions."""
    for field in form:
        if isinstance(field, FieldList):
            for number, entry in enumerate(field.entries, start=1):
                yield from _labelled_fields(entry.form, f"Condition {number}, ")
        else:
            label = field.label.text
            yield (f"{prefix}{label[:1].lower()}{label[1:]}" if prefix else label), field


def first_error(form: Form) -> str:
    """The first message WTForms found, for the refusal at the top of the page."""
    for label, field in _labelled_fields(form):
        if field.errors:
            message = DATE_MESSAGE if isinstance(field, DateField) else field.errors[0]
            return f"{label}: {message}"
    return "The form could not be read."
