"""Forms of the officers' moderation queue: approve (the CSRF token alone), reject with a reason,
mark as a duplicate, a response to one or several approved comments; reconsider a decision (with
a reason) and correct a response.

Length limits on reasons and responses are checked by the store (pia.store.comment_moderation) on
the text as stored, with line breaks counted once.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pia.store.comment_moderation import REASON_MAX_CHARS, THEME_MAX_CHARS


class ModerateForm(FlaskForm):
    """Approve: only the CSRF token."""


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Reason for rejecting",
        validators=[DataRequired("Give the reason for rejecting the comment.")],
        description=f"Kept in the record; at most {REASON_MAX_CHARS:,} characters.",
    )


class DuplicateForm(FlaskForm):
    duplicate_of = IntegerField(
        "Duplicate of comment number",
        validators=[InputRequired("Give the number of the comment it repeats.")],
    )


class ResponseForm(FlaskForm):
    comment_ids = SelectMultipleField(
        "Comments this responds to",
        coerce=int,
        validators=[DataRequired("Choose the comment or comments this responds to.")],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    theme = StringField(
        "Theme",
        validators=[Optional(), Length(max=THEME_MAX_CHARS)],
        description="Required when the response answers several comments, e.g. “Data retention”.",
    )
    body = TextAreaField("Response", validators=[DataRequired("Write the response.")])


class ReconsiderForm(FlaskForm):
    reason = TextAreaField(
        "Why reconsider",
        validators=[DataRequired("Give the reason for reconsidering the decision.")],
        description=f"Kept in the audit trail; at most {REASON_MAX_CHARS:,} characters.",
    )
    # The decision the page showed: if someone changed it meanwhile, nothing changes.
    earlier_state = HiddenField()


class CorrectResponseForm(FlaskForm):
    theme = StringField("Theme", validators=[Optional(), Length(max=THEME_MAX_CHARS)])
    body = TextAreaField(
        "Corrected response", validators=[DataRequired("Write the corrected response.")]
    )


def as_sentence(message: str) -> str:
    """A store error's message as a sentence to show beside a field."""
    text = message.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
