"""Comment threads on a revision: on the whole assessment, on a question's answer, or on a
finding. A reviewer opens a thread, the officer (or a reviewer) replies, a reviewer resolves it.

A thread is written against the revision under review and stays open across later revisions
until it is resolved; pages show whether the answer it is about has changed since.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.errors import InvalidInput, NotFound, WrongStatus
from pia.store.lifecycle import check_revision, lock_assessment
from pia.store.models import REVIEWER, Assessment, Revision, User, utcnow
from pia.store.notifications import NotificationKind, enqueue_notification
from pia.store.policy import Action, require
from pia.store.review_checks import text
from pia.store.review_models import COMMENT_TARGETS, ON_ASSESSMENT, ON_FINDING, ON_QUESTION, Comment
from pia.store.transaction import committing


def latest_revision(session: Session, assessment: Assessment) -> Revision:
    query = select(Revision).where(
        Revision.assessment_id == assessment.id, Revision.number == assessment.revision_count
    )
    revision = session.scalars(query).first()
    if revision is None:
        raise NotFound("this assessment has no submitted revision")
    return revision


def findings_of(revision: Revision) -> dict[str, str]:
    """Rule id -> finding title, as the revision's stored evaluation has them."""
    return {
        str(item.get("rule")): str(item.get("title", ""))
        for item in (revision.evaluation or {}).get("findings", ())
    }


def _check_target(revision: Revision, kind: str, target: str) -> str:
    if kind not in COMMENT_TARGETS:
        raise InvalidInput("a comment is on the assessment, a question or a finding", field="kind")
    if kind == ON_ASSESSMENT:
        return ""
    target = str(target or "").strip()
    if kind == ON_QUESTION:
        if target not in set((revision.evaluation or {}).get("visible", ())):
            raise InvalidInput(
                f"revision {revision.number} does not show a question {target[:100]!r}: "
                "comment on a question the revision shows",
                field="target",
            )
        return target
    if kind == ON_FINDING and target not in findings_of(revision):
        raise InvalidInput(
            f"revision {revision.number} has no finding {target[:100]!r}", field="target"
        )
    return target


def add_thread(
    session: Session,
    assessment: Assessment,
    actor: User,
    revision: int,
    kind: str,
    target: str,
    body: str,
) -> Comment:
    """Open a thread inside the caller's unit of work (input already checked)."""
    comment = Comment(
        assessment_id=assessment.id,
        revision_number=revision,
        target_kind=kind,
        target_id=target,
        body=body,
        author_id=actor.id,
        created_at=utcnow(),
    )
    session.add(comment)
    session.flush()
    audit.add_event(
        session,
        audit.COMMENT_ADDED,
        actor=actor,
        assessment=assessment,
        detail={"comment": comment.id, "revision": revision, "on": kind, "target": target},
    )
    return comment


def add_comment(
    session: Session,
    assessment: Assessment,
    actor: User,
    *,
    revision: int,
    kind: str,
    target: str = "",
    body: str,
) -> Comment:
    """A reviewer's comment on the revision under review (the assessment, a question the
    revision shows, or one of its findings)."""
    checked_body = text(body, "the comment", "body")
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.COMMENT, assessment)
        check_revision(assessment, revision)
        checked_target = _check_target(latest_revision(session, assessment), kind, target)
        comment = add_thread(
            session, assessment, actor, revision, kind, checked_target, body=checked_body
        )
        enqueue_notification(
            session, NotificationKind.COMMENTED, assessment, actor=actor, revision=revision
        )
    return comment


def _thread(session: Session, assessment: Assessment, comment_id: int) -> Comment:
    if isinstance(comment_id, bool) or not isinstance(comment_id, int) or comment_id < 1:
        raise NotFound("there is no such comment")
    comment = session.get(Comment, comment_id)
    if comment is None or comment.assessment_id != assessment.id:
        raise NotFound("there is no such comment on this assessment")
    if comment.parent_id is not None:
        comment = session.get(Comment, comment.parent_id)
        assert comment is not None  # a reply's thread is deleted only with it
    return comment


def reply(
    session: Session, assessment: Assessment, actor: User, comment_id: int, *, body: str
) -> Comment:
    """Answer a thread (the officer, or another reviewer). Resolved threads take no replies."""
    checked_body = text(body, "the reply", "body")
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.REPLY, assessment)
        thread = _thread(session, assessment, comment_id)
        if not thread.is_open:
            raise WrongStatus(
                "this thread is resolved: it takes no replies", current_status="resolved"
            )
        answer = Comment(
            assessment_id=assessment.id,
            revision_number=assessment.revision_count,
            parent_id=thread.id,
            target_kind=thread.target_kind,
            target_id=thread.target_id,
            body=checked_body,
            author_id=actor.id,
            created_at=utcnow(),
        )
        session.add(answer)
        session.flush()
        audit.add_event(
            session,
            audit.COMMENT_REPLIED,
            actor=actor,
            assessment=assessment,
            detail={"comment": answer.id, "thread": thread.id},
        )
        if actor.role == REVIEWER:  # the officers hear of the board's words, not of their own
            enqueue_notification(
                session,
                NotificationKind.COMMENTED,
                assessment,
                actor=actor,
                revision=assessment.revision_count,
            )
    return answer


def resolve(session: Session, assessment: Assessment, actor: User, comment_id: int) -> Comment:
    """A reviewer closes a thread (its comments stay in the record)."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.RESOLVE, assessment)
        thread = _thread(session, assessment, comment_id)
        if not thread.is_open:
            raise WrongStatus("this thread is already resolved", current_status="resolved")
        thread.resolved_at = utcnow()
        thread.resolved_by_id = actor.id
        audit.add_event(
            session,
            audit.COMMENT_RESOLVED,
            actor=actor,
            assessment=assessment,
            detail={"thread": thread.id},
        )
    return thread
