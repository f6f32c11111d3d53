"""The review's POST actions: thin views over the store's verbs.

Each asks the policy first (404 / 403, or 409 naming the current status), reads its form with
WTForms, calls one verb, and redirects to the revision page. A refusal changes nothing: bad input
re-shows the page with the message (400), a form built from an earlier revision is refused (409),
a transition the status does not allow is a 409 page naming the status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from pia.store.errors import InvalidInput, NotFound, StaleForm, UploadRejected, WrongStatus
from pia.store.models import Assessment, Revision
from pia.store.policy import Action
from pia.web.review.forms import (
    CommentForm,
    ConditionMetForm,
    DecisionForm,
    RatingForm,
    ReplyForm,
    RequestChangesForm,
    TakeUpForm,
    VerifyConditionForm,
    first_error,
)
from pia.web.review.page import render_revision_page
from pia.web.review.views import bp
from pia.web.shared.access import abort_wrong_status, assessment_or_abort, current_user
from pia.web.shared.config import get_bank, max_upload_bytes
from pia.web.shared.db import get_session


def _latest(assessment: Assessment) -> Revision:
    from pia.store import get_revision

    revision = get_revision(get_session(), assessment, assessment.revision_count)
    if revision is None:
        abort(404)
    return revision


def _page(assessment: Assessment, anchor: str = "") -> Response:
    target = url_for(
        "review.revision", assessment_id=assessment.id, number=assessment.revision_count
    )
    return redirect(target + (f"#{anchor}" if anchor else ""), 303)


def _run(
    assessment: Assessment,
    action: str,
    verb: Callable[[], Any],
    success: str,
    anchor: str = "",
    forms: dict[str, Any] | None = None,
) -> Any:
    """Call the verb; turn the store's refusals into pages that say what happened."""
    session = get_session()
    try:
        verb()
    except InvalidInput as bad:
        session.expire_all()
        return render_revision_page(
            assessment,
            _latest(assessment),
            refusal=f"Nothing was saved: {bad}.",
            status=400,
            forms=forms,
            refused=bad,
        )
    except StaleForm as stale:
        session.expire_all()
        return render_revision_page(
            assessment, _latest(assessment), refusal=f"Nothing was saved: {stale}", status=409
        )
    except WrongStatus as refused:
        detail = str(refused)
        abort_wrong_status(action, refused.current_status, detail[:1].upper() + detail[1:])
    except NotFound as missing:
        abort(404, description=str(missing))
    flash(success, "success")
    return _page(assessment, anchor)


def _bad_form(assessment: Assessment, form: Any, forms: dict[str, Any] | None = None) -> Any:
    return render_revision_page(
        assessment,
        _latest(assessment),
        refusal=f"Nothing was saved. {first_error(form)}",
        status=400,
        forms=forms,
    )


def _user() -> Any:
    user = current_user()
    assert user is not None  # assessment_or_abort allowed the action
    return user


@bp.post("/assessments/<int:assessment_id>/review/take-up")
def take_up(assessment_id: int) -> Any:
    from pia.store import take_up as take_up_verb

    assessment = assessment_or_abort(assessment_id, Action.TAKE_UP)
    form = TakeUpForm(request.form)
    if not form.validate():
        return _bad_form(assessment, form)
    return _run(
        assessment,
        "take up",
        lambda: take_up_verb(get_session(), assessment, _user(), revision=form.revision.data),
        "You are now reviewing this revision.",
    )


@bp.post("/assessments/<int:assessment_id>/review/comments")
def comment(assessment_id: int) -> Any:
    from pia.store import add_comment

    assessment = assessment_or_abort(assessment_id, Action.COMMENT)
    form = CommentForm(request.form)
    if not form.validate():
        return _bad_form(assessment, form)
    return _run(
        assessment,
        "comment",
        lambda: add_comment(
            get_session(),
            assessment,
            _user(),
            revision=form.revision.data,
            kind=form.kind.data or "",
            target=form.target.data or "",
            body=form.body.data or "",
        ),
        "Comment added.",
        "comments",
    )


@bp.post("/assessments/<int:assessment_id>/review/comments/<int:comment_id>/replies")
def reply(assessment_id: int, comment_id: int) -> Any:
    from pia.store import reply as reply_verb

    assessment = assessment_or_abort(assessment_id, Action.REPLY)
    form = ReplyForm(request.form)
    return _run(
        assessment,
        "reply",
        lambda: reply_verb(get_session(), assessment, _user(), comment_id, body=form.body.data),
        "Reply added.",
        f"thread-{comment_id}",
    )


@bp.post("/assessments/<int:assessment_id>/review/comments/<int:comment_id>/resolve")
def resolve(assessment_id: int, comment_id: int) -> Any:
    from pia.store import resolve as resolve_verb

    assessment = assessment_or_abort(assessment_id, Action.RESOLVE)
    return _run(
        assessment,
        "resolve",
        lambda: resolve_verb(get_session(), assessment, _user(), comment_id),
        "Thread resolved.",
        f"thread-{comment_id}",
    )


