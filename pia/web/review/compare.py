"""Two revisions of an assessment side by side.

    GET /assessments/<id>/compare?old=1&new=2     (without numbers: the latest two)

Whoever may view the assessment's revisions may compare them (Action.VIEW: its officers, and
reviewers with the agency in their remit once it was submitted). The comparison itself is
pia.engine's compare_revisions over the stored revisions; this view only renders it.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from pia.web.review.views import bp
from pia.web.shared.access import assessment_or_abort
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session


class CompareForm(FlaskForm):
    """The two revisions, in the query string (a GET form: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    old = SelectField("Earlier revision", coerce=int, validate_choice=True)
    new = SelectField("Later revision", coerce=int, validate_choice=True)

    def set_revisions(self, count: int) -> None:
        choices = [SelectChoice(n, f"Revision {n}") for n in range(1, count + 1)]
        self.old.choices = choices
        self.new.choices = list(choices)

    def validate_new(self, field: SelectField) -> None:
        if field.data is not None and field.data == self.old.data:
            raise ValidationError("Choose two different revisions.")


@bp.get("/assessments/<int:assessment_id>/compare")
def compare(assessment_id: int) -> tuple[str, int]:
    from pia.store.comparison import compare_stored_revisions
    from pia.store.policy import Action

    assessment = assessment_or_abort(assessment_id, Action.VIEW)
    count = assessment.revision_count
    if count < 2:
        abort(404, description="This assessment has fewer than two revisions to compare.")
    chosen = "old" in request.args or "new" in request.args
    form = CompareForm(request.args if chosen else None)
    form.set_revisions(count)
    if not chosen:  # the latest two
        form.old.data, form.new.data = count - 1, count
    elif not form.validate():
        page = render_template(
            "review/compare.html", assessment=assessment, form=form, comparison=None
        )
        return page, 400
    old, new = form.old.data, form.new.data
    comparison = compare_stored_revisions(get_session(), get_bank(), assessment, old, new)
    if comparison is None:
        abort(404)
    return render_template(
        "review/compare.html",
        assessment=assessment,
        form=form,
        comparison=comparison,
    ), 200
