"""Evidence files: upload to a question, download by those allowed to see the assessment.

- POST /assessments/<id>/evidence (multipart: question_id, file): pia.store.add_evidence checks the
  bytes (PDF, PNG, JPEG, DOCX, UTF-8 text; the name's extension must agree) and the size
  (PIA_MAX_UPLOAD_MB). A refused file gives a 400 page saying why; a request larger than Flask's
  MAX_CONTENT_LENGTH is stopped before it is read, with the readable 413 page.
- A file's Remove and Replace buttons on the section page post the section's form (the answers
  are saved first, section.py); remove_or_replace takes the file off the draft or puts the file
  of `replace-<id>` in its place (pia.store.remove_evidence / replace_evidence, audited). A
  submitted revision keeps the evidence set it was submitted with.
- GET /evidence/<id>: the file as an attachment with its checked content type and nosniff, after
  the policy allows DOWNLOAD_EVIDENCE on its assessment (another agency's file is a 404).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from wtforms import Form, StringField
from wtforms.validators import InputRequired, Length

from pia.engine.bank.model import Question
from pia.store.models import Assessment, User
from pia.store.policy import Action
from pia.web.shared.access import assessment_or_abort, current_user, signin_redirect
from pia.web.shared.config import get_bank, max_upload_bytes
from pia.web.shared.db import get_session
from pia.web.shared.downloads import attachment_response
from pia.web.wizard.blueprint import bp


class UploadForm(Form):
    """The upload's question; the file itself comes from request.files."""

    question_id = StringField(validators=[InputRequired(), Length(max=100)])


def refused(message: str, back: str | None) -> tuple[str, int]:
    return render_template("wizard/rejected.html", message=message, back=back), 400


def question_anchor(assessment_id: int, question: Question) -> str:
    url = url_for("wizard.section_page", assessment_id=assessment_id, section_id=question.section)
    return f"{url}#q-{question.id}"


def attach_file(assessment: Assessment, user: User, question: Question) -> str | None:
    """Attaches the request's `file` to the question; None when attached (a flashed message says
    so), otherwise why it was not, as a sentence for the page."""
    from pia.store import UploadRejected, add_evidence

    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        return "The file was not attached: choose a file first, then press Upload."
    limit = max_upload_bytes()
    # Read one byte past the limit: enough to know it is too large without holding more.
    data = upload_file.stream.read(limit + 1)
    try:
        evidence = add_evidence(
            get_session(),
            assessment,
            user,
            question_id=question.id,
            filename=upload_file.filename,
            data=data,
            max_bytes=limit,
            bank=get_bank(),
        )
    except UploadRejected as rejected:
        return f"The file was not attached: {rejected.reason}."
    flash(f"Attached {evidence.filename} to “{question.text}”.", "success")
    return None


def remove_or_replace(assessment: Assessment, user: User, change: str) -> tuple[str | None, str]:
    """`change` is a file's button value, "remove:<id>" or "replace:<id>" (the new file comes in
    the request's `replace-<id>` field). Returns (None, the file's question) when the draft's file
    was removed or replaced, or (why not, "") with nothing changed."""
    from pia.store import NotFound, UploadRejected, remove_evidence, replace_evidence

    verb, _, number = change.partition(":")
    if verb not in ("remove", "replace") or not number.isdigit() or len(number) > 18:
        return "The file was not changed: the button pressed is not one this page has.", ""
    evidence_id = int(number)
    session = get_session()
    try:
        if verb == "remove":
            removed = remove_evidence(session, assessment, user, evidence_id)
            flash(f"Removed {removed.filename} from the draft.", "success")
            return None, removed.question_id
        upload_file = request.files.get(f"replace-{evidence_id}")
        if upload_file is None or not upload_file.filename:
            return (
                "The file was not replaced: choose the new file beside Replace, then press "
                "Replace.",
                "",
            )
        limit = max_upload_bytes()
        new = replace_evidence(
            session,
            assessment,
            user,
            evidence_id,
            filename=upload_file.filename,
            data=upload_file.stream.read(limit + 1),
            max_bytes=limit,
        )
    except UploadRejected as rejected:
        return f"The file was not replaced: {rejected.reason}.", ""
    except NotFound as missing:
        return f"The file was not changed: {missing}.", ""
    flash(f"Replaced the file with {new.filename}.", "success")
    return None, new.question_id


@bp.post("/assessments/<int:assessment_id>/evidence")
def upload(assessment_id: int) -> Any:
    """An upload on its own, for a question of any section (the section page's Upload button
    posts the section's answers and the file together instead: section.py)."""
    assessment = assessment_or_abort(assessment_id, Action.UPLOAD)
    user = current_user()
    assert user is not None
    bank = get_bank()
    form = UploadForm(request.form)
    question_id = (form.question_id.data or "").strip()
    if not form.validate() or question_id not in bank.questions:
        return refused(
            "The file was not attached: the question it was for is not in the bank.", None
        )
    question = bank.questions[question_id]
    back = question_anchor(assessment_id, question)
    problem = attach_file(assessment, user, question)
    if problem is not None:
        return refused(problem, back)
    return redirect(back, 303)


@bp.get("/evidence/<int:evidence_id>")
def download(evidence_id: int) -> Response:
    from pia.store import get_evidence

    if current_user() is None:
        signin_redirect()
    evidence = get_evidence(get_session(), evidence_id)
    if evidence is None:
        abort(404)
    assessment_or_abort(evidence.assessment_id, Action.DOWNLOAD_EVIDENCE)
    return attachment_response(
        evidence.data, evidence.content_type, evidence.filename, evidence.sha256
    )
