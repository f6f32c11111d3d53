"""Audit events: every state change leaves one.

`add_event` puts an event in the session without committing (operations call it inside their own
unit of work); `record_event` is the public verb for callers outside the store (e.g. the web layer
noting a rate-limited sign-in) and commits. Events are chained by hash when their transaction
commits (pia.store.audit_chain).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store.audit_chain import canonical_detail, mark_unchained
from pia.store.models import Assessment, AuditEvent, User, utcnow

# Actions written by the store; others may add their own with the same "noun.verb" shape.
AGENCY_CREATED = "agency.created"
AGENCY_TIME_ZONE_SET = "agency.time_zone_set"
USER_CREATED = "user.created"
USER_UPDATED = "user.updated"
PASSWORD_CHANGED = "user.password_changed"  # noqa: S105 (an event name)
SIGNIN_SUCCEEDED = "signin.succeeded"
SIGNIN_FAILED = "signin.failed"
ASSESSMENT_CREATED = "assessment.created"
ANSWERS_SAVED = "answers.saved"
ASSESSMENT_SUBMITTED = "assessment.submitted"
EVIDENCE_ADDED = "evidence.added"
EVIDENCE_REMOVED = "evidence.removed"
EVIDENCE_REPLACED = "evidence.replaced"
DRAFT_STARTED = "assessment.draft_started"
ASSESSMENT_RESUBMITTED = "assessment.resubmitted"
ASSESSMENT_WITHDRAWN = "assessment.withdrawn"
REVIEW_TAKEN_UP = "review.taken_up"
CHANGES_REQUESTED = "review.changes_requested"
DECIDED = "review.decided"
COMMENT_ADDED = "comment.added"
COMMENT_REPLIED = "comment.replied"
COMMENT_RESOLVED = "comment.resolved"
BOARD_RATING_SET = "review.rating_set"
CONDITION_ADDED = "condition.added"
CONDITION_MET = "condition.met"
CONDITION_VERIFIED = "condition.verified"
CONDITION_REOPENED = "condition.reopened"
PLAN_ITEM_ADOPTED = "plan.item_adopted"
PLAN_ITEM_DONE = "plan.item_done"
MEETING_RECORDED = "meeting.recorded"
MEETING_UPDATED = "meeting.updated"
MEETING_REMOVED = "meeting.removed"
CALENDAR_FEED_RESET = "calendar.feed_reset"


def add_event(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    assessment: Assessment | None = None,
    agency_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits; committing chains it).

    `detail` must be JSON (it is stored and hashed as JSON) and must never hold answers, notes or
    other assessment content: administrators read the trail.
    """
    if agency_id is None and assessment is not None:
        agency_id = assessment.agency_id
    if agency_id is None and actor is not None:
        agency_id = actor.agency_id
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        agency_id=agency_id,
        assessment_id=assessment.id if assessment is not None else None,
        action=action[:64],
        detail=canonical_detail(detail),
    )
    session.add(event)
    mark_unchained(session, event)
    return event


def record_event(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    assessment: Assessment | None = None,
    agency_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write an audit event and commit."""
    event = add_event(
        session, action, actor=actor, assessment=assessment, agency_id=agency_id, detail=detail
    )
    session.commit()
    return event


def events_for(session: Session, assessment: Assessment, *, limit: int = 200) -> list[AuditEvent]:
    """The assessment's audit trail, newest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.assessment_id == assessment.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def recent_events(session: Session, *, limit: int = 100) -> list[AuditEvent]:
    """The newest events across the whole installation (for administrators)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return list(session.scalars(query))
