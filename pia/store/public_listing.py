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

from pia.store.models import Agency
from pia.store.public_models import STAGE_COMMENT, Publication


def comment_period_open(publication: Publication | PublicListing, today: date) -> bool:
    """Whether the public may comment on `publication` today (the first and last days count)."""
    opens, closes = publication.comment_opens_on, publication.comment_closes_on
    return (
        publication.stage == STAGE_COMMENT
        and opens is not None
        and closes is not None
        and opens <= today <= closes
    )


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

    def open_for_comment(self, today: date) -> bool:
        return comment_period_open(self, today)


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


@cache
def _head_statement() -> Select[Any]:
    """Built once: an aliased subquery costs more to build than the query takes to run."""
    newer = aliased(Publication)
    newest = (
        select(func.max(newer.id))
        .where(newer.assessment_id == Publication.assessment_id)
        .scalar_subquery()
    )
    return _listing_columns().add_columns(newest).where(Publication.id == bindparam("publication"))


def publication_head(session: Session, publication_id: int) -> tuple[PublicListing, int] | None:
    """One publication as the list shows it, without its public data (cheap to read), and the id
    of its assessment's newest publication: one statement."""
    if isinstance(publication_id, bool) or not 0 < publication_id < 2**31:
        return None
    row = session.execute(_head_statement(), {"publication": publication_id}).first()
    if row is None:
        return None
    return PublicListing(*row[:-1]), int(row[-1])


def latest_publication_id(session: Session, assessment_id: int) -> int | None:
    """The id of the assessment's newest publication, if it has one."""
    return session.scalar(
        select(func.max(Publication.id)).where(Publication.assessment_id == assessment_id)
    )
