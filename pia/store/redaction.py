"""Redactions: the officer asks to withhold an answer, a note or an evidence file from the public,
with a reason from the fixed list and an explanation; a reviewer approves each before anything is
published. Questions the bank marks sensitive are always withheld and need no redaction. A
redaction approved after a publication withdraws its item from that publication too
(pia.store.withdrawal): redactions are asked for and approved whatever the status, published or
not. An item is an answer or note whatever it says (the question's), or one text of it as an
earlier publication showed it (changed since: only that text comes down), or an evidence file.

Each verb is one unit of work: it locks the assessment, asks the policy, checks its input
(InvalidInput, nothing written) and writes the change with its audit event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.report.public import Withholding, published_value_sha256
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
from pia.store.withdrawal import shows_published_value, withdraw_from_publications

EXPLANATION_MAX = 2000
VALUE_SHA256 = re.compile(r"[0-9a-f]{64}")
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


def withholding_for(
    redactions: list[Redaction], answers: Mapping[str, Any], notes: Mapping[str, Any]
) -> Withholding:
    """What the approved redactions withhold from a revision with these `answers` and `notes`
    (as public data holds them), each with its reason's label. A redaction of a published value
    withholds the answer or note only while it still says that."""
    withheld: dict[str, dict[str, str]] = {REDACT_ANSWER: {}, REDACT_NOTE: {}}
    evidence = {}
    values = {REDACT_ANSWER: answers, REDACT_NOTE: notes}
    # Redactions of the item whatever it says first: a value's own never replaces their reason.
    for item in sorted(redactions, key=lambda item: item.value_sha256 != ""):
        if item.approved_at is None:
            continue
        if item.target_kind in withheld:
            if item.value_sha256:
                value = values[item.target_kind].get(item.target_id)
                if value is None or published_value_sha256(value) != item.value_sha256:
                    continue
            withheld[item.target_kind].setdefault(item.target_id, item.reason_label)
        elif item.target_kind == REDACT_EVIDENCE and item.target_id.isdigit():
            evidence[int(item.target_id)] = item.reason_label
    return Withholding(
        answers=withheld[REDACT_ANSWER], notes=withheld[REDACT_NOTE], evidence=evidence
    )


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


def _check_value(
    session: Session, assessment: Assessment, kind: str, target: str, value_sha256: str
) -> str:
    """A published value's SHA-256 ("" for the item whatever it says): one that a publication
    of the assessment shows as the answer or note to `target`."""
    value_sha256 = (value_sha256 or "").strip()
    if not value_sha256:
        return ""
    if (
        kind == REDACT_EVIDENCE
        or not VALUE_SHA256.fullmatch(value_sha256)
        or not shows_published_value(session, assessment, kind, target, value_sha256)
    ):
        raise InvalidInput(
            "choose an answer or note as a publication of this assessment shows it",
            field="target",
        )
    return value_sha256


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
    value_sha256: str = "",
) -> Redaction:
    """Withhold an answer, note (target: the question id) or evidence file (target: its id).
    With `value_sha256`, only the answer or note that says what a publication showed (an
    answer changed since: published_value_sha256 of the text it showed).

    Asking again for the same item changes its reason and explanation and needs a new approval.
    """
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.REDACT, assessment)
        target = _check_target(session, bank, assessment, kind, target)
        value_sha256 = _check_value(session, assessment, kind, target, value_sha256)
        reason = _check_reason(reason)
        explanation = _check_explanation(explanation)
        redaction = session.scalars(
            select(Redaction).where(
                Redaction.assessment_id == assessment.id,
                Redaction.target_kind == kind,
                Redaction.target_id == target,
                Redaction.value_sha256 == value_sha256,
            )
        ).first()
        if redaction is None:
            redaction = Redaction(
                assessment_id=assessment.id,
                target_kind=kind,
                target_id=target,
                value_sha256=value_sha256,
            )
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
            detail={
                "kind": kind,
                "target": target,
                "reason": reason,
                **({"value_sha256": value_sha256} if value_sha256 else {}),
            },
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
            if redaction.value_sha256:
                detail["value_sha256"] = redaction.value_sha256
            if withdrawn:
                detail["withdrawn_from_publications"] = withdrawn
            audit.add_event(
                session, REDACTION_APPROVED, actor=actor, assessment=assessment, detail=detail
            )
    return redaction
