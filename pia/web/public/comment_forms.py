"""The public comment form.

The comment's length limit is checked by the store (pia.store.public_comments) on the text as
stored, with line breaks counted once: a browser sends each line break as two characters.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from pia.store.public_comments import COMMENT_MAX_CHARS, EMAIL_MAX_CHARS, NAME_MAX_CHARS

HONEYPOT_FIELD = "website"


class PublicCommentForm(FlaskForm):
    name = StringField(
        "Your name (optional)",
        validators=[Optional(), Length(max=NAME_MAX_CHARS)],
        description="Shown with your comment if it is published. Leave empty to comment "
        "anonymously.",
    )
    email = StringField(
        "Your email address (optional)",
        validators=[Optional(), Length(max=EMAIL_MAX_CHARS)],
        description="Never published. The agency may use it to contact you about your comment.",
    )
    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Write your comment.")],
        description=f"Plain text, at most {COMMENT_MAX_CHARS:,} characters. The agency reads "
        "every comment; it is published here once approved.",
    )
    # The honeypot: hidden from people (and from assistive technology), filled in by bots.
    website = StringField("Leave this field empty")


def as_sentence(message: str) -> str:
    """A store error's message as a sentence to show beside a field."""
    text = message.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
