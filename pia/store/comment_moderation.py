"""The agency's side of public comments: the moderation queue and the agency's responses.

Every comment arrives pending. An officer of the agency approves it (it then appears publicly),
rejects it with a reason, or marks it as a duplicate of another comment on the same assessment.
Each change is a conditional UPDATE (`... WHERE state = 'pending'`), so two officers acting at
once cannot both moderate the same comment: the second is told it was moderated already.

Responses answer one approved comment, or several under a theme. A comment has at most one
response; attaching is again a conditional UPDATE (`... WHERE response_id IS NULL`).

Every duplicate points at an original: a comment approved or pending. When a comment stops being
one (rejected, marked a duplicate itself, or reconsidered: pia.store.comment_corrections), its
duplicates go back to the queue with it, each with an audit event, to be moderated again.

Once a final report froze what was said on a publication (pia.store.comment_freezing), its
comments are no longer moderated or answered: CommentsFrozen, and nothing changes. Each verb
locks the assessment, so it cannot interleave with publishing the final report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pia.report.text import clean_text, one_line
from pia.store import audit
from pia.store.comment_freezing import latest_final_report, refuse_if_frozen
from pia.store.errors import InvalidInput, NotFound, StoreError
from pia.store.lifecycle import lock_assessment
from pia.store.models import Assessment, User, utcnow
from pia.store.policy import Action, require
from pia.store.public_models import (
    COMMENT_APPROVED,
    COMMENT_DUPLICATE,
    COMMENT_PENDING,
    COMMENT_REJECTED,
    CommentResponse,
    PublicComment,
)
from pia.store.transaction import committing

REASON_MAX_CHARS = 1000
THEME_MAX_CHARS = 200
RESPONSE_MAX_CHARS = 10000

PUBLIC_COMMENT_APPROVED = "public_comment.approved"
PUBLIC_COMMENT_REJECTED = "public_comment.rejected"
PUBLIC_COMMENT_DUPLICATE = "public_comment.marked_duplicate"
PUBLIC_COMMENT_RESPONDED = "public_comment.responded"
PUBLIC_COMMENT_DUPLICATE_RETURNED = "public_comment.duplicate_returned"

STATE_LABELS = {
    COMMENT_PENDING: "Awaiting moderation",
    COMMENT_APPROVED: "Approved",
    COMMENT_REJECTED: "Rejected",
    COMMENT_DUPLICATE: "Duplicate",
}


class AlreadyModerated(StoreError):
    """The comment is no longer pending (someone moderated it first): nothing changed."""

    def __init__(self, state: str) -> None:
        label = STATE_LABELS.get(state, state).lower()
        super().__init__(f"this comment was moderated already (it is {label}); nothing changed")
        self.state = state


@dataclass(frozen=True)
class ModerationQueue:
    """An assessment's public comments for its officers, each list oldest first."""

    pending: tuple[PublicComment, ...]
    moderated: tuple[PublicComment, ...]
    responses: tuple[CommentResponse, ...]

    @property
    def unanswered(self) -> tuple[PublicComment, ...]:
        """Approved comments the agency has not answered yet."""
        return tuple(
            c for c in self.moderated if c.state == COMMENT_APPROVED and c.response_id is None
        )

    def answered_by(self, response: CommentResponse) -> tuple[PublicComment, ...]:
        return tuple(c for c in self.moderated if c.response_id == response.id)


def moderation_queue(session: Session, assessment: Assessment) -> ModerationQueue:
    comments = tuple(
        session.scalars(
            select(PublicComment)
            .where(PublicComment.assessment_id == assessment.id)
            .order_by(PublicComment.received_at, PublicComment.id)
        )
    )
    return ModerationQueue(
        pending=tuple(c for c in comments if c.state == COMMENT_PENDING),
        moderated=tuple(c for c in comments if c.state != COMMENT_PENDING),
        responses=tuple(responses_for(session, assessment.id)),
    )


def responses_for(session: Session, assessment_id: int) -> list[CommentResponse]:
    query = (
        select(CommentResponse)
        .where(CommentResponse.assessment_id == assessment_id)
        .order_by(CommentResponse.written_at, CommentResponse.id)
    )
    return list(session.scalars(query))


def comment_of(session: Session, assessment: Assessment, comment_id: int) -> PublicComment:
    comment = session.get(PublicComment, comment_id)
    if comment is None or comment.assessment_id != assessment.id:
        raise NotFound("that comment is not one of this assessment's")
    return comment


