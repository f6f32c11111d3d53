"""Comments from the public on a publication open for comment.

Anyone may comment while the period is open: from `comment_opens_on` to `comment_closes_on`
inclusive, both read as dates in the agency's time zone, and only on the newest publication of the
assessment (a later one, e.g. the final report, closes the period). A comment is plain text with a
length limit; the name and email are optional, and the email is never shown to the public.

The rate limit counts comments per client address in fixed windows, in the database
(PublicCommentRate) so that every app process counts the same: one `INSERT ... ON CONFLICT DO
UPDATE SET count = count + 1 RETURNING count` per comment, in the same transaction as the comment
itself. On PostgreSQL concurrent upserts of one row wait for each other, so N parallel posts can
never get more than the limit accepted; a refused comment rolls back and changes nothing.

Every comment starts in the moderation queue (pia.store.comment_moderation).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pia.report.text import clean_text, one_line
from pia.store import audit
from pia.store.errors import InvalidInput, StoreError
from pia.store.models import Agency, Assessment, utcnow
from pia.store.public_listing import date_in_zone
from pia.store.public_models import (
    COMMENT_PENDING,
    STAGE_COMMENT,
    Publication,
    PublicComment,
    PublicCommentRate,
)

COMMENT_MAX_CHARS = 5000
NAME_MAX_CHARS = 200
EMAIL_MAX_CHARS = 254
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

PUBLIC_COMMENT_RECEIVED = "public_comment.received"

# The period's state as the public sees it on a given day.
PERIOD_NOT_YET = "not_yet"
PERIOD_OPEN = "open"
PERIOD_CLOSED = "closed"


class CommentPeriodClosed(StoreError):
    """The publication does not take comments today (not yet open, closed, or superseded)."""

    def __init__(self, message: str, *, period: str) -> None:
        super().__init__(message)
        self.period = period


class CommentRateExceeded(StoreError):
    """Too many comments from one client address in the current window; `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, round(retry_after / 60))
        super().__init__(
            "too many comments from your network address in a short time: nothing was stored; "
            f"try again in about {minutes} minute{'s' if minutes != 1 else ''}"
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimit:
    """At most `max_comments` per client address in each fixed window of `window` length."""

    max_comments: int
    window: timedelta


def agency_today(session: Session, agency_id: int, now: datetime | None = None) -> date:
    """Today's date in the agency's time zone (comment periods are dates there)."""
    agency = session.get(Agency, agency_id)
    return date_in_zone(agency.time_zone if agency is not None else "", now)


def is_superseded(session: Session, publication: Publication) -> bool:
    """A later publication of the same assessment exists (e.g. the final report)."""
    newer = select(Publication.id).where(
        Publication.assessment_id == publication.assessment_id, Publication.id > publication.id
    )
    return session.scalar(newer.limit(1)) is not None


def period_on(publication: Publication, today: date, *, superseded: bool) -> str:
    """PERIOD_NOT_YET, PERIOD_OPEN or PERIOD_CLOSED for this publication on `today` (the agency's
    date), `superseded` when a later publication of the assessment exists: for callers that have
    both already (the public page's validator reads them)."""
    opens, closes = publication.comment_opens_on, publication.comment_closes_on
    if superseded or publication.stage != STAGE_COMMENT or opens is None or closes is None:
        return PERIOD_CLOSED
    if today < opens:
        return PERIOD_NOT_YET
    return PERIOD_OPEN if today <= closes else PERIOD_CLOSED


def comment_period(session: Session, publication: Publication, now: datetime | None = None) -> str:
    """PERIOD_NOT_YET, PERIOD_OPEN or PERIOD_CLOSED for this publication today (the database
    asked only about a publication for comment: whether it is superseded, the agency's date)."""
    if publication.stage != STAGE_COMMENT or is_superseded(session, publication):
        return PERIOD_CLOSED
    today = agency_today(session, publication.agency_id, now)
    return period_on(publication, today, superseded=False)


def client_key(address: str) -> str:
    """What the rate limit stores of a client: a hash, never the address itself."""
    return hashlib.sha256(f"public-comment\0{address}".encode()).hexdigest()


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the fixed window `now` falls in (windows are aligned on the Unix epoch)."""
    seconds = max(1, int(window.total_seconds()))
    stamp = int(now.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, tz=now.tzinfo)


def checked_comment(body: str, name: str, email: str) -> tuple[str, str, str]:
    """The comment's fields cleaned, or InvalidInput naming the field at fault."""
    text = clean_text(body).strip()
    if not text:
        raise InvalidInput("write your comment", field="body")
    if len(text) > COMMENT_MAX_CHARS:
        raise InvalidInput(
            f"a comment can be at most {COMMENT_MAX_CHARS:,} characters; this one has "
            f"{len(text):,}",
            field="body",
        )
    name = one_line(name)
    if len(name) > NAME_MAX_CHARS:
        raise InvalidInput(f"a name can be at most {NAME_MAX_CHARS} characters", field="name")
    email = one_line(email)
    if email and (len(email) > EMAIL_MAX_CHARS or not EMAIL.fullmatch(email)):
        raise InvalidInput("give an email address like name@example.org, or none", field="email")
    return text, name, email


def take_comment_slot(session: Session, key: str, now: datetime, limit: RateLimit) -> int:
    """Counts one comment against `key` in the current window (in the caller's transaction);
    -> the count including this one. Windows that have ended are deleted as comments come in."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    start = window_start(now, limit.window)
    statement = (
        insert(PublicCommentRate)
        .values(client_key=key, window_start=start, count=1)
        .on_conflict_do_update(
            index_elements=[PublicCommentRate.client_key, PublicCommentRate.window_start],
            set_={"count": PublicCommentRate.count + 1},
        )
        .returning(PublicCommentRate.count)
    )
    count = session.execute(statement).scalar_one()
    session.execute(delete(PublicCommentRate).where(PublicCommentRate.window_start < start))
    return count


def submit_public_comment(
    session: Session,
    publication: Publication,
    *,
    body: str,
    name: str = "",
    email: str = "",
    client_address: str,
    limit: RateLimit,
    now: datetime | None = None,
) -> PublicComment:
    """Stores a comment in the moderation queue (commits) with its audit event.

    Raises CommentPeriodClosed, InvalidInput (field: body, name or email) or CommentRateExceeded;
    in every case nothing is stored.
    """
    now = now or utcnow()
    period = comment_period(session, publication, now)
    if period != PERIOD_OPEN:
        opens, closes = publication.comment_opens_on, publication.comment_closes_on
        if period == PERIOD_NOT_YET and opens is not None:
            message = f"the comment period opens on {opens.isoformat()}"
        elif closes is not None:
            message = f"the comment period closed on {closes.isoformat()}"
        else:
            message = "this publication does not take comments"
        raise CommentPeriodClosed(message + "; nothing was stored", period=period)
    text, name, email = checked_comment(body, name, email)
    try:
        count = take_comment_slot(session, client_key(client_address), now, limit)
        if count > limit.max_comments:
            session.rollback()
            ends = window_start(now, limit.window) + limit.window
            raise CommentRateExceeded(max(1, int((ends - now).total_seconds())))
        comment = PublicComment(
            publication_id=publication.id,
            assessment_id=publication.assessment_id,
            body=text,
            name=name,
            email=email,
            received_at=now,
            state=COMMENT_PENDING,
        )
        session.add(comment)
        session.flush()
        audit.add_event(
            session,
            PUBLIC_COMMENT_RECEIVED,
            assessment=session.get(Assessment, publication.assessment_id),
            detail={"comment": comment.id, "publication": publication.id},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return comment
