"""The section wizard: one page per section of the bank, saved with POST-redirect-GET.

- GET  /assessments/<id>/sections/<section>: the section's questions (every one rendered; those
  the engine hides carry the `hidden` attribute and disabled inputs, so the page script can reveal
  them), the sidebar of sections with completion, the progress bar and the live-risk panel.
- POST same: saves and redirects (303) back, or to the next section; a bad value re-renders the page
  (400) with every answer as typed and the error beside its field; a stale lock version -> 409 page
  with both versions side by side.
- POST .../autosave: the same save for the page script; JSON with the visible question ids, the new
  lock version, the time, the section progress and the live-risk panel's HTML.
- POST .../resolve: the 409 page's choices, per question or for all.

Visibility is only ever decided by the engine (Evaluation.visible); the script never evaluates
conditions itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import MultiDict

from pia.engine import action_plan, foreign_sources
from pia.engine.evaluation.result import Evaluation
from pia.store.models import Assessment, Evidence, User
from pia.store.policy import Action, allowed
from pia.web.shared.access import (
    assessment_or_abort,
    assessment_with_evidence_or_abort,
    current_user,
)
from pia.web.shared.config import get_bank
from pia.web.shared.db import get_session
from pia.web.shared.templating import when
from pia.web.wizard.blueprint import bp
from pia.web.wizard.board_comments import open_threads
from pia.web.wizard.forms import SectionDisplay, SectionForm
from pia.web.wizard.saving import (
    Rejected,
    SaveResult,
    evaluation_of,
    resolution_formdata,
    save,
    section_forms,
)

# Navigation buttons on the section form: not answers, never saved.
GO = "go"
UPLOAD = "upload"  # the GO value of the section's Upload button
# The section's one upload control: which question the file supports (the file is `file`).
EVIDENCE_FOR = "evidence_question"
EVIDENCE_CHANGE = "evidence_change"  # a file's Remove or Replace button: "remove:<id>", ...
TOP_FINDINGS = 5
TOP_PLAN_ITEMS = 3


def section_or_404(section_id: str) -> Any:
    for section in get_bank().sections:
        if section.id == section_id:
            return section
    abort(404)


def neighbours(section_id: str) -> tuple[Any, Any]:
    sections = get_bank().sections
    index = next(i for i, s in enumerate(sections) if s.id == section_id)
    previous = sections[index - 1] if index > 0 else None
    following = sections[index + 1] if index + 1 < len(sections) else None
    return previous, following


def evidence_by_question(
    assessment: Assessment, evidence: Sequence[Evidence] | None = None
) -> dict[str, list[Evidence]]:
    """The assessment's evidence grouped by question; read from the database unless given."""
    from pia.store import evidence_for

    if evidence is None:
        evidence = evidence_for(get_session(), assessment)
    grouped: dict[str, list[Evidence]] = {}
    for item in evidence:
        grouped.setdefault(item.question_id, []).append(item)
    return grouped


def risk_context(evaluation: Evaluation, assessment: Assessment) -> dict[str, Any]:
    bank = get_bank()
    plan = action_plan(bank, assessment.answers or {}, assessment.profiles or ())
    return {
        "evaluation": evaluation,
        "findings": evaluation.findings[:TOP_FINDINGS],
        "criteria_names": {cid: c.name for cid, c in bank.criteria.items()},
        # What would lower the risk: the best items that lower a finding on their own.
        "plan_items": [item for item in plan.items if item.lowers][:TOP_PLAN_ITEMS],
        "assessment_id": assessment.id,
    }


def details_url(assessment: Assessment) -> str | None:
    """Where the questions that mirror a detail are changed: the details form, while it can be
    used (a draft)."""
    if assessment.status != "draft":
        return None
    return url_for("dashboard.details", assessment_id=assessment.id)


