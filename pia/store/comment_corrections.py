"""Undoing the agency's side of public comments: reconsidering a moderated comment, and
correcting a response.

- Reconsidering sends an approved, rejected or duplicate comment back to the queue, awaiting
  moderation, with the moderator's reason. Back to pending rather than straight to the other
  decision: a comment has three possible decisions, not two, and the ordinary verbs then record
  the new one with their own checks (a rejection's reason, a duplicate's original). The audit
  event names the earlier decision, its reason and the original of a duplicate (the comment's own
  fields are cleared). An approved comment keeps its link to the agency's response, so approving
  it again shows the response again. The comment's duplicates go back to the queue with it
  (pia.store.comment_moderation.return_duplicates): their original may yet be rejected.
- Correcting a response replaces its text (and theme) and keeps each earlier text as a
  CommentResponseVersion; the public thread says it was corrected and when.

Both are refused (CommentsFrozen) once a final report published after the comment's publication
froze the approved comments and responses into its public data: the published record cannot
change under it (pia.store.comment_freezing; moderation and responses stop then too). The end
of the comment period alone does not stop them: the record is put right until the final report
is published. Each is
one transaction that locks the assessment, so it cannot interleave with publishing the final
report.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pia.report.text import clean_text, one_line
from pia.store import audit
from pia.store.comment_freezing import refuse_if_frozen
from pia.store.comment_moderation import (
    REASON_MAX_CHARS,
    RESPONSE_MAX_CHARS,
    STATE_LABELS,
    THEME_MAX_CHARS,
    comment_of,
    return_duplicates,
)
from pia.store.errors import InvalidInput, NotFound, StoreError
from pia.store.lifecycle import lock_assessment
from pia.store.models import Assessment, User, utcnow
from pia.store.policy import Action, require
from pia.store.public_models import (
    COMMENT_PENDING,
    CommentResponse,
    CommentResponseVersion,
    PublicComment,
)
from pia.store.transaction import committing

PUBLIC_COMMENT_RECONSIDERED = "public_comment.reconsidered"
PUBLIC_COMMENT_RESPONSE_CORRECTED = "public_comment.response_corrected"
CORRECTION_EVENTS = (PUBLIC_COMMENT_RECONSIDERED, PUBLIC_COMMENT_RESPONSE_CORRECTED)


class NothingToReconsider(StoreError):
    """The comment awaits moderation (now, or since someone else reconsidered it)."""

    def __init__(self, comment_id: int, state: str) -> None:
        label = STATE_LABELS.get(state, state).lower()
        super().__init__(
            f"comment #{comment_id} is {label}, not the decision this page showed: "
            "nothing changed; reload the page"
            if state != COMMENT_PENDING
            else f"comment #{comment_id} is awaiting moderation: there is no decision to "
            "reconsider; nothing changed"
        )
        self.state = state


def _checked_reason(reason: str) -> str:
    text = clean_text(reason).strip()
    if not text:
        raise InvalidInput("give the reason for reconsidering the decision", field="reason")
    if len(text) > REASON_MAX_CHARS:
        raise InvalidInput(f"a reason can be at most {REASON_MAX_CHARS} characters", field="reason")
    return text


def reconsider_public_comment(
    session: Session,
    assessment: Assessment,
    actor: User,
    comment_id: int,
    reason: str,
    *,
    expected_state: str = "",
) -> PublicComment:
    """Sends a moderated comment back to the queue, awaiting moderation, saying why (required).
    `expected_state` is the decision the moderator saw: if it changed meanwhile, nothing does."""
    require(actor, Action.MODERATE_PUBLIC_COMMENTS, assessment)
    why = _checked_reason(reason)
    with committing(session):
        assessment = lock_assessment(session, assessment)
        comment = comment_of(session, assessment, comment_id)
        session.refresh(comment)
        refuse_if_frozen(session, assessment.id, comment.publication_id)
        earlier = comment.state
        if earlier == COMMENT_PENDING or (expected_state and expected_state != earlier):
            raise NothingToReconsider(comment.id, earlier)
        detail: dict[str, object] = {
            "comment": comment.id,
            "earlier_state": earlier,
            "earlier_reason": comment.moderation_reason,
            "earlier_moderated_at": comment.moderated_at.isoformat()
            if comment.moderated_at
            else None,
            "reason": why,
        }
        if comment.duplicate_of_id is not None:
            detail["duplicate_of"] = comment.duplicate_of_id
        session.execute(
            update(PublicComment)
            .where(PublicComment.id == comment.id)
            .values(
                state=COMMENT_PENDING,
                moderation_reason="",
                duplicate_of_id=None,
                moderated_by_id=None,
                moderated_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        # An original back in the queue may yet be rejected: its duplicates go back with it.
        returned = return_duplicates(session, assessment, actor, comment.id, COMMENT_PENDING)
        if returned:
            detail["duplicates_returned"] = returned
        audit.add_event(
            session, PUBLIC_COMMENT_RECONSIDERED, actor=actor, assessment=assessment, detail=detail
        )
    session.refresh(comment)
    return comment


def response_of(session: Session, assessment: Assessment, response_id: int) -> CommentResponse:
    response = session.get(CommentResponse, response_id)
    if response is None or response.assessment_id != assessment.id:
        raise NotFound("that response is not one of this assessment's")
    return response


def answered_count(session: Session, response: CommentResponse) -> int:
    query = select(func.count()).where(PublicComment.response_id == response.id)
    return session.scalar(query) or 0


def correct_comment_response(
    session: Session,
    assessment: Assessment,
    actor: User,
    response_id: int,
    *,
    body: str,
    theme: str,
) -> CommentResponse:
    """Replaces a response's text and theme, keeping the text it replaces as a numbered version;
    InvalidInput (field: body or theme) when the text does not fit or nothing changed."""
    require(actor, Action.RESPOND_TO_PUBLIC_COMMENTS, assessment)
    text = clean_text(body).strip()
    theme = one_line(theme)
    if not text:
        raise InvalidInput("write the corrected response", field="body")
    if len(text) > RESPONSE_MAX_CHARS:
        raise InvalidInput(
            f"a response can be at most {RESPONSE_MAX_CHARS:,} characters", field="body"
        )
    if len(theme) > THEME_MAX_CHARS:
        raise InvalidInput(f"a theme can be at most {THEME_MAX_CHARS} characters", field="theme")
    with committing(session):
        assessment = lock_assessment(session, assessment)
        response = response_of(session, assessment, response_id)
        session.refresh(response)
        refuse_if_frozen(session, assessment.id, response.publication_id)
        if not theme and answered_count(session, response) > 1:
            raise InvalidInput("name the theme that groups these comments", field="theme")
        if (text, theme) == (response.body, response.theme):
            raise InvalidInput(
                "the correction is the same as the published response: change the text",
                field="body",
            )
        earlier = session.scalar(
            select(func.count()).where(CommentResponseVersion.response_id == response.id)
        )
        number = (earlier or 0) + 1
        now = utcnow()
        session.add(
            CommentResponseVersion(
                response_id=response.id,
                number=number,
                theme=response.theme,
                body=response.body,
                written_by_id=response.corrected_by_id or response.written_by_id,
                written_at=response.corrected_at or response.written_at,
                superseded_by_id=actor.id,
                superseded_at=now,
            )
        )
        earlier_body, earlier_theme = response.body, response.theme
        response.body, response.theme = text, theme
        response.corrected_at, response.corrected_by_id = now, actor.id
        audit.add_event(
            session,
            PUBLIC_COMMENT_RESPONSE_CORRECTED,
            actor=actor,
            assessment=assessment,
            # The texts are in the versions table; their hashes here tie each one to the chained
            # audit trail, so an earlier text cannot be altered unnoticed.
            detail={
                "response": response.id,
                "version": number + 1,
                "sha256": text_sha256(text, theme),
                "earlier_version": number,
                "earlier_sha256": text_sha256(earlier_body, earlier_theme),
            },
        )
    session.refresh(response)
    return response


def text_sha256(body: str, theme: str) -> str:
    """The SHA-256 of a response's theme and text (as the audit trail records each version)."""
    return hashlib.sha256(f"{theme}\0{body}".encode()).hexdigest()


def earlier_versions(
    session: Session, assessment_id: int
) -> dict[int, list[CommentResponseVersion]]:
    """Response id -> its earlier texts, oldest first, for every response of the assessment (one
    query)."""
    query = (
        select(CommentResponseVersion)
        .join(CommentResponse, CommentResponse.id == CommentResponseVersion.response_id)
        .where(CommentResponse.assessment_id == assessment_id)
        .order_by(CommentResponseVersion.response_id, CommentResponseVersion.number)
    )
    versions: dict[int, list[CommentResponseVersion]] = {}
    for version in session.scalars(query):
        versions.setdefault(version.response_id, []).append(version)
    return versions
