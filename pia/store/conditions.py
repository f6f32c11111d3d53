"""Conditions of an approval: the board adds them, the officer marks one met (with a note and,
optionally, a file showing it), a reviewer verifies it or sends it back. Overdue conditions (due
date passed, not verified) show on both dashboards."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.store import audit
from pia.store.comments import findings_of, latest_revision
from pia.store.errors import NotFound, WrongStatus
from pia.store.evidence import check_upload
from pia.store.lifecycle import lock_assessment
from pia.store.models import Assessment, PlanItem, User, utcnow
from pia.store.notifications import NotificationKind, enqueue_notification
from pia.store.policy import Action, require
from pia.store.review_checks import CheckedCondition, ConditionInput, condition, text
from pia.store.review_models import (
    CONDITION_MET,
    CONDITION_OPEN,
    CONDITION_VERIFIED,
    Condition,
    ReviewDecision,
)
from pia.store.transaction import committing


def adopted_plan_items(session: Session, assessment: Assessment) -> set[int]:
    """The ids of the action-plan items the assessment's officer adopted (a condition may name
    one of them)."""
    query = select(PlanItem.id).where(PlanItem.assessment_id == assessment.id)
    return set(session.scalars(query))


def new_condition(
    assessment: Assessment, decision: ReviewDecision, checked: CheckedCondition
) -> Condition:
    return Condition(
        assessment_id=assessment.id,
        decision_id=decision.id,
        text=checked.text,
        owner=checked.owner,
        due_on=checked.due_on,
        finding_rule=checked.finding_rule,
        plan_item_id=checked.plan_item_id,
    )


def add_condition(
    session: Session, assessment: Assessment, actor: User, item: ConditionInput
) -> Condition:
    """One more condition on the approval in force (after the decision: the board met again,
    or the officer's plan names an item worth holding them to)."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.ADD_CONDITION, assessment)
        query = (
            select(ReviewDecision)
            .where(ReviewDecision.assessment_id == assessment.id)
            .order_by(ReviewDecision.revision_number.desc())
        )
        decision = session.scalars(query).first()
        if decision is None:
            raise NotFound("this assessment has no decision to add a condition to")
        findings = findings_of(latest_revision(session, assessment))
        checked = condition(item, findings, 1, adopted_plan_items(session, assessment))
        added = new_condition(assessment, decision, checked)
        session.add(added)
        session.flush()
        audit.add_event(
            session,
            audit.CONDITION_ADDED,
            actor=actor,
            assessment=assessment,
            detail={
                "condition": added.id,
                "decision_revision": decision.revision_number,
                "due_on": checked.due_on.isoformat(),
                "finding": checked.finding_rule,
                "plan_item": checked.plan_item_id,
            },
        )
        enqueue_notification(
            session,
            NotificationKind.CONDITION_ADDED,
            assessment,
            actor=actor,
            revision=decision.revision_number,
            lines=[f"Owner: {checked.owner}", f"Due: {checked.due_on.isoformat()}"],
        )
    return added


def _condition(session: Session, assessment: Assessment, condition_id: int) -> Condition:
    if isinstance(condition_id, bool) or not isinstance(condition_id, int) or condition_id < 1:
        raise NotFound("there is no such condition")
    found = session.get(Condition, condition_id)
    if found is None or found.assessment_id != assessment.id:
        raise NotFound("there is no such condition on this assessment")
    return found


def mark_condition_met(
    session: Session,
    assessment: Assessment,
    actor: User,
    condition_id: int,
    *,
    note: str,
    filename: str = "",
    data: bytes = b"",
    max_bytes: int = 10 * 1024 * 1024,
) -> Condition:
    """The officer says an open condition is met, how, and optionally with a file showing it."""
    checked_note = text(note, "the note on how the condition is met", "note")
    upload = check_upload(filename, bytes(data), max_bytes) if data else None
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.MARK_CONDITION_MET, assessment)
        found = _condition(session, assessment, condition_id)
        if found.state != CONDITION_OPEN:
            raise WrongStatus(
                f"this condition is {found.state_label.lower()}, not open",
                current_status=found.state,
            )
        found.state = CONDITION_MET
        found.met_note = checked_note
        found.met_at = utcnow()
        found.met_by_id = actor.id
        if upload is not None:
            found.met_filename, kind = upload[0], upload[1]
            found.met_content_type = kind.content_type
            found.met_sha256 = hashlib.sha256(data).hexdigest()
            found.met_data = bytes(data)
        audit.add_event(
            session,
            audit.CONDITION_MET,
            actor=actor,
            assessment=assessment,
            detail={"condition": found.id, "file": found.met_filename, "sha256": found.met_sha256},
        )
    return found


def verify_condition(
    session: Session,
    assessment: Assessment,
    actor: User,
    condition_id: int,
    *,
    accept: bool,
    note: str = "",
) -> Condition:
    """A reviewer confirms a condition marked met, or sends it back open (saying why)."""
    checked_note = text(note, "the reason for sending it back", "note", required=not accept)
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.VERIFY_CONDITION, assessment)
        found = _condition(session, assessment, condition_id)
        if found.state != CONDITION_MET:
            raise WrongStatus(
                f"this condition is {found.state_label.lower()}: only a condition marked met "
                "can be verified",
                current_status=found.state,
            )
        if accept:
            found.state = CONDITION_VERIFIED
            found.verified_at = utcnow()
            found.verified_by_id = actor.id
        else:
            found.state = CONDITION_OPEN
        audit.add_event(
            session,
            audit.CONDITION_VERIFIED if accept else audit.CONDITION_REOPENED,
            actor=actor,
            assessment=assessment,
            detail={"condition": found.id, "note": checked_note},
        )
    return found


def condition_file(session: Session, assessment: Assessment, condition_id: int) -> Condition:
    """The condition with the file attached when it was marked met (its bytes load when `.met_data`
    is read); NotFound when it has none. The caller checks the reader may see the assessment."""
    found = _condition(session, assessment, condition_id)
    if not found.met_filename or not found.met_sha256:
        raise NotFound("no file was attached to this condition")
    return found


def conditions_by_plan_item(
    session: Session, assessment: Assessment
) -> dict[int, list[tuple[Condition, int]]]:
    """Plan item id -> the board's conditions that point at it, each with the revision number of
    the decision that set it (one query)."""
    query = (
        select(Condition, ReviewDecision.revision_number)
        .join(ReviewDecision, ReviewDecision.id == Condition.decision_id)
        .where(Condition.assessment_id == assessment.id, Condition.plan_item_id.is_not(None))
        .order_by(Condition.id)
    )
    grouped: dict[int, list[tuple[Condition, int]]] = {}
    for found, revision in session.execute(query):
        grouped.setdefault(found.plan_item_id, []).append((found, revision))
    return grouped
