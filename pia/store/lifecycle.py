"""Moving an assessment through the review lifecycle, safely under concurrency.

Every operation that depends on the status reads the assessment row afresh and locks it
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite lets one writer in at a time), so two reviewers
pressing buttons at once cannot both move it from the same status. The caller runs these inside
its unit of work (pia.store.transaction.committing).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.errors import NotFound, StaleForm
from pia.store.models import (
    APPROVED,
    APPROVED_WITH_CONDITIONS,
    DRAFT,
    REJECTED,
    SUBMITTED,
    WITHDRAWN,
    Assessment,
    User,
    utcnow,
)
from pia.store.policy import status_label

# Statuses in which a change to the working copy starts a new draft.
SETTLED = frozenset({SUBMITTED, WITHDRAWN, APPROVED, APPROVED_WITH_CONDITIONS, REJECTED})


def lock_assessment(session: Session, assessment: Assessment) -> Assessment:
    """The assessment as stored now (status, revision count...), locked until the commit."""
    fresh = session.get(
        Assessment,
        assessment.id,
        # OF: the agency comes in an outer join, which PostgreSQL will not lock.
        with_for_update={"of": Assessment},
        populate_existing=True,
    )
    if fresh is None:
        raise NotFound("this assessment no longer exists")
    return fresh


def check_revision(assessment: Assessment, expected_revision: object) -> None:
    """A review form names the revision it was built from; acting on a newer one is refused."""
    if isinstance(expected_revision, bool) or not isinstance(expected_revision, int):
        raise StaleForm("the form's revision number is not valid; reload the page")
    if expected_revision != assessment.revision_count:
        raise StaleForm(
            f"revision {assessment.revision_count} was submitted since this page showed revision "
            f"{expected_revision}; nothing was changed. Read the new revision first."
        )


def move(
    session: Session,
    assessment: Assessment,
    actor: User,
    to_status: str,
    action: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Set the (locked) assessment's status and record the change in the audit trail."""
    before = assessment.status
    assessment.status = to_status
    assessment.updated_at = utcnow()
    assessment.updated_by_id = actor.id
    audit.add_event(
        session,
        action,
        actor=actor,
        assessment=assessment,
        detail={"from": before, "to": to_status, **(detail or {})},
    )


def reopen_if_settled(session: Session, assessment: Assessment, actor: User) -> None:
    """A change to the working copy of a submitted, decided or withdrawn assessment starts a
    new draft (the revisions and the board's record stay as they are)."""
    if assessment.status in SETTLED:
        move(session, assessment, actor, DRAFT, audit.DRAFT_STARTED)


def describe_status(status: str) -> str:
    return status_label(status).lower()
