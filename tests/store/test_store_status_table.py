"""Every cell of the status x role x action table, walked through the store's real operations on
SQLite and PostgreSQL. The "archived" column is walked with an assessment that was approved with
conditions and then archived.

For each status, role and action: a fresh assessment in that status (one revision, an evidence
file, an open comment thread, a decision with one open and one met condition), then the verb.
Where the table allows it, the verb succeeds and leaves an audit event; where it does not, the
verb refuses (WrongStatus naming the status for a role that may do it in other statuses,
NotAllowed otherwise) and nothing in the database changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.engine import Bank
from pia.store import (
    Assessment,
    AuditEvent,
    Comment,
    Condition,
    ConditionInput,
    Evidence,
    NotAllowed,
    ReviewDecision,
    Revision,
    add_comment,
    add_condition,
    add_evidence,
    mark_condition_met,
    record_decision,
    remove_evidence,
    reply,
    request_changes,
    resolve,
    resubmit,
    save_answers,
    set_archived,
    set_board_rating,
    submit,
    take_up,
    verify_condition,
    withdraw,
)
from pia.store.comment_moderation import approve_public_comment, respond_to_public_comments
from pia.store.errors import WrongStatus
from pia.store.meetings import MeetingInput, record_meeting, remove_meeting, update_meeting
from pia.store.models import APPROVED_WITH_CONDITIONS, STATUSES, utcnow
from pia.store.policy import ARCHIVED, PERMISSIONS, TABLE_ROLES, Action, Decision, table_cell
from pia.store.policy import decide as policy
from pia.store.public_models import (
    CommunityMeeting,
    Publication,
    PublicationPermission,
    PublicComment,
    Redaction,
)
from pia.store.publication import allow_publication, publish_for_comment
from pia.store.redaction import approve_redaction, request_redaction

ANSWERS = {"product_name": "FaceFind", "mode": "search", "threshold": 80}
LATER = date.today() + timedelta(days=60)
MEETING = MeetingInput(date.today(), "Library", "What was said.")
EVALUATION = {
    "visible": ["product_name", "mode", "threshold", "tested_on"],
    "findings": [{"rule": "low_threshold", "title": "Threshold below 99%"}],
}


class Fixture:
    """One assessment set up in a given status, with everything the verbs act on."""

    def __init__(self, session: Session, cast: Any, status: str) -> None:
        now = utcnow()
        archived = status == ARCHIVED
        assessment = Assessment(
            agency_id=cast.own.id,
            title="Cell",
            profiles=[],
            bank_id="store-test",
            bank_version="0.1",
            status=APPROVED_WITH_CONDITIONS if archived else status,
            archived_at=now if archived else None,
            lock_version=3,
            answers=ANSWERS,
            notes={},
            revision_count=1,
            submitted_at=now,
            created_at=now,
            updated_at=now,
        )
        session.add(assessment)
        session.flush()
        session.add(
            Revision(
                assessment_id=assessment.id,
                number=1,
                answers=ANSWERS,
                notes={},
                evaluation=EVALUATION,
                bank_id="store-test",
                bank_version="0.1",
                fingerprint="0" * 64,
                profiles=[],
                meta={},
                overall_level="High",
                evidence=[],
            )
        )
        evidence = Evidence(
            assessment_id=assessment.id,
            question_id="mode",
            filename="plan.txt",
            content_type="text/plain; charset=utf-8",
            size=4,
            sha256="1" * 64,
            data=b"plan",
        )
        thread = Comment(
            assessment_id=assessment.id,
            revision_number=1,
            target_kind="question",
            target_id="threshold",
            body="Why 80%?",
            author_id=cast.reviewer.id,
        )
        decision = ReviewDecision(
            assessment_id=assessment.id,
            revision_number=0,  # an earlier cycle's decision: conditions outlive it
            outcome="approved_with_conditions",
            rationale="Earlier cycle.",
            meeting_on=date.today(),
        )
        session.add_all([evidence, thread, decision])
        session.flush()
        open_condition = Condition(
            assessment_id=assessment.id,
            decision_id=decision.id,
            text="Publish an annual report.",
            owner="Records office",
            due_on=LATER,
        )
        met_condition = Condition(
            assessment_id=assessment.id,
            decision_id=decision.id,
            text="Train the operators.",
            owner="Training unit",
            due_on=LATER,
            state="met",
            met_note="Done.",
        )
        # A redaction awaiting approval.
        redaction = Redaction(
            assessment_id=assessment.id, target_kind="answer", target_id="mode", reason="security"
        )
        publication = Publication(
            assessment_id=assessment.id,
            agency_id=cast.own.id,
            revision_number=1,
            stage="comment",
            comment_opens_on=date.today(),
            comment_closes_on=LATER,
            public_data={},
            fingerprint="2" * 64,
        )
        meeting = CommunityMeeting(
            assessment_id=assessment.id,
            held_on=date.today(),
            place="Town hall",
            summary="Questions on retention.",
        )
        session.add_all([open_condition, met_condition, redaction, publication, meeting])
        session.flush()
        pending, approved = (
            PublicComment(
                publication_id=publication.id,
                assessment_id=assessment.id,
                body="Who sees the watchlist?",
                state=state,
            )
            for state in ("pending", "approved")
        )
        session.add_all([pending, approved])
        session.commit()
        self.pending_comment = pending.id
        self.approved_comment = approved.id
        self.redaction_id = redaction.id
        self.meeting_id = meeting.id
        self.assessment = assessment
        self.evidence_id = evidence.id
        self.thread_id = thread.id
        self.open_condition = open_condition.id
        self.met_condition = met_condition.id


def _verbs(bank: Bank) -> dict[Action, Callable[[Session, Fixture, Any], object]]:
    def decide_with_conditions(session: Session, f: Fixture, actor: Any) -> object:
        return record_decision(
            session,
            f.assessment,
            actor,
            revision=1,
            outcome="approved_with_conditions",
            rationale="Proportionate with safeguards.",
            meeting_on=date.today(),
            votes_for=4,
            votes_against=1,
            conditions=[ConditionInput("Audit quarterly.", "Auditor", LATER, "low_threshold")],
        )

    def publish(session: Session, f: Fixture, actor: Any) -> object:
        # The board's permission and every redaction approved first: setting up the cell, not
        # the verb under test.
        redaction = session.get(Redaction, f.redaction_id)
        redaction.approved_at = utcnow()
        session.add(PublicationPermission(assessment_id=f.assessment.id, revision_number=1))
        session.commit()
        return publish_for_comment(
            session, bank, f.assessment, actor, opens_on=date.today(), closes_on=LATER
        )

    return {
        Action.REDACT: lambda s, f, a: request_redaction(
            s, bank, f.assessment, a, kind="note", target="threshold", reason="personal_data"
        ),
        Action.APPROVE_REDACTION: lambda s, f, a: approve_redaction(
            s, f.assessment, a, f.redaction_id
        ),
        Action.ALLOW_PUBLICATION: lambda s, f, a: allow_publication(s, f.assessment, a, revision=1),
        Action.PUBLISH: publish,
        Action.EDIT: lambda s, f, a: save_answers(
            s, bank, f.assessment, a, values={"threshold": 50}, expected_version=3
        ),
        Action.UPLOAD: lambda s, f, a: add_evidence(
            s, f.assessment, a, question_id="mode", filename="b.txt", data=b"b", max_bytes=99
        ),
        Action.REMOVE_EVIDENCE: lambda s, f, a: remove_evidence(s, f.assessment, a, f.evidence_id),
        Action.SUBMIT: lambda s, f, a: submit(s, bank, f.assessment, a, 3),
        Action.RESUBMIT: lambda s, f, a: resubmit(s, bank, f.assessment, a, 3),
        Action.WITHDRAW: lambda s, f, a: withdraw(s, f.assessment, a),
        Action.TAKE_UP: lambda s, f, a: take_up(s, f.assessment, a, revision=1),
        Action.COMMENT: lambda s, f, a: add_comment(
            s, f.assessment, a, revision=1, kind="finding", target="low_threshold", body="Hm."
        ),
        Action.REPLY: lambda s, f, a: reply(s, f.assessment, a, f.thread_id, body="Because."),
        Action.RESOLVE: lambda s, f, a: resolve(s, f.assessment, a, f.thread_id),
        Action.RATE: lambda s, f, a: set_board_rating(
            s, bank, f.assessment, a, revision=1, criterion_id="c1", level="Very high", reason="R"
        ),
        Action.REQUEST_CHANGES: lambda s, f, a: request_changes(
            s, f.assessment, a, revision=1, message="Please test for bias."
        ),
        Action.DECIDE: decide_with_conditions,
        Action.ADD_CONDITION: lambda s, f, a: add_condition(
            s, f.assessment, a, ConditionInput("Report yearly.", "Clerk", LATER)
        ),
        Action.MARK_CONDITION_MET: lambda s, f, a: mark_condition_met(
            s, f.assessment, a, f.open_condition, note="Published on the website."
        ),
        Action.VERIFY_CONDITION: lambda s, f, a: verify_condition(
            s, f.assessment, a, f.met_condition, accept=True
        ),
        Action.MODERATE_PUBLIC_COMMENTS: lambda s, f, a: approve_public_comment(
            s, f.assessment, a, f.pending_comment
        ),
        Action.RESPOND_TO_PUBLIC_COMMENTS: lambda s, f, a: respond_to_public_comments(
            s, f.assessment, a, comment_ids=[f.approved_comment], body="It is kept sealed."
        ),
        Action.RECORD_MEETING: lambda s, f, a: record_meeting(s, f.assessment, a, MEETING),
        Action.EDIT_MEETING: lambda s, f, a: update_meeting(
            s, f.assessment, a, f.meeting_id, MEETING
        ),
        Action.REMOVE_MEETING: lambda s, f, a: remove_meeting(s, f.assessment, a, f.meeting_id),
        Action.ARCHIVE: lambda s, f, a: set_archived(s, f.assessment, a, archived=True),
        Action.UNARCHIVE: lambda s, f, a: set_archived(s, f.assessment, a, archived=False),
    }


READ_ONLY = {Action.VIEW, Action.VIEW_REPORT, Action.DOWNLOAD_EVIDENCE}


def test_every_action_of_the_table_is_walked(bank: Bank) -> None:
    assert set(_verbs(bank)) | READ_ONLY == set(PERMISSIONS)


def _state(session: Session, assessment_id: int) -> tuple[Any, ...]:
    session.expire_all()
    stored = session.get(Assessment, assessment_id)
    assert stored is not None
    counts = tuple(
        session.scalar(select(func.count()).select_from(model).where(column == assessment_id))
        for model, column in (
            (AuditEvent, AuditEvent.assessment_id),
            (Comment, Comment.assessment_id),
            (Condition, Condition.assessment_id),
            (Revision, Revision.assessment_id),
        )
    )
    removed = session.scalar(
        select(func.count())
        .select_from(Evidence)
        .where(Evidence.assessment_id == assessment_id, Evidence.removed_at.is_not(None))
    )
    states = tuple(
        session.scalars(
            select(Condition.state)
            .where(Condition.assessment_id == assessment_id)
            .order_by(Condition.id)
        )
    )
    return (
        stored.status,
        stored.lock_version,
        stored.answers,
        removed,
        states,
        *counts,
        stored.archived_at,
    )


@pytest.mark.parametrize("status", (*STATUSES, ARCHIVED))
def test_every_cell_of_the_status_table(session: Session, bank: Bank, cast: Any, status: str):
    verbs = _verbs(bank)
    actors = {"officer": cast.officer, "reviewer": cast.reviewer, "admin": cast.admin}
    failures = []
    for role in TABLE_ROLES:
        for action in PERMISSIONS:
            fixture = Fixture(session, cast, status)
            actor = actors[role]
            expected = table_cell(status, role, action) if role != "admin" else Decision.NOT_FOUND
            where = f"{status} x {role} x {action.value}"
            assert policy(actor, action, fixture.assessment) is expected, where
            if action in READ_ONLY:
                continue
            before = _state(session, fixture.assessment.id)
            try:
                verbs[action](session, fixture, actor)
            except WrongStatus as refused:
                outcome = Decision.WRONG_STATUS
                assert refused.current_status == status, where
            except NotAllowed:
                outcome = Decision.FORBIDDEN if role != "admin" else Decision.NOT_FOUND
            else:
                outcome = Decision.ALLOW
            after = _state(session, fixture.assessment.id)
            if outcome is not expected:
                failures.append(f"{where}: table says {expected.name}, verb gave {outcome.name}")
            elif outcome is Decision.ALLOW:
                assert after[5] > before[5], f"{where}: no audit event"
            else:
                assert after == before, f"{where}: refused but something changed"
    assert failures == []
