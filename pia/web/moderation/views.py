"""The agency officers' moderation queue for public comments: blueprint `moderation`.

- GET /assessments/<id>/public-comments: pending comments (approve, reject with a reason, mark as
  a duplicate), the moderated ones, and the responses; anyone who may view the assessment reads
  it, the forms show only to those the policy lets moderate and respond.
- POST .../public-comments/<comment_id>/approve | /reject | /duplicate
- POST .../public-comments/responses: a response to one or several approved comments.
- POST .../<comment_id>/reconsider and .../responses/<response_id>/correct: corrections.py.

A comment moderated by someone else meanwhile is a 409 saying what it is now, and so is a comment
a final report froze (pia.store.comment_freezing: moderating or answering it is refused, as
reconsidering and correcting are); bad input re-renders the page with the error beside the field
and the rest as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.exceptions import Conflict

from pia.store.comment_corrections import earlier_versions
from pia.store.comment_freezing import CommentsFrozen, latest_final_report
from pia.store.comment_moderation import (
    STATE_LABELS,
    AlreadyModerated,
    approve_public_comment,
    mark_duplicate_comment,
    moderation_queue,
    reject_public_comment,
    respond_to_public_comments,
)
from pia.store.errors import InvalidInput, NotFound, StoreError
from pia.store.models import Assessment, User
from pia.store.policy import Action, allowed
from pia.web.moderation.forms import (
    CorrectResponseForm,
    DuplicateForm,
    ModerateForm,
    ReconsiderForm,
    RejectForm,
    ResponseForm,
    as_sentence,
)
from pia.web.shared.access import assessment_or_abort, current_user
from pia.web.shared.db import get_session

bp = Blueprint("moderation", __name__, template_folder="templates")


def queue_page(
    assessment: Assessment,
    *,
    reject_form: RejectForm | None = None,
    duplicate_form: DuplicateForm | None = None,
    response_form: ResponseForm | None = None,
    reconsider_form: ReconsiderForm | None = None,
    correct_form: CorrectResponseForm | None = None,
    failed_comment: int | None = None,
    failed_response: int | None = None,
    status: int = 200,
) -> tuple[str, int]:
    session = get_session()
    queue = moderation_queue(session, assessment)
    final_report = latest_final_report(session, assessment.id)

    def frozen(publication_id: int) -> bool:
        """Whether the final report froze what was said on this publication."""
        return final_report is not None and publication_id < final_report.id

    answerable = [c for c in queue.unanswered if not frozen(c.publication_id)]
    response_form = response_form or ResponseForm(formdata=None)
    response_form.comment_ids.choices = [(c.id, f"#{c.id}") for c in answerable]
    user = current_user()
    page = render_template(
        "moderation/queue.html",
        assessment=assessment,
        queue=queue,
        labels=STATE_LABELS,
        may_moderate=allowed(user, Action.MODERATE_PUBLIC_COMMENTS, assessment),
        may_respond=allowed(user, Action.RESPOND_TO_PUBLIC_COMMENTS, assessment),
        approve_form=ModerateForm(formdata=None),
        reject_form=reject_form or RejectForm(formdata=None),
        duplicate_form=duplicate_form or DuplicateForm(formdata=None),
        response_form=response_form,
        reconsider_form=reconsider_form or ReconsiderForm(formdata=None),
        correct_form=correct_form or CorrectResponseForm(formdata=None),
        failed_comment=failed_comment,
        failed_response=failed_response,
        earlier_versions=earlier_versions(session, assessment.id),
        final_report=final_report,
        frozen=frozen,
        answerable=answerable,
    )
    return page, status


def _back(assessment_id: int, anchor: str = "pending") -> Any:
    url = url_for("moderation.queue", assessment_id=assessment_id)
    return redirect(f"{url}#{anchor}", 303)


FROZEN_TITLE = "The final report holds these comments"


def conflict(error: StoreError, title: str) -> Conflict:
    """A 409 page titled `title` that says what the store refused and why."""
    found = Conflict(description=as_sentence(str(error)))
    found.title = title  # type: ignore[attr-defined]
    return found


@bp.get("/assessments/<int:assessment_id>/public-comments")
def queue(assessment_id: int) -> Any:
    return queue_page(assessment_or_abort(assessment_id, Action.VIEW))


def _moderation_step(
    assessment_id: int,
    comment_id: int,
    form: FlaskForm,
    field: str,
    act: Callable[[Session, Assessment, User], object],
    done: str,
) -> Any:
    """One moderation POST: the form checked, the store's verb run, the queue shown again with the
    error beside `field` (400), a 409 when someone moderated the comment first, or back to the
    queue with `done` said."""
    assessment = assessment_or_abort(assessment_id, Action.MODERATE_PUBLIC_COMMENTS)
    forms = {"reason": "reject_form", "duplicate_of": "duplicate_form"}

    def again() -> tuple[str, int]:
        extra = {forms[field]: form} if field in forms else {}
        return queue_page(assessment, failed_comment=comment_id, status=400, **extra)

    if not form.validate_on_submit():
        if not field:
            abort(400, "The form expired; reload the page and try again.")
        return again()
    user = current_user()
    assert user is not None
    try:
        act(get_session(), assessment, user)
    except NotFound:
        abort(404)
    except AlreadyModerated as error:
        raise conflict(error, "Someone moderated this comment first") from None
    except CommentsFrozen as frozen:
        raise conflict(frozen, FROZEN_TITLE) from None
    except InvalidInput as refused:
        getattr(form, field).errors = [as_sentence(str(refused))]
        return again()
    flash(done, "success")
    return _back(assessment_id)


@bp.post("/assessments/<int:assessment_id>/public-comments/<int:comment_id>/approve")
def approve(assessment_id: int, comment_id: int) -> Any:
    return _moderation_step(
        assessment_id,
        comment_id,
        ModerateForm(),
        "",
        lambda session, assessment, user: approve_public_comment(
            session, assessment, user, comment_id
        ),
        f"Comment #{comment_id} approved: it now appears on the public page.",
    )


@bp.post("/assessments/<int:assessment_id>/public-comments/<int:comment_id>/reject")
def reject(assessment_id: int, comment_id: int) -> Any:
    form = RejectForm()
    return _moderation_step(
        assessment_id,
        comment_id,
        form,
        "reason",
        lambda session, assessment, user: reject_public_comment(
            session, assessment, user, comment_id, form.reason.data or ""
        ),
        f"Comment #{comment_id} rejected.",
    )


@bp.post("/assessments/<int:assessment_id>/public-comments/<int:comment_id>/duplicate")
def duplicate(assessment_id: int, comment_id: int) -> Any:
    form = DuplicateForm()
    return _moderation_step(
        assessment_id,
        comment_id,
        form,
        "duplicate_of",
        lambda session, assessment, user: mark_duplicate_comment(
            session, assessment, user, comment_id, form.duplicate_of.data
        ),
        f"Comment #{comment_id} marked as a duplicate of #{form.duplicate_of.data}.",
    )


@bp.post("/assessments/<int:assessment_id>/public-comments/responses")
def respond(assessment_id: int) -> Any:
    assessment = assessment_or_abort(assessment_id, Action.RESPOND_TO_PUBLIC_COMMENTS)
    queue = moderation_queue(get_session(), assessment)
    form = ResponseForm()
    # Any comment of the assessment may be named: the store says why one cannot be answered.
    form.comment_ids.choices = [(c.id, f"#{c.id}") for c in (*queue.pending, *queue.moderated)]
    if not form.validate_on_submit():
        return queue_page(assessment, response_form=form, status=400)
    user = current_user()
    assert user is not None
    try:
        respond_to_public_comments(
            get_session(),
            assessment,
            user,
            comment_ids=form.comment_ids.data or [],
            theme=form.theme.data or "",
            body=form.body.data or "",
        )
    except CommentsFrozen as frozen:
        raise conflict(frozen, FROZEN_TITLE) from None
    except InvalidInput as refused:
        field = {"comments": form.comment_ids}.get(refused.field) or getattr(
            form, refused.field, form.body
        )
        field.errors = [*field.errors, as_sentence(str(refused))]
        return queue_page(assessment, response_form=form, status=400)
    count = len(form.comment_ids.data or [])
    flash(f"Response published for {count} comment{'s' if count != 1 else ''}.", "success")
    return _back(assessment_id, "responses")
