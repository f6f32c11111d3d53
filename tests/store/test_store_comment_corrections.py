"""Reconsidering a moderated public comment and correcting the agency's response, in the store on
SQLite and PostgreSQL: who may, what the audit trail keeps, bad input, and the final report
freezing both."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from publication_rows import TODAY, comments_on, events, publication_row
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pia.store.comment_corrections import (
    NothingToReconsider,
    correct_comment_response,
    earlier_versions,
    reconsider_public_comment,
    text_sha256,
)
from pia.store.comment_freezing import CommentsFrozen
from pia.store.comment_moderation import (
    approve_public_comment,
    mark_duplicate_comment,
    reject_public_comment,
    respond_to_public_comments,
)
from pia.store.comment_record import public_thread
from pia.store.errors import InvalidInput, NotAllowed, NotFound
from pia.store.models import Assessment, AuditEvent
from pia.store.public_listing import publication_head
from pia.store.public_models import Publication, PublicComment


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.fixture
def setup(session: Session, cast: Any) -> tuple[Assessment, Publication, list[PublicComment]]:
    made = publication_row(session, cast)
    assessment = session.get(Assessment, made.assessment_id)
    return assessment, made, comments_on(session, made, "first", "second", "third")


def test_a_rejected_comment_goes_back_to_the_queue_and_the_trail_names_the_decision(
    session: Session, cast: Any, setup: Any
) -> None:
    assessment, _, (first, *_) = setup
    reject_public_comment(session, assessment, cast.officer, first.id, "Off topic")
    back = reconsider_public_comment(
        session,
        assessment,
        cast.officer,
        first.id,
        "It asks about retention.",
        expected_state="rejected",
    )
    assert back.state == "pending" and back.moderation_reason == ""
    assert back.moderated_at is None and back.moderated_by_id is None
    [event] = events(session, "public_comment.reconsidered")
    assert event.actor_id == cast.officer.id and event.assessment_id == assessment.id
    assert event.detail["comment"] == first.id
    assert event.detail["earlier_state"] == "rejected"
    assert event.detail["earlier_reason"] == "Off topic"
    assert event.detail["reason"] == "It asks about retention."
    # the ordinary verbs decide again
    approve_public_comment(session, assessment, cast.officer, first.id)
    assert [c.body for c in public_thread(session, assessment.id).comments] == ["first"]


def test_an_approved_comment_leaves_the_public_thread_and_keeps_its_response(
    session: Session, cast: Any, setup: Any
) -> None:
    assessment, made, (first, second, _) = setup
    for comment in (first, second):
        approve_public_comment(session, assessment, cast.officer, comment.id)
    response = respond_to_public_comments(
        session, assessment, cast.officer, comment_ids=[first.id], body="Thank you."
    )
    head_before = publication_head(session, made.id)
    reconsider_public_comment(session, assessment, cast.officer, first.id, "Approved by mistake.")
    thread = public_thread(session, assessment.id)
    assert [c.body for c in thread.comments] == ["second"] and thread.responses == ()
    # the public page's version moves, so no cache serves the comment still shown
    head_after = publication_head(session, made.id)
    assert head_before is not None and head_after is not None
    assert head_after[1] != head_before[1]
    approve_public_comment(session, assessment, cast.officer, first.id)
    thread = public_thread(session, assessment.id)
    assert [r.id for r in thread.responses] == [response.id]
    assert thread.response_to(thread.comments[0]).body == "Thank you."


def test_a_duplicate_forgets_its_original_and_the_trail_keeps_it(
    session: Session, cast: Any, setup: Any
) -> None:
    assessment, _, (first, second, _) = setup
    mark_duplicate_comment(session, assessment, cast.officer, second.id, first.id)
    back = reconsider_public_comment(session, assessment, cast.officer, second.id, "Different.")
    assert back.state == "pending" and back.duplicate_of_id is None
    [event] = events(session, "public_comment.reconsidered")
    assert event.detail["earlier_state"] == "duplicate"
    assert event.detail["duplicate_of"] == first.id


def test_only_the_agencys_moderators_reconsider_and_bad_input_changes_nothing(
    session: Session, cast: Any, setup: Any
) -> None:
    assessment, _, (first, second, _) = setup
    reject_public_comment(session, assessment, cast.officer, first.id, "Off topic")
    before = audit_count(session)
    for someone in (cast.other_officer, cast.reviewer, cast.admin):
        with pytest.raises(NotAllowed):
            reconsider_public_comment(session, assessment, someone, first.id, "Why not.")
    for reason, message in (("  ", "give the reason"), ("x" * 1001, "at most 1000")):
        with pytest.raises(InvalidInput, match=message) as refused:
            reconsider_public_comment(session, assessment, cast.officer, first.id, reason)
        assert refused.value.field == "reason"
    with pytest.raises(NothingToReconsider, match="awaiting moderation"):
        reconsider_public_comment(session, assessment, cast.officer, second.id, "Why not.")
    with pytest.raises(NothingToReconsider, match="is rejected, not the decision"):
        reconsider_public_comment(
            session, assessment, cast.officer, first.id, "Why not.", expected_state="approved"
        )
    with pytest.raises(NotFound):
        reconsider_public_comment(session, assessment, cast.officer, 10**6, "Why not.")
    session.expire_all()
    assert session.get(PublicComment, first.id).state == "rejected"
    assert session.get(PublicComment, first.id).moderation_reason == "Off topic"
    assert audit_count(session) == before


def test_after_the_period_closes_corrections_go_on_until_the_final_report_freezes_them(
    session: Session, cast: Any
) -> None:
    closed = publication_row(
        session, cast, opens=date(2026, 1, 1), closes=TODAY - timedelta(days=1)
    )
    assessment = session.get(Assessment, closed.assessment_id)
    first, second = comments_on(session, closed, "first", "second")
    for comment in (first, second):
        approve_public_comment(session, assessment, cast.officer, comment.id)
    response = respond_to_public_comments(
        session, assessment, cast.officer, comment_ids=[first.id], body="Thank you."
    )
    # the period is over: still allowed
    reconsider_public_comment(session, assessment, cast.officer, second.id, "Spam after all.")
    correct_comment_response(
        session, assessment, cast.officer, response.id, body="Thank you; see section 4.", theme=""
    )
    approve_public_comment(session, assessment, cast.officer, second.id)
    final = publication_row(session, cast, stage="final", assessment_id=assessment.id)
    before = audit_count(session)
    with pytest.raises(CommentsFrozen, match="final report published on") as frozen:
        reconsider_public_comment(session, assessment, cast.officer, second.id, "Oops.")
    assert frozen.value.final_id == final.id
    with pytest.raises(CommentsFrozen):
        correct_comment_response(
            session, assessment, cast.officer, response.id, body="Changed.", theme=""
        )
    session.expire_all()
    assert session.get(PublicComment, second.id).state == "approved"
    assert audit_count(session) == before
    # comments on a publication for comment after the final report are not frozen by it
    later = publication_row(session, cast, assessment_id=assessment.id)
    [third] = comments_on(session, later, "third")
    approve_public_comment(session, assessment, cast.officer, third.id)
    assert (
        reconsider_public_comment(session, assessment, cast.officer, third.id, "Oops.").state
        == "pending"
    )


def test_a_corrected_response_keeps_each_earlier_text(
    session: Session, cast: Any, setup: Any
) -> None:
    assessment, made, (first, second, _) = setup
    for comment in (first, second):
        approve_public_comment(session, assessment, cast.officer, comment.id)
    response = respond_to_public_comments(
        session,
        assessment,
        cast.officer,
        comment_ids=[first.id, second.id],
        theme="Retention",
        body="Images go after 30 dyas.",
    )
    written_at = response.written_at
    head_before = publication_head(session, made.id)
    corrected = correct_comment_response(
        session,
        assessment,
        cast.officer,
        response.id,
        body="Images go after 30 days.",
        theme="Retention",
    )
    assert corrected.body == "Images go after 30 days." and corrected.corrected_at is not None
    assert corrected.corrected_by_id == cast.officer.id and corrected.written_at == written_at
    assert publication_head(session, made.id)[1] != head_before[1]
    correct_comment_response(
        session,
        assessment,
        cast.officer,
        response.id,
        body="Images go after 30 days.",
        theme="Data retention",
    )
    versions = earlier_versions(session, assessment.id)[response.id]
    assert [(v.number, v.theme, v.body) for v in versions] == [
        (1, "Retention", "Images go after 30 dyas."),
        (2, "Retention", "Images go after 30 days."),
    ]
    assert versions[0].superseded_by_id == cast.officer.id
    trail = events(session, "public_comment.response_corrected")
    assert [(e.detail["earlier_version"], e.detail["version"]) for e in trail] == [(1, 2), (2, 3)]
    assert trail[0].detail["earlier_sha256"] == text_sha256("Images go after 30 dyas.", "Retention")
    assert trail[1].detail["sha256"] == text_sha256("Images go after 30 days.", "Data retention")
    assert "Images" not in str(trail[0].detail)  # the texts stay out of the trail's details
    thread = public_thread(session, assessment.id)
    assert thread.responses[0].theme == "Data retention"


def test_a_correction_is_refused_for_bad_text_and_the_wrong_people(
    session: Session, cast: Any, setup: Any
) -> None:
    assessment, _, (first, second, _) = setup
    for comment in (first, second):
        approve_public_comment(session, assessment, cast.officer, comment.id)
    response = respond_to_public_comments(
        session, assessment, cast.officer, comment_ids=[first.id, second.id], theme="T", body="B."
    )
    before = audit_count(session)
    bad = [
        ({"body": " ", "theme": "T"}, "body", "write the corrected response"),
        ({"body": "x" * 10001, "theme": "T"}, "body", "at most 10,000"),
        ({"body": "B.", "theme": "T"}, "body", "the same as the published response"),
        ({"body": "Better.", "theme": ""}, "theme", "name the theme"),
        ({"body": "Better.", "theme": "t" * 201}, "theme", "at most 200"),
    ]
    for fields, field, message in bad:
        with pytest.raises(InvalidInput, match=message) as refused:
            correct_comment_response(session, assessment, cast.officer, response.id, **fields)
        assert refused.value.field == field
    for someone in (cast.other_officer, cast.reviewer):
        with pytest.raises(NotAllowed):
            correct_comment_response(session, assessment, someone, response.id, body="X", theme="T")
    with pytest.raises(NotFound):
        correct_comment_response(session, assessment, cast.officer, 10**6, body="X", theme="T")
    session.expire_all()
    assert audit_count(session) == before and earlier_versions(session, assessment.id) == {}
