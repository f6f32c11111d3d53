"""Changing a draft's details, and duplicating an assessment as a new draft.

- GET/POST /assessments/<id>/details: the new-assessment form, filled with the details, plus the
  lock version the page was loaded at; a stale version is a 409 page with the form as typed.
- POST /assessments/<id>/duplicate: a new draft with the same details, answers and notes.
- GET/POST /assessments/<id>/delete: "are you sure", then deletes a draft never submitted
  (audited); one with a submitted revision is kept for the record (409).
- POST /assessments/<id>/archive and /unarchive (audited): archived, it is read-only and off the
  dashboard unless asked for; 409 naming the status when a reviewer is looking at it.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from pia.store.policy import Action
from pia.web.dashboard.views import NewAssessmentForm, bp
from pia.web.shared.access import assessment_or_abort, current_user, require
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session


class DetailsForm(NewAssessmentForm):
    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(0)])


@bp.route("/assessments/<int:assessment_id>/details", methods=["GET", "POST"])
def details(assessment_id: int) -> Any:
    from pia.store import InvalidInput, StaleVersion, update_details

    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    user = current_user()
    assert user is not None
    if request.method == "GET":
        form = DetailsForm(
            data={
                "title": assessment.title,
                "technology": assessment.technology,
                "vendor": assessment.vendor,
                "product": assessment.product,
                "product_version": assessment.product_version,
                "profiles": list(assessment.profiles or ()),
                "lock_version": assessment.lock_version,
            }
        )
        return render_template("dashboard/details.html", form=form, assessment=assessment)
    form = DetailsForm()
    problem = ""
    status = 400
    if form.validate_on_submit():
        try:
            changed = update_details(
                get_session(),
                get_bank(),
                assessment,
                user,
                title=form.title.data,
                technology=form.technology.data,
                vendor=form.vendor.data,
                product=form.product.data,
                product_version=form.product_version.data,
                profiles=list(form.profiles.data or []),
                expected_version=form.lock_version.data,
            )
        except StaleVersion:
            problem = (
                "Someone changed this assessment since you opened this page, so the details "
                "were not saved. Your changes are below: check them and save again."
            )
            status = 409
            form.lock_version.data = assessment_or_abort(assessment_id, Action.EDIT).lock_version
            form.lock_version.raw_data = [str(form.lock_version.data)]
        except InvalidInput as invalid:
            problem = f"The details were not saved: {invalid}."
        else:
            flash("Details saved." if changed else "No changes to save.", "success")
            return redirect(url_for("dashboard.overview", assessment_id=assessment_id), 303)
    return render_template(
        "dashboard/details.html", form=form, assessment=assessment, problem=problem
    ), status


@bp.post("/assessments/<int:assessment_id>/duplicate")
def duplicate(assessment_id: int) -> Any:
    from pia.store import duplicate_assessment

    source = assessment_or_abort(assessment_id, Action.VIEW)
    user = require(Action.CREATE_ASSESSMENT)
    copy = duplicate_assessment(
        get_session(), get_bank(), source, user, title=f"Copy of {source.title}"[:200]
    )
    flash(
        f"Made a new draft, “{copy.title}”, with the same details, answers and notes "
        "(evidence files are not copied). Change its details below.",
        "success",
    )
    return redirect(url_for("dashboard.details", assessment_id=copy.id), 303)


class DeleteForm(FlaskForm):
    """The version the officer confirmed: a change made since then stops the deletion."""

    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(0)])


@bp.route("/assessments/<int:assessment_id>/delete", methods=["GET", "POST"])
def delete(assessment_id: int) -> Any:
    from pia.store import InvalidInput, StaleVersion, delete_draft

    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    user = current_user()
    assert user is not None
    if assessment.revision_count or assessment.status != "draft":
        return render_template(
            "dashboard/delete.html", assessment=assessment, form=None, problem=""
        ), 409
    if request.method == "GET":
        form = DeleteForm(data={"lock_version": assessment.lock_version})
        return render_template(
            "dashboard/delete.html", assessment=assessment, form=form, problem=""
        )
    form = DeleteForm()
    problem = "The page's hidden version field was altered or is missing, so nothing was deleted."
    status = 400
    if form.validate_on_submit():
        title = assessment.title
        try:
            delete_draft(get_session(), assessment, user, expected_version=form.lock_version.data)
        except StaleVersion:
            problem = (
                "Someone changed this assessment since you opened this page, so it was not "
                "deleted. Check it again before deleting it."
            )
            status = 409
        except InvalidInput as invalid:
            problem = f"Not deleted: {invalid}."
            status = 409
        else:
            flash(f"Deleted the draft “{title}”.", "success")
            return redirect(url_for("dashboard.index"), 303)
    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    form = DeleteForm(formdata=None, data={"lock_version": assessment.lock_version})
    return render_template(
        "dashboard/delete.html", assessment=assessment, form=form, problem=problem
    ), status


@bp.post("/assessments/<int:assessment_id>/archive")
def archive(assessment_id: int) -> Any:
    return _set_archived(assessment_id, archived=True)


@bp.post("/assessments/<int:assessment_id>/unarchive")
def unarchive(assessment_id: int) -> Any:
    return _set_archived(assessment_id, archived=False)


def _set_archived(assessment_id: int, *, archived: bool) -> Any:
    from pia.store import set_archived

    action = Action.ARCHIVE if archived else Action.UNARCHIVE
    assessment = assessment_or_abort(assessment_id, action)
    user = current_user()
    assert user is not None
    set_archived(get_session(), assessment, user, archived=archived)
    if archived:
        message = f"Archived “{assessment.title}”: it is read-only and off the dashboard."
    else:
        message = f"Unarchived “{assessment.title}”: it is back on the dashboard."
    flash(message, "success")
    return redirect(url_for("dashboard.overview", assessment_id=assessment_id), 303)
