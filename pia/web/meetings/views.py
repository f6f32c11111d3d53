"""Community meetings pages.

- GET  /assessments/<id>/meetings: the meetings held, "N of M held" for each chosen profile that
  asks for meetings, and (for the officer) the form to record one.
- POST /assessments/<id>/meetings: record a meeting (multipart: the fields and `materials`).
- GET/POST /assessments/<id>/meetings/<mid>/edit: change one (its file replaced or removed).
- GET/POST /assessments/<id>/meetings/<mid>/remove: "are you sure", then remove it.
- GET  /meetings/<mid>/materials: the materials file, to those who may see the assessment.

A refused form re-renders with what was typed and the error beside its field (400); nothing is
saved. Every change is audited by the store.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from pia.store.models import Assessment, User
from pia.store.policy import Action, allowed
from pia.web.meetings.forms import MeetingForm
from pia.web.shared.access import assessment_or_abort, current_user, signin_redirect
from pia.web.shared.config import get_bank, max_upload_bytes
from pia.web.shared.db import get_session

bp = Blueprint("meetings", __name__, template_folder="templates")


def _materials() -> Any:
    """The uploaded file as the store takes it, or None when none was chosen."""
    from pia.store.meetings import MaterialsFile

    upload = request.files.get("materials")
    if upload is None or not upload.filename:
        return None
    limit = max_upload_bytes()
    # One byte past the limit: enough to know it is too large without holding more.
    return MaterialsFile(upload.filename, upload.stream.read(limit + 1), limit)


def _save(form: MeetingForm, attempt: Any) -> bool:
    """Runs the store call; a refusal becomes an error beside its field. True when saved."""
    from pia.store import InvalidInput, NotFound, UploadRejected

    try:
        attempt()
    except InvalidInput as refused:
        field = getattr(form, refused.field, None) or form.summary
        field.errors = [*field.errors, f"{str(refused)[:1].upper()}{str(refused)[1:]}."]
        return False
    except UploadRejected as refused:
        form.materials.errors = [f"The file was not saved: {refused.reason}."]
        return False
    except NotFound:
        abort(404)
    return True


def _page(assessment: Assessment, form: MeetingForm, status: int = 200) -> tuple[str, int]:
    from pia.store.meetings import meeting_tallies, meetings_for

    meetings = meetings_for(get_session(), assessment)
    user = current_user()
    body = render_template(
        "meetings/meetings.html",
        assessment=assessment,
        meetings=meetings,
        tallies=meeting_tallies(get_bank(), assessment, len(meetings)),
        form=form,
        can_record=allowed(user, Action.RECORD_MEETING, assessment),
        can_edit=allowed(user, Action.EDIT_MEETING, assessment),
        can_remove=allowed(user, Action.REMOVE_MEETING, assessment),
    )
    return body, status


def _actor() -> User:
    user = current_user()
    assert user is not None  # assessment_or_abort let them in
    return user


@bp.get("/assessments/<int:assessment_id>/meetings")
def meetings(assessment_id: int) -> Any:
    assessment = assessment_or_abort(assessment_id, Action.VIEW)
    return _page(assessment, MeetingForm(formdata=None))


@bp.post("/assessments/<int:assessment_id>/meetings")
def record(assessment_id: int) -> Any:
    from pia.store.meetings import record_meeting

    assessment = assessment_or_abort(assessment_id, Action.RECORD_MEETING)
    form = MeetingForm()
    if form.validate_on_submit() and _save(
        form,
        lambda: record_meeting(get_session(), assessment, _actor(), form.to_input(), _materials()),
    ):
        flash(f"Recorded the meeting of {form.held_on.data.isoformat()}.", "success")
        return redirect(url_for("meetings.meetings", assessment_id=assessment_id), 303)
    return _page(assessment, form, 400)


def _meeting_or_404(assessment: Assessment, meeting_id: int) -> Any:
    from pia.store.meetings import get_meeting

    meeting = get_meeting(get_session(), meeting_id)
    if meeting is None or meeting.assessment_id != assessment.id:
        abort(404)
    return meeting


@bp.route(
    "/assessments/<int:assessment_id>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"]
)
def edit(assessment_id: int, meeting_id: int) -> Any:
    from pia.store.meetings import update_meeting

    assessment = assessment_or_abort(assessment_id, Action.EDIT_MEETING)
    meeting = _meeting_or_404(assessment, meeting_id)
    if request.method == "GET":
        form = MeetingForm(formdata=None, obj=meeting)
        return render_template(
            "meetings/edit.html", assessment=assessment, meeting=meeting, form=form
        )
    form = MeetingForm()
    if form.validate_on_submit() and _save(
        form,
        lambda: update_meeting(
            get_session(),
            assessment,
            _actor(),
            meeting_id,
            form.to_input(),
            materials=_materials(),
            remove_materials=bool(form.remove_materials.data),
        ),
    ):
        flash(f"Saved the meeting of {form.held_on.data.isoformat()}.", "success")
        return redirect(url_for("meetings.meetings", assessment_id=assessment_id), 303)
    body = render_template("meetings/edit.html", assessment=assessment, meeting=meeting, form=form)
    return body, 400


@bp.route(
    "/assessments/<int:assessment_id>/meetings/<int:meeting_id>/remove", methods=["GET", "POST"]
)
def remove(assessment_id: int, meeting_id: int) -> Any:
    from pia.store import NotFound
    from pia.store.meetings import remove_meeting

    assessment = assessment_or_abort(assessment_id, Action.REMOVE_MEETING)
    meeting = _meeting_or_404(assessment, meeting_id)
    if request.method == "GET":
        form = MeetingForm(formdata=None)  # for its CSRF token
        return render_template(
            "meetings/remove.html", assessment=assessment, meeting=meeting, form=form
        )
    held_on = meeting.held_on
    try:
        remove_meeting(get_session(), assessment, _actor(), meeting_id)
    except NotFound:  # removed meanwhile, in another tab
        abort(404)
    flash(f"Removed the meeting of {held_on.isoformat()}.", "success")
    return redirect(url_for("meetings.meetings", assessment_id=assessment_id), 303)


@bp.get("/meetings/<int:meeting_id>/materials")
def materials(meeting_id: int) -> Response:
    from pia.store.meetings import get_meeting

    if current_user() is None:
        signin_redirect()
    meeting = get_meeting(get_session(), meeting_id)
    if meeting is None:
        abort(404)
    assessment_or_abort(meeting.assessment_id, Action.DOWNLOAD_EVIDENCE)
    if not meeting.materials_filename or meeting.materials_data is None:
        abort(404)
    response = Response(meeting.materials_data, mimetype=meeting.materials_content_type)
    response.headers.set("Content-Disposition", "attachment", filename=meeting.materials_filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
