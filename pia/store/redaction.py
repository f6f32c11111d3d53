"""Redactions: the officer asks to withhold an answer, a note or an evidence file from the public,
with a reason from the fixed list and an explanation; a reviewer approves each before anything is
published. Questions the bank marks sensitive are always withheld and need no redaction. A
redaction approved after a publication withdraws its item from that publication too
(pia.store.withdrawal): redactions are asked for and approved whatever the status, published or
not.

Each verb is one unit of work: it locks the assessment, asks the policy, checks its input
(InvalidInput, nothing written) and writes the change with its audit event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.report.public import Withholding
from pia.store import audit
from pia.store.errors import InvalidInput, NotFound
from pia.store.lifecycle import lock_assessment
from pia.store.models import Assessment, Evidence, User, utcnow
from pia.store.policy import Action, require
from pia.store.public_models import (
    REDACT_ANSWER,
    REDACT_EVIDENCE,
    REDACT_NOTE,
    REDACTION_REASONS,
    REDACTION_TARGETS,
    Redaction,
)
from pia.store.transaction import committing
from pia.store.withdrawal import withdraw_from_publications

EXPLANATION_MAX = 2000
REDACTION_REQUESTED = "redaction.requested"
REDACTION_WITHDRAWN = "redaction.withdrawn"
REDACTION_APPROVED = "redaction.approved"
TARGET_LABELS = {REDACT_ANSWER: "answer", REDACT_NOTE: "note", REDACT_EVIDENCE: "evidence file"}


def redactions_for(session: Session, assessment: Assessment) -> list[Redaction]:
    query = (
        select(Redaction)
        .where(Redaction.assessment_id == assessment.id)
        .order_by(Redaction.target_kind, Redaction.target_id, Redaction.id)
    )
    return list(session.scalars(query))


def awaiting_approval(redactions: list[Redaction]) -> list[Redaction]:
    return [item for item in redactions if item.approved_at is None]


def withholding_for(redactions: list[Redaction]) -> Withholding:
    """What the approved redactions withhold, each with its reason's label."""
    answers, notes, evidence = {}, {}, {}
    for item in redactions:
        if item.approved_at is None:
            continue
        if item.target_kind == REDACT_ANSWER:
            answers[item.target_id] = item.reason_label
        elif item.target_kind == REDACT_NOTE:
            notes[item.target_id] = item.reason_label
        elif item.target_kind == REDACT_EVIDENCE and item.target_id.isdigit():
            evidence[int(item.target_id)] = item.reason_label
    return Withholding(answers=answers, notes=notes, evidence=evidence)


def _check_target(
    session: Session, bank: Bank, assessment: Assessment, kind: str, target: str
) -> str:
    if kind not in REDACTION_TARGETS:
        raise InvalidInput(
            "choose what to withhold: an answer, a note or an evidence file", field="kind"
        )
    target = (target or "").strip()
    if kind == REDACT_EVIDENCE:
        evidence = (
            session.get(Evidence, int(target)) if target.isdigit() and len(target) < 10 else None
        )
        if evidence is None or evidence.assessment_id != assessment.id:
            raise InvalidInput("choose an evidence file of this assessment", field="target")
        return str(evidence.id)
    if target not in bank.questions:
        raise InvalidInput("choose a question of this assessment", field="target")
    return target


def _check_reason(reason: str) -> str:
    if reason not in REDACTION_REASONS:
        allowed = ", ".join(REDACTION_REASONS.values())
        raise InvalidInput(f"choose a reason from the list ({allowed})", field="reason")
    return reason


def _check_explanation(explanation: str) -> str:
    explanation = (explanation or "").strip()
    if len(explanation) > EXPLANATION_MAX:
        raise InvalidInput(
            f"the explanation is {len(explanation)} characters; the most is {EXPLANATION_MAX}",
            field="explanation",
        )
    return explanation


def request_redaction(
    session: Session,
    bank: Bank,
    assessment: Assessment,
    actor: User,
    *,
    kind: str,
    target: str,
    reason: str,
    explanation: str = "",
) -> Redaction:
    """Withhold an answer, note (target: the question id) or evidence file (target: its id).

    Asking again for the same item changes its reason and explanation and needs a new approval.
    """
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.REDACT, assessment)
        target = _check_target(session, bank, assessment, kind, target)
        reason = _check_reason(reason)
        explanation = _check_explanation(explanation)
        redaction = session.scalars(
            select(Redaction).where(
                Redaction.assessment_id == assessment.id,
                Redaction.target_kind == kind,
                Redaction.target_id == target,
            )
        ).first()
        if redaction is None:
            redaction = Redaction(assessment_id=assessment.id, target_kind=kind, target_id=target)
            session.add(redaction)
        redaction.reason = reason
        redaction.explanation = explanation
        redaction.requested_by_id = actor.id
        redaction.requested_at = utcnow()
        redaction.approved_by_id = None
        redaction.approved_at = None
        audit.add_event(
            session,
            REDACTION_REQUESTED,
            actor=actor,
            assessment=assessment,
            detail={"kind": kind, "target": target, "reason": reason},
        )
    return redaction


def _redaction(session: Session, assessment: Assessment, redaction_id: int) -> Redaction:
    redaction = session.get(Redaction, redaction_id) if 0 < redaction_id < 2**31 else None
    if redaction is None or redaction.assessment_id != assessment.id:
        raise NotFound("this redaction no longer exists")
    return redaction


def withdraw_redaction(
    session: Session, assessment: Assessment, actor: User, redaction_id: int
) -> None:
    """The officer takes a redaction back: the item will be published."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.REDACT, assessment)
        redaction = _redaction(session, assessment, redaction_id)
        audit.add_event(
            session,
            REDACTION_WITHDRAWN,
            actor=actor,
            assessment=assessment,
            detail={"kind": redaction.target_kind, "target": redaction.target_id},
        )
        session.delete(redaction)


def approve_redaction(
    session: Session, assessment: Assessment, actor: User, redaction_id: int
) -> Redaction:
    """A reviewer approves a redaction; approving one already approved changes nothing.

    Approved while publications exist, it withdraws the item from each that shows it
    (pia.store.withdrawal), and the audit event names them."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.APPROVE_REDACTION, assessment)
        redaction = _redaction(session, assessment, redaction_id)
        if redaction.approved_at is None:
            redaction.approved_by_id = actor.id
            redaction.approved_at = utcnow()
            # Approved after publication: the item comes down from what is already public.
            withdrawn = withdraw_from_publications(
                session, assessment, redaction, actor, redaction.approved_at
            )
            detail: dict[str, Any] = {
                "kind": redaction.target_kind,
                "target": redaction.target_id,
                "reason": redaction.reason,
            }
            if withdrawn:
                detail["withdrawn_from_publications"] = withdrawn
            audit.add_event(
                session, REDACTION_APPROVED, actor=actor, assessment=assessment, detail=detail
            )
    return redaction
