"""The public list of publications, read without their public data: what the public site's
list, feed, index and validators (ETag, Last-Modified) need, in one cheap query each. The
statements are built once: building them costs more than running them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from pia.report.times import zone_for
from pia.store import audit
from pia.store.comment_corrections import CORRECTION_EVENTS
from pia.store.models import Agency, AuditEvent, utcnow
from pia.store.public_models import (
    COMMENT_APPROVED,
    STAGE_COMMENT,
    CommentResponse,
    Publication,
    PublicationWithdrawal,
    PublicComment,
)


def comment_period_open(publication: Publication | PublicListing, today: date) -> bool:
    """Whether the public may comment on `publication` today (the first and last days count)."""
    opens, closes = publication.comment_opens_on, publication.comment_closes_on
    return (
        publication.stage == STAGE_COMMENT
        and opens is not None
        and closes is not None
        and opens <= today <= closes
    )


def date_in_zone(time_zone: str, now: datetime | None = None) -> date:
    """Today's date in the named time zone (UTC for an empty or unknown name)."""
    return (now or utcnow()).astimezone(zone_for(time_zone)).date()


@dataclass(frozen=True)
class PublicListing:
    """One published assessment in the public list: its latest publication, without its data."""

    publication_id: int
    assessment_id: int
    agency_id: int
    agency: str
    title: str
    overall_level: str
    stage: str
    revision: int
    comment_opens_on: date | None
    comment_closes_on: date | None
    published_at: datetime
    fingerprint: str
    time_zone: str  # the agency's: comment periods are dates there

    def agency_today(self, now: datetime | None = None) -> date:
        """Today's date where the agency is (the day its comment period opens and closes by)."""
        return date_in_zone(self.time_zone, now)

    def open_for_comment(self, today: date | None = None) -> bool:
        return comment_period_open(self, self.agency_today() if today is None else today)


@dataclass(frozen=True)
class PageVersion:
    """What a publication's page shows besides its frozen content, read with it in one
    statement: the assessment's newest publication (the page points to it and a newer one closes
    the comment period) and its approved comments and responses. Comments are moderated once
    (pending to approved, rejected or duplicate), responses only added and a comment's response
    only set once, so these counts and highest ids change whenever that part of the page does,
    until a moderation is reconsidered or a response corrected: the newest such event counts too;
    the community meetings held about the assessment; and the items withdrawn from the
    publication since it was published (pia.store.withdrawal), which change its report."""

    newest: int
    approved: int
    last_approved_id: int
    answered: int
    last_response_id: int
    # The newest audit event of a community meeting recorded, changed or removed: written in
    # the same transaction as the change, so it moves with every change to the meetings listed.
    last_meeting_event: int
    # The newest audit event of a moderation reconsidered or a response corrected: the two
    # changes that undo what the counts above assume only grows (a comment taken back off the
    # page, a response's text replaced), so the page's version moves with them too.
    last_correction_event: int
    # The items withdrawn from this publication after it was published (only ever added).
    withdrawn: int
    last_withdrawal_id: int


@dataclass(frozen=True)
class ListingVersion:
    """What the public list's content depends on in the database: for ETag and Last-Modified."""

    count: int
    last_id: int
    last_published_at: datetime | None


@cache
def _version_statement() -> Select[Any]:
    return select(
        func.count(Publication.id), func.max(Publication.id), func.max(Publication.published_at)
    )


def listing_version(session: Session) -> ListingVersion:
    count, last_id, last_at = session.execute(_version_statement()).one()
    return ListingVersion(int(count or 0), int(last_id or 0), last_at)


def _listing_columns() -> Select[Any]:
    return select(
        Publication.id,
        Publication.assessment_id,
        Publication.agency_id,
        Agency.name,
        Publication.title,
        Publication.overall_level,
        Publication.stage,
        Publication.revision_number,
        Publication.comment_opens_on,
        Publication.comment_closes_on,
        Publication.published_at,
        Publication.fingerprint,
        Agency.time_zone,
    ).join(Agency, Agency.id == Publication.agency_id)


