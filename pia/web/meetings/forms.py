"""The meeting form: what the officer types about a meeting held; the file comes as `materials`."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FileField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pia.store.meetings import ATTENDANCE_MAX, NOTE_MAX, PLACE_MAX, SUMMARY_MAX, MeetingInput


class MeetingForm(FlaskForm):
    held_on = DateField(
        "Date held",
        format="%Y-%m-%d",
        validators=[InputRequired("Enter the date the meeting was held, as YYYY-MM-DD.")],
        description="The day it was held, e.g. 2026-03-14.",
    )
    place = StringField(
        "Place or link",
        validators=[
            DataRequired("Enter where the meeting was held, or its link if it was online."),
            Length(max=PLACE_MAX, message=f"Keep this under {PLACE_MAX} characters."),
        ],
        description="An address, or the link of an online meeting.",
    )
    attendance = IntegerField(
        "Attendance",
        validators=[
            Optional(),
            NumberRange(0, ATTENDANCE_MAX, f"Enter a whole number from 0 to {ATTENDANCE_MAX:,}."),
        ],
        description="How many members of the public attended, if counted.",
    )
    summary = TextAreaField(
        "Summary",
        validators=[
            DataRequired("Enter a summary of what was said."),
            Length(max=SUMMARY_MAX, message=f"Keep this under {SUMMARY_MAX:,} characters."),
        ],
        description="What was presented, what people said, and what the agency answered.",
    )
    materials_note = TextAreaField(
        "Materials",
        validators=[Length(max=NOTE_MAX, message=f"Keep this under {NOTE_MAX:,} characters.")],
        description="What was handed out or shown (optional).",
    )
    materials = FileField(
        "Materials file",
        description="Optional: a PDF, PNG, JPEG, Word (.docx) or plain-text file.",
    )
    remove_materials = BooleanField("Remove the materials file")

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        # Say what a valid value looks like instead of WTForms' "Not a valid date value".
        if self.held_on.raw_data and self.held_on.raw_data[0] and self.held_on.data is None:
            self.held_on.errors = ["Enter the date as YYYY-MM-DD, e.g. 2026-03-14."]
        if (
            self.attendance.raw_data
            and self.attendance.raw_data[0]
            and self.attendance.data is None
        ):
            self.attendance.errors = [f"Enter a whole number from 0 to {ATTENDANCE_MAX:,}."]
        return valid

    def to_input(self) -> MeetingInput:
        return MeetingInput(
            held_on=self.held_on.data,
            place=self.place.data or "",
            summary=self.summary.data or "",
            attendance=self.attendance.data,
            materials_note=self.materials_note.data or "",
        )