def render_section(
    assessment: Assessment,
    section_id: str,
    form: SectionForm | SectionDisplay,
    evaluation: Evaluation,
    *,
    status: int = 200,
    errors: Mapping[str, list[str]] | None = None,
    saved_some: bool = False,
    evidence: Sequence[Evidence] | None = None,
) -> tuple[str, int]:
    section = section_or_404(section_id)
    previous, following = neighbours(section_id)
    progress = next(p for p in evaluation.sections if p.id == section_id)
    if isinstance(form, SectionForm):
        form = form.display()
    body = render_template(
        "wizard/section.html",
        assessment=assessment,
        section=section,
        section_progress=progress,
        current=section_id,
        form=form,
        visible=frozenset(evaluation.visible),
        errors=errors or {},
        saved_some=saved_some,
        evidence=evidence_by_question(assessment, evidence),
        may_change_files=allowed(current_user(), Action.REMOVE_EVIDENCE, assessment),
        previous=previous,
        following=following,
        details_url=details_url(assessment),
        foreign=foreign_sources(get_bank(), evaluation.profiles),
        board_comments=[
            item
            for item in open_threads(assessment, assessment.answers or {})
            if item.section_id in ("", section_id)
        ],
        **risk_context(evaluation, assessment),
    )
    return body, status


@bp.get("/assessments/<int:assessment_id>/sections/<section_id>")
def section_page(assessment_id: int, section_id: str) -> Any:
    assessment, evidence = assessment_with_evidence_or_abort(assessment_id, Action.EDIT)
    section_or_404(section_id)
    from pia.store.assessments import current_answers

    answers = current_answers(get_bank(), assessment)
    form = section_forms().display(
        section_id, answers, assessment.notes or {}, assessment.lock_version
    )
    evaluation = evaluation_of(assessment)
    return render_section(assessment, section_id, form, evaluation, evidence=evidence)


def rejected_page(message: str) -> tuple[str, int]:
    return render_template("wizard/rejected.html", message=message), 400


def conflict_page(assessment: Assessment, section_id: str, result: SaveResult) -> tuple[str, int]:
    assert result.conflict is not None
    return (
        render_template(
            "wizard/conflict.html",
            assessment=assessment,
            section=section_or_404(section_id),
            conflict=result.conflict,
        ),
        409,
    )


def change_evidence(assessment: Assessment, user: User, change: str) -> tuple[str | None, str]:
    """A file's Remove or Replace button, after the answers were saved: (None, the file's
    question) when done (a flashed message says so), or (why not, "")."""
    from pia.web.wizard.evidence import remove_or_replace

    return remove_or_replace(assessment, user, change)


def upload_with_answers(
    assessment: Assessment, section_id: str, question_id: str | None
) -> str | None:
    """The Upload button's file, attached after the answers were saved: None when attached, or
    why not."""
    from pia.web.wizard.evidence import attach_file

    if question_id is None:
        return None
    questions = section_or_404(section_id).questions
    if question_id not in questions:
        return "The file was not attached: choose the question it supports, then press Upload."
    user = current_user()
    assert user is not None
    return attach_file(assessment, user, get_bank().questions[question_id])


def save_from_page(
    assessment_id: int,
    section_id: str,
    formdata: MultiDict[str, str],
    upload_for: str | None = None,
    evidence_change: str | None = None,
) -> Any:
    """Saves the section's answers; with `upload_for` (the Upload button), then attaches the
    request's file to that question, and with `evidence_change` (a file's Remove or Replace
    button), then removes or replaces that file: nothing typed before pressing them is lost."""
    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    section_or_404(section_id)
    user = current_user()
    assert user is not None
    try:
        result = save(assessment, user, section_id, formdata)
    except Rejected as rejected:
        return rejected_page(rejected.message)
    if evidence_change is not None:
        upload_problem, upload_for = change_evidence(assessment, user, evidence_change)
    else:
        upload_problem = upload_with_answers(assessment, section_id, upload_for)
    if upload_problem is not None:
        saved = "Your answers were saved, but the" if result.saved else "The"
        flash(upload_problem.replace("The", saved, 1), "error")
    if result.conflict is not None:
        return conflict_page(assessment, section_id, result)
    if result.errors or upload_problem is not None:
        return render_section(
            assessment,
            section_id,
            result.form,
            result.evaluation,
            status=400,
            errors=result.errors,
            saved_some=result.saved,
        )
    flash("Your answers were saved." if result.saved else "No changes to save.", "success")
    target = section_id
    if request.form.get(GO) == "next":
        _, following = neighbours(section_id)
        if following is not None:
            target = following.id
    url = url_for("wizard.section_page", assessment_id=assessment_id, section_id=target)
    if upload_for:
        url += f"#q-{upload_for}"
    return redirect(url, 303)