@bp.post("/assessments/<int:assessment_id>/review/ratings")
def rate(assessment_id: int) -> Any:
    from pia.store import set_board_rating

    assessment = assessment_or_abort(assessment_id, Action.RATE)
    form = RatingForm(request.form)
    if not form.validate():
        return _bad_form(assessment, form)
    return _run(
        assessment,
        "rate",
        lambda: set_board_rating(
            get_session(),
            get_bank(),
            assessment,
            _user(),
            revision=form.revision.data,
            criterion_id=form.criterion.data or "",
            level=form.level.data or "",
            reason=form.reason.data or "",
        ),
        "The board's rating is recorded beside the engine's.",
        "criteria",
    )


@bp.post("/assessments/<int:assessment_id>/review/request-changes")
def request_changes(assessment_id: int) -> Any:
    from pia.store import request_changes as request_verb

    assessment = assessment_or_abort(assessment_id, Action.REQUEST_CHANGES)
    form = RequestChangesForm(request.form)
    if not form.validate():
        return _bad_form(assessment, form)
    return _run(
        assessment,
        "request changes",
        lambda: request_verb(
            get_session(),
            assessment,
            _user(),
            revision=form.revision.data,
            message=form.message.data or "",
        ),
        "Changes requested: the officer sees the open comments beside the questions.",
    )


@bp.post("/assessments/<int:assessment_id>/review/decision")
def decide(assessment_id: int) -> Any:
    from pia.store import ConditionInput, record_decision

    assessment = assessment_or_abort(assessment_id, Action.DECIDE)
    form = DecisionForm(request.form)
    forms = {"decide": form}
    if not form.validate():
        return _bad_form(assessment, form, forms)
    conditions = [
        ConditionInput(
            text=entry.text.data or "",
            owner=entry.owner.data or "",
            due_on=entry.due_on.data,
            finding_rule=entry.finding_rule.data or "",
            plan_item_id=entry.plan_item.data,
        )
        for entry in form.posted_conditions()
    ]
    return _run(
        assessment,
        "decide",
        lambda: record_decision(
            get_session(),
            assessment,
            _user(),
            revision=form.revision.data,
            outcome=form.outcome.data or "",
            rationale=form.rationale.data or "",
            meeting_on=form.meeting_on.data,
            votes_for=form.votes_for.data or 0,
            votes_against=form.votes_against.data or 0,
            votes_abstain=form.votes_abstain.data or 0,
            names_for=form.names_for.data or "",
            names_against=form.names_against.data or "",
            names_abstain=form.names_abstain.data or "",
            review_due_on=form.review_due_on.data,
            conditions=conditions,
        ),
        "The decision is recorded.",
        "decision",
        forms,
    )


@bp.post("/assessments/<int:assessment_id>/review/withdraw")
def withdraw(assessment_id: int) -> Any:
    from pia.store import withdraw as withdraw_verb

    assessment = assessment_or_abort(assessment_id, Action.WITHDRAW)
    return _run(
        assessment,
        "withdraw",
        lambda: withdraw_verb(get_session(), assessment, _user()),
        "Withdrawn from review. Change it and submit it again when it is ready.",
    )


@bp.post("/assessments/<int:assessment_id>/conditions/<int:condition_id>/met")
def condition_met(assessment_id: int, condition_id: int) -> Any:
    from pia.store import mark_condition_met

    assessment = assessment_or_abort(assessment_id, Action.MARK_CONDITION_MET)
    form = ConditionMetForm(request.form)
    upload = request.files.get("file")
    limit = max_upload_bytes()
    data = upload.stream.read(limit + 1) if upload is not None and upload.filename else b""
    try:
        return _run(
            assessment,
            "mark the condition met",
            lambda: mark_condition_met(
                get_session(),
                assessment,
                _user(),
                condition_id,
                note=form.note.data or "",
                filename=upload.filename if upload is not None else "",
                data=data,
                max_bytes=limit,
            ),
            "The condition is marked met; a reviewer will verify it.",
            f"condition-{condition_id}",
        )
    except UploadRejected as rejected:
        return render_revision_page(
            assessment,
            _latest(assessment),
            refusal=f"Nothing was saved: the file was refused ({rejected.reason}).",
            status=400,
        )


@bp.post("/assessments/<int:assessment_id>/conditions/<int:condition_id>/verify")
def verify_condition(assessment_id: int, condition_id: int) -> Any:
    from pia.store import verify_condition as verify_verb

    assessment = assessment_or_abort(assessment_id, Action.VERIFY_CONDITION)
    form = VerifyConditionForm(request.form)
    accept = form.verdict.data != "reopen"
    return _run(
        assessment,
        "verify the condition",
        lambda: verify_verb(
            get_session(), assessment, _user(), condition_id, accept=accept, note=form.note.data
        ),
        "Condition verified." if accept else "Condition sent back open.",
        f"condition-{condition_id}",
    )
