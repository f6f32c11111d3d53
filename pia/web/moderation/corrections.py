"""Undoing a moderation and correcting a response, on the `moderation` blueprint.

- POST /assessments/<id>/public-comments/<comment_id>/reconsider (reason, earlier_state): the
  comment goes back to the queue, awaiting moderation (MODERATE_PUBLIC_COMMENTS).
- POST /assessments/<id>/public-comments/responses/<response_id>/correct (theme, body): the
  response's text is replaced, the earlier one kept (RESPOND_TO_PUBLIC_COMMENTS).

Bad input re-renders the queue (400) with the error beside the field and the text as typed; a
final report that froze the comments, or a decision changed by someone else meanwhile, is a 409
saying so; another agency's comment or response is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash

from pia.store.comment_corrections import (
    NothingToReconsider,
    correct_comment_response,
    reconsider_public_comment,
)
from pia.store.comment_freezing import CommentsFrozen
from pia.store.errors import InvalidInput, NotFound
from pia.store.policy import Action
from pia.web.moderation.forms import CorrectResponseForm, ReconsiderForm, as_sentence
from pia.web.moderation.views import FROZEN_TITLE, _back, bp, conflict, queue_page
from pia.web.shared.access import assessment_or_abort, current_user
from pia.web.shared.db import get_session


@bp.post("/assessments/<int:assessment_id>/public-comments/<int:comment_id>/reconsider")
def reconsider(assessment_id: int, comment_id: int) -> Any:
    assessment = assessment_or_abort(assessment_id, Action.MODERATE_PUBLIC_COMMENTS)
    form = ReconsiderForm()

    def again() -> tuple[str, int]:
        return queue_page(assessment, reconsider_form=form, failed_comment=comment_id, status=400)

    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, "The form expired; reload the page and try again.")
        return again()
    user = current_user()
    assert user is not None
    try:
        reconsider_public_comment(
            get_session(),
            assessment,
            user,
            comment_id,
            form.reason.data or "",
            expected_state=form.earlier_state.data or "",
        )
    except NotFound:
        abort(404)
    except CommentsFrozen as frozen:
        raise conflict(frozen, FROZEN_TITLE) from None
    except NothingToReconsider as changed:
        raise conflict(changed, "This comment's moderation changed") from None
    except InvalidInput as refused:
        form.reason.errors = [as_sentence(str(refused))]
        return again()
    flash(
        f"Comment #{comment_id} is back awaiting moderation: approve, reject or mark it again.",
        "success",
    )
    return _back(assessment_id, f"comment-{comment_id}")


@bp.post("/assessments/<int:assessment_id>/public-comments/responses/<int:response_id>/correct")
def correct_response(assessment_id: int, response_id: int) -> Any:
    assessment = assessment_or_abort(assessment_id, Action.RESPOND_TO_PUBLIC_COMMENTS)
    form = CorrectResponseForm()

    def again() -> tuple[str, int]:
        return queue_page(assessment, correct_form=form, failed_response=response_id, status=400)

    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, "The form expired; reload the page and try again.")
        return again()
    user = current_user()
    assert user is not None
    try:
        correct_comment_response(
            get_session(),
            assessment,
            user,
            response_id,
            body=form.body.data or "",
            theme=form.theme.data or "",
        )
    except NotFound:
        abort(404)
    except CommentsFrozen as frozen:
        raise conflict(frozen, FROZEN_TITLE) from None
    except InvalidInput as refused:
        field = form.theme if refused.field == "theme" else form.body
        field.errors = [*field.errors, as_sentence(str(refused))]
        return again()
    flash(
        "Response corrected: the public page shows the new text and says it was corrected.",
        "success",
    )
    return _back(assessment_id, f"response-{response_id}")
