"""An assessment's details (title, technology, vendor, product, version, profiles) changed in a
draft, a draft duplicated from an assessment, a never-submitted draft deleted, and an assessment
archived or unarchived.

Details are asked once, on the new-assessment form, and changed here: a submitted revision keeps
the details it was submitted with, so they are edited only while the assessment is a draft (a
changed answer makes a submitted assessment a draft again). Both operations leave an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pia.engine import Bank, evaluate
from pia.store import audit
from pia.store.assessments import (
    _stale,
    check_profiles,
    check_version,
    clean_details,
    create_assessment,
    read_at_version,
    read_current,
    save_answers,
    update_at_version,
    with_details,
)
from pia.store.errors import InvalidInput
from pia.store.models import DRAFT, Assessment, AuditEvent, Evidence, User, utcnow
from pia.store.policy import PERMISSIONS, Action, require
from pia.store.transaction import committing

DETAILS_CHANGED = "assessment.details_changed"
DUPLICATED = "assessment.duplicated"
DETAIL_FIELDS = ("title", "technology", "vendor", "product", "product_version", "profiles")


def update_details(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    title: str,
    technology: str,
    vendor: str,
    product: str,
    product_version: str,
    profiles: Iterable[str],
    expected_version: int,
) -> list[str]:
    """Changes a draft's details; returns the names of the fields that changed (none: nothing is
    written). StaleVersion when someone saved since `expected_version`; InvalidInput for a bad
    value or when the assessment is not a draft."""
    require(actor, Action.EDIT, assessment)
    check_version(expected_version)
    row = read_at_version(session, assessment.id, expected_version)
    if row.status != DRAFT:
        raise InvalidInput(
            "the details of a submitted assessment stay as submitted; change an answer to start "
            "a new draft, then change the details",
            field="title",
        )
    chosen = check_profiles(bank, [profiles] if isinstance(profiles, str) else profiles)
    wanted: dict[str, Any] = {
        **clean_details(title, technology, vendor, product, product_version),
        "profiles": chosen,
    }
    changed = [name for name in DETAIL_FIELDS if getattr(assessment, name) != wanted[name]]
    if not changed:
        return []
    answers = with_details(bank, row.answers or {}, wanted)
    evaluation = evaluate(bank, answers, tuple(chosen))
    new_values = {
        **wanted,
        "answers": answers,
        "lock_version": expected_version + 1,
        "overall_level": evaluation.overall.level,
        "progress_percent": evaluation.progress.percent,
        "updated_at": utcnow(),
        "updated_by_id": actor.id,
    }
    with committing(session):
        update_at_version(session, assessment.id, expected_version, new_values)
        audit.add_event(
            session,
            DETAILS_CHANGED,
            actor=actor,
            assessment=assessment,
            detail={
                "version": expected_version + 1,
                "changed": {name: wanted[name] for name in changed},
            },
        )
    for key, value in new_values.items():
        set_committed_value(assessment, key, value)
    return changed


def duplicate_assessment(
    session: Session, bank: Bank, source: Assessment, actor: User, *, title: str
) -> Assessment:
    """A new draft in the actor's agency with the source's details, answers and notes (not its
    evidence, revisions or reviews), answered against `bank`."""
    require(actor, Action.VIEW, source)
    copy = create_assessment(
        session,
        bank,
        actor,
        title=title,
        technology=source.technology,
        vendor=source.vendor,
        product=source.product,
        product_version=source.product_version,
        profiles=[p for p in source.profiles or () if p in bank.profiles],
    )
    answers = {q: v for q, v in (source.answers or {}).items() if q in bank.questions}
    notes = {q: n for q, n in (source.notes or {}).items() if q in bank.questions}
    if answers or notes:
        save_answers(session, bank, copy, actor, values=answers, notes=notes, expected_version=0)
    with committing(session):
        audit.add_event(
            session,
            DUPLICATED,
            actor=actor,
            assessment=copy,
            detail={"from_assessment": source.id, "title": copy.title},
        )
    return copy


DELETED = "assessment.deleted"


def delete_draft(
    session: Session, assessment: Assessment, actor: User, *, expected_version: int
) -> None:
    """Deletes a draft that was never submitted, with its evidence; the audit trail keeps an
    event naming it (earlier events stay, no longer linked to a row). InvalidInput once it has
    a submitted revision (those are kept for the record); StaleVersion when someone saved since
    `expected_version`."""
    require(actor, Action.EDIT, assessment)
    check_version(expected_version)
    row = read_at_version(session, assessment.id, expected_version)
    if row.revision_count or row.status != DRAFT:
        raise InvalidInput(
            "an assessment that was submitted is kept for the record and cannot be deleted",
            field="assessment",
        )
    assessment_id, agency_id, title = assessment.id, assessment.agency_id, assessment.title
    with committing(session):
        session.execute(delete(Evidence).where(Evidence.assessment_id == assessment_id))
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.assessment_id == assessment_id)
            .values(assessment_id=None)
            .execution_options(synchronize_session=False)
        )
        removed = session.execute(
            delete(Assessment)
            .where(
                Assessment.id == assessment_id,
                Assessment.lock_version == expected_version,
                Assessment.revision_count == 0,
            )
            .execution_options(synchronize_session=False)
        )
        if removed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            raise _stale(read_current(session, assessment_id))
        audit.add_event(
            session,
            DELETED,
            actor=actor,
            agency_id=agency_id,
            detail={"assessment_id": assessment_id, "title": title, "version": expected_version},
        )
    session.expunge(assessment)


ARCHIVED_EVENT = "assessment.archived"
UNARCHIVED_EVENT = "assessment.unarchived"


def set_archived(session: Session, assessment: Assessment, actor: User, *, archived: bool) -> bool:
    """Archives (or unarchives) the assessment (commits, audited); -> False when it already was.

    Archived, it is read-only and off the dashboard by default (pia.store.policy reads it in
    the "archived" column). One guarded UPDATE, so a status change made meanwhile (a submission,
    say) is not archived over: the policy is asked again of what is stored then.
    """
    action = Action.ARCHIVE if archived else Action.UNARCHIVE
    require(actor, action, assessment)
    archivable = PERMISSIONS[Action.ARCHIVE][actor.role]
    now = utcnow() if archived else None
    guard = (
        (Assessment.archived_at.is_(None), Assessment.status.in_(sorted(archivable)))
        if archived
        else (Assessment.archived_at.is_not(None),)
    )
    with committing(session):
        changed = session.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id, *guard)
            .values(archived_at=now)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            current = read_current(session, assessment.id)
            set_committed_value(assessment, "status", current.status)
            set_committed_value(assessment, "archived_at", current.archived_at)
            require(actor, action, assessment)  # raises when the status is in the way now
            return False
        audit.add_event(
            session,
            ARCHIVED_EVENT if archived else UNARCHIVED_EVENT,
            actor=actor,
            assessment=assessment,
            detail={"title": assessment.title},
        )
    set_committed_value(assessment, "archived_at", now)
    return True
