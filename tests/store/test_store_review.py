"""The review round in the store: take up, comment, rate, request changes, resubmit, decide with
conditions, meet and verify them; refusals that change nothing; frozen evidence sets."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pia.engine import Bank, fingerprint
from pia.store import (
    AuditEvent,
    ConditionInput,
    InvalidInput,
    ReviewDecision,
    add_comment,
    add_evidence,
    create_assessment,
    evidence_for,
    get_revision,
    mark_condition_met,
    record_decision,
    remove_evidence,
    replace_evidence,
    reply,
    request_changes,
    resolve,
    resubmit,
    review_record,
    save_answers,
    set_board_rating,
    submit,
    take_up,
    verify_condition,
    verify_revision,
)
from pia.store.errors import StaleForm, WrongStatus

ANSWERS = {"product_name": "FaceFind", "mode": "search", "threshold": 80}
TODAY = date.today()


def submitted(session: Session, bank: Bank, cast: Any) -> Any:
    assessment = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    save_answers(session, bank, assessment, cast.officer, values=ANSWERS, expected_version=0)
    submit(session, bank, assessment, cast.officer, 1)
    return assessment


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_round_of_changes_then_a_decision_with_conditions(session, bank, cast) -> None:
    a = submitted(session, bank, cast)
    take_up(session, a, cast.reviewer, revision=1)
    assert a.status == "in_review"
    thread = add_comment(
        session, a, cast.reviewer, revision=1, kind="question", target="threshold", body="Why 80?"
    )
    add_comment(
        session, a, cast.reviewer, revision=1, kind="finding", target="low_threshold", body="Hm"
    )
    set_board_rating(
        session,
        bank,
        a,
        cast.reviewer,
        revision=1,
        criterion_id="c1",
        level="Very high",
        reason="Live use is likely.",
    )
    request_changes(session, a, cast.reviewer, revision=1, message="Please raise the threshold.")
    assert a.status == "changes_requested"
    reply(session, a, cast.officer, thread.id, body="Raised to 99.5.")
    save_answers(
        session, bank, a, cast.officer, values={"threshold": 99.5}, expected_version=a.lock_version
    )
    assert a.status == "changes_requested"  # editing keeps the request open until resubmitted
    second = resubmit(session, bank, a, cast.officer, a.lock_version)
    assert (second.number, a.status) == (2, "resubmitted")
    with pytest.raises(StaleForm):  # a form built for revision 1
        request_changes(session, a, cast.reviewer, revision=1)
    resolve(session, a, cast.reviewer, thread.id)
    decision = record_decision(
        session,
        a,
        cast.reviewer,
        revision=2,
        outcome="approved_with_conditions",
        rationale="Proportionate with the safeguards described.",
        meeting_on=TODAY,
        votes_for=5,
        votes_against=1,
        votes_abstain=1,
        names_against="Member Lee",
        review_due_on=TODAY + timedelta(days=730),
        conditions=[ConditionInput("Publish audits.", "Records", TODAY + timedelta(days=90))],
    )
    assert a.status == "approved_with_conditions" and a.review_due_on == decision.review_due_on
    record = review_record(session, a, 2)
    assert record.decision.outcome == "approved_with_conditions"
    assert (record.decision.votes_for, record.decision.names_against) == (5, "Member Lee")
    [condition] = record.conditions
    assert condition.state == "open"
    # threads carry to revision 2: the resolved one with its reply, the open one
    assert [(t.target, t.open, len(t.comments)) for t in record.threads] == [
        ("threshold", False, 2),
        ("low_threshold", True, 1),
        ("", True, 1),
    ]
    assert review_record(session, a, 1).ratings[0].level == "Very high"
    assert review_record(session, a, 2).ratings == ()
    with pytest.raises(WrongStatus):
        verify_condition(session, a, cast.reviewer, condition.id, accept=True)  # not met yet
    mark_condition_met(
        session,
        a,
        cast.officer,
        condition.id,
        note="Audit 1 published.",
        filename="a.txt",
        data=b"audit",
    )
    verify_condition(session, a, cast.reviewer, condition.id, accept=True)
    assert review_record(session, a, 2).conditions[0].state == "verified"


BAD_DECISIONS = [
    ({"rationale": "  "}, "the rationale must not be empty"),
    ({"meeting_on": TODAY + timedelta(days=3)}, "cannot be in the future"),
    ({"review_due_on": TODAY - timedelta(days=1)}, "must be after today"),
    ({"votes_for": -1}, "the votes for must be a whole number"),
    ({"conditions": []}, "needs at least one condition"),
    (
        {"conditions": [ConditionInput("Audit.", "Clerk", TODAY - timedelta(days=1))]},
        "the due date of condition 1",
    ),
    (
        {"conditions": [ConditionInput("Audit.", "Clerk", TODAY + timedelta(days=9), "nope")]},
        "names a finding ('nope') this revision does not have",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_DECISIONS)
def test_a_bad_decision_changes_nothing(session, bank, cast, change, message) -> None:
    a = submitted(session, bank, cast)
    take_up(session, a, cast.reviewer, revision=1)
    before = audit_count(session)
    fields: dict[str, Any] = {
        "revision": 1,
        "outcome": "approved_with_conditions",
        "rationale": "Fine.",
        "meeting_on": TODAY,
        "conditions": [ConditionInput("Audit.", "Clerk", TODAY + timedelta(days=9))],
        **change,
    }
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        record_decision(session, a, cast.reviewer, **fields)
    session.expire_all()
    assert a.status == "in_review" and audit_count(session) == before
    assert session.scalar(select(func.count()).select_from(ReviewDecision)) == 0


def test_a_decision_reports_every_bad_value_at_once(session, bank, cast) -> None:
    from pia.store.errors import InvalidInputs

    a = submitted(session, bank, cast)
    take_up(session, a, cast.reviewer, revision=1)
    before = audit_count(session)
    good = ConditionInput("Audit.", "Clerk", TODAY + timedelta(days=9))
    no_owner_past = ConditionInput("Train staff.", " ", TODAY - timedelta(days=1))
    no_text_bad_rule = ConditionInput("", "Clerk", TODAY + timedelta(days=9), "nope")
    with pytest.raises(InvalidInputs) as refused:
        record_decision(
            session,
            a,
            cast.reviewer,
            revision=1,
            outcome="approved_with_conditions",
            rationale="",
            meeting_on=TODAY,
            conditions=[good, no_owner_past, no_text_bad_rule],
        )
    fields = [problem.field for problem in refused.value.problems]
    assert fields == [
        "rationale",
        "conditions-2-owner",
        "conditions-2-due_on",
        "conditions-3-text",
        "conditions-3-finding_rule",
    ]
    assert refused.value.field == "rationale" and "rationale" in str(refused.value)
    session.expire_all()
    assert a.status == "in_review" and audit_count(session) == before
    assert session.scalar(select(func.count()).select_from(ReviewDecision)) == 0


def test_a_comment_must_be_on_what_the_revision_shows(session, bank, cast) -> None:
    a = submitted(session, bank, cast)
    take_up(session, a, cast.reviewer, revision=1)
    with pytest.raises(InvalidInput, match="does not show a question 'warrant'"):
        # warrant is shown only for live use; this revision answered "search"
        add_comment(
            session, a, cast.reviewer, revision=1, kind="question", target="warrant", body="?"
        )
    with pytest.raises(WrongStatus, match="in review") as refused:
        take_up(session, a, cast.reviewer, revision=1)
    assert refused.value.current_status == "in_review"


def test_a_revision_keeps_its_evidence_set_and_later_uploads_go_to_the_draft(
    session, bank, cast
) -> None:
    a = create_assessment(session, bank, cast.officer, title="Pilot")
    save_answers(session, bank, a, cast.officer, values=ANSWERS, expected_version=0)
    first = add_evidence(
        session, a, cast.officer, question_id="mode", filename="plan.txt", data=b"v1", max_bytes=99
    )
    revision = submit(session, bank, a, cast.officer, 1)
    assert [item["filename"] for item in revision.evidence] == ["plan.txt"]
    assert revision.fingerprint == fingerprint(
        "store-test", "0.1", ANSWERS, {}, [("plan.txt", first.sha256)]
    )
    assert revision.fingerprint != fingerprint("store-test", "0.1", ANSWERS, {})
    assert verify_revision(revision)
    # after submission: an upload, a replacement and a removal all belong to the new draft
    add_evidence(
        session, a, cast.officer, question_id="mode", filename="more.txt", data=b"x", max_bytes=99
    )
    assert a.status == "draft"
    replaced = replace_evidence(
        session, a, cast.officer, first.id, filename="plan-v2.txt", data=b"v2", max_bytes=99
    )
    remove_evidence(session, a, cast.officer, replaced.id)
    assert [item.filename for item in evidence_for(session, a)] == ["more.txt"]
    session.expire_all()
    stored = get_revision(session, a, 1)
    assert [item["filename"] for item in stored.evidence] == ["plan.txt"]
    assert verify_revision(stored)
    actions = list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.assessment_id == a.id)
            .order_by(AuditEvent.id)
        )
    )
    assert actions[-3:] == ["evidence.added", "evidence.replaced", "evidence.removed"]


def test_the_review_record_takes_the_same_queries_for_2_or_200_comments(
    session, bank, cast, engine
) -> None:
    a = submitted(session, bank, cast)
    take_up(session, a, cast.reviewer, revision=1)

    def queries_for_record() -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            session.expire_all()
            review_record(session, a, 1)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    for _ in range(2):
        add_comment(session, a, cast.reviewer, revision=1, kind="assessment", body="One")
    few = queries_for_record()
    for index in range(198):
        thread = add_comment(session, a, cast.reviewer, revision=1, kind="assessment", body="x")
        if index % 3 == 0:
            reply(session, a, cast.officer, thread.id, body="Answer")
    assert queries_for_record() == few


def test_both_lists_show_the_review_date_and_overdue_conditions(session, bank, cast) -> None:
    from sqlalchemy import update

    from pia.store import Condition, list_assessments, list_submitted

    a = submitted(session, bank, cast)
    take_up(session, a, cast.reviewer, revision=1)
    due = TODAY + timedelta(days=730)
    record_decision(
        session,
        a,
        cast.reviewer,
        revision=1,
        outcome="approved_with_conditions",
        rationale="Fine with audits.",
        meeting_on=TODAY,
        review_due_on=due,
        conditions=[
            ConditionInput("Audit.", "Clerk", TODAY + timedelta(days=5)),
            ConditionInput("Train.", "Unit", TODAY + timedelta(days=5)),
        ],
    )
    [first, second] = review_record(session, a, 1).conditions
    # time passes: the first condition's due date is now behind us, the second was verified
    session.execute(
        update(Condition).where(Condition.id == first.id).values(due_on=TODAY - timedelta(days=1))
    )
    session.execute(
        update(Condition)
        .where(Condition.id == second.id)
        .values(due_on=TODAY - timedelta(days=1), state="verified")
    )
    session.commit()
    for page in (list_assessments(session, cast.officer), list_submitted(session, cast.reviewer)):
        [row] = page.items
        assert (row.review_due_on, row.overdue_conditions) == (due, 1)
        assert row.status == "approved_with_conditions" and not row.review_overdue(TODAY)
