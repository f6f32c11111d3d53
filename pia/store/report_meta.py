"""What a report's cover says about an assessment or one of its revisions, read from the store:
title and product, status, the author (the officer's name), the date and the agency's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from pia.report import ReportMeta
from pia.store.models import Assessment, Revision, User


def working_copy_meta(session: Session, assessment: Assessment) -> ReportMeta:
    """The cover of the working copy: dated by its last change, authored by the officer who
    created the assessment (or, if that account is gone, the one who changed it last)."""
    return ReportMeta(
        title=assessment.title,
        agency=assessment.agency.name,
        technology=assessment.technology,
        vendor=assessment.vendor,
        product=assessment.product,
        product_version=assessment.product_version,
        status=assessment.status,
        revision=assessment.revision_count or None,
        date=iso(assessment.updated_at),
        author=_officer_name(session, assessment.created_by_id, assessment.updated_by_id),
        time_zone=assessment.agency.time_zone,
        answered_under=assessment.bank_version,
    )


def revision_meta(assessment: Assessment, revision: Revision) -> ReportMeta:
    """The cover of a submitted revision, from what was stored with it; dated by its submission
    (which is also the PDF's creation date)."""
    stored = dict(revision.meta or {})
    return ReportMeta(
        title=str(stored.get("title") or assessment.title),
        agency=str(stored.get("agency") or assessment.agency.name),
        technology=str(stored.get("technology", "")),
        vendor=str(stored.get("vendor", "")),
        product=str(stored.get("product", "")),
        product_version=str(stored.get("product_version", "")),
        status="submitted",
        revision=revision.number,
        date=iso(revision.submitted_at),
        author=revision.submitted_by.name if revision.submitted_by else "",
        time_zone=assessment.agency.time_zone,
        answered_under=revision.bank_version,
    )


def _officer_name(session: Session, *user_ids: int | None) -> str:
    for user_id in user_ids:
        if user_id is not None:
            user = session.get(User, user_id)
            if user is not None:
                return user.name
    return ""


def iso(value: datetime | None) -> str:
    """A stored time (UTC) as ISO 8601 text that names its offset, as reports embed it."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds")
