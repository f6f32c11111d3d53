"""Who is told what by email: messages are queued in the outbox in the caller's transaction.

`enqueue_notification(session, kind, assessment, ...)` is called by an operation inside its own
unit of work, next to its audit event: the messages are committed with the change or rolled back
with it, so nobody hears of a change that did not happen. A sender (pia.store.mail) delivers them
later, retrying while the mail server is down.

Recipients by kind:
- SUBMITTED: the active reviewers whose remit holds the assessment's agency.
- COMMENTED, CHANGES_REQUESTED, DECIDED, CONDITION_ADDED, DUE_SOON: the active officers of the
  assessment's agency.

Nothing is queued when notifications are off (PIA_SMTP_URL unset), so turning them on later does
not send a backlog. Messages name the assessment, its agency, the revision and who acted, with a
link when PIA_BASE_URL is set, and never quote answers, notes or comments: mail leaves the system.

Due dates: `queue_due_reminders(session, today)` asks every function in DUE_DATE_SOURCES for the
items due soon (frozen DueItem rows) and queues one DUE_SOON message per item and due date: a
unique key in mail_reminders makes several processes running the check queue it once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pia.store.config import base_url, smtp_url
from pia.store.models import (
    OFFICER,
    REVIEWER,
    Assessment,
    OutboxMessage,
    ReminderSent,
    User,
    user_remit,
    utcnow,
)


class NotificationKind(StrEnum):
    SUBMITTED = "submitted"
    COMMENTED = "commented"
    CHANGES_REQUESTED = "changes_requested"
    DECIDED = "decided"
    CONDITION_ADDED = "condition_added"
    DUE_SOON = "due_soon"


# What each kind says: the subject's verb phrase, and whom it goes to.
_SUBJECTS = {
    NotificationKind.SUBMITTED: "submitted for review",
    NotificationKind.COMMENTED: "new comment from the review board",
    NotificationKind.CHANGES_REQUESTED: "changes requested by the review board",
    NotificationKind.DECIDED: "decision recorded",
    NotificationKind.CONDITION_ADDED: "condition added to the board's decision",
    NotificationKind.DUE_SOON: "due date approaching",
}
_TO_REVIEWERS = frozenset({NotificationKind.SUBMITTED})


def notifications_enabled() -> bool:
    return bool(smtp_url())


def recipients(session: Session, kind: NotificationKind, agency_id: int) -> list[User]:
    """The people `kind` goes to for an assessment of `agency_id` (one query)."""
    if kind in _TO_REVIEWERS:
        query = (
            select(User)
            .join(user_remit, user_remit.c.user_id == User.id)
            .where(user_remit.c.agency_id == agency_id, User.role == REVIEWER)
        )
    else:
        query = select(User).where(User.agency_id == agency_id, User.role == OFFICER)
    return [u for u in session.scalars(query.where(User.active.is_(True)).order_by(User.email))]


def _link(assessment: Assessment, revision: int | None) -> str:
    root = base_url()
    if not root:
        return ""
    if revision is not None:
        return f"{root}/assessments/{assessment.id}/revisions/{revision}"
    return f"{root}/assessments/{assessment.id}"


def compose(
    kind: NotificationKind,
    assessment: Assessment,
    *,
    agency_name: str,
    actor: User | None = None,
    revision: int | None = None,
    lines: Iterable[str] = (),
) -> tuple[str, str]:
    """The subject and plain-text body of a notification."""
    subject = f"[pia] {assessment.title}: {_SUBJECTS[kind]}"
    body = [
        f"Assessment: {assessment.title}",
        f"Agency: {agency_name}",
    ]
    if revision is not None:
        body.append(f"Revision: {revision}")
    if actor is not None:
        body.append(f"By: {actor.name} <{actor.email}>")
    body.extend(lines)
    link = _link(assessment, revision)
    if link:
        body += ["", f"Open it in pia: {link}"]
    body += ["", "You receive this because of your role in pia for this agency."]
    return subject[:300], "\n".join(body) + "\n"


def enqueue_notification(
    session: Session,
    kind: NotificationKind | str,
    assessment: Assessment,
    *,
    actor: User | None = None,
    revision: int | None = None,
    lines: Iterable[str] = (),
) -> list[OutboxMessage]:
    """Queue `kind`'s email about `assessment` to its recipients, in the caller's transaction.

    `revision` is the revision number the event is about, `lines` extra lines of plain text
    (e.g. "Due: 2027-01-31"; never assessment content). The actor is not told of their own act.
    Returns the queued messages (none when notifications are off or nobody is to be told).
    """
    kind = NotificationKind(kind)
    if not notifications_enabled():
        return []
    agency = assessment.agency
    subject, body = compose(
        kind,
        assessment,
        agency_name=agency.name if agency is not None else "",
        actor=actor,
        revision=revision,
        lines=lines,
    )
    now = utcnow()
    queued = []
    for person in recipients(session, kind, assessment.agency_id):
        if actor is not None and person.id == actor.id:
            continue
        message = OutboxMessage(
            kind=kind.value,
            assessment_id=assessment.id,
            recipient=person.email,
            subject=subject,
            body=body,
            created_at=now,
            next_attempt_at=now,
        )
        session.add(message)
        queued.append(message)
    return queued


@dataclass(frozen=True)
class DueItem:
    """Something due on an assessment: `key` names it uniquely (e.g. "condition:12"); the
    reminder is queued once per key and due date."""

    key: str
    assessment_id: int
    due: date
    what: str  # e.g. "Condition: publish the audit log"


# Functions (session, today) -> items due soon. Features with due dates register theirs here.
DUE_DATE_SOURCES: list[Callable[[Session, date], Iterable[DueItem]]] = []


def queue_due_reminders(
    session: Session,
    today: date,
    sources: Iterable[Callable[[Session, date], Iterable[DueItem]]] | None = None,
) -> int:
    """Queue a DUE_SOON message for each item due soon that was not reminded of yet; commits
    each reminder on its own. Returns how many reminders this call queued."""
    if not notifications_enabled():
        return 0
    queued = 0
    for source in DUE_DATE_SOURCES if sources is None else sources:
        for item in list(source(session, today)):
            if _queue_once(session, item):
                queued += 1
    return queued


def _queue_once(session: Session, item: DueItem) -> bool:
    key = f"{item.key}@{item.due.isoformat()}"[:200]
    assessment = session.get(Assessment, item.assessment_id)
    if assessment is None:
        return False
    try:
        session.add(ReminderSent(key=key, queued_at=utcnow()))
        session.flush()  # another process that got there first makes this fail
        enqueue_notification(
            session,
            NotificationKind.DUE_SOON,
            assessment,
            lines=[item.what, f"Due: {item.due.isoformat()}"],
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def outbox_counts(session: Session) -> Mapping[str, int]:
    """How many messages are waiting, sent and failed (one query)."""
    sent = OutboxMessage.sent_at.is_not(None)
    failed = OutboxMessage.failed_at.is_not(None)
    row = session.execute(
        select(
            func.count().filter(~sent, ~failed),
            func.count().filter(sent),
            func.count().filter(~sent, failed),
        ).select_from(OutboxMessage)
    ).one()
    return {"waiting": int(row[0]), "sent": int(row[1]), "failed": int(row[2])}
