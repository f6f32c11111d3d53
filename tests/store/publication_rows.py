"""Publication and public comment rows written directly, for store tests of what happens to
comments once published (moderation, corrections, freezing), and the audit events read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store.models import Assessment, AuditEvent
from pia.store.public_models import Publication, PublicComment

TODAY = datetime.now(UTC).date()
OPEN_SINCE_TEN_DAYS = (TODAY - timedelta(days=10), TODAY + timedelta(days=10))


def publication_row(
    session: Session,
    cast: Any,
    stage: str = "comment",
    assessment_id: int | None = None,
    *,
    opens: date | None = None,
    closes: date | None = None,
) -> Publication:
    """A publication (for comment, open since ten days unless `opens`/`closes` say otherwise, or
    final) of a new approved assessment of the cast's own agency, or of `assessment_id`."""
    if assessment_id is None:
        assessment = Assessment(
            agency_id=cast.own.id,
            title="Face search pilot",
            profiles=[],
            bank_id="store-test",
            bank_version="0.1",
            status="approved",
            answers={},
            notes={},
        )
        session.add(assessment)
        session.flush()
        assessment_id = assessment.id
    if stage != "final":
        opens = opens or OPEN_SINCE_TEN_DAYS[0]
        closes = closes or OPEN_SINCE_TEN_DAYS[1]
    made = Publication(
        assessment_id=assessment_id,
        agency_id=cast.own.id,
        revision_number=1,
        stage=stage,
        comment_opens_on=opens,
        comment_closes_on=closes,
        public_data={},
        fingerprint="0" * 64,
    )
    session.add(made)
    session.commit()
    return made


def comments_on(session: Session, made: Publication, *bodies: str) -> list[PublicComment]:
    """Pending comments on the publication, one per body."""
    found = [
        PublicComment(publication_id=made.id, assessment_id=made.assessment_id, body=body)
        for body in bodies
    ]
    session.add_all(found)
    session.commit()
    return found


def events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.scalars(query))