def _moderate(
    session: Session,
    assessment: Assessment,
    actor: User,
    comment_id: int,
    *,
    state: str,
    event: str,
    reason: str = "",
    duplicate_of_id: int | None = None,
) -> PublicComment:
    comment = comment_of(session, assessment, comment_id)
    with committing(session):
        assessment = lock_assessment(session, assessment)
        refuse_if_frozen(session, assessment.id, comment.publication_id)
        if duplicate_of_id is not None:
            # Read under the lock: the original cannot be rejected or reconsidered meanwhile.
            _check_original(session, assessment, comment.id, duplicate_of_id)
        changed = session.execute(
            update(PublicComment)
            .where(PublicComment.id == comment.id, PublicComment.state == COMMENT_PENDING)
            .values(
                state=state,
                moderation_reason=reason,
                duplicate_of_id=duplicate_of_id,
                moderated_by_id=actor.id,
                moderated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            session.rollback()
            session.refresh(comment)
            raise AlreadyModerated(comment.state)
        detail: dict[str, object] = {"comment": comment.id}
        if duplicate_of_id is not None:
            detail["duplicate_of"] = duplicate_of_id
        if state in (COMMENT_REJECTED, COMMENT_DUPLICATE):
            returned = return_duplicates(session, assessment, actor, comment.id, state)
            if returned:
                detail["duplicates_returned"] = returned
        audit.add_event(session, event, actor=actor, assessment=assessment, detail=detail)
    session.refresh(comment)
    return comment


def return_duplicates(
    session: Session, assessment: Assessment, actor: User, original_id: int, original_state: str
) -> list[int]:
    """Send the duplicates of comment `original_id`, which is no longer an original (it became
    `original_state`), back to the queue, each with an audit event; return their ids. Those a
    final report froze stay as the report recorded them. The caller holds the assessment's lock
    and commits."""
    final = latest_final_report(session, assessment.id)
    duplicates = session.execute(
        select(PublicComment.id, PublicComment.publication_id, PublicComment.moderated_at)
        .where(
            PublicComment.assessment_id == assessment.id,
            PublicComment.duplicate_of_id == original_id,
            PublicComment.state == COMMENT_DUPLICATE,
        )
        .order_by(PublicComment.id)
    ).all()
    returned = []
    for duplicate_id, publication_id, moderated_at in duplicates:
        if final is not None and publication_id < final.id:
            continue
        session.execute(
            update(PublicComment)
            .where(PublicComment.id == duplicate_id)
            .values(
                state=COMMENT_PENDING,
                moderation_reason="",
                duplicate_of_id=None,
                moderated_by_id=None,
                moderated_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        audit.add_event(
            session,
            PUBLIC_COMMENT_DUPLICATE_RETURNED,
            actor=actor,
            assessment=assessment,
            detail={
                "comment": duplicate_id,
                "duplicate_of": original_id,
                "original_state": original_state,
                "earlier_moderated_at": moderated_at.isoformat() if moderated_at else None,
            },
        )
        returned.append(duplicate_id)
    return returned


def approve_public_comment(
    session: Session, assessment: Assessment, actor: User, comment_id: int
) -> PublicComment:
    """Approves a pending comment: it appears on the public pages."""
    require(actor, Action.MODERATE_PUBLIC_COMMENTS, assessment)
    return _moderate(
        session,
        assessment,
        actor,
        comment_id,
        state=COMMENT_APPROVED,
        event=PUBLIC_COMMENT_APPROVED,
    )


def reject_public_comment(
    session: Session, assessment: Assessment, actor: User, comment_id: int, reason: str
) -> PublicComment:
    """Rejects a pending comment with the reason (required; kept for the record)."""
    require(actor, Action.MODERATE_PUBLIC_COMMENTS, assessment)
    reason = clean_text(reason).strip()
    if not reason:
        raise InvalidInput("give the reason for rejecting the comment", field="reason")
    if len(reason) > REASON_MAX_CHARS:
        raise InvalidInput(f"a reason can be at most {REASON_MAX_CHARS} characters", field="reason")
    return _moderate(
        session,
        assessment,
        actor,
        comment_id,
        state=COMMENT_REJECTED,
        event=PUBLIC_COMMENT_REJECTED,
        reason=reason,
    )


def mark_duplicate_comment(
    session: Session, assessment: Assessment, actor: User, comment_id: int, original_id: int
) -> PublicComment:
    """Marks a pending comment as a duplicate of another comment on the same assessment (one not
    itself a duplicate, so chains always end at an original)."""
    require(actor, Action.MODERATE_PUBLIC_COMMENTS, assessment)
    return _moderate(
        session,
        assessment,
        actor,
        comment_id,
        state=COMMENT_DUPLICATE,
        event=PUBLIC_COMMENT_DUPLICATE,
        reason=f"duplicate of comment #{original_id}",
        duplicate_of_id=original_id,
    )


def _check_original(
    session: Session, assessment: Assessment, comment_id: int, original_id: int
) -> None:
    in_range = isinstance(original_id, int) and 0 < original_id < 2**31
    original = session.get(PublicComment, original_id) if in_range else None
    if original is None or original.assessment_id != assessment.id:
        raise InvalidInput("choose a comment on this assessment", field="duplicate_of")
    if original.id == comment_id:
        raise InvalidInput("a comment cannot duplicate itself", field="duplicate_of")
    session.refresh(original)
    if original.state in (COMMENT_DUPLICATE, COMMENT_REJECTED):
        raise InvalidInput(
            f"comment #{original.id} is {STATE_LABELS[original.state].lower()}: choose the "
            "comment it repeats",
            field="duplicate_of",
        )


def respond_to_public_comments(
    session: Session,
    assessment: Assessment,
    actor: User,
    *,
    comment_ids: Sequence[int],
    body: str,
    theme: str = "",
) -> CommentResponse:
    """The agency's response to one approved comment, or to several grouped under `theme`
    (required when there are several). Each comment takes one response; InvalidInput (field:
    comments, theme or body) when the choice or the text does not fit, and nothing is stored."""
    require(actor, Action.RESPOND_TO_PUBLIC_COMMENTS, assessment)
    ids = sorted(set(comment_ids))
    theme = one_line(theme)
    text = clean_text(body).strip()
    if not ids:
        raise InvalidInput("choose the comment or comments this responds to", field="comments")
    if len(ids) > 1 and not theme:
        raise InvalidInput("name the theme that groups these comments", field="theme")
    if len(theme) > THEME_MAX_CHARS:
        raise InvalidInput(f"a theme can be at most {THEME_MAX_CHARS} characters", field="theme")
    if not text:
        raise InvalidInput("write the response", field="body")
    if len(text) > RESPONSE_MAX_CHARS:
        raise InvalidInput(
            f"a response can be at most {RESPONSE_MAX_CHARS:,} characters", field="body"
        )
    with committing(session):
        assessment = lock_assessment(session, assessment)
        chosen = list(
            session.scalars(
                select(PublicComment)
                .where(PublicComment.id.in_(ids), PublicComment.assessment_id == assessment.id)
                .execution_options(populate_existing=True)
            )
        )
        if len(chosen) != len(ids) or any(c.state != COMMENT_APPROVED for c in chosen):
            raise InvalidInput(
                "responses answer approved comments of this assessment", field="comments"
            )
        publications = {c.publication_id for c in chosen}
        if len(publications) != 1:
            raise InvalidInput("group comments made on the same publication", field="comments")
        refuse_if_frozen(session, assessment.id, chosen[0].publication_id)
        response = CommentResponse(
            assessment_id=assessment.id,
            publication_id=publications.pop(),
            theme=theme,
            body=text,
            written_by_id=actor.id,
            written_at=utcnow(),
        )
        session.add(response)
        session.flush()
        attached = session.execute(
            update(PublicComment)
            .where(
                PublicComment.id.in_(ids),
                PublicComment.response_id.is_(None),
                PublicComment.state == COMMENT_APPROVED,
            )
            .values(response_id=response.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if attached != len(ids):
            session.rollback()
            raise InvalidInput(
                "one of these comments has been answered already; nothing was stored",
                field="comments",
            )
        audit.add_event(
            session,
            PUBLIC_COMMENT_RESPONDED,
            actor=actor,
            assessment=assessment,
            detail={"response": response.id, "comments": ids, "theme": bool(theme)},
        )
    for comment in chosen:
        session.refresh(comment)
    return response


def comment_counts(session: Session, assessment_id: int) -> dict[str, int]:
    """How many of the assessment's comments are in each state (every state named, 0 if none)."""
    rows = session.execute(
        select(PublicComment.state, func.count())
        .where(PublicComment.assessment_id == assessment_id)
        .group_by(PublicComment.state)
    )
    counts = dict.fromkeys(STATE_LABELS, 0)
    counts.update({state: number for state, number in rows})
    return counts
