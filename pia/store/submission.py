"""Submissions: an assessment as it stands becomes an immutable, fingerprinted revision.

The revision holds the answers, notes, the evidence set (each file's id, question, name, SHA-256
and size), the evaluation (pia.engine.evaluation_to_dict), the bank id and version, the profiles
and a snapshot of the assessment's details; its fingerprint is pia.engine.fingerprint over bank
id, version, answers, notes and each evidence file's name and SHA-256, so any change is
detectable. Files uploaded later belong to the draft, never to a submitted revision.

A draft (or a withdrawn assessment) is submitted; an assessment whose reviewer requested changes
is resubmitted, and goes back to the board as "resubmitted".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pia.engine import Bank, Evaluation, evaluate, evaluation_to_dict, fingerprint
from pia.store import audit
from pia.store.assessments import (
    check_version,
    details_of,
    evaluation_profiles,
    read_at_version,
    update_at_version,
    with_details,
)
from pia.store.errors import AlreadySubmitted, NotReady
from pia.store.evidence import evidence_for, evidence_snapshot
from pia.store.models import (
    RESUBMITTED,
    SUBMITTED,
    Agency,
    Assessment,
    Revision,
    User,
    utcnow,
)
from pia.store.notifications import NotificationKind, enqueue_notification
from pia.store.policy import Action, Decision, decide, require
from pia.store.transaction import committing


def blocking_issues(evaluation: Evaluation) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """What stops a submission: visible required questions unanswered, visible answers invalid."""
    visible = set(evaluation.visible)
    invalid = tuple(issue for issue in evaluation.invalid if issue.question in visible)
    return tuple(evaluation.missing), invalid


def submit(
    session: Session, bank: Bank, assessment: Assessment, actor: User, expected_version: int
) -> Revision:
    """Submit the draft as it is at `expected_version`: an immutable, fingerprinted revision.

    Raises StaleVersion when it changed since the person looked, NotReady when required answers
    are missing or answers are invalid, AlreadySubmitted when nothing changed since the last
    submission, WrongStatus when the assessment is not a draft (or withdrawn).
    """
    return _submit(session, bank, assessment, actor, expected_version, Action.SUBMIT)


def resubmit(
    session: Session, bank: Bank, assessment: Assessment, actor: User, expected_version: int
) -> Revision:
    """Answer the board's requested changes with a new revision (status "resubmitted")."""
    return _submit(session, bank, assessment, actor, expected_version, Action.RESUBMIT)


def _submit(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    expected_version: int,
    action: Action,
) -> Revision:
    check_version(expected_version)
    row = read_at_version(session, assessment.id, expected_version)
    set_committed_value(assessment, "status", row.status)
    if row.status == SUBMITTED and decide(actor, action, assessment) is Decision.WRONG_STATUS:
        raise AlreadySubmitted("this assessment has not changed since it was submitted")
    require(actor, action, assessment)
    resubmitting = action is Action.RESUBMIT
    answers = with_details(bank, row.answers or {}, details_of(assessment))
    notes = dict(row.notes or {})
    profiles = list(evaluation_profiles(bank, assessment))
    evaluation = evaluate(bank, answers, tuple(profiles))
    missing, invalid = blocking_issues(evaluation)
    if missing or invalid:
        raise NotReady(missing, invalid)
    now = utcnow()
    number = row.revision_count + 1
    agency = session.get(Agency, assessment.agency_id)
    evidence = evidence_snapshot(evidence_for(session, assessment))
    new_values = {
        "lock_version": expected_version + 1,
        "status": RESUBMITTED if resubmitting else SUBMITTED,
        "revision_count": number,
        "submitted_at": now,
        "submitted_level": evaluation.overall.level,
        "overall_level": evaluation.overall.level,
        "progress_percent": evaluation.progress.percent,
        "bank_id": bank.id,
        "bank_version": bank.version,
        "updated_at": now,
        "updated_by_id": actor.id,
    }
    with committing(session):
        update_at_version(session, assessment.id, expected_version, new_values)
        revision = Revision(
            assessment_id=assessment.id,
            number=number,
            answers=answers,
            notes=notes,
            evaluation=evaluation_to_dict(evaluation),
            bank_id=bank.id,
            bank_version=bank.version,
            fingerprint=fingerprint(bank.id, bank.version, answers, notes, _files(evidence)),
            evidence=evidence,
            profiles=profiles,
            meta={
                "title": assessment.title,
                "technology": assessment.technology,
                "vendor": assessment.vendor,
                "product": assessment.product,
                "product_version": assessment.product_version,
                "agency": agency.name if agency is not None else "",
            },
            overall_level=evaluation.overall.level,
            submitted_by_id=actor.id,
            submitted_at=now,
        )
        session.add(revision)
        session.flush()
        audit.add_event(
            session,
            audit.ASSESSMENT_RESUBMITTED if resubmitting else audit.ASSESSMENT_SUBMITTED,
            actor=actor,
            assessment=assessment,
            detail={
                "revision": number,
                "evidence": len(evidence),
                "fingerprint": revision.fingerprint,
                "overall_level": evaluation.overall.level,
                "bank_version": bank.version,
            },
        )
        enqueue_notification(
            session, NotificationKind.SUBMITTED, assessment, actor=actor, revision=number
        )
    for key, value in new_values.items():
        set_committed_value(assessment, key, value)
    return revision


def _files(evidence: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    return [(str(item["filename"]), str(item["sha256"])) for item in evidence or ()]


def verify_revision(revision: Revision) -> bool:
    """True when the revision's answers, notes and evidence set still match its fingerprint."""
    expected = fingerprint(
        revision.bank_id,
        revision.bank_version,
        revision.answers,
        revision.notes,
        _files(revision.evidence),
    )
    return expected == revision.fingerprint


def get_revision(session: Session, assessment: Assessment, number: int) -> Revision | None:
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 2**31:
        return None
    query = select(Revision).where(
        Revision.assessment_id == assessment.id, Revision.number == number
    )
    return session.scalars(query).first()


def revisions_for(session: Session, assessment: Assessment) -> list[Revision]:
    """The assessment's revisions, newest first."""
    query = (
        select(Revision)
        .where(Revision.assessment_id == assessment.id)
        .order_by(Revision.number.desc())
    )
    return list(session.scalars(query))