@bp.post("/assessments/<int:assessment_id>/sections/<section_id>")
def save_section(assessment_id: int, section_id: str) -> Any:
    formdata = MultiDict(request.form)
    upload_for = formdata.poplist(EVIDENCE_FOR)
    go = formdata.poplist(GO)
    changes = formdata.poplist(EVIDENCE_CHANGE)
    if changes:
        return save_from_page(assessment_id, section_id, formdata, evidence_change=changes[0])
    if UPLOAD in go:
        return save_from_page(
            assessment_id, section_id, formdata, upload_for[0] if upload_for else ""
        )
    return save_from_page(assessment_id, section_id, formdata)


@bp.post("/assessments/<int:assessment_id>/sections/<section_id>/resolve")
def resolve_conflict(assessment_id: int, section_id: str) -> Any:
    assessment_or_abort(assessment_id, Action.EDIT)
    section_or_404(section_id)
    try:
        formdata = resolution_formdata(request.form, section_forms().form_class(section_id))
    except Rejected as rejected:
        return rejected_page(rejected.message)
    return save_from_page(assessment_id, section_id, formdata)


def autosave_formdata() -> MultiDict[str, str]:
    """The form as the page script sends it (form-encoded), or the same names as a JSON object."""
    if not request.is_json:
        return MultiDict(request.form)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, "Send the section's fields as a JSON object of names to text or lists of text.")
    formdata: MultiDict[str, str] = MultiDict()
    for name, value in payload.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
            abort(400, f"The field {name!r} must be text or a list of text.")
        for item in values:
            formdata.add(str(name), str(item))
    return formdata


def autosave_payload(assessment: Assessment, section_id: str, result: SaveResult) -> dict[str, Any]:
    evaluation = result.evaluation
    questions = section_forms().form_class(section_id).questions
    progress = next(p for p in evaluation.sections if p.id == section_id)
    now = datetime.now(UTC)
    return {
        "saved": result.saved,
        "saved_at": now.isoformat(timespec="seconds"),
        "saved_at_text": when(now),
        "lock_version": result.lock_version,
        "base": result.form.base.data or "",
        "visible": [q.id for q in questions if evaluation.is_visible(q.id)],
        "errors": result.errors,
        "progress": {
            "overall": evaluation.progress.percent,
            "section": progress.percent,
            "answered": progress.answered,
            "visible": progress.visible,
        },
        "risk_panel": render_template(
            "wizard/_risk_panel.html", **risk_context(evaluation, assessment)
        ),
        "sections_nav": render_template(
            "wizard/_sections_nav.html",
            assessment=assessment,
            evaluation=evaluation,
            current=section_id,
        ),
    }


@bp.post("/assessments/<int:assessment_id>/sections/<section_id>/autosave")
def autosave(assessment_id: int, section_id: str) -> Response:
    assessment = assessment_or_abort(assessment_id, Action.EDIT)
    section_or_404(section_id)
    user = current_user()
    assert user is not None
    formdata = autosave_formdata()
    formdata.poplist(GO)
    formdata.poplist(EVIDENCE_FOR)
    formdata.poplist(EVIDENCE_CHANGE)
    try:
        result = save(assessment, user, section_id, formdata)
    except Rejected as rejected:
        response = jsonify(error="rejected", message=rejected.message)
        response.status_code = 400
        return response
    if result.conflict is not None:
        rows = result.conflict.rows
        others = " Your other changes were saved." if result.conflict.others_saved else ""
        response = jsonify(
            error="conflict",
            questions=[row.question.id for row in rows],
            message=(
                f"Someone else changed {len(rows)} of the questions you changed since you "
                f"opened this page, so those changes are not saved yet.{others} Review both "
                "versions to choose what to keep."
            ),
        )
        response.status_code = 409
        return response
    response = jsonify(autosave_payload(assessment, section_id, result))
    response.status_code = 400 if result.errors else 200
    return response
