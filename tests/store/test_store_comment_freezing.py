"""A final report freezes what was said on the publications before it, in the store on SQLite
and PostgreSQL: moderating and answering their comments is refused as reconsidering and
correcting are; duplicates follow their original back to the queue; and the report's record
says when the agency corrected a response."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest
from publication_rows import comments_on, events, publication_row
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.report.public_comment_record import record_from_dict, record_to_dict
from pia.report.public_comment_section import public_comment_section
from pia.store.comment_corrections import correct_comment_response, reconsider_public_comment
from pia.store.comment_freezing import CommentsFrozen
from pia.store.comment_moderation import (
    approve_public_comment,
    mark_duplicate_comment,
    reject_public_comment,
    respond_to_public_comments,
)
from pia.store.comment_record import public_comment_record
from pia.store.errors import InvalidInput
from pia.store.models import Assessment, AuditEvent
from pia.store.public_models import PublicComment


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def states(session: Session, *found: PublicComment) -> list[tuple[str, int | None]]:
    session.expire_all()
    return [
        (session.get(PublicComment, c.id).state, session.get(PublicComment, c.id).duplicate_of_id)
        for c in found
    ]


def test_after_the_final_report_no_comment_before_it_is_moderated_or_answered(
    session: Session, cast: Any
) -> None:
    made = publication_row(session, cast, "comment")
    assessment = session.get(Assessment, made.assessment_id)
    approved, waiting, unanswered = comments_on(session, made, "approved", "waiting", "unanswered")
    for comment in (approved, unanswered):
        approve_public_comment(session, assessment, cast.officer, comment.id)
    publication_row(session, cast, "final", assessment.id)
    before = audit_count(session)
    refused = [
        lambda: approve_public_comment(session, assessment, cast.officer, waiting.id),
        lambda: reject_public_comment(session, assessment, cast.officer, waiting.id, "Spam."),
        lambda: mark_duplicate_comment(session, assessment, cast.officer, waiting.id, approved.id),
        lambda: respond_to_public_comments(
            session, assessment, cast.officer, comment_ids=[unanswered.id], body="Thank you."
        ),
    ]
    for verb in refused:
        with pytest.raises(CommentsFrozen, match=r"final report published on .* can no longer"):
            verb()
    assert states(session, waiting, unanswered) == [("pending", None), ("approved", None)]
    session.expire_all()
    assert session.get(PublicComment, unanswered.id).response_id is None
    assert audit_count(session) == before

    # Comments on a publication for comment after that final report are not frozen by it.
    later = publication_row(session, cast, "comment", assessment.id)
    fresh, other = comments_on(session, later, "fresh", "other")
    approve_public_comment(session, assessment, cast.officer, fresh.id)
    reject_public_comment(session, assessment, cast.officer, other.id, "Off topic.")
    response = respond_to_public_comments(
        session, assessment, cast.officer, comment_ids=[fresh.id], body="Noted."
    )
    assert response.publication_id == later.id


def test_reconsidering_an_original_sends_its_duplicates_back_to_the_queue(
    session: Session, cast: Any
) -> None:
    made = publication_row(session, cast, "comment")
    assessment = session.get(Assessment, made.assessment_id)
    original, copy, other_copy, unrelated = comments_on(session, made, "a", "a!", "a?", "b")
    approve_public_comment(session, assessment, cast.officer, original.id)
    for duplicate in (copy, other_copy):
        mark_duplicate_comment(session, assessment, cast.officer, duplicate.id, original.id)
    approve_public_comment(session, assessment, cast.officer, unrelated.id)

    reconsider_public_comment(session, assessment, cast.officer, original.id, "Off topic.")
    assert states(session, original, copy, other_copy, unrelated) == [
        ("pending", None),
        ("pending", None),
        ("pending", None),
        ("approved", None),
    ]
    returned = events(session, "public_comment.duplicate_returned")
    assert [event.detail["comment"] for event in returned] == [copy.id, other_copy.id]
    for event in returned:
        assert event.actor_id == cast.officer.id and event.assessment_id == assessment.id
        assert event.detail["duplicate_of"] == original.id
        assert event.detail["original_state"] == "pending"
        assert event.detail["earlier_moderated_at"]
    [reconsidered] = events(session, "public_comment.reconsidered")
    assert reconsidered.detail["duplicates_returned"] == [copy.id, other_copy.id]

    # The original is rejected this time: no duplicate points at a rejected comment.
    reject_public_comment(session, assessment, cast.officer, original.id, "Off topic.")
    pointing = session.scalars(
        select(PublicComment).where(PublicComment.duplicate_of_id == original.id)
    ).all()
    assert pointing == []
    with pytest.raises(InvalidInput, match="is rejected"):
        mark_duplicate_comment(session, assessment, cast.officer, copy.id, original.id)


def test_rejecting_or_marking_a_pending_original_sends_its_duplicates_back(
    session: Session, cast: Any
) -> None:
    made = publication_row(session, cast, "comment")
    assessment = session.get(Assessment, made.assessment_id)
    first, copy, second, copy_of_second, third = comments_on(
        session, made, "one", "one!", "two", "two!", "three"
    )
    mark_duplicate_comment(session, assessment, cast.officer, copy.id, first.id)  # still pending
    mark_duplicate_comment(session, assessment, cast.officer, copy_of_second.id, second.id)
    approve_public_comment(session, assessment, cast.officer, third.id)

    reject_public_comment(session, assessment, cast.officer, first.id, "Abusive.")
    mark_duplicate_comment(session, assessment, cast.officer, second.id, third.id)
    assert states(session, first, copy, second, copy_of_second) == [
        ("rejected", None),
        ("pending", None),
        ("duplicate", third.id),
        ("pending", None),
    ]
    returned = events(session, "public_comment.duplicate_returned")
    assert [(e.detail["comment"], e.detail["original_state"]) for e in returned] == [
        (copy.id, "rejected"),
        (copy_of_second.id, "duplicate"),
    ]
    [rejected] = [
        e for e in events(session, "public_comment.rejected") if e.detail["comment"] == first.id
    ]
    assert rejected.detail["duplicates_returned"] == [copy.id]


def test_duplicates_a_final_report_froze_stay_as_it_recorded_them(
    session: Session, cast: Any
) -> None:
    made = publication_row(session, cast, "comment")
    assessment = session.get(Assessment, made.assessment_id)
    [copy] = comments_on(session, made, "again")
    publication_row(session, cast, "final", assessment.id)
    later = publication_row(session, cast, "comment", assessment.id)
    [original] = comments_on(session, later, "first said later")
    approve_public_comment(session, assessment, cast.officer, original.id)
    # (marked before the freeze in practice; set here directly)
    session.get(PublicComment, copy.id).state = "duplicate"
    session.get(PublicComment, copy.id).duplicate_of_id = original.id
    session.commit()
    reconsider_public_comment(session, assessment, cast.officer, original.id, "Mistake.")
    assert states(session, copy) == [("duplicate", original.id)]
    assert events(session, "public_comment.duplicate_returned") == []


def test_the_reports_record_says_when_a_response_was_corrected(session: Session, cast: Any) -> None:
    made = publication_row(session, cast, "comment")
    assessment = session.get(Assessment, made.assessment_id)
    first, second = comments_on(session, made, "first", "second")
    for comment in (first, second):
        approve_public_comment(session, assessment, cast.officer, comment.id)
    corrected = respond_to_public_comments(
        session, assessment, cast.officer, comment_ids=[first.id], body="Kept 30 dyas."
    )
    respond_to_public_comments(
        session, assessment, cast.officer, comment_ids=[second.id], body="Audited yearly."
    )
    correct_comment_response(
        session, assessment, cast.officer, corrected.id, body="Kept 30 days.", theme=""
    )
    session.refresh(corrected)
    record = public_comment_record(session, assessment)
    day = corrected.corrected_at.astimezone(UTC).date().isoformat()  # the agency's zone: UTC
    by_body = {response.body: response for response in record.responses}
    assert by_body["Kept 30 days."].corrected_on == day
    assert by_body["Audited yearly."].corrected_on == ""
    # Frozen into the final report's data and read back as it was.
    frozen = record_from_dict(record_to_dict(record))
    assert frozen == record
    # Records frozen before corrections were recorded read as never corrected.
    old = record_to_dict(record)
    for response in old["responses"]:
        del response["corrected_on"]
    assert all(r.corrected_on == "" for r in record_from_dict(old).responses)

    section = public_comment_section(record)
    [table] = [block for block in section.blocks if getattr(block, "columns", ())[:1] == ("Theme",)]
    written = {row[2].text: row[3].text for row in table.rows}
    written_on = corrected.written_at.astimezone(UTC).date().isoformat()
    assert written["Kept 30 days."] == f"{written_on}, corrected on {day}"
    assert written["Audited yearly."] == written_on
