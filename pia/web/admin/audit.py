"""The audit trail page for administrators (/admin/audit, on the admin blueprint): every event,
newest first, filtered by agency, assessment, actor, action and date range, 50 to a page, in a
fixed number of queries.

It never shows assessment content: what an event's detail may show is decided in
pia.store.audit_listing.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from pia.web.admin.views import bp
from pia.web.shared.access import require
from pia.web.shared.db import get_session

EVENTS_PER_PAGE = 50
ANY = ""


def _optional_int(value: object) -> int | None:
    if value in (None, ANY):
        return None
    return int(str(value))


def _text(value: object) -> str:
    return ANY if value is None else str(value)


class AuditFilterForm(FlaskForm):
    """Filters in the query string (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    agency = SelectField("Agency", coerce=_optional_int, validate_choice=True)
    assessment = IntegerField(
        "Assessment number",
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1, message="Enter a number.")],
        description="As in the assessment's address, e.g. 42.",
    )
    actor = EmailField(
        "Actor's email", validators=[Optional()], description="Who did it, e.g. a@example.gov."
    )
    action = SelectField("Action", coerce=_text, default=ANY, validate_choice=True)
    since = DateField("Events from", validators=[Optional()], description="A day, e.g. 2026-11-01.")
    until = DateField("Events until", validators=[Optional()], description="That day included.")

    def set_choices(self, agencies: list[Any], actions: list[str]) -> None:
        self.agency.choices = [SelectChoice(ANY, "Any agency")] + [
            SelectChoice(a.id, a.name) for a in agencies
        ]
        self.action.choices = [SelectChoice(ANY, "Any action")] + [
            SelectChoice(a, a) for a in actions
        ]

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end of the range must not be before its start.")


@bp.route("/audit")
def audit() -> tuple[str, int]:
    from pia.store import list_agencies
    from pia.store.audit_listing import AuditFilter, Page, audit_actions, page_of_events
    from pia.store.policy import Action

    require(Action.ADMIN)
    db = get_session()
    form = AuditFilterForm(request.args)
    form.set_choices(list_agencies(db), audit_actions(db))
    if request.args and not form.validate():
        empty = Page((), 0, 1, 1, EVENTS_PER_PAGE)
        return render_template("admin/audit.html", form=form, page=empty, filters={}), 400
    chosen = AuditFilter(
        agency_id=form.agency.data,
        assessment_id=form.assessment.data,
        actor_email=form.actor.data or None,
        action=form.action.data or None,
        since=form.since.data,
        until=form.until.data,
    )
    page = page_of_events(db, chosen, page=request.args.get("page"), per_page=EVENTS_PER_PAGE)
    # The filters again, for the pagination links.
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/audit.html", form=form, page=page, filters=filters), 200