@cache
def _listing_statement() -> Select[Any]:
    latest = (
        select(func.max(Publication.id).label("id")).group_by(Publication.assessment_id).subquery()
    )
    return (
        _listing_columns()
        .join(latest, latest.c.id == Publication.id)
        .order_by(Agency.name, Publication.published_at.desc(), Publication.id.desc())
    )


def public_listing(session: Session) -> list[PublicListing]:
    """Every published assessment's latest publication, by agency then newest first: one query
    that reads neither the public data nor the assessments."""
    return [PublicListing(*row) for row in session.execute(_listing_statement())]


def recent_publications(session: Session, limit: int = 50) -> list[PublicListing]:
    """The newest publications (every stage of every assessment), newest first."""
    query = _listing_columns().order_by(Publication.id.desc()).limit(limit)
    return [PublicListing(*row) for row in session.execute(query)]


MEETING_EVENTS = (audit.MEETING_RECORDED, audit.MEETING_UPDATED, audit.MEETING_REMOVED)


@cache
def _head_statement() -> Select[Any]:
    """Built once: an aliased subquery costs more to build than the query takes to run."""
    newer = aliased(Publication)
    newest = (
        select(func.max(newer.id))
        .where(newer.assessment_id == Publication.assessment_id)
        .scalar_subquery()
    )
    approved = (
        PublicComment.assessment_id == Publication.assessment_id,
        (PublicComment.state == COMMENT_APPROVED),
    )

    def over_approved(column: Any) -> Any:
        return select(column).where(*approved).scalar_subquery()

    last_response = (
        select(func.max(CommentResponse.id))
        .where(CommentResponse.assessment_id == Publication.assessment_id)
        .scalar_subquery()
    )
    last_meeting_event = (
        select(func.max(AuditEvent.id))
        .where(
            AuditEvent.assessment_id == Publication.assessment_id,
            AuditEvent.action.in_(MEETING_EVENTS),
        )
        .scalar_subquery()
    )
    last_correction_event = (
        select(func.max(AuditEvent.id))
        .where(
            AuditEvent.assessment_id == Publication.assessment_id,
            AuditEvent.action.in_(CORRECTION_EVENTS),
        )
        .scalar_subquery()
    )

    def over_withdrawals(column: Any) -> Any:
        mine = PublicationWithdrawal.publication_id == Publication.id
        return select(column).where(mine).scalar_subquery()

    return (
        _listing_columns()
        .add_columns(
            newest,
            over_approved(func.count(PublicComment.id)),
            over_approved(func.max(PublicComment.id)),
            over_approved(func.count(PublicComment.response_id)),
            last_response,
            last_meeting_event,
            last_correction_event,
            over_withdrawals(func.count(PublicationWithdrawal.id)),
            over_withdrawals(func.max(PublicationWithdrawal.id)),
        )
        .where(Publication.id == bindparam("publication"))
    )


def publication_head(
    session: Session, publication_id: int
) -> tuple[PublicListing, PageVersion] | None:
    """One publication as the list shows it, without its public data (cheap to read), and what
    else its page depends on (PageVersion): one statement, the page's whole validator."""
    if isinstance(publication_id, bool) or not 0 < publication_id < 2**31:
        return None
    # Through the session's connection: the columns need none of the ORM's per-statement work,
    # which costs more than the query on a page's warm path.
    connection = session.connection()
    row = connection.execute(_head_statement(), {"publication": publication_id}).first()
    if row is None:
        return None
    extra = len(PageVersion.__dataclass_fields__)
    version = PageVersion(*(int(value or 0) for value in row[-extra:]))
    return PublicListing(*row[:-extra]), version


def latest_publication_id(session: Session, assessment_id: int) -> int | None:
    """The id of the assessment's newest publication, if it has one."""
    return session.scalar(
        select(func.max(Publication.id)).where(Publication.assessment_id == assessment_id)
    )
